#include "store/alerts.hpp"

#include "store/binding.hpp"
#include "store/records.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace kharuul::store {
namespace {

using namespace binding;

constexpr std::array<std::string_view, 2> kind_names{"report", "tracking"};
constexpr std::array<std::string_view, 3> state_names{"open", "acknowledged", "closed"};
constexpr std::array<std::string_view, 3> role_names{"member", "leader", "coordinator"};

#define KHARUUL_ALERT_COLUMNS                                                                             \
    "id, kind, site, team_id, urgent, sensitive, boys, girls, unknown, age_min, age_max, work, hazards, " \
    "case_codes, tracking_status, reporter, message_id, event_id, created_at, state, acked_at, acked_by, " \
    "acked_message_id, level, repeats, leaders_told, coordinators_told, next_escalation_at, "             \
    "folded_children, last_report_at"

alert_record read_alert(const SQLite::Statement& s)
{
    alert_record a;
    a.id = s.getColumn(0).getInt64();
    a.kind = alert_kind_from(text(s, 1)).value_or(alert_kind::report);
    a.site = text(s, 2);
    a.team_id = opt_int64(s, 3);
    a.urgent = s.getColumn(4).getInt() != 0;
    a.sensitive = s.getColumn(5).getInt() != 0;
    a.boys = s.getColumn(6).getInt();
    a.girls = s.getColumn(7).getInt();
    a.unknown = s.getColumn(8).getInt();
    a.age_min = opt_int(s, 9);
    a.age_max = opt_int(s, 10);
    a.work = opt_text(s, 11);
    a.hazards = split_codes(text(s, 12));
    a.case_codes = split_codes(text(s, 13));
    a.tracking_status = opt_text(s, 14);
    a.reporter = text(s, 15);
    a.message_id = s.getColumn(16).getInt64();
    a.event_id = s.getColumn(17).getInt64();
    a.created_at = time(s, 18);
    a.state = alert_state_from(text(s, 19)).value_or(alert_state::open);
    a.acked_at = opt_time(s, 20);
    a.acked_by = opt_text(s, 21);
    a.acked_message_id = opt_int64(s, 22);
    a.escalation.level = s.getColumn(23).getInt();
    a.escalation.repeats = s.getColumn(24).getInt();
    a.escalation.leaders_told = s.getColumn(25).getInt() != 0;
    a.escalation.coordinators_told = s.getColumn(26).getInt() != 0;
    a.escalation.next_escalation_at = opt_time(s, 27);
    a.folded_children = s.getColumn(28).getInt();
    a.last_report_at = time(s, 29);
    return a;
}

// "report at ALT, urgent, sensitive, level 1"
std::string creation_detail(const new_alert& a)
{
    std::string d = std::string(to_string(a.kind)) + " at " + a.site;
    if (a.urgent)
        d += ", urgent";
    if (a.sensitive)
        d += ", sensitive";
    d += ", level " + std::to_string(a.escalation.level);
    return d;
}

} // namespace

std::string_view to_string(alert_kind k) noexcept { return kind_names[static_cast<std::size_t>(k)]; }
std::string_view to_string(alert_state s) noexcept { return state_names[static_cast<std::size_t>(s)]; }
std::string_view to_string(recipient_role r) noexcept { return role_names[static_cast<std::size_t>(r)]; }

std::optional<alert_kind> alert_kind_from(std::string_view s) noexcept
{
    return from_name<alert_kind>(kind_names, s);
}
std::optional<alert_state> alert_state_from(std::string_view s) noexcept
{
    return from_name<alert_state>(state_names, s);
}
std::optional<recipient_role> recipient_role_from(std::string_view s) noexcept
{
    return from_name<recipient_role>(role_names, s);
}

void append_alert_history(connection& db, std::int64_t alert_id, timestamp at, std::string_view what,
                          std::optional<std::string_view> phone, std::string_view detail,
                          std::optional<std::int64_t> outbox_id)
{
    statement_use s(db.prepared("INSERT INTO alert_history (alert_id, at, what, phone, detail, outbox_id)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    s->bind(1, alert_id);
    bind_value(*s, 2, at);
    bind_text(*s, 3, what);
    bind_value(*s, 4, phone);
    bind_text(*s, 5, detail);
    bind_value(*s, 6, outbox_id);
    s->exec();
}

std::int64_t create_alert(connection& db, const new_alert& a)
{
    savepoint sp(db, "create_alert");
    std::int64_t id = 0;
    {
        statement_use s(db.prepared(
            "INSERT INTO alerts (kind, site, team_id, urgent, sensitive, boys, girls, unknown, age_min, age_max,"
            " work, hazards, case_codes, tracking_status, reporter, message_id, event_id, created_at, level,"
            " repeats, leaders_told, coordinators_told, next_escalation_at, last_report_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
            " ?21, ?22, ?23, ?18)"));
        bind_text(*s, 1, to_string(a.kind));
        s->bind(2, a.site);
        bind_value(*s, 3, a.team_id);
        s->bind(4, a.urgent ? 1 : 0);
        s->bind(5, a.sensitive ? 1 : 0);
        s->bind(6, a.boys);
        s->bind(7, a.girls);
        s->bind(8, a.unknown);
        bind_value(*s, 9, a.age_min);
        bind_value(*s, 10, a.age_max);
        bind_value(*s, 11, a.work);
        s->bind(12, join_codes(a.hazards));
        s->bind(13, join_codes(a.case_codes));
        bind_value(*s, 14, a.tracking_status);
        s->bind(15, a.reporter);
        s->bind(16, a.message_id);
        s->bind(17, a.event_id);
        bind_value(*s, 18, a.created_at);
        s->bind(19, a.escalation.level);
        s->bind(20, a.escalation.repeats);
        s->bind(21, a.escalation.leaders_told ? 1 : 0);
        s->bind(22, a.escalation.coordinators_told ? 1 : 0);
        bind_value(*s, 23, a.escalation.next_escalation_at);
        s->exec();
        id = db.getLastInsertRowid();
    }
    append_alert_history(db, id, a.created_at, "created", a.reporter, creation_detail(a));
    sp.release();
    return id;
}

result<alert_record> find_alert(connection& db, std::int64_t id)
{
    statement_use s(db.prepared("SELECT " KHARUUL_ALERT_COLUMNS " FROM alerts WHERE id = ?1"));
    s->bind(1, id);
    if (!s->executeStep())
        return make_error_code(errc::unknown_alert);
    return read_alert(*s);
}

std::optional<alert_record> find_open_report_alert(connection& db, std::string_view site, timestamp since,
                                                   std::optional<bool> sensitive)
{
    statement_use s(db.prepared("SELECT " KHARUUL_ALERT_COLUMNS " FROM alerts WHERE site = ?1 AND state = 'open'"
                                " AND kind = 'report' AND last_report_at >= ?2 AND (?3 IS NULL OR sensitive = ?3)"
                                " ORDER BY last_report_at DESC, id DESC LIMIT 1"));
    bind_text(*s, 1, site);
    bind_value(*s, 2, since);
    if (sensitive)
        s->bind(3, *sensitive ? 1 : 0);
    else
        s->bind(3);
    if (!s->executeStep())
        return std::nullopt;
    return read_alert(*s);
}

result<alert_record> fold_into_alert(connection& db, std::int64_t id, int extra_children,
                                     const std::vector<std::string>& case_codes, std::int64_t message_id,
                                     timestamp at)
{
    savepoint sp(db, "fold_into_alert");
    const std::string codes = join_codes(case_codes);
    {
        // The codes are appended with one space between, whether or not the alert had any.
        statement_use s(db.prepared("UPDATE alerts SET folded_children = folded_children + ?1,"
                                    " case_codes = TRIM(case_codes || ' ' || ?2), last_report_at = ?3"
                                    " WHERE id = ?4"));
        s->bind(1, extra_children);
        s->bind(2, codes);
        bind_value(*s, 3, at);
        s->bind(4, id);
        if (s->exec() == 0)
            return make_error_code(errc::unknown_alert);
    }
    std::string detail = "+" + std::to_string(extra_children) + " children";
    if (!codes.empty())
        detail += "; cases " + codes;
    detail += "; message " + std::to_string(message_id);
    append_alert_history(db, id, at, "folded", std::nullopt, detail);
    auto after = find_alert(db, id);
    sp.release();
    return after;
}

void add_alert_recipient(connection& db, std::int64_t alert_id, const alert_recipient& r)
{
    savepoint sp(db, "add_alert_recipient");
    const bool again = is_alert_recipient(db, alert_id, r.phone);
    {
        statement_use s(db.prepared(
            "INSERT INTO alert_recipients (alert_id, phone, name, role, lang, level, told_at, outbox_id)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (alert_id, phone) DO UPDATE SET"
            " name = excluded.name, role = excluded.role, lang = excluded.lang, level = excluded.level,"
            " told_at = excluded.told_at, outbox_id = excluded.outbox_id"));
        s->bind(1, alert_id);
        s->bind(2, r.phone);
        s->bind(3, r.name);
        bind_text(*s, 4, to_string(r.role));
        s->bind(5, r.lang);
        s->bind(6, r.level);
        bind_value(*s, 7, r.told_at);
        bind_value(*s, 8, r.outbox_id);
        s->exec();
    }
    std::string detail = std::string(to_string(r.role)) + ", level " + std::to_string(r.level);
    if (again)
        detail += ", again";
    append_alert_history(db, alert_id, r.told_at, "told", r.phone, detail, r.outbox_id);
    sp.release();
}

std::vector<alert_recipient> alert_recipients(connection& db, std::int64_t alert_id)
{
    statement_use s(db.prepared("SELECT phone, name, role, lang, level, told_at, outbox_id FROM alert_recipients"
                                " WHERE alert_id = ?1 ORDER BY rowid"));
    s->bind(1, alert_id);
    std::vector<alert_recipient> out;
    while (s->executeStep()) {
        alert_recipient r;
        r.phone = text(*s, 0);
        r.name = text(*s, 1);
        r.role = recipient_role_from(text(*s, 2)).value_or(recipient_role::member);
        r.lang = text(*s, 3);
        r.level = s->getColumn(4).getInt();
        r.told_at = time(*s, 5);
        r.outbox_id = opt_int64(*s, 6);
        out.push_back(std::move(r));
    }
    return out;
}

bool is_alert_recipient(connection& db, std::int64_t alert_id, std::string_view phone)
{
    statement_use s(db.prepared("SELECT 1 FROM alert_recipients WHERE alert_id = ?1 AND phone = ?2"));
    s->bind(1, alert_id);
    bind_text(*s, 2, phone);
    return s->executeStep();
}

result<alert_record> acknowledge_alert(connection& db, std::int64_t id, std::string_view phone,
                                       std::optional<std::int64_t> message_id, timestamp at)
{
    savepoint sp(db, "acknowledge_alert");
    {
        auto before = find_alert(db, id);
        if (!before)
            return before;
        if (before->state == alert_state::acknowledged)
            return make_error_code(errc::alert_already_acknowledged);
    }
    {
        statement_use s(db.prepared("UPDATE alerts SET state = 'acknowledged', acked_at = ?1, acked_by = ?2,"
                                    " acked_message_id = ?3, next_escalation_at = NULL WHERE id = ?4"));
        bind_value(*s, 1, at);
        bind_text(*s, 2, phone);
        bind_value(*s, 3, message_id);
        s->bind(4, id);
        s->exec();
    }
    append_alert_history(db, id, at, "acknowledged", phone,
                         message_id ? "message " + std::to_string(*message_id) : std::string());
    auto after = find_alert(db, id);
    sp.release();
    return after;
}

result<alert_record> update_alert_escalation(connection& db, std::int64_t id, const alert_escalation& step,
                                             alert_state state, timestamp at, std::string_view what,
                                             std::string_view detail)
{
    if (state == alert_state::acknowledged)
        throw std::invalid_argument("an escalation step leaves an alert open or closed; ACK is acknowledge_alert");
    savepoint sp(db, "update_alert_escalation");
    {
        auto before = find_alert(db, id);
        if (!before)
            return before;
        if (before->state == alert_state::acknowledged)
            return make_error_code(errc::alert_already_acknowledged);
        if (before->state == alert_state::closed)
            return make_error_code(errc::alert_closed);
    }
    {
        statement_use s(db.prepared("UPDATE alerts SET level = ?1, repeats = ?2, leaders_told = ?3,"
                                    " coordinators_told = ?4, next_escalation_at = ?5, state = ?6 WHERE id = ?7"));
        s->bind(1, step.level);
        s->bind(2, step.repeats);
        s->bind(3, step.leaders_told ? 1 : 0);
        s->bind(4, step.coordinators_told ? 1 : 0);
        bind_value(*s, 5, step.next_escalation_at);
        bind_text(*s, 6, to_string(state));
        s->bind(7, id);
        s->exec();
    }
    append_alert_history(db, id, at, what, std::nullopt, detail);
    auto after = find_alert(db, id);
    sp.release();
    return after;
}

std::vector<alert_record> alerts_due(connection& db, timestamp now, std::size_t limit)
{
    statement_use s(db.prepared("SELECT " KHARUUL_ALERT_COLUMNS " FROM alerts WHERE state = 'open'"
                                " AND next_escalation_at <= ?1 ORDER BY next_escalation_at, id LIMIT ?2"));
    bind_value(*s, 1, now);
    s->bind(2, static_cast<std::int64_t>(limit));
    return read_rows(*s, read_alert);
}

std::optional<std::uint64_t> alert_of_message(connection& db, std::int64_t message_id) {
    statement_use s(db.prepared(
        "SELECT id FROM alerts WHERE message_id = ?1 OR (' ' || case_codes || ' ') LIKE "
        "'% ' || (SELECT code FROM cases WHERE opened_message_id = ?1 ORDER BY serial LIMIT 1) || ' %' ORDER BY id LIMIT 1"));
    s->bind(1, static_cast<std::int64_t>(message_id));
    if (!s->executeStep())
        return std::nullopt;
    return static_cast<std::uint64_t>(s->getColumn(0).getInt64());
}

std::optional<timestamp> next_alert_due(connection& db)
{
    statement_use s(db.prepared("SELECT MIN(next_escalation_at) FROM alerts WHERE state = 'open'"));
    if (!s->executeStep())
        return std::nullopt;
    return opt_time(*s, 0);
}

std::vector<alert_history_entry> alert_history(connection& db, std::int64_t alert_id)
{
    statement_use s(db.prepared("SELECT id, alert_id, at, what, phone, detail, outbox_id FROM alert_history"
                                " WHERE alert_id = ?1 ORDER BY id"));
    s->bind(1, alert_id);
    std::vector<alert_history_entry> out;
    while (s->executeStep()) {
        alert_history_entry h;
        h.id = s->getColumn(0).getInt64();
        h.alert_id = s->getColumn(1).getInt64();
        h.at = time(*s, 2);
        h.what = text(*s, 3);
        h.phone = opt_text(*s, 4);
        h.detail = text(*s, 5);
        h.outbox_id = opt_int64(*s, 6);
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<alert_record> open_alerts(connection& db)
{
    statement_use s(db.prepared("SELECT " KHARUUL_ALERT_COLUMNS " FROM alerts WHERE state = 'open' ORDER BY id"));
    return read_rows(*s, read_alert);
}

std::int64_t count_open_alerts(connection& db)
{
    statement_use s(db.prepared("SELECT COUNT(*) FROM alerts WHERE state = 'open'"));
    s->executeStep();
    return s->getColumn(0).getInt64();
}

std::vector<alert_record> export_alerts(connection& db, const time_range& range)
{
    return read_rows_in_range(db, "SELECT " KHARUUL_ALERT_COLUMNS " FROM alerts", "created_at", range, "id",
                              read_alert);
}

} // namespace kharuul::store
