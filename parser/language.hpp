// The field language as data: keywords and their aliases, the sex letters, age units, and the
// work, hazard, status, service and reason code tables with their reply labels in English and
// Mongolian. default_language() is spec/sms-language.md; a deployment's configuration may add
// aliases and codes without rebuilding. Plain values, no behaviour beyond the defaults.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::parser {

// The forms. Their canonical keywords (`ID`, `NIL` ...) are what scripts and the store see,
// whatever alias or script the sender typed. Volunteers: ID, NIL, RISK, TR (and HELP); the rest
// are team forms (spec cases.md).
// INFO (an alert's case codes that did not fit its text) came last: the values of the others stand.
enum class form : std::uint8_t { id, nil, risk, tr, ref, svc, ver, plan, out, merge, close, ack, help, info };

inline constexpr std::array<form, 14> all_forms{form::id,    form::nil, form::risk, form::tr,   form::ref,
                                                form::svc,   form::ver, form::plan, form::out,  form::merge,
                                                form::close, form::ack, form::info, form::help};

// "ID", "NIL", "RISK", "TR", "REF", "SVC", "VER", "PLAN", "OUT", "MERGE", "CLOSE", "ACK", "INFO",
// "HELP".
std::string_view canonical_keyword(form f) noexcept;

// The form whose canonical keyword is exactly `keyword` (upper-case ASCII), if any.
std::optional<form> form_from_canonical(std::string_view keyword) noexcept;

enum class sex : std::uint8_t { boy, girl, unknown };

struct keyword_def {
    form kind = form::help;
    std::string keyword;              // shown in replies ("Send: ID site ..."); matched too
    std::vector<std::string> aliases; // other words that select the form, any script
};

struct code_def {
    std::string code;                 // canonical, Latin upper case: what is stored and printed
    std::vector<std::string> aliases; // other spellings, any script
    std::string label_en;             // short reply wording, e.g. "mining"
    std::string label_mn;             // the same in Mongolian
    bool urgent = false;              // hazards and work: makes the alert urgent
    bool sensitive = false;           // work: restricted routing (SEX)
    // TR statuses only: which status the code reports ("school", "work", or "alone" for MOVED and
    // MISS, which stand alone) and what it sets (cases::tracking_effect_of names: "school",
    // "nfe", "kg", "vocational", "none"; "not_working", "less", "working"; "lost").
    std::string group;
    std::string sets;
    // Work and hazards: the alerts' shorter wording (alerts/alert_text.cpp), shown when the label
    // does not fit the segment, before the alert falls back to the code; empty: the label.
    std::string short_en;
    std::string short_mn;
};

struct sex_def {
    sex kind = sex::unknown;
    std::vector<std::string> letters; // tokens naming the sex: "B", "M", "Х", "ХҮҮ"
};

struct language {
    std::vector<keyword_def> keywords;
    std::vector<sex_def> sexes;
    std::vector<std::string> age_units; // "Y", "YR", "YRS", "YO", "НАС" ...
    std::vector<code_def> work;
    std::vector<code_def> hazards;
    std::vector<code_def> statuses;        // TR (with group and sets)
    std::vector<code_def> services;        // REF, SVC
    std::vector<code_def> reasons;         // CLOSE: DONE, ADULT, MOVED
    std::vector<code_def> outcomes;        // VER: exactly the codes OK and NO (with aliases)
    std::vector<code_def> risk_reasons;    // RISK: DROP, SIB, FAM, STREET, OTHER
    std::vector<code_def> dismiss_reasons; // VER NO: NOTCL, NOTFOUND, DUP, OTHER
    std::vector<code_def> targets;         // PLAN: exactly W and P (with aliases)
    std::vector<code_def> categories;      // PLAN: CL, WFCL, RISK, DROP, HARD
    std::vector<code_def> results;         // OUT: exactly WD, PR, LESS and NO (with aliases)
    std::vector<std::string> family_words; // SVC ... FAM: "FAM" and aliases
    // HELP <topic> beside HELP <keyword>: exactly WORK, HAZARD, STATUS and SITES (with aliases).
    std::vector<code_def> help_topics;

    int min_age = 5;            // youngest age accepted in ID
    int min_prevention_age = 3; // youngest age accepted in RISK (cases.min_prevention_age)
    int adult_age = 18;         // this age or more is refused: the system covers children
    int max_children = 20;      // per message
    std::size_t max_note = 160; // code points after '#'
};

// spec/sms-language.md as shipped.
language default_language();

} // namespace kharuul::parser
