// Twilio's request signature (the X-Twilio-Signature header) as its own libraries compute and check
// it (twilio-node's getExpectedTwilioSignature and validateRequest, twilio-python's
// RequestValidator): base64 of the HMAC-SHA1, keyed with the account's auth token, of the full URL
// Twilio called followed by every POST parameter's name and value, sorted by name. Pure functions
// over strings, OpenSSL for the HMAC; nothing here logs or throws for bad input.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kharuul::adapters::twilio {

using parameter_list = std::vector<std::pair<std::string, std::string>>;

// The signature of a request to `url` with the (decoded) POST parameters `params`: names sorted
// byte-wise; a name given more than once contributes each of its distinct values, sorted, as
// twilio-node does. `url` is used as given (with its query, %-escapes as sent).
std::string expected_signature(std::string_view auth_token, std::string_view url, const parameter_list& params);

// The two forms of `url` Twilio's libraries try, because Twilio's own signing is not consistent
// about the port: first with the port (the scheme's default, 443 or 80, added when the URL names
// none), then without any port. A URL that is not absolute http(s) comes back alone, as given.
std::vector<std::string> url_variants(std::string_view url);

// Whether `signature` (the header's value) is the signature of the request over one of the
// url_variants of `url`. Compared in constant time. An empty auth token or signature never matches.
bool signature_matches(std::string_view signature, std::string_view auth_token, std::string_view url,
                       const parameter_list& params);

} // namespace kharuul::adapters::twilio
