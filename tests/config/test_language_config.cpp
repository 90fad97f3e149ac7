// Tests of the `[language]` section: aliases, renamed keywords, new and extended codes, sex
// letters and age units from the file come through into the parser::language the gateway
// compiles, on top of everything the shipped language already has.
#include "config/load.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

using namespace kharuul::config;
namespace parser = kharuul::parser;

namespace {

constexpr std::string_view channel_and_alerts = R"(
[[channels]]
name = "log"
type = "log"
[[channels]]
name = "sms-in"
type = "generic"
secret = "s"
[alerts]
outbound_channel = "log"
)";

std::string errors_of(const load_result& r) {
    std::string out;
    for (const auto& p : r.problems) {
        out += format_problem(p) + "\n";
    }
    return out;
}

parser::language load_language(std::string_view text) {
    const auto r = parse_config(std::string(text) + std::string(channel_and_alerts), "language.toml");
    EXPECT_TRUE(r.ok()) << errors_of(r);
    EXPECT_TRUE(r.problems.empty()) << errors_of(r);
    return r.ok() ? r.config->language : parser::language{};
}

const parser::keyword_def* keyword_of(const parser::language& l, parser::form f) {
    const auto it = std::ranges::find(l.keywords, f, &parser::keyword_def::kind);
    return it == l.keywords.end() ? nullptr : &*it;
}

const parser::code_def* code_of(const std::vector<parser::code_def>& table, std::string_view code) {
    const auto it = std::ranges::find(table, code, &parser::code_def::code);
    return it == table.end() ? nullptr : &*it;
}

bool contains(const std::vector<std::string>& words, std::string_view word) {
    return std::ranges::find(words, word) != words.end();
}

} // namespace

TEST(language_config, chinese_alias_for_id_is_added_to_the_shipped_aliases) {
    const auto l = load_language("[language.keywords]\nID = [\"找到\"]\n");
    const auto* id = keyword_of(l, parser::form::id);
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(id->keyword, "ID");
    EXPECT_TRUE(contains(id->aliases, "找到"));
    EXPECT_TRUE(contains(id->aliases, "FOUND")) << "the shipped aliases stay";
}

TEST(language_config, renamed_keyword_is_shown_and_the_old_one_still_understood) {
    const auto l = load_language("[language.keywords]\nTR = { keyword = \"TRK\", aliases = [\"ХЯНАХ\"] }\n");
    const auto* tr = keyword_of(l, parser::form::tr);
    ASSERT_NE(tr, nullptr);
    EXPECT_EQ(tr->keyword, "TRK");
    EXPECT_TRUE(contains(tr->aliases, "TR"));
    EXPECT_TRUE(contains(tr->aliases, "TRACK"));
    EXPECT_TRUE(contains(tr->aliases, "ХЯНАХ"));
}

TEST(language_config, new_work_code_comes_through_with_its_labels_and_flags) {
    const auto l = load_language(R"([[language.work]]
code = "GRAVEL"
aliases = ["ХАЙРГА"]
en = "gravel"
mn = "хайрга"
urgent = true
)");
    const auto shipped = parser::default_language();
    EXPECT_EQ(l.work.size(), shipped.work.size() + 1);
    const auto* gravel = code_of(l.work, "GRAVEL");
    ASSERT_NE(gravel, nullptr);
    EXPECT_EQ(gravel->label_en, "gravel");
    EXPECT_EQ(gravel->label_mn, "хайрга");
    EXPECT_TRUE(gravel->urgent);
    EXPECT_FALSE(gravel->sensitive);
    EXPECT_TRUE(contains(gravel->aliases, "ХАЙРГА"));
    EXPECT_NE(code_of(l.work, "MINE"), nullptr) << "the shipped codes stay";
}

TEST(language_config, existing_code_gets_aliases_and_a_new_label_but_keeps_its_flags) {
    const auto l = load_language(R"([[language.hazards]]
code = "SHAFT"
aliases = ["NUKH"]
en = "in a shaft"
)");
    const auto* shaft = code_of(l.hazards, "SHAFT");
    ASSERT_NE(shaft, nullptr);
    EXPECT_TRUE(contains(shaft->aliases, "NUKH"));
    EXPECT_EQ(shaft->label_en, "in a shaft");
    EXPECT_EQ(shaft->label_mn, code_of(parser::default_language().hazards, "SHAFT")->label_mn);
    EXPECT_TRUE(shaft->urgent);
}

TEST(language_config, new_codes_in_every_table_are_added) {
    const auto l = load_language(R"([[language.statuses]]
code = "VOC"
en = "in vocational training"
mn = "мэргэжлийн сургалтад"
[[language.services]]
code = "SHELTER"
en = "shelter"
mn = "хамгаалах байр"
[[language.reasons]]
code = "DIED"
en = "died"
mn = "нас барсан"
[[language.outcomes]]
code = "OK"
aliases = ["ЗӨВ"]
)");
    EXPECT_NE(code_of(l.statuses, "VOC"), nullptr);
    EXPECT_NE(code_of(l.services, "SHELTER"), nullptr);
    EXPECT_NE(code_of(l.reasons, "DIED"), nullptr);
    ASSERT_NE(code_of(l.outcomes, "OK"), nullptr);
    EXPECT_TRUE(contains(code_of(l.outcomes, "OK")->aliases, "ЗӨВ"));
    EXPECT_EQ(l.outcomes.size(), 2u);
}

TEST(language_config, sex_letters_and_age_units_are_added) {
    const auto l = load_language(R"([language]
age_units = ["JIL"]
[language.sexes]
boy = ["KHUU"]
girl = ["OKHIN"]
)");
    EXPECT_TRUE(contains(l.age_units, "JIL"));
    EXPECT_TRUE(contains(l.age_units, "НАС"));
    const auto boy = std::ranges::find(l.sexes, parser::sex::boy, &parser::sex_def::kind);
    ASSERT_NE(boy, l.sexes.end());
    EXPECT_TRUE(contains(boy->letters, "KHUU"));
    EXPECT_TRUE(contains(boy->letters, "B"));
}

TEST(language_config, alias_repeated_for_the_same_code_is_added_once) {
    const auto l = load_language(R"([[language.work]]
code = "MINE"
aliases = ["UURKHAI", "uurkhai"]
)");
    const auto* mine = code_of(l.work, "MINE");
    ASSERT_NE(mine, nullptr);
    EXPECT_EQ(std::ranges::count(mine->aliases, std::string("UURKHAI")), 1);
    EXPECT_EQ(mine->aliases.size(), code_of(parser::default_language().work, "MINE")->aliases.size() + 1);
}

TEST(language_config, new_code_without_mongolian_label_warns_and_uses_the_english_one) {
    const auto r = parse_config("[[language.work]]\ncode = \"GRAVEL\"\nen = \"gravel\"\n" +
                                    std::string(channel_and_alerts),
                                "warn.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(r.problems[0].level, severity::warning);
    EXPECT_EQ(r.problems[0].key_path, "language.work[0].mn");
    const auto it = std::ranges::find(r.config->language.work, "GRAVEL", &parser::code_def::code);
    ASSERT_NE(it, r.config->language.work.end());
    EXPECT_EQ(it->label_mn, "gravel");
}

TEST(language_config, new_status_code_comes_through_with_its_group_and_what_it_sets) {
    const auto l = load_language(R"([[language.statuses]]
code = "GHER"
aliases = ["ГЭРСУР"]
group = "school"
sets = "nfe"
en = "in the gher school"
mn = "гэр сургуульд"
[[language.statuses]]
code = "HERDS"
kind = "work"
sets = "working"
en = "herding again"
mn = "мал маллаж байна"
)");
    const auto* gher = code_of(l.statuses, "GHER");
    ASSERT_NE(gher, nullptr);
    EXPECT_EQ(gher->group, "school");
    EXPECT_EQ(gher->sets, "nfe");
    const auto* herds = code_of(l.statuses, "HERDS");
    ASSERT_NE(herds, nullptr);
    EXPECT_EQ(herds->group, "work") << "kind is another name for group";
    EXPECT_EQ(herds->sets, "working");
    EXPECT_EQ(code_of(l.statuses, "HOME")->group, "work") << "the shipped statuses keep theirs";
    EXPECT_EQ(code_of(l.statuses, "MISS")->sets, "lost");
}

TEST(language_config, shipped_status_may_be_given_a_new_value_within_its_group) {
    const auto l = load_language("[[language.statuses]]\ncode = \"HOME\"\nsets = \"less\"\n");
    EXPECT_EQ(code_of(l.statuses, "HOME")->group, "work");
    EXPECT_EQ(code_of(l.statuses, "HOME")->sets, "less");
}

TEST(language_config, case_form_tables_take_new_codes_and_aliases) {
    const auto l = load_language(R"([language]
family_words = ["GERBUL", "fam"]
[[language.risk_reasons]]
code = "DEBT"
en = "family debt"
mn = "өр"
[[language.dismiss_reasons]]
code = "ADULT"
en = "an adult"
mn = "насанд хүрсэн"
[[language.categories]]
code = "TRAF"
en = "trafficked"
mn = "хүний наймаа"
[[language.targets]]
code = "W"
aliases = ["ГАРГАХ"]
[[language.results]]
code = "WD"
aliases = ["ГАРСАН"]
)");
    EXPECT_NE(code_of(l.risk_reasons, "DEBT"), nullptr);
    EXPECT_NE(code_of(l.risk_reasons, "SIB"), nullptr);
    EXPECT_NE(code_of(l.dismiss_reasons, "ADULT"), nullptr);
    EXPECT_NE(code_of(l.categories, "TRAF"), nullptr);
    EXPECT_TRUE(contains(code_of(l.targets, "W")->aliases, "ГАРГАХ"));
    EXPECT_EQ(l.targets.size(), 2u);
    EXPECT_TRUE(contains(code_of(l.results, "WD")->aliases, "ГАРСАН"));
    EXPECT_EQ(l.results.size(), 4u);
    EXPECT_TRUE(contains(l.family_words, "GERBUL"));
    EXPECT_EQ(std::ranges::count(l.family_words, std::string("FAM")), 1) << "fam is FAM, already there";
    EXPECT_EQ(l.family_words.size(), parser::default_language().family_words.size() + 1);
}
