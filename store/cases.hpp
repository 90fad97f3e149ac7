// Child cases: one per child seen in an ID report or registered at risk by RISK, with a case code
// (parser/case_code.hpp), the life-cycle machine's view of it (cases/case_fsm.hpp) kept in derived
// columns for lists and reminders, an append-only history that is the record of who did what and
// when (domain.md 2.4, 6.6), and the service record. The gateway decides a change with the pure
// machine; save_change() writes what it decided: the derived columns, exactly one history row and,
// for REF and SVC, one service-record row, in one savepoint. Synchronous; same threading and error
// contract as store/records.hpp.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include "cases/case_fsm.hpp"
#include "parser/language.hpp"
#include "parser/sms.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

char sex_letter(parser::sex s) noexcept; // 'B', 'G', 'U'

inline constexpr std::uint32_t default_first_case_serial = 10000;

struct case_record {
    std::uint32_t serial = 0;
    std::string code; // parser::make_case_code(serial)
    std::string site;
    parser::sex sex = parser::sex::unknown;
    int age_min = 0;
    int age_max = 0;
    cases::opening opened_form = cases::opening::id;
    std::string work;        // ID: the work code; RISK: ""
    std::string risk_reason; // RISK: its reason; ID: ""
    std::vector<std::string> hazards;
    bool sensitive = false;
    cases::child_case life; // the machine's view: state, target, statuses, outcome ...
    std::optional<std::string> last_status;  // the last TR's codes
    std::optional<std::string> last_service; // the last REF or SVC code
    std::int64_t opened_event_id = 0;
    std::optional<std::int64_t> opened_message_id;
    std::string opened_by;
    timestamp opened_at{};
    timestamp last_tracked_at{}; // tracking news: the last TR, or opened_at
    std::string last_followed_by;
    std::optional<timestamp> last_reminder_at; // the last tracking reminder about it; nullopt: none yet
};

// One ID or RISK report's children. Cases are opened boys first, then girls, then unknown, with
// consecutive serials.
struct case_opening {
    cases::opening form = cases::opening::id;
    std::string site;
    parser::children kids;
    int age_min = 0;
    int age_max = 0;
    std::string work;        // ID
    std::string risk_reason; // RISK
    std::vector<std::string> hazards;
    bool sensitive = false;
    std::int64_t event_id = 0;   // the ID or RISK event (cases.opened_event_id)
    std::int64_t message_id = 0; // for the history
    std::string opened_by;       // phone
    timestamp opened_at{};
    // The first serial ever handed out; later serials are max + 1 (or this, if larger).
    std::uint32_t first_serial = default_first_case_serial;
};

// From an ID (sighting) or RISK (risk_report) message.
case_opening make_case_opening(const parser::sms_message& report, std::int64_t event_id, std::int64_t message_id,
                               std::string opened_by, timestamp opened_at);

// Opens one case per child and returns their codes in serial order. errc::case_serials_exhausted
// when the last serial would pass parser::max_case_serial (nothing is written then).
result<std::vector<std::string>> open_cases(connection& db, const case_opening& opening);

// errc::unknown_case when no case has that code (the caller checks the check digit first).
result<case_record> find_case(connection& db, std::string_view code);

// The case a code finally stands for: the case itself, or, for a merged case, the case it was
// merged into (followed to the end). errc::unknown_case.
result<case_record> find_kept_case(connection& db, std::string_view code);

// The codes of the cases a message opened (ID, RISK), in the order they were opened.
std::vector<std::string> cases_opened_by_message(connection& db, std::int64_t message_id);

// Codes of the cases `phone` opened or last followed, in serial order: the candidates for
// parser::nearest_case_code when that sender mistypes a code.
std::vector<std::string> cases_reported_by(connection& db, std::string_view phone);

// The children (one case each) opened by `phone`'s messages received at or after `since`, by the
// gateway's clock (messages.received_at, not the reported time a provider may set): what
// messages.max_cases_per_sender_per_hour caps. Through cases_by_opener: one phone's cases.
int children_opened_since(connection& db, std::string_view phone, timestamp since);

// Who changes a case, from which message and event, and when.
struct case_action {
    std::string case_code;
    std::string actor; // phone, or "cli:<user>"
    std::optional<std::int64_t> message_id;
    std::optional<std::int64_t> event_id;
    timestamp at{};
};

// Writes a change the machine decided (cases::decide) on the case `a.case_code`: the derived
// columns from `ch.after`, one history row (ch.history_action, ch.detail), and for "tracked" the
// last status and the tracking news time, for "referred"/"serviced" one service-record row and the
// last service. Returns the case afterwards; errc::unknown_case.
result<case_record> save_change(connection& db, const case_action& a, const cases::change& ch);

// The kept case of a MERGE notes the case that joined it: a history row "absorbed" with the other
// code, which changes nothing the case counts as. errc::unknown_case.
result<void> note_absorbed(connection& db, const case_action& a, std::string_view merged_code);

struct case_history_entry {
    std::int64_t id = 0;
    std::uint32_t case_serial = 0;
    std::optional<std::int64_t> message_id;
    std::optional<std::int64_t> event_id;
    std::string actor;
    std::string action; // opened, verified, dismissed, planned, referred, serviced, tracked, outcome,
                        // merged, absorbed, closed, undone; older builds: not_confirmed, status_not_confirmed
    std::string detail;
    timestamp at{};
};

// Oldest first. Empty when the code is unknown.
std::vector<case_history_entry> case_history_of(connection& db, std::string_view code);

// The machine's rows of a history.
std::vector<cases::history_row> machine_rows(const std::vector<case_history_entry>& history);

// A coordinator's correction (cases.md 2): appends an "undone" row naming the case's last change
// (cases::last_undoable) and why, and recomputes the derived columns by replaying the history.
// Returns the undone row; errc::nothing_to_undo when the case has only its opening;
// errc::unknown_case.
result<case_history_entry> undo_last_change(connection& db, const case_action& a, std::string_view why);

// Recomputes every case's derived columns from its history (migration 4, and a check for tests).
void recompute_all_cases(SQLite::Database& db);

struct service_record_entry {
    std::int64_t id = 0;
    std::int64_t history_id = 0;
    bool referral = false; // REF; otherwise SVC
    std::string service;
    bool family = false;
    std::string actor;
    std::optional<std::int64_t> message_id;
    timestamp at{};
    bool undone = false; // its history row was undone
};

// Oldest first.
std::vector<service_record_entry> service_record_of(connection& db, std::string_view code);

// Tracking reminders (spec/alerts.md): open cases (not dismissed, merged or closed) with no
// tracking news since `news_before` that have not been in a reminder since `reminded_before`
// (never, or last_reminder_at < reminded_before); oldest news first.
std::vector<case_record> cases_needing_reminder(connection& db, timestamp news_before, timestamp reminded_before);

// Records that the case was in a reminder at `at` (its history is not touched: a reminder changes
// nothing about the child; the outbox keeps the SMS). errc::unknown_case.
result<void> mark_reminded(connection& db, std::string_view code, timestamp at);

// `kharuul cases`: the cases to follow up, oldest tracking news first ("newest news last").
struct case_filter {
    std::optional<std::string> site;
    std::optional<std::string> area; // the site's area is this one or lies inside it
    std::vector<cases::case_state> states; // empty: every open state
    std::optional<cases::target> goal;
    std::optional<timestamp> news_before; // --overdue: open cases with no news since then
};
std::vector<case_record> list_cases(connection& db, const case_filter& filter);

// Export (`kharuul export --what cases`): by opened_at in [since, until), in serial order.
std::vector<case_record> export_cases(connection& db, const time_range& range);

} // namespace kharuul::store
