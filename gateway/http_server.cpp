#include "gateway/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <unordered_set>

namespace kharuul::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
} // namespace

struct connection_slot {
    beast::tcp_stream* stream = nullptr;
    bool busy = false; // a request is being handled: finish it before closing
};

struct http_server::state {
    state(asio::any_io_executor ex, http_limits l, http_handler h)
        : acceptor(ex), limits(l), handler(std::move(h)), drained(ex) {}

    tcp::acceptor acceptor;
    http_limits limits;
    http_handler handler;
    bool stopping = false;
    std::unordered_set<connection_slot*> open;
    asio::steady_timer drained; // signalled (cancelled) when the last connection ends
};

http_server::http_server(asio::any_io_executor ex, const tcp::endpoint& listen, http_limits limits,
                         http_handler handler)
    : s_(std::make_shared<state>(ex, limits, std::move(handler))) {
    s_->acceptor.open(listen.protocol());
    s_->acceptor.set_option(asio::socket_base::reuse_address(true));
    s_->acceptor.bind(listen);
    s_->acceptor.listen(asio::socket_base::max_listen_connections);
}

http_server::~http_server() = default;

tcp::endpoint http_server::local_endpoint() const { return s_->acceptor.local_endpoint(); }

std::size_t http_server::connections() const noexcept { return s_->open.size(); }

namespace {

http_response internal_error(const http_request& req) {
    http_response res{http::status::internal_server_error, req.version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "internal error\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

// One connection: read a request, let the handler answer, write, until the peer closes, a
// deadline passes or the server stops. The stream lives in this frame (style.md 5).
asio::awaitable<void> serve_connection(std::shared_ptr<http_server::state> s, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    connection_slot slot{&stream, false};
    s->open.insert(&slot);
    beast::flat_buffer buffer;
    bool first = true;
    while (!s->stopping) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(s->limits.max_body_bytes);
        // Waiting for the next request of a kept-alive connection may take the idle time; the
        // first request must arrive within the read deadline.
        stream.expires_after(first ? s->limits.read_timeout : s->limits.idle_timeout);
        auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
        if (!ec) {
            stream.expires_after(s->limits.read_timeout);
            std::tie(ec, n) = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
        }
        first = false;
        if (ec) {
            if (ec == beast::error::timeout)
                spdlog::debug("http: connection timed out waiting for a request");
            else if (ec == http::error::body_limit) {
                http_response res{http::status::payload_too_large, 11};
                res.set(http::field::content_type, "text/plain; charset=utf-8");
                res.body() = "request body too large\n";
                res.keep_alive(false);
                res.prepare_payload();
                stream.expires_after(s->limits.write_timeout);
                co_await http::async_write(stream, res, tuple_awaitable);
            } else if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted)
                spdlog::debug("http: read failed: {}", ec.message());
            break;
        }
        http_request req = parser.release();
        const bool keep_alive = req.keep_alive();
        const unsigned version = req.version();
        slot.busy = true;
        http_response res;
        try {
            res = co_await s->handler(std::move(req));
        } catch (const std::exception& e) {
            spdlog::error("http: handler failed: {}", e.what());
            http_request stub;
            stub.version(version);
            res = internal_error(stub);
        }
        slot.busy = false;
        res.version(version);
        res.keep_alive(keep_alive && res.keep_alive() && !s->stopping);
        res.prepare_payload();
        stream.expires_after(s->limits.write_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, tuple_awaitable);
        if (wec) {
            spdlog::debug("http: write failed: {}", wec.message());
            break;
        }
        if (!res.keep_alive())
            break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    s->open.erase(&slot);
    if (s->open.empty())
        s->drained.cancel();
}

} // namespace

asio::awaitable<void> http_server::run() {
    auto s = s_;
    for (;;) {
        auto [ec, socket] = co_await s->acceptor.async_accept(tuple_awaitable);
        if (ec) {
            if (ec == asio::error::operation_aborted || !s->acceptor.is_open())
                break;
            spdlog::warn("http: accept failed: {}", ec.message());
            continue; // e.g. too many open files: keep serving the connections we have
        }
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(s->acceptor.get_executor(), serve_connection(s, std::move(socket)),
                       [](std::exception_ptr e) {
                           if (!e)
                               return;
                           try {
                               std::rethrow_exception(e);
                           } catch (const std::exception& ex) {
                               spdlog::error("http: connection ended by an exception: {}", ex.what());
                           }
                       });
    }
    // Wait for the connections to end (cancel() closed the idle ones).
    while (!s->open.empty()) {
        s->drained.expires_at(asio::steady_timer::time_point::max());
        co_await s->drained.async_wait(tuple_awaitable);
    }
}

void http_server::cancel() {
    s_->stopping = true;
    boost::system::error_code ignored;
    s_->acceptor.close(ignored);
    for (connection_slot* c : s_->open)
        if (!c->busy)
            c->stream->socket().cancel(ignored);
}

} // namespace kharuul::gateway
