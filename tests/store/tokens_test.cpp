// API tokens in the store: found by their hash while live (not revoked, not expired), listed with
// every field, revoked by label or by id, a live label unique, and last_used_at set on a touch.
#include "store/tokens.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace kharuul::store {
namespace {

using testing::at_ms;

class tokens : public testing::store_test {};

token_hash hash_n(unsigned char n) {
    token_hash h{};
    h.fill(n);
    return h;
}

new_token token(std::string label, unsigned char n, std::string role = "coordinator",
                std::optional<std::string> team = std::nullopt) {
    new_token t;
    t.label = std::move(label);
    t.role = std::move(role);
    t.team = std::move(team);
    t.hash = hash_n(n);
    t.created_at = at_ms(0);
    t.expires_at = at_ms(100'000);
    return t;
}

TEST_F(tokens, a_live_token_is_found_by_its_hash_and_an_expired_one_is_not) {
    const auto id = create_token(db, token("field laptop", 1));
    ASSERT_TRUE(id);
    auto found = find_token_by_hash(db, hash_n(1), at_ms(50'000));
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, *id);
    EXPECT_EQ(found->label, "field laptop");
    EXPECT_EQ(found->hash, hash_n(1));
    EXPECT_FALSE(find_token_by_hash(db, hash_n(2), at_ms(50'000)));
    EXPECT_FALSE(find_token_by_hash(db, hash_n(1), at_ms(100'000))) << "expired at expires_at";
}

TEST_F(tokens, a_revoked_token_is_not_found_and_its_label_may_be_used_again) {
    ASSERT_TRUE(create_token(db, token("officer", 1)));
    const auto again = create_token(db, token("officer", 2));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), errc::token_label_taken);
    auto revoked = revoke_token(db, "officer", at_ms(10));
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->label, "officer");
    EXPECT_FALSE(find_token_by_hash(db, hash_n(1), at_ms(20)));
    EXPECT_TRUE(create_token(db, token("officer", 3)));
}

TEST_F(tokens, revoke_takes_a_label_or_an_id_and_refuses_what_is_revoked_already) {
    const auto a = create_token(db, token("first", 1));
    const auto b = create_token(db, token("second", 2, "team", "Airag child protection team"));
    ASSERT_TRUE(a && b);
    auto by_id = revoke_token(db, std::to_string(*b), at_ms(5));
    ASSERT_TRUE(by_id);
    EXPECT_EQ(by_id->label, "second");
    EXPECT_EQ(revoke_token(db, std::to_string(*b), at_ms(6)).error(), errc::unknown_token);
    EXPECT_EQ(revoke_token(db, "nobody", at_ms(6)).error(), errc::unknown_token);
    const auto all = list_tokens(db);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_FALSE(all[0].revoked_at);
    EXPECT_EQ(all[1].revoked_at, at_ms(5));
    EXPECT_EQ(all[1].team, "Airag child protection team");
}

TEST_F(tokens, a_touch_sets_last_used_at) {
    const auto id = create_token(db, token("viewer", 1, "viewer"));
    ASSERT_TRUE(id);
    EXPECT_FALSE(find_token(db, *id)->last_used_at);
    touch_token(db, *id, at_ms(42));
    EXPECT_EQ(find_token(db, *id)->last_used_at, at_ms(42));
}

TEST_F(tokens, a_team_token_without_its_team_is_refused_by_the_schema) {
    EXPECT_THROW(create_token(db, token("no team", 1, "team")), SQLite::Exception);
}

} // namespace
} // namespace kharuul::store
