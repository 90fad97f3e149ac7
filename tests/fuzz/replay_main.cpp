// A main() for fuzz targets built without libFuzzer (any compiler): feeds every file named on the
// command line, or found directly inside a directory named there, to LLVMFuzzerTestOneInput once.
// ctest runs it over tests/fuzz/corpus and tests/fuzz/findings, so the fuzzer's oracle guards
// every build and a fixed finding stays fixed. Exit 0 when every input passed; the target aborts
// on a failed check; exit 2 when an argument cannot be read; exit 3 when there was no input at all
// (an empty or missing corpus must not pass as a test).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", p.c_str());
        return false;
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::fprintf(stderr, "replay %s (%zu bytes)\n", p.c_str(), bytes.size()); // stderr: survives an abort
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::size_t inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(arg))
                if (entry.is_regular_file() && entry.path().filename().string().front() != '.')
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                if (!run_file(f))
                    return 2;
                ++inputs;
            }
        } else {
            if (!run_file(arg))
                return 2;
            ++inputs;
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "no inputs to replay: the corpus or findings named are empty\n");
        return 3;
    }
    std::printf("replayed %zu inputs, all checks passed\n", inputs);
    return 0;
}
