// A loopback socket bound to port 0 and listening, held by the test for as long as it lives, and
// handed to the code under test (a daemon in the test's process, or `kharuul serve` as a child
// through socket activation). The port is known before the daemon starts, so that a peer (Kannel)
// can be configured with it, and no other process can take it between a pick and a bind; a
// restarted daemon serves the same socket.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace kharuul::testing {

class listening_socket {
public:
    listening_socket() {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0)
            fail("socket");
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
            fail("bind");
        if (::listen(fd_, SOMAXCONN) != 0)
            fail("listen");
        socklen_t len = sizeof a;
        if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
            fail("getsockname");
        port_ = ntohs(a.sin_port);
    }
    ~listening_socket() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    listening_socket(const listening_socket&) = delete;
    listening_socket& operator=(const listening_socket&) = delete;

    unsigned short port() const { return port_; }
    int fd() const { return fd_; }

    // A new descriptor of the same socket (close-on-exec) for one daemon to own and close.
    int dup() const {
        const int d = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
        if (d < 0)
            throw std::runtime_error(std::string("listening_socket: dup: ") + std::strerror(errno));
        return d;
    }

private:
    [[noreturn]] void fail(const char* what) {
        const int e = errno;
        if (fd_ >= 0)
            ::close(fd_);
        throw std::runtime_error(std::string("listening_socket: ") + what + ": " + std::strerror(e));
    }

    int fd_ = -1;
    unsigned short port_ = 0;
};

} // namespace kharuul::testing
