// Internal to store/: binding optional values to statement parameters and reading nullable
// columns back, so that every NULL in the schema is a std::optional in the structs.
#pragma once

#include "store/database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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
