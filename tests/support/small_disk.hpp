// A real small filesystem for full-disk tests: a tmpfs of a few MB mounted on a fresh folder
// (needs root; mount(2) may also be refused in a container without CAP_SYS_ADMIN), and a filler
// file that takes every free byte until ENOSPC. Unmounted (lazily) by the destructor.
// Use: `small_disk disk; if (!disk) GTEST_SKIP() << disk.why_not();`
#pragma once

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace kharuul::testing {

class small_disk {
public:
    explicit small_disk(std::size_t megabytes = 4) {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("kharuul-tmpfs-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        if (::geteuid() != 0) {
            why_not_ = "not root: a tmpfs cannot be mounted";
            return;
        }
        std::error_code ec;
        std::filesystem::create_directories(dir_, ec);
        const std::string opts = "size=" + std::to_string(megabytes) + "m";
        if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, opts.c_str()) != 0) {
            why_not_ = "mount -t tmpfs failed: " + std::string(std::strerror(errno));
            std::filesystem::remove(dir_, ec);
            return;
        }
        mounted_ = true;
    }
    ~small_disk() {
        if (mounted_)
            ::umount2(dir_.c_str(), MNT_DETACH);
        std::error_code ec;
        std::filesystem::remove(dir_, ec);
    }
    small_disk(const small_disk&) = delete;
    small_disk& operator=(const small_disk&) = delete;

    explicit operator bool() const { return mounted_; }
    const std::string& why_not() const { return why_not_; }
    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path filler() const { return dir_ / "filler"; }

    // Writes the filler until the disk refuses a byte more. Returns the bytes taken.
    std::size_t fill() {
        const int fd = ::open(filler().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd < 0)
            return 0;
        std::size_t total = 0;
        const std::vector<char> block(64 * 1024, 'f');
        for (std::size_t chunk : {std::size_t{64 * 1024}, std::size_t{4096}, std::size_t{1}}) {
            for (;;) {
                const ssize_t n = ::write(fd, block.data(), chunk);
                if (n <= 0)
                    break;
                total += static_cast<std::size_t>(n);
            }
        }
        ::close(fd);
        return total;
    }

    void free_filler() {
        std::error_code ec;
        std::filesystem::remove(filler(), ec);
    }

    std::size_t free_bytes() const {
        struct statvfs s {};
        if (::statvfs(dir_.c_str(), &s) != 0)
            return 0;
        return static_cast<std::size_t>(s.f_bavail) * s.f_frsize;
    }

private:
    std::filesystem::path dir_;
    std::string why_not_;
    bool mounted_ = false;
};

} // namespace kharuul::testing
