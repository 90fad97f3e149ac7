// The `kharuul` command line: one binary, one sub-command per task (spec/interfaces.md). Every
// command has --help; exit codes are 0 ok, 1 a user error (bad configuration or arguments) with a
// one-line message naming the problem, 2 an internal failure.
#pragma once

#include <functional>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

enum exit_code : int { exit_ok = 0, exit_user_error = 1, exit_internal = 2 };

// Arguments after the command name, and where to write.
struct invocation {
    std::vector<std::string> args;
    std::ostream& out;
    std::ostream& err;
};

struct command {
    std::string_view name;    // "parse", "reporter add" ...
    std::string_view summary; // one line for `kharuul --help`
    std::function<int(const invocation&)> run;
};

// The coordinators' commands over the store (log, export, backup, reporter, rerun), defined in
// gateway/coordinator_commands.cpp.
std::vector<command> coordinator_commands();

// The case commands, each in its own file: report (gateway/report_command.cpp), replay
// (gateway/replay_command.cpp), case and cases (gateway/case_command.cpp).
command log_command(); // gateway/log_command.cpp
command report_command();
command replay_command();
command case_command();
command cases_command();
command card_command(); // gateway/card_command.cpp
command simulate_command(); // gateway/simulate_command.cpp
std::vector<command> token_commands(); // gateway/token_command.cpp: token create, list, revoke

// The registered commands, in the order `kharuul --help` lists them.
std::span<const command> commands();

// Runs `kharuul` with argv; never throws (an escaped exception is reported and exits 2).
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace kharuul::gateway
