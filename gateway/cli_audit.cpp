#include "gateway/cli_audit.hpp"

#include "gateway/cli_support.hpp"
#include "store/audit.hpp"

#include <SQLiteCpp/Transaction.h>

namespace kharuul::gateway {

int audit_cli_reads(const invocation& inv, std::string_view command, const config::gateway_config& cfg,
                    const std::vector<std::string>& objects) {
    if (objects.empty())
        return exit_ok;
    int code = exit_ok;
    auto db = open_store(inv, command, cfg, false, code);
    if (!db)
        return code;
    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
    const store::timestamp at = now();
    for (const auto& object : objects) {
        store::audit_entry e;
        e.at = at;
        e.actor = "command line";
        e.action = "read";
        e.object = object;
        e.detail = "{\"command\":\"" + std::string(command) + "\"}";
        store::append_audit(*db, e);
    }
    tx.commit();
    return exit_ok;
}

} // namespace kharuul::gateway
