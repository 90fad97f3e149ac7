// The lexicon the parser tests share: the shipped default language and the demo's site codes.
#pragma once

#include "parser/lexicon.hpp"

namespace kharuul::testing {

inline const parser::lexicon& demo_lexicon() {
    static const parser::lexicon lex(parser::default_language(), {"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"});
    return lex;
}

} // namespace kharuul::testing
