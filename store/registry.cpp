#include "store/registry.hpp"

#include "store/binding.hpp"
#include "store/registry_rows.hpp"

#include <algorithm>
#include <set>
#include <tuple>
#include <string>

namespace kharuul::store {

namespace registry_detail {

using namespace binding;

bool active_site_exists(connection& db, std::string_view code)
{
    statement_use s(db.prepared("SELECT 1 FROM sites WHERE code = ?1 AND active = 1"));
    bind_text(*s, 1, code);
    return s->executeStep();
}

void replace_reporter_sites(connection& db, const std::string& phone, const std::vector<std::string>& sites)
{
    {
        statement_use s(db.prepared("DELETE FROM reporter_sites WHERE phone = ?1"));
        s->bind(1, phone);
        s->exec();
    }
    for (const auto& code : sites) {
        statement_use s(db.prepared("INSERT INTO reporter_sites (phone, site) VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
        s->bind(1, phone);
        s->bind(2, code);
        s->exec();
    }
}

void write_areas_and_members(connection& db, std::int64_t id, const team& t)
{
    for (const char* sql : {"DELETE FROM team_areas WHERE team = ?1", "DELETE FROM team_members WHERE team = ?1"}) {
        statement_use s(db.prepared(sql));
        s->bind(1, id);
        s->exec();
    }
    for (const auto& area : t.areas) {
        statement_use s(db.prepared("INSERT INTO team_areas (team, area) VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
        s->bind(1, id);
        s->bind(2, area);
        s->exec();
    }
    for (const team_member& m : t.members) {
        statement_use s(db.prepared("INSERT INTO team_members (team, phone, name, role, lang)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (team, phone) DO UPDATE SET"
                                    " name = excluded.name, role = excluded.role, lang = excluded.lang"));
        s->bind(1, id);
        s->bind(2, m.phone);
        s->bind(3, m.name);
        s->bind(4, m.role);
        s->bind(5, m.lang);
        s->exec();
    }
}

bool same_team(const team& a, const team& b)
{
    auto areas = [](const team& t) {
        std::vector<std::string> v = t.areas;
        std::ranges::sort(v);
        v.erase(std::unique(v.begin(), v.end()), v.end());
        return v;
    };
    auto members = [](const team& t) {
        std::set<std::tuple<std::string, std::string, std::string, std::string>> m;
        for (const auto& x : t.members)
            m.insert({x.phone, x.name, x.role, x.lang});
        return m;
    };
    return a.sensitive_cases == b.sensitive_cases && areas(a) == areas(b) && members(a) == members(b);
}

std::vector<std::string> uncovered_sites(connection& db)
{
    // A team covers a site when one of its areas is the site's area or contains it ("A" covers
    // "A/B"), as config::area_covers; a team without members alerts nobody.
    statement_use s(db.prepared(
        "SELECT st.code FROM sites st WHERE st.active = 1 AND NOT EXISTS ("
        " SELECT 1 FROM team_areas a WHERE (st.area = a.area OR substr(st.area, 1, length(a.area) + 1) = a.area || '/')"
        " AND EXISTS (SELECT 1 FROM team_members m WHERE m.team = a.team)) ORDER BY st.code"));
    std::vector<std::string> out;
    while (s->executeStep())
        out.push_back(text(*s, 0));
    return out;
}

} // namespace registry_detail

namespace {

using namespace binding;
using registry_detail::active_site_exists;
using registry_detail::find_team_row;
using registry_detail::replace_reporter_sites;
using registry_detail::same_team;
using registry_detail::write_areas_and_members;

std::vector<std::string> sites_of(connection& db, const std::string& phone)
{
    statement_use s(db.prepared("SELECT site FROM reporter_sites WHERE phone = ?1 ORDER BY site"));
    s->bind(1, phone);
    std::vector<std::string> out;
    while (s->executeStep())
        out.push_back(text(*s, 0));
    return out;
}

#define KHARUUL_REPORTER_COLUMNS "phone, name, lang, kind, active, origin, created_at"

reporter_record read_reporter(connection& db, const SQLite::Statement& s)
{
    reporter_record r;
    r.phone = text(s, 0);
    r.name = text(s, 1);
    r.lang = text(s, 2);
    r.kind = text(s, 3);
    r.active = s.getColumn(4).getInt() != 0;
    r.from_config = text(s, 5) == "config";
    r.created_at = time(s, 6);
    r.sites = sites_of(db, r.phone);
    return r;
}

#define KHARUUL_SITE_COLUMNS "code, name, kind, area, active, origin"

site read_site(const SQLite::Statement& s)
{
    return {text(s, 0), text(s, 1), text(s, 2), text(s, 3), s.getColumn(4).getInt() != 0, text(s, 5) == "config"};
}

std::vector<std::string> names_of(connection& db, std::string_view sql)
{
    statement_use s(db.prepared(sql));
    std::vector<std::string> out;
    while (s->executeStep())
        out.push_back(text(*s, 0));
    return out;
}

// Teams that route: those with areas.
constexpr std::string_view teams_with_areas_sql =
    "SELECT t.name FROM teams t WHERE EXISTS (SELECT 1 FROM team_areas a WHERE a.team = t.id) ORDER BY t.id";

} // namespace

result<registry_changes> sync_registry(connection& db, const registry_snapshot& snap, timestamp now)
{
    savepoint sp(db, "sync_registry");
    registry_changes changes;

    if (!snap.sites.empty()) {
        const std::vector<std::string> active_before = active_site_codes(db);
        db.exec("UPDATE sites SET active = 0 WHERE active = 1 AND origin = 'config'");
        for (const site& st : snap.sites) {
            if (auto held = find_site(db, st.code); held && !held->from_config) {
                if (!held->active || held->name != st.name || held->kind != st.kind || held->area != st.area) {
                    changes.kept.push_back({"site", st.code});
                    continue;
                }
            }
            statement_use s(db.prepared("INSERT INTO sites (code, name, kind, area, active, origin)"
                                        " VALUES (?1, ?2, ?3, ?4, 1, 'config')"
                                        " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
                                        " kind = excluded.kind, area = excluded.area, active = 1, origin = 'config'"));
            s->bind(1, st.code);
            s->bind(2, st.name);
            s->bind(3, st.kind);
            s->bind(4, st.area);
            s->exec();
        }
        const std::vector<std::string> active_after = active_site_codes(db);
        for (const auto& code : active_before) {
            if (std::ranges::find(active_after, code) != active_after.end())
                continue;
            statement_use s(db.prepared("SELECT COUNT(*) FROM cases WHERE site = ?1"
                                        " AND state NOT IN ('dismissed', 'merged', 'closed')"));
            s->bind(1, code);
            s->executeStep();
            changes.removed_sites.push_back({code, s->getColumn(0).getInt64()});
        }
    }
    // A site the file names but a run-time change made inactive is still a site: its reporters
    // keep it in their list (they cannot name it in new reports).
    for (const reporter& r : snap.reporters)
        for (const auto& code : r.sites)
            if (!find_site(db, code))
                return make_error_code(errc::unknown_site);

    const std::vector<std::string> teams_before = names_of(db, teams_with_areas_sql);
    if (!snap.teams.empty()) {
        db.exec("DELETE FROM team_areas WHERE team IN (SELECT id FROM teams WHERE origin = 'config')");
        db.exec("DELETE FROM team_members WHERE team IN (SELECT id FROM teams WHERE origin = 'config')");
    }
    for (const team& t : snap.teams) {
        if (auto held = find_team_row(db, t.name); held && !held->from_config) {
            if (!same_team(held->definition, t)) {
                changes.kept.push_back({"team", t.name});
                continue;
            }
        }
        std::int64_t id = 0;
        {
            statement_use s(db.prepared("INSERT INTO teams (name, sensitive_cases, origin) VALUES (?1, ?2, 'config')"
                                        " ON CONFLICT (name) DO UPDATE SET sensitive_cases = excluded.sensitive_cases,"
                                        " origin = 'config' RETURNING id"));
            s->bind(1, t.name);
            s->bind(2, t.sensitive_cases ? 1 : 0);
            s->executeStep();
            id = s->getColumn(0).getInt64();
        }
        write_areas_and_members(db, id, t);
    }

    {
        std::set<std::string> named;
        for (const coordinator& c : snap.coordinators)
            named.insert(c.phone);
        std::vector<std::string> dropped;
        statement_use s(db.prepared("SELECT phone FROM coordinators WHERE origin = 'config'"));
        while (s->executeStep())
            if (std::string phone = text(*s, 0); !named.contains(phone))
                dropped.push_back(std::move(phone));
        for (const auto& phone : dropped) {
            statement_use d(db.prepared("DELETE FROM coordinators WHERE phone = ?1"));
            d->bind(1, phone);
            d->exec();
        }
    }
    for (const coordinator& c : snap.coordinators) {
        {
            statement_use s(db.prepared("SELECT name, lang, active, origin FROM coordinators WHERE phone = ?1"));
            s->bind(1, c.phone);
            if (s->executeStep() && text(*s, 3) == "cli" &&
                (text(*s, 0) != c.name || text(*s, 1) != c.lang || s->getColumn(2).getInt() == 0)) {
                changes.kept.push_back({"coordinator", c.phone});
                continue;
            }
        }
        statement_use s(db.prepared("INSERT INTO coordinators (phone, name, lang, active, origin)"
                                    " VALUES (?1, ?2, ?3, 1, 'config') ON CONFLICT (phone) DO UPDATE SET"
                                    " name = excluded.name, lang = excluded.lang, active = 1, origin = 'config'"));
        s->bind(1, c.phone);
        s->bind(2, c.name);
        s->bind(3, c.lang);
        s->exec();
    }

    std::set<std::string> configured;
    for (const reporter& r : snap.reporters) {
        configured.insert(r.phone);
        {
            statement_use s(db.prepared("SELECT " KHARUUL_REPORTER_COLUMNS " FROM reporters WHERE phone = ?1"));
            s->bind(1, r.phone);
            if (s->executeStep()) {
                const reporter_record held = read_reporter(db, *s);
                std::vector<std::string> sites = r.sites;
                std::ranges::sort(sites);
                sites.erase(std::unique(sites.begin(), sites.end()), sites.end());
                if (!held.from_config && (!held.active || held.name != r.name || held.lang != r.lang ||
                                          held.kind != r.kind || held.sites != sites)) {
                    changes.kept.push_back({"reporter", r.phone});
                    continue;
                }
            }
        }
        {
            statement_use s(db.prepared(
                "INSERT INTO reporters (phone, name, lang, kind, active, origin, created_at)"
                " VALUES (?1, ?2, ?3, ?4, 1, 'config', ?5) ON CONFLICT (phone) DO UPDATE SET"
                " name = excluded.name, lang = excluded.lang, kind = excluded.kind, active = 1, origin = 'config'"));
            s->bind(1, r.phone);
            s->bind(2, r.name);
            s->bind(3, r.lang);
            s->bind(4, r.kind);
            bind_value(*s, 5, now);
            s->exec();
        }
        replace_reporter_sites(db, r.phone, r.sites);
    }
    std::vector<std::string> dropped;
    {
        statement_use s(db.prepared("SELECT phone FROM reporters WHERE origin = 'config' AND active = 1"));
        while (s->executeStep())
            if (std::string phone = text(*s, 0); !configured.contains(phone))
                dropped.push_back(std::move(phone));
    }
    for (const auto& phone : dropped) {
        statement_use s(db.prepared("UPDATE reporters SET active = 0 WHERE phone = ?1"));
        s->bind(1, phone);
        s->exec();
    }

    const std::vector<std::string> teams_after = names_of(db, teams_with_areas_sql);
    for (const auto& name : teams_before)
        if (std::ranges::find(teams_after, name) == teams_after.end())
            changes.removed_teams.push_back(name);
    changes.active_sites = active_site_codes(db);

    sp.release();
    return changes;
}

std::optional<reporter_record> find_reporter(connection& db, std::string_view phone)
{
    statement_use s(db.prepared("SELECT " KHARUUL_REPORTER_COLUMNS " FROM reporters WHERE phone = ?1 AND active = 1"));
    bind_text(*s, 1, phone);
    if (!s->executeStep())
        return std::nullopt;
    return read_reporter(db, *s);
}

result<void> add_reporter(connection& db, const reporter& r, timestamp now)
{
    savepoint sp(db, "add_reporter");
    {
        statement_use s(db.prepared("SELECT active FROM reporters WHERE phone = ?1"));
        s->bind(1, r.phone);
        if (s->executeStep() && s->getColumn(0).getInt() != 0)
            return make_error_code(errc::reporter_exists);
    }
    for (const auto& code : r.sites)
        if (!active_site_exists(db, code))
            return make_error_code(errc::unknown_site);
    {
        // A reactivated reporter keeps its first created_at: the row is its record.
        statement_use s(db.prepared(
            "INSERT INTO reporters (phone, name, lang, kind, active, origin, created_at)"
            " VALUES (?1, ?2, ?3, ?4, 1, 'cli', ?5) ON CONFLICT (phone) DO UPDATE SET"
            " name = excluded.name, lang = excluded.lang, kind = excluded.kind, active = 1, origin = 'cli'"));
        s->bind(1, r.phone);
        s->bind(2, r.name);
        s->bind(3, r.lang);
        s->bind(4, r.kind);
        bind_value(*s, 5, now);
        s->exec();
    }
    replace_reporter_sites(db, r.phone, r.sites);
    sp.release();
    return {};
}

result<void> remove_reporter(connection& db, std::string_view phone)
{
    statement_use s(db.prepared("UPDATE reporters SET active = 0, origin = 'cli' WHERE phone = ?1 AND active = 1"));
    bind_text(*s, 1, phone);
    if (s->exec() == 0)
        return make_error_code(errc::unknown_reporter);
    return {};
}

result<void> update_reporter(connection& db, const reporter& r)
{
    savepoint sp(db, "update_reporter");
    for (const auto& code : r.sites)
        if (!active_site_exists(db, code))
            return make_error_code(errc::unknown_site);
    {
        statement_use s(db.prepared("UPDATE reporters SET name = ?2, lang = ?3, kind = ?4, origin = 'cli'"
                                    " WHERE phone = ?1 AND active = 1"));
        s->bind(1, r.phone);
        s->bind(2, r.name);
        s->bind(3, r.lang);
        s->bind(4, r.kind);
        if (s->exec() == 0)
            return make_error_code(errc::unknown_reporter);
    }
    replace_reporter_sites(db, r.phone, r.sites);
    sp.release();
    return {};
}

std::vector<reporter_record> list_reporters(connection& db, bool include_inactive)
{
    statement_use s(db.prepared("SELECT " KHARUUL_REPORTER_COLUMNS " FROM reporters WHERE active = 1 OR ?1"
                                " ORDER BY phone"));
    s->bind(1, include_inactive ? 1 : 0);
    std::vector<reporter_record> out;
    while (s->executeStep())
        out.push_back(read_reporter(db, *s));
    return out;
}

std::vector<team_role> team_roles(connection& db, std::string_view phone)
{
    statement_use s(db.prepared("SELECT t.id, t.name, t.sensitive_cases, m.name, m.role, m.lang"
                                " FROM team_members m JOIN teams t ON t.id = m.team WHERE m.phone = ?1 ORDER BY t.id"));
    bind_text(*s, 1, phone);
    std::vector<team_role> out;
    while (s->executeStep())
        out.push_back({s->getColumn(0).getInt64(), text(*s, 1), s->getColumn(2).getInt() != 0, text(*s, 3),
                       text(*s, 4), text(*s, 5)});
    return out;
}

bool is_team_member(connection& db, std::string_view phone)
{
    statement_use s(db.prepared("SELECT 1 FROM team_members WHERE phone = ?1 LIMIT 1"));
    bind_text(*s, 1, phone);
    return s->executeStep();
}

std::optional<coordinator> find_coordinator(connection& db, std::string_view phone)
{
    statement_use s(db.prepared("SELECT phone, name, lang, origin FROM coordinators WHERE phone = ?1 AND active = 1"));
    bind_text(*s, 1, phone);
    if (!s->executeStep())
        return std::nullopt;
    return coordinator{text(*s, 0), text(*s, 1), text(*s, 2), text(*s, 3) == "config"};
}

std::vector<coordinator> list_coordinators(connection& db)
{
    statement_use s(db.prepared("SELECT phone, name, lang, origin FROM coordinators WHERE active = 1 ORDER BY phone"));
    std::vector<coordinator> out;
    while (s->executeStep())
        out.push_back({text(*s, 0), text(*s, 1), text(*s, 2), text(*s, 3) == "config"});
    return out;
}

std::optional<site> find_site(connection& db, std::string_view code)
{
    statement_use s(db.prepared("SELECT " KHARUUL_SITE_COLUMNS " FROM sites WHERE code = ?1"));
    bind_text(*s, 1, code);
    if (!s->executeStep())
        return std::nullopt;
    return read_site(*s);
}

std::vector<site> list_sites(connection& db)
{
    statement_use s(db.prepared("SELECT " KHARUUL_SITE_COLUMNS " FROM sites ORDER BY code"));
    std::vector<site> out;
    while (s->executeStep())
        out.push_back(read_site(*s));
    return out;
}

std::vector<std::string> active_site_codes(connection& db)
{
    return names_of(db, "SELECT code FROM sites WHERE active = 1 ORDER BY code");
}

// The areas and members of each team (the second step of both team look-ups).
void add_areas_and_members(connection& db, std::vector<team_record>& out);

std::vector<team_record> teams_covering_site(connection& db, std::string_view site_code)
{
    std::vector<team_record> out;
    {
        statement_use s(db.prepared("SELECT DISTINCT t.id, t.name, t.sensitive_cases, t.origin FROM teams t"
                                    " JOIN team_areas a ON a.team = t.id JOIN sites st ON st.area = a.area"
                                    " WHERE st.code = ?1 ORDER BY t.id"));
        bind_text(*s, 1, site_code);
        while (s->executeStep()) {
            team_record r;
            r.id = s->getColumn(0).getInt64();
            r.definition.name = text(*s, 1);
            r.definition.sensitive_cases = s->getColumn(2).getInt() != 0;
            r.from_config = text(*s, 3) == "config";
            out.push_back(std::move(r));
        }
    }
    add_areas_and_members(db, out);
    return out;
}

std::vector<team_record> list_teams(connection& db)
{
    std::vector<team_record> out;
    {
        statement_use s(db.prepared("SELECT t.id, t.name, t.sensitive_cases, t.origin FROM teams t"
                                    " WHERE EXISTS (SELECT 1 FROM team_areas a WHERE a.team = t.id) ORDER BY t.id"));
        while (s->executeStep()) {
            team_record r;
            r.id = s->getColumn(0).getInt64();
            r.definition.name = text(*s, 1);
            r.definition.sensitive_cases = s->getColumn(2).getInt() != 0;
            r.from_config = text(*s, 3) == "config";
            out.push_back(std::move(r));
        }
    }
    add_areas_and_members(db, out);
    return out;
}

std::optional<team_record> find_team(connection& db, std::string_view name)
{
    auto t = find_team_row(db, name);
    if (!t || t->definition.areas.empty())
        return std::nullopt;
    return t;
}

std::optional<team_record> registry_detail::find_team_row(connection& db, std::string_view name)
{
    std::vector<team_record> out;
    {
        statement_use s(db.prepared("SELECT id, name, sensitive_cases, origin FROM teams WHERE name = ?1"));
        bind_text(*s, 1, name);
        if (!s->executeStep())
            return std::nullopt;
        team_record r;
        r.id = s->getColumn(0).getInt64();
        r.definition.name = text(*s, 1);
        r.definition.sensitive_cases = s->getColumn(2).getInt() != 0;
        r.from_config = text(*s, 3) == "config";
        out.push_back(std::move(r));
    }
    add_areas_and_members(db, out);
    return std::move(out.front());
}

void add_areas_and_members(connection& db, std::vector<team_record>& out)
{
    for (team_record& r : out) {
        {
            statement_use s(db.prepared("SELECT area FROM team_areas WHERE team = ?1 ORDER BY area"));
            s->bind(1, r.id);
            while (s->executeStep())
                r.definition.areas.push_back(text(*s, 0));
        }
        statement_use s(db.prepared("SELECT phone, name, role, lang FROM team_members WHERE team = ?1 ORDER BY phone"));
        s->bind(1, r.id);
        while (s->executeStep())
            r.definition.members.push_back({text(*s, 0), text(*s, 1), text(*s, 2), text(*s, 3)});
    }
}

} // namespace kharuul::store
