#include "adapters/charset.hpp"

#include "parser/text.hpp"

#include <array>

namespace kharuul::adapters {

bool is_valid_utf8(std::string_view bytes) noexcept {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
        const std::size_t start = pos;
        // next_code_point decodes strictly and answers U+FFFD for invalid bytes; a U+FFFD that
        // really is in the text is the three bytes EF BF BD.
        if (parser::next_code_point(bytes, pos) == parser::replacement_char &&
            bytes.substr(start, 3) != "\xEF\xBF\xBD") {
            return false;
        }
    }
    return true;
}

std::optional<std::string> utf16be_to_utf8(std::string_view bytes) {
    if (bytes.size() % 2 != 0) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(bytes.size() * 3 / 2);
    const auto unit = [&](std::size_t i) {
        return static_cast<char16_t>((static_cast<unsigned char>(bytes[i]) << 8) |
                                     static_cast<unsigned char>(bytes[i + 1]));
    };
    for (std::size_t i = 0; i < bytes.size(); i += 2) {
        const char16_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
            const char16_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                parser::append_utf8(out, 0x10000 + ((char32_t(u) - 0xD800) << 10) + (char32_t(low) - 0xDC00));
                i += 2;
                continue;
            }
        }
        // append_utf8 writes U+FFFD for a lone surrogate.
        parser::append_utf8(out, u);
    }
    return out;
}

std::string latin1_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        parser::append_utf8(out, static_cast<unsigned char>(c));
    }
    return out;
}

std::string cp1252_to_utf8(std::string_view bytes) {
    // 0x80-0x9F of Windows-1252; 0xFFFD where the code page defines nothing.
    static constexpr std::array<char32_t, 32> high = {
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    };
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        parser::append_utf8(out, (b >= 0x80 && b <= 0x9F) ? high[b - 0x80] : char32_t(b));
    }
    return out;
}

std::string strip_control_characters(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto b = static_cast<unsigned char>(utf8[i]);
        if (b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f' && b != '\r') {
            continue; // C0
        }
        if (b == 0x7F) {
            continue; // DEL
        }
        if (b == 0xC2 && i + 1 < utf8.size()) {
            const auto next = static_cast<unsigned char>(utf8[i + 1]);
            if (next >= 0x80 && next <= 0x9F) {
                ++i; // C1, U+0080-U+009F, encoded as C2 80 .. C2 9F
                continue;
            }
        }
        out.push_back(static_cast<char>(b));
    }
    return out;
}

} // namespace kharuul::adapters
