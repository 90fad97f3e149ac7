#include "parser/phone.hpp"

#include <algorithm>

namespace kharuul::parser {

namespace {

// The E.164 country code length from its first two digits (ITU-T E.164 assignments: 1 and 7
// are one digit; the two-digit codes are listed, every other code has three digits). 0: no
// country code starts with 0.
std::size_t country_code_length(std::string_view digits) noexcept {
    if (digits.empty()) {
        return 0;
    }
    const char a = digits[0];
    const char b = digits.size() > 1 ? digits[1] : '0';
    switch (a) {
    case '1':
    case '7':
        return 1;
    case '2':
        return b == '0' || b == '7' ? 2 : 3;
    case '3':
        return b <= '4' || b == '6' || b == '9' ? 2 : 3;
    case '4':
        return b == '2' ? 3 : 2;
    case '5':
        return b == '0' || b == '9' ? 3 : 2;
    case '6':
        return b <= '6' ? 2 : 3;
    case '8':
        return b == '1' || b == '2' || b == '4' || b == '6' ? 2 : 3;
    case '9':
        return b <= '5' || b == '8' ? 2 : 3;
    default:
        return 0;
    }
}

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_separator(char c) noexcept {
    return is_space(c) || c == '-' || c == '.' || c == '(' || c == ')';
}

// E.164 numbers are at most 15 digits; with a country code they are hardly ever under 10.
constexpr std::size_t min_international_digits = 10;
constexpr std::size_t max_international_digits = 15;
// After a trunk 0, a national number of a length the gateway does not know has at least 7 digits.
constexpr std::size_t min_national_digits = 7;

struct national_length {
    std::string_view country_code;
    std::size_t digits;
};
// Countries whose national numbers all have one length (ITU-T E.164 national numbering plans).
constexpr national_length national_lengths[] = {
    {"976", 8}, // Mongolia: mobile 8x, 9x, 6x and fixed lines, 8 digits
};

} // namespace

std::string mask_phone(std::string_view phone) {
    std::string digits;
    bool plus = false;
    for (char c : phone) {
        if (is_digit(c)) {
            digits += c;
        } else if (c == '+' && digits.empty()) {
            plus = true;
        }
    }
    if (digits.empty()) {
        return {};
    }
    constexpr std::size_t short_number = 6; // and fewer digits: the last two at most
    std::string out;
    std::string_view rest = digits;
    std::size_t keep = 0;
    if (digits.size() <= short_number) {
        keep = std::min<std::size_t>(2, digits.size() / 2);
    } else {
        if (plus) {
            const std::size_t cc = country_code_length(digits);
            out += '+';
            out += rest.substr(0, cc);
            rest.remove_prefix(cc);
        }
        keep = std::min<std::size_t>(4, rest.size() / 2);
    }
    out += "****";
    out += rest.substr(rest.size() - keep);
    return out;
}

bool is_country_code(std::string_view digits) noexcept {
    return !digits.empty() && digits.size() <= 3 && std::all_of(digits.begin(), digits.end(), is_digit) &&
           country_code_length(digits) == digits.size();
}

std::size_t national_number_digits(std::string_view country_code) noexcept {
    for (const auto& n : national_lengths)
        if (n.country_code == country_code)
            return n.digits;
    return 0;
}

std::string normalise_phone(std::string_view typed, std::string_view country_code) {
    while (!typed.empty() && is_space(typed.front()))
        typed.remove_prefix(1);
    while (!typed.empty() && is_space(typed.back()))
        typed.remove_suffix(1);

    std::string digits;
    digits.reserve(typed.size());
    bool plus = false;
    for (std::size_t i = 0; i < typed.size(); ++i) {
        const char c = typed[i];
        if (is_digit(c))
            digits.push_back(c);
        else if (c == '+' && i == 0)
            plus = true;
        else if (!is_separator(c))
            return std::string(typed); // a sender name, not a number
    }
    if (digits.empty())
        return std::string(typed);
    if (plus)
        return '+' + digits;
    if (digits.size() > 2 && digits.starts_with("00"))
        return '+' + digits.substr(2);
    if (is_country_code(country_code)) {
        const std::string cc(country_code);
        if (const std::size_t n = national_number_digits(country_code); n != 0) {
            if (digits.size() == n && digits.front() != '0')
                return '+' + cc + digits;
            if (digits.size() == n + 1 && digits.front() == '0' && digits[1] != '0')
                return '+' + cc + digits.substr(1);
        } else if (digits.front() == '0' && digits.size() - 1 >= min_national_digits &&
                   cc.size() + digits.size() - 1 <= max_international_digits) {
            return '+' + cc + digits.substr(1);
        }
    }
    if (digits.size() >= min_international_digits && digits.size() <= max_international_digits &&
        digits.front() != '0')
        return '+' + digits;
    return digits;
}

bool is_e164(std::string_view phone) noexcept {
    if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') {
        return false;
    }
    return std::all_of(phone.begin() + 1, phone.end(), is_digit);
}

} // namespace kharuul::parser
