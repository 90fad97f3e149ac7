#include "gateway/http_server.hpp"

#include "gateway/http_session.hpp"
#include "gateway/warning_summary.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <spdlog/spdlog.h>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
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
        if (oldest->interrupt)
            oldest->interrupt();
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

// One accepted connection: its session over a tcp_stream that lives in this frame (style.md 5),
// and the listener's bookkeeping when it ends.
asio::awaitable<void> serve_connection(std::shared_ptr<http_server::state> s, tcp::socket socket) {
    boost::system::error_code ec;
    const tcp::endpoint peer = socket.remote_endpoint(ec); // a default one when the peer is gone already
    beast::tcp_stream stream(std::move(socket));
    connection_slot slot;
    s->open.insert(&slot);
    co_await serve_session(stream, s->limits, s->handler, slot, s->stopping, peer);
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
    // Only those waiting for a request: one whose bytes are arriving, being handled or being
    // answered is finished (its response says Connection: close), within its deadlines and the
    // daemon's shutdown grace.
    for (connection_slot* c : s_->open)
        if (c->idle && c->interrupt)
            c->interrupt();
}

} // namespace kharuul::gateway
