#include "store/writer.hpp"

#include "store/error.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <string>
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

writer::writer(writer_options options) : options_(std::move(options))
{
    options_.max_batch = std::max<std::size_t>(options_.max_batch, 1);
    try {
        db_.emplace(open_database(options_.path, options_.database));
    } catch (...) {
        if (!options_.wait_for_store || !out_of_space(std::current_exception(), errno))
            throw;
        open_error_ = std::current_exception();
        set_writable(false);
        next_probe_ = std::chrono::steady_clock::now() + options_.retry_interval;
    }
    if (options_.checkpoint_thread && !options_.database.read_only) {
        // Created here, once, whether the store opened or not (its thread opens its own
        // connection and retries that): stats() reads it from any thread.
        checkpointer_options c = options_.checkpoints;
        c.path = options_.path;
        c.journal_size_limit = options_.database.journal_size_limit;
        checkpointer_ = std::make_unique<checkpointer>(std::move(c));
    }
    if (db_)
        opened();
    thread_ = std::thread([this] { run(); });
}

void writer::opened()
{
    if (!checkpointer_)
        return; // SQLite's automatic checkpoint inside the commit stays
    // Off the commit path: the checkpointer copies the WAL back from its own thread, woken by
    // this hook (which replaces SQLite's automatic one) when a commit leaves the WAL long.
    db_->exec("PRAGMA wal_autocheckpoint=0");
    sqlite3_wal_hook(db_->getHandle(), &writer::on_wal_commit, this);
}

int writer::on_wal_commit(void* self, sqlite3*, const char*, int frames)
{
    auto* w = static_cast<writer*>(self);
    if (frames >= w->options_.nudge_frames && w->checkpointer_)
        w->checkpointer_->nudge(frames);
    return SQLITE_OK;
}

std::size_t writer::pending() const noexcept { return pending_.load(std::memory_order_relaxed); }

bool writer::writable() const noexcept { return writable_.load(std::memory_order_acquire); }

void writer::set_writable(bool w)
{
    writable_.store(w, std::memory_order_release);
    std::lock_guard lock(mutex_);
    stats_.writable = w;
}

void writer::truncate_wal()
{
    if (!db_)
        return;
    {
        std::lock_guard lock(mutex_);
        ++stats_.space_checkpoints;
    }
    // Briefly: a reader (a CLI command) or the checkpointer may hold it up, and requests wait
    // behind the writer meanwhile. A later failed batch or probe tries again.
    sqlite3* h = db_->getHandle();
    sqlite3_busy_timeout(h, 50);
    sqlite3_wal_checkpoint_v2(h, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_timeout(h, static_cast<int>(options_.database.busy_timeout.count()));
}

void writer::probe()
{
    {
        std::lock_guard lock(mutex_);
        ++stats_.probes;
    }
    if (!db_) {
        try {
            db_.emplace(open_database(options_.path, options_.database));
            open_error_ = nullptr;
            opened();
        } catch (...) {
            db_.reset();
            open_error_ = std::current_exception();
            return;
        }
    }
    truncate_wal();
    // One page written and committed: the same as the store before, but it proves a commit can
    // reach the disk (an empty transaction writes nothing and would prove nothing).
    try {
        db_->exec("BEGIN IMMEDIATE");
        const int v = schema_version(*db_);
        db_->exec("PRAGMA user_version = " + std::to_string(v));
        db_->exec("COMMIT");
        set_writable(true);
    } catch (...) {
        try {
            if (sqlite3_get_autocommit(db_->getHandle()) == 0)
                db_->exec("ROLLBACK");
        } catch (...) {
        }
    }
}

writer::~writer() { stop(); }

void writer::submit(job work, completion done)
{
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back({std::move(work), std::move(done)});
            pending_.fetch_add(1, std::memory_order_relaxed);
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
    s.pending = pending();
    s.batch_size_buckets = cumulative(s.batch_size_buckets);
    s.commit_seconds_buckets = cumulative(s.commit_seconds_buckets);
    if (checkpointer_)
        s.checkpoints = checkpointer_->stats();
    return s;
}

void writer::run()
{
    std::deque<item> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            const auto ready = [this] { return !queue_.empty() || stopping_; };
            if (writable())
                wake_.wait(lock, ready);
            else
                wake_.wait_until(lock, next_probe_, ready);
            if (queue_.empty() && stopping_)
                break; // stopping, and everything queued has been completed
            const std::size_t n = std::min(queue_.size(), options_.max_batch);
            std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n), std::back_inserter(batch));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
            stats_.queue_depth = queue_.size();
        }
        // Unwritable: probe on a clock of its own, whether jobs come or not (jobs that only read
        // commit nothing and would never show that the disk has room again).
        if (!writable() && std::chrono::steady_clock::now() >= next_probe_) {
            probe();
            next_probe_ = std::chrono::steady_clock::now() + options_.retry_interval;
        }
        if (batch.empty())
            continue;
        if (!db_) {
            std::vector<std::exception_ptr> outcomes(batch.size(), open_error_);
            {
                std::lock_guard lock(mutex_);
                ++stats_.batches_failed;
            }
            finish(batch, outcomes, batch.size());
        } else {
            run_batch(batch);
        }
        batch.clear();
    }
    if (checkpointer_)
        checkpointer_->stop(); // before db_ closes (with the writer), which checkpoints last
}

void writer::run_batch(std::deque<item>& batch)
{
    connection& db = *db_; // the batch runs on an open store
    std::vector<std::exception_ptr> outcomes(batch.size());
    const auto in_transaction = [&db] { return sqlite3_get_autocommit(db.getHandle()) == 0; };
    // Out of space: the failed batch's frames may have grown the WAL; a truncating checkpoint
    // gives that space back once the database file can take the pages (after the completions,
    // which need not wait for it). Later batches try again by themselves.
    bool space = false;
    const auto judge = [&](const std::exception_ptr& e) {
        const int os_error = sqlite3_system_errno(db.getHandle());
        if (out_of_space(e, os_error)) {
            space = true;
            std::lock_guard lock(mutex_);
            ++stats_.space_failures;
        }
        if (cannot_write(e, os_error) && writable()) {
            set_writable(false);
            next_probe_ = std::chrono::steady_clock::now() + options_.retry_interval;
        }
    };
    const auto fail_all = [&](std::size_t count, const std::exception_ptr& e) {
        judge(e);
        for (std::size_t i = 0; i < count; ++i)
            if (!outcomes[i])
                outcomes[i] = e;
        std::lock_guard lock(mutex_);
        ++stats_.batches_failed;
    };
    const auto after = [&] {
        if (space)
            truncate_wal();
    };
    const std::int64_t changes_before = sqlite3_total_changes64(db.getHandle());

    try {
        // IMMEDIATE: take the write lock now, so no job meets SQLITE_BUSY half-way through.
        db.exec("BEGIN IMMEDIATE");
    } catch (...) {
        fail_all(batch.size(), std::current_exception());
        finish(batch, outcomes, batch.size());
        after();
        return;
    }

    std::size_t ran = 0;
    std::exception_ptr batch_error;
    for (; ran < batch.size() && !batch_error; ++ran) {
        try {
            db.exec("SAVEPOINT kharuul_job");
        } catch (...) {
            // Counted as run and failed (the loop's ++ran), so that a batch always makes progress.
            outcomes[ran] = batch_error = std::current_exception();
            continue;
        }
        try {
            batch[ran].work(db);
            db.exec("RELEASE kharuul_job");
        } catch (...) {
            outcomes[ran] = std::current_exception();
            if (!in_transaction()) {
                // SQLite rolled the whole transaction back (a full disk, an I/O error) or the job
                // ended it: the earlier jobs' writes are gone too.
                batch_error = outcomes[ran];
                continue;
            }
            if (out_of_space(outcomes[ran], sqlite3_system_errno(db.getHandle())))
                judge(outcomes[ran]); // its statement failed for space: so will the commit, or soon
            try {
                db.exec("ROLLBACK TO kharuul_job");
                db.exec("RELEASE kharuul_job");
            } catch (...) {
                batch_error = std::current_exception();
            }
        }
    }

    if (batch_error) {
        try {
            if (in_transaction())
                db.exec("ROLLBACK");
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
        after();
        return;
    }

    const auto started = std::chrono::steady_clock::now();
    try {
        db.exec("COMMIT");
    } catch (...) {
        const std::exception_ptr e = std::current_exception();
        try {
            if (in_transaction())
                db.exec("ROLLBACK");
        } catch (...) {
        }
        fail_all(batch.size(), e);
        finish(batch, outcomes, batch.size());
        after();
        return;
    }
    // Rows changed and committed: the commit wrote the WAL, so the store can write (again).
    if (!space && !writable() && sqlite3_total_changes64(db.getHandle()) != changes_before)
        set_writable(true);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    {
        std::lock_guard lock(mutex_);
        ++stats_.batches_committed;
        ++stats_.commit_count;
        stats_.commit_seconds_sum += seconds;
        ++stats_.commit_seconds_buckets[bucket_of(commit_seconds_bounds, seconds)];
    }
    finish(batch, outcomes, batch.size());
    after();
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
        pending_.fetch_sub(1, std::memory_order_relaxed);
    }
    if (thrown) {
        std::lock_guard lock(mutex_);
        stats_.completions_thrown += thrown;
    }
}

} // namespace kharuul::store
