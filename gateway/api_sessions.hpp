// The dashboard's sign-in sessions (issue 12): POST /api/v1/session trades a token for a random
// session id (the HttpOnly cookie) and a CSRF value (sent back in X-CSRF-Token on writes). Held in
// memory only: a restart signs everyone out, and the token is never kept here. A session names
// its token's id; the service looks the token up at every request, so that a revoked or expired
// token ends its sessions at once. Bounded: at most `max_sessions`, the oldest dropped first.
// Pure (the random values come from api_auth); one thread (the I/O thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace kharuul::gateway::api {

struct api_session {
    std::int64_t token_id = 0;
    std::string csrf;
    std::chrono::steady_clock::time_point opened;
};

class session_table {
public:
    using clock = std::chrono::steady_clock;

    explicit session_table(std::size_t max_sessions = 1024, std::chrono::hours lifetime = std::chrono::hours(12));

    struct opened_session {
        std::string id;
        std::string csrf;
    };
    opened_session open(std::int64_t token_id, clock::time_point now);
    // The live session with that id; nullptr when none (or past its lifetime: then forgotten).
    const api_session* find(std::string_view id, clock::time_point now);
    void close(std::string_view id);
    // Every session of a token (revoked, expired): forgotten.
    void close_token(std::int64_t token_id);

    std::size_t size() const noexcept { return sessions_.size(); }
    std::chrono::hours lifetime() const noexcept { return lifetime_; }

private:
    std::size_t max_sessions_;
    std::chrono::hours lifetime_;
    std::map<std::string, api_session, std::less<>> sessions_;
};

// X-CSRF-Token against the session's value, in constant time.
bool csrf_matches(std::string_view given, std::string_view expected) noexcept;

} // namespace kharuul::gateway::api
