// Conversions of SMS text to UTF-8 for the provider dialects: UCS-2/UTF-16BE as Kannel passes
// Unicode messages, Latin-1 and Windows-1252 as older gateways pass 8-bit text. Pure functions;
// they never throw on bad input (allocation aside).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kharuul::adapters {

// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view bytes) noexcept;

// UTF-16BE (UCS-2 is its subset) to UTF-8. Unpaired surrogates become U+FFFD (a concatenated SMS
// delivered in parts can split a pair). nullopt for an odd number of bytes.
std::optional<std::string> utf16be_to_utf8(std::string_view bytes);

// ISO-8859-1 to UTF-8: every byte is the code point of the same value.
std::string latin1_to_utf8(std::string_view bytes);

// Windows-1252 to UTF-8: Latin-1 except 0x80-0x9F (€, curly quotes, dashes ...); the five bytes
// 1252 leaves undefined map to U+FFFD.
std::string cp1252_to_utf8(std::string_view bytes);

// The text of a message as the parser should read it: control characters removed (C0 including
// NUL, DEL, and C1 U+0080-U+009F), except the tab and the line breaks the parser reads as spaces
// ('\t', '\n', '\v', '\f', '\r'). Everything else, invalid UTF-8 included, is kept byte for
// byte. The message is stored as received; only what is parsed and answered goes through this.
std::string strip_control_characters(std::string_view utf8);

} // namespace kharuul::adapters
