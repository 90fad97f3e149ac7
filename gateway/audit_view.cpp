#include "gateway/audit_view.hpp"

#include "gateway/cli_support.hpp"
#include "gateway/time_text.hpp"
#include "store/audit.hpp"

#include <ostream>
#include <vector>

namespace kharuul::gateway {

int log_audit(const invocation& inv, const audit_view_request& r) {
    constexpr std::string_view name = "log";
    if (r.limit < 1)
        return user_error(inv, name, "--limit must be at least 1, not " + std::to_string(r.limit));
    int code = exit_ok;
    auto cfg = load_config_or_report(r.config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    store::audit_filter f;
    if (!read_time_range(inv, name, r.since_text, r.until_text, *cfg, f.range, code))
        return code;
    if (!r.actor.empty())
        f.actor = r.actor;
    if (!r.action.empty())
        f.action = r.action;
    f.limit = static_cast<std::size_t>(r.limit);
    auto db = open_store(inv, name, *cfg, true, code);
    if (!db)
        return code;
    const auto entries = store::list_audit(*db, f);
    if (entries.empty()) {
        inv.err << "kharuul log: no audit entries match\n";
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"id", "time", "actor", "role", "client", "action", "object", "detail"});
    for (const auto& e : entries)
        rows.push_back({std::to_string(e.id), format_local_minute(e.at, cfg->alerts.utc_offset), printable(e.actor),
                        e.role.value_or("-"), printable(e.client.value_or("-")), printable(e.action),
                        printable(e.object), printable(e.detail.value_or(""))});
    const auto widths = column_widths(rows);
    for (const auto& row : rows)
        print_row(inv.out, row, widths, 0, true);
    return exit_ok;
}

} // namespace kharuul::gateway
