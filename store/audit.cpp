#include "store/audit.hpp"

#include "store/binding.hpp"

#include <string>

namespace kharuul::store {

using namespace binding;

std::int64_t append_audit(connection& db, const audit_entry& e) {
    statement_use s(db.prepared("INSERT INTO audit_log (at, actor, token_id, role, client, action, object, detail) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    bind_value(*s, 1, e.at);
    s->bind(2, e.actor);
    bind_value(*s, 3, e.token_id);
    bind_value(*s, 4, e.role);
    bind_value(*s, 5, e.client);
    s->bind(6, e.action);
    s->bind(7, e.object);
    bind_value(*s, 8, e.detail);
    s->exec();
    return db.getLastInsertRowid();
}

std::vector<audit_entry> list_audit(connection& db, const audit_filter& f) {
    std::string sql = "SELECT id, at, actor, token_id, role, client, action, object, detail FROM audit_log WHERE 1";
    if (f.range.since)
        sql += " AND at >= ?1";
    if (f.range.until)
        sql += " AND at < ?2";
    if (f.actor)
        sql += " AND actor = ?3";
    if (f.action)
        sql += " AND action = ?4";
    if (f.before)
        sql += " AND id < ?5";
    sql += " ORDER BY id DESC LIMIT ?6";
    SQLite::Statement s(db, sql);
    if (f.range.since)
        bind_value(s, 1, *f.range.since);
    if (f.range.until)
        bind_value(s, 2, *f.range.until);
    if (f.actor)
        s.bind(3, *f.actor);
    if (f.action)
        s.bind(4, *f.action);
    if (f.before)
        s.bind(5, *f.before);
    s.bind(6, static_cast<std::int64_t>(f.limit));
    std::vector<audit_entry> out;
    while (s.executeStep()) {
        audit_entry e;
        e.id = s.getColumn(0).getInt64();
        e.at = time(s, 1);
        e.actor = text(s, 2);
        e.token_id = opt_int64(s, 3);
        e.role = opt_text(s, 4);
        e.client = opt_text(s, 5);
        e.action = text(s, 6);
        e.object = text(s, 7);
        e.detail = opt_text(s, 8);
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace kharuul::store
