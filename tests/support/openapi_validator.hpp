// Recorded API answers and the OpenAPI validator peer (tests/peers/openapi/validate.mjs: Ajv with
// its JSON Schema 2020-12 dialect, installed by `make test` from the committed lockfile): a test
// records each real answer it gets, writes them to a folder and has the validator check every one
// against api/openapi.json. Without node or the installed peer the check fails and says so.
#pragma once

#include "tests/support/paths.hpp"
#include "tests/support/run_binary.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace kharuul::testing {

// One answer as the validator reads it: {"method", "path", "status", "headers", "body"}.
struct recorded_answer {
    std::string method; // "GET"
    std::string path;   // the request target, query included
    int status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;                           // as received
};

inline boost::json::object to_json(const recorded_answer& a) {
    boost::json::object h;
    for (const auto& [k, v] : a.headers)
        h[k] = v;
    return {{"method", a.method}, {"path", a.path}, {"status", a.status}, {"headers", std::move(h)}, {"body", a.body}};
}

inline std::filesystem::path openapi_peer_dir() {
    return source_dir() / "tests" / "peers" / "openapi";
}

// `command` through sh: its exit code (-1 when it could not run) and what it wrote to stdout.
inline binary_result run_shell_command(const std::string& command) {
    binary_result r;
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr)
        return r;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
        r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// Writes `answers` to folder/name (a JSON array), the folder made when missing.
inline void write_answers(const std::filesystem::path& folder, const std::string& name,
                          const std::vector<recorded_answer>& answers) {
    std::filesystem::create_directories(folder);
    boost::json::array all;
    for (const auto& a : answers)
        all.push_back(to_json(a));
    std::ofstream out(folder / name);
    out << boost::json::serialize(all);
}

// Runs the validator over every *.json file of `folder` against `document` (default: the
// committed api/openapi.json); `extra` is appended to its command line ("--all"). Its exit code
// and everything it printed (each failure names its file).
inline binary_result run_openapi_validator(const std::filesystem::path& folder,
                                           const std::filesystem::path& document = {},
                                           const std::string& extra = {}) {
    const auto doc = document.empty() ? source_dir() / "api" / "openapi.json" : document;
    const auto node = run_shell_command("command -v node || command -v nodejs");
    const std::string node_path = node.out.substr(0, node.out.find('\n'));
    if (node.status != 0 || node_path.empty())
        return {127, "node is not installed (make test installs it with the peers)"};
    if (!std::filesystem::exists(openapi_peer_dir() / "node_modules" / "ajv"))
        return {127, "tests/peers/openapi is not installed: run `make peers` (npm ci from its lockfile)"};
    return run_shell_command(shell_quote(node_path) + " " + shell_quote((openapi_peer_dir() / "validate.mjs").string()) +
                             " " + shell_quote(doc.string()) + " " + shell_quote(folder.string()) +
                             (extra.empty() ? "" : " " + extra) + " 2>&1");
}

// write_answers(folder, "answers.json", answers), then run_openapi_validator(folder, ...).
inline binary_result validate_answers(const std::filesystem::path& folder, const std::vector<recorded_answer>& answers,
                                      const std::filesystem::path& document = {}, const std::string& extra = {}) {
    write_answers(folder, "answers.json", answers);
    return run_openapi_validator(folder, document, extra);
}

} // namespace kharuul::testing
