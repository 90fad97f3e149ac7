// Where the tests find the sources (config/demo.toml, samples) and the real binary: from the
// environment ctest sets (tests/CMakeLists.txt), else from the working directory.
#pragma once

#include <cstdlib>
#include <filesystem>

namespace kharuul::testing {

inline std::filesystem::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? std::filesystem::path(s) : std::filesystem::current_path();
}

inline std::filesystem::path kharuul_bin() {
    const char* s = std::getenv("KHARUUL_BIN");
    return s ? std::filesystem::path(s) : source_dir() / "build" / "kharuul";
}

} // namespace kharuul::testing
