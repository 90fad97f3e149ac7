// Running the real binary and other tools from the docs tests: the command's stdout, stderr and
// exit status, with the paths the tests need (the source tree, the binary, a temporary folder).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace kharuul::testing {

struct tool_result {
    int status = -1; // the exit status; -1 when it did not exit normally
    std::string out;
    std::string err;
};

// The repository (KHARUUL_SOURCE_DIR, else the working directory) and the binary (KHARUUL_BIN,
// else build/kharuul).
std::filesystem::path source_dir();
std::filesystem::path kharuul_binary();

// Runs `program args...` (no shell), stdin from /dev/null, waiting for it to end.
tool_result run_tool(const std::string& program, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env = {});
tool_result run_kharuul(const std::vector<std::string>& args);

// The program's path when it is on PATH (or an absolute path that is executable), else "".
std::string find_program(const std::string& name);

std::string read_file(const std::filesystem::path& p);
void write_file(const std::filesystem::path& p, const std::string& text);

// A fresh folder under the temporary directory, removed with the object (kept when
// KHARUUL_KEEP_TEMP is set).
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// A copy of config/demo.toml in `dir` whose store is `dir`/kharuul.db.
std::filesystem::path demo_config_in(const std::filesystem::path& dir);

} // namespace kharuul::testing
