// The read endpoints of /api/v1 (issue 12, docs/api.md "Reading records and figures"): GET
// /messages, /events, /cases, /cases/{code}, /alerts, /alerts/{n}, /outbox and /report (with
// ?explain=), each with the filters of the matching `kharuul log`, `cases` and `report` options,
// over the same store functions and row builders (gateway/export_rows.hpp, report_view.hpp).
// Every row passes the principal's scope (api_scope.hpp): a team sees its own areas only (a
// single record outside them is 404, as a missing one), sensitive records only when it may,
// phone numbers masked but those it knows; a viewer only the report, small cells suppressed.
// Runs on the store's reader thread (api_service.hpp), read-only; never logs.
#pragma once

#include "gateway/api_types.hpp"
#include "store/database.hpp"

#include <optional>

namespace kharuul::gateway {

// nullopt: the path is not one of these endpoints (the service tries others or answers 404).
std::optional<api::api_answer> serve_reads(store::connection& db, const api::principal& who,
                                           const api::api_request& rq, const api::api_context& ctx);

} // namespace kharuul::gateway
