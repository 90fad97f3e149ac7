// The USSD menu as data (spec/ussd.md): the texts of every screen and the option lists, in English
// and Mongolian, that the dialogue (ussd/dialogue.hpp) shows. default_menu() is the spec's tree;
// the `[ussd]` section of the configuration may replace any text or option list (config/
// load_sections.cpp, docs/ussd.md). The shape of each form's dialogue (which screens ID, RISK, NIL
// and TR ask, in which order) follows the forms' fields and is fixed; what the screens say and
// which choices they offer, mapped onto the SMS language's canonical codes, is configuration.
// Plain values; pure.
#pragma once

#include "parser/lexicon.hpp"
#include "parser/reply.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::ussd {

// A text in both shipped languages. Texts may hold placeholders in braces, replaced when shown:
// {min} {max} (number ranges), {n} (a step number), {site} {case} {cases} {status} {code}.
struct menu_text {
    std::string en;
    std::string mn;

    const std::string& in(parser::reply_language l) const noexcept {
        return l == parser::reply_language::mn ? mn : en;
    }
};

// One numbered choice of a screen: what it says and the canonical code it stands for (a work,
// hazard, risk reason or TR status code of the SMS language; "" for "None" / "Not known"; the
// top menu: ID, RISK, NIL, TR or HELP; the sex screen: B, G, BG or U).
struct menu_option {
    std::string code;
    menu_text label;
};

struct menu {
    // Screens (the headings above their options, or prompts for typed answers).
    menu_text title;       // the top menu's heading: "Child labour report"
    menu_text site;        // "Site:"
    menu_text other_site;  // the last choice of the site screen, numbered 9: "Other site code"
    menu_text site_code;   // typed site code: "Site code:"
    menu_text children;    // "How many children? ({min}-{max})"
    menu_text sex;         // "Sex:"
    menu_text boys;        // "How many boys? ({min}-{max})"
    menu_text age;         // "Age ({min}-{max}):"
    menu_text work;        // "Work:"
    menu_text danger;      // "Danger:"
    menu_text risk_reason; // "Why at risk:"
    menu_text case_code;   // "Case number:"
    menu_text school;      // "Where now:"
    menu_text work_now;    // "Work:"
    menu_text send;        // the confirm screen's choices: "1 Send\n2 Cancel"
    menu_text resume;      // "Continue your report at step {n}?\n1 Yes\n2 Start again"

    // Short reasons for a re-asked screen, shown on the line above it.
    menu_text bad_choice;    // "Choose {min}-{max}."
    menu_text bad_number;    // "Enter a number {min}-{max}."
    menu_text unknown_site;  // "Unknown site {site}."
    menu_text did_you_mean;  // "Unknown site {site}. Did you mean {code}?"
    menu_text bad_case;      // "Not a case number: check the digits."
    menu_text one_child;     // "Only 1 child: choose another."
    menu_text no_status;     // "Nothing to save: choose a status."

    // END screens.
    menu_text sent;         // ID/RISK accepted: "Sent. Cases {cases}."
    menu_text alerted;      // appended when the team was alerted: " Team alerted."
    menu_text visit;        // NIL accepted: "Visit recorded at {site}."
    menu_text saved;        // TR accepted: "Saved: {case} {status}."
    menu_text duplicate;    // the same report again: "Already received: ..."
    menu_text cancelled;    // "Cancelled. Nothing was sent."
    menu_text help;         // the top menu's Help: "Report by SMS too: ..."
    menu_text unregistered; // a number that is not registered: how to register

    // Option lists.
    std::vector<menu_option> top;          // ID, RISK, NIL, TR, HELP (each at most once)
    std::vector<menu_option> sexes;        // B, G, BG, U
    std::vector<menu_option> works;        // work codes
    std::vector<menu_option> dangers;      // hazard codes, "" = none
    std::vector<menu_option> risk_reasons; // RISK reasons
    std::vector<menu_option> schools;      // TR school codes and MOVED/MISS, "" = not known
    std::vector<menu_option> work_nows;    // TR work codes, "" = not known
};

// spec/ussd.md's tree in English and Mongolian.
menu default_menu();

// The named texts and lists, for the configuration (`[ussd.texts]`, `[ussd.options]`) and the
// property tests: every text of `m` by its key ("title", "site", ... as the members above).
struct text_entry {
    std::string_view key;
    menu_text menu::*text;
};
struct options_entry {
    std::string_view key; // "top", "sex", "work", "danger", "risk_reason", "school", "work_now"
    std::vector<menu_option> menu::*options;
};
const std::vector<text_entry>& text_keys();
const std::vector<options_entry>& option_keys();

// Why an option list cannot be used with the language `lex` compiled (an unknown code, a code
// twice, too many or too few choices for one keypad digit each), or nullopt when it can. The list
// is named by its key (option_keys()).
std::optional<std::string> check_options(std::string_view key, const std::vector<menu_option>& options,
                                         const parser::lexicon& lex);

// A problem of a whole menu: the message, and the keys of the texts or lists it is about, most
// likely first ("texts.work", "options.work"), so that a configuration names the one it set.
struct menu_problem {
    std::vector<std::string> keys;
    std::string message;
};

// The problems of a whole menu: check_options on every list, a text missing a language, and
// every screen of every path (both languages, with and without own sites, re-asked too) measured
// by ussd/screen.hpp; empty when it can be served. Takes some tens of milliseconds.
std::vector<menu_problem> check_menu(const menu& m, const parser::lexicon& lex);

} // namespace kharuul::ussd
