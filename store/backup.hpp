// A consistent copy of the store while the daemon writes (`kharuul backup`), through SQLite's
// online backup API. Runs on the caller's thread with its own connections; never touches the
// daemon's writer.
#pragma once

#include "store/error.hpp"

#include <chrono>
#include <filesystem>

namespace kharuul::store {

// Copies the database at `db_path` to `out_path` as one snapshot (a single read transaction in
// WAL mode: the writer is not blocked, and the copy holds exactly the transactions committed
// when the copy began). The copy is written to "<out_path>.partial" and renamed into place only
// when complete, so a crash never leaves a half copy under `out_path`.
// errc::backup_target_exists when `out_path` exists (never overwritten: it might be the live
// store). The schema is copied at whatever version it is (a backup before an upgrade must work).
// Throws SQLite::Exception or std::filesystem::filesystem_error on I/O failure.
result<void> backup_to(const std::filesystem::path& db_path, const std::filesystem::path& out_path,
                       std::chrono::milliseconds busy_timeout = std::chrono::seconds(30));

} // namespace kharuul::store
