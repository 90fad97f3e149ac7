#include "store/database.hpp"

#include "store/error.hpp"
#include "store/migrations.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <system_error>

namespace kharuul::store {
namespace {

// SQLite's WAL companions must be writable by a read-write connection. A read-only open (a CLI
// command, a check) cannot delete them when it closes, so one run as another user (root) leaves
// them behind owned by that user; every later read-write start then fails at its first write
// with "attempt to write a readonly database", which names neither file. Said here instead,
// with what to do. (Root passes access(2) and is never stopped by them.)
void check_companions_writable(const std::filesystem::path& path)
{
    for (const char* suffix : {"-shm", "-wal"}) {
        const std::string file = path.string() + suffix;
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0 || ::access(file.c_str(), R_OK | W_OK) == 0)
            continue;
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        std::string what = "store " + path.string() + ": " + file + " is not writable by this user (uid " +
                           std::to_string(::geteuid()) + "; the file is owned by uid " + std::to_string(st.st_uid) +
                           ", mode " + mode + "), probably left by a read-only start as another user; ";
        if (std::string_view(suffix) == "-shm")
            what += "remove " + file + " (no kharuul is running) or make it writable by this user (chown)";
        else
            what += "make it writable by this user (chown); do not remove it: it may hold committed messages";
        throw std::system_error(std::make_error_code(std::errc::permission_denied), what);
    }
}

// A connection belongs to one thread at a time (database.hpp): SQLite's own mutex around every
// call is not needed, and cost ~6% of a report's reading. Only for readers, whose use is plainly
// one command's thread.
int open_flags(const database_options& options)
{
    if (options.read_only)
        return SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX;
    return SQLite::OPEN_READWRITE | (options.create ? SQLite::OPEN_CREATE : 0);
}

} // namespace

connection::connection(const std::filesystem::path& path, const database_options& options)
    : SQLite::Database(path.string(), open_flags(options), static_cast<int>(options.busy_timeout.count())),
      read_only_(options.read_only)
{
    if (!read_only_) {
        check_companions_writable(path);
        // WAL: readers (the CLI's log and export, backups) never block the daemon's writer and
        // are never blocked by it. The mode is stored in the file, so this is a no-op after the
        // first open; it cannot be set on a read-only connection, which reads it from the file.
        exec("PRAGMA journal_mode=WAL");
    }
    // synchronous=FULL: every COMMIT fsyncs the WAL before it returns, so a transaction that has
    // committed survives a power cut or a kernel crash, not only a crash of this process. That is
    // the promise behind answering a provider with 200: the message is on disk. NORMAL would sync
    // only at checkpoints and could lose the last commits on power loss, after we said "stored".
    // The cost is one fsync per transaction (well under a millisecond on a good SSD, tens of
    // milliseconds on an SD card or a busy disk), which is why store::writer groups many
    // messages into one transaction instead of committing each alone.
    exec("PRAGMA synchronous=FULL");
    // Statement journals of the per-job savepoints stay in memory instead of temporary files
    // (about 24 small writes per message otherwise); they never need to survive a crash.
    exec("PRAGMA temp_store=MEMORY");
    // Per connection, off by default in SQLite: the schema's REFERENCES clauses mean nothing
    // without it.
    exec("PRAGMA foreign_keys=ON");
    if (!read_only_)
        exec("PRAGMA journal_size_limit=" + std::to_string(options.journal_size_limit));
}

SQLite::Statement& connection::prepared(std::string_view sql)
{
    auto it = statements_.find(sql);
    if (it == statements_.end())
        it = statements_.emplace(sql, std::make_unique<SQLite::Statement>(*this, std::string(sql))).first;
    SQLite::Statement& s = *it->second;
    s.tryReset();
    s.clearBindings();
    return s;
}

bool out_of_space(const std::exception& e, int system_errno) noexcept
{
    const bool enospc = system_errno == ENOSPC || system_errno == EDQUOT;
    if (const auto* s = dynamic_cast<const SQLite::Exception*>(&e)) {
        const int code = s->getErrorCode() & 0xff;
        return code == SQLITE_FULL || s->getExtendedErrorCode() == SQLITE_IOERR_SHMSIZE ||
               (code == SQLITE_IOERR && enospc);
    }
    if (const auto* s = dynamic_cast<const std::system_error*>(&e))
        return s->code() == std::errc::no_space_on_device || s->code().value() == EDQUOT;
    return false;
}

bool out_of_space(const std::exception_ptr& e, int system_errno) noexcept
{
    if (!e)
        return false;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return out_of_space(ex, system_errno);
    } catch (...) {
        return false;
    }
}

bool cannot_write(const std::exception_ptr& e, int system_errno) noexcept
{
    if (!e)
        return false;
    try {
        std::rethrow_exception(e);
    } catch (const SQLite::Exception& ex) {
        switch (ex.getErrorCode() & 0xff) {
        case SQLITE_FULL:
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            return true;
        default:
            return false;
        }
    } catch (const std::exception& ex) {
        return out_of_space(ex, system_errno);
    } catch (...) {
        return false;
    }
}

int schema_version(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

void migrate(SQLite::Database& db)
{
    const int latest = latest_schema_version();
    for (const migration& m : migrations()) {
        if (schema_version(db) >= m.version)
            continue;
        // IMMEDIATE takes the write lock first, so two processes opening a fresh file at once
        // cannot both apply the same step: the second waits, then sees the new version.
        // Outside the transaction: PRAGMA foreign_keys is a no-op inside one.
        if (m.foreign_keys_off)
            db.exec("PRAGMA foreign_keys=OFF");
        struct keys_back_on {
            SQLite::Database& db;
            bool on;
            ~keys_back_on()
            {
                if (on)
                    db.exec("PRAGMA foreign_keys=ON");
            }
        } restore{db, m.foreign_keys_off};
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        const int current = schema_version(db);
        if (current > latest)
            break; // migrated past us meanwhile: reported below
        if (current >= m.version)
            continue; // another process applied it while we waited; tx rolls back (nothing done)
        if (current != m.version - 1)
            throw std::logic_error("store migrations are not contiguous at version " + std::to_string(m.version));
        m.apply(db);
        if (m.foreign_keys_off) {
            SQLite::Statement check(db, "PRAGMA foreign_key_check");
            if (check.executeStep())
                throw std::runtime_error("store migration " + std::to_string(m.version) + " broke a reference from " +
                                         check.getColumn(0).getString() + "; nothing was changed");
        }
        db.exec("PRAGMA user_version = " + std::to_string(m.version));
        tx.commit();
    }
    if (const int v = schema_version(db); v > latest) {
        throw std::system_error(make_error_code(errc::schema_too_new),
                                "store " + db.getFilename() + " has schema version " + std::to_string(v) +
                                    " but this build knows up to " + std::to_string(latest) +
                                    "; run a newer kharuul (the file was not changed)");
    }
}

connection open_database(const std::filesystem::path& path, const database_options& options)
{
    connection db(path, options);
    const int version = schema_version(db);
    const int latest = latest_schema_version();
    if (version > latest) {
        throw std::system_error(make_error_code(errc::schema_too_new),
                                "store " + path.string() + " has schema version " + std::to_string(version) +
                                    " but this build knows up to " + std::to_string(latest) +
                                    "; run a newer kharuul (the file was not changed)");
    }
    if (options.read_only) {
        if (version < latest) {
            throw std::system_error(make_error_code(errc::schema_too_old),
                                    "store " + path.string() + " has schema version " + std::to_string(version) +
                                        ", this build needs " + std::to_string(latest) +
                                        "; start the daemon (or open it read-write) once to migrate");
        }
        return db;
    }
    migrate(db);
    return db;
}

} // namespace kharuul::store
