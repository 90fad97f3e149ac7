// The language compiled for matching: every keyword, alias and code folded once into lookup
// tables, plus the registry's site codes. A token is matched first as a word in its own script
// (case folded, Ө/Ү normalised); then as a code, in two readings: with Cyrillic look-alikes folded
// to Latin by their shape (`АLТ` -> `ALT`), and transliterated by MNS 5217 (`нлк` -> `NLK`,
// parser/translit.hpp). A spelling shared by two entries of one table matches neither, and so does
// a token whose two readings name two different entries (no guessing). Sex letters and age units
// are letters, not codes: they have no transliterated reading (`У` stays the age unit `Y`).
// Immutable after construction and safe to share between threads; rebuilt on reload.
#pragma once

#include "parser/language.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::parser {

// A token as typed and its folded spellings, computed once and matched against every table.
struct folded_token {
    std::string_view raw;
    std::string word;  // upper case, Ө/Ү normalised
    std::string code;  // word with Cyrillic look-alikes folded to Latin
    std::string latin; // the text as typed, transliterated (MNS 5217) to Latin capitals
};

folded_token fold_token(std::string_view raw);

// The tables a token can be looked up in. work..help_topic are code tables (lang().work ...
// lang().results, lang().help_topics); family holds lang().family_words, words without a code_def
// like age_unit.
enum class table : std::uint8_t {
    keyword,
    sex,
    age_unit,
    site,
    work,
    hazard,
    status,         // TR
    service,        // REF, SVC
    reason,         // CLOSE
    outcome,        // VER: OK, NO
    risk_reason,    // RISK
    dismiss_reason, // VER NO
    target,         // PLAN: W, P
    category,       // PLAN
    result,         // OUT: WD, PR, LESS, NO
    family,         // SVC ... FAM
    help_topic,     // HELP WORK, HAZARD, STATUS, SITES
};
inline constexpr std::size_t table_count = 17;

class lexicon {
public:
    lexicon(language lang, std::vector<std::string> site_codes);
    ~lexicon();
    lexicon(lexicon&&) noexcept;
    lexicon& operator=(lexicon&&) noexcept;

    const language& lang() const noexcept;
    const std::vector<std::string>& site_codes() const noexcept; // canonical, in registry order

    // The index of the entry of `t` that the token names, or -1. Indices refer to
    // lang().keywords, lang().sexes, lang().age_units, site_codes(), lang().work ... in order.
    int find(table t, const folded_token& tok) const noexcept;

    std::optional<form> find_keyword(const folded_token& tok) const noexcept;
    std::optional<sex> find_sex(const folded_token& tok) const noexcept;
    const std::string* find_site(const folded_token& tok) const noexcept;
    const code_def* find_code(table t, const folded_token& tok) const noexcept; // work..help_topic
    // True when the token is one of lang().family_words (SVC ... FAM).
    bool is_family_word(const folded_token& tok) const noexcept;

    // The entries of a code table (work .. help_topic); empty for the other tables.
    const std::vector<code_def>& codes(table t) const noexcept;
    // The code_def with canonical code `c` in table `t`, or nullptr.
    const code_def* code_by_name(table t, std::string_view c) const noexcept;

    // The keyword_def of a form (the configured keyword shown in replies).
    const keyword_def& keyword(form f) const noexcept;

    // "Did you mean": the canonical code (the configured keyword for table::keyword, the first
    // family word for table::family) of the one entry of `t` one edit away from the token, or ""
    // when none or several are. An entry is as far as the closest of the token's readings from any
    // of its spellings: `БРИК` (read BRIK) is one edit from BRICK, `тосго` one from its alias тоосго.
    std::string suggest(table t, const folded_token& tok) const;

    // The sex letter that is the longest prefix of `code_folded` at `pos`, advancing pos past
    // it; used for compound tokens such as "2B1G" and "2ХҮҮ".
    std::optional<sex> match_sex_prefix(std::string_view code_folded, std::size_t& pos) const noexcept;
    // True when `code_folded` (the rest of a token after its digits) is an age unit.
    bool is_age_unit_suffix(std::string_view code_folded) const noexcept;

private:
    struct tables;
    std::unique_ptr<tables> t_;
};

} // namespace kharuul::parser
