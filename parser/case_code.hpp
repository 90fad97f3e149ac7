// Case codes: one child, six digits: a five-digit serial unique in the deployment and a Damm
// check digit, so that any single wrong digit and any swap of two neighbouring digits is caught;
// seven digits (a six-digit serial and its check digit) once the five-digit serials are used up.
// Both lengths are accepted everywhere (sms-language.md 5). Digits only, because volunteers type
// them on phone keypads and in USSD menus. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kharuul::parser {

// Serials up to max_short_case_serial give six-digit codes, the rest up to max_case_serial seven.
inline constexpr std::uint32_t max_short_case_serial = 99999;
inline constexpr std::uint32_t max_case_serial = 999999;

// The Damm check digit ('0'..'9') of a string of ASCII digits. Precondition: digits only.
char damm_check_digit(std::string_view digits) noexcept;

// The case code of a serial (0..999999): up to 99999 the serial zero-padded to five digits plus
// its check digit (six digits), above it the six-digit serial plus its check digit (seven).
// Serials beyond 999999 are a broken invariant of the caller: throws std::out_of_range.
std::string make_case_code(std::uint32_t serial);

enum class case_code_check {
    valid,
    // Not 6 digits, nor 7 digits starting with 1-9 (a seven-digit code with a leading zero would be
    // a six-digit code typed with a zero in front: Damm ignores leading zeros), or a non-digit.
    bad_shape,
    bad_check_digit, // six or seven digits whose check digit is wrong: a typo, never another child
};

// A seven-digit code ending in 0 is refused as a typo (bad_check_digit): any six-digit code with a
// 0 typed after it passes the Damm check as a seven-digit one (its check digit for itself is 0),
// so those codes are never handed out (is_case_serial_used) and never read as another child.
case_code_check check_case_code(std::string_view code) noexcept;

// False for the serials that are skipped: those above max_short_case_serial whose code would end
// in 0 (one in ten). open_cases hands out only serials for which this is true.
bool is_case_serial_used(std::uint32_t serial) noexcept;

// The serial inside a valid case code, or nullopt when the code is not valid.
std::optional<std::uint32_t> case_serial(std::string_view code) noexcept;

// Among `known` codes, the single one that is one edit (substitution, insertion, deletion or
// swap of neighbours) away from `typed`; nullopt when none or more than one is.
std::optional<std::string> nearest_case_code(std::string_view typed, std::span<const std::string> known);

} // namespace kharuul::parser
