// The HTTP listener (Beast over one io_context thread): accepts connections, reads requests with
// deadlines from configuration, hands each to the application's handler coroutine and writes its
// response, keeping connections alive. A runner (style.md 7): run() until cancel(); cancel() stops
// accepting, closes idle connections at once and lets requests being handled finish.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace kharuul::gateway {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

struct http_limits {
    std::chrono::milliseconds read_timeout{10000};  // one whole request
    std::chrono::milliseconds write_timeout{10000}; // one whole response
    std::chrono::milliseconds idle_timeout{60000};  // a kept-alive connection waiting for a request
    std::size_t max_body_bytes = 64 * 1024;
};

// Called on the I/O thread for every request; must not throw (a throw is answered 500 and logged).
using http_handler = std::function<boost::asio::awaitable<http_response>(http_request)>;

class http_server {
public:
    // Binds and listens at once, so that the port is known (port 0 asks for a free one). Throws
    // boost::system::system_error when the address cannot be bound.
    http_server(boost::asio::any_io_executor ex, const boost::asio::ip::tcp::endpoint& listen, http_limits limits,
                http_handler handler);
    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const;

    // Accepts until cancel(); returns when the acceptor is closed and every connection has ended.
    boost::asio::awaitable<void> run();

    // I/O thread. Stops accepting; idle connections are closed, busy ones after their response.
    void cancel();

    // Connections open now.
    std::size_t connections() const noexcept;

    struct state; // shared with the connection coroutines, which may outlive a cancel()

private:
    std::shared_ptr<state> s_;
};

} // namespace kharuul::gateway
