#include "gateway/outbox_sender.hpp"

#include "gateway/retry_backoff.hpp"
#include "gateway/store_client.hpp"
#include "parser/phone.hpp"
#include "store/outbox.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace kharuul::gateway {

namespace asio = boost::asio;
using parser::mask_phone;

namespace {

// "outbox #36 (alert #9)", "outbox #40 (reply to message #102)", "outbox #41 (reminder)": the
// outbox row first, then what it belongs to (issue 10, item 11: the row's number is not the
// alert's).
std::string outbox_name(const store::outbox_record& row) {
    std::string what(store::to_string(row.kind));
    if (row.alert_id)
        what += " #" + std::to_string(*row.alert_id);
    else if (row.kind == store::outbox_kind::reply && row.message_id)
        what += " to message #" + std::to_string(*row.message_id);
    return "outbox #" + std::to_string(row.id) + " (" + what + ")";
}

} // namespace

std::string record_delivery_report(store::connection& db, const adapters::delivery_report& r, store::timestamp now) {
    std::optional<std::int64_t> id = r.outbox_id;
    if (!id && !r.provider_id.empty())
        if (auto row = store::find_outbox_by_provider_id(db, r.channel, r.provider_id))
            id = row->id;
    if (!id)
        return "unknown";
    const auto state = r.state == adapters::delivery_state::delivered ? store::outbox_state::delivered
                       : r.state == adapters::delivery_state::failed  ? store::outbox_state::failed
                       : r.state == adapters::delivery_state::sent    ? store::outbox_state::sent
                                                                      : store::outbox_state::queued;
    auto applied = store::apply_delivery_report(db, *id, state, r.detail, now);
    return applied ? std::string(store::to_string(applied->state)) : std::string("unknown");
}

asio::awaitable<void> sleep_on(asio::steady_timer& t, std::chrono::milliseconds d) {
    t.expires_after(d);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
}

outbox_sender::outbox_sender(asio::any_io_executor ex, store::writer& writer, metrics& counters,
                             std::function<store::timestamp()> clock)
    : writer_(writer), counters_(counters), clock_(std::move(clock)), wake_(std::move(ex)) {}

void outbox_sender::reconfigure(outbound_map channels, std::chrono::seconds retry_base, std::chrono::seconds retry_cap) {
    channels_ = std::move(channels);
    retry_base_ = retry_base;
    retry_cap_ = retry_cap;
}

asio::awaitable<void> outbox_sender::run() {
    while (!stopping_) {
        const auto now = clock_();
        auto claim_job = [now](store::connection& db) {
            auto rows = store::claim_due(db, now, 1);
            std::optional<store::timestamp> next = store::next_outbox_due(db);
            return std::make_pair(std::move(rows), next);
        };
        std::pair<std::vector<store::outbox_record>, std::optional<store::timestamp>> claimed;
        bool failed = false;
        try {
            claimed = co_await run_in_store(writer_, std::move(claim_job));
        } catch (const std::exception& e) {
            spdlog::error("outbox: cannot read the queue: {}", e.what());
            failed = true;
        }
        if (failed) { // (no co_await inside a handler)
            co_await sleep_on(wake_, std::chrono::seconds(5));
            continue;
        }
        if (claimed.first.empty()) {
            // Nothing due: wait until the next is due (at most a second: the clock may be a
            // test's), or until a message is queued.
            auto wait = std::chrono::milliseconds(1000);
            if (claimed.second && *claimed.second > now)
                wait = std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(*claimed.second - now),
                                  std::chrono::milliseconds(10), wait);
            co_await sleep_on(wake_, wait);
            continue;
        }
        const store::outbox_record row = std::move(claimed.first.front());
        auto it = channels_.find(row.channel);
        adapters::send_outcome out;
        if (it == channels_.end()) {
            out = {adapters::send_outcome::kind::retry, {}, "no outbound channel named " + row.channel};
        } else {
            const adapters::outbound_sms sms{row.id, row.recipient, row.text}; // named: see store_client.hpp
            const std::shared_ptr<adapters::outbound_channel> channel = it->second; // outlives a reload
            out = co_await channel->send(sms);
        }
        const auto at = clock_();
        const auto next = at + retry_delay(row.attempts, retry_base_, retry_cap_);
        auto record = [row, out, at, next](store::connection& db) {
            using k = adapters::send_outcome::kind;
            if (out.what == k::sent)
                return static_cast<bool>(store::mark_sent(
                    db, row.id, out.provider_id.empty() ? std::nullopt : std::optional<std::string_view>(out.provider_id),
                    at, out.detail));
            if (out.what == k::failed)
                return static_cast<bool>(store::give_up(db, row.id, at, out.detail));
            return static_cast<bool>(store::mark_attempt_failed(db, row.id, at, out.detail, next));
        };
        try {
            co_await run_in_store(writer_, std::move(record));
        } catch (const std::exception& e) {
            spdlog::error("outbox: message {} sent but its outcome not recorded: {}", row.id, e.what());
        }
        ++counters_.sends[std::string(adapters::send_outcome_name(out.what))];
        spdlog::info("{} to {}: {} ({})", outbox_name(row), mask_phone(row.recipient),
                     adapters::send_outcome_name(out.what), out.detail);
    }
}

} // namespace kharuul::gateway
