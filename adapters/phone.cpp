#include "adapters/phone.hpp"

namespace kharuul::adapters {

namespace {

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

constexpr std::size_t max_international_digits = 15;
// E.164 allows 8-digit numbers with their country code (small countries; "0099000009").
constexpr std::size_t min_e164_digits = 8;
// Short codes are 3 to 6 digits; national numbers are longer.
constexpr std::size_t min_national_digits = 3;

} // namespace

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
