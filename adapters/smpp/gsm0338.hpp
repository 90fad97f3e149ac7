// The character sets of short messages, below message_text.hpp: the GSM 03.38 default alphabet
// with its extension table (ESC 0x1B), septets packed seven bits to the octet (with the fill bits
// that align them after a UDH) or one to an octet, UCS-2/UTF-16 big-endian, and UTF-8 read and
// written leniently (a byte sequence that is not UTF-8 becomes U+FFFD). Pure; never throws for
// any input (allocation failure aside).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::adapters::smpp::gsm {

inline constexpr char32_t replacement = 0xFFFD;
inline constexpr std::uint8_t escape = 0x1B;

// UTF-8 to code points; each ill-formed sequence (overlong, surrogate, past U+10FFFF, cut) is one
// U+FFFD per maximal subpart, as Unicode recommends.
std::u32string from_utf8(std::string_view utf8);
void append_utf8(std::string& out, char32_t c);

// Septets (values 0 to 127, ESC pairs included) as UTF-8. An ESC followed by a septet the
// extension table does not define reads as that septet's default character (GSM 03.38 6.2.1.1);
// an ESC at the end, and a value over 127, read as U+FFFD.
std::string septets_to_utf8(const std::vector<std::uint8_t>& septets);

// The septets of a text, extension characters as ESC pairs; nullopt when a character is not in
// the default alphabet or its extension table.
std::optional<std::vector<std::uint8_t>> utf8_to_septets(std::string_view utf8);

// 7-bit packing (GSM 03.38 6.1.2.1.1), least significant bits first. `fill_bits` (0 to 6) are the
// zero bits that precede the first septet so that it starts on a septet boundary after a UDH.
// pack pads a last octet holding 7 spare bits with CR, as 03.38 says, and unpack drops a last
// septet that is such padding (a CR or an @ filling exactly the 7 spare bits).
std::string pack_septets(const std::vector<std::uint8_t>& septets, unsigned fill_bits);
std::vector<std::uint8_t> unpack_septets(std::string_view octets, unsigned fill_bits);

// The fill bits that align septets after a UDH of `udh_octets` octets (its length octet included).
constexpr unsigned fill_bits_after(std::size_t udh_octets) noexcept {
    return static_cast<unsigned>((7 - (udh_octets * 8) % 7) % 7);
}

// UTF-16 big-endian (UCS-2 as SMSCs send it, surrogate pairs read as one character); a lone
// surrogate or an odd last octet reads as U+FFFD.
std::string utf16be_to_utf8(std::string_view octets);
std::string utf8_to_utf16be(std::string_view utf8);

// Single-byte character sets: IA5 (ASCII; octets over 0x7F are U+FFFD), Latin-1 (ISO-8859-1)
// and Cyrillic (ISO-8859-5, data_coding 6).
std::string ascii_to_utf8(std::string_view octets);
std::string latin1_to_utf8(std::string_view octets);
std::string cyrillic_to_utf8(std::string_view octets);

} // namespace kharuul::adapters::smpp::gsm
