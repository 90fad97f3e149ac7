#include "gateway/code_card.hpp"

#include "parser/lexicon.hpp"

#include <algorithm>
#include <sstream>

namespace kharuul::gateway {

namespace {

using parser::form;
using parser::reply_language;

// A code that examples and cards may name in any deployment: these are in the shipped tables
// and a deployment can only add codes, never remove them.
constexpr std::string_view example_case = "204812";

bool has_cyrillic(std::string_view s) {
    // U+0400..U+04FF is 0xD0..0xD3 followed by a continuation byte in UTF-8.
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b >= 0xD0 && b <= 0xD3 && (static_cast<unsigned char>(s[i + 1]) & 0xC0) == 0x80)
            return true;
    }
    return false;
}

// The first alias in Cyrillic, or "".
std::string cyrillic_alias(const std::vector<std::string>& aliases) {
    for (const auto& a : aliases)
        if (has_cyrillic(a))
            return a;
    return {};
}

const parser::keyword_def* keyword_def_of(const parser::language& l, form f) {
    for (const auto& k : l.keywords)
        if (k.kind == f)
            return &k;
    return nullptr;
}

std::string keyword_of(const parser::language& l, form f) {
    const auto* k = keyword_def_of(l, f);
    return k ? k->keyword : std::string(parser::canonical_keyword(f));
}

// What the card prints for a form's keyword: "ID", or on the Mongolian card "ID ИД" when the
// language has a Cyrillic alias for it.
std::string shown_keyword(const parser::language& l, form f, bool mn) {
    std::string s = html_escape(keyword_of(l, f));
    if (const auto* k = keyword_def_of(l, f); mn && k)
        if (auto a = cyrillic_alias(k->aliases); !a.empty())
            s += " / " + html_escape(a);
    return s;
}

const parser::code_def* find_code(const std::vector<parser::code_def>& table, std::string_view code) {
    for (const auto& c : table)
        if (c.code == code)
            return &c;
    return nullptr;
}

std::string label_of(const parser::code_def& c, bool mn) { return mn && !c.label_mn.empty() ? c.label_mn : c.label_en; }

// One code table as a run of "CODE label" items; urgent codes marked with "!".
std::string code_items(const std::vector<parser::code_def>& table, bool mn, bool mark_urgent = false) {
    std::string s;
    for (const auto& c : table) {
        s += "<span class=\"i\"><b>" + html_escape(c.code) + "</b>";
        if (mn)
            if (auto a = cyrillic_alias(c.aliases); !a.empty())
                s += " <b>" + html_escape(a) + "</b>";
        if (mark_urgent && c.urgent)
            s += "<b class=\"u\">!</b>";
        s += " " + html_escape(label_of(c, mn)) + "</span> ";
    }
    return s;
}

// The work code that suits a kind of site, for the example; the first work code otherwise.
std::string example_work(const config::gateway_config& cfg, const config::site_config* site) {
    const auto& work = cfg.language.work;
    std::string_view wanted = "MINE";
    if (site) {
        switch (site->kind) {
        case config::site_kind::brickyard: wanted = "BRICK"; break;
        case config::site_kind::market: wanted = "CARRY"; break;
        case config::site_kind::dumpsite: wanted = "SCRAP"; break;
        default: break;
        }
    }
    if (find_code(work, wanted))
        return std::string(wanted);
    for (const auto& w : work)
        if (!w.sensitive)
            return w.code;
    return work.empty() ? std::string("OTHER") : work.front().code;
}

std::string first_urgent_hazard(const config::gateway_config& cfg) {
    for (const auto& h : cfg.language.hazards)
        if (h.urgent)
            return h.code;
    return cfg.language.hazards.empty() ? std::string() : cfg.language.hazards.front().code;
}

std::string first_status(const config::gateway_config& cfg, std::string_view group, std::string_view sets) {
    for (const auto& s : cfg.language.statuses)
        if (s.group == group && (sets.empty() || s.sets == sets))
            return s.code;
    return {};
}

std::string span_minutes(std::chrono::minutes m, bool mn) {
    const auto n = m.count();
    if (n % 60 == 0)
        return std::to_string(n / 60) + (mn ? " цаг" : " h");
    return std::to_string(n) + (mn ? " мин" : " min");
}

// The card's own wording, in the card's language.
struct wording {
    const char* title;
    const char* audience;
    const char* send_to;
    const char* messages;
    const char* children;
    const char* sites;
    const char* work;
    const char* hazards;
    const char* urgent;
    const char* risk;
    const char* statuses;
    const char* examples;
    const char* help;
    const char* reply_rule;
    const char* privacy;
    const char* coordinators;
};

wording words(bool mn, card_audience who) {
    const bool team = who == card_audience::team;
    if (mn)
        return {"Харуул: кодын карт",
                team ? "хүүхэд хамгааллын багт" : "сайн дурын ажилтан, мэдээлэгчид",
                "Илгээх дугаар",
                "Мессеж",
                "Хүүхэд, нас",
                "Газрууд",
                "Ажил",
                "Аюул",
                "! яаралтай: багт шууд мэдэгдэнэ",
                "RISK шалтгаан",
                "TR төлөв",
                "Жишээ",
                "Тусламж",
                "Мессеж бүрт нэг хариу ирнэ: юу ойлгосныг, эсвэл засах нэг зүйлийг хэлнэ.",
                "Хүүхдийн нэр бүү бич. Тэмдэглэлийг # тэмдгийн дараа бичнэ.",
                "Зохицуулагч"};
    return {"kharuul code card",
            team ? "for child protection teams" : "for volunteers and reporters",
            "Text to",
            "Messages",
            "Children and age",
            "Sites",
            "Work",
            "Hazards",
            "! urgent: the team is told at once",
            "RISK reasons",
            "TR status",
            "Examples",
            "Help",
            "Every message gets one reply: what was understood, or the one thing to fix.",
            "Never text a child's name. A note for the team goes after #.",
            "Coordinators"};
}

// What each form is for, in the card's language.
const char* form_purpose(form f, bool mn) {
    switch (f) {
    case form::id: return mn ? "ажил хийж буй хүүхэд" : "a child seen working";
    case form::nil: return mn ? "очсон, ажилтай хүүхэд алга" : "visited, no child working";
    case form::risk: return mn ? "ажилд орох эрсдэлтэй хүүхэд" : "a child at risk of work";
    case form::tr: return mn ? "тохиолдлын шинэ мэдээ" : "news of a case";
    case form::ver: return mn ? "шалгасан: OK батлах, NO үгүйсгэх" : "triage: OK confirms, NO dismisses";
    case form::plan: return mn ? "төлөвлөгөө: W гаргах, P сэргийлэх" : "the plan: W withdraw, P prevent";
    case form::ref: return mn ? "үйлчилгээнд илгээсэн" : "referred to a service";
    case form::svc: return mn ? "үйлчилгээ авсан" : "a service received";
    case form::out: return mn ? "үр дүн (сүүлийн TR шаардлагатай)" : "the outcome (after a recent TR)";
    case form::merge: return mn ? "нэг хүүхдийн хоёр мэдээ" : "two reports of one child";
    case form::close: return mn ? "тохиолдлыг хаах" : "close the case";
    case form::ack: return mn ? "дохиог хүлээн авсан" : "answer an alert";
    case form::info: return mn ? "дохионд багтаагүй дугаарууд" : "an alert's other case codes";
    case form::help: return mn ? "хэлбэрүүдийг SMS-ээр" : "the formats by SMS";
    }
    return "";
}

std::string form_rows(const parser::lexicon& lex, std::initializer_list<form> forms, reply_language lang) {
    const bool mn = lang == reply_language::mn;
    std::string s = "<table class=\"forms\">";
    for (form f : forms) {
        // form_format starts with the keyword: the card shows it (with its Cyrillic alias) apart.
        std::string fmt = parser::form_format(f, lex, lang);
        const std::string k = keyword_of(lex.lang(), f);
        if (fmt.starts_with(k))
            fmt.erase(0, k.size());
        s += "<tr><td class=\"k\">" + shown_keyword(lex.lang(), f, mn) + "</td><td><span class=\"f\">" +
             html_escape(fmt) + "</span> " + form_purpose(f, mn) + "</td></tr>";
    }
    return s + "</table>";
}

std::string section(std::string_view heading, const std::string& body, std::string_view note = {}) {
    std::string s = "<h2>" + std::string(heading);
    if (!note.empty())
        s += " <small>" + std::string(note) + "</small>";
    return s + "</h2><p>" + body + "</p>";
}

// "2B" in English, "2 ХҮҮ" on the Mongolian card when the language has a Cyrillic word for boys.
std::string example_boys(const parser::language& l, bool mn) {
    for (const auto& s : l.sexes)
        if (s.kind == parser::sex::boy) {
            if (mn)
                for (auto it = s.letters.rbegin(); it != s.letters.rend(); ++it)
                    if (has_cyrillic(*it))
                        return "2 " + *it;
            if (!s.letters.empty())
                return "2" + s.letters.front();
        }
    return "2B";
}

std::string sex_items(const parser::language& l, bool mn) {
    std::string s;
    for (const auto& sx : l.sexes) {
        std::vector<std::string> shown;
        for (const auto& letter : sx.letters)
            if (mn || !has_cyrillic(letter))
                shown.push_back(letter);
        if (shown.empty())
            continue;
        std::string joined;
        for (const auto& x : shown)
            joined += (joined.empty() ? "" : "/") + html_escape(x);
        const char* what = sx.kind == parser::sex::boy    ? (mn ? "хүү" : "boy")
                           : sx.kind == parser::sex::girl ? (mn ? "охин" : "girl")
                                                          : (mn ? "тодорхойгүй" : "not known");
        s += "<span class=\"i\"><b>" + joined + "</b> " + what + "</span> ";
    }
    return s;
}

std::string examples_html(const config::gateway_config& cfg, reply_language lang, card_audience who) {
    const bool mn = lang == reply_language::mn;
    const auto texts = card_examples(cfg, lang, who);
    std::vector<std::string> meaning;
    const auto& l = cfg.language;
    if (who == card_audience::volunteer) {
        const auto* site = cfg.sites.empty() ? nullptr : &cfg.sites.front();
        const auto* work = find_code(l.work, example_work(cfg, site));
        const auto* hazard = find_code(l.hazards, first_urgent_hazard(cfg));
        std::string m = mn ? "2 хүү ~12 нас" : "2 boys about 12";
        if (work)
            m += ", " + label_of(*work, mn);
        if (hazard)
            m += ", " + label_of(*hazard, mn);
        if (site)
            m += (mn ? ", " : ", at ") + site->code;
        meaning.push_back(m);
        const auto* school = find_code(l.statuses, first_status(cfg, "school", "school"));
        const auto* stop = find_code(l.statuses, first_status(cfg, "work", "not_working"));
        std::string t = (mn ? "тохиолдол " : "case ") + std::string(example_case) + ":";
        if (school)
            t += " " + label_of(*school, mn);
        if (stop)
            t += (school ? ", " : " ") + label_of(*stop, mn);
        meaning.push_back(t);
    } else {
        meaning.push_back(mn ? "тохиолдлыг шалгаж баталсан" : "the team saw the child: case confirmed");
        const auto* cat = find_code(l.categories, "WFCL");
        meaning.push_back((mn ? "төлөвлөгөө: гаргах" : "plan: withdraw") +
                          (cat ? ", " + label_of(*cat, mn) : std::string()));
    }
    std::string s = "<table class=\"ex\">";
    for (std::size_t i = 0; i < texts.size(); ++i)
        s += "<tr><td class=\"f\">" + html_escape(texts[i]) + "</td><td>" +
             html_escape(i < meaning.size() ? meaning[i] : std::string()) + "</td></tr>";
    return s + "</table>";
}

constexpr std::string_view style = R"css(
@page { size: 105mm 148mm; margin: 4mm; } /* A6; Chromium ignores the name */
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 6.4pt;
       line-height: 1.22; color: #000; }
body { margin: 0; }
h1 { font-size: 10pt; margin: 0; }
.who { font-size: 7pt; margin: 0 0 1mm 0; }
h2 { font-size: 7pt; margin: 1.1mm 0 0.3mm 0; border-bottom: 0.2mm solid #000; break-after: avoid; }
h2 small { font-weight: normal; font-size: 6pt; }
p { margin: 0; }
table { border-collapse: collapse; width: 100%; }
td { padding: 0 0.8mm 0 0; vertical-align: top; }
td.k { font-weight: bold; white-space: nowrap; }
.f { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-weight: bold; }
.ex td.f { white-space: nowrap; }
.i { white-space: nowrap; margin-right: 1.2mm; display: inline-block; }
.u { color: #b00; }
.cols { column-count: 2; column-gap: 3mm; }
.cols h2:first-child { margin-top: 0; }
.dense { font-size: 5.6pt; }
)css";

} // namespace

std::optional<card_audience> card_audience_from(std::string_view name) noexcept {
    if (name == "volunteer")
        return card_audience::volunteer;
    if (name == "team")
        return card_audience::team;
    return std::nullopt;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::vector<std::string> card_examples(const config::gateway_config& cfg, reply_language lang, card_audience who) {
    const auto& l = cfg.language;
    const bool mn = lang == reply_language::mn;
    if (who == card_audience::team) {
        std::string plan = keyword_of(l, form::plan) + " " + std::string(example_case) + " W";
        if (find_code(l.categories, "WFCL"))
            plan += " WFCL";
        return {keyword_of(l, form::ver) + " " + std::string(example_case) + " OK", plan};
    }
    const auto* site = cfg.sites.empty() ? nullptr : &cfg.sites.front();
    // The Mongolian card writes the keyword and the children as a Cyrillic keyboard would.
    std::string id_kw = keyword_of(l, form::id);
    if (const auto* k = keyword_def_of(l, form::id); mn && k)
        if (auto a = cyrillic_alias(k->aliases); !a.empty())
            id_kw = a;
    std::string id = id_kw + " " + (site ? site->code : std::string("SITE")) + " " + example_boys(l, mn) + " 12 " +
                     example_work(cfg, site);
    if (auto h = first_urgent_hazard(cfg); !h.empty())
        id += " " + h;
    std::string tr = keyword_of(l, form::tr) + " " + std::string(example_case);
    for (auto s : {first_status(cfg, "school", "school"), first_status(cfg, "work", "not_working")})
        if (!s.empty())
            tr += " " + s;
    return {id, tr};
}

std::string card_html(const config::gateway_config& cfg, reply_language lang, card_audience who) {
    const bool mn = lang == reply_language::mn;
    const bool team = who == card_audience::team;
    const auto w = words(mn, who);
    const parser::lexicon lex(cfg.language, cfg.site_codes());
    const auto& l = cfg.language;

    std::ostringstream o;
    o << "<!DOCTYPE html>\n<html lang=\"" << (mn ? "mn" : "en") << "\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<title>" << w.title << "</title>\n<style>" << style << "</style>\n</head>\n";
    // Many sites or a long language still have to fit the page: a smaller type then.
    const bool dense = cfg.sites.size() > 12 || l.work.size() + l.hazards.size() > 24;
    o << "<body" << (dense ? " class=\"dense\"" : "") << ">\n<h1>" << w.title << "</h1>\n<p class=\"who\">"
      << w.audience;
    if (const auto* ch = cfg.find_channel(cfg.alerts.outbound_channel); ch && !ch->sender.empty())
        o << " &middot; " << w.send_to << " <b>" << html_escape(ch->sender) << "</b>";
    o << "</p>\n";

    if (!team) {
        o << "<h2>" << w.messages << "</h2>"
          << form_rows(lex, {form::id, form::nil, form::risk, form::tr, form::help}, lang) << "\n";
        o << "<div class=\"cols\">\n";
        std::string kids = sex_items(l, mn);
        kids += mn ? "<span class=\"i\"><b>2B1G</b> 2 хүү 1 охин</span> " : "<span class=\"i\"><b>2B1G</b> 2 boys 1 girl</span> ";
        kids += std::string(mn ? "Нас " : "Age ") + std::to_string(l.min_age) + "&ndash;" +
                std::to_string(l.adult_age - 1) + ": <b>12</b>, <b>12-14</b>";
        o << section(w.children, kids) << "\n";
        std::string sites;
        for (const auto& s : cfg.sites)
            sites += "<span class=\"i\"><b>" + html_escape(s.code) + "</b> " + html_escape(s.name) + "</span> ";
        o << section(w.sites, sites) << "\n";
        o << section(w.work, code_items(l.work, mn, true)) << "\n";
        o << section(w.hazards, code_items(l.hazards, mn, true), w.urgent) << "\n";
        o << section(w.risk, code_items(l.risk_reasons, mn)) << "\n";
        o << section(w.statuses, code_items(l.statuses, mn)) << "\n";
        o << "</div>\n";
    } else {
        o << "<h2>" << w.messages << "</h2>"
          << form_rows(lex, {form::ver, form::plan, form::ref, form::svc, form::out, form::merge, form::close,
                             form::tr, form::ack, form::info},
                       lang)
          << "\n<div class=\"cols\">\n";
        o << section(mn ? "VER NO шалтгаан" : "VER NO reasons", code_items(l.dismiss_reasons, mn)) << "\n";
        o << section("PLAN", code_items(l.targets, mn) + code_items(l.categories, mn)) << "\n";
        o << section(mn ? "REF, SVC үйлчилгээ" : "REF, SVC services", code_items(l.services, mn)) << "\n";
        o << section(mn ? "OUT үр дүн" : "OUT results", code_items(l.results, mn)) << "\n";
        o << section(mn ? "CLOSE шалтгаан" : "CLOSE reasons", code_items(l.reasons, mn)) << "\n";
        o << section(w.statuses, code_items(l.statuses, mn)) << "\n";
        const std::string ack = html_escape(keyword_of(l, form::ack));
        const std::string urgent = span_minutes(cfg.alerts.urgent_ack, mn);
        const std::string normal = span_minutes(cfg.alerts.normal_ack, mn);
        o << section(mn ? "Дохио" : "Alerts",
                     mn ? "Дохио бүрт <b>" + ack + " дугаар</b> гэж хариулна. Яаралтай дохиог " + urgent +
                              ", бусдыг " + normal +
                              " дотор хүлээн авахгүй бол ахлагч, дараа нь зохицуулагчид мэдэгдэнэ."
                        : "Answer every alert with <b>" + ack + " number</b>. Not answered within " + urgent +
                              " (urgent) or " + normal + ": the leader is told, then the coordinators.")
          << "\n</div>\n";
    }

    o << "<h2>" << w.examples << "</h2>" << examples_html(cfg, lang, who) << "\n";

    const std::string help_kw = shown_keyword(l, form::help, mn);
    std::string help = std::string(w.reply_rule) + " " + w.privacy + " <b>" + help_kw + "</b>" +
                       (mn ? ": бүх хэлбэр; " : ": the formats; ") + "<b>" +
                       html_escape(keyword_of(l, form::help)) + " " +
                       html_escape(keyword_of(l, team ? form::out : form::id)) + "</b>" +
                       (mn ? ": нэг хэлбэр." : ": one form.");
    if (!cfg.coordinators.empty()) {
        help += std::string(" ") + w.coordinators + ":";
        for (std::size_t i = 0; i < cfg.coordinators.size(); ++i)
            help += std::string(i == 0 ? " " : ", ") + html_escape(cfg.coordinators[i].name) + " <b>" +
                    html_escape(cfg.coordinators[i].phone) + "</b>";
    }
    o << section(w.help, help) << "\n</body>\n</html>\n";
    return o.str();
}

} // namespace kharuul::gateway
