#include "store/report_data.hpp"

#include "store/binding.hpp"
#include "store/records.hpp"

#include <set>
#include <unordered_map>

namespace kharuul::store {

using namespace binding;

namespace {

void load_cases(connection& db, timestamp until, cases::report_input& in)
{
    std::unordered_map<std::int64_t, std::size_t> index; // serial -> position in in.cases
    {
        SQLite::Statement s(db, "SELECT serial, code, sex, age_min, age_max, site, opened_form, work, risk_reason,"
                                " sensitive, opened_at, opened_message_id FROM cases WHERE opened_at < ?1"
                                " ORDER BY serial");
        bind_value(s, 1, until);
        while (s.executeStep()) {
            cases::report_case c;
            c.code = text(s, 1);
            const std::string sex = text(s, 2);
            c.sex = sex.empty() ? 'U' : sex[0];
            c.age_min = s.getColumn(3).getInt();
            c.age_max = s.getColumn(4).getInt();
            c.site = text(s, 5);
            c.opened_by = cases::opening_from(text(s, 6)).value_or(cases::opening::id);
            c.work = opt_text(s, 7).value_or("");
            c.risk_reason = opt_text(s, 8).value_or("");
            c.sensitive = s.getColumn(9).getInt() != 0;
            c.opened_at = time(s, 10);
            c.opened_message_id = opt_int64(s, 11).value_or(0);
            index.emplace(s.getColumn(0).getInt64(), in.cases.size());
            in.cases.push_back(std::move(c));
        }
    }
    {
        SQLite::Statement s(db, "SELECT case_serial, id, action, detail, at FROM case_history WHERE at < ?1"
                                " ORDER BY case_serial, id");
        bind_value(s, 1, until);
        while (s.executeStep()) {
            auto it = index.find(s.getColumn(0).getInt64());
            if (it == index.end())
                continue;
            in.cases[it->second].history.push_back({s.getColumn(1).getInt64(), text(s, 2), text(s, 3), time(s, 4)});
        }
    }
    // The service record as the history gives it, less what was undone before `until`.
    for (auto& c : in.cases) {
        std::set<std::int64_t> undone;
        for (const auto& h : c.history)
            if (auto id = cases::undone_id(h))
                undone.insert(*id);
        for (const auto& h : c.history) {
            if ((h.action != "referred" && h.action != "serviced") || undone.count(h.id) > 0)
                continue;
            const std::vector<std::string> words = split_codes(h.detail);
            if (words.empty())
                continue;
            c.services.push_back({h.action == "referred", words[0], words.size() > 1 && words[1] == "FAM", h.at});
        }
    }
}

void load_registry(connection& db, cases::report_input& in)
{
    {
        SQLite::Statement s(db, "SELECT code, area FROM sites ORDER BY code");
        while (s.executeStep())
            in.sites.push_back({text(s, 0), text(s, 1)});
    }
    {
        SQLite::Statement s(db, "SELECT t.id, t.name, t.sensitive_cases, a.area FROM teams t"
                                " JOIN team_areas a ON a.team = t.id ORDER BY t.id, a.area");
        std::int64_t last = -1;
        while (s.executeStep()) {
            if (s.getColumn(0).getInt64() != last) {
                last = s.getColumn(0).getInt64();
                in.teams.push_back({text(s, 1), {}, s.getColumn(2).getInt() != 0});
            }
            in.teams.back().areas.push_back(text(s, 3));
        }
    }
    for (const char* sql : {"SELECT phone, name FROM reporters", "SELECT phone, name FROM team_members",
                            "SELECT phone, name FROM coordinators"}) {
        SQLite::Statement s(db, sql);
        while (s.executeStep())
            if (!text(s, 1).empty())
                in.reporter_labels[text(s, 0)] = text(s, 1);
    }
}

void load_messages(connection& db, timestamp from, timestamp until, cases::report_input& in)
{
    SQLite::Statement s(db, "SELECT m.id, m.form, m.sender, COALESCE(e.site, ''),"
                            " COALESCE(e.boys, 0) + COALESCE(e.girls, 0) + COALESCE(e.unknown, 0), m.received_at"
                            " FROM messages m JOIN events e ON e.message_id = m.id"
                            " WHERE m.received_at >= ?1 AND m.received_at < ?2 AND m.status = 'accepted'"
                            " AND m.form IN ('ID', 'NIL', 'RISK', 'TR') ORDER BY m.id");
    bind_value(s, 1, from);
    bind_value(s, 2, until);
    std::int64_t last = 0;
    while (s.executeStep()) {
        const std::int64_t id = s.getColumn(0).getInt64();
        if (id == last)
            continue; // one event per message; guard against more
        last = id;
        in.messages.push_back({id, text(s, 1), text(s, 2), text(s, 3), s.getColumn(4).getInt(), time(s, 5)});
    }
}

// The team of an alert is the team of its site by cases::team_of (alerts name no team themselves
// unless a future router sets teams.id).
void load_alerts(connection& db, timestamp from, timestamp until, cases::report_input& in)
{
    SQLite::Statement s(db, "SELECT a.id, COALESCE(t.name, ''), a.site, a.urgent, a.created_at, a.acked_at, a.sensitive"
                            " FROM alerts a LEFT JOIN teams t ON t.id = a.team_id"
                            " WHERE a.created_at >= ?1 AND a.created_at < ?2 ORDER BY a.id");
    bind_value(s, 1, from);
    bind_value(s, 2, until);
    while (s.executeStep()) {
        std::optional<timestamp> acked = opt_time(s, 5);
        if (acked && *acked >= until)
            acked.reset(); // as the store stood at `until`
        cases::report_alert a;
        a.number = s.getColumn(0).getInt64();
        a.team = text(s, 1);
        a.site = text(s, 2);
        a.urgent = s.getColumn(3).getInt() != 0;
        a.sensitive = s.getColumn(6).getInt() != 0;
        a.created_at = time(s, 4);
        a.acked_at = acked;
        in.alerts.push_back(std::move(a));
    }
}

} // namespace

cases::report_input load_report_input(connection& db, timestamp from, timestamp until)
{
    cases::report_input in;
    in.from = from;
    in.until = until;
    SQLite::Transaction read(db, SQLite::TransactionBehavior::DEFERRED); // one snapshot for every SELECT
    load_cases(db, until, in);
    load_registry(db, in);
    load_messages(db, from, until, in);
    load_alerts(db, from, until, in);
    std::unordered_map<std::string, std::string> area_of;
    for (const auto& site : in.sites)
        area_of[site.code] = site.area;
    for (auto& a : in.alerts)
        if (a.team.empty())
            a.team = cases::team_of(in.teams, area_of[a.site], a.sensitive);
    return in;
}

} // namespace kharuul::store
