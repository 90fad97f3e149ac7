#include "tests/integration/loopback_http.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <exception>
#include <memory>

namespace kharuul::integration {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < in.size() && hex_digit(in[i + 1]) >= 0 && hex_digit(in[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_digit(in[i + 1]) * 16 + hex_digit(in[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

tcp::endpoint loopback(std::uint16_t port) {
    return {asio::ip::address_v4::loopback(), port};
}

} // namespace

query_params parse_query(std::string_view target) {
    std::string_view query;
    if (auto q = target.find('?'); q != std::string_view::npos)
        query = target.substr(q + 1);
    else if (target.find('=') != std::string_view::npos)
        query = target;
    if (auto hash = query.find('#'); hash != std::string_view::npos)
        query = query.substr(0, hash);
    query_params out;
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view part = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (part.empty())
            continue;
        auto eq = part.find('=');
        if (eq == std::string_view::npos)
            out.emplace_back(percent_decode(part), std::string{});
        else
            out.emplace_back(percent_decode(part.substr(0, eq)), percent_decode(part.substr(eq + 1)));
    }
    return out;
}

std::optional<std::string> query_value(const query_params& params, std::string_view key) {
    for (const auto& [k, v] : params)
        if (k == key)
            return v;
    return std::nullopt;
}

std::string url_encode(std::string_view bytes) {
    return boost::urls::encode(bytes, boost::urls::unreserved_chars);
}

std::string make_query(const query_params& params) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!out.empty())
            out.push_back('&');
        out += url_encode(k);
        out.push_back('=');
        out += url_encode(v);
    }
    return out;
}

std::string_view target_path(std::string_view target) {
    return target.substr(0, target.find('?'));
}

http_response text_response(std::string body, http::status status, std::string_view content_type) {
    http_response res{status, 11};
    res.set(http::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

loopback_http_server::loopback_http_server(handler h, std::uint16_t port)
    : acceptor_(ioc_, loopback(port)), handler_(std::move(h)) {
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
}

loopback_http_server::~loopback_http_server() {
    asio::post(ioc_, [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        ioc_.stop(); // abandons kept-alive sessions; their frames die with ioc_
    });
    thread_.join();
}

asio::awaitable<void> loopback_http_server::accept_loop() {
    for (;;) {
        auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open())
            co_return;
        if (ec)
            continue;
        asio::co_spawn(ioc_, session(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> loopback_http_server::session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    for (;;) {
        http_request req;
        stream.expires_after(std::chrono::seconds(60));
        auto [rec, rn] = co_await http::async_read(stream, buffer, req, asio::as_tuple(asio::use_awaitable));
        if (rec)
            break;
        http_response res;
        try {
            res = handler_(req);
        } catch (const std::exception& e) {
            res =
                text_response(std::string("handler threw: ") + e.what(), http::status::internal_server_error);
        }
        res.version(req.version());
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        stream.expires_after(std::chrono::seconds(10));
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        if (wec || !res.keep_alive())
            break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

asio::awaitable<std::optional<http_reply>> async_http_get(std::uint16_t port, std::string target,
                                                          std::chrono::milliseconds timeout) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    stream.expires_after(timeout);
    auto [cec] = co_await stream.async_connect(loopback(port), asio::as_tuple(asio::use_awaitable));
    if (cec)
        co_return std::nullopt;
    http_request req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(http::field::connection, "close");
    auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    if (wec)
        co_return std::nullopt;
    beast::flat_buffer buffer;
    http_response res;
    auto [rec, rn] = co_await http::async_read(stream, buffer, res, asio::as_tuple(asio::use_awaitable));
    if (rec)
        co_return std::nullopt;
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return http_reply{res.result_int(), std::move(res.body()),
                         std::string(res[http::field::content_type])};
}

std::optional<http_reply> http_get(std::uint16_t port, std::string target,
                                   std::chrono::milliseconds timeout) {
    asio::io_context ioc;
    std::optional<http_reply> result;
    std::exception_ptr failure;
    asio::co_spawn(ioc, async_http_get(port, std::move(target), timeout),
                   [&](std::exception_ptr e, std::optional<http_reply> r) {
                       failure = e;
                       result = std::move(r);
                   });
    ioc.run();
    if (failure)
        std::rethrow_exception(failure);
    return result;
}

bool port_accepts(std::uint16_t port) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect(loopback(port), ec);
    return !ec;
}

std::vector<std::uint16_t> pick_free_ports(std::size_t n) {
    asio::io_context ioc;
    std::vector<tcp::acceptor> held;
    std::vector<std::uint16_t> ports;
    for (std::size_t i = 0; i < n; ++i) {
        held.emplace_back(ioc, loopback(0));
        ports.push_back(held.back().local_endpoint().port());
    }
    return ports;
}

} // namespace kharuul::integration
