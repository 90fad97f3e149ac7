// The async facade over the store threads (style.md 4): a coroutine on the I/O thread hands a
// function to store::writer (run_in_store) or store::reader (run_in_reader, for the API's reads), is suspended while the writer runs it in a group commit, and resumes
// on its own executor once the commit is durable, with the function's result, or with the
// exception that stopped it (its own, or the commit's: disk full, read-only file).
#pragma once

#include "store/reader.hpp"
#include "store/writer.hpp"

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <utility>

namespace kharuul::gateway {

// Runs `fn(connection&)` on the store thread and co_returns its result after the commit. The
// function runs inside the batch's transaction (its own savepoint) and must not keep references
// to the coroutine's locals beyond its call: it is called before the coroutine resumes.
template <class Fn>
auto run_in_store(store::writer& w, Fn fn)
    -> boost::asio::awaitable<std::invoke_result_t<Fn&, store::connection&>> {
    using T = std::invoke_result_t<Fn&, store::connection&>;
    namespace asio = boost::asio;
    auto result = std::make_shared<std::optional<T>>();
    // Tracked: while the job is queued or running, the io_context has work, so that a graceful
    // stop (everything else cancelled) does not return from run() with this request unanswered.
    auto ex = asio::prefer(co_await asio::this_coro::executor, asio::execution::outstanding_work.tracked);
    // The initiation is a named local, not a temporary inside the co_await expression: g++ 12
    // destroys such temporaries twice (PR 100611 and relatives), which corrupts their captures.
    auto initiation = [&w, &fn, result, ex](auto handler) {
        // The completion runs on the writer thread; the coroutine resumes on its executor.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        w.submit([fn = std::move(fn), result](store::connection& db) mutable { result->emplace(fn(db)); },
                 [shared, ex](std::exception_ptr e) { asio::post(ex, [shared, e]() mutable { (*shared)(e); }); });
    };
    // use_awaitable rethrows a non-null exception_ptr completion in the coroutine.
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(initiation,
                                                                                           asio::use_awaitable);
    co_return std::move(**result);
}

// Runs `fn(connection&)` on the reader thread (a read-only connection, one read transaction) and
// co_returns its result. Throws std::system_error(errc::reader_busy) at once when the reader's
// queue is full, and the function's own exception. Same rules for `fn` as run_in_store.
template <class Fn>
auto run_in_reader(store::reader& r, Fn fn)
    -> boost::asio::awaitable<std::invoke_result_t<Fn&, store::connection&>> {
    using T = std::invoke_result_t<Fn&, store::connection&>;
    namespace asio = boost::asio;
    auto result = std::make_shared<std::optional<T>>();
    // Tracked: while the job is queued or running, the io_context has work, so that a graceful
    // stop (everything else cancelled) does not return from run() with this request unanswered.
    auto ex = asio::prefer(co_await asio::this_coro::executor, asio::execution::outstanding_work.tracked);
    auto initiation = [&r, &fn, result, ex](auto handler) {
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        r.submit([fn = std::move(fn), result](store::connection& db) mutable { result->emplace(fn(db)); },
                 [shared, ex](std::exception_ptr e) { asio::post(ex, [shared, e]() mutable { (*shared)(e); }); });
    };
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(initiation,
                                                                                           asio::use_awaitable);
    co_return std::move(**result);
}

} // namespace kharuul::gateway
