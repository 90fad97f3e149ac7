#include "gateway/socket_activation.hpp"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace kharuul::gateway {

namespace {

long number_in(const char* name) {
    const char* text = std::getenv(name);
    if (!text)
        return -1;
    const std::string_view s(text);
    long n = -1;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    return ec == std::errc() && end == s.data() + s.size() ? n : -1;
}

} // namespace

int inherited_listener() {
    const long pid = number_in("LISTEN_PID");
    const long count = number_in("LISTEN_FDS");
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
    if (pid != static_cast<long>(::getpid()) || count < 1)
        return -1;
    if (count > 1)
        spdlog::warn("socket activation: {} sockets passed; serving the first, descriptor {}", count,
                     listen_fds_start);
    ::fcntl(listen_fds_start, F_SETFD, FD_CLOEXEC);
    return listen_fds_start;
}

} // namespace kharuul::gateway
