#include "ussd/dialogue.hpp"

#include "parser/case_code.hpp"
#include "ussd/screen.hpp"
#include "ussd/wording.hpp"

#include <algorithm>
#include <charconv>

namespace kharuul::ussd {

using parser::form;
using parser::reply_language;

std::string_view screen_name(screen s) noexcept {
    switch (s) {
    case screen::top: return "top";
    case screen::site: return "site";
    case screen::site_code: return "site_code";
    case screen::children: return "children";
    case screen::sex: return "sex";
    case screen::boys: return "boys";
    case screen::age: return "age";
    case screen::work: return "work";
    case screen::danger: return "danger";
    case screen::risk_reason: return "risk_reason";
    case screen::confirm: return "confirm";
    case screen::case_code: return "case_code";
    case screen::school: return "school";
    case screen::work_now: return "work_now";
    case screen::resume: return "resume";
    }
    return "top";
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// A keypad number of at most three digits, or nullopt.
std::optional<int> number_of(std::string_view s) {
    if (s.empty() || s.size() > 3 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

} // namespace

dialogue_fsm::dialogue_fsm(const menu& m, const parser::lexicon& lex, const sender_profile& who,
                           std::span<const std::string> resumable)
    : m_(&m), lex_(&lex), who_(&who), resumable_(resumable.begin(), resumable.end()) {
    offering_ = !resumable_.empty() && who.registered;
    sites_ = shown_sites(m, who, who.lang);
    if (offering_) {
        dialogue_fsm replay(m, lex, who);
        for (const auto& a : resumable_)
            replay.accept(a);
        resume_step_ = static_cast<int>(replay.stack_.size()) + 1;
    }
}

const std::string* dialogue_fsm::value_of(screen s) const {
    for (const auto& a : stack_)
        if (a.at == s)
            return &a.value;
    return nullptr;
}

std::optional<form> dialogue_fsm::chosen_form() const {
    if (stack_.empty())
        return std::nullopt;
    return parser::form_from_canonical(stack_.front().value);
}

screen dialogue_fsm::current() const {
    if (offering_)
        return screen::resume;
    if (stack_.empty())
        return screen::top;
    const form f = chosen_form().value_or(form::id);
    const screen last = stack_.back().at;
    const std::string& v = stack_.back().value;
    if (f == form::tr) {
        switch (last) {
        case screen::top: return screen::case_code;
        case screen::case_code: return screen::school;
        default: return screen::work_now; // after school (accept() completes after work_now)
        }
    }
    switch (last) {
    case screen::top: return sites_.empty() ? screen::site_code : screen::site;
    case screen::site: return v.empty() ? screen::site_code : screen::children;
    case screen::site_code: return screen::children;
    case screen::children: return screen::sex;
    case screen::sex: return v == "BG" ? screen::boys : screen::age;
    case screen::boys: return screen::age;
    case screen::age: return f == form::risk ? screen::risk_reason : screen::work;
    case screen::work: return screen::danger;
    default: return screen::confirm; // after danger or risk_reason
    }
}

void dialogue_fsm::feed(std::string_view raw) {
    if (end_ != end_kind::none || !who_->registered)
        return;
    const std::string_view input = trim(raw);
    if (offering_) {
        reason_.clear();
        if (input == "1") {
            offering_ = false;
            offer_answered_ = resumed_ = true;
            for (const auto& a : resumable_)
                accept(a);
            reason_.clear();
        } else if (input == "2") {
            offering_ = false;
            offer_answered_ = true;
        } else {
            reason_ = fill(m_->bad_choice.in(who_->lang), {{"min", "1"}, {"max", "2"}});
        }
        return;
    }
    if (input == "00") {
        stack_.clear();
        reason_.clear();
        return;
    }
    if (input == "0") {
        if (!stack_.empty())
            stack_.pop_back();
        reason_.clear();
        return;
    }
    accept(input);
}

void dialogue_fsm::accept(std::string_view input) {
    if (end_ != end_kind::none)
        return;
    const reply_language l = who_->lang;
    const screen at = current();
    reason_.clear();
    auto choose = [&](const std::vector<menu_option>& options) -> const menu_option* {
        const auto n = number_of(input);
        if (n && *n >= 1 && static_cast<std::size_t>(*n) <= options.size())
            return &options[static_cast<std::size_t>(*n) - 1];
        reason_ = fill(m_->bad_choice.in(l), {{"min", "1"}, {"max", std::to_string(options.size())}});
        return nullptr;
    };
    auto count = [&](int lo, int hi) -> std::optional<int> {
        const auto n = number_of(input);
        if (n && *n >= lo && *n <= hi)
            return n;
        reason_ = fill(m_->bad_number.in(l), {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}});
        return std::nullopt;
    };
    auto push = [&](std::string value) { stack_.push_back({at, std::string(input), std::move(value)}); };

    switch (at) {
    case screen::resume:
        return; // handled by feed()
    case screen::top:
        if (const auto* o = choose(m_->top)) {
            push(o->code);
            if (o->code == "HELP")
                end_ = end_kind::help;
        }
        return;
    case screen::site: {
        const auto& sites = sites_;
        const auto n = number_of(input);
        if (n == 9)
            return push("");
        if (n && *n >= 1 && static_cast<std::size_t>(*n) <= sites.size()) {
            push(sites[static_cast<std::size_t>(*n) - 1].code);
            if (chosen_form() == form::nil)
                end_ = end_kind::completed;
            return;
        }
        reason_ = sites.empty() ? fill(m_->bad_choice.in(l), {{"min", "9"}, {"max", "9"}})
                                : fill(m_->bad_choice.in(l), {{"min", "1"}, {"max", std::to_string(sites.size())}}) +
                                      " 9";
        return;
    }
    case screen::site_code: {
        const parser::folded_token tok = parser::fold_token(input);
        if (const std::string* code = input.empty() ? nullptr : lex_->find_site(tok)) {
            push(*code);
            if (chosen_form() == form::nil)
                end_ = end_kind::completed;
            return;
        }
        const std::string shown = shorten_token(input);
        const std::string suggestion = input.empty() ? std::string{} : lex_->suggest(parser::table::site, tok);
        reason_ = suggestion.empty() ? fill(m_->unknown_site.in(l), {{"site", shown}})
                                     : fill(m_->did_you_mean.in(l), {{"site", shown}, {"code", suggestion}});
        return;
    }
    case screen::children:
        if (const auto n = count(1, lex_->lang().max_children))
            push(std::to_string(*n));
        return;
    case screen::sex:
        if (const auto* o = choose(m_->sexes)) {
            if (o->code == "BG" && value_of(screen::children) && *value_of(screen::children) == "1") {
                reason_ = m_->one_child.in(l);
                return;
            }
            push(o->code);
        }
        return;
    case screen::boys: {
        const int kids = std::stoi(*value_of(screen::children));
        if (const auto n = count(1, kids - 1))
            push(std::to_string(*n));
        return;
    }
    case screen::age: {
        const auto& lang = lex_->lang();
        const int lo = chosen_form() == form::risk ? lang.min_prevention_age : lang.min_age;
        if (const auto n = count(lo, lang.adult_age - 1))
            push(std::to_string(*n));
        return;
    }
    case screen::work:
        if (const auto* o = choose(m_->works))
            push(o->code);
        return;
    case screen::danger:
        if (const auto* o = choose(m_->dangers))
            push(o->code);
        return;
    case screen::risk_reason:
        if (const auto* o = choose(m_->risk_reasons))
            push(o->code);
        return;
    case screen::confirm: {
        const auto n = number_of(input);
        if (n == 1 || n == 2) {
            push(n == 1 ? "send" : "cancel");
            end_ = n == 1 ? end_kind::completed : end_kind::cancelled;
        } else {
            reason_ = fill(m_->bad_choice.in(l), {{"min", "1"}, {"max", "2"}});
        }
        return;
    }
    case screen::case_code:
        if (parser::check_case_code(input) == parser::case_code_check::valid)
            push(std::string(input));
        else
            reason_ = m_->bad_case.in(l);
        return;
    case screen::school:
        if (const auto* o = choose(m_->schools)) {
            push(o->code);
            const parser::code_def* d =
                o->code.empty() ? nullptr : lex_->code_by_name(parser::table::status, o->code);
            if (d != nullptr && d->group == "alone") // MOVED, MISS: no work question
                end_ = end_kind::completed;
        }
        return;
    case screen::work_now:
        if (const auto* o = choose(m_->work_nows)) {
            if (o->code.empty() && value_of(screen::school) && value_of(screen::school)->empty()) {
                reason_ = m_->no_status.in(l);
                return;
            }
            push(o->code);
            end_ = end_kind::completed;
        }
        return;
    }
}

completed_report dialogue_fsm::report() const {
    completed_report r;
    r.form = chosen_form().value_or(form::id);
    r.steps = stack_;
    auto v = [&](screen s) { return value_of(s) ? *value_of(s) : std::string{}; };
    const std::string site = !v(screen::site).empty() ? v(screen::site) : v(screen::site_code);
    std::string text(parser::canonical_keyword(r.form));
    auto add = [&](const std::string& field) {
        if (!field.empty())
            text += " " + field;
    };
    switch (r.form) {
    case form::nil:
        add(site);
        break;
    case form::tr:
        add(v(screen::case_code));
        add(v(screen::school));
        add(v(screen::work_now));
        break;
    default:
        add(site);
        add(children_token(v(screen::children), v(screen::sex), v(screen::boys)));
        add(v(screen::age));
        add(r.form == form::risk ? v(screen::risk_reason) : v(screen::work));
        if (r.form == form::id)
            add(v(screen::danger));
        break;
    }
    r.sms_text = std::move(text);
    return r;
}

std::string dialogue_fsm::render() const {
    const reply_language l = who_->lang;
    const auto& lang = lex_->lang();
    const screen at = current();
    screen_body b;
    switch (at) {
    case screen::resume:
        b.heading = fill(m_->resume.in(l), {{"n", std::to_string(resume_step_)}});
        break;
    case screen::top:
        b = numbered(m_->title.in(l), m_->top, l);
        break;
    case screen::site:
        return site_screen(*m_, *who_, l, reason_);
    case screen::site_code:
        b.heading = m_->site_code.in(l);
        break;
    case screen::children:
        b.heading = fill(m_->children.in(l), {{"min", "1"}, {"max", std::to_string(lang.max_children)}});
        break;
    case screen::sex:
        b = numbered(m_->sex.in(l), m_->sexes, l);
        break;
    case screen::boys:
        b.heading = fill(m_->boys.in(l),
                         {{"min", "1"}, {"max", std::to_string(std::stoi(*value_of(screen::children)) - 1)}});
        break;
    case screen::age: {
        const int lo = chosen_form() == form::risk ? lang.min_prevention_age : lang.min_age;
        b.heading = fill(m_->age.in(l), {{"min", std::to_string(lo)}, {"max", std::to_string(lang.adult_age - 1)}});
        break;
    }
    case screen::work:
        b = numbered(m_->work.in(l), m_->works, l);
        break;
    case screen::danger:
        b = numbered(m_->danger.in(l), m_->dangers, l);
        break;
    case screen::risk_reason:
        b = numbered(m_->risk_reason.in(l), m_->risk_reasons, l);
        break;
    case screen::confirm: {
        auto v = [&](screen s) { return value_of(s) ? *value_of(s) : std::string{}; };
        const std::string site = !v(screen::site).empty() ? v(screen::site) : v(screen::site_code);
        const form f = chosen_form().value_or(form::id);
        b.heading = summary(*lex_, l, site, v(screen::children), v(screen::sex), v(screen::boys), v(screen::age),
                            f == form::risk ? v(screen::risk_reason) : v(screen::work),
                            f == form::risk ? std::string{} : v(screen::danger), f == form::risk);
        b.lines.push_back(m_->send.in(l));
        break;
    }
    case screen::case_code:
        b.heading = m_->case_code.in(l);
        break;
    case screen::school:
        b = numbered(m_->school.in(l), m_->schools, l);
        break;
    case screen::work_now:
        b = numbered(m_->work_now.in(l), m_->work_nows, l);
        break;
    }
    return compose(reason_, b);
}

dialogue_state dialogue_fsm::state() const {
    dialogue_state s;
    s.step = static_cast<int>(stack_.size()) + 1;
    s.offer_answered = offer_answered_;
    s.resumed = resumed_;
    for (const auto& a : stack_)
        s.answers.push_back(a.input);
    s.steps = stack_;
    s.form = chosen_form();
    if (!who_->registered) {
        s.what = dialogue_state::kind::ended;
        s.text = fit_screen(fill(m_->unregistered.in(who_->lang), {{"code", who_->service_code}}));
        return s;
    }
    switch (end_) {
    case end_kind::none:
        s.at = current();
        s.text = render();
        return s;
    case end_kind::completed:
        s.what = dialogue_state::kind::completed;
        s.report = report();
        break;
    case end_kind::cancelled:
        s.what = dialogue_state::kind::ended;
        s.text = fit_screen(m_->cancelled.in(who_->lang));
        break;
    case end_kind::help:
        s.what = dialogue_state::kind::ended;
        s.text = fit_screen(m_->help.in(who_->lang));
        break;
    }
    s.at = stack_.back().at;
    s.step = static_cast<int>(stack_.size());
    return s;
}

std::vector<std::string> dialogue_fsm::sample_inputs() const {
    std::vector<std::string> out;
    if (end_ != end_kind::none || !who_->registered)
        return out;
    auto choices = [&](std::size_t n) {
        for (std::size_t i = 1; i <= n; ++i)
            out.push_back(std::to_string(i));
    };
    const auto& lang = lex_->lang();
    switch (current()) {
    case screen::resume: choices(2); break;
    case screen::top: choices(m_->top.size()); break;
    case screen::site:
        choices(sites_.size());
        out.push_back("9");
        break;
    case screen::site_code:
        if (!lex_->site_codes().empty())
            out.push_back(lex_->site_codes().front());
        break;
    case screen::children: out = {"1", "2", std::to_string(lang.max_children)}; break;
    case screen::sex: choices(m_->sexes.size()); break;
    case screen::boys: {
        const int kids = std::stoi(*value_of(screen::children));
        out = {"1"};
        if (kids > 2)
            out.push_back(std::to_string(kids - 1));
        break;
    }
    case screen::age:
        out = {std::to_string(chosen_form() == form::risk ? lang.min_prevention_age : lang.min_age),
               std::to_string(lang.adult_age - 1)};
        break;
    case screen::work: choices(m_->works.size()); break;
    case screen::danger: choices(m_->dangers.size()); break;
    case screen::risk_reason: choices(m_->risk_reasons.size()); break;
    case screen::confirm: choices(2); break;
    case screen::case_code: out.push_back(parser::make_case_code(10000)); break;
    case screen::school: choices(m_->schools.size()); break;
    case screen::work_now: choices(m_->work_nows.size()); break;
    }
    return out;
}

dialogue_state run_dialogue(const menu& m, const parser::lexicon& lex, const sender_profile& who,
                            std::span<const std::string> resumable, std::span<const std::string> inputs) {
    dialogue_fsm fsm(m, lex, who, resumable);
    for (const auto& input : inputs)
        fsm.feed(input);
    return fsm.state();
}

std::string describe_steps(const std::vector<answer>& steps) {
    std::string out;
    for (const auto& a : steps) {
        if (!out.empty())
            out += ' ';
        out += screen_name(a.at);
        out += ':';
        out += a.input;
        if (a.value != a.input) {
            out += '=';
            out += a.value.empty() ? "-" : a.value;
        }
    }
    return out;
}

} // namespace kharuul::ussd
