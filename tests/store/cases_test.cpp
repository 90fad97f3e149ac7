// Cases: consecutive serials with Damm-valid codes, derived columns kept by the apply_*
// functions, an append-only history, and refusals for unknown and closed cases.
#include "store/cases.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"

#include "parser/case_code.hpp"

#include <gtest/gtest.h>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;
using namespace std::chrono_literals;

const std::string volunteer = "+97699000001";
const std::string team_leader = "+97699000101";

class cases : public testing::store_test {
protected:
    // Stores an ID report's message and event and opens its cases.
    std::vector<std::string> report(int boys, int girls, int unknown, timestamp at,
                                    std::uint32_t first_serial = default_first_case_serial)
    {
        const auto msg = *insert_message(db, sms_from(volunteer, "ID ALT ...", at));
        parser::sms_message m;
        m.kind = parser::form::id;
        parser::sighting s{"ALT", {boys, girls, unknown}, 11, 13, "MINE", {"SHAFT"}};
        m.body = s;
        const auto ev = insert_event(db, make_event(m, msg, volunteer, at));
        auto opening = make_case_opening(m, ev, msg, volunteer, at);
        opening.first_serial = first_serial;
        auto codes = open_cases(db, opening);
        EXPECT_TRUE(codes);
        return codes ? *codes : std::vector<std::string>{};
    }

    case_action by(const std::string& actor, const std::string& code, timestamp at)
    {
        return {code, actor, std::nullopt, std::nullopt, at};
    }
};

TEST_F(cases, one_report_opens_consecutive_serials_with_damm_valid_codes)
{
    const auto first = report(2, 1, 1, at_ms(0));
    ASSERT_EQ(first.size(), 4u);
    const auto second = report(1, 0, 0, at_ms(1));
    ASSERT_EQ(second.size(), 1u);

    std::vector<std::uint32_t> serials;
    for (const auto& code : first) {
        EXPECT_EQ(parser::check_case_code(code), parser::case_code_check::valid) << code;
        serials.push_back(*parser::case_serial(code));
    }
    EXPECT_EQ(serials, (std::vector<std::uint32_t>{10000, 10001, 10002, 10003}));
    EXPECT_EQ(*parser::case_serial(second[0]), 10004u);
    EXPECT_EQ(second[0], parser::make_case_code(10004));

    EXPECT_EQ(find_case(db, first[0])->sex, parser::sex::boy);
    EXPECT_EQ(find_case(db, first[1])->sex, parser::sex::boy);
    EXPECT_EQ(find_case(db, first[2])->sex, parser::sex::girl);
    EXPECT_EQ(find_case(db, first[3])->sex, parser::sex::unknown);
}

TEST_F(cases, the_first_serial_is_configurable_and_never_goes_backwards)
{
    const auto a = report(1, 0, 0, at_ms(0), 20000);
    EXPECT_EQ(*parser::case_serial(a[0]), 20000u);
    const auto b = report(1, 0, 0, at_ms(1), 10000); // lower first serial: continues from max
    EXPECT_EQ(*parser::case_serial(b[0]), 20001u);
}

TEST_F(cases, running_out_of_serials_is_an_error_and_writes_nothing)
{
    const auto last = report(1, 0, 0, at_ms(0), parser::max_case_serial);
    ASSERT_EQ(last.size(), 1u);
    const auto msg = *insert_message(db, sms_from(volunteer, "ID ALT B 12 MINE", at_ms(1)));
    case_opening o;
    o.site = "ALT";
    o.kids = {1, 0, 0};
    o.work = "MINE";
    o.event_id = 1;
    o.message_id = msg;
    o.opened_by = volunteer;
    const auto r = open_cases(db, o);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), make_error_code(errc::case_serials_exhausted));
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM cases").getInt(), 1);
}

TEST_F(cases, a_new_case_is_reported_working_and_followed_by_its_reporter)
{
    const auto code = report(0, 1, 0, at_ms(0))[0];
    const auto c = find_case(db, code);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->state, case_state::reported);
    EXPECT_EQ(c->work_state, work_status::working);
    EXPECT_EQ(c->school_state, school_status::unknown);
    EXPECT_EQ(c->site, "ALT");
    EXPECT_EQ(c->age_min, 11);
    EXPECT_EQ(c->age_max, 13);
    EXPECT_EQ(c->hazards, std::vector<std::string>{"SHAFT"});
    EXPECT_EQ(c->opened_by, volunteer);
    EXPECT_EQ(c->last_followed_by, volunteer);
    EXPECT_EQ(c->last_tracked_at, at_ms(0));
    const auto history = case_history_of(db, code);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].action, "opened");
    EXPECT_EQ(history[0].actor, volunteer);
}

TEST_F(cases, history_rows_cannot_be_updated_or_deleted)
{
    const auto code = report(1, 0, 0, at_ms(0))[0];
    EXPECT_THROW(db.exec("UPDATE case_history SET actor = '+97699000666'"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM case_history"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM cases"), SQLite::Exception); // history still points at them
    ASSERT_TRUE(apply_tracking(db, by(volunteer, code, at_ms(1)), "SCH"));
    const auto history = case_history_of(db, code);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].actor, volunteer);
    EXPECT_EQ(history[0].action, "opened");
}

TEST_F(cases, tracking_updates_work_and_school_apart_and_appends_history)
{
    const auto code = report(1, 0, 0, at_ms(0))[0];
    auto c = apply_tracking(db, by(team_leader, code, at_ms(10)), "NFE");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->school_state, school_status::nfe);
    EXPECT_EQ(c->work_state, work_status::working); // enrolled is not withdrawn
    EXPECT_EQ(c->last_status, "NFE");
    EXPECT_EQ(c->last_tracked_at, at_ms(10));
    EXPECT_EQ(c->last_followed_by, team_leader);

    c = apply_tracking(db, by(volunteer, code, at_ms(20)), "HOME");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->work_state, work_status::not_working);
    EXPECT_EQ(c->school_state, school_status::nfe);

    c = apply_tracking(db, by(volunteer, code, at_ms(30)), "MISS");
    EXPECT_EQ(c->work_state, work_status::unknown);
    EXPECT_EQ(c->school_state, school_status::unknown);

    const auto history = case_history_of(db, code);
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[1].action, "tracked");
    EXPECT_EQ(history[1].detail, "NFE");
    EXPECT_EQ(history[1].actor, team_leader);
    EXPECT_EQ(history[3].at, at_ms(30));
}

TEST_F(cases, verification_confirms_or_disputes_and_closure_ends_all_changes)
{
    const auto codes = report(2, 0, 0, at_ms(0));
    auto c = apply_verification(db, by(team_leader, codes[0], at_ms(1)), false);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->state, case_state::not_confirmed);

    ASSERT_TRUE(apply_tracking(db, by(volunteer, codes[1], at_ms(2)), "SCH"));
    c = apply_verification(db, by(team_leader, codes[1], at_ms(3)), true);
    EXPECT_EQ(c->state, case_state::confirmed);
    EXPECT_EQ(c->verified_status, "SCH");
    EXPECT_EQ(c->verified_at, at_ms(3));

    ASSERT_TRUE(apply_tracking(db, by(volunteer, codes[1], at_ms(4)), "HOME"));
    c = apply_verification(db, by(team_leader, codes[1], at_ms(5)), false); // disputes HOME
    EXPECT_EQ(c->state, case_state::confirmed);
    EXPECT_FALSE(c->verified_status);

    c = apply_referral(db, by(team_leader, codes[1], at_ms(6)), "PSY");
    EXPECT_EQ(c->last_service, "PSY");
    c = apply_closure(db, by(team_leader, codes[1], at_ms(7)), "DONE");
    EXPECT_EQ(c->state, case_state::closed);
    EXPECT_EQ(c->close_reason, "DONE");

    const auto before = case_history_of(db, codes[1]).size();
    for (auto r : {apply_tracking(db, by(volunteer, codes[1], at_ms(8)), "WORK"),
                   apply_referral(db, by(team_leader, codes[1], at_ms(8)), "NFE"),
                   apply_verification(db, by(team_leader, codes[1], at_ms(8)), true),
                   apply_closure(db, by(team_leader, codes[1], at_ms(8)), "DONE")}) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error(), make_error_code(errc::case_closed));
    }
    EXPECT_EQ(case_history_of(db, codes[1]).size(), before);

    std::vector<std::string> actions;
    for (const auto& h : case_history_of(db, codes[1]))
        actions.push_back(h.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"opened", "tracked", "verified", "tracked", "status_not_confirmed",
                                                 "referred", "closed"}));
}

TEST_F(cases, an_unknown_code_is_reported_as_such)
{
    const auto unknown = parser::make_case_code(55555);
    EXPECT_EQ(find_case(db, unknown).error(), make_error_code(errc::unknown_case));
    EXPECT_EQ(apply_tracking(db, by(volunteer, unknown, at_ms(0)), "SCH").error(),
              make_error_code(errc::unknown_case));
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM case_history").getInt(), 0);
}

TEST_F(cases, a_sender_s_own_cases_are_the_did_you_mean_candidates)
{
    const auto mine = report(2, 0, 0, at_ms(0));
    const auto msg = *insert_message(db, sms_from("+97699000002", "ID ALT B 12 MINE", at_ms(1)));
    case_opening o;
    o.site = "ALT";
    o.kids = {1, 0, 0};
    o.age_min = o.age_max = 12;
    o.work = "MINE";
    new_event e;
    e.message_id = msg;
    e.reporter = "+97699000002";
    e.site = "ALT";
    e.occurred_at = at_ms(1);
    o.event_id = insert_event(db, e);
    o.message_id = msg;
    o.opened_by = "+97699000002";
    const auto theirs = *open_cases(db, o);
    ASSERT_TRUE(apply_tracking(db, by(volunteer, theirs[0], at_ms(2)), "SCH")); // now followed by volunteer

    auto expected = mine;
    expected.push_back(theirs[0]);
    EXPECT_EQ(cases_reported_by(db, volunteer), expected);
    EXPECT_EQ(cases_reported_by(db, "+97699000002"), theirs);
    EXPECT_TRUE(cases_reported_by(db, "+97699000003").empty());
}

TEST_F(cases, cases_without_recent_news_are_listed_for_reminders_until_closed)
{
    const auto codes = report(3, 0, 0, at_ms(0));
    ASSERT_TRUE(apply_tracking(db, by(volunteer, codes[1], at_ms(100'000)), "SCH"));
    ASSERT_TRUE(apply_closure(db, by(team_leader, codes[2], at_ms(100'000)), "ADULT"));
    const auto overdue = cases_without_news_since(db, at_ms(50'000));
    ASSERT_EQ(overdue.size(), 1u);
    EXPECT_EQ(overdue[0].code, codes[0]);
    EXPECT_EQ(export_cases(db, {}).size(), 3u);
    EXPECT_EQ(export_cases(db, {at_ms(1), std::nullopt}).size(), 0u);
}

TEST_F(cases, reminders_select_overdue_open_cases_not_reminded_recently)
{
    const auto day = std::chrono::milliseconds(24h);
    const timestamp t0 = at_ms(0);
    const auto codes = report(5, 0, 0, t0);
    // 0: no news since t0, never reminded: due.
    // 1: tracked on day 20: not overdue on day 31.
    ASSERT_TRUE(apply_tracking(db, by(volunteer, codes[1], t0 + 20 * day), "SCH"));
    // 2: closed: never reminded.
    ASSERT_TRUE(apply_closure(db, by(team_leader, codes[2], t0 + 1 * day), "ADULT"));
    // 3: reminded on day 30: not again on day 31.
    ASSERT_TRUE(mark_reminded(db, codes[3], t0 + 30 * day));
    // 4: reminded on day 2 (a week's interval ago and more): due again.
    ASSERT_TRUE(mark_reminded(db, codes[4], t0 + 2 * day));

    const timestamp now = t0 + 31 * day;
    const auto due = cases_needing_reminder(db, now - 30 * day, now - 7 * day);
    std::vector<std::string> got;
    for (const auto& c : due)
        got.push_back(c.code);
    EXPECT_EQ(got, (std::vector<std::string>{codes[0], codes[4]}));
    EXPECT_FALSE(due[0].last_reminder_at);
    EXPECT_EQ(due[1].last_reminder_at, t0 + 2 * day);

    ASSERT_TRUE(mark_reminded(db, codes[0], now));
    ASSERT_TRUE(mark_reminded(db, codes[4], now));
    EXPECT_TRUE(cases_needing_reminder(db, now - 30 * day, now - 7 * day).empty());
    // A reminder is not news: the cases are still without tracking, and due again after a week
    // (with case 3, reminded a day earlier).
    const timestamp week_later = now + 7 * day + 1ms;
    got.clear();
    for (const auto& c : cases_needing_reminder(db, week_later - 30 * day, week_later - 7 * day))
        got.push_back(c.code);
    EXPECT_EQ(got, (std::vector<std::string>{codes[0], codes[3], codes[4]}));
    EXPECT_EQ(find_case(db, codes[0])->last_tracked_at, t0);
    EXPECT_EQ(case_history_of(db, codes[0]).size(), 1u);

    EXPECT_EQ(mark_reminded(db, parser::make_case_code(55555), now).error(), make_error_code(errc::unknown_case));
}

} // namespace
} // namespace kharuul::store
