// Small HTTP helpers for integration tests over real loopback sockets: a server that runs a
// synchronous handler on its own thread (a stand-in for a provider, a phone network or the
// gateway), a client with a deadline, and query-string coding as Kannel writes and reads it.
// Test scaffolding, not production code: simple and robust rather than fast.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace kharuul::integration {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

// One query parameter, both halves percent-decoded ('+' read as a space). Values are bytes: Kannel
// puts UTF-16BE text into queries as it is, NUL bytes included.
using query_param = std::pair<std::string, std::string>;
using query_params = std::vector<query_param>;

// Splits the query of a request target ("/path?a=1&b=2") or of a bare query ("a=1&b=2" when
// `target` has no '?', it is read as the query if it contains '='). Never fails: malformed
// escapes are kept as typed.
query_params parse_query(std::string_view target);

// The first value of `key`, or nullopt.
std::optional<std::string> query_value(const query_params& params, std::string_view key);

// Percent-encodes every byte outside RFC 3986's unreserved set (so '+', '&', '%' and all
// non-ASCII bytes are escaped), as a query value needs.
std::string url_encode(std::string_view bytes);

// Builds "k1=v1&k2=v2" with both halves url_encode()d.
std::string make_query(const query_params& params);

// The path of a target without its query.
std::string_view target_path(std::string_view target);

// A plain-text response (200 by default) with the given body and content type.
http_response text_response(std::string body, http::status status = http::status::ok,
                            std::string_view content_type = "text/plain");

// Serves HTTP/1.1 on 127.0.0.1 from its own thread, keeping connections alive when the client
// asks. The handler runs on that thread, one request at a time; it may block briefly. A handler
// that throws is answered 500. The destructor stops accepting, drops open connections and joins.
class loopback_http_server {
public:
    using handler = std::function<http_response(const http_request&)>;

    // Binds at once (port 0 picks a free port). Throws boost::system::system_error.
    explicit loopback_http_server(handler h, std::uint16_t port = 0);
    ~loopback_http_server();
    loopback_http_server(const loopback_http_server&) = delete;
    loopback_http_server& operator=(const loopback_http_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }

    // The server thread's context, for follow-up work a handler schedules (co_spawn or post).
    boost::asio::io_context& context() noexcept { return ioc_; }

private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context ioc_; // first: destroyed last, after the coroutines it holds
    boost::asio::ip::tcp::acceptor acceptor_;
    handler handler_;
    std::uint16_t port_ = 0;
    std::thread thread_;
};

struct http_reply {
    unsigned status = 0;
    std::string body;
    std::string content_type;
};

// GET http://127.0.0.1:<port><target> within `timeout` (connect, write, read). nullopt on any
// network failure or timeout; an HTTP error status is a reply, not a failure. Does not throw
// on network errors.
boost::asio::awaitable<std::optional<http_reply>> async_http_get(std::uint16_t port, std::string target,
                                                                 std::chrono::milliseconds timeout);

// The same, blocking the calling thread (it runs a private io_context).
std::optional<http_reply> http_get(std::uint16_t port, std::string target,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5));

// True when something accepts TCP connections on 127.0.0.1:<port> now.
bool port_accepts(std::uint16_t port);

// `n` distinct loopback ports that were free a moment ago (all bound to port 0 at once, read,
// closed). Another process may take one before it is used; good enough for tests.
std::vector<std::uint16_t> pick_free_ports(std::size_t n);

} // namespace kharuul::integration
