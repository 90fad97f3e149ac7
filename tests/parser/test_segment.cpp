// Tests of parser/segment.hpp: the GSM 03.38 default alphabet and extension table, the exact
// one-segment boundaries (160 septets, 70 UTF-16 units) and shortening that never exceeds them.
#include "parser/segment.hpp"

#include "parser/text.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace kharuul::parser;

namespace {

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += s;
    }
    return out;
}

std::string utf8(char32_t cp) {
    std::string s;
    append_utf8(s, cp);
    return s;
}

std::vector<std::string> split_code_points(std::string_view s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t start = pos;
        next_code_point(s, pos);
        out.emplace_back(s.substr(start, pos - start));
    }
    return out;
}

// The GSM 03.38 default alphabet in table order (0x00-0x7F), without the escape at 0x1B.
constexpr std::string_view gsm7_basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
                                        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

// The default extension table: form feed ^ { } \ [ ~ ] | €.
constexpr std::string_view gsm7_extension = "\f^{}\\[~]|€";

} // namespace

TEST(segment, the_default_alphabet_has_127_characters_of_one_septet_each) {
    const auto chars = split_code_points(gsm7_basic);
    ASSERT_EQ(chars.size(), 127u);
    for (const auto& c : chars) {
        const auto m = measure_sms(c);
        EXPECT_EQ(m.encoding, sms_encoding::gsm7) << testing::PrintToString(c);
        EXPECT_EQ(m.units, 1u) << testing::PrintToString(c);
    }
    const auto all = measure_sms(gsm7_basic);
    EXPECT_EQ(all.encoding, sms_encoding::gsm7);
    EXPECT_EQ(all.units, 127u);
}

TEST(segment, extension_characters_count_two_septets) {
    const auto chars = split_code_points(gsm7_extension);
    ASSERT_EQ(chars.size(), 10u);
    for (const auto& c : chars) {
        const auto m = measure_sms(c);
        EXPECT_EQ(m.encoding, sms_encoding::gsm7) << testing::PrintToString(c);
        EXPECT_EQ(m.units, 2u) << testing::PrintToString(c);
    }
    EXPECT_EQ(measure_sms("a[b]c").units, 7u);
    EXPECT_EQ(measure_sms("{€}").units, 6u);
}

TEST(segment, only_the_default_alphabet_and_extension_table_stay_gsm7) {
    std::size_t failures = 0;
    for (char32_t cp = 0; cp < 0x3000; ++cp) {
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            continue;
        }
        const std::string c = utf8(cp);
        const bool in_table =
            gsm7_basic.find(c) != std::string_view::npos || gsm7_extension.find(c) != std::string_view::npos;
        const auto m = measure_sms(c);
        if ((m.encoding == sms_encoding::gsm7) != in_table) {
            ADD_FAILURE() << "U+" << std::hex << static_cast<unsigned long>(cp);
            ++failures;
        }
    }
    EXPECT_EQ(failures, 0u);
}

struct measure_case {
    std::string text;
    sms_encoding encoding;
    std::size_t units;
};

TEST(segment, texts_are_measured_in_the_encoding_they_need) {
    const std::vector<measure_case> cases = {
        {"", sms_encoding::gsm7, 0},
        {"ID ok: 2 boys ~12 mining, shaft, at ALT.", sms_encoding::gsm7, 41}, // ~ counts twice
        {"ID: unknown site ALX. Did you mean ALT?", sms_encoding::gsm7, 39},
        {"Déjà vu à Øresund", sms_encoding::gsm7, 17}, // é, à and Ø are in the default alphabet
        {"£5 ¥5 $5 ¤5 §5", sms_encoding::gsm7, 14},
        {"Price 5€", sms_encoding::gsm7, 9},
        {"`", sms_encoding::ucs2, 1},    // backtick is not GSM
        {"a\tb", sms_encoding::ucs2, 3}, // nor is tab
        {"ç", sms_encoding::ucs2, 1},    // only capital Ç is
        {"À", sms_encoding::ucs2, 1},    // only small à is
        {"δ", sms_encoding::ucs2, 1},    // only some capitals
        {"ИД ok", sms_encoding::ucs2, 5},
        {"Тусламж [ID]", sms_encoding::ucs2, 12}, // [ ] are one unit in UCS-2
        {"€ ж", sms_encoding::ucs2, 3},
        {"😀", sms_encoding::ucs2, 2}, // astral: a surrogate pair
        {"a😀b", sms_encoding::ucs2, 4},
        {"ok\xFF", sms_encoding::ucs2, 3}, // broken UTF-8: U+FFFD
    };
    for (const auto& c : cases) {
        const auto m = measure_sms(c.text);
        EXPECT_EQ(m.encoding, c.encoding) << c.text;
        EXPECT_EQ(m.units, c.units) << c.text;
        EXPECT_EQ(m.limit, c.encoding == sms_encoding::gsm7 ? 160u : 70u) << c.text;
    }
}

struct boundary_case {
    std::string name;
    std::string text;
    bool fits;
};

TEST(segment, one_segment_ends_exactly_at_160_septets_or_70_units) {
    const std::vector<boundary_case> cases = {
        {"160 Latin", repeat("a", 160), true},
        {"161 Latin", repeat("a", 161), false},
        {"160 GSM accented", repeat("é", 160), true},
        {"161 GSM accented", repeat("é", 161), false},
        {"80 extension", repeat("[", 80), true},
        {"80 extension and one", repeat("[", 80) + "a", false},
        {"79 extension and two", repeat("{", 79) + "ab", true},
        {"159 Latin and one euro", repeat("a", 159) + "€", false},
        {"158 Latin and one euro", repeat("a", 158) + "€", true},
        {"70 Cyrillic", repeat("ж", 70), true},
        {"71 Cyrillic", repeat("ж", 71), false},
        {"69 Latin and one Cyrillic", repeat("a", 69) + "ж", true},
        {"70 Latin and one Cyrillic", repeat("a", 70) + "ж", false},
        {"159 Latin and one backtick", repeat("a", 159) + "`", false},
        {"35 emoji", repeat("😀", 35), true},
        {"36 emoji", repeat("😀", 36), false},
        {"68 Cyrillic and one emoji", repeat("ж", 68) + "😀", true},
        {"69 Cyrillic and one emoji", repeat("ж", 69) + "😀", false},
        {"70 extension in UCS-2", repeat("[", 69) + "ж", true},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(fits_one_segment(c.text), c.fits) << c.name;
        EXPECT_EQ(measure_sms(c.text).fits(), c.fits) << c.name;
    }
}

TEST(segment, a_text_that_fits_is_returned_unchanged) {
    for (const std::string& s : {std::string{}, std::string("NIL ok: ALT visit recorded.   "),
                                 repeat("a", 160), repeat("ж", 70), repeat("😀", 35), repeat("]", 80)}) {
        EXPECT_EQ(shorten_to_segment(s), s);
    }
}

struct shorten_case {
    std::string name;
    std::string text;
    std::string expected;
};

TEST(segment, a_long_text_is_cut_to_the_longest_prefix_that_leaves_room_for_dots) {
    const std::vector<shorten_case> cases = {
        {"161 Latin", repeat("a", 161), repeat("a", 157) + "..."},
        {"71 Cyrillic", repeat("ж", 71), repeat("ж", 67) + "..."},
        {"trailing spaces dropped", repeat("a", 150) + repeat(" ", 20) + repeat("b", 20),
         repeat("a", 150) + "..."},
        {"trailing line breaks dropped", repeat("a", 155) + " \r\n" + repeat("b", 20),
         repeat("a", 155) + "..."},
        {"extension char that would overflow is left out", repeat("a", 156) + "[[[",
         repeat("a", 156) + "..."},
        {"extension char that fits is kept", repeat("a", 155) + "[[[", repeat("a", 155) + "[..."},
        {"emoji never split", repeat("ж", 66) + "😀" + repeat("ж", 10), repeat("ж", 66) + "..."},
        {"emoji kept whole", repeat("ж", 65) + "😀" + repeat("ж", 10), repeat("ж", 65) + "😀..."},
        // The whole text needs UCS-2, but its Latin prefix alone is GSM-7 with the larger limit.
        {"GSM prefix of a UCS-2 text uses 160", repeat("a", 100) + repeat("ж", 100),
         repeat("a", 100) + "..."},
        {"long GSM prefix before Cyrillic", repeat("a", 200) + "ж", repeat("a", 157) + "..."},
        {"nothing but spaces", repeat(" ", 200), "..."},
        {"one huge word of emoji", repeat("😀", 100), repeat("😀", 33) + "..."},
    };
    for (const auto& c : cases) {
        const std::string out = shorten_to_segment(c.text);
        EXPECT_EQ(out, c.expected) << c.name;
        EXPECT_TRUE(fits_one_segment(out)) << c.name;
    }
}

namespace {

// Brute force: the longest code-point prefix, trailing spaces trimmed, that fits with "...".
std::string shorten_reference(const std::string& text) {
    if (fits_one_segment(text)) {
        return text;
    }
    std::vector<std::size_t> boundaries{0};
    std::size_t pos = 0;
    while (pos < text.size()) {
        next_code_point(text, pos);
        boundaries.push_back(pos);
    }
    for (auto it = boundaries.rbegin(); it != boundaries.rend(); ++it) {
        std::string prefix = text.substr(0, *it);
        while (!prefix.empty() && std::string_view(" \t\r\n").find(prefix.back()) != std::string_view::npos) {
            prefix.pop_back();
        }
        if (fits_one_segment(prefix + "...")) {
            return prefix + "...";
        }
    }
    return "...";
}

} // namespace

TEST(segment, shortening_random_texts_always_fits_and_is_the_longest_prefix_plus_dots) {
    const std::vector<std::string> pieces = {
        "a", "Z",  "7", " ", " ", "  ", ".", "é",  "Δ", "ж",  "Ө",    "ү",
        "😀", "🇲🇳", "[", "]", "{", "€",  "~", "\\", "`", "\n", "\xFF",
    };
    std::mt19937 rng(20481);
    std::uniform_int_distribution<std::size_t> length(0, 220);
    for (int round = 0; round < 4000; ++round) {
        // Each round draws from a few pieces only, so that all-GSM, all-Cyrillic and mixed texts
        // all occur, and some GSM texts meet their first non-GSM character late.
        std::vector<std::string> alphabet;
        const std::size_t kinds = 1 + rng() % 4;
        for (std::size_t k = 0; k < kinds; ++k) {
            alphabet.push_back(pieces[rng() % pieces.size()]);
        }
        std::string text;
        const std::size_t n = length(rng);
        for (std::size_t i = 0; i < n; ++i) {
            text += alphabet[rng() % alphabet.size()];
        }
        if (rng() % 4 == 0) {
            text += "ж";
        }
        const std::string out = shorten_to_segment(text);
        ASSERT_TRUE(fits_one_segment(out)) << testing::PrintToString(text);
        if (fits_one_segment(text)) {
            ASSERT_EQ(out, text);
            continue;
        }
        ASSERT_GE(out.size(), 3u);
        ASSERT_EQ(out.substr(out.size() - 3), "...");
        ASSERT_EQ(text.compare(0, out.size() - 3, out, 0, out.size() - 3), 0) << "not a prefix";
        ASSERT_EQ(out, shorten_reference(text)) << testing::PrintToString(text);
    }
}
