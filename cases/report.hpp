// The figures coordinators report (spec cases.md section 4), computed from plain values: the
// cases with their histories and service records, the sites, the teams, the accepted reports and
// the alerts, as the store loaded them. Every case is replayed (cases/case_fsm.hpp) as it stood at
// `until`, so that a report for a past period never changes. Pure: no store, no clock, no I/O;
// the gateway loads the input (store/report_data.hpp) and prints the rows (text, CSV, JSON).
#pragma once

#include "cases/case_fsm.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kharuul::cases {

// One entry of a case's service record.
struct service_entry {
    bool referral = false; // REF; otherwise SVC
    std::string service;   // canonical code
    bool family = false;   // SVC ... FAM
    timestamp at{};
};

struct report_case {
    std::string code;
    char sex = 'U';          // 'B', 'G', 'U'
    int age_min = 0;
    int age_max = 0;
    std::string site;
    opening opened_by = opening::id;
    std::string work;        // ID: the work code; RISK: ""
    std::string risk_reason; // RISK: DROP, SIB, FAM, STREET, OTHER; ID: ""
    bool sensitive = false;
    timestamp opened_at{};
    std::int64_t opened_message_id = 0; // the ID or RISK message that opened it
    std::vector<history_row> history;   // oldest first; may hold rows after `until`
    std::vector<service_entry> services;
};

struct report_site {
    std::string code;
    std::string area;
};

struct report_team {
    std::string name;
    std::vector<std::string> areas;
    bool sensitive_cases = false;
};

// An accepted report (ID, NIL, RISK) or TR, with the time the gateway received it.
struct report_message {
    std::int64_t id = 0;
    std::string form;   // canonical keyword
    std::string sender; // phone
    std::string site;   // ID, NIL, RISK; for TR the case's site
    int children = 0;   // ID, RISK
    timestamp received_at{};
};

struct report_alert {
    std::int64_t number = 0;
    std::string team; // the team's name; "" when none covered the site
    std::string site;
    bool urgent = false;
    timestamp created_at{};
    std::optional<timestamp> acked_at;
    bool sensitive = false; // for the team of its site when `team` is ""
};

// The team of a case at a site in `area` (cases.md 4, the same rule as alert routing): the
// ordinary team covering it with the most specific area (the first in `teams` on a tie), or, for
// a sensitive case or an area no ordinary team covers, the team for sensitive cases covering it
// chosen the same way; "" when none does.
std::string team_of(const std::vector<report_team>& teams, std::string_view area, bool sensitive);

struct age_band {
    std::string label; // "12-14"
    int lo = 0;
    int hi = 0;
};
// "3-4", "5-11", "12-14", "15-17".
std::vector<age_band> default_age_bands();
// The band of an age, or of the middle of a range rounded down; "" when no band holds it.
std::string band_of(const std::vector<age_band>& bands, int age_min, int age_max);

struct report_input {
    timestamp from{};
    timestamp until{}; // excluded
    std::optional<std::string> area; // keeps cases, sites and teams of this area or inside it
    // When not empty, also keeps only the sites (and their cases, reports and alerts) inside one of
    // these areas: a team's report through the API covers its own areas only.
    std::vector<std::string> scope;
    std::vector<age_band> age_bands = default_age_bands();
    std::chrono::days reminder_after{30}; // overdue_tracking
    std::vector<report_case> cases;       // every case opened before `until`
    std::vector<report_site> sites;       // the registry's sites
    std::vector<report_team> teams;       // in registry order
    std::vector<report_message> messages; // received in [from, until)
    std::vector<report_alert> alerts;     // created in [from, until)
    std::map<std::string, std::string> reporter_labels; // phone -> "masked phone name", for the rows
    // USSD dialogues that ended abandoned in [from, until) and were not resumed, one entry each:
    // the step reached as "FORM/screen" ("ID/age"), or "top" when no form was chosen.
    std::vector<std::string> ussd_abandoned;
};

// A dimension value: text, or for `urgent` a flag; null where the table says (work of RISK rows).
struct dimension {
    std::string name;                 // "sex", "age_band", "site", "area", "work", "reason", ...
    std::optional<std::string> text;  // nullopt: JSON null
    std::optional<bool> flag;         // urgent
};

struct report_row {
    std::string id;        // "r1", "r2", ... in row order: stable within one report
    std::string indicator; // "identified", ...
    std::vector<dimension> dims;
    double value = 0;      // a count, or minutes for ack_minutes_*
    // The trace: exactly one kind is used per indicator (none for site_not_visited).
    std::vector<std::string> cases;
    std::vector<std::int64_t> messages;
    std::vector<std::int64_t> alerts;
};

// Every indicator of cases.md 4, in the order of its table, each at the finest grain it gives,
// rows of one indicator ordered by their dimension values. Merged cases are counted nowhere.
std::vector<report_row> compute_report(const report_input& in);

} // namespace kharuul::cases
