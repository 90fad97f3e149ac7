// Internal to config/: typed reading of toml++ tables that turns every mistake into a problem
// with a line and key path instead of stopping at the first. A table_reader remembers which keys
// were asked for, so that the rest can be reported as unknown with the nearest known key.
#pragma once

#include "config/problem.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::config::detail {

// Collects the problems of one file.
class problem_sink {
public:
    explicit problem_sink(std::string file) : file_(std::move(file)) {}

    void error(const toml::source_position& at, std::string key_path, std::string message, std::string fix);
    void warning(const toml::source_position& at, std::string key_path, std::string message, std::string fix);
    bool has_errors() const noexcept;
    // Sorted by line and column, stable otherwise.
    std::vector<problem> take();

private:
    std::string file_;
    std::vector<problem> problems_;
};

// "a string", "an integer", "a table" ...: what a node is, for messages.
std::string describe(const toml::node& node);

// Quotes text for a message: "\"9911\"".
std::string in_quotes(std::string_view text);

// The candidate nearest to `typed` (at most two edits), the first of equals; "" when none is that
// near. For "did you mean" fixes.
std::string nearest(std::string_view typed, const std::vector<std::string>& candidates);

// A value read from the file with where it was.
template <typename T> struct located {
    T value;
    toml::source_position at;
    std::string path;
};

// "key" under `parent`: "server.listen", "teams[1].members[0].phone"; `parent` may be empty.
std::string join_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, std::size_t index);

class table_reader {
public:
    table_reader(const toml::table& table, std::string path, problem_sink& sink);
    table_reader(const table_reader&) = delete;
    table_reader& operator=(const table_reader&) = delete;

    const std::string& path() const noexcept { return path_; }
    std::string path_of(std::string_view key) const { return join_path(path_, key); }
    // Where the table starts (its header, or its opening brace).
    toml::source_position where() const noexcept;
    // Where the key is written (the earlier of the key and its value), or where() when absent.
    toml::source_position where(std::string_view key) const noexcept;
    problem_sink& sink() noexcept { return sink_; }

    // Marks `key` as known and returns its node, or nullptr when absent.
    const toml::node* find(std::string_view key);

    // The typed getters mark the key known. Absent: nullopt, and a problem when `required`
    // (with `fix` as its fix). Present with another type: a problem and nullopt.
    std::optional<std::string> get_string(std::string_view key, bool required = false,
                                          std::string_view fix = {});
    std::optional<std::int64_t> get_integer(std::string_view key, std::int64_t min, std::int64_t max,
                                            std::string_view unit = {});
    std::optional<bool> get_bool(std::string_view key);
    // An array of strings; each wrong element is its own problem and is left out.
    std::optional<std::vector<located<std::string>>> get_strings(std::string_view key, bool required = false,
                                                                 std::string_view fix = {});
    const toml::table* get_table(std::string_view key);
    // An array of tables (`[[key]]` or `key = [ {..}, {..} ]`); wrong elements are problems.
    std::vector<const toml::table*> get_tables(std::string_view key);

    // Reports every key that no getter asked for, suggesting the nearest known one.
    void report_unknown_keys();

private:
    void type_problem(std::string_view key, const toml::node& node, std::string_view wanted);

    const toml::table& table_;
    std::string path_;
    problem_sink& sink_;
    std::vector<std::string> known_;
};

} // namespace kharuul::config::detail
