// Store-level failures that depend on input (an unknown case, a closed case, a reporter that
// already exists, a store written by a newer build): an errc enum in its own std::error_category,
// returned as result<T>. Infrastructure failures (I/O, a full disk, a broken invariant) are
// exceptions: SQLite::Exception from SQLiteCpp, or std::system_error carrying one of these codes.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <system_error>

namespace kharuul::store {

enum class errc {
    unknown_case = 1,       // no case with that code
    case_closed,            // the case is closed: no tracking, referral, verification or second closure
    unknown_message,        // no message with that id
    unknown_reporter,       // no (active) reporter with that phone
    reporter_exists,        // an active reporter already has that phone
    unknown_site,           // a site code that is not in the registry
    case_serials_exhausted, // the next case serial would pass parser::max_case_serial
    duplicate_provider_id,  // (channel, provider_id) is already stored
    schema_too_new,         // the file was migrated by a newer build: refused, never downgraded
    schema_too_old,         // a read-only open found migrations still to apply
    backup_target_exists,   // backup_to never overwrites
    writer_stopped,         // submit() after stop()
    unknown_alert,          // no alert with that number
    alert_already_acknowledged, // someone acknowledged it before: nothing written
    alert_closed,           // escalation gave up on it: no further escalation step
    unknown_outbox,         // no outbox row with that id
    nothing_to_undo,        // the case has no change after its opening
    reader_busy,            // the reader's queue is full: the job was not queued
    reader_stopped,         // submit() to a reader after stop()
    token_label_taken,      // a live (unrevoked) token already has that label
    unknown_token,          // no live token with that label or id
    site_exists,            // a site (active or not) already has that code
    site_uncovered,         // the change would leave an active site in an area no team covers
    unknown_team,           // no team (with areas) has that name
    team_exists,            // a team with areas already has that name
    unknown_coordinator,    // no (active) coordinator has that phone
    coordinator_exists,     // an active coordinator already has that phone
};

const std::error_category& store_category() noexcept;
std::error_code make_error_code(errc e) noexcept;

// Boost.System's result (as in parser) over a std::error_code; value() throws std::system_error.
template <class T> using result = boost::system::result<T, std::error_code>;

} // namespace kharuul::store

template <> struct std::is_error_code_enum<kharuul::store::errc> : std::true_type {};
