// The registry in the store: sites, teams (areas, members), coordinators and reporters. The
// configuration seeds it through registry_snapshot (a plain struct here, so store does not depend
// on config; the gateway converts); the CLI and the API (gateway/api_registry.hpp) change it while
// the daemon runs (registry_writes.cpp). Every row knows where it comes from (migration 8):
// 'config' (the file; a reload changes or deactivates it) or 'cli' (made or last changed at run
// time; a reload leaves it alone). Synchronous; same threading and error contract as
// store/records.hpp.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

struct site {
    std::string code; // canonical, e.g. "ALT"
    std::string name;
    std::string kind; // mine, market, dump ...
    std::string area; // e.g. "Bayankhongor/Bayan-Ovoo"
    // False once the configuration no longer names the site: kept for its events and open cases,
    // but no longer monitored (not in the parser's site list, no new reporters).
    bool active = true;
    bool from_config = true; // as read back; sync_registry and the writes ignore it
};

struct team_member {
    std::string phone;
    std::string name;
    std::string role = "member"; // "member" or "leader"
    std::string lang = "mn";
};

struct team {
    std::string name; // unique
    std::vector<std::string> areas;
    bool sensitive_cases = false; // may receive sensitive (SEX) alerts
    std::vector<team_member> members;
};

struct coordinator {
    std::string phone;
    std::string name;
    std::string lang = "mn";
    bool from_config = true; // as read back; sync_registry and the writes ignore it
};

struct reporter {
    std::string phone;
    std::string name;
    std::string lang = "mn";
    std::string kind = "volunteer";
    std::vector<std::string> sites;
};

struct registry_snapshot {
    std::vector<site> sites;
    std::vector<team> teams;
    std::vector<coordinator> coordinators;
    std::vector<reporter> reporters;
};

// What a sync changed that an operator should hear about (the daemon's reload line).
struct registry_changes {
    struct removed_site {
        std::string code;
        std::int64_t open_cases = 0; // cases at the site not dismissed, merged or closed
    };
    std::vector<removed_site> removed_sites; // active before, not in the snapshot: now inactive
    std::vector<std::string> removed_teams;  // had areas before, not in the snapshot: now none
    std::vector<std::string> active_sites;   // every active site after the sync, by code
    // Rows the snapshot names that were made or changed at run time (origin 'cli') and differ
    // from the snapshot: left as they are ("kept as changed at run time: site ULT").
    struct kept_row {
        std::string kind; // "site", "team", "coordinator", "reporter"
        std::string key;  // the code, name or (whole) phone: the caller masks phones in logs
    };
    std::vector<kept_row> kept;
};

// Makes the store's registry agree with the configuration, in one savepoint (all or nothing).
// The store is the registry and the file seeds it: a snapshot with no sites leaves the sites as
// they are, and one with no teams the teams (the configuration then relies on the store's).
// Rows made or changed at run time (origin 'cli') are left alone: one the snapshot does not name
// stays as it is (an API-made site stays active), and one it names is not overwritten (listed in
// `kept`) unless the snapshot says exactly what the row says (and the row is active): then the
// file takes the row back (origin 'config'), and later edits of the file apply to it again.
// The rows from the file (origin 'config') follow the file:
// * sites: upsert by code, active; the sites not in the snapshot become inactive; never
//   deleted (events and cases name them, and open cases at them go on being followed).
// * teams: upsert by name; their areas and members become exactly the snapshot's. A team no
//   longer configured keeps its row (for history) but loses its areas and members.
// * coordinators: become exactly the snapshot's.
// * reporters: upsert by phone, active; configured reporters no longer in the snapshot are
//   deactivated, not deleted.
// errc::unknown_site when a reporter names a site that is neither in the snapshot nor stored
// (nothing is written then).
result<registry_changes> sync_registry(connection& db, const registry_snapshot& snapshot, timestamp now);

struct reporter_record {
    std::string phone;
    std::string name;
    std::string lang;
    std::string kind;
    std::vector<std::string> sites; // sorted
    bool active = true;
    bool from_config = false; // false: added at run time (CLI)
    timestamp created_at{};
};

// The active reporter with that phone, with its sites; nullopt when none (or deactivated).
std::optional<reporter_record> find_reporter(connection& db, std::string_view phone);

// Registers a reporter at run time. A deactivated reporter with the same phone is reactivated
// with the new details. errc::reporter_exists when an active one has the phone; errc::unknown_site
// when a site is not in the registry or inactive. Nothing is written on error.
result<void> add_reporter(connection& db, const reporter& r, timestamp now);

// Deactivates (keeps the row, for the record of who reported what; origin 'cli', so that a reload
// does not bring it back). errc::unknown_reporter when no active reporter has the phone.
result<void> remove_reporter(connection& db, std::string_view phone);

// Replaces the active reporter r.phone's name, lang, kind and sites (origin 'cli').
// errc::unknown_reporter when no active reporter has the phone; errc::unknown_site when a site
// is not in the registry or inactive. Nothing is written on error.
result<void> update_reporter(connection& db, const reporter& r);

// Sorted by phone.
std::vector<reporter_record> list_reporters(connection& db, bool include_inactive = false);

struct team_role {
    std::int64_t team_id = 0;
    std::string team;
    bool sensitive_cases = false;
    std::string name;
    std::string role; // "member" or "leader"
    std::string lang;
};

// The teams `phone` is a member of (empty when none).
std::vector<team_role> team_roles(connection& db, std::string_view phone);
bool is_team_member(connection& db, std::string_view phone);

// The active coordinators (one removed at run time is kept inactive, migration 9).
std::optional<coordinator> find_coordinator(connection& db, std::string_view phone);
std::vector<coordinator> list_coordinators(connection& db);

// Active or not (events and cases name inactive sites too).
std::optional<site> find_site(connection& db, std::string_view code);
// Every site, active and inactive, by code.
std::vector<site> list_sites(connection& db);
// The active sites' codes, by code.
std::vector<std::string> active_site_codes(connection& db);

struct team_record {
    std::int64_t id = 0;
    team definition;
    bool from_config = true; // false: made or last changed at run time (origin 'cli')
};

// The teams whose areas include the site's area, with their members: whom an ID report alerts.
std::vector<team_record> teams_covering_site(connection& db, std::string_view site_code);

// Every team that still has areas, with its areas and members, in id order (registry order).
std::vector<team_record> list_teams(connection& db);

// The team with that name when it has areas (a removed team has none), with areas and members.
std::optional<team_record> find_team(connection& db, std::string_view name);

// ---- Changes at run time (the API; registry_writes.cpp) -----------------------------------
// Each sets origin 'cli' on the row it writes, runs in one savepoint and writes nothing on error.
// Syntax (site codes, areas, E.164 phones, roles, languages) is the caller's to check, as config
// checks the file (gateway/api_registry.cpp); these check what needs the store. A site must stay
// covered: errc::site_uncovered when an active site's area would be covered by no team with
// members, and then `uncovered` (when given) names the sites.

// errc::site_exists when a site (active or inactive) has the code.
result<void> create_site(connection& db, const site& s, std::vector<std::string>* uncovered = nullptr);
// Replaces name, kind, area and active of the site `s.code`; errc::unknown_site when none.
result<void> update_site(connection& db, const site& s, std::vector<std::string>* uncovered = nullptr);
// Makes the site inactive, as a reload does when the file drops it (never deleted: events and
// cases name it); returns its open cases. errc::unknown_site when no active site has the code.
result<registry_changes::removed_site> deactivate_site(connection& db, std::string_view code);

// errc::team_exists when a team with areas has the name (a removed team's row is reused: cases
// name its id).
result<void> create_team(connection& db, const team& t, std::vector<std::string>* uncovered = nullptr);
// Replaces the areas, members and sensitive_cases of the team `t.name`; errc::unknown_team.
result<void> update_team(connection& db, const team& t, std::vector<std::string>* uncovered = nullptr);
// The team keeps its row (cases name it) but loses its areas and members, as a reload does.
// errc::unknown_team; errc::site_uncovered when it alone covers an active site.
result<void> remove_team(connection& db, std::string_view name, std::vector<std::string>* uncovered = nullptr);

// errc::coordinator_exists when an active coordinator has the phone (an inactive one is
// reactivated with the new details).
result<void> create_coordinator(connection& db, const coordinator& c);
// errc::unknown_coordinator when no active coordinator has c.phone.
result<void> update_coordinator(connection& db, const coordinator& c);
// Kept inactive, so that a reload from a file naming it does not bring it back.
result<void> remove_coordinator(connection& db, std::string_view phone);

} // namespace kharuul::store
