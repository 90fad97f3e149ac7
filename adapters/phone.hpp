// Phone number normalisation for what providers send as `from` and `to`: Kannel passes the
// network's digits as they come ("97699000001", "0097699000001"), HTTP clients may add spaces or
// dashes. Numbers become "+<country code><number>" where that is clear; short codes, national
// numbers and alphanumeric sender names are kept as they are.
#pragma once

#include <string>
#include <string_view>

namespace kharuul::adapters {

// Trims, then, if what remains is a phone number (digits with an optional leading '+', spaces,
// dashes, dots and parentheses between them), drops the separators and:
//   "+97699000001" stays; "0097699000001" -> "+97699000001";
//   10 to 15 digits not starting with '0' -> '+' prepended (a number with its country code, the
//   '+' lost on the way, e.g. as an unescaped '+' decoded to a space);
//   anything shorter or with a leading '0' stays (short codes like "500", national numbers).
// Anything else (alphanumeric senders like "MobiCom") is returned trimmed, otherwise unchanged.
std::string normalise_phone(std::string_view number);

// Whether a normalise_phone()d sender is a phone number we take messages from:
//   "+" and 8 to 15 digits, the first not '0' (E.164 with its country code);
//   3 to 15 digits without '+': a short code (3-6 digits, an operator's service) or a national
//   number as the network passes it ("99000001", "09900001001").
// Everything else is refused: sender names ("MobiCom"), letters, control characters (NUL), and
// digit strings too long for any number. Never throws.
bool is_sender_number(std::string_view normalised) noexcept;

} // namespace kharuul::adapters
