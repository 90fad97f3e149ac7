// The Latin reading of a token: Mongolian Cyrillic transliterated to Latin capitals by the national
// standard MNS 5217:2012, so that a code typed wholly in Cyrillic (`нлк`, `пан`) matches its Latin
// spelling (`NLK`, `PAN`). It is a second reading beside the look-alike folding of parser/text.hpp,
// which reads the same letters by their shape (`нлк` -> `HЛK`); parser/lexicon.hpp matches both.
// Pure, never throws (invalid UTF-8 reads as U+FFFD, which stays as it is).
#pragma once

#include <string>
#include <string_view>

namespace kharuul::parser {

// The Latin capitals MNS 5217:2012 gives an upper-case Cyrillic letter, or an empty view when the
// letter has none (a code point that is not Mongolian or Russian Cyrillic). The standard's table,
// with the two letters it writes with a diaeresis written without (codes are ASCII):
//
//   А A    Б B    В V    Г G    Д D    Е YE   Ё YO   Ж J    З Z    И I    Й I
//   К K    Л L    М M    Н N    О O    Ө O(Ö) П P    Р R    С S    Т T    У U
//   Ү U(Ü) Ф F    Х KH   Ц TS   Ч CH   Ш SH   Щ SH   Ъ I    Ы Y    Ь I    Э E
//   Ю YU   Я YA
//
// Щ, Ъ and Ь are as the standard has them (SH, I, I), not as in the Russian systems (SHCH and
// nothing), which the standard replaced for Mongolian.
std::string_view mns_latin(char32_t upper) noexcept;

// The whole text upper-cased and read in Latin: Cyrillic letters by mns_latin, the Latin letters
// Ö and Ü (typed by someone writing the standard's Latin) as O and U, ASCII upper-cased, every other
// code point unchanged. "нлк" -> "NLK", "тоосго" -> "TOOSGO", "хүү" -> "KHUU", "ALT" -> "ALT".
std::string transliterate(std::string_view text);

} // namespace kharuul::parser
