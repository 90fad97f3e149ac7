// A provider played by the outbound channel tests: an HTTP server on 127.0.0.1 (port 0), or an
// HTTPS one presenting the certificate of a TLS server context the test made (test_ca.hpp), whose
// coroutines run on the io_context the test owns, recording each request (and, over TLS, the
// server name each client asked for, and the handshakes that failed) and answering as the test
// scripted it (an answer, silence until the client gives up, or a closed connection). And
// run_on(), which drives that io_context until one coroutine has finished.
#pragma once

#include "adapters/dialect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kharuul::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

class provider_stand_in {
public:
    enum class behaviour {
        answer,              // the scripted status and body
        never_answer,        // read the request, then wait until the client closes
        close_without_answer // read the request, then close
    };

    // Plain HTTP; with `tls`, HTTPS presenting tls's certificate.
    explicit provider_stand_in(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls = nullptr)
        : s_(std::make_shared<state>(io)) {
        s_->tls = std::move(tls);
        s_->acceptor.open(asio::ip::tcp::v4());
        s_->acceptor.set_option(asio::socket_base::reuse_address(true));
        s_->acceptor.bind({asio::ip::make_address("127.0.0.1"), 0});
        s_->acceptor.listen();
        asio::co_spawn(io, accept_loop(s_), [](std::exception_ptr) {});
    }
    ~provider_stand_in() {
        boost::system::error_code ignored;
        s_->acceptor.close(ignored);
    }
    provider_stand_in(const provider_stand_in&) = delete;
    provider_stand_in& operator=(const provider_stand_in&) = delete;

    std::uint16_t port() const { return s_->acceptor.local_endpoint().port(); }
    std::string url(std::string_view path_and_query) const { return url_at("127.0.0.1", path_and_query); }
    // The URL with `host` ("localhost", "127.0.0.1"), which must lead to 127.0.0.1.
    std::string url_at(std::string_view host, std::string_view path_and_query) const {
        return std::string(s_->tls ? "https://" : "http://") + std::string(host) + ":" + std::to_string(port()) +
               std::string(path_and_query);
    }

    // What the next requests get, in order; when the script is used up, 200 "ok".
    void answer(http::status status, std::string body, std::string content_type = "text/plain") {
        s_->script.push_back({behaviour::answer, status, std::move(body), std::move(content_type)});
    }
    void never_answer() { s_->script.push_back({behaviour::never_answer, {}, {}, {}}); }
    void close_without_answer() { s_->script.push_back({behaviour::close_without_answer, {}, {}, {}}); }

    const std::vector<adapters::request>& requests() const { return s_->requests; }
    // Over TLS: the server name (SNI) of each completed handshake, "" when the client sent none.
    const std::vector<std::string>& server_names() const { return s_->server_names; }
    // Over TLS: the handshakes that failed (the client refused the certificate, or spoke no TLS).
    std::size_t failed_handshakes() const { return s_->failed_handshakes; }

private:
    struct step {
        behaviour what = behaviour::answer;
        http::status status = http::status::ok;
        std::string body;
        std::string content_type;
    };
    struct state {
        explicit state(asio::io_context& io) : acceptor(io) {}
        asio::ip::tcp::acceptor acceptor;
        std::shared_ptr<asio::ssl::context> tls;
        std::deque<step> script;
        std::vector<adapters::request> requests;
        std::vector<std::string> server_names;
        std::size_t failed_handshakes = 0;
    };

    static asio::awaitable<void> accept_loop(std::shared_ptr<state> s) {
        for (;;) {
            auto [ec, socket] = co_await s->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
            if (ec) {
                co_return;
            }
            asio::co_spawn(s->acceptor.get_executor(), session(s, std::move(socket)),
                           [](std::exception_ptr) {});
        }
    }

    static asio::awaitable<void> session(std::shared_ptr<state> s, asio::ip::tcp::socket socket) {
        constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
        boost::system::error_code ignored;
        if (!s->tls) {
            co_await serve(s, socket);
            socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
            co_return;
        }
        asio::ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), *s->tls);
        auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, tuple);
        if (handshake_ec) {
            ++s->failed_handshakes;
        } else {
            const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
            s->server_names.emplace_back(sni != nullptr ? sni : "");
            co_await serve(s, stream);
            co_await stream.async_shutdown(tuple);
        }
        stream.lowest_layer().close(ignored);
    }

    template <class Stream>
    static asio::awaitable<void> serve(std::shared_ptr<state> s, Stream& stream) {
        constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
        beast::flat_buffer buffer;
        adapters::request req;
        auto [ec, n] = co_await http::async_read(stream, buffer, req, tuple);
        if (ec) {
            co_return;
        }
        s->requests.push_back(req);
        step next;
        if (!s->script.empty()) {
            next = std::move(s->script.front());
            s->script.pop_front();
        } else {
            next.body = "ok";
            next.content_type = "text/plain";
        }
        switch (next.what) {
        case behaviour::answer: {
            adapters::response res(next.status, req.version());
            res.set(http::field::content_type, next.content_type);
            res.body() = std::move(next.body);
            res.keep_alive(false);
            res.prepare_payload();
            co_await http::async_write(stream, res, tuple);
            break;
        }
        case behaviour::never_answer: {
            char byte = 0;
            co_await stream.async_read_some(asio::buffer(&byte, 1), tuple); // until the client closes
            break;
        }
        case behaviour::close_without_answer:
            break;
        }
    }

    std::shared_ptr<state> s_;
};

// Runs `io` until `task` finishes (other coroutines, the stand-in's, go on running meanwhile) and
// returns its value; rethrows what it threw; throws std::runtime_error after `limit`.
template <class T>
T run_on(asio::io_context& io, asio::awaitable<T> task,
         std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    struct outcome {
        bool done = false;
        std::exception_ptr error;
        std::optional<T> value;
    };
    auto out = std::make_shared<outcome>(); // shared: a task that outlives the limit writes into it
    asio::co_spawn(io, std::move(task), [out](std::exception_ptr e, T v) {
        out->done = true;
        out->error = e;
        if (!e) {
            out->value.emplace(std::move(v));
        }
    });
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!out->done && std::chrono::steady_clock::now() < until) {
        if (io.stopped()) {
            io.restart();
        }
        io.run_one_for(std::chrono::milliseconds(20));
    }
    if (out->error) {
        std::rethrow_exception(out->error);
    }
    if (!out->done) {
        throw std::runtime_error("run_on: the task did not finish in time");
    }
    return std::move(*out->value);
}

} // namespace kharuul::testing
