#include "parser/reply.hpp"

#include "parser/reply_support.hpp"
#include "parser/segment.hpp"
#include "parser/text.hpp"

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

std::optional<reply_language> reply_language_from(std::string_view code) noexcept {
    if (code == "en")
        return reply_language::en;
    if (code == "mn")
        return reply_language::mn;
    return std::nullopt;
}

std::string_view reply_language_code(reply_language l) noexcept {
    return l == reply_language::mn ? "mn" : "en";
}

receipt placeholder_receipt(const sms_message& msg) {
    receipt r;
    const children* kids = nullptr;
    if (const auto* s = std::get_if<sighting>(&msg.body))
        kids = &s->kids;
    else if (const auto* k = std::get_if<risk_report>(&msg.body))
        kids = &k->kids;
    if (kids != nullptr)
        r.case_codes.assign(static_cast<std::size_t>(kids->total()), std::string(case_placeholder));
    return r;
}

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

std::string example_site(const lexicon& lex) {
    return lex.site_codes().empty() ? "ALT" : lex.site_codes().front();
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

std::string field_label(field f, std::optional<form> kind, reply_language l) {
    if (!mn(l)) {
        switch (f) {
        case field::alert:
            return "alert number";
        case field::target:
            return "target W or P";
        case field::into:
            return "the case to merge into";
        case field::outcome:
            return kind == form::out ? "outcome WD, PR, LESS or NO" : "OK or NO";
        default:
            return std::string(field_name(f));
        }
    }
    switch (f) {
    case field::site:
        return "газар";
    case field::children:
        return "хүүхэд";
    case field::age:
        return "нас";
    case field::work:
        return "ажил";
    case field::case_code:
        return "дугаар";
    case field::status:
        return "төлөв";
    case field::service:
        return "үйлчилгээ";
    case field::outcome:
        return kind == form::out ? "WD/PR/LESS/NO" : "OK/NO";
    case field::reason:
        return "шалтгаан";
    case field::alert:
        return "дохионы дугаар";
    case field::target:
        return "зорилт W/P";
    case field::into:
        return "нэгтгэх дугаар";
    case field::none:
        break;
    }
    return {};
}

// The reasons a form takes: RISK's risk reasons, VER NO's dismiss reasons, CLOSE's reasons.
const std::vector<code_def>& reasons_of(std::optional<form> kind, const lexicon& lex) {
    if (kind == form::risk)
        return lex.lang().risk_reasons;
    if (kind == form::ver)
        return lex.lang().dismiss_reasons;
    return lex.codes(table::reason);
}

// A parse error of one code (and form), for the help texts that list a table's codes.
parse_error error_of(errc code, std::optional<form> kind = std::nullopt) {
    parse_error e;
    e.code = code;
    e.kind = kind;
    return e;
}

// What to add after the problem to help the sender fix it (a list of valid codes).
std::string code_hint(const parse_error& e, const lexicon& lex, reply_language l) {
    const bool m = mn(l);
    const std::string reasons = m ? "Шалтгаан: " : "Reasons: ";
    switch (e.code) {
    case errc::unknown_work:
        return (m ? "Ажил: " : "Work: ") + code_list(lex, table::work);
    case errc::unknown_hazard:
        return (m ? "Аюул: " : "Hazards: ") + code_list(lex, table::hazard);
    case errc::unknown_status:
        return (m ? "Төлөв: " : "Status: ") + code_list(lex, table::status);
    case errc::unknown_service:
        return (m ? "Үйлчилгээ: " : "Services: ") + code_list(lex, table::service);
    case errc::unknown_reason:
        return reasons + joined_codes(reasons_of(e.kind, lex));
    case errc::unknown_risk:
        return reasons + joined_codes(lex.lang().risk_reasons);
    case errc::unknown_category:
        return (m ? "Ангилал: " : "Categories: ") + joined_codes(lex.lang().categories);
    case errc::missing_field:
        if (e.missing == field::reason && (e.kind == form::ver || e.kind == form::risk))
            return reasons + joined_codes(reasons_of(e.kind, lex));
        return {};
    default:
        return {};
    }
}

std::string problem_text(const parse_error& e, const lexicon& lex, reply_language l) {
    const std::string& t = e.token;
    const language& lang = lex.lang();
    const int youngest = e.kind == form::risk ? lang.min_prevention_age : lang.min_age;
    const std::string ages = std::to_string(youngest) + "-" + std::to_string(lang.adult_age - 1);
    const bool out = e.kind == form::out;
    if (mn(l)) {
        switch (e.code) {
        case errc::empty:
            return {};
        case errc::unknown_keyword:
            return "Код " + t + " танигдсангүй.";
        case errc::unknown_site:
            return t + " газар олдсонгүй.";
        case errc::missing_field:
            return field_label(e.missing, e.kind, l) + " дутуу.";
        case errc::bad_children:
            return t + ": хүүхдийг 2B, 1G, 2B1G гэж бич.";
        case errc::too_many_children:
            return "Нэг мессежэнд " + std::to_string(lang.max_children) + " хүртэл хүүхэд.";
        case errc::bad_age:
            return "Нас " + t + " буруу, " + ages + ".";
        case errc::adult_age:
            return t + ": зөвхөн 18-аас доош насны хүүхэд.";
        case errc::unknown_work:
            return t + " ажил танигдсангүй.";
        case errc::unknown_hazard:
            return t + " аюул танигдсангүй.";
        case errc::unplaced_number:
            return t + " юу болох нь тодорхойгүй. Нас 12Y, хүүхэд 2B.";
        case errc::bad_case:
            return t + ": дугаар 6 эсвэл 7 оронтой.";
        case errc::bad_case_check_digit:
            return t + " дугаар буруу, шалгана уу.";
        case errc::unknown_status:
            return t + " төлөв танигдсангүй.";
        case errc::unknown_service:
            return t + " үйлчилгээ танигдсангүй.";
        case errc::bad_outcome:
            return out ? "Дугаарын дараа " + results_alt(lex) + "." : "Дугаарын дараа OK эсвэл NO.";
        case errc::unknown_reason:
            return t + " шалтгаан танигдсангүй.";
        case errc::bad_alert:
            return t + ": дохионы дугаар цифрээр.";
        case errc::note_too_long:
            return "# тэмдэглэл " + std::to_string(lang.max_note) + " тэмдэгтээс урт.";
        case errc::unknown_risk:
            return t + " эрсдэлийн шалтгаан танигдсангүй.";
        case errc::bad_target:
            return "Дугаарын дараа W эсвэл P.";
        case errc::unknown_category:
            return t + " ангилал танигдсангүй.";
        case errc::same_case:
            return t + ": өөртэйгөө нэгтгэхгүй.";
        case errc::conflicting_status:
            return t + ": нэг сургууль, нэг ажлын код.";
        }
        return {};
    }
    const std::string not_t = t.empty() ? std::string{} : ", not " + t;
    switch (e.code) {
    case errc::empty:
        return {};
    case errc::unknown_keyword:
        return "Unknown code " + t + ".";
    case errc::unknown_site:
        return "unknown site " + t + ".";
    case errc::missing_field:
        return field_label(e.missing, e.kind, l) + " missing.";
    case errc::bad_children:
        return "cannot read children " + t + ". Write 2B, 1G or 2B1G.";
    case errc::too_many_children:
        return "at most " + std::to_string(lang.max_children) + " children per message (" + t + ").";
    case errc::bad_age:
        return "age " + t + " is not " + ages + ".";
    case errc::adult_age:
        return "age " + t + " is an adult; report children under 18 only.";
    case errc::unknown_work:
        return "unknown work " + t + ".";
    case errc::unknown_hazard:
        return "unknown hazard " + t + ".";
    case errc::unplaced_number:
        return "cannot tell what " + t + " is. Write age as 12Y, children as 2B.";
    case errc::bad_case:
        return "case number " + t + " must be 6 or 7 digits.";
    case errc::bad_case_check_digit:
        return t + " is not a valid case number; check the digits.";
    case errc::unknown_status:
        return "unknown status " + t + ".";
    case errc::unknown_service:
        return "unknown service " + t + ".";
    case errc::bad_outcome:
        return out ? "write WD, PR, LESS or NO after the case" + not_t + "."
                   : "write OK or NO after the case" + not_t + ".";
    case errc::unknown_reason:
        return "unknown reason " + t + ".";
    case errc::bad_alert:
        return "alert number must be digits, not " + t + ".";
    case errc::note_too_long:
        return "note too long: at most " + std::to_string(lang.max_note) + " characters after #.";
    case errc::unknown_risk:
        return "unknown risk reason " + t + ".";
    case errc::bad_target:
        return "write W (withdrawal) or P (prevention) after the case" + not_t + ".";
    case errc::unknown_category:
        return "unknown category " + t + ".";
    case errc::same_case:
        return "case " + t + " cannot be merged into itself.";
    case errc::conflicting_status:
        return t +
               " does not go with the other code: at most one school code and one work code; MOVED and MISS "
               "stand alone.";
    }
    return {};
}

} // namespace

std::string form_format(form f, const lexicon& lex, reply_language l) {
    const std::string k = kw(lex, f);
    const bool m = mn(l);
    switch (f) {
    case form::id:
        return k + (m ? " газар хүүхэд нас ажил" : " site children age work");
    case form::nil:
        return k + (m ? " газар" : " site");
    case form::risk:
        return k + (m ? " газар хүүхэд нас шалтгаан" : " site children age reason");
    case form::tr:
        return k + (m ? " дугаар төлөв" : " case status");
    case form::ref:
        return k + (m ? " дугаар үйлчилгээ" : " case service");
    case form::svc:
        return k + (m ? " дугаар үйлчилгээ [" : " case service [") + family_word(lex) + "]";
    case form::ver:
        return k + (m ? " дугаар OK|NO шалтгаан" : " case OK|NO reason");
    case form::plan:
        return k + (m ? " дугаар " : " case ") + targets_alt(lex) + (m ? " [ангилал]" : " [category]");
    case form::out:
        return k + (m ? " дугаар " : " case ") + results_alt(lex);
    case form::merge:
        return k + (m ? " дугаар үндсэн-дугаар" : " case into-case");
    case form::close:
        return k + (m ? " дугаар " : " case ") + code_list(lex, table::reason, "|");
    case form::ack:
        return k + (m ? " дугаар" : " number");
    case form::help:
        return k + (m ? " [код]" : " [code]");
    }
    return k;
}

std::string help_reply(std::optional<form> topic, const lexicon& lex, reply_language l) {
    const bool m = mn(l);
    const std::string ex_site = example_site(lex);
    if (!topic || *topic == form::help) {
        // The volunteer's forms: what a person in the field needs on one screen.
        auto card = [&](bool with_risk) {
            std::string c = (m ? "Кодууд: " : "Codes: ") + form_format(form::id, lex, l) + " | " +
                            form_format(form::nil, lex, l) + " | ";
            if (with_risk)
                c += form_format(form::risk, lex, l) + " | ";
            return c + form_format(form::tr, lex, l) + " | " + form_format(form::ack, lex, l);
        };
        auto short_card = [&](bool with_risk) {
            std::string c = form_format(form::id, lex, l) + "; " + form_format(form::nil, lex, l) + "; ";
            if (with_risk)
                c += kw(lex, form::risk) + "; ";
            return c + form_format(form::tr, lex, l) + "; " + form_format(form::ack, lex, l);
        };
        const std::string more =
            " | " + kw(lex, form::help) + (m ? " ID: дэлгэрэнгүй." : " ID for one form.");
        const std::string ex =
            (m ? " Жиш: " : " Ex: ") + kw(lex, form::id) + " " + ex_site + " 2B 12 MINE SHAFT";
        const std::string full = card(true);
        const std::string lean = card(false);
        return first_fit(
            {full + more + ex, full + more, full, lean + more, lean, short_card(true), short_card(false)});
    }
    const std::string fmt = form_format(*topic, lex, l);
    const std::string ex_case = "204812";
    const std::string teams = m ? ": баг л илгээнэ." : ": teams only.";
    std::string detail;
    std::string ex;
    switch (*topic) {
    case form::id:
    {
        const std::string ages =
            std::to_string(lex.lang().min_age) + "-" + std::to_string(lex.lang().adult_age - 1);
        detail = (m ? ". Хүүхэд 2B 1G 2B1G, нас " : ". Children 2B 1G 2B1G U, age ") + ages + ".";
    }
        ex = kw(lex, form::id) + " " + ex_site + " 2B 12 MINE SHAFT";
        detail += " " + code_hint(error_of(errc::unknown_work), lex, l) + ".";
        break;
    case form::nil:
        detail = m ? ": хүүхэд ажиллаагүй үзлэг." : ": a visit that found no child working.";
        ex = kw(lex, form::nil) + " " + ex_site;
        break;
    case form::risk: {
        const language& lang = lex.lang();
        const std::string ages =
            std::to_string(lang.min_prevention_age) + "-" + std::to_string(lang.adult_age - 1);
        detail = (m ? ": эрсдэлтэй хүүхэд, нас " : ": a child at risk, age ") + ages + ". " +
                 code_hint(error_of(errc::unknown_risk), lex, l) + ".";
        ex = kw(lex, form::risk) + " " + ex_site + " G 8 " +
             (lang.risk_reasons.empty() ? std::string("DROP") : lang.risk_reasons.front().code);
        break;
    }
    case form::tr:
        detail = ". " + code_hint(error_of(errc::unknown_status), lex, l) + ".";
        ex = kw(lex, form::tr) + " " + ex_case + " NFE";
        break;
    case form::ref:
        detail = ". " + code_hint(error_of(errc::unknown_service), lex, l) + ".";
        ex = kw(lex, form::ref) + " " + ex_case + " NFE";
        break;
    case form::svc:
        detail = (m ? ": үзүүлсэн үйлчилгээ, " + family_word(lex) + " гэр бүлд. "
                    : ": a service delivered; " + family_word(lex) + " for the family. ") +
                 code_hint(error_of(errc::unknown_service), lex, l) + ".";
        ex = kw(lex, form::svc) + " " + ex_case + " NFE";
        break;
    case form::ver:
        detail = teams + (m ? " NO шалтгаан: " : " Reasons for NO: ") +
                 joined_codes(lex.lang().dismiss_reasons) + ".";
        ex = kw(lex, form::ver) + " " + ex_case + " OK";
        break;
    case form::plan:
        detail = (m ? ": W хөдөлмөрөөс гаргах, P урьдчилан сэргийлэх. " : ": W withdrawal, P prevention. ") +
                 code_hint(error_of(errc::unknown_category), lex, l) + ".";
        ex = kw(lex, form::plan) + " " + ex_case + " W WFCL";
        break;
    case form::out:
        detail = m ? ": үр дүнг баг шалгана. Эхлээд PLAN, TR."
                   : ": WD withdrawn, PR prevented, LESS working less, NO not achieved. Needs PLAN and a "
                     "recent TR.";
        ex = kw(lex, form::out) + " " + ex_case + " WD";
        break;
    case form::merge:
        detail = m ? ": эхний хэрэг хоёр дахьтай нэг хүүхэд."
                   : ": the first case is the same child as the second.";
        ex = kw(lex, form::merge) + " 204820 " + ex_case;
        break;
    case form::close:
        detail = teams;
        ex = kw(lex, form::close) + " " + ex_case + " DONE";
        break;
    case form::ack:
        detail = m ? ": дохиог хүлээн авснаа мэдэгдэнэ." : ": stops an alert's escalation.";
        ex = kw(lex, form::ack) + " 17";
        break;
    case form::help:
        break;
    }
    const std::string ex_label = m ? " Жиш: " : " Ex: ";
    return first_fit({fmt + detail + ex_label + ex, fmt + detail, fmt + ex_label + ex, fmt});
}

std::string error_reply(const parse_error& e, const lexicon& lex, reply_language l) {
    if (e.code == errc::empty)
        return help_reply(std::nullopt, lex, l);
    const bool m = mn(l);
    const std::string problem = problem_text(e, lex, l);
    const std::string did_you_mean =
        e.suggestion.empty() ? std::string{}
                             : (m ? " " + e.suggestion + " гэж үү?" : " Did you mean " + e.suggestion + "?");
    if (!e.kind) { // no keyword recognised: list the keywords, or the volunteer's when all do not fit
        auto start = [&](bool all) {
            std::vector<form> shown;
            for (form f : all_forms)
                if (all || f == form::id || f == form::nil || f == form::risk || f == form::tr ||
                    f == form::help)
                    shown.push_back(f);
            std::string s = m ? " Эхлэх: " : " Start with ";
            for (std::size_t i = 0; i < shown.size(); ++i) {
                s += kw(lex, shown[i]);
                s += i + 1 == shown.size() ? "." : (i + 2 == shown.size() ? (m ? ", " : " or ") : ", ");
            }
            return s;
        };
        fitter f;
        if (!f.offer(problem + did_you_mean + start(true)) && !f.offer(problem + did_you_mean + start(false)))
            f.offer(problem + did_you_mean);
        return std::move(f).result();
    }
    const std::string head = kw(lex, *e.kind) + ": " + problem;
    auto send = [&] { return (m ? " Илгээх: " : " Send: ") + form_format(*e.kind, lex, l); };
    fitter f;
    if (!did_you_mean.empty()) {
        if (f.offer(head + did_you_mean + send()) || f.offer(head + did_you_mean))
            return std::move(f).result();
    } else if (const std::string hint = code_hint(e, lex, l); !hint.empty()) {
        if (f.offer(head + " " + hint) || f.offer(head + send()))
            return std::move(f).result();
    } else if (f.offer(head + send())) {
        return std::move(f).result();
    }
    f.offer(head);
    return std::move(f).result();
}

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
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                const std::string n = "#" + std::to_string(b.alert);
                return first_fit({ok + (m ? "дохио " + n + " хүлээн авлаа. Баярлалаа."
                                          : "alert " + n + " acknowledged. Thank you.")});
            } else {
                return help_reply(b.topic, lex, l);
            }
        },
        msg.body);
}

reply_language guess_language(std::string_view text) noexcept {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const char32_t cp = next_code_point(text, pos);
        if (cp >= 0x0400 && cp <= 0x04FF)
            return reply_language::mn;
    }
    return reply_language::en;
}

} // namespace kharuul::parser
