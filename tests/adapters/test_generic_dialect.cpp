// Table-driven tests of the generic dialect over request samples as HTTP clients send them:
// form and JSON bodies, Cyrillic text, '+' in numbers, the errors an integrator makes, and the
// JSON answers.
#include "adapters/dialect.hpp"

#include "tests/adapters/request_samples.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

using testing::describe;
using testing::make_request;

constexpr const char* form = "application/x-www-form-urlencoded";
constexpr const char* json = "application/json";
constexpr const char* receive = "/channels/web/receive?secret=s3cret";

struct sample {
    const char* name;
    http::verb method;
    const char* content_type;
    const char* body;
    const char* expected;
};

void PrintTo(const sample& s, std::ostream* os) {
    *os << s.name;
}

const sample samples[] = {
    {"form_body_with_every_field", http::verb::post, form,
     "from=%2B97699000001&to=500&text=ID+ALT+2B+12+MINE&id=abc-1&time=2024-05-01T12%3A34%3A56Z",
     "from=+97699000001 to=500 id=abc-1 time=2024-05-01T12:34:56Z text=[ID ALT 2B 12 MINE]"},
    {"form_body_with_url_encoded_cyrillic_text", http::verb::post, form,
     "from=%2B97699000002&to=500&text=%D0%98%D0%94+%D0%90L%D0%A2+1+%D0%A5%D2%AE%D2%AE+11+%D0%BD%D0%B0%D1%81",
     "from=+97699000002 to=500 text=[ИД АLТ 1 ХҮҮ 11 нас]"},
    {"unescaped_plus_in_a_form_number_decodes_to_a_space_and_the_plus_comes_back", http::verb::post, form,
     "from=+97699000003&to=500&text=NIL+ULT", "from=+97699000003 to=500 text=[NIL ULT]"},
    {"form_content_type_may_carry_a_charset", http::verb::post,
     "application/x-www-form-urlencoded; charset=UTF-8", "from=%2B97699000004&text=HELP",
     "from=+97699000004 to= text=[HELP]"},
    {"form_time_may_be_unix_seconds", http::verb::post, form, "from=%2B97699000005&text=HELP&time=1714566896",
     "from=+97699000005 to= time=2024-05-01T12:34:56Z text=[HELP]"},
    {"repeated_form_field_is_refused_not_first_or_last_winning", http::verb::post, form,
     "from=%2B97699000006&text=ONE&text=TWO", "error 400: field 'text' is given more than once"},
    {"repeated_json_key_is_refused_not_last_winning", http::verb::post, json,
     R"({"from":"+97699000006","text":"ONE","text":"TWO"})",
     "error 400: field 'text' is given more than once"},
    {"alphabetic_from_is_refused", http::verb::post, form, "from=ABCDEF&text=HELP",
     "error 400: field 'from' is not a phone number"},
    {"national_from_is_accepted", http::verb::post, form, "from=99000006&text=HELP",
     "from=99000006 to= text=[HELP]"},
    {"empty_text_is_a_message_of_its_own", http::verb::post, form,
     "from=%2B97699000007&to=500&text=", "from=+97699000007 to=500 text=[]"},
    {"json_body_with_every_field", http::verb::post, json,
     R"({"from":"+97699000008","to":"500","text":"ИД ALT 1Х 9","id":"m-77","time":"2024-05-01T20:34:56+08:00"})",
     "from=+97699000008 to=500 id=m-77 time=2024-05-01T12:34:56Z text=[ИД ALT 1Х 9]"},
    {"json_numbers_are_taken_for_id_time_and_phone_numbers", http::verb::post,
     "application/json; charset=utf-8",
     R"({"from":97699000009,"text":"NIL ULT","id":12345,"time":1714566896})",
     "from=+97699000009 to= id=12345 time=2024-05-01T12:34:56Z text=[NIL ULT]"},
    {"json_spaces_in_a_number_are_dropped", http::verb::post, json, R"({"from":"+976 9900-0010","text":""})",
     "from=+97699000010 to= text=[]"},
    {"missing_from_is_named", http::verb::post, form, "to=500&text=HELP", "error 400: missing field 'from'"},
    {"missing_text_is_named", http::verb::post, json, R"({"from":"+97699000011"})",
     "error 400: missing field 'text'"},
    {"empty_from_is_refused", http::verb::post, form, "from=&text=HELP", "error 400: field 'from' is empty"},
    {"text_that_is_not_a_string_is_named", http::verb::post, json, R"({"from":"+97699000012","text":5})",
     "error 400: field 'text' must be a string"},
    {"null_from_is_named", http::verb::post, json, R"({"from":null,"text":"HELP"})",
     "error 400: field 'from' must be a string"},
    {"latin1_bytes_in_a_form_are_not_utf8", http::verb::post, form, "from=%2B97699000013&text=MINE+%C7%E0",
     "error 400: field 'text' is not valid UTF-8"},
    {"bad_percent_escape_makes_a_malformed_form", http::verb::post, form, "from=%2B97699000014&text=%ZZ",
     "error 400: the form body is not valid application/x-www-form-urlencoded"},
    {"time_in_another_format_is_named", http::verb::post, form,
     "from=%2B97699000015&text=HELP&time=01%2F05%2F2024",
     "error 400: field 'time' is neither ISO 8601 nor unix seconds"},
    {"time_in_milliseconds_is_refused", http::verb::post, form,
     "from=%2B97699000016&text=HELP&time=1714566896000",
     "error 400: field 'time' is neither ISO 8601 nor unix seconds"},
    {"json_array_is_not_a_message", http::verb::post, json, R"(["+97699000017","HELP"])",
     "error 400: the JSON body must be an object"},
    {"get_is_not_allowed", http::verb::get, form, "", "error 405: use POST"},
    {"put_is_not_allowed", http::verb::put, form, "from=%2B97699000018&text=HELP", "error 405: use POST"},
    {"plain_text_body_is_an_unsupported_media_type", http::verb::post, "text/plain", "HELP",
     "error 415: send application/x-www-form-urlencoded or application/json, not 'text/plain'"},
    {"body_without_content_type_is_an_unsupported_media_type", http::verb::post, "",
     "from=%2B97699000019&text=HELP",
     "error 415: send application/x-www-form-urlencoded or application/json, not '(none)'"},
};

class generic_inbound : public ::testing::TestWithParam<sample> {};

TEST_P(generic_inbound, request_reads_as_expected) {
    const sample& s = GetParam();
    const request req = make_request(s.method, receive, s.content_type, s.body);
    EXPECT_EQ(describe(find_dialect("generic")->parse_inbound(req, testing::channel("web", "generic"))),
              s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, generic_inbound, ::testing::ValuesIn(samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(generic_dialect, parsed_message_carries_the_channel_name) {
    const request req = make_request(http::verb::post, receive, form, "from=%2B97699000020&text=HELP");
    const auto sms = find_dialect("generic")->parse_inbound(req, testing::channel("web", "generic"));
    ASSERT_TRUE(sms);
    EXPECT_EQ(sms->channel, "web");
}

TEST(generic_dialect, invalid_json_error_says_it_is_not_json) {
    const request req = make_request(http::verb::post, receive, json, R"({"from":"+97699000021",)");
    const auto sms = find_dialect("generic")->parse_inbound(req, testing::channel("web", "generic"));
    ASSERT_FALSE(sms);
    EXPECT_EQ(sms.error().code, errc::bad_request);
    EXPECT_TRUE(sms.error().reason.starts_with("the body is not valid JSON")) << sms.error().reason;
}

TEST(generic_dialect, stored_answers_json_with_message_id_reply_and_status) {
    const request req = make_request(http::verb::post, receive, form, "from=%2B97699000022&text=HELP");
    const response res =
        find_dialect("generic")->stored(req, 42, "accepted", "Баярлалаа. Кейс 123458 \"ALT\"");
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_EQ(boost::json::parse(res.body()),
              boost::json::parse(
                  R"({"message_id":42,"reply":"Баярлалаа. Кейс 123458 \"ALT\"","status":"accepted"})"));
    EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
    EXPECT_TRUE(res.keep_alive());
}

TEST(generic_dialect, stored_keeps_the_requests_http_version_and_connection_close) {
    request req = make_request(http::verb::post, receive, form, "from=%2B97699000023&text=HELP");
    req.version(10);
    req.keep_alive(false);
    const response res = find_dialect("generic")->stored(req, 7, "duplicate", "");
    EXPECT_EQ(res.version(), 10);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(boost::json::parse(res.body()).at("status"), "duplicate");
}

TEST(generic_dialect, failed_answers_json_error_with_the_reason) {
    const request req = make_request(http::verb::post, receive, form, "to=500");
    const dialect& d = *find_dialect("generic");
    const auto sms = d.parse_inbound(req, testing::channel("web", "generic"));
    ASSERT_FALSE(sms);
    const response res = d.failed(req, sms.error());
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_EQ(boost::json::parse(res.body()), boost::json::parse(R"({"error":"missing field 'from'"})"));
}

TEST(generic_dialect, unauthorized_answer_asks_for_a_bearer_token) {
    const request req = make_request(http::verb::post, "/channels/web/receive", form, "");
    const response res =
        find_dialect("generic")->failed(req, http::status::unauthorized, "wrong or missing secret");
    EXPECT_EQ(res.result(), http::status::unauthorized);
    EXPECT_EQ(res[http::field::www_authenticate], "Bearer");
    EXPECT_EQ(boost::json::parse(res.body()).at("error"), "wrong or missing secret");
}

TEST(generic_dialect, method_not_allowed_answer_lists_post) {
    const request req = make_request(http::verb::get, receive);
    const response res = find_dialect("generic")->failed(req, {errc::method_not_allowed, "use POST"});
    EXPECT_EQ(res.result(), http::status::method_not_allowed);
    EXPECT_EQ(res[http::field::allow], "POST");
}

TEST(generic_dialect, store_failure_answer_is_503_with_retry_after) {
    const request req = make_request(http::verb::post, receive, form, "from=%2B97699000024&text=HELP");
    const response res =
        find_dialect("generic")->failed(req, http::status::service_unavailable, "store unavailable");
    EXPECT_EQ(res.result(), http::status::service_unavailable);
    EXPECT_EQ(res[http::field::retry_after], "5");
    EXPECT_EQ(boost::json::parse(res.body()).at("error"), "store unavailable");
}

TEST(generic_dialect, takes_no_delivery_reports) {
    const request req = make_request(http::verb::get, "/channels/web/status?secret=s3cret&outbox=1&type=1");
    const auto report = find_dialect("generic")->parse_status(req, testing::channel("web", "generic"));
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().code, errc::not_supported);
    EXPECT_EQ(status_of(report.error().code), http::status::not_found);
}

} // namespace
} // namespace kharuul::adapters
