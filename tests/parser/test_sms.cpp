// Table-driven tests of the SMS parser over real message samples: every example of
// spec/sms-language.md, both scripts, aliases, separators, and the errors volunteers make.
#include "parser/sms.hpp"

#include "parser/case_code.hpp"
#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kharuul::parser {
namespace {

// A compact, readable summary of a parse result, so that each table row is one line.
std::string describe(const parse_result& r) {
    if (!r) {
        const parse_error& e = r.error();
        std::string s = "err:" + std::string(error_code_name(e.code));
        if (e.code == errc::bad_case_check_digit)
            s += "(check)";
        if (e.kind)
            s += " form=" + std::string(canonical_keyword(*e.kind));
        if (!e.token.empty())
            s += " tok=" + e.token;
        if (!e.suggestion.empty())
            s += " sugg=" + e.suggestion;
        if (e.missing != field::none)
            s += " field=" + std::string(field_name(e.missing));
        return s;
    }
    const sms_message& m = *r;
    std::string s(canonical_keyword(m.kind));
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, sighting>) {
                s += " " + b.site + " " + std::to_string(b.kids.boys) + "B" + std::to_string(b.kids.girls) + "G" +
                     std::to_string(b.kids.unknown) + "U " + std::to_string(b.age_min) + "-" +
                     std::to_string(b.age_max) + " " + b.work;
                for (const auto& h : b.hazards)
                    s += " " + h;
            } else if constexpr (std::is_same_v<T, nil_visit>) {
                s += " " + b.site;
            } else if constexpr (std::is_same_v<T, tracking>) {
                s += " " + b.case_code + " " + b.status;
            } else if constexpr (std::is_same_v<T, referral>) {
                s += " " + b.case_code + " " + b.service;
            } else if constexpr (std::is_same_v<T, verification>) {
                s += " " + b.case_code + (b.confirmed ? " OK" : " NO");
            } else if constexpr (std::is_same_v<T, closure>) {
                s += " " + b.case_code + " " + b.reason;
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                s += " " + std::to_string(b.alert);
            } else {
                if (b.topic)
                    s += " " + std::string(canonical_keyword(*b.topic));
            }
        },
        m.body);
    if (m.urgent)
        s += " !urgent";
    if (m.sensitive)
        s += " !sensitive";
    if (m.note)
        s += " #" + *m.note;
    return s;
}

struct sample {
    const char* text;
    const char* expected;
};

void PrintTo(const sample& s, std::ostream* os) { *os << '"' << s.text << '"'; }

class parse_table : public ::testing::TestWithParam<sample> {};

TEST_P(parse_table, message_is_understood_as_expected) {
    const sample& s = GetParam();
    EXPECT_EQ(describe(parse_sms(s.text, testing::demo_lexicon())), s.expected) << "text: " << s.text;
}

// spec/sms-language.md section 7: all valid.
const sample spec_examples[] = {
    {"ID ALT 2B 12 MINE SHAFT", "ID ALT 2B0G0U 12-12 MINE SHAFT !urgent"},
    {"id alt 2 b 12y mine shaft", "ID ALT 2B0G0U 12-12 MINE SHAFT !urgent"},
    {"ID,ALT,B,13,PAN # near the eastern pit", "ID ALT 1B0G0U 13-13 PAN #near the eastern pit"},
    {"ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD", "ID ALT 1B0G0U 11-11 CARRY LOAD"},
    {"ID DKH 1G 14 TRADE", "ID DKH 0B1G0U 14-14 TRADE"},
    {"ID ULT 2B1G 10-12 PAN MERC", "ID ULT 2B1G0U 10-12 PAN MERC"},
    {"TR 204812 NFE", "TR 204812 NFE"},
    {"tr 204812 work # at the market again", "TR 204812 WORK #at the market again"},
    {"REF 204812 NFE", "REF 204812 NFE"},
    {"VER 204812 OK", "VER 204812 OK"},
    {"ACK 17", "ACK 17"},
    {"HELP", "HELP"},
    // and the others shown in the spec's text
    {"VER 204812 NO # not at the gher school since Monday", "VER 204812 NO #not at the gher school since Monday"},
    {"CLOSE 204812 DONE", "CLOSE 204812 DONE"},
    {"HELP ID", "HELP ID"},
    {"NIL ALT", "NIL ALT"},
};
INSTANTIATE_TEST_SUITE_P(spec_examples, parse_table, ::testing::ValuesIn(spec_examples));

// Case, separators, scripts and aliases that volunteers really type.
const sample spellings[] = {
    {"Id Alt 2B 12 Mine Shaft", "ID ALT 2B0G0U 12-12 MINE SHAFT !urgent"},
    {"  ID   ALT   2B   12   MINE  ", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID\tALT\n2B\r\n12\tMINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID;ALT;2B;12;MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID.ALT.2B.12.MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID:ALT:2B:12:MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID/ALT/2B/12/MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID*ALT*2B*12*MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID+ALT+2B+12+MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID_ALT_2B_12_MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID-ALT-2B-12-MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID, ALT, 2B, 12, MINE.", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID\u00a0ALT\u00a02B\u00a012\u00a0MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"FOUND ALT 2B 12 MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"found alt 2b 12 mine", "ID ALT 2B0G0U 12-12 MINE"},
    {"ИД ALT 2B 12 MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ид alt 2b 12 mine", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID АLТ 2В 12 МINЕ", "ID ALT 2B0G0U 12-12 MINE"},    // Cyrillic А Т В М Е
    {"ID аlт 2в 12 мinе", "ID ALT 2B0G0U 12-12 MINE"},    // the same in lower case
    {"ID DКН 1G 14 ТRАDЕ", "ID DKH 0B1G0U 14-14 TRADE"}, // Cyrillic К Н Т Р А Е
    {"ID NRT 1G 14 TRADE", "ID NRT 0B1G0U 14-14 TRADE"},
    {"ID TSD 1B 15 MINE", "ID TSD 1B0G0U 15-15 MINE"},
    {"ID NLK 2B 13 BRICK NIGHT", "ID NLK 2B0G0U 13-13 BRICK NIGHT"},
    {"ID ТSD 1В 15 МINЕ", "ID TSD 1B0G0U 15-15 MINE"},
    {"ID ULT 1 хүү 12 PAN", "ID ULT 1B0G0U 12-12 PAN"},
    {"ID ULT 1 ХУУ 12 PAN", "ID ULT 1B0G0U 12-12 PAN"},  // У typed for Ү
    {"ID ULT 1 охин 12 PAN", "ID ULT 0B1G0U 12-12 PAN"},
    {"ID ULT 2 ОХИН 12 PAN", "ID ULT 0B2G0U 12-12 PAN"},
    {"ID ULT х 12 PAN", "ID ULT 1B0G0U 12-12 PAN"},
    {"ID ULT о 12 PAN", "ID ULT 0B1G0U 12-12 PAN"},
    {"ID ULT 2ХҮҮ 12 PAN", "ID ULT 2B0G0U 12-12 PAN"},
    {"ID ULT 2хүү1охин 12 PAN", "ID ULT 2B1G0U 12-12 PAN"},
    {"ID ALT 3 ХҮҮ 2 ОХИН 11-13 нас MINE", "ID ALT 3B2G0U 11-13 MINE"},
    {"ID ALT ХҮҮ 12 нас MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT 1 ХҮҮ 11 НАС CARRY LOAD", "ID ALT 1B0G0U 11-11 CARRY LOAD"},
    {"ID ALT 1 ХҮҮ 11нас CARRY LOAD", "ID ALT 1B0G0U 11-11 CARRY LOAD"},
};
INSTANTIATE_TEST_SUITE_P(spellings, parse_table, ::testing::ValuesIn(spellings));

// The children token in all its spellings, and the order of ID fields.
const sample children_and_order[] = {
    {"ID ALT B 12 MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT G 12 MINE", "ID ALT 0B1G0U 12-12 MINE"},
    {"ID ALT U 12 MINE", "ID ALT 0B0G1U 12-12 MINE"},
    {"ID ALT M 12 MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT F 12 MINE", "ID ALT 0B1G0U 12-12 MINE"},
    {"ID ALT 3B 12 MINE", "ID ALT 3B0G0U 12-12 MINE"},
    {"ID ALT B3 12 MINE", "ID ALT 3B0G0U 12-12 MINE"},
    {"ID ALT 3 B 12 MINE", "ID ALT 3B0G0U 12-12 MINE"},
    {"ID ALT 3M 12 MINE", "ID ALT 3B0G0U 12-12 MINE"},
    {"ID ALT 2F 12 MINE", "ID ALT 0B2G0U 12-12 MINE"},
    {"ID ALT 2B1G 12 MINE", "ID ALT 2B1G0U 12-12 MINE"},
    {"ID ALT 1G2B 12 MINE", "ID ALT 2B1G0U 12-12 MINE"},
    {"ID ALT 2B1G1U 12 MINE", "ID ALT 2B1G1U 12-12 MINE"},
    {"ID ALT 2b1g 12 mine", "ID ALT 2B1G0U 12-12 MINE"},
    {"ID ALT 2B 1G 12 MINE", "ID ALT 2B1G0U 12-12 MINE"},
    {"ID ALT 2 B 1 G 12 MINE", "ID ALT 2B1G0U 12-12 MINE"},
    {"ID ALT 4U 9 SCRAP", "ID ALT 0B0G4U 9-9 SCRAP"},
    {"ID ALT 20B 12 MINE", "ID ALT 20B0G0U 12-12 MINE"},
    {"ID ALT 10B10G 12 MINE", "ID ALT 10B10G0U 12-12 MINE"},
    {"ID ALT 12Y 2B MINE", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID ALT MINE 2B 12", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID ALT MINE SHAFT 2B 12Y", "ID ALT 2B0G0U 12-12 MINE SHAFT !urgent"},
    {"ID ALT SHAFT 12YO 2B MINE", "ID ALT 2B0G0U 12-12 MINE SHAFT !urgent"},
    {"ID ALT 2B MINE 12", "ID ALT 2B0G0U 12-12 MINE"},
    {"ID ALT B 12 MINE SHAFT LOAD NIGHT", "ID ALT 1B0G0U 12-12 MINE SHAFT LOAD NIGHT !urgent"},
    {"ID ALT B 12 MINE SHAFT SHAFT", "ID ALT 1B0G0U 12-12 MINE SHAFT !urgent"},
    {"ID ALT B 12 MINE MINE", "ID ALT 1B0G0U 12-12 MINE"},
};
INSTANTIATE_TEST_SUITE_P(children_and_order, parse_table, ::testing::ValuesIn(children_and_order));

// Ages: units attached or apart, ranges, the bounds.
const sample ages[] = {
    {"ID ALT B 5 MINE", "ID ALT 1B0G0U 5-5 MINE"},
    {"ID ALT B 17 MINE", "ID ALT 1B0G0U 17-17 MINE"},
    {"ID ALT B 12Y MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12YR MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12YRS MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12YO MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12yo MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12НАС MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12 нас MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12 Y MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 12nas MINE", "ID ALT 1B0G0U 12-12 MINE"},
    {"ID ALT B 10-12 MINE", "ID ALT 1B0G0U 10-12 MINE"},
    {"ID ALT B 10 - 12 MINE", "ID ALT 1B0G0U 10-12 MINE"},
    {"ID ALT B 10-12Y MINE", "ID ALT 1B0G0U 10-12 MINE"},
    {"ID ALT B 10-12 нас MINE", "ID ALT 1B0G0U 10-12 MINE"},
    {"ID ALT 3B 10–12 MINE", "ID ALT 3B0G0U 10-12 MINE"}, // en dash from a smartphone
    {"ID ALT 2B 10-12 MINE", "ID ALT 2B0G0U 10-12 MINE"},
    {"ID ALT 10-12 2B MINE", "ID ALT 2B0G0U 10-12 MINE"},
    {"ID ALT B 4 MINE", "err:bad_age form=ID tok=4"},
    {"ID ALT B 0 MINE", "err:bad_age form=ID tok=0"},
    {"ID ALT B 18 MINE", "err:adult_age form=ID tok=18"},
    {"ID ALT B 25Y MINE", "err:adult_age form=ID tok=25Y"},
    {"ID ALT B 16-18 MINE", "err:adult_age form=ID tok=16-18"},
    {"ID ALT B 14-12 MINE", "err:bad_age form=ID tok=14-12"},
    {"ID ALT B 3-6 MINE", "err:bad_age form=ID tok=3-6"},
    {"ID ALT B 99999999 MINE", "err:adult_age form=ID tok=99999999"},
    {"ID ALT B 12YX MINE", "err:bad_age form=ID tok=12YX"},
    {"ID ALT B 12YRZ MINE", "err:bad_age form=ID tok=12YRZ"},
    {"ID ALT 12Q MINE", "err:bad_children form=ID tok=12Q"},
};
INSTANTIATE_TEST_SUITE_P(ages, parse_table, ::testing::ValuesIn(ages));

// Urgency and sensitivity follow the hazard and work tables.
const sample urgency[] = {
    {"ID ALT B 12 MINE HURT", "ID ALT 1B0G0U 12-12 MINE HURT !urgent"},
    {"ID ALT B 12 MINE ALONE", "ID ALT 1B0G0U 12-12 MINE ALONE !urgent"},
    {"ID ALT B 12 MINE MERC", "ID ALT 1B0G0U 12-12 MINE MERC"},
    {"ID ALT B 12 MINE LOAD", "ID ALT 1B0G0U 12-12 MINE LOAD"},
    {"ID ALT B 12 MINE NIGHT", "ID ALT 1B0G0U 12-12 MINE NIGHT"},
    {"ID DKH G 15 SEX", "ID DKH 0B1G0U 15-15 SEX !urgent !sensitive"},
    {"ID DKH G 15 sex", "ID DKH 0B1G0U 15-15 SEX !urgent !sensitive"},
    {"ID DKH G 15 COAL", "ID DKH 0B1G0U 15-15 COAL"},
    {"ID DKH G 15 SCRAP", "ID DKH 0B1G0U 15-15 SCRAP"},
    {"ID NLK B 15 BRICK", "ID NLK 1B0G0U 15-15 BRICK"},
    {"ID ULT B 15 HERD", "ID ULT 1B0G0U 15-15 HERD"},
    {"ID ULT B 15 MEAT", "ID ULT 1B0G0U 15-15 MEAT"},
    {"ID ULT B 15 OTHER # sorting stones", "ID ULT 1B0G0U 15-15 OTHER #sorting stones"},
};
INSTANTIATE_TEST_SUITE_P(urgency, parse_table, ::testing::ValuesIn(urgency));

// Errors volunteers make, each with the first problem named.
const sample id_errors[] = {
    {"ID ALX 2B 12 MINE", "err:unknown_site form=ID tok=ALX sugg=ALT"},
    {"ID AL 2B 12 MINE", "err:unknown_site form=ID tok=AL sugg=ALT"},
    {"ID ALTT 2B 12 MINE", "err:unknown_site form=ID tok=ALTT sugg=ALT"},
    {"ID LAT 2B 12 MINE", "err:unknown_site form=ID tok=LAT sugg=ALT"},
    {"ID XYZ 2B 12 MINE", "err:unknown_site form=ID tok=XYZ"},
    {"ID UT 2B 12 MINE", "err:unknown_site form=ID tok=UT sugg=ULT"},
    {"ID 2B 12 MINE", "err:missing_field form=ID field=site"},
    {"ID", "err:missing_field form=ID field=site"},
    {"ID ALT", "err:missing_field form=ID field=children"},
    {"ID ALT MINE", "err:missing_field form=ID field=children"},
    {"ID ALT 2B MINE", "err:missing_field form=ID field=age"},
    {"ID ALT 2B 12", "err:missing_field form=ID field=work"},
    {"ID ALT 2B 12 SHAFT", "err:missing_field form=ID field=work"},
    {"ID ALT 2B 12 MINNE", "err:unknown_work form=ID tok=MINNE sugg=MINE"},
    {"ID ALT 2B 12 DIG", "err:unknown_work form=ID tok=DIG"},
    {"ID ALT 2B 12 MINE SHAFF", "err:unknown_hazard form=ID tok=SHAFF sugg=SHAFT"},
    {"ID ALT 2B 12 MINE DARK", "err:unknown_hazard form=ID tok=DARK"},
    {"ID ALT 2B 12 MINE PAN", "err:unknown_work form=ID tok=PAN"},
    {"ID ALT 12 MINE", "err:unplaced_number form=ID tok=12"},
    {"ID ALT 2B 12 13 MINE", "err:unplaced_number form=ID tok=13"},
    {"ID ALT 12 2B MINE", "err:unplaced_number form=ID tok=12"},
    {"ID ALT 2B 12 MINE 3", "err:unplaced_number form=ID tok=3"},
    {"ID ALT 21B 12 MINE", "err:too_many_children form=ID tok=21B"},
    {"ID ALT 15B6G 12 MINE", "err:too_many_children form=ID tok=15B6G"},
    {"ID ALT 15B 6G 12 MINE", "err:too_many_children form=ID tok=6G"},
    {"ID ALT 25 B 12 MINE", "err:too_many_children form=ID tok=25"},
    {"ID ALT 0B 12 MINE", "err:bad_children form=ID tok=0B"},
    {"ID ALT 2B2B 12 MINE", "err:bad_children form=ID tok=2B2B"},
    {"ID ALT 2B 3B 12 MINE", "err:bad_children form=ID tok=3B"},
    {"ID ALT 2Q 12 MINE", "err:bad_children form=ID tok=2Q"},
    {"ID ALT 2B 12 MINE # " "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
     "0123456789012345678901234567890123456789012345678901234567890123456789",
     "err:note_too_long form=ID"},
};
INSTANTIATE_TEST_SUITE_P(id_errors, parse_table, ::testing::ValuesIn(id_errors));

const sample other_forms[] = {
    {"NIL ULT", "NIL ULT"},
    {"nil ult # nobody at the pit today", "NIL ULT #nobody at the pit today"},
    {"NIL ULТ", "NIL ULT"},
    {"NIL", "err:missing_field form=NIL field=site"},
    {"NIL ULX", "err:unknown_site form=NIL tok=ULX sugg=ULT"},
    {"TRACK 204812 SCH", "TR 204812 SCH"},
    {"TR 204812 KG", "TR 204812 KG"},
    {"TR 204812 HOME", "TR 204812 HOME"},
    {"TR 204812 MOVED # to Arvaikheer", "TR 204812 MOVED #to Arvaikheer"},
    {"TR 204812 MISS", "TR 204812 MISS"},
    {"TR NFE 204812", "TR 204812 NFE"},
    {"ТR 204812 NFЕ", "TR 204812 NFE"},
    {"TR 204813 NFE", "err:bad_case(check) form=TR tok=204813"},
    {"TR 204821 NFE", "err:bad_case(check) form=TR tok=204821"},
    {"TR 2048 NFE", "err:bad_case form=TR tok=2048"},
    {"TR 2048122 NFE", "err:bad_case form=TR tok=2048122"},
    {"TR 20481X NFE", "err:bad_case form=TR tok=20481X"},
    {"TR NFE", "err:missing_field form=TR field=case"},
    {"TR 204812", "err:missing_field form=TR field=status"},
    {"TR 204812 NFF", "err:unknown_status form=TR tok=NFF sugg=NFE"},
    {"TR 204812 SCHOOL", "err:unknown_status form=TR tok=SCHOOL"},
    {"TR 204812 204820 NFE", "err:unplaced_number form=TR tok=204820"},
    {"REFER 204812 HEALTH", "REF 204812 HEALTH"},
    {"REF 204812 SOCIAL", "REF 204812 SOCIAL"},
    {"REF 204812 PSY", "REF 204812 PSY"},
    {"REF 204812 LEGAL", "REF 204812 LEGAL"},
    {"REF 204812 VOC", "REF 204812 VOC"},
    {"REF 204812 FAMILY", "REF 204812 FAMILY"},
    {"REF 204812 KG", "REF 204812 KG"},
    {"REF 204812 SCH", "REF 204812 SCH"},
    {"REF 204812 HELTH", "err:unknown_service form=REF tok=HELTH sugg=HEALTH"},
    {"REF 204812", "err:missing_field form=REF field=service"},
    {"VERIFY 204812 OK", "VER 204812 OK"},
    {"VER 204812 no", "VER 204812 NO"},
    {"VER 204812 YES", "VER 204812 OK"},
    {"VER 204812 ТИЙМ", "VER 204812 OK"},
    {"VER 204812 үгүй", "VER 204812 NO"},
    {"VER 204812 MAYBE", "err:bad_outcome form=VER tok=MAYBE"},
    {"VER 204812", "err:missing_field form=VER field=outcome"},
    {"CLOSE 204812 ADULT", "CLOSE 204812 ADULT"},
    {"CLOSE 204812 MOVED # to Darkhan", "CLOSE 204812 MOVED #to Darkhan"},
    {"close 204812 done", "CLOSE 204812 DONE"},
    {"CLOSE 204812 FINISHED", "err:unknown_reason form=CLOSE tok=FINISHED"},
    {"CLOSE 204812 DONR", "err:unknown_reason form=CLOSE tok=DONR sugg=DONE"},
    {"CLOSE 204812", "err:missing_field form=CLOSE field=reason"},
    {"OK 17", "ACK 17"},
    {"ok 17", "ACK 17"},
    {"ack 3", "ACK 3"},
    {"ACK #17", "ACK 17"},
    {"ACK", "err:missing_field form=ACK field=alert"},
    {"ACK X7", "err:bad_alert form=ACK tok=X7"},
    {"ACK 0", "err:bad_alert form=ACK tok=0"},
    {"?", "HELP"},
    {"help tr", "HELP TR"},
    {"ТУСЛАМЖ", "HELP"},
    {"тусламж ид", "HELP ID"},
    {"HELP FOO", "HELP"},
};
INSTANTIATE_TEST_SUITE_P(other_forms, parse_table, ::testing::ValuesIn(other_forms));

const sample keywords[] = {
    {"", "err:empty"},
    {"   \r\n ", "err:empty"},
    {"# only a note", "err:empty"},
    {"IDD ALT 2B 12 MINE", "err:unknown_keyword tok=IDD sugg=ID"},
    {"TRR 204812 NFE", "err:unknown_keyword tok=TRR sugg=TR"},
    {"HLEP", "err:unknown_keyword tok=HLEP sugg=HELP"},
    {"HELLO", "err:unknown_keyword tok=HELLO"},
    {"ALT 2B 12 MINE", "err:unknown_keyword tok=ALT"},
    {"Сайн байна уу", "err:unknown_keyword tok=Сайн"},
};
INSTANTIATE_TEST_SUITE_P(keywords, parse_table, ::testing::ValuesIn(keywords));

TEST(parse_sms, every_site_in_every_script_and_separator_is_read) {
    const lexicon& lex = testing::demo_lexicon();
    const char* seps[] = {" ", ",", ";", ".", ":", "/", "*", "+", "_", "\t", "\n", " , "};
    int checked = 0;
    for (const auto& site : lex.site_codes())
        for (const char* sep : seps)
            for (const char* kw : {"ID", "id", "ИД", "ид", "FOUND"}) {
                const std::string text = std::string(kw) + sep + site + sep + "2B1G" + sep + "12" + sep + "PAN";
                auto r = parse_sms(text, lex);
                ASSERT_TRUE(r) << text;
                EXPECT_EQ(std::get<sighting>(r->body).site, site) << text;
                EXPECT_EQ(std::get<sighting>(r->body).kids, (children{2, 1, 0})) << text;
                ++checked;
            }
    EXPECT_EQ(checked, 6 * 12 * 5);
}

TEST(parse_sms, every_age_from_five_to_seventeen_is_accepted_and_others_refused) {
    const lexicon& lex = testing::demo_lexicon();
    for (int age = 0; age <= 30; ++age) {
        const std::string text = "ID ALT 1G " + std::to_string(age) + " TRADE";
        auto r = parse_sms(text, lex);
        if (age >= 5 && age <= 17) {
            ASSERT_TRUE(r) << text;
            EXPECT_EQ(std::get<sighting>(r->body).age_min, age);
        } else {
            ASSERT_FALSE(r) << text;
            EXPECT_EQ(r.error().code, age >= 18 ? errc::adult_age : errc::bad_age) << text;
        }
    }
}

TEST(parse_sms, every_count_up_to_twenty_is_accepted_in_each_spelling) {
    const lexicon& lex = testing::demo_lexicon();
    for (int n = 1; n <= 21; ++n) {
        const std::string c = std::to_string(n);
        for (const std::string& kids : {c + "B", "B" + c, c + " B", c + "M", c + " ХҮҮ"}) {
            const std::string text = "ID ULT " + kids + " 12Y PAN";
            auto r = parse_sms(text, lex);
            if (n <= 20) {
                ASSERT_TRUE(r) << text;
                EXPECT_EQ(std::get<sighting>(r->body).kids.boys, n) << text;
            } else {
                ASSERT_FALSE(r) << text;
                EXPECT_EQ(r.error().code, errc::too_many_children) << text;
            }
        }
    }
}

TEST(parse_sms, a_case_code_with_any_single_wrong_digit_is_refused_as_a_check_digit_error) {
    const lexicon& lex = testing::demo_lexicon();
    const std::string good = make_case_code(20481);
    for (std::size_t i = 0; i < good.size(); ++i)
        for (char d = '0'; d <= '9'; ++d) {
            if (d == good[i])
                continue;
            std::string bad = good;
            bad[i] = d;
            auto r = parse_sms("TR " + bad + " NFE", lex);
            ASSERT_FALSE(r) << bad;
            EXPECT_EQ(r.error().code, errc::bad_case_check_digit) << bad;
        }
}

TEST(parse_sms, the_note_keeps_its_text_as_typed_including_later_hashes) {
    auto r = parse_sms("NIL ALT # two trucks # one new shaft ", testing::demo_lexicon());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->note.value(), "two trucks # one new shaft");
}

TEST(parse_sms, a_note_of_exactly_160_characters_is_accepted_and_161_refused) {
    const lexicon& lex = testing::demo_lexicon();
    std::string note160;
    for (int i = 0; i < 160; ++i)
        note160 += "ж";
    EXPECT_TRUE(parse_sms("NIL ALT #" + note160, lex));
    auto r = parse_sms("NIL ALT #" + note160 + "ж", lex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::note_too_long);
}

TEST(parse_sms, invalid_utf8_is_an_error_reply_not_a_crash) {
    const lexicon& lex = testing::demo_lexicon();
    auto r = parse_sms(std::string("ID \xff\xfe ALT", 10), lex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::unknown_site);
}

TEST(parse_sms, a_configured_alias_in_another_language_selects_the_form) {
    language l = default_language();
    l.keywords[0].aliases.push_back("发现");
    l.work[0].aliases.push_back("采矿");
    const lexicon lex(std::move(l), {"ALT"});
    auto r = parse_sms("发现 ALT 2B 12 采矿", lex);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->kind, form::id);
    EXPECT_EQ(std::get<sighting>(r->body).work, "MINE");
}

TEST(parse_sms, a_renamed_keyword_is_understood_and_the_canonical_one_still_works) {
    language l = default_language();
    l.keywords[0].keyword = "REPORT";
    const lexicon lex(std::move(l), {"ALT"});
    EXPECT_TRUE(parse_sms("REPORT ALT 2B 12 MINE", lex));
    EXPECT_TRUE(parse_sms("ID ALT 2B 12 MINE", lex));
}

} // namespace
} // namespace kharuul::parser
