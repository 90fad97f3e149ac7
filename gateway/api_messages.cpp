// GET /api/v1/messages (the message log of `kharuul log`, and the live log with ?after=),
// /events and /outbox (`kharuul log --outbox`): the store's queries (store/message_log.hpp,
// store/records.hpp), the export's rows (export_rows.hpp), each row through the request's scope.
#include "gateway/api_read_endpoints.hpp"

#include "adapters/charset.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/export_rows.hpp"
#include "parser/lexicon.hpp"
#include "parser/sms.hpp"
#include "store/registry.hpp"

#include <map>
#include <span>
#include <sstream>

namespace kharuul::gateway::api {

namespace json = boost::json;

namespace {

// A list as CSV: the columns of `kharuul export`, the rows as the API shows them.
template <class Rows>
api_answer csv_answer(std::string_view name, std::span<const std::string_view> columns, const Rows& rows) {
    std::ostringstream out;
    write_export(out, true, columns, rows, [](const json::object& o) { return o; });
    api_answer a;
    a.csv = out.str();
    a.csv_name = std::string(name) + ".csv";
    return a;
}

// ?site=: a site the registry knows (400 otherwise); outside a team's areas, 404 as a missing
// record would be.
std::optional<std::string> site_param(const query_params& q, const read_scope& scope, store::connection& db) {
    auto site = q.text("site");
    if (!site)
        return site;
    *site = upper(*site);
    if (!store::find_site(db, *site))
        reject("site", *site, "a site's code as the registry has it (" + known_sites(db) + ")");
    if (!scope.site_in_scope(*site))
        throw bad_parameter{not_found("site " + *site)};
    return site;
}

std::optional<parser::form> form_param(const query_params& q) {
    const auto t = q.text("form");
    if (!t)
        return std::nullopt;
    const auto f = parser::form_from_canonical(upper(*t));
    if (!f)
        reject("form", *t, "a form's keyword: ID, NIL, RISK, TR, REF, SVC, VER, OUT, PLAN, CLOSE, MERGE, ACK, HELP");
    return f;
}

} // namespace

api_answer get_messages(store::connection& db, const read_scope& scope, const api_request& rq,
                        const api_context& ctx) {
    const query_params q(rq, ctx, {"phone", "site", "form", "status", "since", "until", "limit", "before", "after", "wait"});
    store::message_filter f;
    f.phone = q.phone("phone");
    f.site = site_param(q, scope, db);
    if (f.site && ctx.lex)
        f.site_of_text = [lex = ctx.lex](std::string_view text) {
            return parser::site_named(parser::parse_sms(adapters::strip_control_characters(text), *lex));
        };
    f.form = form_param(q);
    if (const auto t = q.text("status")) {
        f.status = store::message_status_from(lower(*t));
        if (!f.status)
            reject("status", *t, "accepted, rejected, duplicate, unregistered or received");
    }
    f.since = q.time("since", false);
    f.until = q.time("until", true);
    const std::size_t limit = q.limit();
    const auto before = q.id("before");
    const auto after = q.id("after");
    if (before && after)
        reject("after", *q.text("after"), "no `before` with it: `after` reads the newest on, oldest first");
    const bool csv = q.csv();
    f.by_id = true;

    json::array rows;
    std::vector<json::object> csv_rows;
    api_answer answer;
    std::vector<std::string> sensitive;
    auto show = [&](const store::message_record& m, const read_scope::message_view& v) {
        json::object row = message_row(m);
        scope.mask_message(row);
        if (v.sensitive)
            answer.audits.push_back(read_note("message " + std::to_string(m.id), scope.who()));
        if (csv) {
            csv_rows.push_back(std::move(row));
            return;
        }
        std::optional<std::string> site = v.site;
        if (!site && ctx.lex)
            site = parser::site_named(parser::parse_sms(adapters::strip_control_characters(m.text), *ctx.lex));
        row["site"] = site ? json::value(*site) : json::value(nullptr);
        rows.push_back(std::move(row));
    };
    std::optional<std::int64_t> next;
    if (after) {
        // The live log: oldest first from `after`; `next` is the newest id shown (the next `after`).
        std::int64_t cursor = *after;
        next = *after;
        std::size_t shown = 0;
        for (bool more = true; more && shown < limit;) {
            f.after_id = cursor;
            f.limit = limit;
            const auto batch = store::query_messages(db, f);
            more = batch.size() == limit;
            for (const auto& m : batch) {
                cursor = m.id;
                const auto v = scope.message(db, m);
                next = m.id;
                if (!v.visible)
                    continue;
                show(m, v);
                if (++shown == limit)
                    break;
            }
        }
    } else {
        std::map<std::int64_t, read_scope::message_view> views;
        auto p = scan_pages<store::message_record>(
            limit, before,
            [&](std::int64_t cursor, std::size_t n) {
                f.before_id = cursor;
                f.limit = n;
                return store::query_messages(db, f);
            },
            [&](const store::message_record& m) {
                const auto v = scope.message(db, m);
                views[m.id] = v;
                return v.visible;
            });
        for (const auto& m : p.rows)
            show(m, views[m.id]);
        next = p.next;
    }
    if (csv) {
        auto a = csv_answer("messages", message_columns, csv_rows);
        a.audits = std::move(answer.audits);
        return a;
    }
    auto a = list_answer("messages", std::move(rows), next);
    a.audits = std::move(answer.audits);
    return a;
}

api_answer get_events(store::connection& db, const read_scope& scope, const api_request& rq,
                      const api_context& ctx) {
    const query_params q(rq, ctx, {"site", "case", "form", "since", "until", "limit", "before"});
    store::event_filter f;
    f.site = site_param(q, scope, db);
    f.case_code = q.text("case");
    f.form = form_param(q);
    f.range = {q.time("since", false), q.time("until", true)};
    const std::size_t limit = q.limit();
    const bool csv = q.csv();
    std::map<std::int64_t, read_scope::event_view> views;
    auto p = scan_pages<store::event_record>(
        limit, q.id("before"),
        [&](std::int64_t cursor, std::size_t n) {
            f.before_id = cursor;
            f.limit = n;
            return store::query_events(db, f);
        },
        [&](const store::event_record& e) {
            const auto v = scope.event(db, e);
            views[e.id] = v;
            return v.visible;
        });
    std::vector<json::object> shown;
    std::vector<audit_note> audits;
    for (const auto& e : p.rows) {
        json::object row = event_row(e);
        scope.mask_event(row);
        if (views[e.id].sensitive)
            audits.push_back(read_note("event " + std::to_string(e.id), scope.who()));
        shown.push_back(std::move(row));
    }
    api_answer a = csv ? csv_answer("events", event_columns, shown)
                       : list_answer("events", json::array(shown.begin(), shown.end()), p.next);
    a.audits = std::move(audits);
    return a;
}

api_answer get_outbox(store::connection& db, const read_scope& scope, const api_request& rq,
                      const api_context& ctx) {
    const query_params q(rq, ctx, {"state", "phone", "since", "until", "limit", "before"});
    store::outbox_filter f;
    f.phone = q.phone("phone");
    if (const auto t = q.text("state")) {
        if (!store::outbox_state_from(lower(*t)))
            reject("state", *t, "queued, sending, sent, delivered, failed or cancelled");
        f.state = lower(*t);
    }
    f.range = {q.time("since", false), q.time("until", true)};
    const std::size_t limit = q.limit();
    const bool csv = q.csv();
    std::map<std::int64_t, read_scope::outbox_view> views;
    auto p = scan_pages<store::outbox_record>(
        limit, q.id("before"),
        [&](std::int64_t cursor, std::size_t n) {
            f.before_id = cursor;
            f.limit = n;
            std::vector<store::outbox_record> out;
            for (const auto id : store::query_outbox_ids(db, f))
                if (auto m = store::find_outbox(db, id))
                    out.push_back(std::move(*m));
            return out;
        },
        [&](const store::outbox_record& m) {
            const auto v = scope.outbox(db, m);
            views[m.id] = v;
            return v.visible;
        });
    std::vector<json::object> shown;
    std::vector<audit_note> audits;
    for (const auto& m : p.rows) {
        json::object row = outbox_row(m);
        scope.mask_outbox(row);
        if (views[m.id].sensitive)
            audits.push_back(read_note("outbox " + std::to_string(m.id), scope.who()));
        shown.push_back(std::move(row));
    }
    api_answer a = csv ? csv_answer("outbox", outbox_columns, shown)
                       : list_answer("outbox", json::array(shown.begin(), shown.end()), p.next);
    a.audits = std::move(audits);
    return a;
}

} // namespace kharuul::gateway::api
