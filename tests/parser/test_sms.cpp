// Table-driven tests of the SMS parser over real message samples: every example of
// spec/sms-language.md, both scripts, aliases, separators, and the errors volunteers make.
#include "parser/sms.hpp"

#include "parser/case_code.hpp"
#include "tests/parser/describe_parse.hpp"
#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace kharuul::parser {
namespace {

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
    {"TR 204812 NFE", "TR 204812 NFE s=NFE"},
    {"tr 204812 work # at the market again", "TR 204812 WORK w=WORK #at the market again"},
    {"REF 204812 NFE", "REF 204812 NFE"},
    {"VER 204812 OK", "VER 204812 OK"},
    {"ACK 17", "ACK 17"},
    {"HELP", "HELP"},
    // and the others shown in the spec's text
    {"VER 204812 NO NOTFOUND # nobody of that age at the pit since Monday",
     "VER 204812 NO NOTFOUND #nobody of that age at the pit since Monday"},
    {"PLAN 204812 W WFCL", "PLAN 204812 W WFCL"},
    {"SVC 204812 NFE", "SVC 204812 NFE"},
    {"OUT 204812 WD", "OUT 204812 WD"},
    {"MERGE 204820 204812", "MERGE 204820 204812"},
    {"TR 204812 NFE STOP", "TR 204812 NFE STOP s=NFE w=STOP"},
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
    {"TRACK 204812 SCH", "TR 204812 SCH s=SCH"},
    {"TR 204812 KG", "TR 204812 KG s=KG"},
    {"TR 204812 HOME", "TR 204812 HOME w=HOME"}, // a work code: at home, not working
    {"TR 204812 MOVED # to Arvaikheer", "TR 204812 MOVED #to Arvaikheer"},
    {"TR 204812 MISS", "TR 204812 MISS"},
    {"TR NFE 204812", "TR 204812 NFE s=NFE"},
    {"ТR 204812 NFЕ", "TR 204812 NFE s=NFE"},
    {"TR 204813 NFE", "err:bad_case(check) form=TR tok=204813"},
    {"TR 204821 NFE", "err:bad_case(check) form=TR tok=204821"},
    {"TR 2048 NFE", "err:bad_case form=TR tok=2048"},
    {"TR 2048122 NFE", "err:bad_case(check) form=TR tok=2048122"}, // seven digits, wrong check digit
    {"TR 1000002 NFE", "TR 1000002 NFE s=NFE"},                     // serial 100000: seven digits
    {"TR NFE 9999989", "TR 9999989 NFE s=NFE"},                     // serial 999998, the last used
    {"TR 9999990 NFE", "err:bad_case(check) form=TR tok=9999990"},   // 999999 and a 0 typed after it
    {"TR 1000003 NFE", "err:bad_case(check) form=TR tok=1000003"},
    {"TR 1000020 NFE", "err:bad_case(check) form=TR tok=1000020"}, // neighbours swapped
    {"TR 0204812 NFE", "err:bad_case form=TR tok=0204812"}, // a leading zero: no seven-digit code
    {"TR 10000020 NFE", "err:bad_case form=TR tok=10000020"},
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
    {"VER 204812 no dup", "VER 204812 NO DUP"},
    {"VER 204812 YES", "VER 204812 OK"},
    {"VER 204812 ТИЙМ", "VER 204812 OK"},
    {"VER 204812 үгүй NOTCL", "VER 204812 NO NOTCL"},
    {"VER 204812 MAYBE", "err:bad_outcome form=VER tok=MAYBE"},
    {"VER 204812", "err:missing_field form=VER field=outcome"},
    {"VER 204812 NO # not at the gher school since Monday", "err:missing_field form=VER field=reason"},
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

// RISK: a child at risk (cases.md 3). Like ID, but a reason instead of work, no hazards, ages from
// min_prevention_age (3) and never urgent.
const sample risk_reports[] = {
    {"RISK ALT 2B 8 SIB", "RISK ALT 2B0G0U 8-8 SIB"},
    {"risk alt g 4 drop # not enrolled", "RISK ALT 0B1G0U 4-4 DROP #not enrolled"},
    {"RISK ULT 1 ХҮҮ 3 нас FAM", "RISK ULT 1B0G0U 3-3 FAM"},
    {"ЭРСДЭЛ ALT 2B1G 10-12 STREET", "RISK ALT 2B1G0U 10-12 STREET"},
    {"эрсдэл alt 1 охин 6 sib", "RISK ALT 0B1G0U 6-6 SIB"},
    {"RISK АLТ B 17 ОТНЕR", "RISK ALT 1B0G0U 17-17 OTHER"}, // Cyrillic А Т О Т Н Е
    {"RISK ALT SIB 2G 9", "RISK ALT 0B2G0U 9-9 SIB"},
    {"RISK ALT 3 B 5Y FAM", "RISK ALT 3B0G0U 5-5 FAM"},
    {"RISK ALT B 3-4 DROP", "RISK ALT 1B0G0U 3-4 DROP"},
    {"RISK ALT B 2 DROP", "err:bad_age form=RISK tok=2"},
    {"RISK ALT B 2-4 DROP", "err:bad_age form=RISK tok=2-4"},
    {"RISK ALT B 18 DROP", "err:adult_age form=RISK tok=18"},
    {"RISK ALT B 16-18 DROP", "err:adult_age form=RISK tok=16-18"},
    {"RISK ALT B 12 SIBB", "err:unknown_risk form=RISK tok=SIBB sugg=SIB"},
    {"RISK ALT B 12 STRET", "err:unknown_risk form=RISK tok=STRET sugg=STREET"},
    {"RISK ALT B 12 POOR", "err:unknown_risk form=RISK tok=POOR"},
    {"RISK ALT B 12 MINE", "err:unknown_risk form=RISK tok=MINE"},
    {"RISK ALT B 12 DROP SHAFT", "err:unknown_risk form=RISK tok=SHAFT"},
    {"RISK ALT B 12 DROP SIB", "err:unknown_risk form=RISK tok=SIB"},
    {"RISK ALT B 12", "err:missing_field form=RISK field=reason"},
    {"RISK ALT DROP", "err:missing_field form=RISK field=children"},
    {"RISK ALT B DROP", "err:missing_field form=RISK field=age"},
    {"RISK 2B 12 DROP", "err:missing_field form=RISK field=site"},
    {"RISK ALX B 12 DROP", "err:unknown_site form=RISK tok=ALX sugg=ALT"},
    {"RISK ALT 12 DROP", "err:unplaced_number form=RISK tok=12"},
    {"RISK ALT 21B 12 DROP", "err:too_many_children form=RISK tok=21B"},
    {"RISC ALT B 12 DROP", "err:unknown_keyword tok=RISC sugg=RISK"},
};
INSTANTIATE_TEST_SUITE_P(risk_reports, parse_table, ::testing::ValuesIn(risk_reports));

// TR with one school code and one work code in either order; MOVED and MISS alone.
const sample tracking_statuses[] = {
    {"TR 204812 STOP", "TR 204812 STOP w=STOP"},
    {"TR 204812 LESS", "TR 204812 LESS w=LESS"},
    {"TR 204812 VOC", "TR 204812 VOC s=VOC"},
    {"TR 204812 DROP", "TR 204812 DROP s=DROP"},
    {"TR 204812 NFE STOP", "TR 204812 NFE STOP s=NFE w=STOP"},
    {"TR 204812 STOP NFE", "TR 204812 STOP NFE s=NFE w=STOP"},
    {"tr 204812 sch less", "TR 204812 SCH LESS s=SCH w=LESS"},
    {"TR 204812 HOME VOC", "TR 204812 HOME VOC s=VOC w=HOME"},
    {"TR 204812 DROP WORK # at the market", "TR 204812 DROP WORK s=DROP w=WORK #at the market"},
    {"TR NFE 204812 STOP", "TR 204812 NFE STOP s=NFE w=STOP"},
    {"ТR 204812 КG НОМЕ", "TR 204812 KG HOME s=KG w=HOME"}, // Cyrillic Т К Н О М Е
    {"TR 204812 STOP STOP", "TR 204812 STOP w=STOP"},
    {"TR 204812 NFE STOP TODAY", "TR 204812 NFE STOP s=NFE w=STOP"},
    {"TR 204812 NFE SCH", "err:conflicting_status form=TR tok=SCH"},
    {"TR 204812 STOP WORK", "err:conflicting_status form=TR tok=WORK"},
    {"TR 204812 home less", "err:conflicting_status form=TR tok=less"},
    {"TR 204812 MOVED STOP", "err:conflicting_status form=TR tok=STOP"},
    {"TR 204812 NFE MISS", "err:conflicting_status form=TR tok=MISS"},
    {"TR 204812 MISS MOVED", "err:conflicting_status form=TR tok=MOVED"},
    {"TR 204812 NFE STOP KG", "err:conflicting_status form=TR tok=KG"},
    {"TR 204812 nfe stop moved", "err:conflicting_status form=TR tok=moved"},
    {"TR 204812 NFE STPO", "err:unknown_status form=TR tok=STPO sugg=STOP"},
    {"TR 204812 LES", "err:unknown_status form=TR tok=LES sugg=LESS"},
    {"TR 204812 NFE TODAY", "err:unknown_status form=TR tok=TODAY"},
};
INSTANTIATE_TEST_SUITE_P(tracking_statuses, parse_table, ::testing::ValuesIn(tracking_statuses));

// The team forms of the case life cycle (cases.md 2).
const sample team_forms[] = {
    {"VER 204812 NO NOTCL", "VER 204812 NO NOTCL"},
    {"VER 204812 NO DUP # same boy as 204820", "VER 204812 NO DUP #same boy as 204820"},
    {"VERIFY 204812 no other", "VER 204812 NO OTHER"},
    {"VER NO 204812 NOTFOUND", "VER 204812 NO NOTFOUND"},
    {"VER 204812 OK # seen at the pit", "VER 204812 OK #seen at the pit"},
    {"VER 204812 NO", "err:missing_field form=VER field=reason"},
    {"VER 204812 NO NOTFUND", "err:unknown_reason form=VER tok=NOTFUND sugg=NOTFOUND"},
    {"VER 204812 NO BUSY", "err:unknown_reason form=VER tok=BUSY"},
    {"VER 204812 NO DONE", "err:unknown_reason form=VER tok=DONE"}, // a CLOSE reason, not a dismissal
    {"VER 204813 NO DUP", "err:bad_case(check) form=VER tok=204813"},
    {"PLAN 204812 W", "PLAN 204812 W"},
    {"plan 204812 p risk", "PLAN 204812 P RISK"},
    {"PLAN 204812 P DROP", "PLAN 204812 P DROP"},
    {"PLAN 204812 W CL # mine owner told", "PLAN 204812 W CL #mine owner told"},
    {"PLAN 204812 W HARD", "PLAN 204812 W HARD"},
    {"PLAN 204812 Р", "PLAN 204812 P"}, // Cyrillic Р
    {"PLAN 204812 w wfcl", "PLAN 204812 W WFCL"},
    {"PLAN 204812", "err:missing_field form=PLAN field=target"},
    {"PLAN 204812 WFCL", "err:missing_field form=PLAN field=target"},
    {"PLAN 204812 X", "err:bad_target form=PLAN tok=X"},
    {"PLAN 204812 WW", "err:bad_target form=PLAN tok=WW sugg=W"},
    {"PLAN 204812 W WFLC", "err:unknown_category form=PLAN tok=WFLC sugg=WFCL"},
    {"PLAN 204812 W POOR", "err:unknown_category form=PLAN tok=POOR"},
    {"PLAN W", "err:missing_field form=PLAN field=case"},
    {"PLAM 204812 W", "err:unknown_keyword tok=PLAM sugg=PLAN"},
    {"SVC 204812 FAMILY FAM", "SVC 204812 FAMILY FAM"},
    {"SERVICE 204812 HEALTH fam", "SVC 204812 HEALTH FAM"},
    {"SVC 204812 SOCIAL гэр", "SVC 204812 SOCIAL FAM"},
    {"svc 204812 fam social", "SVC 204812 SOCIAL FAM"},
    {"SVC 204812 NFE # books and a uniform", "SVC 204812 NFE #books and a uniform"},
    {"SVC 204812 NFE SCHOOL TODAY", "SVC 204812 NFE"},
    {"SVC 204812 NFE FAMM", "err:unknown_service form=SVC tok=FAMM sugg=FAM"},
    {"SVC 204812 HELTH", "err:unknown_service form=SVC tok=HELTH sugg=HEALTH"},
    {"SVC 204812", "err:missing_field form=SVC field=service"},
    {"SVC 204812 FAM", "err:missing_field form=SVC field=service"},
    {"SVS 204812 NFE", "err:unknown_keyword tok=SVS sugg=SVC"},
    {"OUTCOME 204812 pr", "OUT 204812 PR"},
    {"OUT 204812 LESS", "OUT 204812 LESS"},
    {"OUT 204812 NO # still at the pit", "OUT 204812 NO #still at the pit"},
    {"ОUТ 204812 WD", "OUT 204812 WD"}, // Cyrillic О Т
    {"OUT 204812 РR", "OUT 204812 PR"}, // Cyrillic Р
    {"OUT 204812", "err:missing_field form=OUT field=outcome"},
    {"OUT 204812 LES", "err:bad_outcome form=OUT tok=LES sugg=LESS"},
    {"OUT 204812 DONE", "err:bad_outcome form=OUT tok=DONE"},
    {"OUT 204812 OK", "err:bad_outcome form=OUT tok=OK"},
    {"OUT 20481 WD", "err:bad_case form=OUT tok=20481"},
    {"OUTT 204812 WD", "err:unknown_keyword tok=OUTT sugg=OUT"},
    {"merge 204820 204812 # the same girl, seen twice", "MERGE 204820 204812 #the same girl, seen twice"},
    {"MERGE 204820", "err:missing_field form=MERGE field=into"},
    {"MERGE", "err:missing_field form=MERGE field=case"},
    {"MERGE 204812 204812", "err:same_case form=MERGE tok=204812"},
    {"MERGE 204820 204813", "err:bad_case(check) form=MERGE tok=204813"},
    {"MERGE 204821 204812", "err:bad_case(check) form=MERGE tok=204821"},
    {"MERGE 204820 2048", "err:bad_case form=MERGE tok=2048"},
    {"MERGE 1000015 204812", "MERGE 1000015 204812"}, // a seven-digit case into a six-digit one
    {"MERGE 204812 1000015", "MERGE 204812 1000015"},
    {"MERGE 1000015 1000051", "err:bad_case(check) form=MERGE tok=1000051"},
    {"REF 1000002 HEALTH", "REF 1000002 HEALTH"},
    {"VER 1000002 OK", "VER 1000002 OK"},
    {"OUT 1000002 WD", "OUT 1000002 WD"},
    {"MERGE 204820 204812 204836", "err:unplaced_number form=MERGE tok=204836"},
    {"MERG 204820 204812", "err:unknown_keyword tok=MERG sugg=MERGE"},
    {"HELP PLAN", "HELP PLAN"},
    {"help svc", "HELP SVC"},
    {"? risk", "HELP RISK"},
};
INSTANTIATE_TEST_SUITE_P(team_forms, parse_table, ::testing::ValuesIn(team_forms));

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

TEST(parse_sms, every_risk_age_from_the_prevention_age_to_seventeen_is_accepted_and_others_refused) {
    const lexicon& lex = testing::demo_lexicon();
    const int youngest = lex.lang().min_prevention_age;
    ASSERT_EQ(youngest, 3);
    for (int age = 0; age <= 30; ++age) {
        const std::string text = "RISK ALT 1G " + std::to_string(age) + " SIB";
        auto r = parse_sms(text, lex);
        if (age >= youngest && age <= 17) {
            ASSERT_TRUE(r) << text;
            EXPECT_EQ(std::get<risk_report>(r->body).age_min, age);
            EXPECT_FALSE(r->urgent) << text;
        } else {
            ASSERT_FALSE(r) << text;
            EXPECT_EQ(r.error().code, age >= 18 ? errc::adult_age : errc::bad_age) << text;
        }
    }
}

TEST(parse_sms, a_configured_prevention_age_moves_the_youngest_risk_age_but_not_the_id_age) {
    language l = default_language();
    l.min_prevention_age = 6;
    const lexicon lex(std::move(l), {"ALT"});
    EXPECT_TRUE(parse_sms("RISK ALT B 6 DROP", lex));
    auto r = parse_sms("RISK ALT B 5 DROP", lex);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, errc::bad_age);
    EXPECT_TRUE(parse_sms("ID ALT B 5 MINE", lex));
}

TEST(parse_sms, a_two_code_tr_keeps_the_codes_in_typed_order_and_the_first_as_its_status) {
    auto r = parse_sms("TR 204812 stop nfe", testing::demo_lexicon());
    ASSERT_TRUE(r);
    const auto& t = std::get<tracking>(r->body);
    EXPECT_EQ(t.status, "STOP");
    EXPECT_EQ(t.codes, (std::vector<std::string>{"STOP", "NFE"}));
    EXPECT_EQ(t.school, std::optional<std::string>("NFE"));
    EXPECT_EQ(t.work, std::optional<std::string>("STOP"));
}

TEST(parse_sms, every_school_code_goes_with_every_work_code_in_either_order) {
    const lexicon& lex = testing::demo_lexicon();
    int checked = 0;
    for (const auto& a : lex.lang().statuses)
        for (const auto& b : lex.lang().statuses) {
            const std::string text = "TR 204812 " + a.code + " " + b.code;
            auto r = parse_sms(text, lex);
            const bool pair = a.code != b.code && ((a.group == "school" && b.group == "work") ||
                                                   (a.group == "work" && b.group == "school"));
            if (a.code == b.code) {
                ASSERT_TRUE(r) << text; // the same code twice is one code
                EXPECT_EQ(std::get<tracking>(r->body).codes.size(), 1u) << text;
            } else if (pair) {
                ASSERT_TRUE(r) << text;
                const auto& t = std::get<tracking>(r->body);
                EXPECT_EQ(t.school.value(), a.group == "school" ? a.code : b.code) << text;
                EXPECT_EQ(t.work.value(), a.group == "work" ? a.code : b.code) << text;
                ++checked;
            } else {
                ASSERT_FALSE(r) << text;
                EXPECT_EQ(r.error().code, errc::conflicting_status) << text;
                EXPECT_EQ(r.error().token, b.code) << text;
            }
        }
    EXPECT_EQ(checked, 2 * 5 * 4); // SCH NFE KG VOC DROP x STOP HOME LESS WORK, both orders
}

TEST(parse_sms, merge_checks_the_check_digit_of_the_kept_case_too) {
    const lexicon& lex = testing::demo_lexicon();
    const std::string kept = make_case_code(20481);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        std::string bad = kept;
        bad[i] = bad[i] == '9' ? '0' : static_cast<char>(bad[i] + 1);
        auto r = parse_sms("MERGE 204820 " + bad, lex);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, errc::bad_case_check_digit) << bad;
        EXPECT_EQ(r.error().token, bad);
    }
}

TEST(parse_sms, the_new_error_codes_and_fields_have_their_stable_names) {
    EXPECT_EQ(error_code_name(errc::unknown_risk), "unknown_risk");
    EXPECT_EQ(error_code_name(errc::bad_target), "bad_target");
    EXPECT_EQ(error_code_name(errc::unknown_category), "unknown_category");
    EXPECT_EQ(error_code_name(errc::same_case), "same_case");
    EXPECT_EQ(error_code_name(errc::conflicting_status), "conflicting_status");
    EXPECT_EQ(field_name(field::target), "target");
    EXPECT_EQ(field_name(field::into), "into");
    EXPECT_EQ(make_error_code(errc::same_case).message(), "same_case");
}

TEST(parse_sms, a_case_code_with_any_single_wrong_digit_is_refused_as_a_check_digit_error) {
    const lexicon& lex = testing::demo_lexicon();
    for (const std::string& good : {make_case_code(20481), make_case_code(100000), make_case_code(654321)})
    for (std::size_t i = 0; i < good.size(); ++i)
        for (char d = '0'; d <= '9'; ++d) {
            if (d == good[i])
                continue;
            std::string bad = good;
            bad[i] = d;
            auto r = parse_sms("TR " + bad + " NFE", lex);
            ASSERT_FALSE(r) << bad;
            // A seven-digit code whose first digit became 0 is no code at all.
            EXPECT_EQ(r.error().code, bad.size() == 7 && bad[0] == '0' ? errc::bad_case : errc::bad_case_check_digit)
                << bad;
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
