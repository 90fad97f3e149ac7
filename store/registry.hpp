// The registry in the store: sites, teams (areas, members), coordinators and reporters. The
// configuration seeds it through registry_snapshot (a plain struct here, so store does not depend
// on config; the gateway converts), and the CLI adds and removes reporters while the daemon runs.
// Synchronous; same threading and error contract as store/records.hpp.
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
};

// Makes the store's registry agree with the configuration, in one savepoint (all or nothing).
// The store is the registry and the file seeds it: a snapshot with no sites leaves the sites as
// they are, and one with no teams the teams (the configuration then relies on the store's).
// * sites: upsert by code, active; the sites not in the snapshot become inactive; never
//   deleted (events and cases name them, and open cases at them go on being followed).
// * teams: upsert by name; their areas and members become exactly the snapshot's. A team no
//   longer configured keeps its row (for history) but loses its areas and members.
// * coordinators: become exactly the snapshot's.
// * reporters: upsert by phone, marked as from configuration and active. Reporters added with
//   add_reporter (the CLI) are kept; configured reporters no longer in the snapshot are
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

// Deactivates (keeps the row, for the record of who reported what). errc::unknown_reporter when no
// active reporter has the phone.
result<void> remove_reporter(connection& db, std::string_view phone);

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
};

// The teams whose areas include the site's area, with their members: whom an ID report alerts.
std::vector<team_record> teams_covering_site(connection& db, std::string_view site_code);

// Every team that still has areas, with its areas and members, in id order (registry order).
std::vector<team_record> list_teams(connection& db);

} // namespace kharuul::store
