// Tracking reminders (spec/alerts.md, "Tracking reminders"): when they may go out (the daytime of
// the deployment's time zone) and how overdue cases are batched into SMS, one recipient and at
// most five cases per message. Pure: the store finds the overdue cases, the gateway sends the
// batches with reminder_text (alert_text.hpp) in each recipient's language.
#pragma once

#include "alerts/alert_text.hpp"
#include "alerts/timestamp.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace kharuul::alerts {

// True when `now`, in local time (UTC + utc_offset), is in [day_start, day_end) of its day.
// day_start > day_end is a window across midnight; day_start == day_end means any time. The
// bounds are times of day, 0 to 24 h (config::alerts_config daytime_start, daytime_end).
bool is_daytime(timestamp now, std::chrono::minutes utc_offset, std::chrono::minutes day_start,
                std::chrono::minutes day_end) noexcept;

// `now` when it is daytime; otherwise the next instant the daytime window opens.
timestamp next_daytime_start(timestamp now, std::chrono::minutes utc_offset, std::chrono::minutes day_start,
                             std::chrono::minutes day_end) noexcept;

// A case with no tracking news for the configured period.
struct overdue_case {
    std::string code;
    std::string site;
    std::vector<std::string> recipients; // phones: the reporter who last followed it and its team
};

// One reminder SMS.
struct reminder_batch {
    std::string phone;
    std::vector<reminder_case> cases; // 1..max_per_sms

    bool operator==(const reminder_batch&) const = default;
};

// Groups the overdue cases per recipient: each phone gets its cases in input order, each case
// once (repeated codes and phones are ignored), split into batches of at most `max_per_sms`
// (0 counts as 1). Phones come in order of first appearance, a phone's batches together; empty
// phones are skipped.
std::vector<reminder_batch> batch_reminders(const std::vector<overdue_case>& cases,
                                            std::size_t max_per_sms = 5);

} // namespace kharuul::alerts
