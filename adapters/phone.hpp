// Phone numbers as providers send them as `from` and `to`: Kannel passes the network's digits as
// they come ("97699000001", "0097699000001", "99000001"), HTTP clients may add spaces or dashes.
// The normalisation is the one rule of parser/phone.hpp, with the deployment's country
// (channel_settings::country_code); what is left here is which senders we take messages from.
#pragma once

#include "parser/phone.hpp"

#include <string_view>

namespace kharuul::adapters {

using parser::normalise_phone;

// Whether a normalise_phone()d sender is a phone number we take messages from:
//   "+" and 8 to 15 digits, the first not '0' (E.164 with its country code);
//   3 to 15 digits without '+': a short code (3-6 digits, an operator's service) or a national
//   number the deployment's country does not place ("09900001001").
// Everything else is refused: sender names ("MobiCom"), letters, control characters (NUL), and
// digit strings too long for any number. Never throws.
bool is_sender_number(std::string_view normalised) noexcept;

} // namespace kharuul::adapters
