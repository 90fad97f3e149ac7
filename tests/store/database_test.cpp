// Opening the store: pragmas, migrations from empty, idempotent reopen, and refusing a store
// written by a newer build.
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/migrations.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
                          "team_members", "coordinators", "reporters", "reporter_sites", "alerts",
                          "alert_recipients", "alert_history", "outbox", "outbox_attempts"})
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

// A store written by a build that knew only version 1, with a message, an event, a case and its
// history, and a registry: the upgrade adds the alert and outbox tables and keeps every row.
TEST(database, migrating_a_version_1_store_with_data_keeps_the_data)
{
    temp_dir dir;
    const auto path = dir.file("v1.db");
    {
        SQLite::Database v1(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        v1.exec("PRAGMA journal_mode=WAL");
        SQLite::Transaction tx(v1);
        migrations()[0].apply(v1);
        v1.exec("PRAGMA user_version = 1");
        v1.exec(R"sql(
            INSERT INTO messages (id, kind, channel, provider_id, sender, recipient, text, received_at, status, form)
            VALUES (1, 'sms', 'kannel', 'p-1', '+97699000001', '+97699000999', 'ID ALT B 12 MINE', 1000,
                    'accepted', 'ID');
            INSERT INTO events (id, message_id, form, reporter, site, boys, age_min, age_max, work, occurred_at)
            VALUES (1, 1, 'ID', '+97699000001', 'ALT', 1, 12, 12, 'MINE', 1000);
            INSERT INTO cases (serial, code, site, sex, age_min, age_max, work, opened_event_id, opened_by,
                               opened_at, last_tracked_at, last_followed_by)
            VALUES (10000, '100007', 'ALT', 'B', 12, 12, 'MINE', 1, '+97699000001', 1000, 1000, '+97699000001');
            INSERT INTO case_history (case_serial, message_id, event_id, actor, action, detail, at)
            VALUES (10000, 1, 1, '+97699000001', 'opened', 'ALT', 1000);
            INSERT INTO sites (code, name, kind, area) VALUES ('ALT', 'Site A', 'mine', 'Area/One');
            INSERT INTO teams (id, name) VALUES (1, 'Team one');
            INSERT INTO team_members (team, phone, role) VALUES (1, '+97699000101', 'leader');
        )sql");
        tx.commit();
    }

    connection db = open_database(dir.file("v1.db"));
    EXPECT_EQ(schema_version(db), latest_schema_version());
    EXPECT_GE(latest_schema_version(), 2);
    const auto m = find_message(db, 1);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->provider_id, "p-1");
    EXPECT_EQ(m->status, message_status::accepted);
    EXPECT_EQ(events_of_message(db, 1).size(), 1u);
    const auto c = find_case(db, "100007");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->last_tracked_at, from_unix_ms(1000));
    EXPECT_FALSE(c->last_reminder_at); // the new column starts empty
    EXPECT_EQ(case_history_of(db, "100007").size(), 1u);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM team_members").getInt(), 1);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM pragma_foreign_key_check").getInt(), 0);

    // The new tables work with the old rows.
    new_alert a;
    a.site = "ALT";
    a.team_id = 1;
    a.boys = 1;
    a.case_codes = {"100007"};
    a.reporter = "+97699000001";
    a.message_id = 1;
    a.event_id = 1;
    a.created_at = from_unix_ms(2000);
    const auto alert = create_alert(db, a);
    EXPECT_EQ(find_alert(db, alert)->case_codes, std::vector<std::string>{"100007"});
    ASSERT_TRUE(mark_reminded(db, "100007", from_unix_ms(3000)));
    EXPECT_EQ(find_case(db, "100007")->last_reminder_at, from_unix_ms(3000));
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

// Issue 9, item 5: a read-only open (a CLI command) cannot remove the WAL's -shm and -wal when it
// closes; left by another user, they stopped every later start with "attempt to write a readonly
// database". The open now names the file and what to do.
TEST(database, a_stale_shm_file_this_user_cannot_write_is_named_with_what_to_do)
{
    temp_dir dir;
    const auto path = dir.file("kharuul.db");
    const std::string shm = path.string() + "-shm";
    { auto db = open_database(path); }
    {
        database_options ro;
        ro.read_only = true;
        auto db = open_database(path, ro);
        db.execAndGet("SELECT COUNT(*) FROM sites");
    }
    ASSERT_TRUE(std::filesystem::exists(shm)) << "the read-only open leaves it behind";
    const auto attempt = [&]() -> std::string {
        try {
            auto db = open_database(path);
            db.exec("INSERT INTO sites (code) VALUES ('NEW')");
            return "opened and wrote";
        } catch (const std::exception& e) {
            return e.what();
        }
    };
    std::string message;
    if (::geteuid() != 0) {
        ASSERT_EQ(::chmod(shm.c_str(), 0444), 0);
        message = attempt();
        ::chmod(shm.c_str(), 0644);
    } else {
        // As root, the read-only start was root's; the daemon runs as another user (nobody).
        const uid_t nobody = 65534;
        ASSERT_EQ(::chown(dir.path().c_str(), nobody, nobody), 0);
        ASSERT_EQ(::chown(path.c_str(), nobody, nobody), 0);
        int fds[2];
        ASSERT_EQ(::pipe(fds), 0);
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            ::close(fds[0]);
            std::string m = ::setgid(nobody) == 0 && ::setuid(nobody) == 0 ? attempt() : "setuid failed";
            [[maybe_unused]] auto n = ::write(fds[1], m.data(), m.size());
            ::_exit(0);
        }
        ::close(fds[1]);
        char buf[4096];
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
            message.append(buf, static_cast<std::size_t>(n));
        ::close(fds[0]);
        int status = 0;
        ::waitpid(child, &status, 0);
    }
    EXPECT_NE(message.find(shm + " is not writable by this user"), std::string::npos) << message;
    EXPECT_NE(message.find("remove " + shm + " (no kharuul is running) or make it writable by this user"),
              std::string::npos)
        << message;
}

} // namespace
} // namespace kharuul::store
