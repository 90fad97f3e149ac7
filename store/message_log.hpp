// The queries behind `kharuul log` (spec/interfaces.md): the message log with its filters, and the
// ids of the alerts and outbound messages its other views show, newest first. Read-only; the CLI
// runs them on its own read-only connection. They throw SQLite::Exception for infrastructure
// failures only.
#pragma once

#include "store/database.hpp"
#include "store/records.hpp"

#include "parser/language.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

// A phone number as a filter: a whole number matched exactly, or (ending) a run of digits that
// matches every number ending with them ("0001", the part the masked log shows, matches
// +97699000001 and +97699010001, not +97699000010). gateway::read_phone_filter makes one from
// what a coordinator types.
struct phone_match {
    std::string number; // "+97699000001", a short code "500", or digits for `ending`
    bool ending = false;
};

// The message log (`kharuul log`): newest first.
struct message_filter {
    std::optional<phone_match> phone; // sender or recipient
    // The messages that concern this site: those whose event names it, and those with no event
    // (rejected, kept from a stranger, duplicate, not processed yet) whose text names it as
    // site_of_text reads it; without site_of_text, the events alone.
    std::optional<std::string> site;
    std::function<std::optional<std::string>(std::string_view text)> site_of_text;
    std::optional<parser::form> form;
    std::optional<message_status> status;
    std::optional<timestamp> since; // received_at >= since
    std::optional<timestamp> until; // received_at < until
    std::size_t limit = 100;
    // The API's paging (by id, the order the store took the messages in, so that a page never
    // repeats or skips one): `by_id` orders newest stored first, `before_id` keeps id < it;
    // `after_id` keeps id > it, oldest first (the live log). Without them, by received_at.
    bool by_id = false;
    std::optional<std::int64_t> before_id;
    std::optional<std::int64_t> after_id;
};
std::vector<message_record> query_messages(connection& db, const message_filter& filter);

// `kharuul log --alerts`: the ids of the alerts created in the range, newest first.
struct alert_filter {
    time_range range;                 // created_at
    std::optional<std::string> site;
    std::optional<phone_match> phone; // the reporter, a recipient, or who acknowledged
    std::optional<std::string> state; // as stored: "open", "acknowledged", "closed"
    std::size_t limit = 100;
    std::optional<std::int64_t> before_id; // the API's paging: id < before_id, then by id
};
std::vector<std::int64_t> query_alert_ids(connection& db, const alert_filter& filter);

// `kharuul log --outbox`: the ids of the outbound messages created in the range, newest first.
struct outbox_filter {
    time_range range;                 // created_at
    std::optional<phone_match> phone; // the recipient
    std::optional<std::string> state; // as stored: "queued", "sending", ...
    std::size_t limit = 100;
    std::optional<std::int64_t> before_id; // the API's paging: id < before_id, then by id
};
std::vector<std::int64_t> query_outbox_ids(connection& db, const outbox_filter& filter);

// Every outbound message of an alert, oldest first (`kharuul log --alert N`).
std::vector<std::int64_t> outbox_ids_of_alert(connection& db, std::int64_t alert_id);

// The numbers the store knows (senders and recipients of messages, reporters, team members,
// coordinators) that `phone` matches, in order: what a filter by digits stands for.
std::vector<std::string> numbers_matching(connection& db, const phone_match& phone);

} // namespace kharuul::store
