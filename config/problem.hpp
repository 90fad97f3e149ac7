// One thing wrong with a configuration file, located by file, line, column and key path, with
// what to do about it. Errors stop the gateway from starting; warnings are shown by
// `kharuul check-config` and at start but change nothing.
#pragma once

#include <cstdint>
#include <string>

namespace kharuul::config {

enum class severity : std::uint8_t { error, warning };

struct problem {
    std::string file;     // as named by the caller, e.g. "config/demo.toml"
    int line = 0;         // 1-based; 0 when the problem is not at one place (an unreadable file)
    int column = 0;       // 1-based; 0 likewise
    std::string key_path; // "teams[1].members[0].phone"; empty for the whole file
    std::string message;  // "\"9911\" is not a phone number"
    std::string fix;      // "write it in E.164, e.g. +97699000101"; may be empty
    severity level = severity::error;

    friend bool operator==(const problem&, const problem&) = default;
};

// `config/demo.toml:12:1: teams[0].members[1].phone: "9911" is not a phone number; fix: write it
// in E.164, e.g. +97699000101`. Warnings carry "warning: " after the location. One line, no
// trailing newline.
std::string format_problem(const problem& p);

} // namespace kharuul::config
