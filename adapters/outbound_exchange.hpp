// The write-and-read half of an outbound HTTP exchange over any Beast stream, under one deadline:
// outbound_http::exchange() runs it over the beast::tcp_stream it connected, or over the
// ssl_stream on top of it for https://; the async tests run it over Beast's test stream, failing
// the n-th operation (style.md 15b). The stream needs expires_at(time_point) as beast::tcp_stream
// has it, or a next_layer() that has it, as beast::ssl_stream<beast::tcp_stream> (an operation
// past the deadline completes with beast::error::timeout). Internal to adapters and its tests.
#pragma once

#include "adapters/outbound_http.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <string>

namespace kharuul::adapters::outbound_http {

// A failed step as exchange_result: a timeout or a cancellation whatever the step, else `step`.
exchange_result failure_of(exchange_result::failure step, const boost::system::error_code& ec);

// What went wrong with an answer's body once its status had arrived: "timeout", "larger than
// 65536 bytes", or the error's message.
std::string body_problem_of(const boost::system::error_code& ec);

// Sets the deadline on the stream, or on the layer below that keeps the time (TLS over TCP).
template <class Stream>
void expire_at(Stream& stream, std::chrono::steady_clock::time_point deadline) {
    if constexpr (requires { stream.expires_at(deadline); })
        stream.expires_at(deadline);
    else
        stream.next_layer().expires_at(deadline);
}

// GCC 12 flags Asio's coroutine frames (awaitable_frame_base's sized operator delete after its
// recycling operator new) once inlined: a false positive, GCC PR middle-end/109224.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// Writes `req` as it is and reads the answer, both before `deadline`. A failed write is
// failure::write, a failed or unreadable status line and header failure::read, a deadline passed
// failure::timeout and a cancellation of the awaiting coroutine failure::cancelled; once the
// header has arrived, its status decides and a body that fails is noted in body_problem. Does not
// close the stream.
template <class Stream>
boost::asio::awaitable<exchange_result> exchange_on(Stream& stream, http::request<http::string_body> req,
                                                    std::chrono::steady_clock::time_point deadline) {
    constexpr auto tuple_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);
    expire_at(stream, deadline);
    auto [write_ec, written] = co_await http::async_write(stream, req, tuple_awaitable);
    if (write_ec)
        co_return failure_of(exchange_result::failure::write, write_ec);

    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_answer_bytes);
    expire_at(stream, deadline);
    auto [header_ec, header_bytes] =
        co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
    if (header_ec)
        co_return failure_of(exchange_result::failure::read, header_ec);
    exchange_result r;
    expire_at(stream, deadline);
    auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
    if (body_ec) {
        // The status is known: it decides the outcome. The body is noted as missing.
        r.answer.result(parser.get().result_int());
        r.answer.version(parser.get().version());
        r.body_problem = body_problem_of(body_ec);
        co_return r;
    }
    r.answer = parser.release();
    co_return r;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace kharuul::adapters::outbound_http
