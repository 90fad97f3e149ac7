// Short-message text in and out of SMPP (sans-I/O): a received short_message decoded to UTF-8 by
// its data_coding (GSM 03.38 packed or not, IA5, Latin-1, UCS-2), its concatenation header (UDH
// IEI 0x00 and 0x08, or the sar_* TLVs) read; and a UTF-8 text to send encoded as GSM 03.38 when
// every character is in the default alphabet (with its extension table), else UCS-2, split into
// parts with a concatenation UDH when one does not hold it.
#pragma once

#include "adapters/smpp/pdu.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::adapters::smpp {

// One part of a concatenated message: which message (reference, from the same sender), how many
// parts, and which this is (1-based).
struct concat_part {
    std::uint16_t reference = 0;
    std::uint8_t total = 1;
    std::uint8_t number = 1;
    friend bool operator==(const concat_part&, const concat_part&) = default;
};

struct received_text {
    std::string text;                 // UTF-8; undecodable octets become U+FFFD
    std::optional<concat_part> part;  // a part of a longer message
};

// `gsm_packed`: the operator sends GSM 03.38 (data_coding 0) as 7-bit packed septets rather than
// one septet per octet (the channel's gsm_packing setting). message_payload, when present, is read
// instead of short_message. data_coding 0 GSM, 1 IA5, 3 Latin-1, 6 ISO-8859-5, 8 UCS-2 (UTF-16BE,
// surrogate pairs), 2 and 4 (octets) as Latin-1, and the GSM 03.38 coding groups above 0x0F by
// their alphabet. With esm_class 0x40 the UDH is taken off the text: IEI 0x00 or 0x08 gives the
// part (other elements are skipped; a part number outside 1..total is ignored); without one, the
// sar_* TLVs do. A packed last septet that fills exactly the 7 spare bits of the last octet and is
// CR or @ is padding (03.38 6.1.2.1.1) and dropped. Never throws for any input.
received_text read_text(const sm_body& sm, const std::vector<tlv>& tlvs, bool gsm_packed);

// A delivery receipt (esm_class 0x04, or 0x20 an intermediate notification, or any deliver_sm
// carrying receipted_message_id): the SMSC's id of the message it reports on and its state, from
// the receipted_message_id/message_state TLVs when present, else the "id:... stat:DELIVRD err:..."
// text (keys in any case; nothing after "text:" is read). Long state names (DELIVERED) are brought
// to the 7-letter ones; a missing state is UNKNOWN; err falls back to network_error_code. nullopt
// for a message that is no receipt or names no id. The id is as the SMSC wrote it: matching a hex
// submit_sm_resp id against a decimal receipt id is the caller's business.
struct receipt {
    std::string message_id;
    std::string stat; // DELIVRD, EXPIRED, DELETED, UNDELIV, ACCEPTD, UNKNOWN, REJECTD, ENROUTE
    std::string err;  // may be empty
    friend bool operator==(const receipt&, const receipt&) = default;
};
std::optional<receipt> read_receipt(const sm_body& sm, const std::vector<tlv>& tlvs);

// The spellings under which one SMSC message id may come back: the id itself first, then, when it
// reads as a hexadecimal number (up to 16 digits), that number in decimal, and when it reads as a
// decimal number (up to 2^64 - 1), that number in lower- and upper-case hexadecimal. Many SMSCs
// answer submit_sm_resp in hex and write receipts in decimal (or the other way): look the receipt
// up under each form. No duplicates.
std::vector<std::string> message_id_forms(std::string_view id);

// A UTF-8 text as the short_message parts of submit_sm PDUs: data_coding 0 (GSM 03.38, packed when
// `gsm_packed`) or 8 (UCS-2 big-endian, Cyrillic); one part of up to 160 GSM / 70 UCS-2
// characters, or parts of 153 / 67 each starting with an 8-bit-reference concatenation UDH (the
// caller sets esm_class 0x40 on each). `reference` is the UDH's reference for a long message.
// An extension character (€ [ ] ...) counts two septets; an ESC pair and a UTF-16 surrogate pair
// are never cut between parts; at most 255 parts (the rest is dropped). Ill-formed UTF-8 goes as
// UCS-2 with U+FFFD. Packed parts after a UDH start with one fill bit.
struct outgoing_text {
    std::uint8_t data_coding = 0;
    std::vector<std::string> parts; // each a short_message, UDH included for a long message
    bool udh = false;
};
outgoing_text write_text(std::string_view utf8, bool gsm_packed, std::uint8_t reference);

} // namespace kharuul::adapters::smpp
