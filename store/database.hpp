// Opening the store: one SQLite file in WAL mode with full fsync on commit, foreign keys on, a busy
// timeout, and the schema brought up to date by versioned migrations (store/migrations.hpp). A
// `connection` is an SQLite::Database that also keeps the hot statements prepared for its life.
// A connection belongs to one thread at a time: the writer's thread, or a CLI command's main.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace kharuul::store {

// Every time in the store: unix milliseconds, stored as INTEGER.
using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t to_unix_ms(timestamp t) noexcept { return t.time_since_epoch().count(); }
inline timestamp from_unix_ms(std::int64_t ms) noexcept { return timestamp{std::chrono::milliseconds{ms}}; }

// A half-open interval [since, until); an unset bound is open.
struct time_range {
    std::optional<timestamp> since;
    std::optional<timestamp> until;
};

struct database_options {
    // How long a statement waits for another connection's lock (the daemon's writer, a CLI
    // command) before failing with SQLITE_BUSY.
    std::chrono::milliseconds busy_timeout{5000};
    // Opens with SQLITE_OPEN_READONLY and runs no migration: for readers (log, export) and for
    // tests of the failure paths. The schema must already be current (errc::schema_too_old).
    bool read_only = false;
    // Creates the file when missing (read-write only).
    bool create = true;
    // PRAGMA journal_size_limit (read-write only): when the WAL is restarted after a complete
    // checkpoint, or truncated by one, its file is cut back to this many bytes, so that a burst
    // (or a reader that held the checkpoint back) does not keep its space for ever. The WAL is
    // reused from its start after each complete checkpoint, so up to this much stays allocated.
    std::int64_t journal_size_limit = 4 * 1024 * 1024;
};

class connection : public SQLite::Database {
public:
    // Opens the file with the pragmas set; does not migrate (open_database does). Throws
    // SQLite::Exception when the file cannot be opened.
    connection(const std::filesystem::path& path, const database_options& options);

    connection(connection&&) = default;
    connection& operator=(connection&&) = delete;

    // The statement for `sql`, prepared on first use and kept until the connection closes.
    // `sql` must have static storage duration (a literal): the cache keys on its text. The caller
    // binds every parameter; the statement comes back reset with its bindings cleared. Use it
    // through a statement_use so that it is reset (and its read snapshot released) afterwards.
    // Not re-entrant per statement: finish with one use of `sql` before the next use of the same
    // `sql` begins (different statements may be open together).
    SQLite::Statement& prepared(std::string_view sql);

    bool read_only() const noexcept { return read_only_; }

private:
    bool read_only_ = false;
    // Declared after the base: destroyed (finalized) before the base closes the handle.
    std::unordered_map<std::string_view, std::unique_ptr<SQLite::Statement>> statements_;
};

// Resets a cached statement on scope exit, so that no cursor keeps a read transaction open.
class statement_use {
public:
    explicit statement_use(SQLite::Statement& s) noexcept : s_(s) {}
    statement_use(const statement_use&) = delete;
    statement_use& operator=(const statement_use&) = delete;
    ~statement_use() { s_.tryReset(); }

    SQLite::Statement& operator*() const noexcept { return s_; }
    SQLite::Statement* operator->() const noexcept { return &s_; }

private:
    SQLite::Statement& s_;
};

// Opens `path` and applies every pending migration, each in its own transaction, in order.
// Throws std::system_error with errc::schema_too_new when the file's user_version is newer than
// this build knows (never downgraded, never touched), errc::schema_too_old for a read-only open
// of an older file, and SQLite::Exception for I/O failures.
connection open_database(const std::filesystem::path& path, const database_options& options = {});

// True when `e` is SQLite (or the OS) saying the disk is full: SQLITE_FULL, or an I/O error
// whose errno was ENOSPC/EDQUOT (`system_errno`, from sqlite3_system_errno, when known), or the
// shared-memory file that could not grow (SQLITE_IOERR_SHMSIZE). A std::system_error with
// ENOSPC/EDQUOT too.
bool out_of_space(const std::exception& e, int system_errno = 0) noexcept;
bool out_of_space(const std::exception_ptr& e, int system_errno = 0) noexcept;

// True when `e` says the store cannot write at all for now (what /healthz calls degraded): out of
// space, any other I/O error, a read-only file or folder, a file that cannot be opened. Not a
// busy lock, a constraint or a job's own error.
bool cannot_write(const std::exception_ptr& e, int system_errno = 0) noexcept;

// PRAGMA user_version of an open database.
int schema_version(SQLite::Database& db);

// Applies the pending migrations (what open_database does after opening). Safe against another
// process migrating at the same time: each step re-reads the version under BEGIN IMMEDIATE.
void migrate(SQLite::Database& db);

} // namespace kharuul::store
