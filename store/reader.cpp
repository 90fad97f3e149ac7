#include "store/reader.hpp"

#include "store/error.hpp"

#include <stdexcept>
#include <system_error>
#include <utility>

namespace kharuul::store {

reader::reader(reader_options options) : options_(std::move(options)) {
    thread_ = std::thread([this] { run(); });
}

reader::~reader() { stop(); }

void reader::submit(job work, completion done) {
    std::error_code refused;
    {
        std::lock_guard lock(mutex_);
        if (stopping_)
            refused = make_error_code(errc::reader_stopped);
        else if (queue_.size() >= options_.max_queue)
            refused = make_error_code(errc::reader_busy);
        else
            queue_.push_back(item{std::move(work), std::move(done)});
    }
    if (refused) {
        done(std::make_exception_ptr(std::system_error(refused)));
        return;
    }
    wake_.notify_one();
}

void reader::stop() {
    if (std::this_thread::get_id() == thread_.get_id())
        throw std::logic_error("store::reader::stop() called from the reader's own thread");
    std::lock_guard stop_lock(stop_mutex_);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable())
        thread_.join();
}

std::size_t reader::queue_depth() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void reader::run() {
    for (;;) {
        item next;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty())
                return; // stopping, and every queued job done
            next = std::move(queue_.front());
            queue_.pop_front();
        }
        std::exception_ptr outcome;
        try {
            if (!db_) {
                database_options o;
                o.read_only = true;
                o.busy_timeout = options_.busy_timeout;
                db_.emplace(open_database(options_.path, o));
            }
            db_->exec("BEGIN");
            try {
                next.work(*db_);
            } catch (...) {
                db_->tryExec("ROLLBACK");
                throw;
            }
            db_->exec("COMMIT");
        } catch (...) {
            outcome = std::current_exception();
        }
        try {
            next.done(outcome);
        } catch (...) {
            // A completion broke its no-throw contract: nothing to do on this thread.
        }
    }
}

} // namespace kharuul::store
