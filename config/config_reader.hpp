// The reader of a configuration file, internal to config/: one class walks the TOML tables
// section by section and reports every problem at its file, line and key (load.cpp: the entry
// points, [server], [store], [[channels]]; load_transport.cpp: a channel's ca_file and
// allow_insecure; load_registry.cpp: [[sites]], [[teams]], coordinators
// and reporters; load_sections.cpp: [alerts] and its rules, [ussd], [messages], [cases]).
#pragma once

#include "config/gateway_config.hpp"
#include "config/language_config.hpp"
#include "config/load.hpp"
#include "config/toml_reader.hpp"
#include "parser/phone.hpp"
#include "parser/suggest.hpp"

#include <toml++/toml.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kharuul::config::detail {

inline constexpr std::string_view phone_fix = "write it in E.164, e.g. +97699000101";

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
// "use one of A, B, C", with "did you mean B?" when `typed` is one edit from a choice.
std::string choice_fix(std::string_view typed, const std::vector<std::string>& choices);
// "HH:MM" as minutes since midnight; "24:00" only when `allow_24`.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text, bool allow_24);
// "+08:00" / "-03:30" as minutes east of UTC, within -12:00 .. +14:00.
std::optional<std::chrono::minutes> parse_utc_offset(std::string_view text);
bool is_http_url(std::string_view text) noexcept;
bool is_channel_name(std::string_view text) noexcept;
// "Aimag/Soum": non-empty parts separated by single '/'.
bool is_area(std::string_view text) noexcept;
bool is_service_code(std::string_view text) noexcept;
std::string upper_ascii(std::string_view text);
std::string_view lang_name(parser::reply_language l) noexcept;

// Where a name was first used, for "is also ..." messages.
struct first_use {
    std::string path;
    parser::reply_language lang = parser::reply_language::mn;
};

class config_reader {
public:
    explicit config_reader(problem_sink& sink) : sink_(sink) {}

    gateway_config read(const toml::table& root_table) {
        table_reader root(root_table, "", sink_);
        if (const auto* t = root.get_table("server")) {
            read_server(*t);
        }
        derive_public_url();
        if (const auto* t = root.get_table("store")) {
            read_store(*t);
        }
        read_channels(root);
        check_inbound_channel(root);
        read_sites(root);
        read_teams(root);
        if (has_team_tables_) {
            check_site_coverage(); // else against the store's teams (check_registry)
        }
        read_coordinators(root);
        read_reporters(root);
        const auto* alerts = root.get_table("alerts");
        if (alerts != nullptr) {
            read_alerts(*alerts);
        }
        check_outbound_channel(alerts, root);
        if (const auto* t = root.get_table("ussd")) {
            read_ussd(*t);
        }
        if (const auto* t = root.get_table("messages")) {
            read_messages(*t);
        }
        if (const auto* t = root.get_table("cases")) {
            read_cases(*t);
        }
        if (const auto* t = root.get_table("language")) {
            detail::merge_language(*t, config_.language, sink_);
        }
        config_.language.min_prevention_age = config_.cases.min_prevention_age; // RISK's youngest age
        check_rules(); // after the language: rules may name codes a deployment added
        check_ussd_menu(); // likewise: the menu's choices name codes of the language
        root.report_unknown_keys();
        return std::move(config_);
    }

private:
    // ---- shared value readers -----------------------------------------------------------------

    std::optional<std::string> read_phone(table_reader& r, bool required) {
        const auto phone = r.get_string("phone", required, "add phone = \"+97699000101\" (E.164)");
        if (!phone) {
            return std::nullopt;
        }
        // Spaces, dashes, a 00 prefix and, with [server] country_code, a national number are
        // what people write; the registry keeps the one normalised form.
        const std::string normalised = parser::normalise_phone(*phone, config_.server.country_code);
        if (!parser::is_e164(normalised)) {
            std::string fix(phone_fix);
            if (config_.server.country_code.empty() && normalised.size() >= 7 &&
                normalised.find_first_not_of("0123456789") == std::string::npos)
                fix = "a number without its country code: write it as +<country code>" + normalised +
                      ", or set country_code in [server] (e.g. \"976\")";
            sink_.error(r.where("phone"), r.path_of("phone"), in_quotes(*phone) + " is not a phone number",
                        fix);
            return std::nullopt;
        }
        return normalised;
    }

    std::optional<parser::reply_language> read_lang(table_reader& r) {
        const auto lang = r.get_string("lang");
        if (!lang) {
            return std::nullopt;
        }
        if (*lang == "en") {
            return parser::reply_language::en;
        }
        if (*lang == "mn") {
            return parser::reply_language::mn;
        }
        sink_.error(r.where("lang"), r.path_of("lang"), in_quotes(*lang) + " is not a reply language",
                    "use \"en\" (English) or \"mn\" (Mongolian)");
        return std::nullopt;
    }

    template <typename Enum, typename From>
    std::optional<Enum> read_choice(table_reader& r, std::string_view key, From from,
                                    const std::vector<std::string>& choices, std::string_view what,
                                    bool required = false) {
        const auto text =
            r.get_string(key, required, "add " + std::string(key) + " = \"...\"; one of " + join(choices));
        if (!text) {
            return std::nullopt;
        }
        if (const auto value = from(*text)) {
            return value;
        }
        sink_.error(r.where(key), r.path_of(key), in_quotes(*text) + " is not " + std::string(what),
                    choice_fix(*text, choices));
        return std::nullopt;
    }

    template <typename Duration>
    void read_duration(table_reader& r, std::string_view key, Duration& out, std::int64_t min,
                       std::int64_t max, std::string_view unit) {
        if (const auto v = r.get_integer(key, min, max, unit)) {
            out = Duration{*v};
        }
    }

    // Records `phone` at `path`; a second use in the same `list` is an error, and so is a use
    // anywhere with another reply language.
    void note_phone(std::map<std::string, std::string>& list, const std::string& phone, table_reader& r,
                    parser::reply_language lang, std::string_view list_fix) {
        const std::string path = r.path_of("phone");
        if (const auto [it, inserted] = list.emplace(phone, path); !inserted) {
            sink_.error(r.where("phone"), path, in_quotes(phone) + " is also " + it->second,
                        std::string(list_fix));
            return;
        }
        if (const auto [it, inserted] = phones_.emplace(phone, first_use{path, lang}); !inserted) {
            if (it->second.lang != lang) {
                sink_.error(r.where("lang"), r.path_of("lang"),
                            in_quotes(phone) + " has lang \"" + std::string(lang_name(it->second.lang)) +
                                "\" at " + it->second.path,
                            "use one lang for a phone: replies and alerts to it are in one language");
            }
        }
    }

    // ---- sections -----------------------------------------------------------------------------

    void read_server(const toml::table& t);

    void derive_public_url();

    void read_store(const toml::table& t);

    void read_channels(table_reader& root);

    // Without a channel that takes HTTP requests every /channels/*/receive answers 404, which
    // providers take as final: messages would be refused for good, not retried.
    void check_inbound_channel(table_reader& root);

    static bool has_http_inbound(channel_type t) noexcept {
        return t == channel_type::generic || t == channel_type::kannel || t == channel_type::twilio ||
               t == channel_type::africastalking;
    }

    bool check_channel_fields(table_reader& r, const channel_config& c);

    // load_transport.cpp: a ca_file that cannot be read or holds no PEM certificate, and
    // credentials that would travel over plain http:// beyond this machine without allow_insecure.
    bool check_channel_transport(table_reader& r, const channel_config& c);

    void read_sites(table_reader& root);

    void read_teams(table_reader& root);

    void check_site_coverage();

    void read_coordinators(table_reader& root);

    void read_reporters(table_reader& root);

    void read_alerts(const toml::table& t);

    void read_rules(table_reader& alerts);

    // Rules name codes of the language and the registry: checked once both are read.
    void check_rules();

    std::optional<std::chrono::minutes> read_time(table_reader& r, std::string_view key, bool allow_24);

    void check_outbound_channel(const toml::table* alerts, table_reader& root);

    void read_ussd(const toml::table& t);

    // [ussd.texts] and [ussd.options] (load_ussd.cpp): the menu's texts and lists as written.
    void read_ussd_menu(table_reader& ussd);

    // The menu's lists against the language, and its screens against the limit, once both are read.
    void check_ussd_menu();

    void read_messages(const toml::table& t);

    // [cases]: the case life cycle and the figures (spec cases.md 2-4).
    void read_cases(const toml::table& t);

    // "lo-hi" in years within 0..17, each band after the one before it. The bands replace the
    // default only when every one is right.
    void read_age_bands(table_reader& r, const std::vector<located<std::string>>& texts);

    static std::optional<cases_config::band> parse_age_band(std::string_view text);

    // Ages RISK and ID accept that no band holds would count in no age_band row: a warning.
    void check_age_band_coverage(table_reader& r);

    problem_sink& sink_;
    gateway_config config_;
    std::map<std::string, std::string> channel_names_; // every named channel, even a broken one
    bool inbound_named_ = false;   // a channel of a type with HTTP inbound, even a broken one, or untyped
    bool has_team_tables_ = false; // [[teams]] entries, even broken ones
    std::map<std::string, std::pair<std::string, toml::source_position>> channel_at_;
    std::map<std::string, std::string> site_codes_; // every site code, even of a broken site
    std::vector<std::pair<std::string, toml::source_position>> site_area_at_; // per config_.sites entry
    std::vector<team_config> broken_team_areas_;
    std::pair<std::string, toml::source_position> outbound_at_;
    // Per config_.alerts.rules entry: its code lists (sites, work, hazards, statuses) as written.
    using rule_values = std::map<std::string, std::vector<located<std::string>>>;
    std::vector<rule_values> rule_at_;
    std::map<std::string, first_use> phones_;
    // Where each overridden menu text or list is written ("texts.title" -> path, position); the
    // [ussd] table's own position under "".
    std::map<std::string, std::pair<std::string, toml::source_position>> ussd_menu_at_;
};

} // namespace kharuul::config::detail
