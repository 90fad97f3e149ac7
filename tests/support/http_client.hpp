// A small blocking HTTP/1.1 client for tests: one request per connection over loopback, with a
// deadline so a hung server fails the test instead of hanging it.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <string>

namespace kharuul::testing {

struct http_reply {
    int status = 0; // 0: no answer (connection refused, reset, timeout)
    std::string body;
    std::string content_type;
};

inline http_reply http_call(unsigned short port, boost::beast::http::verb method, const std::string& target,
                            const std::string& body = {}, const std::string& content_type = {},
                            const std::string& authorization = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    http_reply out;
    try {
        stream.expires_after(timeout);
        stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!content_type.empty())
            req.set(http::field::content_type, content_type);
        if (!authorization.empty())
            req.set(http::field::authorization, authorization);
        req.body() = body;
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(stream, buf, res);
        out.status = res.result_int();
        out.body = res.body();
        out.content_type = std::string(res[http::field::content_type]);
        beast::error_code ec;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    } catch (const std::exception&) {
        out.status = 0;
    }
    return out;
}

inline http_reply http_post(unsigned short port, const std::string& target, const std::string& body,
                            const std::string& content_type = "application/x-www-form-urlencoded") {
    return http_call(port, boost::beast::http::verb::post, target, body, content_type);
}

inline http_reply http_get(unsigned short port, const std::string& target) {
    return http_call(port, boost::beast::http::verb::get, target);
}

// Percent-encodes a form value (application/x-www-form-urlencoded, space as %20).
inline std::string form_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~')
            out += static_cast<char>(c);
        else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace kharuul::testing
