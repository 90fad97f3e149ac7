// The registry as the configuration seeds it: config's typed sites, teams, coordinators and
// reporters converted to the store's plain registry_snapshot (store does not depend on config).
// Used by the daemon at start and on SIGHUP, and by tests that build a store. Pure; never throws
// except std::bad_alloc.
#pragma once

#include "config/gateway_config.hpp"
#include "config/problem.hpp"
#include "config/load.hpp"
#include "store/registry.hpp"

#include <string_view>
#include <vector>

namespace kharuul::gateway {

store::registry_snapshot registry_snapshot_of(const config::gateway_config& c);

// What `db` already holds for config::check_registry: its active sites (every site of a store
// not yet migrated to version 5) and the areas of its teams. Reads only.
config::stored_registry stored_registry_of(store::connection& db);

// For the daemon's reload line: "kept as changed at run time: site ULT, coordinator +976****0301"
// (the rows the file names that were changed through the API and left as they are; phones
// masked), or "" when none.
std::string kept_at_run_time(const store::registry_changes& changes);

// config::check_registry against the store `c` names, for check-config and serve before the
// daemon opens it: nothing to look at when the file names sites and teams; otherwise the store is
// opened read-only when it exists (nothing is created or changed). Throws when an existing store
// cannot be read (the message says why).
std::vector<config::problem> registry_problems(const config::gateway_config& c, std::string_view config_name);

} // namespace kharuul::gateway
