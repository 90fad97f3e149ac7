// The API's tokens (migration 8's api_tokens): made by `kharuul token create`, which draws the
// token and hands its SHA-256 here; the token itself is never stored. A token is live while it is
// neither revoked nor expired. Synchronous; same threading and error contract as store/records.hpp.
#pragma once

#include "store/database.hpp"
#include "store/error.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store {

using token_hash = std::array<unsigned char, 32>; // SHA-256 of the token's text

struct token_record {
    std::int64_t id = 0;
    std::string label;
    std::string role;                // "admin", "coordinator", "team", "viewer"
    std::optional<std::string> team; // role "team" only
    token_hash hash{};
    timestamp created_at{};
    timestamp expires_at{};
    std::optional<timestamp> revoked_at;
    std::optional<timestamp> last_used_at;

    bool live(timestamp now) const noexcept { return !revoked_at && now < expires_at; }
};

struct new_token {
    std::string label;
    std::string role;
    std::optional<std::string> team;
    token_hash hash{};
    timestamp created_at{};
    timestamp expires_at{};
};

// Returns the new token's id; errc::token_label_taken when a live token has the label (a revoked
// one's label may be used again).
result<std::int64_t> create_token(connection& db, const new_token& t);

// The live token with that hash (the caller compares the hash once more in constant time).
std::optional<token_record> find_token_by_hash(connection& db, const token_hash& hash, timestamp now);

// By id, live or not.
std::optional<token_record> find_token(connection& db, std::int64_t id);

// Every token, revoked and expired ones too, by id.
std::vector<token_record> list_tokens(connection& db);

// Revokes the unrevoked token whose label is `label_or_id`, or else whose id it is (digits).
// Returns the token as it was; errc::unknown_token when none (already revoked included).
result<token_record> revoke_token(connection& db, std::string_view label_or_id, timestamp now);

// Sets last_used_at (the service calls it at most once a minute per token).
void touch_token(connection& db, std::int64_t id, timestamp now);

} // namespace kharuul::store
