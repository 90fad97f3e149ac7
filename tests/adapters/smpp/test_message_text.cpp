// Short-message texts: received short_messages decoded by data_coding (GSM 03.38 packed and
// unpacked with the extension table, IA5, Latin-1, ISO-8859-5, UCS-2 with surrogates), their
// concatenation headers (UDH 8-bit and 16-bit, sar TLVs), delivery receipts as SMSCs send them,
// and texts split into submit_sm parts. Field reports are made up, in the forms the parser reads.
#include "adapters/smpp/message_text.hpp"

#include "adapters/smpp/gsm0338.hpp"
#include "pdu_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters::smpp {
namespace {

using test::hex;
using test::to_hex;

sm_body sm_with(std::uint8_t data_coding, std::string short_message, std::uint8_t esm_class = 0) {
    sm_body sm;
    sm.source_addr = "97699000123";
    sm.destination_addr = "1234";
    sm.data_coding = data_coding;
    sm.esm_class = esm_class;
    sm.short_message = std::move(short_message);
    return sm;
}

struct text_sample {
    const char* name;
    std::uint8_t data_coding;
    bool packed;
    std::string octets;
    std::string text;
};

TEST(smpp_message_text, short_messages_decode_to_utf8_by_their_data_coding) {
    const std::vector<text_sample> samples = {
        {"GSM unpacked, a Latin field report", 0, false, "ID ALT 2B 12 MINE SHAFT", "ID ALT 2B 12 MINE SHAFT"},
        {"GSM packed: 'hellohello' (the 03.38 example)", 0, true, hex("E8 32 9B FD 46 97 D9 EC 37"), "hellohello"},
        {"GSM packed: 'hello'", 0, true, hex("E8 32 9B FD 06"), "hello"},
        {"GSM unpacked: @ £ $ ¤ Δ ¡ ¿ à and the rest of the table's corners", 0, false,
         hex("00 01 02 24 10 40 60 7F 1C 1F"), "@£$¤Δ¡¿àÆÉ"},
        {"GSM unpacked: the extension table", 0, false, hex("1B 14 1B 28 1B 29 1B 2F 1B 3C 1B 3D 1B 3E 1B 40 1B 65"),
         "^{}\\[~]|€"},
        {"GSM unpacked: an unknown escape reads as its default character", 0, false, hex("1B 41"), "A"},
        {"GSM unpacked: an escape at the end and an octet over 0x7F are U+FFFD", 0, false, hex("41 80 1B"),
         "A\uFFFD\uFFFD"},
        {"GSM packed: 7 septets padded with CR drop the CR", 0, true, gsm::pack_septets({0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47}, 0),
         "ABCDEFG"},
        {"IA5", 1, false, "NIL ULT # all clear", "NIL ULT # all clear"},
        {"IA5 with an octet over 0x7F", 1, false, hex("41 E9"), "A\uFFFD"},
        {"Latin-1", 3, false, hex("43 61 66 E9 20 A3 35"), "Café £5"},
        {"ISO-8859-5 Cyrillic", 6, false, hex("B8 B4 20 B0 BB C2 20 32 C5 20 31 32"), "ИД АЛТ 2Х 12"},
        {"UCS-2 Cyrillic field report", 8, false,
         hex("04 18 04 14 00 20 04 10 04 1B 04 22 00 20 00 32 04 25 00 20 00 31 00 32"), "ИД АЛТ 2Х 12"},
        {"UCS-2 mixed Latin and Cyrillic", 8, false,
         hex("00 49 00 44 00 20 00 41 00 4C 00 54 00 20 00 32 00 42 00 20 00 31 00 32 00 20 04 48 04 30 04 45 04 42"),
         "ID ALT 2B 12 шахт"},
        {"UTF-16 surrogate pair", 8, false, hex("D8 3D DE 00 00 21"), "\U0001F600!"},
        {"UTF-16 lone surrogate and odd octet", 8, false, hex("D8 3D 00 41 00"), "\uFFFDA\uFFFD"},
        {"GSM 03.38 general data coding, class 1, UCS-2 (0x19)", 0x19, false, hex("04 1C 04 1D"), "МН"},
        {"message class coding 0xF1: default alphabet", 0xF1, false, "OK", "OK"},
    };
    for (const auto& s : samples) {
        SCOPED_TRACE(s.name);
        EXPECT_EQ(read_text(sm_with(s.data_coding, s.octets), {}, s.packed).text, s.text);
    }
}

TEST(smpp_message_text, message_payload_is_read_instead_of_short_message) {
    const std::string long_report = "ID ALT 2B 12 MINE SHAFT " + std::string(300, 'x');
    const auto got = read_text(sm_with(0, ""), {{tag::message_payload, long_report}}, false);
    EXPECT_EQ(got.text, long_report);
    EXPECT_FALSE(got.part.has_value());
}

TEST(smpp_message_text, a_udh_with_8_bit_reference_names_the_part_and_is_not_text) {
    const std::string sm = hex("05 00 03 2A 02 01") + "ID ALT 2B 12";
    const auto got = read_text(sm_with(0, sm, 0x40), {}, false);
    EXPECT_EQ(got.text, "ID ALT 2B 12");
    EXPECT_EQ(got.part, (concat_part{0x2A, 2, 1}));
}

TEST(smpp_message_text, a_udh_with_16_bit_reference_and_other_elements_before_it) {
    // A port-addressing element (IEI 0x05, 4 octets) first, then IEI 0x08 reference 0x1234.
    const std::string sm = hex("0C 05 04 0B 84 23 F0 08 04 12 34 03 02 04 10 04 1B");
    const auto got = read_text(sm_with(8, sm, 0x40), {}, false);
    EXPECT_EQ(got.text, "АЛ");
    EXPECT_EQ(got.part, (concat_part{0x1234, 3, 2}));
}

TEST(smpp_message_text, a_packed_part_after_a_udh_starts_after_one_fill_bit) {
    // 6-octet UDH = 48 bits; one fill bit puts the first septet on bit 49. "AB" -> 82 42.
    const auto got = read_text(sm_with(0, hex("05 00 03 07 02 02 82 42"), 0x40), {}, true);
    EXPECT_EQ(got.text, "AB");
    EXPECT_EQ(got.part, (concat_part{7, 2, 2}));
}

TEST(smpp_message_text, sar_tlvs_name_the_part_when_there_is_no_udh) {
    const std::vector<tlv> sar = {{tag::sar_msg_ref_num, hex("01 02")},
                                  {tag::sar_total_segments, hex("03")},
                                  {tag::sar_segment_seqnum, hex("03")}};
    const auto got = read_text(sm_with(0, "12 MINE SHAFT"), sar, false);
    EXPECT_EQ(got.part, (concat_part{0x0102, 3, 3}));
}

TEST(smpp_message_text, nonsense_concatenation_headers_are_ignored_and_the_text_kept) {
    // Part 3 of 2; a UDH length past the end; a sar number of 0.
    EXPECT_FALSE(read_text(sm_with(0, hex("05 00 03 01 02 03") + "x", 0x40), {}, false).part);
    const auto cut = read_text(sm_with(0, hex("09 00 03"), 0x40), {}, false);
    EXPECT_FALSE(cut.part);
    const std::vector<tlv> sar = {{tag::sar_msg_ref_num, hex("01")},
                                  {tag::sar_total_segments, hex("02")},
                                  {tag::sar_segment_seqnum, hex("00")}};
    EXPECT_FALSE(read_text(sm_with(0, "x"), sar, false).part);
}

// Delivery receipts as SMSCs send them (SMPP 3.4 Appendix B and the variants seen in the wild).
struct receipt_sample {
    const char* name;
    std::string text;
    std::vector<tlv> tlvs;
    std::optional<receipt> expected;
    std::uint8_t esm_class = 0x04;
};

TEST(smpp_message_text, receipts_are_read_from_their_text_or_their_tlvs) {
    const std::vector<receipt_sample> samples = {
        {"Appendix B, hex id",
         "id:0A1B2C3D sub:001 dlvrd:001 submit date:2612021015 done date:2612021016 stat:DELIVRD err:000 "
         "text:ID ALT 2B 12",
         {},
         receipt{"0A1B2C3D", "DELIVRD", "000"}},
        {"a captured receipt (cloudhopper-smpp's decoder tests): ACCEPTD, err:107, a space after text:",
         "id:94251430923 sub:001 dlvrd:001 submit date:0911040124 done date:0911040124 stat:ACCEPTD err:107 "
         "text: 26F102",
         {},
         receipt{"94251430923", "ACCEPTD", "107"}},
        {"decimal id, capital Text: field",
         "id:1234567890 sub:001 dlvrd:001 submit date:2612021015 done date:2612021016 stat:DELIVRD err:000 "
         "Text:Alert: case ALT-0012",
         {},
         receipt{"1234567890", "DELIVRD", "000"}},
        {"undeliverable, no text field, err:0",
         "id:c449ab9744f47b6af1879e49e75e4f40 sub:001 dlvrd:000 submit date:2612021015 done date:2612021016 "
         "stat:UNDELIV err:0",
         {},
         receipt{"c449ab9744f47b6af1879e49e75e4f40", "UNDELIV", "0"}},
        {"upper-case keys and a long state name",
         "ID:77 SUB:001 DLVRD:001 SUBMIT DATE:2612021015 DONE DATE:2612021016 STAT:DELIVERED ERR:000", {},
         receipt{"77", "DELIVRD", "000"}},
        {"the message's own text does not fool the reader",
         "id:88 sub:001 dlvrd:000 submit date:2612021015 done date:2612021016 stat:EXPIRED err:000 "
         "text:id:99 stat:DELIVRD",
         {},
         receipt{"88", "EXPIRED", "000"}},
        {"TLVs win over the text",
         "id:1234 stat:DELIVRD err:000",
         {{tag::receipted_message_id, std::string("4D2\0", 4)}, {tag::message_state, hex("05")}},
         receipt{"4D2", "UNDELIV", "000"}},
        {"TLVs only, with a GSM network error code", "",
         {{tag::receipted_message_id, "4D3"}, {tag::message_state, hex("08")}, {tag::network_error_code, hex("03 00 01")}},
         receipt{"4D3", "REJECTD", "001"}},
        {"TLVs on a deliver_sm whose esm_class is 0", "", {{tag::receipted_message_id, "4D4"}, {tag::message_state, hex("02")}},
         receipt{"4D4", "DELIVRD", ""}, 0x00},
        {"intermediate notification (esm_class 0x20)", "id:55 stat:ENROUTE", {}, receipt{"55", "ENROUTE", ""}, 0x20},
        {"a mobile-originated message is no receipt", "id:1 stat:DELIVRD err:000", {}, std::nullopt, 0x00},
        {"a receipt without an id is refused", "stat:DELIVRD err:000", {}, std::nullopt},
        {"a receipt without a stat reads UNKNOWN", "id:66", {}, receipt{"66", "UNKNOWN", ""}},
    };
    for (const auto& s : samples) {
        SCOPED_TRACE(s.name);
        const auto got = read_receipt(sm_with(0, s.text, s.esm_class), s.tlvs);
        ASSERT_EQ(got.has_value(), s.expected.has_value());
        if (got) {
            EXPECT_EQ(*got, *s.expected);
        }
    }
}

TEST(smpp_message_text, a_message_id_is_looked_up_in_hex_and_in_decimal) {
    // 0x0A1B2C3D = 169552957: the submit_sm_resp in hex, the receipt in decimal, and back.
    EXPECT_EQ(message_id_forms("0A1B2C3D"), (std::vector<std::string>{"0A1B2C3D", "169552957"}));
    EXPECT_EQ(message_id_forms("169552957"),
              (std::vector<std::string>{"169552957", "6062156119", "a1b2c3d", "A1B2C3D"}));
    EXPECT_EQ(message_id_forms("c449ab9744f47b6af1879e49e75e4f40"),
              std::vector<std::string>{"c449ab9744f47b6af1879e49e75e4f40"}); // too long for a number
    EXPECT_EQ(message_id_forms("99999999999999999999").size(), 1u);      // over 2^64 - 1
    EXPECT_EQ(message_id_forms("msg-7"), std::vector<std::string>{"msg-7"});
    EXPECT_EQ(message_id_forms(""), std::vector<std::string>{""});
}

TEST(smpp_message_text, the_specification_samples_deliver_sm_reads_as_a_receipt) {
    const auto p = decode(test::spec_deliver_sm_receipt);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(read_receipt(std::get<sm_body>(p->fields), p->tlvs), (receipt{"0A1B2C3D", "DELIVRD", "000"}));
}

// write_text: the encoding chosen, the parts, and each part read back.
std::string read_back(const outgoing_text& out, bool packed) {
    std::string text;
    for (const auto& part : out.parts) {
        auto sm = sm_with(out.data_coding, part, out.udh ? 0x40 : 0);
        text += read_text(sm, {}, packed).text;
    }
    return text;
}

TEST(smpp_message_text, a_latin_reply_goes_as_gsm_in_one_part) {
    for (bool packed : {false, true}) {
        const auto out = write_text("Thank you. Case ALT-0012 opened.", packed, 1);
        EXPECT_EQ(out.data_coding, 0);
        ASSERT_EQ(out.parts.size(), 1u);
        EXPECT_FALSE(out.udh);
        EXPECT_EQ(out.parts[0].size(), packed ? 28u : 32u);
        EXPECT_EQ(read_back(out, packed), "Thank you. Case ALT-0012 opened.");
    }
    EXPECT_EQ(to_hex(write_text("hellohello", true, 0).parts[0]), "E8 32 9B FD 46 97 D9 EC 37");
}

TEST(smpp_message_text, a_cyrillic_reply_goes_as_ucs2) {
    const auto out = write_text("ID ALT 2B 12 шахт", false, 1);
    EXPECT_EQ(out.data_coding, 8);
    ASSERT_EQ(out.parts.size(), 1u);
    EXPECT_EQ(to_hex(out.parts[0]),
              "00 49 00 44 00 20 00 41 00 4C 00 54 00 20 00 32 00 42 00 20 00 31 00 32 00 20 04 48 04 30 04 45 04 42");
}

TEST(smpp_message_text, single_part_limits_are_160_gsm_septets_and_70_ucs2_units) {
    EXPECT_EQ(write_text(std::string(160, 'a'), false, 1).parts.size(), 1u);
    EXPECT_EQ(write_text(std::string(161, 'a'), false, 1).parts.size(), 2u);
    // Extension characters count two septets: 80 euro signs are 160 septets, 81 are 162.
    std::string euros;
    for (int i = 0; i < 80; ++i)
        euros += "€";
    EXPECT_EQ(write_text(euros, true, 1).parts.size(), 1u);
    EXPECT_EQ(write_text(euros + "€", true, 1).parts.size(), 2u);
    std::string cyrillic;
    for (int i = 0; i < 70; ++i)
        cyrillic += "ш";
    EXPECT_EQ(write_text(cyrillic, false, 1).parts.size(), 1u);
    EXPECT_EQ(write_text(cyrillic + "ш", false, 1).parts.size(), 2u);
}

TEST(smpp_message_text, long_texts_split_into_153_septet_or_67_unit_parts_with_a_udh) {
    for (bool packed : {false, true}) {
        const std::string text = "ID ALT 2B 12 MINE SHAFT " + std::string(400, 'x');
        const auto out = write_text(text, packed, 0x2A);
        ASSERT_EQ(out.parts.size(), 3u); // 424 septets: 153 + 153 + 118
        EXPECT_TRUE(out.udh);
        for (std::size_t n = 0; n < 3; ++n) {
            EXPECT_EQ(to_hex(out.parts[n].substr(0, 6)), to_hex(hex("05 00 03 2A 03") + char(n + 1)));
            const std::size_t septets = n < 2 ? 153 : 118;
            EXPECT_EQ(out.parts[n].size(), 6 + (packed ? (1 + 7 * septets + 7) / 8 : septets));
        }
        EXPECT_EQ(read_back(out, packed), text);
    }
    std::string cyrillic;
    for (int i = 0; i < 140; ++i)
        cyrillic += "ИД";
    const auto out = write_text(cyrillic, false, 9); // 280 units: 67 * 4 + 12
    EXPECT_EQ(out.data_coding, 8);
    ASSERT_EQ(out.parts.size(), 5u);
    EXPECT_EQ(out.parts[0].size(), 6u + 134u);
    EXPECT_EQ(read_back(out, false), cyrillic);
}

TEST(smpp_message_text, an_escape_pair_or_a_surrogate_pair_is_never_cut_between_parts) {
    // 152 'a' then '€' (ESC 0x65): the pair would straddle septets 153 and 154.
    const std::string gsm_text = std::string(152, 'a') + "€" + std::string(20, 'b');
    for (bool packed : {false, true}) {
        const auto out = write_text(gsm_text, packed, 1);
        ASSERT_EQ(out.parts.size(), 2u);
        EXPECT_EQ(read_text(sm_with(0, out.parts[0], 0x40), {}, packed).text, std::string(152, 'a'));
        EXPECT_EQ(read_back(out, packed), gsm_text);
    }
    // 66 Cyrillic then an emoji: its pair would straddle units 67 and 68.
    std::string ucs2_text;
    for (int i = 0; i < 66; ++i)
        ucs2_text += "ш";
    ucs2_text += "\U0001F600 ok";
    const auto out = write_text(ucs2_text, false, 1);
    ASSERT_EQ(out.parts.size(), 2u);
    EXPECT_EQ(out.parts[0].size(), 6u + 132u);
    EXPECT_EQ(read_back(out, false), ucs2_text);
}

TEST(smpp_message_text, every_gsm_character_survives_packing_at_every_fill) {
    std::string all = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
                      "¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f";
    const auto septets = gsm::utf8_to_septets(all);
    ASSERT_TRUE(septets.has_value());
    EXPECT_EQ(septets->size(), 127u + 10u * 2u);
    EXPECT_EQ(gsm::septets_to_utf8(*septets), all);
    for (unsigned fill = 0; fill < 7; ++fill) {
        for (std::size_t n = 0; n <= 20; ++n) {
            std::vector<std::uint8_t> part(septets->begin(), septets->begin() + static_cast<std::ptrdiff_t>(n));
            if (!part.empty() && (part.back() == 0x0D || part.back() == 0x00))
                continue; // a last @ or CR on an octet boundary is padding by 03.38: ambiguous
            EXPECT_EQ(gsm::unpack_septets(gsm::pack_septets(part, fill), fill), part) << n << " fill " << fill;
        }
    }
}

TEST(smpp_message_text, invalid_utf8_to_send_goes_as_ucs2_with_replacement_characters) {
    const auto out = write_text("ok \xff", false, 1);
    EXPECT_EQ(out.data_coding, 8);
    EXPECT_EQ(read_back(out, false), "ok \uFFFD");
    EXPECT_EQ(write_text("", true, 1).parts, std::vector<std::string>{""});
}

} // namespace
} // namespace kharuul::adapters::smpp
