// A blocking HTTP/1.1 client for the API's tests: any method, any request headers, and the
// response's headers read back (Set-Cookie, Retry-After, the security headers). One request per
// connection over loopback, with a deadline.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kharuul::testing {

struct api_reply {
    int status = 0; // 0: no answer
    std::string body;
    std::map<std::string, std::string> headers; // lower-case names; a repeated one keeps the last

    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

inline api_reply api_call(unsigned short port, boost::beast::http::verb method, const std::string& target,
                          const std::vector<std::pair<std::string, std::string>>& headers = {},
                          const std::string& body = {}, std::chrono::milliseconds timeout = std::chrono::seconds(40)) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    api_reply out;
    try {
        stream.expires_after(timeout);
        stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        http::request<http::string_body> req{method, target, 11};
        req.set(http::field::host, "127.0.0.1");
        for (const auto& [k, v] : headers)
            req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(stream, buf, res);
        out.status = res.result_int();
        out.body = res.body();
        for (const auto& f : res) {
            std::string name(f.name_string());
            for (auto& c : name)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            out.headers[name] = std::string(f.value());
        }
        beast::error_code ec;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    } catch (const std::exception&) {
        out.status = 0;
    }
    return out;
}

} // namespace kharuul::testing
