#include "alerts/escalation_fsm.hpp"

#include <algorithm>

namespace kharuul::alerts {

std::string_view escalation_level_name(escalation_level l) noexcept {
    switch (l) {
    case escalation_level::initial:
        return "initial";
    case escalation_level::leaders:
        return "leaders";
    case escalation_level::coordinators:
        return "coordinators";
    case escalation_level::repeating:
        return "repeating";
    case escalation_level::closed:
        return "closed";
    }
    return "initial";
}

std::string_view escalation_action_name(escalation_step::action a) noexcept {
    using action = escalation_step::action;
    switch (a) {
    case action::none:
        return "none";
    case action::tell_leaders:
        return "tell_leaders";
    case action::tell_coordinators:
        return "tell_coordinators";
    case action::repeat_all:
        return "repeat_all";
    case action::give_up:
        return "give_up";
    }
    return "none";
}

std::chrono::minutes ack_window(bool urgent, const escalation_policy& p) noexcept {
    return std::max(urgent ? p.urgent_ack : p.normal_ack, std::chrono::minutes{1});
}

escalation_state start(bool urgent, bool leaders_told_now, bool coordinators_told_now, timestamp now,
                       const escalation_policy& p) noexcept {
    escalation_state s;
    s.urgent = urgent;
    s.opened_at = now;
    s.leaders_told = leaders_told_now;
    s.coordinators_told = coordinators_told_now;
    s.next_at = now + ack_window(urgent, p);
    return s;
}

escalation_step on_time(const escalation_state& s, timestamp now, const escalation_policy& p) noexcept {
    using action = escalation_step::action;
    if (s.level == escalation_level::closed || !s.next_at || now < *s.next_at) {
        return {s, action::none};
    }
    escalation_step step{s, action::none};
    escalation_state& n = step.state;
    if (s.acknowledged) { // not reachable through on_ack, which closes; kept total all the same
        n.level = escalation_level::closed;
        n.next_at.reset();
        return step;
    }
    n.next_at = now + ack_window(s.urgent, p);
    if (!s.leaders_told) {
        n.level = escalation_level::leaders;
        n.leaders_told = true;
        step.what = action::tell_leaders;
    } else if (!s.coordinators_told) {
        n.level = escalation_level::coordinators;
        n.coordinators_told = true;
        step.what = action::tell_coordinators;
    } else if (s.repeats < std::max(p.max_repeats, 0)) {
        n.level = escalation_level::repeating;
        ++n.repeats;
        step.what = action::repeat_all;
    } else {
        n.level = escalation_level::closed;
        n.next_at.reset();
        step.what = action::give_up;
    }
    return step;
}

escalation_state on_ack(const escalation_state& s, timestamp now) noexcept {
    escalation_state n = s;
    n.level = escalation_level::closed;
    n.next_at.reset();
    if (!n.acknowledged) {
        n.acknowledged = true;
        n.acknowledged_at = now;
    }
    return n;
}

} // namespace kharuul::alerts
