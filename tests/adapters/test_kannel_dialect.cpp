// Table-driven tests of the Kannel dialect over requests as smsbox sends them: get-url with the
// URL template of spec/interfaces.md in 7-bit, UCS-2 (UTF-16BE bytes, percent-encoded word by
// word as %a does) and Latin-1, post-url with the text as body and X-Kannel-* headers, the
// delivery reports of our dlr-url, and the plain-text answers Kannel turns into the reply SMS.
#include "adapters/dialect.hpp"

#include "tests/adapters/request_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

using testing::describe;
using testing::make_request;

struct sample {
    const char* name;
    http::verb method;
    std::string target;
    const char* content_type;
    std::string body;
    testing::header_list headers;
    const char* expected;
};

void PrintTo(const sample& s, std::ostream* os) {
    *os << s.name;
}

// "ИД АLТ 1 ХҮҮ 11 нас" in UTF-16BE as Kannel's %a writes it: words percent-encoded, joined by '+'.
constexpr const char* ucs2_text =
    "%04%18%04%14%00+%04%10%00L%04%22%00+%001%00+%04%25%04%AE%04%AE%00+%001%001%00+"
    "%04%3D%040%04A";
// The same as raw bytes, as post-url sends them in the body.
constexpr char ucs2_raw[] = "\x04\x18\x04\x14\x00\x20\x04\x10\x00L\x04\x22\x00\x20\x00"
                            "1\x00\x20\x04\x25\x04\xAE\x04\xAE\x00\x20\x00"
                            "1\x00"
                            "1\x00\x20\x04\x3D\x04\x30\x04\x41";
const std::string ucs2_bytes(ucs2_raw, sizeof ucs2_raw - 1);

const sample samples[] = {
    {"get_url_with_the_full_template",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000001&to=500&text=ID+ALT+2B+12+MINE"
     "&id=3a4b5c6d-0000-4000-8000-000000000001&time=2024-05-01+12:34:56&coding=0&charset=UTF-8&smsc=fake",
     "",
     "",
     {},
     "from=+97699000001 to=500 id=3a4b5c6d-0000-4000-8000-000000000001 time=2024-05-01T12:34:56Z "
     "text=[ID ALT 2B 12 MINE]"},
    {"get_url_number_without_plus_gets_its_plus",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=97699000002&to=500&text=NIL+ULT",
     "",
     "",
     {},
     "from=+97699000002 to=500 text=[NIL ULT]"},
    {"get_url_unescaped_plus_decodes_to_a_space_and_the_plus_comes_back",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=+97699000003&to=500&text=NIL+ULT",
     "",
     "",
     {},
     "from=+97699000003 to=500 text=[NIL ULT]"},
    {"get_url_number_with_international_00_prefix",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=0097699000004&to=500&text=HELP",
     "",
     "",
     {},
     "from=+97699000004 to=500 text=[HELP]"},
    {"get_url_ucs2_text_named_by_charset",
     http::verb::get,
     (std::string("/channels/kannel/"
                  "receive?secret=s3cret&from=%2B97699000005&to=500&coding=2&charset=UTF-16BE&text=") +
      ucs2_text),
     "",
     "",
     {},
     "from=+97699000005 to=500 text=[ИД АLТ 1 ХҮҮ 11 нас]"},
    {"get_url_ucs2_text_named_by_coding_only",
     http::verb::get,
     (std::string("/channels/kannel/receive?secret=s3cret&from=%2B97699000006&to=500&coding=2&text=") +
      ucs2_text),
     "",
     "",
     {},
     "from=+97699000006 to=500 text=[ИД АLТ 1 ХҮҮ 11 нас]"},
    {"get_url_ucs2_text_named_ucs_2",
     http::verb::get,
     (std::string("/channels/kannel/receive?secret=s3cret&from=%2B97699000007&charset=UCS-2&text=") +
      ucs2_text),
     "",
     "",
     {},
     "from=+97699000007 to= text=[ИД АLТ 1 ХҮҮ 11 нас]"},
    {"get_url_utf8_text_after_mo_recode",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000008&to=500&coding=0&charset=UTF-8"
     "&text=%D0%98%D0%94+%D0%90L%D0%A2+1+%D0%A5%D2%AE%D2%AE+11+%D0%BD%D0%B0%D1%81",
     "",
     "",
     {},
     "from=+97699000008 to=500 text=[ИД АLТ 1 ХҮҮ 11 нас]"},
    {"get_url_latin1_text_is_converted",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000009&to=500&coding=0&charset=ISO-8859-1"
     "&text=ID+ALT+2B+12+MINE+%C7%E0",
     "",
     "",
     {},
     "from=+97699000009 to=500 text=[ID ALT 2B 12 MINE Çà]"},
    {"get_url_invalid_utf8_without_charset_is_read_as_latin1",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000010&text=caf%E9",
     "",
     "",
     {},
     "from=+97699000010 to= text=[café]"},
    {"get_url_windows_1252_euro_sign",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000011&charset=WINDOWS-1252&text=5%80",
     "",
     "",
     {},
     "from=+97699000011 to= text=[5€]"},
    {"get_url_valid_utf8_stays_utf8_even_when_charset_says_latin1",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000012&charset=ISO-8859-1&text=%D0%98%D0%94",
     "",
     "",
     {},
     "from=+97699000012 to= text=[ИД]"},
    {"get_url_time_as_unix_seconds",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000013&text=HELP&time=1714566896",
     "",
     "",
     {},
     "from=+97699000013 to= time=2024-05-01T12:34:56Z text=[HELP]"},
    {"get_url_time_without_seconds_as_in_older_guides",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000014&text=HELP&time=2024-05-01+12:34",
     "",
     "",
     {},
     "from=+97699000014 to= time=2024-05-01T12:34:00Z text=[HELP]"},
    {"get_url_unset_time_is_dropped_not_refused",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000015&text=HELP&time=1969-12-31+23:59:59",
     "",
     "",
     {},
     "from=+97699000015 to= text=[HELP]"},
    {"get_url_short_code_recipient_stays_as_is",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000016&to=500&text=HELP",
     "",
     "",
     {},
     "from=+97699000016 to=500 text=[HELP]"},
    {"get_url_empty_text_is_a_message_of_its_own",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000017&to=500&text=",
     "",
     "",
     {},
     "from=+97699000017 to=500 text=[]"},
    {"get_url_odd_length_ucs2_is_refused",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000018&coding=2&text=%04%18%04",
     "",
     "",
     {},
     "error 400: field 'text' is not UTF-16BE: an odd number of bytes"},
    {"get_url_without_from_is_refused_naming_it",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&to=500&text=HELP",
     "",
     "",
     {},
     "error 400: missing field 'from' (put from=%p in the get-url)"},
    {"get_url_without_text_is_refused_naming_it",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000019&to=500",
     "",
     "",
     {},
     "error 400: missing field 'text' (put text=%a in the get-url)"},
    {"get_url_with_a_non_numeric_coding_is_refused",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000020&text=HELP&coding=ucs2",
     "",
     "",
     {},
     "error 400: field 'coding' is not a number"},
    {"get_url_with_a_bad_percent_escape_is_refused",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000021&text=%G1",
     "",
     "",
     {},
     "error 400: the query string is not valid URL encoding"},
    {"post_url_text_in_the_body_and_the_rest_in_x_kannel_headers",
     http::verb::post,
     "/channels/kannel/receive?secret=s3cret",
     "text/plain; charset=\"UTF-8\"",
     "ID ALT 2B 12 MINE",
     {{"X-Kannel-From", "+97699000022"},
      {"X-Kannel-To", "500"},
      {"X-Kannel-Time", "2024-05-01 12:34:56"},
      {"X-Kannel-Coding", "0"},
      {"X-Kannel-SMSC", "fake"}},
     "from=+97699000022 to=500 time=2024-05-01T12:34:56Z text=[ID ALT 2B 12 MINE]"},
    {"post_url_ucs2_body",
     http::verb::post,
     "/channels/kannel/receive?secret=s3cret",
     "text/plain; charset=\"UTF-16BE\"",
     ucs2_bytes,
     {{"X-Kannel-From", "97699000023"}, {"X-Kannel-To", "500"}, {"X-Kannel-Coding", "2"}},
     "from=+97699000023 to=500 text=[ИД АLТ 1 ХҮҮ 11 нас]"},
    {"post_url_with_the_template_in_its_query_reads_the_query",
     http::verb::post,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000024&to=500&id=k-24",
     "text/plain",
     "NIL ULT",
     {},
     "from=+97699000024 to=500 id=k-24 text=[NIL ULT]"},
    {"post_without_body_takes_the_text_from_the_query",
     http::verb::post,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000025&text=NIL+ULT",
     "",
     "",
     {},
     "from=+97699000025 to= text=[NIL ULT]"},
    {"post_url_without_send_sender_is_refused_naming_from",
     http::verb::post,
     "/channels/kannel/receive?secret=s3cret",
     "text/plain",
     "HELP",
     {{"X-Kannel-To", "500"}},
     "error 400: missing field 'from' (put from=%p in the post-url, or set send-sender = true)"},
    {"x_kannel_headers_are_ignored_on_get",
     http::verb::get,
     "/channels/kannel/receive?secret=s3cret&text=HELP",
     "",
     "",
     {{"X-Kannel-From", "+97699000026"}},
     "error 400: missing field 'from' (put from=%p in the get-url)"},
    {"post_xml_is_an_unsupported_media_type",
     http::verb::post,
     "/channels/kannel/receive?secret=s3cret",
     "text/xml",
     "<message/>",
     {{"X-Kannel-From", "+97699000027"}},
     "error 415: post-url sends text/plain or application/octet-stream, not 'text/xml' (post-xml is not "
     "supported)"},
    {"put_is_not_allowed",
     http::verb::put,
     "/channels/kannel/receive?secret=s3cret&from=%2B97699000028&text=HELP",
     "",
     "",
     {},
     "error 405: use GET (get-url) or POST (post-url)"},
};

class kannel_inbound : public ::testing::TestWithParam<sample> {};

TEST_P(kannel_inbound, request_reads_as_expected) {
    const sample& s = GetParam();
    const request req = make_request(s.method, s.target, s.content_type, s.body, s.headers);
    EXPECT_EQ(describe(find_dialect("kannel")->parse_inbound(req, testing::channel("kannel", "kannel"))),
              s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, kannel_inbound, ::testing::ValuesIn(samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(kannel_dialect, stored_answers_the_reply_as_the_whole_plain_text_body) {
    const request req =
        make_request(http::verb::get, "/channels/kannel/receive?secret=s3cret&from=97699000029&text=HELP");
    const std::string reply = "Баярлалаа. ID ALT: кейс 123458";
    const response res = find_dialect("kannel")->stored(req, 42, "accepted", reply);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res[http::field::content_type], "text/plain; charset=utf-8");
    EXPECT_EQ(res.body(), reply);
    EXPECT_EQ(res[http::field::content_length], std::to_string(reply.size()));
}

TEST(kannel_dialect, failed_answers_plain_text_with_the_reason) {
    const request req =
        make_request(http::verb::get, "/channels/kannel/receive?secret=s3cret&to=500&text=HELP");
    const dialect& d = *find_dialect("kannel");
    const auto sms = d.parse_inbound(req, testing::channel("kannel", "kannel"));
    ASSERT_FALSE(sms);
    const response res = d.failed(req, sms.error());
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res[http::field::content_type], "text/plain; charset=utf-8");
    EXPECT_EQ(res.body(), "missing field 'from' (put from=%p in the get-url)\n");
}

TEST(kannel_dialect, method_not_allowed_answer_lists_get_and_post) {
    const request req = make_request(http::verb::delete_, "/channels/kannel/receive");
    const response res = find_dialect("kannel")->failed(req, {errc::method_not_allowed, "use GET or POST"});
    EXPECT_EQ(res.result(), http::status::method_not_allowed);
    EXPECT_EQ(res[http::field::allow], "GET, POST");
}

TEST(kannel_dialect, store_failure_answer_is_503_with_retry_after) {
    const request req =
        make_request(http::verb::get, "/channels/kannel/receive?secret=s3cret&from=97699000030&text=HELP");
    const response res =
        find_dialect("kannel")->failed(req, http::status::service_unavailable, "store unavailable");
    EXPECT_EQ(res.result(), http::status::service_unavailable);
    EXPECT_EQ(res[http::field::retry_after], "5");
    EXPECT_EQ(res[http::field::content_type], "text/plain; charset=utf-8");
    EXPECT_EQ(res.body(), "store unavailable\n");
}

// Delivery reports through the dlr-url we give Kannel:
// /channels/{name}/status?secret=S&outbox=<id>&type=%d&reply=%A&ts=%T
struct dlr_sample {
    const char* name;
    const char* query;
    const char* expected;
};

void PrintTo(const dlr_sample& s, std::ostream* os) {
    *os << s.name;
}

const dlr_sample dlr_samples[] = {
    {"type_1_is_delivered", "outbox=17&type=1&reply=id%3A1a2b+stat%3ADELIVRD+err%3A000&ts=1714566896",
     "delivered outbox=17 time=2024-05-01T12:34:56Z detail=[id:1a2b stat:DELIVRD err:000]"},
    {"type_2_is_failed", "outbox=18&type=2&reply=stat%3AUNDELIV&ts=1714566896",
     "failed outbox=18 time=2024-05-01T12:34:56Z detail=[stat:UNDELIV]"},
    {"type_4_is_queued", "outbox=19&type=4&reply=&ts=1714566896",
     "queued outbox=19 time=2024-05-01T12:34:56Z detail=[]"},
    {"type_8_is_sent", "outbox=20&type=8&reply=ACK%2F&ts=1714566896",
     "sent outbox=20 time=2024-05-01T12:34:56Z detail=[ACK/]"},
    {"type_16_is_failed", "outbox=21&type=16&reply=NACK%2F0x0000000b%2FInvalid+Destination+Address",
     "failed outbox=21 detail=[NACK/0x0000000b/Invalid Destination Address]"},
    {"provider_id_is_kept_when_given", "outbox=22&type=1&id=k-22", "delivered outbox=22 id=k-22 detail=[]"},
    {"missing_type_is_refused_naming_it", "outbox=23&reply=x",
     "error 400: missing field 'type' (put type=%d in the dlr-url)"},
    {"unknown_type_is_refused", "outbox=24&type=3",
     "error 400: field 'type' is not a Kannel delivery report type (1, 2, 4, 8 or 16)"},
    {"missing_outbox_is_refused_naming_it", "type=1",
     "error 400: missing field 'outbox' (the dlr-url must carry our outbox id)"},
    {"non_numeric_outbox_is_refused", "outbox=abc&type=1", "error 400: field 'outbox' is not an outbox id"},
};

class kannel_status : public ::testing::TestWithParam<dlr_sample> {};

TEST_P(kannel_status, delivery_report_reads_as_expected) {
    const dlr_sample& s = GetParam();
    const request req =
        make_request(http::verb::get, std::string("/channels/kannel/status?secret=s3cret&") + s.query);
    EXPECT_EQ(describe(find_dialect("kannel")->parse_status(req, testing::channel("kannel", "kannel"))),
              s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, kannel_status, ::testing::ValuesIn(dlr_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(kannel_dialect, delivery_report_carries_the_channel_name) {
    const request req =
        make_request(http::verb::get, "/channels/kannel/status?secret=s3cret&outbox=25&type=8");
    const auto report = find_dialect("kannel")->parse_status(req, testing::channel("kannel", "kannel"));
    ASSERT_TRUE(report);
    EXPECT_EQ(report->channel, "kannel");
}

} // namespace
} // namespace kharuul::adapters
