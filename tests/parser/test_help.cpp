// HELP by SMS teaches the codes: HELP WORK, HAZARD, STATUS and SITES list them with their meanings
// in pages of one segment each ("+8: HELP WORK 2"), HELP <form> names the form's codes or where to
// get them, in both languages and in either script, all generated from the configured language.
#include "parser/reply.hpp"

#include "parser/segment.hpp"
#include "tests/parser/describe_parse.hpp"
#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kharuul::parser {
namespace {

const lexicon& lex() {
    return testing::demo_lexicon();
}

constexpr reply_language en = reply_language::en;
constexpr reply_language mn = reply_language::mn;

std::string reply_to(std::string_view text, reply_language l, const receipt& r = {}) {
    auto p = parse_sms(text, lex());
    return p ? confirmation_reply(*p, r, lex(), l) : error_reply(p.error(), lex(), l);
}

struct sample {
    const char* text;
    const char* expected;
};

TEST(help, the_topic_words_are_read_in_both_languages_and_scripts) {
    const sample samples[] = {
        {"HELP WORK", "HELP WORK p1"},
        {"help work 2", "HELP WORK p2"},
        {"ТУСЛАМЖ АЖИЛ", "HELP WORK p1"},
        {"тусламж ажил 3", "HELP WORK p3"},
        {"? ajil", "HELP WORK p1"}, // АЖИЛ in the standard's Latin
        {"HELP HAZARD", "HELP HAZARD p1"},
        {"HELP HAZARDS 2", "HELP HAZARD p2"},
        {"ТУСЛАМЖ АЮУЛ", "HELP HAZARD p1"},
        {"HELP STATUS", "HELP STATUS p1"},
        {"тусламж төлөв 2", "HELP STATUS p2"},
        {"тусламж толов", "HELP STATUS p1"}, // Ө typed as О
        {"HELP SITES", "HELP SITES p1"},
        {"HELP SITE", "HELP SITES p1"},
        {"ТУСЛАМЖ ГАЗАР", "HELP SITES p1"},
        // Forms, as before; a page number means nothing after a form, nor a word after a list.
        {"ТУСЛАМЖ ID", "HELP ID"},
        {"HELP ИД", "HELP ID"},
        {"HELP ID 2", "HELP ID"},
        {"HELP WORK X", "HELP WORK p1"},
        {"HELP WORK 0", "HELP WORK p1"},
        {"HELP XYZ", "HELP"},
    };
    for (const auto& s : samples) {
        EXPECT_EQ(describe(parse_sms(s.text, lex())), s.expected) << s.text;
    }
}

TEST(help, help_work_lists_the_work_codes_with_their_meanings_and_says_how_many_more) {
    EXPECT_EQ(
        reply_to("HELP WORK", en),
        "Work codes 1/2: MINE mining; PAN panning; CARRY carrying; TRADE trading; COAL coal; SCRAP scrap "
        "picking; BRICK brickyard; HERD herding. +3 more: HELP WORK 2");
    EXPECT_EQ(reply_to("HELP WORK 2", en),
              "Work codes 2/2: MEAT slaughterhouse; SEX sensitive; OTHER other work.");
    EXPECT_EQ(reply_to("ТУСЛАМЖ АЖИЛ", mn),
              "Ажил 1/4: MINE уурхай; PAN алт угаах; CARRY ачаа зөөх. +8: HELP WORK 2");
    EXPECT_EQ(reply_to("ТУСЛАМЖ АЖИЛ 4", mn), "Ажил 4/4: SEX эмзэг; OTHER бусад.");
}

TEST(help, help_hazard_marks_the_urgent_ones) {
    EXPECT_EQ(
        reply_to("HELP HAZARD", en),
        "Hazards (*urgent): SHAFT* shaft; HURT* hurt; MERC mercury; LOAD heavy load; NIGHT night; ALONE* "
        "alone.");
    EXPECT_EQ(reply_to("ТУСЛАМЖ АЮУЛ", mn),
              "Аюул (*яаралтай) 1/3: SHAFT* нүхэнд; HURT* гэмтсэн. +4: HELP HAZARD 2");
}

TEST(help, a_page_past_the_last_says_how_many_there_are) {
    EXPECT_EQ(reply_to("HELP WORK 3", en), "Work codes: 2 pages; send HELP WORK 1 to 2.");
    EXPECT_EQ(reply_to("HELP HAZARD 2", en), "Hazards (*urgent): 1 page; send HELP HAZARD.");
    EXPECT_EQ(reply_to("ТУСЛАМЖ АЖИЛ 9", mn), "Ажил: 4 хуудас. HELP WORK 1-4.");
}

// Every page of every list, in both languages: one segment each, each code on exactly one page,
// and each page's "+N" is the number of codes on the pages after it.
TEST(help, the_pages_of_a_list_hold_every_code_once_and_each_fits_one_segment) {
    struct list_case {
        help_list list;
        table t;
    };
    for (const auto& [list, t] :
         {list_case{help_list::work, table::work}, list_case{help_list::hazard, table::hazard},
          list_case{help_list::status, table::status}})
        for (auto l : {en, mn}) {
            std::vector<std::string> pages;
            for (int p = 1; p <= 20; ++p) {
                const std::string s = help_list_reply(list, p, lex(), l);
                EXPECT_TRUE(fits_one_segment(s)) << s;
                pages.push_back(s);
                if (s.find(" +") == std::string::npos)
                    break;
            }
            ASSERT_LT(pages.size(), 20u);
            std::vector<std::size_t> on_page(pages.size(), 0);
            for (const code_def& d : lex().codes(t)) {
                int seen = 0;
                for (std::size_t p = 0; p < pages.size(); ++p)
                    for (const char* start : {": ", "; "})
                        for (const char* mark : {"", "*"})
                            if (pages[p].find(std::string(start) + d.code + mark + " ") !=
                                std::string::npos) {
                                ++seen;
                                ++on_page[p];
                            }
                EXPECT_EQ(seen, 1) << d.code << " in " << pages.front();
            }
            std::size_t after = lex().codes(t).size();
            for (std::size_t p = 0; p + 1 < pages.size(); ++p) {
                after -= on_page[p];
                EXPECT_NE(pages[p].find(" +" + std::to_string(after)), std::string::npos) << pages[p];
                EXPECT_NE(
                    pages[p].find("HELP " + std::string(help_list_word(list)) + " " + std::to_string(p + 2)),
                    std::string::npos)
                    << pages[p];
            }
        }
}

TEST(help, help_sites_lists_the_sender_s_own_sites_with_their_names) {
    receipt r;
    r.own_sites = std::vector<site_entry>{{"DKH", "Da Khuree market"}, {"NRT", "Narantuul market"}};
    EXPECT_EQ(reply_to("HELP SITES", en, r), "Your sites: DKH Da Khuree market; NRT Narantuul market.");
    EXPECT_EQ(reply_to("ТУСЛАМЖ ГАЗАР", mn, r), "Таны газар: DKH Da Khuree market; NRT Narantuul market.");
    r.own_sites = std::vector<site_entry>{};
    EXPECT_EQ(reply_to("HELP SITES", en, r),
              "No sites are registered for this number. Ask your coordinator.");
    EXPECT_EQ(reply_to("ТУСЛАМЖ ГАЗАР", mn, r), "Энэ дугаарт газар бүртгэлгүй. Зохицуулагчдаа хандана уу.");
    // No sender (kharuul parse): the registry's sites.
    EXPECT_EQ(reply_to("HELP SITES", en), "Sites: ALT; ULT; TSD; DKH; NRT; NLK.");
}

TEST(help, many_sites_are_paged_by_their_codes_when_their_names_would_cost_pages) {
    receipt r;
    std::vector<site_entry> sites;
    for (int i = 0; i < 30; ++i)
        sites.push_back(
            {"S" + std::to_string(10 + i), "Site number " + std::to_string(10 + i) + " brickyard"});
    r.own_sites = sites;
    std::string all;
    int pages = 0;
    for (int p = 1; p <= 20; ++p) {
        const std::string s = reply_to("ТУСЛАМЖ ГАЗАР " + std::to_string(p), mn, r);
        EXPECT_TRUE(fits_one_segment(s)) << s;
        all += s + "\n";
        ++pages;
        if (s.find(" +") == std::string::npos)
            break;
    }
    for (const auto& s : sites)
        EXPECT_NE(all.find(s.code), std::string::npos) << s.code << "\n" << all;
    EXPECT_EQ(all.find("brickyard"), std::string::npos) << all;
    EXPECT_EQ(pages, 5) << all;
    EXPECT_EQ(reply_to("ТУСЛАМЖ ГАЗАР", mn, r),
              "Таны газар 1/5: S10; S11; S12; S13; S14; S15; S16. +23: HELP SITES 2");
}

TEST(help, a_site_name_too_long_for_a_page_by_itself_gives_way_to_its_code) {
    receipt r;
    r.own_sites = std::vector<site_entry>{{"ALT", "Altan-Us gold mine"}, {"LONG", std::string(200, 'x')}};
    EXPECT_EQ(reply_to("HELP SITES", en, r), "Your sites: ALT Altan-Us gold mine; LONG.");
}

TEST(help, help_for_a_form_names_its_codes_or_where_to_get_them) {
    EXPECT_EQ(
        reply_to("HELP ID", en),
        "ID site children age work. Children 2B 1G 2B1G U, age 5-17. Work: MINE PAN CARRY TRADE COAL SCRAP "
        "BRICK HERD MEAT SEX OTHER. Ex: ID ALT 2B 12 MINE SHAFT");
    // issue 10, item 5: ТУСЛАМЖ ID gave the format with no work codes.
    EXPECT_EQ(reply_to("ТУСЛАМЖ ID", mn),
              "ID газар хүүхэд нас ажил. Ажил: HELP WORK. Жиш: ID ALT 2B 12 MINE");
    EXPECT_EQ(reply_to("ТУСЛАМЖ TR", mn),
              "TR дугаар төлөв: SCH NFE KG VOC DROP STOP HOME LESS WORK MOVED MISS");
    EXPECT_EQ(reply_to("ТУСЛАМЖ ЭРСДЭЛ", mn), "RISK газар хүүхэд нас шалтгаан: DROP SIB FAM STREET OTHER");
    EXPECT_EQ(reply_to("ТУСЛАМЖ VER", mn), "VER дугаар OK|NO шалтгаан: NOTCL NOTFOUND DUP OTHER");
}

TEST(help, the_code_card_says_where_the_codes_are_in_both_languages) {
    EXPECT_EQ(
        reply_to("HELP", en),
        "Codes: ID site children age work | NIL site | RISK site children age reason | TR case status | "
        "ACK number | HELP ID, HELP WORK, HELP SITES: more.");
    EXPECT_EQ(reply_to("ТУСЛАМЖ", mn),
              "ID газар хүүхэд нас ажил; NIL газар; RISK; TR дугаар төлөв; HELP WORK");
}

// Generated from the configured language: a deployment's new code is listed, and a renamed help
// keyword is the one the replies tell the sender to send.
TEST(help, the_lists_follow_the_configured_language) {
    language l = default_language();
    l.work.push_back({"GRAVEL", {}, "gravel pit", "хайрга", false, false, {}, {}, {}, {}});
    for (auto& k : l.keywords)
        if (k.kind == form::help) {
            k.aliases.push_back(k.keyword);
            k.keyword = "TUSLAMJ";
        }
    const lexicon custom(std::move(l), {"ALT"});
    const std::string page1 = help_list_reply(help_list::work, 1, custom, en);
    EXPECT_NE(page1.find("+4 more: TUSLAMJ WORK 2"), std::string::npos) << page1;
    EXPECT_EQ(help_list_reply(help_list::work, 2, custom, en),
              "Work codes 2/2: MEAT slaughterhouse; SEX sensitive; OTHER other work; GRAVEL gravel pit.");
    EXPECT_NE(help_reply(std::nullopt, custom, en).find("TUSLAMJ WORK"), std::string::npos);
}

TEST(help, every_help_reply_fits_one_segment) {
    std::vector<std::string> texts = {"HELP", "ТУСЛАМЖ", "HELP SITES"};
    for (form f : all_forms)
        texts.push_back("HELP " + std::string(canonical_keyword(f)));
    for (const char* list : {"WORK", "HAZARD", "STATUS", "SITES"})
        for (int p = 0; p <= 8; ++p)
            texts.push_back("HELP " + std::string(list) + " " + std::to_string(p));
    for (const auto& t : texts)
        for (auto l : {en, mn}) {
            const std::string s = reply_to(t, l);
            EXPECT_TRUE(fits_one_segment(s)) << t << ": " << s;
            EXPECT_EQ(s.find("..."), std::string::npos) << t << ": " << s; // nothing was cut
        }
}

} // namespace
} // namespace kharuul::parser
