// The daemon on a real full disk (issue 9 item 4): its store on a tmpfs of a few MB (root only;
// skipped otherwise), a provider posting over loopback. A full disk answers 503 and /healthz says
// degraded with 503; freeing space brings it back for good (the WAL does not eat the space again);
// a daemon started on a full disk serves 503 instead of exiting; and every message answered 200 is
// in the store afterwards.
#include "gateway/daemon.hpp"

#include "config/load.hpp"
#include "store/database.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/small_disk.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string volunteer = "+97699000001"; // reports at ALT (demo.toml)

// The demo daemon with its store on `disk`, run on its own thread.
class disk_gateway {
public:
    explicit disk_gateway(const fs::path& store_dir) {
        auto cfg = testing::demo_config(store_dir);
        daemon_options o;
        o.handle_signals = false;
        d_ = std::make_unique<daemon>(std::move(cfg), o);
        port_ = d_->local_endpoint().port();
        thread_ = std::thread([this] { d_->run(); });
    }
    ~disk_gateway() { stop(); }

    void stop() {
        if (!d_)
            return;
        d_->stop();
        thread_.join();
        d_.reset();
    }

    // A NIL report with a provider id (and a distinct text, so that no two are duplicates).
    int post(int n) {
        const std::string id = "full-" + std::to_string(n);
        const std::string body = "from=" + testing::form_encode(volunteer) + "&to=500&text=" +
                                 testing::form_encode("NIL ALT " + std::to_string(n)) + "&id=" + id;
        const int status = testing::http_post(port_, "/channels/generic/receive?secret=demo-secret", body).status;
        if (status == 200)
            acknowledged.insert(id);
        return status;
    }

    testing::http_reply health() { return testing::http_get(port_, "/healthz"); }

    // Polls /healthz until it answers `status` (an event, with a deadline).
    bool health_becomes(int status, std::chrono::seconds within = 15s) {
        const auto deadline = std::chrono::steady_clock::now() + within;
        while (health().status != status) {
            if (std::chrono::steady_clock::now() > deadline)
                return false;
            std::this_thread::sleep_for(20ms);
        }
        return true;
    }

    std::set<std::string> acknowledged;

private:
    std::unique_ptr<daemon> d_;
    std::thread thread_;
    unsigned short port_ = 0;
};

// Every acknowledged provider id is stored (read after the daemon has stopped).
void expect_all_stored(const fs::path& db_path, const std::set<std::string>& acknowledged) {
    SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
    std::set<std::string> stored;
    SQLite::Statement q(db, "SELECT provider_id FROM messages WHERE provider_id LIKE 'full-%'");
    while (q.executeStep())
        stored.insert(q.getColumn(0).getString());
    std::size_t lost = 0;
    for (const auto& id : acknowledged)
        if (!stored.contains(id))
            ++lost;
    EXPECT_EQ(lost, 0u) << "acknowledged messages missing from the store";
    EXPECT_EQ(stored.size(), acknowledged.size());
}

TEST(full_disk, posts_get_503_and_healthz_degraded_then_freed_space_takes_hundreds_more_for_good) {
    testing::small_disk disk(4);
    if (!disk)
        GTEST_SKIP() << disk.why_not();
    disk_gateway g(disk.dir());
    int n = 0;
    for (; n < 20; ++n)
        ASSERT_EQ(g.post(n), 200);
    EXPECT_EQ(g.health().status, 200);

    ASSERT_GT(disk.fill(), 0u);
    int status = 200;
    for (int tries = 0; tries < 5000 && status == 200; ++tries)
        status = g.post(n++);
    ASSERT_EQ(status, 503) << "the full disk never refused a message";
    const auto h = g.health();
    EXPECT_EQ(h.status, 503);
    EXPECT_EQ(h.body, "degraded\n");
    EXPECT_EQ(g.post(n++), 503);

    disk.free_filler();
    ASSERT_TRUE(g.health_becomes(200)) << "/healthz still degraded after the filler went";
    EXPECT_EQ(g.health().body, "ok\n");
    int refused = 0;
    for (int i = 0; i < 600; ++i)
        refused += g.post(n++) != 200;
    EXPECT_EQ(refused, 0) << "of 600 messages after space was freed";
    EXPECT_EQ(g.health().status, 200);
    g.stop();
    expect_all_stored(disk.dir() / "kharuul.db", g.acknowledged);
}

TEST(full_disk, a_daemon_restarted_on_a_full_disk_answers_503_and_recovers_when_space_is_freed) {
    testing::small_disk disk(4);
    if (!disk)
        GTEST_SKIP() << disk.why_not();
    std::set<std::string> acknowledged;
    int n = 0;
    {
        disk_gateway first(disk.dir());
        for (; n < 10; ++n)
            ASSERT_EQ(first.post(n), 200);
        first.stop();
        acknowledged = first.acknowledged;
    }
    ASSERT_GT(disk.fill(), 0u);
    disk_gateway g(disk.dir()); // does not throw: serves
    EXPECT_TRUE(g.health_becomes(503));
    EXPECT_EQ(g.health().body, "degraded\n");
    EXPECT_EQ(g.post(n++), 503);

    disk.free_filler();
    ASSERT_TRUE(g.health_becomes(200)) << "/healthz still degraded after the filler went";
    for (int i = 0; i < 200; ++i)
        EXPECT_EQ(g.post(n++), 200);
    g.stop();
    acknowledged.insert(g.acknowledged.begin(), g.acknowledged.end());
    expect_all_stored(disk.dir() / "kharuul.db", acknowledged);
}

TEST(full_disk, a_daemon_started_without_a_store_on_a_full_disk_answers_503_and_creates_it_later) {
    testing::small_disk disk(2);
    if (!disk)
        GTEST_SKIP() << disk.why_not();
    ASSERT_GT(disk.fill(), 0u);
    disk_gateway g(disk.dir());
    EXPECT_EQ(g.health().status, 503);
    EXPECT_EQ(g.post(0), 503);

    disk.free_filler();
    ASSERT_TRUE(g.health_becomes(200));
    for (int i = 1; i <= 50; ++i)
        EXPECT_EQ(g.post(i), 200);
    g.stop();
    expect_all_stored(disk.dir() / "kharuul.db", g.acknowledged);
}

} // namespace
} // namespace kharuul::gateway
