// Tests of parser/translit.hpp and of the second reading it gives the lexicon: Mongolian Cyrillic
// read by MNS 5217:2012 beside the look-alike folding, so that a site or code typed wholly in
// Cyrillic matches (`ид нлк 1 хүү 12 brick`), with "did you mean" from the closest reading. Real
// samples in Cyrillic, Latin and mixed, table-driven.
#include "parser/translit.hpp"

#include "parser/lexicon.hpp"
#include "parser/sms.hpp"
#include "tests/parser/describe_parse.hpp"
#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace kharuul::parser {
namespace {

struct reading {
    std::string_view text;
    std::string_view latin;
};

TEST(translit, the_whole_mongolian_alphabet_reads_as_mns_5217_has_it) {
    // А..Я with Ө and Ү in their Mongolian places; Ө Ö and Ү Ü without the diaeresis.
    EXPECT_EQ(transliterate("АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"),
              "A" "B" "V" "G" "D" "YE" "YO" "J" "Z" "I" "I" "K" "L" "M" "N" "O" "O" "P" "R" "S" "T" "U" "U" "F"
              "KH" "TS" "CH" "SH" "SH" "I" "Y" "I" "E" "YU" "YA");
    EXPECT_EQ(transliterate("абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя"),
              transliterate("АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"));
}

TEST(translit, words_as_volunteers_type_them_read_in_latin_capitals) {
    const reading samples[] = {
        {"нлк", "NLK"},          {"НЛК", "NLK"},        {"Нлк", "NLK"},         {"тоосго", "TOOSGO"},
        {"хүү", "KHUU"},         {"өвөл", "OVOL"},      {"цэцэрлэг", "TSETSERLEG"}, {"чулуу", "CHULUU"},
        {"шахт", "SHAKHT"},      {"жил", "JIL"},        {"ес", "YES"},          {"ёс", "YOS"},
        {"юм", "YUM"},           {"яс", "YAS"},         {"говь", "GOVI"},       {"дкх", "DKKH"},
        // Latin stays Latin, upper-cased; mixed scripts read letter by letter.
        {"ALT", "ALT"},          {"brick", "BRICK"},    {"АLТ", "ALT"},         {"nлк", "NLK"},
        // The standard's own Latin, typed with its diaereses.
        {"Ölgii", "OLGII"},      {"Üür", "UUR"},
        // Digits and units, and what is not a letter at all.
        {"12нас", "12NAS"},      {"2хүү", "2KHUU"},     {"", ""},               {"?", "?"},
        {"\xFF", "\xEF\xBF\xBD"}, {"Ї", "Ї"},
    };
    for (const auto& s : samples) {
        EXPECT_EQ(transliterate(s.text), s.latin) << s.text;
    }
}

TEST(translit, a_letter_outside_the_table_has_no_latin) {
    EXPECT_EQ(mns_latin(U'A'), "");
    EXPECT_EQ(mns_latin(0x0407), ""); // Ї: Ukrainian, not Mongolian
    EXPECT_EQ(mns_latin(0x0445), ""); // х: lower case; callers upper-case first
    EXPECT_EQ(mns_latin(0x0425), "KH");
}

struct sample {
    const char* text;
    const char* expected;
};

void PrintTo(const sample& s, std::ostream* os) { *os << '"' << s.text << '"'; }

class script_table : public ::testing::TestWithParam<sample> {};

TEST_P(script_table, message_is_understood_as_expected) {
    const sample& s = GetParam();
    EXPECT_EQ(describe(parse_sms(s.text, testing::demo_lexicon())), s.expected) << "text: " << s.text;
}

// Sites typed wholly in Cyrillic, read by their sound; and the look-alike reading still works.
const sample cyrillic_sites[] = {
    {"ид нлк 1 хүү 12 brick", "ID NLK 1B0G0U 12-12 BRICK"}, // issue 10, item 4
    {"ИД НЛК 1 ХҮҮ 12 ТООСГО", "ID NLK 1B0G0U 12-12 BRICK"},
    {"id nlk 1b 12 brick", "ID NLK 1B0G0U 12-12 BRICK"},
    {"ID нлк 1B 12 BRICK", "ID NLK 1B0G0U 12-12 BRICK"},
    {"ид улт 2B 11 пан", "ID ULT 2B0G0U 11-11 PAN"},
    {"ид тсд 1 охин 14 уурхай нүх", "ID TSD 0B1G0U 14-14 MINE SHAFT !urgent"},
    {"ид нрт 1G 13 наймаа", "ID NRT 0B1G0U 13-13 TRADE"},
    {"ид алт 2B 12 уурхай", "ID ALT 2B0G0U 12-12 MINE"},
    {"нил нлк", "NIL NLK"},
    {"NIL нлк # хүүхэд алга", "NIL NLK #хүүхэд алга"},
    {"риск улт 1 охин 8 DROP", "RISK ULT 0B1G0U 8-8 DROP"},
    {"тр 204812 NFE", "TR 204812 NFE s=NFE"},
    // The look-alike reading, as before: Cyrillic А and Т, Latin L.
    {"ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD", "ID ALT 1B0G0U 11-11 CARRY LOAD"},
    {"ID АLТ 1B 12 МINЕ", "ID ALT 1B0G0U 12-12 MINE"},
    // A sex letter or age unit has no Latin reading: `у` after an age is the unit Y, not U.
    {"ID ALT B 12 у MINE", "ID ALT 1B0G0U 12-12 MINE"},
};
INSTANTIATE_TEST_SUITE_P(cyrillic_sites, script_table, ::testing::ValuesIn(cyrillic_sites));

// The Mongolian words of the shipped language's work and hazard codes, in either script.
const sample mongolian_words[] = {
    {"ID NLK 1B 12 тоосго", "ID NLK 1B0G0U 12-12 BRICK"},
    {"ID NLK 1B 12 toosgo", "ID NLK 1B0G0U 12-12 BRICK"},
    {"ID ALT 1B 12 уурхай гэмтсэн", "ID ALT 1B0G0U 12-12 MINE HURT !urgent"},
    {"ID ALT 1B 12 угаах хими", "ID ALT 1B0G0U 12-12 PAN MERC"},
    {"ID ALT 1B 12 зөөх ачаа", "ID ALT 1B0G0U 12-12 CARRY LOAD"},
    {"ID ALT 1B 12 ЗООХ", "ID ALT 1B0G0U 12-12 CARRY"}, // Ө typed as О
    {"ID DKH 1G 14 худалдаа", "ID DKH 0B1G0U 14-14 TRADE"},
    {"ID ALT 1B 12 нүүрс шөнө", "ID ALT 1B0G0U 12-12 COAL NIGHT"},
    {"ID ALT 1B 12 хог ганцаараа", "ID ALT 1B0G0U 12-12 SCRAP ALONE !urgent"},
    {"ID ALT 1B 12 мал", "ID ALT 1B0G0U 12-12 HERD"},
    {"ID ALT 1B 12 малчин", "ID ALT 1B0G0U 12-12 HERD"},
    {"ID ALT 1B 12 мах", "ID ALT 1B0G0U 12-12 MEAT"},
    {"ID ALT 1B 12 нядалгаа", "ID ALT 1B0G0U 12-12 MEAT"},
    {"ID ALT 1B 12 бусад # хонь хариулж байна", "ID ALT 1B0G0U 12-12 OTHER #хонь хариулж байна"},
    {"ID ALT 1B 12 MINE шахт", "ID ALT 1B0G0U 12-12 MINE SHAFT !urgent"},
    {"ID ALT 1B 12 MINE гэмтэл", "ID ALT 1B0G0U 12-12 MINE HURT !urgent"},
};
INSTANTIATE_TEST_SUITE_P(mongolian_words, script_table, ::testing::ValuesIn(mongolian_words));

// Near misses: the same one-edit suggestions, from whichever reading is closer.
const sample near_misses[] = {
    // БРИК reads BRIK: one letter from BRICK (by shape it is БPИK, nowhere near).
    {"ID NLK 1B 12 БРИК", "err:unknown_work form=ID tok=БРИК sugg=BRICK"},
    {"ид нлк 1 хүү 12 брик", "err:unknown_work form=ID tok=брик sugg=BRICK"},
    // One letter from the alias тоосго.
    {"ID NLK 1B 12 тосго", "err:unknown_work form=ID tok=тосго sugg=BRICK"},
    {"ID ALT 1B 12 MINE хурт", "err:unknown_hazard form=ID tok=хурт sugg=HURT"},
    // Х reads KH: ДКХ is one letter from DKH.
    {"ид дкх 1G 14 TRADE", "err:unknown_site form=ID tok=дкх sugg=DKH"},
    {"ид нлх 1 хүү 12 brick", "err:unknown_site form=ID tok=нлх sugg=NLK"},
    {"ид нл 1 хүү 12 brick", "err:unknown_site form=ID tok=нл sugg=NLK"},
    {"вер 204812 OK", "err:unknown_keyword tok=вер sugg=VER"},
    {"ID ALT 1B 12 коал", "err:unknown_work form=ID tok=коал sugg=COAL"},
};
INSTANTIATE_TEST_SUITE_P(near_misses, script_table, ::testing::ValuesIn(near_misses));

TEST(translit, a_token_whose_two_readings_name_two_sites_matches_neither_and_suggests_neither) {
    // САТ is CAT by its letters' shape and SAT by their sound: no guess between them.
    const lexicon lex(default_language(), {"CAT", "SAT"});
    EXPECT_EQ(describe(parse_sms("NIL САТ", lex)), "err:unknown_site form=NIL tok=САТ");
    EXPECT_EQ(describe(parse_sms("NIL CAT", lex)), "NIL CAT");
    EXPECT_EQ(describe(parse_sms("NIL сат", lex)), "err:unknown_site form=NIL tok=сат");
    // With only one of them in the registry, the reading that names it decides.
    const lexicon only_sat(default_language(), {"SAT"});
    EXPECT_EQ(describe(parse_sms("NIL САТ", only_sat)), "NIL SAT");
    const lexicon only_cat(default_language(), {"CAT"});
    EXPECT_EQ(describe(parse_sms("NIL САТ", only_cat)), "NIL CAT");
}

TEST(translit, a_deployment_s_mongolian_alias_is_read_in_latin_too) {
    language l = default_language();
    l.work.push_back({"GRAVEL", {"хайрга"}, "gravel", "хайрга", false, false, {}, {}, {}, {}});
    const lexicon lex(std::move(l), {"ALT"});
    EXPECT_EQ(describe(parse_sms("ID ALT 1B 12 хайрга", lex)), "ID ALT 1B0G0U 12-12 GRAVEL");
    EXPECT_EQ(describe(parse_sms("ID ALT 1B 12 khairga", lex)), "ID ALT 1B0G0U 12-12 GRAVEL");
    EXPECT_EQ(describe(parse_sms("ID ALT 1B 12 хайрг", lex)), "err:unknown_work form=ID tok=хайрг sugg=GRAVEL");
}

} // namespace
} // namespace kharuul::parser
