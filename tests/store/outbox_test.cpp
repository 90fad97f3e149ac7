// The outbox: queued rows become due at max(created_at, not_before), a claim marks them sending so
// that no later claim returns them, a crash between claim and outcome is undone at start, failed
// attempts are rescheduled, and delivery reports record the provider's words without ever moving a
// delivered message back. Multi-row writes are all or nothing.
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;
using namespace std::chrono_literals;

const std::string member_a = "+97699000101";
const std::string member_b = "+97699000102";

class outbox : public testing::store_test {
protected:
    new_outbox message_to(const std::string& phone, timestamp at, outbox_kind kind = outbox_kind::notice)
    {
        new_outbox m;
        m.channel = "kannel";
        m.recipient = phone;
        m.text = "ALERT #1 URGENT: 2 boys ~12 mining, SHAFT, at ALT. Reply ACK 1";
        m.kind = kind;
        m.created_at = at;
        return m;
    }

    // An alert to attach alert messages to.
    std::int64_t an_alert()
    {
        const auto msg = *insert_message(db, sms_from("+97699000001", "ID ALT B 12 MINE SHAFT", at_ms(0)));
        new_event e;
        e.message_id = msg;
        e.reporter = "+97699000001";
        e.site = "ALT";
        e.occurred_at = at_ms(0);
        new_alert a;
        a.site = "ALT";
        a.boys = 1;
        a.reporter = "+97699000001";
        a.message_id = msg;
        a.event_id = insert_event(db, e);
        a.created_at = at_ms(0);
        return create_alert(db, a);
    }

    std::int64_t alert_message(std::int64_t alert_id, const std::string& phone, timestamp at)
    {
        auto m = message_to(phone, at, outbox_kind::alert);
        m.alert_id = alert_id;
        return enqueue(db, m);
    }

    std::vector<std::int64_t> ids(const std::vector<outbox_record>& rows)
    {
        std::vector<std::int64_t> out;
        for (const auto& r : rows)
            out.push_back(r.id);
        return out;
    }

    std::vector<std::string> outcomes(std::int64_t id)
    {
        std::vector<std::string> out;
        for (const auto& a : outbox_attempts(db, id))
            out.push_back(a.outcome);
        return out;
    }
};

TEST_F(outbox, a_queued_message_is_due_at_its_creation_or_not_before_whichever_is_later)
{
    const auto now = enqueue(db, message_to(member_a, at_ms(0)));
    auto later = message_to(member_b, at_ms(0));
    later.kind = outbox_kind::reminder;
    later.not_before = at_ms(0) + 8h; // the morning
    const auto morning = enqueue(db, later);
    auto past = message_to(member_b, at_ms(10));
    past.not_before = at_ms(5);
    const auto past_id = enqueue(db, past);

    const auto r = find_outbox(db, morning);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, outbox_state::queued);
    EXPECT_EQ(r->kind, outbox_kind::reminder);
    EXPECT_EQ(r->attempts, 0);
    EXPECT_EQ(r->not_before, at_ms(0) + 8h);
    EXPECT_EQ(r->next_attempt_at, at_ms(0) + 8h);
    EXPECT_EQ(r->updated_at, at_ms(0));
    EXPECT_EQ(find_outbox(db, past_id)->next_attempt_at, at_ms(10));
    EXPECT_EQ(find_outbox(db, now)->next_attempt_at, at_ms(0));

    EXPECT_EQ(next_outbox_due(db), at_ms(0));
    EXPECT_EQ(ids(claim_due(db, at_ms(10), 10)), (std::vector<std::int64_t>{now, past_id}));
    EXPECT_EQ(next_outbox_due(db), at_ms(0) + 8h);
    EXPECT_TRUE(claim_due(db, at_ms(0) + 8h - 1ms, 10).empty());
    EXPECT_EQ(ids(claim_due(db, at_ms(0) + 8h, 10)), std::vector<std::int64_t>{morning});
    EXPECT_FALSE(next_outbox_due(db));
}

TEST_F(outbox, a_claim_marks_rows_sending_and_a_second_claim_does_not_return_them)
{
    std::vector<std::int64_t> queued;
    for (int i = 0; i < 5; ++i)
        queued.push_back(enqueue(db, message_to(member_a, at_ms(i))));

    const auto first = claim_due(db, at_ms(100), 3);
    EXPECT_EQ(ids(first), (std::vector<std::int64_t>{queued[0], queued[1], queued[2]})); // oldest first
    for (const auto& r : first) {
        EXPECT_EQ(r.state, outbox_state::sending);
        EXPECT_EQ(r.attempts, 1);
        EXPECT_EQ(r.updated_at, at_ms(100));
        EXPECT_EQ(find_outbox(db, r.id)->state, outbox_state::sending); // in the table, not just returned
    }
    const auto second = claim_due(db, at_ms(101), 10);
    EXPECT_EQ(ids(second), (std::vector<std::int64_t>{queued[3], queued[4]}));
    EXPECT_TRUE(claim_due(db, at_ms(102), 10).empty());
    EXPECT_EQ(find_outbox(db, 999).error(), make_error_code(errc::unknown_outbox));
}

TEST_F(outbox, rows_left_sending_by_a_crash_are_queued_again_at_start)
{
    const auto crash_path = dir.file("crash.db");
    std::int64_t id = 0;
    std::int64_t done = 0;
    {
        connection first = open_database(crash_path);
        id = enqueue(first, message_to(member_a, at_ms(0)));
        done = enqueue(first, message_to(member_b, at_ms(0)));
        ASSERT_EQ(claim_due(first, at_ms(1), 10).size(), 2u); // committed: autocommit, as the caller would
        ASSERT_TRUE(mark_sent(first, done, "prov-1", at_ms(2), "202 Accepted"));
        // The process dies here: `id` was claimed (maybe sent), its outcome never written.
    }
    connection again = open_database(crash_path);
    EXPECT_EQ(find_outbox(again, id)->state, outbox_state::sending);
    EXPECT_TRUE(claim_due(again, at_ms(10), 10).empty()); // still claimed

    EXPECT_EQ(requeue_in_flight(again, at_ms(10)), 1);
    EXPECT_EQ(requeue_in_flight(again, at_ms(10)), 0);
    const auto r = find_outbox(again, id);
    EXPECT_EQ(r->state, outbox_state::queued);
    EXPECT_EQ(r->next_attempt_at, at_ms(10));
    const auto attempts = outbox_attempts(again, id); // this file, not the fixture's
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].outcome, "interrupted");
    EXPECT_EQ(attempts[0].at, at_ms(10));
    const auto claimed = claim_due(again, at_ms(10), 10);
    ASSERT_EQ(ids(claimed), std::vector<std::int64_t>{id});
    EXPECT_EQ(claimed[0].attempts, 2);
    EXPECT_EQ(find_outbox(again, done)->state, outbox_state::sent); // untouched
}

TEST_F(outbox, a_failed_attempt_is_retried_at_the_time_the_caller_chose)
{
    const auto id = enqueue(db, message_to(member_a, at_ms(0)));
    ASSERT_EQ(claim_due(db, at_ms(0), 10).size(), 1u);
    ASSERT_TRUE(mark_attempt_failed(db, id, at_ms(1), "HTTP 503 from send-url", at_ms(1) + 30s));

    auto r = find_outbox(db, id);
    EXPECT_EQ(r->state, outbox_state::queued);
    EXPECT_EQ(r->next_attempt_at, at_ms(1) + 30s);
    EXPECT_EQ(r->last_error, "HTTP 503 from send-url");
    EXPECT_EQ(next_outbox_due(db), at_ms(1) + 30s);
    EXPECT_TRUE(claim_due(db, at_ms(1) + 29s, 10).empty());
    const auto retry = claim_due(db, at_ms(1) + 30s, 10);
    ASSERT_EQ(retry.size(), 1u);
    EXPECT_EQ(retry[0].attempts, 2);

    ASSERT_TRUE(mark_sent(db, id, "prov-7", at_ms(40'000), "202 Accepted: 0: Accepted for delivery"));
    r = find_outbox(db, id);
    EXPECT_EQ(r->state, outbox_state::sent);
    EXPECT_EQ(r->provider_id, "prov-7");
    EXPECT_EQ(r->sent_at, at_ms(40'000));
    EXPECT_EQ(find_outbox_by_provider_id(db, "kannel", "prov-7")->id, id);
    EXPECT_FALSE(find_outbox_by_provider_id(db, "twilio", "prov-7"));

    const auto attempts = outbox_attempts(db, id);
    ASSERT_EQ(attempts.size(), 2u);
    EXPECT_EQ(attempts[0].outcome, "error");
    EXPECT_EQ(attempts[0].detail, "HTTP 503 from send-url");
    EXPECT_EQ(attempts[0].at, at_ms(1));
    EXPECT_EQ(attempts[1].outcome, "sent");
    EXPECT_EQ(attempts[1].detail, "202 Accepted: 0: Accepted for delivery");

    EXPECT_EQ(mark_sent(db, 999, "x", at_ms(0), "").error(), make_error_code(errc::unknown_outbox));
    EXPECT_EQ(mark_attempt_failed(db, 999, at_ms(0), "", at_ms(0)).error(), make_error_code(errc::unknown_outbox));
    EXPECT_EQ(give_up(db, 999, at_ms(0), "").error(), make_error_code(errc::unknown_outbox));
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox_attempts").getInt(), 2);
}

TEST_F(outbox, giving_up_on_an_alert_message_is_on_the_alert_s_record)
{
    const auto alert = an_alert();
    const auto id = alert_message(alert, member_a, at_ms(1));
    ASSERT_EQ(claim_due(db, at_ms(1), 10).size(), 1u);
    ASSERT_TRUE(give_up(db, id, at_ms(2), "HTTP 400: unknown number"));
    const auto r = find_outbox(db, id);
    EXPECT_EQ(r->state, outbox_state::failed);
    EXPECT_EQ(r->last_error, "HTTP 400: unknown number");
    EXPECT_EQ(outcomes(id), std::vector<std::string>{"failed"});
    const auto h = alert_history(db, alert).back();
    EXPECT_EQ(h.what, "failed");
    EXPECT_EQ(h.phone, member_a);
    EXPECT_EQ(h.outbox_id, id);
    EXPECT_EQ(h.detail, "HTTP 400: unknown number");
    EXPECT_TRUE(claim_due(db, at_ms(1'000'000), 10).empty());
}

TEST_F(outbox, delivery_reports_update_the_state_and_keep_the_provider_s_words)
{
    const auto alert = an_alert();
    const auto id = alert_message(alert, member_a, at_ms(1));
    ASSERT_EQ(claim_due(db, at_ms(1), 10).size(), 1u);
    ASSERT_TRUE(mark_sent(db, id, "k-1", at_ms(2), "0: Accepted for delivery"));

    auto r = apply_delivery_report(db, id, outbox_state::sent, "8: SMSC submit", at_ms(3));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, outbox_state::sent);
    r = apply_delivery_report(db, id, outbox_state::delivered, "1: DELIVRD", at_ms(4));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, outbox_state::delivered);
    EXPECT_EQ(r->delivered_at, at_ms(4));
    EXPECT_EQ(r->sent_at, at_ms(2));

    // Late and out-of-order reports are recorded but never move a delivered message back.
    r = apply_delivery_report(db, id, outbox_state::sent, "8: SMSC submit (late)", at_ms(5));
    EXPECT_EQ(r->state, outbox_state::delivered);
    r = apply_delivery_report(db, id, outbox_state::failed, "2: UNDELIV", at_ms(6));
    EXPECT_EQ(r->state, outbox_state::delivered);
    r = apply_delivery_report(db, id, outbox_state::queued, "16: queued", at_ms(7));
    EXPECT_EQ(r->state, outbox_state::delivered);
    EXPECT_EQ(r->delivered_at, at_ms(4));

    const auto attempts = outbox_attempts(db, id);
    ASSERT_EQ(attempts.size(), 6u);
    EXPECT_EQ(outcomes(id),
              (std::vector<std::string>{"sent", "sent", "delivered", "sent", "failed", "queued"}));
    EXPECT_EQ(attempts[2].detail, "1: DELIVRD");
    EXPECT_EQ(attempts[4].detail, "2: UNDELIV");

    // The alert's record says it reached the phone, once.
    int delivered = 0;
    for (const auto& h : alert_history(db, alert)) {
        if (h.what == "delivered") {
            ++delivered;
            EXPECT_EQ(h.phone, member_a);
            EXPECT_EQ(h.detail, "1: DELIVRD");
            EXPECT_EQ(h.outbox_id, id);
        }
        EXPECT_NE(h.what, "failed");
    }
    EXPECT_EQ(delivered, 1);
}

TEST_F(outbox, a_failure_report_fails_the_message_and_says_so_on_the_alert)
{
    const auto alert = an_alert();
    const auto id = alert_message(alert, member_b, at_ms(1));
    ASSERT_EQ(claim_due(db, at_ms(1), 10).size(), 1u);
    ASSERT_TRUE(mark_sent(db, id, "k-2", at_ms(2), "0: Accepted"));
    const auto r = apply_delivery_report(db, id, outbox_state::failed, "2: UNDELIV absent subscriber", at_ms(3));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, outbox_state::failed);
    EXPECT_EQ(r->last_error, "2: UNDELIV absent subscriber");
    const auto h = alert_history(db, alert).back();
    EXPECT_EQ(h.what, "failed");
    EXPECT_EQ(h.phone, member_b);
    // A later "delivered" is the truth: it wins.
    EXPECT_EQ(apply_delivery_report(db, id, outbox_state::delivered, "1: DELIVRD", at_ms(4))->state,
              outbox_state::delivered);
}

TEST_F(outbox, an_unknown_id_in_a_delivery_report_is_refused_and_nothing_is_written)
{
    enqueue(db, message_to(member_a, at_ms(0)));
    const auto r = apply_delivery_report(db, 4242, outbox_state::delivered, "1: DELIVRD", at_ms(1));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), make_error_code(errc::unknown_outbox));
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM outbox_attempts").getInt(), 0);
    EXPECT_THROW((void)apply_delivery_report(db, 1, outbox_state::sending, "", at_ms(1)), std::invalid_argument);
}

// The provider's report can overtake the sender's own record of the send.
TEST_F(outbox, a_report_that_arrives_before_the_send_is_recorded_is_not_undone_by_it)
{
    const auto id = enqueue(db, message_to(member_a, at_ms(0)));
    ASSERT_EQ(claim_due(db, at_ms(0), 10).size(), 1u);
    ASSERT_EQ(apply_delivery_report(db, id, outbox_state::delivered, "1: DELIVRD", at_ms(1))->state,
              outbox_state::delivered);
    ASSERT_TRUE(mark_sent(db, id, "k-9", at_ms(2), "0: Accepted"));
    auto r = find_outbox(db, id);
    EXPECT_EQ(r->state, outbox_state::delivered);
    EXPECT_EQ(r->provider_id, "k-9");

    // The send timed out on our side but the provider says it has it: no retry.
    const auto other = enqueue(db, message_to(member_b, at_ms(0)));
    ASSERT_EQ(claim_due(db, at_ms(0), 10).size(), 1u);
    ASSERT_EQ(apply_delivery_report(db, other, outbox_state::queued, "16: queued at SMSC", at_ms(1))->state,
              outbox_state::sent);
    ASSERT_TRUE(mark_attempt_failed(db, other, at_ms(2), "timeout after 10 s", at_ms(30)));
    r = find_outbox(db, other);
    EXPECT_EQ(r->state, outbox_state::sent);
    EXPECT_TRUE(claim_due(db, at_ms(1'000'000), 10).empty());
    EXPECT_EQ(outcomes(other), (std::vector<std::string>{"queued", "error"}));
}

TEST_F(outbox, an_acknowledged_alert_s_unsent_messages_are_cancelled)
{
    const auto alert = an_alert();
    const auto claimed = alert_message(alert, member_a, at_ms(0));
    ASSERT_EQ(claim_due(db, at_ms(0), 10).size(), 1u);
    const auto unsent = alert_message(alert, member_b, at_ms(1));
    const auto reply = enqueue(db, message_to(member_a, at_ms(1), outbox_kind::reply));

    EXPECT_EQ(cancel_queued_for_alert(db, alert, at_ms(2)), 1);
    EXPECT_EQ(find_outbox(db, unsent)->state, outbox_state::cancelled);
    EXPECT_EQ(find_outbox(db, claimed)->state, outbox_state::sending); // may be on its way
    EXPECT_EQ(find_outbox(db, reply)->state, outbox_state::queued);
    EXPECT_EQ(outcomes(unsent), std::vector<std::string>{"cancelled"});
    EXPECT_EQ(ids(claim_due(db, at_ms(3), 10)), std::vector<std::int64_t>{reply});
}

TEST_F(outbox, counts_cover_every_state_and_export_selects_by_creation_time)
{
    for (int i = 0; i < 3; ++i)
        enqueue(db, message_to(member_a, at_ms(i * 10)));
    ASSERT_EQ(claim_due(db, at_ms(0), 1).size(), 1u);
    const auto counts = outbox_counts(db);
    EXPECT_EQ(counts.size(), 6u);
    EXPECT_EQ(counts.at(outbox_state::queued), 2);
    EXPECT_EQ(counts.at(outbox_state::sending), 1);
    EXPECT_EQ(counts.at(outbox_state::delivered), 0);

    EXPECT_EQ(export_outbox(db, {}).size(), 3u);
    const auto later = export_outbox(db, {at_ms(10), std::nullopt});
    ASSERT_EQ(later.size(), 2u);
    EXPECT_EQ(later[0].created_at, at_ms(10));
}

TEST_F(outbox, attempts_cannot_be_updated_or_deleted)
{
    const auto id = enqueue(db, message_to(member_a, at_ms(0)));
    ASSERT_EQ(claim_due(db, at_ms(0), 1).size(), 1u);
    ASSERT_TRUE(mark_sent(db, id, "k-1", at_ms(1), "0: Accepted"));
    EXPECT_THROW(db.exec("UPDATE outbox_attempts SET detail = ''"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM outbox_attempts"), SQLite::Exception);
    EXPECT_EQ(outbox_attempts(db, id)[0].detail, "0: Accepted");
}

// Each multi-row write is one savepoint: when a later row cannot be written, the earlier are undone.
TEST_F(outbox, a_write_whose_attempt_row_fails_leaves_the_message_as_it_was)
{
    const auto alert = an_alert();
    const auto a = alert_message(alert, member_a, at_ms(0));
    const auto b = alert_message(alert, member_b, at_ms(0));
    ASSERT_EQ(claim_due(db, at_ms(0), 1).size(), 1u); // a is sending, b queued
    db.exec("CREATE TEMP TRIGGER refuse_attempts BEFORE INSERT ON outbox_attempts"
            " BEGIN SELECT RAISE(ABORT, 'disk full, say'); END");

    EXPECT_THROW((void)mark_sent(db, a, "k-1", at_ms(1), ""), SQLite::Exception);
    EXPECT_THROW((void)mark_attempt_failed(db, a, at_ms(1), "503", at_ms(9)), SQLite::Exception);
    EXPECT_THROW((void)give_up(db, a, at_ms(1), "400"), SQLite::Exception);
    EXPECT_THROW((void)apply_delivery_report(db, a, outbox_state::delivered, "", at_ms(1)), SQLite::Exception);
    EXPECT_THROW(cancel_queued_for_alert(db, alert, at_ms(1)), SQLite::Exception);
    EXPECT_EQ(find_outbox(db, a)->state, outbox_state::sending);
    EXPECT_FALSE(find_outbox(db, a)->provider_id);
    EXPECT_EQ(find_outbox(db, b)->state, outbox_state::queued);
    db.exec("DROP TRIGGER refuse_attempts");

    // The requeue's attempt rows go in first; make its update fail instead.
    db.exec("CREATE TEMP TRIGGER refuse_requeue BEFORE UPDATE ON outbox"
            " BEGIN SELECT RAISE(ABORT, 'disk full, say'); END");
    EXPECT_THROW(requeue_in_flight(db, at_ms(2)), SQLite::Exception);
    EXPECT_EQ(find_outbox(db, a)->state, outbox_state::sending);
    EXPECT_TRUE(outbox_attempts(db, a).empty());
    EXPECT_EQ(sqlite3_get_autocommit(db.getHandle()), 1); // no transaction left open
    db.exec("DROP TRIGGER refuse_requeue");
    EXPECT_EQ(requeue_in_flight(db, at_ms(3)), 1);
}

} // namespace
} // namespace kharuul::store
