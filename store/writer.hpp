// The store thread (style.md 4): one std::thread with its own connection that runs submitted
// jobs in group commits. It takes every queued job (up to max_batch), runs them in one
// BEGIN IMMEDIATE transaction, each inside its own savepoint, commits once (one fsync for the
// whole batch), and only then calls the completions. A completion that receives nullptr may tell
// the outside world "stored": the job's writes are durable.
#pragma once

#include "store/database.hpp"

#include <array>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <thread>

namespace kharuul::store {

struct writer_options {
    std::filesystem::path path;
    database_options database; // read_only only to test the failure path
    std::size_t max_batch = 256; // jobs per transaction
};

// Histogram bounds for writer_stats (Prometheus `le` values).
inline constexpr std::array<std::uint64_t, 9> batch_size_bounds{1, 2, 4, 8, 16, 32, 64, 128, 256};
inline constexpr std::array<double, 12> commit_seconds_bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                              0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

struct writer_stats {
    std::uint64_t batches_committed = 0;
    std::uint64_t batches_failed = 0; // BEGIN or COMMIT failed, or SQLite dropped the transaction
    std::uint64_t jobs_committed = 0; // completions called with nullptr
    std::uint64_t jobs_failed = 0;    // completions called with an exception
    std::uint64_t completions_thrown = 0; // completions that broke their no-throw contract
    std::uint64_t last_batch_size = 0;
    // Cumulative, like Prometheus buckets: [i] counts batches of size <= batch_size_bounds[i];
    // the last element is +Inf (== number of batches attempted).
    std::array<std::uint64_t, batch_size_bounds.size() + 1> batch_size_buckets{};
    std::uint64_t batch_size_sum = 0;
    // COMMIT latency (the fsync) of committed batches; buckets cumulative as above.
    std::array<std::uint64_t, commit_seconds_bounds.size() + 1> commit_seconds_buckets{};
    double commit_seconds_sum = 0;
    std::uint64_t commit_count = 0;
    std::size_t queue_depth = 0; // jobs waiting, not counting the batch in progress
};

class writer {
public:
    // Runs on the writer's connection, inside a transaction and its own savepoint. May throw: its
    // savepoint is rolled back and its completion gets the exception; other jobs are unaffected.
    // Must not COMMIT, ROLLBACK or release savepoints it did not open.
    using job = std::function<void(connection&)>;
    // Called once per job, on the writer thread, after the batch's COMMIT has returned: nullptr
    // when the job's writes are durable; otherwise the job's own exception, or the batch's
    // (BEGIN or COMMIT failed: disk full, read-only file, I/O error), and then nothing of the job
    // was written. Must not throw and should be quick (post to an io_context); must not call stop().
    using completion = std::function<void(std::exception_ptr)>;

    // Opens (and migrates) the database on the calling thread, so a bad path or a too-new schema
    // throws here (SQLite::Exception, std::system_error), then starts the thread.
    explicit writer(writer_options options);
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;
    // stop(). Destroying the writer from its own thread (a job or completion) is a broken
    // invariant: stop() throws there and the program terminates.
    ~writer();

    // Any thread. Queues the job. After stop() has begun, calls `done` at once, on the calling
    // thread, with std::system_error(errc::writer_stopped).
    void submit(job work, completion done);

    // Any thread but the writer's own (throws std::logic_error there). Refuses new jobs, runs and
    // completes every job already queued, then joins the thread. Idempotent.
    void stop();

    // Any thread; a consistent snapshot.
    writer_stats stats() const;

private:
    struct item {
        job work;
        completion done;
    };

    void run();
    void run_batch(std::deque<item>& batch);
    void finish(std::deque<item>& batch, std::vector<std::exception_ptr>& outcomes, std::size_t count);

    writer_options options_;
    connection db_; // used only on thread_ after construction

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<item> queue_;
    bool stopping_ = false;
    writer_stats stats_; // under mutex_; buckets stored non-cumulative, summed in stats()

    std::mutex stop_mutex_; // serialises stop() callers around join
    std::thread thread_;    // last: started after everything above exists
};

} // namespace kharuul::store
