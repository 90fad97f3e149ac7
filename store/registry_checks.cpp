#include "store/registry_checks.hpp"

#include "store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace kharuul::store {
namespace {

std::vector<std::string> first_column(connection& db, const char* sql) {
    SQLite::Statement s(db, sql);
    std::vector<std::string> out;
    while (s.executeStep())
        out.push_back(s.getColumn(0).getString());
    return out;
}

} // namespace

std::vector<std::string> monitored_site_codes(connection& db) {
    const bool has_active = schema_version(db) >= 5; // migration 5 added sites.active
    return first_column(db, has_active ? "SELECT code FROM sites WHERE active = 1 ORDER BY code"
                                       : "SELECT code FROM sites ORDER BY code");
}

std::vector<std::string> staffed_team_areas(connection& db) {
    return first_column(db, "SELECT DISTINCT a.area FROM team_areas a"
                            " WHERE EXISTS (SELECT 1 FROM team_members m WHERE m.team = a.team) ORDER BY a.area");
}

} // namespace kharuul::store
