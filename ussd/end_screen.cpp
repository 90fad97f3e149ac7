// end_screen() and describe_steps' neighbour: the END screen worded from the intake's outcome.
#include "ussd/dialogue.hpp"

#include "ussd/screen.hpp"
#include "ussd/wording.hpp"

namespace kharuul::ussd {

namespace {

// "100009 100014 100021", or when that does not fit "100009 ... 100104 (20)".
std::string case_list(const menu& m, parser::reply_language l, const std::vector<std::string>& codes,
                      bool alerted) {
    std::string all;
    for (const auto& c : codes)
        all += (all.empty() ? "" : " ") + c;
    const std::string tail = alerted ? m.alerted.in(l) : std::string{};
    if (std::string text = fill(m.sent.in(l), {{"cases", all}}) + tail; fits_screen(text) || codes.size() < 3)
        return text;
    const std::string short_list = codes.front() + " ... " + codes.back() + " (" + std::to_string(codes.size()) + ")";
    return fill(m.sent.in(l), {{"cases", short_list}}) + tail;
}

std::string status_words(const parser::lexicon& lex, parser::reply_language l, const completed_report& r) {
    std::string out;
    for (const auto& a : r.steps) {
        if ((a.at != screen::school && a.at != screen::work_now) || a.value.empty())
            continue;
        const parser::code_def* d = lex.code_by_name(parser::table::status, a.value);
        std::string word = d == nullptr ? a.value : (l == parser::reply_language::mn ? d->label_mn : d->label_en);
        out += (out.empty() ? "" : ", ") + (word.empty() ? a.value : word);
    }
    return out;
}

const std::string* step_value(const completed_report& r, screen s) {
    for (const auto& a : r.steps)
        if (a.at == s)
            return &a.value;
    return nullptr;
}

} // namespace

std::string end_screen(const menu& m, const parser::lexicon& lex, parser::reply_language l,
                       const completed_report& report, const intake_result& result) {
    using st = intake_result::status;
    if (result.what == st::duplicate)
        return fit_screen(m.duplicate.in(l));
    if (result.what != st::accepted)
        return fit_screen(result.reply.empty() ? m.cancelled.in(l) : result.reply);
    switch (report.form) {
    case parser::form::nil: {
        const std::string* site = step_value(report, screen::site);
        if (site == nullptr || site->empty())
            site = step_value(report, screen::site_code);
        return fit_screen(fill(m.visit.in(l), {{"site", site ? *site : std::string{}}}));
    }
    case parser::form::tr: {
        const std::string* code = step_value(report, screen::case_code);
        return fit_screen(fill(m.saved.in(l), {{"case", code ? *code : std::string{}},
                                               {"status", status_words(lex, l, report)}}));
    }
    default:
        return fit_screen(case_list(m, l, result.case_codes, result.alerted));
    }
}

} // namespace kharuul::ussd
