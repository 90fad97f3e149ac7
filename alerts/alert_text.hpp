// The words of every SMS the alerts send: the alert itself, its fold, escalation and ACK notices,
// and the tracking reminders; in English or Mongolian, each within ONE segment (160 GSM-7 or 70
// UCS-2 characters): optional parts are dropped in a fixed order, never split across segments.
// No child's name (the data has none) and no reporter's whole number (parser::mask_phone). Pure.
#pragma once

#include "alerts/escalation_fsm.hpp"
#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "parser/sms.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::alerts {

// What an alert may say. For an ID report: the sighting and the cases it opened. For a tracking
// alert (TR WORK / TR MISS): tracking_status, the case in case_codes[0] and the case's site.
struct alert_facts {
    std::uint64_t number = 0; // the alert number recipients ACK
    bool urgent = false;
    bool sensitive = false; // routing's decision; the work code's own flag (SEX) counts as well
    std::string site_code;
    std::string site_name; // "Altan-Us": the first thing dropped when the text is too long
    parser::children kids;
    int age_min = 0; // 0: not known
    int age_max = 0;
    std::string work;                           // canonical code, e.g. "MINE"
    std::vector<std::string> hazards;           // canonical codes
    std::vector<std::string> case_codes;        // in order; the first is never dropped
    std::string reporter_phone;                 // whole: masked here
    std::optional<std::string> tracking_status; // set for TR WORK / TR MISS alerts: the status code
};

// The alert, e.g. (English)
//   ALERT #17 URGENT: 2 boys ~12 mining, SHAFT, at ALT (Altan-Us). Cases 204812 204820.
//   From +976****0001. Reply ACK 17
// When too long, dropped in this order: the site's long name, the reporter's masked number; then
// in English hazard words (for codes), later case codes (for "+N"), "Reply" stays; then the
// children by sex (for a total, only when shorter), work words (for the code), non-urgent
// hazards, the age, the word "Cases". In Mongolian (70 characters): "Хариу:" before "ACK n", then
// hazards and work take their short Mongolian wordings (code_def::short_mn; never the Latin
// codes), later case codes (for "+N"), the children by sex (only when the total is shorter),
// non-urgent hazards, the word "Дугаар", the age. Last in both: the work, urgent hazards, the
// children. Every case code that fits beside what ranks above it is shown. The alert number, the
// first case code and "ACK n" are never dropped (in English "Reply ACK n"; only an absurdly long
// site code could make the text be cut, before the tail). A sensitive alert (flag or sensitive
// work code) says only
//   Sensitive case 204812 at DKH, urgent. Call the coordinator. Reply ACK 18
// and a tracking alert e.g. "ALERT #19: case 204812 (ALT) seen working again. Reply ACK 19".
// "ACK" here and in every text below is the deployment's keyword for the form (lexicon::keyword).
std::string alert_text(const alert_facts& f, const parser::lexicon& lex, parser::reply_language l);

// A report folded into open alert `number`:
//   +3 more children reported at ALT, see #17. Cases 204812 204820 204821. Reply ACK 17
// Later case codes become "+N" when too long.
std::string fold_text(std::uint64_t number, std::string_view site_code, int extra_children,
                      const std::vector<std::string>& case_codes, const parser::lexicon& lex,
                      parser::reply_language l);

// An escalation step: "NO ACK 30 min. " (leaders, coordinators) or "STILL NO ACK 2 h. "
// (repeating; "NO ACK 2 h. " before any part of the alert is dropped) followed by the alert text,
// shortened by the same rules to make room. `waited`:
// since the alert opened. For the initial and closed levels, the alert text alone.
std::string escalation_text(const alert_facts& f, escalation_level level, std::chrono::minutes waited,
                            const parser::lexicon& lex, parser::reply_language l);

// "Alert #17 acknowledged by +976****2233." for the coordinators' log and optional notices to
// the other recipients. `by_phone` should already be masked; a number without '*' is masked here.
std::string ack_notice(std::uint64_t number, std::string_view by_phone, parser::reply_language l);

// The acknowledger's confirmation, word for word the parser's confirmation of an ACK
// ("ACK ok: alert #17 acknowledged. Thank you."). The lexicon overload uses the deployment's
// keyword; the other the canonical "ACK".
std::string ack_confirmation(std::uint64_t number, const parser::lexicon& lex, parser::reply_language l);
std::string ack_confirmation(std::uint64_t number, parser::reply_language l);

// The answer to an ACK of an alert someone had already acknowledged: who (`by_name`, may be
// empty, and `by_phone`, masked here when it has no '*') and when (`when`, as the deployment reads
// it: "12:05" today, else "2026-11-25 12:05"):
//   ACK: alert #17 was already acknowledged by Bat (+976****0101) at 12:05. Thank you.
//   ACK: #17 дохиог Bat 12:05-д хүлээн авсан. Баярлалаа.
// `by_sender`: the sender acknowledged it themselves ("ACK: you acknowledged alert #17 at 12:05.").
// The name, then the number, then the thanks are dropped to fit one segment; the time never is.
std::string already_acknowledged_reply(std::uint64_t number, std::string_view by_name, std::string_view by_phone,
                                       std::string_view when, bool by_sender, const parser::lexicon& lex,
                                       parser::reply_language l);

// One overdue case in a tracking reminder.
struct reminder_case {
    std::string code; // case code
    std::string site; // site code

    bool operator==(const reminder_case&) const = default;
};

// A tracking reminder for 1..5 cases (reminders.hpp batches them), `days` without news:
//   Case 204812 (ALT): no news for 30 days. Reply TR 204812 <status>
//   No news for 30 days: 204812 (ALT), 204820 (ULT). Reply TR <case> <status> for each
// Site codes are dropped before any case code; every case code is kept (a reminder that loses a
// case is lost for it), unless the codes alone exceed a segment. Empty list: "".
std::string reminder_text(const std::vector<reminder_case>& cases, int days, const parser::lexicon& lex,
                          parser::reply_language l);

// To each coordinator, once a day per phone, when a volunteer's ID/RISK passes the hourly cap
// (messages.max_cases_per_sender_per_hour) and is kept without opening cases:
//   Kharuul: Bat (+976****0001) reported 100 children in an hour (cap 100). More ID/RISK from
//   this phone are kept, not opened. Check with them
// The name is dropped first (empty: none), the phone is masked.
std::string case_cap_notice(std::string_view reporter_name, std::string_view phone, int children, int cap,
                            parser::reply_language l);

} // namespace kharuul::alerts
