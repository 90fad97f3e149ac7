// A constant-rate HTTP load generator for bench/http.sh (wrk only runs closed-loop, as fast as it
// can). Request k is due at start + k / rate, whatever happened before it; M kept-alive
// connections take the due requests in order, and each latency is measured from the request's due
// time, not from when a connection was free to send it, so a stall of the server counts for every
// request it delayed (no coordinated omission, as in wrk2).
//
//   loadgen --port P --rate R [--duration S] [--connections M] [--target PATH]
//           [--body TEMPLATE | --bodies FILE [--seed N]] [--pipeline N] [--timeout S]
//
// POSTs `application/x-www-form-urlencoded` bodies; every "{n}" in a template becomes the request's
// index, so that each request can carry its own provider id and text. --bodies FILE: one template
// a line (empty lines skipped), taken in a shuffled order that is the same for the same --seed and
// file, every line once a cycle: a line written four times is sent four times as often (the
// realistic mix of bench/http.sh).
//
// --rate 0: closed loop, each connection sends its next request(s) as soon as the last answer
// came (wrk's way; latency from the send), until the duration is over. --pipeline N: a connection
// writes up to N requests at once and then reads their N answers (open loop: the due requests,
// at most N; closed loop: always N): the overload stage's offered load. Every request sent is
// answered or counted as an error before loadgen exits: no request is left in flight, so "ok" is
// every 2xx answer the server gave.
//
// Prints one JSON object: {"rate", "duration_s", "connections", "pipeline", "due", "sent", "ok",
// "non_2xx", "status_503", "retry_after_503", "errors", "timeouts", "late_unsent", "elapsed_s",
// "achieved_rate", "latency_ms": {"p50", "p90", "p99", "p999", "max"}} (latency over every answer;
// "achieved_rate" is 2xx answers per second of elapsed_s; "errors" counts failed connects, reads
// and writes, "timeouts" those of them that ran out of --timeout). Exit 0 when it ran (whatever
// the answers), 1 on bad arguments. One thread.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
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
    double rate = 0;      // requests per second; 0: closed loop
    double duration = 10; // seconds
    int connections = 32;
    int pipeline = 1;
    double timeout = 10; // seconds a connect, or a write with its reads, may take
    std::uint64_t seed = 1;
    std::string target = "/channels/generic/receive?secret=demo-secret";
    std::vector<std::string> bodies{"from=%2B97699000001&to=500&text=NIL%20ALT%20%23%20lg{n}&id=lg{n}"};
};

struct run_state {
    options opt;
    std::vector<std::size_t> order; // request k uses bodies[order[k % order.size()]]
    clock_type::time_point start;
    clock_type::time_point end;     // no request is due (closed loop: sent) at or after this
    clock_type::time_point give_up; // late requests not sent by then are counted, not sent
    std::uint64_t next = 0;
    std::uint64_t sent = 0, ok = 0, non_2xx = 0, status_503 = 0, retry_after_503 = 0, errors = 0, timeouts = 0,
                  late_unsent = 0;
    std::vector<double> latency_ms;
};

// splitmix64: the shuffle is the same on every machine for a seed (no std::*_distribution).
std::uint64_t splitmix(std::uint64_t& s) {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::vector<std::size_t> shuffled(std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = i;
    for (std::size_t i = n; i > 1; --i)
        std::swap(v[i - 1], v[splitmix(seed) % i]);
    return v;
}

void append_request(std::string& out, const run_state& st, std::uint64_t k) {
    const std::string& tmpl = st.opt.bodies[st.order[k % st.order.size()]];
    std::string body;
    const std::string num = std::to_string(k);
    for (std::size_t i = 0; i < tmpl.size();) {
        if (tmpl.compare(i, 3, "{n}") == 0) {
            body += num;
            i += 3;
        } else {
            body += tmpl[i++];
        }
    }
    out += "POST ";
    out += st.opt.target;
    out += " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ";
    out += std::to_string(body.size());
    out += "\r\n\r\n";
    out += body;
}

void count_error(run_state& st, const beast::error_code& ec, std::uint64_t n) {
    st.errors += n;
    if (ec == beast::error::timeout)
        st.timeouts += n;
}

asio::awaitable<void> connection(run_state& st) {
    auto ex = co_await asio::this_coro::executor;
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), st.opt.port);
    const bool closed_loop = st.opt.rate <= 0;
    const auto deadline = std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(st.opt.timeout));
    const auto interval = std::chrono::duration<double>(closed_loop ? 0.0 : 1.0 / st.opt.rate);
    auto due_of = [&](std::uint64_t k) {
        return st.start + std::chrono::duration_cast<clock_type::duration>(interval * static_cast<double>(k));
    };
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;
    asio::steady_timer timer(ex);
    std::string wire;
    std::vector<clock_type::time_point> dues;
    for (;;) {
        // The batch: the next request, when it is due, and (pipelining) the next ones already due.
        dues.clear();
        wire.clear();
        if (closed_loop) {
            if (clock_type::now() >= st.end)
                break;
        } else {
            const std::uint64_t k = st.next;
            const auto due = due_of(k);
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
            append_request(wire, st, k);
            dues.push_back(due);
        }
        const auto now = clock_type::now();
        while (static_cast<int>(dues.size()) < st.opt.pipeline) {
            const std::uint64_t k = st.next;
            if (!closed_loop && (due_of(k) >= st.end || due_of(k) > now))
                break;
            ++st.next;
            append_request(wire, st, k);
            dues.push_back(closed_loop ? now : due_of(k));
        }
        const auto n = static_cast<std::uint64_t>(dues.size());
        if (!stream) {
            stream.emplace(ex);
            stream->expires_after(deadline);
            auto [ec] = co_await stream->async_connect(ep, tuple_awaitable);
            if (ec) {
                count_error(st, ec, n);
                stream.reset();
                continue;
            }
            stream->socket().set_option(tcp::no_delay(true));
            buffer.clear();
        }
        stream->expires_after(deadline);
        st.sent += n;
        auto [wec, wn] = co_await asio::async_write(*stream, asio::buffer(wire), tuple_awaitable);
        if (wec) {
            count_error(st, wec, n);
            stream.reset();
            continue;
        }
        bool keep = true;
        for (std::uint64_t i = 0; i < n; ++i) {
            http::response<http::string_body> res;
            auto [rec, rn] = co_await http::async_read(*stream, buffer, res, tuple_awaitable);
            if (rec) {
                count_error(st, rec, n - i);
                keep = false;
                break;
            }
            st.latency_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - dues[i]).count());
            if (res.result_int() / 100 == 2) {
                ++st.ok;
            } else {
                ++st.non_2xx;
                if (res.result_int() == 503) {
                    ++st.status_503;
                    if (res.find(http::field::retry_after) != res.end())
                        ++st.retry_after_503;
                }
            }
            if (!res.keep_alive()) {
                // The server closes after this answer: the rest of the batch was never answered.
                if (i + 1 < n)
                    st.errors += n - i - 1;
                keep = false;
                break;
            }
        }
        if (!keep)
            stream.reset();
    }
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty())
        return 0;
    const auto i = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size()))) - 1;
    return sorted[std::min(i, sorted.size() - 1)];
}

int usage(const char* why = nullptr) {
    if (why)
        std::cerr << "loadgen: " << why << "\n";
    std::cerr << "usage: loadgen --port P --rate R [--duration S] [--connections M] [--target PATH] "
                 "[--body TEMPLATE | --bodies FILE [--seed N]] [--pipeline N] [--timeout S]\n";
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    run_state st;
    options& o = st.opt;
    bool have_rate = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char* v = argv[++i];
        if (arg == "--port") {
            o.port = static_cast<unsigned short>(std::atoi(v));
        } else if (arg == "--rate") {
            o.rate = std::atof(v);
            have_rate = true;
        } else if (arg == "--duration") {
            o.duration = std::atof(v);
        } else if (arg == "--connections") {
            o.connections = std::atoi(v);
        } else if (arg == "--pipeline") {
            o.pipeline = std::atoi(v);
        } else if (arg == "--timeout") {
            o.timeout = std::atof(v);
        } else if (arg == "--seed") {
            o.seed = std::strtoull(v, nullptr, 10);
        } else if (arg == "--target") {
            o.target = v;
        } else if (arg == "--body") {
            o.bodies = {v};
        } else if (arg == "--bodies") {
            std::ifstream in(v);
            if (!in)
                return usage("cannot read the --bodies file");
            o.bodies.clear();
            for (std::string line; std::getline(in, line);) {
                if (!line.empty() && line.back() == '\r')
                    line.pop_back();
                if (!line.empty())
                    o.bodies.push_back(line);
            }
            if (o.bodies.empty())
                return usage("the --bodies file has no line");
        } else {
            return usage();
        }
    }
    if (o.port == 0 || !have_rate || o.rate < 0 || o.duration <= 0 || o.connections <= 0 || o.pipeline <= 0 ||
        o.timeout <= 0)
        return usage();
    st.order = shuffled(o.bodies.size(), o.seed);

    asio::io_context io{1};
    if (o.rate > 0)
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
    auto u = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    std::printf("{\"rate\": %.1f, \"duration_s\": %.1f, \"connections\": %d, \"pipeline\": %d, \"due\": %llu, "
                "\"sent\": %llu, \"ok\": %llu, \"non_2xx\": %llu, \"status_503\": %llu, \"retry_after_503\": %llu, "
                "\"errors\": %llu, \"timeouts\": %llu, \"late_unsent\": %llu, \"elapsed_s\": %.3f, "
                "\"achieved_rate\": %.1f, \"latency_ms\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, "
                "\"p999\": %.3f, \"max\": %.3f}}\n",
                o.rate, o.duration, o.connections, o.pipeline, u(st.next), u(st.sent), u(st.ok), u(st.non_2xx),
                u(st.status_503), u(st.retry_after_503), u(st.errors), u(st.timeouts), u(st.late_unsent), elapsed,
                static_cast<double>(st.ok) / elapsed, percentile(l, 50), percentile(l, 90), percentile(l, 99),
                percentile(l, 99.9), l.empty() ? 0.0 : l.back());
    return 0;
}
