#include "ussd/menu.hpp"

#include <algorithm>
#include <set>

namespace kharuul::ussd {

namespace {

menu_option opt(std::string code, std::string en, std::string mn) {
    return {std::move(code), {std::move(en), std::move(mn)}};
}

} // namespace

// spec/ussd.md. The Mongolian texts are the author's: NEEDS NATIVE REVIEW before a season's
// training. They are short on purpose: a Cyrillic screen has 80 characters in all, a re-ask
// reason included (the school screen is exactly 80: АББ is албан бус боловсрол, non-formal
// education; МСҮТ the vocational training centres; a longer label needs a shorter one beside it).
menu default_menu() {
    menu m;
    m.title = {"Child labour report", "Хүүхдийн хөдөлмөр"};
    m.site = {"Site:", "Газар:"};
    m.other_site = {"Other site code", "Өөр газрын код"};
    m.site_code = {"Site code:", "Газрын код:"};
    m.children = {"How many children? ({min}-{max})", "Хэдэн хүүхэд? ({min}-{max})"};
    m.sex = {"Sex:", "Хүйс:"};
    m.boys = {"How many boys? ({min}-{max})", "Хэдэн хүү? ({min}-{max})"};
    m.age = {"Age ({min}-{max}):", "Нас ({min}-{max}):"};
    m.work = {"Work:", "Ажил:"};
    m.danger = {"Danger:", "Аюул:"};
    m.risk_reason = {"Why at risk:", "Эрсдэл:"};
    m.case_code = {"Case number:", "Хэргийн дугаар:"};
    m.school = {"Where now:", "Одоо:"};
    m.work_now = {"Work:", "Ажил:"};
    m.send = {"1 Send\n2 Cancel", "1 Илгээх\n2 Цуцлах"};
    m.resume = {"Continue your report at step {n}?\n1 Yes\n2 Start again",
                "{n}-р алхмаас үргэлжлүүлэх үү?\n1 Тийм\n2 Шинээр"};

    m.bad_choice = {"Choose {min}-{max}.", "{min}-{max}!"};
    m.bad_number = {"Enter a number {min}-{max}.", "{min}-{max} тоо."};
    m.unknown_site = {"Unknown site {site}.", "{site} газар алга."};
    m.did_you_mean = {"Unknown site {site}. Did you mean {code}?", "{site} алга. {code} юу?"};
    m.bad_case = {"Not a case number: check the digits.", "Дугаар буруу."};
    m.one_child = {"Only 1 child: choose another.", "1 хүүхэд: өөрийг сонго."};
    m.no_status = {"Nothing to save: choose a status.", "Төлөв сонго."};

    m.sent = {"Sent. Cases {cases}.", "Илгээлээ. Хэрэг {cases}."};
    m.alerted = {" Team alerted.", " Баг мэдлээ."};
    m.visit = {"Visit recorded at {site}.", "{site} очилт бүртгэлээ."};
    m.saved = {"Saved: {case} {status}.", "Хадгаллаа: {case} {status}."};
    m.duplicate = {"Already received: this report was sent a few minutes ago.", "Энэ мэдээ өмнө ирсэн."};
    m.cancelled = {"Cancelled. Nothing was sent.", "Цуцаллаа. Юу ч илгээгдсэнгүй."};
    m.help = {"Answer with the number of your choice. 0 goes back, 00 to the top. By SMS: ID site children "
              "age work. Ask your coordinator for help.",
              "Дугаараа сонго. 0 буцах, 00 эхэнд. SMS: ID газар хүүхэд нас ажил."};
    m.unregistered = {"This number is not registered. Ask your coordinator to register it, then dial {code} "
                      "again.",
                      "Дугаар бүртгэлгүй. Зохицуулагчдаа бүртгүүлээд {code} дахин залга."};

    m.top = {
        opt("ID", "Report a child at work", "Ажилтай хүүхэд"),
        opt("RISK", "Report a child at risk", "Эрсдэлтэй"),
        opt("NIL", "Visit: no child seen", "Хүүхэд алга"),
        opt("TR", "Follow up a case", "Хяналт"),
        opt("HELP", "Help", "Тусламж"),
    };
    m.sexes = {
        opt("B", "Boy(s)", "Хүү"),
        opt("G", "Girl(s)", "Охин"),
        opt("BG", "Boys and girls", "Хүү охин"),
        opt("U", "Unknown", "Мэдэхгүй"),
    };
    m.works = {
        opt("MINE", "Mining", "Уурхай"),   opt("PAN", "Panning", "Угаах"),   opt("CARRY", "Carrying", "Зөөх"),
        opt("TRADE", "Trading", "Наймаа"), opt("COAL", "Coal", "Нүүрс"),     opt("SCRAP", "Scrap", "Хог"),
        opt("BRICK", "Bricks", "Тоосго"),  opt("OTHER", "Other", "Бусад"),
    };
    m.dangers = {
        opt("", "None", "Үгүй"),
        opt("SHAFT", "In shaft/tunnel", "Нүхэнд"),
        opt("HURT", "Injured", "Гэмтсэн"),
        opt("ALONE", "Alone", "Ганцаараа"),
        opt("NIGHT", "Night work", "Шөнө"),
    };
    m.risk_reasons = {
        opt("DROP", "Out of school", "Сургуульгүй"),
        opt("SIB", "Brother or sister works", "Ах дүү ажилладаг"),
        opt("FAM", "Family works at the site", "Гэр бүл ажилладаг"),
        opt("STREET", "Street", "Гудамж"),
        opt("OTHER", "Other", "Бусад"),
    };
    m.schools = {
        opt("SCH", "School", "Сургууль"),
        opt("NFE", "Non-formal education", "АББ"),
        opt("KG", "Kindergarten", "Цэцэрлэг"),
        opt("VOC", "Vocational training", "МСҮТ"),
        opt("DROP", "Left school", "Гарсан"),
        opt("MOVED", "Moved away", "Нүүсэн"),
        opt("MISS", "Whereabouts unknown", "Сураггүй"),
        opt("", "Not known", "Мэдэхгүй"),
    };
    m.work_nows = {
        opt("STOP", "Stopped working", "Ажилгүй болсон"),
        opt("LESS", "Works less", "Багассан"),
        opt("WORK", "Working", "Ажиллаж байна"),
        opt("", "Not known", "Мэдэхгүй"),
    };
    return m;
}

const std::vector<text_entry>& text_keys() {
    static const std::vector<text_entry> keys{
        {"title", &menu::title},
        {"site", &menu::site},
        {"other_site", &menu::other_site},
        {"site_code", &menu::site_code},
        {"children", &menu::children},
        {"sex", &menu::sex},
        {"boys", &menu::boys},
        {"age", &menu::age},
        {"work", &menu::work},
        {"danger", &menu::danger},
        {"risk_reason", &menu::risk_reason},
        {"case_code", &menu::case_code},
        {"school", &menu::school},
        {"work_now", &menu::work_now},
        {"send", &menu::send},
        {"resume", &menu::resume},
        {"bad_choice", &menu::bad_choice},
        {"bad_number", &menu::bad_number},
        {"unknown_site", &menu::unknown_site},
        {"did_you_mean", &menu::did_you_mean},
        {"bad_case", &menu::bad_case},
        {"one_child", &menu::one_child},
        {"no_status", &menu::no_status},
        {"sent", &menu::sent},
        {"alerted", &menu::alerted},
        {"visit", &menu::visit},
        {"saved", &menu::saved},
        {"duplicate", &menu::duplicate},
        {"cancelled", &menu::cancelled},
        {"help", &menu::help},
        {"unregistered", &menu::unregistered},
    };
    return keys;
}

const std::vector<options_entry>& option_keys() {
    static const std::vector<options_entry> keys{
        {"top", &menu::top},
        {"sex", &menu::sexes},
        {"work", &menu::works},
        {"danger", &menu::dangers},
        {"risk_reason", &menu::risk_reasons},
        {"school", &menu::schools},
        {"work_now", &menu::work_nows},
    };
    return keys;
}

namespace {

// The codes a list may use, or nullptr when any code of `t` may be used.
std::optional<std::string> code_problem(std::string_view key, const std::string& code, const parser::lexicon& lex) {
    using parser::table;
    auto in_table = [&](table t) { return lex.code_by_name(t, code) != nullptr; };
    auto unknown = [&](std::string_view what) {
        return std::optional<std::string>("\"" + code + "\" is not " + std::string(what));
    };
    if (key == "top") {
        static const std::set<std::string, std::less<>> forms{"ID", "RISK", "NIL", "TR", "HELP"};
        return forms.contains(code) ? std::nullopt : unknown("ID, RISK, NIL, TR or HELP");
    }
    if (key == "sex") {
        static const std::set<std::string, std::less<>> sexes{"B", "G", "BG", "U"};
        return sexes.contains(code) ? std::nullopt : unknown("B, G, BG or U");
    }
    if (code.empty()) {
        if (key == "danger" || key == "school" || key == "work_now")
            return std::nullopt; // "None", "Not known"
        return std::optional<std::string>("a choice without a code: only danger, school and work_now have one");
    }
    if (key == "work")
        return in_table(table::work) ? std::nullopt : unknown("a work code");
    if (key == "danger")
        return in_table(table::hazard) ? std::nullopt : unknown("a hazard code");
    if (key == "risk_reason")
        return in_table(table::risk_reason) ? std::nullopt : unknown("a RISK reason");
    const parser::code_def* d = lex.code_by_name(table::status, code);
    if (d == nullptr)
        return unknown("a TR status code");
    if (key == "school" && d->group == "work")
        return unknown("a school status (it is a work status: list it under work_now)");
    if (key == "work_now" && d->group != "work")
        return unknown("a work status");
    return std::nullopt;
}

} // namespace

std::optional<std::string> check_options(std::string_view key, const std::vector<menu_option>& options,
                                         const parser::lexicon& lex) {
    // One keypad digit per choice; 0 is "back" (and the site screen keeps 9 for "Other site").
    if (options.empty())
        return "has no choices";
    if (options.size() > 9)
        return "has " + std::to_string(options.size()) + " choices; at most 9 fit the keypad";
    std::set<std::string, std::less<>> seen;
    for (const auto& o : options) {
        if (auto p = code_problem(key, o.code, lex))
            return p;
        if (!seen.insert(o.code).second)
            return "\"" + o.code + "\" is listed twice";
        if (o.label.en.empty() || o.label.mn.empty())
            return "the choice \"" + o.code + "\" needs both an English (en) and a Mongolian (mn) label";
    }
    if (key == "top" && !seen.contains("ID") && !seen.contains("RISK") && !seen.contains("NIL") &&
        !seen.contains("TR"))
        return "offers no report: list at least one of ID, RISK, NIL, TR";
    return std::nullopt;
}

} // namespace kharuul::ussd
