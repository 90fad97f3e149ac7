// Tests of ussd/session_table.hpp: cumulative and last-input providers give the same dialogue;
// a dialogue dropped or timed out is abandoned with the step it reached and offered again to the
// same number within the resume window; the table stays within max_sessions, evicting the
// oldest abandoned dialogue first.
#include "ussd/session_table.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace kharuul;
using namespace kharuul::ussd;
using namespace std::chrono_literals;

namespace {

const parser::lexicon& lex() {
    static const parser::lexicon l(parser::default_language(), {"ALT", "ULT", "DKH"});
    return l;
}

const menu& tree() {
    static const menu m = default_menu();
    return m;
}

sender_profile volunteer() {
    sender_profile p;
    p.registered = true;
    p.own_sites = {{"ALT", "Altan-Us"}};
    return p;
}

const timestamp t0 = timestamp{} + std::chrono::hours(24 * 365 * 56);

struct table_fixture : ::testing::Test {
    session_table table{session_limits{100, 120s, 10min}};
    std::vector<session_record> ended;

    held_session& open(const std::string& id, const std::string& phone = "+97699000001", timestamp at = t0) {
        return table.open("at", id, phone, volunteer(), at, ended);
    }
    // Last-input style: one input per call.
    const dialogue_state& step(held_session& s, const std::string& input, timestamp at = t0) {
        const std::vector<std::string> one{input};
        return table.advance(s, one, false, tree(), lex(), at);
    }
    const dialogue_state& start(held_session& s, timestamp at = t0) {
        return table.advance(s, {}, false, tree(), lex(), at);
    }
};

} // namespace

TEST_F(table_fixture, cumulative_inputs_and_last_inputs_rebuild_the_same_dialogue) {
    const std::vector<std::string> inputs{"1", "1", "2", "1", "12", "1", "2", "1"};
    held_session& a = open("A", "+97699000001");
    held_session& b = open("B", "+97699000002");
    start(b);
    std::vector<std::string> so_far;
    for (const auto& in : inputs) {
        so_far.push_back(in);
        const dialogue_state& ca = table.advance(a, so_far, true, tree(), lex(), t0);
        const dialogue_state& cb = step(b, in);
        EXPECT_EQ(ca.text, cb.text);
        EXPECT_EQ(ca.at, cb.at);
    }
    ASSERT_TRUE(a.last.report);
    EXPECT_EQ(a.last.report->sms_text, "ID ALT 2B 12 MINE SHAFT");
    EXPECT_EQ(b.last.report->sms_text, a.last.report->sms_text);
    // A provider's retry of a cumulative step changes nothing.
    table.advance(a, so_far, true, tree(), lex(), t0);
    EXPECT_EQ(a.last.report->sms_text, "ID ALT 2B 12 MINE SHAFT");
}

TEST_F(table_fixture, a_dropped_dialogue_is_abandoned_at_its_step_and_offered_to_the_same_number) {
    held_session& s = open("S1");
    start(s);
    for (const char* in : {"1", "1", "2"})
        step(s, in, t0 + 5s);
    const auto dropped = table.drop("at", "S1", t0 + 10s);
    ASSERT_TRUE(dropped);
    EXPECT_EQ(dropped->outcome, session_outcome::abandoned);
    EXPECT_EQ(dropped->why, abandon_reason::dropped);
    EXPECT_EQ(dropped->at, screen::sex);
    EXPECT_EQ(dropped->step, 4);
    EXPECT_EQ(dropped->form, parser::form::id);
    EXPECT_EQ(dropped->steps, "top:1=ID site:1=ALT children:2");
    EXPECT_FALSE(table.drop("at", "S1", t0 + 11s)); // once

    held_session& again = open("S2", "+97699000001", t0 + 9min);
    EXPECT_EQ(start(again, t0 + 9min).text, "Continue your report at step 4?\n1 Yes\n2 Start again");
    EXPECT_EQ(step(again, "1", t0 + 9min).at, screen::sex);
    for (const char* in : {"1", "12", "1", "2", "1"})
        step(again, in, t0 + 9min);
    ASSERT_TRUE(again.last.report);
    EXPECT_EQ(again.last.report->sms_text, "ID ALT 2B 12 MINE SHAFT");
    const session_record done = table.finish(again, "Sent.", t0 + 9min);
    EXPECT_EQ(done.outcome, session_outcome::completed);
    EXPECT_EQ(done.resumed_from, "S1");
    // The old dialogue is offered no more.
    held_session& third = open("S3", "+97699000001", t0 + 9min);
    EXPECT_EQ(start(third, t0 + 9min).at, screen::top);
}

TEST_F(table_fixture, start_again_leaves_the_old_dialogue_abandoned) {
    held_session& s = open("S1");
    start(s);
    step(s, "2");
    table.drop("at", "S1", t0);
    held_session& again = open("S2");
    start(again);
    EXPECT_EQ(step(again, "2").at, screen::top);
    step(again, "3");
    step(again, "1");
    EXPECT_FALSE(table.finish(again, "Visit recorded.", t0).resumed_from);
}

TEST_F(table_fixture, a_timed_out_dialogue_is_abandoned_by_the_sweep_and_offered_within_the_window) {
    held_session& s = open("S1");
    start(s);
    step(s, "4");
    EXPECT_TRUE(table.sweep(t0 + 119s).empty());
    const auto swept = table.sweep(t0 + 120s);
    ASSERT_EQ(swept.size(), 1u);
    EXPECT_EQ(swept[0].why, abandon_reason::timed_out);
    EXPECT_EQ(swept[0].at, screen::case_code);
    EXPECT_EQ(swept[0].step, 2);
    EXPECT_EQ(swept[0].form, parser::form::tr);
    held_session& in_window = open("S2", "+97699000001", t0 + 120s + 10min);
    EXPECT_EQ(start(in_window, t0 + 120s + 10min).at, screen::resume);
}

TEST_F(table_fixture, past_the_resume_window_a_new_session_starts_at_the_top) {
    held_session& s = open("S1");
    start(s);
    step(s, "1");
    table.drop("at", "S1", t0);
    table.sweep(t0 + 10min + 1s); // forgotten
    held_session& late = open("S2", "+97699000001", t0 + 10min + 2s);
    EXPECT_EQ(start(late, t0 + 10min + 2s).at, screen::top);
}

TEST_F(table_fixture, a_dialogue_with_nothing_answered_is_recorded_but_not_offered) {
    held_session& s = open("S1");
    start(s);
    const auto r = table.drop("at", "S1", t0);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at, screen::top);
    EXPECT_EQ(r->step, 1);
    EXPECT_FALSE(r->form);
    held_session& again = open("S2");
    EXPECT_EQ(start(again).at, screen::top);
}

TEST_F(table_fixture, a_new_session_from_the_number_replaces_its_open_one) {
    held_session& s = open("S1");
    start(s);
    step(s, "3");
    held_session& next = open("S2", "+97699000001", t0 + 1s);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0].session_id, "S1");
    EXPECT_EQ(ended[0].why, abandon_reason::replaced);
    EXPECT_EQ(start(next, t0 + 1s).at, screen::resume);
}

TEST_F(table_fixture, dropped_on_the_resume_offer_records_nothing_and_keeps_the_offer) {
    held_session& s = open("S1");
    start(s);
    step(s, "1");
    step(s, "1");
    table.drop("at", "S1", t0);
    held_session& second = open("S2", "+97699000001", t0 + 1min);
    start(second, t0 + 1min);
    EXPECT_FALSE(table.drop("at", "S2", t0 + 2min));
    held_session& third = open("S3", "+97699000001", t0 + 3min);
    EXPECT_EQ(start(third, t0 + 3min).text.substr(0, 32), "Continue your report at step 3?\n");
}

TEST_F(table_fixture, a_finished_session_is_kept_for_the_providers_retry_until_the_timeout) {
    held_session& s = open("S1");
    start(s);
    step(s, "5");
    table.finish(s, "help text", t0);
    ASSERT_NE(table.find("at", "S1"), nullptr);
    EXPECT_EQ(table.find("at", "S1")->end_text, "help text");
    table.sweep(t0 + 120s);
    EXPECT_EQ(table.find("at", "S1"), nullptr);
}

TEST(session_table_bounds, when_full_the_oldest_abandoned_dialogue_is_evicted_first) {
    session_table table{session_limits{3, 120s, 10min}};
    std::vector<session_record> ended;
    auto begin = [&](const std::string& id, const std::string& phone, timestamp at) -> held_session& {
        held_session& s = table.open("at", id, phone, volunteer(), at, ended);
        const std::vector<std::string> one{"1"};
        table.advance(s, {}, false, tree(), lex(), at);
        table.advance(s, one, false, tree(), lex(), at);
        return s;
    };
    begin("A", "+97699000001", t0);
    begin("B", "+97699000002", t0 + 1s);
    table.drop("at", "A", t0 + 2s);
    table.drop("at", "B", t0 + 3s);
    begin("C", "+97699000003", t0 + 4s); // open, the newest
    EXPECT_EQ(table.size(), 3u);
    begin("D", "+97699000004", t0 + 5s);
    EXPECT_EQ(table.size(), 3u);
    EXPECT_EQ(table.find("at", "A"), nullptr); // the oldest abandoned
    EXPECT_NE(table.find("at", "B"), nullptr);
    EXPECT_NE(table.find("at", "C"), nullptr);
    begin("E", "+97699000005", t0 + 6s);
    EXPECT_EQ(table.find("at", "B"), nullptr);
    EXPECT_NE(table.find("at", "C"), nullptr); // open ones go last
    EXPECT_TRUE(ended.empty());
    begin("F", "+97699000006", t0 + 7s); // all open now: the oldest open one is abandoned
    EXPECT_EQ(table.find("at", "C"), nullptr);
    ASSERT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended[0].session_id, "C");
    EXPECT_EQ(ended[0].why, abandon_reason::evicted);
    EXPECT_EQ(table.size(), 3u);
    // An evicted abandoned dialogue is not offered any more.
    held_session& again = table.open("at", "G", "+97699000001", volunteer(), t0 + 8s, ended);
    EXPECT_EQ(table.advance(again, {}, false, tree(), lex(), t0 + 8s).at, screen::top);
}
