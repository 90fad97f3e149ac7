// The audit log (migration 8): an append-only record of every write made through the API or the
// command line, of every sign-in and refused sign-in, and of every read of a sensitive record
// (domain.md 6.2: "record every access"). Read with `kharuul log --audit` and GET /api/v1/audit.
// Synchronous; same threading and error contract as store/records.hpp: in the daemon the rows are
// written inside a store::writer job, so that an answer leaves only once its audit row is durable.
#pragma once

#include "store/database.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::store {

struct audit_entry {
    std::int64_t id = 0; // set by the store
    timestamp at{};
    std::string actor;                   // the token's label, or "command line"
    std::optional<std::int64_t> token_id;
    std::optional<std::string> role;     // "admin", "coordinator", "team", "viewer"
    std::optional<std::string> client;   // the client's address; nullopt from the command line
    std::string action;                  // "read", "create", "update", "delete", "sign_in", ...
    std::string object;                  // "case ALT-0012-7", "site ALT", "token 3"
    std::optional<std::string> detail;   // JSON text
};

// Appends one row and returns its id.
std::int64_t append_audit(connection& db, const audit_entry& e);

struct audit_filter {
    time_range range;                   // at
    std::optional<std::string> actor;   // exactly this label
    std::optional<std::string> action;
    std::optional<std::int64_t> before; // id < before: the next page of a newest-first list
    std::size_t limit = 100;
};

// Newest first.
std::vector<audit_entry> list_audit(connection& db, const audit_filter& f);

} // namespace kharuul::store
