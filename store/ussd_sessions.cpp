#include "store/ussd_sessions.hpp"

#include "store/binding.hpp"

namespace kharuul::store {

using namespace binding;

namespace {

ussd_session_row read_session(const SQLite::Statement& s) {
    ussd_session_row r;
    r.channel = text(s, 0);
    r.session_id = text(s, 1);
    r.sender = text(s, 2);
    r.outcome = text(s, 3);
    r.why = opt_text(s, 4);
    r.step_name = text(s, 5);
    r.step = s.getColumn(6).getInt();
    r.form = opt_text(s, 7);
    r.steps = text(s, 8);
    r.resumed_from = opt_text(s, 9);
    r.message_id = opt_int64(s, 10);
    r.started_at = time(s, 11);
    r.ended_at = time(s, 12);
    r.provider_end = opt_text(s, 13);
    return r;
}

} // namespace

bool record_ussd_session(connection& db, const ussd_session_row& row) {
    statement_use s(db.prepared(
        "INSERT INTO ussd_sessions (channel, session_id, sender, outcome, why, step_name, step, form, steps, "
        "resumed_from, message_id, started_at, ended_at, provider_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14) ON CONFLICT (channel, session_id) DO NOTHING"));
    s->bind(1, row.channel);
    s->bind(2, row.session_id);
    s->bind(3, row.sender);
    s->bind(4, row.outcome);
    bind_value(*s, 5, row.why);
    s->bind(6, row.step_name);
    s->bind(7, row.step);
    bind_value(*s, 8, row.form);
    s->bind(9, row.steps);
    bind_value(*s, 10, row.resumed_from);
    bind_value(*s, 11, row.message_id);
    bind_value(*s, 12, row.started_at);
    bind_value(*s, 13, row.ended_at);
    bind_value(*s, 14, row.provider_end);
    return s->exec() > 0;
}

bool note_ussd_session_end(connection& db, std::string_view channel, std::string_view session_id,
                           std::string_view provider_end) {
    statement_use s(db.prepared("UPDATE ussd_sessions SET provider_end = ?3 WHERE channel = ?1 AND session_id = ?2"));
    bind_text(*s, 1, channel);
    bind_text(*s, 2, session_id);
    bind_text(*s, 3, provider_end);
    return s->exec() > 0;
}

std::vector<ussd_session_row> ussd_sessions_ended(connection& db, const time_range& range) {
    return read_rows_in_range(db,
                              "SELECT channel, session_id, sender, outcome, why, step_name, step, form, steps, "
                              "resumed_from, message_id, started_at, ended_at, provider_end FROM ussd_sessions",
                              "ended_at", range, "ended_at, id", read_session);
}

std::vector<std::string> abandoned_ussd_steps(connection& db, timestamp from, timestamp until) {
    SQLite::Statement s(db, "SELECT form, step_name FROM ussd_sessions AS u WHERE outcome = 'abandoned' "
                            "AND ended_at >= ?1 AND ended_at < ?2 AND NOT EXISTS (SELECT 1 FROM ussd_sessions AS r "
                            "WHERE r.channel = u.channel AND r.resumed_from = u.session_id AND r.ended_at < ?2) "
                            "ORDER BY ended_at, id");
    bind_value(s, 1, from);
    bind_value(s, 2, until);
    std::vector<std::string> out;
    while (s.executeStep()) {
        const auto form = opt_text(s, 0);
        out.push_back(form ? *form + "/" + text(s, 1) : text(s, 1));
    }
    return out;
}

} // namespace kharuul::store
