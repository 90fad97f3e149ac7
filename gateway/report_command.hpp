// `kharuul report`: the figures of cases.md 4 for a period and an optional area, as text, CSV
// or JSON, each row traceable with --explain. The API's /report (gateway/api_report.cpp) calls
// the same functions (gateway/report_view.hpp), so that the two cannot disagree.
#pragma once

#include "cases/report.hpp"
#include "config/gateway_config.hpp"
#include "gateway/cli.hpp"
#include "gateway/report_view.hpp"
#include "store/database.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace kharuul::gateway {

// report_request, report_input_of and the report's JSON: gateway/report_view.hpp.

} // namespace kharuul::gateway
