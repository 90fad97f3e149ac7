#include "adapters/smpp/gsm0338.hpp"

#include <array>
#include <utility>

namespace kharuul::adapters::smpp::gsm {

namespace {

// GSM 03.38 section 6.2.1: the default alphabet by septet value.
constexpr std::array<char32_t, 128> default_alphabet = {
    U'@',    U'£',    U'$',    U'¥',    U'è',    U'é',    U'ù',    U'ì',    // 0x00
    U'ò',    U'Ç',    U'\n',   U'Ø',    U'ø',    U'\r',   U'Å',    U'å',    // 0x08
    U'Δ',    U'_',    U'Φ',    U'Γ',    U'Λ',    U'Ω',    U'Π',    U'Ψ',    // 0x10
    U'Σ',    U'Θ',    U'Ξ',    0xFFFD,  U'Æ',    U'æ',    U'ß',    U'É',    // 0x18 (0x1B: ESC)
    U' ',    U'!',    U'"',    U'#',    U'¤',    U'%',    U'&',    U'\'',   // 0x20
    U'(',    U')',    U'*',    U'+',    U',',    U'-',    U'.',    U'/',    // 0x28
    U'0',    U'1',    U'2',    U'3',    U'4',    U'5',    U'6',    U'7',    // 0x30
    U'8',    U'9',    U':',    U';',    U'<',    U'=',    U'>',    U'?',    // 0x38
    U'¡',    U'A',    U'B',    U'C',    U'D',    U'E',    U'F',    U'G',    // 0x40
    U'H',    U'I',    U'J',    U'K',    U'L',    U'M',    U'N',    U'O',    // 0x48
    U'P',    U'Q',    U'R',    U'S',    U'T',    U'U',    U'V',    U'W',    // 0x50
    U'X',    U'Y',    U'Z',    U'Ä',    U'Ö',    U'Ñ',    U'Ü',    U'§',    // 0x58
    U'¿',    U'a',    U'b',    U'c',    U'd',    U'e',    U'f',    U'g',    // 0x60
    U'h',    U'i',    U'j',    U'k',    U'l',    U'm',    U'n',    U'o',    // 0x68
    U'p',    U'q',    U'r',    U's',    U't',    U'u',    U'v',    U'w',    // 0x70
    U'x',    U'y',    U'z',    U'ä',    U'ö',    U'ñ',    U'ü',    U'à',    // 0x78
};

// Section 6.2.1.1: the extension table, reached by ESC.
constexpr std::array<std::pair<std::uint8_t, char32_t>, 10> extension = {{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'€'},
}};

bool is_surrogate(char32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

} // namespace

std::u32string from_utf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80) {
            out.push_back(b0);
            ++i;
            continue;
        }
        std::size_t len = 0;
        char32_t c = 0;
        unsigned char lo = 0x80, hi = 0xBF; // the second byte's range (Unicode table 3-7)
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            len = 2;
            c = b0 & 0x1F;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            len = 3;
            c = b0 & 0x0F;
            lo = b0 == 0xE0 ? 0xA0 : 0x80;
            hi = b0 == 0xED ? 0x9F : 0xBF;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            len = 4;
            c = b0 & 0x07;
            lo = b0 == 0xF0 ? 0x90 : 0x80;
            hi = b0 == 0xF4 ? 0x8F : 0xBF;
        } else {
            out.push_back(replacement);
            ++i;
            continue;
        }
        std::size_t k = 1;
        for (; k < len && i + k < s.size(); ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                break;
            c = c << 6 | (b & 0x3F);
        }
        if (k == len) {
            out.push_back(c);
        } else {
            out.push_back(replacement); // the maximal subpart read so far
        }
        i += k;
    }
    return out;
}

void append_utf8(std::string& out, char32_t c) {
    if (c > 0x10FFFF || is_surrogate(c))
        c = replacement;
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | c >> 6));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | c >> 12));
        out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | c >> 18));
        out.push_back(static_cast<char>(0x80 | (c >> 12 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c >> 6 & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string septets_to_utf8(const std::vector<std::uint8_t>& septets) {
    std::string out;
    out.reserve(septets.size());
    for (std::size_t i = 0; i < septets.size(); ++i) {
        const std::uint8_t s = septets[i];
        if (s >= 0x80) {
            append_utf8(out, replacement);
        } else if (s != escape) {
            append_utf8(out, default_alphabet[s]);
        } else if (i + 1 == septets.size() || septets[i + 1] >= 0x80) {
            append_utf8(out, replacement);
        } else {
            const std::uint8_t e = septets[++i];
            char32_t c = e == escape ? U' ' : default_alphabet[e]; // ESC ESC: reserved, a space
            for (const auto& [code, ch] : extension)
                if (code == e)
                    c = ch;
            append_utf8(out, c);
        }
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> utf8_to_septets(std::string_view utf8) {
    std::vector<std::uint8_t> out;
    for (char32_t c : from_utf8(utf8)) {
        bool found = false;
        for (std::size_t s = 0; s < default_alphabet.size() && !found; ++s) {
            if (s != escape && default_alphabet[s] == c) {
                out.push_back(static_cast<std::uint8_t>(s));
                found = true;
            }
        }
        for (std::size_t e = 0; e < extension.size() && !found; ++e) {
            if (extension[e].second == c) {
                out.push_back(escape);
                out.push_back(extension[e].first);
                found = true;
            }
        }
        if (!found)
            return std::nullopt;
    }
    return out;
}

std::string pack_septets(const std::vector<std::uint8_t>& septets, unsigned fill_bits) {
    if (septets.empty())
        return {};
    std::vector<std::uint8_t> s = septets;
    const std::size_t bits = fill_bits + 7 * s.size();
    if (bits % 8 == 1)
        s.push_back(0x0D); // 7 spare bits would read as '@': pad them with CR (03.38 6.1.2.1.1)
    std::string out((fill_bits + 7 * s.size() + 7) / 8, '\0');
    std::size_t bit = fill_bits;
    for (std::uint8_t v : s) {
        const unsigned value = v & 0x7F;
        const std::size_t byte = bit / 8;
        const unsigned shift = bit % 8;
        out[byte] = static_cast<char>(static_cast<unsigned char>(out[byte]) | (value << shift & 0xFF));
        if (shift > 1)
            out[byte + 1] = static_cast<char>(value >> (8 - shift));
        bit += 7;
    }
    return out;
}

std::vector<std::uint8_t> unpack_septets(std::string_view octets, unsigned fill_bits) {
    std::vector<std::uint8_t> out;
    const std::size_t bits = octets.size() * 8;
    if (bits < fill_bits)
        return out;
    const std::size_t count = (bits - fill_bits) / 7;
    out.reserve(count);
    for (std::size_t n = 0; n < count; ++n) {
        const std::size_t bit = fill_bits + 7 * n;
        const std::size_t byte = bit / 8;
        const unsigned shift = bit % 8;
        unsigned v = static_cast<unsigned char>(octets[byte]) >> shift;
        if (shift > 1)
            v |= static_cast<unsigned>(static_cast<unsigned char>(octets[byte + 1])) << (8 - shift);
        out.push_back(static_cast<std::uint8_t>(v & 0x7F));
    }
    // The last septet fills exactly 7 spare bits: padding (CR by 03.38, @ by SMSCs that pad with
    // zeros), not text. A real trailing @ or CR in that position is lost; 03.38 accepts this.
    if (count > 0 && (bits - fill_bits) % 7 == 0 && (out.back() == 0x0D || out.back() == 0x00))
        out.pop_back();
    return out;
}

std::string utf16be_to_utf8(std::string_view octets) {
    std::string out;
    out.reserve(octets.size());
    const std::size_t units = octets.size() / 2;
    const auto unit = [&](std::size_t i) {
        return static_cast<char32_t>(static_cast<unsigned char>(octets[2 * i]) << 8 |
                                     static_cast<unsigned char>(octets[2 * i + 1]));
    };
    for (std::size_t i = 0; i < units; ++i) {
        const char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units && unit(i + 1) >= 0xDC00 && unit(i + 1) <= 0xDFFF) {
            append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (unit(i + 1) - 0xDC00));
            ++i;
        } else {
            append_utf8(out, is_surrogate(u) ? replacement : u);
        }
    }
    if (octets.size() % 2 != 0)
        append_utf8(out, replacement);
    return out;
}

std::string utf8_to_utf16be(std::string_view utf8) {
    std::string out;
    const auto put = [&out](char32_t u) {
        out.push_back(static_cast<char>(u >> 8));
        out.push_back(static_cast<char>(u & 0xFF));
    };
    for (char32_t c : from_utf8(utf8)) {
        if (c >= 0x10000) {
            put(0xD800 + ((c - 0x10000) >> 10));
            put(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else {
            put(c);
        }
    }
    return out;
}

std::string ascii_to_utf8(std::string_view octets) {
    std::string out;
    out.reserve(octets.size());
    for (unsigned char c : octets)
        append_utf8(out, c < 0x80 ? c : replacement);
    return out;
}

std::string latin1_to_utf8(std::string_view octets) {
    std::string out;
    out.reserve(octets.size());
    for (unsigned char c : octets)
        append_utf8(out, c);
    return out;
}

std::string cyrillic_to_utf8(std::string_view octets) {
    std::string out;
    out.reserve(octets.size() * 2);
    for (unsigned char c : octets) {
        char32_t u = c;
        if (c == 0xF0)
            u = 0x2116; // №
        else if (c == 0xFD)
            u = 0x00A7; // §
        else if (c > 0xA0 && c != 0xAD)
            u = 0x0360 + c; // Ё..Џ, А..я, ё..џ
        append_utf8(out, u);
    }
    return out;
}

} // namespace kharuul::adapters::smpp::gsm
