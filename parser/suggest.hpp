// "Did you mean": edit distance between codes, counted in code points, with substitution,
// insertion, deletion and transposition of neighbours each one edit (optimal string alignment).
// Used for site codes, keywords, work and hazard codes and case codes. Pure.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace kharuul::parser {

// The optimal-string-alignment distance between two UTF-8 strings, compared code point by code
// point, stopping early: any distance above `cap` is reported as cap + 1.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap = 2);

// True when a and b differ by exactly one edit.
bool one_edit_away(std::string_view a, std::string_view b);

// The one candidate in `candidates` that is exactly one edit from `typed`; empty when none or
// several are (a guess between two codes is not offered).
std::string unique_one_edit(std::string_view typed, std::span<const std::string> candidates);

} // namespace kharuul::parser
