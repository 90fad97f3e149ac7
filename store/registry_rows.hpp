// The registry's row helpers shared by the file's sync (registry.cpp) and the run-time writes
// (registry_writes.cpp). Internal to store/.
#pragma once

#include "store/database.hpp"
#include "store/registry.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::store::registry_detail {

// An active site has the code.
bool active_site_exists(connection& db, std::string_view code);
// The reporter's sites become exactly `sites`.
void replace_reporter_sites(connection& db, const std::string& phone, const std::vector<std::string>& sites);
// The team's areas and members become exactly t's.
void write_areas_and_members(connection& db, std::int64_t team_id, const team& t);
// The team's row, with or without areas (a removed team keeps its row), its areas and members.
std::optional<team_record> find_team_row(connection& db, std::string_view name);
// Same sensitive_cases, areas and members (name, role, lang), whatever the order.
bool same_team(const team& a, const team& b);
// The active sites whose area no team with members covers, by code.
std::vector<std::string> uncovered_sites(connection& db);

} // namespace kharuul::store::registry_detail
