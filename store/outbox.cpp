#include "store/outbox.hpp"

#include "store/alerts.hpp"
#include "store/binding.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace kharuul::store {
namespace {

using namespace binding;

constexpr std::array<std::string_view, 4> kind_names{"alert", "reply", "reminder", "notice"};
constexpr std::array<std::string_view, 6> state_names{"queued", "sending", "sent", "delivered", "failed",
                                                       "cancelled"};

#define KHARUUL_OUTBOX_COLUMNS                                                                            \
    "id, channel, recipient, text, kind, alert_id, message_id, created_at, not_before, state, attempts, " \
    "next_attempt_at, last_error, provider_id, sent_at, delivered_at, updated_at"

outbox_record read_outbox(const SQLite::Statement& s)
{
    outbox_record m;
    m.id = s.getColumn(0).getInt64();
    m.channel = text(s, 1);
    m.recipient = text(s, 2);
    m.text = text(s, 3);
    m.kind = outbox_kind_from(text(s, 4)).value_or(outbox_kind::notice);
    m.alert_id = opt_int64(s, 5);
    m.message_id = opt_int64(s, 6);
    m.created_at = time(s, 7);
    m.not_before = opt_time(s, 8);
    m.state = outbox_state_from(text(s, 9)).value_or(outbox_state::queued);
    m.attempts = s.getColumn(10).getInt();
    m.next_attempt_at = time(s, 11);
    m.last_error = opt_text(s, 12);
    m.provider_id = opt_text(s, 13);
    m.sent_at = opt_time(s, 14);
    m.delivered_at = opt_time(s, 15);
    m.updated_at = time(s, 16);
    return m;
}

void append_attempt(connection& db, std::int64_t outbox_id, timestamp at, std::string_view outcome,
                    std::string_view detail)
{
    statement_use s(
        db.prepared("INSERT INTO outbox_attempts (outbox_id, at, outcome, detail) VALUES (?1, ?2, ?3, ?4)"));
    s->bind(1, outbox_id);
    bind_value(*s, 2, at);
    bind_text(*s, 3, outcome);
    bind_text(*s, 4, detail);
    s->exec();
}

// The row's state, or nullopt when there is no such row.
std::optional<outbox_state> state_of(connection& db, std::int64_t id)
{
    statement_use s(db.prepared("SELECT state FROM outbox WHERE id = ?1"));
    s->bind(1, id);
    if (!s->executeStep())
        return std::nullopt;
    return outbox_state_from(text(*s, 0)).value_or(outbox_state::queued);
}

} // namespace

std::string_view to_string(outbox_kind k) noexcept { return kind_names[static_cast<std::size_t>(k)]; }
std::string_view to_string(outbox_state s) noexcept { return state_names[static_cast<std::size_t>(s)]; }

std::optional<outbox_kind> outbox_kind_from(std::string_view s) noexcept
{
    return from_name<outbox_kind>(kind_names, s);
}
std::optional<outbox_state> outbox_state_from(std::string_view s) noexcept
{
    return from_name<outbox_state>(state_names, s);
}

std::int64_t enqueue(connection& db, const new_outbox& m)
{
    const timestamp due = m.not_before ? std::max(m.created_at, *m.not_before) : m.created_at;
    statement_use s(db.prepared(
        "INSERT INTO outbox (channel, recipient, text, kind, alert_id, message_id, created_at, not_before,"
        " next_attempt_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?7)"));
    s->bind(1, m.channel);
    s->bind(2, m.recipient);
    s->bind(3, m.text);
    bind_text(*s, 4, to_string(m.kind));
    bind_value(*s, 5, m.alert_id);
    bind_value(*s, 6, m.message_id);
    bind_value(*s, 7, m.created_at);
    bind_value(*s, 8, m.not_before);
    bind_value(*s, 9, due);
    s->exec();
    return db.getLastInsertRowid();
}

result<outbox_record> find_outbox(connection& db, std::int64_t id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_OUTBOX_COLUMNS " FROM outbox WHERE id = ?1"));
    s->bind(1, id);
    if (!s->executeStep())
        return make_error_code(errc::unknown_outbox);
    return read_outbox(*s);
}

std::optional<outbox_record> find_outbox_by_provider_id(connection& db, std::string_view channel,
                                                        std::string_view provider_id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_OUTBOX_COLUMNS
                                " FROM outbox WHERE channel = ?1 AND provider_id = ?2 ORDER BY id DESC LIMIT 1"));
    bind_text(*s, 1, channel);
    bind_text(*s, 2, provider_id);
    if (!s->executeStep())
        return std::nullopt;
    return read_outbox(*s);
}

std::vector<outbox_record> claim_due(connection& db, timestamp now, std::size_t limit)
{
    // One statement: the selection and the marking cannot be split by another writer.
    statement_use s(db.prepared("UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?1"
                                " WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ?1"
                                " ORDER BY next_attempt_at, id LIMIT ?2)"
                                " RETURNING " KHARUUL_OUTBOX_COLUMNS));
    bind_value(*s, 1, now);
    s->bind(2, static_cast<std::int64_t>(limit));
    auto rows = read_rows(*s, read_outbox);
    // RETURNING gives no order.
    std::sort(rows.begin(), rows.end(), [](const outbox_record& a, const outbox_record& b) {
        return std::pair(a.next_attempt_at, a.id) < std::pair(b.next_attempt_at, b.id);
    });
    return rows;
}

int requeue_in_flight(connection& db, timestamp now)
{
    savepoint sp(db, "requeue_in_flight");
    {
        statement_use s(db.prepared(
            "INSERT INTO outbox_attempts (outbox_id, at, outcome, detail) SELECT id, ?1, 'interrupted',"
            " 'left sending by a stop or crash; queued again (the provider may already have it)'"
            " FROM outbox WHERE state = 'sending' ORDER BY id"));
        bind_value(*s, 1, now);
        s->exec();
    }
    int count = 0;
    {
        statement_use s(db.prepared(
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?1, updated_at = ?1 WHERE state = 'sending'"));
        bind_value(*s, 1, now);
        count = s->exec();
    }
    sp.release();
    return count;
}

result<void> mark_sent(connection& db, std::int64_t id, std::optional<std::string_view> provider_id, timestamp at,
                       std::string_view detail)
{
    savepoint sp(db, "outbox_change");
    {
        statement_use s(db.prepared("UPDATE outbox SET"
                                    " state = CASE WHEN state IN ('delivered', 'failed') THEN state ELSE 'sent' END,"
                                    " provider_id = COALESCE(?1, provider_id), sent_at = ?2, updated_at = ?2"
                                    " WHERE id = ?3"));
        bind_value(*s, 1, provider_id);
        bind_value(*s, 2, at);
        s->bind(3, id);
        if (s->exec() == 0)
            return make_error_code(errc::unknown_outbox);
    }
    append_attempt(db, id, at, "sent", detail);
    sp.release();
    return {};
}

result<void> mark_attempt_failed(connection& db, std::int64_t id, timestamp at, std::string_view error,
                                 timestamp next_attempt_at)
{
    savepoint sp(db, "outbox_change");
    if (!state_of(db, id))
        return make_error_code(errc::unknown_outbox);
    {
        statement_use s(db.prepared("UPDATE outbox SET state = 'queued', next_attempt_at = ?1, last_error = ?2,"
                                    " updated_at = ?3 WHERE id = ?4 AND state = 'sending'"));
        bind_value(*s, 1, next_attempt_at);
        bind_text(*s, 2, error);
        bind_value(*s, 3, at);
        s->bind(4, id);
        s->exec();
    }
    append_attempt(db, id, at, "error", error);
    sp.release();
    return {};
}

result<void> give_up(connection& db, std::int64_t id, timestamp at, std::string_view error)
{
    savepoint sp(db, "outbox_change");
    auto row = find_outbox(db, id);
    if (!row)
        return row.error();
    const bool fails = row->state == outbox_state::queued || row->state == outbox_state::sending;
    if (fails) {
        statement_use s(db.prepared(
            "UPDATE outbox SET state = 'failed', last_error = ?1, updated_at = ?2 WHERE id = ?3"));
        bind_text(*s, 1, error);
        bind_value(*s, 2, at);
        s->bind(3, id);
        s->exec();
    }
    // A row the provider already has (a report got there first) keeps its state: this was one more
    // error, not the end of the message.
    append_attempt(db, id, at, fails ? "failed" : "error", error);
    if (fails && row->alert_id)
        append_alert_history(db, *row->alert_id, at, "failed", row->recipient, error, id);
    sp.release();
    return {};
}

int cancel_queued_for_alert(connection& db, std::int64_t alert_id, timestamp at)
{
    savepoint sp(db, "cancel_queued_for_alert");
    {
        statement_use s(db.prepared("INSERT INTO outbox_attempts (outbox_id, at, outcome, detail)"
                                    " SELECT id, ?1, 'cancelled', 'alert no longer open' FROM outbox"
                                    " WHERE alert_id = ?2 AND state = 'queued' ORDER BY id"));
        bind_value(*s, 1, at);
        s->bind(2, alert_id);
        s->exec();
    }
    int count = 0;
    {
        statement_use s(db.prepared("UPDATE outbox SET state = 'cancelled', updated_at = ?1"
                                    " WHERE alert_id = ?2 AND state = 'queued'"));
        bind_value(*s, 1, at);
        s->bind(2, alert_id);
        count = s->exec();
    }
    sp.release();
    return count;
}

result<outbox_record> apply_delivery_report(connection& db, std::int64_t id, outbox_state reported,
                                            std::string_view detail, timestamp at)
{
    if (reported == outbox_state::sending || reported == outbox_state::cancelled)
        throw std::invalid_argument("a delivery report says delivered, failed, sent or queued, not " +
                                    std::string(to_string(reported)));
    savepoint sp(db, "outbox_change");
    auto before = find_outbox(db, id);
    if (!before)
        return before;

    const outbox_state was = before->state;
    outbox_state next = was;
    switch (reported) {
    case outbox_state::delivered: next = outbox_state::delivered; break;
    case outbox_state::failed:
        if (was != outbox_state::delivered)
            next = outbox_state::failed;
        break;
    default: // sent, queued: the provider has it
        if (was == outbox_state::queued || was == outbox_state::sending || was == outbox_state::cancelled)
            next = outbox_state::sent;
        break;
    }

    if (next != was) {
        statement_use s(db.prepared(
            "UPDATE outbox SET state = ?1, sent_at = COALESCE(sent_at, ?2),"
            " delivered_at = CASE WHEN ?1 = 'delivered' THEN ?2 ELSE delivered_at END,"
            " last_error = CASE WHEN ?1 = 'failed' THEN ?3 ELSE last_error END, updated_at = ?2 WHERE id = ?4"));
        bind_text(*s, 1, to_string(next));
        bind_value(*s, 2, at);
        bind_text(*s, 3, detail);
        s->bind(4, id);
        s->exec();
    }
    append_attempt(db, id, at, to_string(reported), detail);
    const bool final_now = next != was && (next == outbox_state::delivered || next == outbox_state::failed);
    if (final_now && before->alert_id)
        append_alert_history(db, *before->alert_id, at, to_string(next), before->recipient, detail, id);
    auto after = find_outbox(db, id);
    sp.release();
    return after;
}

std::vector<outbox_attempt> outbox_attempts(connection& db, std::int64_t outbox_id)
{
    statement_use s(db.prepared(
        "SELECT id, outbox_id, at, outcome, detail FROM outbox_attempts WHERE outbox_id = ?1 ORDER BY id"));
    s->bind(1, outbox_id);
    std::vector<outbox_attempt> out;
    while (s->executeStep()) {
        outbox_attempt a;
        a.id = s->getColumn(0).getInt64();
        a.outbox_id = s->getColumn(1).getInt64();
        a.at = time(*s, 2);
        a.outcome = text(*s, 3);
        a.detail = text(*s, 4);
        out.push_back(std::move(a));
    }
    return out;
}

std::optional<timestamp> last_outbox_due(connection& db)
{
    statement_use s(db.prepared("SELECT MAX(next_attempt_at) FROM outbox WHERE state = 'queued'"));
    if (!s->executeStep())
        return std::nullopt;
    return opt_time(*s, 0);
}

std::optional<timestamp> next_outbox_due(connection& db)
{
    statement_use s(db.prepared("SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'queued'"));
    if (!s->executeStep())
        return std::nullopt;
    return opt_time(*s, 0);
}

std::vector<outbox_record> export_outbox(connection& db, const time_range& range)
{
    return read_rows_in_range(db, "SELECT " KHARUUL_OUTBOX_COLUMNS " FROM outbox", "created_at", range, "id",
                              read_outbox);
}

std::map<outbox_state, std::int64_t> outbox_counts(connection& db)
{
    std::map<outbox_state, std::int64_t> counts;
    for (std::size_t i = 0; i < state_names.size(); ++i)
        counts[static_cast<outbox_state>(i)] = 0;
    statement_use s(db.prepared("SELECT state, COUNT(*) FROM outbox GROUP BY state"));
    while (s->executeStep())
        if (const auto state = outbox_state_from(text(*s, 0)))
            counts[*state] = s->getColumn(1).getInt64();
    return counts;
}

std::vector<outbox_record> outbox_after(connection& db, std::int64_t after_id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_OUTBOX_COLUMNS " FROM outbox WHERE id > ?1 ORDER BY id"));
    s->bind(1, after_id);
    return read_rows(*s, read_outbox);
}

std::int64_t last_outbox_id(connection& db)
{
    statement_use s(db.prepared("SELECT COALESCE(MAX(id), 0) FROM outbox"));
    s->executeStep();
    return s->getColumn(0).getInt64();
}

} // namespace kharuul::store
