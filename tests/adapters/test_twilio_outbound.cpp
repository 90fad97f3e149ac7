// The Twilio channel against a stand-in for Twilio's REST API over real loopback sockets: the
// request (path with the Account SID, form fields, Basic credentials, the StatusCallback), the
// answers Twilio gives (201 with the message sid, JSON errors by code), and the StatusCallback it
// hands out, called back as Twilio calls it: signed, and read by our own dialect.
#include "adapters/outbound.hpp"

#include "adapters/dialect.hpp"
#include "adapters/http_input.hpp"
#include "adapters/twilio_signature.hpp"
#include "tests/adapters/provider_stand_in.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::provider_stand_in;
using kind = send_outcome::kind;

constexpr const char* account_sid = "AC00000000000000000000000000000000";
constexpr const char* auth_token = "demo-twilio-auth-token";

// A message resource as Twilio's API answers a create (trimmed; made-up sids and numbers).
constexpr const char* created =
    R"({"account_sid": "AC00000000000000000000000000000000", "api_version": "2010-04-01",)"
    R"( "body": "ALERT", "direction": "outbound-api", "error_code": null, "from": "+15005550006",)"
    R"( "num_segments": "1", "sid": "SM0123456789abcdef0123456789abcdef", "status": "queued",)"
    R"( "to": "+97699000101", "uri": "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages/SM0123456789abcdef0123456789abcdef.json"})";

class twilio_outbound : public ::testing::Test {
protected:
    asio::io_context io;
    provider_stand_in provider{io};

    outbound_settings settings(std::string_view base_path = "") const {
        outbound_settings s;
        s.name = "twilio";
        s.type = "twilio";
        s.send_url = provider.url(base_path);
        s.username = account_sid;
        s.password = auth_token;
        s.sender = "+15005550006";
        s.public_url = "https://sms.example.org";
        s.timeout = 5s;
        return s;
    }

    static asio::awaitable<send_outcome> send_copy(outbound_channel& channel, outbound_sms sms) {
        co_return co_await channel.send(sms);
    }

    send_outcome send(const outbound_settings& s, outbound_sms sms) {
        auto channel = make_outbound(s, io.get_executor());
        if (!channel) {
            throw std::runtime_error("no twilio channel");
        }
        return testing::run_on(io, send_copy(*channel, std::move(sms)));
    }

    static outbound_sms sms(std::int64_t id = 42, std::string text = "ALERT #17 URGENT: 2 boys ~12 mining at ALT") {
        return {id, "+97699000101", std::move(text)};
    }

    form_fields form_of_request(std::size_t n = 0) const {
        auto f = form_fields::parse(provider.requests().at(n).body());
        if (!f) {
            throw std::runtime_error("the request body is not a form");
        }
        return *f;
    }
};

TEST_F(twilio_outbound, posts_the_message_form_to_the_accounts_messages_resource) {
    provider.answer(http::status::created, created, "application/json");
    const auto out = send(settings(), sms(42, "ОСОЛ #17: 2 хүү & 1 охин, ALT"));
    EXPECT_EQ(out.what, kind::sent) << out.detail;
    EXPECT_EQ(out.provider_id, "SM0123456789abcdef0123456789abcdef");
    EXPECT_EQ(out.detail, "HTTP 201: SM0123456789abcdef0123456789abcdef");

    ASSERT_EQ(provider.requests().size(), 1u);
    const auto& req = provider.requests()[0];
    EXPECT_EQ(req.method(), http::verb::post);
    EXPECT_EQ(req.target(), "/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json");
    EXPECT_EQ(req[http::field::content_type], "application/x-www-form-urlencoded");
    EXPECT_EQ(req[http::field::accept], "application/json");
    // base64("AC00000000000000000000000000000000:demo-twilio-auth-token")
    EXPECT_EQ(req[http::field::authorization],
              "Basic QUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDpkZW1vLXR3aWxpby1hdXRoLXRva2Vu");
    const auto f = form_of_request();
    EXPECT_EQ(f.get("To"), "+97699000101");
    EXPECT_EQ(f.get("From"), "+15005550006");
    EXPECT_EQ(f.get("Body"), "ОСОЛ #17: 2 хүү & 1 охин, ALT");
    EXPECT_EQ(f.get("StatusCallback"), "https://sms.example.org/channels/twilio/status?outbox=42");
    EXPECT_FALSE(f.contains("MessagingServiceSid"));
    EXPECT_FALSE(f.repeated());
}

TEST_F(twilio_outbound, base_path_of_the_send_url_is_kept) {
    provider.answer(http::status::created, created, "application/json");
    EXPECT_EQ(send(settings("/twilio/"), sms()).what, kind::sent);
    EXPECT_EQ(provider.requests().at(0).target(),
              "/twilio/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json");
}

TEST_F(twilio_outbound, messaging_service_sender_goes_as_messaging_service_sid) {
    auto s = settings();
    s.sender = "MG0123456789abcdef0123456789abcdef";
    provider.answer(http::status::created, created, "application/json");
    EXPECT_EQ(send(s, sms()).what, kind::sent);
    const auto f = form_of_request();
    EXPECT_EQ(f.get("MessagingServiceSid"), "MG0123456789abcdef0123456789abcdef");
    EXPECT_FALSE(f.contains("From"));
}

TEST_F(twilio_outbound, no_status_callback_without_a_public_url) {
    auto s = settings();
    s.public_url.clear();
    provider.answer(http::status::created, created, "application/json");
    EXPECT_EQ(send(s, sms()).what, kind::sent);
    EXPECT_FALSE(form_of_request().contains("StatusCallback"));
}

struct answer_case {
    const char* name;
    unsigned status;
    const char* body;
    kind expected;
    const char* detail;
};

TEST_F(twilio_outbound, outcome_follows_twilio_status_and_error_code) {
    const answer_case cases[] = {
        {"invalid number", 400,
         R"({"code": 21211, "message": "The 'To' number +97699000101 is not a valid phone number.", )"
         R"("more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})",
         kind::failed, "HTTP 400: 21211: The 'To' number +976****0101 is not a valid phone number."},
        {"unsubscribed recipient", 400,
         R"({"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400})", kind::failed,
         "HTTP 400: 21610: Attempt to send to unsubscribed recipient"},
        {"sender queue full", 400,
         R"({"code": 21611, "message": "This 'From' number has exceeded the maximum number of queued messages", "status": 400})",
         kind::retry, "HTTP 400: 21611: This 'From' number has exceeded the maximum number of queued messages"},
        {"no sender configured", 400, R"({"code": 21603, "message": "A 'From' phone number is required.", "status": 400})",
         kind::retry, "HTTP 400: 21603: A 'From' phone number is required."},
        {"wrong credentials", 401, R"({"code": 20003, "message": "Authenticate", "status": 401})", kind::retry,
         "HTTP 401: 20003: Authenticate"},
        {"too many requests", 429, R"({"code": 20429, "message": "Too Many Requests", "status": 429})", kind::retry,
         "HTTP 429: 20429: Too Many Requests"},
        {"server error", 500, R"({"code": 20500, "message": "Internal Server Error", "status": 500})", kind::retry,
         "HTTP 500: 20500: Internal Server Error"},
        {"unavailable without json", 503, "Service Unavailable", kind::retry, "HTTP 503: Service Unavailable"},
        {"not found", 404, R"({"code": 20404, "message": "The requested resource was not found", "status": 404})",
         kind::failed, "HTTP 404: 20404: The requested resource was not found"},
        {"created without a sid", 201, R"({"status": "queued"})", kind::sent, "HTTP 201 (no sid in the answer)"},
    };
    for (const auto& c : cases) {
        provider.answer(static_cast<http::status>(c.status), c.body, "application/json");
        const auto out = send(settings(), sms());
        EXPECT_EQ(send_outcome_name(out.what), send_outcome_name(c.expected)) << c.name;
        EXPECT_EQ(out.detail, c.detail) << c.name;
        EXPECT_TRUE(out.what == kind::sent || out.provider_id.empty()) << c.name;
    }
    EXPECT_EQ(provider.requests().size(), std::size(cases));
}

TEST_F(twilio_outbound, provider_that_never_answers_is_a_retry_with_timeout) {
    provider.never_answer();
    auto s = settings();
    s.timeout = 300ms;
    const auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "timeout");
}

TEST_F(twilio_outbound, status_callback_it_hands_out_comes_back_signed_and_finds_the_outbox_row) {
    provider.answer(http::status::created, created, "application/json");
    ASSERT_EQ(send(settings(), sms(77)).what, kind::sent);
    const std::string callback = *form_of_request().get("StatusCallback");
    const std::string base = "https://sms.example.org";
    ASSERT_EQ(callback.rfind(base, 0), 0u) << callback;
    const std::string target = callback.substr(base.size());

    // Twilio calls the callback, signed over it, with the message's sid and status.
    const twilio::parameter_list params = {{"MessageSid", "SM0123456789abcdef0123456789abcdef"},
                                           {"MessageStatus", "undelivered"},
                                           {"ErrorCode", "30005"},
                                           {"AccountSid", account_sid}};
    request req(http::verb::post, target, 11);
    req.set(http::field::content_type, "application/x-www-form-urlencoded");
    req.set("X-Twilio-Signature", twilio::expected_signature(auth_token, callback, params));
    req.body() = "MessageSid=SM0123456789abcdef0123456789abcdef&MessageStatus=undelivered&ErrorCode=30005"
                 "&AccountSid=AC00000000000000000000000000000000";
    req.prepare_payload();

    channel_settings channel{"twilio", "twilio", "", auth_token, base, "976"};
    const dialect& d = *find_dialect("twilio");
    EXPECT_TRUE(d.authenticate(req, channel));
    const auto report = d.parse_status(req, channel);
    ASSERT_TRUE(report) << report.error().reason;
    EXPECT_EQ(report->outbox_id, 77);
    EXPECT_EQ(report->provider_id, "SM0123456789abcdef0123456789abcdef");
    EXPECT_EQ(report->state, delivery_state::failed);
    EXPECT_EQ(report->detail, "undelivered: error 30005 (unknown destination handset)");
}

TEST(twilio_outbound_problems, name_the_missing_credentials_and_sender) {
    outbound_settings s;
    s.type = "twilio";
    s.send_url = "http://127.0.0.1:9";
    auto problems = outbound_problems(s);
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].rfind("account_sid:", 0), 0u) << problems[0];
    EXPECT_EQ(problems[1].rfind("auth_token:", 0), 0u) << problems[1];
    EXPECT_EQ(problems[2].rfind("sender:", 0), 0u) << problems[2];
    s.username = account_sid;
    s.password = auth_token;
    s.sender = "+15005550006";
    EXPECT_TRUE(outbound_problems(s).empty());
    s.public_url = "sms.example.org";
    problems = outbound_problems(s);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].rfind("public_url:", 0), 0u) << problems[0];
}

} // namespace
} // namespace kharuul::adapters
