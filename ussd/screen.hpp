// USSD screen arithmetic (spec/ussd.md): a screen is at most 160 octets, which is 182 GSM-7
// characters (7-bit packed) or 80 UCS-2 characters when it needs Cyrillic. The encoding and the
// units are parser/segment.hpp's (extension-table characters count two septets); only the limits
// differ from an SMS segment. Pure, never throws.
#pragma once

#include "parser/segment.hpp"

#include <cstddef>
#include <string_view>

namespace kharuul::ussd {

inline constexpr std::size_t gsm7_screen_limit = 182;
inline constexpr std::size_t ucs2_screen_limit = 80;

// The encoding a screen needs and its length in that encoding's units, with the screen limit.
parser::segment_measure measure_screen(std::string_view utf8) noexcept;

// True when the text fits one USSD screen.
bool fits_screen(std::string_view utf8) noexcept;

} // namespace kharuul::ussd
