// The API's pure parts: tokens as printed (khr_ and base64url of 32 random bytes), their hash, the
// Authorization and Cookie headers read, the failed-authentication throttle (10 a minute per
// address, bounded memory under a flood of addresses) and the session table.
#include "gateway/api_auth.hpp"
#include "gateway/api_sessions.hpp"
#include "gateway/auth_throttle.hpp"

#include <gtest/gtest.h>

#include <set>

namespace kharuul::gateway::api {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

TEST(api_tokens, a_new_token_is_khr_and_43_base64url_characters_and_never_repeats) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        const std::string t = new_token_text();
        ASSERT_EQ(t.size(), 4u + 43u) << t;
        EXPECT_TRUE(t.starts_with("khr_"));
        EXPECT_EQ(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
                  std::string::npos)
            << t;
        EXPECT_TRUE(seen.insert(t).second);
    }
}

TEST(api_tokens, the_hash_is_sha256_of_the_text) {
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    const store::token_hash h = hash_of("abc");
    EXPECT_EQ(h[0], 0xba);
    EXPECT_EQ(h[1], 0x78);
    EXPECT_EQ(h[31], 0xad);
    EXPECT_TRUE(same_hash(hash_of("khr_x"), hash_of("khr_x")));
    EXPECT_FALSE(same_hash(hash_of("khr_x"), hash_of("khr_y")));
}

TEST(api_headers, the_bearer_token_is_read_whatever_the_scheme_case) {
    EXPECT_EQ(bearer_of("Bearer khr_abc"), "khr_abc");
    EXPECT_EQ(bearer_of("bearer   khr_abc  "), "khr_abc");
    EXPECT_FALSE(bearer_of("Basic dXNlcjpwYXNz"));
    EXPECT_FALSE(bearer_of("Bearer "));
    EXPECT_FALSE(bearer_of(""));
}

TEST(api_headers, the_session_cookie_is_found_among_others) {
    EXPECT_EQ(cookie_of("a=1; kharuul_session=xyz; b=2", session_cookie), "xyz");
    EXPECT_EQ(cookie_of("kharuul_session=xyz", session_cookie), "xyz");
    EXPECT_FALSE(cookie_of("kharuul_sessionx=1; other=2", session_cookie));
    EXPECT_FALSE(cookie_of("", session_cookie));
}

TEST(auth_throttle_rules, ten_failures_within_a_minute_block_the_address_until_the_first_is_a_minute_old) {
    auth_throttle t;
    const auto t0 = clock::now();
    for (int i = 0; i < 9; ++i)
        t.failed("192.0.2.1", t0 + std::chrono::seconds(i));
    EXPECT_FALSE(t.retry_after("192.0.2.1", t0 + 10s));
    t.failed("192.0.2.1", t0 + 10s);
    const auto wait = t.retry_after("192.0.2.1", t0 + 10s);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 50s);
    EXPECT_FALSE(t.retry_after("192.0.2.2", t0 + 10s)) << "another address is not affected";
    EXPECT_FALSE(t.retry_after("192.0.2.1", t0 + 60s + 1ms)) << "the first failure is a minute old";
}

TEST(auth_throttle_rules, a_flood_of_fresh_addresses_stays_within_the_table_and_throttles_itself) {
    auth_throttle t(10, 60s, 100);
    const auto t0 = clock::now();
    for (int i = 0; i < 100000; ++i)
        t.failed("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), t0);
    EXPECT_LE(t.tracked(), 100u);
    EXPECT_TRUE(t.retry_after("198.51.100.7", t0)) << "beyond the table, addresses share the overflow bucket";
    EXPECT_FALSE(t.retry_after("198.51.100.7", t0 + 61s));
}

TEST(api_session_table, a_session_names_its_token_until_closed_or_past_its_lifetime) {
    session_table s(10, 12h);
    const auto t0 = clock::now();
    const auto a = s.open(7, t0);
    EXPECT_NE(a.id, a.csrf);
    const api_session* found = s.find(a.id, t0 + 1h);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->token_id, 7);
    EXPECT_TRUE(csrf_matches(a.csrf, found->csrf));
    EXPECT_FALSE(csrf_matches("", found->csrf));
    EXPECT_FALSE(csrf_matches(a.id, found->csrf));
    EXPECT_EQ(s.find(a.id, t0 + 12h), nullptr);
    const auto b = s.open(8, t0);
    s.close_token(8);
    EXPECT_EQ(s.find(b.id, t0), nullptr);
}

TEST(api_session_table, the_oldest_session_goes_when_the_table_is_full) {
    session_table s(2, 12h);
    const auto t0 = clock::now();
    const auto first = s.open(1, t0);
    const auto second = s.open(2, t0 + 1s);
    const auto third = s.open(3, t0 + 2s);
    EXPECT_EQ(s.size(), 2u);
    EXPECT_EQ(s.find(first.id, t0 + 3s), nullptr);
    EXPECT_NE(s.find(second.id, t0 + 3s), nullptr);
    EXPECT_NE(s.find(third.id, t0 + 3s), nullptr);
}

} // namespace
} // namespace kharuul::gateway::api
