// The records of the store as the exports (and, later, the API) show them: one JSON object per
// message, event, case, alert or outbox row, with the columns named as in the API, and the CSV
// form of those objects. Shared by `kharuul export`, `kharuul case`, `kharuul cases` and the
// report's --explain, so that they cannot disagree. Runs on the caller's thread.
#pragma once

#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

boost::json::value opt(const std::optional<std::string>& v);
boost::json::value opt(const std::optional<int>& v);
boost::json::value opt(const std::optional<std::int64_t>& v);
boost::json::value opt(const std::optional<store::timestamp>& v);
boost::json::value codes(const std::vector<std::string>& v);

// The columns of each export, in order: the keys of the JSON objects and the CSV header.
inline constexpr std::string_view message_columns[] = {
    "id",        "kind",       "channel",      "provider_id", "sender",
    "recipient", "text",       "received_at",  "observed_at", "status",
    "form",      "error_code", "duplicate_of", "reply",       "reply_lang", "dialogue"};
inline constexpr std::string_view event_columns[] = {
    "id",       "message_id", "form", "reporter", "site",   "case_code", "boys",       "girls",  "unknown",
    "age_min",  "age_max",    "work", "hazards",  "status", "service",   "outcome",    "reason", "target",
    "category", "for",        "into", "note",     "urgent", "sensitive", "occurred_at"};
inline constexpr std::string_view case_columns[] = {"serial",
                                                    "code",
                                                    "site",
                                                    "sex",
                                                    "age_min",
                                                    "age_max",
                                                    "opened_form",
                                                    "work",
                                                    "risk_reason",
                                                    "hazards",
                                                    "sensitive",
                                                    "state",
                                                    "target",
                                                    "category",
                                                    "work_status",
                                                    "school_status",
                                                    "outcome",
                                                    "outcome_at",
                                                    "dismiss_reason",
                                                    "close_reason",
                                                    "merged_into",
                                                    "last_status",
                                                    "last_service",
                                                    "last_tr_at",
                                                    "planned_at",
                                                    "opened_event_id",
                                                    "opened_message_id",
                                                    "opened_by",
                                                    "opened_at",
                                                    "last_tracked_at",
                                                    "last_followed_by"};

inline constexpr std::string_view alert_columns[] = {
    "id",       "kind",       "site",           "urgent", "sensitive", "boys",       "girls",
    "unknown",  "age_min",    "age_max",        "work",   "hazards",   "case_codes", "tracking_status",
    "reporter", "message_id", "created_at",     "state",  "level",     "repeats",    "next_escalation_at",
    "acked_at", "acked_by",   "folded_children"};
inline constexpr std::string_view outbox_columns[] = {
    "id",           "channel",     "recipient", "kind",       "alert_id",        "message_id",
    "text",         "state",       "attempts",  "created_at", "next_attempt_at", "sent_at",
    "delivered_at", "provider_id", "last_error"};

boost::json::object message_row(const store::message_record& m);
boost::json::object event_row(const store::event_record& e);
boost::json::object case_row(const store::case_record& c);
// One row of a case's history and of its service record (GET /api/v1/cases/{code}).
boost::json::object case_history_row(const store::case_history_entry& h);
boost::json::object service_row(const store::service_record_entry& s);
boost::json::object alert_row(const store::alert_record& a);
// The JSON export's whole history of an alert: who was told and every step.
void add_alert_history(boost::json::object& o, store::connection& db, std::int64_t alert_id);
boost::json::object outbox_row(const store::outbox_record& m);
// Each send attempt and delivery report of an outbox row, under "outbox_attempts".
void add_outbox_attempts(boost::json::object& o, store::connection& db, std::int64_t outbox_id);

// The UTF-8 byte order mark every CSV the project writes starts with, before its header, so that
// Excel reads the Cyrillic in it as UTF-8 rather than in the machine's code page.
inline constexpr std::string_view csv_bom = "\xEF\xBB\xBF";

// A text as one CSV cell, the one rule for every CSV the project writes (`kharuul export`,
// `kharuul report --format csv`): anyone who can text the gateway writes into these files, and
// a coordinator opens them in a spreadsheet.
//   - NUL bytes are dropped.
//   - A cell a spreadsheet would run as a formula, one starting with '=', '+', '-', '@', a tab or a
//     carriage return, gets a leading '\'' (OWASP's rule for CSV injection), except a plain number
//     ("12", "-5", "3.5", "-0.25") and a phone number ("+97699000001": '+' and digits only),
//     which stay as they are: "-2+3" is a formula.
//   - A cell with a comma, a quote or a line break is then quoted, quotes doubled (RFC 4180).
// Never throws (but std::bad_alloc).
std::string csv_cell(std::string_view text);

// A JSON value as one CSV field, by csv_cell: null is empty, a list of codes is space-separated
// as in the store, numbers and booleans as JSON writes them.
std::string csv_field(const boost::json::value& v);

// The records as CSV (csv_bom, a header of `columns`, CRLF lines) or as a JSON array, one object
// a line.
template <class Records, class ToRow>
void write_export(std::ostream& out, bool csv, std::span<const std::string_view> columns,
                  const Records& records, ToRow to_row) {
    if (csv) {
        out << csv_bom;
        for (std::size_t i = 0; i < columns.size(); ++i)
            out << (i ? "," : "") << columns[i];
        out << "\r\n";
        for (const auto& r : records) {
            const boost::json::object o = to_row(r);
            for (std::size_t i = 0; i < columns.size(); ++i)
                out << (i ? "," : "") << csv_field(o.at(columns[i]));
            out << "\r\n";
        }
        return;
    }
    out << '[';
    bool first = true;
    for (const auto& r : records) {
        out << (first ? "\n" : ",\n") << boost::json::serialize(to_row(r));
        first = false;
    }
    out << (first ? "]\n" : "\n]\n");
}

} // namespace kharuul::gateway
