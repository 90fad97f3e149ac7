// The outbox's retry back-off: the wait doubles with each failed attempt and stops at the cap,
// for the demo's settings (30 s up to an hour), the crash tests' (1 s up to 2 s) and the edges.
#include "gateway/retry_backoff.hpp"

#include "tests/support/gateway_fixture.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace kharuul::gateway {
namespace {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;

struct backoff_row {
    int attempts;
    ms base;
    ms cap;
    ms expected;
};

TEST(retry_backoff, the_wait_doubles_with_each_failed_attempt_until_the_cap_and_stays_there) {
    const backoff_row rows[] = {
        // demo.toml: 30 s, 60 s, 120 s ... never more than an hour
        {1, 30s, 3600s, 30s},
        {2, 30s, 3600s, 60s},
        {3, 30s, 3600s, 120s},
        {4, 30s, 3600s, 240s},
        {5, 30s, 3600s, 480s},
        {6, 30s, 3600s, 960s},
        {7, 30s, 3600s, 1920s},
        {8, 30s, 3600s, 3600s}, // 3840 s capped
        {9, 30s, 3600s, 3600s},
        {1000, 30s, 3600s, 3600s},
        {INT_MAX, 30s, 3600s, 3600s}, // no overflow, no long loop
        // the crash tests' settings
        {1, 1s, 2s, 1s},
        {2, 1s, 2s, 2s},
        {3, 1s, 2s, 2s},
        // a cap that is no power of two of the base
        {1, 7s, 20s, 7s},
        {2, 7s, 20s, 14s},
        {3, 7s, 20s, 20s},
        // the base equal to the cap: always the cap
        {1, 60s, 60s, 60s},
        {5, 60s, 60s, 60s},
        // a row not yet attempted (or a corrupt count) waits the base, not less
        {0, 30s, 3600s, 30s},
        {-3, 30s, 3600s, 30s},
        // a base over the cap (the configuration refuses it) still never waits past the cap
        {1, 90s, 60s, 60s},
        // sub-second settings keep their milliseconds
        {3, 250ms, 1500ms, 1000ms},
        {4, 250ms, 1500ms, 1500ms},
    };
    for (const auto& r : rows)
        EXPECT_EQ(retry_delay(r.attempts, r.base, r.cap), r.expected)
            << "attempt " << r.attempts << ", base " << r.base.count() << " ms, cap " << r.cap.count()
            << " ms";
}

TEST(retry_backoff, the_demo_configuration_retries_after_thirty_seconds_doubling_to_an_hour) {
    const auto cfg = testing::demo_config(testing::source_dir());
    const ms base = cfg.alerts.retry_base, cap = cfg.alerts.retry_cap;
    EXPECT_EQ(base, 30s);
    EXPECT_EQ(cap, 3600s);
    // Doubling at every step below the cap, the cap from the first step that would pass it.
    ms previous = retry_delay(1, base, cap);
    EXPECT_EQ(previous, base);
    for (int attempt = 2; attempt <= 20; ++attempt) {
        const ms d = retry_delay(attempt, base, cap);
        EXPECT_EQ(d, std::min(previous * 2, cap)) << attempt;
        previous = d;
    }
    EXPECT_EQ(previous, cap);
}

} // namespace
} // namespace kharuul::gateway
