// Phone number normalisation over numbers as providers send them.
#include "adapters/phone.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

struct sample {
    const char* name;
    const char* input;
    const char* expected;
};

void PrintTo(const sample& s, std::ostream* os) {
    *os << s.name;
}

const sample samples[] = {
    {"international_number_stays_unchanged", "+97699000001", "+97699000001"},
    {"number_with_country_code_but_no_plus_gets_a_plus", "97699000002", "+97699000002"},
    {"double_zero_prefix_becomes_plus", "0097699000003", "+97699000003"},
    {"spaces_and_dashes_are_dropped", "+976 9900-0004", "+97699000004"},
    {"dots_and_parentheses_are_dropped", "(976) 9900.0005", "+97699000005"},
    {"plus_decoded_to_a_space_is_trimmed_and_restored", " 97699000006", "+97699000006"},
    {"surrounding_whitespace_is_trimmed", "\t+97699000007 \r\n", "+97699000007"},
    {"short_code_stays", "500", "500"},
    {"five_digit_short_code_stays", "14444", "14444"},
    {"national_number_without_country_code_stays", "99000008", "99000008"},
    {"double_zero_always_reads_as_international", "0099000009", "+99000009"},
    {"number_with_leading_single_zero_stays", "09900001001", "09900001001"},
    {"too_long_for_e164_stays_digits", "9769900000101234", "9769900000101234"},
    {"alphanumeric_sender_stays", "MobiCom", "MobiCom"},
    {"alphanumeric_sender_with_spaces_stays_trimmed", " Unitel Info ", "Unitel Info"},
    {"plus_in_the_middle_is_not_a_number", "976+99000010", "976+99000010"},
    {"empty_stays_empty", "", ""},
    {"only_separators_stay", " - ", "-"},
};

class phone_table : public ::testing::TestWithParam<sample> {};

TEST_P(phone_table, number_normalises_as_expected) {
    EXPECT_EQ(normalise_phone(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(samples, phone_table, ::testing::ValuesIn(samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(phone, normalising_twice_changes_nothing_more) {
    for (const sample& s : samples) {
        const std::string once = normalise_phone(s.input);
        EXPECT_EQ(normalise_phone(once), once) << s.name;
    }
}

struct sender_sample {
    const char* name;
    std::string normalised;
    bool accepted;
};

void PrintTo(const sender_sample& s, std::ostream* os) {
    *os << s.name;
}

const sender_sample sender_samples[] = {
    {"e164_number_is_a_sender", "+97699000001", true},
    {"e164_number_of_eight_digits_is_a_sender", "+99000009", true},
    {"e164_number_of_fifteen_digits_is_a_sender", "+123456789012345", true},
    {"national_number_is_a_sender", "99000008", true},
    {"national_number_with_trunk_zero_is_a_sender", "09900001001", true},
    {"three_digit_short_code_is_a_sender", "500", true},
    {"six_digit_short_code_is_a_sender", "144440", true},
    {"fifteen_digits_without_plus_are_a_sender", "012345678901234", true},
    {"e164_number_of_seven_digits_is_no_sender", "+9900001", false},
    {"e164_number_of_sixteen_digits_is_no_sender", "+1234567890123456", false},
    {"e164_number_with_a_zero_country_code_is_no_sender", "+0976990000", false},
    {"sixteen_digits_without_plus_are_no_sender", "0123456789012345", false},
    {"five_thousand_digits_are_no_sender", std::string(5000, '9'), false},
    {"two_digits_are_no_sender", "12", false},
    {"letters_are_no_sender", "ABCDEF", false},
    {"sender_name_is_no_sender", "MobiCom", false},
    {"digits_with_a_letter_are_no_sender", "+97699000a01", false},
    {"number_with_a_nul_is_no_sender", std::string("+976") + '\0' + "99000001", false},
    {"plus_alone_is_no_sender", "+", false},
    {"empty_is_no_sender", "", false},
};

class sender_table : public ::testing::TestWithParam<sender_sample> {};

TEST_P(sender_table, normalised_number_is_or_is_not_a_sender) {
    EXPECT_EQ(is_sender_number(GetParam().normalised), GetParam().accepted);
}

INSTANTIATE_TEST_SUITE_P(samples, sender_table, ::testing::ValuesIn(sender_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(phone, every_number_that_normalises_to_e164_or_digits_within_limits_is_a_sender) {
    for (const char* raw :
         {"+97699000001", "97699000002", "0097699000003", "+976 9900-0004", "500", "99000008"})
        EXPECT_TRUE(is_sender_number(normalise_phone(raw))) << raw;
    for (const char* raw : {"MobiCom", " Unitel Info ", "976+99000010", " - ", ""})
        EXPECT_FALSE(is_sender_number(normalise_phone(raw))) << raw;
}

} // namespace
} // namespace kharuul::adapters
