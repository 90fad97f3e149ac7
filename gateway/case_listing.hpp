// The cases to follow up with the area of their site and their team (cases.md 4's rule,
// cases::team_of), as `kharuul cases` and GET /api/v1/cases list them: one function so that the
// two cannot disagree. Runs on the caller's thread, read-only on the store.
#pragma once

#include "cases/report.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kharuul::gateway {

// The registry's teams as the figures see them, in registry order.
std::vector<cases::report_team> report_teams(store::connection& db);

struct listed_case {
    store::case_record record;
    std::string area; // its site's area; "" for a site no longer in the registry
    std::string team; // cases::team_of; "" when no team covers it
};

// store::list_cases with each case's area and team, narrowed to `team` when given; oldest
// tracking news first.
std::vector<listed_case> list_cases_with_team(store::connection& db, const store::case_filter& filter,
                                              const std::optional<std::string>& team = std::nullopt);

} // namespace kharuul::gateway
