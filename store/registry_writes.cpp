// The registry's changes at run time (the API, gateway/api_registry.cpp): sites, teams and
// coordinators made, changed and removed while the daemon runs, each row marked origin 'cli' so
// that a reload from the file leaves it alone (store/registry.hpp, sync_registry).
#include "store/registry.hpp"

#include "store/binding.hpp"
#include "store/registry_rows.hpp"

#include <algorithm>
#include <string>

namespace kharuul::store {
namespace {

using namespace binding;
using registry_detail::uncovered_sites;

// The sites the change left uncovered that were covered before (an old store may hold sites no
// team covers: those are not this change's doing).
std::vector<std::string> newly_uncovered(connection& db, const std::vector<std::string>& before)
{
    std::vector<std::string> out;
    for (auto& code : uncovered_sites(db))
        if (std::ranges::find(before, code) == before.end())
            out.push_back(std::move(code));
    return out;
}

// errc::site_uncovered (and the sites in `uncovered`) when the change left any.
result<void> still_covered(connection& db, const std::vector<std::string>& before, std::vector<std::string>* uncovered)
{
    auto left = newly_uncovered(db, before);
    if (left.empty())
        return {};
    if (uncovered != nullptr)
        *uncovered = std::move(left);
    return make_error_code(errc::site_uncovered);
}

void write_site(connection& db, const site& s)
{
    statement_use q(db.prepared("INSERT INTO sites (code, name, kind, area, active, origin)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, 'cli') ON CONFLICT (code) DO UPDATE SET"
                                " name = excluded.name, kind = excluded.kind, area = excluded.area,"
                                " active = excluded.active, origin = 'cli'"));
    q->bind(1, s.code);
    q->bind(2, s.name);
    q->bind(3, s.kind);
    q->bind(4, s.area);
    q->bind(5, s.active ? 1 : 0);
    q->exec();
}

std::int64_t open_cases_at(connection& db, std::string_view code)
{
    statement_use s(db.prepared("SELECT COUNT(*) FROM cases WHERE site = ?1"
                                " AND state NOT IN ('dismissed', 'merged', 'closed')"));
    bind_text(*s, 1, code);
    s->executeStep();
    return s->getColumn(0).getInt64();
}

} // namespace

result<void> create_site(connection& db, const site& s, std::vector<std::string>* uncovered)
{
    savepoint sp(db, "create_site");
    if (find_site(db, s.code))
        return make_error_code(errc::site_exists);
    const auto before = uncovered_sites(db);
    site made = s;
    made.active = true;
    write_site(db, made);
    if (auto r = still_covered(db, before, uncovered); !r)
        return r;
    sp.release();
    return {};
}

result<void> update_site(connection& db, const site& s, std::vector<std::string>* uncovered)
{
    savepoint sp(db, "update_site");
    if (!find_site(db, s.code))
        return make_error_code(errc::unknown_site);
    const auto before = uncovered_sites(db);
    write_site(db, s);
    if (auto r = still_covered(db, before, uncovered); !r)
        return r;
    sp.release();
    return {};
}

result<registry_changes::removed_site> deactivate_site(connection& db, std::string_view code)
{
    statement_use s(db.prepared("UPDATE sites SET active = 0, origin = 'cli' WHERE code = ?1 AND active = 1"));
    bind_text(*s, 1, code);
    if (s->exec() == 0)
        return make_error_code(errc::unknown_site);
    return registry_changes::removed_site{std::string(code), open_cases_at(db, code)};
}

result<void> create_team(connection& db, const team& t, std::vector<std::string>* uncovered)
{
    savepoint sp(db, "create_team");
    if (find_team(db, t.name))
        return make_error_code(errc::team_exists);
    const auto before = uncovered_sites(db);
    std::int64_t id = 0;
    {
        statement_use s(db.prepared("INSERT INTO teams (name, sensitive_cases, origin) VALUES (?1, ?2, 'cli')"
                                    " ON CONFLICT (name) DO UPDATE SET sensitive_cases = excluded.sensitive_cases,"
                                    " origin = 'cli' RETURNING id"));
        s->bind(1, t.name);
        s->bind(2, t.sensitive_cases ? 1 : 0);
        s->executeStep();
        id = s->getColumn(0).getInt64();
    }
    registry_detail::write_areas_and_members(db, id, t);
    if (auto r = still_covered(db, before, uncovered); !r)
        return r;
    sp.release();
    return {};
}

result<void> update_team(connection& db, const team& t, std::vector<std::string>* uncovered)
{
    savepoint sp(db, "update_team");
    const auto held = find_team(db, t.name);
    if (!held)
        return make_error_code(errc::unknown_team);
    const auto before = uncovered_sites(db);
    {
        statement_use s(db.prepared("UPDATE teams SET sensitive_cases = ?2, origin = 'cli' WHERE id = ?1"));
        s->bind(1, held->id);
        s->bind(2, t.sensitive_cases ? 1 : 0);
        s->exec();
    }
    registry_detail::write_areas_and_members(db, held->id, t);
    if (auto r = still_covered(db, before, uncovered); !r)
        return r;
    sp.release();
    return {};
}

result<void> remove_team(connection& db, std::string_view name, std::vector<std::string>* uncovered)
{
    savepoint sp(db, "remove_team");
    const auto held = find_team(db, name);
    if (!held)
        return make_error_code(errc::unknown_team);
    const auto before = uncovered_sites(db);
    {
        statement_use s(db.prepared("UPDATE teams SET origin = 'cli' WHERE id = ?1"));
        s->bind(1, held->id);
        s->exec();
    }
    registry_detail::write_areas_and_members(db, held->id, team{std::string(name), {}, held->definition.sensitive_cases, {}});
    if (auto r = still_covered(db, before, uncovered); !r)
        return r;
    sp.release();
    return {};
}

result<void> create_coordinator(connection& db, const coordinator& c)
{
    if (find_coordinator(db, c.phone))
        return make_error_code(errc::coordinator_exists);
    statement_use s(db.prepared("INSERT INTO coordinators (phone, name, lang, active, origin)"
                                " VALUES (?1, ?2, ?3, 1, 'cli') ON CONFLICT (phone) DO UPDATE SET"
                                " name = excluded.name, lang = excluded.lang, active = 1, origin = 'cli'"));
    s->bind(1, c.phone);
    s->bind(2, c.name);
    s->bind(3, c.lang);
    s->exec();
    return {};
}

result<void> update_coordinator(connection& db, const coordinator& c)
{
    statement_use s(db.prepared("UPDATE coordinators SET name = ?2, lang = ?3, origin = 'cli'"
                                " WHERE phone = ?1 AND active = 1"));
    s->bind(1, c.phone);
    s->bind(2, c.name);
    s->bind(3, c.lang);
    if (s->exec() == 0)
        return make_error_code(errc::unknown_coordinator);
    return {};
}

result<void> remove_coordinator(connection& db, std::string_view phone)
{
    statement_use s(db.prepared("UPDATE coordinators SET active = 0, origin = 'cli' WHERE phone = ?1 AND active = 1"));
    bind_text(*s, 1, phone);
    if (s->exec() == 0)
        return make_error_code(errc::unknown_coordinator);
    return {};
}

} // namespace kharuul::store
