// A blocking raw HTTP client over loopback that writes bytes as an attacker (or a slow phone
// network) would: any split, pipelined requests, half a body; and reads responses back. Every
// read gives up after a timeout (SO_RCVTIMEO), so that a hung server fails the test instead of
// hanging it. Test scaffolding, header-only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>

namespace kharuul::testing {

class raw_client {
public:
    explicit raw_client(std::chrono::milliseconds timeout = std::chrono::seconds(5)) : socket_(io_) {
        socket_.open(boost::asio::ip::tcp::v4());
        timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    void connect(unsigned short port) {
        socket_.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    }
    bool send(std::string_view bytes) {
        boost::system::error_code ec;
        boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
        return !ec;
    }
    // Reads until `until` appears in what was read (true) or the peer closes or the read times out.
    bool read_until(const std::string& until) {
        while (received_.find(until) == std::string::npos)
            if (!read_some())
                return false;
        return true;
    }
    // Reads one response with a Content-Length body; returns its status line's code (0: none).
    int read_response() {
        const std::size_t start = consumed_;
        if (!read_until_from(start, "\r\n\r\n"))
            return 0;
        const auto head_end = received_.find("\r\n\r\n", start) + 4;
        std::size_t length = 0;
        if (auto at = lower(received_.substr(start, head_end - start)).find("content-length:");
            at != std::string::npos)
            length = std::stoul(received_.substr(start + at + 15));
        while (received_.size() < head_end + length)
            if (!read_some())
                return 0;
        consumed_ = head_end + length;
        return std::stoi(received_.substr(start + 9, 3));
    }
    // Reads until the peer closes; true when it did (false: the read timed out).
    bool wait_closed() {
        while (read_some()) {
        }
        return closed_;
    }
    const std::string& received() const { return received_; }
    boost::asio::ip::tcp::socket& socket() { return socket_; }

private:
    static std::string lower(std::string s) {
        for (auto& c : s)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    }
    bool read_until_from(std::size_t from, const std::string& until) {
        while (received_.find(until, from) == std::string::npos)
            if (!read_some())
                return false;
        return true;
    }
    bool read_some() {
        char buf[4096];
        const ssize_t n = ::recv(socket_.native_handle(), buf, sizeof buf, 0);
        if (n > 0) {
            received_.append(buf, static_cast<std::size_t>(n));
            return true;
        }
        closed_ = n == 0 || errno == ECONNRESET;
        return false;
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    std::string received_;
    std::size_t consumed_ = 0;
    bool closed_ = false;
};

} // namespace kharuul::testing
