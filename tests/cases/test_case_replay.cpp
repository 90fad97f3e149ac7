// Tests of cases/case_fsm.hpp, the history side: action_of() on the rows of this build and of older
// ones, replay() with its `until` and undo rows, the timeline, last_undoable(); and a property
// test over thousands of random seasons: no outcome is ever counted without the evidence OUT
// needs, and replaying the history rows always gives the case decide() produced.
#include "cases/case_fsm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

// Inside the namespace so that `close` is the action, not POSIX close().
namespace kharuul::cases {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

const timestamp t0 = time_point_cast<milliseconds>(sys_days{2026y / July / 1});

timestamp day(int n) {
    return t0 + days{n};
}

history_row row(std::int64_t id, std::string action, std::string detail, timestamp at) {
    return history_row{id, std::move(action), std::move(detail), at};
}

// A season as the store would hold it: ID, VER OK, PLAN W, TR STOP, OUT WD.
std::vector<history_row> withdrawn_season() {
    return {
        row(1, "opened", "ALT", day(0)),     row(2, "verified", "", day(1)),
        row(3, "planned", "W WFCL", day(2)), row(4, "tracked", "NFE STOP", day(30)),
        row(5, "outcome", "WD", day(40)),
    };
}

// --- action_of ---

TEST(case_replay, rows_of_this_build_read_back_as_their_actions) {
    const auto read = [](std::string a, std::string d) {
        return action_of(row(1, std::move(a), std::move(d), t0));
    };
    EXPECT_TRUE(std::get<verify>(*read("verified", "")).ok);
    EXPECT_EQ(std::get<verify>(*read("dismissed", "NOTFOUND")).reason, "NOTFOUND");
    EXPECT_FALSE(std::get<verify>(*read("dismissed", "NOTFOUND")).ok);
    const plan p = std::get<plan>(*read("planned", "W WFCL"));
    EXPECT_EQ(p.goal, target::withdrawal);
    EXPECT_EQ(p.category, "WFCL");
    const plan q = std::get<plan>(*read("planned", "P"));
    EXPECT_EQ(q.goal, target::prevention);
    EXPECT_EQ(q.category, "");
    EXPECT_EQ(std::get<refer>(*read("referred", "PSY")).service, "PSY");
    const serve s = std::get<serve>(*read("serviced", "FAMILY FAM"));
    EXPECT_EQ(s.service, "FAMILY");
    EXPECT_TRUE(s.family);
    EXPECT_FALSE(std::get<serve>(*read("serviced", "NFE")).family);
    EXPECT_EQ(std::get<verify_outcome>(*read("outcome", "LESS")).result, outcome::reduced);
    EXPECT_EQ(std::get<verify_outcome>(*read("outcome", "NO")).result, outcome::none);
    EXPECT_EQ(std::get<merge>(*read("merged", "100014")).into, "100014");
    EXPECT_EQ(std::get<close>(*read("closed", "MOVED")).reason, "MOVED");
}

TEST(case_replay, a_tracked_row_gives_the_effect_of_its_codes_in_either_order) {
    for (const std::string codes : {"NFE STOP", "STOP NFE"}) {
        const track t = std::get<track>(*action_of(row(1, "tracked", codes, t0)));
        EXPECT_EQ(t.codes, codes);
        EXPECT_EQ(t.effect.school, school_status::nfe) << codes;
        EXPECT_EQ(t.effect.work, work_status::not_working) << codes;
        EXPECT_FALSE(t.effect.lost);
    }
    EXPECT_TRUE(std::get<track>(*action_of(row(1, "tracked", "MISS", t0))).effect.lost);
}

TEST(case_replay, rows_of_older_builds_read_as_what_they_meant) {
    const auto ver = action_of(row(1, "verified", "NFE", t0)); // the old build kept the status here
    ASSERT_TRUE(ver);
    EXPECT_TRUE(std::get<verify>(*ver).ok);
    const auto not_confirmed = action_of(row(1, "not_confirmed", "", t0));
    ASSERT_TRUE(not_confirmed);
    EXPECT_FALSE(std::get<verify>(*not_confirmed).ok);
    EXPECT_EQ(std::get<verify>(*not_confirmed).reason, "OTHER");
    for (const auto name : {"opened", "absorbed", "status_not_confirmed", "undone", "escalated", ""})
        EXPECT_EQ(action_of(row(1, name, "12 typo", t0)), std::nullopt) << name;
}

TEST(case_replay, rows_whose_detail_this_build_cannot_read_record_no_action) {
    EXPECT_EQ(action_of(row(1, "planned", "", t0)), std::nullopt);
    EXPECT_EQ(action_of(row(1, "planned", "X CL", t0)), std::nullopt);
    EXPECT_EQ(action_of(row(1, "outcome", "MAYBE", t0)), std::nullopt);
    EXPECT_EQ(action_of(row(1, "outcome", "", t0)), std::nullopt);
    EXPECT_EQ(action_of(row(1, "serviced", "NFE KIDS", t0)), std::nullopt);
}

TEST(case_replay, an_older_build_history_replays_to_a_case_past_triage) {
    // What store/cases.cpp wrote before this machine: one status per TR row.
    const std::vector<history_row> h{
        row(1, "opened", "ALT", day(0)),
        row(2, "tracked", "NFE", day(1)),
        row(3, "verified", "NFE", day(2)),
        row(4, "tracked", "HOME", day(3)),
        row(5, "status_not_confirmed", "HOME", day(4)),
        row(6, "closed", "MOVED", day(5)),
    };
    const timeline t = replay(open_case(opening::id, day(0)), h);
    EXPECT_EQ(t.at_end.state, case_state::closed);
    EXPECT_EQ(t.at_end.close_reason, "MOVED");
    EXPECT_EQ(t.at_end.school, school_status::nfe);
    EXPECT_EQ(t.at_end.work, work_status::not_working);
    EXPECT_EQ(t.at_end.last_tracked_at, day(3));
    EXPECT_EQ(t.confirmed_at, day(2));
    EXPECT_EQ(t.dismissed_at, std::nullopt);
}

TEST(case_replay, an_older_build_not_confirmed_row_dismisses_as_other) {
    const std::vector<history_row> h{row(1, "opened", "ALT", day(0)), row(2, "not_confirmed", "", day(1))};
    const timeline t = replay(open_case(opening::id, day(0)), h);
    EXPECT_EQ(t.at_end.state, case_state::dismissed);
    EXPECT_EQ(t.at_end.dismiss_reason, "OTHER");
    EXPECT_EQ(t.dismissed_at, day(1));
}

TEST(case_replay, older_builds_that_confirmed_after_a_dismissal_leave_the_last_triage_standing) {
    const std::vector<history_row> h{row(1, "verified", "", day(1)), row(2, "not_confirmed", "", day(2)),
                                     row(3, "verified", "", day(3))};
    const timeline t = replay(open_case(opening::id, day(0)), h);
    EXPECT_EQ(t.at_end.state, case_state::confirmed);
    EXPECT_EQ(t.confirmed_at, day(3));
    EXPECT_EQ(t.dismissed_at, std::nullopt);
    const timeline before = replay(open_case(opening::id, day(0)), h, day(3));
    EXPECT_EQ(before.at_end.state, case_state::dismissed);
    EXPECT_EQ(before.confirmed_at, std::nullopt);
    EXPECT_EQ(before.dismissed_at, day(2));
}

// --- replay, until and undo ---

TEST(case_replay, replay_takes_the_rows_before_until_only) {
    const child_case start = open_case(opening::id, day(0));
    const timeline all = replay(start, withdrawn_season());
    EXPECT_EQ(all.at_end.state, case_state::outcome);
    EXPECT_EQ(all.at_end.result, outcome::withdrawn);
    EXPECT_EQ(all.at_end.outcome_at, day(40));
    EXPECT_EQ(all.confirmed_at, day(1));

    const timeline at_outcome = replay(start, withdrawn_season(), day(40));
    EXPECT_EQ(at_outcome.at_end.state, case_state::planned) << "until is excluded";
    EXPECT_EQ(at_outcome.at_end.result, outcome::none);
    EXPECT_EQ(replay(start, withdrawn_season(), day(40) + 1ms).at_end, all.at_end);
    EXPECT_EQ(replay(start, withdrawn_season(), day(0)).at_end, start);
}

TEST(case_replay, an_undone_row_before_until_is_left_out_with_the_undo_row) {
    auto h = withdrawn_season();
    h.push_back(row(6, "undone", undo_detail(5, "OUT sent for the wrong child"), day(41)));
    const child_case start = open_case(opening::id, day(0));
    const timeline t = replay(start, h);
    EXPECT_EQ(t.at_end.state, case_state::planned);
    EXPECT_EQ(t.at_end.result, outcome::none);
    EXPECT_EQ(t.at_end.outcome_at, std::nullopt);
    EXPECT_EQ(t.at_end, replay(start, withdrawn_season(), day(40)).at_end);
}

TEST(case_replay, an_undo_after_until_does_not_change_the_case_as_it_stood) {
    auto h = withdrawn_season();
    h.push_back(row(6, "undone", undo_detail(5, "typo"), day(50)));
    const timeline t = replay(open_case(opening::id, day(0)), h, day(45));
    EXPECT_EQ(t.at_end.state, case_state::outcome);
    EXPECT_EQ(t.at_end.result, outcome::withdrawn);
}

TEST(case_replay, an_undone_triage_leaves_no_confirmation_in_the_timeline) {
    const std::vector<history_row> h{row(1, "opened", "", day(0)), row(2, "verified", "", day(1)),
                                     row(3, "undone", undo_detail(2, "not this child"), day(2)),
                                     row(4, "dismissed", "NOTCL", day(3))};
    const timeline t = replay(open_case(opening::id, day(0)), h);
    EXPECT_EQ(t.at_end.state, case_state::dismissed);
    EXPECT_EQ(t.confirmed_at, std::nullopt);
    EXPECT_EQ(t.dismissed_at, day(3));
    EXPECT_EQ(replay(open_case(opening::id, day(0)), h, day(2)).confirmed_at, day(1));
}

TEST(case_replay, an_undone_merge_brings_the_case_back) {
    const std::vector<history_row> h{row(1, "verified", "", day(1)), row(2, "merged", "100014", day(2)),
                                     row(3, "undone", undo_detail(2, "wrong case"), day(3))};
    const child_case start = open_case(opening::id, day(0));
    EXPECT_EQ(replay(start, h, day(3)).merged_at, day(2));
    EXPECT_EQ(replay(start, h, day(3)).at_end.state, case_state::merged);
    const timeline t = replay(start, h);
    EXPECT_EQ(t.at_end.state, case_state::confirmed);
    EXPECT_EQ(t.at_end.merged_into, "");
    EXPECT_EQ(t.merged_at, std::nullopt);
}

TEST(case_replay, each_re_engagement_is_in_the_timeline_and_voids_the_outcome) {
    auto h = withdrawn_season();
    h.push_back(row(6, "tracked", "WORK", day(50)));
    h.push_back(row(7, "planned", "W", day(51)));
    h.push_back(row(8, "tracked", "STOP", day(60)));
    h.push_back(row(9, "outcome", "WD", day(61)));
    h.push_back(row(10, "closed", "DONE", day(62)));
    h.push_back(row(11, "tracked", "WORK", day(70)));
    const child_case start = open_case(opening::id, day(0));
    const timeline t = replay(start, h);
    EXPECT_EQ(t.re_engaged_at, (std::vector<timestamp>{day(50), day(70)}));
    EXPECT_EQ(t.at_end.state, case_state::re_engaged);
    EXPECT_EQ(t.at_end.result, outcome::none);
    const timeline closed = replay(start, h, day(70));
    EXPECT_EQ(closed.at_end.state, case_state::closed);
    EXPECT_EQ(closed.at_end.result, outcome::withdrawn) << "closed DONE: the outcome still stands";
    EXPECT_EQ(closed.at_end.outcome_at, day(61));
    EXPECT_EQ(closed.re_engaged_at, (std::vector<timestamp>{day(50)}));
}

TEST(case_replay, the_last_undoable_row_is_the_newest_action_not_undone) {
    EXPECT_EQ(last_undoable({}), std::nullopt);
    EXPECT_EQ(last_undoable({row(1, "opened", "ALT", day(0))}), std::nullopt);
    auto h = withdrawn_season();
    h.push_back(row(6, "absorbed", "100020", day(41)));
    EXPECT_EQ(last_undoable(h), 5) << "absorbed records no action";
    h.push_back(row(7, "undone", undo_detail(5, "typo"), day(42)));
    EXPECT_EQ(last_undoable(h), 4) << "neither the undone row nor the undo row";
    h.push_back(row(8, "undone", undo_detail(4, "typo"), day(43)));
    h.push_back(row(9, "undone", undo_detail(3, "typo"), day(43)));
    h.push_back(row(10, "undone", undo_detail(2, "typo"), day(43)));
    EXPECT_EQ(last_undoable(h), std::nullopt) << "only the opening is left";
}

TEST(case_replay, undo_rows_name_the_row_they_undo_and_why) {
    EXPECT_EQ(undo_detail(42, "OUT for the wrong child"), "42 OUT for the wrong child");
    EXPECT_EQ(undone_id(row(9, "undone", undo_detail(42, "OUT for the wrong child"), t0)), 42);
    EXPECT_EQ(undone_id(row(9, "undone", undo_detail(7, ""), t0)), 7);
    EXPECT_EQ(undone_id(row(9, "undone", "42", t0)), 42);
    EXPECT_EQ(undone_id(row(9, "undone", "why 42", t0)), std::nullopt);
    EXPECT_EQ(undone_id(row(9, "undone", "42x typo", t0)), std::nullopt);
    EXPECT_EQ(undone_id(row(9, "undone", "", t0)), std::nullopt);
    EXPECT_EQ(undone_id(row(9, "closed", "42 typo", t0)), std::nullopt) << "only an undo row names one";
}

// --- property: random seasons ---

// What happened to one case, from the forms that were accepted alone (not from the case's
// fields), to judge each OUT independently of the machine.
struct accepted_form {
    timestamp at;
    action form;
    bool evidence = false; // an OUT: its evidence rule held when it was accepted
};

constexpr auto window = days{60};

bool evidence_held(opening by, const std::vector<accepted_form>& before, outcome kind, timestamp at) {
    target goal = by == opening::id ? target::withdrawal : target::prevention;
    std::optional<timestamp> last_tr, last_plan, last_work_news, last_seen_working;
    std::optional<work_status> last_work; // of the last TR with a work code, or unknown when lost
    for (const auto& f : before) {
        if (const auto* p = std::get_if<plan>(&f.form)) {
            goal = p->goal;
            last_plan = f.at;
        } else if (const auto* t = std::get_if<track>(&f.form)) {
            last_tr = f.at;
            if (t->effect.lost) {
                last_work = work_status::unknown;
            } else if (t->effect.work) {
                last_work = t->effect.work;
                last_work_news = f.at;
                if (*t->effect.work == work_status::working)
                    last_seen_working = f.at;
            }
        }
    }
    const auto recent = [&](const std::optional<timestamp>& t) { return t && at - *t <= window; };
    switch (kind) {
    case outcome::withdrawn:
        return goal == target::withdrawal && recent(last_tr) && last_work == work_status::not_working &&
               recent(last_work_news);
    case outcome::reduced:
        return goal == target::withdrawal && recent(last_tr) && last_work == work_status::less &&
               recent(last_work_news);
    case outcome::prevented:
        return goal == target::prevention && recent(last_tr) && last_plan &&
               !(last_seen_working && *last_seen_working >= *last_plan);
    case outcome::none:
        return true;
    }
    return false;
}

struct season_generator {
    std::mt19937_64 rng;

    int pick(int n) { return std::uniform_int_distribution<int>{0, n - 1}(rng); }
    template <class T, std::size_t N> T one_of(const T (&xs)[N]) { return xs[pick(static_cast<int>(N))]; }

    // Gaps of a few hours to 45 days, never zero: the window's edges are crossed often.
    milliseconds gap() { return hours{pick(45 * 24)} + milliseconds{1 + pick(1000)}; }

    track tracking() {
        static const char* const school[]{"SCH", "NFE", "KG", "VOC", "DROP"};
        static const char* const work[]{"STOP", "HOME", "LESS", "WORK", "STOP", "LESS"};
        std::string codes;
        switch (pick(6)) {
        case 0:
            codes = one_of(school);
            break;
        case 1:
        case 2:
            codes = one_of(work);
            break;
        case 3: {
            const std::string s = one_of(school), w = one_of(work);
            codes = pick(2) ? s + " " + w : w + " " + s;
            break;
        }
        case 4:
            codes = pick(2) ? "MOVED" : "MISS";
            break;
        default:
            codes = one_of(work);
            break;
        }
        // The gateway's combined effect, as the history will recompute it.
        return std::get<track>(*action_of(history_row{0, "tracked", codes, {}}));
    }

    action form() {
        static const char* const reasons[]{"NOTCL", "NOTFOUND", "DUP", "OTHER"};
        static const char* const categories[]{"", "CL", "WFCL", "RISK", "DROP", "HARD"};
        static const char* const services[]{"NFE", "SCH", "HEALTH", "PSY", "FAMILY"};
        const int n = pick(100);
        if (n < 8)
            return verify{true, {}};
        if (n < 10)
            return verify{false, one_of(reasons)};
        if (n < 20)
            return plan{pick(3) ? target::withdrawal : target::prevention, one_of(categories)};
        if (n < 24)
            return refer{one_of(services)};
        if (n < 28)
            return serve{one_of(services), pick(2) == 0};
        if (n < 58)
            return tracking();
        if (n < 86) {
            static const outcome kinds[]{outcome::withdrawn, outcome::prevented, outcome::reduced,
                                         outcome::none};
            return verify_outcome{one_of(kinds)};
        }
        if (n < 88)
            return merge{"100014"};
        if (n < 96)
            return close{"DONE"};
        return close{pick(2) ? "ADULT" : "MOVED"};
    }
};

TEST(case_replay, random_seasons_never_count_an_outcome_without_its_evidence_and_always_replay) {
    season_generator gen{std::mt19937_64{20261201}};
    int outcomes[4] = {0, 0, 0, 0};
    int re_engagements = 0, reopenings = 0, undos = 0, returns_from_lost = 0, refusals = 0;

    for (int season = 0; season < 10000; ++season) {
        const opening by = gen.pick(2) ? opening::id : opening::risk;
        timestamp at = t0 + minutes{gen.pick(60 * 24 * 30)};
        const child_case start = open_case(by, at, gen.pick(2) ? "DROP" : "SIB");
        child_case current = start;
        std::int64_t next_id = 100;
        std::vector<history_row> rows{history_row{next_id++, "opened", "ALT", at}};
        std::vector<accepted_form> forms;
        struct frame {
            std::int64_t row_id;
            child_case before;
            std::size_t forms_before;
            bool re_engaged;
        };
        std::vector<frame> undoable;
        std::vector<std::pair<timestamp, child_case>> as_stood;
        std::vector<timestamp> re_engaged_at;

        for (int step = 0; step < 40; ++step) {
            at += gen.gap();
            SCOPED_TRACE("season " + std::to_string(season) + " step " + std::to_string(step));
            if (!undoable.empty() && gen.pick(12) == 0) {
                // A coordinator reverses the last change: the case is as it was before it.
                const frame f = undoable.back();
                undoable.pop_back();
                ASSERT_EQ(last_undoable(rows), f.row_id);
                rows.push_back(history_row{next_id++, "undone", undo_detail(f.row_id, "typo"), at});
                current = f.before;
                forms.resize(f.forms_before);
                if (f.re_engaged)
                    re_engaged_at.pop_back();
                ++undos;
            } else if (gen.pick(15) == 0) {
                rows.push_back(history_row{next_id++, "absorbed", "100020", at}); // records no action
            } else {
                const action a = gen.form();
                const decision d = decide(current, a, at);
                if (const auto* r = std::get_if<refusal>(&d)) {
                    ASSERT_EQ(r->current, current);
                    ++refusals;
                } else {
                    const change& ch = std::get<change>(d);
                    bool evidence = true;
                    if (const auto* o = std::get_if<verify_outcome>(&a)) {
                        evidence = evidence_held(by, forms, o->result, at);
                        EXPECT_TRUE(evidence)
                            << "OUT " << to_string(o->result) << " accepted without evidence";
                        ++outcomes[static_cast<int>(o->result)];
                    }
                    if (std::holds_alternative<track>(a) && current.state == case_state::lost &&
                        ch.after.state != case_state::lost)
                        ++returns_from_lost;
                    re_engagements += ch.re_engaged;
                    reopenings += ch.reopened;
                    if (ch.re_engaged)
                        re_engaged_at.push_back(at);
                    undoable.push_back(frame{next_id, current, forms.size(), ch.re_engaged});
                    rows.push_back(history_row{next_id++, ch.history_action, ch.detail, at});
                    forms.push_back(accepted_form{at, a, evidence});
                    current = ch.after;
                }
            }
            as_stood.emplace_back(at, current);

            // The outcome the case carries is one an OUT of that kind verified, with its
            // evidence, and no TR ... WORK has been accepted since.
            if (current.result != outcome::none) {
                ASSERT_TRUE(current.outcome_at);
                const auto out = std::find_if(forms.begin(), forms.end(), [&](const accepted_form& f) {
                    const auto* o = std::get_if<verify_outcome>(&f.form);
                    return o && o->result == current.result && f.at == *current.outcome_at;
                });
                ASSERT_NE(out, forms.end()) << "result " << to_string(current.result) << " without its OUT";
                EXPECT_TRUE(out->evidence);
                for (auto f = out; f != forms.end(); ++f) {
                    const auto* t = std::get_if<track>(&f->form);
                    EXPECT_FALSE(t && t->effect.work == work_status::working) << "a WORK voids the outcome";
                }
            } else {
                EXPECT_EQ(current.outcome_at, std::nullopt);
            }
        }

        const timeline t = replay(start, rows);
        ASSERT_EQ(t.at_end, current) << "season " << season;
        EXPECT_EQ(t.re_engaged_at, re_engaged_at) << "season " << season;
        for (const auto& [when, c] : as_stood)
            ASSERT_EQ(replay(start, rows, when + 1ms).at_end, c) << "season " << season;
    }

    // The seasons reach every outcome and every turn of the life cycle, so the checks above bite.
    EXPECT_GT(outcomes[static_cast<int>(outcome::withdrawn)], 100);
    EXPECT_GT(outcomes[static_cast<int>(outcome::prevented)], 100);
    EXPECT_GT(outcomes[static_cast<int>(outcome::reduced)], 100);
    EXPECT_GT(outcomes[static_cast<int>(outcome::none)], 100);
    EXPECT_GT(re_engagements, 100);
    EXPECT_GT(reopenings, 10);
    EXPECT_GT(returns_from_lost, 100);
    EXPECT_GT(undos, 100);
    EXPECT_GT(refusals, 1000);
}

} // namespace
} // namespace kharuul::cases
