// Reading provider requests: form fields through Boost.URL, media types, bearer tokens, the
// secret comparison, timestamps, and the charset conversions of SMS text.
#include "adapters/charset.hpp"
#include "adapters/http_input.hpp"

#include "tests/adapters/request_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

TEST(form_fields, plus_is_a_space_and_percent_2b_is_a_plus) {
    const auto form = form_fields::parse("a=%2B97699000001&b=+97699000001&c=ID+ALT%20X");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("a"), "+97699000001");
    EXPECT_EQ(form->get("b"), " 97699000001");
    EXPECT_EQ(form->get("c"), "ID ALT X");
}

TEST(form_fields, percent_escapes_decode_to_raw_bytes) {
    const auto form = form_fields::parse("t=%D0%98%04%00&k%65y=v");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("t"), std::string("\xD0\x98\x04\x00", 4));
    EXPECT_EQ(form->get("key"), "v");
}

TEST(form_fields, absent_empty_and_valueless_fields_differ) {
    const auto form = form_fields::parse("empty=&bare&&x=1&");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("empty"), "");
    EXPECT_EQ(form->get("bare"), "");
    EXPECT_EQ(form->get("absent"), std::nullopt);
    EXPECT_TRUE(form->contains("x"));
    EXPECT_EQ(form->get("X"), std::nullopt) << "names are case-sensitive";
}

TEST(form_fields, repeated_name_is_reported_and_get_still_answers_the_first) {
    const auto form = form_fields::parse("b=0&a=1&c=&a=2");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->repeated(), "a");
    EXPECT_EQ(form->get("a"), "1");
}

TEST(form_fields, names_given_once_each_report_no_repeat) {
    EXPECT_EQ(form_fields::parse("a=1&A=2&b&&ab=3")->repeated(), std::nullopt) << "names are case-sensitive";
    EXPECT_EQ(form_fields::parse("")->repeated(), std::nullopt);
}

TEST(form_fields, a_valueless_name_given_twice_is_a_repeat) {
    EXPECT_EQ(form_fields::parse("from=1&text&text=")->repeated(), "text");
}

TEST(repeated_field_reason, names_a_plain_field_and_hides_anything_else) {
    EXPECT_EQ(repeated_field_reason("text"), "field 'text' is given more than once");
    EXPECT_EQ(repeated_field_reason("X-Kannel-From"), "field 'X-Kannel-From' is given more than once");
    EXPECT_EQ(repeated_field_reason(std::string("te\0xt", 5)), "a field is given more than once");
    EXPECT_EQ(repeated_field_reason("it's"), "a field is given more than once");
    EXPECT_EQ(repeated_field_reason(std::string(33, 'a')), "a field is given more than once");
    EXPECT_EQ(repeated_field_reason(""), "a field is given more than once");
}

TEST(form_fields, last_value_ends_where_the_view_ends_without_a_nul) {
    // A request target inside Beast's header buffer runs on into the next header.
    const std::string buffer = "from=%2B97699000001&text=HELP\r\nContent-Type: text/plain";
    const auto form = form_fields::parse(std::string_view(buffer).substr(0, buffer.find('\r')));
    ASSERT_TRUE(form);
    EXPECT_EQ(form->get("text"), "HELP");
}

TEST(form_fields, empty_input_is_an_empty_form) {
    const auto form = form_fields::parse("");
    ASSERT_TRUE(form);
    EXPECT_FALSE(form->contains(""));
}

TEST(form_fields, bad_percent_escapes_are_refused) {
    EXPECT_FALSE(form_fields::parse("a=%ZZ"));
    EXPECT_FALSE(form_fields::parse("a=%4"));
}

TEST(http_input, query_is_what_follows_the_question_mark) {
    EXPECT_EQ(query_of("/channels/kannel/receive?from=1&text=x"), "from=1&text=x");
    EXPECT_EQ(query_of("/channels/kannel/receive"), "");
    EXPECT_EQ(query_of("/a?b=1#frag"), "b=1");
    EXPECT_EQ(query_of("/a?"), "");
}

TEST(http_input, media_type_is_lower_cased_without_parameters) {
    EXPECT_EQ(media_type("Application/JSON; charset=utf-8"), "application/json");
    EXPECT_EQ(media_type(" text/plain "), "text/plain");
    EXPECT_EQ(media_type(""), "");
}

TEST(http_input, media_type_parameter_is_unquoted_and_found_case_insensitively) {
    EXPECT_EQ(media_type_parameter("text/plain; charset=\"UTF-16BE\"", "charset"), "UTF-16BE");
    EXPECT_EQ(media_type_parameter("text/plain;Charset=ISO-8859-1", "charset"), "ISO-8859-1");
    EXPECT_EQ(media_type_parameter("text/plain; format=flowed; charset=utf-8", "charset"), "utf-8");
    EXPECT_EQ(media_type_parameter("text/plain", "charset"), "");
}

TEST(http_input, bearer_token_needs_the_bearer_scheme) {
    EXPECT_EQ(bearer_token("Bearer s3cret"), "s3cret");
    EXPECT_EQ(bearer_token("bearer   s3cret "), "s3cret");
    EXPECT_EQ(bearer_token("Basic czNjcmV0"), std::nullopt);
    EXPECT_EQ(bearer_token("Bearers3cret"), std::nullopt);
    EXPECT_EQ(bearer_token("Bearer"), std::nullopt);
}

TEST(http_input, constant_time_equality_is_equality) {
    EXPECT_TRUE(constant_time_equals("s3cret", "s3cret"));
    EXPECT_FALSE(constant_time_equals("s3cret", "s3creT"));
    EXPECT_FALSE(constant_time_equals("s3cre", "s3cret"));
    EXPECT_FALSE(constant_time_equals("s3crets3cret", "s3cret"));
    EXPECT_FALSE(constant_time_equals("", "s3cret"));
    EXPECT_FALSE(constant_time_equals("s3cret", ""));
    EXPECT_TRUE(constant_time_equals("", ""));
}

struct time_sample {
    const char* name;
    const char* input;
    const char* expected; // "" = refused
};

void PrintTo(const time_sample& s, std::ostream* os) {
    *os << s.name;
}

const time_sample time_samples[] = {
    {"unix_seconds", "1714566896", "2024-05-01T12:34:56Z"},
    {"iso_8601_utc", "2024-05-01T12:34:56Z", "2024-05-01T12:34:56Z"},
    {"iso_8601_with_fraction", "2024-05-01T12:34:56.789Z", "2024-05-01T12:34:56Z"},
    {"iso_8601_with_positive_offset", "2024-05-01T20:34:56+08:00", "2024-05-01T12:34:56Z"},
    {"iso_8601_with_compact_negative_offset", "2024-05-01T07:34:56-0500", "2024-05-01T12:34:56Z"},
    {"iso_8601_without_offset_is_utc", "2024-05-01T12:34:56", "2024-05-01T12:34:56Z"},
    {"kannel_t_with_space_and_seconds", "2024-05-01 12:34:56", "2024-05-01T12:34:56Z"},
    {"kannel_t_without_seconds", "2024-05-01 12:34", "2024-05-01T12:34:00Z"},
    {"offset_crossing_midnight", "2024-05-01T01:00:00+08:00", "2024-04-30T17:00:00Z"},
    {"leap_day", "2024-02-29T00:00:00Z", "2024-02-29T00:00:00Z"},
    {"impossible_date_is_refused", "2023-02-29T00:00:00Z", ""},
    {"hour_24_is_refused", "2024-05-01T24:00:00Z", ""},
    {"date_alone_is_refused", "2024-05-01", ""},
    {"day_first_date_is_refused", "01/05/2024 12:34", ""},
    {"milliseconds_are_refused", "1714566896000", ""},
    {"before_1970_is_refused", "1969-12-31 23:59:59", ""},
    {"negative_unix_seconds_are_refused", "-1", ""},
    {"trailing_garbage_is_refused", "2024-05-01T12:34:56Zx", ""},
    {"empty_is_refused", "", ""},
};

class timestamp_table : public ::testing::TestWithParam<time_sample> {};

TEST_P(timestamp_table, timestamp_reads_as_expected) {
    const auto t = parse_timestamp(GetParam().input);
    EXPECT_EQ(t ? testing::iso(*t) : std::string(), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(samples, timestamp_table, ::testing::ValuesIn(time_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(charset, strict_utf8_refuses_overlongs_surrogates_and_truncation) {
    EXPECT_TRUE(is_valid_utf8("ИД ALT Ү \xEF\xBF\xBD"));
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));     // a surrogate
    EXPECT_FALSE(is_valid_utf8("\xD0"));             // truncated
    EXPECT_FALSE(is_valid_utf8("caf\xE9"));          // Latin-1
    EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // past U+10FFFF
}

TEST(charset, utf16be_decodes_bmp_and_surrogate_pairs) {
    EXPECT_EQ(utf16be_to_utf8(std::string("\x04\x18\x04\x14\x00\x20\x04\xAE", 8)), "ИД Ү");
    EXPECT_EQ(utf16be_to_utf8(std::string("\xD8\x3D\xDE\x00", 4)), "\xF0\x9F\x98\x80"); // U+1F600
    EXPECT_EQ(utf16be_to_utf8(""), "");
}

TEST(charset, utf16be_lone_surrogates_become_replacement_characters) {
    EXPECT_EQ(utf16be_to_utf8(std::string("\x00\x41\xD8\x3D", 4)), "A\xEF\xBF\xBD");
    EXPECT_EQ(utf16be_to_utf8(std::string("\xDE\x00\x00\x41", 4)), "\xEF\xBF\xBD"
                                                                   "A");
}

TEST(charset, utf16be_with_an_odd_number_of_bytes_is_refused) {
    EXPECT_EQ(utf16be_to_utf8(std::string("\x04\x18\x04", 3)), std::nullopt);
}

TEST(charset, latin1_maps_each_byte_to_its_code_point) {
    EXPECT_EQ(latin1_to_utf8("caf\xE9 \xC7\x80"), "café Ç\xC2\x80");
}

TEST(charset, windows_1252_maps_its_high_block_to_punctuation) {
    EXPECT_EQ(cp1252_to_utf8("\x80 \x93x\x94 \x96 \xE9 \x81"), "€ “x” – é \xEF\xBF\xBD");
}

} // namespace
} // namespace kharuul::adapters
