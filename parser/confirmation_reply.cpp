// The confirmations of accepted messages (parser/reply.hpp's confirmation_reply): what was
// understood, with the cases opened or changed and the alert raised, richest wording first and
// shortened to one segment. Separate from the help and error replies (reply.cpp) and the refusals
// (refusal_reply.cpp); the shared wording helpers are in reply_support.hpp.
#include "parser/info_reply.hpp"
#include "parser/reply.hpp"

#include "parser/reply_support.hpp"
#include "parser/segment.hpp"

#include <string>
#include <vector>

namespace kharuul::parser {

using detail::code_list;
using detail::family_word;
using detail::first_fit;
using detail::fitter;
using detail::joined_codes;
using detail::kw;
using detail::label_in;
using detail::label_of;
using detail::mn;
using detail::result_phrase;
using detail::results_alt;
using detail::target_word;
using detail::targets_alt;

namespace {

std::string children_phrase(const children& k, reply_language l) {
    std::string out;
    auto part = [&](int n, const char* one_en, const char* many_en, const char* word_mn) {
        if (n == 0)
            return;
        if (!out.empty())
            out += ' ';
        out += std::to_string(n);
        out += ' ';
        out += mn(l) ? word_mn : (n == 1 ? one_en : many_en);
    };
    part(k.boys, "boy", "boys", "хүү");
    part(k.girls, "girl", "girls", "охин");
    part(k.unknown, "child", "children", "хүүхэд");
    return out;
}

std::string age_phrase(int age_min, int age_max) {
    std::string out = "~" + std::to_string(age_min);
    if (age_max != age_min)
        out += "-" + std::to_string(age_max);
    return out;
}


// One way to word a report that opens cases: what was seen, and whether the alert is named in
// full ("Team alerted (#17).") or by its number alone (" #17").
struct opening_wording {
    std::string what;
    bool short_alert = false;
};

// The confirmation of a report that opens cases (ID, RISK): `head` and one of `wordings` (richest
// first; the last is the barest), then the case codes and the alert. Case codes matter most to
// the sender (they need them for TR), then the alert number: when no wording fits with every code,
// the later codes are counted instead ("+3 more").
std::string opening_confirmation(const std::string& head, const std::vector<opening_wording>& wordings,
                                 const receipt& r, reply_language l) {
    auto cases = [&](std::size_t shown) {
        if (r.case_codes.empty())
            return std::string{};
        std::string c = mn(l) ? " Дугаар" : (r.case_codes.size() == 1 ? " Case" : " Cases");
        for (std::size_t i = 0; i < shown && i < r.case_codes.size(); ++i)
            c += " " + r.case_codes[i];
        if (shown < r.case_codes.size())
            c += " +" + std::to_string(r.case_codes.size() - shown) + (mn(l) ? "" : " more");
        return c + ".";
    };
    const std::string alert = r.alert ? (mn(l) ? " Багт мэдэгдэв #" : " Team alerted (#") +
                                            std::to_string(*r.alert) + (mn(l) ? "" : ").")
                                      : std::string{};
    const std::string short_alert = r.alert ? " #" + std::to_string(*r.alert) : std::string{};
    fitter f;
    const std::string all_cases = cases(r.case_codes.size());
    for (const opening_wording& w : wordings)
        if (f.offer(head + w.what + all_cases + (w.short_alert ? short_alert : alert)))
            return std::move(f).result();
    const std::string bare = head + wordings.back().what;
    for (std::size_t shown = r.case_codes.size(); shown-- > 1;)
        if (f.offer(bare + cases(shown) + short_alert))
            break;
    return std::move(f).result();
}

enum class hazard_detail { labels, codes, none };

std::string id_confirmation(const sighting& s, const receipt& r, const lexicon& lex, reply_language l) {
    auto what = [&](hazard_detail d) {
        std::string w = children_phrase(s.kids, l) + " " + age_phrase(s.age_min, s.age_max) + " " +
                        label_of(lex, table::work, s.work, l);
        if (d != hazard_detail::none)
            for (const auto& h : s.hazards)
                w += ", " + (d == hazard_detail::labels ? label_of(lex, table::hazard, h, l) : h);
        w += mn(l) ? ", " : ", at ";
        w += s.site;
        return w + ".";
    };
    // The hazard wording goes first, then the alert wording.
    std::vector<opening_wording> wordings{{what(hazard_detail::labels)}};
    if (!s.hazards.empty())
        wordings.push_back({what(hazard_detail::codes)});
    wordings.push_back({what(hazard_detail::none)});
    wordings.push_back({what(hazard_detail::none), true});
    return opening_confirmation(kw(lex, form::id) + (mn(l) ? " OK: " : " ok: "), wordings, r, l);
}

// "RISK ok: 1 girl ~8 at risk (out of school) at ALT. Case 100017. Team alerted (#4)."
std::string risk_confirmation(const risk_report& s, const receipt& r, const lexicon& lex, reply_language l) {
    const std::string who = children_phrase(s.kids, l) + " " + age_phrase(s.age_min, s.age_max);
    auto what = [&](const std::string& reason) {
        return mn(l) ? who + " эрсдэлтэй (" + reason + "), " + s.site + "."
                     : who + " at risk (" + reason + ") at " + s.site + ".";
    };
    // The reason's wording is worth more here than the alert's (the alert is never urgent); with
    // several children the reason goes before any case code does (the sender needs them for TR).
    const std::string labelled = what(label_in(lex.lang().risk_reasons, s.reason, l));
    const std::string coded = what(s.reason);
    return opening_confirmation(kw(lex, form::risk) + (mn(l) ? " OK: " : " ok: "),
                                {{labelled},
                                 {labelled, true},
                                 {coded},
                                 {coded, true},
                                 {who + (mn(l) ? ", " : " at ") + s.site + ".", true}},
                                r, l);
}

// The case a form was applied to, richest first: the case named, or, when it had been merged,
// the kept case with the one named ("100025 (100017 was merged into it)").
std::vector<std::string> case_refs(const std::string& named, const receipt& r, reply_language l) {
    if (r.applied_to.empty() || r.applied_to == named)
        return {named};
    const std::string& kept = r.applied_to;
    if (mn(l))
        return {kept + " (" + named + " үүнд нэгтгэгдсэн)", kept + " (" + named + " нэгтгэсэн)", kept};
    return {kept + " (" + named + " was merged into it)", kept + " (merged from " + named + ")", kept};
}

// The confirmation of a form about one case: `ok`, the case (case_refs), one of `bodies` and one
// of `tails` (each richest first). The tail's wording goes first, then the merge explanation's, then
// the body's labels (their codes stay); the merge explanation itself goes last: the sender must
// learn that the form went to another case.
std::string case_confirmation(const std::string& ok, const std::vector<std::string>& refs,
                              const std::vector<std::string>& bodies, const std::vector<std::string>& tails) {
    fitter f;
    auto offer = [&](const std::string& c, const std::string& b) {
        for (const std::string& t : tails)
            if (f.offer(ok + c + b + t))
                return true;
        return false;
    };
    const std::size_t explained = refs.size() > 1 ? refs.size() - 1 : refs.size();
    for (const std::string& b : bodies)
        for (std::size_t i = 0; i < explained; ++i)
            if (offer(refs[i], b))
                return std::move(f).result();
    if (explained < refs.size())
        for (const std::string& b : bodies)
            if (offer(refs.back(), b))
                return std::move(f).result();
    return std::move(f).result();
}

// The tail of a TR confirmation: the alert the team got, and whether a verified outcome was
// voided (re-engagement, cases.md 2), richest first.
std::vector<std::string> tracking_tails(const receipt& r, reply_language l) {
    const std::string n = r.alert ? std::to_string(*r.alert) : std::string{};
    if (r.reopened) { // a case closed DONE seen working again (cases.md 2): open again, outcome void
        if (mn(l))
            return {" Хэрэг дахин нээгдэж, үр дүн хүчингүй" + (r.alert ? "; багт мэдэгдэв #" + n + "." : "; багт мэдэгдэнэ."),
                    " Хэрэг дахин нээгдэв" + (r.alert ? ", багт мэдэгдэв #" + n + "." : ", багт мэдэгдэнэ."),
                    " Дахин нээгдэв" + (r.alert ? " #" + n + "." : ".")};
        return {" The case was closed and is reopened; its verified outcome no longer counts" +
                    (r.alert ? "; team alerted (#" + n + ")." : "; the team is told."),
                " Case reopened, outcome no longer counts" + (r.alert ? "; team alerted (#" + n + ")." : "; team told."),
                " Case reopened" + (r.alert ? "; team alerted (#" + n + ")." : "; team told."),
                " Reopened" + (r.alert ? ", #" + n + "." : ".")};
    }
    if (mn(l)) {
        if (r.re_engaged)
            return {" Батлагдсан үр дүн тооцогдохгүй" +
                        (r.alert ? ", багт мэдэгдэв #" + n + "." : ", багт мэдэгдэнэ."),
                    " Үр дүн хүчингүй" + (r.alert ? " #" + n + "." : ", багт мэдэгдэнэ."),
                    " Үр дүн хүчингүй" + (r.alert ? " #" + n : std::string("."))};
        return {r.alert ? " Багт мэдэгдэв #" + n : std::string{}, r.alert ? " #" + n : std::string{}};
    }
    if (r.re_engaged)
        return {" The verified outcome no longer counts" +
                    (r.alert ? "; team alerted (#" + n + ")." : "; the team is told."),
                " Outcome no longer counts" + (r.alert ? "; team alerted (#" + n + ")." : "; team told."),
                " Outcome void" + (r.alert ? ", #" + n + "." : "; team told.")};
    return {r.alert ? " Team alerted (#" + n + ")." : std::string{}, r.alert ? " #" + n : std::string{}};
}

} // namespace

std::string confirmation_reply(const sms_message& msg, const receipt& r, const lexicon& lex,
                               reply_language l) {
    const bool m = mn(l);
    const std::string ok = kw(lex, msg.kind) + (m ? " OK: " : " ok: ");
    const std::vector<std::string> no_tail{std::string{}};
    return std::visit(
        [&](const auto& b) -> std::string {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, sighting>) {
                return id_confirmation(b, r, lex, l);
            } else if constexpr (std::is_same_v<T, risk_report>) {
                return risk_confirmation(b, r, lex, l);
            } else if constexpr (std::is_same_v<T, nil_visit>) {
                return first_fit({ok + b.site + (m ? " үзлэг бүртгэгдлээ." : " visit recorded.")});
            } else if constexpr (std::is_same_v<T, tracking>) {
                // "now in non-formal education, not working.": each code's label, in the order typed.
                const std::vector<std::string> codes =
                    b.codes.empty() ? std::vector<std::string>{b.status} : b.codes;
                std::string labels;
                std::string plain;
                for (const auto& c : codes) {
                    labels += (labels.empty() ? "" : ", ") + label_of(lex, table::status, c, l);
                    plain += " " + c;
                }
                return case_confirmation(ok, case_refs(b.case_code, r, l),
                                         {(m ? " одоо " : " now ") + labels + ".", plain + "."},
                                         tracking_tails(r, l));
            } else if constexpr (std::is_same_v<T, referral>) {
                const std::string s = label_of(lex, table::service, b.service, l);
                return case_confirmation(
                    ok, case_refs(b.case_code, r, l),
                    {(m ? " илгээв: " : " referred to ") + s + ".", " -> " + b.service + "."}, no_tail);
            } else if constexpr (std::is_same_v<T, service_delivery>) {
                // "SVC ok: 100009 non-formal education delivered (family)."
                const std::string s = label_of(lex, table::service, b.service, l);
                const std::string fam = b.family ? (m ? " (гэр бүлд)" : " (family)") : std::string{};
                const std::string fam_code = b.family ? " " + family_word(lex) : std::string{};
                return case_confirmation(
                    ok, case_refs(b.case_code, r, l),
                    {" " + s + (m ? " үзүүлэв" : " delivered") + fam + ".", " " + b.service + fam_code + "."},
                    no_tail);
            } else if constexpr (std::is_same_v<T, verification>) {
                // "VER ok: 100009 confirmed." / "VER ok: 100009 dismissed: not found."
                std::vector<std::string> bodies;
                if (b.confirmed) {
                    bodies = {" " + label_of(lex, table::outcome, "OK", l) + "."};
                } else {
                    const std::string dismissed = m ? " хэрэгсэхгүй" : " dismissed";
                    if (b.reason.empty())
                        bodies = {dismissed + "."};
                    else
                        bodies = {dismissed + ": " + label_in(lex.lang().dismiss_reasons, b.reason, l) + ".",
                                  dismissed + ": " + b.reason + "."};
                }
                // In Mongolian the word for "received" is OK itself: a dismissal says NO instead.
                const std::string head = m && !b.confirmed ? kw(lex, msg.kind) + " NO: " : ok;
                return case_confirmation(head, case_refs(b.case_code, r, l), bodies, no_tail);
            } else if constexpr (std::is_same_v<T, assessment>) {
                // "PLAN ok: 100009 target withdrawal (worst forms)."
                const std::string t(1, b.target);
                const std::string goal = (m ? " зорилт: " : " target ") + target_word(lex, t, l);
                std::vector<std::string> bodies;
                if (b.category.empty())
                    bodies = {goal + ".", " " + t + "."};
                else
                    bodies = {goal + " (" + label_in(lex.lang().categories, b.category, l) + ").",
                              goal + " (" + b.category + ").", " " + t + " " + b.category + "."};
                return case_confirmation(ok, case_refs(b.case_code, r, l), bodies, no_tail);
            } else if constexpr (std::is_same_v<T, outcome_check>) {
                return case_confirmation(ok, case_refs(b.case_code, r, l),
                                         {" " + result_phrase(b.result, l) + ".", " " + b.result + "."},
                                         no_tail);
            } else if constexpr (std::is_same_v<T, merger>) {
                // "MERGE ok: 100017 is now part of 100009."
                const std::string& into = r.applied_to.empty() ? b.into : r.applied_to;
                return case_confirmation(
                    ok, {b.case_code},
                    {m ? " нь " + into + "-д нэгтгэгдлээ." : " is now part of " + into + ".",
                     " -> " + into + "."},
                    no_tail);
            } else if constexpr (std::is_same_v<T, closure>) {
                const std::string s = label_of(lex, table::reason, b.reason, l);
                return case_confirmation(ok, case_refs(b.case_code, r, l),
                                         {(m ? " хаагдсан: " : " closed: ") + s + ".", " " + b.reason + "."},
                                         no_tail);
            } else if constexpr (std::is_same_v<T, alert_info>) {
                // What the gateway answers from the store (alert_desk.cpp); without one (`kharuul
                // parse`), the receipt's codes or a placeholder where the codes would go.
                const std::vector<std::string> codes =
                    r.case_codes.empty() ? std::vector<std::string>{std::string(case_placeholder)} : r.case_codes;
                return info_reply(b.alert, b.page, codes, codes, lex, l).reply;
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                const std::string n = "#" + std::to_string(b.alert);
                return first_fit({ok + (m ? "дохио " + n + " хүлээн авлаа. Баярлалаа."
                                          : "alert " + n + " acknowledged. Thank you.")});
            } else {
                if (b.list)
                    return help_list_reply(*b.list, b.page, lex, l, r.own_sites);
                return help_reply(b.topic, lex, l);
            }
        },
        msg.body);
}

} // namespace kharuul::parser
