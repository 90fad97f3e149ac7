// Hostile input as anyone who can reach /channels/*/receive may send it (issue 9, items 11 and
// 12): senders that are no phone number, NUL and other control characters, fields given twice.
// Every row runs through the generic dialect's form and JSON bodies, Kannel's get-url and Africa's
// Talking's SMS callback, which must answer it the same way.
#include "adapters/charset.hpp"
#include "adapters/dialect.hpp"
#include "adapters/http_input.hpp"
#include "adapters/phone.hpp"

#include "tests/adapters/request_samples.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace kharuul::adapters {
namespace {

using testing::make_request;
using field_list = std::vector<std::pair<std::string, std::string>>;

constexpr const char* form = "application/x-www-form-urlencoded";
constexpr const char* json = "application/json";

// Every byte but the unreserved ones percent-encoded, so that NUL and '+' survive.
std::string percent_encode(const std::string& s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : s) {
        const auto b = static_cast<unsigned char>(c);
        if ((b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '-' ||
            b == '_' || b == '.') {
            out.push_back(c);
        } else {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 15];
        }
    }
    return out;
}

std::string form_of(const field_list& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        out += (out.empty() ? "" : "&") + percent_encode(name) + '=' + percent_encode(value);
    }
    return out;
}

// A JSON object written member by member, so that a key may appear twice.
std::string json_of(const field_list& fields) {
    std::string out = "{";
    for (const auto& [name, value] : fields) {
        out += (out.size() > 1 ? "," : "") + boost::json::serialize(boost::json::string(name)) + ':' +
               boost::json::serialize(boost::json::string(value));
    }
    return out + '}';
}

// The fields through each dialect and body kind, each read as describe() shows it.
struct three_ways {
    std::string generic_form, generic_json, kannel_get, africastalking_form;
};

three_ways read_three_ways(const field_list& fields) {
    const auto generic = [&](const char* type, std::string body) {
        return testing::describe(find_dialect("generic")->parse_inbound(
            make_request(http::verb::post, "/channels/web/receive?secret=s3cret", type, std::move(body)),
            testing::channel("web", "generic")));
    };
    const std::string kannel = testing::describe(find_dialect("kannel")->parse_inbound(
        make_request(http::verb::get, "/channels/kannel/receive?secret=s3cret&" + form_of(fields)),
        testing::channel("kannel", "kannel")));
    const std::string africastalking = testing::describe(find_dialect("africastalking")->parse_inbound(
        make_request(http::verb::post, "/channels/at/receive?secret=s3cret", form, form_of(fields)),
        testing::channel("at", "africastalking")));
    return {generic(form, form_of(fields)), generic(json, json_of(fields)), kannel, africastalking};
}

// ---------------------------------------------------------------------------------------------
// Item 11: a sender must be a phone number.

struct sender_sample {
    const char* name;
    std::string from;
    std::string expected; // "from=..." as read, or "error 400: ..."
};

void PrintTo(const sender_sample& s, std::ostream* os) {
    *os << s.name;
}

const std::string not_a_number = "error 400: field 'from' is not a phone number";

const sender_sample sender_samples[] = {
    {"an_e164_number_is_accepted", "+97699000001", "from=+97699000001"},
    {"an_e164_number_without_its_plus_is_accepted_with_one", "97699000002", "from=+97699000002"},
    {"a_national_number_is_accepted_as_the_network_passes_it", "99000003", "from=99000003"},
    {"a_national_number_with_its_trunk_zero_is_accepted", "09900001004", "from=09900001004"},
    {"a_short_code_is_accepted", "500", "from=500"},
    {"a_six_digit_short_code_is_accepted", "123456", "from=123456"},
    {"letters_are_refused", "ABCDEF", not_a_number},
    {"a_sender_name_is_refused", "MobiCom", not_a_number},
    {"five_thousand_digits_are_refused", std::string(5000, '9'), not_a_number},
    {"sixteen_digits_after_a_plus_are_refused", "+9769900000101234", not_a_number},
    {"sixteen_digits_without_a_plus_are_refused", "0976990000010123", not_a_number},
    {"two_digits_are_refused", "12", not_a_number},
    {"a_plus_and_seven_digits_are_refused", "+9900001", not_a_number},
    {"a_country_code_starting_with_zero_is_refused", "+0976990000", not_a_number},
    {"a_nul_inside_a_number_is_refused", std::string("+976") + '\0' + "99000005", not_a_number},
    {"a_trailing_nul_is_refused", std::string("+97699000006\0", 13), not_a_number},
    {"a_control_character_inside_a_number_is_refused",
     "+976\x01"
     "99000007",
     not_a_number},
};

class sender_check : public ::testing::TestWithParam<sender_sample> {};

TEST_P(sender_check, sender_reads_the_same_in_every_dialect) {
    const sender_sample& s = GetParam();
    const bool accepted = !s.expected.starts_with("error");
    const std::string expected = accepted ? s.expected + " to= text=[HELP]" : s.expected;
    const three_ways r = read_three_ways({{"from", s.from}, {"text", "HELP"}});
    EXPECT_EQ(r.generic_form, expected);
    EXPECT_EQ(r.generic_json, expected);
    EXPECT_EQ(r.kannel_get, expected);
    EXPECT_EQ(r.africastalking_form, expected);
}

INSTANTIATE_TEST_SUITE_P(samples, sender_check, ::testing::ValuesIn(sender_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(sender_check, refusal_reason_quotes_nothing_of_the_sender) {
    const three_ways r =
        read_three_ways({{"from", std::string("+976990000") + '\0' + "08"}, {"text", "HELP"}});
    for (const std::string& s : {r.generic_form, r.generic_json, r.kannel_get, r.africastalking_form}) {
        EXPECT_EQ(s.find("99000"), std::string::npos) << s;
        EXPECT_EQ(s.find('\0'), std::string::npos) << s;
    }
}

TEST(sender_check, a_json_number_for_from_is_still_a_phone_number) {
    const auto r =
        find_dialect("generic")->parse_inbound(make_request(http::verb::post, "/channels/web/receive", json,
                                                            R"({"from":97699000009,"text":"HELP"})"),
                                               testing::channel("web", "generic"));
    ASSERT_TRUE(r) << r.error().reason;
    EXPECT_EQ(r->from, "+97699000009");
}

TEST(sender_check, a_post_url_sender_header_with_letters_is_refused) {
    const auto r = find_dialect("kannel")->parse_inbound(
        make_request(http::verb::post, "/channels/kannel/receive?secret=s3cret", "text/plain", "HELP",
                     {{"X-Kannel-From", "ABCDEF"}}),
        testing::channel("kannel", "kannel"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "field 'from' is not a phone number");
}

// ---------------------------------------------------------------------------------------------
// Item 11: control characters in the text are kept as received; the parser sees them removed.

TEST(message_text, a_nul_in_the_text_is_kept_as_received_by_every_dialect) {
    const std::string text("ID\0 ALT 2B 12 MINE", 18);
    const three_ways r = read_three_ways({{"from", "+97699000010"}, {"text", text}});
    const std::string expected = "from=+97699000010 to= text=[" + text + "]";
    EXPECT_EQ(r.generic_form, expected);
    EXPECT_EQ(r.generic_json, expected);
    EXPECT_EQ(r.kannel_get, expected);
    EXPECT_EQ(r.africastalking_form, expected);
}

struct strip_sample {
    const char* name;
    std::string text;
    std::string expected;
};

void PrintTo(const strip_sample& s, std::ostream* os) {
    *os << s.name;
}

const strip_sample strip_samples[] = {
    {"a_control_character_after_the_keyword_is_removed", "ID\x01 ALT 2B 12 MINE", "ID ALT 2B 12 MINE"},
    {"a_nul_inside_the_keyword_is_removed", std::string("I\0D ALT", 7), "ID ALT"},
    {"escape_and_delete_are_removed", "NIL\x1B ALT\x7F", "NIL ALT"},
    {"c1_controls_are_removed",
     "NIL \xC2\x80"
     "ALT\xC2\x9F",
     "NIL ALT"},
    {"tabs_and_line_breaks_stay", "NIL\tALT\r\n# a\vb\fc", "NIL\tALT\r\n# a\vb\fc"},
    {"cyrillic_and_latin1_letters_stay",
     "ИД АLТ \xC2\xA0"
     "é",
     "ИД АLТ \xC2\xA0"
     "é"},
    {"invalid_utf8_stays_byte_for_byte", "caf\xE9 \xC2", "caf\xE9 \xC2"},
    {"text_of_only_control_characters_becomes_empty", std::string("\0\x01\x02", 3), ""},
};

class control_characters : public ::testing::TestWithParam<strip_sample> {};

TEST_P(control_characters, text_reads_as_expected_for_the_parser) {
    EXPECT_EQ(strip_control_characters(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(samples, control_characters, ::testing::ValuesIn(strip_samples),
                         [](const auto& row) { return std::string(row.param.name); });

// ---------------------------------------------------------------------------------------------
// Item 12: a field given twice is refused, in every dialect with the same reason.

struct repeat_sample {
    const char* name;
    field_list fields;
    const char* expected;
};

void PrintTo(const repeat_sample& s, std::ostream* os) {
    *os << s.name;
}

const repeat_sample repeat_samples[] = {
    {"repeated_text_is_refused",
     {{"from", "+97699000011"}, {"text", "NIL ALT"}, {"text", "ID ALT 2B 12 MINE"}},
     "error 400: field 'text' is given more than once"},
    {"repeated_text_with_the_same_value_is_refused",
     {{"from", "+97699000012"}, {"text", "HELP"}, {"text", "HELP"}},
     "error 400: field 'text' is given more than once"},
    {"repeated_from_is_refused",
     {{"from", "+97699000013"}, {"text", "HELP"}, {"from", "+97699000001"}},
     "error 400: field 'from' is given more than once"},
    {"repeated_id_is_refused",
     {{"from", "+97699000014"}, {"text", "HELP"}, {"id", "a"}, {"id", "b"}},
     "error 400: field 'id' is given more than once"},
    {"repeated_empty_text_is_refused",
     {{"from", "+97699000015"}, {"text", ""}, {"text", ""}},
     "error 400: field 'text' is given more than once"},
    {"a_repeated_field_the_dialect_does_not_read_is_refused_too",
     {{"from", "+97699000016"}, {"text", "HELP"}, {"extra", "1"}, {"extra", "2"}},
     "error 400: field 'extra' is given more than once"},
    {"a_repeated_name_with_control_characters_is_not_quoted",
     {{"from", "+97699000017"},
      {"text", "HELP"},
      {std::string("x\0y", 3), "1"},
      {std::string("x\0y", 3), "2"}},
     "error 400: a field is given more than once"},
    {"fields_given_once_each_are_read",
     {{"from", "+97699000018"}, {"text", "HELP"}, {"id", "m-18"}},
     "from=+97699000018 to= id=m-18 text=[HELP]"},
};

class repeated_field : public ::testing::TestWithParam<repeat_sample> {};

TEST_P(repeated_field, request_reads_the_same_in_every_dialect) {
    const repeat_sample& s = GetParam();
    const three_ways r = read_three_ways(s.fields);
    EXPECT_EQ(r.generic_form, s.expected);
    EXPECT_EQ(r.generic_json, s.expected);
    EXPECT_EQ(r.kannel_get, s.expected);
    EXPECT_EQ(r.africastalking_form, s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, repeated_field, ::testing::ValuesIn(repeat_samples),
                         [](const auto& row) { return std::string(row.param.name); });

struct json_sample {
    const char* name;
    const char* body;
    const char* expected;
};

void PrintTo(const json_sample& s, std::ostream* os) {
    *os << s.name;
}

const json_sample json_samples[] = {
    {"a_key_twice_in_a_nested_object_is_refused",
     R"({"from":"+97699000020","text":"HELP","meta":{"a":1,"a":2}})",
     "error 400: field 'a' is given more than once"},
    {"a_key_twice_in_an_object_inside_an_array_is_refused",
     R"({"from":"+97699000021","text":"HELP","parts":[{"n":1},{"n":2,"n":3}]})",
     "error 400: field 'n' is given more than once"},
    {"a_key_twice_after_a_nested_object_closes_is_refused",
     R"({"from":"+97699000022","meta":{"text":"x"},"text":"HELP","text":"NIL ALT"})",
     "error 400: field 'text' is given more than once"},
    {"the_same_key_spelt_with_an_escape_is_the_same_key",
     R"({"from":"+97699000023","text":"HELP","te\u0078t":"NIL ALT"})",
     "error 400: field 'text' is given more than once"},
    {"the_empty_key_twice_is_refused", R"({"from":"+97699000024","text":"HELP","":1,"":2})",
     "error 400: a field is given more than once"},
    {"the_same_key_in_sibling_objects_is_no_repeat",
     R"({"from":"+97699000025","text":"HELP","a":{"text":1},"b":{"text":2}})",
     "from=+97699000025 to= text=[HELP]"},
    {"the_message_key_inside_a_nested_object_is_no_repeat",
     R"({"from":"+97699000026","meta":{"from":"x","text":"y"},"text":"HELP"})",
     "from=+97699000026 to= text=[HELP]"},
};

class json_keys : public ::testing::TestWithParam<json_sample> {};

TEST_P(json_keys, json_body_reads_as_expected) {
    const json_sample& s = GetParam();
    const auto r = find_dialect("generic")->parse_inbound(
        make_request(http::verb::post, "/channels/web/receive", json, s.body),
        testing::channel("web", "generic"));
    EXPECT_EQ(testing::describe(r), s.expected);
}

INSTANTIATE_TEST_SUITE_P(samples, json_keys, ::testing::ValuesIn(json_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(json_keys, json_that_is_cut_short_is_still_named_as_invalid_json) {
    const auto r = find_dialect("generic")->parse_inbound(
        make_request(http::verb::post, "/channels/web/receive", json, R"({"from":"+97699000027","text":)"),
        testing::channel("web", "generic"));
    ASSERT_FALSE(r);
    EXPECT_TRUE(r.error().reason.starts_with("the body is not valid JSON: ")) << r.error().reason;
}

TEST(repeated_field, a_repeated_x_kannel_from_header_on_post_url_is_refused) {
    request req =
        make_request(http::verb::post, "/channels/kannel/receive?secret=s3cret", "text/plain", "HELP");
    req.insert("X-Kannel-From", "+97699000030");
    req.insert("X-Kannel-From", "+97699000001");
    const auto r = find_dialect("kannel")->parse_inbound(req, testing::channel("kannel", "kannel"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "field 'X-Kannel-From' is given more than once");
}

TEST(repeated_field, a_kannel_delivery_report_with_a_repeated_type_is_refused) {
    const auto r = find_dialect("kannel")->parse_status(
        make_request(http::verb::get, "/channels/kannel/status?secret=s3cret&outbox=1&type=1&type=16"),
        testing::channel("kannel", "kannel"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "field 'type' is given more than once");
}

} // namespace
} // namespace kharuul::adapters
