// The language compiled for matching: every keyword, alias and code folded once into lookup
// tables, plus the registry's site codes. A token is matched first as a word in its own script
// (case folded, Ө/Ү normalised), then as a code with Cyrillic look-alikes folded to Latin.
// Immutable after construction and safe to share between threads; rebuilt on reload.
#pragma once

#include "parser/language.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::parser {

class lexicon {
public:
    lexicon(language lang, std::vector<std::string> site_codes);
    ~lexicon();
    lexicon(lexicon&&) noexcept;
    lexicon& operator=(lexicon&&) noexcept;

    const language& lang() const noexcept;
    const std::vector<std::string>& site_codes() const noexcept; // canonical, sorted

    // Each lookup takes a token as typed and returns the canonical entry, or nothing.
    std::optional<form> find_keyword(std::string_view token) const;
    std::optional<sex> find_sex(std::string_view token) const;
    bool is_age_unit(std::string_view token) const;
    const std::string* find_site(std::string_view token) const;
    const code_def* find_work(std::string_view token) const;
    const code_def* find_hazard(std::string_view token) const;
    const code_def* find_status(std::string_view token) const;
    const code_def* find_service(std::string_view token) const;
    const code_def* find_reason(std::string_view token) const;
    const code_def* find_outcome(std::string_view token) const;

    // The keyword_def of a form (the configured keyword shown in replies).
    const keyword_def& keyword(form f) const;

    // "Did you mean": the one canonical code one edit away from the (folded) token, or "".
    std::string suggest_site(std::string_view token) const;
    std::string suggest_keyword(std::string_view token) const; // returns the configured keyword
    std::string suggest_work(std::string_view token) const;
    std::string suggest_hazard(std::string_view token) const;
    std::string suggest_status(std::string_view token) const;
    std::string suggest_service(std::string_view token) const;
    std::string suggest_reason(std::string_view token) const;

    // Sex letters matched as a prefix of an already code-folded token at `pos`: the longest
    // letter that matches, advancing pos. Used for tokens like "2B1G" and "2ХУУ".
    std::optional<sex> match_sex_prefix(std::string_view folded, std::size_t& pos) const;
    // Age unit matched as the whole rest of an already folded token.
    bool is_folded_age_unit(std::string_view folded_rest) const;

private:
    struct tables;
    std::unique_ptr<tables> t_;
};

} // namespace kharuul::parser
