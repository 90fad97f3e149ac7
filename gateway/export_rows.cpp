#include "gateway/export_rows.hpp"

#include "gateway/time_text.hpp"

#include <algorithm>

namespace kharuul::gateway {

namespace json = boost::json;

json::value opt(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value opt(const std::optional<int>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value opt(const std::optional<store::timestamp>& v) {
    return v ? json::value(format_utc_iso(*v)) : json::value(nullptr);
}

json::value codes(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& c : v)
        a.emplace_back(c);
    return a;
}

json::object message_row(const store::message_record& m) {
    json::object o;
    o["id"] = m.id;
    o["kind"] = store::to_string(m.kind);
    o["channel"] = m.channel;
    o["provider_id"] = opt(m.provider_id);
    o["sender"] = m.sender;
    o["recipient"] = m.recipient;
    o["text"] = m.text;
    o["received_at"] = format_utc_iso(m.received_at);
    o["observed_at"] = opt(m.observed_at);
    o["status"] = store::to_string(m.status);
    o["form"] = m.form ? json::value(parser::canonical_keyword(*m.form)) : json::value(nullptr);
    o["error_code"] = opt(m.error_code);
    o["duplicate_of"] = opt(m.duplicate_of);
    o["reply"] = opt(m.reply);
    o["reply_lang"] = opt(m.reply_lang);
    o["dialogue"] = opt(m.dialogue); // USSD: the steps of the dialogue `text` was taken from
    return o;
}

json::object event_row(const store::event_record& e) {
    json::object o;
    o["id"] = e.id;
    o["message_id"] = e.message_id;
    o["form"] = parser::canonical_keyword(e.form);
    o["reporter"] = e.reporter;
    o["site"] = opt(e.site);
    o["case_code"] = opt(e.case_code);
    o["boys"] = opt(e.boys);
    o["girls"] = opt(e.girls);
    o["unknown"] = opt(e.unknown);
    o["age_min"] = opt(e.age_min);
    o["age_max"] = opt(e.age_max);
    o["work"] = opt(e.work);
    o["hazards"] = codes(e.hazards);
    o["status"] = opt(e.status);
    o["service"] = opt(e.service);
    o["outcome"] = opt(e.outcome);
    o["reason"] = opt(e.reason);
    o["target"] = opt(e.target);
    o["category"] = opt(e.category);
    o["for"] = e.for_family ? json::value(*e.for_family ? "family" : "child") : json::value(nullptr);
    o["into"] = opt(e.into_case);
    o["note"] = opt(e.note);
    o["urgent"] = e.urgent;
    o["sensitive"] = e.sensitive;
    o["occurred_at"] = format_utc_iso(e.occurred_at);
    return o;
}

json::object case_row(const store::case_record& c) {
    auto text_or_null = [](const std::string& v) {
        return v.empty() ? json::value(nullptr) : json::value(v);
    };
    const cases::child_case& l = c.life;
    json::object o;
    o["serial"] = c.serial;
    o["code"] = c.code;
    o["site"] = c.site;
    o["sex"] = std::string(1, store::sex_letter(c.sex));
    o["age_min"] = c.age_min;
    o["age_max"] = c.age_max;
    o["opened_form"] = cases::to_string(c.opened_form);
    o["work"] = text_or_null(c.work);
    o["risk_reason"] = text_or_null(c.risk_reason);
    o["hazards"] = codes(c.hazards);
    o["sensitive"] = c.sensitive;
    o["state"] = cases::to_string(l.state);
    o["target"] = cases::to_string(l.goal);
    o["category"] = text_or_null(l.category);
    o["work_status"] = cases::to_string(l.work);
    o["school_status"] = cases::to_string(l.school);
    o["outcome"] =
        l.result == cases::outcome::none ? json::value(nullptr) : json::value(cases::to_string(l.result));
    o["outcome_at"] = opt(l.outcome_at);
    o["dismiss_reason"] = text_or_null(l.dismiss_reason);
    o["close_reason"] = text_or_null(l.close_reason);
    o["merged_into"] = text_or_null(l.merged_into);
    o["last_status"] = opt(c.last_status);
    o["last_service"] = opt(c.last_service);
    o["last_tr_at"] = opt(l.last_tracked_at);
    o["planned_at"] = opt(l.planned_at);
    o["opened_event_id"] = c.opened_event_id;
    o["opened_message_id"] = opt(c.opened_message_id);
    o["opened_by"] = c.opened_by;
    o["opened_at"] = format_utc_iso(c.opened_at);
    o["last_tracked_at"] = format_utc_iso(c.last_tracked_at);
    o["last_followed_by"] = c.last_followed_by;
    return o;
}

json::object case_history_row(const store::case_history_entry& h) {
    json::object o;
    o["id"] = h.id;
    o["at"] = format_utc_iso(h.at);
    o["action"] = h.action;
    o["detail"] = h.detail;
    o["actor"] = h.actor;
    o["message_id"] = opt(h.message_id);
    o["event_id"] = opt(h.event_id);
    return o;
}

json::object service_row(const store::service_record_entry& s) {
    json::object o;
    o["id"] = s.id;
    o["at"] = format_utc_iso(s.at);
    o["kind"] = s.referral ? "referral" : "service";
    o["service"] = s.service;
    o["for"] = s.family ? "family" : "child";
    o["actor"] = s.actor;
    o["message_id"] = opt(s.message_id);
    o["history_id"] = s.history_id;
    o["undone"] = s.undone;
    return o;
}

json::object alert_row(const store::alert_record& a) {
    json::object o;
    o["id"] = a.id;
    o["kind"] = store::to_string(a.kind);
    o["site"] = a.site;
    o["urgent"] = a.urgent;
    o["sensitive"] = a.sensitive;
    o["boys"] = a.boys;
    o["girls"] = a.girls;
    o["unknown"] = a.unknown;
    o["age_min"] = opt(a.age_min);
    o["age_max"] = opt(a.age_max);
    o["work"] = opt(a.work);
    o["hazards"] = codes(a.hazards);
    o["case_codes"] = codes(a.case_codes);
    o["tracking_status"] = opt(a.tracking_status);
    o["reporter"] = a.reporter;
    o["message_id"] = a.message_id;
    o["created_at"] = format_utc_iso(a.created_at);
    o["state"] = store::to_string(a.state);
    o["level"] = a.escalation.level;
    o["repeats"] = a.escalation.repeats;
    o["next_escalation_at"] = opt(a.escalation.next_escalation_at);
    o["acked_at"] = opt(a.acked_at);
    o["acked_by"] = opt(a.acked_by);
    o["folded_children"] = a.folded_children;
    return o;
}

// The JSON export's whole history of an alert: who was told (the latest telling of each person)
// and every step.
void add_alert_history(json::object& o, store::connection& db, std::int64_t alert_id) {
    json::array recipients;
    for (const auto& r : store::alert_recipients(db, alert_id)) {
        json::object x;
        x["phone"] = r.phone;
        x["name"] = r.name;
        x["role"] = store::to_string(r.role);
        x["lang"] = r.lang;
        x["level"] = r.level;
        x["told_at"] = format_utc_iso(r.told_at);
        x["outbox_id"] = opt(r.outbox_id);
        recipients.push_back(std::move(x));
    }
    json::array history;
    for (const auto& h : store::alert_history(db, alert_id)) {
        json::object x;
        x["at"] = format_utc_iso(h.at);
        x["what"] = h.what;
        x["phone"] = opt(h.phone);
        x["detail"] = h.detail;
        x["outbox_id"] = opt(h.outbox_id);
        history.push_back(std::move(x));
    }
    o["recipients"] = std::move(recipients);
    o["history"] = std::move(history);
}

json::object outbox_row(const store::outbox_record& m) {
    json::object o;
    o["id"] = m.id;
    o["channel"] = m.channel;
    o["recipient"] = m.recipient;
    o["kind"] = store::to_string(m.kind);
    o["alert_id"] = opt(m.alert_id);
    o["message_id"] = opt(m.message_id);
    o["text"] = m.text;
    o["state"] = store::to_string(m.state);
    o["attempts"] = m.attempts;
    o["created_at"] = format_utc_iso(m.created_at);
    o["next_attempt_at"] = format_utc_iso(m.next_attempt_at);
    o["sent_at"] = opt(m.sent_at);
    o["delivered_at"] = opt(m.delivered_at);
    o["provider_id"] = opt(m.provider_id);
    o["last_error"] = opt(m.last_error);
    return o;
}

// The JSON export's record of each send attempt and delivery report of an outbox row. Under
// "outbox_attempts" (the store's table), since "attempts" is the row's count of send attempts.
void add_outbox_attempts(json::object& o, store::connection& db, std::int64_t outbox_id) {
    json::array attempts;
    for (const auto& t : store::outbox_attempts(db, outbox_id)) {
        json::object x;
        x["at"] = format_utc_iso(t.at);
        x["outcome"] = t.outcome;
        x["detail"] = t.detail;
        attempts.push_back(std::move(x));
    }
    o["outbox_attempts"] = std::move(attempts);
}

namespace {

bool all_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "12", "-5", "3.5", "-0.25": digits, an optional leading '-', an optional fraction. Not "-",
// "1e5", "-2+3" or "1.".
bool is_plain_number(std::string_view s) noexcept {
    if (s.starts_with('-'))
        s.remove_prefix(1);
    const auto dot = s.find('.');
    if (dot == std::string_view::npos)
        return all_digits(s);
    return all_digits(s.substr(0, dot)) && all_digits(s.substr(dot + 1));
}

// Whether a spreadsheet would run the cell as a formula (OWASP: '=', '+', '-', '@', tab, CR).
bool may_run_as_formula(std::string_view s) noexcept {
    if (s.empty() || std::string_view("=+-@\t\r").find(s.front()) == std::string_view::npos)
        return false;
    if (s.front() == '+' && all_digits(s.substr(1)))
        return false; // a phone number: "+97699000001"
    return !is_plain_number(s);
}

} // namespace

std::string csv_cell(std::string_view text) {
    std::string s;
    s.reserve(text.size() + 1);
    for (char c : text)
        if (c != '\0')
            s += c;
    if (may_run_as_formula(s))
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + '"';
}

std::string csv_field(const json::value& v) {
    switch (v.kind()) {
    case json::kind::null:
        return {};
    case json::kind::string:
        return csv_cell(v.get_string());
    case json::kind::bool_:
        return v.get_bool() ? "true" : "false";
    case json::kind::array: {
        std::string s;
        for (const auto& c : v.get_array())
            s += (s.empty() ? "" : " ") + (c.is_string() ? std::string(c.get_string()) : json::serialize(c));
        return csv_cell(s);
    }
    default:
        return csv_cell(json::serialize(v));
    }
}

} // namespace kharuul::gateway
