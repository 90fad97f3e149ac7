// The audit log: rows come back newest first with every field, filters and paging work, and the
// table refuses to be changed or emptied (append-only, as the case history).
#include "store/audit.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace kharuul::store {
namespace {

using testing::at_ms;

class audit_log : public testing::store_test {};

audit_entry entry(std::int64_t ms, std::string actor, std::string action, std::string object) {
    audit_entry e;
    e.at = at_ms(ms);
    e.actor = std::move(actor);
    e.action = std::move(action);
    e.object = std::move(object);
    return e;
}

TEST_F(audit_log, rows_come_back_newest_first_with_every_field) {
    audit_entry a = entry(1000, "coordinator laptop", "create", "site ULT");
    a.token_id = std::nullopt;
    a.role = "coordinator";
    a.client = "127.0.0.1";
    a.detail = R"({"name":"Ulaan mine"})";
    const auto first = append_audit(db, a);
    const auto second = append_audit(db, entry(2000, "command line", "token_create", "token 1"));
    EXPECT_LT(first, second);
    const auto rows = list_audit(db, {});
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, second);
    EXPECT_EQ(rows[1].actor, "coordinator laptop");
    EXPECT_EQ(rows[1].role, "coordinator");
    EXPECT_EQ(rows[1].client, "127.0.0.1");
    EXPECT_EQ(rows[1].detail, R"({"name":"Ulaan mine"})");
    EXPECT_EQ(rows[1].at, at_ms(1000));
    EXPECT_FALSE(rows[0].client.has_value());
}

TEST_F(audit_log, filters_by_time_actor_and_action_and_pages_by_id) {
    for (int i = 0; i < 5; ++i)
        append_audit(db, entry(1000 * i, i % 2 ? "team phone" : "admin", i % 2 ? "read" : "update", "case X"));
    audit_filter by_actor;
    by_actor.actor = "team phone";
    EXPECT_EQ(list_audit(db, by_actor).size(), 2u);
    audit_filter by_action;
    by_action.action = "update";
    EXPECT_EQ(list_audit(db, by_action).size(), 3u);
    audit_filter by_time;
    by_time.range.since = at_ms(1000);
    by_time.range.until = at_ms(3000);
    EXPECT_EQ(list_audit(db, by_time).size(), 2u);
    audit_filter page;
    page.limit = 2;
    const auto one = list_audit(db, page);
    ASSERT_EQ(one.size(), 2u);
    page.before = one.back().id;
    const auto two = list_audit(db, page);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_LT(two.front().id, one.back().id);
}

TEST_F(audit_log, rows_cannot_be_changed_or_deleted) {
    append_audit(db, entry(1000, "admin", "read", "case ALT-0001-3"));
    EXPECT_THROW(db.exec("UPDATE audit_log SET actor = 'someone else'"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM audit_log"), SQLite::Exception);
    EXPECT_EQ(list_audit(db, {}).size(), 1u);
}

} // namespace
} // namespace kharuul::store
