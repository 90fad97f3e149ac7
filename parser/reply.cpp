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
    case form::info:
        return k + (m ? " дугаар [хуудас]" : " number [page]");
    }
    return k;
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
