// Requests signed by Twilio's own code: the npm package `twilio` (its getExpectedTwilioSignature,
// tests/peers/twilio/twilio_peer.js, run with node) signs webhooks over the URL Twilio would call,
// https://sms.example.org/..., our [server] public_url behind a TLS proxy, and POSTs them over
// loopback to a real gateway: the signed ones are stored and answered with TwiML, a tampered or
// unsigned one is refused with 401. The alerts the report raises go out through the Twilio
// channel to a stand-in for Twilio's API, and the status callbacks Twilio would then make, signed
// by the library, move the outbox rows. The library is installed by `make test` (npm ci in
// tests/peers/twilio, from the committed lockfile); without it this test fails and says so.
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "tests/adapters/provider_stand_in.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/log_capture.hpp"
#include "tests/support/run_binary.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <fstream>

namespace kharuul {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* public_url = "https://sms.example.org";
constexpr const char* auth_token = "demo-twilio-auth-token"; // config/demo.toml's twilio channel
const std::string volunteer = "+97699000001";                // a demo reporter at ALT

fs::path peer_dir() {
    return testing::source_dir() / "tests" / "peers" / "twilio";
}

// `command` through sh; its exit code (-1 when it could not run) and what it wrote to stdout.
testing::binary_result run_shell(const std::string& command) {
    testing::binary_result r;
    FILE* p = ::popen(command.c_str(), "r");
    if (p == nullptr)
        return r;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
        r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// node, or Debian's older name for it; empty when neither is on PATH.
std::string node_command() {
    const auto r = run_shell("command -v node || command -v nodejs");
    std::string path = r.out.substr(0, r.out.find('\n'));
    return r.status == 0 ? path : std::string();
}

// Runs the peer over `requests` against the gateway on `port`; one answer object per request.
json::array run_peer(const fs::path& dir, unsigned short port, const json::array& requests) {
    const fs::path plan = dir / "twilio-plan.json";
    {
        std::ofstream out(plan);
        out << json::serialize(json::object{
            {"port", port}, {"authToken", auth_token}, {"publicUrl", public_url}, {"requests", requests}});
    }
    const auto r = run_shell(testing::shell_quote(node_command()) + " " +
                                      testing::shell_quote((peer_dir() / "twilio_peer.js").string()) + " " +
                                      testing::shell_quote(plan.string()) + " 2>&1");
    if (r.status != 0) {
        ADD_FAILURE() << "twilio_peer.js failed (exit " << r.status << "):\n" << r.out;
        return {};
    }
    return json::parse(r.out).as_array();
}

json::object webhook(const std::string& from, const std::string& body, const std::string& sid) {
    // The fields Twilio posts for an SMS (made-up numbers and sids).
    return json::object{{"path", "/channels/twilio/receive"},
                        {"params", json::object{{"ToCountry", "MN"},
                                                {"SmsMessageSid", sid},
                                                {"NumMedia", "0"},
                                                {"SmsSid", sid},
                                                {"SmsStatus", "received"},
                                                {"Body", body},
                                                {"FromCountry", "MN"},
                                                {"To", "+97699000500"},
                                                {"NumSegments", "1"},
                                                {"MessageSid", sid},
                                                {"AccountSid", "AC00000000000000000000000000000000"},
                                                {"From", from},
                                                {"ApiVersion", "2010-04-01"}}}};
}

std::string sid(int n) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "SM%032d", n);
    return buf;
}

class twilio_peer : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(peer_dir() / "node_modules" / "twilio" / "package.json"))
            FAIL() << "Twilio's library is not installed in " << peer_dir().string()
                   << "/node_modules: run `make test`, which runs `npm ci` there from the committed lockfile "
                      "(or run `npm ci --prefix tests/peers/twilio` once, with the network)";
        if (node_command().empty())
            FAIL() << "node is not on PATH: install Node.js (Debian: apt-get install nodejs npm)";
    }
};

TEST_F(twilio_peer, webhooks_signed_by_twilio_library_are_stored_and_tampered_ones_refused) {
    testing::log_capture log;
    testing::running_gateway g("twilio-peer", false,
                               [](config::gateway_config& c) { c.server.public_url = public_url; });
    json::array requests;
    requests.push_back(webhook(volunteer, "NIL ULT", sid(1)));
    // Cyrillic, '&', '+' and '=' in the body: the form encoding and the signature must agree.
    requests.push_back(webhook("+97699000002", "ИД АLТ 1 ХҮҮ 11 & 2+2=4 ?", sid(2)));
    {
        auto tampered = webhook(volunteer, "NIL ULT", sid(3));
        tampered["tamper"] = json::object{{"Body", "ID ALT 9B 12 MINE"}};
        requests.push_back(tampered);
    }
    {
        auto unsigned_request = webhook(volunteer, "NIL ULT", sid(4));
        unsigned_request["unsigned"] = true;
        requests.push_back(unsigned_request);
    }
    {
        // Signed over the address behind the proxy rather than the one Twilio calls.
        auto behind_proxy = webhook(volunteer, "NIL ULT", sid(5));
        behind_proxy["signUrl"] = "http://127.0.0.1:" + std::to_string(g.port()) + "/channels/twilio/receive";
        requests.push_back(behind_proxy);
    }
    {
        // Twilio's signing is not consistent about the port: the libraries accept both.
        auto with_port = webhook(volunteer, "NIL ALT", sid(6));
        with_port["signUrl"] = std::string(public_url) + ":443/channels/twilio/receive";
        requests.push_back(with_port);
    }
    const auto answers = run_peer(g.dir(), g.port(), requests);
    ASSERT_EQ(answers.size(), requests.size());

    const auto status = [&](std::size_t i) { return answers[i].at("status").to_number<int>(); };
    const auto body = [&](std::size_t i) { return std::string(answers[i].at("body").as_string()); };
    for (const std::size_t i : {0u, 1u, 5u}) {
        EXPECT_EQ(status(i), 200) << i << ": " << body(i);
        EXPECT_EQ(std::string(answers[i].at("contentType").as_string()), "text/xml; charset=utf-8");
        EXPECT_TRUE(body(i).starts_with(R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>)")) << body(i);
    }
    EXPECT_NE(body(0).find("NIL"), std::string::npos) << body(0);
    for (const std::size_t i : {2u, 3u, 4u}) {
        EXPECT_EQ(status(i), 401) << i << ": " << body(i);
        EXPECT_NE(body(i).find("X-Twilio-Signature"), std::string::npos) << body(i);
    }

    // The operator's log names the URL the signatures are checked over.
    EXPECT_FALSE(log.lines_containing("X-Twilio-Signature is checked over https://sms.example.org").empty());

    auto& db = g.db();
    const auto first = store::find_message_by_provider_id(db, "twilio", sid(1));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->sender, volunteer);
    EXPECT_EQ(first->text, "NIL ULT");
    const auto second = store::find_message_by_provider_id(db, "twilio", sid(2));
    ASSERT_TRUE(second);
    EXPECT_EQ(second->text, "ИД АLТ 1 ХҮҮ 11 & 2+2=4 ?");
    EXPECT_TRUE(store::find_message_by_provider_id(db, "twilio", sid(6)));
    for (const int refused : {3, 4, 5})
        EXPECT_FALSE(store::find_message_by_provider_id(db, "twilio", sid(refused))) << refused;
}

TEST_F(twilio_peer, alerts_go_out_through_twilio_api_and_signed_status_callbacks_move_the_outbox) {
    boost::asio::io_context io;
    testing::provider_stand_in api(io); // Twilio's REST API
    for (int i = 1; i <= 20; ++i)
        api.answer(http::status::created, R"({"sid": ")" + sid(100 + i) + R"(", "status": "queued"})",
                   "application/json");
    testing::running_gateway g("twilio-peer-alerts", false, [&](config::gateway_config& c) {
        c.server.public_url = public_url;
        for (auto& ch : c.channels)
            if (ch.name == "twilio") {
                ch.send_url = api.url("");
                ch.sender = "+15005550006";
            }
        c.alerts.outbound_channel = "twilio";
    });

    const auto answers = run_peer(g.dir(), g.port(), json::array{webhook(volunteer, "ID ALT 2B 12 MINE SHAFT", sid(7))});
    ASSERT_EQ(answers.size(), 1u);
    ASSERT_EQ(answers[0].at("status").to_number<int>(), 200) << answers[0].at("body").as_string();

    // The alerts reach the API stand-in and their rows are sent with Twilio's sids.
    std::vector<store::outbox_record> sent;
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < until) {
        io.run_one_for(20ms);
        sent.clear();
        bool waiting = false;
        for (auto& r : store::export_outbox(g.db(), {})) {
            if (r.channel != "twilio")
                continue;
            waiting = waiting || r.state != store::outbox_state::sent;
            sent.push_back(r);
        }
        if (!sent.empty() && !waiting)
            break;
    }
    ASSERT_FALSE(sent.empty()) << "no alert went out through the twilio channel";
    ASSERT_EQ(api.requests().size(), sent.size());
    const auto& req = api.requests()[0];
    EXPECT_EQ(req.target(), "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json");
    EXPECT_EQ(req[http::field::authorization].substr(0, 6), "Basic ");

    // Twilio reports on each: the first delivered, the others undelivered, signed by the library.
    json::array callbacks;
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const auto& r = sent[i];
        ASSERT_EQ(r.state, store::outbox_state::sent) << r.id << " " << r.last_error.value_or("");
        ASSERT_TRUE(r.provider_id) << r.id;
        json::object params{{"MessageSid", *r.provider_id},
                            {"MessageStatus", i == 0 ? "delivered" : "undelivered"},
                            {"AccountSid", "AC00000000000000000000000000000000"},
                            {"To", r.recipient},
                            {"From", "+15005550006"},
                            {"ApiVersion", "2010-04-01"}};
        if (i != 0)
            params["ErrorCode"] = "30003";
        callbacks.push_back(json::object{
            {"path", "/channels/twilio/status?outbox=" + std::to_string(r.id)}, {"params", std::move(params)}});
    }
    const auto reports = run_peer(g.dir(), g.port(), callbacks);
    ASSERT_EQ(reports.size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        EXPECT_EQ(reports[i].at("status").to_number<int>(), 200) << reports[i].at("body").as_string();
        const auto row = store::find_outbox(g.db(), sent[i].id);
        ASSERT_TRUE(row);
        EXPECT_EQ(row->state, i == 0 ? store::outbox_state::delivered : store::outbox_state::failed) << row->id;
        if (i != 0) {
            EXPECT_EQ(row->last_error.value_or(""), "undelivered: error 30003 (unreachable destination handset)");
        }
    }
}

} // namespace
} // namespace kharuul
