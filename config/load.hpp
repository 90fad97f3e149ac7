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

// What the store a configuration would run on already holds, for the checks that depend on it:
// the store is the registry, and a file without sites or teams relies on the store's.
struct stored_registry {
    std::vector<std::string> sites;      // the active sites' codes
    std::vector<std::string> team_areas; // the areas of the teams that have members, any order
};

// The problems of `c` (already valid) against its store: no sites in the file and none in the
// store, likewise teams, and the file's sites that no stored team covers when the file has no
// teams. `store` is nullptr when there is no store file yet (a first start): then the file must
// name sites and teams. `store_path` names the store in the messages. Empty when all is well.
std::vector<problem> check_registry(const gateway_config& c, std::string_view source_name,
                                    const stored_registry* store, std::string_view store_path);

} // namespace kharuul::config
