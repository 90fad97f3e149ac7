// check_menu(): every option list checked against the language, and every screen of every path
// (both languages, with and without own sites) measured against the screen limit.
#include "ussd/menu.hpp"

#include "ussd/dialogue.hpp"
#include "ussd/screen.hpp"
#include "ussd/wording.hpp"

#include <set>

namespace kharuul::ussd {

namespace {

// The texts and lists a screen at `at` is built from, most likely culprit first.
std::vector<std::string> keys_of(screen at) {
    switch (at) {
    case screen::top: return {"texts.title", "options.top"};
    case screen::confirm: return {"texts.send"};
    case screen::resume: return {"texts.resume"};
    case screen::site: return {"texts.site", "texts.other_site"};
    case screen::sex: return {"texts.sex", "options.sex"};
    case screen::work: return {"texts.work", "options.work"};
    case screen::danger: return {"texts.danger", "options.danger"};
    case screen::risk_reason: return {"texts.risk_reason", "options.risk_reason"};
    case screen::school: return {"texts.school", "options.school"};
    case screen::work_now: return {"texts.work_now", "options.work_now"};
    default: return {"texts." + std::string(screen_name(at))};
    }
}

struct problem_less {
    bool operator()(const menu_problem& a, const menu_problem& b) const { return a.message < b.message; }
};
using problem_set = std::set<menu_problem, problem_less>;

void walk(const dialogue_fsm& fsm, problem_set& problems, std::string_view lang, int depth) {
    const dialogue_state s = fsm.state();
    if (s.what != dialogue_state::kind::screen) {
        if (!fits_screen(s.text))
            problems.insert({{"texts.cancelled", "texts.help"},
                             "an END screen (" + std::string(lang) + ") is longer than one USSD screen"});
        return;
    }
    if (!fits_screen(s.text)) {
        const auto m = measure_screen(s.text);
        problems.insert({keys_of(s.at), "the " + std::string(screen_name(s.at)) + " screen (" + std::string(lang) +
                                            ") has " + std::to_string(m.units) + " characters, over the " +
                                            std::to_string(m.limit) + " of one USSD screen"});
    }
    if (depth > 12)
        return;
    for (const auto& input : fsm.sample_inputs()) {
        dialogue_fsm next = fsm;
        next.feed(input);
        walk(next, problems, lang, depth + 1);
    }
}

} // namespace

std::vector<menu_problem> check_menu(const menu& m, const parser::lexicon& lex) {
    std::vector<menu_problem> out;
    for (const auto& entry : option_keys())
        if (auto p = check_options(entry.key, m.*entry.options, lex))
            out.push_back({{"options." + std::string(entry.key)}, *p});
    for (const auto& entry : text_keys()) {
        const menu_text& t = m.*entry.text;
        if (t.en.empty() || t.mn.empty())
            out.push_back({{"texts." + std::string(entry.key)}, "needs both an English (en) and a Mongolian (mn) text"});
    }
    if (!out.empty())
        return out; // a broken list cannot be walked
    problem_set problems;
    for (const auto lang : {parser::reply_language::en, parser::reply_language::mn}) {
        const std::string_view name = lang == parser::reply_language::en ? "en" : "mn";
        sender_profile who;
        who.registered = true;
        who.lang = lang;
        walk(dialogue_fsm(m, lex, who), problems, name, 0);
        for (const auto& code : lex.site_codes()) {
            who.own_sites.push_back({code, {}});
            if (who.own_sites.size() == 2)
                break;
        }
        if (!who.own_sites.empty())
            walk(dialogue_fsm(m, lex, who), problems, name, 0);
        // The resume offer, and the texts only END screens use, with long values.
        const std::vector<std::string> answers{"1"};
        walk(dialogue_fsm(m, lex, who, answers), problems, name, 12);
        for (const auto& [key, text] :
             std::initializer_list<std::pair<std::string_view, const menu_text*>>{
                 {"visit", &m.visit}, {"duplicate", &m.duplicate}, {"cancelled", &m.cancelled},
                 {"help", &m.help}, {"unregistered", &m.unregistered}, {"saved", &m.saved}}) {
            const std::string shown = fill(text->in(lang), {{"site", "ALTANUS"}, {"code", "*500*12#"},
                                                            {"case", "1000097"}, {"status", "school"}});
            if (!fits_screen(shown))
                problems.insert({{"texts." + std::string(key)},
                                 "the " + std::string(key) + " END screen (" + std::string(name) +
                                     ") is longer than one USSD screen"});
        }
    }
    out.assign(problems.begin(), problems.end());
    return out;
}

} // namespace kharuul::ussd
