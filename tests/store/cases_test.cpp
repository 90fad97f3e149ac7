// Cases: consecutive serials with Damm-valid codes, the derived columns and the one history row
// that save_change writes for what the life-cycle machine decided, the service record, undo by
// appending, and the lists for reminders and `kharuul cases`.
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

    // What the gateway does with a case form: the machine decides, the store writes. A refusal
    // is errc::case_closed here (the gateway's replies name each refusal).
    result<case_record> act(const case_action& a, const ::kharuul::cases::action& what)
    {
        auto c = find_case(db, a.case_code);
        if (!c)
            return c;
        const auto d = ::kharuul::cases::decide(c->life, what, a.at);
        if (std::holds_alternative<::kharuul::cases::refusal>(d))
            return make_error_code(errc::case_closed);
        return save_change(db, a, std::get<::kharuul::cases::change>(d));
    }
    result<case_record> track(const case_action& a, const std::string& codes)
    {
        ::kharuul::cases::track t{codes, {}};
        for (const auto& code : split_codes(codes)) {
            const auto e = ::kharuul::cases::tracking_effect_of(code);
            if (e.work)
                t.effect.work = e.work;
            if (e.school)
                t.effect.school = e.school;
            t.effect.lost = t.effect.lost || e.lost;
        }
        return act(a, t);
    }
};

namespace lc = ::kharuul::cases;

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

TEST_F(cases, after_serial_99999_cases_get_seven_digit_codes_and_are_found_by_them)
{
    const auto six = report(2, 0, 0, at_ms(0), 99998);
    ASSERT_EQ(six.size(), 2u);
    EXPECT_EQ(six[0], "999985");
    EXPECT_EQ(six[1], "999999");
    const auto seven = report(1, 1, 0, at_ms(1));
    ASSERT_EQ(seven.size(), 2u);
    EXPECT_EQ(seven[0], "1000002"); // serial 100000
    EXPECT_EQ(seven[1], "1000015");
    for (const auto& code : seven) {
        const auto found = find_case(db, code);
        ASSERT_TRUE(found) << code;
        EXPECT_GE(found->serial, 100000u);
        EXPECT_EQ(found->code, code);
    }
    EXPECT_EQ(cases_reported_by(db, volunteer).size(), 4u);
}

TEST_F(cases, a_serial_whose_seven_digit_code_would_be_a_six_digit_code_and_a_zero_is_skipped)
{
    // 1000090 is 100009 (the demo's first case) with a 0 typed after it: serial 100009 is never used.
    const auto codes = report(3, 0, 0, at_ms(0), 100008);
    ASSERT_EQ(codes.size(), 3u);
    EXPECT_EQ(*parser::case_serial(codes[0]), 100008u);
    EXPECT_EQ(*parser::case_serial(codes[1]), 100010u);
    EXPECT_EQ(*parser::case_serial(codes[2]), 100011u);
    EXPECT_FALSE(find_case(db, "1000090"));
}

TEST_F(cases, children_opened_since_counts_one_phones_cases_by_when_their_messages_arrived)
{
    report(2, 1, 0, at_ms(0));
    report(0, 0, 4, at_ms(60'000));
    EXPECT_EQ(children_opened_since(db, volunteer, at_ms(0)), 7);
    EXPECT_EQ(children_opened_since(db, volunteer, at_ms(1)), 4); // the first message is older
    EXPECT_EQ(children_opened_since(db, volunteer, at_ms(60'001)), 0);
    EXPECT_EQ(children_opened_since(db, team_leader, at_ms(0)), 0); // another phone
}

TEST_F(cases, running_out_of_serials_is_an_error_and_writes_nothing)
{
    const auto last = report(1, 0, 0, at_ms(0), 999998); // the last serial handed out (999999 is skipped)
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
    EXPECT_EQ(c->life.state, lc::case_state::reported);
    EXPECT_EQ(c->life.work, lc::work_status::working);
    EXPECT_EQ(c->life.school, lc::school_status::unknown);
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
    ASSERT_TRUE(track(by(volunteer, code, at_ms(1)), "SCH"));
    const auto history = case_history_of(db, code);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].actor, volunteer);
    EXPECT_EQ(history[0].action, "opened");
}

TEST_F(cases, tracking_updates_work_and_school_apart_and_appends_history)
{
    const auto code = report(1, 0, 0, at_ms(0))[0];
    auto c = track(by(team_leader, code, at_ms(10)), "NFE");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.school, lc::school_status::nfe);
    EXPECT_EQ(c->life.work, lc::work_status::working); // enrolled is not withdrawn
    EXPECT_EQ(c->last_status, "NFE");
    EXPECT_EQ(c->last_tracked_at, at_ms(10));
    EXPECT_EQ(c->last_followed_by, team_leader);

    c = track(by(volunteer, code, at_ms(20)), "STOP SCH");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.work, lc::work_status::not_working);
    EXPECT_EQ(c->life.school, lc::school_status::school);
    EXPECT_EQ(c->last_status, "STOP SCH");

    c = track(by(volunteer, code, at_ms(30)), "MISS");
    EXPECT_EQ(c->life.state, lc::case_state::lost);
    EXPECT_EQ(c->life.work, lc::work_status::unknown);

    const auto history = case_history_of(db, code);
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(history[1].action, "tracked");
    EXPECT_EQ(history[1].detail, "NFE");
    EXPECT_EQ(history[1].actor, team_leader);
    EXPECT_EQ(history[3].at, at_ms(30));
}

TEST_F(cases, the_derived_columns_always_equal_a_replay_of_the_history)
{
    const auto codes = report(2, 0, 0, at_ms(0));
    const auto day = std::chrono::milliseconds(24h);
    ASSERT_TRUE(act(by(team_leader, codes[0], at_ms(1)), lc::verify{true, ""}));
    ASSERT_TRUE(act(by(team_leader, codes[0], at_ms(2)), lc::plan{lc::target::withdrawal, "WFCL"}));
    ASSERT_TRUE(act(by(team_leader, codes[0], at_ms(3)), lc::refer{"NFE"}));
    ASSERT_TRUE(act(by(team_leader, codes[0], at_ms(4)), lc::serve{"FAMILY", true}));
    ASSERT_TRUE(track(by(volunteer, codes[0], at_ms(5) + day), "NFE STOP"));
    auto c = act(by(team_leader, codes[0], at_ms(6) + 2 * day), lc::verify_outcome{lc::outcome::withdrawn});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.state, lc::case_state::outcome);
    EXPECT_EQ(c->life.result, lc::outcome::withdrawn);
    EXPECT_EQ(c->last_service, "FAMILY");
    ASSERT_TRUE(act(by(team_leader, codes[1], at_ms(7)), lc::verify{false, "NOTFOUND"}));

    const case_record before = *find_case(db, codes[0]);
    recompute_all_cases(db);
    EXPECT_EQ(find_case(db, codes[0])->life, before.life);
    EXPECT_EQ(find_case(db, codes[1])->life.state, lc::case_state::dismissed);
    EXPECT_EQ(find_case(db, codes[1])->life.dismiss_reason, "NOTFOUND");

    const auto services = service_record_of(db, codes[0]);
    ASSERT_EQ(services.size(), 2u);
    EXPECT_TRUE(services[0].referral);
    EXPECT_EQ(services[0].service, "NFE");
    EXPECT_FALSE(services[0].family);
    EXPECT_FALSE(services[1].referral);
    EXPECT_EQ(services[1].service, "FAMILY");
    EXPECT_TRUE(services[1].family);
}

TEST_F(cases, undo_appends_a_row_and_the_case_is_what_the_rest_of_its_history_makes_it)
{
    const auto code = report(1, 0, 0, at_ms(0))[0];
    EXPECT_EQ(undo_last_change(db, by("cli:coordinator", code, at_ms(1)), "nothing yet").error(),
              make_error_code(errc::nothing_to_undo));
    ASSERT_TRUE(act(by(team_leader, code, at_ms(2)), lc::verify{false, "NOTCL"})); // a mistyped VER NO
    EXPECT_EQ(find_case(db, code)->life.state, lc::case_state::dismissed);
    auto undone = undo_last_change(db, by("cli:coordinator", code, at_ms(3)), "meant VER OK");
    ASSERT_TRUE(undone);
    EXPECT_EQ(undone->action, "dismissed");
    EXPECT_EQ(find_case(db, code)->life.state, lc::case_state::reported);
    const auto history = case_history_of(db, code);
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[2].action, "undone");
    EXPECT_EQ(history[2].actor, "cli:coordinator");
    EXPECT_EQ(history[2].detail, std::to_string(history[1].id) + " meant VER OK");
    ASSERT_TRUE(act(by(team_leader, code, at_ms(4)), lc::verify{true, ""}));
    EXPECT_EQ(find_case(db, code)->life.state, lc::case_state::confirmed);
}

TEST_F(cases, a_merged_case_leads_to_the_case_it_was_merged_into)
{
    const auto codes = report(2, 0, 0, at_ms(0));
    ASSERT_TRUE(act(by(team_leader, codes[1], at_ms(1)), lc::merge{codes[0]}));
    ASSERT_TRUE(note_absorbed(db, by(team_leader, codes[0], at_ms(1)), codes[1]));
    EXPECT_EQ(find_case(db, codes[1])->life.state, lc::case_state::merged);
    EXPECT_EQ(find_kept_case(db, codes[1])->code, codes[0]);
    EXPECT_EQ(find_kept_case(db, codes[0])->code, codes[0]);
    EXPECT_EQ(case_history_of(db, codes[0]).back().action, "absorbed");
    EXPECT_EQ(find_case(db, codes[0])->life.state, lc::case_state::reported); // absorbing changes nothing
}

TEST_F(cases, closure_ends_changes_and_an_unknown_code_is_reported_as_such)
{
    const auto code = report(1, 0, 0, at_ms(0))[0];
    ASSERT_TRUE(act(by(team_leader, code, at_ms(1)), lc::close{"ADULT"}));
    const auto before = case_history_of(db, code).size();
    EXPECT_FALSE(track(by(volunteer, code, at_ms(2)), "WORK"));   // closed ADULT: not reopened
    EXPECT_FALSE(act(by(team_leader, code, at_ms(2)), lc::verify{true, ""}));
    EXPECT_EQ(case_history_of(db, code).size(), before);

    const auto unknown = parser::make_case_code(55555);
    EXPECT_EQ(find_case(db, unknown).error(), make_error_code(errc::unknown_case));
    EXPECT_EQ(track(by(volunteer, unknown, at_ms(0)), "SCH").error(), make_error_code(errc::unknown_case));
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
    ASSERT_TRUE(track(by(volunteer, theirs[0], at_ms(2)), "SCH")); // now followed by volunteer

    auto expected = mine;
    expected.push_back(theirs[0]);
    EXPECT_EQ(cases_reported_by(db, volunteer), expected);
    EXPECT_EQ(cases_reported_by(db, "+97699000002"), theirs);
    EXPECT_TRUE(cases_reported_by(db, "+97699000003").empty());
}

TEST_F(cases, the_follow_up_list_filters_by_site_area_state_target_and_news)
{
    const auto codes = report(3, 0, 0, at_ms(0));
    ASSERT_TRUE(track(by(volunteer, codes[1], at_ms(100'000)), "SCH"));
    ASSERT_TRUE(act(by(team_leader, codes[2], at_ms(100'000)), lc::close{"ADULT"}));
    case_filter overdue;
    overdue.news_before = at_ms(50'000);
    const auto late = list_cases(db, overdue);
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].code, codes[0]);
    EXPECT_EQ(list_cases(db, {}).size(), 2u); // open cases only, by default
    case_filter closed;
    closed.states = {lc::case_state::closed};
    EXPECT_EQ(list_cases(db, closed).size(), 1u);
    case_filter area;
    area.area = "Area";
    EXPECT_EQ(list_cases(db, area).size(), 2u); // ALT is in Area/One
    area.area = "Are";
    EXPECT_TRUE(list_cases(db, area).empty());
    case_filter prevention;
    prevention.goal = lc::target::prevention;
    EXPECT_TRUE(list_cases(db, prevention).empty());
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
    ASSERT_TRUE(track(by(volunteer, codes[1], t0 + 20 * day), "SCH"));
    // 2: closed: never reminded.
    ASSERT_TRUE(act(by(team_leader, codes[2], t0 + 1 * day), lc::close{"ADULT"}));
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
