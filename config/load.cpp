#include "config/load.hpp"

#include "config/language_config.hpp"
#include "config/toml_reader.hpp"
#include "parser/phone.hpp"
#include "parser/suggest.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

namespace kharuul::config {

namespace {

using detail::in_quotes;
using detail::index_path;
using detail::located;
using detail::nearest;
using detail::problem_sink;
using detail::table_reader;
using parser::is_e164; // the one rule, shared with `kharuul reporter add`

constexpr std::string_view phone_fix = "write it in E.164, e.g. +97699000101";

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) {
            out += separator;
        }
        out += items[i];
    }
    return out;
}


std::string choice_fix(std::string_view typed, const std::vector<std::string>& choices) {
    std::string fix = "use one of " + join(choices);
    if (const std::string near = nearest(typed, choices); !near.empty()) {
        fix = "did you mean " + near + "? (" + fix + ")";
    }
    return fix;
}

// "HH:MM" as minutes since midnight; "24:00" only when `allow_24`.
std::optional<std::chrono::minutes> parse_time_of_day(std::string_view text, bool allow_24) {
    if (text.size() != 5 || text[2] != ':') {
        return std::nullopt;
    }
    const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (!digit(0) || !digit(1) || !digit(3) || !digit(4)) {
        return std::nullopt;
    }
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) {
        return std::nullopt;
    }
    return std::chrono::minutes{h * 60 + m};
}

// "+08:00" / "-03:30" as minutes east of UTC, within -12:00 .. +14:00.
std::optional<std::chrono::minutes> parse_utc_offset(std::string_view text) {
    if (text.size() != 6 || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    const auto time = parse_time_of_day(text.substr(1), false);
    if (!time) {
        return std::nullopt;
    }
    const auto offset = text[0] == '-' ? -*time : *time;
    if (offset < std::chrono::minutes{-12 * 60} || offset > std::chrono::minutes{14 * 60}) {
        return std::nullopt;
    }
    return offset;
}

bool is_http_url(std::string_view text) noexcept {
    const auto rest = text.starts_with("http://")    ? text.substr(7)
                      : text.starts_with("https://") ? text.substr(8)
                                                     : std::string_view{};
    return !rest.empty() && rest.find_first_of(" \t\r\n") == std::string_view::npos;
}

bool is_channel_name(std::string_view text) noexcept {
    return !text.empty() && text.size() <= 32 && std::ranges::all_of(text, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

// "Aimag/Soum": non-empty parts separated by single '/'.
bool is_area(std::string_view text) noexcept {
    if (text.empty() || text.front() == '/' || text.back() == '/' ||
        text.find("//") != std::string_view::npos) {
        return false;
    }
    return text.find_first_of("\t\r\n") == std::string_view::npos && text.front() != ' ' &&
           text.back() != ' ';
}

bool is_service_code(std::string_view text) noexcept {
    if (text.size() < 3 || text.front() != '*' || text.back() != '#') {
        return false;
    }
    const auto middle = text.substr(1, text.size() - 2);
    return !middle.starts_with('*') && !middle.ends_with('*') &&
           std::ranges::all_of(middle, [](char c) { return (c >= '0' && c <= '9') || c == '*'; });
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

// Where a name was first used, for "is also ..." messages.
struct first_use {
    std::string path;
    parser::reply_language lang = parser::reply_language::mn;
};

std::string_view lang_name(parser::reply_language l) noexcept {
    return l == parser::reply_language::en ? "en" : "mn";
}

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
        if (!is_e164(normalised)) {
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

    void read_server(const toml::table& t) {
        table_reader r(t, "server", sink_);
        auto& s = config_.server;
        if (const auto listen = r.get_string("listen")) {
            if (const auto e = parse_endpoint(*listen)) {
                s.listen = *e;
            } else {
                sink_.error(r.where("listen"), r.path_of("listen"), in_quotes(*listen) + " is not host:port",
                            "write it as host:port, e.g. 127.0.0.1:8080");
            }
        }
        if (const auto url = r.get_string("public_url")) {
            if (is_http_url(*url)) {
                s.public_url = *url;
                while (s.public_url.ends_with('/')) {
                    s.public_url.pop_back();
                }
            } else {
                sink_.error(
                    r.where("public_url"), r.path_of("public_url"),
                    in_quotes(*url) + " is not an http(s) URL",
                    "write the address providers reach this gateway at, e.g. https://sms.example.org");
            }
        }
        read_duration(r, "read_timeout_seconds", s.read_timeout, 1, 3600, "seconds");
        read_duration(r, "write_timeout_seconds", s.write_timeout, 1, 3600, "seconds");
        read_duration(r, "idle_timeout_seconds", s.idle_timeout, 1, 86400, "seconds");
        read_duration(r, "shutdown_grace_seconds", s.shutdown_grace, 0, 600, "seconds");
        if (const auto v = r.get_integer("max_body_bytes", 1024, 16 * 1024 * 1024, "bytes")) {
            s.max_body_bytes = static_cast<std::size_t>(*v);
        }
        if (const auto v = r.get_integer("max_connections", 16, 1'000'000, "connections")) {
            s.max_connections = static_cast<std::size_t>(*v);
        }
        if (const auto token = r.get_string("metrics_token")) {
            s.metrics_token = *token;
        }
        if (const auto cc = r.get_string("country_code")) {
            const std::string_view digits = std::string_view(*cc).substr(cc->starts_with('+') ? 1 : 0);
            if (parser::is_country_code(digits)) {
                s.country_code = std::string(digits);
            } else {
                sink_.error(r.where("country_code"), r.path_of("country_code"),
                            in_quotes(*cc) + " is not a country calling code",
                            "write the country's calling code in digits, e.g. \"976\" (Mongolia)");
            }
        }
        r.report_unknown_keys();
    }

    void derive_public_url() {
        auto& s = config_.server;
        if (!s.public_url.empty()) {
            return;
        }
        endpoint e = s.listen;
        if (e.host == "0.0.0.0") {
            e.host = "127.0.0.1";
        } else if (e.host == "::") {
            e.host = "::1";
        }
        s.public_url = "http://" + to_string(e);
    }

    void read_store(const toml::table& t) {
        table_reader r(t, "store", sink_);
        auto& s = config_.store;
        if (const auto path = r.get_string("path")) {
            if (path->empty()) {
                sink_.error(r.where("path"), r.path_of("path"), "is empty",
                            "name the SQLite file, e.g. path = \"var/kharuul.db\"");
            } else {
                s.path = *path;
            }
        }
        if (const auto v = r.get_integer("max_batch_size", 1, 100000, "writes")) {
            s.max_batch_size = static_cast<std::size_t>(*v);
        }
        read_duration(r, "max_batch_delay_ms", s.max_batch_delay, 0, 1000, "milliseconds");
        read_duration(r, "busy_timeout_ms", s.busy_timeout, 0, 600000, "milliseconds");
        r.report_unknown_keys();
    }

    void read_channels(table_reader& root) {
        const std::vector<std::string> types{"generic", "kannel", "twilio", "africastalking", "log", "smpp"};
        const auto tables = root.get_tables("channels");
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (tables[i] == nullptr) {
                continue;
            }
            table_reader r(*tables[i], index_path("channels", i), sink_);
            channel_config c;
            const auto name =
                r.get_string("name", true, "add name = \"kannel\": the path segment in /channels/{name}/");
            const auto type =
                read_choice<channel_type>(r, "type", channel_type_from, types, "a channel type", true);
            if (!type || has_http_inbound(*type)) {
                inbound_named_ = true; // even when the channel has a problem of its own (or no type yet)
            }
            c.secret = r.get_string("secret").value_or("");
            c.send_url = r.get_string("send_url").value_or("");
            c.username = r.get_string("username").value_or("");
            c.password = r.get_string("password").value_or("");
            c.sender = r.get_string("sender").value_or("");
            const auto address = r.get_string("address");
            read_duration(r, "timeout_seconds", c.timeout, 1, 300, "seconds");
            r.report_unknown_keys();

            bool ok = name && type;
            if (name && !is_channel_name(*name)) {
                sink_.error(r.where("name"), r.path_of("name"),
                            in_quotes(*name) + " cannot be a URL path segment",
                            "use lower-case letters, digits, - and _, e.g. \"kannel\"");
                ok = false;
            } else if (name) {
                if (const auto [it, inserted] = channel_names_.emplace(*name, r.path_of("name")); !inserted) {
                    sink_.error(r.where("name"), r.path_of("name"),
                                in_quotes(*name) + " is also " + it->second,
                                "give each channel its own name");
                    ok = false;
                }
            }
            if (!c.send_url.empty() && !is_http_url(c.send_url)) {
                sink_.error(r.where("send_url"), r.path_of("send_url"),
                            in_quotes(c.send_url) + " is not an http(s) URL",
                            "write the provider's URL, e.g. http://127.0.0.1:13013/cgi-bin/sendsms");
                ok = false;
            }
            if (address) {
                if (const auto e = parse_endpoint(*address)) {
                    c.address = *e;
                } else {
                    sink_.error(r.where("address"), r.path_of("address"),
                                in_quotes(*address) + " is not host:port",
                                "write the SMSC's address as host:port, e.g. 10.0.0.5:2775");
                    ok = false;
                }
            }
            if (type) {
                c.type = *type;
                ok = check_channel_fields(r, c) && ok;
            }
            if (ok) {
                c.name = *name;
                channel_at_.emplace(c.name, std::pair{r.path(), r.where()});
                config_.channels.push_back(std::move(c));
            }
        }
    }

    // Without a channel that takes HTTP requests every /channels/*/receive answers 404, which
    // providers take as final: messages would be refused for good, not retried.
    void check_inbound_channel(table_reader& root) {
        if (inbound_named_) {
            return;
        }
        std::string have;
        for (const auto& c : config_.channels) {
            have += (have.empty() ? " (there is only " : ", ") + c.name + ", type " +
                    std::string(channel_type_name(c.type));
        }
        if (!have.empty()) {
            have += ", which receives nothing over HTTP)";
        }
        sink_.error(config_.channels.empty() ? toml::source_position{} : root.where("channels"), "channels",
                    "no channel receives messages" + have +
                        ": every provider request to /channels/{name}/receive would get 404 and the "
                        "messages would be lost",
                    "add a [[channels]] entry of type generic, kannel, twilio or africastalking, e.g. "
                    "name = \"generic\", type = \"generic\", secret = \"...\"");
    }

    static bool has_http_inbound(channel_type t) noexcept {
        return t == channel_type::generic || t == channel_type::kannel || t == channel_type::twilio ||
               t == channel_type::africastalking;
    }

    bool check_channel_fields(table_reader& r, const channel_config& c) {
        const std::string type(channel_type_name(c.type));
        bool ok = true;
        const auto require = [&](std::string_view key, const std::string& value, std::string_view why,
                                 std::string_view fix) {
            if (value.empty()) {
                sink_.error(r.where(), r.path_of(key),
                            "a " + type + " channel needs " + std::string(key) + ": " + std::string(why),
                            std::string(fix));
                ok = false;
            }
        };
        if (needs_secret(c.type)) {
            require(
                "secret", c.secret, "inbound requests without it are refused",
                "add secret = \"...\", a long random string that the provider's callback URL also carries");
        }
        if (c.type == channel_type::twilio) {
            require("username", c.username, "the Account SID",
                    "add username = \"AC...\" from the Twilio console");
            require("password", c.password, "the auth token that signs Twilio's requests",
                    "add password = \"...\", the auth token from the Twilio console");
        }
        if (c.type == channel_type::smpp) {
            if (!c.address) {
                sink_.error(r.where(), r.path_of("address"),
                            "an smpp channel needs address: the SMSC to bind to",
                            "add address = \"host:2775\"");
                ok = false;
            }
            require("username", c.username, "the system_id to bind with",
                    "add username = \"...\" (system_id)");
            require("password", c.password, "the password to bind with", "add password = \"...\"");
        }
        return ok;
    }

    void read_sites(table_reader& root) {
        const std::vector<std::string> kinds{"mine", "market", "dumpsite", "brickyard", "other"};
        const auto tables = root.get_tables("sites");
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (tables[i] == nullptr) {
                continue;
            }
            table_reader r(*tables[i], index_path("sites", i), sink_);
            site_config s;
            const auto code =
                r.get_string("code", true, "add code = \"ALT\": what volunteers type for the site");
            s.name = r.get_string("name").value_or("");
            const auto kind = read_choice<site_kind>(r, "kind", site_kind_from, kinds, "a site kind");
            const auto area = r.get_string(
                "area", true, "add area = \"Aimag/Soum\": teams covering that area get its alerts");
            r.report_unknown_keys();

            bool ok = code && area;
            if (code && !detail::is_code(*code, 8)) {
                const std::string upper = upper_ascii(*code);
                sink_.error(r.where("code"), r.path_of("code"), in_quotes(*code) + " is not a site code",
                            upper != *code && detail::is_code(upper, 8)
                                ? "write it in capitals: " + upper
                                : "use 2 to 8 Latin capitals and digits, starting with a capital, e.g. ALT");
                ok = false;
            } else if (code && code->size() < 2) {
                sink_.error(r.where("code"), r.path_of("code"),
                            in_quotes(*code) + " is too short for a site code",
                            "use 2 to 8 Latin capitals and digits: one letter is read as a sex");
                ok = false;
            } else if (code) {
                if (const auto [it, inserted] = site_codes_.emplace(*code, r.path_of("code")); !inserted) {
                    sink_.error(r.where("code"), r.path_of("code"),
                                in_quotes(*code) + " is also " + it->second, "give each site its own code");
                    ok = false;
                }
            }
            if (area && !is_area(*area)) {
                sink_.error(r.where("area"), r.path_of("area"), in_quotes(*area) + " is not an area",
                            "write it as Aimag/Soum or Ulaanbaatar/District, without empty parts");
                ok = false;
            }
            if (ok) {
                s.code = *code;
                s.kind = kind.value_or(site_kind::other);
                s.area = *area;
                site_area_at_.push_back({r.path_of("area"), r.where("area")});
                config_.sites.push_back(std::move(s));
            }
        }
    }

    void read_teams(table_reader& root) {
        const std::vector<std::string> roles{"member", "leader"};
        const auto tables = root.get_tables("teams");
        has_team_tables_ = !tables.empty();
        std::map<std::string, std::string> names;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (tables[i] == nullptr) {
                continue;
            }
            table_reader r(*tables[i], index_path("teams", i), sink_);
            team_config team;
            const auto name = r.get_string("name", true, "add name = \"...\": shown to coordinators");
            const auto areas =
                r.get_strings("areas", true, "add areas = [\"Aimag/Soum\"]: the team gets their alerts");
            team.sensitive_cases = r.get_bool("sensitive_cases").value_or(false);
            const bool has_members = r.find("members") != nullptr;
            const auto members = r.get_tables("members");
            r.report_unknown_keys();

            bool ok = name.has_value() && areas.has_value();
            if (name) {
                if (const auto [it, inserted] = names.emplace(*name, r.path_of("name")); !inserted) {
                    sink_.error(r.where("name"), r.path_of("name"),
                                in_quotes(*name) + " is also " + it->second, "give each team its own name");
                    ok = false;
                }
                team.name = *name;
            }
            if (areas) {
                if (areas->empty()) {
                    sink_.error(r.where("areas"), r.path_of("areas"), "is empty",
                                "list the areas the team covers, e.g. [\"Bayankhongor/Bayan-Ovoo\"]");
                    ok = false;
                }
                for (const auto& area : *areas) {
                    if (!is_area(area.value)) {
                        sink_.error(area.at, area.path, in_quotes(area.value) + " is not an area",
                                    "write it as Aimag/Soum or Ulaanbaatar/District, without empty parts");
                        ok = false;
                        continue;
                    }
                    const bool covers_a_site = std::ranges::any_of(
                        config_.sites, [&](const site_config& s) { return area_covers(area.value, s.area); });
                    if (!covers_a_site) {
                        sink_.warning(area.at, area.path, "no site is in " + in_quotes(area.value),
                                      "check its spelling against the sites' areas, or add the site");
                    }
                    team.areas.push_back(area.value);
                }
            }

            std::map<std::string, std::string> phones;
            for (std::size_t m = 0; m < members.size(); ++m) {
                if (members[m] == nullptr) {
                    ok = false;
                    continue;
                }
                table_reader mr(*members[m], index_path(r.path_of("members"), m), sink_);
                team_member member;
                const auto phone = read_phone(mr, true);
                member.name = mr.get_string("name").value_or("");
                const auto role =
                    read_choice<member_role>(mr, "role", member_role_from, roles, "a team role");
                const auto lang = read_lang(mr);
                mr.report_unknown_keys();
                if (!phone || (mr.find("role") != nullptr && !role) ||
                    (mr.find("lang") != nullptr && !lang)) {
                    ok = false;
                    continue;
                }
                member.phone = *phone;
                member.role = role.value_or(member_role::member);
                member.lang = lang.value_or(parser::reply_language::mn);
                note_phone(phones, member.phone, mr, member.lang, "list each member of a team once");
                team.members.push_back(std::move(member));
            }
            if (!has_members || members.empty()) {
                sink_.error(
                    has_members ? r.where("members") : r.where(), r.path_of("members"),
                    "the team has no members, so nobody would get its alerts",
                    "add members = [ { phone = \"+97699000101\", name = \"...\", role = \"leader\" } ]");
                ok = false;
            } else if (ok && std::ranges::none_of(team.members, [](const team_member& m) {
                           return m.role == member_role::leader;
                       })) {
                sink_.error(
                    r.where("members"), r.path_of("members"), "the team has no leader",
                    "set role = \"leader\" on one member: unacknowledged alerts escalate to the leader");
                ok = false;
            }
            if (ok) {
                config_.teams.push_back(std::move(team));
            } else if (areas) {
                // Keep the areas for the coverage check, so that a broken team is reported once.
                team_config placeholder;
                placeholder.areas = team.areas;
                broken_team_areas_.push_back(std::move(placeholder));
            }
        }
    }

    void check_site_coverage() {
        for (std::size_t i = 0; i < config_.sites.size(); ++i) {
            const auto& site = config_.sites[i];
            const auto covered = [&](const team_config& t) {
                return std::ranges::any_of(t.areas,
                                           [&](const std::string& a) { return area_covers(a, site.area); });
            };
            if (std::ranges::any_of(config_.teams, covered) ||
                std::ranges::any_of(broken_team_areas_, covered)) {
                continue;
            }
            sink_.error(site_area_at_[i].second, site_area_at_[i].first,
                        "no team covers " + in_quotes(site.area) + ", so reports from " + site.code +
                            " would alert nobody",
                        "add " + in_quotes(site.area) + " (or an area containing it) to a team's areas");
        }
    }

    void read_coordinators(table_reader& root) {
        const auto tables = root.get_tables("coordinators");
        std::map<std::string, std::string> phones;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (tables[i] == nullptr) {
                continue;
            }
            table_reader r(*tables[i], index_path("coordinators", i), sink_);
            coordinator_config c;
            const auto phone = read_phone(r, true);
            c.name = r.get_string("name").value_or("");
            const auto lang = read_lang(r);
            r.report_unknown_keys();
            if (!phone || (r.find("lang") != nullptr && !lang)) {
                continue;
            }
            c.phone = *phone;
            c.lang = lang.value_or(parser::reply_language::mn);
            note_phone(phones, c.phone, r, c.lang, "list each coordinator once");
            config_.coordinators.push_back(std::move(c));
        }
    }

    void read_reporters(table_reader& root) {
        const std::vector<std::string> kinds{"volunteer", "teacher", "parent", "worker", "other"};
        std::vector<std::string> codes;
        for (const auto& s : config_.sites) {
            codes.push_back(s.code);
        }
        const auto tables = root.get_tables("reporters");
        std::map<std::string, std::string> phones;
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (tables[i] == nullptr) {
                continue;
            }
            table_reader r(*tables[i], index_path("reporters", i), sink_);
            reporter_config rep;
            const auto phone = read_phone(r, true);
            rep.name = r.get_string("name").value_or("");
            const auto sites = r.get_strings("sites");
            const auto lang = read_lang(r);
            const auto kind =
                read_choice<reporter_kind>(r, "kind", reporter_kind_from, kinds, "a reporter kind");
            r.report_unknown_keys();
            bool ok = phone.has_value() && (r.find("lang") == nullptr || lang) &&
                      (r.find("kind") == nullptr || kind);
            if (sites) {
                for (const auto& site : *sites) {
                    if (site_codes_.contains(site.value)) {
                        rep.sites.push_back(site.value);
                        continue;
                    }
                    std::string fix;
                    if (const std::string near = nearest(upper_ascii(site.value), codes); !near.empty()) {
                        fix = "did you mean " + near + "?";
                    } else if (codes.empty()) {
                        fix = "add it to [[sites]] first";
                    } else {
                        fix = "add it to [[sites]] first, or use one of " + join(codes);
                    }
                    sink_.error(site.at, site.path, in_quotes(site.value) + " is not a site", fix);
                    ok = false;
                }
            }
            if (!ok) {
                continue;
            }
            rep.phone = *phone;
            rep.lang = lang.value_or(parser::reply_language::mn);
            rep.kind = kind.value_or(reporter_kind::volunteer);
            note_phone(phones, rep.phone, r, rep.lang,
                       "list each reporter once; give one reporter several sites");
            config_.reporters.push_back(std::move(rep));
        }
    }

    void read_alerts(const toml::table& t) {
        table_reader r(t, "alerts", sink_);
        auto& a = config_.alerts;
        a.outbound_channel = r.get_string("outbound_channel").value_or("");
        outbound_at_ = {r.path_of("outbound_channel"), r.where("outbound_channel")};
        read_duration(r, "urgent_ack_minutes", a.urgent_ack, 1, 7 * 24 * 60, "minutes");
        read_duration(r, "normal_ack_minutes", a.normal_ack, 1, 30 * 24 * 60, "minutes");
        read_duration(r, "fold_minutes", a.fold_window, 0, 24 * 60, "minutes");
        read_duration(r, "reminder_days", a.reminder_after, 1, 365, "days");
        const auto start = read_time(r, "daytime_start", false);
        const auto end = read_time(r, "daytime_end", true);
        if (start) {
            a.daytime_start = *start;
        }
        if (end) {
            a.daytime_end = *end;
        }
        if ((start || end) && a.daytime_start >= a.daytime_end) {
            sink_.error(r.where(end ? "daytime_end" : "daytime_start"),
                        r.path_of(end ? "daytime_end" : "daytime_start"),
                        "the daytime window ends before it starts",
                        "make daytime_start earlier than daytime_end");
        }
        if (const auto offset = r.get_string("utc_offset")) {
            if (const auto minutes = parse_utc_offset(*offset)) {
                a.utc_offset = *minutes;
            } else {
                sink_.error(r.where("utc_offset"), r.path_of("utc_offset"),
                            in_quotes(*offset) + " is not a UTC offset",
                            "write it as +HH:MM; Mongolia is \"+08:00\"");
            }
        }
        read_rules(r);
        read_duration(r, "retry_base_seconds", a.retry_base, 1, 86400, "seconds");
        read_duration(r, "retry_cap_seconds", a.retry_cap, 1, 7 * 86400, "seconds");
        if (a.retry_cap < a.retry_base) {
            sink_.error(r.where("retry_cap_seconds"), r.path_of("retry_cap_seconds"),
                        "is shorter than retry_base_seconds",
                        "make retry_cap_seconds at least retry_base_seconds");
        }
        r.report_unknown_keys();
    }

    void read_rules(table_reader& alerts) {
        const auto tables = alerts.get_tables("rules");
        for (std::size_t i = 0; i < tables.size(); ++i) {
            if (tables[i] == nullptr) {
                continue;
            }
            table_reader r(*tables[i], index_path("alerts.rules", i), sink_);
            routing_rule_config rule;
            rule_values values; // where each code is written, for check_rules
            auto strings = [&](std::string_view key) {
                std::vector<std::string> out;
                if (const auto list = r.get_strings(key)) {
                    for (const auto& v : *list) {
                        out.push_back(v.value);
                    }
                    values[std::string(key)] = *list;
                }
                return out;
            };
            for (const auto& f : strings("forms")) {
                if (const auto form = parser::form_from_canonical(f); form && (*form == parser::form::id ||
                                                                               *form == parser::form::tr)) {
                    rule.forms.push_back(*form);
                } else {
                    sink_.error(r.where("forms"), r.path_of("forms"), in_quotes(f) + " is not a form that alerts",
                                "use \"ID\" or \"TR\"");
                }
            }
            rule.sites = strings("sites");
            rule.areas = strings("areas");
            rule.work = strings("work");
            rule.hazards = strings("hazards");
            rule.statuses = strings("statuses");
            rule.alert = r.get_bool("alert");
            rule.urgent = r.get_bool("urgent");
            rule.tell_leader_now = r.get_bool("tell_leader_now");
            rule.tell_coordinators_now = r.get_bool("tell_coordinators_now");
            rule.sensitive = r.get_bool("sensitive");
            r.report_unknown_keys();
            rule_at_.push_back(std::move(values));
            config_.alerts.rules.push_back(std::move(rule));
        }
    }

    // Rules name codes of the language and the registry: checked once both are read.
    void check_rules() {
        auto known = [](const std::vector<parser::code_def>& defs, const std::string& code) {
            for (const auto& d : defs) {
                if (d.code == code) {
                    return true;
                }
            }
            return false;
        };
        // Each problem at the line of the code itself (a rule's keys may span many lines).
        for (std::size_t i = 0; i < config_.alerts.rules.size() && i < rule_at_.size(); ++i) {
            const rule_values& values = rule_at_[i];
            auto each = [&](const std::string& key, auto&& check) {
                if (const auto it = values.find(key); it != values.end()) {
                    for (const auto& v : it->second) {
                        check(v);
                    }
                }
            };
            each("sites", [&](const located<std::string>& s) {
                if (config_.find_site(s.value) == nullptr) {
                    sink_.error(s.at, s.path, in_quotes(s.value) + " is not a site", "use a code from [[sites]]");
                }
            });
            each("work", [&](const located<std::string>& w) {
                if (!known(config_.language.work, w.value)) {
                    sink_.error(w.at, w.path, in_quotes(w.value) + " is not a work code",
                                "use a code of the work table");
                }
            });
            each("hazards", [&](const located<std::string>& h) {
                if (!known(config_.language.hazards, h.value)) {
                    sink_.error(h.at, h.path, in_quotes(h.value) + " is not a hazard code",
                                "use a code of the hazard table");
                }
            });
            each("statuses", [&](const located<std::string>& st) {
                if (!known(config_.language.statuses, st.value)) {
                    sink_.error(st.at, st.path, in_quotes(st.value) + " is not a tracking status",
                                "use a status code such as WORK or MISS");
                }
            });
        }
    }

    std::optional<std::chrono::minutes> read_time(table_reader& r, std::string_view key, bool allow_24) {
        const auto text = r.get_string(key);
        if (!text) {
            return std::nullopt;
        }
        if (const auto time = parse_time_of_day(*text, allow_24)) {
            return time;
        }
        sink_.error(r.where(key), r.path_of(key), in_quotes(*text) + " is not a time of day",
                    "write it as HH:MM in local time, e.g. \"09:00\"");
        return std::nullopt;
    }

    void check_outbound_channel(const toml::table* alerts, table_reader& root) {
        std::vector<std::string> names;
        for (const auto& c : config_.channels) {
            names.push_back(c.name);
        }
        const std::string& name = config_.alerts.outbound_channel;
        if (name.empty()) {
            if (!names.empty() || !channel_names_.empty()) {
                sink_.error(alerts != nullptr ? outbound_at_.second : root.where(), "alerts.outbound_channel",
                            "required key is missing: alerts could not be sent",
                            "name the channel alerts go out through" +
                                (names.empty() ? "" : ": " + join(names)));
            } // no channels at all: check_inbound_channel said so
            return;
        }
        const auto* channel = config_.find_channel(name);
        if (channel == nullptr) {
            if (channel_names_.contains(name)) {
                return; // the channel itself has a problem, already reported
            }
            sink_.error(outbound_at_.second, outbound_at_.first, in_quotes(name) + " names no channel",
                        names.empty() ? "add a [[channels]] entry with this name" : choice_fix(name, names));
            return;
        }
        const auto& [path, at] = channel_at_.at(name);
        const auto missing = [&](std::string_view key, std::string_view fix) {
            sink_.error(at, detail::join_path(path, key),
                        "the outbound channel (alerts.outbound_channel) needs " + std::string(key) +
                            " to send",
                        std::string(fix));
        };
        switch (channel->type) {
        case channel_type::generic:
        case channel_type::kannel:
            if (channel->send_url.empty()) {
                missing("send_url", channel->type == channel_type::kannel
                                        ? "add send_url = \"http://127.0.0.1:13013/cgi-bin/sendsms\""
                                        : "add send_url = \"...\", where outbound messages are POSTed");
            }
            break;
        case channel_type::africastalking:
            if (channel->username.empty()) {
                missing("username", "add username = \"...\", the Africa's Talking application user name");
            }
            if (channel->password.empty()) {
                missing("password", "add password = \"...\", the Africa's Talking API key");
            }
            break;
        case channel_type::twilio:
        case channel_type::smpp:
        case channel_type::log:
            break;
        }
    }

    void read_ussd(const toml::table& t) {
        table_reader r(t, "ussd", sink_);
        auto& u = config_.ussd;
        if (const auto code = r.get_string("service_code")) {
            if (is_service_code(*code)) {
                u.service_code = *code;
            } else {
                sink_.error(r.where("service_code"), r.path_of("service_code"),
                            in_quotes(*code) + " is not a USSD service code", "write it like \"*500#\"");
            }
        }
        read_duration(r, "session_timeout_seconds", u.session_timeout, 10, 3600, "seconds");
        r.report_unknown_keys();
    }

    void read_messages(const toml::table& t) {
        table_reader r(t, "messages", sink_);
        read_duration(r, "duplicate_window_minutes", config_.messages.duplicate_window, 0, 24 * 60,
                      "minutes");
        if (const auto v = r.get_integer("max_cases_per_sender_per_hour", 1, 1000000, "cases")) {
            config_.messages.max_cases_per_sender_per_hour = static_cast<int>(*v);
        }
        r.report_unknown_keys();
    }

    // [cases]: the case life cycle and the figures (spec cases.md 2-4).
    void read_cases(const toml::table& t) {
        table_reader r(t, "cases", sink_);
        auto& c = config_.cases;
        if (const auto age = r.get_integer("min_prevention_age", 1, 17, "years")) {
            c.min_prevention_age = static_cast<int>(*age);
        }
        read_duration(r, "outcome_evidence_days", c.outcome_evidence, 1, 3650, "days");
        if (const auto bands = r.get_strings("age_bands")) {
            read_age_bands(r, *bands);
        }
        r.report_unknown_keys();
        check_age_band_coverage(r);
    }

    // "lo-hi" in years within 0..17, each band after the one before it. The bands replace the
    // default only when every one is right.
    void read_age_bands(table_reader& r, const std::vector<located<std::string>>& texts) {
        if (texts.empty()) {
            sink_.error(r.where("age_bands"), r.path_of("age_bands"), "has no age bands",
                        "list the bands in years, e.g. [\"3-4\", \"5-11\", \"12-14\", \"15-17\"]");
            return;
        }
        std::vector<cases_config::band> bands;
        bool ok = true;
        for (const auto& text : texts) {
            const auto band = parse_age_band(text.value);
            if (!band) {
                sink_.error(text.at, text.path, in_quotes(text.value) + " is not an age band",
                            "write it as \"lo-hi\" in years, e.g. \"5-11\"");
                ok = false;
                continue;
            }
            if (band->lo > band->hi) {
                sink_.error(text.at, text.path, in_quotes(text.value) + " ends before it starts",
                            "write the younger age first: \"" + std::to_string(band->hi) + "-" +
                                std::to_string(band->lo) + "\"");
                ok = false;
                continue;
            }
            if (band->hi > 17) {
                sink_.error(text.at, text.path, in_quotes(text.value) + " goes past 17",
                            "end it at 17 at most: 18 or more is an adult, never a case");
                ok = false;
                continue;
            }
            if (!bands.empty() && band->lo <= bands.back().hi) {
                const int from = bands.back().hi + 1;
                sink_.error(text.at, text.path,
                            in_quotes(text.value) + " overlaps or comes before " +
                                in_quotes(bands.back().label),
                            from > 17 ? "remove it: " + in_quotes(bands.back().label) + " already ends at 17"
                                      : "list the bands from the youngest, each starting after the last: "
                                        "start it at " +
                                            std::to_string(from) + " or later");
                ok = false;
                continue;
            }
            bands.push_back(*band);
        }
        if (ok) {
            config_.cases.age_bands = std::move(bands);
        }
    }

    static std::optional<cases_config::band> parse_age_band(std::string_view text) {
        const auto number = [](std::string_view digits) -> std::optional<int> {
            if (digits.empty() || digits.size() > 2 ||
                !std::ranges::all_of(digits, [](char c) { return c >= '0' && c <= '9'; })) {
                return std::nullopt;
            }
            int v = 0;
            for (const char c : digits) {
                v = v * 10 + (c - '0');
            }
            return v;
        };
        const auto dash = text.find('-');
        if (dash == std::string_view::npos) {
            return std::nullopt;
        }
        const auto lo = number(text.substr(0, dash));
        const auto hi = number(text.substr(dash + 1));
        if (!lo || !hi) {
            return std::nullopt;
        }
        return cases_config::band{std::string(text), *lo, *hi};
    }

    // Ages RISK and ID accept that no band holds would count in no age_band row: a warning.
    void check_age_band_coverage(table_reader& r) {
        const auto& bands = config_.cases.age_bands;
        std::vector<std::string> gaps;
        int age = config_.cases.min_prevention_age;
        while (age <= 17) {
            const auto in_band = [&](int a) {
                return std::ranges::any_of(bands, [&](const auto& b) { return b.lo <= a && a <= b.hi; });
            };
            if (in_band(age)) {
                ++age;
                continue;
            }
            const int from = age;
            while (age <= 17 && !in_band(age)) {
                ++age;
            }
            gaps.push_back(from == age - 1 ? std::to_string(from)
                                           : std::to_string(from) + "-" + std::to_string(age - 1));
        }
        if (!gaps.empty()) {
            sink_.warning(r.where("age_bands"), r.path_of("age_bands"),
                          "ages " + join(gaps) +
                              " are in no age band, so their cases count in no age_band row",
                          "add bands for them (a case's band is that of its age)");
        }
    }

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
};

} // namespace

load_result parse_config(std::string_view text, std::string_view source_name) {
    problem_sink sink{std::string(source_name)};
    load_result result;
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        sink.error(e.source().begin, "", std::string(e.description()),
                   "correct the TOML syntax here: quotes around text, brackets, one key = value per line");
        result.problems = sink.take();
        return result;
    }
    gateway_config config = config_reader(sink).read(root);
    if (!sink.has_errors()) {
        result.config = std::move(config);
    }
    result.problems = sink.take();
    return result;
}

std::vector<problem> check_registry(const gateway_config& c, std::string_view source_name,
                                    const stored_registry* store, std::string_view store_path) {
    std::vector<problem> out;
    const auto missing = [&](std::string key, std::string what, std::string fix) {
        std::string message = "no " + key + ": " + what;
        if (store == nullptr) {
            message += ", and the store " + std::string(store_path) + " does not exist yet to hold any";
        } else {
            message += ", and the store " + std::string(store_path) + " holds none";
        }
        out.push_back(problem{std::string(source_name), 0, 0, key, std::move(message), std::move(fix),
                              severity::error});
    };
    if (c.sites.empty() && (store == nullptr || store->sites.empty())) {
        missing("sites", "every report would name an unknown site",
                "add a [[sites]] entry, e.g. code = \"ALT\", area = \"Bayankhongor/Bayan-Ovoo\"");
    }
    if (c.teams.empty() && (store == nullptr || store->team_areas.empty())) {
        missing("teams", "alerts would reach nobody",
                "add a [[teams]] entry with areas and members, one of them role = \"leader\"");
    } else if (c.teams.empty()) {
        for (const auto& site : c.sites) {
            if (std::ranges::none_of(store->team_areas,
                                     [&](const std::string& a) { return area_covers(a, site.area); })) {
                out.push_back(problem{std::string(source_name), 0, 0, "sites",
                                      "no team in the store covers " + in_quotes(site.area) +
                                          ", so reports from " + site.code + " would alert nobody",
                                      "add a [[teams]] entry covering " + in_quotes(site.area),
                                      severity::error});
            }
        }
    }
    return out;
}

load_result load_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        load_result result;
        result.problems.push_back(problem{path.string(), 0, 0, "",
                                          "cannot read the file: " + std::string(std::strerror(err)),
                                          "check the path given to --config", severity::error});
        return result;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), path.string());
}

} // namespace kharuul::config
