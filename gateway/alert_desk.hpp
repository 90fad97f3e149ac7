// The alert desk: what the gateway does about alerts inside the store's transactions. An ID
// report (or TR ... WORK / MISS) is routed to the team covering its site and written to the
// durable outbox in the same transaction as the event that caused it; a report at the same site
// within the fold window joins the open alert instead; `ACK n` closes an alert; and, as the
// daemon's clock moves, unacknowledged alerts escalate (leaders, then coordinators, then repeats)
// and cases without tracking news get daytime reminders. The decisions are the pure machines of
// alerts/; this file only reads and writes the store. Runs on the store thread (a writer job) or
// on a CLI command's connection; throws only for infrastructure failures.
#pragma once

#include "alerts/escalation_fsm.hpp"
#include "alerts/routing.hpp"
#include "config/gateway_config.hpp"
#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "parser/sms.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::gateway {

struct alert_site {
    std::string name; // "Altan-Us gold mine": dropped first when an alert is too long
    std::string area;
};

// Everything the desk needs from the configuration, built once per (re)load.
struct alert_settings {
    alerts::routing_rules routing = alerts::default_routing();
    alerts::escalation_policy policy;
    std::chrono::minutes fold_window{15};
    std::chrono::days reminder_after{30};
    std::chrono::minutes day_start{9 * 60};
    std::chrono::minutes day_end{20 * 60};
    std::chrono::minutes utc_offset{8 * 60};
    std::string outbound_channel; // the channel every outbox row goes through; empty: none
    std::map<std::string, alert_site, std::less<>> sites;
    std::vector<alerts::team_view> teams;
    std::vector<alerts::recipient> coordinators;
};

alert_settings alert_settings_of(const config::gateway_config& c);

// Queues one SMS in the outbox (no-op returning nullopt when there is no outbound channel).
std::optional<std::int64_t> queue_sms(store::connection& db, const alert_settings& s, const std::string& phone,
                                      std::string text, store::outbox_kind kind, std::optional<std::int64_t> alert_id,
                                      std::optional<std::int64_t> message_id, store::timestamp now,
                                      std::optional<store::timestamp> not_before = std::nullopt);

struct raised_alert {
    std::uint64_t number = 0; // what recipients ACK
    bool folded = false;      // joined an open alert at the same site
    std::size_t told = 0;     // SMS queued now
};

// An accepted ID or TR from `reporter`: raises (or folds into) an alert when routing says so.
// `case_codes`: the cases an ID opened. nullopt: this report alerts nobody.
std::optional<raised_alert> raise_alert(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                                        const parser::sms_message& m, const std::vector<std::string>& case_codes,
                                        const std::string& reporter, std::int64_t message_id, std::int64_t event_id,
                                        store::timestamp now);

// `ACK n` from `phone` (already known to be a team member or coordinator): the reply to send.
// Only a recipient of the alert, or a coordinator, may close it; the others who were told are
// not told again (their unsent alert messages are cancelled and escalation stops).
struct ack_outcome {
    bool accepted = false;
    std::optional<std::string> error_code; // unknown_alert, not_recipient
    std::string reply;
};
ack_outcome acknowledge(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                        std::uint64_t number, const std::string& phone, parser::reply_language lang,
                        std::int64_t message_id, store::timestamp now);

// `INFO n [page]` from `phone` (a team member or coordinator): a page of the alert's case codes
// that its text, as the sender's language words it, does not show (parser/info_reply.hpp). Only a
// recipient of the alert, or a coordinator, may ask; any state (an acknowledged alert's cases still
// need following). Reads only. error_code: unknown_alert, not_recipient, no_page.
ack_outcome alert_case_page(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                       std::uint64_t number, std::uint32_t page, const std::string& phone,
                       parser::reply_language lang);

struct due_work {
    std::size_t escalations = 0; // escalation steps taken
    std::size_t reminders = 0;   // reminder SMS queued
    std::size_t queued = 0;      // SMS queued in all
};

// Everything due at `now`: escalation steps of unacknowledged alerts, and (in the daytime, when
// `reminders`) reminders for open cases without tracking news for reminder_after. Idempotent for
// a given now. The daemon looks for reminders once a minute (a scan of the open cases), for
// escalations every second.
due_work run_due(store::connection& db, const alert_settings& s, const parser::lexicon& lex, store::timestamp now,
                 bool reminders = true);

} // namespace kharuul::gateway
