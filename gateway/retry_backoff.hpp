// The outbox's retry policy as a pure function: a failed send is retried after the base wait,
// then twice that, four times ..., never waiting longer than the cap (README, operations).
#pragma once

#include <algorithm>
#include <chrono>

namespace kharuul::gateway {

// The wait after the `attempts`-th attempt of a message failed (1 for its first attempt): `base`
// doubled attempts - 1 times, at most `cap`. Fewer than one attempt counts as one; a base over the
// cap gives the cap. Any number of attempts is a few steps (the doubling stops at the cap).
constexpr std::chrono::milliseconds retry_delay(int attempts, std::chrono::milliseconds base,
                                                std::chrono::milliseconds cap) {
    auto d = base;
    for (int i = 1; i < attempts && d < cap; ++i)
        d *= 2;
    return std::min(d, cap);
}

} // namespace kharuul::gateway
