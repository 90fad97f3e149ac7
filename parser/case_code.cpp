#include "parser/case_code.hpp"

#include "parser/suggest.hpp"

#include <array>
#include <stdexcept>

namespace kharuul::parser {

namespace {

// The weakly totally anti-symmetric quasigroup of order 10 with a zero diagonal from Damm's
// thesis (2004): with it, every single-digit error and every adjacent transposition changes
// the check digit.
constexpr std::array<std::array<std::uint8_t, 10>, 10> damm_table{{
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
    {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
    {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
    {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}};

constexpr std::size_t short_serial_digits = 5; // six-digit codes
constexpr std::size_t long_serial_digits = 6;  // seven-digit codes

// A non-digit breaks damm_check_digit's precondition; it is reduced modulo 10 so that the
// result is a meaningless digit rather than a read outside the table.
constexpr std::uint8_t damm_interim(std::string_view digits) noexcept {
    std::uint8_t interim = 0;
    for (char c : digits) {
        interim = damm_table[interim][static_cast<std::uint8_t>(c - '0') % 10];
    }
    return interim;
}

constexpr bool all_digits(std::string_view s) noexcept {
    for (char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

} // namespace

char damm_check_digit(std::string_view digits) noexcept {
    return static_cast<char>('0' + damm_interim(digits));
}

std::string make_case_code(std::uint32_t serial) {
    if (serial > max_case_serial) {
        throw std::out_of_range("case serial beyond 999999");
    }
    const std::size_t digits = serial > max_short_case_serial ? long_serial_digits : short_serial_digits;
    std::string code(digits + 1, '0');
    for (std::size_t i = digits; i-- > 0; serial /= 10) {
        code[i] = static_cast<char>('0' + serial % 10);
    }
    code[digits] = damm_check_digit(std::string_view(code).substr(0, digits));
    return code;
}

case_code_check check_case_code(std::string_view code) noexcept {
    const bool six = code.size() == short_serial_digits + 1;
    const bool seven = code.size() == long_serial_digits + 1 && code[0] != '0';
    if (!(six || seven) || !all_digits(code)) {
        return case_code_check::bad_shape;
    }
    // Running the check digit through the table too ends at 0 exactly when it is right.
    if (damm_interim(code) != 0) {
        return case_code_check::bad_check_digit;
    }
    // A six-digit code and a 0 typed after it: never a code of its own (is_case_serial_used).
    return seven && code.back() == '0' ? case_code_check::bad_check_digit : case_code_check::valid;
}

bool is_case_serial_used(std::uint32_t serial) noexcept {
    if (serial <= max_short_case_serial) {
        return true;
    }
    return damm_check_digit(std::to_string(serial)) != '0';
}

std::optional<std::uint32_t> case_serial(std::string_view code) noexcept {
    if (check_case_code(code) != case_code_check::valid) {
        return std::nullopt;
    }
    std::uint32_t serial = 0;
    for (char c : code.substr(0, code.size() - 1)) {
        serial = serial * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return serial;
}

std::optional<std::string> nearest_case_code(std::string_view typed, std::span<const std::string> known) {
    std::string match = unique_one_edit(typed, known);
    if (match.empty()) {
        return std::nullopt;
    }
    return match;
}

} // namespace kharuul::parser
