// Messages and events: every inbound SMS or USSD string as received and what became of it, and the
// event each accepted message records. Synchronous functions over one connection; in the daemon
// they run inside store::writer jobs (the writer's thread and transaction), in the CLI on the
// command's own connection. They throw SQLite::Exception for infrastructure failures and return
// errc through result<T> for failures that depend on their input.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include "parser/language.hpp"
#include "parser/sms.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

enum class message_kind : std::uint8_t { sms, ussd };

enum class message_status : std::uint8_t {
    received,     // stored, not processed yet (e.g. kept before a rerun); the insert default
    accepted,     // understood and recorded
    rejected,     // not understood, or refused (closed case, not allowed): the reply says why
    duplicate,    // the same text from the same number within the duplicate window
    unregistered, // the sender is not a registered reporter: kept, not processed
};

std::string_view to_string(message_kind k) noexcept;    // "sms", "ussd"
std::string_view to_string(message_status s) noexcept;  // "received", "accepted", ...
std::optional<message_kind> message_kind_from(std::string_view s) noexcept;
std::optional<message_status> message_status_from(std::string_view s) noexcept;

struct new_message {
    message_kind kind = message_kind::sms;
    std::string channel;                    // the channel's configured name
    std::optional<std::string> provider_id; // the provider's message id, when it gives one
    std::string sender;                     // phone
    std::string recipient;                  // our number or short code
    std::string text;                       // raw, as received
    timestamp received_at{};
    std::optional<timestamp> observed_at;   // when the sender says it happened, if they do
    // USSD: the dialogue the message was taken from (ussd::describe_steps); `text` is its SMS.
    std::optional<std::string> dialogue;
};

struct message_record {
    std::int64_t id = 0;
    message_kind kind = message_kind::sms;
    std::string channel;
    std::optional<std::string> provider_id;
    std::string sender;
    std::string recipient;
    std::string text;
    timestamp received_at{};
    std::optional<timestamp> observed_at;
    message_status status = message_status::received;
    std::optional<parser::form> form;
    std::optional<std::string> error_code;
    std::optional<std::int64_t> duplicate_of;
    std::optional<std::string> reply;
    std::optional<std::string> reply_lang;
    // The message as understood, for the duplicate rule (gateway::duplicate_key): its form and
    // canonical fields, whatever script or spelling was typed; NULL when it was never parsed
    // (kept unregistered, not understood, or stored before schema 6).
    std::optional<std::string> duplicate_key;
    std::optional<std::string> dialogue; // USSD: see new_message::dialogue
};

// What processing decided; written once per processing (a rerun writes it again).
struct message_outcome {
    message_status status = message_status::accepted;
    std::optional<parser::form> form;
    std::optional<std::string> error_code; // parser::error_code_name(...) or a store errc name
    std::optional<std::int64_t> duplicate_of;
    std::optional<std::string> reply;
    std::optional<std::string> reply_lang; // "en", "mn"
    std::optional<std::string> duplicate_key; // see message_record::duplicate_key
};

// Stores a message with status `received`; returns its id. errc::duplicate_provider_id when
// (channel, provider_id) is already stored (then nothing is written: look it up with
// find_message_by_provider_id and answer as before). Hot: prepared once per connection.
result<std::int64_t> insert_message(connection& db, const new_message& m);

std::optional<message_record> find_message(connection& db, std::int64_t id);

// Hot: the provider retried a message we already have.
std::optional<message_record> find_message_by_provider_id(connection& db, std::string_view channel,
                                                          std::string_view provider_id);

// The duplicate rule (spec/sms-language.md 6): the earliest message from `sender` understood as
// `key` (message_record::duplicate_key), received in [since, until], that was accepted (recorded
// something), other than `except` (the message being processed). Only a processed message is an
// original: one kept unregistered is none, and neither is a refused one (a team that fixes what
// the refusal named and sends the same form again gets it processed). A message stored before
// keys were kept (no duplicate_key) counts when its raw text is exactly `text`. Hot.
std::optional<message_record> find_processed_duplicate(connection& db, std::string_view sender,
                                                       std::string_view key, std::string_view text,
                                                       timestamp since, timestamp until, std::int64_t except);

// Whether `sender` has another message than `except`, received at or after `since`, stored with
// `error_code`; with `answered`, only one that got a (non-empty) reply. The case cap
// (gateway/case_cap.hpp) answers once an hour and tells the coordinators once a day with it.
// Through messages_by_sender: that phone's messages since `since`.
bool has_error_since(connection& db, std::string_view sender, std::string_view error_code, timestamp since,
                     std::int64_t except, bool answered);

// errc::unknown_message when no message has that id.
result<void> set_message_outcome(connection& db, std::int64_t id, const message_outcome& outcome);

// One event per accepted message that records something (ID, NIL, RISK and the case forms).
struct new_event {
    std::int64_t message_id = 0;
    parser::form form = parser::form::id;
    std::string reporter; // phone
    std::optional<std::string> site;      // for case forms, filled from the case when empty
    std::optional<std::string> case_code; // the case forms: the case as sent (MERGE: the merged one)
    std::optional<int> boys, girls, unknown, age_min, age_max;
    std::optional<std::string> work;
    std::vector<std::string> hazards;
    std::optional<std::string> status;    // TR: the codes, space-separated ("NFE STOP")
    std::optional<std::string> service;   // REF, SVC
    std::optional<std::string> outcome;   // VER: "OK" or "NO"; OUT: "WD", "PR", "LESS", "NO"
    std::optional<std::string> reason;    // CLOSE; VER NO's dismiss reason; RISK's reason
    std::optional<std::string> target;    // PLAN: "W" or "P"
    std::optional<std::string> category;  // PLAN
    std::optional<bool> for_family;       // SVC
    std::optional<std::string> into_case; // MERGE
    std::optional<std::string> note;
    bool urgent = false;
    bool sensitive = false;
    timestamp occurred_at{}; // observed_at when given, else received_at
};

struct event_record : new_event {
    std::int64_t id = 0;
};

// The event a parsed message records (fields copied from the body; ACK and HELP give only the
// common fields: the gateway stores no event for them).
new_event make_event(const parser::sms_message& m, std::int64_t message_id, std::string reporter,
                     timestamp occurred_at);

// Returns the event's id. When case_code is set and site is not, the site is taken from the case.
// Throws SQLite::Exception when message_id does not exist (foreign key).
std::int64_t insert_event(connection& db, const new_event& e);

std::vector<event_record> events_of_message(connection& db, std::int64_t message_id);

// The message log (`kharuul log`): store/message_log.hpp.

// Exports (`kharuul export`): oldest first, all rows in [since, until).
std::vector<message_record> export_messages(connection& db, const time_range& range); // by received_at
std::vector<event_record> export_events(connection& db, const time_range& range);     // by occurred_at

// The events list (GET /api/v1/events): newest stored first (by id), `before_id` for the next page.
struct event_filter {
    std::optional<std::string> site;
    std::optional<std::string> case_code; // the case as sent (MERGE: the merged one)
    std::optional<parser::form> form;
    time_range range;                     // occurred_at
    std::optional<std::int64_t> before_id; // id < before_id
    std::size_t limit = 100;
};
std::vector<event_record> query_events(connection& db, const event_filter& filter);

// How many messages the store holds and when the latest arrived (`kharuul replay` refuses a store
// that holds any unless --append, and a season that starts before the latest).
struct message_totals {
    std::size_t count = 0;
    std::optional<timestamp> latest;
};
message_totals count_messages(connection& db);

// Space-separated codes, as stored in the hazards columns.
std::string join_codes(const std::vector<std::string>& codes);
std::vector<std::string> split_codes(std::string_view joined);

} // namespace kharuul::store
