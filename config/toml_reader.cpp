#include "config/toml_reader.hpp"

#include "parser/suggest.hpp"

#include <algorithm>
#include <limits>

namespace kharuul::config::detail {

namespace {

int to_int(toml::source_index i) noexcept {
    return i > static_cast<toml::source_index>(std::numeric_limits<int>::max()) ? 0 : static_cast<int>(i);
}

problem make_problem(const std::string& file, const toml::source_position& at, std::string key_path,
                     std::string message, std::string fix, severity level) {
    return problem{
        file, to_int(at.line), to_int(at.column), std::move(key_path), std::move(message), std::move(fix),
        level};
}

// The earlier of two positions, ignoring unknown (0) ones: a key's own position is inside the
// brackets of a table header, its value's at the start of the line.
toml::source_position earlier(const toml::source_position& a, const toml::source_position& b) noexcept {
    if (!a) {
        return b;
    }
    if (!b) {
        return a;
    }
    return b < a ? b : a;
}

} // namespace

void problem_sink::error(const toml::source_position& at, std::string key_path, std::string message,
                         std::string fix) {
    problems_.push_back(
        make_problem(file_, at, std::move(key_path), std::move(message), std::move(fix), severity::error));
}

void problem_sink::warning(const toml::source_position& at, std::string key_path, std::string message,
                           std::string fix) {
    problems_.push_back(
        make_problem(file_, at, std::move(key_path), std::move(message), std::move(fix), severity::warning));
}

bool problem_sink::has_errors() const noexcept {
    return std::ranges::any_of(problems_, [](const problem& p) { return p.level == severity::error; });
}

std::vector<problem> problem_sink::take() {
    std::ranges::stable_sort(problems_, [](const problem& a, const problem& b) {
        return std::pair{a.line, a.column} < std::pair{b.line, b.column};
    });
    return std::move(problems_);
}

std::string describe(const toml::node& node) {
    switch (node.type()) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a decimal number";
    case toml::node_type::boolean:
        return "true or false";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date and time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

std::string in_quotes(std::string_view text) {
    std::string out = "\"";
    out += text;
    out += '"';
    return out;
}

std::string join_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) {
        return std::string(key);
    }
    std::string out(parent);
    out += '.';
    out += key;
    return out;
}

std::string index_path(std::string_view parent, std::size_t index) {
    std::string out(parent);
    out += '[';
    out += std::to_string(index);
    out += ']';
    return out;
}

table_reader::table_reader(const toml::table& table, std::string path, problem_sink& sink)
    : table_(table), path_(std::move(path)), sink_(sink) {}

toml::source_position table_reader::where() const noexcept {
    return table_.source().begin;
}

toml::source_position table_reader::where(std::string_view key) const noexcept {
    const auto it = table_.find(key);
    if (it == table_.end()) {
        return where();
    }
    return earlier(it->first.source().begin, it->second.source().begin);
}

const toml::node* table_reader::find(std::string_view key) {
    if (std::ranges::find(known_, key) == known_.end()) {
        known_.emplace_back(key);
    }
    return table_.get(key);
}

void table_reader::type_problem(std::string_view key, const toml::node& node, std::string_view wanted) {
    sink_.error(where(key), path_of(key), "is " + describe(node) + ", not " + std::string(wanted),
                "write " + std::string(wanted) + " here");
}

std::optional<std::string> table_reader::get_string(std::string_view key, bool required,
                                                    std::string_view fix) {
    const toml::node* node = find(key);
    if (node == nullptr) {
        if (required) {
            sink_.error(where(), path_of(key), "required key is missing", std::string(fix));
        }
        return std::nullopt;
    }
    if (const auto* s = node->as_string()) {
        return s->get();
    }
    type_problem(key, *node, "a string in quotes");
    return std::nullopt;
}

std::optional<std::int64_t> table_reader::get_integer(std::string_view key, std::int64_t min,
                                                      std::int64_t max, std::string_view unit) {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    const auto* i = node->as_integer();
    if (i == nullptr) {
        type_problem(key, *node, "a whole number");
        return std::nullopt;
    }
    const std::int64_t v = i->get();
    if (v < min || v > max) {
        std::string range = std::to_string(min) + " to " + std::to_string(max);
        if (!unit.empty()) {
            range += ' ';
            range += unit;
        }
        sink_.error(where(key), path_of(key), std::to_string(v) + " is out of range", "use " + range);
        return std::nullopt;
    }
    return v;
}

std::optional<bool> table_reader::get_bool(std::string_view key) {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return std::nullopt;
    }
    if (const auto* b = node->as_boolean()) {
        return b->get();
    }
    type_problem(key, *node, "true or false");
    return std::nullopt;
}

std::optional<std::vector<located<std::string>>>
table_reader::get_strings(std::string_view key, bool required, std::string_view fix) {
    const toml::node* node = find(key);
    if (node == nullptr) {
        if (required) {
            sink_.error(where(), path_of(key), "required key is missing", std::string(fix));
        }
        return std::nullopt;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        if (const auto* s = node->as_string()) {
            sink_.error(where(key), path_of(key), "is a string, not an array of strings",
                        "put it in brackets: " + std::string(key) + " = [" + in_quotes(s->get()) + "]");
        } else {
            type_problem(key, *node, "an array of strings");
        }
        return std::nullopt;
    }
    std::vector<located<std::string>> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        const std::string element_path = index_path(path_of(key), i);
        if (const auto* s = element.as_string()) {
            out.push_back({s->get(), element.source().begin, element_path});
        } else {
            sink_.error(element.source().begin, element_path, "is " + describe(element) + ", not a string",
                        "write a string in quotes here");
        }
    }
    return out;
}

const toml::table* table_reader::get_table(std::string_view key) {
    const toml::node* node = find(key);
    if (node == nullptr) {
        return nullptr;
    }
    if (const auto* t = node->as_table()) {
        return t;
    }
    sink_.error(where(key), path_of(key), "is " + describe(*node) + ", not a table",
                "write it as a section: [" + path_of(key) + "]");
    return nullptr;
}

std::vector<const toml::table*> table_reader::get_tables(std::string_view key) {
    std::vector<const toml::table*> out;
    const toml::node* node = find(key);
    if (node == nullptr) {
        return out;
    }
    const auto* array = node->as_array();
    if (array == nullptr) {
        sink_.error(where(key), path_of(key), "is " + describe(*node) + ", not an array of tables",
                    "write each entry as [[" + path_of(key) + "]]");
        return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const toml::node& element = *array->get(i);
        if (const auto* t = element.as_table()) {
            out.push_back(t);
        } else {
            sink_.error(element.source().begin, index_path(path_of(key), i),
                        "is " + describe(element) + ", not a table",
                        "write each entry as [[" + path_of(key) + "]]");
            out.push_back(nullptr);
        }
    }
    return out;
}

std::string nearest(std::string_view typed, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto& candidate : candidates) {
        const std::size_t d = parser::edit_distance(typed, candidate, 2);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    return best;
}

void table_reader::report_unknown_keys() {
    for (const auto& entry : table_) {
        const std::string_view name = entry.first.str();
        if (std::ranges::find(known_, name) != known_.end()) {
            continue;
        }
        std::string fix;
        if (const std::string near = nearest(name, known_); !near.empty()) {
            fix = "did you mean " + near + "?";
        } else {
            fix = "remove it; the keys here are:";
            for (std::size_t i = 0; i < known_.size(); ++i) {
                fix += (i == 0 ? " " : ", ") + known_[i];
            }
        }
        sink_.error(where(name), path_of(name), "unknown key " + in_quotes(name), std::move(fix));
    }
}

} // namespace kharuul::config::detail
