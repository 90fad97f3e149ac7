// The escalation machine over a simulated clock: the exact minute of every step for urgent,
// normal and sensitive alerts left unanswered for a month; an ACK at each stage stopping it; an
// ACK after the machine gave up; late ticks; and a policy without repeats.
#include "alerts/escalation_fsm.hpp"

#include "tests/alerts/alerts_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::alerts {
namespace {

using namespace std::chrono_literals;
using action = escalation_step::action;

struct event {
    std::chrono::minutes at; // since the alert started
    action what;
    bool operator==(const event&) const = default;
};

std::ostream& operator<<(std::ostream& os, const event& e) {
    return os << "{" << e.at.count() << " min, " << escalation_action_name(e.what) << "}";
}

struct run_result {
    std::vector<event> events;
    escalation_state last;
};

// Ticks the machine every minute for 30 days (the gateway's timer is coarser, the machine must
// not care), acknowledging at `ack_at` if given.
run_result simulate_month(escalation_state s, const escalation_policy& p,
                          std::optional<std::chrono::minutes> ack_at = std::nullopt) {
    const timestamp t0 = s.opened_at;
    run_result r;
    for (std::chrono::minutes m{1}; m <= std::chrono::days{30}; ++m) {
        if (ack_at && m == *ack_at)
            s = on_ack(s, t0 + m);
        const escalation_step step = on_time(s, t0 + m, p);
        if (step.what != action::none)
            r.events.push_back({m, step.what});
        s = step.state;
    }
    r.last = s;
    return r;
}

const escalation_policy policy{30min, 720min, 3};

TEST(escalation, urgent_alert_that_told_everyone_repeats_every_half_hour_then_gives_up) {
    const auto r = simulate_month(start(true, true, true, testing::day_zero(), policy), policy);
    EXPECT_EQ(r.events, (std::vector<event>{{30min, action::repeat_all},
                                            {60min, action::repeat_all},
                                            {90min, action::repeat_all},
                                            {120min, action::give_up}}));
    EXPECT_EQ(r.last.level, escalation_level::closed);
    EXPECT_FALSE(r.last.acknowledged);
    EXPECT_FALSE(r.last.next_at.has_value());
    EXPECT_EQ(r.last.repeats, 3);
}

TEST(escalation, normal_alert_goes_to_leaders_then_coordinators_every_twelve_hours) {
    const auto r = simulate_month(start(false, false, false, testing::day_zero(), policy), policy);
    EXPECT_EQ(r.events, (std::vector<event>{{12h, action::tell_leaders},
                                            {24h, action::tell_coordinators},
                                            {36h, action::repeat_all},
                                            {48h, action::repeat_all},
                                            {60h, action::repeat_all},
                                            {72h, action::give_up}}));
    EXPECT_EQ(r.last.level, escalation_level::closed);
    EXPECT_TRUE(r.last.leaders_told && r.last.coordinators_told);
}

TEST(escalation, urgent_alert_whose_coordinators_wait_is_told_them_after_half_an_hour) {
    const auto r = simulate_month(start(true, true, false, testing::day_zero(), policy), policy);
    EXPECT_EQ(r.events, (std::vector<event>{{30min, action::tell_coordinators},
                                            {60min, action::repeat_all},
                                            {90min, action::repeat_all},
                                            {120min, action::repeat_all},
                                            {150min, action::give_up}}));
}

TEST(escalation, sensitive_alert_told_everyone_at_once_like_an_urgent_one) {
    // Routing tells everyone of a sensitive alert at once; SEX is urgent.
    const auto r = simulate_month(start(true, true, true, testing::day_zero(), policy), policy);
    ASSERT_FALSE(r.events.empty());
    EXPECT_EQ(r.events.front(), (event{30min, action::repeat_all}));
}

TEST(escalation, an_ack_at_any_stage_stops_everything_after_it) {
    struct row {
        bool urgent;
        std::chrono::minutes ack_at;
        std::size_t steps_before;
    } rows[] = {
        {false, 5min, 0}, {false, 13h, 1}, {false, 25h, 2},  {false, 37h, 3},
        {false, 71h, 5},  {true, 1min, 0}, {true, 31min, 1}, {true, 119min, 3},
    };
    for (const auto& r : rows) {
        const auto run = simulate_month(start(r.urgent, r.urgent, r.urgent, testing::day_zero(), policy),
                                        policy, r.ack_at);
        EXPECT_EQ(run.events.size(), r.steps_before) << r.ack_at.count();
        for (const auto& e : run.events)
            EXPECT_LT(e.at, r.ack_at);
        EXPECT_TRUE(run.last.acknowledged);
        EXPECT_EQ(run.last.level, escalation_level::closed);
        EXPECT_EQ(run.last.acknowledged_at, testing::day_zero() + r.ack_at);
        EXPECT_FALSE(run.last.next_at.has_value());
    }
}

TEST(escalation, an_ack_after_giving_up_is_still_recorded) {
    const auto gave_up = simulate_month(start(true, true, true, testing::day_zero(), policy), policy).last;
    ASSERT_EQ(gave_up.level, escalation_level::closed);
    const auto late = testing::day_zero() + std::chrono::days{3};
    const auto acked = on_ack(gave_up, late);
    EXPECT_TRUE(acked.acknowledged);
    EXPECT_EQ(acked.acknowledged_at, late);
    EXPECT_EQ(acked.level, escalation_level::closed);
    EXPECT_EQ(on_time(acked, late + std::chrono::days{1}, policy).what, action::none);
    // A second ACK keeps the first one's time.
    EXPECT_EQ(on_ack(acked, late + 1h).acknowledged_at, late);
}

TEST(escalation, nothing_happens_before_the_scheduled_time) {
    const auto s = start(false, false, false, testing::day_zero(), policy);
    ASSERT_EQ(s.next_at, testing::day_zero() + 12h);
    const auto step = on_time(s, testing::day_zero() + 12h - 1ms, policy);
    EXPECT_EQ(step.what, action::none);
    EXPECT_EQ(step.state, s);
}

TEST(escalation, a_late_tick_takes_one_step_and_gives_a_whole_window_from_then) {
    const auto t0 = testing::day_zero();
    const auto s = start(false, false, false, t0, policy);
    const auto late = t0 + 40h; // the gateway was down for more than three windows
    const auto step = on_time(s, late, policy);
    EXPECT_EQ(step.what, action::tell_leaders);
    EXPECT_EQ(step.state.next_at, late + 12h);
    EXPECT_EQ(on_time(step.state, late, policy).what, action::none);
}

TEST(escalation, a_policy_without_repeats_gives_up_after_the_coordinators) {
    const escalation_policy no_repeats{30min, 60min, 0};
    const auto r = simulate_month(start(false, false, false, testing::day_zero(), no_repeats), no_repeats);
    EXPECT_EQ(r.events, (std::vector<event>{{60min, action::tell_leaders},
                                            {120min, action::tell_coordinators},
                                            {180min, action::give_up}}));
}

TEST(escalation, a_zero_window_still_moves_one_minute_at_a_time) {
    const escalation_policy zero{0min, 0min, 1};
    const auto r = simulate_month(start(false, false, false, testing::day_zero(), zero), zero);
    EXPECT_EQ(r.events, (std::vector<event>{{1min, action::tell_leaders},
                                            {2min, action::tell_coordinators},
                                            {3min, action::repeat_all},
                                            {4min, action::give_up}}));
}

TEST(escalation, levels_and_actions_have_stable_names) {
    EXPECT_EQ(escalation_level_name(escalation_level::repeating), "repeating");
    EXPECT_EQ(escalation_action_name(action::tell_coordinators), "tell_coordinators");
    EXPECT_EQ(escalation_action_name(action::give_up), "give_up");
}

} // namespace
} // namespace kharuul::alerts
