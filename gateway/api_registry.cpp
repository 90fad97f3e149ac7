#include "gateway/api_registry.hpp"

#include "gateway/api_registry_json.hpp"
#include "parser/phone.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>

namespace kharuul::gateway {
namespace {

namespace json = boost::json;
using namespace registry_api;
using api::http::status;
using api::http::verb;

// Whole phones, for the audit detail (changed_fields masks them).
api::principal whole_view() {
    api::principal p;
    p.who = api::role::admin;
    return p;
}

api::api_answer ok(json::object body, status st = status::ok) {
    api::api_answer a;
    a.status = st;
    a.body = std::move(body);
    return a;
}

api::api_answer list_of(std::string_view name, json::array rows) {
    return ok({{name, std::move(rows)}, {"next", nullptr}});
}

api::api_answer written(json::object record, status st, std::string action, std::string object, json::object detail) {
    api::api_answer a = ok(std::move(record), st);
    a.audits.push_back({std::move(action), std::move(object), std::move(detail)});
    a.registry_changed = true;
    return a;
}

std::string required_text(const body& b, std::string_view key, std::string next) {
    auto v = b.text(key);
    if (!v)
        bad_field(key, "missing", std::move(next));
    return *v;
}

[[noreturn]] void uncovered_conflict(const std::vector<std::string>& sites) {
    std::string list;
    for (const auto& s : sites)
        list += (list.empty() ? "" : ", ") + s;
    refuse(status::conflict,
           (sites.size() == 1 ? "site " + list + " would be" : "sites " + list + " would be") +
               " in an area no team covers, so its reports would alert nobody",
           "add the area (or one containing it) to a team's areas first, or deactivate the site");
}

// What a store refusal means to the caller: 404, 409 or (a broken invariant) an exception.
[[noreturn]] void store_refused(std::error_code e, std::string_view what, const std::vector<std::string>& uncovered) {
    using store::errc;
    if (e == errc::site_uncovered)
        uncovered_conflict(uncovered);
    if (e == errc::unknown_site || e == errc::unknown_team || e == errc::unknown_coordinator ||
        e == errc::unknown_reporter)
        refuse(status::not_found, "no such " + std::string(what));
    if (e == errc::site_exists || e == errc::team_exists || e == errc::coordinator_exists ||
        e == errc::reporter_exists)
        refuse(status::conflict, std::string(what) + " exists already",
               "change it with PUT (or PATCH) at its address instead");
    throw std::system_error(e);
}

void check(store::result<void> r, std::string_view what, const std::vector<std::string>& uncovered = {}) {
    if (!r)
        store_refused(r.error(), what, uncovered);
}

[[noreturn]] void not_allowed(bool item) {
    refuse(status::method_not_allowed, "method not allowed here",
           item ? "use GET, PUT, PATCH or DELETE" : "use GET or POST");
}

class registry_endpoints {
public:
    registry_endpoints(store::connection& db, const api::principal& who, const api::api_request& rq,
                       const api::api_context& ctx)
        : db_(db), who_(who), rq_(rq), ctx_(ctx) {}

    api::api_answer serve() {
        const std::string& kind = rq_.path[0];
        if (rq_.path.size() > 2)
            refuse(status::not_found, "no such " + kind.substr(0, kind.size() - 1) + " address",
                   "use /api/v1/" + kind + " or /api/v1/" + kind + "/{id}");
        const bool item = rq_.path.size() == 2;
        const verb m = rq_.method;
        if (m != verb::get && (item ? m != verb::put && m != verb::patch && m != verb::delete_ : m != verb::post))
            not_allowed(item);
        if (!api::sees_records(who_) || (m != verb::get && !api::administers(who_)))
            return api::forbidden();
        if (kind == "sites")
            return item ? site(rq_.path[1]) : sites();
        if (kind == "teams")
            return item ? team(rq_.path[1]) : teams();
        if (kind == "coordinators")
            return item ? coordinator(phone_in_path()) : coordinators();
        return item ? reporter(phone_in_path()) : reporters();
    }

private:
    store::connection& db_;
    const api::principal& who_;
    const api::api_request& rq_;
    const api::api_context& ctx_;

    std::string phone_in_path() const {
        return parser::normalise_phone(rq_.path[1], ctx_.cfg ? ctx_.cfg->server.country_code : std::string());
    }

    // ---- sites ------------------------------------------------------------------------------

    api::api_answer sites() {
        if (rq_.method == verb::get) {
            json::array rows;
            for (const auto& s : store::list_sites(db_))
                if (api::in_scope(who_, s.area))
                    rows.push_back(site_json(s));
            return list_of("sites", std::move(rows));
        }
        const body b(rq_.body, {"code", "name", "kind", "area"});
        store::site s;
        s.code = site_code_value(required_text(b, "code", "add \"code\": \"ALT\": what volunteers type"), "code");
        s.name = name_value(b.text("name").value_or(""), "name");
        s.kind = site_kind_value(b.text("kind").value_or("other"), "kind");
        s.area = area_value(required_text(b, "area", "add \"area\": \"Aimag/Soum\""), "area");
        if (auto held = store::find_site(db_, s.code))
            refuse(status::conflict, "site " + s.code + " exists already" + (held->active ? "" : " (inactive)"),
                   held->active ? "change it with PUT /api/v1/sites/" + s.code
                                : "take it back with PUT /api/v1/sites/" + s.code + " and \"active\": true");
        std::vector<std::string> uncovered;
        check(store::create_site(db_, s, &uncovered), "site " + s.code, uncovered);
        json::object after = site_json(*store::find_site(db_, s.code));
        return written(after, status::created, "create", "site " + s.code, changed_fields(nullptr, after));
    }

    api::api_answer site(const std::string& code) {
        const auto held = store::find_site(db_, code);
        if (!held || !api::in_scope(who_, held->area))
            return api::not_found("site");
        const json::object before = site_json(*held);
        if (rq_.method == verb::get)
            return ok(before);
        if (rq_.method == verb::delete_) {
            auto r = store::deactivate_site(db_, code);
            if (!r)
                refuse(status::conflict, "site " + code + " is inactive already",
                       "take it back with PUT /api/v1/sites/" + code + " and \"active\": true");
            json::object after = site_json(*store::find_site(db_, code));
            json::object detail = changed_fields(&before, after);
            detail["open_cases"] = r->open_cases;
            after["open_cases"] = r->open_cases;
            return written(after, status::ok, "delete", "site " + code, std::move(detail));
        }
        const bool patch = rq_.method == verb::patch;
        const body b(rq_.body, {"code", "name", "kind", "area", "active"});
        if (auto c = b.text("code"); c && *c != code)
            bad_field("code", "a site's code does not change (events and cases name it)",
                      "create a new site with POST /api/v1/sites and deactivate this one");
        store::site s = *held;
        if (!patch) {
            s.name.clear();
            s.kind = "other";
        }
        if (auto v = b.text("name"))
            s.name = name_value(*v, "name");
        if (auto v = b.text("kind"))
            s.kind = site_kind_value(*v, "kind");
        if (auto v = b.text("area"))
            s.area = area_value(*v, "area");
        else if (!patch)
            bad_field("area", "missing", "PUT replaces the site: give \"area\" (or use PATCH)");
        if (auto v = b.flag("active"))
            s.active = *v;
        std::vector<std::string> uncovered;
        check(store::update_site(db_, s, &uncovered), "site " + code, uncovered);
        json::object after = site_json(*store::find_site(db_, code));
        return written(after, status::ok, "update", "site " + code, changed_fields(&before, after));
    }

    // ---- teams ------------------------------------------------------------------------------

    bool own_team(std::string_view name) const { return who_.who == api::role::team && who_.team == name; }
    bool sees_team(std::string_view name) const { return api::administers(who_) || own_team(name); }

    json::object shown_team(const store::team_record& t, const api::principal& who) const {
        return team_json(t.definition, t.from_config, who, own_team(t.definition.name));
    }

    // The team a body describes: `base` for PATCH (fields absent keep theirs), empty otherwise.
    store::team team_of(const body& b, store::team t, bool patch) {
        if (!patch) {
            t.sensitive_cases = false;
            t.areas.clear();
            t.members.clear();
        }
        if (auto v = b.flag("sensitive_cases"))
            t.sensitive_cases = *v;
        if (auto areas = b.texts("areas")) {
            if (areas->empty())
                bad_field("areas", "is empty", "list the areas the team covers, e.g. [\"Bayankhongor/Bayan-Ovoo\"]");
            t.areas.clear();
            for (std::size_t i = 0; i < areas->size(); ++i)
                t.areas.push_back(area_value((*areas)[i], "areas[" + std::to_string(i) + "]"));
        } else if (!patch) {
            bad_field("areas", "missing", "add \"areas\": [\"Aimag/Soum\"]: the team gets their alerts");
        }
        if (const json::array* members = b.array("members"))
            t.members = members_value(*members, ctx_);
        else if (!patch)
            bad_field("members", "missing",
                      "add \"members\": [{\"phone\": \"+97699000101\", \"name\": \"...\", \"role\": \"leader\"}]");
        return t;
    }

    api::api_answer teams() {
        if (rq_.method == verb::get) {
            json::array rows;
            for (const auto& t : store::list_teams(db_))
                if (sees_team(t.definition.name))
                    rows.push_back(shown_team(t, who_));
            return list_of("teams", std::move(rows));
        }
        const body b(rq_.body, {"name", "areas", "sensitive_cases", "members"});
        store::team t;
        t.name = name_value(required_text(b, "name", "add \"name\": \"...\": shown to coordinators"), "name");
        if (t.name.empty())
            bad_field("name", "is empty", "give the team a name");
        t = team_of(b, std::move(t), false);
        if (store::find_team(db_, t.name))
            refuse(status::conflict, "team " + t.name + " exists already",
                   "change it with PUT /api/v1/teams/{name}");
        std::vector<std::string> uncovered;
        check(store::create_team(db_, t, &uncovered), "team " + t.name, uncovered);
        const auto made = store::find_team(db_, t.name);
        json::object after = shown_team(*made, whole_view());
        return written(shown_team(*made, who_), status::created, "create", "team " + t.name,
                       changed_fields(nullptr, after));
    }

    api::api_answer team(const std::string& name) {
        const auto held = store::find_team(db_, name);
        if (!held || !sees_team(name))
            return api::not_found("team");
        if (rq_.method == verb::get)
            return ok(shown_team(*held, who_));
        const json::object before = shown_team(*held, whole_view());
        std::vector<std::string> uncovered;
        if (rq_.method == verb::delete_) {
            check(store::remove_team(db_, name, &uncovered), "team " + name, uncovered);
            store::team_record gone = *held;
            gone.definition.areas.clear();
            gone.definition.members.clear();
            gone.from_config = false;
            json::object after = shown_team(gone, whole_view());
            return written(shown_team(gone, who_), status::ok, "delete", "team " + name,
                           changed_fields(&before, after));
        }
        const body b(rq_.body, {"name", "areas", "sensitive_cases", "members"});
        if (auto n = b.text("name"); n && *n != name)
            bad_field("name", "a team is not renamed (team tokens name it)",
                      "create a new team with POST /api/v1/teams and remove this one");
        store::team t = team_of(b, held->definition, rq_.method == verb::patch);
        t.name = name;
        check(store::update_team(db_, t, &uncovered), "team " + name, uncovered);
        const auto now = store::find_team(db_, name);
        json::object after = shown_team(*now, whole_view());
        return written(shown_team(*now, who_), status::ok, "update", "team " + name, changed_fields(&before, after));
    }

    // ---- coordinators -----------------------------------------------------------------------

    api::api_answer coordinators() {
        if (rq_.method == verb::get) {
            json::array rows;
            for (const auto& c : store::list_coordinators(db_))
                rows.push_back(coordinator_json(c, true, who_));
            return list_of("coordinators", std::move(rows));
        }
        const body b(rq_.body, {"phone", "name", "lang"});
        store::coordinator c;
        c.phone = phone_value(required_text(b, "phone", "add \"phone\": \"+97699000301\""), "phone", ctx_);
        c.name = name_value(b.text("name").value_or(""), "name");
        c.lang = lang_value(b.text("lang").value_or("mn"), "lang");
        const std::string object = "coordinator " + parser::mask_phone(c.phone);
        check(store::create_coordinator(db_, c), object);
        json::object after = coordinator_json(*store::find_coordinator(db_, c.phone), true, whole_view());
        return written(coordinator_json(*store::find_coordinator(db_, c.phone), true, who_), status::created,
                       "create", object, changed_fields(nullptr, after));
    }

    api::api_answer coordinator(const std::string& phone) {
        const auto held = store::find_coordinator(db_, phone);
        if (!held)
            return api::not_found("coordinator");
        if (rq_.method == verb::get)
            return ok(coordinator_json(*held, true, who_));
        const std::string object = "coordinator " + parser::mask_phone(phone);
        const json::object before = coordinator_json(*held, true, whole_view());
        if (rq_.method == verb::delete_) {
            check(store::remove_coordinator(db_, phone), object);
            store::coordinator gone = *held;
            gone.from_config = false;
            json::object after = coordinator_json(gone, false, whole_view());
            return written(coordinator_json(gone, false, who_), status::ok, "delete", object,
                           changed_fields(&before, after));
        }
        const bool patch = rq_.method == verb::patch;
        const body b(rq_.body, {"phone", "name", "lang"});
        if (auto p = b.text("phone"); p && phone_value(*p, "phone", ctx_) != phone)
            bad_field("phone", "a coordinator's phone does not change",
                      "add the new number with POST /api/v1/coordinators and remove this one");
        store::coordinator c = *held;
        c.name = patch ? c.name : std::string();
        c.lang = patch ? c.lang : std::string("mn");
        if (auto v = b.text("name"))
            c.name = name_value(*v, "name");
        if (auto v = b.text("lang"))
            c.lang = lang_value(*v, "lang");
        check(store::update_coordinator(db_, c), object);
        const auto now = store::find_coordinator(db_, phone);
        json::object after = coordinator_json(*now, true, whole_view());
        return written(coordinator_json(*now, true, who_), status::ok, "update", object, changed_fields(&before, after));
    }

    // ---- reporters --------------------------------------------------------------------------

    // The reporter's sites this principal may see (all for admin and coordinator).
    std::vector<std::string> visible_sites(const store::reporter_record& r) {
        if (api::administers(who_))
            return r.sites;
        std::vector<std::string> out;
        for (const auto& code : r.sites)
            if (auto s = store::find_site(db_, code); s && api::in_scope(who_, s->area))
                out.push_back(code);
        return out;
    }

    json::object shown_reporter(const store::reporter_record& r) { return reporter_json(r, visible_sites(r), who_); }
    json::object whole_reporter(const store::reporter_record& r) { return reporter_json(r, r.sites, whole_view()); }

    std::optional<store::reporter_record> any_reporter(const std::string& phone) {
        for (auto& r : store::list_reporters(db_, true))
            if (r.phone == phone)
                return std::move(r);
        return std::nullopt;
    }

    void read_reporter_fields(const body& b, store::reporter& r, bool patch) {
        if (auto v = b.text("name"))
            r.name = name_value(*v, "name");
        if (auto v = b.text("lang"))
            r.lang = lang_value(*v, "lang");
        if (auto v = b.text("kind"))
            r.kind = reporter_kind_value(*v, "kind");
        if (auto sites = b.texts("sites")) {
            if (sites->empty())
                bad_field("sites", "is empty", "list the site codes the reporter watches, e.g. [\"ALT\"]");
            r.sites.clear();
            for (std::size_t i = 0; i < sites->size(); ++i) {
                const std::string field = "sites[" + std::to_string(i) + "]";
                const std::string code = site_code_value((*sites)[i], field);
                const auto s = store::find_site(db_, code);
                if (!s || !s->active)
                    bad_field(field, "\"" + code + "\" is not an active site",
                              s ? "take it back with PUT /api/v1/sites/" + code + " and \"active\": true"
                                : "create it first with POST /api/v1/sites");
                if (std::find(r.sites.begin(), r.sites.end(), code) == r.sites.end())
                    r.sites.push_back(code);
            }
        } else if (!patch) {
            bad_field("sites", "missing", "add \"sites\": [\"ALT\"]: the site codes the reporter watches");
        }
    }

    api::api_answer reporters() {
        if (rq_.method == verb::get) {
            json::array rows;
            for (const auto& r : store::list_reporters(db_))
                if (api::administers(who_) || !visible_sites(r).empty())
                    rows.push_back(shown_reporter(r));
            return list_of("reporters", std::move(rows));
        }
        const body b(rq_.body, {"phone", "name", "lang", "kind", "sites"});
        store::reporter r;
        r.phone = phone_value(required_text(b, "phone", "add \"phone\": \"+97699000001\""), "phone", ctx_);
        read_reporter_fields(b, r, false);
        const std::string object = "reporter " + parser::mask_phone(r.phone);
        check(store::add_reporter(db_, r, rq_.now), object);
        const auto made = store::find_reporter(db_, r.phone);
        return written(shown_reporter(*made), status::created, "create", object,
                       changed_fields(nullptr, whole_reporter(*made)));
    }

    api::api_answer reporter(const std::string& phone) {
        const auto held = store::find_reporter(db_, phone);
        if (!held || (!api::administers(who_) && visible_sites(*held).empty()))
            return api::not_found("reporter");
        if (rq_.method == verb::get)
            return ok(shown_reporter(*held));
        const std::string object = "reporter " + parser::mask_phone(phone);
        const json::object before = whole_reporter(*held);
        if (rq_.method == verb::delete_) {
            check(store::remove_reporter(db_, phone), object);
            const auto gone = any_reporter(phone);
            return written(shown_reporter(*gone), status::ok, "delete", object,
                           changed_fields(&before, whole_reporter(*gone)));
        }
        const bool patch = rq_.method == verb::patch;
        const body b(rq_.body, {"phone", "name", "lang", "kind", "sites"});
        if (auto p = b.text("phone"); p && phone_value(*p, "phone", ctx_) != phone)
            bad_field("phone", "a reporter's phone does not change",
                      "register the new number with POST /api/v1/reporters and remove this one");
        store::reporter r{phone, held->name, held->lang, held->kind, held->sites};
        if (!patch) {
            r.name.clear();
            r.lang = "mn";
            r.kind = "volunteer";
        }
        read_reporter_fields(b, r, patch);
        check(store::update_reporter(db_, r), object);
        const auto now = store::find_reporter(db_, phone);
        return written(shown_reporter(*now), status::ok, "update", object,
                       changed_fields(&before, whole_reporter(*now)));
    }
};

} // namespace

std::optional<api::api_answer> serve_registry(store::connection& db, const api::principal& who,
                                              const api::api_request& rq, const api::api_context& ctx) {
    static const std::set<std::string, std::less<>> ours{"sites", "teams", "coordinators", "reporters"};
    if (rq.path.empty() || !ours.contains(rq.path[0]))
        return std::nullopt;
    try {
        return registry_endpoints(db, who, rq, ctx).serve();
    } catch (refusal& r) {
        return std::move(r.answer);
    }
}

} // namespace kharuul::gateway
