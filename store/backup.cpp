#include "store/backup.hpp"

#include "store/database.hpp"

#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>

#include <thread>

namespace kharuul::store {

result<void> backup_to(const std::filesystem::path& db_path, const std::filesystem::path& out_path,
                       std::chrono::milliseconds busy_timeout)
{
    if (std::filesystem::exists(out_path))
        return make_error_code(errc::backup_target_exists);
    std::filesystem::path partial = out_path;
    partial += ".partial";
    std::filesystem::remove(partial); // left by an earlier crash
    {
        // Any schema version is copied as it is: a backup before an upgrade is the point.
        database_options source_options;
        source_options.read_only = true;
        source_options.busy_timeout = busy_timeout;
        connection source(db_path, source_options);
        SQLite::Database target(partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        SQLite::Backup backup(target, source);
        // -1: every page in one step, so the whole copy is read under one snapshot. BUSY or LOCKED
        // (the source in recovery, the target locked) is retried until the deadline.
        const auto deadline = std::chrono::steady_clock::now() + busy_timeout;
        for (;;) {
            const int rc = backup.executeStep(-1);
            if (rc == SQLITE_DONE)
                break;
            if (std::chrono::steady_clock::now() > deadline)
                throw SQLite::Exception("backup of " + db_path.string() + " timed out (database busy)", rc);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        // The copy carries the WAL flag in its header; a self-contained single file is the more
        // useful backup (copy it anywhere, open it with any sqlite3).
        target.exec("PRAGMA journal_mode=DELETE");
    }
    std::filesystem::rename(partial, out_path);
    return {};
}

} // namespace kharuul::store
