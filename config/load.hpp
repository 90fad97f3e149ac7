// Reading the TOML configuration: text in, a validated gateway_config or every problem found
// out, each with its line and key path (spec/interfaces.md, "Configuration: TOML"). The field
// language in `[language]` is merged onto parser::default_language(). Never throws for bad
// input; no logging. Safe to call from any thread.
#pragma once

#include "config/gateway_config.hpp"
#include "config/problem.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::config {

struct load_result {
    // Present exactly when no problem is an error.
    std::optional<gateway_config> config;
    // Errors and warnings, ordered by line and column (unlocated problems first).
    std::vector<problem> problems;

    bool ok() const noexcept { return config.has_value(); }
};

// Parses and validates `text`; `source_name` is the file name the problems carry.
load_result parse_config(std::string_view text, std::string_view source_name);

// Reads the file and parses it; a file that cannot be read is one problem without a line. The
// problems name the file as `path` was given.
load_result load_config(const std::filesystem::path& path);

} // namespace kharuul::config
