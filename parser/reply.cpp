#include "parser/reply.hpp"

#include "parser/segment.hpp"
#include "parser/text.hpp"

#include <string>
#include <vector>

namespace kharuul::parser {

std::optional<reply_language> reply_language_from(std::string_view code) noexcept {
    if (code == "en")
        return reply_language::en;
    if (code == "mn")
        return reply_language::mn;
    return std::nullopt;
}

std::string_view reply_language_code(reply_language l) noexcept { return l == reply_language::mn ? "mn" : "en"; }

receipt placeholder_receipt(const sms_message& msg) {
    receipt r;
    if (const auto* s = std::get_if<sighting>(&msg.body))
        r.case_codes.assign(static_cast<std::size_t>(s->kids.total()), std::string(case_placeholder));
    return r;
}

namespace {

bool mn(reply_language l) { return l == reply_language::mn; }

// Tries replies from richest to leanest, each built only when the one before did not fit (the
// arguments of `f.offer(a) || f.offer(b)` are evaluated in order and stop at the first fit).
class fitter {
public:
    bool offer(std::string candidate) {
        last_ = std::move(candidate);
        done_ = fits_one_segment(last_);
        return done_;
    }
    // The candidate that fitted, or the last one shortened.
    std::string result() && { return done_ ? std::move(last_) : shorten_to_segment(last_); }

private:
    std::string last_;
    bool done_ = false;
};

// The first candidate that fits one segment; the last one shortened when none does. For
// candidates that are cheap to build all at once.
std::string first_fit(std::initializer_list<std::string_view> candidates) {
    fitter f;
    for (std::string_view c : candidates)
        if (f.offer(std::string(c)))
            break;
    return std::move(f).result();
}

const std::string& label(const code_def& d, reply_language l) {
    const std::string& s = mn(l) ? d.label_mn : d.label_en;
    return s.empty() ? d.code : s;
}

const std::string& label_of(const lexicon& lex, table t, const std::string& code, reply_language l) {
    const code_def* d = lex.code_by_name(t, code);
    return d != nullptr ? label(*d, l) : code;
}

const std::string& kw(const lexicon& lex, form f) { return lex.keyword(f).keyword; }

std::string code_list(const lexicon& lex, table t, std::string_view sep = " ") {
    std::string out;
    for (const auto& d : lex.codes(t)) {
        if (!out.empty())
            out += sep;
        out += d.code;
    }
    return out;
}

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

std::string age_phrase(const sighting& s) {
    std::string out = "~" + std::to_string(s.age_min);
    if (s.age_max != s.age_min)
        out += "-" + std::to_string(s.age_max);
    return out;
}

std::string example_site(const lexicon& lex) { return lex.site_codes().empty() ? "ALT" : lex.site_codes().front(); }

enum class hazard_detail { labels, codes, none };

std::string id_confirmation(const sighting& s, const receipt& r, const lexicon& lex, reply_language l) {
    const std::string head = kw(lex, form::id) + (mn(l) ? " OK: " : " ok: ");
    auto what = [&](hazard_detail d) {
        std::string w = children_phrase(s.kids, l) + " " + age_phrase(s) + " " + label_of(lex, table::work, s.work, l);
        if (d != hazard_detail::none)
            for (const auto& h : s.hazards)
                w += ", " + (d == hazard_detail::labels ? label_of(lex, table::hazard, h, l) : h);
        w += mn(l) ? ", " : ", at ";
        w += s.site;
        return w + ".";
    };
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
    const std::string alert =
        r.alert ? (mn(l) ? " Багт мэдэгдэв #" : " Team alerted (#") + std::to_string(*r.alert) + (mn(l) ? "" : ").")
                : std::string{};
    const std::string short_alert = r.alert ? " #" + std::to_string(*r.alert) : std::string{};
    // Richest first. Case codes matter most to the sender (they need them for TR), then the
    // alert number; hazard wording goes first, then the alert wording, then the later codes.
    fitter f;
    const std::string all_cases = cases(r.case_codes.size());
    if (f.offer(head + what(hazard_detail::labels) + all_cases + alert) ||
        (!s.hazards.empty() && f.offer(head + what(hazard_detail::codes) + all_cases + alert)))
        return std::move(f).result();
    const std::string bare = head + what(hazard_detail::none);
    if (f.offer(bare + all_cases + alert) || f.offer(bare + all_cases + short_alert))
        return std::move(f).result();
    for (std::size_t shown = r.case_codes.size(); shown-- > 1;)
        if (f.offer(bare + cases(shown) + short_alert))
            break;
    return std::move(f).result();
}

std::string field_label(field f, reply_language l) {
    if (!mn(l)) {
        if (f == field::alert)
            return "alert number";
        return std::string(field_name(f));
    }
    switch (f) {
    case field::site: return "газар";
    case field::children: return "хүүхэд";
    case field::age: return "нас";
    case field::work: return "ажил";
    case field::case_code: return "дугаар";
    case field::status: return "төлөв";
    case field::service: return "үйлчилгээ";
    case field::outcome: return "OK/NO";
    case field::reason: return "шалтгаан";
    case field::alert: return "дохионы дугаар";
    case field::none: break;
    }
    return {};
}

// What to add after the problem to help the sender fix it (a list of valid codes).
std::string code_hint(errc e, const lexicon& lex, reply_language l) {
    switch (e) {
    case errc::unknown_work: return (mn(l) ? "Ажил: " : "Work: ") + code_list(lex, table::work);
    case errc::unknown_hazard: return (mn(l) ? "Аюул: " : "Hazards: ") + code_list(lex, table::hazard);
    case errc::unknown_status: return (mn(l) ? "Төлөв: " : "Status: ") + code_list(lex, table::status);
    case errc::unknown_service: return (mn(l) ? "Үйлчилгээ: " : "Services: ") + code_list(lex, table::service);
    case errc::unknown_reason: return (mn(l) ? "Шалтгаан: " : "Reasons: ") + code_list(lex, table::reason);
    default: return {};
    }
}

std::string problem_text(const parse_error& e, const lexicon& lex, reply_language l) {
    const std::string& t = e.token;
    const language& lang = lex.lang();
    const std::string ages = std::to_string(lang.min_age) + "-" + std::to_string(lang.adult_age - 1);
    if (mn(l)) {
        switch (e.code) {
        case errc::empty: return {};
        case errc::unknown_keyword: return "Код " + t + " танигдсангүй.";
        case errc::unknown_site: return t + " газар олдсонгүй.";
        case errc::missing_field: return field_label(e.missing, l) + " дутуу.";
        case errc::bad_children: return t + ": хүүхдийг 2B, 1G, 2B1G гэж бич.";
        case errc::too_many_children: return "Нэг мессежэнд " + std::to_string(lang.max_children) + " хүртэл хүүхэд.";
        case errc::bad_age: return "Нас " + t + " буруу, " + ages + ".";
        case errc::adult_age: return t + ": зөвхөн 18-аас доош насны хүүхэд.";
        case errc::unknown_work: return t + " ажил танигдсангүй.";
        case errc::unknown_hazard: return t + " аюул танигдсангүй.";
        case errc::unplaced_number: return t + " юу болох нь тодорхойгүй. Нас 12Y, хүүхэд 2B.";
        case errc::bad_case: return t + ": дугаар 6 оронтой.";
        case errc::bad_case_check_digit: return t + " дугаар буруу, шалгана уу.";
        case errc::unknown_status: return t + " төлөв танигдсангүй.";
        case errc::unknown_service: return t + " үйлчилгээ танигдсангүй.";
        case errc::bad_outcome: return "Дугаарын дараа OK эсвэл NO.";
        case errc::unknown_reason: return t + " шалтгаан танигдсангүй.";
        case errc::bad_alert: return t + ": дохионы дугаар цифрээр.";
        case errc::note_too_long: return "# тэмдэглэл " + std::to_string(lang.max_note) + " тэмдэгтээс урт.";
        }
        return {};
    }
    switch (e.code) {
    case errc::empty: return {};
    case errc::unknown_keyword: return "Unknown code " + t + ".";
    case errc::unknown_site: return "unknown site " + t + ".";
    case errc::missing_field: return field_label(e.missing, l) + " missing.";
    case errc::bad_children: return "cannot read children " + t + ". Write 2B, 1G or 2B1G.";
    case errc::too_many_children:
        return "at most " + std::to_string(lang.max_children) + " children per message (" + t + ").";
    case errc::bad_age: return "age " + t + " is not " + ages + ".";
    case errc::adult_age: return "age " + t + " is an adult; report children under 18 only.";
    case errc::unknown_work: return "unknown work " + t + ".";
    case errc::unknown_hazard: return "unknown hazard " + t + ".";
    case errc::unplaced_number: return "cannot tell what " + t + " is. Write age as 12Y, children as 2B.";
    case errc::bad_case: return "case number " + t + " must be 6 digits.";
    case errc::bad_case_check_digit: return t + " is not a valid case number; check the digits.";
    case errc::unknown_status: return "unknown status " + t + ".";
    case errc::unknown_service: return "unknown service " + t + ".";
    case errc::bad_outcome: return "write OK or NO after the case" + (t.empty() ? std::string{} : ", not " + t) + ".";
    case errc::unknown_reason: return "unknown reason " + t + ".";
    case errc::bad_alert: return "alert number must be digits, not " + t + ".";
    case errc::note_too_long: return "note too long: at most " + std::to_string(lang.max_note) + " characters after #.";
    }
    return {};
}

} // namespace

std::string form_format(form f, const lexicon& lex, reply_language l) {
    const std::string k = kw(lex, f);
    const bool m = mn(l);
    switch (f) {
    case form::id: return k + (m ? " газар хүүхэд нас ажил" : " site children age work");
    case form::nil: return k + (m ? " газар" : " site");
    case form::tr: return k + (m ? " дугаар төлөв" : " case status");
    case form::ref: return k + (m ? " дугаар үйлчилгээ" : " case service");
    case form::ver: return k + (m ? " дугаар OK|NO" : " case OK|NO");
    case form::close: return k + (m ? " дугаар " : " case ") + code_list(lex, table::reason, "|");
    case form::ack: return k + (m ? " дугаар" : " number");
    case form::help: return k + (m ? " [код]" : " [code]");
    }
    return k;
}

std::string help_reply(std::optional<form> topic, const lexicon& lex, reply_language l) {
    const bool m = mn(l);
    const std::string ex_site = example_site(lex);
    if (!topic || *topic == form::help) {
        const std::string card = (m ? "Кодууд: " : "Codes: ") + form_format(form::id, lex, l) + " | " +
                                 form_format(form::nil, lex, l) + " | " + form_format(form::tr, lex, l) + " | " +
                                 form_format(form::ack, lex, l);
        const std::string more = " | " + kw(lex, form::help) + (m ? " ID: дэлгэрэнгүй." : " ID for one form.");
        const std::string ex = (m ? " Жиш: " : " Ex: ") + kw(lex, form::id) + " " + ex_site + " 2B 12 MINE SHAFT";
        const std::string short_card = form_format(form::id, lex, l) + "; " + form_format(form::nil, lex, l) +
                                       "; " + form_format(form::tr, lex, l) + "; " + form_format(form::ack, lex, l);
        return first_fit({card + more + ex, card + more, card, short_card});
    }
    const std::string fmt = form_format(*topic, lex, l);
    const std::string ex_case = "204812";
    std::string detail;
    std::string ex;
    switch (*topic) {
    case form::id:
        detail = m ? " Хүүхэд 2B 1G 2B1G, нас 5-17." : " Children 2B 1G 2B1G U, age 5-17.";
        ex = kw(lex, form::id) + " " + ex_site + " 2B 12 MINE SHAFT";
        detail += " " + code_hint(errc::unknown_work, lex, l) + ".";
        break;
    case form::nil:
        detail = m ? ": хүүхэд ажиллаагүй үзлэг." : ": a visit that found no child working.";
        ex = kw(lex, form::nil) + " " + ex_site;
        break;
    case form::tr:
        detail = " " + code_hint(errc::unknown_status, lex, l) + ".";
        ex = kw(lex, form::tr) + " " + ex_case + " NFE";
        break;
    case form::ref:
        detail = " " + code_hint(errc::unknown_service, lex, l) + ".";
        ex = kw(lex, form::ref) + " " + ex_case + " NFE";
        break;
    case form::ver:
        detail = m ? ": баг л илгээнэ." : ": teams only.";
        ex = kw(lex, form::ver) + " " + ex_case + " OK";
        break;
    case form::close:
        detail = m ? ": баг л илгээнэ." : ": teams only.";
        ex = kw(lex, form::close) + " " + ex_case + " DONE";
        break;
    case form::ack:
        detail = m ? ": дохиог хүлээн авснаа мэдэгдэнэ." : ": stops an alert's escalation.";
        ex = kw(lex, form::ack) + " 17";
        break;
    case form::help: break;
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
        e.suggestion.empty() ? std::string{} : (m ? " " + e.suggestion + " гэж үү?" : " Did you mean " + e.suggestion + "?");
    if (!e.kind) { // no keyword recognised: list the keywords
        std::string start = m ? " Эхлэх: " : " Start with ";
        for (form f : all_forms) {
            start += kw(lex, f);
            start += f == form::help ? "." : (f == form::ack ? (m ? ", " : " or ") : ", ");
        }
        return first_fit({problem + did_you_mean + start, problem + did_you_mean});
    }
    const std::string head = kw(lex, *e.kind) + ": " + problem;
    auto send = [&] { return (m ? " Илгээх: " : " Send: ") + form_format(*e.kind, lex, l); };
    fitter f;
    if (!did_you_mean.empty()) {
        if (f.offer(head + did_you_mean + send()) || f.offer(head + did_you_mean))
            return std::move(f).result();
    } else if (const std::string hint = code_hint(e.code, lex, l); !hint.empty()) {
        if (f.offer(head + " " + hint) || f.offer(head + send()))
            return std::move(f).result();
    } else if (f.offer(head + send())) {
        return std::move(f).result();
    }
    f.offer(head);
    return std::move(f).result();
}

std::string confirmation_reply(const sms_message& msg, const receipt& r, const lexicon& lex, reply_language l) {
    const bool m = mn(l);
    const std::string ok = kw(lex, msg.kind) + (m ? " OK: " : " ok: ");
    const std::string alerted =
        r.alert ? (m ? " Багт мэдэгдэв #" : " Team alerted (#") + std::to_string(*r.alert) + (m ? "" : ").")
                : std::string{};
    return std::visit(
        [&](const auto& b) -> std::string {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, sighting>) {
                return id_confirmation(b, r, lex, l);
            } else if constexpr (std::is_same_v<T, nil_visit>) {
                return first_fit({ok + b.site + (m ? " үзлэг бүртгэгдлээ." : " visit recorded.")});
            } else if constexpr (std::is_same_v<T, tracking>) {
                const std::string s = label_of(lex, table::status, b.status, l);
                return first_fit({ok + b.case_code + (m ? " одоо " : " now ") + s + "." + alerted,
                                  ok + b.case_code + " " + b.status + "." + alerted});
            } else if constexpr (std::is_same_v<T, referral>) {
                const std::string s = label_of(lex, table::service, b.service, l);
                return first_fit({ok + b.case_code + (m ? " илгээв: " : " referred to ") + s + ".",
                                  ok + b.case_code + " -> " + b.service + "."});
            } else if constexpr (std::is_same_v<T, verification>) {
                const std::string s = label_of(lex, table::outcome, b.confirmed ? "OK" : "NO", l);
                return first_fit({ok + b.case_code + " " + s + "."});
            } else if constexpr (std::is_same_v<T, closure>) {
                const std::string s = label_of(lex, table::reason, b.reason, l);
                return first_fit({ok + b.case_code + (m ? " хаагдсан: " : " closed: ") + s + ".",
                                  ok + b.case_code + " " + b.reason + "."});
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                const std::string n = "#" + std::to_string(b.alert);
                return first_fit({ok + (m ? "дохио " + n + " хүлээн авлаа. Баярлалаа." : "alert " + n +
                                                                                        " acknowledged. Thank you.")});
            } else {
                return help_reply(b.topic, lex, l);
            }
        },
        msg.body);
}

std::string refusal_reply(refusal r, std::optional<form> f, std::string_view token, std::string_view suggestion,
                          const lexicon& lex, reply_language l) {
    const bool m = mn(l);
    const std::string prefix = f ? kw(lex, *f) + ": " : std::string{};
    const std::string t(token);
    const std::string send = f ? (m ? " Илгээх: " : " Send: ") + form_format(*f, lex, l) : std::string{};
    switch (r) {
    case refusal::unknown_case: {
        const std::string base = prefix + (m ? t + " дугаартай хүүхэд бүртгэлгүй." : "no case " + t + ".");
        if (!suggestion.empty()) {
            const std::string s(suggestion);
            return first_fit({base + (m ? " " + s + " гэж үү?" : " Did you mean " + s + "?") + send,
                              base + (m ? " " + s + " гэж үү?" : " Did you mean " + s + "?")});
        }
        return first_fit({base + send, base});
    }
    case refusal::closed_case:
        return first_fit({prefix + (m ? t + " хаагдсан, өөрчлөөгүй." : "case " + t + " is closed; nothing changed.")});
    case refusal::not_allowed:
        return first_fit(
            {prefix + (m ? "зөвхөн хамгааллын баг илгээнэ. Та ID, NIL, TR ашиглана."
                         : "only protection teams may send " + (f ? kw(lex, *f) : std::string("this")) +
                               ". You can send ID, NIL and TR."),
             prefix + (m ? "зөвхөн баг илгээнэ." : "teams only.")});
    case refusal::unknown_alert:
        return first_fit({prefix + (m ? "#" + t + " нээлттэй дохио алга." : "no open alert #" + t + ".")});
    case refusal::not_recipient:
        return first_fit({prefix + (m ? "#" + t + " дохио танд илгээгдээгүй." : "alert #" + t + " was not sent to you.")});
    case refusal::unregistered:
        return first_fit({m ? "Энэ дугаар бүртгэлгүй. Зохицуулагчдаа бүртгүүлнэ үү; мессеж хадгалагдсан."
                            : "This number is not registered. Ask your coordinator to register it; your "
                              "message is kept and will be processed then.",
                          m ? "Дугаар бүртгэлгүй. Зохицуулагчдаа хандана уу." : "Number not registered. Ask your coordinator."});
    }
    return {};
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
