// The outbound exchange's write and read on an io_context the fixture owns, over Beast's test
// stream (style.md 15b): the n-th operation fails, for every n, and the exchange says where
// (failure::write, failure::read, a body problem with the status kept); the deadline in each
// part; a cancellation of the awaiting coroutine. The same exchange over real sockets, with
// resolve and connect, is in test_outbound.cpp.
#include "adapters/outbound_exchange.hpp"

#include "tests/support/watched_stream.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::adapters::outbound_http {
namespace {

namespace asio = boost::asio;
namespace test = boost::beast::test;
using testing::watched_stream;
using failure = exchange_result::failure;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 38\r\n\r\n"
                           R"({"id":"prov-7781","status":"accepted"})";

http::request<http::string_body> send_request() {
    http::request<http::string_body> req{http::verb::post, "/sms", 11};
    req.set(http::field::host, "127.0.0.1:9");
    req.set(http::field::content_type, "application/json");
    req.body() = R"({"to":"+97699000101","text":"ALERT #17 URGENT: 2 boys ~12 mining at ALT"})";
    req.keep_alive(false);
    req.prepare_payload();
    return req;
}

class outbound_exchange : public ::testing::Test {
protected:
    asio::io_context io;
    asio::cancellation_signal cancel;
    std::optional<exchange_result> result;

    void start(watched_stream& stream, steady::duration timeout = 5s) {
        result.reset();
        asio::co_spawn(
            io, exchange_on(stream, send_request(), steady::now() + timeout),
            asio::bind_cancellation_slot(cancel.slot(), [this](std::exception_ptr e, exchange_result r) {
                EXPECT_FALSE(e) << "the exchange threw";
                result = std::move(r);
            }));
    }

    // Runs the io_context until the exchange has ended (at most 10 s).
    const exchange_result& finish() {
        const auto deadline = steady::now() + 10s;
        io.restart(); // after an earlier run ran out of work
        while (!result && steady::now() < deadline)
            io.run_one_for(100ms);
        if (!result) {
            ADD_FAILURE() << "the exchange did not end within 10 s";
            result.emplace();
            result->failed = failure::none;
            result->body_problem = "did not end";
        }
        return *result;
    }

    const exchange_result& run(watched_stream& stream, steady::duration timeout = 5s) {
        start(stream, timeout);
        return finish();
    }
};

// `stream` connected to `peer`, with the provider's answer (or a part of it) waiting to be read;
// at most `chunk` bytes per read and write.
void provider_says(watched_stream& stream, test::stream& peer, const std::string& said,
                   std::size_t chunk = 16) {
    stream.next_layer().connect(peer);
    stream.next_layer().read_size(chunk);
    stream.next_layer().write_size(chunk);
    stream.next_layer().append(said);
}

// Where the exchange said the n-th operation failed.
enum class failed_at { write, header, body, nowhere };

failed_at where(const exchange_result& r) {
    if (r.failed == failure::write)
        return failed_at::write;
    if (r.failed == failure::read)
        return failed_at::header;
    if (r.failed == failure::none && !r.body_problem.empty())
        return failed_at::body;
    return failed_at::nowhere;
}

TEST_F(outbound_exchange, an_answer_is_read_whole_after_the_request_is_written) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, answer);
    const auto& r = run(stream);
    EXPECT_EQ(r.failed, failure::none);
    EXPECT_EQ(r.body_problem, "");
    EXPECT_EQ(r.answer.result_int(), 200u);
    EXPECT_EQ(r.answer.body(), R"({"id":"prov-7781","status":"accepted"})");
    const std::string sent(peer.str());
    EXPECT_TRUE(sent.starts_with("POST /sms HTTP/1.1\r\n")) << sent;
    EXPECT_TRUE(sent.ends_with(send_request().body())) << sent;
}

TEST_F(outbound_exchange, failing_each_operation_in_turn_is_a_write_a_read_or_a_body_failure_in_that_order) {
    std::vector<failed_at> phases;
    for (std::size_t n = 0; n < 200; ++n) {
        test::fail_count fc(n);
        watched_stream stream(io, fc);
        test::stream peer(io);
        provider_says(stream, peer, answer);
        const auto& r = run(stream);
        const failed_at at = where(r);
        phases.push_back(at);
        switch (at) {
        case failed_at::write:
        case failed_at::header:
            EXPECT_EQ(r.error, test::error::test_failure) << n;
            EXPECT_EQ(retry_after_failure(r).detail.rfind(at == failed_at::write ? "write: " : "read: ", 0),
                      0u)
                << n << ": " << retry_after_failure(r).detail;
            break;
        case failed_at::body:
            // The status arrived: it decides (sent), the body is noted as unreadable.
            EXPECT_EQ(r.answer.result_int(), 200u) << n;
            EXPECT_EQ(outcome_of(r).what, send_outcome::kind::sent) << n;
            EXPECT_NE(describe_answer(r).find("answer body unreadable"), std::string::npos)
                << describe_answer(r);
            break;
        case failed_at::nowhere:
            EXPECT_EQ(r.failed, failure::none);
            EXPECT_EQ(r.answer.body(), R"({"id":"prov-7781","status":"accepted"})");
            break;
        }
        if (at == failed_at::nowhere)
            break;
    }
    ASSERT_EQ(phases.back(), failed_at::nowhere) << "some operation always failed";
    EXPECT_TRUE(std::is_sorted(phases.begin(), phases.end()));
    // 16 bytes per operation: each part takes several.
    EXPECT_GE(std::count(phases.begin(), phases.end(), failed_at::write), 5);
    EXPECT_GE(std::count(phases.begin(), phases.end(), failed_at::header), 3);
    EXPECT_GE(std::count(phases.begin(), phases.end(), failed_at::body), 1);
}

TEST_F(outbound_exchange, a_provider_that_closes_without_answering_is_a_read_failure) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, "");
    stream.next_layer().close_remote();
    const auto& r = run(stream);
    EXPECT_EQ(r.failed, failure::read);
    EXPECT_EQ(retry_after_failure(r).what, send_outcome::kind::retry);
}

TEST_F(outbound_exchange, a_provider_gone_before_the_request_is_a_write_failure) {
    watched_stream stream(io);
    {
        test::stream peer(io);
        provider_says(stream, peer, "");
    } // the peer is gone: writing is a reset
    const auto& r = run(stream);
    EXPECT_EQ(r.failed, failure::write);
}

TEST_F(outbound_exchange, no_answer_before_the_deadline_is_a_timeout_after_the_request_was_written) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, "");
    const auto t0 = steady::now();
    const auto& r = run(stream, 100ms);
    EXPECT_GE(steady::now() - t0, 100ms);
    EXPECT_EQ(r.failed, failure::timeout);
    EXPECT_EQ(retry_after_failure(r).detail, "timeout");
    EXPECT_TRUE(std::string(peer.str()).ends_with(send_request().body())) << "the request went out whole";
}

TEST_F(outbound_exchange, a_body_cut_by_the_deadline_keeps_the_status_and_says_timeout) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, answer.substr(0, answer.size() - 10), 4096);
    const auto& r = run(stream, 100ms);
    EXPECT_EQ(r.failed, failure::none);
    EXPECT_EQ(r.answer.result_int(), 200u);
    EXPECT_EQ(r.body_problem, "timeout");
    EXPECT_EQ(describe_answer(r), "HTTP 200 (answer body unreadable: timeout)");
}

TEST_F(outbound_exchange,
       an_answer_over_the_limit_is_a_read_failure_when_announced_and_a_body_problem_when_chunked) {
    // Content-Length over the limit: refused with the header, before any status is taken.
    {
        watched_stream stream(io);
        test::stream peer(io);
        provider_says(stream, peer,
                      "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 70000\r\n\r\n" +
                          std::string(70000, 'x'),
                      65536);
        const auto& r = run(stream);
        EXPECT_EQ(r.failed, failure::read);
        EXPECT_EQ(r.error, http::error::body_limit);
        EXPECT_EQ(outcome_of(r).what, send_outcome::kind::retry);
    }
    // Chunked: the status has arrived when the body passes the limit.
    std::string chunked = "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 7; ++i)
        chunked += "2710\r\n" + std::string(10000, 'x') + "\r\n";
    chunked += "0\r\n\r\n";
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, chunked, 65536);
    const auto& r = run(stream);
    EXPECT_EQ(r.failed, failure::none);
    EXPECT_EQ(r.answer.result_int(), 503u);
    EXPECT_EQ(r.body_problem, "larger than 65536 bytes");
    EXPECT_EQ(outcome_of(r).what, send_outcome::kind::retry);
}

TEST_F(outbound_exchange, an_answer_that_is_not_http_is_a_read_failure) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, "SMTP 220 ready\r\n\r\n", 4096);
    const auto& r = run(stream);
    EXPECT_EQ(r.failed, failure::read);
}

TEST_F(outbound_exchange, cancelling_the_awaiting_coroutine_while_it_waits_for_the_answer_is_cancelled) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, "");
    start(stream); // a 5 s deadline
    io.restart();
    io.poll(); // the request is written; the exchange waits for the answer
    ASSERT_FALSE(result);
    ASSERT_TRUE(std::string(peer.str()).ends_with(send_request().body()));
    const auto t0 = steady::now();
    cancel.emit(asio::cancellation_type::terminal);
    const auto& r = finish();
    EXPECT_LT(steady::now() - t0, 1s);
    EXPECT_EQ(r.failed, failure::cancelled);
    EXPECT_EQ(retry_after_failure(r).detail, "cancelled");
    EXPECT_TRUE(stream.interrupted());
}

TEST_F(outbound_exchange, cancelling_it_once_the_status_has_arrived_keeps_the_status) {
    watched_stream stream(io);
    test::stream peer(io);
    provider_says(stream, peer, answer.substr(0, answer.size() - 10), 4096);
    start(stream);
    io.restart();
    io.poll(); // the header is read; the exchange waits for the rest of the body
    ASSERT_FALSE(result);
    cancel.emit(asio::cancellation_type::terminal);
    const auto& r = finish();
    EXPECT_EQ(r.failed, failure::none);
    EXPECT_EQ(r.answer.result_int(), 200u);
    EXPECT_FALSE(r.body_problem.empty());
    EXPECT_EQ(outcome_of(r).what, send_outcome::kind::sent) << "the provider took it: the status says so";
}

} // namespace
} // namespace kharuul::adapters::outbound_http
