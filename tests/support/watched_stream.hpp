// Beast's test stream (boost/beast/_experimental/test/stream.hpp) with what beast::tcp_stream
// adds to a socket, for the async tests of code templated on its stream (style.md 15b): a
// deadline (expires_after/expires_at: a watchdog timer that closes the stream when it passes; the
// operation it ends completes with beast::error::timeout), per-operation cancellation (a
// cancellation signal on an operation closes the stream; the operation completes with
// operation_aborted, as a cancelled socket read does) and the customisation functions that
// gateway/http_session.hpp names. Failing the n-th operation is the test stream's own fail_count.
// Test scaffolding, header-only.
#pragma once

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/_experimental/test/fail_count.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <utility>

namespace kharuul::testing {

class watched_stream {
    struct state {
        template <class... Args>
        explicit state(boost::asio::io_context& io, Args&&... args)
            : next(io, std::forward<Args>(args)...), watchdog(io) {}
        boost::beast::test::stream next;
        boost::asio::steady_timer watchdog;
        bool timed_out = false;   // the deadline passed and closed the stream
        bool interrupted = false; // cancel_pending or a cancellation closed it
        std::size_t reads = 0, writes = 0;
    };

public:
    using executor_type = boost::beast::test::stream::executor_type;
    using clock = std::chrono::steady_clock;

    // A stream on `io` without failures, or failing its operations from the fc's n-th on.
    explicit watched_stream(boost::asio::io_context& io) : s_(std::make_shared<state>(io)) {}
    watched_stream(boost::asio::io_context& io, boost::beast::test::fail_count& fc)
        : s_(std::make_shared<state>(io, fc)) {}
    ~watched_stream() {
        if (s_)
            s_->watchdog.cancel();
    }
    watched_stream(const watched_stream&) = delete;
    watched_stream& operator=(const watched_stream&) = delete;

    executor_type get_executor() noexcept { return s_->next.get_executor(); }

    // The test stream: connect() a peer to it, append() what arrives, read_size() ...
    boost::beast::test::stream& next_layer() noexcept { return s_->next; }

    void expires_after(clock::duration d) { expires_at(clock::now() + d); }
    void expires_at(clock::time_point at) {
        s_->watchdog.expires_at(at); // cancels the previous watch
        s_->watchdog.async_wait([w = std::weak_ptr<state>(s_)](boost::system::error_code ec) {
            auto s = w.lock();
            if (ec || !s)
                return; // a later deadline replaced this one, or the stream is gone
            s->timed_out = true;
            s->next.close();
        });
    }
    void expires_never() { s_->watchdog.cancel(); }

    // Ends the pending operation with operation_aborted (the stream is closed: a test stream
    // cannot cancel a read otherwise).
    void interrupt() {
        s_->interrupted = true;
        s_->next.close();
    }

    bool timed_out() const noexcept { return s_->timed_out; }
    bool interrupted() const noexcept { return s_->interrupted; }
    std::size_t reads() const noexcept { return s_->reads; }   // operations begun
    std::size_t writes() const noexcept { return s_->writes; } // operations begun

    template <class MutableBuffers, class Token>
    auto async_read_some(const MutableBuffers& buffers, Token&& token) {
        ++s_->reads;
        return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
            op<MutableBuffers, true>{s_, buffers}, token, s_->next.get_executor());
    }

    template <class ConstBuffers, class Token>
    auto async_write_some(const ConstBuffers& buffers, Token&& token) {
        ++s_->writes;
        return boost::asio::async_compose<Token, void(boost::system::error_code, std::size_t)>(
            op<ConstBuffers, false>{s_, buffers}, token, s_->next.get_executor());
    }

private:
    template <class Buffers, bool Read> struct op {
        std::shared_ptr<state> s;
        Buffers buffers;
        bool started = false;

        template <class Self>
        void operator()(Self& self, boost::system::error_code ec = {}, std::size_t n = 0) {
            if (!started) {
                started = true;
                auto slot = self.get_cancellation_state().slot();
                if (slot.is_connected())
                    slot.assign([w = std::weak_ptr<state>(s)](boost::asio::cancellation_type) {
                        if (auto alive = w.lock()) {
                            alive->interrupted = true;
                            alive->next.close();
                        }
                    });
                if constexpr (Read)
                    s->next.async_read_some(buffers, std::move(self));
                else
                    s->next.async_write_some(buffers, std::move(self));
                return;
            }
            if (ec && s->timed_out && !s->interrupted)
                ec = boost::beast::error::timeout;
            else if (ec && s->interrupted)
                ec = boost::asio::error::operation_aborted;
            self.complete(ec, n);
        }
    };

    std::shared_ptr<state> s_;
};

// The customisation gateway/http_session.hpp asks of a stream, found by argument-dependent lookup.
inline void cancel_pending(watched_stream& s) {
    s.interrupt();
}
inline void shutdown_send(watched_stream&) {} // the test stream has no half-close: reading goes on
inline void close_stream(watched_stream& s) {
    s.expires_never();
    s.next_layer().close();
}

} // namespace kharuul::testing
