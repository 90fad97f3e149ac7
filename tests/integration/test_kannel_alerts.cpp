// Alerts through a real Kannel: a report arrives through Kannel, the gateway's alerts leave
// through Kannel's sendsms with a dlr-url back to /channels/kannel/status, the fake network
// reports delivery, and the outbox reads delivered; with Kannel stopped the alerts wait in the
// outbox and go out once it is back.
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "tests/integration/kannel_peer.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace kharuul::integration {
namespace {

using namespace std::chrono_literals;

const std::string volunteer = "+97699000001";     // reports at ALT
const std::string coordinator_en = "+97699000202"; // English alerts
const std::string alt_leader = "+97699000101";     // Mongolian alerts

kannel_peer_options options(std::string get_url) {
    kannel_peer_options o;
    o.get_url = std::move(get_url);
    return o;
}

std::string get_url(unsigned short port) {
    return "http://127.0.0.1:" + std::to_string(port) +
           "/channels/kannel/receive?secret=demo-kannel-secret&from=%p&to=%P&text=%a&id=%I&time=%t&coding=%c"
           "&charset=%C&smsc=%i";
}

// The demo configuration with alerts going out through the Kannel peer's sendsms.
std::function<void(config::gateway_config&)> through_kannel(unsigned short gateway_port, const kannel_peer& k) {
    return [gateway_port, sendsms = k.sendsms_port()](config::gateway_config& c) {
        c.server.public_url = "http://127.0.0.1:" + std::to_string(gateway_port);
        for (auto& ch : c.channels)
            if (ch.name == "kannel") {
                ch.send_url = "http://127.0.0.1:" + std::to_string(sendsms) + "/cgi-bin/sendsms";
                ch.username = std::string(kannel_peer::sendsms_username);
                ch.password = std::string(kannel_peer::sendsms_password);
                ch.sender = "500";
            }
        c.alerts.outbound_channel = "kannel";
        c.alerts.retry_base = 1s;
        c.alerts.retry_cap = 2s;
    };
}

// Polls until `pred` holds for the outbox row sent to `phone` (or the time is up). The gateway's
// clock is the test's: it moves on with the polling, so that back-offs come due.
std::optional<store::outbox_record> wait_for_row(testing::running_gateway& g, const std::string& phone,
                                                 const std::function<bool(const store::outbox_record&)>& pred,
                                                 std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    std::optional<store::outbox_record> last;
    while (std::chrono::steady_clock::now() < until) {
        for (auto& r : store::export_outbox(g.db(), {}))
            if (r.recipient == phone) {
                last = r;
                if (pred(r))
                    return r;
            }
        std::this_thread::sleep_for(100ms);
        g.advance(100ms);
    }
    return std::nullopt;
}

TEST(kannel_alerts, an_urgent_report_through_kannel_alerts_the_team_and_the_delivery_report_comes_back) {
    // The gateway's socket first, so that Kannel is configured with its port.
    auto listener = std::make_shared<testing::listening_socket>();
    kannel_peer kannel(options(get_url(listener->port())));
    kannel.deliver_reports(true, 1);
    testing::running_gateway g("kannel-alerts", listener, through_kannel(listener->port(), kannel));

    ASSERT_TRUE(kannel.send_mo(volunteer, "500", "ID ALT 2B 12 MINE SHAFT"));
    auto reply = kannel.wait_for_mt([](const mt_message& m) { return m.to == volunteer; }, 15s);
    ASSERT_TRUE(reply) << kannel.log_tail();
    EXPECT_NE(reply->text.find("#1"), std::string::npos) << reply->text;

    auto alert = kannel.wait_for_mt([](const mt_message& m) { return m.to == coordinator_en; }, 15s);
    ASSERT_TRUE(alert) << kannel.log_tail();
    EXPECT_TRUE(alert->text.starts_with("ALERT #1 URGENT: 2 boys ~12 mining")) << alert->text;
    EXPECT_EQ(alert->from, "500");
    auto mongolian = kannel.wait_for_mt([](const mt_message& m) { return m.to == alt_leader; }, 15s);
    ASSERT_TRUE(mongolian) << kannel.log_tail();
    EXPECT_EQ(mongolian->coding, 2) << "Cyrillic alerts go out as UCS-2";
    EXPECT_NE(mongolian->text.find("ACK 1"), std::string::npos) << mongolian->text;

    auto delivered = wait_for_row(g, coordinator_en,
                                  [](const auto& r) { return r.state == store::outbox_state::delivered; }, 20s);
    ASSERT_TRUE(delivered) << kannel.log_tail();
    const auto attempts = store::outbox_attempts(g.db(), delivered->id);
    EXPECT_TRUE(std::any_of(attempts.begin(), attempts.end(), [](auto& a) { return a.outcome == "sent"; }));
    EXPECT_TRUE(std::any_of(attempts.begin(), attempts.end(), [](auto& a) { return a.outcome == "delivered"; }));
    const auto history = store::alert_history(g.db(), 1);
    EXPECT_TRUE(std::any_of(history.begin(), history.end(), [](auto& h) { return h.what == "delivered"; }));

    // The coordinator acknowledges through Kannel too.
    ASSERT_TRUE(kannel.send_mo(coordinator_en, "500", "ACK 1"));
    auto confirmation = kannel.wait_for_mt(
        [](const mt_message& m) { return m.to == coordinator_en && m.text.starts_with("ACK ok"); }, 15s);
    ASSERT_TRUE(confirmation) << kannel.log_tail();
    EXPECT_EQ(store::find_alert(g.db(), 1)->state, store::alert_state::acknowledged);
}

TEST(kannel_alerts, with_kannel_stopped_alerts_wait_in_the_outbox_and_go_out_when_it_is_back) {
    auto listener = std::make_shared<testing::listening_socket>();
    kannel_peer kannel(options(get_url(listener->port())));
    testing::running_gateway g("kannel-alerts-down", listener, through_kannel(listener->port(), kannel));
    kannel.stop();
    // The report comes through the generic channel while Kannel is down.
    auto out = g.send(volunteer, "ID ALT 2B 12 MINE SHAFT");
    ASSERT_EQ(out.at("status"), "accepted");
    // Tried twice and waiting for the next attempt (between attempts the row is queued; while one
    // is in flight it reads sending, so that is not the moment to look).
    auto retried = wait_for_row(
        g, coordinator_en,
        [](const auto& r) { return r.attempts >= 2 && r.state == store::outbox_state::queued; }, 15s);
    ASSERT_TRUE(retried) << "the sender keeps trying";
    EXPECT_TRUE(retried->last_error.has_value());
    kannel.start();
    std::optional<mt_message> alert;
    for (int i = 0; i < 100 && !alert; ++i) { // up to 20 s, moving the gateway's clock on
        g.advance(200ms);
        alert = kannel.wait_for_mt([](const mt_message& m) { return m.to == coordinator_en; }, 200ms);
    }
    ASSERT_TRUE(alert) << kannel.log_tail();
    EXPECT_TRUE(alert->text.starts_with("ALERT #1 URGENT")) << alert->text;
    auto sent = wait_for_row(g, coordinator_en, [](const auto& r) { return r.state != store::outbox_state::queued &&
                                                                          r.state != store::outbox_state::sending; },
                             10s);
    ASSERT_TRUE(sent);
    EXPECT_NE(sent->state, store::outbox_state::failed);
}

} // namespace
} // namespace kharuul::integration
