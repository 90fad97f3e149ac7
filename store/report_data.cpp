#include "store/report_data.hpp"

#include "store/binding.hpp"
#include "store/records.hpp"
#include "store/ussd_sessions.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

namespace kharuul::store {

using namespace binding;

namespace {

// A statement read through SQLite's C API: the report's loops read a million rows, and
// SQLiteCpp's Column objects (a shared pointer each) cost more than the reading. Errors throw
// SQLite::Exception like the rest of store/.
class raw_statement {
public:
    raw_statement(SQLite::Database& db, const char* sql) : db_(db.getHandle())
    {
        if (const int rc = sqlite3_prepare_v2(db_, sql, -1, &st_, nullptr); rc != SQLITE_OK)
            throw SQLite::Exception(db_, rc);
    }
    raw_statement(const raw_statement&) = delete;
    raw_statement& operator=(const raw_statement&) = delete;
    ~raw_statement() { sqlite3_finalize(st_); }

    void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(st_, i, v)); }
    void bind(int i, timestamp t) { bind(i, to_unix_ms(t)); }
    // True while there is a row; throws on an error.
    bool step()
    {
        const int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc == SQLITE_DONE)
            return false;
        throw SQLite::Exception(db_, rc);
    }
    std::int64_t int64(int i) const { return sqlite3_column_int64(st_, i); }
    sqlite3_stmt* get() const noexcept { return st_; }
    // "" for NULL.
    std::string_view text(int i) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, i));
        return p == nullptr ? std::string_view{}
                            : std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(st_, i)));
    }

private:
    void check(int rc)
    {
        if (rc != SQLITE_OK)
            throw SQLite::Exception(db_, rc);
    }
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

// Case serials are handed out in order from a first one: the position of each case is a direct
// look-up by serial, not a hash (a million look-ups per report).
class serial_index {
public:
    void add(std::int64_t serial, std::size_t position)
    {
        if (serial < 0)
            return;
        const auto i = static_cast<std::size_t>(serial);
        if (i >= slots_.size())
            slots_.resize(std::max(i + 1, slots_.size() * 2), missing);
        slots_[i] = position;
    }
    // The position of the case with that serial, or nullptr.
    const std::size_t* find(std::int64_t serial) const
    {
        if (serial < 0 || static_cast<std::size_t>(serial) >= slots_.size() ||
            slots_[static_cast<std::size_t>(serial)] == missing)
            return nullptr;
        return &slots_[static_cast<std::size_t>(serial)];
    }

private:
    static constexpr std::size_t missing = static_cast<std::size_t>(-1);
    std::vector<std::size_t> slots_;
};

void load_cases(connection& db, timestamp until, cases::report_input& in)
{
    serial_index index; // serial -> position in in.cases
    {
        raw_statement s(db, "SELECT serial, code, sex, age_min, age_max, site, opened_form, work, risk_reason,"
                            " sensitive, opened_at, opened_message_id FROM cases WHERE opened_at < ?1"
                            " ORDER BY serial");
        s.bind(1, until);
        while (s.step()) {
            cases::report_case c;
            c.code = s.text(1);
            const std::string_view sex = s.text(2);
            c.sex = sex.empty() ? 'U' : sex[0];
            c.age_min = static_cast<int>(s.int64(3));
            c.age_max = static_cast<int>(s.int64(4));
            c.site = s.text(5);
            c.opened_by = cases::opening_from(s.text(6)).value_or(cases::opening::id);
            c.work = s.text(7);
            c.risk_reason = s.text(8);
            c.sensitive = s.int64(9) != 0;
            c.opened_at = from_unix_ms(s.int64(10));
            c.opened_message_id = s.int64(11); // 0 when NULL
            index.add(s.int64(0), in.cases.size());
            in.cases.push_back(std::move(c));
        }
    }
    // Each case's history is reserved at its size (an upper bound: rows after `until` count too):
    // grown one row at a time, the vectors' spare room was ~15 MB at 340,000 rows.
    std::vector<std::uint32_t> rows_of(in.cases.size(), 0);
    {
        raw_statement s(db, "SELECT case_serial, COUNT(*) FROM case_history GROUP BY case_serial");
        while (s.step())
            if (const std::size_t* at = index.find(s.int64(0)))
                rows_of[*at] = static_cast<std::uint32_t>(s.int64(1));
    }
    {
        // In id order, which is each case's order too: a sequential read of the table. Ordered by
        // case (the case_history_by_case index) every row was a lookup in the table, ~4x the time
        // at 340,000 rows (bench/report.sh).
        raw_statement s(db, "SELECT case_serial, id, action, detail, at FROM case_history WHERE at < ?1 ORDER BY id");
        s.bind(1, until);
        while (s.step()) {
            const std::size_t* at = index.find(s.int64(0));
            if (at == nullptr)
                continue;
            auto& history = in.cases[*at].history;
            if (history.empty())
                history.reserve(rows_of[*at]);
            history.push_back({s.int64(1), std::string(s.text(2)), std::string(s.text(3)), from_unix_ms(s.int64(4))});
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

// The accepted reports and TRs received in [from, until), each with its sender, site and
// children: read from the events alone (an event exists exactly for each accepted message, and
// carries the message's received_at since migration 4), never from the messages with their texts,
// through the events' message index over the period's message ids. Strings that repeat (forms,
// phones, sites) are kept once each.
void load_messages(connection& db, timestamp from, timestamp until, cases::report_input& in)
{
    // The message ids of the period's first and last ten minutes bound its ids: the gateway numbers
    // messages in the order its clock takes them in, so ids follow time but for moments (a group
    // commit's jobs); the margin covers those, and reading the edges costs seeks, not a scan of the
    // period's index (MIN/MAX over a year's time index took 0.2 s).
    constexpr std::int64_t margin_ms = 10 * 60 * 1000;
    std::optional<std::int64_t> first_message, last_message;
    {
        raw_statement s(db, "SELECT MIN(id) FROM messages WHERE received_at >= ?1 AND received_at < MIN(?1 + ?3, ?2)");
        s.bind(1, from);
        s.bind(2, until);
        s.bind(3, margin_ms);
        if (s.step() && sqlite3_column_type(s.get(), 0) != SQLITE_NULL)
            first_message = s.int64(0);
    }
    if (!first_message) {
        raw_statement s(db, "SELECT id FROM messages WHERE received_at >= ?1 AND received_at < ?2"
                            " ORDER BY received_at LIMIT 1");
        s.bind(1, from);
        s.bind(2, until);
        if (!s.step())
            return; // nothing received in the period
        first_message = s.int64(0);
    }
    {
        raw_statement s(db, "SELECT MAX(id) FROM messages WHERE received_at >= MAX(?2 - ?3, ?1) AND received_at < ?2");
        s.bind(1, from);
        s.bind(2, until);
        s.bind(3, margin_ms);
        if (s.step() && sqlite3_column_type(s.get(), 0) != SQLITE_NULL)
            last_message = s.int64(0);
    }
    if (!last_message) {
        raw_statement s(db, "SELECT id FROM messages WHERE received_at >= ?1 AND received_at < ?2"
                            " ORDER BY received_at DESC LIMIT 1");
        s.bind(1, from);
        s.bind(2, until);
        if (!s.step())
            return;
        last_message = s.int64(0);
    }
    // The events of those messages, through the message index: a rerun message (kept from a
    // stranger, processed when the sender was registered) has an event numbered long after it, so
    // event ids do not follow message ids; the index does, and its rows lie mostly in table order.
    raw_statement s(db, "SELECT message_id, form, reporter, COALESCE(site, ''),"
                        " COALESCE(boys, 0) + COALESCE(girls, 0) + COALESCE(unknown, 0), received_at FROM events"
                        " WHERE message_id BETWEEN ?1 AND ?2 AND +received_at >= ?3 AND +received_at < ?4"
                        " AND form IN ('ID', 'NIL', 'RISK', 'TR') ORDER BY message_id");
    s.bind(1, *first_message);
    s.bind(2, *last_message);
    s.bind(3, from);
    s.bind(4, until);
    std::unordered_map<std::string, std::string> strings; // each repeated value once
    auto kept = [&](std::string_view v) -> const std::string& {
        auto it = strings.find(std::string(v));
        if (it == strings.end())
            it = strings.emplace(std::string(v), std::string(v)).first;
        return it->second;
    };
    // At most one message per message id of the range: reserved once, so that the vector's old and
    // new buffers never coexist (at 800,000 messages that doubling was the report's peak of memory).
    in.messages.reserve(static_cast<std::size_t>(*last_message - *first_message + 1));
    std::int64_t last_id = 0;
    while (s.step()) {
        const std::int64_t id = s.int64(0);
        if (id == last_id)
            continue; // one event per message; guard against more
        last_id = id;
        in.messages.push_back({id, kept(s.text(1)), kept(s.text(2)), kept(s.text(3)), static_cast<int>(s.int64(4)),
                               from_unix_ms(s.int64(5))});
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

cases::report_input load_report_input(connection& db, timestamp from, timestamp until, bool later_corrections)
{
    cases::report_input in;
    in.from = from;
    in.until = until;
    // One snapshot for every SELECT: a transaction of its own, unless the caller's is open already
    // (the API's reader runs every job inside one; SQLite has no nested BEGIN).
    std::optional<SQLite::Transaction> read;
    if (sqlite3_get_autocommit(db.getHandle()) != 0)
        read.emplace(db, SQLite::TransactionBehavior::DEFERRED);
    load_cases(db, until, in);
    if (later_corrections)
        leave_out_later_undos(db, until, in);
    add_services(in);
    load_registry(db, in);
    load_messages(db, from, until, in);
    load_alerts(db, from, until, in);
    in.ussd_abandoned = abandoned_ussd_steps(db, from, until);
    std::unordered_map<std::string, std::string> area_of;
    for (const auto& site : in.sites)
        area_of[site.code] = site.area;
    for (auto& a : in.alerts)
        if (a.team.empty())
            a.team = cases::team_of(in.teams, area_of[a.site], a.sensitive);
    return in;
}

} // namespace kharuul::store
