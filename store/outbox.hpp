// The durable outbox (spec/alerts.md "Delivery"): every outbound SMS is a row written in the same
// transaction as the event that causes it, then sent by the outbound channel in three steps:
// claim_due (rows become `sending`; the caller COMMITS this before sending), send, and record the
// outcome (mark_sent, mark_attempt_failed, give_up). A crash after the claim's commit leaves rows
// `sending`; requeue_in_flight puts them back at start, the one case where a message may go out
// twice. Every attempt and every delivery report is kept in outbox_attempts with what the
// provider said. Synchronous; same threading and error contract as store/records.hpp.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

enum class outbox_kind : std::uint8_t { alert, reply, reminder, notice };
// queued: waiting for its next_attempt_at; sending: claimed, the provider may or may not have it;
// sent: the provider accepted it; delivered, failed: final (a delivery report, or give_up);
// cancelled: never sent (its alert was acknowledged first).
enum class outbox_state : std::uint8_t { queued, sending, sent, delivered, failed, cancelled };

std::string_view to_string(outbox_kind k) noexcept;  // "alert", "reply", "reminder", "notice"
std::string_view to_string(outbox_state s) noexcept; // "queued", "sending", "sent", ...
std::optional<outbox_kind> outbox_kind_from(std::string_view s) noexcept;
std::optional<outbox_state> outbox_state_from(std::string_view s) noexcept;

struct new_outbox {
    std::string channel;   // the configured outbound channel's name
    std::string recipient; // phone
    std::string text;
    outbox_kind kind = outbox_kind::notice;
    std::optional<std::int64_t> alert_id;   // alert messages
    std::optional<std::int64_t> message_id; // the inbound message a reply answers
    timestamp created_at{};
    std::optional<timestamp> not_before; // send no earlier (reminders in the daytime)
};

struct outbox_record : new_outbox {
    std::int64_t id = 0;
    outbox_state state = outbox_state::queued;
    int attempts = 0; // claims so far
    timestamp next_attempt_at{};
    std::optional<std::string> last_error;
    std::optional<std::string> provider_id; // the provider's message id, from mark_sent
    std::optional<timestamp> sent_at;
    std::optional<timestamp> delivered_at;
    timestamp updated_at{};
};

// One row of outbox_attempts: a send attempt's outcome or a delivery report.
struct outbox_attempt {
    std::int64_t id = 0;
    std::int64_t outbox_id = 0;
    timestamp at{};
    // sent, error (will be retried), failed, delivered, queued (the provider holds it),
    // interrupted (requeued after a crash), cancelled
    std::string outcome;
    std::string detail; // what the provider said: HTTP status, body, DLR text
};

// Queues a message: state queued, next_attempt_at = max(created_at, not_before). Returns its id.
// Throws SQLite::Exception when alert_id or message_id does not exist (foreign keys).
std::int64_t enqueue(connection& db, const new_outbox& m);

// errc::unknown_outbox when no row has that id.
result<outbox_record> find_outbox(connection& db, std::int64_t id);

// The row a delivery report names by the provider's message id (Twilio's MessageSid), if any.
std::optional<outbox_record> find_outbox_by_provider_id(connection& db, std::string_view channel,
                                                        std::string_view provider_id);

// Claims up to `limit` queued rows with next_attempt_at <= now, the longest due first: they become
// `sending` with attempts + 1 and updated_at = now, in one statement, and are returned as they are
// afterwards. A row is claimed once: the next claim does not see it. The caller commits before
// sending, so that a crash cannot send a row that the store still thinks is queued.
std::vector<outbox_record> claim_due(connection& db, timestamp now, std::size_t limit);

// At start, before the first claim: rows left `sending` by a crash go back to queued (due now),
// with an attempt row "interrupted" each; one savepoint. Returns how many. Such a row may already
// have reached the provider: this is the one case where a message can go out twice.
int requeue_in_flight(connection& db, timestamp now);

// The provider accepted the message: state sent (unless a delivery report got there first and
// made it delivered or failed), provider_id, sent_at; attempt row "sent" with `detail`.
// errc::unknown_outbox (nothing written).
result<void> mark_sent(connection& db, std::int64_t id, std::optional<std::string_view> provider_id, timestamp at,
                       std::string_view detail);

// The attempt failed and will be retried: a `sending` row goes back to queued with
// next_attempt_at (the caller computes the back-off) and last_error; attempt row "error" with
// `error`. A row that is no longer `sending` (a delivery report said the provider has it) keeps
// its state and is not retried. errc::unknown_outbox (nothing written).
result<void> mark_attempt_failed(connection& db, std::int64_t id, timestamp at, std::string_view error,
                                 timestamp next_attempt_at);

// No more retries: a queued or sending row becomes failed with last_error; attempt row "failed";
// for an alert message also alert history "failed" with the recipient. errc::unknown_outbox.
result<void> give_up(connection& db, std::int64_t id, timestamp at, std::string_view error);

// After an ACK: the alert's messages still queued (not yet claimed) become cancelled, each with an
// attempt row "cancelled"; one savepoint. Returns how many.
int cancel_queued_for_alert(connection& db, std::int64_t alert_id, timestamp at);

// A delivery report from the provider: `reported` is what it says (delivered, failed, sent, or
// queued: the provider holds it). delivered is final and always wins (delivered_at = at); failed
// applies unless delivered (last_error = detail); sent and queued move a row that is queued,
// sending or cancelled to sent (the provider has it: do not send again), and change nothing
// else: never delivered back to sent. Always appends an attempt row with `detail`; when the row
// becomes delivered or failed and belongs to an alert, also alert history "delivered"/"failed"
// with the recipient. One savepoint. Returns the row afterwards, or errc::unknown_outbox (nothing
// written). `reported` sending or cancelled is a broken contract: std::invalid_argument.
result<outbox_record> apply_delivery_report(connection& db, std::int64_t id, outbox_state reported,
                                            std::string_view detail, timestamp at);

// Oldest first. Empty for an unknown id.
std::vector<outbox_attempt> outbox_attempts(connection& db, std::int64_t outbox_id);

// The earliest next_attempt_at of a queued row: when the sender should wake.
std::optional<timestamp> next_outbox_due(connection& db);

// The latest next_attempt_at of a queued row (a daytime reminder waiting for the morning), or
// nullopt when nothing is queued.
std::optional<timestamp> last_outbox_due(connection& db);

// Export (`kharuul export --what outbox`): by created_at in [since, until), by id.
std::vector<outbox_record> export_outbox(connection& db, const time_range& range);

// The rows with an id above `after_id`, by id: what was queued since a step began
// (`kharuul simulate` shows the SMS a message caused).
std::vector<outbox_record> outbox_after(connection& db, std::int64_t after_id);

// The highest outbox id so far (0 when the outbox is empty).
std::int64_t last_outbox_id(connection& db);

// How many rows are in each state, every state present (0 when none): for /metrics.
std::map<outbox_state, std::int64_t> outbox_counts(connection& db);

} // namespace kharuul::store
