#include "gateway/warning_summary.hpp"

#include <spdlog/spdlog.h>

namespace kharuul::gateway {

std::string with_thousands(std::uint64_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

warning_summary::warning_summary(clock::duration interval, std::function<clock::time_point()> now)
    : interval_(interval), now_(std::move(now)) {}

void warning_summary::summarise(const std::string& kind, entry& e, clock::time_point now) {
    if (e.unlogged > 0) {
        const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - e.since).count();
        spdlog::log(e.level, "{}: {} in the last {} s", kind, with_thousands(e.count), secs);
    }
    e.since = now;
    e.count = 0;
    e.unlogged = 0;
}

void warning_summary::warn(std::string_view kind, std::string_view detail, spdlog::level::level_enum level) {
    const auto now = now_();
    auto it = kinds_.find(kind);
    if (it != kinds_.end() && now - it->second.since < interval_) {
        ++it->second.count;
        ++it->second.unlogged;
        return;
    }
    if (it != kinds_.end() && it->second.unlogged > 0) {
        // A flood going on: the interval's count, and this one is the first of the next.
        summarise(it->first, it->second, now);
        it->second.count = 1;
        it->second.unlogged = 1;
        return;
    }
    if (it == kinds_.end()) {
        it = kinds_.emplace(std::string(kind), entry{now, 0, 0, level}).first;
    }
    it->second.since = now; // a quiet interval is over: this one starts the next
    it->second.count = 1;
    it->second.unlogged = 0;
    it->second.level = level;
    spdlog::log(level, "{}", detail.empty() ? kind : detail);
}

void warning_summary::flush() {
    const auto now = now_();
    for (auto it = kinds_.begin(); it != kinds_.end();) {
        if (now - it->second.since < interval_) {
            ++it;
            continue;
        }
        if (it->second.unlogged == 0) {
            it = kinds_.erase(it); // nothing left to say: the next one is logged at once
            continue;
        }
        // A flood going on: its count, and the next interval starts now with nothing logged at
        // once (one line per interval is enough).
        summarise(it->first, it->second, now);
        ++it;
    }
}

std::uint64_t warning_summary::pending(std::string_view kind) const {
    auto it = kinds_.find(kind);
    return it == kinds_.end() ? 0 : it->second.unlogged;
}

} // namespace kharuul::gateway
