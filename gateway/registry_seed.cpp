#include "gateway/registry_seed.hpp"

#include "parser/phone.hpp"
#include "parser/reply.hpp"
#include "store/registry_checks.hpp"

#include <filesystem>
#include <string>

namespace kharuul::gateway {

store::registry_snapshot registry_snapshot_of(const config::gateway_config& c) {
    store::registry_snapshot r;
    for (const auto& s : c.sites)
        r.sites.push_back({s.code, s.name, std::string(config::site_kind_name(s.kind)), s.area});
    for (const auto& t : c.teams) {
        store::team team{t.name, t.areas, t.sensitive_cases, {}};
        for (const auto& m : t.members)
            team.members.push_back({m.phone, m.name, std::string(config::member_role_name(m.role)),
                                    std::string(parser::reply_language_code(m.lang))});
        r.teams.push_back(std::move(team));
    }
    for (const auto& co : c.coordinators)
        r.coordinators.push_back({co.phone, co.name, std::string(parser::reply_language_code(co.lang))});
    for (const auto& rep : c.reporters)
        r.reporters.push_back({rep.phone, rep.name, std::string(parser::reply_language_code(rep.lang)),
                               std::string(config::reporter_kind_name(rep.kind)), rep.sites});
    return r;
}

config::stored_registry stored_registry_of(store::connection& db) {
    config::stored_registry r;
    r.sites = store::monitored_site_codes(db);
    r.team_areas = store::staffed_team_areas(db);
    return r;
}

std::string kept_at_run_time(const store::registry_changes& changes) {
    std::string out;
    for (const auto& k : changes.kept) {
        const bool phone = k.kind == "coordinator" || k.kind == "reporter";
        out += (out.empty() ? "kept as changed at run time: " : ", ") + k.kind + " " +
               (phone ? parser::mask_phone(k.key) : k.key);
    }
    return out;
}

std::vector<config::problem> registry_problems(const config::gateway_config& c, std::string_view config_name) {
    if (!c.sites.empty() && !c.teams.empty())
        return {};
    const std::filesystem::path path = c.store.path;
    if (!std::filesystem::exists(path))
        return config::check_registry(c, config_name, nullptr, c.store.path);
    store::database_options o;
    o.read_only = true;
    store::connection db(path, o); // not open_database: an older schema is read as it is
    const config::stored_registry held = stored_registry_of(db);
    return config::check_registry(c, config_name, &held, c.store.path);
}

} // namespace kharuul::gateway
