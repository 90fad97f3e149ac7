// The USSD sessions that ended (schema 7): one row each, written by the gateway's USSD desk when
// a session completes (in the transaction that takes its report in), ends without a report, or is
// abandoned (dropped, timed out, replaced). `kharuul report` counts the abandoned ones that no
// later session resumed (`ussd_abandoned`, cases.md 4). Same threading and error contract as
// store/records.hpp.
#pragma once

#include "store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::store {

struct ussd_session_row {
    std::string channel;
    std::string session_id;
    std::string sender;
    std::string outcome;            // "completed", "ended", "abandoned"
    std::optional<std::string> why; // abandoned: "dropped", "timed_out", "replaced", "evicted"
    std::string step_name;          // the screen reached ("top", "site", "age" ...)
    int step = 1;
    std::optional<std::string> form; // "ID", "RISK", "NIL", "TR", "HELP"
    std::string steps;               // the answers (ussd::describe_steps)
    std::optional<std::string> resumed_from; // the session id of the dialogue it continued
    std::optional<std::int64_t> message_id;  // completed: the message taken in
    timestamp started_at{};
    timestamp ended_at{};
    // What the provider's end-of-session notice said about it (Africa's Talking's status, and its
    // error message): "completed", "incomplete", "failed: ..."; empty until one arrives.
    std::optional<std::string> provider_end;
};

// Writes the row; a second row for the same (channel, session_id) is ignored (a provider's
// retry). Returns whether it was written.
bool record_ussd_session(connection& db, const ussd_session_row& row);

// Records the provider's end-of-session notice on the session's row; false when there is no row
// (a session the gateway never saw, or one still open: the desk records the abandonment first).
bool note_ussd_session_end(connection& db, std::string_view channel, std::string_view session_id,
                           std::string_view provider_end);

// Every row ended in [range), oldest first (tests, exports).
std::vector<ussd_session_row> ussd_sessions_ended(connection& db, const time_range& range);

// `ussd_abandoned`: the abandoned sessions ended in [from, until) that no session ended before
// `until` resumed, as "FORM/step_name" ("top" when no form was chosen), one entry per session.
std::vector<std::string> abandoned_ussd_steps(connection& db, timestamp from, timestamp until);

} // namespace kharuul::store
