// The escalation of one alert as a sans-I/O state machine (spec/alerts.md, "Acknowledge and
// escalate"): the gateway feeds it the time and the ACK, persists the state it returns, and
// carries out the action (tell the leaders, the coordinators, everyone again). Pure and total:
// plain values in and out, no clock reads, no exceptions, every input has a defined answer.
#pragma once

#include "alerts/timestamp.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kharuul::alerts {

// How far an alert has gone. `initial`: only its first recipients were told; `leaders` and
// `coordinators`: the step that told them has happened; `repeating`: everyone was told and is
// being told again; `closed`: acknowledged, or given up after the repeats (an unacknowledged
// closed alert stays open in the coordinators' log, it is only no longer re-sent).
enum class escalation_level : std::uint8_t { initial, leaders, coordinators, repeating, closed };

// "initial", "leaders", "coordinators", "repeating", "closed": how the store and log name it.
std::string_view escalation_level_name(escalation_level l) noexcept;

// config::alerts_config's urgent_ack and normal_ack, plus how often everyone is told again.
struct escalation_policy {
    std::chrono::minutes urgent_ack{30};
    std::chrono::minutes normal_ack{720};
    int max_repeats = 3; // repeat_all steps before giving up; negative counts as 0
};

// The acknowledgement window of an alert: urgent_ack or normal_ack, at least one minute (so that
// a zero or negative setting cannot make the machine fire every step at once).
std::chrono::minutes ack_window(bool urgent, const escalation_policy& p) noexcept;

struct escalation_state {
    escalation_level level = escalation_level::initial;
    bool urgent = false;
    bool acknowledged = false;
    int repeats = 0;                          // repeat_all steps taken
    timestamp opened_at{};                    // when start() was called: "NO ACK 30 min" counts from it
    std::optional<timestamp> next_at;         // when on_time has something to do; nullopt: nothing, ever
    std::optional<timestamp> acknowledged_at; // the first ACK
    bool leaders_told = false;
    bool coordinators_told = false;

    bool operator==(const escalation_state&) const = default;
};

// A new alert, just sent to its first recipients. `leaders_told_now` / `coordinators_told_now`:
// whether those were among them (urgent and sensitive alerts; a level with nobody in it counts
// as told, see routing.hpp start_escalation). The first step is one window from `now`.
escalation_state start(bool urgent, bool leaders_told_now, bool coordinators_told_now, timestamp now,
                       const escalation_policy& p) noexcept;

struct escalation_step {
    // What the gateway must do now. give_up: the repeats are spent; record it, send nothing.
    enum class action : std::uint8_t { none, tell_leaders, tell_coordinators, repeat_all, give_up };

    escalation_state state;
    action what = action::none;

    bool operator==(const escalation_step&) const = default;
};

// "none", "tell_leaders", "tell_coordinators", "repeat_all", "give_up".
std::string_view escalation_action_name(escalation_step::action a) noexcept;

// The clock moved to `now`. Before next_at, or when closed: nothing. Otherwise, unless
// acknowledged, the next level that still has someone untold (leaders, then coordinators: an
// alert that told both at once goes straight to repeating), then repeat_all up to max_repeats
// times, then give_up (closed, nothing scheduled). Each step schedules the next one window after
// `now`, not after the missed next_at: when the gateway was down, recipients still get a whole
// window to answer. One call takes at most one step; call again for the next.
escalation_step on_time(const escalation_state& s, timestamp now, const escalation_policy& p) noexcept;

// An ACK arrived: closed, acknowledged, nothing scheduled. An ACK after the machine gave up is
// still recorded (acknowledged and acknowledged_at set); a second ACK changes nothing.
escalation_state on_ack(const escalation_state& s, timestamp now) noexcept;

// There is deliberately no on_fold. A report folded into an open alert (routing.hpp can_fold)
// leaves the machine as it is: restarting the clock would let a busy site postpone the
// escalation of its first, still unanswered report for as long as reports keep coming.

} // namespace kharuul::alerts
