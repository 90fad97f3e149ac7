// The life cycle of one child's case (spec cases.md section 2) as a pure machine: a case and an
// action in, the case afterwards or a typed refusal out. No store, no clock, no I/O: the time of
// the action is passed in. decide() checks who-may-not-do-what in the life cycle (not areas: that
// is the gateway's) and the evidence rules of OUT; apply() is the effect alone, used by replay()
// to rebuild a case from its stored history as it stood at any moment, so that a report for a past
// quarter gives the same numbers when it is run again later.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kharuul::cases {

// The store's time: unix milliseconds.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

// An open case is one that is not dismissed, merged or closed.
enum class case_state : std::uint8_t { reported, confirmed, dismissed, merged, planned, outcome, re_engaged, lost, closed };
enum class target : std::uint8_t { none, withdrawal, prevention };
// Kept apart on purpose: a child in school may still be working; enrolment is never an outcome.
enum class work_status : std::uint8_t { working, less, not_working, unknown };
enum class school_status : std::uint8_t { school, nfe, kg, vocational, none, unknown };
// A verified outcome (OUT WD, PR, LESS); none: no outcome stands.
enum class outcome : std::uint8_t { none, withdrawn, prevented, reduced };
// The form that opened the case.
enum class opening : std::uint8_t { id, risk };

// The stored names: "reported" ..., "withdrawal"/"prevention" ("" for none), "working" ...,
// "school" ..., "WD"/"PR"/"LESS" ("" for none), "ID"/"RISK".
std::string_view to_string(case_state s) noexcept;
std::string_view to_string(target t) noexcept;
std::string_view to_string(work_status s) noexcept;
std::string_view to_string(school_status s) noexcept;
std::string_view to_string(outcome o) noexcept;
std::string_view to_string(opening o) noexcept;
std::optional<case_state> case_state_from(std::string_view s) noexcept;
std::optional<target> target_from(std::string_view s) noexcept; // also "W" and "P"
std::optional<work_status> work_status_from(std::string_view s) noexcept;
std::optional<school_status> school_status_from(std::string_view s) noexcept;
std::optional<outcome> outcome_from(std::string_view s) noexcept; // "WD", "PR", "LESS"
std::optional<opening> opening_from(std::string_view s) noexcept;

// True for every state but dismissed, merged and closed.
bool is_open(case_state s) noexcept;

// What the machine knows of a case: everything the rules and the figures need.
struct child_case {
    opening opened_by = opening::id;
    timestamp opened_at{};
    case_state state = case_state::reported;
    case_state state_before_lost = case_state::reported; // lost: the state a later TR returns to
    target goal = target::withdrawal;
    std::string category; // PLAN's category (CL, WFCL, RISK, DROP, HARD) or ""
    work_status work = work_status::working;
    school_status school = school_status::unknown;
    outcome result = outcome::none;      // the outcome that stands (voided by re-engagement)
    std::optional<timestamp> outcome_at; // when `result` was verified
    std::optional<timestamp> last_tracked_at;  // the last TR of any kind (tracking news)
    std::optional<timestamp> work_reported_at; // the last TR that carried a work code
    std::optional<timestamp> work_seen_at;     // the last TR ... WORK
    std::optional<timestamp> planned_at;       // the last PLAN
    bool ever_planned = false;                 // targeted: had a PLAN at some time
    std::string dismiss_reason;                // VER NO: NOTCL, NOTFOUND, DUP, OTHER
    std::string close_reason;                  // DONE, ADULT, MOVED
    std::string merged_into;                   // MERGE: the kept case's code

    bool operator==(const child_case&) const = default;
};

// A case as opened by ID (work `working`, school `unknown`, target withdrawal) or RISK (work
// `unknown`, school `none` for reason DROP else `unknown`, target prevention), state reported.
child_case open_case(opening by, timestamp at, std::string_view risk_reason = {});

// What one TR code says (the language's `sets` for the code: spec sms-language.md "TR").
struct tracking_effect {
    std::optional<work_status> work;
    std::optional<school_status> school;
    bool lost = false; // MOVED, MISS: whereabouts no longer followed

    bool operator==(const tracking_effect&) const = default;
};
// The effect of a canonical default code: SCH school, NFE nfe, KG kg, VOC vocational, DROP none;
// STOP and HOME not_working, LESS less, WORK working; MOVED and MISS lost. A code written with
// what it sets, "APPR=vocational" (a deployment's own code), has that effect. Others: none.
tracking_effect tracking_effect_of(std::string_view code) noexcept;
// Two codes of one TR together ("NFE STOP"): each sets what it names, the second winning a tie.
tracking_effect combine(tracking_effect a, const tracking_effect& b) noexcept;

// The actions, one per team or volunteer form that touches a case.
struct verify {        // VER OK | VER NO reason
    bool ok = true;
    std::string reason; // NO: NOTCL, NOTFOUND, DUP, OTHER
};
struct plan {          // PLAN W|P [category]
    target goal = target::withdrawal;
    std::string category;
};
struct refer {         // REF service: the service record only
    std::string service;
};
struct serve {         // SVC service [FAM]: the service record only
    std::string service;
    bool family = false;
};
struct track {         // TR codes: the codes as sent (for the history) and their combined effect
    std::string codes; // "NFE STOP"
    tracking_effect effect;
};
struct verify_outcome { // OUT WD|PR|LESS|NO; result none is NO (checked, not achieved)
    outcome result = outcome::none;
};
struct merge {         // MERGE this-case into: applied to the case that goes away
    std::string into;
};
struct close {         // CLOSE DONE|ADULT|MOVED
    std::string reason;
};
using action = std::variant<verify, plan, refer, serve, track, verify_outcome, merge, close>;

struct rules {
    std::chrono::days outcome_evidence{60}; // cases.outcome_evidence_days
};

// Why an action was refused. Nothing changes on a refusal.
enum class refusal_code : std::uint8_t {
    closed,          // the case is closed (only TR ... WORK reopens a case closed DONE)
    dismissed,       // the case was dismissed at triage
    merged,          // the case was merged (the gateway applies forms to the kept case instead)
    past_triage,     // VER on a case that is no longer `reported`: outcomes are OUT's
    not_confirmed,   // PLAN before VER OK
    has_outcome,     // PLAN on a case with an outcome; OUT on a case whose WD/PR stands
    lost,            // PLAN or OUT on a case lost to follow-up: a TR first
    needs_plan,      // OUT before PLAN (reported, confirmed, re_engaged)
    target_mismatch, // OUT WD/LESS on a prevention target, OUT PR on a withdrawal target
    no_recent_tr,    // OUT: no TR within rules::outcome_evidence
    not_stopped,     // OUT WD: the work status is not `not_working` by a TR within the window
    work_since_plan, // OUT PR: a TR ... WORK since the plan
    no_less,         // OUT LESS: no TR ... LESS within the window
    needs_outcome,   // CLOSE DONE without a verified WD or PR
    not_mergeable,   // MERGE of a case past `confirmed`
};
std::string_view to_string(refusal_code c) noexcept; // "closed", "past_triage", ...

struct refusal {
    refusal_code code = refusal_code::closed;
    child_case current; // the case as it is (for the reply: its target, outcome, state)
};

// The case afterwards, and how its history row names the change.
struct change {
    child_case after;
    std::string history_action; // verified, dismissed, planned, referred, serviced, tracked, outcome, merged, closed
    std::string detail;         // the action's parameters as history_action_of reads them back
    bool re_engaged = false;    // a TR ... WORK voided an outcome (the team is alerted)
    bool reopened = false;      // ... on a case closed DONE
};

using decision = std::variant<change, refusal>;

// The life cycle of cases.md 2. Pure and total: every state and action gives a change or a
// refusal; never throws.
decision decide(const child_case& c, const action& a, timestamp at, const rules& r = {});

// The effect of an action that was accepted, without its checks: what replay() applies. Legal
// for any state (a history written by an older build is applied as it was recorded).
change apply(const child_case& c, const action& a, timestamp at);

// One stored history row of a case, oldest first by id.
struct history_row {
    std::int64_t id = 0;
    std::string action; // as change::history_action, plus "opened", "undone", and older names
    std::string detail;
    timestamp at{};
};

// The action a history row records; nullopt for rows that change nothing (opened, absorbed,
// status_not_confirmed, undone, and names this build does not know). Rows of older builds:
// "verified" is VER OK, "not_confirmed" is VER NO OTHER.
std::optional<action> action_of(const history_row& row);

// The row that undoes another: action "undone", detail "<id> <why>".
std::string undo_detail(std::int64_t undone_id, std::string_view why);
// The id an "undone" row names, or nullopt.
std::optional<std::int64_t> undone_id(const history_row& row) noexcept;

// What happened to a case over its history up to a moment: what the figures count.
struct timeline {
    child_case at_end;                     // the case as it stood
    std::optional<timestamp> confirmed_at; // the last VER OK that stands
    std::optional<timestamp> dismissed_at; // the VER NO that stands
    std::optional<timestamp> merged_at;
    std::vector<timestamp> re_engaged_at; // each TR ... WORK that voided an outcome
};

// Replays `history` (oldest first) from `start` (open_case's result) with apply(), taking the
// rows with `at` before `until` (all when nullopt), leaving out every row that an "undone" row
// before `until` names, and the undo rows themselves. Pure.
timeline replay(const child_case& start, const std::vector<history_row>& history,
                std::optional<timestamp> until = std::nullopt);

// The id of the last row `undo` may reverse: the newest row that records an action and is not
// itself undone; nullopt when there is none (a case with only its opening).
std::optional<std::int64_t> last_undoable(const std::vector<history_row>& history);

} // namespace kharuul::cases
