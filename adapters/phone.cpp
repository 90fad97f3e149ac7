#include "adapters/phone.hpp"

namespace kharuul::adapters {

namespace {

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

constexpr bool is_separator(char c) noexcept {
    return is_space(c) || c == '-' || c == '.' || c == '(' || c == ')';
}

// E.164 numbers are at most 15 digits; with a country code they are hardly ever under 10.
constexpr std::size_t min_international_digits = 10;
constexpr std::size_t max_international_digits = 15;
// E.164 allows 8-digit numbers with their country code (small countries; "0099000009").
constexpr std::size_t min_e164_digits = 8;
// Short codes are 3 to 6 digits; national numbers are longer.
constexpr std::size_t min_national_digits = 3;

} // namespace

std::string normalise_phone(std::string_view number) {
    while (!number.empty() && is_space(number.front())) {
        number.remove_prefix(1);
    }
    while (!number.empty() && is_space(number.back())) {
        number.remove_suffix(1);
    }

    std::string digits;
    digits.reserve(number.size());
    bool plus = false;
    for (std::size_t i = 0; i < number.size(); ++i) {
        const char c = number[i];
        if (is_digit(c)) {
            digits.push_back(c);
        } else if (c == '+' && i == 0) {
            plus = true;
        } else if (!is_separator(c)) {
            return std::string(number); // a sender name, not a number
        }
    }
    if (digits.empty()) {
        return std::string(number);
    }
    if (plus) {
        return '+' + digits;
    }
    if (digits.size() > 2 && digits.starts_with("00")) {
        return '+' + digits.substr(2);
    }
    if (digits.size() >= min_international_digits && digits.size() <= max_international_digits &&
        digits.front() != '0') {
        return '+' + digits;
    }
    return digits;
}

bool is_sender_number(std::string_view normalised) noexcept {
    const bool plus = normalised.starts_with('+');
    const std::string_view digits = plus ? normalised.substr(1) : normalised;
    for (const char c : digits) {
        if (!is_digit(c)) {
            return false;
        }
    }
    if (plus) {
        return digits.size() >= min_e164_digits && digits.size() <= max_international_digits &&
               digits.front() != '0';
    }
    return digits.size() >= min_national_digits && digits.size() <= max_international_digits;
}

} // namespace kharuul::adapters
