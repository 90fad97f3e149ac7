// Child cases: one per child seen in an ID report, with a six-digit code (parser/case_code.hpp),
// derived columns for lists and reminders, and an append-only history that is the record of who
// did what and when (domain.md 2.4, 6.6). Every change to a case goes through one of the apply_*
// functions below, which update the derived columns and append exactly one history row in one
// savepoint. Synchronous; same threading and error contract as store/records.hpp.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include "parser/language.hpp"
#include "parser/sms.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

// Volunteers inform, teams decide: only a team's VER OK makes a case `confirmed`.
enum class case_state : std::uint8_t { reported, confirmed, not_confirmed, closed };
// Kept apart on purpose: a child can be in school and still working.
enum class work_status : std::uint8_t { working, not_working, unknown };
enum class school_status : std::uint8_t { school, nfe, kg, none, unknown };

std::string_view to_string(case_state s) noexcept;    // "reported", "confirmed", ...
std::string_view to_string(work_status s) noexcept;   // "working", "not_working", "unknown"
std::string_view to_string(school_status s) noexcept; // "school", "nfe", "kg", "none", "unknown"
char sex_letter(parser::sex s) noexcept;              // 'B', 'G', 'U'

inline constexpr std::uint32_t default_first_case_serial = 10000;

struct case_record {
    std::uint32_t serial = 0;
    std::string code; // parser::make_case_code(serial)
    std::string site;
    parser::sex sex = parser::sex::unknown;
    int age_min = 0;
    int age_max = 0;
    std::string work;
    std::vector<std::string> hazards;
    bool sensitive = false;
    case_state state = case_state::reported;
    work_status work_state = work_status::working;
    school_status school_state = school_status::unknown;
    std::optional<std::string> last_status;     // last TR code
    std::optional<std::string> last_service;    // last REF code
    std::optional<std::string> verified_status; // last_status when a team last said VER OK
    std::optional<timestamp> verified_at;
    std::optional<std::string> close_reason;
    std::int64_t opened_event_id = 0;
    std::string opened_by;
    timestamp opened_at{};
    timestamp last_tracked_at{};
    std::string last_followed_by;
    std::optional<timestamp> last_reminder_at; // the last tracking reminder about it; nullopt: none yet
};

// One ID report's children. Cases are opened boys first, then girls, then unknown, with
// consecutive serials.
struct case_opening {
    std::string site;
    parser::children kids;
    int age_min = 0;
    int age_max = 0;
    std::string work;
    std::vector<std::string> hazards;
    bool sensitive = false;
    std::int64_t event_id = 0;   // the ID event (cases.opened_event_id)
    std::int64_t message_id = 0; // for the history
    std::string opened_by;       // phone
    timestamp opened_at{};
    // The first serial ever handed out; later serials are max + 1 (or this, if larger).
    std::uint32_t first_serial = default_first_case_serial;
};

case_opening make_case_opening(const parser::sms_message& id_report, std::int64_t event_id,
                               std::int64_t message_id, std::string opened_by, timestamp opened_at);

// Opens one case per child and returns their codes in serial order. errc::case_serials_exhausted
// when the last serial would pass parser::max_case_serial (nothing is written then).
result<std::vector<std::string>> open_cases(connection& db, const case_opening& opening);

// errc::unknown_case when no case has that code (the caller checks the check digit first).
result<case_record> find_case(connection& db, std::string_view code);

// Codes of the cases `phone` opened or last followed, in serial order: the candidates for
// parser::nearest_case_code when that sender mistypes a code.
std::vector<std::string> cases_reported_by(connection& db, std::string_view phone);

// Who changes a case, from which message and event, and when.
struct case_action {
    std::string case_code;
    std::string actor; // phone
    std::optional<std::int64_t> message_id;
    std::optional<std::int64_t> event_id;
    timestamp at{};
};

// What a TR status says about work and school (spec/sms-language.md "TR"): SCH, NFE, KG set the
// school status only; HOME sets not working; WORK sets working; MOVED and MISS make both
// unknown. Codes a deployment adds change neither (they still become last_status).
struct tracking_effect {
    std::optional<work_status> work;
    std::optional<school_status> school;
};
tracking_effect tracking_effect_of(std::string_view status) noexcept;

// Each returns the case as it is afterwards, or errc::unknown_case, or errc::case_closed (a closed
// case takes no further change; nothing is written then).

// TR: last_status, work/school status per tracking_effect_of, last_tracked_at, last_followed_by;
// history "tracked" with the status.
result<case_record> apply_tracking(connection& db, const case_action& a, std::string_view status);

// REF: last_service, last_followed_by; history "referred" with the service.
result<case_record> apply_referral(connection& db, const case_action& a, std::string_view service);

// VER OK: state confirmed, verified_status = last_status, verified_at; history "verified".
// VER NO on a confirmed case that has tracking news disputes that news: verified_status cleared,
// state kept; history "status_not_confirmed". Otherwise VER NO: state not_confirmed; history
// "not_confirmed".
result<case_record> apply_verification(connection& db, const case_action& a, bool confirmed);

// CLOSE: state closed, close_reason; history "closed" with the reason.
result<case_record> apply_closure(connection& db, const case_action& a, std::string_view reason);

struct case_history_entry {
    std::int64_t id = 0;
    std::uint32_t case_serial = 0;
    std::optional<std::int64_t> message_id;
    std::optional<std::int64_t> event_id;
    std::string actor;
    std::string action; // opened, tracked, referred, verified, not_confirmed, status_not_confirmed, closed
    std::string detail;
    timestamp at{};
};

// Oldest first. Empty when the code is unknown.
std::vector<case_history_entry> case_history_of(connection& db, std::string_view code);

// Open (not closed) cases with no tracking news since `before`, oldest news first: for reminders.
std::vector<case_record> cases_without_news_since(connection& db, timestamp before);

// Tracking reminders (spec/alerts.md): open (not closed) cases with no tracking news since
// `news_before` (last_tracked_at < news_before) that have not been in a reminder since
// `reminded_before` (never, or last_reminder_at < reminded_before); oldest news first.
std::vector<case_record> cases_needing_reminder(connection& db, timestamp news_before, timestamp reminded_before);

// Records that the case was in a reminder at `at` (its history is not touched: a reminder changes
// nothing about the child; the outbox keeps the SMS). errc::unknown_case.
result<void> mark_reminded(connection& db, std::string_view code, timestamp at);

// Export (`kharuul export --what cases`): by opened_at in [since, until), in serial order.
std::vector<case_record> export_cases(connection& db, const time_range& range);

} // namespace kharuul::store
