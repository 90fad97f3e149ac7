// The Twilio dialect: X-Twilio-Signature against Twilio's published test vector and its variants
// (the port, a tampered parameter, a wrong token), the signature checked over public_url and the
// request target of real webhook bodies; the webhook's fields; status callbacks onto delivery
// states; and the TwiML answer, escaped.
#include "adapters/dialect.hpp"

#include "adapters/twilio_signature.hpp"
#include "tests/adapters/request_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

using testing::describe;
using testing::make_request;

// Twilio's published example (www.twilio.com/docs/usage/security, "Validating signatures").
const twilio::parameter_list vector_params = {
    {"CallSid", "CA1234567890ABCDE"}, {"Caller", "+14158675309"}, {"Digits", "1234"},
    {"From", "+14158675309"},         {"To", "+18005551212"},
};
constexpr const char* vector_url = "https://mycompany.com/myapp.php?foo=1&bar=2";
constexpr const char* vector_signature = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
// The same request signed over "https://mycompany.com:443/myapp.php?foo=1&bar=2" (twilio-node 6.3.1).
constexpr const char* vector_signature_with_port = "kvajT1Ptam85bY51eRf/AJRuM3w=";

TEST(twilio_signature, published_vector_gives_the_published_signature) {
    EXPECT_EQ(twilio::expected_signature("12345", vector_url, vector_params), vector_signature);
}

TEST(twilio_signature, parameter_order_does_not_matter) {
    twilio::parameter_list reversed(vector_params.rbegin(), vector_params.rend());
    EXPECT_EQ(twilio::expected_signature("12345", vector_url, reversed), vector_signature);
}

struct signature_sample {
    const char* name;
    const char* token;
    const char* url; // the URL we check against
    twilio::parameter_list params;
    const char* signature;
    bool expected;
};

void PrintTo(const signature_sample& s, std::ostream* os) {
    *os << s.name;
}

twilio::parameter_list with(twilio::parameter_list p, const std::string& name, const std::string& value) {
    for (auto& [n, v] : p) {
        if (n == name) {
            v = value;
        }
    }
    return p;
}

const signature_sample signature_samples[] = {
    {"published_vector_is_accepted", "12345", vector_url, vector_params, vector_signature, true},
    {"url_with_443_is_accepted_for_a_signature_without_the_port", "12345",
     "https://mycompany.com:443/myapp.php?foo=1&bar=2", vector_params, vector_signature, true},
    {"url_without_the_port_is_accepted_for_a_signature_with_443", "12345", vector_url, vector_params,
     vector_signature_with_port, true},
    {"url_with_443_is_accepted_for_a_signature_with_443", "12345",
     "https://mycompany.com:443/myapp.php?foo=1&bar=2", vector_params, vector_signature_with_port, true},
    {"tampered_parameter_is_refused", "12345", vector_url, with(vector_params, "Digits", "1235"), vector_signature,
     false},
    {"added_parameter_is_refused", "12345", vector_url,
     [] {
         auto p = vector_params;
         p.emplace_back("Body", "x");
         return p;
     }(),
     vector_signature, false},
    {"wrong_token_is_refused", "12346", vector_url, vector_params, vector_signature, false},
    {"empty_token_is_refused", "", vector_url, vector_params, vector_signature, false},
    {"other_query_is_refused", "12345", "https://mycompany.com/myapp.php?foo=1&bar=3", vector_params,
     vector_signature, false},
    {"other_scheme_is_refused", "12345", "http://mycompany.com/myapp.php?foo=1&bar=2", vector_params,
     vector_signature, false},
    {"other_port_is_refused", "12345", "https://mycompany.com:8443/myapp.php?foo=1&bar=2", vector_params,
     vector_signature_with_port, false},
    {"empty_signature_is_refused", "12345", vector_url, vector_params, "", false},
    {"signature_with_one_character_changed_is_refused", "12345", vector_url, vector_params,
     "RSOYDt4T1cUTdK1PDd93/VVr8B9=", false},
    {"signature_cut_short_is_refused", "12345", vector_url, vector_params, "RSOYDt4T1cUTdK1PDd93/VVr8B8", false},
};

class twilio_signatures : public ::testing::TestWithParam<signature_sample> {};

TEST_P(twilio_signatures, are_judged_as_twilio_libraries_judge_them) {
    const auto& s = GetParam();
    EXPECT_EQ(twilio::signature_matches(s.signature, s.token, s.url, s.params), s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, twilio_signatures, ::testing::ValuesIn(signature_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(twilio_signature, url_variants_add_the_default_port_and_remove_any_port) {
    using v = std::vector<std::string>;
    EXPECT_EQ(twilio::url_variants("https://a.example/x?y=1"), (v{"https://a.example:443/x?y=1", "https://a.example/x?y=1"}));
    EXPECT_EQ(twilio::url_variants("https://a.example:443/x"), (v{"https://a.example:443/x", "https://a.example/x"}));
    EXPECT_EQ(twilio::url_variants("http://a.example/x"), (v{"http://a.example:80/x", "http://a.example/x"}));
    EXPECT_EQ(twilio::url_variants("http://127.0.0.1:8080/c/t/receive"),
              (v{"http://127.0.0.1:8080/c/t/receive", "http://127.0.0.1/c/t/receive"}));
    EXPECT_EQ(twilio::url_variants("https://[2001:db8::1]:8443/x"),
              (v{"https://[2001:db8::1]:8443/x", "https://[2001:db8::1]/x"}));
    EXPECT_EQ(twilio::url_variants("https://u:p@a.example/x"), (v{"https://u:p@a.example:443/x", "https://u:p@a.example/x"}));
    EXPECT_EQ(twilio::url_variants("https://a.example"), (v{"https://a.example:443", "https://a.example"}));
    EXPECT_EQ(twilio::url_variants("not a url"), (v{"not a url"}));
}

TEST(twilio_signature, a_name_given_twice_signs_each_distinct_value_in_order) {
    // As twilio-node's toFormUrlEncodedParam: "MediaUrl" + "a" + "MediaUrl" + "b".
    const twilio::parameter_list twice = {{"MediaUrl", "b"}, {"MediaUrl", "a"}, {"MediaUrl", "b"}};
    const twilio::parameter_list once_each = {{"MediaUrl", "a"}, {"MediaUrl", "b"}};
    EXPECT_EQ(twilio::expected_signature("t", "https://x.example/", twice),
              twilio::expected_signature("t", "https://x.example/", once_each));
    EXPECT_EQ(twilio::expected_signature("t", "https://x.example/", once_each),
              twilio::expected_signature("t", "https://x.example/MediaUrlaMediaUrlb", {}));
}

// ---------------------------------------------------------------------------------------------
// The dialect's authenticate: public_url + target, the form body

const dialect& twilio_dialect() {
    return *find_dialect("twilio");
}

channel_settings twilio_channel(std::string public_url = "https://sms.example.org") {
    channel_settings c = testing::channel("twilio", "twilio");
    c.secret.clear();
    c.auth_token = "demo-twilio-auth-token";
    c.public_url = std::move(public_url);
    c.country_code = "976";
    return c;
}

// A webhook body as Twilio posts it for an SMS to a Mongolian number (made-up numbers and sids).
const std::string webhook_body =
    "ToCountry=MN&ToState=&SmsMessageSid=SM0123456789abcdef0123456789abcdef&NumMedia=0&ToCity=&FromZip="
    "&SmsSid=SM0123456789abcdef0123456789abcdef&FromState=&SmsStatus=received&FromCity="
    "&Body=ID+ALT+2B+12+MINE&FromCountry=MN&To=%2B97699000500&ToZip=&NumSegments=1"
    "&MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC00000000000000000000000000000000"
    "&From=%2B97699000001&ApiVersion=2010-04-01";

twilio::parameter_list decoded(const std::string& body) {
    twilio::parameter_list out;
    std::size_t start = 0;
    while (start <= body.size()) {
        const auto end = std::min(body.find('&', start), body.size());
        const std::string pair = body.substr(start, end - start);
        const auto eq = pair.find('=');
        auto unescape = [](std::string s) {
            std::string r;
            for (std::size_t i = 0; i < s.size(); ++i) {
                if (s[i] == '+') {
                    r += ' ';
                } else if (s[i] == '%' && i + 2 < s.size()) {
                    r += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
                    i += 2;
                } else {
                    r += s[i];
                }
            }
            return r;
        };
        out.emplace_back(unescape(pair.substr(0, eq)), eq == std::string::npos ? "" : unescape(pair.substr(eq + 1)));
        start = end + 1;
    }
    return out;
}

request signed_post(const std::string& target, const std::string& body, const std::string& signed_url,
                    const std::string& token = "demo-twilio-auth-token") {
    return make_request(http::verb::post, target, "application/x-www-form-urlencoded; charset=UTF-8", body,
                        {{"X-Twilio-Signature", twilio::expected_signature(token, signed_url, decoded(body))}});
}

TEST(twilio_authentication, webhook_signed_over_public_url_and_path_is_accepted) {
    const auto req = signed_post("/channels/twilio/receive", webhook_body,
                                 "https://sms.example.org/channels/twilio/receive");
    EXPECT_TRUE(twilio_dialect().authenticate(req, twilio_channel()));
}

TEST(twilio_authentication, query_of_the_request_is_part_of_the_signed_url) {
    const auto req = signed_post("/channels/twilio/receive?lang=mn", webhook_body,
                                 "https://sms.example.org/channels/twilio/receive?lang=mn");
    EXPECT_TRUE(twilio_dialect().authenticate(req, twilio_channel()));
    const auto other = signed_post("/channels/twilio/receive?lang=en", webhook_body,
                                   "https://sms.example.org/channels/twilio/receive?lang=mn");
    EXPECT_FALSE(twilio_dialect().authenticate(other, twilio_channel()));
}

TEST(twilio_authentication, public_url_with_a_path_prefix_is_signed_as_configured) {
    const auto req = signed_post("/channels/twilio/receive", webhook_body,
                                 "https://ngo.example.org:443/kharuul/channels/twilio/receive");
    EXPECT_TRUE(twilio_dialect().authenticate(req, twilio_channel("https://ngo.example.org/kharuul")));
}

TEST(twilio_authentication, url_the_proxy_forwards_to_is_not_the_one_signed) {
    // Signed over the loopback URL behind the TLS proxy, not the one Twilio calls: refused.
    const auto req = signed_post("/channels/twilio/receive", webhook_body, "http://127.0.0.1:8080/channels/twilio/receive");
    EXPECT_FALSE(twilio_dialect().authenticate(req, twilio_channel()));
}

struct refused_sample {
    const char* name;
    request req;
    channel_settings channel;
};

void PrintTo(const refused_sample& s, std::ostream* os) {
    *os << s.name;
}

const std::string signed_url = "https://sms.example.org/channels/twilio/receive";

std::vector<refused_sample> refused_samples() {
    std::vector<refused_sample> rows;
    rows.push_back({"missing_signature",
                    make_request(http::verb::post, "/channels/twilio/receive", "application/x-www-form-urlencoded",
                                 webhook_body),
                    twilio_channel()});
    rows.push_back({"tampered_body", signed_post("/channels/twilio/receive", webhook_body, signed_url),
                    twilio_channel()});
    {
        std::string body = webhook_body;
        body.replace(body.find("ID+ALT+2B"), 9, "ID+ALT+9B");
        rows.back().req.body() = body;
        rows.back().req.prepare_payload();
    }
    rows.push_back({"wrong_token", signed_post("/channels/twilio/receive", webhook_body, signed_url, "not-the-token"),
                    twilio_channel()});
    rows.push_back({"channel_without_an_auth_token", signed_post("/channels/twilio/receive", webhook_body, signed_url),
                    [] {
                        auto c = twilio_channel();
                        c.auth_token.clear();
                        return c;
                    }()});
    rows.push_back({"channel_without_a_public_url",
                    signed_post("/channels/twilio/receive", webhook_body, "/channels/twilio/receive"),
                    twilio_channel("")});
    rows.push_back({"signature_given_twice", signed_post("/channels/twilio/receive", webhook_body, signed_url),
                    twilio_channel()});
    rows.back().req.insert("X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    rows.push_back({"json_body", signed_post("/channels/twilio/receive", webhook_body, signed_url), twilio_channel()});
    rows.back().req.set(http::field::content_type, "application/json");
    rows.push_back({"channel_secret_instead_of_a_signature",
                    make_request(http::verb::post, "/channels/twilio/receive?secret=s3cret",
                                 "application/x-www-form-urlencoded", webhook_body, {{"Authorization", "Bearer s3cret"}}),
                    [] {
                        auto c = twilio_channel();
                        c.secret = "s3cret";
                        return c;
                    }()});
    return rows;
}

class twilio_refused : public ::testing::TestWithParam<refused_sample> {};

TEST_P(twilio_refused, request_is_not_authenticated) {
    EXPECT_FALSE(twilio_dialect().authenticate(GetParam().req, GetParam().channel));
}

INSTANTIATE_TEST_SUITE_P(samples, twilio_refused, ::testing::ValuesIn(refused_samples()),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(twilio_authentication, get_webhook_is_signed_over_the_url_with_its_query) {
    const std::string target = "/channels/twilio/receive?From=%2B97699000001&Body=NIL+ULT&MessageSid=SMx";
    const auto req = make_request(
        http::verb::get, target, "", "",
        {{"X-Twilio-Signature", twilio::expected_signature("demo-twilio-auth-token", "https://sms.example.org" + target, {})}});
    EXPECT_TRUE(twilio_dialect().authenticate(req, twilio_channel()));
}

// ---------------------------------------------------------------------------------------------
// The webhook's fields

struct inbound_sample {
    const char* name;
    http::verb method;
    std::string target;
    const char* content_type;
    std::string body;
    const char* expected;
};

void PrintTo(const inbound_sample& s, std::ostream* os) {
    *os << s.name;
}

constexpr const char* form = "application/x-www-form-urlencoded; charset=UTF-8";

const inbound_sample inbound_samples[] = {
    {"webhook_as_twilio_posts_it", http::verb::post, "/channels/twilio/receive", form, webhook_body,
     "from=+97699000001 to=+97699000500 id=SM0123456789abcdef0123456789abcdef text=[ID ALT 2B 12 MINE]"},
    {"cyrillic_body_in_utf8", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000002&To=%2B97699000500&MessageSid=SM2&Body=%D0%98%D0%94+%D0%90L%D0%A2+1+%D0%A5%D2%AE%D2%AE+11",
     "from=+97699000002 to=+97699000500 id=SM2 text=[ИД АLТ 1 ХҮҮ 11]"},
    {"national_number_gets_the_country_code", http::verb::post, "/channels/twilio/receive", form,
     "From=99000003&To=500&MessageSid=SM3&Body=HELP", "from=+97699000003 to=500 id=SM3 text=[HELP]"},
    {"older_sid_names_are_read_when_message_sid_is_absent", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000004&SmsMessageSid=SM4&Body=HELP", "from=+97699000004 to= id=SM4 text=[HELP]"},
    {"empty_body_of_a_picture_message_is_an_empty_text", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000005&MessageSid=SM5&Body=&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%2F1"
     "&MediaContentType0=image%2Fjpeg",
     "from=+97699000005 to= id=SM5 text=[]"},
    {"repeated_fields_we_do_not_read_are_ignored", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000006&MessageSid=SM6&Body=NIL+ULT&AddOns=a&AddOns=b", "from=+97699000006 to= id=SM6 text=[NIL ULT]"},
    {"get_webhook_reads_the_query", http::verb::get,
     "/channels/twilio/receive?From=%2B97699000007&To=%2B97699000500&Body=NIL+ULT&MessageSid=SM7", "", "",
     "from=+97699000007 to=+97699000500 id=SM7 text=[NIL ULT]"},
    {"missing_from_is_a_bad_request", http::verb::post, "/channels/twilio/receive", form, "Body=HELP&MessageSid=SM8",
     "error 400: missing field 'From'"},
    {"missing_body_is_a_bad_request", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000009&MessageSid=SM9", "error 400: missing field 'Body'"},
    {"body_given_twice_is_a_bad_request", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000010&Body=NIL+ULT&Body=ID+ALT+2B+12+MINE", "error 400: field 'Body' is given more than once"},
    {"whatsapp_sender_is_a_bad_request", http::verb::post, "/channels/twilio/receive", form,
     "From=whatsapp%3A%2B97699000011&Body=HELP",
     "error 400: field 'From' is not a phone number (only SMS is taken on this channel)"},
    {"invalid_utf8_body_is_a_bad_request", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000012&Body=caf%E9", "error 400: field 'Body' is not valid UTF-8"},
    {"bad_percent_escape_is_a_bad_request", http::verb::post, "/channels/twilio/receive", form,
     "From=%2B97699000013&Body=%ZZ", "error 400: the form body is not valid application/x-www-form-urlencoded"},
    {"json_body_is_an_unsupported_media_type", http::verb::post, "/channels/twilio/receive", "application/json",
     R"({"From":"+97699000014","Body":"HELP"})",
     "error 415: Twilio posts application/x-www-form-urlencoded, not 'application/json'"},
    {"put_is_not_allowed", http::verb::put, "/channels/twilio/receive", form, "From=%2B97699000015&Body=HELP",
     "error 405: use POST (or GET, as the webhook's method in the console)"},
};

class twilio_inbound : public ::testing::TestWithParam<inbound_sample> {};

TEST_P(twilio_inbound, webhook_is_read_into_a_message) {
    const auto& s = GetParam();
    const auto req = make_request(s.method, s.target, s.content_type, s.body);
    EXPECT_EQ(describe(twilio_dialect().parse_inbound(req, twilio_channel())), s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, twilio_inbound, ::testing::ValuesIn(inbound_samples),
                         [](const auto& row) { return std::string(row.param.name); });

// ---------------------------------------------------------------------------------------------
// Status callbacks

struct status_sample {
    const char* name;
    std::string target;
    std::string body;
    const char* expected;
};

void PrintTo(const status_sample& s, std::ostream* os) {
    *os << s.name;
}

const status_sample status_samples[] = {
    {"queued_is_queued", "/channels/twilio/status?outbox=42", "MessageSid=SMa&MessageStatus=queued",
     "queued outbox=42 id=SMa detail=[queued]"},
    {"sending_is_queued", "/channels/twilio/status?outbox=42", "MessageSid=SMa&MessageStatus=sending",
     "queued outbox=42 id=SMa detail=[sending]"},
    {"accepted_by_a_messaging_service_is_queued", "/channels/twilio/status", "MessageSid=SMa&MessageStatus=accepted",
     "queued id=SMa detail=[accepted]"},
    {"sent_is_sent", "/channels/twilio/status?outbox=42", "MessageSid=SMa&MessageStatus=sent&SmsStatus=sent",
     "sent outbox=42 id=SMa detail=[sent]"},
    {"delivered_is_delivered", "/channels/twilio/status?outbox=42",
     "SmsSid=SMa&SmsStatus=delivered&MessageStatus=delivered&To=%2B97699000101&MessageSid=SMa"
     "&AccountSid=AC00000000000000000000000000000000&From=%2B15005550006&ApiVersion=2010-04-01",
     "delivered outbox=42 id=SMa detail=[delivered]"},
    {"undelivered_is_failed_with_the_error_explained", "/channels/twilio/status?outbox=42",
     "MessageSid=SMa&MessageStatus=undelivered&ErrorCode=30003",
     "failed outbox=42 id=SMa detail=[undelivered: error 30003 (unreachable destination handset)]"},
    {"failed_is_failed_with_an_unknown_error_code_as_a_number", "/channels/twilio/status?outbox=42",
     "MessageSid=SMa&MessageStatus=failed&ErrorCode=30999", "failed outbox=42 id=SMa detail=[failed: error 30999]"},
    {"canceled_is_failed", "/channels/twilio/status?outbox=42", "MessageSid=SMa&MessageStatus=canceled",
     "failed outbox=42 id=SMa detail=[canceled]"},
    {"without_our_outbox_id_the_sid_finds_the_row", "/channels/twilio/status",
     "MessageSid=SMb&MessageStatus=delivered", "delivered id=SMb detail=[delivered]"},
    {"unknown_status_is_a_bad_request", "/channels/twilio/status?outbox=42", "MessageSid=SMa&MessageStatus=received",
     "error 400: field 'MessageStatus' is not a status of a message sent through Twilio"},
    {"missing_status_is_a_bad_request", "/channels/twilio/status?outbox=42", "MessageSid=SMa",
     "error 400: missing field 'MessageStatus'"},
    {"neither_sid_nor_outbox_is_a_bad_request", "/channels/twilio/status", "MessageStatus=sent",
     "error 400: missing field 'MessageSid'"},
    {"bad_outbox_id_is_a_bad_request", "/channels/twilio/status?outbox=x", "MessageSid=SMa&MessageStatus=sent",
     "error 400: field 'outbox' is not an outbox id"},
};

class twilio_status : public ::testing::TestWithParam<status_sample> {};

TEST_P(twilio_status, callback_is_read_into_a_delivery_report) {
    const auto& s = GetParam();
    const auto req = make_request(http::verb::post, s.target, form, s.body);
    EXPECT_EQ(describe(twilio_dialect().parse_status(req, twilio_channel())), s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, twilio_status, ::testing::ValuesIn(status_samples),
                         [](const auto& row) { return std::string(row.param.name); });

// ---------------------------------------------------------------------------------------------
// TwiML answers

struct twiml_sample {
    const char* name;
    std::string reply;
    const char* expected_body;
};

void PrintTo(const twiml_sample& s, std::ostream* os) {
    *os << s.name;
}

const twiml_sample twiml_samples[] = {
    {"reply_is_one_message", "ID ok: 2 boys ~12 mining, shaft, at ALT.",
     R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>ID ok: 2 boys ~12 mining, shaft, at ALT.</Message></Response>)"},
    {"empty_reply_is_an_empty_response", "", R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)"},
    {"markup_characters_are_escaped", "a & b <c> \"d\" 'e'",
     R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</Message></Response>)"},
    {"cyrillic_stays_as_utf8", "Баярлалаа. Кейс 123458",
     R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>Баярлалаа. Кейс 123458</Message></Response>)"},
    {"control_characters_xml_cannot_carry_are_dropped", std::string("ID: unknown site A\x01L\x1b") + "T\nline",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>ID: unknown site ALT\nline</Message></Response>"},
    {"tag_in_the_reply_cannot_close_the_message", "</Message><Redirect>https://evil.example/</Redirect>",
     R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>&lt;/Message&gt;&lt;Redirect&gt;https://evil.example/&lt;/Redirect&gt;</Message></Response>)"},
};

class twilio_twiml : public ::testing::TestWithParam<twiml_sample> {};

TEST_P(twilio_twiml, stored_message_is_answered_with_twiml) {
    const auto& s = GetParam();
    const auto req = make_request(http::verb::post, "/channels/twilio/receive", form, webhook_body);
    const response res = twilio_dialect().stored(req, 42, "accepted", s.reply);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res[http::field::content_type], "text/xml; charset=utf-8");
    EXPECT_EQ(res.body(), s.expected_body);
}

INSTANTIATE_TEST_SUITE_P(samples, twilio_twiml, ::testing::ValuesIn(twiml_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(twilio_answers, unauthorized_explains_what_the_signature_is_checked_against) {
    const auto req = make_request(http::verb::post, "/channels/twilio/receive", form, webhook_body);
    const response res = twilio_dialect().failed(req, http::status::unauthorized, "missing or wrong secret");
    EXPECT_EQ(res.result(), http::status::unauthorized);
    EXPECT_EQ(res[http::field::www_authenticate], "X-Twilio-Signature");
    EXPECT_NE(res.body().find("public_url"), std::string::npos) << res.body();
    EXPECT_NE(res.body().find("auth_token"), std::string::npos) << res.body();
}

TEST(twilio_answers, store_failure_is_a_503_with_retry_after) {
    const auto req = make_request(http::verb::post, "/channels/twilio/receive", form, webhook_body);
    const response res = twilio_dialect().failed(req, http::status::service_unavailable, "message not stored; retry later");
    EXPECT_EQ(res.result(), http::status::service_unavailable);
    EXPECT_EQ(res[http::field::retry_after], "5");
    EXPECT_EQ(res.body(), "message not stored; retry later\n");
}

TEST(twilio_answers, method_not_allowed_names_post_and_get) {
    const auto req = make_request(http::verb::put, "/channels/twilio/receive");
    const response res = twilio_dialect().failed(req, {errc::method_not_allowed, "use POST"});
    EXPECT_EQ(res[http::field::allow], "POST, GET");
}

TEST(twilio_answers, replies_go_back_in_the_answer_and_there_is_no_ussd) {
    EXPECT_TRUE(twilio_dialect().replies_in_answer());
    const auto req = make_request(http::verb::post, "/channels/twilio/ussd", form, "");
    const auto r = twilio_dialect().parse_ussd(req, twilio_channel());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::not_supported);
}

} // namespace
} // namespace kharuul::adapters
