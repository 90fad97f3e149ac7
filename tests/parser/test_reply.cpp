// Replies: the exact wording of the spec's examples, and the property that every reply, in both
// languages, for every kind of message and error, fits one SMS segment.
#include "parser/reply.hpp"

#include "parser/case_code.hpp"
#include "parser/segment.hpp"
#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <random>

namespace kharuul::parser {
namespace {

const lexicon& lex() {
    return testing::demo_lexicon();
}

// What the store did for a report that opened cases.
receipt opened(std::vector<std::string> codes, std::optional<std::uint64_t> alert) {
    receipt r;
    r.case_codes = std::move(codes);
    r.alert = alert;
    return r;
}

std::string reply_to(std::string_view text, reply_language l, const receipt& r = {}) {
    auto p = parse_sms(text, lex());
    return p ? confirmation_reply(*p, r, lex(), l) : error_reply(p.error(), lex(), l);
}

TEST(reply, id_confirmation_reads_as_in_the_spec) {
    const receipt r = opened({"204812", "204820"}, 17);
    EXPECT_EQ(reply_to("ID ALT 2B 12 MINE SHAFT", reply_language::en, r),
              "ID ok: 2 boys ~12 mining, shaft, at ALT. Cases 204812 204820. Team alerted (#17).");
}

TEST(reply, unknown_site_error_reads_as_in_the_spec) {
    EXPECT_EQ(reply_to("ID ALX 2B 12 MINE", reply_language::en),
              "ID: unknown site ALX. Did you mean ALT? Send: ID site children age work");
}

TEST(reply, nil_confirmation_reads_as_in_the_spec) {
    EXPECT_EQ(reply_to("NIL ALT", reply_language::en), "NIL ok: ALT visit recorded.");
}

TEST(reply, parse_without_a_store_shows_where_case_numbers_go) {
    auto p = parse_sms("ID ULT 2B1G 10-12 PAN MERC", lex());
    ASSERT_TRUE(p);
    EXPECT_EQ(confirmation_reply(*p, placeholder_receipt(*p), lex(), reply_language::en),
              "ID ok: 2 boys 1 girl ~10-12 panning, mercury, at ULT. Cases ###### ###### ######.");
}

TEST(reply, tracking_confirmation_names_the_new_status) {
    EXPECT_EQ(reply_to("TR 204812 NFE", reply_language::en), "TR ok: 204812 now in non-formal education.");
    EXPECT_EQ(reply_to("TR 204812 NFE", reply_language::mn), "TR OK: 204812 одоо албан бус боловсролд.");
}

TEST(reply, mongolian_replies_are_in_cyrillic_and_fit_seventy_characters) {
    const receipt r = opened({"204812", "204820"}, 17);
    const std::string s = reply_to("ИД АLТ 2 ХҮҮ 12 нас MINE SHAFT", reply_language::mn, r);
    EXPECT_EQ(measure_sms(s).encoding, sms_encoding::ucs2);
    EXPECT_LE(measure_sms(s).units, 70u) << s;
    EXPECT_NE(s.find("хүү"), std::string::npos) << s;
    EXPECT_NE(s.find("204812"), std::string::npos) << s;
}

TEST(reply, twenty_cases_are_shortened_with_a_count_never_split) {
    receipt r;
    for (std::uint32_t i = 0; i < 20; ++i)
        r.case_codes.push_back(make_case_code(20481 + i));
    r.alert = 123456;
    for (auto l : {reply_language::en, reply_language::mn}) {
        const std::string s = reply_to("ID ALT 10B10G 12 MINE SHAFT HURT ALONE NIGHT LOAD MERC", l, r);
        EXPECT_TRUE(fits_one_segment(s)) << s;
        EXPECT_NE(s.find("204812"), std::string::npos) << s;
        EXPECT_NE(s.find("+"), std::string::npos) << s;
        EXPECT_NE(s.find("123456"), std::string::npos) << s;
    }
}

TEST(reply, an_error_reply_names_the_problem_and_the_format) {
    EXPECT_EQ(reply_to("ID ALT 2B MINE", reply_language::en),
              "ID: age missing. Send: ID site children age work");
    EXPECT_EQ(reply_to("ID ALT 2B 19 MINE", reply_language::en),
              "ID: age 19 is an adult; report children under 18 only. Send: ID site children age work");
    EXPECT_EQ(reply_to("ID ALT 2B 12 DIG", reply_language::en),
              "ID: unknown work DIG. Work: MINE PAN CARRY TRADE COAL SCRAP BRICK HERD MEAT SEX OTHER");
    EXPECT_EQ(reply_to("TR 204813 NFE", reply_language::en),
              "TR: 204813 is not a valid case number; check the digits. Send: TR case status");
}

TEST(reply, an_unknown_keyword_lists_the_keywords) {
    EXPECT_EQ(reply_to("HELLO", reply_language::en), "Unknown code HELLO. Start with ID, NIL, RISK, TR, REF, "
                                                     "SVC, VER, PLAN, OUT, MERGE, CLOSE, ACK, INFO or HELP.");
    EXPECT_EQ(reply_to("IDD ALT", reply_language::en),
              "Unknown code IDD. Did you mean ID? Start with ID, NIL, RISK, TR, REF, SVC, VER, PLAN, OUT, "
              "MERGE, CLOSE, "
              "ACK, INFO or HELP.");
    // Mongolian has no room for thirteen keywords: the volunteer's forms.
    EXPECT_EQ(reply_to("HELLO", reply_language::mn),
              "Код HELLO танигдсангүй. Эхлэх: ID, NIL, RISK, TR, HELP.");
}

TEST(reply, an_empty_message_gets_the_code_card) {
    const std::string s = reply_to("", reply_language::en);
    EXPECT_EQ(s, help_reply(std::nullopt, lex(), reply_language::en));
    EXPECT_NE(s.find("ID site children age work"), std::string::npos) << s;
}

TEST(reply, acknowledgement_is_confirmed_with_the_alert_number) {
    EXPECT_EQ(reply_to("ACK 17", reply_language::en), "ACK ok: alert #17 acknowledged. Thank you.");
}

// Every sample, every help topic and every error, in both languages, with receipts of every
// size: nothing ever needs a second segment.
TEST(reply, every_reply_fits_one_segment) {
    std::vector<std::string> texts = {"ID ALT 2B 12 MINE SHAFT",
                                      "ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD",
                                      "ID ULT 2B1G 10-12 PAN MERC",
                                      "ID DKH G 15 SEX",
                                      "NIL ALT",
                                      "TR 204812 NFE",
                                      "TR 204812 WORK",
                                      "REF 204812 FAMILY",
                                      "VER 204812 NO",
                                      "CLOSE 204812 MOVED",
                                      "ACK 99999999999",
                                      "HELP",
                                      "",
                                      "ID ALX 2B 12 MINE",
                                      "ID ALT 2B 12 MINNE",
                                      "ID ALT 2B 12 MINE SHAFF",
                                      "ID ALT 12 MINE",
                                      "ID ALT 21B 12 MINE",
                                      "ID ALT 2Q 12 MINE",
                                      "ID ALT 2B 4 MINE",
                                      "ID ALT 2B 18 MINE",
                                      "TR 2048 NFE",
                                      "TR 204813 NFE",
                                      "TR 204812 XX",
                                      "REF 204812 XX",
                                      "VER 204812 XX",
                                      "CLOSE 204812 XX",
                                      "ACK X",
                                      "HELLO",
                                      "IDD ALT",
                                      "ID",
                                      "TR",
                                      "REF",
                                      "VER",
                                      "CLOSE",
                                      "ACK",
                                      "NIL",
                                      "NIL XXX",
                                      "RISK ALT G 8 DROP",
                                      "RISK ALT 2B1G 3-5 FAM",
                                      "RISK ALT G 2 DROP",
                                      "RISK ALT G 8 POOR",
                                      "RISK ALT G 8",
                                      "TR 204812 NFE STOP",
                                      "TR 204812 SCH NFE",
                                      "TR 204812 MISS STOP",
                                      "SVC 204812 NFE FAM",
                                      "SVC 204812",
                                      "VER 204812 NO NOTFOUND",
                                      "VER 204812 NO",
                                      "VER 204812 NO WHY",
                                      "PLAN 204812 W WFCL",
                                      "PLAN 204812 X",
                                      "PLAN 204812 P XX",
                                      "PLAN 204812",
                                      "OUT 204812 WD",
                                      "OUT 204812 NO",
                                      "OUT 204812 XX",
                                      "OUT 204812",
                                      "MERGE 204820 204812",
                                      "MERGE 204812 204812",
                                      "MERGE 204820",
                                      "RISK",
                                      "SVC",
                                      "PLAN",
                                      "OUT",
                                      "MERGE"};
    for (form f : all_forms)
        texts.push_back("HELP " + std::string(canonical_keyword(f)));
    // Long tokens echoed back in errors must not push a reply past one segment.
    const std::string long_token(300, 'Q');
    const std::string long_cyr = [] {
        std::string s;
        for (int i = 0; i < 100; ++i)
            s += "Ж";
        return s;
    }();
    for (const std::string& t : {long_token, long_cyr}) {
        texts.push_back("ID " + t + " 2B 12 MINE");
        texts.push_back("ID ALT 2B 12 " + t);
        texts.push_back("TR 204812 " + t);
        texts.push_back(t);
        texts.push_back("ACK " + t);
    }
    std::size_t checked = 0;
    for (const auto& text : texts)
        for (auto l : {reply_language::en, reply_language::mn})
            for (std::size_t cases : {0u, 1u, 2u, 5u, 20u}) {
                receipt r;
                for (std::size_t i = 0; i < cases; ++i)
                    r.case_codes.push_back(make_case_code(static_cast<std::uint32_t>(99990 + i))); // 6 and 7 digits
                r.alert = cases == 0 ? std::nullopt : std::optional<std::uint64_t>(18446744073709551615ull);
                const std::string s = reply_to(text, l, r);
                EXPECT_TRUE(fits_one_segment(s)) << text << " -> " << s;
                EXPECT_FALSE(s.empty()) << text;
                ++checked;
            }
    EXPECT_GT(checked, 500u);
}

TEST(reply, random_messages_always_get_a_reply_that_fits_one_segment) {
    const std::vector<std::string> pieces = {"ID",    "ИД",  "ALT",  "АLТ",   "2B",  "1G",     "ХҮҮ",  "12",
                                             "10-12", "нас", "MINE", "SHAFT", "TR",  "204812", "NFE",  "#",
                                             "note",  "ж",   "-",    ",",     "ACK", "17",     "HELP", "Q",
                                             "€",     "[",   "😀",    "0",     "20B"};
    std::mt19937 rng(42);
    for (int n = 0; n < 5000; ++n) {
        std::string text;
        const int len = static_cast<int>(rng() % 12);
        for (int i = 0; i < len; ++i)
            text += pieces[rng() % pieces.size()] + (rng() % 3 == 0 ? "" : " ");
        for (auto l : {reply_language::en, reply_language::mn}) {
            const std::string s = reply_to(text, l, opened({"204812", "204820"}, 17));
            ASSERT_TRUE(fits_one_segment(s)) << text << " -> " << s;
        }
    }
}

} // namespace
} // namespace kharuul::parser

namespace kharuul::parser {
namespace {

TEST(refusal_reply, an_unknown_case_is_named_with_the_nearest_code_of_the_sender) {
    EXPECT_EQ(refusal_reply(refusal::unknown_case, form::tr, "204821", "204812", lex(), reply_language::en),
              "TR: no case 204821. Did you mean 204812? Send: TR case status");
}

TEST(refusal_reply, a_volunteer_sending_a_team_form_is_told_who_may) {
    EXPECT_EQ(refusal_reply(refusal::not_allowed, form::ver, "", "", lex(), reply_language::en),
              "VER: only protection teams may send VER. You can send ID, NIL, RISK and TR.");
}

TEST(refusal_reply, every_refusal_fits_one_segment_in_both_languages) {
    // Long tokens and details, so that every candidate but the shortened last is too long.
    refusal_detail d;
    d.days = 123456;
    d.outcome = std::string(100, 'W');
    d.target = std::string(100, 'P');
    d.other = std::string(100, '8');
    d.area = std::string(200, 'A') + "/" + std::string(200, 'B');
    d.team = std::string(200, 'T');
    for (auto r :
         {refusal::unknown_case,    refusal::closed_case,   refusal::not_allowed,    refusal::unknown_alert,
          refusal::unregistered,    refusal::not_recipient, refusal::dismissed_case, refusal::past_triage,
          refusal::not_confirmed,   refusal::has_outcome,   refusal::lost_case,      refusal::needs_plan,
          refusal::target_mismatch, refusal::no_recent_tr,  refusal::not_stopped,    refusal::work_since_plan,
          refusal::no_less,         refusal::needs_outcome, refusal::not_mergeable,  refusal::merge_target,
          refusal::other_area})
        for (auto l : {reply_language::en, reply_language::mn})
            for (std::optional<form> f : {std::optional<form>(), std::optional<form>(form::close)})
                for (const refusal_detail& detail : {refusal_detail{}, d}) {
                    const std::string s =
                        refusal_reply(r, f, std::string(200, '9'), "204812", lex(), l, detail);
                    EXPECT_TRUE(fits_one_segment(s)) << s;
                    EXPECT_FALSE(s.empty());
                }
}

TEST(refusal_reply, cyrillic_text_from_an_unknown_sender_is_answered_in_mongolian) {
    EXPECT_EQ(guess_language("ИД ALT 2B 12 MINE"), reply_language::mn);
    EXPECT_EQ(guess_language("ID ALT 2B 12 MINE"), reply_language::en);
}

} // namespace
} // namespace kharuul::parser
