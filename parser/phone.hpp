// The two rules every folder applies to a phone number: how it is masked wherever personal data
// is shown (logs, alert texts, the command line, providers' error details) and what counts as a
// registrable number (E.164) in the configuration and `kharuul reporter add`. One place, so that
// they cannot disagree. Pure.
#pragma once

#include <string>
#include <string_view>

namespace kharuul::parser {

// "+97699112233" -> "+976****2233". Digits are counted after dropping spaces, dashes, dots and
// brackets; a '+' before the first digit marks an international number.
//   - 6 digits or fewer (short codes such as "500", local numbers): four stars and the last two
//     digits, fewer when that would be more than half of them ("500" -> "****0", "12" -> "****2").
//   - 7 digits or more: the '+' and the country code (its E.164 length: 1 to 3 digits; none
//     without a '+'), four stars, and the last four digits of the rest, fewer when that would be
//     more than half of the rest ("+9761234" -> "+976****34"). The country code names a country,
//     not a person, so it does not count towards the half.
// The stars are always four, whatever the length hidden. No digits in, empty out. Never throws.
std::string mask_phone(std::string_view phone);

// E.164 as the registry keeps numbers: '+', a first digit that is not 0, then digits, 8 to 15
// digits in all; nothing else (no spaces, no dashes). Callers normalise first when they accept
// typed forms.
bool is_e164(std::string_view phone) noexcept;

} // namespace kharuul::parser
