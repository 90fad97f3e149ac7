// The HTTP listener (Beast over one io_context thread): accepts connections, reads requests with
// deadlines from configuration, hands each to the application's handler coroutine and writes its
// response, keeping connections alive. A runner (style.md 7): run() until cancel(); cancel() stops
// accepting, closes idle connections at once and lets requests arriving or being handled finish
// (within their deadlines). Malformed requests are answered (400, 431, 413) before the close;
// HEAD responses carry no body. At the connection cap or the descriptor limit the longest-idle
// connections are closed first, and accepting backs off instead of spinning. Each connection is
// a serve_session (http_session.hpp).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

namespace kharuul::gateway {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

struct http_limits {
    // One whole request, header and body, from its first byte (from the accept for the first).
    std::chrono::milliseconds read_timeout{10000};
    std::chrono::milliseconds write_timeout{10000}; // one whole response
    // A kept-alive connection waiting for the first byte of its next request.
    std::chrono::milliseconds idle_timeout{60000};
    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_header_bytes = 8 * 1024; // request line and fields; more is answered 431
    std::size_t max_connections = 2000;      // see connections_allowed()
    // After an accept fails (EMFILE, ENFILE, ...): wait this long, doubling up to the max.
    std::chrono::milliseconds accept_backoff{100};
    std::chrono::milliseconds accept_backoff_max{1000};
    std::chrono::milliseconds log_interval{10000}; // repeated accept failures: one line per interval
};

// What the listener has seen, for tests and /metrics. I/O thread.
struct http_server_stats {
    std::uint64_t accepted = 0;
    std::uint64_t accept_failures = 0; // accepts that failed (each followed by a back-off)
    std::uint64_t idle_closed = 0;     // idle connections closed to make room
};

// Raises the soft RLIMIT_NOFILE to the hard limit (at start, before anything else opens many
// files) and returns the soft limit in force afterwards. Never throws; on failure logs and
// returns the limit as it was.
std::size_t raise_descriptor_limit();

// The connection cap for a configured maximum under the current soft descriptor limit: at most
// the limit less a reserve (the store, logs, outbound connections), and at least 1.
std::size_t connections_allowed(std::size_t configured);

// Called on the I/O thread for every request with the client's address (the peer of the
// connection; a default endpoint when the stream has none, as in the async tests); must not throw
// (a throw is answered 500 and logged).
using http_handler =
    std::function<boost::asio::awaitable<http_response>(http_request, boost::asio::ip::tcp::endpoint)>;

class http_server {
public:
    // Binds and listens at once, so that the port is known (port 0 asks for a free one). Throws
    // boost::system::system_error when the address cannot be bound.
    http_server(boost::asio::any_io_executor ex, const boost::asio::ip::tcp::endpoint& listen,
                http_limits limits, http_handler handler);
    // Serves a socket already bound and listening (`listening_fd`, owned from here on: closed on
    // failure too). Throws boost::system::system_error when it is not a listening TCP socket.
    http_server(boost::asio::any_io_executor ex, int listening_fd, http_limits limits, http_handler handler);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const;

    // Accepts until cancel(); returns when the acceptor is closed and every connection has ended.
    boost::asio::awaitable<void> run();

    // I/O thread. Stops accepting; connections waiting for a request are closed, the others after
    // the response to the request they are reading or handling.
    void cancel();

    // Connections open now.
    std::size_t connections() const noexcept;

    const http_server_stats& stats() const noexcept;

    // Logs the counts of repeated accept failures whose interval is over (the daemon calls it
    // every second). I/O thread.
    void flush_warnings();

    struct state; // shared with the connection coroutines, which may outlive a cancel()

private:
    std::shared_ptr<state> s_;
};

} // namespace kharuul::gateway
