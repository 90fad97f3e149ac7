#include "parser/segment.hpp"

#include "parser/text.hpp"

#include <array>
#include <cstdint>

// The GSM 03.38 (3GPP TS 23.038) default alphabet and its default extension table, as mapped to
// Unicode by unicode.org's GSM0338.TXT. National language shift tables are not used: the
// gateway never sends the locking/single shift headers, so they would not help.

namespace kharuul::parser {

namespace {

// Septets a code point takes in GSM-7: 1 for the default alphabet, 2 for the extension table
// (escape plus the character), 0 when it is not representable and the text needs UCS-2.
using septet_table = std::array<std::uint8_t, 256>;

constexpr septet_table make_latin1_septets() {
    septet_table t{};
    // Printable ASCII is in the default alphabet except for the characters that were given to
    // national variants in ISO 646: $ stays (position 0x02), but ` is absent altogether and
    // [ \ ] ^ { | } ~ live in the extension table.
    for (unsigned c = 0x20; c < 0x7F; ++c) {
        t[c] = 1;
    }
    t[static_cast<unsigned char>('`')] = 0;
    for (char c : {'[', '\\', ']', '^', '{', '|', '}', '~'}) {
        t[static_cast<unsigned char>(c)] = 2;
    }
    t['\n'] = 1;
    t['\r'] = 1;
    t['\f'] = 2; // form feed: the extension table's page break
    // Latin-1 letters and signs of the default alphabet (positions 0x01, 0x03-0x09, 0x0B-0x0F,
    // 0x1C-0x1F, 0x24, 0x40, 0x5B-0x60, 0x7B-0x7F).
    for (unsigned c : {0xA3u, 0xA5u, 0xE8u, 0xE9u, 0xF9u, 0xECu, 0xF2u, 0xC7u, 0xD8u, 0xF8u,
                       0xC5u, 0xE5u, 0xC6u, 0xE6u, 0xDFu, 0xC9u, 0xA4u, 0xA1u, 0xC4u, 0xD6u,
                       0xD1u, 0xDCu, 0xA7u, 0xBFu, 0xE4u, 0xF6u, 0xF1u, 0xFCu, 0xE0u}) {
        t[c] = 1;
    }
    return t;
}

constexpr septet_table latin1_septets = make_latin1_septets();

constexpr std::size_t gsm7_septets(char32_t cp) noexcept {
    if (cp < 0x100) {
        return latin1_septets[cp];
    }
    switch (cp) {
    // The Greek capitals of the default alphabet that have no Latin look-alike (0x10, 0x12-0x1A).
    case 0x0394: // Δ
    case 0x03A6: // Φ
    case 0x0393: // Γ
    case 0x039B: // Λ
    case 0x03A9: // Ω
    case 0x03A0: // Π
    case 0x03A8: // Ψ
    case 0x03A3: // Σ
    case 0x0398: // Θ
    case 0x039E: // Ξ
        return 1;
    case 0x20AC: // € (extension 0x65)
        return 2;
    default:
        return 0;
    }
}

constexpr std::size_t utf16_units(char32_t cp) noexcept {
    return cp > 0xFFFF ? 2 : 1;
}

// Running measure of a text read code point by code point; the prefix measured so far is exactly
// what was fed, so shortening can read it at every code point boundary.
struct running_measure {
    std::size_t septets = 0;
    std::size_t utf16 = 0;
    bool gsm7 = true;

    void add(char32_t cp) noexcept {
        const std::size_t s = gsm7_septets(cp);
        gsm7 = gsm7 && s != 0;
        septets += s;
        utf16 += utf16_units(cp);
    }

    // Fed one ASCII byte: skips decoding on the common path.
    void add_ascii(unsigned char c) noexcept {
        const std::size_t s = latin1_septets[c];
        gsm7 = gsm7 && s != 0;
        septets += s;
        utf16 += 1;
    }

    segment_measure result() const noexcept {
        if (gsm7) {
            return {sms_encoding::gsm7, septets, gsm7_segment_limit};
        }
        return {sms_encoding::ucs2, utf16, ucs2_segment_limit};
    }
};

constexpr std::string_view ellipsis = "..."; // three GSM-7 septets, three UTF-16 units
constexpr std::size_t ellipsis_units = 3;

constexpr bool is_trailing_space(char32_t cp) noexcept {
    return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r';
}

} // namespace

segment_measure measure_sms(std::string_view utf8) noexcept {
    running_measure m;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const auto c = static_cast<unsigned char>(utf8[pos]);
        if (c < 0x80) {
            m.add_ascii(c);
            ++pos;
        } else {
            // Invalid bytes decode as U+FFFD, which is outside GSM-7: a text with broken UTF-8
            // is measured pessimistically as UCS-2.
            m.add(next_code_point(utf8, pos));
        }
    }
    return m.result();
}

bool fits_one_segment(std::string_view utf8) noexcept {
    return measure_sms(utf8).fits();
}

std::string shorten_to_segment(std::string_view utf8) {
    if (fits_one_segment(utf8)) {
        return std::string(utf8);
    }
    // The answer is the longest prefix ending in a non-space code point (or the empty prefix)
    // whose own encoding leaves room for the ellipsis: a prefix before the first non-GSM
    // character may use the 160-septet limit even when the whole text needs UCS-2. Only such
    // prefixes need checking, because trimming a prefix that ends in spaces gives one of them.
    running_measure m;
    std::size_t best = 0;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        const char32_t cp = next_code_point(utf8, pos);
        m.add(cp);
        if (is_trailing_space(cp)) {
            continue;
        }
        const bool fits = m.gsm7 ? m.septets + ellipsis_units <= gsm7_segment_limit
                                 : m.utf16 + ellipsis_units <= ucs2_segment_limit;
        if (!fits) {
            // Nothing longer fits either: units only grow, and once a prefix is past 157
            // septets it holds more than 67 code points, too many for UCS-2 as well.
            break;
        }
        best = pos;
    }
    std::string out;
    out.reserve(best + ellipsis.size());
    out.append(utf8.substr(0, best));
    out.append(ellipsis);
    return out;
}

} // namespace kharuul::parser
