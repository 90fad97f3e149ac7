#include "store/checkpointer.hpp"

#include <sqlite3.h>

#include <utility>

namespace kharuul::store {

checkpointer::checkpointer(checkpointer_options options) : options_(std::move(options))
{
    thread_ = std::thread([this] { run(); });
}

checkpointer::~checkpointer() { stop(); }

void checkpointer::nudge(int wal_frames) noexcept
{
    {
        std::lock_guard lock(mutex_);
        nudged_ = true;
        stats_.wal_frames = wal_frames;
    }
    wake_.notify_one();
}

void checkpointer::request_truncate() noexcept
{
    {
        std::lock_guard lock(mutex_);
        truncate_ = true;
    }
    wake_.notify_one();
}

void checkpointer::stop()
{
    std::lock_guard stop_lock(stop_mutex_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

checkpointer_stats checkpointer::stats() const
{
    std::lock_guard lock(mutex_);
    return stats_;
}

void checkpointer::run()
{
    for (;;) {
        bool truncate = false;
        {
            std::unique_lock lock(mutex_);
            wake_.wait_for(lock, options_.interval, [this] { return stopping_ || nudged_ || truncate_; });
            if (stopping_)
                break;
            nudged_ = false;
            truncate = std::exchange(truncate_, false);
        }
        turn(truncate);
    }
    db_.reset(); // closed on its own thread
}

void checkpointer::turn(bool truncate)
{
    if (!db_) {
        try {
            database_options o;
            o.busy_timeout = options_.busy_timeout;
            o.create = false;
            o.journal_size_limit = options_.journal_size_limit;
            db_.emplace(options_.path, o);
        } catch (...) {
            std::lock_guard lock(mutex_);
            ++stats_.open_failures;
            return;
        }
    }
    const auto checkpoint = [this](int mode, int& log, int& done) {
        log = done = -1;
        return sqlite3_wal_checkpoint_v2(db_->getHandle(), nullptr, mode, &log, &done);
    };
    int log = -1, done = -1;
    int rc = SQLITE_OK;
    bool truncated = false;
    if (!truncate) {
        // Never waits, never blocks the writer: copies what no reader still needs.
        rc = checkpoint(SQLITE_CHECKPOINT_PASSIVE, log, done);
        truncate = rc == SQLITE_OK && log >= options_.truncate_frames && done < log;
    }
    if (truncate) {
        rc = checkpoint(SQLITE_CHECKPOINT_TRUNCATE, log, done);
        truncated = rc == SQLITE_OK;
    }
    std::lock_guard lock(mutex_);
    if (rc == SQLITE_OK) {
        ++(truncated ? stats_.truncating : stats_.passive);
        stats_.wal_frames = log;
        stats_.backfilled_frames = done;
    } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        ++stats_.busy;
    } else {
        ++stats_.failed;
    }
}

} // namespace kharuul::store
