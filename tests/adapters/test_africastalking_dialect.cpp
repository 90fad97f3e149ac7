// Table-driven tests of the Africa's Talking dialect over callbacks as their servers send them
// (form POSTs with the fields of their documentation, the values of their official libraries'
// samples with made-up Mongolian numbers): the SMS callback, delivery reports with every status,
// USSD steps whose `text` holds every input so far, end-of-session notifications; missing,
// repeated and badly encoded fields; the secret in the callback URL; and our answers (CON/END
// screens, the SMS callback's answer that carries no reply).
#include "adapters/dialect.hpp"

#include "tests/adapters/request_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

using testing::describe;
using testing::make_request;

constexpr const char* form = "application/x-www-form-urlencoded";

const dialect& at() {
    const dialect* d = find_dialect("africastalking");
    if (d == nullptr) {
        throw std::runtime_error("the africastalking dialect is not registered");
    }
    return *d;
}

const channel_settings channel = testing::channel("africastalking", "africastalking");

struct sample {
    const char* name;
    std::string body;
    const char* expected;
    const char* content_type = form;
    http::verb method = http::verb::post;
};

void PrintTo(const sample& s, std::ostream* os) {
    *os << s.name;
}

std::string row_name(const ::testing::TestParamInfo<sample>& row) {
    return row.param.name;
}

request callback(const std::string& path, const sample& s) {
    return make_request(s.method, "/channels/africastalking/" + path + "?secret=s3cret", s.content_type, s.body);
}

// ---------------------------------------------------------------------------------------------
// The SMS callback (/receive)

// "ИД ALT 1 хүү 11" in UTF-8, percent-encoded as a form body carries it.
constexpr const char* cyrillic_form = "%D0%98%D0%94+ALT+1+%D1%85%D2%AF%D2%AF+11";

const sample sms_samples[] = {
    {"their_documented_callback_reads_every_field",
     "linkId=SampleLinkId123&text=ID+ALT+2B+12+MINE&to=28901&id=15071&date=2018-03-19T08%3A34%3A18.445Z"
     "&from=%2B97699000001",
     "from=+97699000001 to=28901 id=15071 time=2018-03-19T08:34:18Z text=[ID ALT 2B 12 MINE]"},
    {"a_date_with_a_space_is_read_as_utc",
     "from=%2B97699000002&to=28901&text=NIL+ULT&date=2024-05-01+12%3A34%3A56&id=ATXid_1&networkCode=42899",
     "from=+97699000002 to=28901 id=ATXid_1 time=2024-05-01T12:34:56Z text=[NIL ULT]"},
    {"cyrillic_text_arrives_as_utf8", std::string("from=%2B97699000003&to=28901&id=9&text=") + cyrillic_form,
     "from=+97699000003 to=28901 id=9 text=[ИД ALT 1 хүү 11]"},
    {"an_unescaped_plus_in_the_number_comes_back", "from=+97699000004&to=28901&text=HELP",
     "from=+97699000004 to=28901 text=[HELP]"},
    {"an_empty_text_is_a_message_that_gets_the_help_reply", "from=%2B97699000005&to=28901&text=&id=10",
     "from=+97699000005 to=28901 id=10 text=[]"},
    {"a_date_that_cannot_be_read_is_dropped_and_the_message_kept",
     "from=%2B97699000006&to=28901&text=HELP&date=yesterday", "from=+97699000006 to=28901 text=[HELP]"},
    {"without_to_or_id_the_message_is_still_taken", "from=%2B97699000007&text=HELP",
     "from=+97699000007 to= text=[HELP]"},
    {"a_missing_from_is_refused", "to=28901&text=HELP", "error 400: missing field 'from'"},
    {"an_empty_from_is_refused", "from=&to=28901&text=HELP", "error 400: field 'from' is empty"},
    {"a_sender_name_is_refused", "from=AFRICASTKNG&text=HELP", "error 400: field 'from' is not a phone number"},
    {"a_missing_text_is_refused", "from=%2B97699000001&to=28901", "error 400: missing field 'text'"},
    {"a_repeated_text_is_refused", "from=%2B97699000001&text=NIL+ALT&text=ID+ALT+9B+12+MINE",
     "error 400: field 'text' is given more than once"},
    {"a_repeated_from_is_refused", "from=%2B97699000001&from=%2B97699000002&text=HELP",
     "error 400: field 'from' is given more than once"},
    {"text_that_is_not_utf8_is_refused", "from=%2B97699000001&text=%C0%AF",
     "error 400: field 'text' is not valid UTF-8"},
    {"a_bad_percent_escape_is_refused", "from=%2B97699000001&text=%ZZ",
     "error 400: the form body is not valid application/x-www-form-urlencoded"},
    {"json_is_refused_as_an_unsupported_media_type", R"({"from":"+97699000001","text":"HELP"})",
     "error 415: send application/x-www-form-urlencoded, not 'application/json'", "application/json"},
    {"a_body_without_content_type_is_refused", "from=%2B97699000001&text=HELP",
     "error 415: send application/x-www-form-urlencoded, not '(none)'", ""},
    {"get_is_refused", "", "error 405: use POST (Africa's Talking callbacks are form POSTs)", "",
     http::verb::get},
};

class africastalking_sms : public ::testing::TestWithParam<sample> {};

TEST_P(africastalking_sms, callback_reads_as_expected) {
    const auto r = at().parse_inbound(callback("receive", GetParam()), channel);
    EXPECT_EQ(describe(r), GetParam().expected);
    if (r) {
        EXPECT_EQ(r->channel, "africastalking");
    }
}

INSTANTIATE_TEST_SUITE_P(samples, africastalking_sms, ::testing::ValuesIn(sms_samples), row_name);

TEST(africastalking_dialect, a_national_number_gets_the_deployments_country_code) {
    channel_settings mn = channel;
    mn.country_code = "976";
    const auto r = at().parse_inbound(
        callback("receive", {"", "from=99000008&to=28901&text=HELP", ""}), mn);
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->from, "+97699000008");
}

TEST(africastalking_dialect, replies_do_not_travel_in_the_answer) {
    EXPECT_FALSE(at().replies_in_answer()) << "their SMS callback ignores the answer's body";
}

TEST(africastalking_dialect, the_stored_answer_is_200_and_carries_no_reply) {
    const auto req = callback("receive", {"", "from=%2B97699000001&text=HELP", ""});
    const auto res = at().stored(req, 42, "accepted", "ID: send ID site children age work");
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res[http::field::content_type], "text/plain; charset=utf-8");
    EXPECT_EQ(res.body(), "stored message 42: accepted\n");
}

TEST(africastalking_dialect, failures_answer_plain_text_with_the_reason) {
    const auto req = callback("receive", {"", "", ""});
    const auto res = at().failed(req, request_error{errc::bad_request, "missing field 'from'"});
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(res.body(), "missing field 'from'\n");
    const auto busy = at().failed(req, http::status::service_unavailable, "message not stored; retry later");
    EXPECT_EQ(busy[http::field::retry_after], "5");
    const auto get = at().failed(req, request_error{errc::method_not_allowed, "use POST"});
    EXPECT_EQ(get[http::field::allow], "POST");
}

// ---------------------------------------------------------------------------------------------
// The secret in the callback URLs

TEST(africastalking_dialect, every_callback_url_needs_the_channels_secret_in_its_query) {
    const std::string body = "sessionId=ATUid_1&phoneNumber=%2B97699000001&text=";
    for (const auto* path : {"receive", "status", "ussd", "ussd/end"}) {
        const std::string base = std::string("/channels/africastalking/") + path;
        EXPECT_TRUE(at().authenticate(make_request(http::verb::post, base + "?secret=s3cret", form, body), channel))
            << path;
        for (const auto& bad : {base, base + "?secret=S3CRET", base + "?secret=", base + "?secret=s3cret%20"}) {
            EXPECT_FALSE(at().authenticate(make_request(http::verb::post, bad, form, body), channel)) << bad;
        }
        // Their form fields are not credentials: a secret in the body does not count.
        EXPECT_FALSE(at().authenticate(make_request(http::verb::post, base, form, body + "&secret=s3cret"), channel))
            << path;
    }
    channel_settings unset = channel;
    unset.secret.clear();
    EXPECT_FALSE(at().authenticate(make_request(http::verb::post, "/channels/africastalking/receive?secret=", form,
                                                body),
                                   unset))
        << "an empty configured secret never matches";
}

// ---------------------------------------------------------------------------------------------
// Delivery reports (/status)

const sample report_samples[] = {
    {"their_documented_report_of_a_delivered_message",
     "id=ATXid_sample&status=Success&phoneNumber=%2B97699000101&networkCode=42899&retryCount=0",
     "delivered id=ATXid_sample detail=[Success, network 42899]"},
    {"sent_by_their_network_is_sent", "id=ATXid_1&status=Sent&phoneNumber=%2B97699000101",
     "sent id=ATXid_1 detail=[Sent]"},
    {"submitted_to_the_operator_is_sent", "id=ATXid_2&status=Submitted&phoneNumber=%2B97699000101",
     "sent id=ATXid_2 detail=[Submitted]"},
    {"buffered_by_the_operator_is_queued_there", "id=ATXid_3&status=Buffered&phoneNumber=%2B97699000101",
     "queued id=ATXid_3 detail=[Buffered]"},
    {"rejected_is_failed_with_the_reason",
     "id=ATXid_4&status=Rejected&phoneNumber=%2B97699000101&networkCode=42899&failureReason=InsufficientCredit",
     "failed id=ATXid_4 detail=[Rejected: InsufficientCredit, network 42899]"},
    {"failed_is_failed_with_the_reason_and_the_retries",
     "id=ATXid_5&status=Failed&phoneNumber=%2B97699000101&failureReason=UserInBlacklist&retryCount=2",
     "failed id=ATXid_5 detail=[Failed: UserInBlacklist, retry 2]"},
    {"the_status_is_read_whatever_its_case", "id=ATXid_6&status=success", "delivered id=ATXid_6 detail=[Success]"},
    {"a_status_they_do_not_define_is_refused", "id=ATXid_7&status=Delivered",
     "error 400: field 'status' is not an Africa's Talking delivery status (Sent, Submitted, Buffered, Rejected, "
     "Success or Failed)"},
    {"a_missing_id_is_refused", "status=Success&phoneNumber=%2B97699000101", "error 400: missing field 'id'"},
    {"an_empty_id_is_refused", "id=&status=Success", "error 400: field 'id' is empty"},
    {"a_missing_status_is_refused", "id=ATXid_8", "error 400: missing field 'status'"},
    {"a_repeated_status_is_refused", "id=ATXid_9&status=Failed&status=Success",
     "error 400: field 'status' is given more than once"},
    {"json_reports_are_refused", R"({"id":"ATXid_1","status":"Success"})",
     "error 415: send application/x-www-form-urlencoded, not 'application/json'", "application/json"},
};

class africastalking_status : public ::testing::TestWithParam<sample> {};

TEST_P(africastalking_status, delivery_report_reads_as_expected) {
    const auto r = at().parse_status(callback("status", GetParam()), channel);
    EXPECT_EQ(describe(r), GetParam().expected);
    if (r) {
        EXPECT_EQ(r->channel, "africastalking");
        EXPECT_FALSE(r->outbox_id) << "their reports name their messageId, not our outbox id";
        EXPECT_EQ(r->detail.find("97699000101"), std::string::npos) << "no phone number in the history";
    }
}

INSTANTIATE_TEST_SUITE_P(samples, africastalking_status, ::testing::ValuesIn(report_samples), row_name);

// ---------------------------------------------------------------------------------------------
// USSD steps (/ussd)

std::string describe(const result<ussd_request>& r) {
    if (!r) {
        return "error " + std::to_string(static_cast<int>(status_of(r.error().code))) + ": " + r.error().reason;
    }
    std::string s = "session=" + r->session_id + " from=" + r->from + " service=" + r->service_code +
                    " network=" + r->network_code + " inputs=[";
    for (std::size_t i = 0; i < r->inputs.size(); ++i) {
        s += (i == 0 ? "" : "|") + r->inputs[i];
    }
    return s + "]" + (r->cumulative ? " cumulative" : "");
}

const std::string ussd_head = "sessionId=ATUid_05d5b8ad2b7e43fa&serviceCode=*500%23&phoneNumber=%2B97699000001"
                              "&networkCode=42899";

const sample ussd_samples[] = {
    {"the_first_request_has_an_empty_text_and_no_inputs", ussd_head + "&text=",
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[] cumulative"},
    {"one_answer_is_one_input", ussd_head + "&text=1",
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[1] cumulative"},
    {"every_answer_so_far_comes_in_order", ussd_head + "&text=1*2*12",
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[1|2|12] cumulative"},
    {"back_and_top_are_inputs_like_any_other", ussd_head + "&text=1*1*0*00*3",
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[1|1|0|00|3] "
     "cumulative"},
    {"a_percent_encoded_star_is_a_separator_too", ussd_head + "&text=4%2A204812",
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[4|204812] "
     "cumulative"},
    {"an_empty_answer_stays_an_input", ussd_head + "&text=1**2",
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[1||2] cumulative"},
    {"a_missing_text_is_the_first_request", ussd_head,
     "session=ATUid_05d5b8ad2b7e43fa from=+97699000001 service=*500# network=42899 inputs=[] cumulative"},
    {"without_service_or_network_code_the_step_is_still_taken",
     "sessionId=ATUid_2&phoneNumber=%2B97699000002&text=2",
     "session=ATUid_2 from=+97699000002 service= network= inputs=[2] cumulative"},
    {"a_missing_session_id_is_refused", "serviceCode=*500%23&phoneNumber=%2B97699000001&text=",
     "error 400: missing field 'sessionId'"},
    {"an_empty_session_id_is_refused", "sessionId=&phoneNumber=%2B97699000001&text=",
     "error 400: field 'sessionId' is empty"},
    {"a_missing_phone_number_is_refused", "sessionId=ATUid_3&serviceCode=*500%23&text=",
     "error 400: missing field 'phoneNumber'"},
    {"a_phone_number_that_is_not_one_is_refused", "sessionId=ATUid_3&phoneNumber=Safaricom&text=",
     "error 400: field 'phoneNumber' is not a phone number"},
    {"a_repeated_text_is_refused", ussd_head + "&text=1&text=1*2",
     "error 400: field 'text' is given more than once"},
    {"json_steps_are_refused", R"({"sessionId":"ATUid_1"})",
     "error 415: send application/x-www-form-urlencoded, not 'application/json'", "application/json"},
    {"get_is_refused", "", "error 405: use POST (Africa's Talking callbacks are form POSTs)", "",
     http::verb::get},
};

class africastalking_ussd : public ::testing::TestWithParam<sample> {};

TEST_P(africastalking_ussd, step_reads_as_expected) {
    const auto r = at().parse_ussd(callback("ussd", GetParam()), channel);
    EXPECT_EQ(describe(r), GetParam().expected);
    if (r) {
        EXPECT_EQ(r->channel, "africastalking");
    }
}

INSTANTIATE_TEST_SUITE_P(samples, africastalking_ussd, ::testing::ValuesIn(ussd_samples), row_name);

TEST(africastalking_dialect, a_screen_that_waits_for_input_begins_with_con_and_a_last_one_with_end) {
    const auto req = callback("ussd", {"", ussd_head + "&text=", ""});
    const std::string menu = "Child labour report\n1 Report a child at work\n2 Report a child at risk";
    const auto con = at().ussd_screen(req, menu, false);
    EXPECT_EQ(con.result(), http::status::ok);
    EXPECT_EQ(con[http::field::content_type], "text/plain; charset=utf-8");
    EXPECT_EQ(con.body(), "CON " + menu);
    const std::string done = "Илгээлээ. Кейс 204812."; // Cyrillic goes back as UTF-8, byte for byte
    const auto end = at().ussd_screen(req, done, true);
    EXPECT_EQ(end.body(), "END " + done);
    EXPECT_EQ(end[http::field::content_length], std::to_string(4 + done.size()));
}

// ---------------------------------------------------------------------------------------------
// End-of-session notifications (/ussd/end)

std::string describe(const result<ussd_session_end>& r) {
    if (!r) {
        return "error " + std::to_string(static_cast<int>(status_of(r.error().code))) + ": " + r.error().reason;
    }
    const char* outcome = r->status == ussd_session_end::outcome::completed    ? "completed"
                          : r->status == ussd_session_end::outcome::incomplete ? "incomplete"
                                                                               : "failed";
    return std::string(outcome) + " session=" + r->session_id + " from=" + r->from + " detail=[" + r->detail + "]";
}

const std::string end_tail = "&serviceCode=*500%23&networkCode=42899&phoneNumber=%2B97699000001&cost=MNT+0.00"
                             "&durationInMillis=41250&hopsCount=4&date=2024-05-01+12%3A00%3A00";

const sample end_samples[] = {
    {"their_documented_notice_of_a_dropped_session",
     "sessionId=ATUid_1" + end_tail + "&status=Incomplete&input=1*2*3&lastAppResponse=CON+Sex%3A+1+Boy(s)"
                                      "&errorMessage=",
     "incomplete session=ATUid_1 from=+97699000001 detail=[]"},
    {"a_session_that_ended_on_our_end_screen_is_completed",
     "sessionId=ATUid_2" + end_tail + "&status=Success&input=3*1&lastAppResponse=END+Visit+recorded",
     "completed session=ATUid_2 from=+97699000001 detail=[]"},
    {"a_failed_session_keeps_their_error_message",
     "sessionId=ATUid_3" + end_tail + "&status=Failed&errorMessage=Application+timed+out",
     "failed session=ATUid_3 from=+97699000001 detail=[Application timed out]"},
    {"the_status_is_read_whatever_its_case", "sessionId=ATUid_4&status=INCOMPLETE",
     "incomplete session=ATUid_4 from= detail=[]"},
    {"a_status_they_do_not_define_is_refused", "sessionId=ATUid_5&status=Abandoned",
     "error 400: field 'status' is not an end-of-session status (Success, Incomplete or Failed)"},
    {"a_missing_status_is_refused", "sessionId=ATUid_6" + end_tail, "error 400: missing field 'status'"},
    {"a_missing_session_id_is_refused", "status=Success" + end_tail, "error 400: missing field 'sessionId'"},
    {"a_repeated_session_id_is_refused", "sessionId=ATUid_7&sessionId=ATUid_8&status=Success",
     "error 400: field 'sessionId' is given more than once"},
};

class africastalking_ussd_end : public ::testing::TestWithParam<sample> {};

TEST_P(africastalking_ussd_end, notification_reads_as_expected) {
    const auto r = at().parse_ussd_end(callback("ussd/end", GetParam()), channel);
    EXPECT_EQ(describe(r), GetParam().expected);
    if (r) {
        EXPECT_EQ(r->channel, "africastalking");
    }
}

INSTANTIATE_TEST_SUITE_P(samples, africastalking_ussd_end, ::testing::ValuesIn(end_samples), row_name);

} // namespace
} // namespace kharuul::adapters
