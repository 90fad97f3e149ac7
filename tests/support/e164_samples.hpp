// The phone numbers the one E.164 rule (parser::is_e164) is tested on, shared by the parser's
// test, the configuration's and `kharuul reporter add`'s so that the three are held to one table.
// Each number is as the registry keeps it (no separators): `reporter add` normalises what a
// coordinator types, and a file must already hold the number in this form.
#pragma once

#include <string_view>

namespace kharuul::test {

struct e164_sample {
    std::string_view phone;
    bool valid;
};

inline constexpr e164_sample e164_samples[] = {
    {"+97699000961", true},       {"+15551234567", true},  {"+12345678", true}, // 8 digits: the fewest
    {"+123456789012345", true},                                                 // 15 digits: the most
    {"+1234567", false},                                                        // 7 digits
    {"+1234567890123456", false},                                               // 16 digits
    {"+07699000001", false}, // no country code starts with 0
    {"+00097699000001", false},   {"+9769900000a", false}, {"++97699000001", false}, {"+", false},
};

} // namespace kharuul::test
