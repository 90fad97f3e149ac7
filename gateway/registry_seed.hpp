// The registry as the configuration seeds it: config's typed sites, teams, coordinators and
// reporters converted to the store's plain registry_snapshot (store does not depend on config).
// Used by the daemon at start and on SIGHUP, and by tests that build a store. Pure; never throws
// except std::bad_alloc.
#pragma once

#include "config/gateway_config.hpp"
#include "store/registry.hpp"

namespace kharuul::gateway {

store::registry_snapshot registry_snapshot_of(const config::gateway_config& c);

} // namespace kharuul::gateway
