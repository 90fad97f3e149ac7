// The API's registry endpoints (issue 12, docs/api.md "Changing the registry"): sites, teams,
// coordinators and reporters under /api/v1, read (GET) and changed (POST, PUT, PATCH, DELETE)
// while the daemon runs. A change is kept in the store with origin 'cli' (a reload from the file
// leaves it alone, store/registry.hpp) and answers with registry_changed, after which the service
// rebuilds the daemon's routing (daemon_routing.hpp registry_held, routing_of): it works at once.
//
// Reads: admin and coordinator everything, whole phones; a team its own team, the sites in its
// areas, the reporters of those sites (whole phones of its members and those reporters) and the
// coordinators (masked phones); a viewer nothing (403). Writes: admin and coordinator only (403).
// Bodies are JSON objects; a malformed body, a wrong type, an unknown field or a bad value is 400
// naming the field; no such record 404; exists already or would leave a site uncovered 409.
// Every write carries an audit note (create/update/delete, "site ALT", the fields changed with
// phone numbers masked). Runs on a store thread (writes inside a writer job); never logs.
#pragma once

#include "gateway/api_types.hpp"

#include <optional>

namespace kharuul::gateway {

std::optional<api::api_answer> serve_registry(store::connection& db, const api::principal& who,
                                              const api::api_request& rq, const api::api_context& ctx);

} // namespace kharuul::gateway
