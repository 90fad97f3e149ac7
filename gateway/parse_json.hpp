// The JSON of `kharuul parse` (spec/interfaces.md, "`kharuul parse` output"): how a message is
// understood and the reply it would get, with no store (case numbers show as placeholders).
// Scripts and tests read it, so its shape changes only on purpose.
#pragma once

#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "parser/sms.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

// The "fields" object of an accepted message, codes in canonical Latin form.
boost::json::object fields_json(const parser::sms_message& msg);

// The message as understood, for the duplicate rule (store::find_processed_duplicate): the
// canonical keyword, the reply language and the canonical fields, with codes whose order means
// nothing (hazards, TR's codes) sorted. "ID ALT 2B 12 MINE" and "ИД АЛТ 2 ХҮҮ 12 MINE" give one
// key; so do "TR 100009 NFE STOP" and "TR 100009 STOP NFE". The language is part of it so that a
// stranger's HELP in another script still gets its own answer.
std::string duplicate_key(const parser::sms_message& msg, parser::reply_language lang);

// The "error" object: code, token, suggestion (null when absent); `field` for missing_field and
// `detail: "check_digit"` for a case code whose check digit is wrong.
boost::json::object error_json(const parser::parse_error& e);

// The whole object printed by `kharuul parse`. `own_sites`: what HELP SITES lists (nullopt: every
// site of the lexicon, as for no sender).
boost::json::object parse_json(std::string_view text, const parser::lexicon& lex, parser::reply_language lang,
                               const std::optional<std::vector<parser::site_entry>>& own_sites = std::nullopt);

} // namespace kharuul::gateway
