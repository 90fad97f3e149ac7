// libFuzzer target for the SMS parser: arbitrary bytes go through parse_sms with the demo lexicon
// and then through the reply every sender would get, in both reply languages. The oracle aborts
// when a reply exceeds one SMS segment, is not valid UTF-8, or when a parsed message breaks a
// contract stated in parser/sms.hpp (ages, child counts, case codes, note length). The same file
// is linked without libFuzzer into a replay test (replay_main.cpp) that ctest runs over the corpus.
#include "parser/case_code.hpp"
#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "parser/segment.hpp"
#include "parser/sms.hpp"
#include "parser/text.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace {

using namespace kharuul::parser;

const lexicon& demo_lexicon() {
    static const lexicon lex(default_language(), {"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"});
    return lex;
}

// Prints what broke and the input as an escaped C string, then aborts so that libFuzzer (or the
// replay test) records the input as a crash.
[[noreturn]] void fail(const char* what, std::string_view input, std::string_view detail) {
    std::fprintf(stderr, "fuzz_parser: %s\n  input: \"", what);
    for (unsigned char c : input)
        std::fprintf(stderr, (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? "%c" : "\\x%02x", c);
    std::fprintf(stderr, "\"\n  detail: \"");
    for (unsigned char c : detail)
        std::fprintf(stderr, (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? "%c" : "\\x%02x", c);
    std::fprintf(stderr, "\"\n");
    std::abort();
}

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing past U+10FFFF. Written here
// rather than taken from parser/text.hpp so that the oracle does not share the parser's decoder.
bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        if (b0 < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xbf; // allowed range of the second byte
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            len = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            len = 3;
            if (b0 == 0xe0)
                lo = 0xa0; // overlong
            if (b0 == 0xed)
                hi = 0x9f; // surrogates
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            len = 4;
            if (b0 == 0xf0)
                lo = 0x90; // overlong
            if (b0 == 0xf4)
                hi = 0x8f; // past U+10FFFF
        } else {
            return false;
        }
        if (i + len > s.size())
            return false;
        const auto b1 = static_cast<unsigned char>(s[i + 1]);
        if (b1 < lo || b1 > hi)
            return false;
        for (std::size_t k = 2; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
                return false;
        i += len;
    }
    return true;
}

// Decoding with the parser's own decoder and encoding again gives the same bytes.
bool reencodes_to_itself(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t pos = 0; pos < s.size();)
        append_utf8(out, next_code_point(s, pos));
    return out == s;
}

bool is_case_code(const std::string& c) {
    return (c.size() == 6 || c.size() == 7) && std::all_of(c.begin(), c.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
           check_case_code(c) == case_code_check::valid;
}

bool is_trimmed(std::string_view s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    return s.empty() || (!space(s.front()) && !space(s.back()));
}

// The contracts of sms_message as parser/sms.hpp and spec/sms-language.md state them.
void check_message(const sms_message& m, const lexicon& lex, std::string_view input) {
    const language& lang = lex.lang();
    if (m.note) {
        if (count_code_points(*m.note) > lang.max_note)
            fail("note longer than max_note accepted", input, *m.note);
        if (!is_trimmed(*m.note))
            fail("note not trimmed", input, *m.note);
    }
    const auto& sites = lex.site_codes();
    auto known_site = [&](const std::string& s) { return std::find(sites.begin(), sites.end(), s) != sites.end(); };
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, sighting>) {
                if (m.kind != form::id)
                    fail("sighting body under another form", input, "");
                if (!known_site(b.site))
                    fail("sighting at a site not in the registry", input, b.site);
                const int total = b.kids.total();
                if (b.kids.boys < 0 || b.kids.girls < 0 || b.kids.unknown < 0 || total < 1 ||
                    total > lang.max_children)
                    fail("children count out of range", input, std::to_string(total));
                if (b.age_min < lang.min_age || b.age_max >= lang.adult_age || b.age_min > b.age_max)
                    fail("age out of range", input, std::to_string(b.age_min) + "-" + std::to_string(b.age_max));
                if (lex.code_by_name(table::work, b.work) == nullptr)
                    fail("work is not a canonical work code", input, b.work);
                for (std::size_t i = 0; i < b.hazards.size(); ++i) {
                    if (lex.code_by_name(table::hazard, b.hazards[i]) == nullptr)
                        fail("hazard is not a canonical hazard code", input, b.hazards[i]);
                    if (std::find(b.hazards.begin(), b.hazards.begin() + static_cast<std::ptrdiff_t>(i),
                                  b.hazards[i]) != b.hazards.begin() + static_cast<std::ptrdiff_t>(i))
                        fail("hazard repeated", input, b.hazards[i]);
                }
            } else if constexpr (std::is_same_v<T, nil_visit>) {
                if (!known_site(b.site))
                    fail("NIL at a site not in the registry", input, b.site);
            } else if constexpr (std::is_same_v<T, risk_report>) {
                if (m.kind != form::risk || m.urgent || m.sensitive)
                    fail("risk report under another form, or urgent", input, "");
                if (!known_site(b.site))
                    fail("RISK at a site not in the registry", input, b.site);
                const int total = b.kids.total();
                if (total < 1 || total > lang.max_children)
                    fail("RISK children count out of range", input, std::to_string(total));
                if (b.age_min < lang.min_prevention_age || b.age_max >= lang.adult_age ||
                    b.age_min > b.age_max)
                    fail("RISK age out of range", input,
                         std::to_string(b.age_min) + "-" + std::to_string(b.age_max));
                if (lex.code_by_name(table::risk_reason, b.reason) == nullptr)
                    fail("RISK reason not canonical", input, b.reason);
            } else if constexpr (std::is_same_v<T, tracking>) {
                if (!is_case_code(b.case_code))
                    fail("TR case code not valid", input, b.case_code);
                if (lex.code_by_name(table::status, b.status) == nullptr)
                    fail("TR status not canonical", input, b.status);
                if (b.codes.empty() || b.codes.size() > 2 || b.codes.front() != b.status)
                    fail("TR codes are not one or two starting with the status", input, b.status);
                const std::size_t placed = (b.school ? 1u : 0u) + (b.work ? 1u : 0u);
                if (b.codes.size() == 2 && placed != 2)
                    fail("TR with two codes that are not one school and one work code", input, b.status);
                if (b.school && lex.code_by_name(table::status, *b.school)->group != "school")
                    fail("TR school code not of the school group", input, *b.school);
                if (b.work && lex.code_by_name(table::status, *b.work)->group != "work")
                    fail("TR work code not of the work group", input, *b.work);
            } else if constexpr (std::is_same_v<T, referral>) {
                if (!is_case_code(b.case_code))
                    fail("REF case code not valid", input, b.case_code);
                if (lex.code_by_name(table::service, b.service) == nullptr)
                    fail("REF service not canonical", input, b.service);
            } else if constexpr (std::is_same_v<T, verification>) {
                if (!is_case_code(b.case_code))
                    fail("VER case code not valid", input, b.case_code);
                if (b.confirmed != b.reason.empty() ||
                    (!b.confirmed && lex.code_by_name(table::dismiss_reason, b.reason) == nullptr))
                    fail("VER NO without a canonical reason, or OK with one", input, b.reason);
            } else if constexpr (std::is_same_v<T, service_delivery>) {
                if (!is_case_code(b.case_code))
                    fail("SVC case code not valid", input, b.case_code);
                if (lex.code_by_name(table::service, b.service) == nullptr)
                    fail("SVC service not canonical", input, b.service);
            } else if constexpr (std::is_same_v<T, assessment>) {
                if (!is_case_code(b.case_code))
                    fail("PLAN case code not valid", input, b.case_code);
                if (b.target != 'W' && b.target != 'P')
                    fail("PLAN target not W or P", input, std::string(1, b.target));
                if (!b.category.empty() && lex.code_by_name(table::category, b.category) == nullptr)
                    fail("PLAN category not canonical", input, b.category);
            } else if constexpr (std::is_same_v<T, outcome_check>) {
                if (!is_case_code(b.case_code))
                    fail("OUT case code not valid", input, b.case_code);
                if (lex.code_by_name(table::result, b.result) == nullptr)
                    fail("OUT result not canonical", input, b.result);
            } else if constexpr (std::is_same_v<T, merger>) {
                if (!is_case_code(b.case_code) || !is_case_code(b.into))
                    fail("MERGE case code not valid", input, b.case_code + " " + b.into);
                if (b.case_code == b.into)
                    fail("MERGE of a case into itself accepted", input, b.into);
            } else if constexpr (std::is_same_v<T, closure>) {
                if (!is_case_code(b.case_code))
                    fail("CLOSE case code not valid", input, b.case_code);
                if (lex.code_by_name(table::reason, b.reason) == nullptr)
                    fail("CLOSE reason not canonical", input, b.reason);
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                if (b.alert == 0)
                    fail("ACK of alert 0 accepted", input, "");
            }
        },
        m.body);
}

// KHARUUL_FUZZ_VALID_INPUT_ONLY=1 checks replies for valid UTF-8 only when the input was valid
// UTF-8: a way to keep fuzzing for other problems while an echo of bad input is a known finding.
bool utf8_checked_for(std::string_view input) {
    static const bool valid_input_only = [] {
        const char* v = std::getenv("KHARUUL_FUZZ_VALID_INPUT_ONLY");
        return v != nullptr && std::string_view(v) == "1";
    }();
    return !valid_input_only || is_valid_utf8(input);
}

void check_reply(const std::string& reply, std::string_view input, const char* which) {
    if (reply.empty())
        fail(which, input, "empty reply");
    if (utf8_checked_for(input)) {
        if (!is_valid_utf8(reply))
            fail("reply is not valid UTF-8", input, reply);
        if (!reencodes_to_itself(reply))
            fail("reply does not re-encode to itself", input, reply);
    }
    if (!fits_one_segment(reply))
        fail("reply does not fit one SMS segment", input, reply);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const lexicon& lex = demo_lexicon();
    const parse_result r = parse_sms(input, lex);
    if (r)
        check_message(*r, lex, input);
    for (const reply_language l : {reply_language::en, reply_language::mn}) {
        if (r) {
            check_reply(confirmation_reply(*r, placeholder_receipt(*r), lex, l), input, "confirmation_reply");
        } else {
            check_reply(error_reply(r.error(), lex, l), input, "error_reply");
            if (r.error().kind)
                check_reply(help_reply(r.error().kind, lex, l), input, "help_reply");
        }
    }
    return 0;
}
