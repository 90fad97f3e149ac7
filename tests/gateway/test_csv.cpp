// Tests of gateway/export_rows.hpp's csv_cell, the one rule for every CSV the project writes:
// formulas a spreadsheet would run are neutralised with a leading '\'' (OWASP), plain numbers and
// phone numbers stay as they are, NUL bytes go, and RFC 4180 quoting still applies.
#include "gateway/export_rows.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace kharuul::gateway {
namespace {

using namespace std::string_literals;

struct cell_row {
    std::string text;
    std::string cell;
};

TEST(csv_cell, neutralises_every_cell_a_spreadsheet_would_run_as_a_formula) {
    const cell_row rows[] = {
        {R"(=HYPERLINK("http://x","y"))", R"x("'=HYPERLINK(""http://x"",""y"")")x"},
        {"+SUM(1+1)", "'+SUM(1+1)"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"-2+3", "'-2+3"}, // starts as a number, is a formula
        {"\t=1+1", "'\t=1+1"},
        {"\r=1", "\"'\r=1\""}, // the CR makes it quoted as well
        {"=1", "'=1"},
        {"=", "'="},
        {"+", "'+"},
        {"-", "'-"},
        {"@", "'@"},
        {"-1e5", "'-1e5"},
        {"+976 9911 2233", "'+976 9911 2233"}, // a phone with spaces is not "'+' and digits only"
        {"+97699000001,=1", "\"'+97699000001,=1\""},
        {"-5.", "'-5."},
        {"--5", "'--5"},
        {"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
        {"\0=1+1"s, "'=1+1"}, // NUL bytes go first: they cannot hide a formula
    };
    for (const auto& r : rows)
        EXPECT_EQ(csv_cell(r.text), r.cell) << r.text;
}

TEST(csv_cell, leaves_plain_numbers_phone_numbers_and_text_as_they_are) {
    for (std::string_view text :
         {"12", "-5", "3.5", "-0.25", "0", "+97699000001", "+15551234567", "500", "ID ALT 2B 12 MINE",
          "ИД АЛТ 2Х 12 УУЛ", "a=1", "x+y", "", "2026-11-25", "it's"})
        EXPECT_EQ(csv_cell(text), text);
}

TEST(csv_cell, drops_nul_bytes_and_still_quotes_commas_quotes_and_line_breaks) {
    EXPECT_EQ(csv_cell("ab\0c"s), "abc");
    EXPECT_EQ(csv_cell("\0\0"s), "");
    EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
}

TEST(csv_field, applies_the_cell_rule_to_strings_and_lists_alike) {
    EXPECT_EQ(csv_field(boost::json::value("=1+1")), "'=1+1");
    EXPECT_EQ(csv_field(boost::json::value(-5)), "-5");
    EXPECT_EQ(csv_field(boost::json::value(nullptr)), "");
    EXPECT_EQ(csv_field(boost::json::value(true)), "true");
    boost::json::array codes{"-2+3", "SHAFT"};
    EXPECT_EQ(csv_field(codes), "'-2+3 SHAFT");
}

} // namespace
} // namespace kharuul::gateway
