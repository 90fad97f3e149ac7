#include "parser/language.hpp"

namespace kharuul::parser {

std::string_view canonical_keyword(form f) noexcept {
    switch (f) {
    case form::id: return "ID";
    case form::nil: return "NIL";
    case form::tr: return "TR";
    case form::ref: return "REF";
    case form::ver: return "VER";
    case form::close: return "CLOSE";
    case form::ack: return "ACK";
    case form::help: return "HELP";
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
    return code_def{std::move(c), std::move(aliases), std::move(en), std::move(mn), urgent, sensitive};
}

} // namespace

// The tables of spec/sms-language.md sections 2-4. Mongolian labels are short on purpose: a
// Cyrillic reply has 70 characters in all.
language default_language() {
    language l;
    l.keywords = {
        {form::id, "ID", {"FOUND", "ИД"}},
        {form::nil, "NIL", {}},
        {form::tr, "TR", {"TRACK"}},
        {form::ref, "REF", {"REFER"}},
        {form::ver, "VER", {"VERIFY"}},
        {form::close, "CLOSE", {}},
        {form::ack, "ACK", {"OK"}},
        {form::help, "HELP", {"?", "ТУСЛАМЖ"}},
    };
    l.sexes = {
        {sex::boy, {"B", "M", "Х", "ХҮҮ"}},
        {sex::girl, {"G", "F", "О", "ОХИН"}},
        {sex::unknown, {"U"}},
    };
    l.age_units = {"Y", "YR", "YRS", "YO", "НАС", "NAS"};
    l.work = {
        code("MINE", "mining", "уурхай"),
        code("PAN", "panning", "алт угаах"),
        code("CARRY", "carrying", "ачаа зөөх"),
        code("TRADE", "trading", "худалдаа"),
        code("COAL", "coal", "нүүрс"),
        code("SCRAP", "scrap picking", "хог түүх"),
        code("BRICK", "brickyard", "тоосго"),
        code("HERD", "herding", "мал маллах"),
        code("MEAT", "slaughterhouse", "мах"),
        code("SEX", "sensitive", "эмзэг", {}, true, true),
        code("OTHER", "other work", "бусад"),
    };
    l.hazards = {
        code("SHAFT", "shaft", "нүхэнд", {}, true),
        code("HURT", "hurt", "гэмтсэн", {}, true),
        code("MERC", "mercury", "мөнгөн ус"),
        code("LOAD", "heavy load", "хүнд ачаа"),
        code("NIGHT", "night", "шөнө"),
        code("ALONE", "alone", "ганцаараа", {}, true),
    };
    l.statuses = {
        code("SCH", "in school", "сургуульд"),
        code("NFE", "in non-formal education", "албан бус боловсролд"),
        code("KG", "in kindergarten", "цэцэрлэгт"),
        code("HOME", "at home, not working", "гэртээ"),
        code("WORK", "working again", "дахин ажилд"),
        code("MOVED", "moved away", "нүүсэн"),
        code("MISS", "whereabouts unknown", "сураггүй"),
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
    return l;
}

} // namespace kharuul::parser
