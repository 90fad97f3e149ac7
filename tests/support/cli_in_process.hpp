// The command line run in the test's own process (gateway::run_cli), with its stdout, stderr and
// exit code read back: for the commands' error paths and for tests that need no child process.
#pragma once

#include "gateway/cli.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace kharuul::testing {

struct cli_result {
    int code = -1;
    std::string out;
    std::string err;
};

// `kharuul args...` as run_cli runs it.
inline cli_result run_cli_with(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"kharuul"};
    for (const auto& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = gateway::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

} // namespace kharuul::testing
