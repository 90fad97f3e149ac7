// pdu_reader: a TCP byte stream cut into PDUs whatever pieces it arrives in (every split point,
// every pair of split points, a byte at a time), and malformed PDUs refused without losing the
// PDUs after them, except a bad command_length, after which the stream cannot be re-synced.
#include "adapters/smpp/pdu.hpp"

#include "pdu_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters::smpp {
namespace {

using test::hex;

// What the reader made of a stream: each PDU decoded, or its error and failed_sequence.
struct outcome {
    bool ok = false;
    pdu value;
    decode_error error{};
    std::uint32_t sequence = 0;
    friend bool operator==(const outcome&, const outcome&) = default;
};

void drain(pdu_reader& r, std::vector<outcome>& out, std::size_t limit = 1000) {
    while (auto next = r.next()) {
        outcome o;
        o.ok = next->has_value();
        if (o.ok)
            o.value = **next;
        else
            o.error = next->error();
        o.sequence = r.failed_sequence();
        const bool lost = !o.ok && o.error == decode_error::bad_length;
        out.push_back(std::move(o));
        if (lost)
            return; // sticky: it would repeat forever
        if (out.size() >= limit)
            return;
    }
}

std::vector<outcome> read_in_pieces(std::string_view stream, const std::vector<std::size_t>& cuts) {
    pdu_reader r;
    std::vector<outcome> out;
    std::size_t from = 0;
    const auto lost = [&out] { return !out.empty() && !out.back().ok && out.back().error == decode_error::bad_length; };
    for (std::size_t cut : cuts) {
        r.feed(stream.substr(from, cut - from));
        if (!lost())
            drain(r, out);
        from = cut;
    }
    r.feed(stream.substr(from));
    if (!lost())
        drain(r, out);
    return out;
}

void PrintTo(const outcome& o, std::ostream* os) {
    if (o.ok)
        *os << to_string(o.value.id) << " #" << o.value.sequence;
    else
        *os << to_string(o.error) << " (sequence " << o.sequence << ")";
}

std::vector<outcome> read_whole(std::string_view stream) { return read_in_pieces(stream, {}); }

const std::vector<std::string>& samples() {
    static const std::vector<std::string> all = {test::spec_bind_transmitter, test::spec_enquire_link,
                                                 test::spec_submit_sm,        test::spec_submit_sm_resp,
                                                 test::spec_deliver_sm_receipt, test::spec_deliver_sm_resp};
    return all;
}

TEST(smpp_pdu_reader, each_sample_reads_the_same_split_at_any_point_and_at_any_two_points) {
    for (const std::string& s : samples()) {
        const auto whole = read_whole(s);
        ASSERT_EQ(whole.size(), 1u);
        ASSERT_TRUE(whole[0].ok);
        for (std::size_t i = 0; i <= s.size(); ++i) {
            ASSERT_EQ(read_in_pieces(s, {i}), whole) << "split at " << i;
            for (std::size_t j = i; j <= s.size(); ++j)
                ASSERT_EQ(read_in_pieces(s, {i, j}), whole) << "split at " << i << " and " << j;
        }
    }
}

TEST(smpp_pdu_reader, pdus_back_to_back_read_the_same_split_anywhere_or_a_byte_at_a_time) {
    std::string stream;
    for (const std::string& s : samples())
        stream += s;
    const auto whole = read_whole(stream);
    ASSERT_EQ(whole.size(), samples().size());
    for (std::size_t i = 0; i < whole.size(); ++i) {
        ASSERT_TRUE(whole[i].ok);
        EXPECT_EQ(whole[i].value, *decode(samples()[i]));
    }
    for (std::size_t i = 0; i <= stream.size(); ++i)
        ASSERT_EQ(read_in_pieces(stream, {i}), whole) << "split at " << i;
    for (std::size_t i = 0; i <= stream.size(); i += 7)
        for (std::size_t j = i; j <= stream.size(); ++j)
            ASSERT_EQ(read_in_pieces(stream, {i, j}), whole) << "split at " << i << " and " << j;
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < stream.size(); ++i)
        every_byte.push_back(i);
    EXPECT_EQ(read_in_pieces(stream, every_byte), whole);
}

TEST(smpp_pdu_reader, an_incomplete_pdu_waits_for_more_and_is_counted_as_buffered) {
    pdu_reader r;
    r.feed(std::string_view(test::spec_submit_sm).substr(0, 20));
    EXPECT_FALSE(r.next().has_value());
    EXPECT_EQ(r.buffered(), 20u);
    r.feed(std::string_view(test::spec_submit_sm).substr(20));
    const auto p = r.next();
    ASSERT_TRUE(p && p->has_value());
    EXPECT_EQ(r.buffered(), 0u);
    EXPECT_FALSE(r.next().has_value());
}

// Malformed PDUs, each followed by an enquire_link that must still read (except bad lengths).
struct malformed {
    const char* name;
    std::string bytes;
    decode_error error;
    std::uint32_t sequence;
};

std::vector<malformed> recoverable() {
    return {
        {"unknown command_id (query_sm)", hex("00 00 00 18 00 00 00 03 00 00 00 00 00 00 00 21 00 00 00 00 00 00 00 00"),
         decode_error::unknown_command, 0x21},
        {"data_sm is not in our subset", hex("00 00 00 10 00 00 01 03 00 00 00 00 00 00 00 22"),
         decode_error::unknown_command, 0x22},
        {"system_id without its NUL", hex(R"(00 00 00 14 80 00 00 09 00 00 00 00 00 00 00 23 "SMSC")"),
         decode_error::malformed_body, 0x23},
        {"system_id longer than 15", hex(R"(00 00 00 26 80 00 00 09 00 00 00 00 00 00 00 24
            "ABCDEFGHIJKLMNOPQRSTU" 00)"),
         decode_error::malformed_body, 0x24},
        {"bind fields past the end", hex(R"(00 00 00 19 00 00 00 09 00 00 00 00 00 00 00 25 "sys" 00 "pw" 00 00 34)"),
         decode_error::malformed_body, 0x25},
        {"sm_length past the end", hex(R"(00 00 00 2A 00 00 00 05 00 00 00 00 00 00 00 26
            00 01 01 "976" 00 00 00 "12" 00 00 00 00 00 00 00 00 00 00 FF "abcd")"),
         decode_error::malformed_body, 0x26},
        {"deliver_sm cut after the addresses", hex(R"(00 00 00 1C 00 00 00 05 00 00 00 00 00 00 00 27
            00 01 01 "976" 00 00 00 "12" 00)"),
         decode_error::malformed_body, 0x27},
        {"TLV longer than what is left", hex(R"(00 00 00 19 80 00 00 04 00 00 00 00 00 00 00 28
            00 04 24 00 10 "abcd")"),
         decode_error::truncated_tlv, 0x28},
        {"TLV header cut", hex("00 00 00 13 80 00 00 05 00 00 00 00 00 00 00 29 00 04 24"),
         decode_error::truncated_tlv, 0x29},
        {"enquire_link with a stray byte", hex("00 00 00 11 00 00 00 15 00 00 00 00 00 00 00 2A 00"),
         decode_error::truncated_tlv, 0x2A},
    };
}

TEST(smpp_pdu_reader, malformed_pdus_are_refused_with_their_sequence_and_the_next_pdu_still_reads) {
    for (const auto& m : recoverable()) {
        SCOPED_TRACE(m.name);
        const auto direct = decode(m.bytes);
        ASSERT_FALSE(direct.has_value());
        EXPECT_EQ(direct.error(), m.error);
        const std::string stream = m.bytes + test::spec_enquire_link;
        const auto whole = read_whole(stream);
        ASSERT_EQ(whole.size(), 2u);
        EXPECT_FALSE(whole[0].ok);
        EXPECT_EQ(whole[0].error, m.error);
        EXPECT_EQ(whole[0].sequence, m.sequence);
        ASSERT_TRUE(whole[1].ok);
        EXPECT_EQ(whole[1].value.id, command::enquire_link);
        for (std::size_t i = 0; i <= stream.size(); ++i)
            ASSERT_EQ(read_in_pieces(stream, {i}), whole) << "split at " << i;
    }
}

TEST(smpp_pdu_reader, a_command_length_under_16_or_over_the_maximum_loses_the_stream) {
    const std::vector<std::string> bad = {
        hex("00 00 00 0F 00 00 00 15 00 00 00 00 00 00 00"),
        hex("00 00 00 00"),
        hex("00 01 00 01 00 00 00 04"), // 65537: over max_pdu_length
        hex("FF FF FF FF 80 00 00 04"),
        "GET / HTTP/1.1\r\n\r\n", // a web client on the SMPP port
    };
    for (const auto& b : bad) {
        SCOPED_TRACE(test::to_hex(b));
        EXPECT_EQ(decode(b).error(), decode_error::bad_length);
        const std::string stream = b + test::spec_enquire_link;
        const auto whole = read_whole(stream);
        ASSERT_EQ(whole.size(), 1u);
        EXPECT_EQ(whole[0].error, decode_error::bad_length);
        EXPECT_EQ(whole[0].sequence, 0u);
        for (std::size_t i = 0; i <= stream.size(); ++i)
            ASSERT_EQ(read_in_pieces(stream, {i}), whole) << "split at " << i;
    }
    pdu_reader r;
    r.feed(bad[0]);
    ASSERT_EQ(r.next()->error(), decode_error::bad_length);
    r.feed(test::spec_enquire_link);
    ASSERT_EQ(r.next()->error(), decode_error::bad_length); // sticky: close the connection
    EXPECT_EQ(r.buffered(), 0u);
}

TEST(smpp_pdu_reader, a_pdu_of_exactly_the_maximum_length_reads) {
    pdu p{command::deliver_sm, 0, 1, sm_body{}, {}};
    const std::size_t fixed = encode(p).size() + 4;
    p.tlvs.push_back({tag::message_payload, std::string(max_pdu_length - fixed, 'z')});
    const std::string bytes = encode(p);
    ASSERT_EQ(bytes.size(), max_pdu_length);
    const auto whole = read_whole(bytes);
    ASSERT_EQ(whole.size(), 1u);
    ASSERT_TRUE(whole[0].ok);
    EXPECT_EQ(whole[0].value, p);
}

TEST(smpp_pdu_reader, a_long_stream_of_enquire_links_keeps_the_buffer_small) {
    pdu_reader r;
    std::size_t read = 0;
    for (int i = 0; i < 10000; ++i) {
        r.feed(test::spec_enquire_link.substr(0, 10));
        r.feed(test::spec_enquire_link.substr(10));
        while (auto p = r.next())
            read += p->has_value() ? 1 : 0;
        EXPECT_LE(r.buffered(), 16u);
    }
    EXPECT_EQ(read, 10000u);
}

} // namespace
} // namespace kharuul::adapters::smpp
