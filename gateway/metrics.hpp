// What the daemon counts for /metrics (Prometheus text format 0.0.4) and how it masks personal
// data in its logs: phone numbers show country code and last four digits, message text only its
// length at info level (style.md 11). Counters are touched on the I/O thread only.
#pragma once

#include "parser/phone.hpp"
#include "store/database.hpp"
#include "store/writer.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace kharuul::gateway {

// "+97699000001" -> "+976****0001": the one masking rule (parser/phone.hpp), shared with the alert
// texts, the command line and the providers' error details.
using parser::mask_phone;

struct metrics {
    std::map<std::pair<std::string, std::string>, std::uint64_t> messages; // (channel, status)
    std::map<std::string, std::uint64_t> unauthorized;                     // by channel
    std::map<std::string, std::uint64_t> bad_requests;                     // by channel
    std::map<std::string, std::uint64_t> sends; // outbound attempts by outcome: sent, retry, failed
    // Refreshed every second by the daemon's ticker (store_figures_of), not per scrape.
    std::map<std::string, std::int64_t> outbox; // outbox rows by state (read from the store)
    std::int64_t open_alerts = 0;               // alerts not acknowledged (read from the store)
    std::uint64_t store_failures = 0; // inbound requests answered 503
    // Inbound requests answered 503 without a store job because store.max_queue jobs were pending.
    std::uint64_t rejected_queue_full = 0;
    std::size_t max_queue = 0; // store.max_queue, for the gauge beside the pending count
    std::uint64_t open_connections = 0;
    std::uint64_t reloads = 0;
    std::uint64_t reload_failures = 0;
};

// The figures /metrics reads from the store, refreshed by the daemon's ticker (not per scrape).
struct store_figures {
    std::map<std::string, std::int64_t> outbox; // rows by state name
    std::int64_t open_alerts = 0;
};

// Store thread (inside a writer job). Throws what the store throws.
store_figures store_figures_of(store::connection& db);

// The text of /metrics: the counters above and the store writer's figures.
std::string render_metrics(const metrics& m, const store::writer_stats& w);

} // namespace kharuul::gateway
