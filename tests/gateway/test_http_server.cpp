// The HTTP listener over real loopback sockets, with a raw client that writes bytes as an
// attacker would: deadlines for whole requests and idle connections, statuses for malformed
// requests, HEAD, the connection cap and the descriptor limit (setrlimit on this process).
#include "gateway/http_server.hpp"

#include "tests/support/log_capture.hpp"
#include "tests/support/raw_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace kharuul::gateway {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using testing::raw_client;

// An http_server on its own I/O thread answering every request "ok\n".
class test_server {
public:
    explicit test_server(http_limits limits) {
        server_ = std::make_unique<http_server>(io_.get_executor(),
                                                tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), limits,
                                                [](http_request req, tcp::endpoint) -> asio::awaitable<http_response> {
                                                    http_response res{http::status::ok, req.version()};
                                                    res.set(http::field::content_type, "text/plain");
                                                    res.body() = "ok\n";
                                                    co_return res;
                                                });
        asio::co_spawn(io_, server_->run(), asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }
    ~test_server() {
        asio::post(io_, [this] { server_->cancel(); });
        thread_.join();
    }
    unsigned short port() const { return server_->local_endpoint().port(); }
    // Stops the server as the daemon does on SIGTERM; returns once cancel() has run.
    void cancel() {
        std::promise<void> done;
        asio::post(io_, [&] {
            server_->cancel();
            done.set_value();
        });
        done.get_future().get();
    }
    http_server_stats stats() {
        std::promise<http_server_stats> p;
        asio::post(io_, [&] { p.set_value(server_->stats()); });
        return p.get_future().get();
    }

private:
    asio::io_context io_{1};
    std::unique_ptr<http_server> server_;
    std::thread thread_;
};

const std::string get_request = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

double seconds_since(steady::time_point t0) {
    return std::chrono::duration<double>(steady::now() - t0).count();
}

http_limits short_limits(std::chrono::milliseconds read, std::chrono::milliseconds idle) {
    http_limits l;
    l.read_timeout = read;
    l.idle_timeout = idle;
    l.write_timeout = 2s;
    return l;
}

constexpr double margin = 0.7; // seconds a loaded CI machine may add to a deadline

// ---- deadlines (issue 9, item 6) -----------------------------------------------------------------

TEST(http_server, a_slow_header_and_a_slow_body_together_get_one_read_timeout) {
    test_server server(short_limits(1s, 5s));
    raw_client c;
    c.connect(server.port());
    const auto t0 = steady::now();
    std::atomic<bool> done{false};
    // The header completes after 0.8 s, then the body dribbles: one read timeout per part would
    // close at 1.8 s at the earliest.
    std::thread dribbler([&] {
        c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n");
        std::this_thread::sleep_for(800ms);
        c.send("\r\n");
        while (!done && seconds_since(t0) < 5) {
            std::this_thread::sleep_for(100ms);
            if (!c.send("x"))
                break;
        }
    });
    const bool closed = c.wait_closed();
    const double at = seconds_since(t0);
    done = true;
    dribbler.join();
    EXPECT_TRUE(closed);
    EXPECT_GE(at, 1.0);
    EXPECT_LE(at, 1.0 + margin);
    EXPECT_EQ(c.received().find("HTTP/1.1 200"), std::string::npos) << c.received();
}

TEST(http_server, a_kept_alive_connection_has_one_read_timeout_from_the_first_byte_of_its_next_request) {
    test_server server(short_limits(1s, 5s));
    raw_client c;
    c.connect(server.port());
    c.send(get_request);
    ASSERT_EQ(c.read_response(), 200);
    std::this_thread::sleep_for(300ms); // idle, well within the idle timeout
    const auto t1 = steady::now();
    std::atomic<bool> done{false};
    std::thread dribbler([&] {
        const std::string next = get_request;
        for (std::size_t i = 0; i + 1 < next.size() && !done; ++i) { // never the last byte
            if (!c.send(next.substr(i, 1)))
                break;
            std::this_thread::sleep_for(100ms);
        }
    });
    const bool closed = c.wait_closed();
    const double at = seconds_since(t1);
    done = true;
    dribbler.join();
    EXPECT_TRUE(closed);
    EXPECT_GE(at, 1.0 - 0.05); // the first byte left a moment after t1
    EXPECT_LE(at, 1.0 + margin);
}

TEST(http_server, an_idle_kept_alive_connection_is_closed_after_the_idle_timeout) {
    test_server server(short_limits(3s, 1s));
    raw_client c;
    c.connect(server.port());
    c.send(get_request);
    ASSERT_EQ(c.read_response(), 200);
    const auto t1 = steady::now();
    EXPECT_TRUE(c.wait_closed());
    const double at = seconds_since(t1);
    EXPECT_GE(at, 1.0 - 0.05);
    EXPECT_LE(at, 1.0 + margin);
}

// ---- a graceful stop (SIGTERM) ------------------------------------------------------------------

TEST(http_server,
     a_stop_closes_idle_connections_and_answers_the_request_still_arriving_with_connection_close) {
    test_server server(short_limits(5s, 30s));
    raw_client idle;
    idle.connect(server.port());
    idle.send(get_request);
    ASSERT_EQ(idle.read_response(), 200); // kept alive: now waiting for a next request
    raw_client arriving;
    arriving.connect(server.port());
    // One write: a request and the start of the next; the answer to the first says the server
    // has read the start of the second.
    arriving.send(get_request + "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n12345");
    ASSERT_EQ(arriving.read_response(), 200);
    server.cancel();
    EXPECT_TRUE(idle.wait_closed());
    arriving.send("67890");
    EXPECT_EQ(arriving.read_response(), 200) << arriving.received();
    EXPECT_NE(arriving.received().rfind("Connection: close\r\n"), std::string::npos) << arriving.received();
    EXPECT_TRUE(arriving.wait_closed());
}

// ---- statuses before the close (item 7) ---------------------------------------------------------

TEST(http_server, a_malformed_request_is_answered_400_before_the_close) {
    test_server server(short_limits(2s, 2s));
    for (const char* bad :
         {"GARBAGE\r\n\r\n", "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
          "GET / HTTP/1.1\r\nHost t\r\n\r\n", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n"}) {
        raw_client c;
        c.connect(server.port());
        c.send(bad);
        EXPECT_EQ(c.read_response(), 400) << bad << c.received();
        EXPECT_NE(c.received().find("Connection: close"), std::string::npos) << c.received();
        EXPECT_TRUE(c.wait_closed()) << bad;
    }
}

TEST(http_server, a_header_over_the_limit_is_answered_431) {
    auto limits = short_limits(2s, 2s);
    limits.max_header_bytes = 1024;
    test_server server(limits);
    raw_client c;
    c.connect(server.port());
    c.send("GET / HTTP/1.1\r\nHost: t\r\nX-Filler: " + std::string(2000, 'a') + "\r\n\r\n");
    EXPECT_EQ(c.read_response(), 431) << c.received();
    EXPECT_TRUE(c.wait_closed());
}

TEST(http_server, a_body_over_the_limit_is_answered_413) {
    auto limits = short_limits(2s, 2s);
    limits.max_body_bytes = 1024;
    test_server server(limits);
    raw_client c;
    c.connect(server.port());
    c.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'a'));
    EXPECT_EQ(c.read_response(), 413) << c.received();
}

TEST(http_server, head_is_answered_with_the_get_header_and_no_body) {
    test_server server(short_limits(2s, 2s));
    raw_client c;
    c.connect(server.port());
    // Pipelined: were the HEAD response to carry a body, it would stand before the second status line.
    c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_TRUE(c.wait_closed());
    const std::string& r = c.received();
    const auto first_end = r.find("\r\n\r\n");
    ASSERT_NE(first_end, std::string::npos) << r;
    EXPECT_NE(r.substr(0, first_end).find("Content-Length: 3"), std::string::npos) << r;
    EXPECT_EQ(r.compare(first_end + 4, 12, "HTTP/1.1 200"), 0) << r;
    EXPECT_EQ(r.substr(r.size() - 3), "ok\n") << r;
}

// ---- connections and descriptors (item 2) --------------------------------------------------------

TEST(http_server, at_the_connection_cap_the_longest_idle_connection_is_closed_first) {
    auto limits = short_limits(5s, 30s);
    limits.max_connections = 3;
    test_server server(limits);
    std::vector<std::unique_ptr<raw_client>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(std::make_unique<raw_client>(2s));
        idle.back()->connect(server.port());
        idle.back()->send(get_request);
        ASSERT_EQ(idle.back()->read_response(), 200) << i;
    }
    raw_client late;
    late.connect(server.port());
    late.send(get_request);
    EXPECT_EQ(late.read_response(), 200);
    EXPECT_TRUE(idle[0]->wait_closed()); // the longest idle
    for (int i = 1; i < 3; ++i) {        // the others still served
        idle[i]->send(get_request);
        EXPECT_EQ(idle[i]->read_response(), 200) << i;
    }
    EXPECT_EQ(server.stats().idle_closed, 1u);
}

// Lowers this process's soft descriptor limit and fills what is left with copies of a
// descriptor, so that the next accept fails with EMFILE; the destructor gives everything back.
class descriptors_exhausted {
public:
    descriptors_exhausted() {
        ::getrlimit(RLIMIT_NOFILE, &saved_);
        rlimit low = saved_;
        low.rlim_cur = std::min<rlim_t>(saved_.rlim_cur, 512);
        ::setrlimit(RLIMIT_NOFILE, &low);
        fill();
    }
    ~descriptors_exhausted() {
        release();
        ::setrlimit(RLIMIT_NOFILE, &saved_);
    }
    void fill() {
        for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;)
            fds_.push_back(fd);
    }
    void release() {
        for (int fd : fds_)
            ::close(fd);
        fds_.clear();
    }
    std::size_t held() const { return fds_.size(); }

private:
    rlimit saved_{};
    std::vector<int> fds_;
};

TEST(http_server, out_of_descriptors_it_backs_off_without_spinning_and_serves_again_once_they_free_up) {
    testing::log_capture log;
    auto limits = short_limits(5s, 30s);
    limits.max_connections = 100000; // the descriptor limit bites first
    test_server server(limits);
    raw_client late(3s), later(3s); // their descriptors exist before the limit is reached
    {
        descriptors_exhausted full;
        ASSERT_GT(full.held(), 0u);
        late.connect(server.port()); // completes in the kernel's backlog; the accept fails
        late.send(get_request);
        const auto t0 = steady::now();
        std::this_thread::sleep_for(1500ms); // what a spinning loop does in 1.5 s is the point
        const auto failures = server.stats().accept_failures;
        const double elapsed = seconds_since(t0);
        // Back-off 100, 200, 400, 800 ms: five attempts in 1.5 s; a spin makes hundreds of thousands.
        EXPECT_GE(failures, 2u);
        EXPECT_LE(failures, static_cast<std::uint64_t>(3 + elapsed / 0.1));
        EXPECT_LE(log.lines_containing("accept failed").size(), 1u);

        // Descriptors free up: the waiting connection is served within a back-off (at most 1 s).
        full.release();
        EXPECT_EQ(late.read_response(), 200) << late.received();

        // Exhausted again with `late` idle and kept alive: it is closed to make room for the next.
        full.fill();
        later.connect(server.port());
        later.send(get_request);
        EXPECT_EQ(later.read_response(), 200) << later.received();
        EXPECT_TRUE(late.wait_closed());
        EXPECT_GE(server.stats().idle_closed, 1u);
    }
}

} // namespace
} // namespace kharuul::gateway
