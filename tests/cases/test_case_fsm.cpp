// Tests of cases/case_fsm.hpp, decide() and apply(): every state against every action (the table
// is written from cases.md 2, not from the code), the evidence window of OUT at its edges, TR in
// both code orders, a case lost and found again, re-engagement, and the history rows that an
// accepted change writes and that action_of() reads back.
#include "cases/case_fsm.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

// Inside the namespace so that `close` is the action, not POSIX close().
namespace kharuul::cases {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const timestamp t0 = time_point_cast<milliseconds>(sys_days{2026y / July / 1});
const timestamp now = t0 + days{100};

track tr(std::string codes) {
    track t{codes, {}};
    std::size_t i = 0;
    while (i < codes.size()) {
        const std::size_t end = std::min(codes.find(' ', i), codes.size());
        const tracking_effect e = tracking_effect_of(std::string_view{codes}.substr(i, end - i));
        if (e.work)
            t.effect.work = e.work;
        if (e.school)
            t.effect.school = e.school;
        t.effect.lost = t.effect.lost || e.lost;
        i = end + 1;
    }
    return t;
}

const change& accepted(const decision& d) {
    if (const auto* r = std::get_if<refusal>(&d))
        ADD_FAILURE() << "refused: " << to_string(r->code);
    static const change none{};
    const auto* c = std::get_if<change>(&d);
    return c ? *c : none;
}

std::string refused(const decision& d) {
    const auto* r = std::get_if<refusal>(&d);
    return r ? std::string{to_string(r->code)} : "accepted";
}

// The states of the table, built field by field as the store would hold them.
child_case reported() {
    return open_case(opening::id, t0);
}
child_case confirmed() {
    auto c = reported();
    c.state = case_state::confirmed;
    return c;
}
child_case dismissed() {
    auto c = reported();
    c.state = case_state::dismissed;
    c.dismiss_reason = "NOTCL";
    return c;
}
child_case merged() {
    auto c = reported();
    c.state = case_state::merged;
    c.merged_into = "100014";
    return c;
}
// Withdrawal target, seen working before the plan, STOP ten days ago: the evidence for WD.
child_case planned() {
    auto c = confirmed();
    c.state = case_state::planned;
    c.category = "WFCL";
    c.planned_at = now - days{30};
    c.ever_planned = true;
    c.work_seen_at = now - days{40};
    c.work = work_status::not_working;
    c.school = school_status::nfe;
    c.work_reported_at = now - days{10};
    c.last_tracked_at = now - days{10};
    return c;
}
child_case outcome_wd() {
    auto c = planned();
    c.state = case_state::outcome;
    c.result = outcome::withdrawn;
    c.outcome_at = now - days{5};
    return c;
}
// Reduced hours verified 20 days ago, STOP five days ago: may now be verified as withdrawn.
child_case outcome_less() {
    auto c = planned();
    c.state = case_state::outcome;
    c.result = outcome::reduced;
    c.outcome_at = now - days{20};
    c.work_reported_at = now - days{5};
    c.last_tracked_at = now - days{5};
    return c;
}
child_case re_engaged() {
    auto c = planned();
    c.state = case_state::re_engaged;
    c.work = work_status::working;
    c.work_seen_at = c.work_reported_at = c.last_tracked_at = now - days{2};
    return c;
}
child_case lost_from(child_case c) {
    c.state_before_lost = c.state;
    c.state = case_state::lost;
    c.work = work_status::unknown;
    c.school = school_status::unknown;
    c.last_tracked_at = now - days{3};
    return c;
}
child_case closed_from(child_case c, std::string reason) {
    c.state = case_state::closed;
    c.close_reason = std::move(reason);
    return c;
}

const std::array<std::pair<std::string_view, action>, 19> actions{{
    {"VER OK", verify{true, {}}},
    {"VER NO NOTCL", verify{false, "NOTCL"}},
    {"PLAN W WFCL", plan{target::withdrawal, "WFCL"}},
    {"PLAN P", plan{target::prevention, {}}},
    {"REF NFE", refer{"NFE"}},
    {"SVC NFE", serve{"NFE", false}},
    {"SVC FAMILY FAM", serve{"FAMILY", true}},
    {"TR NFE", tr("NFE")},
    {"TR STOP", tr("STOP")},
    {"TR WORK", tr("WORK")},
    {"TR MISS", tr("MISS")},
    {"OUT WD", verify_outcome{outcome::withdrawn}},
    {"OUT PR", verify_outcome{outcome::prevented}},
    {"OUT LESS", verify_outcome{outcome::reduced}},
    {"OUT NO", verify_outcome{outcome::none}},
    {"MERGE 100014", merge{"100014"}},
    {"CLOSE DONE", close{"DONE"}},
    {"CLOSE ADULT", close{"ADULT"}},
    {"CLOSE MOVED", close{"MOVED"}},
}};
const std::array<std::string_view, 19> history_names{
    "verified", "dismissed", "planned", "planned", "referred", "serviced", "serviced",
    "tracked",  "tracked",   "tracked", "tracked", "outcome",  "outcome",  "outcome",
    "outcome",  "merged",    "closed",  "closed",  "closed"};

struct table_row {
    std::string_view name;
    child_case before;
    // One per action above: the state afterwards, or "!" and the refusal code.
    std::array<std::string_view, 19> expected;
};

// clang-format off
const std::vector<table_row>& table()
{
    static const std::vector<table_row> rows{
    //                       VER OK          VER NO          PLAN W            PLAN P            REF            SVC            SVC FAM        TR NFE         TR STOP        TR WORK        TR MISS        OUT WD              OUT PR              OUT LESS         OUT NO           MERGE             CLOSE DONE        CLOSE ADULT  CLOSE MOVED
    {"reported", reported(),    {"confirmed",     "dismissed",    "!not_confirmed", "!not_confirmed", "reported",    "reported",    "reported",    "reported",    "reported",    "reported",    "lost",        "!needs_plan",      "!needs_plan",      "!needs_plan",   "!needs_plan",   "merged",         "!needs_outcome", "closed",    "closed"}},
    {"confirmed", confirmed(),  {"!past_triage",  "!past_triage", "planned",        "planned",        "confirmed",   "confirmed",   "confirmed",   "confirmed",   "confirmed",   "confirmed",   "lost",        "!needs_plan",      "!needs_plan",      "!needs_plan",   "!needs_plan",   "merged",         "!needs_outcome", "closed",    "closed"}},
    {"dismissed", dismissed(),  {"!dismissed",    "!dismissed",   "!dismissed",     "!dismissed",     "!dismissed",  "!dismissed",  "!dismissed",  "!dismissed",  "!dismissed",  "!dismissed",  "!dismissed",  "!dismissed",       "!dismissed",       "!dismissed",    "!dismissed",    "!dismissed",     "!dismissed",     "!dismissed", "!dismissed"}},
    {"merged", merged(),        {"!merged",       "!merged",      "!merged",        "!merged",        "!merged",     "!merged",     "!merged",     "!merged",     "!merged",     "!merged",     "!merged",     "!merged",          "!merged",          "!merged",       "!merged",       "!merged",        "!merged",        "!merged",   "!merged"}},
    {"planned", planned(),      {"!past_triage",  "!past_triage", "planned",        "planned",        "planned",     "planned",     "planned",     "planned",     "planned",     "planned",     "lost",        "outcome",          "!target_mismatch", "!no_less",      "planned",       "!not_mergeable", "!needs_outcome", "closed",    "closed"}},
    {"outcome WD", outcome_wd(), {"!past_triage", "!past_triage", "!has_outcome",   "!has_outcome",   "outcome",     "outcome",     "outcome",     "outcome",     "outcome",     "re_engaged",  "lost",        "!has_outcome",     "!has_outcome",     "!has_outcome",  "!has_outcome",  "!not_mergeable", "closed",         "closed",    "closed"}},
    {"outcome LESS", outcome_less(), {"!past_triage", "!past_triage", "!has_outcome", "!has_outcome", "outcome",     "outcome",     "outcome",     "outcome",     "outcome",     "re_engaged",  "lost",        "outcome",          "!target_mismatch", "!has_outcome",  "!has_outcome",  "!not_mergeable", "!needs_outcome", "closed",    "closed"}},
    {"re_engaged", re_engaged(), {"!past_triage", "!past_triage", "planned",        "planned",        "re_engaged",  "re_engaged",  "re_engaged",  "re_engaged",  "re_engaged",  "re_engaged",  "lost",        "!needs_plan",      "!needs_plan",      "!needs_plan",   "!needs_plan",   "!not_mergeable", "!needs_outcome", "closed",    "closed"}},
    {"lost (planned)", lost_from(planned()), {"!past_triage", "!past_triage", "!lost", "!lost",       "lost",        "lost",        "lost",        "planned",     "planned",     "planned",     "lost",        "!lost",            "!lost",            "!lost",         "!lost",         "!not_mergeable", "!needs_outcome", "closed",    "closed"}},
    {"lost (outcome WD)", lost_from(outcome_wd()), {"!past_triage", "!past_triage", "!lost", "!lost", "lost",        "lost",        "lost",        "outcome",     "outcome",     "re_engaged",  "lost",        "!lost",            "!lost",            "!lost",         "!lost",         "!not_mergeable", "closed",         "closed",    "closed"}},
    {"closed DONE", closed_from(outcome_wd(), "DONE"), {"!closed", "!closed", "!closed",       "!closed",        "!closed",     "!closed",     "!closed",     "!closed",     "!closed",     "re_engaged",  "!closed",     "!closed",          "!closed",          "!closed",       "!closed",       "!closed",        "!closed",        "!closed",   "!closed"}},
    {"closed ADULT", closed_from(planned(), "ADULT"), {"!closed", "!closed", "!closed",        "!closed",        "!closed",     "!closed",     "!closed",     "!closed",     "!closed",     "!closed",     "!closed",     "!closed",          "!closed",          "!closed",       "!closed",       "!closed",        "!closed",        "!closed",   "!closed"}},
    };
    return rows;
}
// clang-format on

TEST(case_fsm, every_state_and_action_gives_the_state_or_refusal_of_the_spec_table) {
    for (const auto& row : table()) {
        for (std::size_t i = 0; i < actions.size(); ++i) {
            const auto& [form, a] = actions[i];
            const std::string_view want = row.expected[i];
            const decision d = decide(row.before, a, now);
            SCOPED_TRACE(std::string{row.name} + " + " + std::string{form});
            if (want.front() == '!') {
                ASSERT_TRUE(std::holds_alternative<refusal>(d)) << "expected refusal " << want;
                EXPECT_EQ(to_string(std::get<refusal>(d).code), want.substr(1));
                EXPECT_EQ(std::get<refusal>(d).current, row.before) << "a refusal changes nothing";
                continue;
            }
            ASSERT_TRUE(std::holds_alternative<change>(d)) << "refused: " << refused(d);
            const change& ch = std::get<change>(d);
            EXPECT_EQ(to_string(ch.after.state), want);
            EXPECT_EQ(ch.history_action, history_names[i]);
            EXPECT_EQ(ch.after, apply(row.before, a, now).after) << "decide is the checks, then apply";
            const history_row written{7, ch.history_action, ch.detail, now};
            EXPECT_EQ(replay(row.before, {written}).at_end, ch.after) << "the row replays to the change";
        }
    }
}

TEST(case_fsm, services_never_change_what_a_case_counts_as) {
    for (const auto& row : table()) {
        for (const action& a :
             {action{refer{"PSY"}}, action{serve{"NFE", false}}, action{serve{"FAMILY", true}}}) {
            const decision d = decide(row.before, a, now);
            if (const auto* ch = std::get_if<change>(&d)) {
                EXPECT_EQ(ch->after, row.before) << row.name;
            }
        }
    }
}

TEST(case_fsm, history_details_name_the_parameters_as_action_of_reads_them) {
    const auto detail = [](const child_case& c, const action& a) {
        return accepted(decide(c, a, now)).detail;
    };
    EXPECT_EQ(detail(reported(), verify{true, {}}), "");
    EXPECT_EQ(detail(reported(), verify{false, "NOTFOUND"}), "NOTFOUND");
    EXPECT_EQ(detail(confirmed(), plan{target::withdrawal, "WFCL"}), "W WFCL");
    EXPECT_EQ(detail(confirmed(), plan{target::prevention, {}}), "P");
    EXPECT_EQ(detail(planned(), refer{"HEALTH"}), "HEALTH");
    EXPECT_EQ(detail(planned(), serve{"NFE", false}), "NFE");
    EXPECT_EQ(detail(planned(), serve{"FAMILY", true}), "FAMILY FAM");
    EXPECT_EQ(detail(planned(), tr("NFE STOP")), "NFE STOP");
    EXPECT_EQ(detail(planned(), verify_outcome{outcome::withdrawn}), "WD");
    EXPECT_EQ(detail(planned(), verify_outcome{outcome::none}), "NO");
    EXPECT_EQ(detail(outcome_less(), verify_outcome{outcome::withdrawn}), "WD");
    EXPECT_EQ(detail(confirmed(), merge{"100014"}), "100014");
    EXPECT_EQ(detail(planned(), close{"ADULT"}), "ADULT");
}

TEST(case_fsm, ver_no_dismisses_with_its_reason_and_ver_ok_confirms) {
    const change no = accepted(decide(reported(), verify{false, "DUP"}, now));
    EXPECT_EQ(no.after.state, case_state::dismissed);
    EXPECT_EQ(no.after.dismiss_reason, "DUP");
    EXPECT_EQ(accepted(decide(reported(), verify{true, {}}, now)).after.state, case_state::confirmed);
}

TEST(case_fsm, plan_sets_target_category_and_time_and_a_new_plan_replaces_the_old) {
    const change first = accepted(decide(confirmed(), plan{target::withdrawal, "WFCL"}, now - days{1}));
    EXPECT_EQ(first.after.goal, target::withdrawal);
    EXPECT_EQ(first.after.category, "WFCL");
    EXPECT_EQ(first.after.planned_at, now - days{1});
    EXPECT_TRUE(first.after.ever_planned);
    const change second = accepted(decide(first.after, plan{target::prevention, "RISK"}, now));
    EXPECT_EQ(second.after.state, case_state::planned);
    EXPECT_EQ(second.after.goal, target::prevention);
    EXPECT_EQ(second.after.category, "RISK");
    EXPECT_EQ(second.after.planned_at, now);
}

TEST(case_fsm, merge_keeps_the_code_of_the_case_it_went_into) {
    const change m = accepted(decide(confirmed(), merge{"100014"}, now));
    EXPECT_EQ(m.after.state, case_state::merged);
    EXPECT_EQ(m.after.merged_into, "100014");
}

// --- TR ---

TEST(case_fsm, tr_with_a_school_and_a_work_code_sets_both_in_either_order) {
    for (const std::string codes : {"NFE STOP", "STOP NFE"}) {
        const change ch = accepted(decide(re_engaged(), tr(codes), now));
        EXPECT_EQ(ch.after.school, school_status::nfe) << codes;
        EXPECT_EQ(ch.after.work, work_status::not_working) << codes;
        EXPECT_EQ(ch.after.work_reported_at, now) << codes;
        EXPECT_EQ(ch.after.last_tracked_at, now) << codes;
        EXPECT_EQ(ch.detail, codes) << "the codes as sent";
        const history_row row{1, ch.history_action, ch.detail, now};
        EXPECT_EQ(replay(re_engaged(), {row}).at_end, ch.after) << codes;
    }
}

TEST(case_fsm, tr_with_only_a_school_code_leaves_the_work_status_as_it_was) {
    const child_case before = re_engaged();
    const change ch = accepted(decide(before, tr("SCH"), now));
    EXPECT_EQ(ch.after.school, school_status::school);
    EXPECT_EQ(ch.after.work, work_status::working);
    EXPECT_EQ(ch.after.work_reported_at, before.work_reported_at) << "no work code: not work news";
    EXPECT_EQ(ch.after.last_tracked_at, now) << "but tracking news";
}

TEST(case_fsm, tr_work_marks_the_child_seen_working) {
    const change ch = accepted(decide(planned(), tr("WORK"), now));
    EXPECT_EQ(ch.after.work, work_status::working);
    EXPECT_EQ(ch.after.work_seen_at, now);
    EXPECT_EQ(ch.after.work_reported_at, now);
    EXPECT_FALSE(ch.re_engaged) << "no outcome to void";
    EXPECT_EQ(accepted(decide(planned(), tr("LESS"), now)).after.work_seen_at, planned().work_seen_at);
}

TEST(case_fsm, every_tracking_code_has_the_effect_of_the_language) {
    EXPECT_EQ(tracking_effect_of("SCH").school, school_status::school);
    EXPECT_EQ(tracking_effect_of("NFE").school, school_status::nfe);
    EXPECT_EQ(tracking_effect_of("KG").school, school_status::kg);
    EXPECT_EQ(tracking_effect_of("VOC").school, school_status::vocational);
    EXPECT_EQ(tracking_effect_of("DROP").school, school_status::none);
    EXPECT_EQ(tracking_effect_of("STOP").work, work_status::not_working);
    EXPECT_EQ(tracking_effect_of("HOME").work, work_status::not_working);
    EXPECT_EQ(tracking_effect_of("LESS").work, work_status::less);
    EXPECT_EQ(tracking_effect_of("WORK").work, work_status::working);
    for (const auto code : {"SCH", "NFE", "KG", "VOC", "DROP"})
        EXPECT_FALSE(tracking_effect_of(code).work || tracking_effect_of(code).lost) << code;
    for (const auto code : {"STOP", "HOME", "LESS", "WORK"})
        EXPECT_FALSE(tracking_effect_of(code).school || tracking_effect_of(code).lost) << code;
    for (const auto code : {"MOVED", "MISS"}) {
        EXPECT_TRUE(tracking_effect_of(code).lost) << code;
        EXPECT_FALSE(tracking_effect_of(code).work || tracking_effect_of(code).school) << code;
    }
    const tracking_effect other = tracking_effect_of("XYZ");
    EXPECT_FALSE(other.work || other.school || other.lost);
}

TEST(case_fsm, a_lost_case_forgets_its_statuses_keeps_its_outcome_and_a_later_tr_brings_it_back) {
    const change lost = accepted(decide(outcome_wd(), tr("MOVED"), now - days{1}));
    EXPECT_EQ(lost.after.state, case_state::lost);
    EXPECT_EQ(lost.after.state_before_lost, case_state::outcome);
    EXPECT_EQ(lost.after.work, work_status::unknown);
    EXPECT_EQ(lost.after.school, school_status::unknown);
    EXPECT_EQ(lost.after.result, outcome::withdrawn) << "a lost case keeps its outcome";
    EXPECT_EQ(lost.after.outcome_at, outcome_wd().outcome_at);
    EXPECT_EQ(lost.after.last_tracked_at, now - days{1});

    const change again = accepted(decide(lost.after, tr("MISS"), now));
    EXPECT_EQ(again.after.state, case_state::lost) << "lost again stays lost";
    EXPECT_EQ(again.after.state_before_lost, case_state::outcome) << "and still returns where it was";

    const change back = accepted(decide(again.after, tr("SCH"), now + days{1}));
    EXPECT_EQ(back.after.state, case_state::outcome);
    EXPECT_EQ(back.after.school, school_status::school);
    EXPECT_EQ(back.after.work, work_status::unknown) << "no work code: still unknown";
    EXPECT_EQ(back.after.result, outcome::withdrawn);
}

TEST(case_fsm, a_lost_planned_case_returns_to_planned_with_the_codes_of_the_tr) {
    const change back = accepted(decide(lost_from(planned()), tr("HOME KG"), now));
    EXPECT_EQ(back.after.state, case_state::planned);
    EXPECT_EQ(back.after.work, work_status::not_working);
    EXPECT_EQ(back.after.school, school_status::kg);
    EXPECT_FALSE(back.re_engaged);
}

TEST(case_fsm, a_case_lost_before_triage_is_past_triage_and_returns_to_reported) {
    const change lost = accepted(decide(reported(), tr("MISS"), now));
    EXPECT_EQ(refused(decide(lost.after, verify{true, {}}, now)), "past_triage");
    EXPECT_EQ(accepted(decide(lost.after, tr("WORK"), now)).after.state, case_state::reported);
}

// --- re-engagement ---

TEST(case_fsm, tr_work_on_an_outcome_re_engages_the_case_and_voids_the_outcome) {
    for (const child_case& before : {outcome_wd(), outcome_less(), lost_from(outcome_wd())}) {
        const change ch = accepted(decide(before, tr("WORK"), now));
        EXPECT_EQ(ch.after.state, case_state::re_engaged);
        EXPECT_EQ(ch.after.result, outcome::none);
        EXPECT_EQ(ch.after.outcome_at, std::nullopt);
        EXPECT_TRUE(ch.re_engaged);
        EXPECT_FALSE(ch.reopened);
        EXPECT_EQ(ch.after.work, work_status::working);
        EXPECT_EQ(ch.after.work_seen_at, now);
    }
}

TEST(case_fsm, tr_work_on_a_case_closed_done_reopens_it_re_engaged) {
    const change ch = accepted(decide(closed_from(outcome_wd(), "DONE"), tr("SCH WORK"), now));
    EXPECT_EQ(ch.after.state, case_state::re_engaged);
    EXPECT_TRUE(ch.reopened);
    EXPECT_TRUE(ch.re_engaged);
    EXPECT_EQ(ch.after.close_reason, "");
    EXPECT_EQ(ch.after.result, outcome::none);
    EXPECT_EQ(ch.after.school, school_status::school);
    EXPECT_EQ(accepted(decide(ch.after, plan{target::withdrawal, "CL"}, now)).after.state,
              case_state::planned);
}

TEST(case_fsm, only_tr_work_reopens_a_case_closed_done) {
    const child_case done = closed_from(outcome_wd(), "DONE");
    EXPECT_EQ(refused(decide(done, tr("STOP"), now)), "closed");
    EXPECT_EQ(refused(decide(done, tr("MOVED"), now)), "closed");
    EXPECT_EQ(refused(decide(closed_from(outcome_wd(), "MOVED"), tr("WORK"), now)), "closed");
}

TEST(case_fsm, a_closed_done_case_keeps_its_outcome_standing) {
    const change ch = accepted(decide(outcome_wd(), close{"DONE"}, now));
    EXPECT_EQ(ch.after.result, outcome::withdrawn);
    EXPECT_EQ(ch.after.outcome_at, outcome_wd().outcome_at);
    EXPECT_EQ(ch.after.close_reason, "DONE");
    EXPECT_EQ(accepted(decide(lost_from(outcome_wd()), close{"DONE"}, now)).after.result, outcome::withdrawn);
}

// --- OUT and its evidence ---

TEST(case_fsm, out_wd_with_stop_reported_in_the_window_verifies_the_withdrawal) {
    const change ch = accepted(decide(planned(), verify_outcome{outcome::withdrawn}, now));
    EXPECT_EQ(ch.after.state, case_state::outcome);
    EXPECT_EQ(ch.after.result, outcome::withdrawn);
    EXPECT_EQ(ch.after.outcome_at, now);
}

TEST(case_fsm, out_no_on_a_planned_case_is_recorded_and_leaves_it_planned) {
    const change ch = accepted(decide(planned(), verify_outcome{outcome::none}, now));
    EXPECT_EQ(ch.after, planned());
    EXPECT_EQ(ch.history_action, "outcome");
    EXPECT_EQ(ch.detail, "NO");
}

TEST(case_fsm, out_wd_without_recent_tr_is_refused_naming_the_missing_step) {
    for (const int age : {59, 60, 61}) {
        auto c = planned();
        c.last_tracked_at = c.work_reported_at = now - days{age};
        const decision d = decide(c, verify_outcome{outcome::withdrawn}, now);
        if (age <= 60) {
            EXPECT_EQ(accepted(d).after.result, outcome::withdrawn) << age;
        } else {
            EXPECT_EQ(refused(d), "no_recent_tr") << age;
        }
    }
    auto never = planned();
    never.last_tracked_at.reset();
    EXPECT_EQ(refused(decide(never, verify_outcome{outcome::withdrawn}, now)), "no_recent_tr");
}

TEST(case_fsm, the_evidence_window_is_the_configured_one) {
    auto c = planned();
    c.last_tracked_at = c.work_reported_at = now - days{20};
    EXPECT_EQ(refused(decide(c, verify_outcome{outcome::withdrawn}, now, rules{days{14}})), "no_recent_tr");
    EXPECT_EQ(accepted(decide(c, verify_outcome{outcome::withdrawn}, now, rules{days{21}})).after.result,
              outcome::withdrawn);
}

TEST(case_fsm, out_wd_needs_the_stop_itself_in_the_window_not_just_any_tr) {
    auto c = planned();
    c.work_reported_at = now - days{61}; // STOP long ago
    c.last_tracked_at = now - days{59};  // then only a school code
    EXPECT_EQ(refused(decide(c, verify_outcome{outcome::withdrawn}, now)), "not_stopped");
    c.work_reported_at = now - days{59};
    EXPECT_EQ(accepted(decide(c, verify_outcome{outcome::withdrawn}, now)).after.result, outcome::withdrawn);
}

TEST(case_fsm, out_wd_on_a_child_still_working_or_working_less_is_not_stopped) {
    for (const auto w : {work_status::working, work_status::less, work_status::unknown}) {
        auto c = planned();
        c.work = w;
        EXPECT_EQ(refused(decide(c, verify_outcome{outcome::withdrawn}, now)), "not_stopped") << to_string(w);
    }
}

TEST(case_fsm, out_less_needs_a_tr_less_in_the_window) {
    auto c = planned();
    c.work = work_status::less;
    for (const int age : {59, 61}) {
        c.last_tracked_at = c.work_reported_at = now - days{age};
        const decision d = decide(c, verify_outcome{outcome::reduced}, now);
        if (age == 59) {
            EXPECT_EQ(accepted(d).after.result, outcome::reduced);
        } else {
            EXPECT_EQ(refused(d), "no_recent_tr");
        }
    }
    c.last_tracked_at = now - days{59}; // a later school code does not make an old LESS recent
    EXPECT_EQ(refused(decide(c, verify_outcome{outcome::reduced}, now)), "no_less");
    c.work = work_status::not_working;
    c.work_reported_at = now - days{1};
    EXPECT_EQ(refused(decide(c, verify_outcome{outcome::reduced}, now)), "no_less");
}

child_case prevention_planned() {
    auto c = open_case(opening::risk, t0, "SIB");
    c.state = case_state::planned;
    c.goal = target::prevention;
    c.category = "RISK";
    c.planned_at = now - days{30};
    c.ever_planned = true;
    c.last_tracked_at = now - days{10};
    return c;
}

TEST(case_fsm, out_pr_needs_a_recent_tr_and_no_work_since_the_plan) {
    auto c = prevention_planned();
    EXPECT_EQ(accepted(decide(c, verify_outcome{outcome::prevented}, now)).after.result, outcome::prevented);
    c.work_seen_at = now - days{31}; // before the plan: the plan answered it
    EXPECT_EQ(accepted(decide(c, verify_outcome{outcome::prevented}, now)).after.result, outcome::prevented);
    c.work_seen_at = now - days{29};
    EXPECT_EQ(refused(decide(c, verify_outcome{outcome::prevented}, now)), "work_since_plan");
    c.work_seen_at.reset();
    c.last_tracked_at = now - days{61};
    EXPECT_EQ(refused(decide(c, verify_outcome{outcome::prevented}, now)), "no_recent_tr");
    c.last_tracked_at = now - days{59};
    EXPECT_EQ(accepted(decide(c, verify_outcome{outcome::prevented}, now)).after.result, outcome::prevented);
}

TEST(case_fsm, out_checks_the_target_before_the_evidence) {
    auto p = prevention_planned();
    p.last_tracked_at.reset();
    EXPECT_EQ(refused(decide(p, verify_outcome{outcome::withdrawn}, now)), "target_mismatch");
    EXPECT_EQ(refused(decide(p, verify_outcome{outcome::reduced}, now)), "target_mismatch");
    auto w = planned();
    w.last_tracked_at.reset();
    EXPECT_EQ(refused(decide(w, verify_outcome{outcome::prevented}, now)), "target_mismatch");
    EXPECT_EQ(refused(decide(w, verify_outcome{outcome::withdrawn}, now)), "no_recent_tr");
}

TEST(case_fsm, reduced_hours_may_later_be_verified_as_withdrawn_but_needs_the_evidence) {
    const change wd = accepted(decide(outcome_less(), verify_outcome{outcome::withdrawn}, now));
    EXPECT_EQ(wd.after.state, case_state::outcome);
    EXPECT_EQ(wd.after.result, outcome::withdrawn);
    EXPECT_EQ(wd.after.outcome_at, now);
    auto still_less = outcome_less();
    still_less.work = work_status::less;
    EXPECT_EQ(refused(decide(still_less, verify_outcome{outcome::withdrawn}, now)), "not_stopped");
}

// --- names ---

TEST(case_fsm, stored_names_read_back_to_the_same_values) {
    for (int i = 0; i <= static_cast<int>(case_state::closed); ++i) {
        const auto s = static_cast<case_state>(i);
        EXPECT_EQ(case_state_from(to_string(s)), s);
    }
    for (int i = 0; i <= static_cast<int>(work_status::unknown); ++i) {
        const auto s = static_cast<work_status>(i);
        EXPECT_EQ(work_status_from(to_string(s)), s);
    }
    for (int i = 0; i <= static_cast<int>(school_status::unknown); ++i) {
        const auto s = static_cast<school_status>(i);
        EXPECT_EQ(school_status_from(to_string(s)), s);
    }
    for (int i = 0; i <= static_cast<int>(outcome::reduced); ++i) {
        const auto o = static_cast<outcome>(i);
        EXPECT_EQ(outcome_from(to_string(o)), o);
    }
    for (int i = 0; i <= static_cast<int>(target::prevention); ++i) {
        const auto t = static_cast<target>(i);
        EXPECT_EQ(target_from(to_string(t)), t);
    }
    EXPECT_EQ(opening_from(to_string(opening::id)), opening::id);
    EXPECT_EQ(opening_from(to_string(opening::risk)), opening::risk);
}

TEST(case_fsm, names_are_spelled_as_the_store_and_the_report_spell_them) {
    EXPECT_EQ(to_string(case_state::re_engaged), "re_engaged");
    EXPECT_EQ(to_string(case_state::closed), "closed");
    EXPECT_EQ(to_string(target::withdrawal), "withdrawal");
    EXPECT_EQ(to_string(target::none), "");
    EXPECT_EQ(to_string(work_status::not_working), "not_working");
    EXPECT_EQ(to_string(school_status::vocational), "vocational");
    EXPECT_EQ(to_string(outcome::withdrawn), "WD");
    EXPECT_EQ(to_string(outcome::prevented), "PR");
    EXPECT_EQ(to_string(outcome::reduced), "LESS");
    EXPECT_EQ(to_string(outcome::none), "");
    EXPECT_EQ(to_string(opening::risk), "RISK");
    EXPECT_EQ(target_from("W"), target::withdrawal);
    EXPECT_EQ(target_from("P"), target::prevention);
    EXPECT_EQ(target_from("X"), std::nullopt);
    EXPECT_EQ(outcome_from("NO"), std::nullopt);
    EXPECT_EQ(case_state_from("not_confirmed"), std::nullopt);
    EXPECT_EQ(to_string(refusal_code::closed), "closed");
    EXPECT_EQ(to_string(refusal_code::past_triage), "past_triage");
    EXPECT_EQ(to_string(refusal_code::work_since_plan), "work_since_plan");
    EXPECT_EQ(to_string(refusal_code::not_mergeable), "not_mergeable");
}

TEST(case_fsm, only_dismissed_merged_and_closed_cases_are_not_open) {
    for (int i = 0; i <= static_cast<int>(case_state::closed); ++i) {
        const auto s = static_cast<case_state>(i);
        const bool shut = s == case_state::dismissed || s == case_state::merged || s == case_state::closed;
        EXPECT_EQ(is_open(s), !shut) << to_string(s);
    }
}

TEST(case_fsm, a_case_opens_reported_with_the_starting_statuses_of_its_form) {
    const child_case id = open_case(opening::id, t0);
    EXPECT_EQ(id.state, case_state::reported);
    EXPECT_EQ(id.opened_at, t0);
    EXPECT_EQ(id.goal, target::withdrawal);
    EXPECT_EQ(id.work, work_status::working);
    EXPECT_EQ(id.school, school_status::unknown);
    const child_case drop = open_case(opening::risk, t0, "DROP");
    EXPECT_EQ(drop.opened_by, opening::risk);
    EXPECT_EQ(drop.goal, target::prevention);
    EXPECT_EQ(drop.work, work_status::unknown);
    EXPECT_EQ(drop.school, school_status::none);
    EXPECT_EQ(open_case(opening::risk, t0, "SIB").school, school_status::unknown);
    EXPECT_FALSE(drop.ever_planned);
    EXPECT_EQ(drop.result, outcome::none);
}

} // namespace
} // namespace kharuul::cases
