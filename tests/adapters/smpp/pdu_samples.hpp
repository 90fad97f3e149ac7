// Byte samples for the SMPP codec's tests: a hex reader (so that the PDUs are written out in the
// tests as the specification prints them) and the PDUs of the SMPP 3.4 specification's field
// tables, built by hand from the tables in sections 4.1 to 4.11. Test numbers are made up
// (+97699000xxx).
#pragma once

#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kharuul::adapters::smpp::test {

// "00 00 00 10 00 00 00 15" -> those bytes; spaces and line breaks ignored; '"text"' is taken as
// its ASCII bytes, so that a receipt's text can be written as text between the hex.
inline std::string hex(std::string_view h) {
    std::string out;
    int hi = -1;
    for (std::size_t i = 0; i < h.size(); ++i) {
        const char c = h[i];
        if (c == '"') {
            const auto end = h.find('"', i + 1);
            if (end == std::string_view::npos || hi != -1)
                throw std::invalid_argument("hex: unterminated text");
            out.append(h.substr(i + 1, end - i - 1));
            i = end;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c)))
            continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            throw std::invalid_argument("hex: not a hex digit");
        const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(c) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            out.push_back(static_cast<char>(hi << 4 | v));
            hi = -1;
        }
    }
    if (hi >= 0)
        throw std::invalid_argument("hex: odd number of digits");
    return out;
}

inline std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : bytes) {
        if (!out.empty())
            out.push_back(' ');
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

// The sample PDU the SMPP specification prints to show how a PDU decodes, byte for byte as
// printed (its v5.0 text, hence interface_version 0x50): bind_transmitter, sequence 1,
// "SMPP3TEST"/"secret08"/"SUBMIT1", TON 1, NPI 1, no address range.
inline const std::string spec_bind_transmitter = hex(R"(
    00 00 00 2F 00 00 00 02 00 00 00 00 00 00 00 01
    53 4D 50 50 33 54 45 53 54 00 73 65 63 72 65 74
    30 38 00 53 55 42 4D 49 54 31 00 50 01 01 00)");

// enquire_link, sequence 7 (section 4.11.1: a header only).
inline const std::string spec_enquire_link = hex("00 00 00 10 00 00 00 15 00 00 00 00 00 00 00 07");

// submit_sm (section 4.4.1), sequence 2, from short code 1234 to +97699000123 (TON 1, NPI 1), a
// receipt asked for (registered_delivery 1), data_coding 0, "ID ALT 2B 12".
inline const std::string spec_submit_sm = hex(R"(
    00 00 00 3C 00 00 00 04 00 00 00 00 00 00 00 02
    00
    01 01 31 32 33 34 00
    01 01 39 37 36 39 39 30 30 30 31 32 33 00
    00 00 00
    00 00
    01 00 00 00
    0C 49 44 20 41 4C 54 20 32 42 20 31 32)");

// submit_sm_resp (section 4.4.2) to sequence 2, message_id "0A1B2C3D".
inline const std::string spec_submit_sm_resp = hex(R"(
    00 00 00 19 80 00 00 04 00 00 00 00 00 00 00 02
    30 41 31 42 32 43 33 44 00)");

// deliver_sm (section 4.6.1) carrying a delivery receipt (esm_class 0x04) for the submit above,
// sequence 9: the Appendix B text, and the receipted_message_id and message_state TLVs (5.3.2.12,
// 5.3.2.35: DELIVERED = 2).
inline const std::string spec_deliver_sm_receipt = hex(R"(
    00 00 00 B2 00 00 00 05 00 00 00 00 00 00 00 09
    00
    01 01 39 37 36 39 39 30 30 30 31 32 33 00
    00 00 31 32 33 34 00
    04 00 00
    00 00
    00 00 00 00
    70 "id:0A1B2C3D sub:001 dlvrd:001 submit date:2612021015 done date:2612021016 stat:DELIVRD err:000 text:ID ALT 2B 12"
    00 1E 00 09 30 41 31 42 32 43 33 44 00
    04 27 00 01 02)");

// deliver_sm_resp (section 4.6.2) to sequence 9: message_id unused, NULL.
inline const std::string spec_deliver_sm_resp = hex("00 00 00 11 80 00 00 05 00 00 00 00 00 00 00 09 00");

} // namespace kharuul::adapters::smpp::test
