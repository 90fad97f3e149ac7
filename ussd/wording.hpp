// Internal to ussd/: how the dialogue's screens are worded and fitted to the screen limit
// (ussd/screen.hpp): placeholders, numbered option lists, the site list, the confirm summary, and
// the children token of the equivalent SMS. Pure.
#pragma once

#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "ussd/dialogue.hpp"
#include "ussd/menu.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kharuul::ussd {

// `text` with each "{name}" replaced by its value.
std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values);

// A typed token as a reason quotes it: at most 12 code points.
std::string shorten_token(std::string_view typed);

// A screen before it is joined: a heading line (may hold line breaks) and the lines under it.
struct screen_body {
    std::string heading;
    std::vector<std::string> lines;
};

// "Work:" and "1 Mining", "2 Panning", ...
screen_body numbered(const std::string& heading, const std::vector<menu_option>& options, parser::reply_language l);

// The reason (if any) above the body. When it does not fit, the heading is left out (the choices
// stay), then the reason; the body alone is what check_menu guarantees to fit.
std::string compose(const std::string& reason, const screen_body& body);

// `text` itself when it fits a screen, else its longest prefix that fits with "...".
std::string fit_screen(std::string_view text);

// The own sites the site screen lists (at most 8, as many as fit with "9 Other site code").
std::vector<site_choice> shown_sites(const menu& m, const sender_profile& who, parser::reply_language l);
std::string site_screen(const menu& m, const sender_profile& who, parser::reply_language l, const std::string& reason);

// "2B", "1B1G", "3U" from the children, sex and boys answers.
std::string children_token(const std::string& children, const std::string& sex, const std::string& boys);

// The confirm screen's first line: "2 boys ~12, mining, shaft, at ALT."; `what` is the work code
// (ID) or the risk reason (RISK), `hazard` the hazard code or "".
std::string summary(const parser::lexicon& lex, parser::reply_language l, const std::string& site,
                    const std::string& children, const std::string& sex, const std::string& boys,
                    const std::string& age, const std::string& what, const std::string& hazard, bool risk);

} // namespace kharuul::ussd
