// The shipped language's tables of the case forms (spec/cases.md 2-3) as data, and the lexicon's
// look-ups in them: every TR status's group and value exactly as the case machine expects them,
// labels for every code in both languages, and look-alike folding and "did you mean" in each new
// table like in every other.
#include "parser/language.hpp"
#include "parser/lexicon.hpp"
#include "parser/text.hpp"

#include "tests/parser/sample_lexicon.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kharuul::parser {
namespace {

std::vector<std::string> codes_of(const std::vector<code_def>& defs) {
    std::vector<std::string> out;
    for (const auto& d : defs)
        out.push_back(d.code);
    return out;
}

TEST(default_language, every_tr_status_names_its_group_and_what_it_sets) {
    const std::vector<std::vector<std::string>> expected{
        {"SCH", "school", "school"},     {"NFE", "school", "nfe"},   {"KG", "school", "kg"},
        {"VOC", "school", "vocational"}, {"DROP", "school", "none"}, {"STOP", "work", "not_working"},
        {"HOME", "work", "not_working"}, {"LESS", "work", "less"},   {"WORK", "work", "working"},
        {"MOVED", "alone", "lost"},      {"MISS", "alone", "lost"},
    };
    const auto l = default_language();
    ASSERT_EQ(l.statuses.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(l.statuses[i].code, expected[i][0]);
        EXPECT_EQ(l.statuses[i].group, expected[i][1]) << expected[i][0];
        EXPECT_EQ(l.statuses[i].sets, expected[i][2]) << expected[i][0];
    }
}

TEST(default_language, the_case_form_tables_hold_the_codes_of_the_spec) {
    const auto l = default_language();
    EXPECT_EQ(codes_of(l.risk_reasons), (std::vector<std::string>{"DROP", "SIB", "FAM", "STREET", "OTHER"}));
    EXPECT_EQ(codes_of(l.dismiss_reasons), (std::vector<std::string>{"NOTCL", "NOTFOUND", "DUP", "OTHER"}));
    EXPECT_EQ(codes_of(l.targets), (std::vector<std::string>{"W", "P"}));
    EXPECT_EQ(codes_of(l.categories), (std::vector<std::string>{"CL", "WFCL", "RISK", "DROP", "HARD"}));
    EXPECT_EQ(codes_of(l.results), (std::vector<std::string>{"WD", "PR", "LESS", "NO"}));
    EXPECT_EQ(l.family_words.front(), "FAM");
    EXPECT_EQ(l.min_prevention_age, 3);
}

TEST(default_language, every_form_has_its_keyword_in_the_declared_order) {
    const auto l = default_language();
    ASSERT_EQ(l.keywords.size(), all_forms.size());
    for (std::size_t i = 0; i < all_forms.size(); ++i) {
        EXPECT_EQ(l.keywords[i].kind, all_forms[i]);
        EXPECT_EQ(l.keywords[i].keyword, canonical_keyword(all_forms[i]));
        EXPECT_EQ(form_from_canonical(canonical_keyword(all_forms[i])), all_forms[i]);
    }
}

TEST(default_language, every_code_of_the_case_forms_has_short_labels_in_both_languages) {
    const auto l = default_language();
    for (const auto* table :
         {&l.statuses, &l.risk_reasons, &l.dismiss_reasons, &l.targets, &l.categories, &l.results})
        for (const auto& d : *table) {
            EXPECT_FALSE(d.label_en.empty()) << d.code;
            EXPECT_FALSE(d.label_mn.empty()) << d.code;
            // A Cyrillic reply has 70 characters for the case, the label and the rest.
            EXPECT_LE(count_code_points(d.label_mn), 24u) << d.code << ": " << d.label_mn;
        }
}

struct lookup {
    table t;
    const char* typed;
    const char* found;      // the canonical code, or "" when none
    const char* suggestion; // when not found
};

TEST(lexicon, the_case_form_tables_fold_case_and_look_alikes_and_suggest_one_edit_away) {
    const lookup cases[] = {
        {table::risk_reason, "sib", "SIB", ""},
        {table::risk_reason, "СТРЕЕТ", "", ""}, // С Т Р Е Е Т fold to CTPEET: not STREET
        {table::risk_reason, "SТRЕЕТ", "STREET", ""},
        {table::risk_reason, "SIBB", "", "SIB"},
        {table::dismiss_reason, "notfound", "NOTFOUND", ""},
        {table::dismiss_reason, "DUPP", "", "DUP"},
        {table::target, "Р", "P", ""},
        {table::target, "w", "W", ""},
        {table::category, "WFLC", "", "WFCL"},
        {table::category, "НАRD", "HARD", ""},
        {table::result, "РR", "PR", ""},
        {table::result, "LES", "", "LESS"},
        {table::status, "ЅТОР", "STOP", ""}, // Cyrillic Ѕ Т О Р
        {table::status, "SТОР", "STOP", ""},
        {table::status, "STPO", "", "STOP"},
    };
    const lexicon& lex = testing::demo_lexicon();
    for (const auto& c : cases) {
        const folded_token tok = fold_token(c.typed);
        const code_def* d = lex.find_code(c.t, tok);
        EXPECT_EQ(d != nullptr ? d->code : std::string{}, c.found) << c.typed;
        if (d == nullptr) {
            EXPECT_EQ(lex.suggest(c.t, tok), c.suggestion) << c.typed;
        }
    }
}

TEST(lexicon, family_words_match_in_either_script_and_a_typo_is_suggested) {
    const lexicon& lex = testing::demo_lexicon();
    EXPECT_TRUE(lex.is_family_word(fold_token("fam")));
    EXPECT_TRUE(lex.is_family_word(fold_token("гэр")));
    EXPECT_FALSE(lex.is_family_word(fold_token("FAMILY"))) << "FAMILY is a service";
    EXPECT_EQ(lex.suggest(table::family, fold_token("FAMM")), "FAM");
    EXPECT_EQ(lex.suggest(table::family, fold_token("ГЭРР")), "FAM");
    EXPECT_TRUE(lex.codes(table::family).empty());
}

} // namespace
} // namespace kharuul::parser
