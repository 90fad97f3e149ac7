// Tests of parser/phone.hpp: the one masking rule, over numbers of every length from 1 to 16
// digits with and without '+', and the one E.164 rule the configuration and `reporter add` share.
#include "parser/phone.hpp"
#include "tests/support/e164_samples.hpp"
#include "tests/support/phone_samples.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

using namespace kharuul::parser;

namespace {

struct mask_row {
    std::string_view phone;
    std::string_view masked;
};

std::size_t digit_count(std::string_view s) {
    return static_cast<std::size_t>(std::ranges::count_if(s, [](char c) { return c >= '0' && c <= '9'; }));
}

} // namespace

TEST(mask_phone, shows_the_country_code_and_at_most_the_last_four_digits) {
    const mask_row rows[] = {
        {"+97699112233", "+976****2233"},   // Mongolia: a three-digit country code
        {"+976 9911-2233", "+976****2233"}, // spaces and dashes as typed in a file
        {"+976 (99) 11.22.33", "+976****2233"},
        {"+15551234567", "+1****4567"}, // one-digit country code: no digit of the number with it
        {"+74951234567", "+7****4567"},
        {"+447700900123", "+44****0123"}, // two-digit country code
        {"+8613800138000", "+86****8000"},
        {"+0123456789", "+****6789"},         // no country code starts with 0: none shown
        {"+1234567890123456", "+1****3456"},  // 16 digits, longer than E.164 allows
        {"+97612345678901", "+976****8901"},  // 14 digits
        {"+976123456789012", "+976****9012"}, // 15 digits
        {"99112233", "****2233"},             // national format: no country code
        {"97699112233", "****2233"},          // no '+': the country code is not known as one
        {"1234567890123456", "****3456"},     // 16 digits
        {"1234567", "****567"},               // 7 digits: three is less than half
        {"+9761234", "+976****34"},           // 7 digits: four after the country code keep two
        {"+97612345", "+976****45"},          // 8 digits: five after the country code keep two
        {"+976123456", "+976****456"},        // 9 digits: six after the country code keep three
        {"", ""},
        {"abc", ""},
    };
    for (const auto& r : rows)
        EXPECT_EQ(mask_phone(r.phone), r.masked) << r.phone;
}

TEST(mask_phone, shows_only_the_last_two_digits_of_a_number_of_six_digits_or_fewer) {
    const mask_row rows[] = {
        {"500", "****0"}, // a short code: two of three would be more than half
        {"1", "****"},        {"12", "****2"},    {"1234", "****34"},  {"12345", "****45"},
        {"123456", "****56"}, {"+500", "****0"},  {"+1234", "****34"}, {"+976123", "****23"},
        {"+12345", "****45"}, {"+1 23", "****3"},
    };
    for (const auto& r : rows)
        EXPECT_EQ(mask_phone(r.phone), r.masked) << r.phone;
}

// Every length from 1 to 16 digits, with and without '+', with each first digit: the country
// code shown has at most three digits, the stars are always four, and never more than half of the
// digits after the country code (of all of them for 6 or fewer) are shown.
TEST(mask_phone, never_shows_more_than_half_of_the_number_at_any_length) {
    for (std::size_t n = 1; n <= 16; ++n) {
        for (char first = '0'; first <= '9'; ++first) {
            std::string digits(1, first);
            for (std::size_t i = 1; i < n; ++i)
                digits += static_cast<char>('0' + (i * 7 + 3) % 10);
            for (const bool plus : {false, true}) {
                const std::string phone = (plus ? "+" : "") + digits;
                const std::string masked = mask_phone(phone);
                SCOPED_TRACE(phone + " -> " + masked);
                const auto stars = masked.find("****");
                ASSERT_NE(stars, std::string::npos);
                EXPECT_EQ(masked.find('*', stars + 4), std::string::npos);
                const std::string_view head = std::string_view(masked).substr(0, stars);
                const std::string_view tail = std::string_view(masked).substr(stars + 4);
                EXPECT_TRUE(digits.ends_with(tail));
                if (n <= 6) {
                    EXPECT_TRUE(head.empty());
                    EXPECT_LE(tail.size(), 2u);
                    EXPECT_LE(tail.size() * 2, n);
                } else {
                    EXPECT_EQ(head.starts_with('+'), plus);
                    const std::size_t cc = digit_count(head);
                    EXPECT_LE(cc, 3u);
                    EXPECT_TRUE(digits.starts_with(head.substr(plus ? 1 : 0)));
                    EXPECT_LE(tail.size(), 4u);
                    EXPECT_LE(tail.size() * 2, n - cc);
                    EXPECT_GE(tail.size(), 2u); // still tells two numbers apart
                }
            }
        }
    }
}

// The table the configuration and `kharuul reporter add` are held to as well, then forms that only
// a normalising caller may turn into a number.
TEST(is_e164, takes_a_plus_a_non_zero_digit_and_8_to_15_digits_in_all) {
    for (const auto& r : kharuul::test::e164_samples)
        EXPECT_EQ(is_e164(r.phone), r.valid) << r.phone;
    for (std::string_view typed : {"97699000001", "0097699000001", "+976 99000001", "+976-99000001",
                                   "+97699000001 ", " +97699000001", ""})
        EXPECT_FALSE(is_e164(typed)) << typed;
}

// ---- normalise_phone: every shape a number arrives in, with and without a country ------------

TEST(normalise_phone, gives_each_typed_number_the_registry_form_with_the_deployments_country) {
    for (const auto& s : kharuul::test::typed_phones) {
        const std::string got = normalise_phone(s.typed, s.country_code);
        EXPECT_EQ(got, s.normalised) << "'" << s.typed << "' with country code '" << s.country_code << "'";
        EXPECT_EQ(is_e164(got), s.registrable) << got;
        EXPECT_EQ(normalise_phone(got, s.country_code), got) << "normalising twice changes nothing more";
    }
}

TEST(is_country_code, takes_exactly_the_codes_e164_gives_a_country) {
    const std::pair<std::string_view, bool> rows[] = {
        {"976", true}, {"1", true},  {"7", true},     {"44", true},  {"86", true}, {"380", true},
        {"97", false}, {"9760", false}, {"0", false}, {"", false},   {"+976", false}, {"97a", false},
        {"4", false},  {"440", false},
    };
    for (const auto& [cc, valid] : rows)
        EXPECT_EQ(is_country_code(cc), valid) << "'" << cc << "'";
}

TEST(national_number_digits, knows_mongolias_eight_digits_and_no_length_it_is_not_sure_of) {
    EXPECT_EQ(national_number_digits("976"), 8u);
    EXPECT_EQ(national_number_digits("44"), 0u);
    EXPECT_EQ(national_number_digits(""), 0u);
}
