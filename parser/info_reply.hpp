// The reply to INFO <alert> [page] (spec sms-language.md 2): a page of the alert's case codes that
// did not fit its text, as many as fit one reply, and how to ask for the next page. In Latin
// letters and digits in both languages (what a page holds is codes and the keyword), so that a
// page holds 160 GSM-7 characters rather than 70 UCS-2. Pure: the gateway supplies the codes.
#pragma once

#include "parser/lexicon.hpp"
#include "parser/reply.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace kharuul::parser {

struct info_answer {
    std::string reply;
    bool found = true;    // false: no such page (the reply says how many there are)
    std::uint32_t pages = 1; // how many pages the codes take
};

// `remaining`: the alert's case codes that its text did not show, in order; `all`: every case
// code of the alert (named when none remain). Pages are filled greedily, in order, e.g.
//   Alert #17 cases, page 1/2: 100017 100025 ... 100154. 12 more: INFO 17 2
//   Alert #17 cases, page 2/2: 100162 ... 100250.
//   Alert #17 cases: 100017 100025.
//   Alert #17: all its cases are in the alert: 204812 204820.
//   #17 1/2: 100017 ... 100154. +12: INFO 17 2       (Mongolian, still Latin: 160 characters)
// "INFO" is the deployment's keyword for the form. Every reply fits one segment.
info_answer info_reply(std::uint64_t alert, std::uint32_t page, const std::vector<std::string>& remaining,
                       const std::vector<std::string>& all, const lexicon& lex, reply_language l);

} // namespace kharuul::parser
