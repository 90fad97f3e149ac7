// parser::site_named: the site a message names as the parser reads it, understood or not (what
// `kharuul log --site` reads for messages that recorded no event), over real samples in both
// scripts.
#include "parser/sms.hpp"

#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace kharuul::parser {
namespace {

struct named {
    const char* text;
    const char* site; // nullptr: names none
};

void PrintTo(const named& n, std::ostream* os) { *os << '"' << n.text << '"'; }

class site_named_table : public ::testing::TestWithParam<named> {};

TEST_P(site_named_table, the_site_a_message_names_is_read_whether_or_not_it_was_understood) {
    const named& n = GetParam();
    const auto site = site_named(parse_sms(n.text, testing::demo_lexicon()));
    if (n.site)
        EXPECT_EQ(site, std::optional<std::string>(n.site));
    else
        EXPECT_EQ(site, std::nullopt);
}

const named samples[] = {
    {"ID ALT 2B 12 MINE", "ALT"},      // understood
    {"NIL DKH", "DKH"},
    {"ID ALT 2B", "ALT"},              // the age missing: rejected after the site
    {"ID ALT 2B 12", "ALT"},           // the work missing
    {"ID ALT 2B 12 NOSUCH", "ALT"},    // an unknown work code
    {"ид алт 2 хүү", "ALT"},           // Cyrillic, the age missing
    {"ИД АЛТ 2Х 30 УУРХАЙ", "ALT"},   // Cyrillic, an adult's age
    {"RISK DKH 2G", "DKH"},
    {"ID ALX 2B 12 MINE", "ALT"},      // an unknown site one edit from ALT: the reply asked about it
    {"ID QQQ 2B 12 MINE", nullptr},    // an unknown site like none
    {"ID", nullptr},                   // no site
    {"ID 2B 12 MINE", nullptr},        // the site left out
    {"TR 204812 NFE", nullptr},        // a case form names a case
    {"HELLO ALT", nullptr},            // not a form
    {"", nullptr},
};

INSTANTIATE_TEST_SUITE_P(samples, site_named_table, ::testing::ValuesIn(samples));

TEST(site_named, a_rejected_report_keeps_the_site_it_read_in_its_error) {
    const auto r = parse_sms("ID ALT 2B", testing::demo_lexicon());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::missing_field);
    EXPECT_EQ(r.error().missing, field::age);
    EXPECT_EQ(r.error().site, "ALT");
    EXPECT_EQ(parse_sms("ID ALX 2B 12", testing::demo_lexicon()).error().site, ""); // not read
}

} // namespace
} // namespace kharuul::parser
