#include "store/report_data.hpp"

#include "store/binding.hpp"
#include "store/records.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
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
    // Each case's history is reserved at its size (an upper bound: rows after `until` count too):
    // grown one row at a time, the vectors' spare room was ~15 MB at 340,000 rows.
    std::vector<std::uint32_t> rows_of(in.cases.size(), 0);
    {
        SQLite::Statement s(db, "SELECT case_serial, COUNT(*) FROM case_history GROUP BY case_serial");
        while (s.executeStep())
            if (auto it = index.find(s.getColumn(0).getInt64()); it != index.end())
                rows_of[it->second] = static_cast<std::uint32_t>(s.getColumn(1).getInt64());
    }
    {
        // In id order, which is each case's order too: a sequential read of the table. Ordered by
        // case (the case_history_by_case index) every row was a lookup in the table, ~4x the time
        // at 340,000 rows (bench/report.sh).
        SQLite::Statement s(db, "SELECT case_serial, id, action, detail, at FROM case_history WHERE at < ?1"
                                " ORDER BY id");
        bind_value(s, 1, until);
        while (s.executeStep()) {
            auto it = index.find(s.getColumn(0).getInt64());
            if (it == index.end())
                continue;
            auto& history = in.cases[it->second].history;
            if (history.empty())
                history.reserve(rows_of[it->second]);
            history.push_back({s.getColumn(1).getInt64(), text(s, 2), text(s, 3), time(s, 4)});
        }
    }
}

// The rows that "undone" rows written at or after `until` name (kharuul case --undo after the
// period) are taken out of the loaded histories.
void leave_out_later_undos(connection& db, timestamp until, cases::report_input& in)
{
    std::set<std::int64_t> undone;
    SQLite::Statement s(db, "SELECT id, detail, at FROM case_history WHERE at >= ?1 AND action = 'undone'");
    bind_value(s, 1, until);
    while (s.executeStep())
        if (auto id = cases::undone_id({s.getColumn(0).getInt64(), "undone", text(s, 1), time(s, 2)}))
            undone.insert(*id);
    if (undone.empty())
        return;
    for (auto& c : in.cases)
        std::erase_if(c.history, [&](const cases::history_row& h) { return undone.count(h.id) > 0; });
}

// The service record as the history gives it, less what was undone before `until`.
void add_services(cases::report_input& in)
{
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

// The accepted reports and TRs received in [from, until), in id order, each with its first event's
// site and children. Two sequential reads merged here rather than a join: the join looked every
// message's event up through events_by_message (an index seek and a table seek each) and sorted the
// rows by id in a temporary b-tree, about half the report's time at 800,000 messages. The id ranges
// come from the time index (messages) and the message index (events) and bound every matching row
// exactly, so the result is the join's whatever the ids; the reads are short when ids follow time,
// as the gateway writes them.
void load_messages(connection& db, timestamp from, timestamp until, cases::report_input& in)
{
    std::int64_t count = 0, first_id = 0, last_id = -1;
    {
        SQLite::Statement s(db, "SELECT COUNT(*), MIN(id), MAX(id) FROM messages"
                                " WHERE received_at >= ?1 AND received_at < ?2");
        bind_value(s, 1, from);
        bind_value(s, 2, until);
        if (s.executeStep() && !s.isColumnNull(1)) {
            count = s.getColumn(0).getInt64();
            first_id = s.getColumn(1).getInt64();
            last_id = s.getColumn(2).getInt64();
        }
    }
    if (count == 0)
        return;

    // The events of those messages: (message id, site, children), by message id and then event id
    // (the join's first event of a message is its lowest id). Sites are few: kept once each.
    struct event_facts {
        std::int64_t message_id;
        std::uint32_t site;
        std::int32_t children;
    };
    std::vector<event_facts> events;
    std::vector<std::string> site_names;
    {
        std::int64_t first_event = 0, last_event = -1;
        {
            SQLite::Statement s(db, "SELECT MIN(id), MAX(id) FROM events WHERE message_id BETWEEN ?1 AND ?2");
            s.bind(1, first_id);
            s.bind(2, last_id);
            if (s.executeStep() && !s.isColumnNull(0)) {
                first_event = s.getColumn(0).getInt64();
                last_event = s.getColumn(1).getInt64();
            }
        }
        std::unordered_map<std::string, std::uint32_t> site_ids;
        SQLite::Statement s(db, "SELECT message_id, COALESCE(site, ''),"
                                " COALESCE(boys, 0) + COALESCE(girls, 0) + COALESCE(unknown, 0)"
                                " FROM events WHERE id BETWEEN ?1 AND ?2 AND +message_id BETWEEN ?3 AND ?4 ORDER BY id");
        s.bind(1, first_event);
        s.bind(2, last_event);
        s.bind(3, first_id);
        s.bind(4, last_id);
        while (s.executeStep()) {
            auto [it, fresh] = site_ids.try_emplace(text(s, 1), static_cast<std::uint32_t>(site_names.size()));
            if (fresh)
                site_names.push_back(it->first);
            events.push_back({s.getColumn(0).getInt64(), it->second, s.getColumn(2).getInt()});
        }
        if (!std::is_sorted(events.begin(), events.end(),
                            [](const auto& a, const auto& b) { return a.message_id < b.message_id; }))
            std::stable_sort(events.begin(), events.end(),
                             [](const auto& a, const auto& b) { return a.message_id < b.message_id; });
    }

    // The matching messages in a compact form first (phones and forms are few: kept once each),
    // then the input at its exact size: grown row by row, the vector's old and new buffers together
    // were the peak of the whole report at 800,000 messages, and an upper-bound reserve kept ~23 MB
    // spare for the rest of it.
    struct message_facts {
        std::int64_t id;
        std::int64_t received_at;
        std::uint32_t sender;
        std::uint32_t site;
        std::int32_t children;
        std::uint8_t form;
    };
    std::vector<message_facts> found;
    found.reserve(static_cast<std::size_t>(count));
    std::vector<std::string> senders, forms;
    {
        std::unordered_map<std::string, std::uint32_t> sender_ids, form_ids;
        auto intern = [](std::unordered_map<std::string, std::uint32_t>& ids, std::vector<std::string>& names,
                         const char* value) {
            auto [it, fresh] = ids.try_emplace(value, static_cast<std::uint32_t>(names.size()));
            if (fresh)
                names.push_back(it->first);
            return it->second;
        };
        SQLite::Statement s(db, "SELECT id, form, sender, received_at FROM messages"
                                " WHERE id BETWEEN ?1 AND ?2 AND +received_at >= ?3 AND +received_at < ?4"
                                " AND status = 'accepted' AND form IN ('ID', 'NIL', 'RISK', 'TR') ORDER BY id");
        s.bind(1, first_id);
        s.bind(2, last_id);
        bind_value(s, 3, from);
        bind_value(s, 4, until);
        auto e = events.begin();
        while (s.executeStep()) {
            const std::int64_t id = s.getColumn(0).getInt64();
            while (e != events.end() && e->message_id < id)
                ++e;
            if (e == events.end() || e->message_id != id)
                continue; // no event: not in the join
            found.push_back({id, s.getColumn(3).getInt64(), intern(sender_ids, senders, s.getColumn(2).getText()),
                             e->site, e->children,
                             static_cast<std::uint8_t>(intern(form_ids, forms, s.getColumn(1).getText()))});
        }
    }
    events = {};
    in.messages.reserve(found.size());
    for (const auto& m : found)
        in.messages.push_back(
            {m.id, forms[m.form], senders[m.sender], site_names[m.site], m.children, from_unix_ms(m.received_at)});
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

cases::report_input load_report_input(connection& db, timestamp from, timestamp until, bool later_corrections)
{
    cases::report_input in;
    in.from = from;
    in.until = until;
    SQLite::Transaction read(db, SQLite::TransactionBehavior::DEFERRED); // one snapshot for every SELECT
    load_cases(db, until, in);
    if (later_corrections)
        leave_out_later_undos(db, until, in);
    add_services(in);
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
