#include "tests/docs/run_tool.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string_view>

extern char** environ;

namespace kharuul::testing {

namespace fs = std::filesystem;

fs::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

fs::path kharuul_binary() {
    const char* b = std::getenv("KHARUUL_BIN");
    return b ? fs::path(b) : source_dir() / "build" / "kharuul";
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + p.string());
}

std::string find_program(const std::string& name) {
    if (name.find('/') != std::string::npos)
        return access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string d; std::getline(dirs, d, ':');) {
        const fs::path candidate = fs::path(d.empty() ? "." : d) / name;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate.string();
    }
    return {};
}

tool_result run_tool(const std::string& program, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env) {
    temp_dir io;
    const fs::path out_file = io.path() / "out", err_file = io.path() / "err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> argv_s{program};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_s;
    // extra_env's NAME=value replaces the inherited NAME.
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string_view entry(*e);
        const auto name = entry.substr(0, entry.find('=') + 1);
        bool replaced = false;
        for (const auto& x : extra_env)
            replaced = replaced || x.starts_with(name);
        if (!replaced)
            env_s.emplace_back(entry);
    }
    env_s.insert(env_s.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> envp;
    for (auto& e : env_s)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    tool_result r;
    if (rc != 0) {
        r.err = "cannot run " + program;
        return r;
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
    }
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    r.out = read_file(out_file);
    r.err = read_file(err_file);
    return r;
}

tool_result run_kharuul(const std::vector<std::string>& args) { return run_tool(kharuul_binary().string(), args); }

temp_dir::temp_dir() {
    std::string tmpl = (fs::temp_directory_path() / "kharuul-docs-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

temp_dir::~temp_dir() {
    std::error_code ec;
    if (std::getenv("KHARUUL_KEEP_TEMP") == nullptr)
        fs::remove_all(path_, ec);
}

fs::path demo_config_in(const fs::path& dir) {
    const std::string original = read_file(source_dir() / "config" / "demo.toml");
    const std::regex store_path(R"re((\n\s*path\s*=\s*)"[^"]*")re");
    const std::string copied = std::regex_replace(original, store_path, "$1\"" + (dir / "kharuul.db").string() + "\"",
                                                  std::regex_constants::format_first_only);
    const fs::path config = dir / "kharuul.toml";
    write_file(config, copied);
    return config;
}

} // namespace kharuul::testing
