// The API's secrets (issue 12): tokens as `kharuul token create` prints them ("khr_" and 32 random
// bytes in base64url), their SHA-256 (all the store keeps), the constant-time comparison, and the
// reading of the Authorization and Cookie headers. Pure but for the random bytes (OpenSSL).
#pragma once

#include "store/tokens.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace kharuul::gateway::api {

inline constexpr std::string_view token_prefix = "khr_";
inline constexpr std::string_view session_cookie = "kharuul_session";

// 32 bytes from OpenSSL's RAND_bytes, base64url without padding; throws std::runtime_error when
// the generator fails.
std::string random_text();
// A new token: token_prefix + random_text().
std::string new_token_text();
store::token_hash hash_of(std::string_view token);
// CRYPTO_memcmp: time independent of where they differ.
bool same_hash(const store::token_hash& a, const store::token_hash& b) noexcept;

// The token of "Authorization: Bearer <token>" (the scheme's case ignored); nullopt when the
// header is missing or another scheme.
std::optional<std::string_view> bearer_of(std::string_view authorization);
// The value of cookie `name` in a Cookie header ("a=1; kharuul_session=xyz"); nullopt when absent.
std::optional<std::string_view> cookie_of(std::string_view cookie_header, std::string_view name);

} // namespace kharuul::gateway::api
