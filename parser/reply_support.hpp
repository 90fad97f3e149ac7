// Internal to parser/: the wording helpers that parser/reply.cpp and parser/refusal_reply.cpp share
// (the reply language test, fitting candidates into one SMS segment, code labels and code lists, the
// words for PLAN targets and OUT results). Not part of the parser's interface; other folders include
// parser/reply.hpp.
#pragma once

#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "parser/segment.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kharuul::parser::detail {

inline bool mn(reply_language l) {
    return l == reply_language::mn;
}

// Tries replies from richest to leanest, each built only when the one before did not fit (the
// arguments of `f.offer(a) || f.offer(b)` are evaluated in order and stop at the first fit).
class fitter {
public:
    bool offer(std::string candidate) {
        last_ = std::move(candidate);
        done_ = fits_one_segment(last_);
        return done_;
    }
    // The candidate that fitted, or the last one shortened.
    std::string result() && { return done_ ? std::move(last_) : shorten_to_segment(last_); }

private:
    std::string last_;
    bool done_ = false;
};

// The first candidate that fits one segment; the last one shortened when none does. For
// candidates that are cheap to build all at once.
std::string first_fit(std::initializer_list<std::string_view> candidates);

const std::string& label(const code_def& d, reply_language l);

const std::string& label_of(const lexicon& lex, table t, const std::string& code, reply_language l);

// The tables of the case life cycle forms (RISK reasons, VER NO reasons, PLAN targets and
// categories, OUT results), read from the language itself: the same vectors the lexicon's
// tables of those names hold.
const std::string& label_in(const std::vector<code_def>& defs, const std::string& code, reply_language l);

inline const std::string& kw(const lexicon& lex, form f) {
    return lex.keyword(f).keyword;
}

std::string joined_codes(const std::vector<code_def>& defs, std::string_view sep = " ");

std::string code_list(const lexicon& lex, table t, std::string_view sep = " ");

// A code list of the language, or the spec's default when a deployment's table is empty.
std::string codes_or(const std::vector<code_def>& defs, std::string_view fallback, std::string_view sep);

std::string targets_alt(const lexicon& lex);
std::string results_alt(const lexicon& lex);
std::string family_word(const lexicon& lex);

// OUT's result as a phrase: what the team verified.
std::string result_phrase(const std::string& result, reply_language l);

// A case's target as a word: W withdrawal, P prevention (the targets table's label when it has one).
std::string target_word(const lexicon& lex, const std::string& code, reply_language l);

} // namespace kharuul::parser::detail
