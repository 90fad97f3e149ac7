#include "parser/text.hpp"

#include <cstdint>

// Every function here is on the parser's hot path (each token of each message is folded), so
// ASCII, which most messages are, is handled byte by byte without decoding, and the only
// allocation is the returned string, reserved once.

namespace kharuul::parser {

namespace {

constexpr bool is_continuation(unsigned char b) noexcept {
    return (b & 0xC0) == 0x80;
}

constexpr char ascii_upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - ('a' - 'A')) : c;
}

// Folds `text` code point by code point through `fold`, which maps an upper-cased code point to
// its folded form. ASCII bytes skip decoding: `fold` must map ASCII upper-case to itself.
template <class Fold> std::string fold_each(std::string_view text, Fold fold) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char c = text[pos];
        if (static_cast<unsigned char>(c) < 0x80) {
            out.push_back(ascii_upper(c));
            ++pos;
            continue;
        }
        append_utf8(out, fold(to_upper(next_code_point(text, pos))));
    }
    return out;
}

} // namespace

char32_t next_code_point(std::string_view text, std::size_t& pos) noexcept {
    // At or past the end there is nothing to decode; pos stays put (callers loop on pos < size).
    if (pos >= text.size()) {
        return replacement_char;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
    const std::size_t left = text.size() - pos;
    const unsigned char b0 = p[0];
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    // Strict decoding (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. The
    // ranges of the second byte that rule those out follow table 3-7 of the Unicode standard.
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    char32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0F;
        if (b0 == 0xE0) {
            lo = 0xA0;
        } else if (b0 == 0xED) {
            hi = 0x9F;
        }
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07;
        if (b0 == 0xF0) {
            lo = 0x90;
        } else if (b0 == 0xF4) {
            hi = 0x8F;
        }
    } else {
        ++pos;
        return replacement_char;
    }
    if (left < len || p[1] < lo || p[1] > hi) {
        ++pos;
        return replacement_char;
    }
    cp = (cp << 6) | (p[1] & 0x3F);
    for (std::size_t i = 2; i < len; ++i) {
        if (!is_continuation(p[i])) {
            ++pos;
            return replacement_char;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    pos += len;
    return cp;
}

void append_utf8(std::string& out, char32_t cp) {
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        cp = replacement_char;
    }
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        const char b[2] = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
        out.append(b, 2);
    } else if (cp < 0x10000) {
        const char b[3] = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
                           static_cast<char>(0x80 | (cp & 0x3F))};
        out.append(b, 3);
    } else {
        const char b[4] = {
            static_cast<char>(0xF0 | (cp >> 18)), static_cast<char>(0x80 | ((cp >> 12) & 0x3F)),
            static_cast<char>(0x80 | ((cp >> 6) & 0x3F)), static_cast<char>(0x80 | (cp & 0x3F))};
        out.append(b, 4);
    }
}

std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (static_cast<unsigned char>(text[pos]) < 0x80) {
            ++pos;
        } else {
            // Decoding (not just counting lead bytes) so that invalid bytes count one each,
            // exactly as a loop over next_code_point sees them.
            next_code_point(text, pos);
        }
        ++count;
    }
    return count;
}

char32_t to_upper(char32_t cp) noexcept {
    if (cp < 0x80) {
        return (cp >= U'a' && cp <= U'z') ? cp - 0x20 : cp;
    }
    if (cp >= 0x0430 && cp <= 0x044F) { // а..я
        return cp - 0x20;
    }
    if (cp >= 0x0450 && cp <= 0x045F) { // ѐ..џ, incl. ё and the Ukrainian/Serbian і ј ѕ
        return cp - 0x50;
    }
    if (cp == 0x04E9 || cp == 0x04AF) { // Mongolian ө, ү
        return cp - 1;
    }
    return cp;
}

char32_t normalise_mongolian(char32_t cp) noexcept {
    switch (cp) {
    case 0x04E8:       // Ө
        return 0x041E; // О
    case 0x04AE:       // Ү
        return 0x0423; // У
    default:
        return cp;
    }
}

char32_t fold_lookalike(char32_t cp) noexcept {
    // Only capitals whose printed shape is a Latin capital: a code typed on a Cyrillic keyboard
    // must match the Latin registry code. Lower-case letters are not folded (callers upper-case
    // first), and letters with no Latin twin (Ж, П, Д ...) stay Cyrillic so they never match.
    switch (cp) {
    case 0x0410: // А
        return U'A';
    case 0x0412: // В
        return U'B';
    case 0x0400: // Ѐ
    case 0x0401: // Ё
    case 0x0415: // Е
        return U'E';
    case 0x0405: // Ѕ
        return U'S';
    case 0x0406: // І
        return U'I';
    case 0x0408: // Ј
        return U'J';
    case 0x041A: // К
        return U'K';
    case 0x041C: // М
        return U'M';
    case 0x041D: // Н
        return U'H';
    case 0x041E: // О
    case 0x04E8: // Ө
        return U'O';
    case 0x0420: // Р
        return U'P';
    case 0x0421: // С
        return U'C';
    case 0x0422: // Т
        return U'T';
    case 0x0423: // У
    case 0x04AE: // Ү
        return U'Y';
    case 0x0425: // Х
        return U'X';
    default:
        return cp;
    }
}

std::string fold_word(std::string_view text) {
    return fold_each(text, [](char32_t cp) noexcept { return normalise_mongolian(cp); });
}

std::string fold_code(std::string_view text) {
    // One pass with the composed per-code-point mapping; equal to fold_lookalike over fold_word.
    return fold_each(text, [](char32_t cp) noexcept { return fold_lookalike(normalise_mongolian(cp)); });
}

bool is_separator(char32_t cp) noexcept {
    if (cp < 0x80) {
        switch (cp) {
        case U' ':
        case U'\t':
        case U'\n':
        case U'\v':
        case U'\f':
        case U'\r':
        case U',':
        case U';':
        case U'.':
        case U':':
        case U'/':
        case U'*':
        case U'+':
        case U'_':
            return true;
        default:
            return false;
        }
    }
    // The Unicode White_Space characters beyond ASCII: phones and copy-paste insert NBSP, the
    // typographic spaces and the ideographic space where a volunteer typed a plain space.
    return cp == 0x0085 || cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
           cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

} // namespace kharuul::parser
