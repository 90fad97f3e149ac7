// Throughput of the SMS parser over a realistic mix of messages: about 60% valid (ID, TR, NIL,
// ACK) and 40% with the mistakes volunteers make, in Latin and Cyrillic, taken from the samples of
// tests/parser/test_sms.cpp. The corpus is built once and walked round robin. Measured in the same
// run: the parser alone, parse + reply (what the gateway does per message), and a floor that any
// parser pays (copy the text, split it on ASCII whitespace), so that bench/run can print the ratio.
// Each benchmark also reports heap allocations per iteration (message) and the process's peak RSS.
#include "parser/case_code.hpp"
#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "parser/sms.hpp"

#include <benchmark/benchmark.h>
#include <boost/container/small_vector.hpp>

#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <vector>

// Counts heap allocations of this thread, so that a benchmark can report allocations per message.
// Single-threaded benchmarks only; thread_local keeps the count free of atomics.
namespace {
thread_local std::size_t allocations = 0;
}

// noinline: once inlined, g++ 12 pairs malloc() and free() with the callers' new and delete and
// warns (-Wmismatched-new-delete).
[[gnu::noinline]] void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n))
        return p;
    throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace kharuul::parser;

const lexicon& demo_lexicon() {
    static const lexicon lex(default_language(), {"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"});
    return lex;
}

// 30 valid messages and 20 invalid ones, in the proportions of forms the field sends most.
const char* const corpus_texts[] = {
    // valid ID: spellings, scripts, orders, hazards, notes
    "ID ALT 2B 12 MINE SHAFT",
    "id alt 2 b 12y mine shaft",
    "ID,ALT,B,13,PAN # near the eastern pit",
    "ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD",
    "ID DKH 1G 14 TRADE",
    "ID ULT 2B1G 10-12 PAN MERC",
    "FOUND ALT 2B 12 MINE",
    "ид alt 2b 12 mine",
    "ID АLТ 2В 12 МINЕ",
    "ID ULT 2хүү1охин 12 PAN",
    "ID ALT 3 ХҮҮ 2 ОХИН 11-13 нас MINE",
    "ID ALT SHAFT 12YO 2B MINE",
    "ID NLK 2B 13 BRICK NIGHT",
    "ID DKH G 15 SEX",
    "ID ULT B 15 OTHER # sorting stones",
    // valid TR
    "TR 204812 NFE",
    "tr 204812 work # at the market again",
    "ТR 204812 NFЕ",
    "TRACK 204812 SCH",
    "TR NFE 204812",
    "TR 204812 MOVED # to Arvaikheer",
    // valid NIL
    "NIL ALT",
    "nil ult # nobody at the pit today",
    "NIL ULТ",
    "NIL TSD",
    "NIL DKH # two trucks, one new shaft",
    // valid ACK
    "ACK 17",
    "ok 17",
    "ACK #17",
    "ack 3",
    // invalid: the first problem is named in the reply
    "ID ALX 2B 12 MINE",
    "ID ALT 2B MINE",
    "ID ALT B 16-18 MINE",
    "ID ALT 15B6G 12 MINE",
    "ID ALT 2B 12 13 MINE",
    "ID ALT 2B 12 MINE SHAFF",
    "ID ALT 2B 12 MINNE",
    "IDD ALT 2B 12 MINE",
    "Сайн байна уу",
    "TR 204813 NFE",
    "TR 2048 NFE",
    "TR 204812 NFF",
    "NIL ULX",
    "ACK X7",
    "HLEP",
    "ID ALT 12 MINE",
    "ID ULT 1 хүү PAN",
    "VER 204812 MAYBE",
    "",
    "ID АLТ 2В 12 АЖИЛ",
};

// One message as the gateway sees it: its text, the sender's reply language and what the store
// would have done (case codes opened, alert number) had it been accepted.
struct message_case {
    std::string text;
    reply_language lang = reply_language::en;
    receipt store_receipt;
};

struct corpus {
    std::vector<message_case> messages;
    std::size_t valid = 0;
    std::size_t cyrillic = 0;
};

const corpus& mixed_corpus() {
    static const corpus c = [] {
        corpus out;
        std::uint32_t serial = 20481;
        for (const char* t : corpus_texts) {
            message_case m;
            m.text = t;
            bool non_ascii = false;
            for (unsigned char ch : m.text)
                non_ascii = non_ascii || ch >= 0x80;
            // Reporters who type Cyrillic get Mongolian replies; the others alternate.
            m.lang = non_ascii || out.messages.size() % 2 == 1 ? reply_language::mn : reply_language::en;
            out.cyrillic += non_ascii ? 1 : 0;
            if (auto r = parse_sms(m.text, demo_lexicon())) {
                ++out.valid;
                if (const auto* s = std::get_if<sighting>(&r->body)) {
                    for (int k = 0; k < s->kids.total(); ++k)
                        m.store_receipt.case_codes.push_back(make_case_code(serial++));
                    m.store_receipt.alert = 40 + out.messages.size();
                }
            }
            out.messages.push_back(std::move(m));
        }
        return out;
    }();
    return c;
}

long peak_rss_kb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss; // kilobytes on Linux
}

void report(benchmark::State& state, std::size_t allocations_before) {
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["allocs_per_iter"] =
        benchmark::Counter(static_cast<double>(allocations - allocations_before), benchmark::Counter::kAvgIterations);
    state.counters["peak_rss_kb"] = static_cast<double>(peak_rss_kb());
}

// The floor: copy the text into a std::string and split it on ASCII whitespace into a small
// vector of views. Any parser reads every byte and finds the tokens at least once.
void BM_baseline_copy_split(benchmark::State& state) {
    const auto& msgs = mixed_corpus().messages;
    std::size_t i = 0;
    const std::size_t before = allocations;
    for (auto _ : state) {
        std::string text(msgs[i].text);
        boost::container::small_vector<std::string_view, 16> tokens;
        std::size_t pos = 0;
        while (pos < text.size()) {
            while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\r' || text[pos] == '\n'))
                ++pos;
            const std::size_t start = pos;
            while (pos < text.size() && text[pos] != ' ' && text[pos] != '\t' && text[pos] != '\r' && text[pos] != '\n')
                ++pos;
            if (pos > start)
                tokens.emplace_back(text.data() + start, pos - start);
        }
        benchmark::DoNotOptimize(tokens.data());
        benchmark::DoNotOptimize(tokens.size());
        benchmark::ClobberMemory();
        i = i + 1 == msgs.size() ? 0 : i + 1;
    }
    report(state, before);
}
BENCHMARK(BM_baseline_copy_split);

void BM_parse(benchmark::State& state) {
    const auto& msgs = mixed_corpus().messages;
    const lexicon& lex = demo_lexicon();
    std::size_t i = 0;
    const std::size_t before = allocations;
    for (auto _ : state) {
        parse_result r = parse_sms(msgs[i].text, lex);
        benchmark::DoNotOptimize(r);
        i = i + 1 == msgs.size() ? 0 : i + 1;
    }
    report(state, before);
}
BENCHMARK(BM_parse);

// What the gateway does per message besides the store: parse, then the confirmation or the error
// reply in the sender's language.
void BM_parse_reply(benchmark::State& state) {
    const auto& msgs = mixed_corpus().messages;
    const lexicon& lex = demo_lexicon();
    std::size_t i = 0;
    const std::size_t before = allocations;
    for (auto _ : state) {
        const message_case& m = msgs[i];
        parse_result r = parse_sms(m.text, lex);
        std::string reply = r ? confirmation_reply(*r, m.store_receipt, lex, m.lang) : error_reply(r.error(), lex, m.lang);
        benchmark::DoNotOptimize(reply.data());
        benchmark::ClobberMemory();
        i = i + 1 == msgs.size() ? 0 : i + 1;
    }
    report(state, before);
}
BENCHMARK(BM_parse_reply);

// Building the lexicon: what a configuration reload (SIGHUP) costs, once.
void BM_lexicon_build(benchmark::State& state) {
    const std::size_t before = allocations;
    for (auto _ : state) {
        lexicon lex(default_language(), {"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"});
        benchmark::DoNotOptimize(&lex);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["allocs_per_iter"] =
        benchmark::Counter(static_cast<double>(allocations - before), benchmark::Counter::kAvgIterations);
    state.counters["peak_rss_kb"] = static_cast<double>(peak_rss_kb());
}
BENCHMARK(BM_lexicon_build);

} // namespace

int main(int argc, char** argv) {
    const corpus& c = mixed_corpus();
    benchmark::AddCustomContext("corpus_messages", std::to_string(c.messages.size()));
    benchmark::AddCustomContext("corpus_valid", std::to_string(c.valid));
    benchmark::AddCustomContext("corpus_with_cyrillic", std::to_string(c.cyrillic));
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
