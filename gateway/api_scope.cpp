#include "gateway/api_scope.hpp"

#include "alerts/routing.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/time_text.hpp"
#include "store/registry.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>

namespace kharuul::gateway::api {

namespace json = boost::json;

// ---- parameters --------------------------------------------------------------------------------

void reject(std::string_view name, std::string_view value, std::string_view accepts) {
    throw bad_parameter{error_answer(http::status::bad_request,
                                     "parameter '" + std::string(name) + "' is '" + printable(value) +
                                         "': it takes " + std::string(accepts),
                                     "correct or leave out '" + std::string(name) + "'")};
}

query_params::query_params(const api_request& rq, const api_context& ctx, std::initializer_list<std::string_view> known)
    : rq_(rq), ctx_(ctx) {
    for (const auto& [key, value] : rq.query) {
        if (key == "format")
            continue;
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            std::string names;
            for (auto k : known)
                names += (names.empty() ? "" : ", ") + std::string(k);
            throw bad_parameter{error_answer(
                http::status::bad_request, "unknown parameter '" + printable(key) + "'",
                names.empty() ? "this endpoint takes no parameters" : "this endpoint takes " + names)};
        }
    }
}

std::optional<std::string> query_params::text(std::string_view name) const {
    const auto it = rq_.query.find(name);
    if (it == rq_.query.end() || trim(it->second).empty())
        return std::nullopt;
    return std::string(trim(it->second));
}

namespace {

std::optional<std::int64_t> whole_number(std::string_view s) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || end != s.data() + s.size())
        return std::nullopt;
    return n;
}

} // namespace

std::size_t query_params::limit() const {
    const auto t = text("limit");
    if (!t)
        return 100;
    const auto n = whole_number(*t);
    if (!n || *n < 1 || *n > 1000)
        reject("limit", *t, "a whole number from 1 to 1000 (default 100)");
    return static_cast<std::size_t>(*n);
}

std::optional<std::int64_t> query_params::id(std::string_view name) const {
    const auto t = text(name);
    if (!t)
        return std::nullopt;
    const auto n = whole_number(*t);
    if (!n || *n < 0)
        reject(name, *t, "a record's id, a whole number (the `next` of the page before)");
    return n;
}

std::optional<store::timestamp> query_params::time(std::string_view name, bool until_bound) const {
    const auto t = text(name);
    if (!t)
        return std::nullopt;
    const auto offset = ctx_.cfg ? ctx_.cfg->alerts.utc_offset : std::chrono::minutes{0};
    auto at = parse_time_bound(*t, until_bound ? time_bound::until : time_bound::since, offset, rq_.now);
    if (!at)
        reject(name, *t, "a date (2026-11-25, local time), a local time (2026-11-25T17:30), an ISO time with "
                         "its offset, or a span back from now (24h, 7d)");
    return at;
}

std::optional<store::phone_match> query_params::phone(std::string_view name) const {
    const auto t = text(name);
    if (!t)
        return std::nullopt;
    static const config::gateway_config fallback{};
    auto p = phone_filter_of(*t, ctx_.cfg ? *ctx_.cfg : fallback);
    if (!p)
        reject(name, *t, "a phone number, whole (+97699000001, 99000001) or its last digits (0001)");
    return p;
}

bool query_params::flag(std::string_view name, bool fallback) const {
    const auto t = text(name);
    if (!t)
        return fallback;
    const std::string v = lower(*t);
    if (v == "true" || v == "1" || v == "yes")
        return true;
    if (v == "false" || v == "0" || v == "no")
        return false;
    reject(name, *t, "true or false");
}

bool query_params::csv() const {
    const auto t = text("format");
    if (!t || *t == "json")
        return false;
    if (*t == "csv")
        return true;
    reject("format", *t, "json (the default) or csv");
}

// ---- scope -------------------------------------------------------------------------------------

read_scope::read_scope(store::connection& db, const principal& who) : who_(who) {
    for (const auto& s : store::list_sites(db))
        area_of_site_[s.code] = s.area;
    if (who_.who != role::team)
        return;
    for (const auto& t : store::list_teams(db))
        if (t.definition.name == who_.team)
            for (const auto& m : t.definition.members) {
                known_.insert(m.phone);
                team_members_.insert(m.phone);
            }
    for (const auto& r : store::list_reporters(db, true))
        if (std::any_of(r.sites.begin(), r.sites.end(), [&](const std::string& s) { return site_in_scope(s); })) {
            known_.insert(r.phone);
            reporters_in_scope_.insert(r.phone);
        }
}

std::string read_scope::area_of(std::string_view site) const {
    const auto it = area_of_site_.find(site);
    return it == area_of_site_.end() ? std::string{} : it->second;
}

bool read_scope::site_in_scope(std::string_view site) const {
    if (administers(who_))
        return true;
    if (who_.who != role::team)
        return false;
    const auto it = area_of_site_.find(site);
    return it != area_of_site_.end() && in_scope(who_, it->second);
}

bool read_scope::known(std::string_view phone) const {
    return administers(who_) || known_.count(phone) != 0;
}

bool read_scope::case_visible(std::string_view site, bool sensitive) const {
    return site_in_scope(site) && (!sensitive || sensitive_visible());
}

read_scope::message_view read_scope::message(store::connection& db, const store::message_record& m) const {
    message_view v;
    const auto events = store::events_of_message(db, m.id);
    bool any_site = false;
    bool site_ok = false;
    for (const auto& e : events) {
        const event_view ev = event(db, e);
        v.sensitive = v.sensitive || ev.sensitive;
        if (e.site) {
            if (!v.site)
                v.site = e.site;
            any_site = true;
            site_ok = site_ok || site_in_scope(*e.site);
        }
    }
    if (administers(who_))
        v.visible = true;
    else if (who_.who != role::team)
        v.visible = false;
    else if (any_site)
        v.visible = site_ok;
    else
        v.visible = reporters_in_scope_.count(m.sender) != 0 || team_members_.count(m.sender) != 0;
    if (v.sensitive && !sensitive_visible())
        v.visible = false;
    return v;
}

read_scope::event_view read_scope::event(store::connection& db, const store::event_record& e) const {
    event_view v;
    v.sensitive = e.sensitive;
    if (!v.sensitive && e.case_code)
        if (auto c = store::find_case(db, *e.case_code))
            v.sensitive = c->sensitive;
    v.visible = (administers(who_) || any_site_in_scope(e.site)) && (!v.sensitive || sensitive_visible());
    return v;
}

bool read_scope::alert_visible(const store::alert_record& a) const {
    return case_visible(a.site, a.sensitive);
}

read_scope::outbox_view read_scope::outbox(store::connection& db, const store::outbox_record& m) const {
    outbox_view v;
    bool linked_in_scope = false;
    if (m.alert_id)
        if (auto a = store::find_alert(db, *m.alert_id)) {
            v.sensitive = a->sensitive;
            linked_in_scope = site_in_scope(a->site);
        }
    if (m.message_id)
        if (auto msg = store::find_message(db, *m.message_id)) {
            const message_view mv = message(db, *msg);
            v.sensitive = v.sensitive || mv.sensitive;
            linked_in_scope = linked_in_scope || mv.visible;
        }
    v.visible = administers(who_) ||
                (who_.who == role::team && (team_members_.count(m.recipient) != 0 || linked_in_scope));
    if (v.sensitive && !sensitive_visible())
        v.visible = false;
    return v;
}

void read_scope::mask_keys(json::object& row, std::initializer_list<std::string_view> keys) const {
    for (auto k : keys) {
        const auto it = row.find(k);
        if (it != row.end() && it->value().is_string())
            it->value() = phone(std::string_view(it->value().get_string()));
    }
}

void read_scope::mask_message(json::object& row) const { mask_keys(row, {"sender", "recipient"}); }
void read_scope::mask_event(json::object& row) const { mask_keys(row, {"reporter"}); }
void read_scope::mask_case(json::object& row) const { mask_keys(row, {"opened_by", "last_followed_by"}); }
void read_scope::mask_alert(json::object& row) const { mask_keys(row, {"reporter", "acked_by"}); }
void read_scope::mask_outbox(json::object& row) const { mask_keys(row, {"recipient"}); }

void read_scope::mask_history(json::object& row, std::string_view key) const {
    const auto it = row.find(key);
    if (it == row.end() || !it->value().is_array())
        return;
    for (auto& h : it->value().get_array())
        if (h.is_object()) {
            auto& o = h.get_object();
            // A coordinator's correction is written by "cli:NAME": no phone.
            const auto actor = o.find("actor");
            if (actor != o.end() && actor->value().is_string() &&
                std::string_view(actor->value().get_string()).starts_with("cli:"))
                continue;
            mask_keys(o, {"actor", "phone"});
        }
}

audit_note read_note(std::string object, const principal& who) {
    audit_note n;
    n.action = "read";
    n.object = std::move(object);
    n.detail["role"] = to_string(who.who);
    if (!who.team.empty())
        n.detail["team"] = who.team;
    return n;
}

api_answer list_answer(std::string_view name, json::array rows, std::optional<std::int64_t> next) {
    api_answer a;
    json::object o;
    o[name] = std::move(rows);
    o["next"] = next ? json::value(std::to_string(*next)) : json::value(nullptr);
    a.body = std::move(o);
    return a;
}

} // namespace kharuul::gateway::api
