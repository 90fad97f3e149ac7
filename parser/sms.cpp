#include "parser/sms.hpp"

#include "parser/sms_support.hpp"
#include "parser/suggest.hpp"
#include "parser/text.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/throw_exception.hpp>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace kharuul::parser {

using detail::fail;
using detail::form_parser;
using detail::token_list;

// ---------------------------------------------------------------------------------------------
// Error category

namespace {

class parse_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "kharuul.parse"; }
    std::string message(int ev) const override { return std::string(error_code_name(static_cast<errc>(ev))); }
};

} // namespace

const boost::system::error_category& parse_category() noexcept {
    static const parse_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), parse_category()};
}

std::string_view error_code_name(errc e) noexcept {
    switch (e) {
    case errc::empty: return "empty";
    case errc::unknown_keyword: return "unknown_keyword";
    case errc::unknown_site: return "unknown_site";
    case errc::missing_field: return "missing_field";
    case errc::bad_children: return "bad_children";
    case errc::too_many_children: return "too_many_children";
    case errc::bad_age: return "bad_age";
    case errc::adult_age: return "adult_age";
    case errc::unknown_work: return "unknown_work";
    case errc::unknown_hazard: return "unknown_hazard";
    case errc::unplaced_number: return "unplaced_number";
    case errc::bad_case: return "bad_case";
    case errc::bad_case_check_digit: return "bad_case";
    case errc::unknown_status: return "unknown_status";
    case errc::unknown_service: return "unknown_service";
    case errc::bad_outcome: return "bad_outcome";
    case errc::unknown_reason: return "unknown_reason";
    case errc::bad_alert: return "bad_alert";
    case errc::note_too_long: return "note_too_long";
    case errc::unknown_risk: return "unknown_risk";
    case errc::bad_target: return "bad_target";
    case errc::unknown_category: return "unknown_category";
    case errc::same_case: return "same_case";
    case errc::conflicting_status: return "conflicting_status";
    }
    return "unknown";
}

std::string_view field_name(field f) noexcept {
    switch (f) {
    case field::none: return "";
    case field::site: return "site";
    case field::children: return "children";
    case field::age: return "age";
    case field::work: return "work";
    case field::case_code: return "case";
    case field::status: return "status";
    case field::service: return "service";
    case field::outcome: return "outcome";
    case field::reason: return "reason";
    case field::alert: return "alert";
    case field::target: return "target";
    case field::into: return "into";
    }
    return "";
}

std::string_view help_list_word(help_list l) noexcept {
    switch (l) {
    case help_list::work: return "WORK";
    case help_list::hazard: return "HAZARD";
    case help_list::status: return "STATUS";
    case help_list::sites: return "SITES";
    }
    return "WORK";
}

void throw_exception_from_error(const parse_error& e, const boost::source_location& loc) {
    boost::throw_exception(boost::system::system_error(make_error_code(e.code)), loc);
}

// ---------------------------------------------------------------------------------------------
// Tokens

namespace {

// Splits the body (the text before '#') into fields. '-' separates like a space but is
// remembered, so that "12-14" and "12 - 14" can be read as a range by the form that wants one.
token_list tokenize(std::string_view body) {
    token_list out;
    std::size_t pos = 0;
    std::size_t start = std::string_view::npos;
    bool dash = false;
    while (pos < body.size()) {
        const std::size_t here = pos;
        const char32_t cp = next_code_point(body, pos);
        const bool is_dash = cp == U'-' || cp == U'\u2013' || cp == U'\u2014';
        if (is_dash || is_separator(cp)) {
            if (start != std::string_view::npos) {
                out.push_back({body.substr(start, here - start), dash});
                start = std::string_view::npos;
                dash = false;
            }
            dash = dash || is_dash;
        } else if (start == std::string_view::npos) {
            start = here;
        }
    }
    if (start != std::string_view::npos)
        out.push_back({body.substr(start), dash});
    return out;
}

std::string_view trim(std::string_view s) {
    std::size_t b = 0;
    std::size_t pos = 0;
    std::size_t last_end = 0;
    bool seen = false;
    while (pos < s.size()) {
        const std::size_t here = pos;
        const char32_t cp = next_code_point(s, pos);
        const bool space = cp == U' ' || cp == U'\t' || cp == U'\r' || cp == U'\n' || cp == U'\v' ||
                           cp == U'\f' || cp == U'\u00A0' || cp == U'\u3000' || (cp >= U'\u2000' && cp <= U'\u200B');
        if (!space) {
            if (!seen)
                b = here;
            seen = true;
            last_end = pos;
        }
    }
    return seen ? s.substr(b, last_end - b) : std::string_view{};
}

std::size_t leading_digits(std::string_view s) {
    std::size_t n = 0;
    while (n < s.size() && s[n] >= '0' && s[n] <= '9')
        ++n;
    return n;
}

bool all_digits(std::string_view s) { return !s.empty() && leading_digits(s) == s.size(); }

// The value of a run of digits, saturating at 9999 (no age or count comes near it).
int small_number(std::string_view digits) {
    int v = 0;
    for (char c : digits) {
        v = v * 10 + (c - '0');
        if (v > 9999)
            return 9999;
    }
    return v;
}

// The token as typed, for the error and the reply that echoes it: bytes that are not UTF-8 become
// '?' (a reply must be valid text; '?' keeps it in the GSM alphabet).
std::string echo_token(std::string_view tok) {
    std::string out;
    out.reserve(tok.size());
    std::size_t pos = 0;
    while (pos < tok.size()) {
        const std::size_t start = pos;
        const char32_t cp = next_code_point(tok, pos);
        if (cp == replacement_char && !(pos - start == 3 && tok.substr(start, 3) == "\xEF\xBF\xBD"))
            out += '?';
        else
            out.append(tok.substr(start, pos - start));
    }
    return out;
}

} // namespace

namespace detail {

parse_error fail(errc code, std::optional<form> f, std::string_view tok, std::string suggestion,
                 field missing) {
    return parse_error{code, f, echo_token(tok), std::move(suggestion), missing, {}};
}

// ---------------------------------------------------------------------------------------------
// The forms

std::optional<parse_error> form_parser::read_site(std::string& site) {
    if (toks_.size() < 2)
        return fail(errc::missing_field, form_, {}, {}, field::site);
    const folded_token ft = fold_token(toks_[1].raw);
    if (const std::string* code = lex_.find_site(ft)) {
        site = *code;
        site_read_ = *code;
        return std::nullopt;
    }
    std::string suggestion = lex_.suggest(table::site, ft);
    if (suggestion.empty() && (form_ == form::id || is_risk()) && looks_like_id_field(ft))
        return fail(errc::missing_field, form_, {}, {}, field::site);
    return fail(errc::unknown_site, form_, ft.raw, std::move(suggestion));
}

bool form_parser::looks_like_id_field(const folded_token& ft) const {
    return leading_digits(ft.code) > 0 || lex_.find_sex(ft) || lex_.find_code(work_table(), ft) ||
           (!is_risk() && lex_.find_code(table::hazard, ft));
}

std::optional<parse_error> form_parser::add_children(sex s, int count, std::string_view raw) {
    const auto si = static_cast<std::size_t>(s);
    if (count <= 0 || sex_seen_[si])
        return fail(errc::bad_children, form_, raw);
    if (count > lex_.lang().max_children || s_.kids.total() + count > lex_.lang().max_children)
        return fail(errc::too_many_children, form_, raw);
    sex_seen_[si] = true;
    kids_seen_ = true;
    (s == sex::boy ? s_.kids.boys : s == sex::girl ? s_.kids.girls : s_.kids.unknown) += count;
    return std::nullopt;
}

std::optional<parse_error> form_parser::set_age(int lo, int hi, std::string_view raw) {
    if (age_seen_)
        return fail(errc::unplaced_number, form_, raw);
    if (hi >= lex_.lang().adult_age || lo >= lex_.lang().adult_age)
        return fail(errc::adult_age, form_, raw);
    const int youngest = is_risk() ? lex_.lang().min_prevention_age : lex_.lang().min_age;
    if (lo < youngest || lo > hi)
        return fail(errc::bad_age, form_, raw);
    age_seen_ = true;
    s_.age_min = lo;
    s_.age_max = hi;
    return std::nullopt;
}

bool form_parser::read_compound_children(const folded_token& ft, std::optional<parse_error>& err) {
    const std::string_view c = ft.code;
    struct group {
        sex s;
        int count;
    };
    boost::container::small_vector<group, 3> groups;
    std::size_t pos = 0;
    while (pos < c.size()) {
        const std::size_t d1 = leading_digits(c.substr(pos));
        const int before = d1 > 0 ? small_number(c.substr(pos, d1)) : -1;
        pos += d1;
        const auto s = lex_.match_sex_prefix(c, pos);
        if (!s)
            return false;
        int count = before;
        if (before < 0) {
            const std::size_t d2 = leading_digits(c.substr(pos));
            count = d2 > 0 ? small_number(c.substr(pos, d2)) : 1;
            pos += d2;
        }
        groups.push_back({*s, count});
    }
    if (groups.empty())
        return false;
    for (const auto& g : groups)
        if (auto e = add_children(g.s, g.count, ft.raw)) {
            err = std::move(e);
            break;
        }
    return true;
}

std::size_t form_parser::read_age(std::size_t i, std::optional<parse_error>& err) {
    // One end of an age: digits with an optional attached unit.
    auto end = [&](std::size_t k, int& value, bool& had_unit) {
        const folded_token ft = fold_token(toks_[k].raw);
        const std::size_t d = leading_digits(ft.code);
        if (d == 0)
            return false;
        const std::string_view rest = std::string_view(ft.code).substr(d);
        if (!rest.empty() && !lex_.is_age_unit_suffix(rest))
            return false;
        value = small_number(std::string_view(ft.code).substr(0, d));
        had_unit = !rest.empty();
        return true;
    };
    int lo = 0;
    bool unit = false;
    if (!end(i, lo, unit))
        return 0;
    std::size_t used = 1;
    int hi = lo;
    if (i + 1 < toks_.size() && toks_[i + 1].dash_before) {
        bool unit2 = false;
        if (end(i + 1, hi, unit2)) {
            used = 2;
            unit = unit || unit2;
        }
    }
    const std::size_t after = i + used;
    if (after < toks_.size() && lex_.find(table::age_unit, fold_token(toks_[after].raw)) >= 0) {
        ++used;
        unit = true;
    }
    (void)unit;
    std::string_view raw = toks_[i].raw;
    if (used > 1) // the whole span as typed, for the error message
        raw = std::string_view(toks_[i].raw.data(),
                               static_cast<std::size_t>(toks_[i + used - 1].raw.data() +
                                                        toks_[i + used - 1].raw.size() - toks_[i].raw.data()));
    err = set_age(lo, hi, raw);
    return used;
}

// ID and RISK share the site, the children and the age; ID then reads one work code and any
// hazards, RISK one risk reason (kept in s_.work until the body is built) and no hazards.
parse_result form_parser::parse_report() {
    if (auto e = read_site(s_.site))
        return *e;
    for (std::size_t i = 2; i < toks_.size();) {
        const folded_token ft = fold_token(toks_[i].raw);
        std::optional<parse_error> err;
        const std::size_t digits = leading_digits(ft.code);

        if (digits > 0 && digits == ft.code.size()) {
            // A bare number: a count right before a bare sex letter, an age when it carries a
            // unit or range or follows the children, otherwise an error (never a guess).
            const bool next_is_sex = i + 1 < toks_.size() && !toks_[i + 1].dash_before &&
                                     lex_.find_sex(fold_token(toks_[i + 1].raw)).has_value();
            const bool ranged = i + 1 < toks_.size() && toks_[i + 1].dash_before &&
                                leading_digits(fold_token(toks_[i + 1].raw).code) > 0;
            const bool unit_next =
                i + 1 < toks_.size() && lex_.find(table::age_unit, fold_token(toks_[i + 1].raw)) >= 0;
            if (next_is_sex && !ranged) {
                const auto s = lex_.find_sex(fold_token(toks_[i + 1].raw));
                if (auto e = add_children(*s, small_number(ft.code), ft.raw))
                    return *e;
                i += 2;
                continue;
            }
            if (ranged || unit_next || kids_seen_) {
                i += read_age(i, err);
                if (err)
                    return *err;
                continue;
            }
            return fail(errc::unplaced_number, form_, ft.raw);
        }
        if (digits > 0) {
            // Digits and letters: an age with its unit, or a children token like 3B or 2B1G.
            if (std::size_t used = read_age(i, err); used > 0) {
                if (err)
                    return *err;
                i += used;
                continue;
            }
            if (read_compound_children(ft, err)) {
                if (err)
                    return *err;
                ++i;
                continue;
            }
            const std::string_view rest = std::string_view(ft.code).substr(digits);
            // A lone letter after digits is most likely a mistyped sex letter ("2Q"); a longer
            // tail close to an age unit a mistyped unit ("12YRZ").
            bool unit_typo = false;
            if (count_code_points(rest) > 1)
                for (const auto& u : lex_.lang().age_units)
                    unit_typo = unit_typo || one_edit_away(rest, fold_code(u));
            return fail(unit_typo ? errc::bad_age : errc::bad_children, form_, ft.raw);
        }
        if (auto s = lex_.find_sex(ft)) {
            if (auto e = add_children(*s, 1, ft.raw))
                return *e;
            ++i;
            continue;
        }
        if (const code_def* w = lex_.find_code(work_table(), ft)) {
            if (!s_.work.empty() && s_.work != w->code)
                return fail(unknown_work_code(), form_, ft.raw);
            s_.work = w->code;
            ++i;
            continue;
        }
        if (const code_def* h = is_risk() ? nullptr : lex_.find_code(table::hazard, ft)) {
            if (std::find(s_.hazards.begin(), s_.hazards.end(), h->code) == s_.hazards.end())
                s_.hazards.push_back(h->code);
            ++i;
            continue;
        }
        if (read_compound_children(ft, err)) {
            if (err)
                return *err;
            ++i;
            continue;
        }
        if (lex_.find(table::age_unit, ft) >= 0) { // a stray unit word: nothing to read in it
            ++i;
            continue;
        }
        if (is_risk()) // no hazards: any other word is a mistyped or unknown reason
            return fail(errc::unknown_risk, form_, ft.raw, lex_.suggest(table::risk_reason, ft));
        // Unknown word: a work code if one is one edit away or the work is still missing.
        std::string work_hint = lex_.suggest(table::work, ft);
        std::string hazard_hint = lex_.suggest(table::hazard, ft);
        if (!work_hint.empty() && hazard_hint.empty())
            return fail(errc::unknown_work, form_, ft.raw, std::move(work_hint));
        if (!hazard_hint.empty() && work_hint.empty())
            return fail(errc::unknown_hazard, form_, ft.raw, std::move(hazard_hint));
        return fail(s_.work.empty() ? errc::unknown_work : errc::unknown_hazard, form_, ft.raw);
    }
    if (!kids_seen_)
        return fail(errc::missing_field, form_, {}, {}, field::children);
    if (!age_seen_)
        return fail(errc::missing_field, form_, {}, {}, field::age);
    if (s_.work.empty())
        return fail(errc::missing_field, form_, {}, {}, is_risk() ? field::reason : field::work);

    sms_message m;
    m.kind = form_;
    if (is_risk()) { // a prevention report: never urgent, never sensitive (cases.md 3)
        m.body = risk_report{std::move(s_.site), s_.kids, s_.age_min, s_.age_max, std::move(s_.work)};
        return m;
    }
    const code_def* w = lex_.code_by_name(table::work, s_.work);
    m.urgent = w != nullptr && w->urgent;
    m.sensitive = w != nullptr && w->sensitive;
    for (const auto& h : s_.hazards)
        if (const code_def* d = lex_.code_by_name(table::hazard, h); d != nullptr && d->urgent)
            m.urgent = true;
    m.body = std::move(s_);
    return m;
}

parse_result form_parser::parse_nil() {
    nil_visit v;
    if (auto e = read_site(v.site))
        return *e;
    sms_message m;
    m.kind = form::nil;
    m.body = std::move(v);
    return m;
}

namespace {

// A positive number of at most `digits` digits, or 0.
std::uint64_t positive_number(std::string_view text, std::size_t digits) {
    if (!all_digits(text) || text.empty() || text.size() > digits)
        return 0;
    std::uint64_t v = 0;
    for (char c : text)
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
}

} // namespace

// ACK 17, INFO 17 [2]: the alert number (in "ACK #17" the '#' was meant as "number", not as a
// note: the note is taken as the number and dropped).
parse_result form_parser::read_alert_number(std::optional<std::string>& note, std::uint64_t& number) {
    std::string_view num;
    if (toks_.size() >= 2) {
        num = toks_[1].raw;
    } else if (note && all_digits(*note)) {
        num = *note;
    }
    if (num.empty())
        return fail(errc::missing_field, form_, {}, {}, field::alert);
    number = positive_number(num, 12);
    if (number == 0)
        return fail(errc::bad_alert, form_, num);
    if (toks_.size() < 2)
        note.reset();
    return sms_message{};
}

parse_result form_parser::parse_ack(std::optional<std::string>& note) {
    std::uint64_t v = 0;
    if (auto r = read_alert_number(note, v); !r)
        return r;
    sms_message m;
    m.kind = form::ack;
    m.body = acknowledgement{v};
    return m;
}

// INFO <alert> [page]: a page that is not a number from 1 is a bad_alert naming the page.
parse_result form_parser::parse_info(std::optional<std::string>& note) {
    alert_info info;
    if (auto r = read_alert_number(note, info.alert); !r)
        return r;
    if (toks_.size() >= 3) {
        const std::uint64_t page = positive_number(toks_[2].raw, 4);
        if (page == 0)
            return fail(errc::bad_alert, form_, toks_[2].raw);
        info.page = static_cast<std::uint32_t>(page);
    }
    sms_message m;
    m.kind = form::info;
    m.body = info;
    return m;
}

parse_result form_parser::parse_help() {
    help_request h;
    if (toks_.size() >= 2) {
        const folded_token topic = fold_token(toks_[1].raw);
        h.topic = lex_.find_keyword(topic);
        if (!h.topic)
            if (const code_def* d = lex_.find_code(table::help_topic, topic))
                for (help_list l : {help_list::work, help_list::hazard, help_list::status, help_list::sites})
                    if (d->code == help_list_word(l))
                        h.list = l;
        // A page number after the list: anything else is ignored, as after any help topic.
        if (h.list && toks_.size() >= 3 && all_digits(toks_[2].raw) && toks_[2].raw.size() <= 3)
            h.page = std::max(1, small_number(toks_[2].raw));
    }
    sms_message m;
    m.kind = form::help;
    m.body = h;
    return m;
}

} // namespace detail

parse_result parse_sms(std::string_view text, const lexicon& lex) {
    const std::size_t hash = text.find('#');
    const std::string_view body = text.substr(0, hash);
    std::optional<std::string> note;
    if (hash != std::string_view::npos) {
        const std::string_view n = trim(text.substr(hash + 1));
        if (!n.empty())
            note.emplace(echo_token(n)); // valid UTF-8 for replies and JSON; the raw text is kept whole
    }
    const token_list toks = tokenize(body);
    if (toks.empty())
        return fail(errc::empty, std::nullopt);

    const folded_token kw = fold_token(toks[0].raw);
    const std::optional<form> f = lex.find_keyword(kw);
    if (!f)
        return fail(errc::unknown_keyword, std::nullopt, kw.raw, lex.suggest(table::keyword, kw));
    if (note && count_code_points(*note) > lex.lang().max_note)
        return fail(errc::note_too_long, f);

    form_parser p(lex, *f, toks);
    parse_result r = [&]() -> parse_result {
        switch (*f) {
        case form::id: return p.parse_report();
        case form::nil: return p.parse_nil();
        case form::risk: return p.parse_report();
        case form::tr: return p.parse_tracking();
        case form::ref: return p.parse_case_form(table::service, field::service, errc::unknown_service);
        case form::svc: return p.parse_service();
        case form::ver: return p.parse_verification();
        case form::plan: return p.parse_assessment();
        case form::out: return p.parse_outcome();
        case form::merge: return p.parse_merger();
        case form::close: return p.parse_case_form(table::reason, field::reason, errc::unknown_reason);
        case form::ack: return p.parse_ack(note);
        case form::help: return p.parse_help();
        case form::info: return p.parse_info(note);
        }
        return fail(errc::unknown_keyword, std::nullopt, kw.raw);
    }();
    if (r)
        r->note = std::move(note);
    else if (!p.site_read().empty()) {
        parse_error e = r.error();
        e.site = p.site_read();
        return e;
    }
    return r;
}

std::optional<std::string> site_named(const parse_result& parsed) {
    if (parsed) {
        if (const auto* s = std::get_if<sighting>(&parsed->body))
            return s->site;
        if (const auto* n = std::get_if<nil_visit>(&parsed->body))
            return n->site;
        if (const auto* r = std::get_if<risk_report>(&parsed->body))
            return r->site;
        return std::nullopt;
    }
    const parse_error& e = parsed.error();
    if (!e.site.empty())
        return e.site;
    if (e.code == errc::unknown_site && !e.suggestion.empty())
        return e.suggestion;
    return std::nullopt;
}

} // namespace kharuul::parser
