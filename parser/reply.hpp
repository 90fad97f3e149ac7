// The one reply every message gets, in English or Mongolian, always within one SMS segment
// (parser/segment.hpp): confirmations name what was understood, errors name the first problem and
// the form's format. Long replies are shortened (optional parts dropped first), never split.
// Pure: the caller supplies what the store did (case codes opened, alert number).
#pragma once

#include "parser/lexicon.hpp"
#include "parser/sms.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::parser {

enum class reply_language : std::uint8_t { en, mn };

// "en" / "mn"; anything else is nullopt.
std::optional<reply_language> reply_language_from(std::string_view code) noexcept;
std::string_view reply_language_code(reply_language l) noexcept;

// What processing an accepted message produced, for the confirmation.
struct receipt {
    std::vector<std::string> case_codes; // ID: one per child, in order
    std::optional<std::uint64_t> alert;  // ID: the alert the team got (new or folded into)
};

// Placeholder shown instead of a case code when nothing is stored (`kharuul parse`).
inline constexpr std::string_view case_placeholder = "######";

// A receipt with `n` case placeholders and no alert: what `kharuul parse` shows.
receipt placeholder_receipt(const sms_message& msg);

// The confirmation of an accepted message (HELP gets its card). Fits one segment.
std::string confirmation_reply(const sms_message& msg, const receipt& r, const lexicon& lex, reply_language l);

// The reply naming a parse error and the form's format. Fits one segment.
std::string error_reply(const parse_error& e, const lexicon& lex, reply_language l);

// The short code card (topic nullopt) or one form's format. Fits one segment.
std::string help_reply(std::optional<form> topic, const lexicon& lex, reply_language l);

// "Send: ID site children age work [hazard]": a form's format in the reply language.
std::string form_format(form f, const lexicon& lex, reply_language l);

} // namespace kharuul::parser
