// The Kannel outbound channel against a real Kannel (Debian's bearerbox and smsbox on loopback):
// messages go in through smsbox's sendsms and reach the phone network intact, Cyrillic as UCS-2;
// the delivery reports Kannel calls back land on a stand-in for the gateway's
// /channels/kannel/status and read back, through the kannel dialect, as our outbox ids; a stopped
// Kannel (or bearerbox alone, which takes smsbox down) is a retry that succeeds once Kannel is
// back; and a text longer than one SMS is cut by a default sendsms-user, sent whole by one with
// max-messages and concatenation.
#include "adapters/dialect.hpp"
#include "adapters/outbound.hpp"
#include "tests/integration/kannel_peer.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace kharuul::integration {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using adapters::send_outcome;

constexpr auto wait = 10s;
// With characters Kannel's dlr-url template and a query string would both misread if unescaped.
const std::string secret = "s3&c r%t/ü+";
const std::string cyrillic = "ОСОЛ #17 ЯАРАЛТАЙ: 2 хүү ~12 уурхай, ALT. ACK 17";
const std::string latin = "ALERT #17 URGENT: 2 boys ~12 mining, SHAFT, at ALT (50% sure). Reply ACK 17";

// Stands in for the gateway: records every request to /channels/kannel/status and answers 200.
class gateway_stand_in {
public:
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

    // The first recorded report whose query has outbox=<id> and type=<type>.
    std::optional<http_request> wait_for_report(std::int64_t outbox, int type,
                                                std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        std::optional<http_request> found;
        changed_.wait_for(lock, timeout, [&] {
            for (const auto& r : reports_) {
                const auto q = parse_query(std::string_view(r.target().data(), r.target().size()));
                if (query_value(q, "outbox") == std::to_string(outbox) &&
                    query_value(q, "type") == std::to_string(type)) {
                    found = r;
                    return true;
                }
            }
            return false;
        });
        return found;
    }

    // How many reports with outbox=<id> and type=<type> arrived, waiting until there are at least
    // `at_least` or `timeout` passed.
    std::size_t count_reports(std::int64_t outbox, int type, std::size_t at_least,
                              std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        std::size_t n = 0;
        changed_.wait_for(lock, timeout, [&] {
            n = 0;
            for (const auto& r : reports_) {
                const auto q = parse_query(std::string_view(r.target().data(), r.target().size()));
                if (query_value(q, "outbox") == std::to_string(outbox) &&
                    query_value(q, "type") == std::to_string(type))
                    ++n;
            }
            return n >= at_least;
        });
        return n;
    }

private:
    http_response handle(const http_request& req) {
        if (target_path(std::string_view(req.target().data(), req.target().size())) !=
            "/channels/kannel/status")
            return text_response("not found", http::status::not_found);
        {
            std::lock_guard lock(mutex_);
            reports_.push_back(req);
        }
        changed_.notify_all();
        return text_response("ok");
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<http_request> reports_;
    loopback_http_server server_{[this](const http_request& req) { return handle(req); }}; // last
};

kannel_peer_options options_for(const gateway_stand_in& gw, std::string extra_config = {}) {
    kannel_peer_options o;
    o.get_url = gw.base_url() + "/channels/kannel/receive?secret=x&from=%p&text=%a"; // unused here
    o.extra_config = std::move(extra_config);
    return o;
}

adapters::outbound_settings channel_for(const kannel_peer& kannel, const gateway_stand_in& gw) {
    adapters::outbound_settings s;
    s.name = "kannel";
    s.type = "kannel";
    s.send_url = "http://127.0.0.1:" + std::to_string(kannel.sendsms_port()) + "/cgi-bin/sendsms";
    s.username = std::string(kannel_peer::sendsms_username);
    s.password = std::string(kannel_peer::sendsms_password);
    s.sender = "500";
    s.secret = secret;
    s.public_url = gw.base_url();
    s.timeout = 5s;
    return s;
}

asio::awaitable<send_outcome> send_copy(adapters::outbound_channel& channel, adapters::outbound_sms sms) {
    co_return co_await channel.send(sms);
}

// One send on a private io_context, as the gateway's I/O thread would run it.
send_outcome send_now(const adapters::outbound_settings& settings, adapters::outbound_sms sms) {
    asio::io_context io;
    auto channel = adapters::make_outbound(settings, io.get_executor());
    auto outcome = asio::co_spawn(io, send_copy(*channel, std::move(sms)), asio::use_future);
    io.run();
    return outcome.get();
}

auto mt_to(std::string_view to) {
    return [to = std::string(to)](const mt_message& mt) { return mt.to == to; };
}

// A recorded report, read as the gateway reads it.
adapters::result<adapters::delivery_report> read_report(const http_request& req, bool& authenticated) {
    const auto* dialect = adapters::find_dialect("kannel");
    const adapters::channel_settings channel{"kannel", "kannel", secret, "", "", ""};
    authenticated = dialect->authenticate(req, channel);
    return dialect->parse_status(req, channel);
}

TEST(kannel_outbound, cyrillic_and_latin_alerts_reach_the_phone_intact_and_their_reports_come_back) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));
    const auto settings = channel_for(kannel, gw);

    auto out = send_now(settings, {101, "+97699000101", cyrillic});
    EXPECT_EQ(out.what, send_outcome::kind::sent) << out.detail << kannel.log_tail();
    EXPECT_EQ(out.detail, "HTTP 202: 0: Accepted for delivery");
    out = send_now(settings, {102, "+97699000102", latin});
    EXPECT_EQ(out.what, send_outcome::kind::sent) << out.detail << kannel.log_tail();

    auto mt = kannel.wait_for_mt(mt_to("+97699000101"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, cyrillic);
    EXPECT_EQ(mt->coding, 2);
    EXPECT_EQ(mt->charset, "UTF-16BE");
    EXPECT_EQ(mt->from, "500");
    EXPECT_EQ(mt->dlr_mask, 31);
    mt = kannel.wait_for_mt(mt_to("+97699000102"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, latin);
    EXPECT_EQ(mt->coding, 0);
    EXPECT_EQ(mt->from, "500");

    for (const std::int64_t outbox : {101, 102}) {
        // Bearerbox reports 8 (the SMSC took it) at once, the network 1 (delivered) a little later.
        const auto accepted = gw.wait_for_report(outbox, 8, wait);
        ASSERT_TRUE(accepted) << outbox << kannel.log_tail();
        const auto delivered = gw.wait_for_report(outbox, 1, wait);
        ASSERT_TRUE(delivered) << outbox << kannel.log_tail();
        EXPECT_EQ(target_path(std::string_view(delivered->target().data(), delivered->target().size())),
                  "/channels/kannel/status");

        bool authenticated = false;
        auto report = read_report(*delivered, authenticated);
        EXPECT_TRUE(authenticated) << delivered->target();
        ASSERT_TRUE(report) << report.error().reason << " in " << delivered->target();
        EXPECT_EQ(report->outbox_id, outbox);
        EXPECT_EQ(report->state, adapters::delivery_state::delivered);
        EXPECT_NE(report->detail.find("stat:DELIVRD"), std::string::npos) << report->detail;
        EXPECT_TRUE(report->observed_at);

        report = read_report(*accepted, authenticated);
        EXPECT_TRUE(authenticated);
        ASSERT_TRUE(report) << report.error().reason;
        EXPECT_EQ(report->outbox_id, outbox);
        EXPECT_EQ(report->state, adapters::delivery_state::sent);
    }
}

TEST(kannel_outbound, send_while_kannel_is_stopped_is_a_retry_and_is_sent_after_restart) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));
    const auto settings = channel_for(kannel, gw);

    kannel.stop();
    auto out = send_now(settings, {201, "+97699000201", latin});
    EXPECT_EQ(out.what, send_outcome::kind::retry);
    // Refused at once, not waited out: a send that met the channel's deadline says "timeout".
    EXPECT_EQ(out.detail, "connect: Connection refused");
    EXPECT_FALSE(kannel.wait_for_mt(mt_to("+97699000201"), 300ms));

    kannel.start();
    out = send_now(settings, {201, "+97699000201", latin});
    EXPECT_EQ(out.what, send_outcome::kind::sent) << out.detail << kannel.log_tail();
    ASSERT_TRUE(kannel.wait_for_mt(mt_to("+97699000201"), wait)) << kannel.log_tail();
    EXPECT_TRUE(gw.wait_for_report(201, 1, wait)) << kannel.log_tail();
    EXPECT_EQ(kannel.mt_messages().size(), 1u);
}

// A graceful bearerbox stop takes smsbox down with it: sendsms is refused, not left hanging.
TEST(kannel_outbound, send_while_bearerbox_is_stopped_is_a_retry) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));
    const auto settings = channel_for(kannel, gw);

    kannel.stop_bearerbox();
    for (auto until = std::chrono::steady_clock::now() + 5s;
         kannel.smsbox_running() && std::chrono::steady_clock::now() < until;)
        std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(kannel.smsbox_running());
    auto out = send_now(settings, {301, "+97699000301", latin});
    EXPECT_EQ(out.what, send_outcome::kind::retry);
    EXPECT_EQ(out.detail, "connect: Connection refused");

    kannel.start();
    out = send_now(settings, {301, "+97699000301", latin});
    EXPECT_EQ(out.what, send_outcome::kind::sent) << out.detail << kannel.log_tail();
    ASSERT_TRUE(kannel.wait_for_mt(mt_to("+97699000301"), wait)) << kannel.log_tail();
}

// The part number of a concatenated MT (the last byte of its `udh`); 0 for a single SMS.
int part_of(const mt_message& mt) {
    const auto udh = query_value(parse_query(mt.target), "udh").value_or("");
    return udh.empty() ? 0 : static_cast<unsigned char>(udh.back());
}

// A sendsms-user sends one SMS (max-messages = 1, Kannel's default) and drops the rest of a longer
// text, yet answers "0: Accepted for delivery". With max-messages and concatenation the text goes
// as concatenated parts; the delivery reports still come once per message (the first part's).
TEST(kannel_outbound, text_longer_than_one_sms_is_cut_unless_the_sendsms_user_allows_parts) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw, "group = sendsms-user\nusername = parts\npassword = parts\n"
                                       "max-messages = 3\nconcatenation = true\n"));
    std::string text;
    for (int i = 0; i < 25; ++i)
        text += "case" + std::to_string(204800 + i) + " ";
    text.pop_back(); // 299 GSM characters: two concatenated parts (153 each)

    auto settings = channel_for(kannel, gw);
    auto out = send_now(settings, {401, "+97699000401", text});
    EXPECT_EQ(out.what, send_outcome::kind::sent) << out.detail;
    auto mt = kannel.wait_for_mt(mt_to("+97699000401"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, text.substr(0, 160));
    EXPECT_EQ(part_of(*mt), 0);

    settings.username = "parts";
    settings.password = "parts";
    out = send_now(settings, {402, "+97699000402", text});
    EXPECT_EQ(out.what, send_outcome::kind::sent) << out.detail;
    ASSERT_TRUE(kannel.wait_for_mt(
        [&](const mt_message& m) { return m.to == "+97699000402" && part_of(m) == 2; }, wait))
        << kannel.log_tail();
    std::vector<mt_message> parts;
    for (const auto& m : kannel.mt_messages())
        if (m.to == "+97699000402")
            parts.push_back(m);
    ASSERT_EQ(parts.size(), 2u);
    std::sort(parts.begin(), parts.end(),
              [](const auto& a, const auto& b) { return part_of(a) < part_of(b); });
    EXPECT_EQ(parts[0].text + parts[1].text, text);
    // Kannel asks for reports on the first part only, and bearerbox's "SMSC accepted" comes once.
    EXPECT_EQ(parts[0].dlr_mask, 31);
    EXPECT_EQ(parts[1].dlr_mask, 0);
    ASSERT_TRUE(gw.wait_for_report(402, 8, wait)) << kannel.log_tail();
    ASSERT_TRUE(gw.wait_for_report(402, 1, wait)) << kannel.log_tail();
    EXPECT_EQ(gw.count_reports(402, 1, 2, 700ms), 1u);
    EXPECT_EQ(gw.count_reports(402, 8, 2, 10ms), 1u);
}

} // namespace
} // namespace kharuul::integration
