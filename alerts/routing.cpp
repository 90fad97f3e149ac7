#include "alerts/routing.hpp"

#include <algorithm>
#include <set>

namespace kharuul::alerts {

namespace {

bool listed(const std::vector<std::string>& list, std::string_view s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

bool matches(const routing_rule& r, const alert_trigger& t) {
    if (!r.forms.empty() && std::find(r.forms.begin(), r.forms.end(), t.form) == r.forms.end()) {
        return false;
    }
    if (!r.sites.empty() && !listed(r.sites, t.site)) {
        return false;
    }
    if (!r.areas.empty() && std::none_of(r.areas.begin(), r.areas.end(),
                                         [&](const std::string& a) { return area_covers(a, t.area); })) {
        return false;
    }
    if (!r.work.empty() && !listed(r.work, t.work)) {
        return false;
    }
    if (!r.hazards.empty() && std::none_of(t.hazards.begin(), t.hazards.end(),
                                           [&](const std::string& h) { return listed(r.hazards, h); })) {
        return false;
    }
    if (!r.statuses.empty() && (!t.tracking_status || !listed(r.statuses, *t.tracking_status))) {
        return false;
    }
    return true;
}

bool covers_any(const team_view& team, std::string_view site_area) {
    return std::any_of(team.areas.begin(), team.areas.end(),
                       [&](const std::string& a) { return area_covers(a, site_area); });
}

} // namespace

routing_rules default_routing() {
    routing_rules r;
    routing_rule id;
    id.forms = {parser::form::id};
    id.alert = true;
    r.rules.push_back(std::move(id));

    // RISK (cases.md 3) alerts the covering team as a normal report, never an urgent one.
    routing_rule risk;
    risk.forms = {parser::form::risk};
    risk.alert = true;
    risk.urgent = false;
    r.rules.push_back(std::move(risk));

    routing_rule tracking;
    tracking.forms = {parser::form::tr};
    tracking.statuses = {"WORK", "MISS"};
    tracking.alert = true;
    r.rules.push_back(std::move(tracking));

    // "Work code SEX is always urgent and always sensitive" (spec/sms-language.md), also when a
    // TR about such a case alerts: the case's work is in the trigger.
    routing_rule sex;
    sex.work = {"SEX"};
    sex.urgent = true;
    sex.sensitive = true;
    r.rules.push_back(std::move(sex));
    return r;
}

routing_decision decide(const alert_trigger& t, const routing_rules& rules) {
    routing_decision d;
    d.urgent = t.urgent;
    d.sensitive = t.sensitive;
    std::optional<bool> leader;
    std::optional<bool> coordinators;
    for (const auto& r : rules.rules) {
        if (!matches(r, t)) {
            continue;
        }
        d.alert = r.alert.value_or(d.alert);
        d.urgent = r.urgent.value_or(d.urgent);
        d.sensitive = r.sensitive.value_or(d.sensitive);
        if (r.tell_leader_now) {
            leader = r.tell_leader_now;
        }
        if (r.tell_coordinators_now) {
            coordinators = r.tell_coordinators_now;
        }
    }
    if (d.alert) {
        d.tell_leader_now = d.sensitive || leader.value_or(d.urgent);
        d.tell_coordinators_now = d.sensitive || coordinators.value_or(d.urgent);
    }
    return d;
}

bool area_covers(std::string_view outer, std::string_view inner) noexcept {
    if (outer.empty() || !inner.starts_with(outer)) {
        return false;
    }
    return inner.size() == outer.size() || inner[outer.size()] == '/';
}

recipient_plan plan_recipients(const routing_decision& d, std::string_view site_area,
                               const std::vector<team_view>& teams,
                               const std::vector<recipient>& coordinators, std::string_view reporter_phone) {
    recipient_plan plan;
    if (!d.alert) {
        return plan;
    }
    std::vector<recipient> now;
    std::vector<recipient> leaders;
    std::vector<recipient> later_coordinators;
    auto member_of = [](const team_view& team, const recipient& m) {
        recipient r = m;
        r.team_id = team.id;
        return r;
    };
    if (d.sensitive) {
        std::vector<const team_view*> chosen;
        for (const auto& team : teams) {
            if (team.sensitive_cases && covers_any(team, site_area)) {
                chosen.push_back(&team);
            }
        }
        if (chosen.empty()) {
            plan.uncovered = true;
            for (const auto& team : teams) {
                if (team.sensitive_cases) {
                    chosen.push_back(&team);
                }
            }
        }
        for (const team_view* team : chosen) {
            for (const auto& m : team->members) {
                now.push_back(member_of(*team, m));
            }
        }
        now.insert(now.end(), coordinators.begin(), coordinators.end());
    } else {
        // Ordinary alerts go to the ordinary teams covering the site; a team for sensitive cases
        // (often a city-wide multi-disciplinary team) gets them only where no ordinary team covers
        // the site, so that it is not flooded with every report of its city.
        bool ordinary_covers = false;
        for (const auto& team : teams) {
            ordinary_covers = ordinary_covers || (!team.sensitive_cases && covers_any(team, site_area));
        }
        bool covered = false;
        for (const auto& team : teams) {
            if (!covers_any(team, site_area) || (ordinary_covers && team.sensitive_cases)) {
                continue;
            }
            covered = true;
            for (const auto& m : team.members) {
                if (m.role == "leader") {
                    (d.tell_leader_now ? now : leaders).push_back(member_of(team, m));
                } else {
                    now.push_back(member_of(team, m));
                }
            }
        }
        plan.uncovered = !covered;
        auto& coordinator_level = covered && !d.tell_coordinators_now ? later_coordinators : now;
        coordinator_level.insert(coordinator_level.end(), coordinators.begin(), coordinators.end());
    }
    std::set<std::string, std::less<>> seen;
    auto keep = [&](std::vector<recipient>& from, std::vector<recipient>& to) {
        for (auto& r : from) {
            if (r.phone.empty() || r.phone == reporter_phone || !seen.insert(r.phone).second) {
                continue;
            }
            to.push_back(std::move(r));
        }
    };
    keep(now, plan.now);
    keep(leaders, plan.leaders);
    keep(later_coordinators, plan.coordinators);
    return plan;
}

escalation_state start_escalation(const routing_decision& d, const recipient_plan& plan, timestamp now,
                                  const escalation_policy& p) noexcept {
    return start(d.urgent, d.tell_leader_now || plan.leaders.empty(),
                 d.tell_coordinators_now || plan.coordinators.empty(), now, p);
}

bool can_fold(const routing_decision& alert, const escalation_state& alert_state,
              const routing_decision& report, timestamp last_report_at, timestamp now,
              std::chrono::minutes fold_window) noexcept {
    if (alert_state.acknowledged || alert_state.level == escalation_level::closed) {
        return false;
    }
    if (now < last_report_at || now - last_report_at >= fold_window) {
        return false;
    }
    if (alert.sensitive || report.sensitive) {
        return false;
    }
    // Folding tells nobody at once: the report may not need anyone told sooner than the alert did.
    return (alert.urgent || !report.urgent) && (alert.tell_leader_now || !report.tell_leader_now) &&
           (alert.tell_coordinators_now || !report.tell_coordinators_now);
}

bool can_fold(const routing_decision& alert, const escalation_state& alert_state,
              const routing_decision& report, timestamp now, std::chrono::minutes fold_window) noexcept {
    return can_fold(alert, alert_state, report, alert_state.opened_at, now, fold_window);
}

} // namespace kharuul::alerts
