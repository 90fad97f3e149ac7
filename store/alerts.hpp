// Alerts to child protection teams (spec/alerts.md): one row per alert, the people told of it, and
// an append-only history of every step (created, folded, told, escalated, acknowledged, delivered
// ...), which is what coordinators see. The escalation machine lives in the gateway; the store
// keeps its state and refuses steps on alerts that someone has acknowledged. Synchronous; same
// threading and error contract as store/records.hpp.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

enum class alert_kind : std::uint8_t { report, tracking }; // an ID report; TR ... WORK or MISS
// closed: escalation gave up while nobody acknowledged (a late ACK still acknowledges it).
enum class alert_state : std::uint8_t { open, acknowledged, closed };
enum class recipient_role : std::uint8_t { member, leader, coordinator };

std::string_view to_string(alert_kind k) noexcept;     // "report", "tracking"
std::string_view to_string(alert_state s) noexcept;    // "open", "acknowledged", "closed"
std::string_view to_string(recipient_role r) noexcept; // "member", "leader", "coordinator"
std::optional<alert_kind> alert_kind_from(std::string_view s) noexcept;
std::optional<alert_state> alert_state_from(std::string_view s) noexcept;
std::optional<recipient_role> recipient_role_from(std::string_view s) noexcept;

// The highest escalation level the schema accepts; what each level means is the gateway's.
inline constexpr int max_alert_level = 4;

// Where the escalation machine stands. Written at creation and by update_alert_escalation.
struct alert_escalation {
    int level = 0; // 0..max_alert_level
    int repeats = 0;
    bool leaders_told = false;
    bool coordinators_told = false;
    std::optional<timestamp> next_escalation_at; // nullopt: nothing scheduled
};

struct new_alert {
    alert_kind kind = alert_kind::report;
    std::string site;
    std::optional<std::int64_t> team_id; // teams.id
    bool urgent = false;
    bool sensitive = false;
    int boys = 0, girls = 0, unknown = 0;
    std::optional<int> age_min, age_max;
    std::optional<std::string> work;
    std::vector<std::string> hazards;
    std::vector<std::string> case_codes;
    std::optional<std::string> tracking_status; // tracking alerts: WORK or MISS
    std::string reporter;                       // phone
    std::int64_t message_id = 0;                // the message that caused it
    std::int64_t event_id = 0;                  // its event
    timestamp created_at{};
    alert_escalation escalation; // the first step (an urgent alert tells leaders at once)
};

struct alert_record : new_alert {
    std::int64_t id = 0; // the number in "Reply ACK 17"
    alert_state state = alert_state::open;
    std::optional<timestamp> acked_at;
    std::optional<std::string> acked_by; // phone
    std::optional<std::int64_t> acked_message_id;
    int folded_children = 0;  // children of later reports folded into this alert
    timestamp last_report_at{}; // created_at, then the time of the last folded report
};

// One person told of an alert. One row per (alert, person): telling them again (a repeat, an
// escalation that reaches them once more) replaces the row with the latest telling; the history
// keeps each one.
struct alert_recipient {
    std::string phone;
    std::string name;
    recipient_role role = recipient_role::member;
    std::string lang = "mn";
    int level = 0; // the escalation level at which they were (last) told
    timestamp told_at{};
    std::optional<std::int64_t> outbox_id; // the message that told them
};

struct alert_history_entry {
    std::int64_t id = 0;
    std::int64_t alert_id = 0;
    timestamp at{};
    std::string what; // created, folded, told, escalated, repeated, acknowledged, closed, delivered, failed
    std::optional<std::string> phone; // whom it concerns: the reporter, a recipient, who acknowledged
    std::string detail;
    std::optional<std::int64_t> outbox_id; // told, delivered, failed: the message concerned
};

// Stores the alert (state open, last_report_at = created_at) and its history row "created", in one
// savepoint; returns its number. Throws SQLite::Exception when message_id, event_id or team_id
// does not exist (foreign keys) or a level is out of range.
std::int64_t create_alert(connection& db, const new_alert& a);

// errc::unknown_alert when no alert has that number.
result<alert_record> find_alert(connection& db, std::int64_t id);

// The open report alert for `site` with a report at or after `since` (the latest, when several):
// the alert a new ID report at that site is folded into (spec: "within 15 minutes"). With
// `sensitive` set, only an alert with that sensitivity, so that a sensitive report is never
// folded into an alert that went to an ordinary team (and the other way round).
std::optional<alert_record> find_open_report_alert(connection& db, std::string_view site, timestamp since,
                                                   std::optional<bool> sensitive = std::nullopt);

// Folds a later report into an alert: folded_children += extra_children, the case codes appended,
// last_report_at = at; history "folded" (detail: children, codes, message). One savepoint. Returns
// the alert afterwards, or errc::unknown_alert (nothing written).
result<alert_record> fold_into_alert(connection& db, std::int64_t id, int extra_children,
                                     const std::vector<std::string>& case_codes, std::int64_t message_id,
                                     timestamp at);

// Records that `r` was told (upsert on (alert, phone): the row becomes this telling) and appends
// history "told" with the phone, role, level and outbox id, in one savepoint. Throws
// SQLite::Exception when the alert or the outbox row does not exist (foreign keys).
void add_alert_recipient(connection& db, std::int64_t alert_id, const alert_recipient& r);

// In the order they were first told. Empty for an unknown alert.
std::vector<alert_recipient> alert_recipients(connection& db, std::int64_t alert_id);

// Whether `phone` was told of the alert (whom an ACK is expected from).
bool is_alert_recipient(connection& db, std::int64_t alert_id, std::string_view phone);

// ACK: state acknowledged, acked_at/by/message, next_escalation_at cleared; history
// "acknowledged" with the phone; one savepoint. An open or closed alert can be acknowledged.
// Returns the alert afterwards; errc::unknown_alert, or errc::alert_already_acknowledged (nothing
// written: the caller answers "already acknowledged by ..." from find_alert). Whether `phone` may
// acknowledge is the caller's decision.
result<alert_record> acknowledge_alert(connection& db, std::int64_t id, std::string_view phone,
                                       std::optional<std::int64_t> message_id, timestamp at);

// One step of the gateway's escalation machine: the alert's escalation columns become `step`, its
// state `state` (open, or closed when escalation gives up), and one history row `what` (escalated,
// repeated, closed ...) with `detail` is appended; one savepoint. Only an open alert takes a step:
// errc::unknown_alert, errc::alert_already_acknowledged, errc::alert_closed (nothing written).
// Throws SQLite::Exception for a level outside 0..max_alert_level, std::invalid_argument for
// `state` acknowledged (that is acknowledge_alert).
result<alert_record> update_alert_escalation(connection& db, std::int64_t id, const alert_escalation& step,
                                             alert_state state, timestamp at, std::string_view what,
                                             std::string_view detail);

// Open alerts whose next escalation is due (next_escalation_at <= now), the most overdue first, at
// most `limit`.
std::vector<alert_record> alerts_due(connection& db, timestamp now, std::size_t limit);

// The earliest next_escalation_at of an open alert: when the escalation timer should wake.
// The alert a message raised, or the one its cases were folded into (an ID); nullopt for none.
std::optional<std::uint64_t> alert_of_message(connection& db, std::int64_t message_id);

std::optional<timestamp> next_alert_due(connection& db);

// Appends one history row (what the functions here write for their own steps; the gateway for
// anything else it wants on the record). Throws SQLite::Exception for an unknown alert or outbox id.
void append_alert_history(connection& db, std::int64_t alert_id, timestamp at, std::string_view what,
                          std::optional<std::string_view> phone, std::string_view detail,
                          std::optional<std::int64_t> outbox_id = std::nullopt);

// Oldest first. Empty for an unknown alert.
std::vector<alert_history_entry> alert_history(connection& db, std::int64_t alert_id);

// Open (unacknowledged, not given up) alerts, by number.
std::vector<alert_record> open_alerts(connection& db);
// How many alerts are open (for /metrics), without loading them.
std::int64_t count_open_alerts(connection& db);

// Export (`kharuul export --what alerts`): by created_at in [since, until), by number.
std::vector<alert_record> export_alerts(connection& db, const time_range& range);

} // namespace kharuul::store
