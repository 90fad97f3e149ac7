// The daemon's outbox sender (a runner, style.md 7): claims one due outbox row at a time in its
// own commit, sends it through the outbound channel it names, and records the outcome (sent,
// retried after a back-off, or given up). One at a time, so that a crash can leave at most one
// message "sending" (the daemon puts it back in the queue at start). Sleeps until the next row is
// due or somebody queues one (wake). Runs on the I/O thread; store work goes through store::writer.
#pragma once

#include "adapters/dialect.hpp"
#include "adapters/outbound.hpp"
#include "gateway/metrics.hpp"
#include "store/records.hpp"
#include "store/writer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace kharuul::gateway {

// A provider's delivery report applied to the outbox row it is about (found by our outbox id, or
// by the provider's message id): the row's new state ("sent", "delivered", "failed" ...), or
// "unknown" when no row matches. A store job.
std::string record_delivery_report(store::connection& db, const adapters::delivery_report& r, store::timestamp now);

// Waits `d` on `t` (cancelling the timer wakes the waiter early); never throws.
boost::asio::awaitable<void> sleep_on(boost::asio::steady_timer& t, std::chrono::milliseconds d);

// Every channel that can send, by name; shared, so that a send in flight keeps its channel alive
// when a reload replaces the map.
using outbound_map = std::map<std::string, std::shared_ptr<adapters::outbound_channel>, std::less<>>;

class outbox_sender {
public:
    // `clock` is the daemon's; `counters.sends` counts the attempts by outcome.
    outbox_sender(boost::asio::any_io_executor ex, store::writer& writer, metrics& counters,
                  std::function<store::timestamp()> clock);

    // A reload's channels and retry timing; a send in flight finishes on the channel it started with.
    void reconfigure(outbound_map channels, std::chrono::seconds retry_base, std::chrono::seconds retry_cap);

    // Sends until stop().
    boost::asio::awaitable<void> run();

    // Look at the outbox now (a message was queued).
    void wake() { wake_.cancel(); }

    // Ends run() at its next step (a send in flight completes and is recorded).
    void stop() {
        stopping_ = true;
        wake_.cancel();
    }

private:
    store::writer& writer_;
    metrics& counters_;
    std::function<store::timestamp()> clock_;
    boost::asio::steady_timer wake_;
    outbound_map channels_;
    std::chrono::seconds retry_base_{30};
    std::chrono::seconds retry_cap_{3600};
    bool stopping_ = false;
};

} // namespace kharuul::gateway
