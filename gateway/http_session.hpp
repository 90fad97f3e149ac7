// One HTTP connection's session, over any Beast stream: read a request under its deadlines, let
// the handler answer, write, until the peer closes, a deadline passes or the listener interrupts
// it. http_server runs it over beast::tcp_stream; the async tests run it over Beast's test stream,
// failing the n-th operation (style.md 15b).
//
// What a stream needs besides AsyncReadStream and AsyncWriteStream: expires_after(duration) as
// beast::tcp_stream has it (an operation past the deadline completes with beast::error::timeout),
// and three functions found by argument-dependent lookup, declared here for beast::tcp_stream:
// cancel_pending(stream) (the pending operation completes with operation_aborted),
// shutdown_send(stream) (no more bytes go out; reading goes on) and close_stream(stream).
#pragma once

#include "gateway/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <string_view>

namespace kharuul::gateway {

// What the listener knows of one connection, and how it interrupts it. I/O thread.
struct connection_slot {
    std::function<void()> interrupt; // set by the session while it runs: cancel_pending(stream)
    bool busy = false;               // a request is being handled: finish it before closing
    bool idle = false;               // waiting for the first byte of a request
    bool closing = false;            // closed to make room; no longer counted against the cap
    std::chrono::steady_clock::time_point idle_since;
};

// How a session ended.
enum class session_end {
    peer_closed,  // the peer closed before the first byte of a request
    idle_timeout, // no first byte of a request in time (from the accept, or kept alive)
    read_timeout, // a request begun was not complete within the read timeout
    read_failed,  // the connection broke while a request was arriving (reset, cut short)
    refused,      // a malformed request was answered (400, 413, 431) and the connection closed
    write_failed, // a response could not be written
    closed,       // a response was written without keep-alive (the client's wish, or stopping)
    interrupted,  // the listener interrupted it (stopping, or closed to make room)
};

std::string_view session_end_name(session_end e) noexcept;

// The customisation of beast::tcp_stream (see above).
void cancel_pending(boost::beast::tcp_stream& stream);
void shutdown_send(boost::beast::tcp_stream& stream);
void close_stream(boost::beast::tcp_stream& stream);

namespace session_detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

inline constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

http_response plain_error(http::status status, unsigned version, std::string_view text);

// The status a failed read is answered with before the close; nullopt when there is nobody to
// answer (the peer left, the deadline passed and the socket is closed, the server stops).
std::optional<http_response> answer_to_read_error(const boost::system::error_code& ec);

// Writes `res`, without its body for a HEAD request (the header still says how long it is).
template <class Stream>
asio::awaitable<boost::system::error_code> write_response(Stream& stream, http_response& res, bool head) {
    if (!head) {
        auto [ec, n] = co_await http::async_write(stream, res, tuple_awaitable);
        co_return ec;
    }
    const auto length = res.body().size();
    http::response<http::empty_body> bare{std::move(res.base())};
    bare.content_length(length);
    auto [ec, n] = co_await http::async_write(stream, bare, tuple_awaitable);
    co_return ec;
}

// After an error response, before the close: stop sending and read what the client is still
// sending (up to a bound), so that the close is not a reset that would discard the response
// before the client has read it (a "lingering close", as nginx does).
template <class Stream> asio::awaitable<void> linger(Stream& stream, std::chrono::milliseconds read_timeout) {
    shutdown_send(stream);
    stream.expires_after(std::min<std::chrono::milliseconds>(read_timeout, std::chrono::seconds(2)));
    std::array<char, 4096> sink;
    for (std::size_t drained = 0; drained < 1024 * 1024;) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), tuple_awaitable);
        if (ec)
            break;
        drained += n;
    }
}

// Why a read that failed ended the session.
inline session_end end_of_read(const boost::system::error_code& ec, bool begun) {
    if (ec == beast::error::timeout)
        return begun ? session_end::read_timeout : session_end::idle_timeout;
    if (ec == asio::error::operation_aborted)
        return session_end::interrupted;
    if (ec == asio::error::eof || ec == http::error::end_of_stream)
        return begun ? session_end::read_failed : session_end::peer_closed;
    return session_end::read_failed;
}

} // namespace session_detail

// GCC 12 flags Asio's coroutine frames (awaitable_frame_base's sized operator delete after its
// recycling operator new) once inlined: a false positive, GCC PR middle-end/109224.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

// One connection: read a request, let the handler answer, write, until the peer closes, a
// deadline passes, `stopping` is set (with no next request begun) or the slot is interrupted.
// The handler hears `peer` as the client's address. Closes the stream at the end.
//
// Deadlines: the first request is due whole within the read timeout of the start; a kept-alive
// connection waits the idle timeout for the first byte of its next request, and from that byte
// the whole request is due within the read timeout. A timeout ends the connection, logged at
// debug level as a timeout, not as a failed read. The handler never runs for a request that did
// not arrive whole; a throw from it is answered 500.
template <class Stream>
boost::asio::awaitable<session_end> serve_session(Stream& stream, const http_limits& limits,
                                                  const http_handler& handler, connection_slot& slot,
                                                  const bool& stopping,
                                                  const boost::asio::ip::tcp::endpoint& peer = {}) {
    using namespace session_detail;
    slot.interrupt = [&stream] { cancel_pending(stream); };
    beast::flat_buffer buffer;
    bool first = true;
    session_end end = session_end::interrupted; // stopping, or chosen to make room
    // Stopping ends the session between requests, but not while a next one's first bytes are in
    // the buffer already: that request is arriving and is answered (with Connection: close).
    while (!slot.closing && (!stopping || buffer.size() > 0)) {
        if (first)
            stream.expires_after(limits.read_timeout);
        if (buffer.size() == 0) {
            // Idle until the first byte of a request (a pipelined one may be in the buffer already).
            slot.idle = true;
            slot.idle_since = std::chrono::steady_clock::now();
            if (!first)
                stream.expires_after(limits.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), tuple_awaitable);
            slot.idle = false;
            if (ec) {
                if (ec == beast::error::timeout)
                    spdlog::debug("http: connection timed out waiting for a request");
                else if (ec != asio::error::eof && ec != asio::error::operation_aborted)
                    spdlog::debug("http: read failed: {}", ec.message());
                end = end_of_read(ec, false);
                break;
            }
            buffer.commit(n);
            if (slot.closing)
                break; // chosen to make room while its first byte was on its way
        }
        if (!first)
            stream.expires_after(limits.read_timeout); // from the first byte of this request
        first = false;

        http::request_parser<http::string_body> parser;
        parser.body_limit(limits.max_body_bytes);
        parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
        if (ec) {
            if (auto res = answer_to_read_error(ec)) {
                spdlog::debug("http: request refused ({}): {}", res->result_int(), ec.message());
                stream.expires_after(limits.write_timeout);
                if (auto wec = co_await write_response(stream, *res, false)) {
                    end = session_end::write_failed;
                } else {
                    end = session_end::refused;
                    co_await linger(stream, limits.read_timeout);
                }
            } else if (ec == beast::error::timeout) {
                spdlog::debug("http: request not complete within the read timeout");
                end = session_end::read_timeout;
            } else {
                if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted)
                    spdlog::debug("http: read failed: {}", ec.message());
                end = end_of_read(ec, true);
            }
            break;
        }
        http_request req = parser.release();
        const bool keep_alive = req.keep_alive();
        const unsigned version = req.version();
        const bool head = req.method() == http::verb::head;
        slot.busy = true;
        http_response res;
        try {
            res = co_await handler(std::move(req), peer);
        } catch (const std::exception& e) {
            spdlog::error("http: handler failed: {}", e.what());
            res = plain_error(http::status::internal_server_error, version, "internal error");
        }
        slot.busy = false;
        res.version(version);
        res.keep_alive(keep_alive && res.keep_alive() && !stopping && !slot.closing);
        res.prepare_payload();
        const bool again = res.keep_alive();
        stream.expires_after(limits.write_timeout);
        if (auto wec = co_await write_response(stream, res, head)) {
            spdlog::debug("http: write failed: {}", wec.message());
            end = session_end::write_failed;
            break;
        }
        if (!again) {
            end = session_end::closed;
            break;
        }
    }
    slot.interrupt = nullptr;
    close_stream(stream);
    co_return end;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace kharuul::gateway
