// libFuzzer target for the SMPP codec: arbitrary bytes as the stream an SMSC sends, cut into
// PDUs by pdu_reader whole and in pieces, and every submit_sm/deliver_sm decoded read as text
// and as a receipt. The oracle aborts when the pieces read differently from the whole, when a
// decoded PDU does not encode to bytes that decode and encode again to the same bytes, when a
// text or a receipt is not valid UTF-8, or when a received text written back out as submit_sm
// parts (unpacked) does not read back the same. The same file is linked without libFuzzer into
// a replay test (replay_main.cpp) that ctest runs over tests/fuzz/smpp_corpus and smpp_findings.
#include "adapters/smpp/message_text.hpp"
#include "adapters/smpp/pdu.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace kharuul::adapters::smpp;

[[noreturn]] void fail(const char* what, std::string_view detail) {
    std::fprintf(stderr, "fuzz_smpp: %s\n  detail: \"", what);
    for (unsigned char c : detail)
        std::fprintf(stderr, (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? "%c" : "\\x%02x", c);
    std::fprintf(stderr, "\"\n");
    std::abort();
}

// Strict UTF-8 (RFC 3629), written here so that the oracle does not share the codec's decoder.
bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b0 = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        unsigned char lo = 0x80, hi = 0xbf;
        if (b0 < 0x80) {
            ++i;
            continue;
        } else if (b0 >= 0xc2 && b0 <= 0xdf) {
            len = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            len = 3;
            lo = b0 == 0xe0 ? 0xa0 : 0x80;
            hi = b0 == 0xed ? 0x9f : 0xbf;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            len = 4;
            lo = b0 == 0xf0 ? 0x90 : 0x80;
            hi = b0 == 0xf4 ? 0x8f : 0xbf;
        } else {
            return false;
        }
        if (i + len > s.size())
            return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<unsigned char>(s[i + k]);
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xbf))
                return false;
        }
        i += len;
    }
    return true;
}

struct outcome {
    bool ok;
    std::string bytes; // the PDU encoded, or the error's name
    std::uint32_t sequence;
    bool operator==(const outcome&) const = default;
};

void drain(pdu_reader& r, std::vector<outcome>& out, bool& lost) {
    while (!lost) {
        auto next = r.next();
        if (!next)
            return;
        if (next->has_value()) {
            out.push_back({true, encode(**next), r.failed_sequence()});
        } else {
            out.push_back({false, std::string(to_string(next->error())), r.failed_sequence()});
            lost = next->error() == decode_error::bad_length;
        }
        if (r.buffered() > max_pdu_length * 2)
            fail("reader buffers more than it should", {});
    }
}

void check_texts(const pdu& p) {
    const auto* sm = std::get_if<sm_body>(&p.fields);
    if (sm == nullptr)
        return;
    for (bool packed : {false, true}) {
        const auto text = read_text(*sm, p.tlvs, packed);
        if (!is_valid_utf8(text.text))
            fail("read_text gave invalid UTF-8", text.text);
        if (text.part && (text.part->number == 0 || text.part->number > text.part->total))
            fail("a part number outside 1..total", text.text);
        const auto out = write_text(text.text, false, 0x2A);
        if (out.parts.size() >= 255)
            continue; // cut at 255 parts
        std::string back;
        for (const auto& part : out.parts) {
            if (part.size() > 254)
                fail("a submit_sm part over 254 octets", part);
            sm_body again;
            again.data_coding = out.data_coding;
            again.esm_class = out.udh ? 0x40 : 0;
            again.short_message = part;
            back += read_text(again, {}, false).text;
        }
        if (back != text.text)
            fail("write_text does not read back", text.text);
    }
    if (const auto r = read_receipt(*sm, p.tlvs)) {
        if (r->message_id.empty() || r->stat.empty())
            fail("a receipt without id or stat", r->message_id);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<outcome> whole, pieces;
    bool lost = false;
    {
        pdu_reader r;
        r.feed(input);
        drain(r, whole, lost);
    }
    lost = false;
    {
        pdu_reader r;
        const std::size_t step = size == 0 ? 1 : static_cast<unsigned char>(input[0]) % 13 + 1;
        for (std::size_t i = 0; i < size; i += step) {
            r.feed(input.substr(i, step));
            drain(r, pieces, lost);
        }
    }
    if (whole != pieces)
        fail("pieces read differently from the whole", input.substr(0, 64));
    for (const auto& o : whole) {
        if (!o.ok)
            continue;
        const auto again = decode(o.bytes);
        if (!again.has_value())
            fail("an encoded PDU does not decode", o.bytes);
        if (encode(*again) != o.bytes)
            fail("encode(decode(encode(p))) differs", o.bytes);
        check_texts(*again);
    }
    return 0;
}
