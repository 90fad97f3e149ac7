// GET /api/v1/report: the figures of `kharuul report --format json`, the same bytes (one function
// for both: gateway/report_view.hpp), and ?explain=rN, what is behind one row. A team's report
// covers its own areas only (an `area` outside them is 404); a viewer's has every count under 3 as
// "<3" and no traces, and no explain (403).
#include "gateway/api_read_endpoints.hpp"

#include "gateway/export_rows.hpp"
#include "gateway/report_view.hpp"

namespace kharuul::gateway::api {

namespace json = boost::json;

api_answer get_report(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx) {
    const query_params q(rq, ctx, {"from", "until", "area", "with_corrections", "explain"});
    const principal& who = scope.who();
    const auto from_text = q.text("from");
    const auto until_text = q.text("until");
    if (!from_text)
        reject("from", "", "the first day (or time) of the period, local time: 2026-07-01");
    if (!until_text)
        reject("until", "", "the end of the period, excluded: 2026-10-01");
    // Both bounds are instants, as `kharuul report` reads them: a date is its local midnight.
    const auto from = q.time("from", false);
    const auto until = q.time("until", false);
    if (*until <= *from)
        reject("until", *until_text, "a time after `from` (until is excluded)");
    const auto explain = q.text("explain");
    if (explain && !sees_records(who))
        return forbidden();

    static const config::gateway_config defaults{};
    const config::gateway_config& cfg = ctx.cfg ? *ctx.cfg : defaults;
    report_request r;
    r.from = *from;
    r.until = *until;
    r.utc_offset = cfg.alerts.utc_offset;
    r.area = q.text("area");
    r.with_corrections = q.flag("with_corrections");
    if (who.who == role::team) {
        if (r.area && !in_scope(who, *r.area))
            return not_found("area " + *r.area);
        r.scope = who.areas.empty() ? std::vector<std::string>{"\x01none"} : who.areas;
    }
    cases::report_input in = report_input_of(db, cfg, r);
    if (r.area && !area_known(in, *r.area))
        reject("area", *r.area, "an area some site lies in, written as the sites' area (Bayankhongor/Bayan-Ovoo)");
    const std::vector<cases::report_row> rows = cases::compute_report(in);
    in = cases::report_input{};

    api_answer a;
    if (!explain) {
        a.body = report_json(r, rows, who.who == role::viewer);
        return a;
    }
    const cases::report_row* row = find_row(rows, *explain);
    if (row == nullptr)
        reject("explain", *explain, "a row's id of this report: r1 to r" + std::to_string(rows.size()));
    const explained_row x = explain_row(db, *row, scope.sensitive_visible());
    json::object o;
    o["row"] = report_row_json(*row);
    switch (x.kind) {
    case trace_kind::cases: {
        json::array list;
        for (const auto& c : x.cases) {
            json::object item = case_row(c);
            scope.mask_case(item);
            json::array history;
            for (const auto& h : store::case_history_of(db, c.code))
                history.push_back(case_history_row(h));
            item["history"] = std::move(history);
            scope.mask_history(item, "history");
            if (c.sensitive)
                a.audits.push_back(read_note("case " + c.code, who));
            list.push_back(std::move(item));
        }
        o["cases"] = std::move(list);
        o["hidden"] = x.hidden; // sensitive cases counted but not listed for this principal
        break;
    }
    case trace_kind::messages: {
        json::array list;
        std::size_t hidden = 0;
        for (const auto& m : x.messages) {
            const auto v = scope.message(db, m);
            if (!v.visible) {
                ++hidden;
                continue;
            }
            if (v.sensitive)
                a.audits.push_back(read_note("message " + std::to_string(m.id), who));
            json::object item = message_row(m);
            scope.mask_message(item);
            list.push_back(std::move(item));
        }
        o["messages"] = std::move(list);
        o["hidden"] = hidden;
        break;
    }
    case trace_kind::alerts: {
        json::array list;
        std::size_t hidden = 0;
        for (const auto& al : x.alerts) {
            if (!scope.alert_visible(al)) {
                ++hidden;
                continue;
            }
            json::object item = alert_row(al);
            scope.mask_alert(item);
            if (al.sensitive)
                a.audits.push_back(read_note("alert " + std::to_string(al.id), who));
            list.push_back(std::move(item));
        }
        o["alerts"] = std::move(list);
        o["hidden"] = hidden;
        break;
    }
    case trace_kind::none:
        break;
    }
    a.body = std::move(o);
    return a;
}

} // namespace kharuul::gateway::api
