// The store's schema history. Each migration takes the schema from version - 1 to version and
// runs in its own transaction with PRAGMA user_version set in the same transaction, so a crash
// leaves the file at one version or the next, never between. To change the schema, append a
// migration; never edit one that has shipped.
#pragma once

#include <SQLiteCpp/Database.h>

#include <span>
#include <string_view>

namespace kharuul::store {

struct migration {
    int version = 0;              // 1, 2, ... without gaps
    std::string_view description; // for errors and for `kharuul` diagnostics
    void (*apply)(SQLite::Database&) = nullptr; // throws on failure; the caller rolls back
    // Rebuilds a table that others refer to: run with PRAGMA foreign_keys=OFF around the
    // transaction, and PRAGMA foreign_key_check must find nothing before the commit.
    bool foreign_keys_off = false;
};

// Every migration this build knows, in order of version.
std::span<const migration> migrations() noexcept;

// The version the newest migration produces.
int latest_schema_version() noexcept;

} // namespace kharuul::store
