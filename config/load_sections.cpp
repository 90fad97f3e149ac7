// Reading [alerts] with its [[alerts.rules]], [ussd], [messages] and [cases] (config_reader.hpp).
#include "config/config_reader.hpp"

#include <algorithm>
#include <set>

namespace kharuul::config::detail {

void config_reader::read_alerts(const toml::table& t) {
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

void config_reader::read_rules(table_reader& alerts) {
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
void config_reader::check_rules() {
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

std::optional<std::chrono::minutes> config_reader::read_time(table_reader& r, std::string_view key, bool allow_24) {
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

void config_reader::check_outbound_channel(const toml::table* alerts, table_reader& root) {
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
        if (channel->api_key.empty()) {
            missing("api_key", "add api_key = \"...\", the Africa's Talking API key");
        }
        break;
    case channel_type::twilio:
    case channel_type::smpp:
    case channel_type::log:
        break;
    }
}

void config_reader::read_ussd(const toml::table& t) {
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
    read_duration(r, "resume_minutes", u.resume_minutes, 0, 24 * 60, "minutes");
    if (const auto n = r.get_integer("max_sessions", 1, 10000000, "sessions")) {
        u.max_sessions = static_cast<std::size_t>(*n);
    }
    read_ussd_menu(r);
    r.report_unknown_keys();
}

void config_reader::read_messages(const toml::table& t) {
    table_reader r(t, "messages", sink_);
    read_duration(r, "duplicate_window_minutes", config_.messages.duplicate_window, 0, 24 * 60,
                  "minutes");
    if (const auto v = r.get_integer("max_cases_per_sender_per_hour", 1, 1000000, "cases")) {
        config_.messages.max_cases_per_sender_per_hour = static_cast<int>(*v);
    }
    r.report_unknown_keys();
}

// [cases]: the case life cycle and the figures (spec cases.md 2-4).
void config_reader::read_cases(const toml::table& t) {
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
void config_reader::read_age_bands(table_reader& r, const std::vector<located<std::string>>& texts) {
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

std::optional<cases_config::band> config_reader::parse_age_band(std::string_view text) {
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
void config_reader::check_age_band_coverage(table_reader& r) {
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

} // namespace kharuul::config::detail
