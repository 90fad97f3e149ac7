// Reading provider requests, shared by the dialects: form and query fields decoded with
// Boost.URL, media types and their parameters, the channel secret, and timestamps as providers
// write them. Pure functions over strings; nothing here logs or throws for bad input.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kharuul::adapters {

// The decoded name=value pairs of a query string or an application/x-www-form-urlencoded body,
// in order ('+' is a space, %XX a byte; the bytes are not checked for UTF-8 here).
class form_fields {
public:
    // nullopt when `encoded` is not a valid query (a bad %-escape, a character that must be
    // escaped). An empty string is a valid, empty form.
    static std::optional<form_fields> parse(std::string_view encoded);

    // The first value of `name` (case-sensitive); nullopt when absent. "name" without '=' is
    // present with an empty value.
    std::optional<std::string> get(std::string_view name) const;
    bool contains(std::string_view name) const { return get(name).has_value(); }

    // The first name given more than once ("text=a&text=b" -> "text"), nullopt when every name
    // is given once. Dialects refuse such a request rather than let the first or last value win.
    std::optional<std::string> repeated() const;

    // Every pair, in the order given, repeats included (Twilio's signature covers them all).
    const std::vector<std::pair<std::string, std::string>>& pairs() const noexcept { return fields_; }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

// The reason a dialect gives for a field given twice, the same in every dialect: "field 'text'
// is given more than once". The name is quoted only when it is a plain field name (letters,
// digits, '_', '-', '.', up to 32 characters), else "a field": a reason never carries control
// characters or text from the message.
std::string repeated_field_reason(std::string_view name);

// The query part of a request target ("/a/b?x=1" -> "x=1"; "" when there is none).
std::string_view query_of(std::string_view target) noexcept;

// The media type of a Content-Type value, lower-cased, without parameters
// ("Application/JSON; charset=utf-8" -> "application/json").
std::string media_type(std::string_view content_type);

// A parameter of a Content-Type value, unquoted, case kept ("text/plain; charset=\"UTF-16BE\""
// with "charset" -> "UTF-16BE"); empty when absent.
std::string media_type_parameter(std::string_view content_type, std::string_view name);

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

// Equality whose running time depends on the lengths only, not on where the strings differ.
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

// The token of an "Authorization: Bearer <token>" value (scheme case-insensitive); nullopt for
// other schemes.
std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept;

// A timestamp as providers send it, in UTC unless an offset says otherwise:
//   unix seconds ("1714567890");
//   ISO 8601 "YYYY-MM-DDTHH:MM[:SS[.fff]][Z|+HH:MM|+HHMM|-..]", with 'T' or a space (Kannel's %t,
//   "YYYY-MM-DD HH:MM:SS", and the "YYYY-MM-DD HH:MM" of older Kannel guides).
// nullopt for anything else, impossible dates and instants outside 1970-2199 included.
std::optional<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text);

} // namespace kharuul::adapters
