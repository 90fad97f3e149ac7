// Repeated warnings of one kind summarised per interval, so that a flood of refused requests
// writes a handful of lines instead of one per request: the first of a kind is logged at once,
// the rest are counted and logged as one line ("401 on channel generic: 25,066 in the last 10 s")
// when the interval is over. Not thread-safe: one instance per thread (the I/O thread).
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace kharuul::gateway {

class warning_summary {
public:
    using clock = std::chrono::steady_clock;

    explicit warning_summary(clock::duration interval = std::chrono::seconds(10),
                             std::function<clock::time_point()> now = &clock::now);

    // One occurrence of `kind` (e.g. "401 on channel generic"). The first of an interval is logged
    // at once as `detail` (or `kind` when empty); later ones only counted, and their count logged
    // at the same level. `kind` should come from a small set (a configured channel's name, not a
    // requested path): each kind is remembered for an interval.
    void warn(std::string_view kind, std::string_view detail = {},
              spdlog::level::level_enum level = spdlog::level::warn);

    // Logs the count of every kind whose interval is over and had repeats, and forgets kinds that
    // were quiet for an interval. Call it now and then (the daemon does every second).
    void flush();

    // Occurrences of `kind` counted but not logged yet.
    std::uint64_t pending(std::string_view kind) const;

private:
    struct entry {
        clock::time_point since;    // the interval began
        std::uint64_t count = 0;    // occurrences in it
        std::uint64_t unlogged = 0; // of those, not logged one by one
        spdlog::level::level_enum level = spdlog::level::warn;
    };
    void summarise(const std::string& kind, entry& e, clock::time_point now);

    clock::duration interval_;
    std::function<clock::time_point()> now_;
    std::map<std::string, entry, std::less<>> kinds_;
};

// 25066 -> "25,066".
std::string with_thousands(std::uint64_t n);

} // namespace kharuul::gateway
