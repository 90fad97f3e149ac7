// `kharuul serve` as an operator runs it, through the real binary on port 0 and a real store
// file: SIGTERM lets a request still arriving finish with its answer and exits 0; SIGHUP re-reads
// the routing rules, so the next urgent report alerts the team the new rule names; and the exit
// codes of interfaces.md: 1 for a bad configuration, 2 when it cannot start for another reason.
// Every wait is on the daemon's log or its answers, not on the clock.
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/raw_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <optional>
#include <set>
#include <string>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::daemon_process;
using testing::raw_client;

// `kharuul serve` on the demo configuration with its store in a fresh folder and port 0, and
// `appended` TOML after it; started, and serving once constructed.
class served_binary {
public:
    explicit served_binary(const std::string& name, const std::string& appended = {})
        : dir_(testing::fresh_dir(name)), d_(testing::kharuul_bin(), config(), log()) {
        write(appended);
        d_.start();
        port_ = testing::serving_port(d_, log(), seen_);
    }
    ~served_binary() {
        d_.kill_now();
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // Rewrites the configuration file (the demo, then `appended`), e.g. before a SIGHUP.
    void write(const std::string& appended) const {
        testing::write_demo_config(config(),
                                   {{"[server]", "listen", "\"127.0.0.1:0\""},
                                    {"[store]", "path", "\"" + (dir_ / "kharuul.db").string() + "\""}},
                                   appended);
    }

    // The next log line containing `text`, after those already waited for.
    std::string wait_for(std::string_view text) { return testing::wait_for_log_line(d_, log(), text, seen_); }

    // A provider's POST to the generic channel; the JSON answer (fails the test unless 200).
    boost::json::object post(const std::string& from, const std::string& text) {
        const auto r =
            testing::http_post(port_, "/channels/generic/receive?secret=demo-secret",
                               "from=" + testing::form_encode(from) + "&text=" + testing::form_encode(text));
        EXPECT_EQ(r.status, 200) << r.body << "\nlog:\n" << testing::tail_of(log());
        return r.status == 200 ? boost::json::parse(r.body).as_object() : boost::json::object{};
    }

    // The phones the outbox holds messages of `alert_id` for.
    std::set<std::string> alerted(std::int64_t alert_id) {
        auto db = store::open_database(dir_ / "kharuul.db");
        std::set<std::string> phones;
        for (const auto& row : store::export_outbox(db, {}))
            if (row.alert_id && *row.alert_id == alert_id)
                phones.insert(row.recipient);
        return phones;
    }

    // The newest alert's id (0: none).
    std::int64_t last_alert() {
        auto db = store::open_database(dir_ / "kharuul.db");
        return db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM alerts").getInt64();
    }

    daemon_process& process() { return d_; }
    unsigned short port() const { return port_; }
    fs::path config() const { return dir_ / "kharuul.toml"; }
    fs::path log() const { return dir_ / "kharuul.log"; }
    const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
    daemon_process d_;
    std::size_t seen_ = 0; // log lines already waited for
    unsigned short port_ = 0;
};

std::string form_post(const std::string& body) {
    return "POST /channels/generic/receive?secret=demo-secret HTTP/1.1\r\nHost: kharuul\r\n"
           "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(daemon_signals,
     sigterm_lets_a_request_whose_body_is_still_arriving_finish_with_its_answer_and_exits_zero) {
    served_binary k("sigterm-inflight");
    raw_client c(10s);
    c.connect(k.port());
    const std::string first = form_post("from=%2B97699000001&text=NIL%20ALT%20%23%20before%20the%20stop");
    const std::string second = form_post("from=%2B97699000001&text=NIL%20ALT%20%23%20during%20the%20stop");
    const std::size_t cut = second.size() - 12; // the body's last 12 bytes come after the signal
    // One write: a whole request and most of the next; the answer to the first says the daemon
    // has read what came with it, so the second is arriving, not awaited, when SIGTERM comes.
    ASSERT_TRUE(c.send(first + second.substr(0, cut)));
    ASSERT_EQ(c.read_response(), 200) << c.received();

    k.process().signal(SIGTERM);
    ASSERT_NO_THROW(k.wait_for("stopping gracefully"));
    EXPECT_TRUE(k.process().running()) << "the daemon waits for the request in flight";
    ASSERT_TRUE(c.send(second.substr(cut)));
    EXPECT_EQ(c.read_response(), 200) << c.received();
    const std::string& answers = c.received();
    const auto second_answer = answers.rfind("HTTP/1.1 ");
    EXPECT_NE(answers.find("Connection: close\r\n", second_answer), std::string::npos) << answers;
    EXPECT_NE(answers.find("\"status\":\"accepted\"", second_answer), std::string::npos) << answers;
    EXPECT_TRUE(c.wait_closed());

    EXPECT_EQ(k.process().wait_exit(15s), 0) << testing::tail_of(k.log());
    // Both stored: what was answered is kept.
    auto db = store::open_database(k.dir() / "kharuul.db");
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM messages WHERE text LIKE 'NIL ALT # %the stop'").getInt(),
              2);
}

TEST(daemon_signals, sighup_with_a_new_routing_rule_sends_the_next_urgent_report_to_the_team_the_rule_names) {
    served_binary k("sighup-rules");
    const std::string monitor = "+97699000006"; // demo.toml: reports at DKH and NRT
    const std::set<std::string> markets_team{"+97699000131", "+97699000132"};   // Ulaanbaatar/Bayanzurkh
    const std::set<std::string> sensitive_team{"+97699000151", "+97699000152"}; // Ulaanbaatar MDT
    auto members_of = [](const std::set<std::string>& team, const std::set<std::string>& alerted) {
        std::set<std::string> in;
        for (const auto& p : team)
            if (alerted.count(p))
                in.insert(p);
        return in;
    };

    // Before the reload: the covering ordinary team.
    EXPECT_EQ(k.post(monitor, "ID NRT 1G 14 TRADE ALONE").at("status"), "accepted");
    const auto before = k.last_alert();
    ASSERT_GT(before, 0);
    EXPECT_EQ(members_of(markets_team, k.alerted(before)), markets_team);
    EXPECT_TRUE(members_of(sensitive_team, k.alerted(before)).empty());
    // Acknowledged, so that the next report opens an alert of its own instead of folding into it.
    EXPECT_EQ(k.post("+97699000131", "ACK " + std::to_string(before)).at("status"), "accepted");

    // NRT's reports become sensitive: the multi-disciplinary team for sensitive cases only.
    k.write("\n[[alerts.rules]]\nsites = [\"NRT\"]\nsensitive = true\n");
    k.process().signal(SIGHUP);
    ASSERT_NO_THROW(k.wait_for("reloaded "));

    EXPECT_EQ(k.post(monitor, "ID NRT 2G 13 TRADE ALONE").at("status"), "accepted");
    const auto after = k.last_alert();
    ASSERT_GT(after, before);
    EXPECT_EQ(members_of(sensitive_team, k.alerted(after)), sensitive_team);
    EXPECT_TRUE(members_of(markets_team, k.alerted(after)).empty());
    EXPECT_EQ(k.process().terminate(15s), 0);
}

// The exit code and the log of a `kharuul serve` that is expected not to start.
struct failed_start {
    std::optional<int> code;
    std::string log;
};

failed_start serve_once(const fs::path& dir, const fs::path& config) {
    daemon_process d(testing::kharuul_bin(), config, dir / "serve.log");
    d.start();
    failed_start out{d.wait_exit(15s), {}};
    if (!out.code)
        d.kill_now();
    out.log = testing::tail_of(dir / "serve.log");
    return out;
}

TEST(daemon_signals,
     serve_exits_one_for_a_bad_configuration_and_two_when_it_cannot_start_for_another_reason) {
    const auto dir = testing::fresh_dir("exit-codes");
    const std::string store = "\"" + (dir / "kharuul.db").string() + "\"";
    // A port that is taken, and held for the whole test (no race: the test keeps it bound).
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const std::string busy = "\"127.0.0.1:" + std::to_string(taken.local_endpoint().port()) + "\"";
    std::ofstream(dir / "not-a-folder") << "a file where the store's folder should be\n";

    struct row {
        std::string name;
        std::vector<testing::demo_config_edit> edits;
        std::string appended;
        int code;
        std::string says;
    };
    const row rows[] = {
        {"a broken file", {{"[store]", "path", store}}, "[server\n", 1, "refusing to start"},
        {"the listen address in use",
         {{"[store]", "path", store}, {"[server]", "listen", busy}},
         "",
         2,
         "cannot start"},
        {"a store that cannot be created",
         {{"[store]", "path", "\"" + (dir / "not-a-folder" / "kharuul.db").string() + "\""},
          {"[server]", "listen", "\"127.0.0.1:0\""}},
         "",
         2,
         "cannot start"},
    };
    for (const auto& r : rows) {
        const auto config = dir / "kharuul.toml";
        testing::write_demo_config(config, r.edits, r.appended);
        const auto out = serve_once(dir, config);
        EXPECT_EQ(out.code, r.code) << r.name << "\n" << out.log;
        EXPECT_NE(out.log.find(r.says), std::string::npos) << r.name << "\n" << out.log;
        EXPECT_EQ(out.log.find("kharuul serving on"), std::string::npos) << r.name << "\n" << out.log;
    }
    fs::remove_all(dir);
}

} // namespace
} // namespace kharuul::gateway
