// The printable code card of `kharuul card`: one A6 page of HTML with the forms, the codes, two
// examples and how to get help, generated from the configured language and sites so that the
// card volunteers and teams carry says what the gateway understands. Pure: configuration in, HTML
// out; everything taken from the configuration is HTML-escaped.
#pragma once

#include "config/gateway_config.hpp"
#include "parser/reply.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

enum class card_audience : unsigned char { volunteer, team };

// "volunteer" / "team"; nullopt for anything else.
std::optional<card_audience> card_audience_from(std::string_view name) noexcept;

// `s` with & < > " ' replaced by their character references.
std::string html_escape(std::string_view s);

// The two example messages the card shows, as a sender would type them, built from the
// configuration's first site and codes (the card prints them; tests parse them). The Mongolian
// card's ID example uses the Cyrillic keyword and children ("ИД ALT 2 ХҮҮ 12 MINE SHAFT").
std::vector<std::string> card_examples(const config::gateway_config& cfg, parser::reply_language lang,
                                       card_audience who);

// The whole card: a standalone HTML document sized for one A6 page (105 x 148 mm).
std::string card_html(const config::gateway_config& cfg, parser::reply_language lang, card_audience who);

} // namespace kharuul::gateway
