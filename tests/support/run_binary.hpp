// The real `kharuul` binary run as a coordinator runs it at a terminal, through the shell, with
// its output read back: one helper for the tests of the command line, the intake and the seasons.
#pragma once

#include "tests/support/paths.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::testing {

// `s` in single quotes for sh.
inline std::string shell_quote(std::string_view s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct binary_result {
    int status = -1; // the exit code; -1 when it could not run or died of a signal
    std::string out; // what the redirection sends to the pipe
};

// Runs `kharuul args...` (KHARUUL_BIN). `redirect` is appended to the command line as sh reads
// it and decides what is read back: "2>/dev/null" stdout alone, "2>&1" both, "2>&1 >/dev/null"
// stderr alone, "2>FILE" stdout with stderr kept in FILE.
inline binary_result run_kharuul(const std::vector<std::string>& args, std::string_view redirect = "2>/dev/null") {
    std::string cmd = shell_quote(kharuul_bin().string());
    for (const auto& a : args)
        cmd += " " + shell_quote(a);
    cmd += " ";
    cmd += redirect;
    binary_result r;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr)
        return r;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
        r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

} // namespace kharuul::testing
