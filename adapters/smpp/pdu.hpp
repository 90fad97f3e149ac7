// SMPP 3.4 protocol data units as values, and their wire form (sans-I/O, style.md 2): encode()
// turns a pdu into bytes, pdu_reader cuts a TCP byte stream into PDUs and decodes them. No
// sockets, no clock, no logging. The subset an ESME needs: the binds, submit_sm, deliver_sm,
// enquire_link, unbind, generic_nack and their responses, with optional TLVs kept as they came.
#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace kharuul::adapters::smpp {

enum class command : std::uint32_t {
    generic_nack = 0x80000000,
    bind_receiver = 0x00000001,
    bind_receiver_resp = 0x80000001,
    bind_transmitter = 0x00000002,
    bind_transmitter_resp = 0x80000002,
    submit_sm = 0x00000004,
    submit_sm_resp = 0x80000004,
    deliver_sm = 0x00000005,
    deliver_sm_resp = 0x80000005,
    unbind = 0x00000006,
    unbind_resp = 0x80000006,
    bind_transceiver = 0x00000009,
    bind_transceiver_resp = 0x80000009,
    enquire_link = 0x00000015,
    enquire_link_resp = 0x80000015,
};

// The response's command_id to a request's (bit 31 set), and whether an id is a response.
constexpr command response_of(command c) noexcept {
    return static_cast<command>(static_cast<std::uint32_t>(c) | 0x80000000u);
}
constexpr bool is_response(command c) noexcept { return (static_cast<std::uint32_t>(c) & 0x80000000u) != 0; }
// "submit_sm", "deliver_sm_resp" ...; "unknown" for an id outside the enum.
std::string_view to_string(command c) noexcept;

// command_status values we act on (SMPP 3.4 section 5.1.3).
namespace status {
inline constexpr std::uint32_t ok = 0x00000000;
inline constexpr std::uint32_t invalid_length = 0x00000001;   // ESME_RINVMSGLEN
inline constexpr std::uint32_t invalid_command_length = 0x00000002; // ESME_RINVCMDLEN
inline constexpr std::uint32_t invalid_command_id = 0x00000003;     // ESME_RINVCMDID
inline constexpr std::uint32_t already_bound = 0x00000005;    // ESME_RALYBND
inline constexpr std::uint32_t system_error = 0x00000008;     // ESME_RSYSERR
inline constexpr std::uint32_t invalid_dest = 0x0000000B;     // ESME_RINVDSTADR
inline constexpr std::uint32_t bind_failed = 0x0000000D;      // ESME_RBINDFAIL
inline constexpr std::uint32_t invalid_password = 0x0000000E; // ESME_RINVPASWD
inline constexpr std::uint32_t invalid_system_id = 0x0000000F; // ESME_RINVSYSID
inline constexpr std::uint32_t message_queue_full = 0x00000014; // ESME_RMSGQFUL: slow down
inline constexpr std::uint32_t throttled = 0x00000058;        // ESME_RTHROTTLED: slow down
inline constexpr std::uint32_t temporary_app_error = 0x00000064; // ESME_RX_T_APPN: redeliver later
inline constexpr std::uint32_t invalid_optional_stream = 0x000000C0; // ESME_RINVOPTPARSTREAM
} // namespace status

// Optional parameters (section 5.3.2) by tag; the value's bytes as they came.
namespace tag {
inline constexpr std::uint16_t sar_msg_ref_num = 0x020C;
inline constexpr std::uint16_t sar_total_segments = 0x020E;
inline constexpr std::uint16_t sar_segment_seqnum = 0x020F;
inline constexpr std::uint16_t message_payload = 0x0424;
inline constexpr std::uint16_t receipted_message_id = 0x001E;
inline constexpr std::uint16_t message_state = 0x0427;
inline constexpr std::uint16_t network_error_code = 0x0423;
} // namespace tag

struct tlv {
    std::uint16_t tag = 0;
    std::string value; // raw bytes
    friend bool operator==(const tlv&, const tlv&) = default;
};

// bind_transmitter, bind_receiver, bind_transceiver.
struct bind_body {
    std::string system_id;   // C-string, at most 15 characters
    std::string password;    // at most 8
    std::string system_type; // at most 12
    std::uint8_t interface_version = 0x34;
    std::uint8_t addr_ton = 0;
    std::uint8_t addr_npi = 0;
    std::string address_range; // at most 40
    friend bool operator==(const bind_body&, const bind_body&) = default;
};

// The three bind responses: the SMSC's system_id (absent in an error response).
struct bind_resp_body {
    std::string system_id;
    friend bool operator==(const bind_resp_body&, const bind_resp_body&) = default;
};

// submit_sm and deliver_sm share their mandatory fields (sections 4.4.1, 4.6.1).
struct sm_body {
    std::string service_type;
    std::uint8_t source_addr_ton = 0;
    std::uint8_t source_addr_npi = 0;
    std::string source_addr;
    std::uint8_t dest_addr_ton = 0;
    std::uint8_t dest_addr_npi = 0;
    std::string destination_addr;
    std::uint8_t esm_class = 0; // 0x40: UDHI (short_message starts with a UDH); 0x04: a delivery receipt
    std::uint8_t protocol_id = 0;
    std::uint8_t priority_flag = 0;
    std::string schedule_delivery_time;
    std::string validity_period;
    std::uint8_t registered_delivery = 0; // 1: ask for a delivery receipt
    std::uint8_t replace_if_present_flag = 0;
    std::uint8_t data_coding = 0; // 0 SMSC default (GSM 03.38 here), 1 IA5, 3 Latin-1, 8 UCS-2
    std::uint8_t sm_default_msg_id = 0;
    std::string short_message; // raw octets, at most 254 (sm_length is its size)
    friend bool operator==(const sm_body&, const sm_body&) = default;
};

// submit_sm_resp and deliver_sm_resp: message_id (empty in deliver_sm_resp and in errors).
struct message_id_body {
    std::string message_id;
    friend bool operator==(const message_id_body&, const message_id_body&) = default;
};

// enquire_link(_resp), unbind(_resp), generic_nack: a header only.
using body = std::variant<std::monostate, bind_body, bind_resp_body, sm_body, message_id_body>;

struct pdu {
    command id = command::enquire_link;
    std::uint32_t status = status::ok;
    std::uint32_t sequence = 1; // 1 to 0x7FFFFFFF
    body fields;
    std::vector<tlv> tlvs; // optional parameters, in order
    friend bool operator==(const pdu&, const pdu&) = default;
};

// Why bytes are not a PDU. Each maps to the command_status of the generic_nack we answer with.
enum class decode_error {
    bad_length = 1,  // command_length under 16 or over max_pdu_length: the stream cannot be re-synced
    unknown_command, // a command_id we do not know (answered generic_nack ESME_RINVCMDID)
    malformed_body,  // a C-string without its NUL, a field past its maximum, fields past the end
    truncated_tlv,   // a TLV whose length runs past the PDU's end
};
std::string_view to_string(decode_error e) noexcept;
// The command_status of the generic_nack (or of the response) that answers a PDU refused for `e`:
// ESME_RINVCMDLEN for bad_length and malformed_body, ESME_RINVCMDID, ESME_RINVOPTPARSTREAM.
std::uint32_t nack_status(decode_error e) noexcept;
const boost::system::error_category& decode_category() noexcept;
boost::system::error_code make_error_code(decode_error e) noexcept;
// boost::system::result<T, decode_error>::value() throws a system_error through this.
[[noreturn]] void throw_exception_from_error(const decode_error& e, const boost::source_location& loc);

inline constexpr std::uint32_t max_pdu_length = 64 * 1024;

// The PDU's wire form, command_length first. Fields over their maxima are cut to fit.
std::string encode(const pdu& p);

// One PDU from exactly its bytes (command_length included).
boost::system::result<pdu, decode_error> decode(std::span<const std::byte> bytes);
boost::system::result<pdu, decode_error> decode(std::string_view bytes);

// Cuts a byte stream into PDUs in whatever pieces it arrives. After a bad_length error the stream
// is lost (close the connection): every later next() returns bad_length again, with
// failed_sequence() 0; it is reported as soon as the 4 length bytes are in. After the other errors
// the PDU's bytes are dropped and the next PDU can be read. Never throws for any input (allocation
// failure aside); buffers at most one PDU's worth (max_pdu_length) plus what one feed() brought.
class pdu_reader {
public:
    void feed(std::string_view bytes);
    // Next complete PDU; nullopt when more bytes are needed. An error names the PDU it failed on:
    // `failed_sequence()` is its sequence number (for the generic_nack), when the header was read.
    std::optional<boost::system::result<pdu, decode_error>> next();
    std::uint32_t failed_sequence() const noexcept { return failed_sequence_; }
    std::size_t buffered() const noexcept { return buffer_.size() - start_; }

private:
    std::string buffer_;
    std::size_t start_ = 0;
    std::uint32_t failed_sequence_ = 0;
    bool lost_ = false; // a bad_length was returned: every later next() returns it again
};

// Helpers on TLV lists.
const tlv* find_tlv(const std::vector<tlv>& tlvs, std::uint16_t t) noexcept;
std::optional<std::uint32_t> tlv_integer(const std::vector<tlv>& tlvs, std::uint16_t t) noexcept; // 1, 2 or 4 bytes

} // namespace kharuul::adapters::smpp

namespace boost::system {
template <> struct is_error_code_enum<kharuul::adapters::smpp::decode_error> : std::true_type {};
} // namespace boost::system
