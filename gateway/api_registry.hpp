// The API's registry endpoints (issue 12, helper C): sites, teams, coordinators, reporters.
#pragma once

#include "gateway/api_types.hpp"

#include <optional>

namespace kharuul::gateway {

std::optional<api::api_answer> serve_registry(store::connection& db, const api::principal& who,
                                              const api::api_request& rq, const api::api_context& ctx);

} // namespace kharuul::gateway
