// Numbers as people and providers write them, and what the one normalisation (parser::
// normalise_phone) makes of them with and without the deployment's country, shared by the
// parser's test, the configuration's, `kharuul reporter add`'s and the daemon's, so that every
// place a number enters is held to one table. Made-up numbers only (+97699000xxx).
#pragma once

#include <string_view>

namespace kharuul::test {

struct typed_phone {
    std::string_view typed;
    std::string_view country_code; // [server] country_code, "" for none
    std::string_view normalised;
    bool registrable; // E.164 after normalising: the registry takes it
};

inline constexpr typed_phone typed_phones[] = {
    // International, in every spelling: the country code changes nothing.
    {"+97699000961", "976", "+97699000961", true},
    {"+976 9900 0961", "976", "+97699000961", true},
    {"+976-9900-0961", "976", "+97699000961", true},
    {"(976) 9900.0961", "976", "+97699000961", true},
    {"0097699000961", "976", "+97699000961", true},  // the 00 international prefix
    {"97699000961", "976", "+97699000961", true},    // Kannel's digits, the '+' lost
    {" +97699000961\r\n", "976", "+97699000961", true},
    {"+15551234567", "976", "+15551234567", true},   // another country's number stays its own
    // National Mongolian numbers: 8 digits, mobile 8x/9x/6x and fixed lines alike.
    {"99000961", "976", "+97699000961", true},
    {"88112255", "976", "+97688112255", true},
    {"60112255", "976", "+97660112255", true},
    {"7011 2233", "976", "+97670112233", true},
    {"9900-0961", "976", "+97699000961", true},
    {"099000961", "976", "+97699000961", true},      // a trunk 0 before it
    // Not numbers the registry takes.
    {"9900096", "976", "9900096", false},            // 7 digits
    {"990009611", "976", "990009611", false},        // 9 digits
    {"09900001001", "976", "09900001001", false},    // a 0 and 10 digits: not Mongolian
    {"500", "976", "500", false},                    // a short code stays one
    {"MobiCom", "976", "MobiCom", false},            // a sender name
    {"+976", "976", "+976", false},
    // Without a country code only international numbers are placed.
    {"99000961", "", "99000961", false},
    {"099000961", "", "099000961", false},
    {"0097699000961", "", "+97699000961", true},
    {"+976 9900 0961", "", "+97699000961", true},
    // A country whose national length is not known: its trunk 0 and 7 digits or more.
    {"07700900123", "44", "+447700900123", true},
    {"0770090", "44", "0770090", false},             // a 0 and 6 digits: too short to place
};

} // namespace kharuul::test
