#include "parser/language.hpp"

#include <initializer_list>

namespace kharuul::parser {

std::string_view canonical_keyword(form f) noexcept {
    switch (f) {
    case form::id: return "ID";
    case form::nil: return "NIL";
    case form::risk: return "RISK";
    case form::tr: return "TR";
    case form::ref: return "REF";
    case form::svc: return "SVC";
    case form::ver: return "VER";
    case form::plan: return "PLAN";
    case form::out: return "OUT";
    case form::merge: return "MERGE";
    case form::close: return "CLOSE";
    case form::ack: return "ACK";
    case form::help: return "HELP";
    case form::info: return "INFO";
    }
    return "HELP";
}

std::optional<form> form_from_canonical(std::string_view keyword) noexcept {
    for (form f : all_forms)
        if (canonical_keyword(f) == keyword)
            return f;
    return std::nullopt;
}

namespace {

code_def code(std::string c, std::string en, std::string mn, std::vector<std::string> aliases = {},
              bool urgent = false, bool sensitive = false) {
    return code_def{
        std::move(c), std::move(aliases), std::move(en), std::move(mn), urgent, sensitive, {}, {}, {}, {}};
}

// A TR status: the status it reports (`group`) and the value it sets (cases::tracking_effect_of).
code_def status(std::string c, std::string group, std::string sets, std::string en, std::string mn,
                std::vector<std::string> aliases = {}) {
    code_def d = code(std::move(c), std::move(en), std::move(mn), std::move(aliases));
    d.group = std::move(group);
    d.sets = std::move(sets);
    return d;
}

// The alerts' short Mongolian wordings of work and hazards (code_def::short_mn), kept apart from
// the tables above: a Mongolian alert has 70 characters, and these keep the work and its hazards
// in Mongolian words where the labels do not fit. Only where a label is long.
void add_alert_short_forms(language& l) {
    struct short_form {
        std::string_view code;
        std::string_view mn;
    };
    auto apply = [](std::vector<code_def>& codes, std::initializer_list<short_form> forms) {
        for (const auto& f : forms)
            for (auto& d : codes)
                if (d.code == f.code)
                    d.short_mn = f.mn;
    };
    apply(l.work, {{"PAN", "угаах"},
                   {"CARRY", "зөөх"},
                   {"TRADE", "наймаа"},
                   {"SCRAP", "хог"},
                   {"HERD", "мал"}});
    apply(l.hazards, {{"SHAFT", "нүх"},
                      {"HURT", "гэмтэл"},
                      {"MERC", "хими"},
                      {"LOAD", "ачаа"},
                      {"ALONE", "ганц"}});
}

} // namespace

// The tables of spec/sms-language.md sections 2-4 and spec/cases.md sections 2-3. Mongolian labels are short
// on purpose: a Cyrillic reply has 70 characters in all.
language default_language() {
    language l;
    l.keywords = {
        {form::id, "ID", {"FOUND", "ИД"}},
        {form::nil, "NIL", {}},
        {form::risk, "RISK", {"ЭРСДЭЛ"}},
        {form::tr, "TR", {"TRACK"}},
        {form::ref, "REF", {"REFER"}},
        {form::svc, "SVC", {"SERVICE"}},
        {form::ver, "VER", {"VERIFY"}},
        {form::plan, "PLAN", {}},
        {form::out, "OUT", {"OUTCOME"}},
        {form::merge, "MERGE", {}},
        {form::close, "CLOSE", {}},
        {form::ack, "ACK", {"OK"}},
        {form::info, "INFO", {}},
        {form::help, "HELP", {"?", "ТУСЛАМЖ"}},
    };
    l.sexes = {
        {sex::boy, {"B", "M", "Х", "ХҮҮ"}},
        {sex::girl, {"G", "F", "О", "ОХИН"}},
        {sex::unknown, {"U"}},
    };
    l.age_units = {"Y", "YR", "YRS", "YO", "НАС", "NAS"};
    // The Mongolian aliases of the work and hazard codes are everyday one-word names of the work
    // (a volunteer types `тоосго` for BRICK): NEEDS NATIVE REVIEW before a season's training. Left
    // out on purpose: SEX has no Mongolian alias (a sensitive case is never opened by a word typed
    // for something else), and MERC's "мөнгөн ус" is two words, so it has the one word ХИМИ.
    l.work = {
        code("MINE", "mining", "уурхай", {"УУРХАЙ"}),
        code("PAN", "panning", "алт угаах", {"УГААХ"}),
        code("CARRY", "carrying", "ачаа зөөх", {"ЗӨӨХ"}),
        code("TRADE", "trading", "худалдаа", {"ХУДАЛДАА", "НАЙМАА"}),
        code("COAL", "coal", "нүүрс", {"НҮҮРС"}),
        code("SCRAP", "scrap picking", "хог түүх", {"ХОГ"}),
        code("BRICK", "brickyard", "тоосго", {"ТООСГО"}),
        code("HERD", "herding", "мал маллах", {"МАЛ", "МАЛЧИН"}),
        code("MEAT", "slaughterhouse", "мах", {"МАХ", "НЯДАЛГАА"}),
        code("SEX", "sensitive", "эмзэг", {}, true, true),
        code("OTHER", "other work", "бусад", {"БУСАД"}),
    };
    l.hazards = {
        code("SHAFT", "shaft", "нүхэнд", {"НҮХ", "ШАХТ"}, true),
        code("HURT", "hurt", "гэмтсэн", {"ГЭМТСЭН", "ГЭМТЭЛ"}, true),
        code("MERC", "mercury", "мөнгөн ус", {"ХИМИ"}),
        code("LOAD", "heavy load", "хүнд ачаа", {"АЧАА"}),
        code("NIGHT", "night", "шөнө", {"ШӨНӨ"}),
        code("ALONE", "alone", "ганцаараа", {"ГАНЦААРАА"}, true),
    };
    // One school code and one work code may come together; MOVED and MISS stand alone.
    l.statuses = {
        status("SCH", "school", "school", "in school", "сургуульд"),
        status("NFE", "school", "nfe", "in non-formal education", "албан бус боловсролд"),
        status("KG", "school", "kg", "in kindergarten", "цэцэрлэгт"),
        status("VOC", "school", "vocational", "in vocational training", "мэргэжлийн сургалтад"),
        status("DROP", "school", "none", "left school", "сургууль завсардсан"),
        status("STOP", "work", "not_working", "not working", "ажил хийхгүй"),
        status("HOME", "work", "not_working", "at home, not working", "гэртээ"),
        status("LESS", "work", "less", "working less", "ажил багассан"),
        status("WORK", "work", "working", "working again", "дахин ажилд"),
        status("MOVED", "alone", "lost", "moved away", "нүүсэн"),
        status("MISS", "alone", "lost", "whereabouts unknown", "сураггүй"),
    };
    l.services = {
        code("NFE", "non-formal education", "албан бус боловсрол"),
        code("SCH", "school", "сургууль"),
        code("KG", "kindergarten", "цэцэрлэг"),
        code("HEALTH", "health", "эрүүл мэнд"),
        code("SOCIAL", "social welfare", "нийгмийн халамж"),
        code("PSY", "psychological support", "сэтгэл зүй"),
        code("LEGAL", "legal aid", "хууль зүй"),
        code("VOC", "vocational training", "мэргэжлийн сургалт"),
        code("FAMILY", "family livelihood", "гэр бүлийн дэмжлэг"),
    };
    l.reasons = {
        code("DONE", "out of child labour", "хөдөлмөрөөс гарсан"),
        code("ADULT", "turned 18", "18 нас хүрсэн"),
        code("MOVED", "moved to another area", "өөр нутагт шилжсэн"),
    };
    l.outcomes = {
        code("OK", "confirmed", "баталгаажсан", {"YES", "ТИЙМ"}),
        code("NO", "not confirmed", "батлагдаагүй", {"ҮГҮЙ"}),
    };
    l.risk_reasons = {
        code("DROP", "out of school", "сургуульгүй"),
        code("SIB", "sibling works", "ах дүү нь ажилладаг"),
        code("FAM", "family works there", "гэр бүл нь ажилладаг"),
        code("STREET", "street child", "гудамжны хүүхэд"),
        code("OTHER", "other risk", "бусад эрсдэл"),
    };
    l.dismiss_reasons = {
        code("NOTCL", "not child labour", "хөдөлмөр биш"),
        code("NOTFOUND", "not found", "олдоогүй"),
        code("DUP", "duplicate", "давхардсан"),
        code("OTHER", "other", "бусад"),
    };
    l.targets = {
        code("W", "withdrawal", "гаргах"),
        code("P", "prevention", "сэргийлэх"),
    };
    l.categories = {
        code("CL", "child labourer", "хүүхэд хөдөлмөр"),
        code("WFCL", "worst forms", "хамгийн муу хэлбэр"),
        code("RISK", "at risk", "эрсдэлтэй"),
        code("DROP", "school drop-out", "завсардсан"),
        code("HARD", "difficult circumstances", "хүнд нөхцөл"),
    };
    l.results = {
        code("WD", "withdrawn", "гарсан"),
        code("PR", "prevented", "сэргийлсэн"),
        code("LESS", "working less", "ажил багассан"),
        code("NO", "not achieved", "үр дүнгүй"),
    };
    // SVC <case> <service> FAM: the family received the service. Not FAMILY, which is a service.
    l.family_words = {"FAM", "ГЭР"};
    // HELP <topic>: the lists a form's help has no room for. The labels head the replies.
    l.help_topics = {
        code("WORK", "Work codes", "Ажил", {"АЖИЛ"}),
        code("HAZARD", "Hazards", "Аюул", {"HAZARDS", "АЮУЛ"}),
        code("STATUS", "TR status codes", "Төлөв", {"STATUSES", "ТӨЛӨВ"}),
        code("SITES", "Your sites", "Таны газар", {"SITE", "ГАЗАР"}),
    };
    add_alert_short_forms(l);
    return l;
}

} // namespace kharuul::parser
