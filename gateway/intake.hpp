// Taking in one inbound message: store it as received, recognise a provider's retry and the
// same text sent twice, keep messages from unknown numbers, parse, check who may send what,
// apply it to the cases, and decide the one reply. Runs on the store thread inside a
// store::writer job, so everything it writes commits together, and the provider is answered only
// after that commit (gateway/server.cpp). Throws only for infrastructure failures (SQLite).
#pragma once

#include "cases/case_fsm.hpp"
#include "config/gateway_config.hpp"
#include "gateway/alert_desk.hpp"
#include "parser/lexicon.hpp"
#include "parser/sms.hpp"
#include "store/database.hpp"
#include "store/records.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::gateway {

struct inbound {
    store::message_kind kind = store::message_kind::sms;
    std::string channel;
    std::optional<std::string> provider_id;
    std::string from;
    std::string to;
    std::string text;
    std::optional<store::timestamp> observed_at;
    // USSD: the dialogue the text comes from (ussd::describe_steps); `text` is its equivalent SMS.
    std::optional<std::string> dialogue;
};

struct intake_settings {
    std::chrono::minutes duplicate_window{10};
    std::uint32_t first_case_serial = 10000;
    int max_cases_per_sender_per_hour = 100; // messages.max_cases_per_sender_per_hour (gateway/case_cap.hpp)
    cases::rules case_rules; // the evidence window of OUT (cases.outcome_evidence_days)
    // Alerting (routing, outbox); null: reports alert nobody and every ACK is "no open alert".
    std::shared_ptr<const alert_settings> alerts;
};

struct intake_outcome {
    std::int64_t message_id = 0;
    store::message_status status = store::message_status::received;
    std::string reply;   // empty: nothing to send (a duplicate of an answered message)
    bool repeat = false; // the provider delivered this id before: answered exactly as then
    std::optional<parser::form> form;
    std::optional<std::string> error_code;
    std::vector<std::string> case_codes; // ID, RISK: the cases opened
    std::string applied_to;              // a case form on a merged case: the kept case it went to
    std::optional<std::uint64_t> alert;  // the alert raised or folded into (ID, TR), or acknowledged (ACK)
    std::optional<std::int64_t> duplicate_of; // a duplicate: the processed message it repeats
    bool urgent = false;
    bool sensitive = false;
};

// The settings a configuration gives (the daemon, `rerun` and `replay` build them the same way).
intake_settings intake_settings_of(const config::gateway_config& c);

// Stores and processes a new inbound message. `now` is the daemon's clock.
intake_outcome take_in(store::connection& db, const inbound& msg, const parser::lexicon& lex,
                       const intake_settings& settings, store::timestamp now);

// Processes a stored message again (`kharuul rerun`): meant for messages kept as unregistered
// whose sender has since been registered. The reply is queued in the outbox (the provider's
// request was answered long ago) when settings.alerts names an outbound channel. errc::unknown_message when there is no such message,
// std::errc::operation_not_permitted when it was processed already (it is not processed twice).
store::result<intake_outcome> rerun(store::connection& db, std::int64_t message_id, const parser::lexicon& lex,
                                    const intake_settings& settings, store::timestamp now);

} // namespace kharuul::gateway
