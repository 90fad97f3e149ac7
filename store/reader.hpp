// The store's read thread (issue 12): one std::thread with its own read-only connection that runs
// submitted jobs one at a time, each inside its own read transaction (one consistent snapshot per
// job), so that the API's reads run neither on the writer's thread (where they would hold back
// the group commits that acknowledge messages) nor on the I/O thread. The queue is bounded: a job
// submitted while it is full is not queued and its completion hears errc::reader_busy at once
// (the API answers 503), so that a flood of reads cannot grow memory without bound.
//
// The connection is opened on the thread at the first job (the writer has migrated the file by
// then) and again after a failure, so that a store that could not be opened at start (a full
// disk) is read once it can be.
#pragma once

#include "store/database.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace kharuul::store {

struct reader_options {
    std::filesystem::path path;
    std::chrono::milliseconds busy_timeout{5000};
    std::size_t max_queue = 64; // jobs waiting, not counting the one running
};

class reader {
public:
    // Runs on the reader's read-only connection inside a read transaction; may throw (its
    // completion gets the exception).
    using job = std::function<void(connection&)>;
    // Called once per job: on the reader thread after the job (nullptr, or its exception), or on
    // the submitting thread at once when the job was refused (reader_busy, reader_stopped).
    // Must not throw and should be quick (post to an io_context).
    using completion = std::function<void(std::exception_ptr)>;

    explicit reader(reader_options options);
    reader(const reader&) = delete;
    reader& operator=(const reader&) = delete;
    ~reader();

    // Any thread.
    void submit(job work, completion done);

    // Any thread but the reader's own. Refuses new jobs, runs the queued ones, joins. Idempotent.
    void stop();

    std::size_t queue_depth() const;

private:
    struct item {
        job work;
        completion done;
    };
    void run();

    reader_options options_;
    std::optional<connection> db_; // reader thread only

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<item> queue_;
    bool stopping_ = false;
    std::mutex stop_mutex_;
    std::thread thread_; // last
};

} // namespace kharuul::store
