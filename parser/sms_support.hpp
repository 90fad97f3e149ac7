// Internal to parser/: what parser/sms.cpp and parser/case_forms.cpp share: the tokens of a message
// body, fail() and form_parser, whose ID, NIL, RISK, ACK, INFO and HELP forms sms.cpp reads and whose case
// forms (TR, REF, SVC, VER, PLAN, OUT, MERGE, CLOSE) case_forms.cpp reads. Not part of the parser's
// interface; other folders include parser/sms.hpp.
#pragma once

#include "parser/language.hpp"
#include "parser/lexicon.hpp"
#include "parser/sms.hpp"

#include <boost/container/small_vector.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kharuul::parser::detail {

struct token {
    std::string_view raw;
    bool dash_before = false; // a '-' stood between this token and the previous one
};

using token_list = boost::container::small_vector<token, 16>;

// The error `code` of form `f` (nullopt: before the keyword is known), echoing the token as typed
// with bytes that are not UTF-8 as '?'. Defined in parser/sms.cpp.
parse_error fail(errc code, std::optional<form> f, std::string_view tok = {}, std::string suggestion = {},
                 field missing = field::none);

// The fields of a case form: its case numbers (digit-led tokens) and its words (codes), each in
// the order typed; the two may interleave ("TR NFE 204812").
struct case_fields {
    boost::container::small_vector<std::string_view, 2> cases;
    boost::container::small_vector<folded_token, 4> words;
};

class form_parser {
public:
    form_parser(const lexicon& lex, form f, const token_list& tokens) : lex_(lex), form_(f), toks_(tokens) {}

    parse_result parse_report(); // ID and RISK
    parse_result parse_nil();
    parse_result parse_case_form(table t, field code_field, errc unknown); // REF, CLOSE
    parse_result parse_tracking();
    parse_result parse_verification();
    parse_result parse_assessment();
    parse_result parse_service();
    parse_result parse_outcome();
    parse_result parse_merger();
    parse_result parse_ack(std::optional<std::string>& note);
    parse_result parse_info(std::optional<std::string>& note);
    // ACK and INFO: the alert number into `number`; an error, or an empty message when read.
    parse_result read_alert_number(std::optional<std::string>& note, std::uint64_t& number);
    parse_result parse_help();
    // The site read at token 1 (read_site), or empty: parse_error::site when a later field fails.
    const std::string& site_read() const noexcept { return site_read_; }

private:
    // Splits tokens 1.. into case numbers and words. Up to `wanted` numbers are case numbers; one
    // more before any word is unplaced_number (a number where a code belongs); after a word,
    // further numbers are free text and ignored. Then the first case number is checked (missing:
    // missing_field case). The result is empty on success.
    std::optional<parse_error> read_case_fields(std::size_t wanted, case_fields& out) const;
    std::optional<parse_error> check_case(std::string_view tok) const;
    // RISK reads a reason where ID reads work, and no hazards.
    bool is_risk() const noexcept { return form_ == form::risk; }
    table work_table() const noexcept { return is_risk() ? table::risk_reason : table::work; }
    errc unknown_work_code() const noexcept { return is_risk() ? errc::unknown_risk : errc::unknown_work; }

    // Reads the site at token 1; on failure returns the error.
    std::optional<parse_error> read_site(std::string& site);
    bool looks_like_id_field(const folded_token& ft) const;
    std::optional<parse_error> add_children(sex s, int count, std::string_view raw);
    std::optional<parse_error> set_age(int lo, int hi, std::string_view raw);
    // "2B1G", "B3", "2ХҮҮ": false when the token is not a children token at all.
    bool read_compound_children(const folded_token& ft, std::optional<parse_error>& err);
    // An age starting at token i (a number or number+unit, maybe a range, maybe a unit token
    // after); returns how many tokens it took, or 0 when token i is not an age.
    std::size_t read_age(std::size_t i, std::optional<parse_error>& err);

    const lexicon& lex_;
    form form_;
    const token_list& toks_;
    sighting s_;
    std::string site_read_;
    bool kids_seen_ = false;
    bool age_seen_ = false;
    std::array<bool, 3> sex_seen_{};
};

} // namespace kharuul::parser::detail
