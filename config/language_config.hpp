// Internal to config/: the `[language]` section merged onto the shipped field language. A
// deployment may add aliases to keywords and rename them, add aliases and labels to codes or add
// new codes, and add sex letters and age units; it cannot remove anything, so every message the
// default understands is still understood. Words are compared as the parser matches them.
#pragma once

#include "config/toml_reader.hpp"
#include "parser/language.hpp"

#include <toml++/toml.h>

namespace kharuul::config::detail {

// Merges `table` (the `[language]` section, at key path "language") onto `lang`, reporting every
// problem to `sink`. Entries with problems are left out; the rest still apply.
void merge_language(const toml::table& table, parser::language& lang, problem_sink& sink);

// A code as the tables store it: Latin capitals and digits, starting with a capital.
bool is_code(std::string_view text, std::size_t max_length) noexcept;

} // namespace kharuul::config::detail
