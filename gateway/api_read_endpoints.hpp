// The read endpoints one by one, for gateway/api_reads.cpp's dispatch: messages, events and the
// outbox (api_messages.cpp), cases and alerts (api_cases.cpp), the report (api_report.cpp). Each
// takes the request's scope (api_scope.hpp) and throws api::bad_parameter for a bad parameter.
#pragma once

#include "gateway/api_scope.hpp"
#include "gateway/api_types.hpp"
#include "store/database.hpp"

#include <boost/json/array.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway::api {

api_answer get_messages(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx);
api_answer get_events(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx);
api_answer get_outbox(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx);
api_answer get_cases(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx);
api_answer get_case(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx,
                    std::string_view code);
api_answer get_alerts(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx);
api_answer get_alert(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx,
                     std::string_view number);
api_answer get_report(store::connection& db, const read_scope& scope, const api_request& rq, const api_context& ctx);

// A page of a newest-first list filtered after the store's query: `fetch(before, n)` gives up to n
// records with id < before (newest first); `keep` says whether one is shown. Reads on until
// `limit` are kept or the store has no more, so that a team's page is full even when most rows
// are outside its areas. `next` is the id of the last row shown when more may follow.
template <class Record>
struct page {
    std::vector<Record> rows;
    std::optional<std::int64_t> next;
};
template <class Record, class Fetch, class Keep>
page<Record> scan_pages(std::size_t limit, std::optional<std::int64_t> before, Fetch fetch, Keep keep) {
    page<Record> p;
    std::int64_t cursor = before.value_or(INT64_MAX);
    for (;;) {
        const std::vector<Record> batch = fetch(cursor, limit);
        for (const auto& r : batch) {
            cursor = r.id;
            if (!keep(r))
                continue;
            p.rows.push_back(r);
            if (p.rows.size() == limit) {
                p.next = r.id;
                return p;
            }
        }
        if (batch.size() < limit)
            return p;
    }
}

} // namespace kharuul::gateway::api
