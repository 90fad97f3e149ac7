// GET /api/v1/cases (`kharuul cases`), /cases/{code} (`kharuul case CODE`: the case, its history
// and service record), /alerts (`kharuul log --alerts`) and /alerts/{n} (`kharuul log --alert N`):
// the same store functions and row builders, each record through the request's scope. A case or
// alert outside a team's areas, or sensitive where the principal may not see one, is 404.
#include "gateway/api_read_endpoints.hpp"

#include "alerts/routing.hpp"
#include "cases/case_fsm.hpp"
#include "gateway/case_listing.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/export_rows.hpp"
#include "parser/case_code.hpp"
#include "store/registry.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace kharuul::gateway::api {

namespace json = boost::json;

namespace {

json::object shown_case(const read_scope& scope, const store::case_record& c, const std::string& area,
                        const std::string& team) {
    json::object row = case_row(c);
    scope.mask_case(row);
    row["area"] = area.empty() ? json::value(nullptr) : json::value(area);
    row["team"] = team.empty() ? json::value(nullptr) : json::value(team);
    return row;
}

} // namespace

api_answer get_cases(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx) {
    const query_params q(rq, ctx, {"site", "area", "team", "state", "target", "overdue", "limit"});
    store::case_filter f;
    const auto sites = store::list_sites(db);
    if (auto site = q.text("site")) {
        *site = upper(*site);
        if (std::none_of(sites.begin(), sites.end(), [&](const store::site& s) { return s.code == *site; }))
            reject("site", *site, "a site's code as the registry has it (" + known_sites(db) + ")");
        if (!scope.site_in_scope(*site))
            return not_found("site " + *site);
        f.site = site;
    }
    if (auto area = q.text("area")) {
        if (std::none_of(sites.begin(), sites.end(),
                         [&](const store::site& s) { return alerts::area_covers(*area, s.area); }))
            reject("area", *area, "an area some site lies in, written as the sites' area (Ulaanbaatar/Nalaikh)");
        f.area = area;
    }
    if (const auto states = q.text("state")) {
        std::stringstream list(*states);
        for (std::string s; std::getline(list, s, ',');) {
            const auto st = cases::case_state_from(std::string(trim(s)));
            if (!st)
                reject("state", s,
                       "states, comma-separated: reported, confirmed, dismissed, merged, planned, outcome, "
                       "re_engaged, lost, closed");
            f.states.push_back(*st);
        }
    }
    if (const auto t = q.text("target")) {
        const auto goal = cases::target_from(upper(*t));
        if (!goal || *goal == cases::target::none)
            reject("target", *t, "W (withdrawal) or P (prevention)");
        f.goal = goal;
    }
    if (q.flag("overdue")) {
        const auto every = ctx.cfg ? ctx.cfg->alerts.reminder_after : std::chrono::days{30};
        f.news_before = rq.now - std::chrono::duration_cast<std::chrono::milliseconds>(every);
    }
    const auto team = q.text("team");
    if (team) {
        const auto teams = report_teams(db);
        if (std::none_of(teams.begin(), teams.end(), [&](const auto& t) { return t.name == *team; }))
            reject("team", *team, "a team's name as the registry has it");
    }
    const std::size_t limit = q.limit();
    const bool csv = q.csv();
    std::vector<json::object> shown;
    api_answer a;
    bool more = false;
    for (const auto& [c, area, owner] : list_cases_with_team(db, f, team)) {
        if (!scope.case_visible(c.site, c.sensitive))
            continue;
        if (shown.size() == limit) {
            more = true;
            break;
        }
        if (c.sensitive)
            a.audits.push_back(read_note("case " + c.code, scope.who()));
        shown.push_back(shown_case(scope, c, area, owner));
    }
    (void)more; // the list is ordered by tracking news, not by id: no cursor (limit up to 1000)
    std::vector<audit_note> audits = std::move(a.audits);
    if (csv) {
        std::ostringstream out;
        write_export(out, true, case_columns, shown, [](const json::object& o) { return o; });
        a.csv = out.str();
        a.csv_name = "cases.csv";
    } else {
        a = list_answer("cases", json::array(shown.begin(), shown.end()), std::nullopt);
    }
    a.audits = std::move(audits);
    return a;
}

api_answer get_case(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx,
                    std::string_view code) {
    const query_params q(rq, ctx, {});
    const std::string wanted(code);
    std::optional<store::case_record> c;
    if (parser::check_case_code(wanted) == parser::case_code_check::valid)
        if (auto found = store::find_case(db, wanted))
            c = std::move(*found);
    if (!c || !scope.case_visible(c->site, c->sensitive))
        return not_found("case " + wanted);
    const std::string area = scope.area_of(c->site);
    const std::string team = cases::team_of(report_teams(db), area, c->sensitive);
    json::object o;
    o["case"] = shown_case(scope, *c, area, team);
    json::array history;
    for (const auto& h : store::case_history_of(db, c->code))
        history.push_back(case_history_row(h));
    o["history"] = std::move(history);
    json::array services;
    for (const auto& s : store::service_record_of(db, c->code))
        services.push_back(service_row(s));
    o["services"] = std::move(services);
    scope.mask_history(o, "history");
    scope.mask_history(o, "services");
    api_answer a;
    a.body = std::move(o);
    if (c->sensitive)
        a.audits.push_back(read_note("case " + c->code, scope.who()));
    return a;
}

api_answer get_alerts(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx) {
    const query_params q(rq, ctx, {"state", "site", "phone", "since", "until", "limit", "before"});
    store::alert_filter f;
    if (const auto t = q.text("state")) {
        if (!store::alert_state_from(lower(*t)))
            reject("state", *t, "open, acknowledged or closed");
        f.state = lower(*t);
    }
    if (auto site = q.text("site")) {
        *site = upper(*site);
        if (!store::find_site(db, *site))
            reject("site", *site, "a site's code as the registry has it (" + known_sites(db) + ")");
        if (!scope.site_in_scope(*site))
            return not_found("site " + *site);
        f.site = site;
    }
    f.phone = q.phone("phone");
    f.range = {q.time("since", false), q.time("until", true)};
    const std::size_t limit = q.limit();
    const bool csv = q.csv();
    auto p = scan_pages<store::alert_record>(
        limit, q.id("before"),
        [&](std::int64_t cursor, std::size_t n) {
            f.before_id = cursor;
            f.limit = n;
            std::vector<store::alert_record> out;
            for (const auto id : store::query_alert_ids(db, f))
                if (auto x = store::find_alert(db, id))
                    out.push_back(std::move(*x));
            return out;
        },
        [&](const store::alert_record& x) { return scope.alert_visible(x); });
    std::vector<json::object> shown;
    std::vector<audit_note> audits;
    for (const auto& x : p.rows) {
        json::object row = alert_row(x);
        scope.mask_alert(row);
        if (x.sensitive)
            audits.push_back(read_note("alert " + std::to_string(x.id), scope.who()));
        shown.push_back(std::move(row));
    }
    api_answer a;
    if (csv) {
        std::ostringstream out;
        write_export(out, true, alert_columns, shown, [](const json::object& o) { return o; });
        a.csv = out.str();
        a.csv_name = "alerts.csv";
    } else {
        a = list_answer("alerts", json::array(shown.begin(), shown.end()), p.next);
    }
    a.audits = std::move(audits);
    return a;
}

api_answer get_alert(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx,
                     std::string_view number) {
    const query_params q(rq, ctx, {});
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
    const bool is_number = ec == std::errc{} && end == number.data() + number.size() && n > 0;
    std::optional<store::alert_record> x;
    if (is_number)
        if (auto found = store::find_alert(db, n))
            x = std::move(*found);
    if (!x || !scope.alert_visible(*x))
        return not_found("alert " + std::string(number));
    json::object o;
    json::object row = alert_row(*x);
    scope.mask_alert(row);
    o["alert"] = std::move(row);
    add_alert_history(o, db, x->id);
    scope.mask_history(o, "recipients");
    scope.mask_history(o, "history");
    json::array outbox;
    for (const auto id : store::outbox_ids_of_alert(db, x->id))
        if (auto m = store::find_outbox(db, id)) {
            json::object r = outbox_row(*m);
            scope.mask_outbox(r);
            add_outbox_attempts(r, db, m->id);
            outbox.push_back(std::move(r));
        }
    o["outbox"] = std::move(outbox);
    api_answer a;
    a.body = std::move(o);
    if (x->sensitive)
        a.audits.push_back(read_note("alert " + std::to_string(x->id), scope.who()));
    return a;
}

} // namespace kharuul::gateway::api
