// Alerts: creation with its history, folding ID reports for a site within the window, recipients
// told once per person, acknowledging once, escalation steps only on open alerts, the due list for
// the escalation timer, and an append-only history whose multi-row writes are all or nothing.
#include "store/alerts.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;
using namespace std::chrono_literals;

const std::string volunteer = "+97699000001";
const std::string member_a = "+97699000101";
const std::string member_b = "+97699000102";
const std::string coordinator_a = "+97699000301";

class alerts : public testing::store_test {
protected:
    struct stored {
        std::int64_t message_id = 0;
        std::int64_t event_id = 0;
    };

    // The message and event an alert points at.
    stored report_message(const std::string& from, timestamp at, const std::string& text = "ID ALT B 12 MINE SHAFT")
    {
        const auto msg = *insert_message(db, sms_from(from, text, at));
        new_event e;
        e.message_id = msg;
        e.form = parser::form::id;
        e.reporter = from;
        e.site = "ALT";
        e.occurred_at = at;
        return {msg, insert_event(db, e)};
    }

    new_alert report_alert(timestamp at, std::string site = "ALT", bool urgent = true)
    {
        const auto m = report_message(volunteer, at);
        new_alert a;
        a.kind = alert_kind::report;
        a.site = std::move(site);
        a.team_id = team_id("Team one");
        a.urgent = urgent;
        a.boys = 2;
        a.age_min = 11;
        a.age_max = 13;
        a.work = "MINE";
        a.hazards = {"SHAFT"};
        a.case_codes = {"100007", "100015"};
        a.reporter = volunteer;
        a.message_id = m.message_id;
        a.event_id = m.event_id;
        a.created_at = at;
        a.escalation.next_escalation_at = at + 30min;
        return a;
    }

    std::int64_t team_id(const std::string& name)
    {
        SQLite::Statement s(db, "SELECT id FROM teams WHERE name = ?");
        s.bind(1, name);
        EXPECT_TRUE(s.executeStep());
        return s.getColumn(0).getInt64();
    }

    std::vector<std::string> history_whats(std::int64_t id)
    {
        std::vector<std::string> out;
        for (const auto& h : alert_history(db, id))
            out.push_back(h.what);
        return out;
    }

    int count(const char* sql) { return db.execAndGet(sql).getInt(); }
};

TEST_F(alerts, a_new_alert_is_open_with_its_report_and_a_created_history_row)
{
    const auto a = report_alert(at_ms(0));
    const auto id = create_alert(db, a);
    EXPECT_EQ(create_alert(db, report_alert(at_ms(1), "DKH")), id + 1); // numbers are consecutive

    const auto r = find_alert(db, id);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->id, id);
    EXPECT_EQ(r->kind, alert_kind::report);
    EXPECT_EQ(r->site, "ALT");
    EXPECT_EQ(r->team_id, a.team_id);
    EXPECT_TRUE(r->urgent);
    EXPECT_FALSE(r->sensitive);
    EXPECT_EQ(r->boys, 2);
    EXPECT_EQ(r->age_min, 11);
    EXPECT_EQ(r->work, "MINE");
    EXPECT_EQ(r->hazards, std::vector<std::string>{"SHAFT"});
    EXPECT_EQ(r->case_codes, (std::vector<std::string>{"100007", "100015"}));
    EXPECT_FALSE(r->tracking_status);
    EXPECT_EQ(r->message_id, a.message_id);
    EXPECT_EQ(r->state, alert_state::open);
    EXPECT_EQ(r->escalation.level, 0);
    EXPECT_EQ(r->escalation.next_escalation_at, at_ms(0) + 30min);
    EXPECT_EQ(r->last_report_at, at_ms(0));
    EXPECT_EQ(r->folded_children, 0);
    EXPECT_FALSE(r->acked_by);

    const auto history = alert_history(db, id);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].what, "created");
    EXPECT_EQ(history[0].phone, volunteer);
    EXPECT_EQ(history[0].at, at_ms(0));
    EXPECT_EQ(history[0].detail, "report at ALT, urgent, level 0");
}

TEST_F(alerts, a_tracking_alert_keeps_its_status_and_case)
{
    const auto m = report_message(volunteer, at_ms(0), "TR 100007 WORK");
    new_alert a;
    a.kind = alert_kind::tracking;
    a.site = "ALT";
    a.case_codes = {"100007"};
    a.tracking_status = "WORK";
    a.reporter = volunteer;
    a.message_id = m.message_id;
    a.event_id = m.event_id;
    a.created_at = at_ms(0);
    const auto r = find_alert(db, create_alert(db, a));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, alert_kind::tracking);
    EXPECT_EQ(r->tracking_status, "WORK");
    EXPECT_FALSE(r->team_id);
    EXPECT_FALSE(r->age_min);
    EXPECT_FALSE(r->escalation.next_escalation_at);
}

TEST_F(alerts, an_unknown_number_is_reported_as_such_and_nothing_is_written)
{
    EXPECT_EQ(find_alert(db, 17).error(), make_error_code(errc::unknown_alert));
    EXPECT_EQ(acknowledge_alert(db, 17, member_a, std::nullopt, at_ms(0)).error(),
              make_error_code(errc::unknown_alert));
    EXPECT_EQ(fold_into_alert(db, 17, 1, {"100023"}, 1, at_ms(0)).error(), make_error_code(errc::unknown_alert));
    EXPECT_EQ(update_alert_escalation(db, 17, {}, alert_state::open, at_ms(0), "escalated", "").error(),
              make_error_code(errc::unknown_alert));
    EXPECT_EQ(count("SELECT COUNT(*) FROM alert_history"), 0);
    EXPECT_THROW(add_alert_recipient(db, 17, {member_a, "A", recipient_role::member, "mn", 0, at_ms(0), {}}),
                 SQLite::Exception); // a broken invariant: the gateway made up a number
}

TEST_F(alerts, reports_for_the_same_site_within_the_window_fold_into_the_open_alert)
{
    const auto window = 15min;
    const auto id = create_alert(db, report_alert(at_ms(0)));
    create_alert(db, report_alert(at_ms(0), "DKH"));

    // Ten minutes later: folded.
    const timestamp second = at_ms(0) + 10min;
    const auto open = find_open_report_alert(db, "ALT", second - window);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->id, id);
    const auto m = report_message(volunteer, second);
    const auto folded = fold_into_alert(db, id, 3, {"100023", "100031", "100049"}, m.message_id, second);
    ASSERT_TRUE(folded);
    EXPECT_EQ(folded->folded_children, 3);
    EXPECT_EQ(folded->boys, 2); // the first report's children stay as reported
    EXPECT_EQ(folded->case_codes,
              (std::vector<std::string>{"100007", "100015", "100023", "100031", "100049"}));
    EXPECT_EQ(folded->last_report_at, second);

    // The window runs from the last report: 14 minutes after the fold still folds ...
    EXPECT_TRUE(find_open_report_alert(db, "ALT", second + 14min - window));
    // ... 16 minutes after it does not.
    EXPECT_FALSE(find_open_report_alert(db, "ALT", second + 16min - window));
    // Another site's alert is not this one.
    EXPECT_EQ(find_open_report_alert(db, "DKH", second - window)->site, "DKH");
    EXPECT_FALSE(find_open_report_alert(db, "XYZ", at_ms(0) - window));

    EXPECT_EQ(history_whats(id), (std::vector<std::string>{"created", "folded"}));
    const auto h = alert_history(db, id).back();
    EXPECT_EQ(h.at, second);
    EXPECT_EQ(h.detail, "+3 children; cases 100023 100031 100049; message " + std::to_string(m.message_id));
}

TEST_F(alerts, an_acknowledged_or_tracking_or_other_sensitivity_alert_takes_no_fold)
{
    const auto acked = create_alert(db, report_alert(at_ms(0)));
    ASSERT_TRUE(acknowledge_alert(db, acked, member_a, std::nullopt, at_ms(1)));
    EXPECT_FALSE(find_open_report_alert(db, "ALT", at_ms(0)));

    auto sensitive = report_alert(at_ms(2));
    sensitive.sensitive = true;
    const auto sensitive_id = create_alert(db, sensitive);
    EXPECT_EQ(find_open_report_alert(db, "ALT", at_ms(0))->id, sensitive_id); // no filter: any
    EXPECT_EQ(find_open_report_alert(db, "ALT", at_ms(0), true)->id, sensitive_id);
    EXPECT_FALSE(find_open_report_alert(db, "ALT", at_ms(0), false));

    auto tracking = report_alert(at_ms(3));
    tracking.kind = alert_kind::tracking;
    create_alert(db, tracking);
    EXPECT_FALSE(find_open_report_alert(db, "ALT", at_ms(0), false));
}

TEST_F(alerts, each_person_has_one_recipient_row_and_every_telling_is_in_the_history)
{
    const auto id = create_alert(db, report_alert(at_ms(0)));
    add_alert_recipient(db, id, {member_a, "Member A", recipient_role::member, "mn", 0, at_ms(1), std::nullopt});
    add_alert_recipient(db, id, {member_b, "Member B", recipient_role::member, "en", 0, at_ms(1), std::nullopt});
    add_alert_recipient(db, id, {member_a, "Member A", recipient_role::leader, "mn", 1, at_ms(2), std::nullopt});

    const auto rows = alert_recipients(db, id);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].phone, member_a); // first told first
    EXPECT_EQ(rows[0].role, recipient_role::leader);
    EXPECT_EQ(rows[0].level, 1);
    EXPECT_EQ(rows[0].told_at, at_ms(2));
    EXPECT_EQ(rows[1].phone, member_b);
    EXPECT_EQ(rows[1].lang, "en");

    EXPECT_TRUE(is_alert_recipient(db, id, member_a));
    EXPECT_FALSE(is_alert_recipient(db, id, coordinator_a));
    EXPECT_FALSE(is_alert_recipient(db, id + 1, member_a));

    const auto history = alert_history(db, id);
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[1].what, "told");
    EXPECT_EQ(history[1].phone, member_a);
    EXPECT_EQ(history[1].detail, "member, level 0");
    EXPECT_EQ(history[3].detail, "leader, level 1, again");
    EXPECT_EQ(history[3].at, at_ms(2));
}

TEST_F(alerts, acknowledging_twice_is_refused_and_writes_nothing_the_second_time)
{
    const auto id = create_alert(db, report_alert(at_ms(0)));
    const auto ack_message = report_message(member_a, at_ms(5), "ACK 1").message_id;
    const auto first = acknowledge_alert(db, id, member_a, ack_message, at_ms(5));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->state, alert_state::acknowledged);
    EXPECT_EQ(first->acked_by, member_a);
    EXPECT_EQ(first->acked_at, at_ms(5));
    EXPECT_EQ(first->acked_message_id, ack_message);
    EXPECT_FALSE(first->escalation.next_escalation_at);

    const auto history_before = alert_history(db, id).size();
    const auto second = acknowledge_alert(db, id, member_b, std::nullopt, at_ms(6));
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error(), make_error_code(errc::alert_already_acknowledged));
    const auto after = find_alert(db, id);
    EXPECT_EQ(after->acked_by, member_a);
    EXPECT_EQ(after->acked_at, at_ms(5));
    EXPECT_EQ(alert_history(db, id).size(), history_before);
    EXPECT_EQ(history_whats(id), (std::vector<std::string>{"created", "acknowledged"}));
    EXPECT_EQ(alert_history(db, id).back().phone, member_a);
    EXPECT_TRUE(open_alerts(db).empty());
}

TEST_F(alerts, escalation_steps_apply_to_open_alerts_only_and_a_late_ack_still_counts)
{
    const auto id = create_alert(db, report_alert(at_ms(0)));
    alert_escalation step{1, 0, true, false, at_ms(0) + 60min};
    auto r = update_alert_escalation(db, id, step, alert_state::open, at_ms(0) + 30min, "escalated", "to leaders");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->escalation.level, 1);
    EXPECT_TRUE(r->escalation.leaders_told);
    EXPECT_EQ(r->escalation.next_escalation_at, at_ms(0) + 60min);

    r = update_alert_escalation(db, id, {4, 2, true, true, std::nullopt}, alert_state::closed, at_ms(0) + 90min,
                                "closed", "nobody acknowledged");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, alert_state::closed);
    EXPECT_EQ(update_alert_escalation(db, id, step, alert_state::open, at_ms(0) + 91min, "escalated", "").error(),
              make_error_code(errc::alert_closed));

    // Someone acts on it after all.
    r = acknowledge_alert(db, id, coordinator_a, std::nullopt, at_ms(0) + 120min);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->state, alert_state::acknowledged);
    EXPECT_EQ(update_alert_escalation(db, id, step, alert_state::open, at_ms(0) + 121min, "escalated", "").error(),
              make_error_code(errc::alert_already_acknowledged));

    EXPECT_EQ(history_whats(id), (std::vector<std::string>{"created", "escalated", "closed", "acknowledged"}));
    EXPECT_EQ(alert_history(db, id)[1].detail, "to leaders");

    // A level the schema does not know is a broken invariant.
    const auto other = create_alert(db, report_alert(at_ms(1)));
    EXPECT_THROW((void)update_alert_escalation(db, other, {max_alert_level + 1, 0, false, false, std::nullopt},
                                               alert_state::open, at_ms(2), "escalated", ""),
                 SQLite::Exception);
    EXPECT_THROW((void)update_alert_escalation(db, other, {1, 0, false, false, std::nullopt},
                                               alert_state::acknowledged, at_ms(2), "escalated", ""),
                 std::invalid_argument);
    EXPECT_EQ(find_alert(db, other)->escalation.level, 0);
    EXPECT_EQ(history_whats(other), std::vector<std::string>{"created"});
}

TEST_F(alerts, due_alerts_are_the_open_ones_past_their_time_most_overdue_first)
{
    auto a = report_alert(at_ms(0));
    a.escalation.next_escalation_at = at_ms(300);
    const auto late = create_alert(db, a);
    a = report_alert(at_ms(1));
    a.escalation.next_escalation_at = at_ms(100);
    const auto later_made_earlier_due = create_alert(db, a);
    a = report_alert(at_ms(2));
    a.escalation.next_escalation_at = at_ms(50);
    const auto acked = create_alert(db, a);
    ASSERT_TRUE(acknowledge_alert(db, acked, member_a, std::nullopt, at_ms(3)));
    a = report_alert(at_ms(4));
    a.escalation.next_escalation_at = std::nullopt;
    const auto unscheduled = create_alert(db, a);

    EXPECT_EQ(next_alert_due(db), at_ms(100));
    EXPECT_TRUE(alerts_due(db, at_ms(99), 10).empty());
    auto due = alerts_due(db, at_ms(300), 10);
    ASSERT_EQ(due.size(), 2u);
    EXPECT_EQ(due[0].id, later_made_earlier_due);
    EXPECT_EQ(due[1].id, late);
    EXPECT_EQ(alerts_due(db, at_ms(300), 1).size(), 1u);

    std::vector<std::int64_t> open;
    for (const auto& r : open_alerts(db))
        open.push_back(r.id);
    EXPECT_EQ(open, (std::vector<std::int64_t>{late, later_made_earlier_due, unscheduled}));

    ASSERT_TRUE(acknowledge_alert(db, later_made_earlier_due, member_a, std::nullopt, at_ms(5)));
    ASSERT_TRUE(acknowledge_alert(db, late, member_a, std::nullopt, at_ms(5)));
    EXPECT_FALSE(next_alert_due(db));
}

TEST_F(alerts, export_selects_by_creation_time)
{
    create_alert(db, report_alert(at_ms(0)));
    create_alert(db, report_alert(at_ms(10)));
    create_alert(db, report_alert(at_ms(20)));
    EXPECT_EQ(export_alerts(db, {}).size(), 3u);
    const auto middle = export_alerts(db, {at_ms(5), at_ms(20)});
    ASSERT_EQ(middle.size(), 1u);
    EXPECT_EQ(middle[0].created_at, at_ms(10));
}

TEST_F(alerts, history_rows_cannot_be_updated_or_deleted)
{
    const auto id = create_alert(db, report_alert(at_ms(0)));
    EXPECT_THROW(db.exec("UPDATE alert_history SET what = 'acknowledged'"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM alert_history"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM alerts"), SQLite::Exception); // history still points at them
    EXPECT_EQ(history_whats(id), std::vector<std::string>{"created"});
}

// Each multi-row write is one savepoint: when its last row cannot be written, its first is undone.
TEST_F(alerts, a_write_whose_history_row_fails_leaves_nothing_behind)
{
    const auto id = create_alert(db, report_alert(at_ms(0)));
    const auto m = report_message(volunteer, at_ms(1));
    db.exec("CREATE TEMP TRIGGER refuse_history BEFORE INSERT ON alert_history"
            " BEGIN SELECT RAISE(ABORT, 'disk full, say'); END");

    EXPECT_THROW(create_alert(db, report_alert(at_ms(2))), SQLite::Exception);
    EXPECT_EQ(count("SELECT COUNT(*) FROM alerts"), 1);

    EXPECT_THROW((void)fold_into_alert(db, id, 2, {"100023"}, m.message_id, at_ms(3)), SQLite::Exception);
    EXPECT_THROW(add_alert_recipient(db, id, {member_a, "A", recipient_role::member, "mn", 0, at_ms(3), {}}),
                 SQLite::Exception);
    EXPECT_THROW((void)acknowledge_alert(db, id, member_a, std::nullopt, at_ms(3)), SQLite::Exception);
    EXPECT_THROW((void)update_alert_escalation(db, id, {1, 0, true, false, std::nullopt}, alert_state::open,
                                               at_ms(3), "escalated", ""),
                 SQLite::Exception);

    const auto r = find_alert(db, id);
    EXPECT_EQ(r->folded_children, 0);
    EXPECT_EQ(r->case_codes.size(), 2u);
    EXPECT_EQ(r->state, alert_state::open);
    EXPECT_EQ(r->escalation.level, 0);
    EXPECT_TRUE(alert_recipients(db, id).empty());
    EXPECT_EQ(sqlite3_get_autocommit(db.getHandle()), 1); // no transaction left open

    db.exec("DROP TRIGGER refuse_history");
    EXPECT_TRUE(acknowledge_alert(db, id, member_a, std::nullopt, at_ms(4)));
}

} // namespace
} // namespace kharuul::store
