// Opening the store: pragmas, migrations from empty, idempotent reopen, and refusing a store
// written by a newer build.
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/migrations.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace kharuul::store {
namespace {

using testing::temp_dir;

std::set<std::string> table_names(SQLite::Database& db)
{
    std::set<std::string> names;
    SQLite::Statement s(db, "SELECT name FROM sqlite_schema WHERE type = 'table'");
    while (s.executeStep())
        names.insert(s.getColumn(0).getString());
    return names;
}

std::string schema_text(SQLite::Database& db)
{
    std::string out;
    SQLite::Statement s(db, "SELECT type || name || COALESCE(sql, '') FROM sqlite_schema ORDER BY name");
    while (s.executeStep())
        out += s.getColumn(0).getString() + "\n";
    return out;
}

TEST(migrations, are_numbered_from_one_without_gaps)
{
    int expected = 1;
    for (const migration& m : migrations()) {
        EXPECT_EQ(m.version, expected++);
        EXPECT_NE(m.apply, nullptr);
        EXPECT_FALSE(m.description.empty());
    }
    EXPECT_EQ(latest_schema_version(), expected - 1);
}

TEST(database, opening_an_empty_file_migrates_to_the_latest_version)
{
    temp_dir dir;
    connection db = open_database(dir.file("new.db"));
    EXPECT_EQ(schema_version(db), latest_schema_version());
    const auto tables = table_names(db);
    for (const char* t : {"messages", "events", "cases", "case_history", "sites", "teams", "team_areas",
                          "team_members", "coordinators", "reporters", "reporter_sites"})
        EXPECT_TRUE(tables.contains(t)) << t;
}

TEST(database, reopening_a_migrated_store_changes_nothing_and_keeps_data)
{
    temp_dir dir;
    std::string before;
    {
        connection db = open_database(dir.file("k.db"));
        ASSERT_TRUE(insert_message(db, testing::sms_from("+97699000001", "NIL ALT", testing::at_ms(0))));
        before = schema_text(db);
    }
    connection db = open_database(dir.file("k.db"));
    EXPECT_EQ(schema_version(db), latest_schema_version());
    EXPECT_EQ(schema_text(db), before);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM messages").getInt(), 1);
}

TEST(database, connection_uses_wal_full_sync_foreign_keys_and_a_busy_timeout)
{
    temp_dir dir;
    database_options options;
    options.busy_timeout = std::chrono::milliseconds(1234);
    connection db = open_database(dir.file("k.db"), options);
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
    EXPECT_EQ(db.execAndGet("PRAGMA synchronous").getInt(), 2); // FULL
    EXPECT_EQ(db.execAndGet("PRAGMA foreign_keys").getInt(), 1);
    EXPECT_EQ(db.execAndGet("PRAGMA busy_timeout").getInt(), 1234);
}

TEST(database, a_store_from_a_newer_build_is_refused_and_left_unchanged)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    const int newer = latest_schema_version() + 1;
    {
        connection db = open_database(path);
        db.exec("PRAGMA user_version = " + std::to_string(newer));
    }
    try {
        (void)open_database(path);
        FAIL() << "a newer schema was accepted";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::schema_too_new));
        EXPECT_NE(std::string(e.what()).find(std::to_string(newer)), std::string::npos) << e.what();
    }
    SQLite::Database raw(path.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(schema_version(raw), newer);
}

TEST(database, read_only_open_of_an_unmigrated_file_asks_for_a_migration)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    { SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE); }
    database_options options;
    options.read_only = true;
    try {
        (void)open_database(path, options);
        FAIL() << "an unmigrated file opened read-only";
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::schema_too_old));
    }
}

TEST(database, store_errors_have_their_own_category_and_messages)
{
    const std::error_code ec = errc::case_closed;
    EXPECT_EQ(&ec.category(), &store_category());
    EXPECT_STREQ(ec.category().name(), "kharuul.store");
    EXPECT_EQ(ec.message(), "case is closed");
    EXPECT_NE(ec, std::error_code(errc::unknown_case));
}

} // namespace
} // namespace kharuul::store
