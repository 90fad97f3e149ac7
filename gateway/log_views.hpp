// `kharuul log`'s views of the alerts (--alerts, --alert N) and of the outbox (--outbox), and
// the terminal width every view trims its lines to. Internal to gateway/log_command.cpp, which
// reads the options and prints the message log; runs on the caller's thread.
#pragma once

#include "config/gateway_config.hpp"
#include "gateway/cli.hpp"
#include "store/database.hpp"
#include "store/message_log.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace kharuul::gateway {

// The width of this run of `kharuul log` (set once by cmd_log; one command a process, or one at a
// time in tests).
void set_log_columns(std::size_t columns);
std::size_t log_columns();

// The filters of the alert and outbox views, read and checked.
struct log_request {
    std::size_t limit = 100;
    bool full = false; // whole phone numbers
    bool wide = false; // whole texts
    store::time_range range;          // created_at
    std::optional<std::string> site;  // alerts at this site
    std::optional<store::phone_match> phone; // alerts: reporter, recipient or who acknowledged; outbox: recipient
    std::optional<std::string> state; // an alert's or an outbox row's state, as stored
};

// `kharuul log --alerts`: the alerts, newest first, each with its history indented below it.
int log_alerts(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q);
// `kharuul log --outbox`: the outbound messages, newest first.
int log_outbox(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q);
// `kharuul log --alert N`: one alert with everything.
int log_one_alert(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
                  std::int64_t number, bool full, bool wide);

} // namespace kharuul::gateway
