// Tests of ussd/dialogue.hpp over the default menu (spec/ussd.md): every path of the tree in both
// languages ends in the equivalent SMS that the parser accepts; every re-ask keeps the screen and
// says why; 0 goes back, 00 to the top; the END screens worded from the intake's outcome.
#include "ussd/dialogue.hpp"

#include "parser/case_code.hpp"
#include "parser/sms.hpp"
#include "ussd/screen.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace kharuul;
using namespace kharuul::ussd;
using parser::reply_language;

namespace {

const parser::lexicon& lex() {
    static const parser::lexicon l(parser::default_language(), {"ALT", "ULT", "DKH"});
    return l;
}

const menu& default_tree() {
    static const menu m = default_menu();
    return m;
}

sender_profile volunteer(reply_language lang, std::vector<site_choice> sites = {{"ALT", "Altan-Us"}, {"ULT", "Ulaan-Tolgoi"}}) {
    sender_profile p;
    p.registered = true;
    p.lang = lang;
    p.own_sites = std::move(sites);
    return p;
}

dialogue_state run(const std::vector<std::string>& inputs, reply_language lang = reply_language::en,
                   const sender_profile* who = nullptr) {
    static sender_profile en = volunteer(reply_language::en);
    static sender_profile mn = volunteer(reply_language::mn);
    const sender_profile& p = who ? *who : (lang == reply_language::mn ? mn : en);
    return run_dialogue(default_tree(), lex(), p, {}, inputs);
}

const std::string a_case = parser::make_case_code(10000);

struct path_row {
    const char* what;
    std::vector<std::string> inputs;
    std::string sms;
};

std::vector<path_row> paths() {
    std::vector<path_row> rows = {
        {"ID at an own site", {"1", "1", "2", "1", "12", "1", "2", "1"}, "ID ALT 2B 12 MINE SHAFT"},
        {"ID at another site typed", {"1", "9", "dkh", "1", "2", "14", "4", "1", "1"}, "ID DKH 1G 14 TRADE"},
        {"ID of boys and girls", {"1", "2", "3", "3", "1", "11", "2", "5", "1"}, "ID ULT 1B2G 11 PAN NIGHT"},
        {"ID of unknown sex", {"1", "1", "3", "4", "17", "8", "4", "1"}, "ID ALT 3U 17 OTHER ALONE"},
        {"ID of 20 children", {"1", "1", "20", "2", "5", "7", "3", "1"}, "ID ALT 20G 5 BRICK HURT"},
        {"RISK at an own site", {"2", "1", "1", "1", "4", "1", "1"}, "RISK ALT 1B 4 DROP"},
        {"RISK of boys and girls", {"2", "9", "ULT", "4", "3", "2", "3", "5", "1"}, "RISK ULT 2B2G 3 OTHER"},
        {"NIL at an own site", {"3", "2"}, "NIL ULT"},
        {"NIL at another site", {"3", "9", "ALT"}, "NIL ALT"},
        {"TR school and work", {"4", a_case, "2", "1"}, "TR " + a_case + " NFE STOP"},
        {"TR moved away asks no work", {"4", a_case, "6"}, "TR " + a_case + " MOVED"},
        {"TR whereabouts unknown", {"4", a_case, "7"}, "TR " + a_case + " MISS"},
        {"TR work only", {"4", a_case, "8", "3"}, "TR " + a_case + " WORK"},
        {"TR school only", {"4", a_case, "1", "4"}, "TR " + a_case + " SCH"},
    };
    // Every work, danger, risk reason and status choice.
    const menu& m = default_tree();
    for (std::size_t i = 0; i < m.works.size(); ++i)
        rows.push_back({"ID work choice", {"1", "1", "1", "1", "9", std::to_string(i + 1), "1", "1"},
                        "ID ALT 1B 9 " + m.works[i].code});
    for (std::size_t i = 0; i < m.dangers.size(); ++i)
        rows.push_back({"ID danger choice", {"1", "1", "1", "1", "9", "1", std::to_string(i + 1), "1"},
                        "ID ALT 1B 9 MINE" + (m.dangers[i].code.empty() ? "" : " " + m.dangers[i].code)});
    for (std::size_t i = 0; i < m.risk_reasons.size(); ++i)
        rows.push_back({"RISK reason choice", {"2", "1", "1", "2", "9", std::to_string(i + 1), "1"},
                        "RISK ALT 1G 9 " + m.risk_reasons[i].code});
    for (std::size_t i = 0; i + 1 < m.schools.size(); ++i) {
        if (m.schools[i].code == "MOVED" || m.schools[i].code == "MISS")
            continue;
        for (std::size_t j = 0; j < m.work_nows.size(); ++j)
            rows.push_back({"TR status choice", {"4", a_case, std::to_string(i + 1), std::to_string(j + 1)},
                            "TR " + a_case + " " + m.schools[i].code +
                                (m.work_nows[j].code.empty() ? "" : " " + m.work_nows[j].code)});
    }
    return rows;
}

} // namespace

TEST(ussd_dialogue, every_path_of_the_default_tree_ends_in_the_sms_the_parser_accepts_in_both_languages) {
    for (const auto lang : {reply_language::en, reply_language::mn}) {
        for (const auto& row : paths()) {
            SCOPED_TRACE(std::string(row.what) + (lang == reply_language::mn ? " (mn)" : " (en)"));
            const dialogue_state s = run(row.inputs, lang);
            ASSERT_EQ(s.what, dialogue_state::kind::completed) << s.text;
            ASSERT_TRUE(s.report);
            EXPECT_EQ(s.report->sms_text, row.sms);
            EXPECT_EQ(s.report->steps.size(), row.inputs.size());
            const auto parsed = parser::parse_sms(s.report->sms_text, lex());
            ASSERT_TRUE(parsed) << parser::error_code_name(parsed.error().code);
            EXPECT_EQ(parsed->kind, s.report->form);
            EXPECT_EQ(s.form, s.report->form);
        }
    }
}

TEST(ussd_dialogue, the_screens_are_in_the_senders_language) {
    EXPECT_EQ(run({}).text, "Child labour report\n1 Report a child at work\n2 Report a child at risk\n"
                            "3 Visit: no child seen\n4 Follow up a case\n5 Help");
    EXPECT_TRUE(run({}, reply_language::mn).text.starts_with("Хүүхдийн хөдөлмөр\n1 "));
    EXPECT_EQ(run({"1"}).text, "Site:\n1 ALT Altan-Us\n2 ULT Ulaan-Tolgoi\n9 Other site code");
    EXPECT_EQ(run({"1", "1"}).text, "How many children? (1-20)");
    EXPECT_EQ(run({"1", "1", "2"}).text, "Sex:\n1 Boy(s)\n2 Girl(s)\n3 Boys and girls\n4 Unknown");
    EXPECT_EQ(run({"1", "1", "3", "3"}).text, "How many boys? (1-2)");
    EXPECT_EQ(run({"1", "1", "2", "1"}).text, "Age (5-17):");
    EXPECT_EQ(run({"2", "1", "2", "1"}).text, "Age (3-17):");
    EXPECT_EQ(run({"1", "1", "2", "1", "12", "1", "2"}).text,
              "2 boys ~12, mining, shaft, at ALT.\n1 Send\n2 Cancel");
    EXPECT_EQ(run({"1", "1", "2", "1", "12", "1", "2"}, reply_language::mn).text,
              "2 хүү ~12, уурхай, нүхэнд, ALT.\n1 Илгээх\n2 Цуцлах");
    EXPECT_EQ(run({"2", "1", "1", "2", "4", "1"}).text, "1 girl ~4, out of school, at ALT.\n1 Send\n2 Cancel");
    EXPECT_EQ(run({"4"}).text, "Case number:");
}

TEST(ussd_dialogue, a_sender_without_own_sites_is_asked_for_the_site_code) {
    const sender_profile none = volunteer(reply_language::en, {});
    const dialogue_state s = run({"1"}, reply_language::en, &none);
    EXPECT_EQ(s.at, screen::site_code);
    EXPECT_EQ(s.text, "Site code:");
    EXPECT_EQ(run({"3", "ult"}, reply_language::en, &none).report->sms_text, "NIL ULT");
    EXPECT_EQ(run({"3", "ult", "0"}, reply_language::en, &none).at, screen::site_code); // completed: ignored
    EXPECT_EQ(run({"1", "0"}, reply_language::en, &none).at, screen::top);
}

struct reask_row {
    const char* what;
    std::vector<std::string> inputs;
    screen at;
    std::string reason_en;
};

TEST(ussd_dialogue, input_that_does_not_fit_re_asks_the_same_screen_with_a_short_reason) {
    const std::vector<reask_row> rows = {
        {"top out of range", {"7"}, screen::top, "Choose 1-5."},
        {"top not a number", {"x"}, screen::top, "Choose 1-5."},
        {"top empty", {""}, screen::top, "Choose 1-5."},
        {"site out of range", {"1", "5"}, screen::site, "Choose 1-2. 9"},
        {"unknown site code", {"1", "9", "QQQ"}, screen::site_code, "Unknown site QQQ."},
        {"near site code", {"1", "9", "ALX"}, screen::site_code, "Unknown site ALX. Did you mean ALT?"},
        {"too many children", {"1", "1", "21"}, screen::children, "Enter a number 1-20."},
        {"no children", {"1", "1", "00x"}, screen::children, "Enter a number 1-20."},
        {"boys and girls of one child", {"1", "1", "1", "3"}, screen::sex, "Only 1 child: choose another."},
        {"all boys of two", {"1", "1", "2", "3", "2"}, screen::boys, "Enter a number 1-1."},
        {"an adult", {"1", "1", "2", "1", "18"}, screen::age, "Enter a number 5-17."},
        {"too young for ID", {"1", "1", "2", "1", "4"}, screen::age, "Enter a number 5-17."},
        {"too young for RISK", {"2", "1", "2", "1", "2"}, screen::age, "Enter a number 3-17."},
        {"work out of range", {"1", "1", "2", "1", "12", "9"}, screen::work, "Choose 1-8."},
        {"danger out of range", {"1", "1", "2", "1", "12", "1", "6"}, screen::danger, "Choose 1-5."},
        {"reason out of range", {"2", "1", "2", "1", "12", "6"}, screen::risk_reason, "Choose 1-5."},
        {"confirm out of range", {"1", "1", "2", "1", "12", "1", "2", "3"}, screen::confirm, "Choose 1-2."},
        {"a case code with a typo", {"4", "100001"}, screen::case_code, "Not a case number: check the digits."},
        {"a case code too short", {"4", "1234"}, screen::case_code, "Not a case number: check the digits."},
        {"nothing to save", {"4", a_case, "8", "4"}, screen::work_now, "Nothing to save: choose a status."},
    };
    for (const auto& row : rows) {
        SCOPED_TRACE(row.what);
        const dialogue_state s = run(row.inputs);
        ASSERT_EQ(s.what, dialogue_state::kind::screen);
        EXPECT_EQ(s.at, row.at);
        EXPECT_TRUE(s.text.starts_with(row.reason_en + "\n")) << s.text;
        // The same screen follows the reason, and it is the screen as first shown.
        std::vector<std::string> before(row.inputs.begin(), row.inputs.end() - 1);
        EXPECT_EQ(s.text.substr(row.reason_en.size() + 1), run(before).text);
        EXPECT_EQ(s.step, static_cast<int>(row.inputs.size()));
        // Mongolian reasons too, and the screen stays within the limit.
        const dialogue_state mn = run(row.inputs, reply_language::mn);
        EXPECT_EQ(mn.at, row.at);
        EXPECT_NE(mn.text, run(before, reply_language::mn).text);
        EXPECT_TRUE(fits_screen(mn.text)) << mn.text;
    }
}

TEST(ussd_dialogue, a_re_asked_screen_then_the_right_answer_goes_on) {
    EXPECT_EQ(run({"1", "1", "21", "2", "1", "12", "1", "2", "1"}).report->sms_text, "ID ALT 2B 12 MINE SHAFT");
    EXPECT_EQ(run({"1", "1", "2", "1", "12", "1", "2", "3", "1"}).report->sms_text, "ID ALT 2B 12 MINE SHAFT");
}

TEST(ussd_dialogue, zero_goes_back_one_screen_and_double_zero_to_the_top) {
    EXPECT_EQ(run({"1", "1", "0"}).at, screen::site);
    EXPECT_EQ(run({"1", "1", "2", "0", "3"}).at, screen::sex); // 3 children now
    EXPECT_EQ(run({"1", "1", "3", "3", "0"}).at, screen::sex);
    EXPECT_EQ(run({"1", "9", "0"}).at, screen::site);
    EXPECT_EQ(run({"1", "1", "2", "1", "12", "00"}).at, screen::top);
    EXPECT_EQ(run({"1", "1", "2", "1", "12", "00"}).text, run({}).text);
    EXPECT_EQ(run({"0"}).at, screen::top);
    EXPECT_EQ(run({"4", a_case, "0", "0"}).at, screen::top);
    EXPECT_EQ(run({"1", "1", "21", "0"}).at, screen::site); // back from a re-asked screen
    // Back changes the path: the report is what the last answers say.
    EXPECT_EQ(run({"1", "1", "2", "1", "12", "0", "0", "2", "14", "1", "1", "1"}).report->sms_text,
              "ID ALT 2G 14 MINE");
    EXPECT_EQ(run({"1", "00", "3", "1"}).report->sms_text, "NIL ALT");
    // The answers are only what leads to the screen.
    EXPECT_EQ(run({"1", "7", "1", "21", "2", "0", "3"}).answers, (std::vector<std::string>{"1", "1", "3"}));
}

TEST(ussd_dialogue, cancel_help_and_an_unregistered_number_end_without_a_report) {
    const dialogue_state cancelled = run({"1", "1", "2", "1", "12", "1", "2", "2"});
    EXPECT_EQ(cancelled.what, dialogue_state::kind::ended);
    EXPECT_EQ(cancelled.text, "Cancelled. Nothing was sent.");
    EXPECT_FALSE(cancelled.report);
    const dialogue_state help = run({"5"});
    EXPECT_EQ(help.what, dialogue_state::kind::ended);
    EXPECT_TRUE(help.text.find("0 goes back") != std::string::npos);
    sender_profile stranger;
    stranger.lang = reply_language::mn;
    stranger.service_code = "*500#";
    const dialogue_state s = run({}, reply_language::mn, &stranger);
    EXPECT_EQ(s.what, dialogue_state::kind::ended);
    EXPECT_EQ(s.text, "Дугаар бүртгэлгүй. Зохицуулагчдаа бүртгүүлээд *500# дахин залга.");
    stranger.lang = reply_language::en;
    EXPECT_TRUE(run({"1", "1"}, reply_language::en, &stranger).text.starts_with("This number is not registered."));
}

TEST(ussd_dialogue, a_resumable_dialogue_is_offered_first_and_the_answer_is_an_input) {
    const sender_profile who = volunteer(reply_language::en);
    const std::vector<std::string> old{"1", "1", "2"};
    const dialogue_state offer = run_dialogue(default_tree(), lex(), who, old, {});
    EXPECT_EQ(offer.at, screen::resume);
    EXPECT_EQ(offer.text, "Continue your report at step 4?\n1 Yes\n2 Start again");
    const std::vector<std::string> yes{"1"};
    const dialogue_state resumed = run_dialogue(default_tree(), lex(), who, old, yes);
    EXPECT_EQ(resumed.at, screen::sex);
    EXPECT_TRUE(resumed.resumed);
    const std::vector<std::string> finish{"1", "1", "12", "1", "2", "1"};
    EXPECT_EQ(run_dialogue(default_tree(), lex(), who, old, finish).report->sms_text, "ID ALT 2B 12 MINE SHAFT");
    const std::vector<std::string> again{"2"};
    const dialogue_state fresh = run_dialogue(default_tree(), lex(), who, old, again);
    EXPECT_EQ(fresh.at, screen::top);
    EXPECT_FALSE(fresh.resumed);
    EXPECT_TRUE(fresh.offer_answered);
    const std::vector<std::string> wrong{"3"};
    const dialogue_state reasked = run_dialogue(default_tree(), lex(), who, old, wrong);
    EXPECT_EQ(reasked.at, screen::resume);
    EXPECT_TRUE(reasked.text.starts_with("Choose 1-2.\nContinue your report at step 4?"));
    const sender_profile mn = volunteer(reply_language::mn);
    EXPECT_TRUE(run_dialogue(default_tree(), lex(), mn, old, {}).text.starts_with("4-р алхмаас"));
}

TEST(ussd_dialogue, the_end_screen_is_worded_from_the_intakes_outcome) {
    const completed_report id = *run({"1", "1", "2", "1", "12", "1", "2", "1"}).report;
    intake_result ok;
    ok.case_codes = {"100009", "100014"};
    ok.alerted = true;
    EXPECT_EQ(end_screen(default_tree(), lex(), reply_language::en, id, ok), "Sent. Cases 100009 100014. Team alerted.");
    EXPECT_EQ(end_screen(default_tree(), lex(), reply_language::mn, id, ok),
              "Илгээлээ. Хэрэг 100009 100014. Баг мэдлээ.");
    intake_result many;
    for (int i = 0; i < 20; ++i)
        many.case_codes.push_back(parser::make_case_code(static_cast<std::uint32_t>(10000 + i)));
    const std::string mn_many = end_screen(default_tree(), lex(), reply_language::mn, id, many);
    EXPECT_TRUE(fits_screen(mn_many)) << mn_many;
    EXPECT_NE(mn_many.find("(20)"), std::string::npos);
    EXPECT_EQ(end_screen(default_tree(), lex(), reply_language::en, *run({"3", "1"}).report, {}),
              "Visit recorded at ALT.");
    EXPECT_EQ(end_screen(default_tree(), lex(), reply_language::en, *run({"4", a_case, "2", "1"}).report, {}),
              "Saved: " + a_case + " in non-formal education, not working.");
    intake_result refused;
    refused.what = intake_result::status::rejected;
    refused.reply = "TR: no case 100009. Check the number.";
    EXPECT_EQ(end_screen(default_tree(), lex(), reply_language::en, *run({"4", a_case, "2", "1"}).report, refused),
              refused.reply);
    intake_result dup;
    dup.what = intake_result::status::duplicate;
    EXPECT_TRUE(end_screen(default_tree(), lex(), reply_language::en, id, dup).starts_with("Already received"));
}

TEST(ussd_dialogue, the_steps_are_described_for_the_message_log) {
    const dialogue_state s = run({"1", "9", "dkh", "1", "2", "14", "4", "1", "1"});
    EXPECT_EQ(describe_steps(s.report->steps),
              "top:1=ID site:9=- site_code:dkh=DKH children:1 sex:2=G age:14 work:4=TRADE danger:1=- confirm:1=send");
}
