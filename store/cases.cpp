#include "store/cases.hpp"

#include "store/binding.hpp"
#include "store/records.hpp"

#include "parser/case_code.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <variant>

namespace kharuul::store {
namespace {

using namespace binding;

constexpr std::array<std::string_view, 4> state_names{"reported", "confirmed", "not_confirmed", "closed"};
constexpr std::array<std::string_view, 3> work_names{"working", "not_working", "unknown"};
constexpr std::array<std::string_view, 5> school_names{"school", "nfe", "kg", "none", "unknown"};

parser::sex sex_from_letter(std::string_view s) noexcept
{
    if (s == "B")
        return parser::sex::boy;
    if (s == "G")
        return parser::sex::girl;
    return parser::sex::unknown;
}

#define KHARUUL_CASE_COLUMNS                                                                              \
    "serial, code, site, sex, age_min, age_max, work, hazards, sensitive, state, work_status, "           \
    "school_status, last_status, last_service, verified_status, verified_at, close_reason, "              \
    "opened_event_id, opened_by, opened_at, last_tracked_at, last_followed_by, last_reminder_at"

case_record read_case(const SQLite::Statement& s)
{
    case_record c;
    c.serial = static_cast<std::uint32_t>(s.getColumn(0).getInt64());
    c.code = text(s, 1);
    c.site = text(s, 2);
    c.sex = sex_from_letter(text(s, 3));
    c.age_min = s.getColumn(4).getInt();
    c.age_max = s.getColumn(5).getInt();
    c.work = text(s, 6);
    c.hazards = split_codes(text(s, 7));
    c.sensitive = s.getColumn(8).getInt() != 0;
    c.state = from_name<case_state>(state_names, text(s, 9)).value_or(case_state::reported);
    c.work_state = from_name<work_status>(work_names, text(s, 10)).value_or(work_status::unknown);
    c.school_state = from_name<school_status>(school_names, text(s, 11)).value_or(school_status::unknown);
    c.last_status = opt_text(s, 12);
    c.last_service = opt_text(s, 13);
    c.verified_status = opt_text(s, 14);
    c.verified_at = opt_time(s, 15);
    c.close_reason = opt_text(s, 16);
    c.opened_event_id = s.getColumn(17).getInt64();
    c.opened_by = text(s, 18);
    c.opened_at = time(s, 19);
    c.last_tracked_at = time(s, 20);
    c.last_followed_by = text(s, 21);
    c.last_reminder_at = opt_time(s, 22);
    return c;
}

void append_history(connection& db, std::uint32_t serial, const case_action& a, std::string_view action,
                    std::string_view detail)
{
    statement_use s(db.prepared("INSERT INTO case_history (case_serial, message_id, event_id, actor, action, detail, at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    s->bind(1, static_cast<std::int64_t>(serial));
    bind_value(*s, 2, a.message_id);
    bind_value(*s, 3, a.event_id);
    s->bind(4, a.actor);
    bind_text(*s, 5, action);
    bind_text(*s, 6, detail);
    bind_value(*s, 7, a.at);
    s->exec();
}

// Finds the case and refuses a closed one; the shared first step of every apply_*.
result<case_record> open_case_for_change(connection& db, std::string_view code)
{
    auto c = find_case(db, code);
    if (!c)
        return c;
    if (c->state == case_state::closed)
        return make_error_code(errc::case_closed);
    return c;
}

} // namespace

std::string_view to_string(case_state s) noexcept { return state_names[static_cast<std::size_t>(s)]; }
std::string_view to_string(work_status s) noexcept { return work_names[static_cast<std::size_t>(s)]; }
std::string_view to_string(school_status s) noexcept { return school_names[static_cast<std::size_t>(s)]; }

char sex_letter(parser::sex s) noexcept
{
    switch (s) {
    case parser::sex::boy: return 'B';
    case parser::sex::girl: return 'G';
    case parser::sex::unknown: return 'U';
    }
    return 'U';
}

case_opening make_case_opening(const parser::sms_message& id_report, std::int64_t event_id,
                               std::int64_t message_id, std::string opened_by, timestamp opened_at)
{
    case_opening o;
    if (const auto* s = std::get_if<parser::sighting>(&id_report.body)) {
        o.site = s->site;
        o.kids = s->kids;
        o.age_min = s->age_min;
        o.age_max = s->age_max;
        o.work = s->work;
        o.hazards = s->hazards;
    }
    o.sensitive = id_report.sensitive;
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
    if (next + static_cast<std::int64_t>(children.size()) - 1 > parser::max_case_serial)
        return make_error_code(errc::case_serials_exhausted);

    const std::string hazards = join_codes(o.hazards);
    const case_action opening{"", o.opened_by, o.message_id, o.event_id, o.opened_at};
    for (const parser::sex child : children) {
        const auto serial = static_cast<std::uint32_t>(next++);
        std::string code = parser::make_case_code(serial);
        {
            statement_use s(db.prepared(
                "INSERT INTO cases (serial, code, site, sex, age_min, age_max, work, hazards, sensitive,"
                " opened_event_id, opened_by, opened_at, last_tracked_at, last_followed_by)"
                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?11)"));
            s->bind(1, static_cast<std::int64_t>(serial));
            s->bind(2, code);
            s->bind(3, o.site);
            s->bind(4, std::string(1, sex_letter(child)));
            s->bind(5, o.age_min);
            s->bind(6, o.age_max);
            s->bind(7, o.work);
            s->bind(8, hazards);
            s->bind(9, o.sensitive ? 1 : 0);
            s->bind(10, o.event_id);
            s->bind(11, o.opened_by);
            bind_value(*s, 12, o.opened_at);
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

tracking_effect tracking_effect_of(std::string_view status) noexcept
{
    if (status == "SCH")
        return {std::nullopt, school_status::school};
    if (status == "NFE")
        return {std::nullopt, school_status::nfe};
    if (status == "KG")
        return {std::nullopt, school_status::kg};
    if (status == "HOME")
        return {work_status::not_working, std::nullopt};
    if (status == "WORK")
        return {work_status::working, std::nullopt};
    if (status == "MOVED" || status == "MISS")
        return {work_status::unknown, school_status::unknown};
    return {};
}

// The frame every change to a case shares, in one savepoint: the case must exist and be open;
// `update(case)` writes the derived columns and returns the history row's action and detail;
// exactly one history row is appended; the case is returned as it is afterwards.
template <class Update>
result<case_record> change_case(connection& db, const case_action& a, Update update)
{
    savepoint sp(db, "case_change");
    auto c = open_case_for_change(db, a.case_code);
    if (!c)
        return c;
    const auto [action, detail] = update(*c);
    append_history(db, c->serial, a, action, detail);
    auto after = find_case(db, a.case_code);
    sp.release();
    return after;
}

result<case_record> apply_tracking(connection& db, const case_action& a, std::string_view status)
{
    return change_case(db, a, [&](const case_record& c) {
        const tracking_effect effect = tracking_effect_of(status);
        {
            statement_use s(db.prepared("UPDATE cases SET last_status = ?1, work_status = COALESCE(?2, work_status),"
                                        " school_status = COALESCE(?3, school_status), last_tracked_at = ?4,"
                                        " last_followed_by = ?5 WHERE serial = ?6"));
            bind_text(*s, 1, status);
            if (effect.work)
                bind_text(*s, 2, to_string(*effect.work));
            else
                s->bind(2);
            if (effect.school)
                bind_text(*s, 3, to_string(*effect.school));
            else
                s->bind(3);
            bind_value(*s, 4, a.at);
            s->bind(5, a.actor);
            s->bind(6, static_cast<std::int64_t>(c.serial));
            s->exec();
        }
        return std::pair<std::string_view, std::string_view>{"tracked", status};
    });
}

result<case_record> apply_referral(connection& db, const case_action& a, std::string_view service)
{
    return change_case(db, a, [&](const case_record& c) {
        {
            statement_use s(db.prepared("UPDATE cases SET last_service = ?1, last_followed_by = ?2 WHERE serial = ?3"));
            bind_text(*s, 1, service);
            s->bind(2, a.actor);
            s->bind(3, static_cast<std::int64_t>(c.serial));
            s->exec();
        }
        return std::pair<std::string_view, std::string_view>{"referred", service};
    });
}

result<case_record> apply_verification(connection& db, const case_action& a, bool confirmed)
{
    return change_case(db, a, [&](const case_record& c) {
        const std::string last = c.last_status.value_or("");
        std::string_view action;
        if (confirmed) {
            statement_use s(db.prepared("UPDATE cases SET state = 'confirmed', verified_status = last_status,"
                                        " verified_at = ?1 WHERE serial = ?2"));
            bind_value(*s, 1, a.at);
            s->bind(2, static_cast<std::int64_t>(c.serial));
            s->exec();
            action = "verified";
        } else if (c.state == case_state::confirmed && c.last_status) {
            statement_use s(db.prepared("UPDATE cases SET verified_status = NULL, verified_at = ?1 WHERE serial = ?2"));
            bind_value(*s, 1, a.at);
            s->bind(2, static_cast<std::int64_t>(c.serial));
            s->exec();
            action = "status_not_confirmed";
        } else {
            statement_use s(db.prepared("UPDATE cases SET state = 'not_confirmed', verified_at = ?1 WHERE serial = ?2"));
            bind_value(*s, 1, a.at);
            s->bind(2, static_cast<std::int64_t>(c.serial));
            s->exec();
            action = "not_confirmed";
        }
        return std::pair<std::string_view, std::string>{action, last};
    });
}

result<case_record> apply_closure(connection& db, const case_action& a, std::string_view reason)
{
    return change_case(db, a, [&](const case_record& c) {
        {
            statement_use s(db.prepared("UPDATE cases SET state = 'closed', close_reason = ?1 WHERE serial = ?2"));
            bind_text(*s, 1, reason);
            s->bind(2, static_cast<std::int64_t>(c.serial));
            s->exec();
        }
        return std::pair<std::string_view, std::string_view>{"closed", reason};
    });
}

std::vector<case_history_entry> case_history_of(connection& db, std::string_view code)
{
    statement_use s(db.prepared(
        "SELECT h.id, h.case_serial, h.message_id, h.event_id, h.actor, h.action, h.detail, h.at"
        " FROM case_history h JOIN cases c ON c.serial = h.case_serial WHERE c.code = ?1 ORDER BY h.id"));
    bind_text(*s, 1, code);
    std::vector<case_history_entry> out;
    while (s->executeStep()) {
        case_history_entry h;
        h.id = s->getColumn(0).getInt64();
        h.case_serial = static_cast<std::uint32_t>(s->getColumn(1).getInt64());
        h.message_id = opt_int64(*s, 2);
        h.event_id = opt_int64(*s, 3);
        h.actor = text(*s, 4);
        h.action = text(*s, 5);
        h.detail = text(*s, 6);
        h.at = time(*s, 7);
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<case_record> cases_without_news_since(connection& db, timestamp before)
{
    statement_use s(db.prepared("SELECT " KHARUUL_CASE_COLUMNS " FROM cases WHERE state <> 'closed'"
                                " AND last_tracked_at < ?1 ORDER BY last_tracked_at, serial"));
    bind_value(*s, 1, before);
    return read_rows(*s, read_case);
}

std::vector<case_record> cases_needing_reminder(connection& db, timestamp news_before, timestamp reminded_before)
{
    statement_use s(db.prepared("SELECT " KHARUUL_CASE_COLUMNS " FROM cases WHERE state <> 'closed'"
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

std::vector<case_record> export_cases(connection& db, const time_range& range)
{
    return read_rows_in_range(db, "SELECT " KHARUUL_CASE_COLUMNS " FROM cases", "opened_at", range, "serial",
                              read_case);
}

} // namespace kharuul::store
