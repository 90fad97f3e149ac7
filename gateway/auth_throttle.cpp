#include "gateway/auth_throttle.hpp"

#include <algorithm>

namespace kharuul::gateway::api {

auth_throttle::auth_throttle(std::size_t max_failures, std::chrono::seconds window, std::size_t max_clients)
    : max_failures_(std::max<std::size_t>(max_failures, 1)), window_(window),
      max_clients_(std::max<std::size_t>(max_clients, 1)) {}

void auth_throttle::drop_old(entry& e, clock::time_point now) const {
    const auto horizon = now - window_;
    auto keep = std::find_if(e.failures.begin(), e.failures.end(), [&](auto t) { return t > horizon; });
    e.failures.erase(e.failures.begin(), keep);
}

void auth_throttle::forget_expired(clock::time_point now) {
    for (auto it = clients_.begin(); it != clients_.end();) {
        drop_old(it->second, now);
        it = it->second.failures.empty() ? clients_.erase(it) : std::next(it);
    }
}

auth_throttle::entry* auth_throttle::find(std::string_view client, clock::time_point now, bool create) {
    if (auto it = clients_.find(client); it != clients_.end())
        return &it->second;
    if (!create)
        return clients_.size() >= max_clients_ ? &overflow_ : nullptr;
    if (clients_.size() >= max_clients_)
        forget_expired(now);
    if (clients_.size() >= max_clients_)
        return &overflow_;
    return &clients_[std::string(client)];
}

std::optional<std::chrono::seconds> auth_throttle::retry_after(std::string_view client, clock::time_point now) {
    entry* e = find(client, now, false);
    if (e == nullptr)
        return std::nullopt;
    drop_old(*e, now);
    if (e->failures.size() < max_failures_)
        return std::nullopt;
    const auto free_at = e->failures.front() + window_;
    const auto wait = std::chrono::ceil<std::chrono::seconds>(free_at - now);
    return std::max(wait, std::chrono::seconds(1));
}

void auth_throttle::failed(std::string_view client, clock::time_point now) {
    entry* e = find(client, now, true);
    drop_old(*e, now);
    e->failures.push_back(now);
    if (e->failures.size() > max_failures_)
        e->failures.erase(e->failures.begin());
}

} // namespace kharuul::gateway::api
