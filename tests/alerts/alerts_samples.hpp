// What the alerts tests share: the shipped language with the demo's site codes, and a time
// origin for simulated clocks.
#pragma once

#include "alerts/timestamp.hpp"
#include "parser/lexicon.hpp"

#include <chrono>

namespace kharuul::testing {

inline const parser::lexicon& alerts_lexicon() {
    static const parser::lexicon lex(parser::default_language(), {"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"});
    return lex;
}

// 2026-11-25 00:00 UTC.
inline alerts::timestamp day_zero() {
    using namespace std::chrono;
    return time_point_cast<milliseconds>(sys_days{year{2026} / November / 25});
}

} // namespace kharuul::testing
