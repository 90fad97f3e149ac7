// Tests of parser/text.hpp: strict UTF-8 decoding that never throws, the Latin and Cyrillic case
// folding, the Mongolian Ө/Ү normalisation and the look-alike folding that lets a site code typed
// on a Cyrillic keyboard match its Latin spelling.
#include "parser/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace kharuul::parser;

namespace {

std::vector<char32_t> decode_all(std::string_view s) {
    std::vector<char32_t> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t before = pos;
        out.push_back(next_code_point(s, pos));
        EXPECT_GT(pos, before) << "decoding must always advance";
    }
    return out;
}

std::string utf8(char32_t cp) {
    std::string s;
    append_utf8(s, cp);
    return s;
}

constexpr char32_t fffd = replacement_char;

} // namespace

struct decode_case {
    std::string_view text;
    std::vector<char32_t> code_points;
};

TEST(text, valid_utf8_decodes_to_its_code_points) {
    const std::vector<decode_case> cases = {
        {"", {}},
        {"ID", {U'I', U'D'}},
        {"ИД", {0x0418, 0x0414}},
        {"хүү", {0x0445, 0x04AF, 0x04AF}},
        {"ө", {0x04E9}},
        {"€", {0x20AC}},
        {"😀", {0x1F600}},
        {"a\xC2\xA0z", {U'a', 0x00A0, U'z'}},
        {"\xF4\x8F\xBF\xBF", {0x10FFFF}},
        {"\xEF\xBF\xBD", {0xFFFD}},
        {std::string_view("\0x", 2), {0, U'x'}},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(decode_all(c.text), c.code_points) << c.text;
    }
}

TEST(text, invalid_utf8_decodes_as_replacement_one_byte_at_a_time) {
    const std::vector<decode_case> cases = {
        {"\x80", {fffd}},                               // stray continuation byte
        {"\xC0\xAF", {fffd, fffd}},                     // overlong '/'
        {"\xC1\xBF", {fffd, fffd}},                     // overlong
        {"\xE0\x80\xAF", {fffd, fffd, fffd}},           // overlong three-byte form
        {"\xF0\x80\x80\xAF", {fffd, fffd, fffd, fffd}}, // overlong four-byte form
        {"\xED\xA0\x80", {fffd, fffd, fffd}},           // UTF-16 surrogate D800
        {"\xF4\x90\x80\x80", {fffd, fffd, fffd, fffd}}, // beyond U+10FFFF
        {"\xF5\x80", {fffd, fffd}},                     // lead byte that never occurs
        {"\xFF", {fffd}},
        {"\xE2\x82", {fffd, fffd}}, // truncated at the end
        {"\xE2\x82"
         "A",
         {fffd, fffd, U'A'}}, // truncated before ASCII
        {"\xD0", {fffd}},     // lone lead byte at the end
        {"a\xD0"
         "b",
         {U'a', fffd, U'b'}},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(decode_all(c.text), c.code_points) << testing::PrintToString(std::string(c.text));
    }
}

TEST(text, decoding_at_the_end_returns_replacement_and_does_not_move) {
    std::size_t pos = 2;
    EXPECT_EQ(next_code_point("ab", pos), fffd);
    EXPECT_EQ(pos, 2u);
}

TEST(text, every_scalar_value_survives_an_encode_decode_round_trip) {
    std::size_t failures = 0;
    for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        }
        const std::string s = utf8(cp);
        const std::size_t expected_length = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        std::size_t pos = 0;
        if (s.size() != expected_length || next_code_point(s, pos) != cp || pos != s.size()) {
            ++failures;
        }
    }
    EXPECT_EQ(failures, 0u);
}

TEST(text, surrogates_and_values_past_unicode_encode_as_replacement) {
    for (char32_t cp : {char32_t{0xD800}, char32_t{0xDBFF}, char32_t{0xDC00}, char32_t{0xDFFF},
                        char32_t{0x110000}, char32_t{0xFFFFFFFF}}) {
        EXPECT_EQ(utf8(cp), "\xEF\xBF\xBD") << std::hex << static_cast<unsigned long>(cp);
    }
}

TEST(text, counting_code_points_counts_each_invalid_byte_once) {
    const std::vector<std::pair<std::string_view, std::size_t>> cases = {
        {"", 0},
        {"ALT", 3},
        {"АLТ", 3},
        {"тусламж", 7},
        {"😀😀", 2},
        {"a\x80"
         "b",
         3},
        {"\xE2\x82", 2},
        {"\xF0\x9F\x98", 3},
    };
    for (const auto& [text, count] : cases) {
        EXPECT_EQ(count_code_points(text), count) << text;
        EXPECT_EQ(count_code_points(text), decode_all(text).size()) << text;
    }
}

TEST(text, upper_casing_covers_latin_russian_and_mongolian_letters) {
    const std::vector<std::pair<char32_t, char32_t>> cases = {
        {U'a', U'A'},       {U'z', U'Z'}, {U'A', U'A'}, {U'5', U'5'}, {U'#', U'#'}, {0x0430, 0x0410}, // а А
        {0x044F, 0x042F},                                                                             // я Я
        {0x0436, 0x0416},                                                                             // ж Ж
        {0x0451, 0x0401},                                                                             // ё Ё
        {0x04E9, 0x04E8},                                                                             // ө Ө
        {0x04AF, 0x04AE},                                                                             // ү Ү
        {0x0456, 0x0406},                                                                             // і І
        {0x0410, 0x0410}, // А stays
        {0x04E8, 0x04E8}, // Ө stays
        {0x00E9, 0x00E9}, // é is outside the two scripts: unchanged
        {0x03B4, 0x03B4}, // δ likewise
        {0x1F600, 0x1F600},
    };
    for (const auto& [lower, upper] : cases) {
        EXPECT_EQ(to_upper(lower), upper) << std::hex << static_cast<unsigned long>(lower);
    }
}

TEST(text, every_russian_lower_case_letter_has_its_capital) {
    const std::u32string lower = U"абвгдеёжзийклмнопрстуфхцчшщъыьэюя";
    const std::u32string upper = U"АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ";
    ASSERT_EQ(lower.size(), upper.size());
    for (std::size_t i = 0; i < lower.size(); ++i) {
        EXPECT_EQ(to_upper(lower[i]), upper[i]) << i;
        EXPECT_EQ(to_upper(upper[i]), upper[i]) << i;
    }
}

TEST(text, mongolian_normalisation_maps_only_the_two_capitals) {
    EXPECT_EQ(normalise_mongolian(0x04E8), char32_t{0x041E}); // Ө -> О
    EXPECT_EQ(normalise_mongolian(0x04AE), char32_t{0x0423}); // Ү -> У
    for (char32_t cp : {char32_t{U'O'}, char32_t{U'Y'}, char32_t{0x041E}, char32_t{0x0423}, char32_t{0x04E9},
                        char32_t{0x04AF}, char32_t{0x0416}}) {
        EXPECT_EQ(normalise_mongolian(cp), cp) << std::hex << static_cast<unsigned long>(cp);
    }
}

TEST(text, cyrillic_capitals_that_look_latin_fold_to_latin) {
    const std::vector<std::pair<char32_t, char32_t>> cases = {
        {0x0410, U'A'}, {0x0412, U'B'}, {0x0415, U'E'}, {0x0401, U'E'}, {0x041A, U'K'}, {0x041C, U'M'},
        {0x041D, U'H'}, {0x041E, U'O'}, {0x04E8, U'O'}, {0x0420, U'P'}, {0x0421, U'C'}, {0x0422, U'T'},
        {0x0423, U'Y'}, {0x04AE, U'Y'}, {0x0425, U'X'}, {0x0406, U'I'}, {0x0408, U'J'}, {0x0405, U'S'},
    };
    for (const auto& [cyrillic, latin] : cases) {
        EXPECT_EQ(fold_lookalike(cyrillic), latin) << std::hex << static_cast<unsigned long>(cyrillic);
    }
}

TEST(text, letters_without_a_latin_twin_are_not_folded) {
    // Ж Д П Л Г Ш Я and the lower-case а (callers upper-case first) stay as they are.
    for (char32_t cp :
         {char32_t{0x0416}, char32_t{0x0414}, char32_t{0x041F}, char32_t{0x041B}, char32_t{0x0413},
          char32_t{0x0428}, char32_t{0x042F}, char32_t{0x0430}, char32_t{U'A'}, char32_t{U'7'}}) {
        EXPECT_EQ(fold_lookalike(cp), cp) << std::hex << static_cast<unsigned long>(cp);
    }
}

struct fold_case {
    std::string_view typed;
    std::string_view word;
    std::string_view code;
};

TEST(text, words_fold_in_their_own_script_and_codes_fold_to_latin) {
    const std::vector<fold_case> cases = {
        {"", "", ""},
        {"id", "ID", "ID"},
        {"Id Alt", "ID ALT", "ID ALT"},
        {"ид", "ИД", "ИД"}, // И and Д have no Latin twin
        {"тусламж", "ТУСЛАМЖ", "TYCЛAMЖ"},
        {"хүү", "ХУУ", "XYY"}, // Ү normalised to У, then folded
        {"ХУУ", "ХУУ", "XYY"},
        {"охин", "ОХИН", "OXИH"},
        {"өхин", "ОХИН", "OXИH"},
        {"12нас", "12НАС", "12HAC"},
        {"АLТ", "АLТ", "ALT"}, // Cyrillic А and Т among Latin letters
        {"аlт", "АLТ", "ALT"},
        {"МINЕ", "МINЕ", "MINE"},
        {"ёс", "ЁС", "EC"},
        {"café", "CAFé", "CAFé"}, // é is neither script's concern
        {"a\xFF"
         "b",
         "A\xEF\xBF\xBD"
         "B",
         "A\xEF\xBF\xBD"
         "B"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(fold_word(c.typed), c.word) << c.typed;
        EXPECT_EQ(fold_code(c.typed), c.code) << c.typed;
        EXPECT_EQ(fold_code(c.word), c.code) << "fold_code must see through fold_word: " << c.typed;
    }
}

TEST(text, folding_a_code_is_fold_word_then_lookalike_for_every_bmp_code_point) {
    std::size_t failures = 0;
    for (char32_t cp = 0; cp < 0x10000; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        }
        const std::string s = "x" + utf8(cp) + "y";
        const std::string word = "X" + utf8(normalise_mongolian(to_upper(cp))) + "Y";
        const std::string code = "X" + utf8(fold_lookalike(normalise_mongolian(to_upper(cp)))) + "Y";
        if (fold_word(s) != word || fold_code(s) != code) {
            ++failures;
        }
    }
    EXPECT_EQ(failures, 0u);
}

TEST(text, spaces_and_field_punctuation_separate_but_dash_and_hash_do_not) {
    const std::vector<char32_t> separators = {
        U' ', U'\t', U'\r', U'\n',  U'\v',  U'\f',  U',',   U';',   U'.',   U':',   U'/',
        U'*', U'+',  U'_',  0x00A0, 0x2000, 0x2002, 0x2007, 0x2009, 0x200A, 0x3000, 0x202F,
    };
    for (char32_t cp : separators) {
        EXPECT_TRUE(is_separator(cp)) << std::hex << static_cast<unsigned long>(cp);
    }
    const std::vector<char32_t> not_separators = {
        U'-', U'#',   U'?',   U'A',   U'z',   U'0',   U'9',   U'(',    U'\'', U'"',
        0,    0x0410, 0x04E8, 0x200B, 0x2010, 0x2013, 0xFEFF, 0x1F600, fffd,
    };
    for (char32_t cp : not_separators) {
        EXPECT_FALSE(is_separator(cp)) << std::hex << static_cast<unsigned long>(cp);
    }
}
