// The code card of `kharuul card` (gateway/code_card.hpp) as a pure function of the
// configuration: every configured site and code on it, the Mongolian card in the language's
// Mongolian words, configuration text escaped, examples the real parser understands; and the
// command's refusals through run_cli. tests/docs/test_card_print.cpp prints it with Chromium.
#include "config/load.hpp"
#include "config/problem.hpp"
#include "gateway/cli.hpp"
#include "gateway/code_card.hpp"
#include "parser/lexicon.hpp"
#include "parser/sms.hpp"
#include "tests/support/cli_in_process.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

namespace {

using namespace kharuul;
using gateway::card_audience;
using parser::reply_language;
namespace fs = std::filesystem;

fs::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

std::string demo_text() {
    std::ifstream in(source_dir() / "config" / "demo.toml", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

config::gateway_config config_of(const std::string& text) {
    auto r = config::parse_config(text, "card.toml");
    if (!r.config) {
        std::string problems;
        for (const auto& p : r.problems)
            problems += config::format_problem(p) + "\n";
        ADD_FAILURE() << problems;
        return {};
    }
    return *r.config;
}

const config::gateway_config& demo() {
    static const auto cfg = config_of(demo_text());
    return cfg;
}

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

TEST(code_card, the_volunteer_card_lists_every_configured_site_work_and_hazard_code) {
    for (auto lang : {reply_language::en, reply_language::mn}) {
        const std::string html = gateway::card_html(demo(), lang, card_audience::volunteer);
        for (const auto& s : demo().sites) {
            EXPECT_TRUE(contains(html, "<b>" + s.code + "</b>")) << s.code;
            EXPECT_TRUE(contains(html, s.name)) << s.name;
        }
        for (const auto& w : demo().language.work)
            EXPECT_TRUE(contains(html, "<b>" + w.code + "</b>")) << w.code;
        for (const auto& h : demo().language.hazards)
            EXPECT_TRUE(contains(html, "<b>" + h.code + "</b>")) << h.code;
        for (const char* form : {"ID", "NIL", "RISK", "TR", "HELP"})
            EXPECT_TRUE(contains(html, std::string(">") + form)) << form;
        EXPECT_FALSE(contains(html, ">VER")) << "team forms are on the team card";
        EXPECT_TRUE(contains(html, "Coordinator 1")) << "how to get help names the coordinators";
        EXPECT_TRUE(contains(html, "+97699000201"));
    }
}

TEST(code_card, the_team_card_lists_the_team_forms_and_their_codes) {
    const std::string html = gateway::card_html(demo(), reply_language::en, card_audience::team);
    for (const char* form : {"VER", "PLAN", "REF", "SVC", "OUT", "MERGE", "CLOSE", "ACK", "TR"})
        EXPECT_TRUE(contains(html, std::string(">") + form)) << form;
    for (const auto* table : {&demo().language.services, &demo().language.results, &demo().language.dismiss_reasons,
                              &demo().language.reasons, &demo().language.statuses, &demo().language.categories})
        for (const auto& c : *table)
            EXPECT_TRUE(contains(html, "<b>" + c.code + "</b> " + c.label_en)) << c.code;
    EXPECT_TRUE(contains(html, "30 min")) << "the urgent window of [alerts]";
    EXPECT_TRUE(contains(html, "12 h")) << "the normal window of [alerts]";
}

TEST(code_card, the_mongolian_card_uses_the_languages_mongolian_words) {
    const std::string html = gateway::card_html(demo(), reply_language::mn, card_audience::volunteer);
    EXPECT_TRUE(contains(html, "lang=\"mn\""));
    for (const char* word : {"ID / ИД", "RISK / ЭРСДЭЛ", "HELP / ТУСЛАМЖ", "ХҮҮ", "ОХИН", "Газрууд", "Тусламж"})
        EXPECT_TRUE(contains(html, word)) << word;
    for (const auto& w : demo().language.work)
        EXPECT_TRUE(contains(html, w.label_mn)) << w.code;
    for (const auto& h : demo().language.hazards)
        EXPECT_TRUE(contains(html, h.label_mn)) << h.code;
    const std::string en = gateway::card_html(demo(), reply_language::en, card_audience::volunteer);
    EXPECT_FALSE(contains(en, "уурхай")) << "the English card in English";
    EXPECT_FALSE(contains(en, "ТУСЛАМЖ"));
}

TEST(code_card, a_code_the_configuration_adds_is_on_the_card_in_both_languages) {
    const auto cfg = config_of(demo_text() + "\n[[language.work]]\ncode = \"GLASS\"\nen = \"glass works\"\n"
                                             "mn = \"шил\"\naliases = [\"ШИЛ\"]\n");
    EXPECT_TRUE(contains(gateway::card_html(cfg, reply_language::en, card_audience::volunteer), "<b>GLASS</b> glass works"));
    EXPECT_TRUE(contains(gateway::card_html(cfg, reply_language::mn, card_audience::volunteer),
                         "<b>GLASS</b> <b>ШИЛ</b> шил"));
}

TEST(code_card, text_from_the_configuration_is_html_escaped) {
    std::string text = demo_text();
    const std::string from = "name = \"Nalaikh brickyard\"";
    text.replace(text.find(from), from.size(), "name = \"<script>alert('x')</script> & \\\"kilns\\\"\"");
    const std::string coord = "name = \"Coordinator 1\"";
    text.replace(text.find(coord), coord.size(), "name = \"<b>boss</b>\"");
    const auto cfg = config_of(text);
    for (auto who : {card_audience::volunteer, card_audience::team}) {
        const std::string html = gateway::card_html(cfg, reply_language::en, who);
        EXPECT_FALSE(contains(html, "<script>"));
        EXPECT_FALSE(contains(html, "<b>boss</b>"));
        EXPECT_TRUE(contains(html, "&lt;b&gt;boss&lt;/b&gt;"));
        if (who == card_audience::volunteer) {
            EXPECT_TRUE(contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;kilns&quot;"));
        }
    }
    EXPECT_EQ(gateway::html_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST(code_card, its_examples_are_understood_by_the_parser) {
    const parser::lexicon lex(demo().language, demo().site_codes());
    for (auto lang : {reply_language::en, reply_language::mn})
        for (auto who : {card_audience::volunteer, card_audience::team}) {
            const auto examples = gateway::card_examples(demo(), lang, who);
            ASSERT_EQ(examples.size(), 2U);
            const std::string html = gateway::card_html(demo(), lang, who);
            for (const auto& e : examples) {
                EXPECT_TRUE(parser::parse_sms(e, lex).has_value()) << e;
                EXPECT_TRUE(contains(html, e)) << e;
            }
        }
    EXPECT_EQ(gateway::card_examples(demo(), reply_language::en, card_audience::volunteer).front(),
              "ID ALT 2B 12 MINE SHAFT");
    EXPECT_EQ(gateway::card_examples(demo(), reply_language::mn, card_audience::volunteer).front(),
              "ИД ALT 2 ХҮҮ 12 MINE SHAFT");
}

using kharuul::testing::cli_result;

cli_result run(const std::vector<std::string>& args) { return kharuul::testing::run_cli_with(args); }

TEST(card_command, writes_the_card_to_stdout_or_to_the_file_named_by_out) {
    const std::string config = (source_dir() / "config" / "demo.toml").string();
    const auto r = run({"card", "--config", config, "--lang", "mn", "--for", "team"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("<!DOCTYPE html>"));
    EXPECT_TRUE(contains(r.out, "хүүхэд хамгааллын багт"));

    const fs::path out = fs::temp_directory_path() / ("kharuul-card-" + std::to_string(::getpid()) + ".html");
    const auto w = run({"card", "--config", config, "--out", out.string()});
    ASSERT_EQ(w.code, 0) << w.err;
    EXPECT_TRUE(contains(w.out, "the volunteer card in en"));
    std::ifstream in(out);
    std::stringstream s;
    s << in.rdbuf();
    EXPECT_EQ(s.str(), gateway::card_html(demo(), reply_language::en, card_audience::volunteer));
    fs::remove(out);
}

TEST(card_command, refuses_an_unknown_language_audience_or_folder_with_exit_1) {
    const std::string config = (source_dir() / "config" / "demo.toml").string();
    const auto lang = run({"card", "--config", config, "--lang", "fr"});
    EXPECT_EQ(lang.code, 1);
    EXPECT_TRUE(contains(lang.err, "--lang must be en or mn, not 'fr'")) << lang.err;
    const auto who = run({"card", "--config", config, "--for", "donor"});
    EXPECT_EQ(who.code, 1);
    EXPECT_TRUE(contains(who.err, "--for must be volunteer or team, not 'donor'")) << who.err;
    const auto dir = run({"card", "--config", config, "--out", "/nonexistent-kharuul/card.html"});
    EXPECT_EQ(dir.code, 1);
    EXPECT_TRUE(contains(dir.err, "is not a folder")) << dir.err;
    const auto help = run({"card", "--help"});
    EXPECT_EQ(help.code, 0);
    EXPECT_TRUE(contains(help.out, "--for")) << help.out;
}

} // namespace
