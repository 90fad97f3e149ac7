// Outbound over HTTPS through the daemon: a report's alerts leave through a generic channel whose
// send_url is https:// on a loopback TLS stand-in, verified against the channel's ca_file (a CA
// the test makes); with a certificate from another CA every alert stays queued with the refusal
// in its attempts and is tried again, none lost. And `kharuul check-config` on a file whose Kannel
// moved to the local network over plain http://: refused naming the channel and the fixes, taken
// with allow_insecure = true.
#include "store/outbox.hpp"
#include "tests/adapters/provider_stand_in.hpp"
#include "tests/support/cli_in_process.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/test_ca.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace kharuul::gateway {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::provider_stand_in;

const std::string volunteer_alt_en = "+97699000002";
// Who an urgent report at ALT alerts at once (config/demo.toml): the team, its leader, the
// coordinators.
const std::set<std::string> alerted{"+97699000101", "+97699000102", "+97699000103", "+97699000201",
                                    "+97699000202"};

const testing::test_ca& provider_ca() {
    static const testing::test_ca ca("provider CA");
    return ca;
}

class outbound_https : public ::testing::Test {
protected:
    asio::io_context io; // the stand-in's, driven by this thread while the daemon runs on its own
    fs::path dir = testing::fresh_dir("outbound-https");
    std::string ca_file = (dir / "provider-ca.pem").string();

    outbound_https() { testing::write_file(ca_file, provider_ca().cert_pem()); }
    ~outbound_https() override {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    // The demo, with alerts going out through an https:// generic channel at `url`.
    std::function<void(config::gateway_config&)> alerts_to(std::string url) const {
        return [url, ca = ca_file](config::gateway_config& c) {
            config::channel_config ch;
            ch.name = "provider";
            ch.type = config::channel_type::generic;
            ch.secret = "provider-secret";
            ch.send_url = url;
            ch.username = "ngo";
            ch.password = "s3cret";
            ch.ca_file = ca;
            c.channels.push_back(ch);
            c.alerts.outbound_channel = "provider";
            c.alerts.retry_base = 1s;
            c.alerts.retry_cap = 2s;
        };
    }

    // Runs the stand-in until `done` holds, at most `limit`; the gateway's clock moves with it, so
    // that back-offs come due.
    template <class Pred>
    bool drive_until(testing::running_gateway& g, Pred done, std::chrono::milliseconds limit = 15s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (!done() && std::chrono::steady_clock::now() < until) {
            io.run_one_for(50ms);
            g.advance(50ms);
        }
        return done();
    }

    static std::vector<store::outbox_record> alerts_of(testing::running_gateway& g) {
        std::vector<store::outbox_record> rows;
        for (auto& r : store::export_outbox(g.db(), {}))
            if (r.kind == store::outbox_kind::alert)
                rows.push_back(std::move(r));
        return rows;
    }
};

TEST_F(outbound_https,
       an_urgent_reports_alerts_reach_an_https_provider_verified_against_the_channels_ca_file) {
    provider_stand_in provider(io, testing::server_context(provider_ca().issue({"localhost"})));
    testing::running_gateway g("outbound-https-ok", false,
                               alerts_to(provider.url_at("localhost", "/v1/sms")));

    auto reply = g.send(volunteer_alt_en, "ID ALT 2B 12 MINE SHAFT");
    ASSERT_EQ(reply.at("status"), "accepted");
    ASSERT_TRUE(drive_until(g,
                            [&] {
                                const auto rows = alerts_of(g);
                                return rows.size() == alerted.size() &&
                                       std::all_of(rows.begin(), rows.end(), [](auto& r) {
                                           return r.state == store::outbox_state::sent;
                                       });
                            }))
        << provider.requests().size() << " requests arrived";

    std::set<std::string> to;
    for (const auto& req : provider.requests()) {
        const auto body = boost::json::parse(req.body()).as_object();
        to.insert(std::string(body.at("to").as_string()));
        EXPECT_EQ(req[http::field::authorization], "Basic bmdvOnMzY3JldA==");
    }
    EXPECT_EQ(to, alerted);
    EXPECT_EQ(provider.server_names().size(), alerted.size());
    EXPECT_EQ(provider.failed_handshakes(), 0u);
    for (const auto& row : alerts_of(g)) {
        const auto attempts = store::outbox_attempts(g.db(), row.id);
        ASSERT_FALSE(attempts.empty());
        EXPECT_EQ(attempts.back().outcome, "sent");
        EXPECT_EQ(attempts.back().detail, "HTTP 200: ok");
    }
}

TEST_F(outbound_https,
       a_provider_certified_by_another_ca_is_refused_and_every_alert_waits_queued_and_is_retried) {
    const testing::test_ca stranger("not the provider's CA");
    provider_stand_in impostor(io, testing::server_context(stranger.issue({"localhost"})));
    testing::running_gateway g("outbound-https-refused", false,
                               alerts_to(impostor.url_at("localhost", "/v1/sms")));

    ASSERT_EQ(g.send(volunteer_alt_en, "ID ALT 2B 12 MINE SHAFT").at("status"), "accepted");
    // Each alert tried twice, and waiting for the next attempt (between attempts a row is queued).
    ASSERT_TRUE(drive_until(g, [&] {
        const auto rows = alerts_of(g);
        return rows.size() == alerted.size() && std::all_of(rows.begin(), rows.end(), [](auto& r) {
                   return r.attempts >= 2 && r.state == store::outbox_state::queued;
               });
    }));
    for (const auto& row : alerts_of(g)) {
        EXPECT_EQ(row.last_error.value_or(""),
                  "tls: certificate verify failed (unable to get local issuer certificate)");
        for (const auto& a : store::outbox_attempts(g.db(), row.id)) {
            EXPECT_EQ(a.outcome, "error") << row.recipient;
            EXPECT_EQ(a.detail, "tls: certificate verify failed (unable to get local issuer certificate)");
        }
    }
    EXPECT_TRUE(impostor.requests().empty()) << "no alert text and no credentials reached the impostor";
    EXPECT_GE(impostor.failed_handshakes(), 2 * alerted.size());
}

// ---------------------------------------------------------------------------------------------
// check-config after an upgrade

std::string demo_text() {
    std::ifstream in(testing::source_dir() / "config" / "demo.toml");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST_F(outbound_https, check_config_names_a_kannel_on_the_local_network_over_plain_http_and_how_to_keep_it) {
    std::string text = demo_text();
    const std::string local = "send_url = \"http://127.0.0.1:13013/cgi-bin/sendsms\"";
    const auto at = text.find(local);
    ASSERT_NE(at, std::string::npos) << "the demo's Kannel moved";
    text.replace(at, local.size(), "send_url = \"http://192.168.1.20:13013/cgi-bin/sendsms\"");
    const auto file = dir / "upgraded.toml";
    testing::write_file(file, text);

    auto r = testing::run_cli_with({"check-config", "--config", file.string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(
                  "channels[1].send_url: the kannel channel \"kannel\" would send its username, password and "
                  "secret unencrypted over http:// to 192.168.1.20"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("before an upgrade stops until it is changed"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("add allow_insecure = true to this channel"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("1 error"), std::string::npos) << r.err;

    text.replace(text.find("send_url = \"http://192.168.1.20"), 0, "allow_insecure = true\n");
    testing::write_file(file, text);
    r = testing::run_cli_with({"check-config", "--config", file.string()});
    EXPECT_EQ(r.code, 0) << r.out << r.err;
}

} // namespace
} // namespace kharuul::gateway
