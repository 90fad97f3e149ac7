// The report of cases.md 4 as both `kharuul report` and GET /api/v1/report show it, one set of
// functions so that the two cannot disagree: what the figures are computed from (report_input_of),
// the JSON of the report (its head and rows, streamed by the command line, built whole by the API:
// the same bytes), and what is behind one row (--explain, ?explain=). Runs on the caller's thread,
// read-only on the store.
#pragma once

#include "cases/report.hpp"
#include "config/gateway_config.hpp"
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/records.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

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
    // A team's report (the API): only the sites inside these areas (cases::report_input::scope).
    std::vector<std::string> scope;
};

// What the figures are computed from: the store as it stood at q.until, with the configuration's
// age bands and reminder interval, and reporters labelled "masked phone name".
cases::report_input report_input_of(store::connection& db, const config::gateway_config& cfg,
                                    const report_request& q);

// Whether a site of the input lies in `area` (or inside it).
bool area_known(const cases::report_input& in, const std::string& area);

// Which trace an indicator's rows carry (cases.md 4).
enum class trace_kind { cases, messages, alerts, none };
trace_kind trace_of(std::string_view indicator);
// ack_minutes_*: minutes, not a count.
bool is_minutes(std::string_view indicator);

// How a row is shown. `suppressed` (a viewer): every count under 3 is the string "<3", and so is
// a minutes value computed from fewer than 3 alerts; no trace (no case codes, message or alert
// numbers).
boost::json::object report_row_json(const cases::report_row& r, bool suppressed = false);

// The report's head: from, until (local time with the offset), area, and with_corrections when
// set. The rows follow under "rows".
boost::json::object report_head(const report_request& q);

// The whole report as one object (the API's answer).
boost::json::object report_json(const report_request& q, const std::vector<cases::report_row>& rows,
                                bool suppressed = false);

// The same JSON written a row at a time, then a newline (`kharuul report --format json`): a year's
// traces hold millions of codes, and a tree of them all would double the report's memory.
void write_report_json(std::ostream& out, const report_request& q, const std::vector<cases::report_row>& rows);

// What is behind one row, as the store holds it now: the cases of its trace (sensitive ones only
// with `show_sensitive`; `hidden` counts the others), or its messages, or its alerts.
struct explained_row {
    trace_kind kind = trace_kind::none;
    std::vector<store::case_record> cases;
    std::vector<std::string> missing_cases; // in the trace, no longer in the store
    std::size_t hidden = 0;
    std::vector<store::message_record> messages;
    std::vector<store::alert_record> alerts;
};
explained_row explain_row(store::connection& db, const cases::report_row& row, bool show_sensitive);

// The row of that id; nullptr when none.
const cases::report_row* find_row(const std::vector<cases::report_row>& rows, std::string_view id);

} // namespace kharuul::gateway
