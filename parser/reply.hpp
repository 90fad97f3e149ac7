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

// A site as HELP SITES lists it.
struct site_entry {
    std::string code;
    std::string name; // may be empty
};

// What processing an accepted message produced, for the confirmation.
struct receipt {
    std::vector<std::string> case_codes; // ID, RISK: one per child, in order
    std::optional<std::uint64_t> alert;  // ID, RISK, TR: the alert the team got (new or folded into)
    // A case form that named a merged case was applied to the kept case: the code it was applied
    // to ("TR ok: 100012 (merged from 100009) now ..."); empty otherwise.
    std::string applied_to;
    bool re_engaged = false; // TR ... WORK voided a verified outcome: the reply says the team is told
    bool reopened = false;   // ... on a case closed DONE, which is open again: the reply says so
    // HELP SITES: the sender's own sites (a volunteer's registered sites, a team member's in the
    // team's areas, a coordinator's all); nullopt when no sender is known (`kharuul parse`), and
    // then every site of the lexicon is listed.
    std::optional<std::vector<site_entry>> own_sites;
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

// Page `page` (from 1) of a HELP list: the work, hazard or TR status codes with their meanings, or
// the sites; a page that is not the last ends with how many are left and how to get the next
// ("+4 more: HELP WORK 2"). Fits one segment. See help_reply.cpp.
std::string help_list_reply(help_list list, int page, const lexicon& lex, reply_language l,
                            const std::optional<std::vector<site_entry>>& own_sites = std::nullopt);

// Messages that were understood but cannot be applied: the store or the registry decides.
enum class refusal : std::uint8_t {
    unknown_case,  // no case with that (valid) code; `suggestion` a code of the sender's, or empty
    closed_case,   // the case is closed: nothing changed
    not_allowed,   // a team-only form from a volunteer
    unknown_alert, // ACK of an alert that is not open
    unregistered,  // the sender's number is not registered: kept, not processed
    not_recipient, // ACK of an alert that was not sent to the sender
    // The case life cycle (cases::refusal_code, spec cases.md 2): each reply names the missing
    // step, e.g. "OUT 204812: no TR in the last 60 days. Send TR 204812 <status> first".
    dismissed_case,  // dismissed at triage: nothing changed
    past_triage,     // VER after triage: point at OUT
    not_confirmed,   // PLAN before VER OK: "Send VER <case> OK first"
    has_outcome,     // detail.outcome names it (WD, PR)
    lost_case,       // lost to follow-up: "Send TR <case> <status> first"
    needs_plan,      // OUT before PLAN: "Send PLAN <case> W|P first"
    target_mismatch, // detail.target is the case's ("W" or "P"), detail.outcome what was sent
    no_recent_tr,    // detail.days
    not_stopped,     // OUT WD without a TR STOP/HOME in detail.days
    work_since_plan, // OUT PR after a TR WORK since the plan
    no_less,         // OUT LESS without a TR LESS in detail.days
    needs_outcome,   // CLOSE DONE without WD or PR: "Send OUT <case> WD or PR first"
    not_mergeable,   // MERGE of a case past confirmed
    merge_target,    // MERGE into a case that is dismissed or closed (detail.other: its code)
    other_area,      // a team form on a case outside the sender's areas: detail.area, detail.team
    // An ID or RISK from a volunteer past messages.max_cases_per_sender_per_hour: kept, nothing
    // opened; detail.children is how many the sender's cases of the last hour hold.
    too_many_cases,
};

// What a refusal reply names besides the case.
struct refusal_detail {
    int days = 0;        // the evidence window
    std::string outcome; // WD, PR, LESS as sent or as standing
    std::string target;  // "W" or "P": the case's target
    std::string other;   // another case code (MERGE)
    std::string area;    // the case's area
    std::string team;    // the team whose area it is ("" when none)
    int children = 0;    // too_many_cases: the children reported in the last hour
    // closed_case: why the case was closed (ADULT, MOVED), and whether the refused form was a
    // TR ... WORK (a child seen working: the reply says the case stays closed and what to send).
    std::string reason;
    bool seen_working = false;
};

// The reply to a refusal, naming the case or alert (`token`) and the form. Fits one segment.
std::string refusal_reply(refusal r, std::optional<form> f, std::string_view token, std::string_view suggestion,
                          const lexicon& lex, reply_language l, const refusal_detail& detail = {});

// The language to answer an unknown sender in: Mongolian when the text has Cyrillic letters.
reply_language guess_language(std::string_view text) noexcept;

// "Send: ID site children age work": a form's format in the reply language.
std::string form_format(form f, const lexicon& lex, reply_language l);

} // namespace kharuul::parser
