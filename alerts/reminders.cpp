#include "alerts/reminders.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace kharuul::alerts {

bool is_daytime(timestamp now, std::chrono::minutes utc_offset, std::chrono::minutes day_start,
                std::chrono::minutes day_end) noexcept {
    if (day_start == day_end) {
        return true;
    }
    const timestamp local = now + utc_offset;
    const auto time_of_day = local - std::chrono::floor<std::chrono::days>(local);
    if (day_start < day_end) {
        return time_of_day >= day_start && time_of_day < day_end;
    }
    return time_of_day >= day_start || time_of_day < day_end;
}

timestamp next_daytime_start(timestamp now, std::chrono::minutes utc_offset, std::chrono::minutes day_start,
                             std::chrono::minutes day_end) noexcept {
    if (is_daytime(now, utc_offset, day_start, day_end)) {
        return now;
    }
    const timestamp local = now + utc_offset;
    timestamp opens = std::chrono::floor<std::chrono::days>(local) + day_start;
    if (opens <= local) {
        opens += std::chrono::days{1};
    }
    return opens - utc_offset;
}

std::vector<reminder_batch> batch_reminders(const std::vector<overdue_case>& cases, std::size_t max_per_sms) {
    const std::size_t per_sms = std::max<std::size_t>(max_per_sms, 1);
    std::vector<std::string> order;
    std::map<std::string, std::vector<reminder_case>, std::less<>> per_phone;
    std::set<std::pair<std::string, std::string>> listed; // (phone, case code)
    for (const auto& c : cases) {
        for (const auto& phone : c.recipients) {
            if (phone.empty() || !listed.emplace(phone, c.code).second) {
                continue;
            }
            auto [it, first] = per_phone.try_emplace(phone);
            if (first) {
                order.push_back(phone);
            }
            it->second.push_back({c.code, c.site});
        }
    }
    std::vector<reminder_batch> out;
    for (const auto& phone : order) {
        const auto& list = per_phone.find(phone)->second;
        for (std::size_t i = 0; i < list.size(); i += per_sms) {
            reminder_batch b;
            b.phone = phone;
            const auto end = list.begin() + static_cast<std::ptrdiff_t>(std::min(list.size(), i + per_sms));
            b.cases.assign(list.begin() + static_cast<std::ptrdiff_t>(i), end);
            out.push_back(std::move(b));
        }
    }
    return out;
}

} // namespace kharuul::alerts
