// Internal to store/: binding optional values to statement parameters and reading nullable
// columns back, so that every NULL in the schema is a std::optional in the structs; reading
// enumerators back from their stored names, and whole result sets into vectors.
#pragma once

#include "store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kharuul::store::binding {

inline void bind_text(SQLite::Statement& s, int index, std::string_view v)
{
    s.bind(index, std::string(v));
}

inline void bind_value(SQLite::Statement& s, int index, const std::optional<std::string>& v)
{
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

inline void bind_value(SQLite::Statement& s, int index, const std::optional<int>& v)
{
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

inline void bind_value(SQLite::Statement& s, int index, const std::optional<std::int64_t>& v)
{
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

inline void bind_value(SQLite::Statement& s, int index, const std::optional<timestamp>& v)
{
    if (v)
        s.bind(index, to_unix_ms(*v));
    else
        s.bind(index);
}

inline void bind_value(SQLite::Statement& s, int index, timestamp v) { s.bind(index, to_unix_ms(v)); }

inline void bind_value(SQLite::Statement& s, int index, const std::optional<std::string_view>& v)
{
    if (v)
        bind_text(s, index, *v);
    else
        s.bind(index);
}

inline std::string text(const SQLite::Statement& s, int column) { return s.getColumn(column).getString(); }

inline std::optional<std::string> opt_text(const SQLite::Statement& s, int column)
{
    if (s.isColumnNull(column))
        return std::nullopt;
    return s.getColumn(column).getString();
}

inline std::optional<int> opt_int(const SQLite::Statement& s, int column)
{
    if (s.isColumnNull(column))
        return std::nullopt;
    return s.getColumn(column).getInt();
}

inline std::optional<std::int64_t> opt_int64(const SQLite::Statement& s, int column)
{
    if (s.isColumnNull(column))
        return std::nullopt;
    return s.getColumn(column).getInt64();
}

inline timestamp time(const SQLite::Statement& s, int column) { return from_unix_ms(s.getColumn(column).getInt64()); }

inline std::optional<timestamp> opt_time(const SQLite::Statement& s, int column)
{
    if (s.isColumnNull(column))
        return std::nullopt;
    return from_unix_ms(s.getColumn(column).getInt64());
}

// The enumerator stored as `s`, where `names` lists the names in enumerator order; nullopt for a
// name not in the list.
template <class E, std::size_t N>
std::optional<E> from_name(const std::array<std::string_view, N>& names, std::string_view s) noexcept
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s)
            return static_cast<E>(i);
    return std::nullopt;
}

// Every row `s` has left, each made by `read_row`. Throws SQLite::Exception as executeStep does.
template <class Read>
auto read_rows(SQLite::Statement& s, Read read_row)
{
    std::vector<std::invoke_result_t<Read&, const SQLite::Statement&>> out;
    while (s.executeStep())
        out.push_back(read_row(s));
    return out;
}

// The rows of `select` (a SELECT ... FROM with no WHERE) whose `column` lies in `range`, ordered by
// `order_by`, each made by `read_row`: for the exports, which run once and so are not cached.
template <class Read>
auto read_rows_in_range(SQLite::Database& db, std::string_view select, std::string_view column,
                        const time_range& range, std::string_view order_by, Read read_row)
{
    std::string sql(select);
    sql += " WHERE 1 = 1";
    std::vector<std::int64_t> values;
    if (range.since) {
        sql.append(" AND ").append(column).append(" >= ?");
        values.push_back(to_unix_ms(*range.since));
    }
    if (range.until) {
        sql.append(" AND ").append(column).append(" < ?");
        values.push_back(to_unix_ms(*range.until));
    }
    sql.append(" ORDER BY ").append(order_by);
    SQLite::Statement s(db, sql);
    for (std::size_t i = 0; i < values.size(); ++i)
        s.bind(static_cast<int>(i + 1), values[i]);
    return read_rows(s, read_row);
}

// A savepoint that, unless released, rolls back AND releases on scope exit, so that a savepoint
// opened outside any transaction never leaves one open (SQLite::Savepoint 3.2.1 only rolls back).
// Inside an enclosing transaction it undoes just its own writes. `name` must be a literal.
class savepoint {
public:
    savepoint(SQLite::Database& db, const char* name) : db_(db), name_(name)
    {
        db_.exec(std::string("SAVEPOINT ") + name_);
    }
    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;
    ~savepoint()
    {
        if (released_)
            return;
        try {
            db_.exec(std::string("ROLLBACK TO ") + name_);
            db_.exec(std::string("RELEASE ") + name_);
        } catch (...) {
            // The enclosing transaction is already gone (SQLite rolled it back after an I/O error
            // or a full disk); the exception that brought us here says why.
        }
    }
    void release()
    {
        db_.exec(std::string("RELEASE ") + name_);
        released_ = true;
    }

private:
    SQLite::Database& db_;
    const char* name_;
    bool released_ = false;
};

} // namespace kharuul::store::binding
