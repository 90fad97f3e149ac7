// The store thread (style.md 4): one std::thread with its own connection that runs submitted
// jobs in group commits. It takes every queued job (up to max_batch), runs them in one
// BEGIN IMMEDIATE transaction, each inside its own savepoint, commits once (one fsync for the
// whole batch), and only then calls the completions. A completion that receives nullptr may tell
// the outside world "stored": the job's writes are durable.
//
// A full disk (style of recovery, issue 9 item 4): a batch that fails for space marks the store
// unwritable (writable() false: /healthz says degraded) and is followed by a TRUNCATE checkpoint
// on the writer's connection, which gives the WAL's space back as soon as the database file can
// take its pages; later batches simply try again. While unwritable, the writer also probes every
// `retry_interval` (a truncating checkpoint and a one-page write), so that writable() turns true
// again once the disk has room even when no job comes. With `wait_for_store`, a store that cannot
// be opened for space does not throw: the writer starts unwritable, fails each job with the
// opening's error, and retries the opening at the same interval.
#pragma once

#include "store/checkpointer.hpp"
#include "store/database.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

struct sqlite3;

namespace kharuul::store {

struct writer_options {
    std::filesystem::path path;
    database_options database; // read_only only to test the failure path
    std::size_t max_batch = 256; // jobs per transaction
    // Checkpoints on a checkpointer thread of the writer's own (store/checkpointer.hpp) instead of
    // inside the commit that passes SQLite's 1,000 pages. `checkpoints.path` is set from `path`.
    bool checkpoint_thread = true;
    checkpointer_options checkpoints;
    // WAL frames after a commit past which the checkpointer is woken before its interval: 1 MB of
    // 4 KB pages. Small on purpose: a checkpoint needs room for the pages it moves into the
    // database file, so a long WAL on a nearly full disk could take the space its own checkpoint
    // needs (SQLite's automatic one waits for 1,000 pages).
    int nudge_frames = 256;
    // When opening (or migrating) fails because the disk is full (out_of_space), start anyway,
    // unwritable, and retry the opening every retry_interval; other failures still throw.
    bool wait_for_store = false;
    // How often an unwritable store is probed (or its opening retried).
    std::chrono::milliseconds retry_interval{500};
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
    std::size_t pending = 0;     // writer::pending()
    bool writable = true;                 // writer::writable()
    std::uint64_t space_failures = 0;     // batches that failed for space
    std::uint64_t space_checkpoints = 0;  // truncating checkpoints tried after them or in a probe
    std::uint64_t probes = 0;             // probes (and re-openings) of an unwritable store
    checkpointer_stats checkpoints;       // zeros without a checkpointer thread
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

    // Any thread, lock-free: jobs submitted and not yet completed (queued, or in the batch being
    // written, until their completion has returned). What the daemon bounds intake by
    // (store.max_queue): a completion that posts to an io_context has run before its coroutine
    // resumes, so a request answered is no longer counted.
    std::size_t pending() const noexcept;

    // Any thread: false from a batch that failed because the store cannot write (out of space,
    // an I/O error, a read-only file: cannot_write()) or a store not yet opened, until a batch
    // that changed rows commits or a probe writes.
    bool writable() const noexcept;

private:
    struct item {
        job work;
        completion done;
    };

    void run();
    void run_batch(std::deque<item>& batch);
    void finish(std::deque<item>& batch, std::vector<std::exception_ptr>& outcomes, std::size_t count);
    void opened();         // after db_ is open: the checkpoint policy and the checkpointer
    void probe();          // writer thread, while unwritable
    void truncate_wal();   // writer thread: TRUNCATE checkpoint on db_, errors ignored
    void set_writable(bool w);
    static int on_wal_commit(void* self, sqlite3* db, const char* name, int frames);

    writer_options options_;
    std::optional<connection> db_;    // used only on thread_ after construction; empty until opened
    std::exception_ptr open_error_;   // why db_ is empty (thread_ only, after construction)
    std::unique_ptr<checkpointer> checkpointer_;
    std::chrono::steady_clock::time_point next_probe_{}; // thread_ only

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<item> queue_;
    bool stopping_ = false;
    writer_stats stats_; // under mutex_; buckets stored non-cumulative, summed in stats()
    std::atomic<bool> writable_{true};
    std::atomic<std::size_t> pending_{0};

    std::mutex stop_mutex_; // serialises stop() callers around join
    std::thread thread_;    // last: started after everything above exists
};

} // namespace kharuul::store
