// Tests of parser/suggest.hpp: optimal-string-alignment distance counted in code points, the
// early cap, and "did you mean" that offers a code only when exactly one is one edit away.
#include "parser/suggest.hpp"

#include "parser/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace kharuul::parser;

namespace {

std::u32string decode(std::string_view s) {
    std::u32string out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        out.push_back(next_code_point(s, pos));
    }
    return out;
}

// Textbook OSA over the full table, no cap, no early exit: the oracle for the fast version.
std::size_t osa_reference(std::string_view a8, std::string_view b8) {
    const std::u32string a = decode(a8);
    const std::u32string b = decode(b8);
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) {
        d[i][0] = i;
    }
    for (std::size_t j = 0; j <= b.size(); ++j) {
        d[0][j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

} // namespace

struct distance_case {
    std::string a;
    std::string b;
    std::size_t cap;
    std::size_t distance;
};

TEST(suggest, distance_counts_substitutions_insertions_deletions_and_swaps_as_one_edit_each) {
    const std::vector<distance_case> cases = {
        {"", "", 2, 0},
        {"ALT", "ALT", 2, 0},
        {"ALT", "ALX", 2, 1},  // substitution
        {"ALT", "LAT", 2, 1},  // neighbours swapped
        {"ALT", "AL", 2, 1},   // deletion
        {"ALT", "ALTT", 2, 1}, // insertion
        {"ALT", "ULT", 2, 1},
        {"ALT", "TLA", 2, 2}, // a swap of non-neighbours is two substitutions
        {"MINE", "MNIE", 2, 1},
        {"SHAFT", "SAHTF", 2, 2},
        {"ALT", "", 5, 3},
        {"", "DKH", 5, 3},
        {"CA", "ABC", 5, 3}, // OSA, not full Damerau (which gives 2): no edit inside a swap
        {"kitten", "sitting", 5, 3},
        {"ХҮҮ", "ХУҮ", 2, 1}, // code points, not bytes: Ү and У differ in both bytes
        {"ТУСЛАМЖ", "ТУСЛМАЖ", 2, 1},
        {"ТУСЛАМЖ", "ТУСЛАМ", 2, 1},
        {"ХҮҮ", "ХУУ", 2, 2},
        {"АLT", "ALT", 2, 1}, // Cyrillic А is another code point: folding is the caller's job
        {"😀A", "A😀", 2, 1},
        {"😀", "😃", 2, 1},
        {"a\xFF"
         "b",
         "a\xFE"
         "b",
         2, 0}, // both invalid bytes decode as U+FFFD
    };
    for (const auto& c : cases) {
        EXPECT_EQ(edit_distance(c.a, c.b, c.cap), c.distance) << c.a << " / " << c.b;
        EXPECT_EQ(edit_distance(c.b, c.a, c.cap), c.distance) << c.b << " / " << c.a;
    }
}

TEST(suggest, distances_above_the_cap_are_reported_as_cap_plus_one) {
    EXPECT_EQ(edit_distance("abcdef", "uvwxyz"), 3u);
    EXPECT_EQ(edit_distance("abcdef", "uvwxyz", 2), 3u);
    EXPECT_EQ(edit_distance("abcdef", "uvwxyz", 0), 1u);
    EXPECT_EQ(edit_distance("abcdef", "uvwxyz", 5), 6u);
    EXPECT_EQ(edit_distance("abcdef", "uvwxyz", 6), 6u);
    EXPECT_EQ(edit_distance("abcdef", "uvwxyz", 100), 6u);
    EXPECT_EQ(edit_distance("a", "abcdefgh", 1), 2u); // the length difference alone exceeds the cap
    EXPECT_EQ(edit_distance("abc", "abc", 0), 0u);
    EXPECT_EQ(edit_distance("abc", "abd", static_cast<std::size_t>(-1)), 1u);
}

TEST(suggest, long_strings_are_measured_as_well_as_short_ones) {
    const std::string a = repeat("a", 100);
    EXPECT_EQ(edit_distance(a, repeat("a", 99) + "b"), 1u);
    EXPECT_EQ(edit_distance(a, repeat("a", 50) + "ba" + repeat("a", 48)), 1u);
    EXPECT_EQ(edit_distance(a, repeat("a", 98)), 2u);
    EXPECT_EQ(edit_distance(a, repeat("b", 100)), 3u);
    EXPECT_EQ(edit_distance(repeat("ж", 100), repeat("ж", 99) + "з"), 1u);
    EXPECT_EQ(edit_distance(repeat("ж", 100), repeat("ж", 99) + "з", 200), 1u);
}

TEST(suggest, capped_distance_agrees_with_the_textbook_table_on_random_strings) {
    const std::vector<std::string> alphabet = {"A", "B", "C", "1", "2", "Ж", "Ө", "😀"};
    std::mt19937 rng(4711);
    auto random_string = [&] {
        std::string s;
        const std::size_t n = rng() % 9;
        for (std::size_t i = 0; i < n; ++i) {
            s += alphabet[rng() % alphabet.size()];
        }
        return s;
    };
    std::size_t failures = 0;
    for (int round = 0; round < 20000; ++round) {
        const std::string a = random_string();
        // Half the pairs are near each other, so small distances are well represented.
        std::string b = random_string();
        if (round % 2 == 0 && !a.empty()) {
            b = a;
            std::size_t pos = 0;
            const std::u32string cps = decode(a);
            const std::size_t at = rng() % cps.size();
            for (std::size_t i = 0; i < at; ++i) {
                next_code_point(a, pos);
            }
            b.insert(pos, alphabet[rng() % alphabet.size()]);
        }
        const std::size_t full = osa_reference(a, b);
        for (std::size_t cap : {0u, 1u, 2u, 3u, 10u}) {
            const std::size_t expected = std::min(full, cap + 1);
            if (edit_distance(a, b, cap) != expected || edit_distance(b, a, cap) != expected) {
                ADD_FAILURE() << a << " / " << b << " cap " << cap << " expected " << expected;
                ++failures;
            }
        }
        if (one_edit_away(a, b) != (full == 1)) {
            ADD_FAILURE() << "one_edit_away " << a << " / " << b;
            ++failures;
        }
        if (failures > 10) {
            break;
        }
    }
    EXPECT_EQ(failures, 0u);
}

TEST(suggest, one_edit_away_means_exactly_one) {
    EXPECT_TRUE(one_edit_away("ALT", "ALX"));
    EXPECT_TRUE(one_edit_away("ALT", "LAT"));
    EXPECT_TRUE(one_edit_away("", "A"));
    EXPECT_FALSE(one_edit_away("ALT", "ALT"));
    EXPECT_FALSE(one_edit_away("ALT", "AXX"));
    EXPECT_FALSE(one_edit_away("", ""));
}

struct unique_case {
    std::string name;
    std::string typed;
    std::string expected;
};

TEST(suggest, did_you_mean_offers_a_code_only_when_exactly_one_is_one_edit_away) {
    const std::vector<std::string> sites = {"ALT", "ULT", "DKH", "BAYAN"};
    const std::vector<unique_case> cases = {
        {"one substitution", "ALX", "ALT"},
        {"one swap", "DHK", "DKH"},
        {"one letter missing", "BAYN", "BAYAN"},
        {"one letter extra", "DKHH", "DKH"},
        {"one edit from two codes", "XLT", ""}, // ALT and ULT
        {"two edits away", "AXX", ""},
        {"nothing alike", "ZZZZZZ", ""},
        {"empty token", "", ""},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(unique_one_edit(c.typed, sites), c.expected) << c.name;
    }
}

TEST(suggest, the_same_candidate_listed_twice_is_not_an_ambiguity) {
    const std::vector<std::string> codes = {"MINE", "PAN", "MINE"};
    EXPECT_EQ(unique_one_edit("MIME", codes), "MINE");
}

TEST(suggest, no_candidates_means_no_suggestion) {
    EXPECT_EQ(unique_one_edit("ALX", std::span<const std::string>{}), "");
}
