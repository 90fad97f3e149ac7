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

bool is_e164(std::string_view phone) noexcept {
    if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+' || phone[1] == '0') {
        return false;
    }
    return std::all_of(phone.begin() + 1, phone.end(), is_digit);
}

} // namespace kharuul::parser
