// Overload without collapse (store.max_queue): with the store's writer stalled for real (another
// connection on the same SQLite file holds BEGIN IMMEDIATE, so the writer's BEGIN waits on its
// busy timeout), a burst of more messages than the queue holds gets 503 with Retry-After for the
// excess at once, through the channel's own failed() answer; once the lock goes, every message
// answered 200 is stored exactly once and none answered 503 is.
#include "gateway/daemon.hpp"

#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace kharuul::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using namespace std::chrono_literals;
using testing::running_gateway;

struct answer {
    int status = 0; // 0: no answer
    std::string retry_after;
};

// Answers by provider id, as they arrive from threads, each a connection of its own.
class answers {
public:
    void add(const std::string& id, answer a) {
        std::lock_guard lock(mutex_);
        by_id_[id] = std::move(a);
        arrived_.notify_all();
    }
    // Waits (on arrivals, not a clock) until `n` answers have `status`; false after `timeout`.
    bool wait_for(int status, std::size_t n, std::chrono::seconds timeout) {
        std::unique_lock lock(mutex_);
        return arrived_.wait_for(lock, timeout, [&] { return count(status) >= n; });
    }
    std::size_t count(int status) const {
        std::size_t n = 0;
        for (const auto& [id, a] : by_id_)
            n += a.status == status;
        return n;
    }
    std::map<std::string, answer> all() const {
        std::lock_guard lock(mutex_);
        return by_id_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable arrived_;
    std::map<std::string, answer> by_id_;
};

answer post_report(unsigned short port, const std::string& id, int n) {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    answer out;
    try {
        stream.expires_after(60s);
        stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
        http::request<http::string_body> req{http::verb::post, "/channels/generic/receive?secret=demo-secret", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        // Distinct senders and texts: no duplicate rule folds two of them.
        req.body() = "from=%2B97699000" + std::to_string(100 + n) + "&to=500&text=NIL%20ALT%20" + std::to_string(n) +
                     "&id=" + id;
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(stream, buf, res);
        out.status = res.result_int();
        out.retry_after = std::string(res[http::field::retry_after]);
    } catch (const std::exception&) {
        out.status = 0;
    }
    return out;
}

std::uint64_t metric(const std::string& text, const std::string& name) {
    std::smatch m;
    const std::regex re("\n" + std::regex_replace(name, std::regex(R"([{}"])"), R"(\$&)") + " (\\d+)");
    return std::regex_search(text, m, re) ? std::stoull(m[1]) : ~0ull;
}

TEST(store_queue, a_burst_past_max_queue_gets_503_with_retry_after_at_once_and_nothing_of_it_is_stored) {
    constexpr std::size_t max_queue = 8;
    constexpr std::size_t burst = 30;
    running_gateway g("queue-full", false, [](config::gateway_config& c) {
        c.store.max_queue = max_queue;
        c.store.busy_timeout = 60s; // the stalled writer waits on the lock, it does not fail
    });
    ASSERT_EQ(g.send("+97699000001", "NIL ALT").empty(), false); // the store works before the stall

    SQLite::Database other((g.dir() / "kharuul.db").string(), SQLite::OPEN_READWRITE);
    other.setBusyTimeout(30000); // the daemon's start-up jobs may hold the lock a moment
    other.exec("BEGIN IMMEDIATE"); // the write lock: the writer's next BEGIN waits
    answers got;
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < burst; ++i) {
        const std::string id = "burst-" + std::to_string(i);
        clients.emplace_back([&got, &g, id, i] { got.add(id, post_report(g.port(), id, static_cast<int>(i))); });
    }
    // At most max_queue messages can be pending: the rest are answered while the store is stalled.
    ASSERT_TRUE(got.wait_for(503, burst - max_queue, 30s))
        << got.count(503) << " answered 503 while the writer was stalled";
    EXPECT_EQ(got.count(200), 0u) << "nothing can be stored while the lock is held";
    const std::string during = testing::http_get(g.port(), "/metrics").body;
    EXPECT_LE(metric(during, "kharuul_store_pending"), max_queue + 3) << "the daemon's own jobs may pass";
    EXPECT_EQ(metric(during, "kharuul_store_max_queue"), max_queue);
    EXPECT_GE(metric(during, "kharuul_store_rejected_total{reason=\"queue_full\"}"), burst - max_queue);

    other.exec("ROLLBACK");
    for (auto& t : clients)
        t.join();
    const auto all = got.all();
    ASSERT_EQ(all.size(), burst);
    std::size_t ok = 0;
    std::size_t refused = 0;
    for (const auto& [id, a] : all) {
        ASSERT_TRUE(a.status == 200 || a.status == 503) << id << ": " << a.status;
        if (a.status == 503) {
            ++refused;
            EXPECT_EQ(a.retry_after, "1") << id;
        } else {
            ++ok;
        }
    }
    EXPECT_GE(ok, max_queue - 3) << "the queue was used, less the daemon's own jobs at most";
    EXPECT_LE(ok, max_queue);
    EXPECT_EQ(ok + refused, burst);

    SQLite::Statement q(g.db(), "SELECT COUNT(*) FROM messages WHERE channel = 'generic' AND provider_id = ?");
    for (const auto& [id, a] : all) {
        q.bind(1, id);
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getInt(), a.status == 200 ? 1 : 0) << id << " answered " << a.status;
        q.reset();
    }
    const std::string after = testing::http_get(g.port(), "/metrics").body;
    EXPECT_EQ(metric(after, "kharuul_store_rejected_total{reason=\"queue_full\"}"), refused);
}

TEST(store_queue, every_channel_s_store_bound_request_is_refused_with_retry_after_while_the_queue_is_full) {
    // max_queue 1 and a stalled writer: once one message is pending, every request that would be a
    // store job (messages on every dialect, delivery reports, USSD steps and end notices) is
    // answered 503 with Retry-After through its dialect, and stores nothing.
    running_gateway g("queue-full-channels", false, [](config::gateway_config& c) {
        c.store.max_queue = 1;
        c.store.busy_timeout = 60s;
    });
    SQLite::Database other((g.dir() / "kharuul.db").string(), SQLite::OPEN_READWRITE);
    other.setBusyTimeout(30000); // the daemon's start-up jobs may hold the lock a moment
    other.exec("BEGIN IMMEDIATE");
    answers got;
    // A message to fill the queue (it may find it full of the daemon's own start-up job instead:
    // either way, once a job is pending under the lock it stays pending until the ROLLBACK).
    std::thread held([&] { got.add("held", post_report(g.port(), "held", 1)); });
    // Waits on the daemon's own figure (each look an HTTP round trip, not a sleep).
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (metric(testing::http_get(g.port(), "/metrics").body, "kharuul_store_pending") < 1)
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the held message never became pending";

    struct probe {
        const char* what;
        http::verb verb;
        std::string target;
        std::string body;
    };
    const std::vector<probe> probes{
        {"generic message", http::verb::post, "/channels/generic/receive?secret=demo-secret",
         "from=%2B97699000002&to=500&text=NIL%20ALT&id=p1"},
        {"kannel message", http::verb::get,
         "/channels/kannel/receive?secret=demo-kannel-secret&from=%2B97699000002&to=500&text=NIL+ALT&id=p2", ""},
        {"africastalking message", http::verb::post, "/channels/africastalking/receive?secret=demo-at-secret",
         "from=%2B97699000002&to=500&text=NIL%20ALT&id=ATXid_p3&date=2026-12-02T10%3A00%3A00Z"},
        {"delivery report", http::verb::post, "/channels/africastalking/status?secret=demo-at-secret", "id=ATXid_out_1&status=Success"},
        {"USSD step", http::verb::post, "/channels/generic/ussd?secret=demo-secret",
         "session_id=s1&from=%2B97699000002&text=&service_code=%2A500%23"},
    };
    for (const auto& p : probes) {
        boost::asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(30s);
        stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), g.port()));
        http::request<http::string_body> req{p.verb, p.target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!p.body.empty())
            req.set(http::field::content_type, "application/x-www-form-urlencoded");
        req.body() = p.body;
        req.prepare_payload();
        http::write(stream, req);
        beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(stream, buf, res);
        EXPECT_EQ(res.result_int(), 503u) << p.what << ": " << res.body();
        EXPECT_EQ(res[http::field::retry_after], "1") << p.what;
    }
    const auto metrics = testing::http_get(g.port(), "/metrics").body;
    EXPECT_GE(metric(metrics, "kharuul_store_rejected_total{reason=\"queue_full\"}"), probes.size());
    other.exec("ROLLBACK");
    held.join();
    const int held_status = got.all().at("held").status;
    EXPECT_TRUE(held_status == 200 || held_status == 503) << held_status;
    SQLite::Statement q(g.db(), "SELECT COUNT(*) FROM messages WHERE provider_id IN ('p1', 'p2', 'ATXid_p3') "
                                "OR (provider_id = 'held' AND ? = 503)");
    q.bind(1, held_status);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 0) << "nothing refused was stored";
}

} // namespace
} // namespace kharuul::gateway
