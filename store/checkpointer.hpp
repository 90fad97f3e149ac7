// WAL checkpoints off the writer's commit path: one std::thread with a connection of its own that
// copies the WAL back into the database file with PASSIVE checkpoints (which never wait for a lock
// and never block the writer) at least every `interval`, and sooner when the writer says the WAL
// has grown (nudge(), from its WAL hook after a commit). When a passive checkpoint cannot finish
// (a reader holds an old snapshot) and the WAL has passed `truncate_frames`, it runs a TRUNCATE
// checkpoint, which waits (at most the connection's busy timeout) for the readers and cuts the WAL
// file to zero bytes, so that the WAL cannot grow without limit.
//
// With a checkpointer, the writer turns SQLite's automatic checkpoint off (wal_autocheckpoint=0):
// otherwise the commit that passes 1,000 pages runs the checkpoint itself, fsync of the database
// file included, while every request behind it waits. Checkpoints never change what a commit made
// durable (the WAL is fsynced at COMMIT either way, synchronous=FULL): they only move pages.
//
// The store cannot log (style.md 11): outcomes are counted in stats().
#pragma once

#include "store/database.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kharuul::store {

struct checkpointer_options {
    std::filesystem::path path;
    // A passive checkpoint at least this often (also retries opening the connection).
    std::chrono::milliseconds interval{1000};
    // Frames in the WAL (pages of 4 KB) past which a checkpoint that could not copy everything
    // is followed by a truncating one.
    int truncate_frames = 4096;
    // How long a truncating checkpoint waits for the writer's lock and for readers.
    std::chrono::milliseconds busy_timeout{200};
    std::int64_t journal_size_limit = database_options{}.journal_size_limit;
};

struct checkpointer_stats {
    std::uint64_t passive = 0;    // passive checkpoints run to the end (SQLITE_OK)
    std::uint64_t truncating = 0; // truncating checkpoints that succeeded
    std::uint64_t busy = 0;       // checkpoints that met a lock (retried at the next turn)
    std::uint64_t failed = 0;     // any other error (a full disk: the database file cannot grow)
    std::uint64_t open_failures = 0;
    int wal_frames = 0;       // frames in the WAL after the last checkpoint
    int backfilled_frames = 0; // of which copied into the database file
};

class checkpointer {
public:
    // Starts the thread; the connection is opened on it (and reopened at each turn while that
    // fails), so that this never throws for the store's sake.
    explicit checkpointer(checkpointer_options options);
    checkpointer(const checkpointer&) = delete;
    checkpointer& operator=(const checkpointer&) = delete;
    ~checkpointer(); // stop()

    // Any thread, cheap (the writer's WAL hook calls it inside COMMIT): the WAL now has `frames`
    // frames; checkpoint soon.
    void nudge(int wal_frames) noexcept;

    // Any thread: the next turn truncates the WAL (after a commit failed for space, say).
    void request_truncate() noexcept;

    // Any thread; idempotent. The checkpoint in progress finishes first.
    void stop();

    checkpointer_stats stats() const;

private:
    void run();
    void turn(bool truncate);

    checkpointer_options options_;
    std::optional<connection> db_; // only on thread_

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool nudged_ = false;
    bool truncate_ = false;
    bool stopping_ = false;
    checkpointer_stats stats_;

    std::mutex stop_mutex_;
    std::thread thread_; // last
};

} // namespace kharuul::store
