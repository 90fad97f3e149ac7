// SMS segment arithmetic: which encoding a text needs (GSM 03.38 7-bit default alphabet or UCS-2)
// and how many units it takes, so that every reply is checked to fit one segment: 160 GSM-7
// septets (extension-table characters such as [ ] { } ^ ~ \ | and the euro sign count twice) or
// 70 UCS-2 code units (a code point beyond the BMP counts twice). Pure, never throws.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kharuul::parser {

enum class sms_encoding { gsm7, ucs2 };

inline constexpr std::size_t gsm7_segment_limit = 160;
inline constexpr std::size_t ucs2_segment_limit = 70;

struct segment_measure {
    sms_encoding encoding = sms_encoding::gsm7;
    std::size_t units = 0;  // septets for gsm7, UTF-16 code units for ucs2
    std::size_t limit = gsm7_segment_limit;

    bool fits() const noexcept { return units <= limit; }
};

// Measures a UTF-8 text as one SMS would carry it.
segment_measure measure_sms(std::string_view utf8) noexcept;

// True when the text fits a single segment.
bool fits_one_segment(std::string_view utf8) noexcept;

// The text itself when it fits one segment; otherwise its longest prefix (cut at a code point
// boundary, trailing spaces dropped) followed by "..." that fits. Never splits, never exceeds.
std::string shorten_to_segment(std::string_view utf8);

} // namespace kharuul::parser
