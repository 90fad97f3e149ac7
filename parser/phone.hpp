// The rules every folder applies to a phone number: how it is masked wherever personal data is
// shown (logs, alert texts, the command line, providers' error details), how a number as typed or
// as a provider passes it becomes the one form the registry keeps (normalise_phone, with the
// deployment's country), and what counts as a registrable number (E.164) in the configuration and
// `kharuul reporter add`. One place, so that they cannot disagree. Pure.
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

// Whether `digits` is a country calling code as a deployment names its own ([server]
// country_code): 1 to 3 digits, not starting with 0, of the length E.164 gives codes starting so
// ("976", "1", "44"; not "97", which starts a three-digit code, nor "9760").
bool is_country_code(std::string_view digits) noexcept;

// How many digits a national number has in the country of `country_code`, where that is one
// length the gateway knows: 8 for Mongolia ("976": mobile 8x/9x/6x and fixed lines alike). 0 when
// not known (numbers there are taken with their trunk 0 or their country code only).
std::size_t national_number_digits(std::string_view country_code) noexcept;

// A phone number as the registry keeps it, from what a provider passes, a file holds or a
// coordinator types. Trims; if what remains is a number (digits, a leading '+', and spaces,
// dashes, dots and brackets between them) drops the separators and:
//   "+97699000001" stays; "0097699000001" -> "+97699000001" (the 00 international prefix);
//   with `country_code` ("976", see is_country_code), a national number gets it:
//     the country's national length (national_number_digits) not starting with 0:
//       "99000001" -> "+97699000001";
//     a trunk 0 before a national number: "099000001" -> "+97699000001" (where the length is not
//       known: a 0 and 7 digits or more, within E.164's 15 in all);
//   10 to 15 digits not starting with 0 -> '+' prepended (a number with its country code whose
//     '+' was lost on the way, e.g. an unescaped '+' decoded to a space);
//   anything else stays digits: short codes ("500"), national numbers no rule above places.
// Anything else (alphanumeric senders like "MobiCom") is returned trimmed, otherwise unchanged.
// Normalising twice changes nothing more. Never throws but for allocation.
std::string normalise_phone(std::string_view typed, std::string_view country_code = {});

} // namespace kharuul::parser
