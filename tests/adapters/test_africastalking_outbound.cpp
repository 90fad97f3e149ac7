// The Africa's Talking channel against a stand-in for their messaging API over real loopback
// sockets: the request as their API documents it (form fields, the apiKey and Accept headers,
// Cyrillic intact), and the outcome of each answer they document (the recipient's statusCode, an
// answer without recipients, HTTP errors, no answer at all).
#include "adapters/outbound.hpp"

#include "adapters/http_input.hpp"
#include "tests/adapters/provider_stand_in.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace kharuul::adapters {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::provider_stand_in;
using kind = send_outcome::kind;

const std::string cyrillic = "ОСОЛ #17 ЯАРАЛТАЙ: 2 хүү ~12 уурхай, ALT. ACK 17 гэж хариулна уу";

// Their answer for one recipient, as their libraries' tests have it.
std::string answer_with(int status_code, const std::string& status, const std::string& message_id,
                        const std::string& summary = "Sent to 1/1 Total Cost: KES 0.8000") {
    return R"({"SMSMessageData":{"Message":")" + summary + R"(","Recipients":[{"statusCode":)" +
           std::to_string(status_code) + R"(,"number":"+97699000101","status":")" + status +
           R"(","cost":"KES 0.8000","messageId":")" + message_id + R"("}]}})";
}

class africastalking_outbound : public ::testing::Test {
protected:
    asio::io_context io;
    provider_stand_in provider{io};

    outbound_settings settings() const {
        outbound_settings s;
        s.name = "africastalking";
        s.type = "africastalking";
        s.send_url = provider.url("/version1/messaging");
        s.username = "sandbox";
        s.api_key = "atsk_0123456789abcdef";
        s.sender = "28901";
        s.timeout = 5s;
        return s;
    }

    static asio::awaitable<send_outcome> send_copy(outbound_channel& channel, outbound_sms sms) {
        co_return co_await channel.send(sms);
    }

    send_outcome send(const outbound_settings& s, outbound_sms sms) {
        auto channel = make_outbound(s, io.get_executor());
        if (!channel) {
            throw std::runtime_error("no channel of type " + s.type);
        }
        return testing::run_on(io, send_copy(*channel, std::move(sms)));
    }

    static outbound_sms sms(std::string text = "ALERT #17 URGENT: 2 boys ~12 mining at ALT") {
        return {42, "+97699000101", std::move(text)};
    }

    form_fields form_of_request(std::size_t n = 0) const {
        auto fields = form_fields::parse(provider.requests().at(n).body());
        if (!fields) {
            throw std::runtime_error("the body is not a form: " + provider.requests().at(n).body());
        }
        return *fields;
    }
};

TEST_F(africastalking_outbound, posts_the_documented_form_with_the_api_key_header) {
    provider.answer(http::status::created, answer_with(101, "Success", "ATXid_1"), "application/json");
    const auto out = send(settings(), sms(cyrillic));
    EXPECT_EQ(out.what, kind::sent) << out.detail;

    ASSERT_EQ(provider.requests().size(), 1u);
    const auto& req = provider.requests()[0];
    EXPECT_EQ(req.method(), http::verb::post);
    EXPECT_EQ(req.target(), "/version1/messaging");
    EXPECT_EQ(req[http::field::content_type], "application/x-www-form-urlencoded");
    EXPECT_EQ(req[http::field::accept], "application/json");
    EXPECT_EQ(req["apiKey"], "atsk_0123456789abcdef");
    EXPECT_EQ(req.count(http::field::authorization), 0u);
    const auto f = form_of_request();
    EXPECT_EQ(f.get("username"), "sandbox");
    EXPECT_EQ(f.get("to"), "+97699000101");
    EXPECT_EQ(f.get("message"), cyrillic) << "Cyrillic travels as percent-encoded UTF-8, byte for byte";
    EXPECT_EQ(f.get("from"), "28901");
    EXPECT_FALSE(f.repeated());
    // Only their four fields: '+', '&' and '#' in a text must not split it.
    EXPECT_EQ(req.body().find('+'), std::string::npos) << req.body();
    EXPECT_EQ(std::count(req.body().begin(), req.body().end(), '&'), 3) << req.body();
}

TEST_F(africastalking_outbound, without_a_sender_their_default_sender_is_used) {
    auto s = settings();
    s.sender.clear();
    provider.answer(http::status::created, answer_with(101, "Success", "ATXid_3"), "application/json");
    EXPECT_EQ(send(s, sms("a + b & c = 100%")).what, kind::sent);
    const auto f = form_of_request();
    EXPECT_FALSE(f.contains("from"));
    EXPECT_EQ(f.get("message"), "a + b & c = 100%");
}

TEST_F(africastalking_outbound, query_parameters_of_the_send_url_are_kept) {
    auto s = settings();
    s.send_url = provider.url("/version1/messaging?region=mn");
    provider.answer(http::status::created, answer_with(101, "Success", "ATXid_2"), "application/json");
    EXPECT_EQ(send(s, sms()).what, kind::sent);
    EXPECT_EQ(provider.requests().at(0).target(), "/version1/messaging?region=mn");
}

struct answer_case {
    const char* name;
    unsigned status;
    std::string body;
    kind expected;
    const char* provider_id;
    const char* detail;
};

TEST_F(africastalking_outbound, the_outcome_follows_the_recipients_status_code) {
    const answer_case cases[] = {
        {"their library's sample", 201, answer_with(101, "Success", "ATPid_SampleTxnId123"), kind::sent,
         "ATPid_SampleTxnId123", "HTTP 201: 101 Success (Sent to 1/1 Total Cost: KES 0.8000)"},
        {"processed", 201, answer_with(100, "Processed", "ATXid_100"), kind::sent, "ATXid_100",
         "HTTP 201: 100 Processed (Sent to 1/1 Total Cost: KES 0.8000)"},
        {"queued", 201, answer_with(102, "Queued", "ATXid_102"), kind::sent, "ATXid_102",
         "HTTP 201: 102 Queued (Sent to 1/1 Total Cost: KES 0.8000)"},
        {"a status code as a string", 201,
         R"({"SMSMessageData":{"Message":"Sent to 1/1","Recipients":[{"statusCode":"101","status":"Success","messageId":"ATXid_s"}]}})",
         kind::sent, "ATXid_s", "HTTP 201: 101 Success (Sent to 1/1)"},
        {"risk hold waits for the account", 201, answer_with(401, "RiskHold", "None", "Sent to 0/1"), kind::retry,
         "", "HTTP 201: 401 RiskHold (Sent to 0/1)"},
        {"an unregistered sender waits for the configuration", 201,
         answer_with(402, "InvalidSenderId", "None", "Sent to 0/1"), kind::retry, "",
         "HTTP 201: 402 InvalidSenderId (Sent to 0/1)"},
        {"a bad number is refused for good", 201, answer_with(403, "InvalidPhoneNumber", "None", "Sent to 0/1"),
         kind::failed, "", "HTTP 201: 403 InvalidPhoneNumber (Sent to 0/1)"},
        {"an unsupported number type is refused for good", 201,
         answer_with(404, "UnsupportedNumberType", "None", "Sent to 0/1"), kind::failed, "",
         "HTTP 201: 404 UnsupportedNumberType (Sent to 0/1)"},
        {"no credit waits for a top-up", 201, answer_with(405, "InsufficientBalance", "None", "Sent to 0/1"),
         kind::retry, "", "HTTP 201: 405 InsufficientBalance (Sent to 0/1)"},
        {"a blacklisted recipient is refused for good", 201,
         answer_with(406, "UserInBlacklist", "None", "Sent to 0/1"), kind::failed, "",
         "HTTP 201: 406 UserInBlacklist (Sent to 0/1)"},
        {"no route is refused for good", 201, answer_with(407, "CouldNotRoute", "None", "Sent to 0/1"),
         kind::failed, "", "HTTP 201: 407 CouldNotRoute (Sent to 0/1)"},
        {"do not disturb is refused for good", 201,
         answer_with(409, "DoNotDisturbRejection", "None", "Sent to 0/1"), kind::failed, "",
         "HTTP 201: 409 DoNotDisturbRejection (Sent to 0/1)"},
        {"their internal error is retried", 201, answer_with(500, "InternalServerError", "None", "Sent to 0/1"),
         kind::retry, "", "HTTP 201: 500 InternalServerError (Sent to 0/1)"},
        {"a gateway error is retried", 201, answer_with(501, "GatewayError", "None", "Sent to 0/1"), kind::retry,
         "", "HTTP 201: 501 GatewayError (Sent to 0/1)"},
        {"a gateway rejection is retried", 201, answer_with(502, "RejectedByGateway", "None", "Sent to 0/1"),
         kind::retry, "", "HTTP 201: 502 RejectedByGateway (Sent to 0/1)"},
        {"no recipients names their message", 201, R"({"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}})",
         kind::retry, "", "HTTP 201: no recipient taken: InvalidSenderId"},
        {"an answer that is not theirs is retried", 200, "<html>captive portal</html>", kind::retry, "",
         "HTTP 200: no SMSMessageData in the answer: <html>captive portal</html>"},
        {"a recipient without a status code is retried", 201,
         R"({"SMSMessageData":{"Message":"?","Recipients":[{"status":"Success"}]}})", kind::retry, "",
         R"(HTTP 201: the recipient has no statusCode: {"SMSMessageData":{"Message":"?","Recipients":[{"status":"Success"}]}})"},
        {"a wrong api key waits for the configuration", 401, "The supplied authentication is invalid", kind::retry,
         "", "HTTP 401: The supplied authentication is invalid"},
        {"a refused request is refused for good", 400, "Invalid phone number: 99", kind::failed, "",
         "HTTP 400: Invalid phone number: 99"},
        {"their server error is retried", 500, "Internal Server Error", kind::retry, "",
         "HTTP 500: Internal Server Error"},
    };
    auto channel = make_outbound(settings(), io.get_executor());
    for (const auto& c : cases) {
        provider.answer(static_cast<http::status>(c.status), c.body, "application/json");
        const auto out = testing::run_on(io, send_copy(*channel, sms()));
        EXPECT_EQ(out.what, c.expected) << c.name << ": " << out.detail;
        EXPECT_EQ(out.provider_id, c.provider_id) << c.name;
        EXPECT_EQ(out.detail, c.detail) << c.name;
    }
    EXPECT_EQ(provider.requests().size(), std::size(cases));
}

TEST_F(africastalking_outbound, the_recipients_number_is_masked_in_the_detail) {
    provider.answer(http::status::created,
                    R"({"SMSMessageData":{"Message":"Sent to 0/1 +97699000101","Recipients":[]}})",
                    "application/json");
    const auto out = send(settings(), sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail.find("97699000101"), std::string::npos) << out.detail;
    EXPECT_NE(out.detail.find("+976****0101"), std::string::npos) << out.detail;
}

TEST_F(africastalking_outbound, an_api_that_does_not_answer_is_a_retry) {
    auto s = settings();
    s.timeout = 300ms;
    provider.never_answer();
    auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "timeout");

    provider.close_without_answer();
    out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail.rfind("read:", 0), 0u) << out.detail;
}

TEST(africastalking_outbound_settings, problems_name_username_and_api_key) {
    outbound_settings s;
    s.type = "africastalking";
    s.send_url = "http://127.0.0.1:9/version1/messaging";
    auto problems = outbound_problems(s);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].rfind("username:", 0), 0u) << problems[0];
    EXPECT_EQ(problems[1].rfind("api_key:", 0), 0u) << problems[1];
    s.username = "sandbox";
    s.api_key = "k";
    EXPECT_TRUE(outbound_problems(s).empty());
    s.send_url = "ftp://api.africastalking.com/";
    problems = outbound_problems(s);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].rfind("send_url", 0), 0u) << problems[0];
}

} // namespace
} // namespace kharuul::adapters
