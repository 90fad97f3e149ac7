#include "gateway/api_sessions.hpp"

#include "gateway/api_auth.hpp"

#include <openssl/crypto.h>

#include <algorithm>

namespace kharuul::gateway::api {

session_table::session_table(std::size_t max_sessions, std::chrono::hours lifetime)
    : max_sessions_(std::max<std::size_t>(max_sessions, 1)), lifetime_(lifetime) {}

session_table::opened_session session_table::open(std::int64_t token_id, clock::time_point now) {
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = now - it->second.opened >= lifetime_ ? sessions_.erase(it) : std::next(it);
    while (sessions_.size() >= max_sessions_) {
        auto oldest = std::min_element(sessions_.begin(), sessions_.end(),
                                       [](const auto& a, const auto& b) { return a.second.opened < b.second.opened; });
        sessions_.erase(oldest);
    }
    opened_session s{random_text(), random_text()};
    sessions_[s.id] = api_session{token_id, s.csrf, now};
    return s;
}

const api_session* session_table::find(std::string_view id, clock::time_point now) {
    auto it = sessions_.find(id);
    if (it == sessions_.end())
        return nullptr;
    if (now - it->second.opened >= lifetime_) {
        sessions_.erase(it);
        return nullptr;
    }
    return &it->second;
}

void session_table::close(std::string_view id) {
    if (auto it = sessions_.find(id); it != sessions_.end())
        sessions_.erase(it);
}

void session_table::close_token(std::int64_t token_id) {
    std::erase_if(sessions_, [token_id](const auto& kv) { return kv.second.token_id == token_id; });
}

bool csrf_matches(std::string_view given, std::string_view expected) noexcept {
    if (given.size() != expected.size() || expected.empty())
        return false;
    return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

} // namespace kharuul::gateway::api
