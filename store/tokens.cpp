#include "store/tokens.hpp"

#include "store/binding.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace kharuul::store {

using namespace binding;

namespace {

constexpr const char* columns =
    "SELECT id, label, role, team, hash, created_at, expires_at, revoked_at, last_used_at FROM api_tokens ";

token_record row_of(const SQLite::Statement& s) {
    token_record t;
    t.id = s.getColumn(0).getInt64();
    t.label = text(s, 1);
    t.role = text(s, 2);
    t.team = opt_text(s, 3);
    const SQLite::Column h = s.getColumn(4);
    if (h.getBytes() == static_cast<int>(t.hash.size()))
        std::memcpy(t.hash.data(), h.getBlob(), t.hash.size());
    t.created_at = time(s, 5);
    t.expires_at = time(s, 6);
    t.revoked_at = opt_time(s, 7);
    t.last_used_at = opt_time(s, 8);
    return t;
}

bool label_taken(connection& db, std::string_view label) {
    statement_use s(db.prepared("SELECT 1 FROM api_tokens WHERE label = ?1 AND revoked_at IS NULL"));
    bind_text(*s, 1, label);
    return s->executeStep();
}

} // namespace

result<std::int64_t> create_token(connection& db, const new_token& t) {
    if (label_taken(db, t.label))
        return errc::token_label_taken;
    statement_use s(db.prepared("INSERT INTO api_tokens (label, role, team, hash, created_at, expires_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    s->bind(1, t.label);
    s->bind(2, t.role);
    bind_value(*s, 3, t.team);
    s->bind(4, t.hash.data(), static_cast<int>(t.hash.size()));
    bind_value(*s, 5, t.created_at);
    bind_value(*s, 6, t.expires_at);
    s->exec();
    return db.getLastInsertRowid();
}

std::optional<token_record> find_token_by_hash(connection& db, const token_hash& hash, timestamp now) {
    statement_use s(db.prepared("SELECT id, label, role, team, hash, created_at, expires_at, revoked_at, "
                                "last_used_at FROM api_tokens WHERE hash = ?1 AND revoked_at IS NULL "
                                "AND expires_at > ?2"));
    s->bind(1, hash.data(), static_cast<int>(hash.size()));
    bind_value(*s, 2, now);
    if (!s->executeStep())
        return std::nullopt;
    return row_of(*s);
}

std::optional<token_record> find_token(connection& db, std::int64_t id) {
    statement_use s(db.prepared("SELECT id, label, role, team, hash, created_at, expires_at, revoked_at, "
                                "last_used_at FROM api_tokens WHERE id = ?1"));
    s->bind(1, id);
    if (!s->executeStep())
        return std::nullopt;
    return row_of(*s);
}

std::vector<token_record> list_tokens(connection& db) {
    SQLite::Statement s(db, std::string(columns) + "ORDER BY id");
    std::vector<token_record> out;
    while (s.executeStep())
        out.push_back(row_of(s));
    return out;
}

result<token_record> revoke_token(connection& db, std::string_view label_or_id, timestamp now) {
    std::optional<token_record> found;
    {
        statement_use s(db.prepared("SELECT id, label, role, team, hash, created_at, expires_at, revoked_at, "
                                    "last_used_at FROM api_tokens WHERE label = ?1 AND revoked_at IS NULL"));
        bind_text(*s, 1, label_or_id);
        if (s->executeStep())
            found = row_of(*s);
    }
    if (!found && !label_or_id.empty() &&
        std::all_of(label_or_id.begin(), label_or_id.end(), [](unsigned char c) { return std::isdigit(c); })) {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(label_or_id.data(), label_or_id.data() + label_or_id.size(), id);
        if (ec == std::errc{} && p == label_or_id.data() + label_or_id.size())
            if (auto t = find_token(db, id); t && !t->revoked_at)
                found = std::move(t);
    }
    if (!found)
        return errc::unknown_token;
    statement_use s(db.prepared("UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1"));
    s->bind(1, found->id);
    bind_value(*s, 2, now);
    s->exec();
    return *found;
}

void touch_token(connection& db, std::int64_t id, timestamp now) {
    statement_use s(db.prepared("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1"));
    s->bind(1, id);
    bind_value(*s, 2, now);
    s->exec();
}

} // namespace kharuul::store
