#include "store/message_log.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace kharuul::store {
namespace {

// `column` matches the phone: `= :phone`, or for digits its last characters are them.
std::string phone_clause(std::string_view column, const phone_match& p)
{
    const std::string c(column);
    return p.ending ? "substr(" + c + ", -length(:phone)) = :phone" : c + " = :phone";
}

void bind_range(SQLite::Statement& s, const time_range& r)
{
    if (r.since)
        s.bind(":since", to_unix_ms(*r.since));
    if (r.until)
        s.bind(":until", to_unix_ms(*r.until));
}

std::string range_clause(std::string_view column, const time_range& r)
{
    std::string sql;
    if (r.since)
        sql += " AND " + std::string(column) + " >= :since";
    if (r.until)
        sql += " AND " + std::string(column) + " < :until";
    return sql;
}

std::vector<std::int64_t> ids_of(SQLite::Statement& s)
{
    std::vector<std::int64_t> ids;
    while (s.executeStep())
        ids.push_back(s.getColumn(0).getInt64());
    return ids;
}

} // namespace

std::vector<message_record> query_messages(connection& db, const message_filter& f)
{
    // With a site, a message counts when its event names the site, or, having no event, when its
    // text names it as the parser reads it. The parser is no SQL function: the candidates in the
    // range (after the other filters) are read newest first and parsed in turn until `limit` are
    // kept, so the work is bounded by the range and the limit (a --since keeps a long season
    // quick), and a message with an event is judged by its event alone.
    std::string sql = "SELECT m.id, m.text";
    if (f.site)
        sql += ", EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id AND e.site = :site),"
               " EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id)";
    sql += " FROM messages m WHERE 1 = 1";
    if (f.phone)
        sql += " AND (" + phone_clause("m.sender", *f.phone) + " OR " + phone_clause("m.recipient", *f.phone) + ")";
    if (f.site && !f.site_of_text)
        sql += " AND EXISTS (SELECT 1 FROM events e WHERE e.message_id = m.id AND e.site = :site)";
    if (f.form)
        sql += " AND m.form = :form";
    if (f.status)
        sql += " AND m.status = :status";
    sql += range_clause("m.received_at", {f.since, f.until});
    if (f.before_id)
        sql += " AND m.id < :before";
    if (f.after_id)
        sql += " AND m.id > :after";
    sql += f.after_id ? " ORDER BY m.id ASC"
           : f.by_id || f.before_id ? " ORDER BY m.id DESC"
                                    : " ORDER BY m.received_at DESC, m.id DESC";
    const bool parsing = f.site && f.site_of_text;
    if (!parsing)
        sql += " LIMIT :limit";

    SQLite::Statement s(db, sql);
    if (f.phone)
        s.bind(":phone", f.phone->number);
    if (f.site)
        s.bind(":site", *f.site);
    if (f.form)
        s.bind(":form", std::string(parser::canonical_keyword(*f.form)));
    if (f.status)
        s.bind(":status", std::string(to_string(*f.status)));
    bind_range(s, {f.since, f.until});
    if (f.before_id)
        s.bind(":before", *f.before_id);
    if (f.after_id)
        s.bind(":after", *f.after_id);
    if (!parsing)
        s.bind(":limit", static_cast<std::int64_t>(f.limit));

    std::vector<std::int64_t> ids;
    while (ids.size() < f.limit && s.executeStep()) {
        if (parsing) {
            const bool at_site = s.getColumn(2).getInt() != 0, has_event = s.getColumn(3).getInt() != 0;
            if (!at_site && (has_event || f.site_of_text(s.getColumn(1).getString()) != *f.site))
                continue;
        }
        ids.push_back(s.getColumn(0).getInt64());
    }
    s.reset();
    std::vector<message_record> out;
    out.reserve(ids.size());
    for (const std::int64_t id : ids)
        if (auto m = find_message(db, id))
            out.push_back(std::move(*m));
    return out;
}

std::vector<std::int64_t> query_alert_ids(connection& db, const alert_filter& f)
{
    std::string sql = "SELECT id FROM alerts WHERE 1 = 1" + range_clause("created_at", f.range);
    if (f.site)
        sql += " AND site = :site";
    if (f.state)
        sql += " AND state = :state";
    if (f.phone)
        sql += " AND (" + phone_clause("reporter", *f.phone) + " OR " + phone_clause("acked_by", *f.phone) +
               " OR id IN (SELECT alert_id FROM alert_recipients WHERE " + phone_clause("phone", *f.phone) + "))";
    if (f.before_id)
        sql += " AND id < :before";
    sql += f.before_id ? " ORDER BY id DESC LIMIT :limit" : " ORDER BY created_at DESC, id DESC LIMIT :limit";
    SQLite::Statement s(db, sql);
    bind_range(s, f.range);
    if (f.site)
        s.bind(":site", *f.site);
    if (f.state)
        s.bind(":state", *f.state);
    if (f.phone)
        s.bind(":phone", f.phone->number);
    if (f.before_id)
        s.bind(":before", *f.before_id);
    s.bind(":limit", static_cast<std::int64_t>(f.limit));
    return ids_of(s);
}

std::vector<std::int64_t> query_outbox_ids(connection& db, const outbox_filter& f)
{
    std::string sql = "SELECT id FROM outbox WHERE 1 = 1" + range_clause("created_at", f.range);
    if (f.phone)
        sql += " AND " + phone_clause("recipient", *f.phone);
    if (f.state)
        sql += " AND state = :state";
    if (f.before_id)
        sql += " AND id < :before";
    sql += f.before_id ? " ORDER BY id DESC LIMIT :limit" : " ORDER BY created_at DESC, id DESC LIMIT :limit";
    SQLite::Statement s(db, sql);
    bind_range(s, f.range);
    if (f.phone)
        s.bind(":phone", f.phone->number);
    if (f.state)
        s.bind(":state", *f.state);
    if (f.before_id)
        s.bind(":before", *f.before_id);
    s.bind(":limit", static_cast<std::int64_t>(f.limit));
    return ids_of(s);
}

std::vector<std::int64_t> outbox_ids_of_alert(connection& db, std::int64_t alert_id)
{
    SQLite::Statement s(db, "SELECT id FROM outbox WHERE alert_id = ?1 ORDER BY id");
    s.bind(1, alert_id);
    return ids_of(s);
}

std::vector<std::string> numbers_matching(connection& db, const phone_match& p)
{
    const std::string sql = "SELECT sender FROM messages WHERE " + phone_clause("sender", p) +
                            " UNION SELECT recipient FROM messages WHERE " + phone_clause("recipient", p) +
                            " UNION SELECT phone FROM reporters WHERE " + phone_clause("phone", p) +
                            " UNION SELECT phone FROM team_members WHERE " + phone_clause("phone", p) +
                            " UNION SELECT phone FROM coordinators WHERE " + phone_clause("phone", p) +
                            " ORDER BY 1";
    SQLite::Statement s(db, sql);
    s.bind(":phone", p.number);
    std::vector<std::string> out;
    while (s.executeStep())
        out.push_back(s.getColumn(0).getString());
    return out;
}

} // namespace kharuul::store
