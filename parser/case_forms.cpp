// The case forms of the SMS language (TR, REF, SVC, VER, PLAN, OUT, MERGE, CLOSE): a case number
// and codes, read by form_parser (parser/sms_support.hpp) for parse_sms (parser/sms.cpp).
#include "parser/sms_support.hpp"

#include "parser/case_code.hpp"

#include <algorithm>
#include <string>

namespace kharuul::parser::detail {

// REF and CLOSE: a case number and one code, in either order (each is recognisable by its shape:
// digits or letters). Extra words after both are ignored: the raw text is kept.
parse_result form_parser::parse_case_form(table t, field code_field, errc unknown) {
    std::string_view case_tok;
    std::optional<folded_token> code_tok;
    for (std::size_t i = 1; i < toks_.size(); ++i) {
        const std::string_view raw = toks_[i].raw;
        const bool digit_led = !raw.empty() && raw[0] >= '0' && raw[0] <= '9';
        if (digit_led) {
            if (case_tok.empty())
                case_tok = raw;
            else if (!code_tok)
                return fail(errc::unplaced_number, form_, raw);
        } else if (!code_tok) {
            code_tok = fold_token(raw);
        }
    }
    if (case_tok.empty())
        return fail(errc::missing_field, form_, {}, {}, field::case_code);
    if (auto e = check_case(case_tok))
        return *e;
    if (!code_tok)
        return fail(errc::missing_field, form_, {}, {}, code_field);
    const code_def* d = lex_.find_code(t, *code_tok);
    if (d == nullptr)
        return fail(unknown, form_, code_tok->raw, lex_.suggest(t, *code_tok));

    sms_message m;
    m.kind = form_;
    std::string c(case_tok);
    if (form_ == form::ref)
        m.body = referral{std::move(c), d->code};
    else
        m.body = closure{std::move(c), d->code};
    return m;
}

std::optional<parse_error> form_parser::check_case(std::string_view tok) const {
    switch (check_case_code(tok)) {
    case case_code_check::valid:
        return std::nullopt;
    case case_code_check::bad_shape:
        return fail(errc::bad_case, form_, tok);
    case case_code_check::bad_check_digit:
        return fail(errc::bad_case_check_digit, form_, tok);
    }
    return fail(errc::bad_case, form_, tok);
}

std::optional<parse_error> form_parser::read_case_fields(std::size_t wanted, case_fields& out) const {
    for (std::size_t i = 1; i < toks_.size(); ++i) {
        const std::string_view raw = toks_[i].raw;
        if (!raw.empty() && raw[0] >= '0' && raw[0] <= '9') {
            if (out.cases.size() < wanted)
                out.cases.push_back(raw);
            else if (out.words.empty())
                return fail(errc::unplaced_number, form_, raw);
        } else {
            out.words.push_back(fold_token(raw));
        }
    }
    if (out.cases.empty())
        return fail(errc::missing_field, form_, {}, {}, field::case_code);
    return check_case(out.cases[0]);
}

// TR <case> <status> [status]: at most one school code and one work code, in either order, or
// MOVED / MISS alone (a code whose group is neither school nor work stands alone). The same code
// twice counts once. Words after the two status places are free text unless they are status
// codes, which can only conflict.
parse_result form_parser::parse_tracking() {
    case_fields f;
    if (auto e = read_case_fields(1, f))
        return *e;
    if (f.words.empty())
        return fail(errc::missing_field, form_, {}, {}, field::status);
    tracking t;
    t.case_code = std::string(f.cases[0]);
    bool alone = false;
    for (std::size_t i = 0; i < f.words.size(); ++i) {
        const folded_token& w = f.words[i];
        const code_def* d = lex_.find_code(table::status, w);
        if (d == nullptr) {
            if (i < 2)
                return fail(errc::unknown_status, form_, w.raw, lex_.suggest(table::status, w));
            break;
        }
        if (std::find(t.codes.begin(), t.codes.end(), d->code) != t.codes.end())
            continue;
        const bool school = d->group == "school";
        const bool work = d->group == "work";
        if (!t.codes.empty() && (alone || (!school && !work) || (school && t.school) || (work && t.work)))
            return fail(errc::conflicting_status, form_, w.raw);
        if (school)
            t.school = d->code;
        else if (work)
            t.work = d->code;
        else
            alone = true;
        t.codes.push_back(d->code);
    }
    t.status = t.codes.front();
    sms_message m;
    m.kind = form::tr;
    m.body = std::move(t);
    return m;
}

// VER <case> OK | VER <case> NO <reason>. Words after OK, or after NO's reason, are free text.
parse_result form_parser::parse_verification() {
    case_fields f;
    if (auto e = read_case_fields(1, f))
        return *e;
    if (f.words.empty())
        return fail(errc::missing_field, form_, {}, {}, field::outcome);
    const code_def* d = lex_.find_code(table::outcome, f.words[0]);
    if (d == nullptr)
        return fail(errc::bad_outcome, form_, f.words[0].raw);
    verification v;
    v.case_code = std::string(f.cases[0]);
    v.confirmed = d->code == "OK";
    if (!v.confirmed) {
        if (f.words.size() < 2)
            return fail(errc::missing_field, form_, {}, {}, field::reason);
        const code_def* r = lex_.find_code(table::dismiss_reason, f.words[1]);
        if (r == nullptr)
            return fail(errc::unknown_reason, form_, f.words[1].raw,
                        lex_.suggest(table::dismiss_reason, f.words[1]));
        v.reason = r->code;
    }
    sms_message m;
    m.kind = form::ver;
    m.body = std::move(v);
    return m;
}

// PLAN <case> W|P [category]. A category where the target belongs means the target is missing.
parse_result form_parser::parse_assessment() {
    case_fields f;
    if (auto e = read_case_fields(1, f))
        return *e;
    if (f.words.empty())
        return fail(errc::missing_field, form_, {}, {}, field::target);
    const code_def* t = lex_.find_code(table::target, f.words[0]);
    if (t == nullptr) {
        if (lex_.find_code(table::category, f.words[0]) != nullptr)
            return fail(errc::missing_field, form_, {}, {}, field::target);
        return fail(errc::bad_target, form_, f.words[0].raw, lex_.suggest(table::target, f.words[0]));
    }
    assessment a;
    a.case_code = std::string(f.cases[0]);
    a.target = t->code.empty() ? 'W' : t->code[0];
    if (f.words.size() >= 2) {
        const code_def* c = lex_.find_code(table::category, f.words[1]);
        if (c == nullptr)
            return fail(errc::unknown_category, form_, f.words[1].raw,
                        lex_.suggest(table::category, f.words[1]));
        a.category = c->code;
    }
    sms_message m;
    m.kind = form::plan;
    m.body = std::move(a);
    return m;
}

// SVC <case> <service> [FAM]: the family word may stand anywhere. A word right after the service
// one edit from a family word is refused (a typo must not record the child instead of the
// family); other words after the service are free text.
parse_result form_parser::parse_service() {
    case_fields f;
    if (auto e = read_case_fields(1, f))
        return *e;
    service_delivery s;
    s.case_code = std::string(f.cases[0]);
    bool right_after = false;
    for (const folded_token& w : f.words) {
        if (s.service.empty()) {
            if (const code_def* d = lex_.find_code(table::service, w)) {
                s.service = d->code;
                right_after = true;
            } else if (lex_.is_family_word(w)) {
                s.family = true;
            } else {
                return fail(errc::unknown_service, form_, w.raw, lex_.suggest(table::service, w));
            }
            continue;
        }
        if (lex_.is_family_word(w)) {
            s.family = true;
        } else if (right_after) {
            if (std::string hint = lex_.suggest(table::family, w); !hint.empty())
                return fail(errc::unknown_service, form_, w.raw, std::move(hint));
        }
        right_after = false;
    }
    if (s.service.empty())
        return fail(errc::missing_field, form_, {}, {}, field::service);
    sms_message m;
    m.kind = form::svc;
    m.body = std::move(s);
    return m;
}

// OUT <case> WD|PR|LESS|NO.
parse_result form_parser::parse_outcome() {
    case_fields f;
    if (auto e = read_case_fields(1, f))
        return *e;
    if (f.words.empty())
        return fail(errc::missing_field, form_, {}, {}, field::outcome);
    const code_def* d = lex_.find_code(table::result, f.words[0]);
    if (d == nullptr)
        return fail(errc::bad_outcome, form_, f.words[0].raw, lex_.suggest(table::result, f.words[0]));
    sms_message m;
    m.kind = form::out;
    m.body = outcome_check{std::string(f.cases[0]), d->code};
    return m;
}

// MERGE <case> <into>: both case codes checked; a case cannot be merged into itself.
parse_result form_parser::parse_merger() {
    case_fields f;
    if (auto e = read_case_fields(2, f))
        return *e;
    if (f.cases.size() < 2)
        return fail(errc::missing_field, form_, {}, {}, field::into);
    if (auto e = check_case(f.cases[1]))
        return *e;
    if (f.cases[0] == f.cases[1])
        return fail(errc::same_case, form_, f.cases[1]);
    sms_message m;
    m.kind = form::merge;
    m.body = merger{std::string(f.cases[0]), std::string(f.cases[1])};
    return m;
}

} // namespace kharuul::parser::detail
