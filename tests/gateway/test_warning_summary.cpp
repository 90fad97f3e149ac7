// The summarising logger on a clock the test moves: the first of a kind at once, then one line
// with the count per interval.
#include "gateway/warning_summary.hpp"

#include "tests/support/log_capture.hpp"

#include <gtest/gtest.h>

namespace kharuul::gateway {
namespace {

using namespace std::chrono_literals;

struct fake_clock {
    warning_summary::clock::time_point now{};
    std::function<warning_summary::clock::time_point()> fn() {
        return [this] { return now; };
    }
};

TEST(warning_summary, a_thousand_repeats_make_one_line_at_once_and_one_with_the_count_after_the_interval) {
    testing::log_capture log;
    fake_clock clock;
    warning_summary w(10s, clock.fn());
    for (int i = 0; i < 1000; ++i) {
        w.warn("401 on channel generic",
               "channel generic: request without the channel's secret refused (401)");
        clock.now += 5ms; // 5 s in all
        w.flush();
    }
    EXPECT_EQ(log.lines().size(), 1u);
    EXPECT_EQ(w.pending("401 on channel generic"), 999u);
    clock.now += 5s;
    w.flush();
    const auto lines = log.lines();
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "warning channel generic: request without the channel's secret refused (401)");
    EXPECT_EQ(lines[1], "warning 401 on channel generic: 1,000 in the last 10 s");
    // Quiet for an interval: forgotten, and the next one is logged at once again.
    clock.now += 11s;
    w.flush();
    w.warn("401 on channel generic", "again");
    EXPECT_EQ(log.lines().size(), 3u);
    EXPECT_EQ(log.lines().back(), "warning again");
}

TEST(warning_summary, a_flood_going_on_writes_one_line_per_interval_and_kinds_are_counted_apart) {
    testing::log_capture log;
    fake_clock clock;
    warning_summary w(10s, clock.fn());
    for (int i = 0; i < 30'000; ++i) { // 30 s
        w.warn("401 on channel generic");
        if (i % 2 == 0)
            w.warn("503 on channel generic", {}, spdlog::level::err);
        clock.now += 1ms;
        if (i % 1000 == 0)
            w.flush();
    }
    clock.now += 1s;
    w.flush();
    EXPECT_EQ(log.lines_containing("401").size(), 4u)
        << ::testing::PrintToString(log.lines()); // once at once, then three summaries
    EXPECT_EQ(log.lines_containing("503").size(), 4u);
    EXPECT_EQ(log.lines_containing("error 503").size(), 4u);
    EXPECT_EQ(log.lines_containing("401 on channel generic: 10,000 in the last 10 s").size(), 2u);
    EXPECT_EQ(log.lines_containing("401 on channel generic: 10,000 in the last 11 s").size(), 1u);
}

TEST(warning_summary, thousands_are_separated_by_commas) {
    EXPECT_EQ(with_thousands(0), "0");
    EXPECT_EQ(with_thousands(999), "999");
    EXPECT_EQ(with_thousands(1000), "1,000");
    EXPECT_EQ(with_thousands(25066), "25,066");
    EXPECT_EQ(with_thousands(1234567), "1,234,567");
}

} // namespace
} // namespace kharuul::gateway
