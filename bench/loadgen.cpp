// A constant-rate HTTP load generator for bench/http.sh (wrk only runs closed-loop, as fast as it
// can). Request k is due at start + k / rate, whatever happened before it; M kept-alive
// connections take the due requests in order, and each latency is measured from the request's due
// time, not from when a connection was free to send it, so a stall of the server counts for every
// request it delayed (no coordinated omission, as in wrk2).
//
//   loadgen --port P --rate R [--duration S] [--connections M] [--target PATH] [--body TEMPLATE]
//
// POSTs `application/x-www-form-urlencoded` bodies; every "{n}" in TEMPLATE becomes the request's
// index, so that each request can carry its own provider id and text. Prints one JSON object:
// {"rate", "duration_s", "connections", "due", "sent", "ok", "non_2xx", "errors", "late_unsent",
//  "achieved_rate", "latency_ms": {"p50", "p90", "p99", "p999", "max"}}. Exit 0 when it ran
// (whatever the answers), 1 on bad arguments. One thread.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

struct options {
    unsigned short port = 0;
    double rate = 0;      // requests per second
    double duration = 10; // seconds
    int connections = 32;
    std::string target = "/channels/generic/receive?secret=demo-secret";
    std::string body = "from=%2B97699000001&to=500&text=NIL%20ALT%20%23%20lg{n}&id=lg{n}";
};

struct run_state {
    options opt;
    clock_type::time_point start;
    clock_type::time_point end;     // no request is due at or after this
    clock_type::time_point give_up; // late requests not sent by then are counted, not sent
    std::uint64_t next = 0;
    std::uint64_t sent = 0, ok = 0, non_2xx = 0, errors = 0, late_unsent = 0;
    std::vector<double> latency_ms;
};

std::string body_for(const std::string& tmpl, std::uint64_t n) {
    std::string out;
    const std::string num = std::to_string(n);
    for (std::size_t i = 0; i < tmpl.size();) {
        if (tmpl.compare(i, 3, "{n}") == 0) {
            out += num;
            i += 3;
        } else {
            out += tmpl[i++];
        }
    }
    return out;
}

asio::awaitable<void> connection(run_state& st) {
    auto ex = co_await asio::this_coro::executor;
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), st.opt.port);
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    asio::steady_timer timer(ex);
    const auto interval = std::chrono::duration<double>(1.0 / st.opt.rate);
    for (;;) {
        const std::uint64_t k = st.next;
        const auto due =
            st.start + std::chrono::duration_cast<clock_type::duration>(interval * static_cast<double>(k));
        if (due >= st.end)
            break;
        ++st.next;
        if (clock_type::now() > st.give_up) {
            ++st.late_unsent;
            continue;
        }
        if (clock_type::now() < due) {
            timer.expires_at(due);
            co_await timer.async_wait(tuple_awaitable);
        }
        if (!stream) {
            stream.emplace(ex);
            stream->expires_after(std::chrono::seconds(5));
            auto [ec] = co_await stream->async_connect(ep, tuple_awaitable);
            if (ec) {
                ++st.errors;
                stream.reset();
                continue;
            }
            stream->socket().set_option(tcp::no_delay(true));
            buffer.clear();
        }
        http::request<http::string_body> req{http::verb::post, st.opt.target, 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        req.keep_alive(true);
        req.body() = body_for(st.opt.body, k);
        req.prepare_payload();
        stream->expires_after(std::chrono::seconds(10));
        ++st.sent;
        auto [wec, wn] = co_await http::async_write(*stream, req, tuple_awaitable);
        http::response<http::string_body> res;
        beast::error_code rec;
        if (!wec)
            std::tie(rec, wn) = co_await http::async_read(*stream, buffer, res, tuple_awaitable);
        if (wec || rec) {
            ++st.errors;
            stream.reset();
            continue;
        }
        st.latency_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - due).count());
        if (res.result_int() / 100 == 2)
            ++st.ok;
        else
            ++st.non_2xx;
        if (!res.keep_alive())
            stream.reset();
    }
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty())
        return 0;
    const auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size()))) - 1;
    return sorted[std::min(i, sorted.size() - 1)];
}

int usage() {
    std::cerr << "usage: loadgen --port P --rate R [--duration S] [--connections M] [--target PATH] "
                 "[--body TEMPLATE]\n";
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    run_state st;
    options& o = st.opt;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char* v = argv[++i];
        if (arg == "--port")
            o.port = static_cast<unsigned short>(std::atoi(v));
        else if (arg == "--rate")
            o.rate = std::atof(v);
        else if (arg == "--duration")
            o.duration = std::atof(v);
        else if (arg == "--connections")
            o.connections = std::atoi(v);
        else if (arg == "--target")
            o.target = v;
        else if (arg == "--body")
            o.body = v;
        else
            return usage();
    }
    if (o.port == 0 || o.rate <= 0 || o.duration <= 0 || o.connections <= 0)
        return usage();

    asio::io_context io{1};
    st.latency_ms.reserve(static_cast<std::size_t>(o.rate * o.duration) + 16);
    st.start = clock_type::now() + std::chrono::milliseconds(50); // connections get going first
    st.end = st.start +
             std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(o.duration));
    st.give_up = st.end + std::chrono::seconds(5);
    for (int c = 0; c < o.connections; ++c)
        asio::co_spawn(io, connection(st), asio::detached);
    io.run();
    const double elapsed = std::chrono::duration<double>(clock_type::now() - st.start).count();

    std::sort(st.latency_ms.begin(), st.latency_ms.end());
    const auto& l = st.latency_ms;
    std::printf("{\"rate\": %.1f, \"duration_s\": %.1f, \"connections\": %d, \"due\": %llu, \"sent\": %llu, "
                "\"ok\": %llu, \"non_2xx\": %llu, \"errors\": %llu, \"late_unsent\": %llu, "
                "\"achieved_rate\": %.1f, \"latency_ms\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, "
                "\"p999\": %.3f, \"max\": %.3f}}\n",
                o.rate, o.duration, o.connections, static_cast<unsigned long long>(st.next),
                static_cast<unsigned long long>(st.sent), static_cast<unsigned long long>(st.ok),
                static_cast<unsigned long long>(st.non_2xx), static_cast<unsigned long long>(st.errors),
                static_cast<unsigned long long>(st.late_unsent), static_cast<double>(st.ok) / elapsed,
                percentile(l, 50), percentile(l, 90), percentile(l, 99), percentile(l, 99.9),
                l.empty() ? 0.0 : l.back());
    return 0;
}
