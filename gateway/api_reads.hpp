// The API's read endpoints (issue 12, helper B): messages, events, cases, alerts, outbox, report.
#pragma once

#include "gateway/api_types.hpp"

#include <optional>

namespace kharuul::gateway {

std::optional<api::api_answer> serve_reads(store::connection& db, const api::principal& who,
                                           const api::api_request& rq, const api::api_context& ctx);

} // namespace kharuul::gateway
