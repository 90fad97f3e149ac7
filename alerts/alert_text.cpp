#include "alerts/alert_text.hpp"

#include "parser/language.hpp"
#include "parser/phone.hpp"
#include "parser/segment.hpp"
#include "parser/text.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <utility>

namespace kharuul::alerts {

using parser::mask_phone;
using parser::reply_language;
using parser::table;

namespace {

bool mn(reply_language l) {
    return l == reply_language::mn;
}

std::string num(std::uint64_t n) {
    return std::to_string(n);
}

// A text as its droppable body and the tail that is never dropped (" Reply ACK 17").
struct draft {
    std::string body;
    std::string tail;
};

// body + tail in one segment: the body cut at a code point (with "...") when nothing else is
// left to drop, the tail kept whole. Only a tail that alone exceeds a segment is shortened.
std::string keep_tail(std::string_view body, std::string_view tail) {
    std::string whole(body);
    whole += tail;
    if (parser::fits_one_segment(whole)) {
        return whole;
    }
    // Fitting is monotonic in the prefix length (units only grow, and a text that switches to
    // UCS-2 only gets a smaller limit), so the search stops at the first prefix that fails.
    std::string best;
    std::string candidate;
    std::size_t pos = 0;
    while (pos < body.size()) {
        const char32_t cp = parser::next_code_point(body, pos);
        if (cp == U' ') {
            continue;
        }
        candidate.assign(body.substr(0, pos));
        candidate += "...";
        candidate += tail;
        if (!parser::fits_one_segment(candidate)) {
            break;
        }
        best = candidate;
    }
    if (!best.empty()) {
        return best;
    }
    std::string bare(tail.substr(tail.starts_with(' ') ? 1 : 0));
    return parser::shorten_to_segment(bare);
}

// A text's drafts, richest first, rendered only as far as needed: draft(i) for i < count.
struct draft_ladder {
    std::size_t count = 0;
    std::function<draft(std::size_t)> render;
};

draft_ladder ladder_of(std::vector<draft> drafts) {
    auto shared = std::make_shared<const std::vector<draft>>(std::move(drafts));
    return {shared->size(), [shared](std::size_t i) { return (*shared)[i]; }};
}

// The first draft, richest first, that fits behind one of the prefixes (tried in order: shorter
// wordings of the same, worth less than any part of the draft); else the last draft behind the
// last prefix, cut.
std::string compose(const std::vector<std::string>& prefixes, const draft_ladder& ladder) {
    for (std::size_t i = 0; i < ladder.count; ++i) {
        const draft d = ladder.render(i);
        for (const auto& prefix : prefixes) {
            std::string text = prefix + d.body + d.tail;
            if (parser::fits_one_segment(text)) {
                return text;
            }
        }
    }
    const draft last = ladder.render(ladder.count - 1);
    return keep_tail(prefixes.back() + last.body, last.tail);
}

std::string compose(std::vector<draft> drafts) {
    return compose({std::string{}}, ladder_of(std::move(drafts)));
}

// " Reply ACK 17" with the deployment's keyword for ACK (the one replies show).
std::string ack_tail(const parser::lexicon& lex, std::uint64_t n, reply_language l, bool long_form) {
    const std::string ack = lex.keyword(parser::form::ack).keyword + " " + num(n);
    if (!mn(l)) {
        return " Reply " + ack; // short enough to keep in English always
    }
    return (long_form ? " Хариу: " : " ") + ack;
}

const std::string& label(const parser::code_def& d, reply_language l) {
    const std::string& s = mn(l) ? d.label_mn : d.label_en;
    return s.empty() ? d.code : s;
}

std::string upper_ascii(std::string s) {
    for (char& c : s) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return s;
}

std::string children_phrase(const parser::children& k, reply_language l, bool by_sex) {
    std::string out;
    auto part = [&](int n, const char* one_en, const char* many_en, const char* word_mn) {
        if (n <= 0) {
            return;
        }
        if (!out.empty()) {
            out += ' ';
        }
        out += std::to_string(n);
        out += ' ';
        out += mn(l) ? word_mn : (n == 1 ? one_en : many_en);
    };
    if (by_sex) {
        part(k.boys, "boy", "boys", "хүү");
        part(k.girls, "girl", "girls", "охин");
        part(k.unknown, "child", "children", "хүүхэд");
    } else {
        part(k.total(), "child", "children", "хүүхэд");
    }
    return out;
}

std::string age_phrase(int lo, int hi) {
    if (lo <= 0) {
        return {};
    }
    std::string out = "~" + std::to_string(lo);
    if (hi > lo) {
        out += "-" + std::to_string(hi);
    }
    return out;
}

std::string case_list(const std::vector<std::string>& codes, std::size_t shown, std::string_view sep = " ") {
    std::string out;
    for (std::size_t i = 0; i < shown && i < codes.size(); ++i) {
        if (i > 0) {
            out += sep;
        }
        out += codes[i];
    }
    if (shown < codes.size()) {
        out += " +" + std::to_string(codes.size() - shown);
    }
    return out;
}

std::string cases_sentence(const std::vector<std::string>& codes, std::size_t shown, reply_language l,
                           bool with_word = true) {
    if (codes.empty()) {
        return {};
    }
    const char* word = !with_word ? " " : mn(l) ? " Дугаар " : (codes.size() == 1 ? " Case " : " Cases ");
    return word + case_list(codes, std::max<std::size_t>(shown, 1)) + ".";
}

std::string from_sentence(const std::string& phone, reply_language l) {
    if (phone.empty()) {
        return {};
    }
    return (mn(l) ? " Илгээгч " : " From ") + mask_phone(phone) + ".";
}

std::string site_phrase(const alert_facts& f, bool with_name) {
    std::string out = f.site_code;
    if (with_name && !f.site_name.empty()) {
        out += " (" + f.site_name + ")";
    }
    return out;
}

bool is_sensitive(const alert_facts& f, const parser::lexicon& lex) {
    if (f.sensitive) {
        return true;
    }
    const parser::code_def* w = lex.code_by_name(table::work, f.work);
    return w != nullptr && w->sensitive;
}

// ---- the sensitive alert: nothing but the case, the site, urgency and "call" (domain.md 6.2)

draft_ladder sensitive_drafts(const alert_facts& f, const parser::lexicon& lex, reply_language l) {
    const std::string first_case = f.case_codes.empty() ? std::string{} : f.case_codes.front();
    std::string head;
    std::string call;
    if (mn(l)) {
        head = "Эмзэг хэрэг " + (first_case.empty() ? std::string{} : first_case + ", ") + f.site_code +
               (f.urgent ? ", яаралтай." : ".");
        call = " Зохицуулагчид залга.";
    } else {
        head = "Sensitive case " + (first_case.empty() ? std::string{} : first_case + " ") + "at " +
               f.site_code + (f.urgent ? ", urgent." : ".");
        call = " Call the coordinator.";
    }
    return ladder_of({
        {head + call, ack_tail(lex, f.number, l, true)},
        {head + call, ack_tail(lex, f.number, l, false)},
        {head, ack_tail(lex, f.number, l, false)},
    });
}

// ---- the tracking alert (TR WORK, TR MISS, or any status a deployment's rules alert on)

std::string status_phrase(const std::string& status, const parser::lexicon& lex, reply_language l,
                          bool words) {
    if (!words) {
        return status;
    }
    if (status == "WORK") {
        return mn(l) ? "дахин ажиллаж байна" : "seen working again";
    }
    if (status == "MISS") {
        return mn(l) ? "сураггүй болсон" : "whereabouts unknown";
    }
    const parser::code_def* d = lex.code_by_name(table::status, status);
    const std::string lab = d != nullptr ? label(*d, l) : status;
    return mn(l) ? lab : "now " + lab;
}

draft_ladder tracking_drafts(const alert_facts& f, const parser::lexicon& lex, reply_language l) {
    const std::string head = (mn(l) ? (f.urgent ? "ЯАРАЛТАЙ #" : "ДОХИО #") : "ALERT #") + num(f.number) +
                             (!mn(l) && f.urgent ? " URGENT: " : ": ");
    const std::string first_case = f.case_codes.empty() ? std::string{} : f.case_codes.front();
    auto body = [&](bool name, bool from, bool words) {
        std::string site = f.site_code;
        if (name && !f.site_name.empty()) {
            site += ", " + f.site_name;
        }
        std::string b = head + (mn(l) ? "Хүүхэд " : "case ");
        if (!first_case.empty()) {
            b += first_case + " ";
        }
        b += "(" + site + ") " + status_phrase(*f.tracking_status, lex, l, words) + ".";
        if (from) {
            b += from_sentence(f.reporter_phone, l);
        }
        return b;
    };
    return ladder_of({
        {body(true, true, true), ack_tail(lex, f.number, l, true)},
        {body(false, true, true), ack_tail(lex, f.number, l, true)},
        {body(false, false, true), ack_tail(lex, f.number, l, true)},
        {body(false, false, true), ack_tail(lex, f.number, l, false)},
        {body(false, false, false), ack_tail(lex, f.number, l, false)},
    });
}

// ---- the ID alert

// How a work or hazard code is worded: its label, its short wording (code_def::short_en/short_mn,
// the label when none), its code, or (hazards) not at all.
enum class wording : std::uint8_t { words, short_words, codes, none };

struct id_shape {
    bool name = true;
    bool from = true;
    wording urgent_hazards = wording::words; // the hazards that make the alert urgent
    wording other_hazards = wording::words;
    std::size_t cases_shown = 0;
    bool long_tail = true;
    bool by_sex = true; // false: the total, when that is shorter ("1 охин" stays)
    wording work = wording::words;
    bool age = true;
    bool cases_word = true;
    bool children = true; // last: the "+N" after the first case code still tells how many
};

std::string word_of(const parser::code_def* def, std::string_view code, reply_language l, wording w) {
    if (def == nullptr || w == wording::codes) {
        return std::string(code);
    }
    if (w == wording::short_words) {
        const std::string& s = mn(l) ? def->short_mn : def->short_en;
        if (!s.empty()) {
            return s;
        }
    }
    return label(*def, l);
}

std::string hazard_phrase(const alert_facts& f, const parser::lexicon& lex, reply_language l,
                          const id_shape& s) {
    std::string out;
    // Codes are joined by spaces; words (which may hold a space: "heavy load") by commas.
    const bool all_codes = (s.urgent_hazards == wording::codes || s.urgent_hazards == wording::none) &&
                           (s.other_hazards == wording::codes || s.other_hazards == wording::none);
    for (const auto& h : f.hazards) {
        const parser::code_def* def = lex.code_by_name(table::hazard, h);
        const bool urgent = def != nullptr && def->urgent;
        const wording w = urgent ? s.urgent_hazards : s.other_hazards;
        if (w == wording::none) {
            continue;
        }
        std::string word = word_of(def, h, l, w);
        // An urgent hazard shouts in English, as in the spec's "mining, SHAFT, at ALT".
        if (urgent && !mn(l) && w != wording::codes) {
            word = upper_ascii(word);
        }
        if (!out.empty()) {
            out += all_codes ? " " : ", ";
        }
        out += word;
    }
    return out;
}

std::string id_body(const alert_facts& f, const parser::lexicon& lex, reply_language l, const id_shape& s) {
    std::string head;
    if (mn(l)) {
        head = (f.urgent ? "ЯАРАЛТАЙ #" : "ДОХИО #") + num(f.number) + ": ";
    } else {
        head = "ALERT #" + num(f.number) + (f.urgent ? " URGENT: " : ": ");
    }
    std::string subject;
    if (s.children) {
        subject = children_phrase(f.kids, l, true);
        if (!s.by_sex) {
            std::string total = children_phrase(f.kids, l, false);
            if (parser::count_code_points(total) < parser::count_code_points(subject)) {
                subject = std::move(total);
            }
        }
    }
    auto add_word = [&subject](const std::string& w) {
        if (w.empty()) {
            return;
        }
        if (!subject.empty()) {
            subject += ' ';
        }
        subject += w;
    };
    if (s.age) {
        add_word(age_phrase(f.age_min, f.age_max));
    }
    if (s.work != wording::none && !f.work.empty()) {
        add_word(word_of(lex.code_by_name(table::work, f.work), f.work, l, s.work));
    }
    std::vector<std::string> parts;
    if (!subject.empty()) {
        parts.push_back(std::move(subject));
    }
    if (std::string h = hazard_phrase(f, lex, l, s); !h.empty()) {
        parts.push_back(std::move(h));
    }
    parts.push_back((mn(l) ? "" : "at ") + site_phrase(f, s.name));
    std::string body = head;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        body += (i == 0 ? "" : ", ") + parts[i];
    }
    body += ".";
    body += cases_sentence(f.case_codes, s.cases_shown, l, s.cases_word);
    if (s.from) {
        body += from_sentence(f.reporter_phone, l);
    }
    return body;
}

// The drop order, one shape per step. Both languages drop the site's long name first (spec
// alerts.md), then the reporter's masked number. English (160 characters) then words hazards by
// their codes and drops later case codes; past that only absurd inputs arrive. Mongolian (70
// UCS-2 characters) keeps its words: "Хариу:" goes, then work and hazards take their short
// Mongolian wordings (never the Latin codes), and only then do later case codes become "+N", so
// that the children by sex, their age and the work outlast every case code but the first.
std::vector<id_shape> id_shapes(const alert_facts& f, reply_language l) {
    std::vector<id_shape> shapes;
    id_shape s;
    s.cases_shown = f.case_codes.size();
    std::function<void()> push = [&] { shapes.push_back(s); };
    auto later_cases = [&] {
        while (s.cases_shown > 1) {
            --s.cases_shown;
            push();
        }
        // Each later drop makes room: the case codes that then fit come back, richest first.
        push = [&] {
            for (std::size_t k = f.case_codes.size(); k >= 1; --k) {
                s.cases_shown = k;
                shapes.push_back(s);
            }
            if (f.case_codes.empty()) {
                shapes.push_back(s);
            }
        };
    };
    push();
    s.name = false;
    push();
    s.from = false;
    push();
    if (mn(l)) {
        s.long_tail = false;
        push();
        s.other_hazards = wording::short_words;
        push();
        s.urgent_hazards = wording::short_words;
        push();
        s.work = wording::short_words;
        push();
        later_cases();
        s.by_sex = false;
        push();
        s.other_hazards = wording::none;
        push();
        s.cases_word = false;
        push();
        s.age = false;
        push();
    } else {
        s.other_hazards = s.urgent_hazards = wording::short_words;
        push();
        s.other_hazards = s.urgent_hazards = wording::codes;
        push();
        later_cases();
        s.long_tail = false;
        push();
        s.by_sex = false;
        push();
        s.work = wording::codes;
        push();
        // The urgent hazards say why the alert is urgent: they outlast the age, the work and the
        // word "Cases".
        s.other_hazards = wording::none;
        push();
        s.age = false;
        push();
        s.cases_word = false;
        push();
    }
    s.work = wording::none;
    push();
    s.urgent_hazards = wording::none;
    push();
    s.children = false;
    push();
    return shapes;
}

// Shapes, not texts: most alerts fit at the first or second shape, and the rest are never rendered.
draft_ladder id_drafts(const alert_facts& f, const parser::lexicon& lex, reply_language l) {
    std::vector<id_shape> shapes = id_shapes(f, l);
    const std::size_t count = shapes.size();
    return {count, [&f, &lex, l, shapes = std::move(shapes)](std::size_t i) {
                return draft{id_body(f, lex, l, shapes[i]), ack_tail(lex, f.number, l, shapes[i].long_tail)};
            }};
}

// The ladder refers to `f` and `lex`: use it before they go.
draft_ladder alert_drafts(const alert_facts& f, const parser::lexicon& lex, reply_language l) {
    if (is_sensitive(f, lex)) {
        return sensitive_drafts(f, lex, l);
    }
    if (f.tracking_status) {
        return tracking_drafts(f, lex, l);
    }
    return id_drafts(f, lex, l);
}

std::string waited_words(std::chrono::minutes waited, reply_language l) {
    const auto m = std::max<std::chrono::minutes::rep>(waited.count(), 0);
    if (m < 120) {
        return std::to_string(m) + (mn(l) ? " мин" : " min");
    }
    if (m < 72 * 60) {
        return std::to_string(m / 60) + (mn(l) ? " цаг" : " h");
    }
    return std::to_string(m / (24 * 60)) + (mn(l) ? " хоног" : " days");
}

} // namespace

std::string alert_text(const alert_facts& f, const parser::lexicon& lex, reply_language l) {
    return compose({std::string{}}, alert_drafts(f, lex, l));
}

std::string fold_text(std::uint64_t number, std::string_view site_code, int extra_children,
                      const std::vector<std::string>& case_codes, const parser::lexicon& lex,
                      reply_language l) {
    const std::string site(site_code);
    const std::string n = num(number);
    std::string head;
    if (mn(l)) {
        head = extra_children > 0
                   ? site + ": +" + std::to_string(extra_children) + " хүүхэд нэмэгдэв, #" + n + "-г үз."
                   : site + ": шинэ мэдээ, #" + n + "-г үз.";
    } else if (extra_children > 0) {
        head = "+" + std::to_string(extra_children) +
               (extra_children == 1 ? " more child" : " more children") + " reported at " + site + ", see #" +
               n + ".";
    } else {
        head = "New report at " + site + ", see #" + n + ".";
    }
    std::vector<draft> drafts;
    for (std::size_t shown = case_codes.size(); shown >= 1; --shown) {
        drafts.push_back({head + cases_sentence(case_codes, shown, l), ack_tail(lex, number, l, true)});
    }
    if (drafts.empty()) {
        drafts.push_back({head, ack_tail(lex, number, l, true)});
    }
    drafts.push_back({drafts.back().body, ack_tail(lex, number, l, false)});
    return compose(drafts);
}

std::string escalation_text(const alert_facts& f, escalation_level level, std::chrono::minutes waited,
                            const parser::lexicon& lex, reply_language l) {
    const std::string plain = (mn(l) ? "Хариугүй " : "NO ACK ") + waited_words(waited, l) + ". ";
    std::vector<std::string> prefixes;
    switch (level) {
    case escalation_level::leaders:
    case escalation_level::coordinators:
        prefixes = {plain};
        break;
    case escalation_level::repeating:
        prefixes = {(mn(l) ? "Хариугүй хэвээр " : "STILL NO ACK ") + waited_words(waited, l) + ". ", plain};
        break;
    case escalation_level::initial:
    case escalation_level::closed:
        prefixes = {std::string{}};
        break;
    }
    return compose(prefixes, alert_drafts(f, lex, l));
}

std::string ack_notice(std::uint64_t number, std::string_view by_phone, reply_language l) {
    const std::string by =
        by_phone.find('*') == std::string_view::npos ? mask_phone(by_phone) : std::string(by_phone);
    std::string text;
    if (mn(l)) {
        text = "Дохио #" + num(number) + (by.empty() ? " хүлээн авсан." : "-г " + by + " хүлээн авлаа.");
    } else {
        text = "Alert #" + num(number) + " acknowledged" + (by.empty() ? "." : " by " + by + ".");
    }
    return parser::shorten_to_segment(text);
}

std::string already_acknowledged_reply(std::uint64_t number, std::string_view by_name, std::string_view by_phone,
                                       std::string_view when, bool by_sender, const parser::lexicon& lex,
                                       reply_language l) {
    const std::string kw = lex.keyword(parser::form::ack).keyword + ": ";
    const std::string n = num(number);
    const std::string at(when);
    const std::string masked =
        by_phone.find('*') == std::string_view::npos ? mask_phone(by_phone) : std::string(by_phone);
    const std::string name(by_name);
    if (mn(l)) {
        if (by_sender) {
            return compose({{kw + "та #" + n + " дохиог " + at + "-д хүлээн авсан.", " Баярлалаа."},
                            {kw + "та #" + n + " дохиог " + at + "-д хүлээн авсан.", ""}});
        }
        auto body = [&](const std::string& who) { return kw + "#" + n + " дохиог " + who + " " + at + "-д хүлээн авсан."; };
        std::vector<draft> drafts;
        if (!name.empty()) {
            drafts.push_back({body(name + " (" + masked + ")"), " Баярлалаа."});
            drafts.push_back({body(name), " Баярлалаа."});
            drafts.push_back({body(name), ""});
        }
        drafts.push_back({body(masked), " Баярлалаа."});
        drafts.push_back({body(masked), ""});
        return compose(std::move(drafts));
    }
    if (by_sender) {
        return compose({{kw + "you acknowledged alert #" + n + " at " + at + ".", " Thank you."}});
    }
    auto body = [&](const std::string& who) {
        return kw + "alert #" + n + " was already acknowledged by " + who + " at " + at + ".";
    };
    std::vector<draft> drafts;
    if (!name.empty()) {
        drafts.push_back({body(name + " (" + masked + ")"), " Thank you."});
        drafts.push_back({body(name), " Thank you."});
    }
    drafts.push_back({body(masked), " Thank you."});
    drafts.push_back({body(masked), ""});
    return compose(std::move(drafts));
}

std::string ack_confirmation(std::uint64_t number, const parser::lexicon& lex, reply_language l) {
    parser::sms_message msg;
    msg.kind = parser::form::ack;
    msg.body = parser::acknowledgement{number};
    return parser::confirmation_reply(msg, parser::receipt{}, lex, l);
}

std::string ack_confirmation(std::uint64_t number, reply_language l) {
    // The parser's wording with the canonical keyword (tests hold the two together).
    const std::string kw(parser::canonical_keyword(parser::form::ack));
    const std::string n = "#" + num(number);
    return parser::shorten_to_segment(mn(l) ? kw + " OK: дохио " + n + " хүлээн авлаа. Баярлалаа."
                                            : kw + " ok: alert " + n + " acknowledged. Thank you.");
}

std::string reminder_text(const std::vector<reminder_case>& cases, int days, const parser::lexicon& lex,
                          reply_language l) {
    if (cases.empty()) {
        return {};
    }
    const std::string tr = lex.keyword(parser::form::tr).keyword;
    const std::string d = std::to_string(days);
    const bool m = mn(l);
    const std::string no_news =
        m ? d + " хоног мэдээгүй" : "no news for " + d + (days == 1 ? " day" : " days");
    if (cases.size() == 1) {
        const reminder_case& c = cases.front();
        const std::string site = c.site.empty() ? std::string{} : " (" + c.site + ")";
        if (m) {
            return compose({{"Хүүхэд " + c.code + site + ": " + no_news + ".",
                             " Хариу: " + tr + " " + c.code + " төлөв"},
                            {"Хүүхэд " + c.code + ": " + no_news + ".", " " + tr + " " + c.code + " төлөв"}});
        }
        return compose(
            {{"Case " + c.code + site + ": " + no_news + ".", " Reply " + tr + " " + c.code + " <status>"},
             {"Case " + c.code + ": " + no_news + ".", " Reply " + tr + " " + c.code + " <status>"}});
    }
    auto list = [&](bool sites, std::string_view sep) {
        std::string out;
        for (const auto& c : cases) {
            if (!out.empty()) {
                out += sep;
            }
            out += c.code;
            if (sites && !c.site.empty()) {
                out += " (" + c.site + ")";
            }
        }
        return out;
    };
    std::vector<draft> drafts;
    if (m) {
        const std::string head = d + " хоног мэдээгүй: ";
        drafts = {
            {head + list(true, ", ") + ".", " Хариу: " + tr + " дугаар төлөв"},
            {head + list(false, ", ") + ".", " Хариу: " + tr + " дугаар төлөв"},
            {head + list(false, " ") + ".", " " + tr + " дугаар төлөв"},
            {"Мэдээгүй: " + list(false, " ") + ".", " " + tr + " дугаар төлөв"},
        };
    } else {
        const std::string head = "No news for " + d + (days == 1 ? " day: " : " days: ");
        const std::string tail = " Reply " + tr + " <case> <status> for each";
        drafts = {
            {head + list(true, ", ") + ".", tail},
            {head + list(false, ", ") + ".", tail},
            {head + list(false, " ") + ".", " Reply " + tr + " <case> <status>"},
        };
    }
    // The case codes matter more than the instruction: when even the last draft is too long, cut
    // it from the end rather than lose a code in the middle.
    for (const auto& dr : drafts) {
        if (parser::fits_one_segment(dr.body + dr.tail)) {
            return dr.body + dr.tail;
        }
    }
    return parser::shorten_to_segment(drafts.back().body + drafts.back().tail);
}

std::string case_cap_notice(std::string_view reporter_name, std::string_view phone, int children, int cap,
                            reply_language l) {
    const std::string masked = mask_phone(phone);
    const std::string n = std::to_string(children);
    const std::string c = std::to_string(cap);
    const std::string who_named = reporter_name.empty() ? masked : std::string(reporter_name) + " (" + masked + ")";
    if (mn(l)) {
        auto body = [&](const std::string& who) {
            return who + " цагт " + n + " хүүхэд мэдээлсэн (хязгаар " + c + ").";
        };
        return compose({{"Kharuul: " + body(who_named), " Цаашдын ID/RISK нээгдэхгүй."},
                        {body(who_named), " Цаашдынх нээгдэхгүй."},
                        {body(masked), " Цаашдынх нээгдэхгүй."}});
    }
    auto body = [&](const std::string& who) {
        return "Kharuul: " + who + " reported " + n + " children in an hour (cap " + c + ").";
    };
    const std::string tail = " More ID/RISK from this phone are kept, not opened. Check with them";
    return compose({{body(who_named), tail}, {body(masked), tail}, {body(masked), " More are kept, not opened."}});
}

} // namespace kharuul::alerts
