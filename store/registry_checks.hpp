// What `kharuul check-config` and `serve` read of an existing store before the daemon opens it
// (gateway/registry_seed.hpp stored_registry_of): the sites it monitors and the areas its staffed
// teams cover. They read a store of any schema as it is (not migrated). Read-only; they throw
// SQLite::Exception for infrastructure failures only.
#pragma once

#include "store/database.hpp"

#include <string>
#include <vector>

namespace kharuul::store {

// The active sites' codes, in code order; every site of a store older than schema 5 (which
// added sites.active).
std::vector<std::string> monitored_site_codes(connection& db);

// The distinct areas of the teams that have at least one member, in order.
std::vector<std::string> staffed_team_areas(connection& db);

} // namespace kharuul::store
