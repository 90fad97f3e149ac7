// Who is told of a report, and when: routing rules (configuration, with spec/alerts.md as the
// default) decide whether a report alerts and how urgently; plan_recipients turns that decision
// into phones now, on escalation to leaders, and on escalation to coordinators. Pure: the teams
// and coordinators are passed in as values; the gateway loads them and logs what it did.
#pragma once

#include "alerts/escalation_fsm.hpp"
#include "alerts/timestamp.hpp"
#include "parser/language.hpp"
#include "parser/reply.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::alerts {

// The facts of an event a rule can match. For TR: the case's site, area and work, the status.
struct alert_trigger {
    parser::form form = parser::form::id;
    std::string site;                           // site code
    std::string area;                           // the site's area, "Aimag/Soum/Bagh"
    std::string work;                           // canonical work code
    std::vector<std::string> hazards;           // canonical hazard codes
    std::optional<std::string> tracking_status; // TR: the status code
    bool urgent = false;    // the parser's flag: an urgent hazard or work code in the language tables
    bool sensitive = false; // the parser's flag: a sensitive work code (SEX)
};

// One rule (config::routing_rule_config, field for field). Match: every list that is given must
// match (an empty list matches anything); codes are canonical and compared exactly. Effect: each
// field that is set overrides what the default and earlier rules decided.
struct routing_rule {
    std::vector<parser::form> forms;
    std::vector<std::string> sites;
    std::vector<std::string> areas; // an area matches itself and the areas inside it (area_covers)
    std::vector<std::string> work;
    std::vector<std::string> hazards; // any of the trigger's hazards
    std::vector<std::string> statuses;

    std::optional<bool> alert;
    std::optional<bool> urgent;                // the short ACK window, and (unless set below) tell at once
    std::optional<bool> tell_leader_now;       // else: on the first escalation
    std::optional<bool> tell_coordinators_now; // else: on the second escalation
    std::optional<bool> sensitive;             // only teams for sensitive cases, minimal text
};

struct routing_rules {
    std::vector<routing_rule> rules; // in order: later rules win
};

// spec/alerts.md: every ID alerts, and every RISK (never urgent: cases.md 3); TR with status WORK or MISS alerts; work SEX is urgent and
// sensitive. (Urgency itself comes from the parser's flag: SHAFT, HURT, ALONE, SEX.) A
// deployment's rules are appended after these.
routing_rules default_routing();

struct routing_decision {
    bool alert = false;
    bool urgent = false;
    bool sensitive = false;
    bool tell_leader_now = false;
    bool tell_coordinators_now = false;

    bool operator==(const routing_decision&) const = default;
};

// Applies the rules in order, starting from the trigger's own urgent and sensitive flags. A
// report that does not alert tells nobody (tell_* false; urgent and sensitive still describe
// it). tell_leader_now and tell_coordinators_now follow the final urgency ("an urgent report also
// alerts the team leader and the coordinators at once") unless a matching rule set them; a
// sensitive alert tells everyone it goes to at once, whatever the rules say.
routing_decision decide(const alert_trigger& t, const routing_rules& rules);

// True when a team or rule covering `outer` covers a site in `inner`: the same area or one inside
// it ("Ulaanbaatar" covers "Ulaanbaatar/Nalaikh", not "Ulaanbaatar2"). As config::area_covers.
bool area_covers(std::string_view outer, std::string_view inner) noexcept;

struct recipient {
    std::string phone; // E.164
    std::string name;
    std::string role; // "member" | "leader" | "coordinator"
    parser::reply_language lang = parser::reply_language::mn;
    std::optional<std::int64_t> team_id;

    bool operator==(const recipient&) const = default;
};

struct team_view {
    std::int64_t id = 0;
    std::string name;
    bool sensitive_cases = false; // multi-disciplinary: receives sensitive alerts
    std::vector<std::string> areas;
    std::vector<recipient> members; // role "member" or "leader"
};

struct recipient_plan {
    std::vector<recipient> now;
    std::vector<recipient> leaders;      // escalation level 1
    std::vector<recipient> coordinators; // escalation level 2
    bool uncovered = false;              // no (suitable) team covers the site: the gateway logs it

    bool empty() const noexcept { return now.empty() && leaders.empty() && coordinators.empty(); }
};

// Whom to tell. Not alerting: nobody. Otherwise, non-sensitive: the members of every team whose
// areas cover `site_area` now (teams for sensitive cases only where no other team covers it); its leaders now or at level 1 (tell_leader_now); the coordinators
// now or at level 2 (tell_coordinators_now); a site no team covers goes to the coordinators at
// once (uncovered). Sensitive: every member of the teams for sensitive cases that cover the area
// (all such teams when none does; uncovered then) and the coordinators, all now; other teams get
// nothing. The reporter is never told of their own report; each phone appears once, at its
// earliest level (now, then leaders, then coordinators), in team order, then member order.
recipient_plan plan_recipients(const routing_decision& d, std::string_view site_area,
                               const std::vector<team_view>& teams,
                               const std::vector<recipient>& coordinators, std::string_view reporter_phone);

// The escalation machine for a new alert: a level with nobody in it counts as already told, so
// that the machine does not schedule steps that would send nothing.
escalation_state start_escalation(const routing_decision& d, const recipient_plan& plan, timestamp now,
                                  const escalation_policy& p) noexcept;

// Whether a new ID report at the same site may be folded into an open alert ("+3 more children
// reported at ALT, see #17") instead of opening its own: the alert is neither acknowledged nor
// given up, its last report (`last_report_at`: its opening, then each report folded into it, a
// sliding window like store::find_open_report_alert's) came less than `fold_window` before `now`,
// and the report would be routed the same way: it needs nobody told sooner than the alert did (an
// urgent report never folds into a non-urgent alert: it must reach leaders and coordinators at
// once), and it is not sensitive (sensitive alerts never fold: each keeps its own minimal text).
// The caller compares the sites.
bool can_fold(const routing_decision& alert, const escalation_state& alert_state,
              const routing_decision& report, timestamp last_report_at, timestamp now,
              std::chrono::minutes fold_window) noexcept;
// The same with the window counted from the alert's opening (alert_state.opened_at).
bool can_fold(const routing_decision& alert, const escalation_state& alert_state,
              const routing_decision& report, timestamp now, std::chrono::minutes fold_window) noexcept;

} // namespace kharuul::alerts
