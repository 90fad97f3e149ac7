// The pure parser of the coded SMS language (spec/sms-language.md): text in, a typed message or a
// typed error out. No I/O, no clock, no logging, no globals; the lexicon carries the language and
// the site codes. Case numbers are checked for their check digit only: whether a case exists is
// the store's question.
#pragma once

#include "parser/language.hpp"
#include "parser/lexicon.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kharuul::parser {

struct children {
    int boys = 0;
    int girls = 0;
    int unknown = 0;

    int total() const noexcept { return boys + girls + unknown; }
    bool operator==(const children&) const = default;
};

// ID: children seen working at a site.
struct sighting {
    std::string site;
    children kids;
    int age_min = 0;
    int age_max = 0;
    std::string work;
    std::vector<std::string> hazards; // canonical codes, in the order typed, no repeats
};

struct nil_visit {
    std::string site;
};
// RISK: children at risk of child labour (prevention), cases.md 3.
struct risk_report {
    std::string site;
    children kids;
    int age_min = 0;
    int age_max = 0;
    std::string reason; // canonical risk reason
};
// TR: at most one school code and one work code in either order, or MOVED / MISS alone.
struct tracking {
    std::string case_code;
    std::string status;                // the first code, as before
    std::optional<std::string> school; // the school-group code, if any
    std::optional<std::string> work;   // the work-group code, if any
    std::vector<std::string> codes;    // every code in the order typed (one or two)
};
struct referral {
    std::string case_code;
    std::string service;
};
// SVC: a service delivered to the child, or with FAM to the family.
struct service_delivery {
    std::string case_code;
    std::string service;
    bool family = false;
};
// VER: triage. NO needs a dismiss reason.
struct verification {
    std::string case_code;
    bool confirmed = false; // OK = true, NO = false
    std::string reason;     // NO: canonical dismiss reason; OK: ""
};
// PLAN: the assessment.
struct assessment {
    std::string case_code;
    char target = 'W';    // 'W' withdrawal, 'P' prevention
    std::string category; // canonical category or ""
};
// OUT: outcome verification.
struct outcome_check {
    std::string case_code;
    std::string result; // "WD", "PR", "LESS", "NO"
};
// MERGE: the first case is the same child as the second.
struct merger {
    std::string case_code;
    std::string into;
};
struct closure {
    std::string case_code;
    std::string reason;
};
struct acknowledgement {
    std::uint64_t alert = 0;
};
// INFO: a page of the alert's case codes that did not fit its text.
struct alert_info {
    std::uint64_t alert = 0;
    std::uint32_t page = 1; // from 1
};
// HELP <topic>: a list that a form's help has no room for, in pages of one SMS each.
enum class help_list : std::uint8_t { work, hazard, status, sites };

// HELP: the code card (neither topic nor list), one form's format (`HELP TR`), or one page of a
// list (`HELP WORK`, `HELP HAZARD 2`, `ТУСЛАМЖ ГАЗАР`).
struct help_request {
    std::optional<form> topic;
    std::optional<help_list> list;
    int page = 1; // of the list; a number after the list's word (1 when none)
};

// "WORK", "HAZARD", "STATUS", "SITES": the canonical word of a list (lang().help_topics' codes).
std::string_view help_list_word(help_list l) noexcept;

using message_body = std::variant<sighting, nil_visit, risk_report, tracking, referral, service_delivery, verification,
                                  assessment, outcome_check, merger, closure, acknowledgement, help_request,
                                  alert_info>;

struct sms_message {
    form kind = form::help;
    message_body body;
    std::optional<std::string> note; // text after the first '#', trimmed; never parsed
    bool urgent = false;             // a hazard or work code marked urgent
    bool sensitive = false;          // a work code marked sensitive (restricted routing)
};

// Why a message was not understood. The names are the stable `error.code` strings of
// `kharuul parse` (spec/interfaces.md), except bad_case_check_digit, printed as "bad_case".
enum class errc {
    empty = 1,
    unknown_keyword,
    unknown_site,
    missing_field,
    bad_children,
    too_many_children,
    bad_age,
    adult_age,
    unknown_work,
    unknown_hazard,
    unplaced_number,
    bad_case,             // not six or seven digits (parser::case_code_check::bad_shape)
    bad_case_check_digit, // six or seven digits, wrong check digit
    unknown_status,
    unknown_service,
    bad_outcome,
    unknown_reason,
    bad_alert,
    note_too_long,
    unknown_risk,       // RISK: not a risk reason
    bad_target,         // PLAN: not W or P
    unknown_category,   // PLAN: not a category
    same_case,          // MERGE of a case into itself
    conflicting_status, // TR: two school codes, two work codes, or MOVED/MISS with another
};

const boost::system::error_category& parse_category() noexcept;
boost::system::error_code make_error_code(errc e) noexcept;

// The stable code string ("unknown_site" ...).
std::string_view error_code_name(errc e) noexcept;

// Which field a missing_field error is about.
enum class field : std::uint8_t {
    none, site, children, age, work, case_code, status, service, outcome, reason, alert, target, into
};
std::string_view field_name(field f) noexcept; // "site", "children", ... ("" for none)

struct parse_error {
    errc code = errc::empty;
    std::optional<form> kind;   // the form, when the keyword was recognised
    std::string token;          // the offending token as typed; empty when none
    std::string suggestion;     // a "did you mean" code; empty when none
    field missing = field::none; // for missing_field
    // ID, NIL, RISK: the site (its code) read before the error, when the error came after it
    // ("ID ALT 2B" missing its age names ALT); empty otherwise. `kharuul log --site` reads it.
    std::string site;
};

using parse_result = boost::system::result<sms_message, parse_error>;

// Parses one SMS. Never throws for any input (bad UTF-8 included); allocation failure aside.
parse_result parse_sms(std::string_view text, const lexicon& lex);

// The site (its code) a message names as the parser reads it, understood or not: the site of an
// ID, NIL or RISK; for one rejected after its site was read, that site (parse_error::site); for
// an unknown site whose "did you mean" is a site code, that code (the reply asked the sender
// about it). Nothing for other forms (a case form names a case, not a site) and for messages
// rejected before a site was read.
std::optional<std::string> site_named(const parse_result& parsed);

} // namespace kharuul::parser

namespace boost::system {
template <> struct is_error_code_enum<kharuul::parser::errc> : std::true_type {};
} // namespace boost::system

namespace kharuul::parser {
// boost::system::result<T, parse_error>::value() throws through this when it holds an error.
[[noreturn]] void throw_exception_from_error(const parse_error& e, const boost::source_location& loc);
} // namespace kharuul::parser
