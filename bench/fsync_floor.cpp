// The physical floor of a durable commit on this disk, for bench/http.sh: writes 4 KB and calls
// fdatasync, over and over, in a file of its own in DIR (the store's folder, so the same
// filesystem as the store's WAL), and prints the latency of each write + fdatasync pair. The file
// is preallocated (1 MB, written and synced once) and its blocks overwritten in turn, as SQLite
// reuses its WAL after a checkpoint, so fdatasync has no file size to write, only the data.
//
//   fsync_floor --dir DIR [--count N] [--seconds S]
//
// Stops after N pairs (default 3000) or S seconds (default 5), whichever comes first; removes its
// file. Prints one JSON object: {"dir", "samples", "p50_ms", "p99_ms", "p999_ms", "max_ms",
// "per_second"}. Exit 0 when it ran, 1 on bad arguments or an I/O error.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
constexpr std::size_t block = 4096;
constexpr std::size_t blocks = 256; // 1 MB

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty())
        return 0;
    const auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size()))) - 1;
    return sorted[std::min(i, sorted.size() - 1)];
}

int fail(const char* what) {
    std::fprintf(stderr, "fsync_floor: %s: %s\n", what, std::strerror(errno));
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    std::string dir;
    long count = 3000;
    double seconds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view arg = argv[i];
        if (arg == "--dir")
            dir = argv[i + 1];
        else if (arg == "--count")
            count = std::atol(argv[i + 1]);
        else if (arg == "--seconds")
            seconds = std::atof(argv[i + 1]);
        else
            dir.clear(), count = 0;
    }
    if (dir.empty() || count <= 0 || seconds <= 0 || argc % 2 == 0) {
        std::fprintf(stderr, "usage: fsync_floor --dir DIR [--count N] [--seconds S]\n");
        return 1;
    }
    const std::string path = dir + "/fsync_floor.tmp";
    const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(path.c_str());
    std::array<char, block> buf{};
    for (std::size_t b = 0; b < blocks; ++b) {
        std::memset(buf.data(), static_cast<int>(b), buf.size());
        if (::pwrite(fd, buf.data(), buf.size(), static_cast<off_t>(b * block)) != static_cast<ssize_t>(block))
            return fail("preallocating");
    }
    if (::fsync(fd) != 0)
        return fail("fsync");

    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(count));
    const auto start = clock_type::now();
    const auto stop = start + std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
    for (long i = 0; i < count && clock_type::now() < stop; ++i) {
        std::memset(buf.data(), static_cast<int>(i), buf.size());
        const auto t = clock_type::now();
        if (::pwrite(fd, buf.data(), buf.size(), static_cast<off_t>((static_cast<std::size_t>(i) % blocks) * block)) !=
            static_cast<ssize_t>(block))
            return fail("pwrite");
        if (::fdatasync(fd) != 0)
            return fail("fdatasync");
        ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t).count());
    }
    const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
    ::close(fd);
    ::unlink(path.c_str());

    std::sort(ms.begin(), ms.end());
    std::printf("{\"dir\": \"%s\", \"samples\": %zu, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"p999_ms\": %.3f, "
                "\"max_ms\": %.3f, \"per_second\": %.1f}\n",
                dir.c_str(), ms.size(), percentile(ms, 50), percentile(ms, 99), percentile(ms, 99.9),
                ms.empty() ? 0.0 : ms.back(), static_cast<double>(ms.size()) / elapsed);
    return 0;
}
