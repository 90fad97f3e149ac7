#include "store/writer.hpp"

#include "store/error.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace kharuul::store {
namespace {

template <class T, std::size_t N> std::size_t bucket_of(const std::array<T, N>& bounds, T value)
{
    return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin());
}

template <std::size_t N> std::array<std::uint64_t, N> cumulative(std::array<std::uint64_t, N> counts)
{
    for (std::size_t i = 1; i < N; ++i)
        counts[i] += counts[i - 1];
    return counts;
}

} // namespace

writer::writer(writer_options options)
    : options_(std::move(options)), db_(open_database(options_.path, options_.database))
{
    options_.max_batch = std::max<std::size_t>(options_.max_batch, 1);
    thread_ = std::thread([this] { run(); });
}

writer::~writer() { stop(); }

void writer::submit(job work, completion done)
{
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back({std::move(work), std::move(done)});
            stats_.queue_depth = queue_.size();
            wake_.notify_one();
            return;
        }
    }
    done(std::make_exception_ptr(
        std::system_error(make_error_code(errc::writer_stopped), "store writer is stopped; job not run")));
}

void writer::stop()
{
    if (std::this_thread::get_id() == thread_.get_id())
        throw std::logic_error("store::writer::stop() called on the writer thread (from a job or completion)");
    std::lock_guard stop_lock(stop_mutex_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

writer_stats writer::stats() const
{
    std::lock_guard lock(mutex_);
    writer_stats s = stats_;
    s.batch_size_buckets = cumulative(s.batch_size_buckets);
    s.commit_seconds_buckets = cumulative(s.commit_seconds_buckets);
    return s;
}

void writer::run()
{
    std::deque<item> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return !queue_.empty() || stopping_; });
            if (queue_.empty())
                return; // stopping, and everything queued has been completed
            const std::size_t n = std::min(queue_.size(), options_.max_batch);
            std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n), std::back_inserter(batch));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
            stats_.queue_depth = queue_.size();
        }
        run_batch(batch);
        batch.clear();
    }
}

void writer::run_batch(std::deque<item>& batch)
{
    std::vector<std::exception_ptr> outcomes(batch.size());
    const auto in_transaction = [this] { return sqlite3_get_autocommit(db_.getHandle()) == 0; };
    const auto fail_all = [&](std::size_t count, const std::exception_ptr& e) {
        for (std::size_t i = 0; i < count; ++i)
            if (!outcomes[i])
                outcomes[i] = e;
        std::lock_guard lock(mutex_);
        ++stats_.batches_failed;
    };

    try {
        // IMMEDIATE: take the write lock now, so no job meets SQLITE_BUSY half-way through.
        db_.exec("BEGIN IMMEDIATE");
    } catch (...) {
        fail_all(batch.size(), std::current_exception());
        finish(batch, outcomes, batch.size());
        return;
    }

    std::size_t ran = 0;
    std::exception_ptr batch_error;
    for (; ran < batch.size() && !batch_error; ++ran) {
        try {
            db_.exec("SAVEPOINT kharuul_job");
        } catch (...) {
            // Counted as run and failed (the loop's ++ran), so that a batch always makes progress.
            outcomes[ran] = batch_error = std::current_exception();
            continue;
        }
        try {
            batch[ran].work(db_);
            db_.exec("RELEASE kharuul_job");
        } catch (...) {
            outcomes[ran] = std::current_exception();
            if (!in_transaction()) {
                // SQLite rolled the whole transaction back (a full disk, an I/O error) or the job
                // ended it: the earlier jobs' writes are gone too.
                batch_error = outcomes[ran];
                continue;
            }
            try {
                db_.exec("ROLLBACK TO kharuul_job");
                db_.exec("RELEASE kharuul_job");
            } catch (...) {
                batch_error = std::current_exception();
            }
        }
    }

    if (batch_error) {
        try {
            if (in_transaction())
                db_.exec("ROLLBACK");
        } catch (...) {
            // Nothing was committed either way; the error below is the one that matters.
        }
        fail_all(ran, batch_error);
        if (ran < batch.size()) {
            // Jobs that never ran are innocent: they go first into the next batch.
            std::lock_guard lock(mutex_);
            queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin() + static_cast<std::ptrdiff_t>(ran)),
                          std::make_move_iterator(batch.end()));
            stats_.queue_depth = queue_.size();
        }
        finish(batch, outcomes, ran);
        return;
    }

    const auto started = std::chrono::steady_clock::now();
    try {
        db_.exec("COMMIT");
    } catch (...) {
        const std::exception_ptr e = std::current_exception();
        try {
            if (in_transaction())
                db_.exec("ROLLBACK");
        } catch (...) {
        }
        fail_all(batch.size(), e);
        finish(batch, outcomes, batch.size());
        return;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    {
        std::lock_guard lock(mutex_);
        ++stats_.batches_committed;
        ++stats_.commit_count;
        stats_.commit_seconds_sum += seconds;
        ++stats_.commit_seconds_buckets[bucket_of(commit_seconds_bounds, seconds)];
    }
    finish(batch, outcomes, batch.size());
}

void writer::finish(std::deque<item>& batch, std::vector<std::exception_ptr>& outcomes, std::size_t count)
{
    {
        std::lock_guard lock(mutex_);
        stats_.last_batch_size = count;
        stats_.batch_size_sum += count;
        ++stats_.batch_size_buckets[bucket_of(batch_size_bounds, static_cast<std::uint64_t>(count))];
        for (std::size_t i = 0; i < count; ++i)
            ++(outcomes[i] ? stats_.jobs_failed : stats_.jobs_committed);
    }
    std::uint64_t thrown = 0;
    for (std::size_t i = 0; i < count; ++i) {
        try {
            if (batch[i].done)
                batch[i].done(outcomes[i]);
        } catch (...) {
            // A completion broke its contract; the other completions must still run, and the
            // store cannot log (style.md 11): counted for /metrics instead.
            ++thrown;
        }
    }
    if (thrown) {
        std::lock_guard lock(mutex_);
        stats_.completions_thrown += thrown;
    }
}

} // namespace kharuul::store
