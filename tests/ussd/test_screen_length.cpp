// The screen limit (spec/ussd.md: 160 octets, 182 GSM-7 or 80 UCS-2 characters), and a property
// test over the configured tree: every screen of every path, in both languages, with long site
// lists, long site names and long typed answers in the reasons, fits one screen.
#include "ussd/dialogue.hpp"
#include "ussd/screen.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace kharuul;
using namespace kharuul::ussd;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

struct walk_stats {
    std::size_t screens = 0;
    std::size_t completed = 0;
    std::vector<std::string> over;
};

// Every path: the sample answers of each screen, plus refused inputs (a long junk token, an
// out-of-range number), back and top, at every screen.
void walk(const dialogue_fsm& fsm, walk_stats& stats, int depth) {
    const dialogue_state s = fsm.state();
    ++stats.screens;
    if (!fits_screen(s.text))
        stats.over.push_back(s.text);
    if (s.what != dialogue_state::kind::screen) {
        stats.completed += s.what == dialogue_state::kind::completed;
        return;
    }
    if (depth > 12)
        return;
    std::vector<std::string> inputs = fsm.sample_inputs();
    if (s.at == screen::site && inputs.size() > 3) // the first, the last shown, and 9 Other
        inputs.erase(inputs.begin() + 1, inputs.end() - 2);
    for (const auto& in : inputs) {
        dialogue_fsm next = fsm;
        next.feed(in);
        walk(next, stats, depth + 1);
    }
    // A re-asked screen (or one gone back to) has the same continuations as the one first shown:
    // measured, not walked again.
    for (const std::string in : {std::string("99"), std::string("0"), std::string("00"), repeat("Ж", 40)}) {
        dialogue_fsm next = fsm;
        next.feed(in);
        if (const dialogue_state after = next.state(); !fits_screen(after.text))
            stats.over.push_back(after.text);
    }
}

} // namespace

TEST(ussd_screen, a_screen_holds_182_gsm7_characters_or_80_ucs2_characters) {
    EXPECT_TRUE(fits_screen(repeat("a", 182)));
    EXPECT_FALSE(fits_screen(repeat("a", 183)));
    EXPECT_TRUE(fits_screen(repeat("Ж", 80)));
    EXPECT_FALSE(fits_screen(repeat("Ж", 81)));
    EXPECT_FALSE(fits_screen(repeat("a", 80) + "Ж")); // one Cyrillic letter makes it UCS-2
    EXPECT_TRUE(fits_screen(repeat("[", 91)));         // the extension table counts twice
    EXPECT_FALSE(fits_screen(repeat("[", 92)));
    EXPECT_EQ(measure_screen("Ж").limit, ucs2_screen_limit);
    EXPECT_EQ(measure_screen("a").limit, gsm7_screen_limit);
}

TEST(ussd_screen, every_screen_of_every_path_fits_in_both_languages_with_long_site_lists) {
    std::vector<std::string> codes;
    std::vector<site_choice> long_sites;
    for (int i = 0; i < 12; ++i) {
        const std::string code = "S" + std::to_string(10 + i) + "LONGCODE";
        codes.push_back(code);
        long_sites.push_back({code, "A site with a very long name number " + std::to_string(i)});
    }
    const parser::lexicon lex(parser::default_language(), codes);
    const menu m = default_menu();
    for (const auto lang : {parser::reply_language::en, parser::reply_language::mn}) {
        for (const auto& sites : {std::vector<site_choice>{}, long_sites,
                                  std::vector<site_choice>{{"S10LONGCODE", repeat("Ё", 70)}}}) {
            sender_profile who;
            who.registered = true;
            who.lang = lang;
            who.own_sites = sites;
            walk_stats stats;
            walk(dialogue_fsm(m, lex, who), stats, 0);
            const std::vector<std::string> old{"1", "1", "2"};
            walk(dialogue_fsm(m, lex, who, old), stats, 0);
            EXPECT_GT(stats.completed, 1000u);
            EXPECT_TRUE(stats.over.empty()) << stats.over.size() << " screens over the limit, e.g.\n"
                                            << (stats.over.empty() ? "" : stats.over.front());
        }
    }
}

TEST(ussd_screen, the_site_screen_drops_names_then_sites_to_fit) {
    std::vector<std::string> codes;
    sender_profile who;
    who.registered = true;
    for (int i = 0; i < 10; ++i) {
        codes.push_back("SITE" + std::to_string(i));
        who.own_sites.push_back({codes.back(), repeat("n", 30)});
    }
    const parser::lexicon lex(parser::default_language(), codes);
    const menu m = default_menu();
    const std::vector<std::string> one{"1"};
    const dialogue_state s = run_dialogue(m, lex, who, {}, one);
    EXPECT_TRUE(fits_screen(s.text));
    EXPECT_EQ(s.text.find("nnn"), std::string::npos);
    EXPECT_NE(s.text.find("8 SITE7"), std::string::npos); // eight sites, then 9 Other
    EXPECT_NE(s.text.find("9 Other site code"), std::string::npos);
}

TEST(ussd_screen, the_default_menu_passes_its_own_check) {
    const parser::lexicon lex(parser::default_language(), {"ALT", "ULT"});
    const auto problems = check_menu(default_menu(), lex);
    EXPECT_TRUE(problems.empty()) << problems.front().message;
}

TEST(ussd_screen, a_menu_text_over_the_limit_is_named_by_its_key) {
    const parser::lexicon lex(parser::default_language(), {"ALT"});
    menu m = default_menu();
    m.work.mn = repeat("Ажил ", 10);
    const auto problems = check_menu(m, lex);
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems.front().keys.front(), "texts.work");
    EXPECT_NE(problems.front().message.find("(mn)"), std::string::npos) << problems.front().message;
}

TEST(ussd_screen, option_lists_must_name_codes_of_the_language) {
    const parser::lexicon lex(parser::default_language(), {"ALT"});
    menu m = default_menu();
    m.works.push_back({"GOLD", {"Gold", "Алт"}});
    EXPECT_EQ(check_options("work", m.works, lex), "\"GOLD\" is not a work code");
    EXPECT_EQ(check_options("school", {{"STOP", {"a", "b"}}}, lex),
              "\"STOP\" is not a school status (it is a work status: list it under work_now)");
    EXPECT_EQ(check_options("danger", {{"SHAFT", {"a", "b"}}, {"SHAFT", {"c", "d"}}}, lex),
              "\"SHAFT\" is listed twice");
    EXPECT_EQ(check_options("top", {{"HELP", {"a", "b"}}}, lex),
              "offers no report: list at least one of ID, RISK, NIL, TR");
    EXPECT_FALSE(check_options("danger", default_menu().dangers, lex));
}
