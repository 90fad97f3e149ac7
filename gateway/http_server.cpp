#include "gateway/http_server.hpp"

#include "gateway/warning_summary.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <unordered_set>

namespace kharuul::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t descriptor_reserve = 64; // the store and its WAL, logs, outbound sends
} // namespace

std::size_t raise_descriptor_limit() {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) {
        spdlog::warn("http: cannot read the descriptor limit: {}", std::strerror(errno));
        return 1024;
    }
    if (lim.rlim_cur < lim.rlim_max) {
        rlimit raised = lim;
        raised.rlim_cur = lim.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            lim = raised;
        else
            spdlog::warn("http: cannot raise the descriptor limit from {} to {}: {}", lim.rlim_cur,
                         lim.rlim_max, std::strerror(errno));
    }
    return lim.rlim_cur == RLIM_INFINITY ? static_cast<std::size_t>(-1)
                                         : static_cast<std::size_t>(lim.rlim_cur);
}

std::size_t connections_allowed(std::size_t configured) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
        return std::max<std::size_t>(configured, 1);
    const auto soft = static_cast<std::size_t>(lim.rlim_cur);
    const std::size_t room = soft > 2 * descriptor_reserve ? soft - descriptor_reserve : soft / 2;
    return std::max<std::size_t>(std::min(configured, room), 1);
}

struct connection_slot {
    beast::tcp_stream* stream = nullptr;
    bool busy = false;    // a request is being handled: finish it before closing
    bool idle = false;    // waiting for the first byte of a request
    bool closing = false; // closed to make room; no longer counted against the cap
    std::chrono::steady_clock::time_point idle_since;
};

struct http_server::state {
    state(asio::any_io_executor ex, http_limits l, http_handler h)
        : acceptor(ex), limits(l), handler(std::move(h)), drained(ex), slot_freed(ex), backoff(ex),
          warnings(l.log_interval) {}

    tcp::acceptor acceptor;
    http_limits limits;
    http_handler handler;
    bool stopping = false;
    std::unordered_set<connection_slot*> open;
    std::size_t live = 0;          // accepted and not yet ended (some not in `open` yet)
    std::size_t closing = 0;       // of those, closed to make room
    asio::steady_timer drained;    // signalled (cancelled) when the last connection ends
    asio::steady_timer slot_freed; // signalled when any connection ends (the accept loop waits at the cap)
    asio::steady_timer backoff;    // the accept loop's wait after a failed accept
    warning_summary warnings;
    http_server_stats stats;

    // Connections that count against the cap.
    std::size_t counted() const { return live - closing; }

    bool any_idle() const {
        return std::any_of(open.begin(), open.end(),
                           [](const connection_slot* c) { return c->idle && !c->closing; });
    }

    // Closes the connection that has waited longest for a request. False when none is idle.
    bool close_longest_idle() {
        connection_slot* oldest = nullptr;
        for (connection_slot* c : open)
            if (c->idle && !c->closing && (!oldest || c->idle_since < oldest->idle_since))
                oldest = c;
        if (!oldest)
            return false;
        oldest->closing = true;
        ++closing;
        ++stats.idle_closed;
        boost::system::error_code ignored;
        oldest->stream->socket().cancel(ignored);
        return true;
    }
};

http_server::http_server(asio::any_io_executor ex, const tcp::endpoint& listen, http_limits limits,
                         http_handler handler)
    : s_(std::make_shared<state>(ex, limits, std::move(handler))) {
    s_->acceptor.open(listen.protocol());
    s_->acceptor.set_option(asio::socket_base::reuse_address(true));
    s_->acceptor.bind(listen);
    s_->acceptor.listen(asio::socket_base::max_listen_connections);
}

http_server::http_server(asio::any_io_executor ex, int listening_fd, http_limits limits, http_handler handler)
    : s_(std::make_shared<state>(ex, limits, std::move(handler))) {
    const auto refuse = [listening_fd](int error, const char* what) {
        ::close(listening_fd);
        throw boost::system::system_error(error, boost::system::system_category(), what);
    };
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(listening_fd, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        refuse(errno, "the listening socket passed in");
    if (address.ss_family != AF_INET && address.ss_family != AF_INET6)
        refuse(EAFNOSUPPORT, "the socket passed in is not a TCP/IP socket");
    int listening = 0;
    socklen_t size = sizeof listening;
    if (::getsockopt(listening_fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0 || !listening)
        refuse(EINVAL, "the socket passed in is not listening");
    boost::system::error_code ec;
    s_->acceptor.assign(address.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), listening_fd, ec);
    if (ec)
        refuse(ec.value(), "the listening socket passed in");
}

http_server::~http_server() = default;

tcp::endpoint http_server::local_endpoint() const {
    return s_->acceptor.local_endpoint();
}

std::size_t http_server::connections() const noexcept {
    return s_->open.size();
}

const http_server_stats& http_server::stats() const noexcept {
    return s_->stats;
}

void http_server::flush_warnings() {
    s_->warnings.flush();
}

namespace {

http_response plain_error(http::status status, unsigned version, std::string_view text) {
    http_response res{status, version};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::string(text) + "\n";
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

// The status a failed read is answered with before the close; nullopt when there is nobody to
// answer (the peer left, the deadline passed and the socket is closed, the server stops).
std::optional<http_response> answer_to_read_error(const boost::system::error_code& ec) {
    if (ec == http::error::body_limit)
        return plain_error(http::status::payload_too_large, 11, "request body too large");
    if (ec == http::error::header_limit)
        return plain_error(http::status::request_header_fields_too_large, 11, "request header too large");
    if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message &&
        ec != http::error::need_more && ec != http::error::need_buffer)
        return plain_error(http::status::bad_request, 11, "malformed request: " + ec.message());
    return std::nullopt;
}

// Writes `res`, without its body for a HEAD request (the header still says how long it is).
asio::awaitable<boost::system::error_code> write_response(beast::tcp_stream& stream, http_response& res,
                                                          bool head) {
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
asio::awaitable<void> linger(beast::tcp_stream& stream, std::chrono::milliseconds read_timeout) {
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.expires_after(std::min<std::chrono::milliseconds>(read_timeout, std::chrono::seconds(2)));
    std::array<char, 4096> sink;
    for (std::size_t drained = 0; drained < 1024 * 1024;) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), tuple_awaitable);
        if (ec)
            break;
        drained += n;
    }
}

// One connection: read a request, let the handler answer, write, until the peer closes, a
// deadline passes or the server stops. The stream lives in this frame (style.md 5).
//
// Deadlines: the first request is due whole within the read timeout of the accept; a kept-alive
// connection waits the idle timeout for the first byte of its next request, and from that byte
// the whole request is due within the read timeout. A timeout ends the connection (Beast closes
// the socket), logged at debug level as a timeout, not as a failed read.
asio::awaitable<void> serve_connection(std::shared_ptr<http_server::state> s, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    connection_slot slot;
    slot.stream = &stream;
    s->open.insert(&slot);
    beast::flat_buffer buffer;
    bool first = true;
    while (!s->stopping && !slot.closing) {
        if (first)
            stream.expires_after(s->limits.read_timeout);
        if (buffer.size() == 0) {
            // Idle until the first byte of a request (a pipelined one may be in the buffer already).
            slot.idle = true;
            slot.idle_since = std::chrono::steady_clock::now();
            if (!first)
                stream.expires_after(s->limits.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), tuple_awaitable);
            slot.idle = false;
            if (ec) {
                if (ec == beast::error::timeout)
                    spdlog::debug("http: connection timed out waiting for a request");
                else if (ec != asio::error::eof && ec != asio::error::operation_aborted)
                    spdlog::debug("http: read failed: {}", ec.message());
                break;
            }
            buffer.commit(n);
            if (slot.closing)
                break; // chosen to make room while its first byte was on its way
        }
        if (!first)
            stream.expires_after(s->limits.read_timeout); // from the first byte of this request
        first = false;

        http::request_parser<http::string_body> parser;
        parser.body_limit(s->limits.max_body_bytes);
        parser.header_limit(static_cast<std::uint32_t>(s->limits.max_header_bytes));
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
        if (ec) {
            if (auto res = answer_to_read_error(ec)) {
                spdlog::debug("http: request refused ({}): {}", res->result_int(), ec.message());
                stream.expires_after(s->limits.write_timeout);
                if (!co_await write_response(stream, *res, false))
                    co_await linger(stream, s->limits.read_timeout);
            } else if (ec == beast::error::timeout) {
                spdlog::debug("http: request not complete within the read timeout");
            } else if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted) {
                spdlog::debug("http: read failed: {}", ec.message());
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
            res = co_await s->handler(std::move(req));
        } catch (const std::exception& e) {
            spdlog::error("http: handler failed: {}", e.what());
            res = plain_error(http::status::internal_server_error, version, "internal error");
        }
        slot.busy = false;
        res.version(version);
        res.keep_alive(keep_alive && res.keep_alive() && !s->stopping && !slot.closing);
        res.prepare_payload();
        const bool again = res.keep_alive();
        stream.expires_after(s->limits.write_timeout);
        if (auto wec = co_await write_response(stream, res, head)) {
            spdlog::debug("http: write failed: {}", wec.message());
            break;
        }
        if (!again)
            break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    if (slot.closing)
        --s->closing;
    s->open.erase(&slot);
    --s->live;
    s->slot_freed.cancel();
    if (s->open.empty())
        s->drained.cancel();
}

bool out_of_descriptors(const boost::system::error_code& ec) {
    return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

} // namespace

asio::awaitable<void> http_server::run() {
    auto s = s_;
    auto backoff = s->limits.accept_backoff;
    for (;;) {
        // At the cap with every connection busy: wait for one to end (new ones wait in the listen
        // backlog meanwhile). With one idle, accept and close the longest-idle to make room.
        while (!s->stopping && s->counted() >= s->limits.max_connections && !s->any_idle()) {
            s->slot_freed.expires_at(asio::steady_timer::time_point::max());
            co_await s->slot_freed.async_wait(tuple_awaitable);
        }
        if (s->stopping)
            break;
        auto [ec, socket] = co_await s->acceptor.async_accept(tuple_awaitable);
        if (ec) {
            if (ec == asio::error::operation_aborted || !s->acceptor.is_open())
                break;
            // Never retry at once: the pending connection keeps the listener readable, and an
            // immediate retry spins. A descriptor shortage frees one idle connection first.
            ++s->stats.accept_failures;
            const bool descriptors = out_of_descriptors(ec);
            const bool made_room = descriptors && s->close_longest_idle();
            s->warnings.warn(
                descriptors ? "http: accept failed for want of descriptors" : "http: accept failed",
                fmt::format("http: accept failed: {} ({} connections open{}); accepting again in {} ms",
                            ec.message(), s->open.size(), made_room ? ", closing the longest-idle" : "",
                            backoff.count()));
            s->backoff.expires_after(backoff);
            co_await s->backoff.async_wait(tuple_awaitable);
            backoff = std::min(backoff * 2, s->limits.accept_backoff_max);
            s->warnings.flush();
            continue;
        }
        backoff = s->limits.accept_backoff;
        ++s->stats.accepted;
        ++s->live;
        if (s->counted() > s->limits.max_connections)
            s->close_longest_idle();
        socket.set_option(tcp::no_delay(true), ec);
        asio::co_spawn(s->acceptor.get_executor(), serve_connection(s, std::move(socket)),
                       [](std::exception_ptr e) {
                           if (!e)
                               return;
                           try {
                               std::rethrow_exception(e);
                           } catch (const std::exception& ex) {
                               spdlog::error("http: connection ended by an exception: {}", ex.what());
                           }
                       });
    }
    // Wait for the connections to end (cancel() closed the idle ones).
    while (!s->open.empty()) {
        s->drained.expires_at(asio::steady_timer::time_point::max());
        co_await s->drained.async_wait(tuple_awaitable);
    }
    s->warnings.flush();
}

void http_server::cancel() {
    s_->stopping = true;
    boost::system::error_code ignored;
    s_->acceptor.close(ignored);
    s_->backoff.cancel();
    s_->slot_freed.cancel();
    for (connection_slot* c : s_->open)
        if (!c->busy)
            c->stream->socket().cancel(ignored);
}

} // namespace kharuul::gateway
