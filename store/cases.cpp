#include "store/cases.hpp"

#include "store/binding.hpp"
#include "store/records.hpp"

#include "parser/case_code.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <utility>
#include <variant>

namespace kharuul::store {
namespace {

using namespace binding;

parser::sex sex_from_letter(std::string_view s) noexcept
{
    if (s == "B")
        return parser::sex::boy;
    if (s == "G")
        return parser::sex::girl;
    return parser::sex::unknown;
}

#define KHARUUL_CASE_COLUMNS                                                                              \
    "serial, code, site, sex, age_min, age_max, opened_form, work, risk_reason, hazards, sensitive, "    \
    "state, state_before_lost, target, category, work_status, school_status, outcome, outcome_at, "       \
    "last_tr_at, work_reported_at, work_seen_at, planned_at, ever_planned, dismiss_reason, close_reason, " \
    "merged_into, last_status, last_service, opened_event_id, opened_message_id, opened_by, opened_at, "  \
    "last_tracked_at, last_followed_by, last_reminder_at"

case_record read_case(const SQLite::Statement& s)
{
    case_record c;
    c.serial = static_cast<std::uint32_t>(s.getColumn(0).getInt64());
    c.code = text(s, 1);
    c.site = text(s, 2);
    c.sex = sex_from_letter(text(s, 3));
    c.age_min = s.getColumn(4).getInt();
    c.age_max = s.getColumn(5).getInt();
    c.opened_form = cases::opening_from(text(s, 6)).value_or(cases::opening::id);
    c.work = opt_text(s, 7).value_or("");
    c.risk_reason = opt_text(s, 8).value_or("");
    c.hazards = split_codes(text(s, 9));
    c.sensitive = s.getColumn(10).getInt() != 0;
    cases::child_case& l = c.life;
    l.opened_by = c.opened_form;
    l.state = cases::case_state_from(text(s, 11)).value_or(cases::case_state::reported);
    l.state_before_lost = cases::case_state_from(text(s, 12)).value_or(cases::case_state::reported);
    l.goal = cases::target_from(text(s, 13)).value_or(cases::target::withdrawal);
    l.category = text(s, 14);
    l.work = cases::work_status_from(text(s, 15)).value_or(cases::work_status::unknown);
    l.school = cases::school_status_from(text(s, 16)).value_or(cases::school_status::unknown);
    l.result = cases::outcome_from(text(s, 17)).value_or(cases::outcome::none);
    l.outcome_at = opt_time(s, 18);
    l.last_tracked_at = opt_time(s, 19);
    l.work_reported_at = opt_time(s, 20);
    l.work_seen_at = opt_time(s, 21);
    l.planned_at = opt_time(s, 22);
    l.ever_planned = s.getColumn(23).getInt() != 0;
    l.dismiss_reason = text(s, 24);
    l.close_reason = text(s, 25);
    l.merged_into = text(s, 26);
    c.last_status = opt_text(s, 27);
    c.last_service = opt_text(s, 28);
    c.opened_event_id = s.getColumn(29).getInt64();
    c.opened_message_id = opt_int64(s, 30);
    c.opened_by = text(s, 31);
    c.opened_at = time(s, 32);
    l.opened_at = c.opened_at;
    c.last_tracked_at = time(s, 33);
    c.last_followed_by = text(s, 34);
    c.last_reminder_at = opt_time(s, 35);
    return c;
}

std::int64_t append_history(SQLite::Database& db, std::uint32_t serial, const case_action& a, std::string_view action,
                            std::string_view detail)
{
    SQLite::Statement s(db, "INSERT INTO case_history (case_serial, message_id, event_id, actor, action, detail, at)"
                            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, static_cast<std::int64_t>(serial));
    bind_value(s, 2, a.message_id);
    bind_value(s, 3, a.event_id);
    s.bind(4, a.actor);
    bind_text(s, 5, action);
    bind_text(s, 6, detail);
    bind_value(s, 7, a.at);
    s.exec();
    return db.getLastInsertRowid();
}

// Writes the machine's view of a case into its derived columns.
void write_life(SQLite::Database& db, std::uint32_t serial, const cases::child_case& l)
{
    SQLite::Statement s(db, "UPDATE cases SET state = ?1, state_before_lost = ?2, target = ?3, category = ?4,"
                            " work_status = ?5, school_status = ?6, outcome = ?7, outcome_at = ?8, last_tr_at = ?9,"
                            " work_reported_at = ?10, work_seen_at = ?11, planned_at = ?12, ever_planned = ?13,"
                            " dismiss_reason = ?14, close_reason = ?15, merged_into = ?16,"
                            " last_tracked_at = COALESCE(?9, opened_at) WHERE serial = ?17");
    // state_before_lost only ever names an open, non-lost state (the CHECK); reported otherwise.
    const cases::case_state before =
        cases::is_open(l.state_before_lost) && l.state_before_lost != cases::case_state::lost
            ? l.state_before_lost
            : cases::case_state::reported;
    bind_text(s, 1, cases::to_string(l.state));
    bind_text(s, 2, cases::to_string(before));
    bind_text(s, 3, cases::to_string(l.goal == cases::target::none ? cases::target::withdrawal : l.goal));
    s.bind(4, l.category);
    bind_text(s, 5, cases::to_string(l.work));
    bind_text(s, 6, cases::to_string(l.school));
    bind_text(s, 7, cases::to_string(l.result));
    bind_value(s, 8, l.outcome_at);
    bind_value(s, 9, l.last_tracked_at);
    bind_value(s, 10, l.work_reported_at);
    bind_value(s, 11, l.work_seen_at);
    bind_value(s, 12, l.planned_at);
    s.bind(13, l.ever_planned ? 1 : 0);
    s.bind(14, l.dismiss_reason);
    s.bind(15, l.close_reason);
    s.bind(16, l.merged_into);
    s.bind(17, static_cast<std::int64_t>(serial));
    s.exec();
}

std::vector<case_history_entry> history_of_serial(SQLite::Database& db, std::uint32_t serial)
{
    SQLite::Statement s(db, "SELECT id, case_serial, message_id, event_id, actor, action, detail, at"
                            " FROM case_history WHERE case_serial = ?1 ORDER BY id");
    s.bind(1, static_cast<std::int64_t>(serial));
    std::vector<case_history_entry> out;
    while (s.executeStep()) {
        case_history_entry h;
        h.id = s.getColumn(0).getInt64();
        h.case_serial = static_cast<std::uint32_t>(s.getColumn(1).getInt64());
        h.message_id = opt_int64(s, 2);
        h.event_id = opt_int64(s, 3);
        h.actor = text(s, 4);
        h.action = text(s, 5);
        h.detail = text(s, 6);
        h.at = time(s, 7);
        out.push_back(std::move(h));
    }
    return out;
}

// The case as its whole history makes it (the start is what its opening says).
cases::child_case replayed(const case_record& c, const std::vector<case_history_entry>& history)
{
    const cases::child_case start = cases::open_case(c.opened_form, c.opened_at, c.risk_reason);
    return cases::replay(start, machine_rows(history)).at_end;
}

// The last TR's codes and the last REF/SVC service, as the history gives them (undone rows left
// out): derived columns that the machine's view does not hold.
struct last_news {
    std::optional<std::string> status;
    std::optional<std::string> service;
};
last_news last_news_of(const std::vector<case_history_entry>& history)
{
    std::set<std::int64_t> undone;
    for (const auto& h : history)
        if (auto id = cases::undone_id({h.id, h.action, h.detail, h.at}))
            undone.insert(*id);
    last_news n;
    for (const auto& h : history) {
        if (undone.count(h.id) > 0)
            continue;
        if (h.action == "tracked")
            n.status = h.detail;
        else if (h.action == "referred" || h.action == "serviced")
            n.service = split_codes(h.detail).empty() ? h.detail : split_codes(h.detail).front();
    }
    return n;
}

void write_last_news(SQLite::Database& db, std::uint32_t serial, const last_news& n)
{
    SQLite::Statement s(db, "UPDATE cases SET last_status = ?1, last_service = ?2 WHERE serial = ?3");
    bind_value(s, 1, n.status);
    bind_value(s, 2, n.service);
    s.bind(3, static_cast<std::int64_t>(serial));
    s.exec();
}

// "NFE" / "NFE FAM": the service and whether it was for the family.
std::pair<std::string, bool> service_of(std::string_view detail)
{
    const std::vector<std::string> words = split_codes(detail);
    const bool family = words.size() > 1 && words[1] == "FAM";
    return {words.empty() ? std::string{} : words[0], family};
}

} // namespace

char sex_letter(parser::sex s) noexcept
{
    switch (s) {
    case parser::sex::boy: return 'B';
    case parser::sex::girl: return 'G';
    case parser::sex::unknown: return 'U';
    }
    return 'U';
}

case_opening make_case_opening(const parser::sms_message& report, std::int64_t event_id, std::int64_t message_id,
                               std::string opened_by, timestamp opened_at)
{
    case_opening o;
    if (const auto* s = std::get_if<parser::sighting>(&report.body)) {
        o.form = cases::opening::id;
        o.site = s->site;
        o.kids = s->kids;
        o.age_min = s->age_min;
        o.age_max = s->age_max;
        o.work = s->work;
        o.hazards = s->hazards;
    } else if (const auto* r = std::get_if<parser::risk_report>(&report.body)) {
        o.form = cases::opening::risk;
        o.site = r->site;
        o.kids = r->kids;
        o.age_min = r->age_min;
        o.age_max = r->age_max;
        o.risk_reason = r->reason;
    }
    o.sensitive = report.sensitive;
    o.event_id = event_id;
    o.message_id = message_id;
    o.opened_by = std::move(opened_by);
    o.opened_at = opened_at;
    return o;
}

result<std::vector<std::string>> open_cases(connection& db, const case_opening& o)
{
    std::vector<parser::sex> children;
    children.insert(children.end(), static_cast<std::size_t>(std::max(o.kids.boys, 0)), parser::sex::boy);
    children.insert(children.end(), static_cast<std::size_t>(std::max(o.kids.girls, 0)), parser::sex::girl);
    children.insert(children.end(), static_cast<std::size_t>(std::max(o.kids.unknown, 0)), parser::sex::unknown);
    std::vector<std::string> codes;
    if (children.empty())
        return codes;

    // Inside the caller's transaction the max cannot move under us; outside one (a CLI command),
    // the savepoint makes the reads and inserts one atomic step.
    savepoint sp(db, "open_cases");
    std::int64_t next = o.first_serial;
    {
        statement_use s(db.prepared("SELECT MAX(serial) FROM cases"));
        if (s->executeStep() && !s->isColumnNull(0))
            next = std::max<std::int64_t>(next, s->getColumn(0).getInt64() + 1);
    }
    // The serials, skipping those whose seven-digit code would end in 0 (parser::is_case_serial_used):
    // all or none of them fit.
    std::vector<std::uint32_t> serials;
    for (std::size_t i = 0; i < children.size(); ++i, ++next) {
        while (next <= parser::max_case_serial && !parser::is_case_serial_used(static_cast<std::uint32_t>(next)))
            ++next;
        if (next > parser::max_case_serial)
            return make_error_code(errc::case_serials_exhausted);
        serials.push_back(static_cast<std::uint32_t>(next));
    }

    const cases::child_case start = cases::open_case(o.form, o.opened_at, o.risk_reason);
    const std::string hazards = join_codes(o.hazards);
    const case_action opening{"", o.opened_by, o.message_id, o.event_id, o.opened_at};
    for (std::size_t i = 0; i < children.size(); ++i) {
        const parser::sex child = children[i];
        const std::uint32_t serial = serials[i];
        std::string code = parser::make_case_code(serial);
        {
            statement_use s(db.prepared(
                "INSERT INTO cases (serial, code, site, sex, age_min, age_max, opened_form, work, risk_reason, hazards,"
                " sensitive, target, work_status, school_status, opened_event_id, opened_message_id, opened_by,"
                " opened_at, last_tracked_at, last_followed_by)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18, ?17)"));
            s->bind(1, static_cast<std::int64_t>(serial));
            s->bind(2, code);
            s->bind(3, o.site);
            s->bind(4, std::string(1, sex_letter(child)));
            s->bind(5, o.age_min);
            s->bind(6, o.age_max);
            bind_text(*s, 7, cases::to_string(o.form));
            if (o.form == cases::opening::id)
                s->bind(8, o.work);
            else
                s->bind(8);
            if (o.form == cases::opening::risk)
                s->bind(9, o.risk_reason);
            else
                s->bind(9);
            s->bind(10, hazards);
            s->bind(11, o.sensitive ? 1 : 0);
            bind_text(*s, 12, cases::to_string(start.goal));
            bind_text(*s, 13, cases::to_string(start.work));
            bind_text(*s, 14, cases::to_string(start.school));
            s->bind(15, o.event_id);
            s->bind(16, o.message_id);
            s->bind(17, o.opened_by);
            bind_value(*s, 18, o.opened_at);
            s->exec();
        }
        append_history(db, serial, opening, "opened", o.site);
        codes.push_back(std::move(code));
    }
    sp.release();
    return codes;
}

result<case_record> find_case(connection& db, std::string_view code)
{
    statement_use s(db.prepared("SELECT " KHARUUL_CASE_COLUMNS " FROM cases WHERE code = ?1"));
    bind_text(*s, 1, code);
    if (!s->executeStep())
        return make_error_code(errc::unknown_case);
    return read_case(*s);
}

result<case_record> find_kept_case(connection& db, std::string_view code)
{
    auto c = find_case(db, code);
    // A merge always names an existing case that was not merged itself at that moment; the bound
    // guards against a cycle a hand-edited store could hold.
    for (int hops = 0; c && c->life.state == cases::case_state::merged && !c->life.merged_into.empty() && hops < 64;
         ++hops) {
        auto next = find_case(db, c->life.merged_into);
        if (!next)
            break;
        c = std::move(next);
    }
    return c;
}

std::vector<std::string> cases_reported_by(connection& db, std::string_view phone)
{
    statement_use s(db.prepared(
        "SELECT code FROM cases WHERE opened_by = ?1 UNION SELECT code FROM cases WHERE last_followed_by = ?1"
        " ORDER BY 1"));
    bind_text(*s, 1, phone);
    std::vector<std::string> out;
    while (s->executeStep())
        out.push_back(text(*s, 0));
    return out;
}

std::vector<std::string> cases_opened_by_message(connection& db, std::int64_t message_id)
{
    statement_use s(db.prepared("SELECT code FROM cases WHERE opened_message_id = ?1 ORDER BY serial"));
    s->bind(1, static_cast<std::int64_t>(message_id));
    std::vector<std::string> out;
    while (s->executeStep())
        out.push_back(text(*s, 0));
    return out;
}

int children_opened_since(connection& db, std::string_view phone, timestamp since)
{
    statement_use s(db.prepared("SELECT COUNT(*) FROM cases c JOIN messages m ON m.id = c.opened_message_id"
                                " WHERE c.opened_by = ?1 AND m.received_at >= ?2"));
    bind_text(*s, 1, phone);
    bind_value(*s, 2, since);
    return s->executeStep() ? s->getColumn(0).getInt() : 0;
}

result<case_record> save_change(connection& db, const case_action& a, const cases::change& ch)
{
    savepoint sp(db, "case_change");
    auto c = find_case(db, a.case_code);
    if (!c)
        return c;
    write_life(db, c->serial, ch.after);
    const std::int64_t history_id = append_history(db, c->serial, a, ch.history_action, ch.detail);
    if (ch.history_action == "tracked") {
        SQLite::Statement s(db, "UPDATE cases SET last_status = ?1, last_followed_by = ?2 WHERE serial = ?3");
        s.bind(1, ch.detail);
        s.bind(2, a.actor);
        s.bind(3, static_cast<std::int64_t>(c->serial));
        s.exec();
    } else if (ch.history_action == "referred" || ch.history_action == "serviced") {
        const auto [service, family] = service_of(ch.detail);
        SQLite::Statement s(db, "INSERT INTO case_services (case_serial, history_id, kind, service, for_family, actor,"
                                " message_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        s.bind(1, static_cast<std::int64_t>(c->serial));
        s.bind(2, history_id);
        s.bind(3, ch.history_action == "referred" ? "referral" : "service");
        s.bind(4, service);
        s.bind(5, family ? 1 : 0);
        s.bind(6, a.actor);
        bind_value(s, 7, a.message_id);
        bind_value(s, 8, a.at);
        s.exec();
        SQLite::Statement u(db, "UPDATE cases SET last_service = ?1, last_followed_by = ?2 WHERE serial = ?3");
        u.bind(1, service);
        u.bind(2, a.actor);
        u.bind(3, static_cast<std::int64_t>(c->serial));
        u.exec();
    } else {
        SQLite::Statement s(db, "UPDATE cases SET last_followed_by = ?1 WHERE serial = ?2");
        s.bind(1, a.actor);
        s.bind(2, static_cast<std::int64_t>(c->serial));
        s.exec();
    }
    auto after = find_case(db, a.case_code);
    sp.release();
    return after;
}

result<void> note_absorbed(connection& db, const case_action& a, std::string_view merged_code)
{
    auto c = find_case(db, a.case_code);
    if (!c)
        return c.error();
    append_history(db, c->serial, a, "absorbed", merged_code);
    return {};
}

std::vector<case_history_entry> case_history_of(connection& db, std::string_view code)
{
    auto c = find_case(db, code);
    if (!c)
        return {};
    return history_of_serial(db, c->serial);
}

std::vector<cases::history_row> machine_rows(const std::vector<case_history_entry>& history)
{
    std::vector<cases::history_row> rows;
    rows.reserve(history.size());
    for (const auto& h : history)
        rows.push_back({h.id, h.action, h.detail, h.at});
    return rows;
}

result<case_history_entry> undo_last_change(connection& db, const case_action& a, std::string_view why)
{
    savepoint sp(db, "case_undo");
    auto c = find_case(db, a.case_code);
    if (!c)
        return c.error();
    std::vector<case_history_entry> history = history_of_serial(db, c->serial);
    const auto last = cases::last_undoable(machine_rows(history));
    if (!last)
        return make_error_code(errc::nothing_to_undo);
    const case_history_entry undone =
        *std::find_if(history.begin(), history.end(), [&](const auto& h) { return h.id == *last; });
    append_history(db, c->serial, a, "undone", cases::undo_detail(*last, why));
    history = history_of_serial(db, c->serial);
    write_life(db, c->serial, replayed(*c, history));
    write_last_news(db, c->serial, last_news_of(history));
    // A merge undone: the kept case notes it too (its own counting never changed).
    if (undone.action == "merged")
        if (auto kept = find_case(db, undone.detail))
            append_history(db, kept->serial, a, "absorbed_undone", c->code);
    sp.release();
    return undone;
}

void recompute_all_cases(SQLite::Database& db)
{
    std::vector<case_record> all;
    {
        SQLite::Statement s(db, "SELECT " KHARUUL_CASE_COLUMNS " FROM cases ORDER BY serial");
        while (s.executeStep())
            all.push_back(read_case(s));
    }
    for (const auto& c : all) {
        const auto history = history_of_serial(db, c.serial);
        write_life(db, c.serial, replayed(c, history));
        write_last_news(db, c.serial, last_news_of(history));
    }
}

std::vector<service_record_entry> service_record_of(connection& db, std::string_view code)
{
    auto c = find_case(db, code);
    if (!c)
        return {};
    std::set<std::int64_t> undone;
    for (const auto& h : history_of_serial(db, c->serial))
        if (h.action == "undone")
            if (auto id = cases::undone_id({h.id, h.action, h.detail, h.at}))
                undone.insert(*id);
    SQLite::Statement s(db, "SELECT id, history_id, kind, service, for_family, actor, message_id, at"
                            " FROM case_services WHERE case_serial = ?1 ORDER BY id");
    s.bind(1, static_cast<std::int64_t>(c->serial));
    std::vector<service_record_entry> out;
    while (s.executeStep()) {
        service_record_entry e;
        e.id = s.getColumn(0).getInt64();
        e.history_id = s.getColumn(1).getInt64();
        e.referral = text(s, 2) == "referral";
        e.service = text(s, 3);
        e.family = s.getColumn(4).getInt() != 0;
        e.actor = text(s, 5);
        e.message_id = opt_int64(s, 6);
        e.at = time(s, 7);
        e.undone = undone.count(e.history_id) > 0;
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<case_record> cases_needing_reminder(connection& db, timestamp news_before, timestamp reminded_before)
{
    statement_use s(db.prepared("SELECT " KHARUUL_CASE_COLUMNS " FROM cases"
                                " WHERE state NOT IN ('dismissed', 'merged', 'closed')"
                                " AND last_tracked_at < ?1 AND (last_reminder_at IS NULL OR last_reminder_at < ?2)"
                                " ORDER BY last_tracked_at, serial"));
    bind_value(*s, 1, news_before);
    bind_value(*s, 2, reminded_before);
    return read_rows(*s, read_case);
}

result<void> mark_reminded(connection& db, std::string_view code, timestamp at)
{
    statement_use s(db.prepared("UPDATE cases SET last_reminder_at = ?1 WHERE code = ?2"));
    bind_value(*s, 1, at);
    bind_text(*s, 2, code);
    if (s->exec() == 0)
        return make_error_code(errc::unknown_case);
    return {};
}

std::vector<case_record> list_cases(connection& db, const case_filter& f)
{
    std::string sql = "SELECT " KHARUUL_CASE_COLUMNS " FROM cases c WHERE 1 = 1";
    if (f.site)
        sql += " AND c.site = :site";
    if (f.area)
        sql += " AND EXISTS (SELECT 1 FROM sites s WHERE s.code = c.site AND (s.area = :area OR"
               " substr(s.area, 1, length(:area) + 1) = :area || '/'))";
    if (f.states.empty()) {
        sql += " AND c.state NOT IN ('dismissed', 'merged', 'closed')";
    } else {
        sql += " AND c.state IN (";
        for (std::size_t i = 0; i < f.states.size(); ++i)
            sql += (i == 0 ? "'" : ", '") + std::string(cases::to_string(f.states[i])) + "'";
        sql += ")";
    }
    if (f.goal)
        sql += " AND c.target = :target";
    if (f.news_before)
        sql += " AND c.last_tracked_at < :before AND c.state NOT IN ('dismissed', 'merged', 'closed')";
    sql += " ORDER BY c.last_tracked_at, c.serial";
    SQLite::Statement s(db, sql);
    if (f.site)
        s.bind(":site", *f.site);
    if (f.area)
        s.bind(":area", *f.area);
    if (f.goal)
        s.bind(":target", std::string(cases::to_string(*f.goal)));
    if (f.news_before)
        s.bind(":before", to_unix_ms(*f.news_before));
    return read_rows(s, read_case);
}

std::vector<case_record> export_cases(connection& db, const time_range& range)
{
    return read_rows_in_range(db, "SELECT " KHARUUL_CASE_COLUMNS " FROM cases", "opened_at", range, "serial",
                              read_case);
}

} // namespace kharuul::store
