// Crash safety of the outbox (spec/alerts.md "Delivery"): alerts are written to the outbox in the
// same transaction as the report that caused them, and a crash between the two loses nothing;
// after a restart at most the one message that was in flight may be sent again.
//
// A loopback HTTP sink stands in for the SMS provider of a `generic` outbound channel: it records
// the outbox id of every POST and answers 200 {"message_id":"p<id>"} after a random 0-20 ms, so
// that the daemon spends most of its sending time inside a send. Client threads post urgent ID
// reports at ALT (each queues alert SMS to the ALT team and the coordinators, or folds into the
// open alert and tells the same people again) as fast as they can, up to a budget per round; the
// daemon is SIGKILLed at a random moment and restarted on the same store and port. After the last
// round the daemon runs until the outbox is drained and is stopped with SIGTERM; then the store,
// read with the test's own SQLite connection, and the sink must agree: every row sent, every row
// received, nothing received that the store does not have, and each repeat is the in-flight
// message of a crash (an "interrupted" attempt in the store), at most one per kill.
//
// The random moments come from a seeded generator; the seed is printed, and KHARUUL_CRASH_SEED=N
// replays a run's choices (the timing of the machine still varies). Phone numbers are made up.
// Label `crash` (`ctest -L crash`).
#include "tests/integration/crash_support.hpp"
#include "tests/integration/loopback_http.hpp"
#include "tests/support/http_client.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kharuul::integration {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int rounds = 5;
constexpr auto min_load = 300ms;
constexpr auto max_load = 1200ms;
constexpr int min_reports_per_round = 15; // each queues ~5 SMS; the sender sends ~50-100 a second
constexpr int max_reports_per_round = 30;
constexpr int cut_reports = 8; // posted from just before the kill: some are cut by it
constexpr auto drain_timeout = 25s;
const std::string volunteer = "+97699000001"; // registered at ALT in config/demo.toml
const std::string report_target = "/channels/generic/receive?secret=demo-secret";

// The provider: every POST's outbox id, counted. The handler runs on the server's one thread.
class sms_sink {
public:
    explicit sms_sink(std::uint64_t seed)
        : server_([this, rng = std::mt19937_64(seed)](const http_request& req) mutable {
              return handle(req, rng);
          }) {}

    std::string send_url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/sms"; }

    std::map<std::int64_t, int> received() {
        std::lock_guard lock(mutex_);
        return received_;
    }
    std::vector<std::string> problems() {
        std::lock_guard lock(mutex_);
        return problems_;
    }
    std::size_t posts() {
        std::lock_guard lock(mutex_);
        return posts_;
    }

private:
    http_response handle(const http_request& req, std::mt19937_64& rng) {
        std::int64_t id = 0;
        try {
            id = boost::json::parse(req.body()).as_object().at("id").as_int64();
        } catch (const std::exception&) {
            std::lock_guard lock(mutex_);
            problems_.push_back(std::string("body without an integer id: ") + req.body());
            return text_response("no id\n", http::status::bad_request);
        }
        {
            std::lock_guard lock(mutex_);
            ++posts_;
            ++received_[id];
            if (req.method() != http::verb::post || target_path(req.target()) != "/sms")
                problems_.push_back("outbox " + std::to_string(id) + ": " + std::string(req.method_string()) +
                                    " " + std::string(req.target()));
            if (req["Idempotency-Key"] != "kharuul-" + std::to_string(id))
                problems_.push_back("outbox " + std::to_string(id) + ": Idempotency-Key " +
                                    std::string(req["Idempotency-Key"]));
        }
        // Recorded first, answered later: a kill during the wait is a message the provider has
        // and the store does not know it has.
        std::this_thread::sleep_for(
            std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 20)(rng)));
        return text_response("{\"message_id\":\"p" + std::to_string(id) + "\"}", http::status::ok,
                             "application/json");
    }

    std::mutex mutex_;
    std::map<std::int64_t, int> received_;
    std::vector<std::string> problems_;
    std::size_t posts_ = 0;
    loopback_http_server server_; // last: stopped (joined) before the members its handler uses go
};

// Client threads posting reports, each with its own text and provider id, until the round's budget
// is spent or stop(). Requests cut by a kill are not retried: what counts is what the store has.
class report_load {
public:
    // The workers wait until `begin`, then post as fast as they can.
    report_load(unsigned short port, int round, int threads, int budget, std::atomic<int>& serial,
                std::chrono::steady_clock::time_point begin) {
        for (int t = 0; t < threads; ++t)
            workers_.emplace_back([this, port, round, budget, begin, &serial] {
                while (!stop_.load() && std::chrono::steady_clock::now() < begin)
                    std::this_thread::sleep_for(1ms);
                while (!stop_.load()) {
                    if (taken_.fetch_add(1) >= budget) {
                        if (done_.fetch_add(1) == 0)
                            spent_after_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                                               std::chrono::steady_clock::now() - begin)
                                               .count();
                        break;
                    }
                    const int k = serial.fetch_add(1);
                    // The note makes every text unique: the 10-minute duplicate rule must not fire.
                    const std::string body =
                        "from=" + testing::form_encode(volunteer) + "&to=500&text=" +
                        testing::form_encode("ID ALT 2B 12 MINE SHAFT # n" + std::to_string(k)) + "&id=" +
                        testing::form_encode("ocrash-" + std::to_string(round) + "-" + std::to_string(k));
                    const auto r = testing::http_call(port, boost::beast::http::verb::post, report_target,
                                                      body, "application/x-www-form-urlencoded", {}, 3s);
                    (r.status == 200 ? ok_ : failed_)++;
                }
            });
    }
    ~report_load() {
        stop();
        join();
    }
    void stop() { stop_.store(true); }
    void join() {
        for (auto& w : workers_)
            if (w.joinable())
                w.join();
    }
    int ok() const { return ok_.load(); }
    int failed() const { return failed_.load(); }
    // How long the budget took to post (ms from `begin`), or -1 when stopped first. After join().
    std::int64_t spent_after() const { return spent_after_.load(); }

private:
    std::atomic<bool> stop_{false};
    std::atomic<int> taken_{0};
    std::atomic<int> ok_{0};
    std::atomic<int> failed_{0};
    std::atomic<int> done_{0};
    std::atomic<std::int64_t> spent_after_{-1};
    std::vector<std::thread> workers_;
};

std::int64_t scalar(SQLite::Database& db, const std::string& sql) {
    SQLite::Statement q(db, sql);
    if (!q.executeStep())
        throw std::runtime_error("no row: " + sql);
    return q.getColumn(0).getInt64();
}

// Rows queued or sending, read with a short-lived read-only connection (the daemon writes).
std::int64_t outbox_pending(const fs::path& db_path) {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    db.setBusyTimeout(2000);
    return scalar(db, "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')");
}

TEST(crash, outbox_survives_sigkill_nothing_lost_and_only_the_in_flight_message_repeats) {
    const fs::path bin = kharuul_bin();
    ASSERT_TRUE(fs::exists(bin)) << bin << " not found (KHARUUL_BIN)";

    const std::uint64_t seed = crash_seed("outbox crash test");
    SCOPED_TRACE("KHARUUL_CRASH_SEED=" + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const int threads = std::uniform_int_distribution<int>(2, 4)(rng);

    const fs::path dir = fresh_crash_dir("outbox-crash");
    const fs::path db_path = dir / "kharuul.db";
    const fs::path log = dir / "kharuul.log";
    SCOPED_TRACE("daemon log: " + log.string());

    sms_sink sink(seed ^ 0x5eed5eedULL);
    ASSERT_NO_THROW(write_demo_config(
        dir / "outbox-crash.toml",
        {{"[server]", "listen", "\"127.0.0.1:0\""}, // the daemon serves the socket the test passes
         {"[store]", "path", "\"" + db_path.string() + "\""},
         {"[alerts]", "outbound_channel", "\"sms\""},
         {"[alerts]", "retry_base_seconds", "1"},
         {"[alerts]", "retry_cap_seconds", "2"},
         {"[messages]", "max_cases_per_sender_per_hour", "1000000"}},
        "\n# The test's SMS provider (a loopback sink).\n[[channels]]\nname = \"sms\"\ntype = \"generic\"\n"
        "secret = \"s\"\nsend_url = \"" +
            sink.send_url() + "\"\n"));

    daemon_process d(bin, dir / "outbox-crash.toml", log);
    std::atomic<int> serial{0};
    int kills = 0, answered = 0, unanswered = 0;
    const auto started = std::chrono::steady_clock::now();

    for (int round = 0; round < rounds; ++round) {
        const unsigned short port = d.start_on_new_socket();
        ASSERT_NO_THROW(wait_until_serving(d, port, log)) << "round " << round;
        const auto load_for = std::chrono::milliseconds(std::uniform_int_distribution<int>(
            static_cast<int>(min_load.count()), static_cast<int>(max_load.count()))(rng));
        const int budget =
            std::uniform_int_distribution<int>(min_reports_per_round, max_reports_per_round)(rng);
        const auto lead = std::chrono::milliseconds(std::uniform_int_distribution<int>(2, 25)(rng));
        const std::size_t posts_before = sink.posts();
        const auto round_start = std::chrono::steady_clock::now();
        const auto kill_at = round_start + load_for;
        // A burst at the start builds a backlog that the sender is still working through at the
        // kill; a second burst starts shortly before the kill, so that the kill cuts reports too.
        report_load backlog(port, round, threads, budget, serial, round_start);
        report_load cut(port, round, threads, cut_reports, serial, kill_at - lead);
        std::this_thread::sleep_until(kill_at);
        d.send_kill();
        ++kills;
        backlog.stop(); // reports in flight now fail; no new ones start
        cut.stop();
        d.reap();
        backlog.join();
        cut.join();
        answered += backlog.ok() + cut.ok();
        unanswered += backlog.failed() + cut.failed();
        std::cout << "round " << round << ": " << threads << "+" << threads << " threads; " << budget
                  << " reports at once (" << backlog.ok() << " answered 200, " << backlog.failed()
                  << " not, posted in " << backlog.spent_after() << " ms), up to " << cut_reports << " from "
                  << lead.count() << " ms before the kill (" << cut.ok() << " answered 200, " << cut.failed()
                  << " not); " << sink.posts() - posts_before << " SMS received by the sink; SIGKILL after "
                  << load_for.count() << " ms" << std::endl;
    }

    // The last restart: no load, no kill; the daemon sends what is left.
    const unsigned short port = d.start_on_new_socket();
    ASSERT_NO_THROW(wait_until_serving(d, port, log));
    const auto drain_started = std::chrono::steady_clock::now();
    std::int64_t pending = -1;
    while (std::chrono::steady_clock::now() - drain_started < drain_timeout) {
        try {
            pending = outbox_pending(db_path);
        } catch (const std::exception& e) {
            std::cout << "outbox poll: " << e.what() << std::endl;
        }
        if (pending == 0)
            break;
        std::this_thread::sleep_for(100ms);
    }
    const auto drained_in = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - drain_started);
    EXPECT_EQ(pending, 0) << "outbox not drained within " << drain_timeout.count() << " s; log:\n"
                          << tail_of(log);
    EXPECT_EQ(d.terminate(15s), 0) << "graceful stop failed; log:\n" << tail_of(log);
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

    // The store, read with a connection of the test's own; the daemon has stopped.
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    {
        SQLite::Statement q(db, "PRAGMA integrity_check");
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getString(), "ok");
    }

    struct row {
        std::string state;
        std::string provider_id;
        int interrupted = 0;
    };
    std::map<std::int64_t, row> rows;
    {
        SQLite::Statement q(db, "SELECT o.id, o.state, COALESCE(o.provider_id, ''), "
                                "(SELECT count(*) FROM outbox_attempts a WHERE a.outbox_id = o.id AND "
                                "a.outcome = 'interrupted') FROM outbox o ORDER BY o.id");
        while (q.executeStep())
            rows[q.getColumn(0).getInt64()] = {q.getColumn(1).getString(), q.getColumn(2).getString(),
                                               q.getColumn(3).getInt()};
    }
    const std::map<std::int64_t, int> received = sink.received();

    std::size_t not_sent = 0, never_received = 0, repeated = 0, extra_receipts = 0, interrupted = 0;
    int most = 0;
    for (const auto& [id, r] : rows) {
        interrupted += static_cast<std::size_t>(r.interrupted);
        if (r.state != "sent") {
            ++not_sent;
            ADD_FAILURE() << "outbox " << id << " ended " << r.state;
        } else {
            EXPECT_EQ(r.provider_id, "p" + std::to_string(id)) << "outbox " << id << ": the provider's id";
        }
        const auto it = received.find(id);
        const int n = it == received.end() ? 0 : it->second;
        most = std::max(most, n);
        if (n == 0) {
            ++never_received;
            ADD_FAILURE() << "outbox " << id << " (" << r.state << ") never reached the provider";
        }
        if (n > 1) {
            ++repeated;
            extra_receipts += static_cast<std::size_t>(n - 1);
            // Only a message a crash left "sending" may go out again, once per such crash: twice at
            // most, unless the same message was in flight at two kills.
            EXPECT_LE(n - 1, r.interrupted) << "outbox " << id << " received " << n << " times, interrupted "
                                            << r.interrupted << " times";
        }
    }
    for (const auto& [id, n] : received)
        EXPECT_TRUE(rows.contains(id))
            << "the provider received outbox " << id << " (" << n << " times), which the store does not have";
    for (const auto& p : sink.problems())
        ADD_FAILURE() << "sink: " << p;

    // One message at a time: at most one row "sending" per crash, hence at most one repeat.
    EXPECT_LE(interrupted, static_cast<std::size_t>(kills));
    EXPECT_LE(repeated, static_cast<std::size_t>(kills));
    EXPECT_LE(extra_receipts, static_cast<std::size_t>(kills));

    // Written with the report: each accepted ID report opened an alert or folded into one, and
    // queued an SMS for each of that alert's recipients.
    const std::int64_t accepted_ids =
        scalar(db, "SELECT count(*) FROM messages WHERE form = 'ID' AND status = 'accepted'");
    const std::int64_t alerts = scalar(db, "SELECT count(*) FROM alerts");
    const std::int64_t folds = scalar(db, "SELECT count(*) FROM alert_history WHERE what = 'folded'");
    const std::int64_t expected_rows = scalar(
        db, "SELECT COALESCE(SUM((SELECT count(*) FROM alert_recipients r WHERE r.alert_id = a.id) * "
            "(1 + (SELECT count(*) FROM alert_history h WHERE h.alert_id = a.id AND h.what = 'folded'))), 0) "
            "FROM alerts a");
    EXPECT_GE(accepted_ids, answered) << "a report answered 200 is not in the store";
    EXPECT_EQ(alerts + folds, accepted_ids);
    EXPECT_EQ(static_cast<std::int64_t>(rows.size()), expected_rows);
    EXPECT_EQ(scalar(db, "SELECT count(*) FROM outbox WHERE kind <> 'alert'"), 0);

    std::cout << "outbox: " << rows.size() << " rows (" << accepted_ids << " accepted ID reports of "
              << serial.load() << " posted, " << answered << " answered 200, " << unanswered << " not; "
              << alerts << " alerts, " << folds << " folds), " << not_sent << " not sent, " << never_received
              << " never received; sink: " << sink.posts() << " POSTs, " << received.size()
              << " ids; kills: " << kills << ", rows interrupted: " << interrupted
              << ", ids repeated: " << repeated << " (most receipts of one id: " << most << "); drained in "
              << drained_in.count() << " ms, whole run " << elapsed.count() << " ms" << std::endl;
    ASSERT_GT(rows.size(), 0u) << "no alert SMS queued: the test did not test anything";
    EXPECT_GT(interrupted, 0u)
        << "no kill landed while a message was being sent: the test did not test anything";

    if (!::testing::Test::HasFailure())
        fs::remove_all(dir);
    else
        std::cout << "kept " << dir << " for inspection" << std::endl;
}

} // namespace
} // namespace kharuul::integration
