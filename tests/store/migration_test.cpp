// Migration 4 (the case life cycle) on a real store written by the binary before it
// (tests/store/fixtures/store-v3.db, see its README): every case keeps its history and is what its
// history makes it under the new life cycle; not_confirmed becomes dismissed with reason OTHER; the
// service record is filled from the referrals; nothing else is lost.
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/records.hpp"
#include "store/report_data.hpp"
#include "tests/store/store_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace kharuul::store {
namespace {

using testing::temp_dir;

std::filesystem::path fixture() {
    const char* src = std::getenv("KHARUUL_SOURCE_DIR");
    return std::filesystem::path(src != nullptr ? src : ".") / "tests/store/fixtures/store-v3.db";
}

std::int64_t count(SQLite::Database& db, const char* sql) { return db.execAndGet(sql).getInt64(); }

class migration_4 : public ::testing::Test {
protected:
    temp_dir dir;
    std::filesystem::path path = dir.file("kharuul.db");
    std::int64_t messages_before = 0, history_before = 0, alerts_before = 0, events_before = 0;

    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(fixture())) << fixture();
        std::filesystem::copy_file(fixture(), path);
        SQLite::Database old(path.string(), SQLite::OPEN_READONLY);
        ASSERT_EQ(schema_version(old), 3);
        messages_before = count(old, "SELECT COUNT(*) FROM messages");
        history_before = count(old, "SELECT COUNT(*) FROM case_history");
        alerts_before = count(old, "SELECT COUNT(*) FROM alerts");
        events_before = count(old, "SELECT COUNT(*) FROM events");
    }
};

TEST_F(migration_4, brings_a_store_of_the_previous_build_to_the_latest_schema_keeping_every_row) {
    connection db = open_database(path);
    EXPECT_EQ(schema_version(db), latest_schema_version());
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM messages"), messages_before);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM case_history"), history_before); // appended to, never rewritten
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM alerts"), alerts_before);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM events"), events_before);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM cases"), 5);
    // Every event knows when its message was received (the figures count by it).
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM events e JOIN messages m ON m.id = e.message_id"
                        " WHERE e.received_at = m.received_at"),
              events_before);
    SQLite::Statement fk(db, "PRAGMA foreign_key_check");
    EXPECT_FALSE(fk.executeStep()) << "a reference broke: " << fk.getColumn(0).getString();
}

TEST_F(migration_4, a_confirmed_and_tracked_case_keeps_its_statuses_and_gets_its_referral_in_the_service_record) {
    connection db = open_database(path);
    const auto c = find_case(db, "100009");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.state, cases::case_state::confirmed);
    EXPECT_EQ(c->life.work, cases::work_status::not_working); // TR HOME
    EXPECT_EQ(c->life.school, cases::school_status::nfe);      // TR NFE
    EXPECT_EQ(c->life.result, cases::outcome::none);            // nobody verified an outcome
    EXPECT_EQ(c->last_status, "HOME");
    EXPECT_EQ(c->opened_message_id, 1);
    const auto services = service_record_of(db, "100009");
    ASSERT_EQ(services.size(), 1u);
    EXPECT_TRUE(services[0].referral);
    EXPECT_EQ(services[0].service, "NFE");
    EXPECT_EQ(services[0].message_id, 6);
    EXPECT_EQ(services[0].actor, "+97699000101");
}

TEST_F(migration_4, a_case_not_confirmed_before_becomes_dismissed_with_reason_other) {
    connection db = open_database(path);
    const auto c = find_case(db, "100014");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.state, cases::case_state::dismissed);
    EXPECT_EQ(c->life.dismiss_reason, "OTHER");
    const auto history = case_history_of(db, "100014");
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[1].action, "not_confirmed"); // the old row, as it was written
}

TEST_F(migration_4, a_case_closed_done_without_a_verified_outcome_counts_as_no_outcome) {
    connection db = open_database(path);
    const auto c = find_case(db, "100023");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.state, cases::case_state::closed);
    EXPECT_EQ(c->life.close_reason, "DONE");
    EXPECT_EQ(c->life.result, cases::outcome::none);
}

TEST_F(migration_4, a_case_whose_whereabouts_were_unknown_is_lost_to_follow_up_and_keeps_the_state_it_had) {
    connection db = open_database(path);
    const auto c = find_case(db, "100038");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->life.state, cases::case_state::lost);
    EXPECT_EQ(c->life.state_before_lost, cases::case_state::confirmed);
    const auto sensitive = find_case(db, "100046");
    ASSERT_TRUE(sensitive);
    EXPECT_TRUE(sensitive->sensitive);
    EXPECT_EQ(sensitive->life.state, cases::case_state::reported);
}

TEST_F(migration_4, the_history_stays_append_only_and_new_cases_continue_the_serials_with_room_for_seven_digits) {
    connection db = open_database(path);
    EXPECT_THROW(db.exec("UPDATE case_history SET detail = 'x'"), SQLite::Exception);
    EXPECT_THROW(db.exec("DELETE FROM case_services"), SQLite::Exception);
    db.exec("INSERT INTO case_services (case_serial, history_id, kind, service, actor, at)"
            " SELECT 10000, MIN(id), 'service', 'NFE', 'x', 0 FROM case_history");
    EXPECT_THROW(db.exec("UPDATE case_services SET service = 'SCH'"), SQLite::Exception);
    // A seven-digit serial fits the table (parser::max_case_serial decides when they are used).
    db.exec("INSERT INTO cases (serial, code, site, sex, age_min, age_max, opened_form, risk_reason,"
            " opened_event_id, opened_by, opened_at, last_tracked_at, last_followed_by)"
            " VALUES (999999, '9999992', 'ALT', 'G', 4, 4, 'RISK', 'DROP', 1, '+97699000001', 0, 0, '+97699000001')");
    EXPECT_THROW(db.exec("UPDATE cases SET state = 'not_confirmed' WHERE serial = 999999"), SQLite::Exception);
}

TEST_F(migration_4, the_migrated_store_reports_what_its_history_says_and_counts_no_unverified_outcome) {
    connection db = open_database(path);
    const auto in = load_report_input(db, from_unix_ms(0), from_unix_ms(4'000'000'000'000));
    ASSERT_EQ(in.cases.size(), 5u);
    const auto rows = cases::compute_report(in);
    int identified = 0, withdrawn = 0, dismissed = 0, lost = 0;
    for (const auto& r : rows) {
        if (r.indicator == "identified")
            identified += static_cast<int>(r.value);
        if (r.indicator.starts_with("verified_"))
            withdrawn += static_cast<int>(r.value);
        if (r.indicator == "dismissed")
            dismissed += static_cast<int>(r.value);
        if (r.indicator == "lost_to_follow_up")
            lost += static_cast<int>(r.value);
    }
    EXPECT_EQ(identified, 5);
    EXPECT_EQ(withdrawn, 0);
    EXPECT_EQ(dismissed, 1);
    EXPECT_EQ(lost, 1);
}

// Migration 6 (the duplicate rule's key): the old messages have none and are matched on their raw
// text, through the index the rule had, so a resend just after an upgrade is still a duplicate.
TEST_F(migration_4, messages_stored_before_the_duplicate_key_are_still_originals_by_their_text) {
    connection db = open_database(path);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM messages WHERE duplicate_key IS NOT NULL"), 0);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'messages_by_sender_key'"), 1);
    SQLite::Statement q(db, "SELECT id, sender, text, received_at FROM messages WHERE status = 'accepted' ORDER BY id LIMIT 1");
    ASSERT_TRUE(q.executeStep());
    const std::int64_t id = q.getColumn(0).getInt64();
    const std::string sender = q.getColumn(1).getString(), text = q.getColumn(2).getString();
    const timestamp at = from_unix_ms(q.getColumn(3).getInt64());
    using namespace std::chrono_literals;
    const auto hit = find_processed_duplicate(db, sender, "ID mn {}", text, at, at + 10min, 0);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, id);
    EXPECT_FALSE(hit->duplicate_key);
    EXPECT_FALSE(find_processed_duplicate(db, sender, "ID mn {}", text + " ", at, at + 10min, 0));
}

} // namespace
} // namespace kharuul::store
