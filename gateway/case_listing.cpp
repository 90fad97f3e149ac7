#include "gateway/case_listing.hpp"

#include "store/registry.hpp"

#include <map>

namespace kharuul::gateway {

std::vector<cases::report_team> report_teams(store::connection& db) {
    std::vector<cases::report_team> out;
    for (const auto& t : store::list_teams(db))
        out.push_back({t.definition.name, t.definition.areas, t.definition.sensitive_cases});
    return out;
}

std::vector<listed_case> list_cases_with_team(store::connection& db, const store::case_filter& filter,
                                              const std::optional<std::string>& team) {
    const auto teams = report_teams(db);
    std::map<std::string, std::string> areas;
    for (const auto& s : store::list_sites(db))
        areas[s.code] = s.area;
    std::vector<listed_case> out;
    for (auto& c : store::list_cases(db, filter)) {
        const auto it = areas.find(c.site);
        std::string area = it == areas.end() ? std::string{} : it->second;
        std::string owner = cases::team_of(teams, area, c.sensitive);
        if (team && owner != *team)
            continue;
        out.push_back({std::move(c), std::move(area), std::move(owner)});
    }
    return out;
}

} // namespace kharuul::gateway
