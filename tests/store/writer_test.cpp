// The group-commit writer: completions only after a durable COMMIT, batching under concurrency,
// per-job failure isolation, failed commits acknowledging nothing, draining on stop, and a
// consistent backup taken while it writes.
#include "store/writer.hpp"

#include "store/backup.hpp"
#include "store/error.hpp"
#include "store/migrations.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"
#include "tests/support/small_disk.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;
using testing::temp_dir;
using namespace std::chrono_literals;

// Collects completion outcomes by job number; waits until n have arrived.
class outcomes {
public:
    writer::completion for_job(int n)
    {
        return [this, n](std::exception_ptr e) {
            std::lock_guard lock(mutex_);
            results_[n] = e;
            done_.notify_all();
        };
    }

    bool wait_for(std::size_t n, std::chrono::seconds timeout = 60s)
    {
        std::unique_lock lock(mutex_);
        return done_.wait_for(lock, timeout, [&] { return results_.size() >= n; });
    }

    std::map<int, std::exception_ptr> results() const
    {
        std::lock_guard lock(mutex_);
        return results_;
    }

    std::size_t failures() const
    {
        std::size_t n = 0;
        for (const auto& [job, e] : results())
            n += e != nullptr;
        return n;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable done_;
    std::map<int, std::exception_ptr> results_;
};

// A job that blocks the writer thread until released, so that later submits queue up.
// Submit it and wait for entered() before submitting the jobs that should form the next batch.
class gate {
public:
    writer::job job()
    {
        return [this](connection&) {
            entered_.set_value();
            released_.wait();
        };
    }
    void wait_until_entered() { entered_future_.wait(); }
    void open() { promise_.set_value(); }

private:
    std::promise<void> entered_;
    std::future<void> entered_future_ = entered_.get_future();
    std::promise<void> promise_;
    std::shared_future<void> released_ = promise_.get_future().share();
};

writer::job insert_job(int n)
{
    return [n](connection& db) {
        auto id = insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(n), "job-" + std::to_string(n)));
        id.value(); // throws on a duplicate id: a broken test
    };
}

writer_options options_for(const std::filesystem::path& path)
{
    writer_options o;
    o.path = path;
    return o;
}

int rows(const std::filesystem::path& path)
{
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT COUNT(*) FROM messages").getInt();
}

bool stored(SQLite::Database& db, int n)
{
    SQLite::Statement s(db, "SELECT 1 FROM messages WHERE provider_id = ?1");
    s.bind(1, "job-" + std::to_string(n));
    return s.executeStep();
}

std::string error_text(const std::exception_ptr& e)
{
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        return x.what();
    } catch (...) {
        return "?";
    }
}

TEST(writer, completion_runs_only_after_commit_is_durable)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    std::atomic<int> visible{0}, invisible{0}, errors{0};
    constexpr int jobs = 40;
    outcomes done;
    for (int i = 0; i < jobs; ++i) {
        w.submit(insert_job(i), [&, i, path, report = done.for_job(i)](std::exception_ptr e) {
            if (e) {
                ++errors;
            } else {
                // Another connection sees the row only once the transaction has committed; with
                // synchronous=FULL that COMMIT has fsynced the WAL.
                SQLite::Database reader(path.string(), SQLite::OPEN_READONLY);
                ++(stored(reader, i) ? visible : invisible);
            }
            report(e);
        });
    }
    ASSERT_TRUE(done.wait_for(jobs));
    EXPECT_EQ(errors, 0);
    EXPECT_EQ(invisible, 0);
    EXPECT_EQ(visible, jobs);
}

TEST(writer, concurrent_submits_are_grouped_into_few_transactions)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    constexpr int threads = 8, per_thread = 250, jobs = threads * per_thread;
    outcomes done;
    std::vector<std::thread> submitters;
    for (int t = 0; t < threads; ++t)
        submitters.emplace_back([&, t] {
            for (int i = 0; i < per_thread; ++i) {
                const int n = t * per_thread + i;
                w.submit(insert_job(n), done.for_job(n));
            }
        });
    for (auto& t : submitters)
        t.join();
    ASSERT_TRUE(done.wait_for(jobs));
    EXPECT_EQ(done.failures(), 0u);
    EXPECT_EQ(rows(path), jobs);

    const writer_stats s = w.stats();
    EXPECT_EQ(s.jobs_committed, static_cast<std::uint64_t>(jobs));
    EXPECT_EQ(s.batch_size_sum, static_cast<std::uint64_t>(jobs));
    EXPECT_LT(s.batches_committed, static_cast<std::uint64_t>(jobs));
    EXPECT_GE(s.batches_committed, static_cast<std::uint64_t>(jobs) / 256);
    EXPECT_EQ(s.commit_count, s.batches_committed);
    EXPECT_EQ(s.commit_seconds_buckets.back(), s.commit_count);
    EXPECT_EQ(s.batch_size_buckets.back(), s.batches_committed);
    EXPECT_GT(s.commit_seconds_sum, 0.0);
    EXPECT_EQ(s.queue_depth, 0u);
    RecordProperty("batches", static_cast<int>(s.batches_committed));
}

TEST(writer, a_throwing_job_fails_only_itself)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    gate g;
    outcomes done;
    w.submit(g.job(), done.for_job(0));
    g.wait_until_entered();
    w.submit(insert_job(1), done.for_job(1));
    w.submit(
        [](connection& db) {
            insert_job(2)(db);
            throw std::runtime_error("job 2 broke");
        },
        done.for_job(2));
    w.submit(insert_job(3), done.for_job(3));
    g.open();
    ASSERT_TRUE(done.wait_for(4));

    const auto r = done.results();
    EXPECT_FALSE(r.at(1));
    ASSERT_TRUE(r.at(2));
    EXPECT_EQ(error_text(r.at(2)), "job 2 broke");
    EXPECT_FALSE(r.at(3));
    SQLite::Database reader(path.string(), SQLite::OPEN_READONLY);
    EXPECT_TRUE(stored(reader, 1));
    EXPECT_FALSE(stored(reader, 2)); // its savepoint was rolled back
    EXPECT_TRUE(stored(reader, 3));
    EXPECT_EQ(w.stats().batches_committed, 2u); // the gate's batch, then 1..3 together
}

TEST(writer, a_read_only_database_fails_every_completion_and_acknowledges_nothing)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    { (void)open_database(path); } // migrated, then closed
    // Read-only by opening flag rather than chmod 0444: root (CI) writes through file modes.
    writer_options options = options_for(path);
    options.database.read_only = true;
    writer w(options);
    outcomes done;
    constexpr int jobs = 20;
    for (int i = 0; i < jobs; ++i)
        w.submit(insert_job(i), done.for_job(i));
    ASSERT_TRUE(done.wait_for(jobs));
    EXPECT_EQ(done.failures(), static_cast<std::size_t>(jobs));
    for (const auto& [n, e] : done.results())
        EXPECT_THROW(std::rethrow_exception(e), SQLite::Exception) << n;
    EXPECT_EQ(rows(path), 0);
    const auto s = w.stats();
    EXPECT_EQ(s.jobs_committed, 0u);
    EXPECT_EQ(s.jobs_failed, static_cast<std::uint64_t>(jobs));
}

TEST(writer, a_failed_commit_fails_every_job_in_the_batch_and_stores_none)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    gate g;
    outcomes done;
    w.submit(g.job(), done.for_job(-1));
    g.wait_until_entered();
    w.submit(insert_job(1), done.for_job(1));
    // A deferred foreign key violation passes the job and fails at COMMIT, like a disk that
    // fills during the final write.
    w.submit(
        [](connection& db) {
            db.exec("PRAGMA defer_foreign_keys = ON");
            new_event e;
            e.message_id = 424242; // no such message
            e.reporter = "+97699000001";
            e.occurred_at = at_ms(0);
            insert_event(db, e);
        },
        done.for_job(2));
    w.submit(insert_job(3), done.for_job(3));
    g.open();
    ASSERT_TRUE(done.wait_for(4));

    const auto r = done.results();
    for (int n : {1, 2, 3}) {
        ASSERT_TRUE(r.at(n)) << n << " was acknowledged although its batch did not commit";
        EXPECT_NE(error_text(r.at(n)).find("FOREIGN KEY"), std::string::npos) << error_text(r.at(n));
    }
    EXPECT_EQ(rows(path), 0);
    EXPECT_EQ(w.stats().batches_failed, 1u);

    // The writer goes on with the next batch.
    w.submit(insert_job(4), done.for_job(4));
    ASSERT_TRUE(done.wait_for(5));
    EXPECT_FALSE(done.results().at(4));
    EXPECT_EQ(rows(path), 1);
}

// store.max_queue bounds intake by pending(): what is queued, what is in the batch being written,
// and nothing once its completion has returned.
TEST(writer, pending_counts_queued_jobs_and_the_batch_being_written_until_their_completions_return)
{
    temp_dir dir;
    writer w(options_for(dir.file("k.db")));
    EXPECT_EQ(w.pending(), 0u);
    gate g;
    outcomes done;
    w.submit(g.job(), done.for_job(0));
    g.wait_until_entered(); // job 0 is the batch being written
    EXPECT_EQ(w.pending(), 1u);
    for (int i = 1; i <= 5; ++i)
        w.submit(insert_job(i), done.for_job(i));
    EXPECT_EQ(w.pending(), 6u);
    EXPECT_EQ(w.stats().pending, 6u);
    EXPECT_EQ(w.stats().queue_depth, 5u) << "the queue alone leaves out the batch in progress";
    // A completion sees itself still counted: the count drops only after it has returned.
    std::promise<std::size_t> seen;
    w.submit(insert_job(6), [&](std::exception_ptr) { seen.set_value(w.pending()); });
    EXPECT_EQ(w.pending(), 7u);
    g.open();
    ASSERT_TRUE(done.wait_for(6));
    EXPECT_GE(seen.get_future().get(), 1u);
    w.stop();
    EXPECT_EQ(w.pending(), 0u);
    // Refused after the stop: completed at once and never counted.
    w.submit(insert_job(7), done.for_job(7));
    EXPECT_EQ(w.pending(), 0u);
}

TEST(writer, a_database_locked_by_another_process_fails_the_batch_until_released)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer_options options = options_for(path);
    options.database.busy_timeout = 50ms;
    writer w(options);
    SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
    other.exec("BEGIN IMMEDIATE"); // holds the write lock
    outcomes done;
    w.submit(insert_job(1), done.for_job(1));
    ASSERT_TRUE(done.wait_for(1));
    ASSERT_TRUE(done.results().at(1));
    EXPECT_NE(error_text(done.results().at(1)).find("locked"), std::string::npos) << error_text(done.results().at(1));
    other.exec("ROLLBACK");

    w.submit(insert_job(2), done.for_job(2));
    ASSERT_TRUE(done.wait_for(2));
    EXPECT_FALSE(done.results().at(2));
    EXPECT_EQ(rows(path), 1);
}

TEST(writer, every_acknowledged_job_is_stored_and_no_failed_one_when_the_disk_fills)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    gate g;
    outcomes done;
    w.submit(g.job(), done.for_job(-1));
    g.wait_until_entered();
    // A full disk, simulated: the writer's connection may not grow the file past a few pages
    // (enough for some of these messages: each takes pages in the table and in the
    // duplicate-text index).
    w.submit(
        [](connection& db) {
            const int pages = db.execAndGet("PRAGMA page_count").getInt();
            db.exec("PRAGMA max_page_count = " + std::to_string(pages + 40));
        },
        done.for_job(0));
    constexpr int jobs = 40;
    const std::string big(3000, 'x');
    for (int i = 1; i <= jobs; ++i)
        w.submit(
            [i, big](connection& db) {
                auto m = sms_from("+97699000001", big, at_ms(i), "job-" + std::to_string(i));
                insert_message(db, m).value();
            },
            done.for_job(i));
    g.open();
    ASSERT_TRUE(done.wait_for(jobs + 2));

    SQLite::Database reader(path.string(), SQLite::OPEN_READONLY);
    int acknowledged = 0, failed = 0;
    for (int i = 1; i <= jobs; ++i) {
        const bool ok = done.results().at(i) == nullptr;
        (ok ? acknowledged : failed)++;
        EXPECT_EQ(stored(reader, i), ok) << "job " << i;
    }
    EXPECT_GT(acknowledged, 0);
    EXPECT_GT(failed, 0);
}

TEST(writer, when_sqlite_drops_the_transaction_earlier_jobs_fail_and_later_ones_run_again)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    gate g;
    outcomes done;
    w.submit(g.job(), done.for_job(-1));
    g.wait_until_entered();
    w.submit(insert_job(1), done.for_job(1));
    // What SQLite does by itself after some I/O errors: the whole transaction is gone.
    w.submit([](connection& db) { db.exec("ROLLBACK"); }, done.for_job(2));
    w.submit(insert_job(3), done.for_job(3));
    g.open();
    ASSERT_TRUE(done.wait_for(4));

    const auto r = done.results();
    EXPECT_TRUE(r.at(1)) << "job 1 was acknowledged but its writes were rolled back";
    EXPECT_TRUE(r.at(2));
    EXPECT_FALSE(r.at(3)) << error_text(r.at(3));
    SQLite::Database reader(path.string(), SQLite::OPEN_READONLY);
    EXPECT_FALSE(stored(reader, 1));
    EXPECT_TRUE(stored(reader, 3));
}

TEST(writer, stop_runs_every_queued_job_before_it_returns)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer w(options_for(path));
    gate g;
    outcomes done;
    w.submit(g.job(), done.for_job(-1));
    g.wait_until_entered();
    constexpr int jobs = 100;
    for (int i = 0; i < jobs; ++i)
        w.submit(insert_job(i), done.for_job(i));
    std::thread stopper([&] { w.stop(); });
    std::this_thread::sleep_for(50ms); // stop() is now waiting for the queue to drain
    g.open();
    stopper.join();
    EXPECT_EQ(done.results().size(), static_cast<std::size_t>(jobs + 1)); // no waiting needed
    EXPECT_EQ(done.failures(), 0u);
    EXPECT_EQ(rows(path), jobs);

    std::exception_ptr late;
    bool called = false;
    w.submit(insert_job(jobs), [&](std::exception_ptr e) {
        called = true;
        late = e;
    });
    ASSERT_TRUE(called); // at once, on this thread
    try {
        std::rethrow_exception(late);
    } catch (const std::system_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::writer_stopped));
    }
    EXPECT_EQ(rows(path), jobs);
    w.stop(); // idempotent
}

TEST(writer, a_throwing_completion_is_counted_and_the_writer_goes_on)
{
    temp_dir dir;
    writer w(options_for(dir.file("k.db")));
    outcomes done;
    w.submit(insert_job(1), [](std::exception_ptr) { throw std::runtime_error("bad completion"); });
    w.submit(insert_job(2), done.for_job(2));
    ASSERT_TRUE(done.wait_for(1));
    EXPECT_FALSE(done.results().at(2));
    w.stop();
    EXPECT_EQ(w.stats().completions_thrown, 1u);
}

TEST(writer, a_store_from_a_newer_build_is_refused_at_construction)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    {
        connection db = open_database(path);
        db.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
    }
    EXPECT_THROW(writer(options_for(path)), std::system_error);
}

// One job, waited for: its outcome.
std::exception_ptr run_one(writer& w, writer::job job)
{
    std::promise<std::exception_ptr> p;
    w.submit(std::move(job), [&p](std::exception_ptr e) { p.set_value(e); });
    return p.get_future().get();
}

writer::job big_insert(int n)
{
    return [n](connection& db) {
        const std::string text = "NIL ALT " + std::to_string(n) + " " + std::string(200, 'x');
        insert_message(db, sms_from("+97699000001", text, at_ms(n), "job-" + std::to_string(n))).value();
    };
}

bool eventually(const std::function<bool()>& what, std::chrono::milliseconds within = 10s)
{
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (!what()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

TEST(writer_full_disk, a_full_disk_makes_it_unwritable_and_freed_space_takes_hundreds_more_for_good)
{
    kharuul::testing::small_disk disk(4);
    if (!disk)
        GTEST_SKIP() << disk.why_not();
    const auto path = disk.dir() / "k.db";
    writer_options o = options_for(path);
    o.retry_interval = 50ms;
    writer w(o);
    std::set<int> acknowledged;
    int n = 0;
    for (; n < 20; ++n) {
        ASSERT_FALSE(run_one(w, big_insert(n))) << "job " << n;
        acknowledged.insert(n);
    }
    ASSERT_GT(disk.fill(), 0u);
    // The WAL may have room left in its file: writes go on until it must grow.
    std::exception_ptr first_failure;
    for (int tries = 0; tries < 5000 && !first_failure; ++tries, ++n) {
        first_failure = run_one(w, big_insert(n));
        if (!first_failure)
            acknowledged.insert(n);
    }
    ASSERT_TRUE(first_failure) << "the full disk never refused a commit";
    EXPECT_TRUE(out_of_space(first_failure)) << error_text(first_failure);
    EXPECT_FALSE(w.writable());
    EXPECT_FALSE(run_one(w, big_insert(n++)) == nullptr) << "a full disk took a message";
    EXPECT_FALSE(w.writable());
    EXPECT_GT(w.stats().space_failures, 0u);
    EXPECT_GT(w.stats().space_checkpoints, 0u);

    disk.free_filler();
    ASSERT_TRUE(eventually([&] { return w.writable(); })) << "still unwritable after the filler went";
    // Hundreds more, in group commits: the WAL must not take the freed space again.
    outcomes done;
    constexpr int more = 600;
    const int first_more = n;
    for (int i = 0; i < more; ++i, ++n)
        w.submit(big_insert(n), done.for_job(n));
    ASSERT_TRUE(done.wait_for(more));
    for (int i = first_more; i < n; ++i) {
        const auto e = done.results().at(i);
        EXPECT_FALSE(e) << "job " << i << ": " << error_text(e);
        if (!e)
            acknowledged.insert(i);
    }
    EXPECT_TRUE(w.writable());
    w.stop();

    SQLite::Database reader(path.string(), SQLite::OPEN_READONLY);
    for (int i : acknowledged)
        EXPECT_TRUE(stored(reader, i)) << "acknowledged job " << i << " is not in the store";
    EXPECT_EQ(rows(path), static_cast<int>(acknowledged.size()));
}

TEST(writer_full_disk, a_store_that_cannot_be_opened_for_space_waits_when_asked_and_opens_once_there_is_room)
{
    kharuul::testing::small_disk disk(1);
    if (!disk)
        GTEST_SKIP() << disk.why_not();
    const auto path = disk.dir() / "k.db";
    ASSERT_GT(disk.fill(), 0u);
    EXPECT_ANY_THROW(writer(options_for(path))); // as before: a start that cannot open fails
    std::filesystem::remove(path);
    writer_options o = options_for(path);
    o.wait_for_store = true;
    o.retry_interval = 50ms;
    writer w(o);
    EXPECT_FALSE(w.writable());
    const auto refused = run_one(w, insert_job(1));
    ASSERT_TRUE(refused);
    EXPECT_TRUE(out_of_space(refused)) << error_text(refused);

    disk.free_filler();
    ASSERT_TRUE(eventually([&] { return w.writable(); }));
    EXPECT_FALSE(run_one(w, insert_job(2)));
    w.stop();
    EXPECT_EQ(rows(path), 1);
}

TEST(writer, checkpoints_run_on_their_own_thread_and_keep_the_wal_within_its_limit)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    writer_options o = options_for(path);
    o.database.journal_size_limit = 256 * 1024;
    o.nudge_frames = 50;
    o.checkpoints.interval = 20ms;
    writer w(o);
    EXPECT_FALSE(run_one(w, [](connection& db) {
        if (db.execAndGet("PRAGMA wal_autocheckpoint").getInt() != 0)
            throw std::runtime_error("SQLite's automatic checkpoint is still on in the commit");
        if (db.execAndGet("PRAGMA journal_size_limit").getInt64() != 256 * 1024)
            throw std::runtime_error("journal_size_limit not set");
    }));
    outcomes done;
    constexpr int jobs = 2000;
    for (int i = 0; i < jobs; ++i)
        w.submit(big_insert(i), done.for_job(i));
    ASSERT_TRUE(done.wait_for(jobs));
    EXPECT_EQ(done.failures(), 0u);
    ASSERT_TRUE(eventually([&] { return w.stats().checkpoints.passive > 0; }));
    // Once a checkpoint has copied everything, the next commit starts the WAL over and cuts its
    // file back to the limit.
    const auto wal = std::filesystem::path(path.string() + "-wal");
    int extra = jobs;
    EXPECT_TRUE(eventually([&] {
        run_one(w, big_insert(extra++));
        return std::filesystem::file_size(wal) <= 256 * 1024;
    })) << std::filesystem::file_size(wal);
    w.stop();
    EXPECT_EQ(rows(path), extra);
}

TEST(backup, a_copy_taken_while_the_writer_runs_passes_the_integrity_check)
{
    temp_dir dir;
    const auto path = dir.file("k.db");
    const auto copy = dir.file("copy.db");
    writer w(options_for(path));
    std::atomic<bool> running{true};
    std::atomic<int> submitted{0};
    outcomes done;
    std::thread load([&] {
        for (int i = 0; running && i < 100000; ++i) {
            w.submit(
                [i](connection& db) {
                    const auto id = *insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(i)));
                    new_event e;
                    e.message_id = id;
                    e.form = parser::form::nil;
                    e.reporter = "+97699000001";
                    e.site = "ALT";
                    e.occurred_at = at_ms(i);
                    insert_event(db, e);
                },
                done.for_job(i));
            ++submitted;
            if (i % 64 == 0)
                std::this_thread::sleep_for(1ms);
        }
    });
    while (w.stats().batches_committed < 5)
        std::this_thread::sleep_for(1ms);

    ASSERT_TRUE(backup_to(path, copy));
    running = false;
    load.join();
    ASSERT_TRUE(done.wait_for(static_cast<std::size_t>(submitted.load())));

    SQLite::Database b(copy.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(b.execAndGet("PRAGMA integrity_check").getString(), "ok");
    SQLite::Statement fk(b, "PRAGMA foreign_key_check");
    EXPECT_FALSE(fk.executeStep()) << "dangling reference in the copy";
    EXPECT_EQ(b.execAndGet("PRAGMA journal_mode").getString(), "delete");
    EXPECT_EQ(schema_version(b), latest_schema_version());
    const int copied = b.execAndGet("SELECT COUNT(*) FROM messages").getInt();
    EXPECT_GT(copied, 0);
    EXPECT_LE(copied, submitted.load());
    // One snapshot: every copied message has its event (they were written in one job).
    EXPECT_EQ(b.execAndGet("SELECT COUNT(*) FROM events").getInt(), copied);
    EXPECT_FALSE(std::filesystem::exists(dir.file("copy.db.partial")));

    const auto again = backup_to(path, copy);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), make_error_code(errc::backup_target_exists));
    EXPECT_EQ(backup_to(path, path).error(), make_error_code(errc::backup_target_exists));
}

} // namespace
} // namespace kharuul::store
