// The limit of the HTTP stack for bench/http.sh: the gateway's own listener (gateway/http_server,
// one io_context thread, the same deadlines and keep-alive) with a handler that does no work and
// answers at once. Also the benchmark's stand-in for Kannel's SMSC `send-url` (202 "Sent.").
//
//   bare_server [--port P] [--status 200] [--body ok]
//
// Prints "listening on PORT" on stdout once it accepts (port 0, the default, picks a free one),
// serves until SIGTERM or SIGINT, then exits 0.
#include "gateway/http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using kharuul::gateway::http_request;
using kharuul::gateway::http_response;

// A free function, not a coroutine lambda: its parameters live in the coroutine frame.
asio::awaitable<http_response> answer(http_request req, http::status status, std::string body) {
    http_response res{status, req.version()};
    res.set(http::field::content_type, "text/plain");
    res.body() = std::move(body);
    res.prepare_payload();
    co_return res;
}

int usage() {
    std::cerr << "usage: bare_server [--port P] [--status CODE] [--body TEXT]\n";
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    unsigned short port = 0;
    unsigned status = 200;
    std::string body = "ok";
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc)
            return usage();
        if (arg == "--port")
            port = static_cast<unsigned short>(std::atoi(argv[++i]));
        else if (arg == "--status")
            status = static_cast<unsigned>(std::atoi(argv[++i]));
        else if (arg == "--body")
            body = argv[++i];
        else
            return usage();
    }

    asio::io_context io{1};
    kharuul::gateway::http_server server(
        io.get_executor(), asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), {},
        [status, body](http_request req, asio::ip::tcp::endpoint) {
            return answer(std::move(req), static_cast<http::status>(status), body);
        });
    asio::co_spawn(io, server.run(), asio::detached);
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) { server.cancel(); });
    std::cout << "listening on " << server.local_endpoint().port() << std::endl;
    io.run();
    return 0;
}
