// serve_reads: which read endpoint a request is for, who may call it, and the answer for a bad
// parameter. The endpoints themselves: api_messages.cpp, api_cases.cpp, api_report.cpp.
#include "gateway/api_reads.hpp"

#include "gateway/api_read_endpoints.hpp"
#include "gateway/api_scope.hpp"

#include <algorithm>
#include <array>

namespace kharuul::gateway {

std::optional<api::api_answer> serve_reads(store::connection& db, const api::principal& who,
                                           const api::api_request& rq, const api::api_context& ctx) {
    using namespace api;
    static constexpr std::array<std::string_view, 6> mine{"messages", "events", "cases", "alerts", "outbox", "report"};
    if (rq.path.empty() || std::find(mine.begin(), mine.end(), rq.path.front()) == mine.end())
        return std::nullopt;
    const std::string& what = rq.path.front();
    if (rq.method != http::verb::get && rq.method != http::verb::head)
        return error_answer(http::status::method_not_allowed, "/api/v1/" + what + " is read-only",
                            "use GET");
    const bool one = rq.path.size() == 2 && (what == "cases" || what == "alerts");
    if (rq.path.size() > (one ? 2u : 1u))
        return not_found("endpoint /api/v1/" + what + "/...");
    if (what != "report" && !sees_records(who))
        return forbidden();
    try {
        const read_scope scope(db, who);
        if (what == "messages")
            return get_messages(db, scope, rq, ctx);
        if (what == "events")
            return get_events(db, scope, rq, ctx);
        if (what == "outbox")
            return get_outbox(db, scope, rq, ctx);
        if (what == "cases")
            return one ? get_case(db, scope, rq, ctx, rq.path[1]) : get_cases(db, scope, rq, ctx);
        if (what == "alerts")
            return one ? get_alert(db, scope, rq, ctx, rq.path[1]) : get_alerts(db, scope, rq, ctx);
        return get_report(db, scope, rq, ctx);
    } catch (const bad_parameter& bad) {
        return bad.answer;
    }
}

} // namespace kharuul::gateway
