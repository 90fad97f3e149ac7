// Failed authentications per client address (issue 12, item 5): after `max_failures` within
// `window`, the address is refused (429 with Retry-After) until the oldest of them is a window
// old. Memory is bounded under a hostile flood from many addresses: at most `max_clients`
// addresses are tracked; when the table is full (and none of its entries has expired), further
// addresses share one overflow bucket, so that a flood from fresh addresses throttles itself
// instead of evicting the addresses already being throttled. Pure; one thread (the I/O thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway::api {

class auth_throttle {
public:
    using clock = std::chrono::steady_clock;

    explicit auth_throttle(std::size_t max_failures = 10, std::chrono::seconds window = std::chrono::seconds(60),
                           std::size_t max_clients = 4096);

    // How long `client` must wait before trying again; nullopt when it may try now.
    std::optional<std::chrono::seconds> retry_after(std::string_view client, clock::time_point now);
    // Counts one failed authentication of `client`.
    void failed(std::string_view client, clock::time_point now);

    std::size_t tracked() const noexcept { return clients_.size(); }

private:
    struct entry {
        std::vector<clock::time_point> failures; // the recent ones, oldest first, at most max_failures_
    };
    entry* find(std::string_view client, clock::time_point now, bool create);
    void forget_expired(clock::time_point now);
    void drop_old(entry& e, clock::time_point now) const;

    std::size_t max_failures_;
    std::chrono::seconds window_;
    std::size_t max_clients_;
    std::map<std::string, entry, std::less<>> clients_;
    entry overflow_;
};

} // namespace kharuul::gateway::api
