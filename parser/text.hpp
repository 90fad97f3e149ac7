// Unicode text helpers for the field language: UTF-8 decoding, case folding in the Latin and
// Cyrillic scripts, the Mongolian Ө/Ү normalisation and the Cyrillic-to-Latin look-alike folding
// used when a typed token is matched against a code. Pure functions, no allocation beyond the
// returned strings; they never throw on bad input (invalid UTF-8 decodes as U+FFFD).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kharuul::parser {

inline constexpr char32_t replacement_char = 0xFFFD;

// Decodes the code point starting at `pos` and advances `pos` past it. Invalid or truncated
// sequences yield U+FFFD and advance by one byte, so a loop over a string always terminates.
char32_t next_code_point(std::string_view text, std::size_t& pos) noexcept;

// Appends the UTF-8 encoding of `cp` to `out` (U+FFFD for surrogates and values past U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

// Number of code points in `text` (invalid bytes count as one each).
std::size_t count_code_points(std::string_view text) noexcept;

// Upper-cases Latin a-z and the Cyrillic letters used in Russian and Mongolian (incl. Ё, Ө, Ү);
// every other code point is returned unchanged.
char32_t to_upper(char32_t cp) noexcept;

// Mongolian normalisation of an upper-case letter: Ө -> О and Ү -> У, because volunteers often
// type the Russian letter for the Mongolian one. Everything else unchanged.
char32_t normalise_mongolian(char32_t cp) noexcept;

// Maps an upper-case Cyrillic letter that looks like a Latin capital to that Latin capital
// (А->A, В->B, Е->E, Ё->E, К->K, М->M, Н->H, О->O, Ө->O, Р->P, С->C, Т->T, У->Y, Ү->Y, Х->X, ...).
char32_t fold_lookalike(char32_t cp) noexcept;

// A word as matched against aliases: upper case, Ө/Ү normalised, UTF-8.
std::string fold_word(std::string_view text);

// A code as matched against registry codes: fold_word, then look-alike folded to Latin.
std::string fold_code(std::string_view text);

// True for the code points that separate fields: spaces, tabs, line breaks, NBSP and the
// characters , ; . : / * + _  ('-' and '#' are handled by the tokenizer, not here).
bool is_separator(char32_t cp) noexcept;

} // namespace kharuul::parser
