// `kharuul report`: the figures of cases.md 4 for a period and an optional area, as text, CSV
// or JSON, each row traceable with --explain. The API's /report will call report_input_of and
// cases::compute_report the same way, so that the two cannot disagree.
#pragma once

#include "cases/report.hpp"
#include "config/gateway_config.hpp"
#include "gateway/cli.hpp"
#include "store/database.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace kharuul::gateway {

struct report_request {
    store::timestamp from{};
    store::timestamp until{}; // excluded
    std::optional<std::string> area;
    std::chrono::minutes utc_offset{8 * 60};
    std::string explain;    // a row id, or ""
    bool sensitive = false; // --explain lists sensitive cases too
    bool full = false;      // whole phone numbers
    // Also leave out what a coordinator undid after the period (kharuul case --undo): the figures
    // as they should have been. By default a report is the store as it stood at `until`.
    bool with_corrections = false;
};

// What the figures are computed from: the store as it stood at q.until, with the configuration's
// age bands and reminder interval, and reporters labelled "masked phone name".
cases::report_input report_input_of(store::connection& db, const config::gateway_config& cfg,
                                    const report_request& q);

} // namespace kharuul::gateway
