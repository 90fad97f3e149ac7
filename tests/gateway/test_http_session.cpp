// The HTTP session on an io_context the fixture owns, over Beast's test stream (style.md 15b):
// the n-th operation fails, for every n, and the session ends cleanly with the right outcome (the
// handler never runs for a request that did not arrive whole, a failed write is logged and the
// connection closed); read and idle deadlines; the 413/431/400 answers; the listener's interrupt.
// The same paths over real sockets are in test_http_server.cpp.
#include "gateway/http_session.hpp"

#include "tests/support/log_capture.hpp"
#include "tests/support/watched_stream.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::gateway {
namespace {

namespace asio = boost::asio;
namespace test = boost::beast::test;
using testing::watched_stream;
using namespace std::chrono_literals;

const std::string post_request =
    "POST /channels/generic/receive HTTP/1.1\r\nHost: t\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 34\r\n\r\n"
    "from=%2B97699000001&text=NIL%20ALT";

http_limits test_limits() {
    http_limits l;
    l.read_timeout = 5s; // far: the tests below that reach a deadline set a short one
    l.idle_timeout = 5s;
    l.write_timeout = 5s;
    l.max_body_bytes = 1024;
    l.max_header_bytes = 512;
    return l;
}

class http_session : public ::testing::Test {
protected:
    asio::io_context io;
    connection_slot slot;
    bool stopping = false;
    std::vector<std::string> handled; // the bodies of the requests the handler saw
    bool throw_in_handler = false;

    http_handler handler = [this](http_request req, asio::ip::tcp::endpoint) -> asio::awaitable<http_response> {
        handled.push_back(req.body());
        if (throw_in_handler)
            throw std::runtime_error("the store went away");
        http_response res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"status":"accepted","reply":"NIL OK: ALT"})";
        co_return res;
    };

    std::optional<session_end> end;
    std::exception_ptr failure;

    http_limits limits; // the running session's: it holds a reference

    // Starts a session on `stream`; it runs as the test runs the io_context.
    void start(watched_stream& stream, const http_limits& with = test_limits()) {
        end.reset();
        failure = nullptr;
        limits = with;
        asio::co_spawn(io, serve_session(stream, limits, handler, slot, stopping),
                       [this](std::exception_ptr e, session_end r) {
                           failure = e;
                           end = r;
                       });
    }

    // Runs the io_context until the session has ended (at most 10 s: a hung session fails the test).
    std::optional<session_end> finish() {
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        io.restart(); // after an earlier run ran out of work
        while (!end && std::chrono::steady_clock::now() < deadline)
            io.run_one_for(100ms);
        EXPECT_FALSE(failure) << "the session threw";
        EXPECT_TRUE(end) << "the session did not end within 10 s";
        return end;
    }

    std::optional<session_end> run(watched_stream& stream, const http_limits& with = test_limits()) {
        start(stream, with);
        return finish();
    }

    // True when the session closed its end of `peer` (a read there sees end of stream once what
    // was written is taken).
    bool closed(test::stream& peer) {
        peer.clear();
        std::optional<boost::system::error_code> got;
        std::array<char, 64> buf{};
        peer.async_read_some(asio::buffer(buf), [&](boost::system::error_code ec, std::size_t) { got = ec; });
        const auto deadline = std::chrono::steady_clock::now() + 1s;
        io.restart();
        while (!got && std::chrono::steady_clock::now() < deadline)
            io.run_one_for(50ms);
        if (!got) {
            peer.close(); // ends the pending read
            io.restart();
            io.poll();
            return false;
        }
        return *got == asio::error::eof;
    }
};

// A stream with `input` waiting to be read and then the end of the stream, `peer` reading what
// the session writes; at most `chunk` bytes per read and write, so that a request takes several
// reads and a response several writes.
void feed(watched_stream& stream, test::stream& peer, const std::string& input, std::size_t chunk = 16) {
    stream.next_layer().connect(peer);
    stream.next_layer().read_size(chunk);
    stream.next_layer().write_size(chunk);
    stream.next_layer().append(input);
    stream.next_layer().close_remote();
}

TEST_F(http_session, a_request_is_answered_and_the_session_ends_when_the_peer_closes) {
    watched_stream stream(io);
    test::stream peer(io);
    feed(stream, peer, post_request);
    EXPECT_EQ(run(stream), session_end::peer_closed);
    ASSERT_EQ(handled.size(), 1u);
    EXPECT_EQ(handled[0], "from=%2B97699000001&text=NIL%20ALT");
    const std::string written(peer.str());
    EXPECT_TRUE(written.starts_with("HTTP/1.1 200 OK\r\n")) << written;
    EXPECT_TRUE(written.ends_with(R"({"status":"accepted","reply":"NIL OK: ALT"})")) << written;
    EXPECT_TRUE(closed(peer));
    EXPECT_FALSE(slot.interrupt) << "the slot keeps no reference to a stream that is gone";
}

// Where the n-th operation failed, judged by what the session did.
enum class failed_at { request_read, response_write, next_request_read, nowhere };

TEST_F(http_session,
       failing_each_operation_in_turn_ends_the_session_cleanly_and_handles_only_whole_requests) {
    // The whole exchange without failures, for comparison.
    std::string full;
    {
        watched_stream stream(io);
        test::stream peer(io);
        feed(stream, peer, post_request);
        ASSERT_EQ(run(stream), session_end::peer_closed);
        full = std::string(peer.str());
        handled.clear();
    }
    std::vector<failed_at> phases;
    for (std::size_t n = 0; n < 200; ++n) {
        testing::log_capture log(spdlog::level::debug);
        test::fail_count fc(n);
        watched_stream stream(io, fc);
        test::stream peer(io);
        feed(stream, peer, post_request);
        handled.clear();
        const auto ended = run(stream);
        ASSERT_TRUE(ended) << n;
        const std::string written(peer.str());
        EXPECT_TRUE(closed(peer)) << "operation " << n << ": the connection is closed";
        if (*ended == session_end::peer_closed) {
            EXPECT_EQ(handled.size(), 1u);
            EXPECT_EQ(written, full);
            phases.push_back(failed_at::nowhere);
            break;
        }
        if (*ended == session_end::write_failed) {
            EXPECT_EQ(handled.size(), 1u) << n;
            EXPECT_LT(written.size(), full.size()) << n;
            EXPECT_TRUE(full.starts_with(written)) << n;
            EXPECT_EQ(log.lines_containing("http: write failed").size(), 1u) << n;
            phases.push_back(failed_at::response_write);
            continue;
        }
        ASSERT_EQ(*ended, session_end::read_failed) << n << ": " << session_end_name(*ended);
        EXPECT_EQ(log.lines_containing("http: read failed").size(), 1u) << n;
        if (handled.empty()) {
            EXPECT_EQ(written, "") << n << ": nothing answered for a request that did not arrive";
            phases.push_back(failed_at::request_read);
        } else {
            EXPECT_EQ(handled.size(), 1u) << n;
            EXPECT_EQ(written, full) << n;
            phases.push_back(failed_at::next_request_read);
        }
    }
    ASSERT_FALSE(phases.empty());
    ASSERT_EQ(phases.back(), failed_at::nowhere) << "some operation always failed";
    // In order: the request's reads, the response's writes, the wait for a next request; each
    // reached (16 bytes per operation: several reads and writes).
    EXPECT_TRUE(std::is_sorted(phases.begin(), phases.end()));
    EXPECT_GE(std::count(phases.begin(), phases.end(), failed_at::request_read), 5);
    EXPECT_GE(std::count(phases.begin(), phases.end(), failed_at::response_write), 3);
    EXPECT_EQ(std::count(phases.begin(), phases.end(), failed_at::next_request_read), 1);
}

TEST_F(http_session, failing_each_operation_of_a_refusal_ends_it_cleanly_without_the_handler) {
    const std::string too_large =
        "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'a');
    bool refused_whole = false;
    for (std::size_t n = 0; n < 2000 && !refused_whole; ++n) {
        test::fail_count fc(n);
        watched_stream stream(io, fc);
        test::stream peer(io);
        feed(stream, peer, too_large, 256);
        const auto ended = run(stream);
        ASSERT_TRUE(ended) << n;
        EXPECT_TRUE(handled.empty()) << n;
        const std::string written(peer.str());
        EXPECT_TRUE(closed(peer)) << n;
        if (*ended == session_end::refused) {
            // Answered, then lingering reads what the client still sends until the end or a failure.
            EXPECT_TRUE(written.starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << written;
            EXPECT_NE(written.find("Connection: close\r\n"), std::string::npos) << written;
            refused_whole = true;
        } else {
            EXPECT_TRUE(*ended == session_end::read_failed || *ended == session_end::write_failed)
                << n << ": " << session_end_name(*ended);
            EXPECT_EQ(written.find("HTTP/1.1 200"), std::string::npos) << n;
        }
    }
    EXPECT_TRUE(refused_whole);
}

TEST_F(http_session, a_body_over_the_limit_is_answered_413_and_a_header_over_it_431_without_the_handler) {
    struct row {
        std::string input;
        std::string status_line;
    };
    const row rows[] = {
        {"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1025\r\n\r\n" + std::string(1025, 'x'),
         "HTTP/1.1 413 Payload Too Large\r\n"},
        {"GET / HTTP/1.1\r\nHost: t\r\nX-Filler: " + std::string(600, 'a') + "\r\n\r\n",
         "HTTP/1.1 431 Request Header Fields Too Large\r\n"},
        {"GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n"},
    };
    for (const auto& r : rows) {
        watched_stream stream(io);
        test::stream peer(io);
        feed(stream, peer, r.input, 4096);
        EXPECT_EQ(run(stream), session_end::refused) << r.status_line;
        EXPECT_TRUE(std::string(peer.str()).starts_with(r.status_line)) << peer.str();
        EXPECT_TRUE(closed(peer));
    }
    EXPECT_TRUE(handled.empty());
    // At the limit exactly: handled.
    watched_stream stream(io);
    test::stream peer(io);
    feed(stream, peer, "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" + std::string(1024, 'x'),
         4096);
    EXPECT_EQ(run(stream), session_end::peer_closed);
    ASSERT_EQ(handled.size(), 1u);
    EXPECT_EQ(handled[0].size(), 1024u);
}

TEST_F(http_session, a_request_not_complete_within_the_read_timeout_ends_in_a_read_timeout_unanswered) {
    auto short_deadline = test_limits();
    short_deadline.read_timeout = 100ms;
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    stream.next_layer().append(
        post_request.substr(0, post_request.size() - 5)); // the body's last 5 bytes never come
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_EQ(run(stream, short_deadline), session_end::read_timeout);
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 100ms);
    EXPECT_TRUE(stream.timed_out());
    EXPECT_TRUE(handled.empty());
    EXPECT_EQ(peer.str(), "");
    EXPECT_TRUE(closed(peer));
}

TEST_F(http_session, a_connection_that_never_sends_a_byte_ends_in_an_idle_timeout_at_the_read_timeout) {
    auto short_deadline = test_limits();
    short_deadline.read_timeout = 100ms; // the first request is due within the read timeout of the accept
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    EXPECT_EQ(run(stream, short_deadline), session_end::idle_timeout);
    EXPECT_TRUE(handled.empty());
    EXPECT_TRUE(closed(peer));
}

TEST_F(http_session,
       a_kept_alive_connection_without_a_next_request_ends_in_an_idle_timeout_after_its_answer) {
    auto short_deadline = test_limits();
    short_deadline.idle_timeout = 100ms;
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    stream.next_layer().append(post_request); // kept alive (HTTP/1.1), and then nothing
    EXPECT_EQ(run(stream, short_deadline), session_end::idle_timeout);
    EXPECT_EQ(handled.size(), 1u);
    EXPECT_TRUE(std::string(peer.str()).starts_with("HTTP/1.1 200 OK\r\n")) << peer.str();
    EXPECT_TRUE(closed(peer));
}

TEST_F(http_session, pipelined_requests_are_answered_in_order_and_connection_close_ends_the_session) {
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    stream.next_layer().append(post_request +
                               "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(run(stream), session_end::closed);
    EXPECT_EQ(handled.size(), 2u);
    const std::string written(peer.str());
    const auto second = written.find("HTTP/1.1 200 OK\r\n", 1);
    ASSERT_NE(second, std::string::npos) << written;
    EXPECT_NE(written.find("Connection: close\r\n", second), std::string::npos) << written;
    EXPECT_TRUE(closed(peer));
}

TEST_F(http_session, a_handler_that_throws_is_answered_500_and_logged) {
    testing::log_capture log;
    throw_in_handler = true;
    watched_stream stream(io);
    test::stream peer(io);
    feed(stream, peer, post_request);
    EXPECT_EQ(run(stream), session_end::closed);
    EXPECT_TRUE(std::string(peer.str()).starts_with("HTTP/1.1 500 Internal Server Error\r\n")) << peer.str();
    EXPECT_EQ(log.lines_containing("http: handler failed: the store went away").size(), 1u);
    EXPECT_TRUE(closed(peer));
}

TEST_F(http_session, the_listener_interrupting_an_idle_connection_ends_it_without_an_answer) {
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    start(stream);
    io.restart();
    io.poll(); // the session now waits for the first byte of a request
    ASSERT_FALSE(end);
    ASSERT_TRUE(slot.idle);
    ASSERT_TRUE(slot.interrupt);
    stopping = true;
    slot.interrupt(); // as http_server::cancel() does
    EXPECT_EQ(finish(), session_end::interrupted);
    EXPECT_TRUE(stream.interrupted());
    EXPECT_TRUE(handled.empty());
    EXPECT_EQ(peer.str(), "");
    EXPECT_TRUE(closed(peer));
}

TEST_F(http_session, a_request_that_is_arriving_when_the_listener_stops_is_answered_with_connection_close) {
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    const std::string head = post_request.substr(0, 60), rest = post_request.substr(60);
    stream.next_layer().append(head);
    start(stream);
    io.restart();
    io.poll(); // the session has the request's first bytes and waits for the rest
    ASSERT_FALSE(end);
    EXPECT_FALSE(slot.idle) << "a connection with a request arriving is not idle: a stop leaves it to finish";
    stopping = true;
    asio::write(peer, asio::buffer(rest));
    EXPECT_EQ(finish(), session_end::closed);
    ASSERT_EQ(handled.size(), 1u);
    const std::string written(peer.str());
    EXPECT_TRUE(written.starts_with("HTTP/1.1 200 OK\r\n")) << written;
    EXPECT_NE(written.find("Connection: close\r\n"), std::string::npos) << written;
}

TEST_F(http_session, a_next_request_begun_when_the_stop_comes_just_after_an_answer_is_answered_too) {
    watched_stream stream(io);
    test::stream peer(io);
    stream.next_layer().connect(peer);
    const std::string head = post_request.substr(0, 60), rest = post_request.substr(60);
    stream.next_layer().append(post_request + head); // pipelined: the next request has begun
    start(stream);
    // Step until the first answer is out, before the session has taken up the next request.
    io.restart();
    const std::string first_answer_end = R"({"status":"accepted","reply":"NIL OK: ALT"})";
    while (!end && std::string(peer.str()).find(first_answer_end) == std::string::npos)
        ASSERT_EQ(io.run_one(), 1u);
    stopping = true;
    asio::write(peer, asio::buffer(rest));
    EXPECT_EQ(finish(), session_end::closed);
    EXPECT_EQ(handled.size(), 2u);
    const std::string written(peer.str());
    const auto second = written.find("HTTP/1.1 200 OK\r\n", 1);
    ASSERT_NE(second, std::string::npos) << written;
    EXPECT_EQ(written.find("Connection: close\r\n"), written.find("Connection: close\r\n", second))
        << written;
    EXPECT_NE(written.find("Connection: close\r\n", second), std::string::npos) << written;
}

} // namespace
} // namespace kharuul::gateway
