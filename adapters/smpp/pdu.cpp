#include "adapters/smpp/pdu.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

#include <algorithm>
#include <cstring>

namespace kharuul::adapters::smpp {

namespace {

constexpr std::size_t header_length = 16;

// Maxima of the C-string fields, their terminating NUL included (SMPP 3.4 section 4).
namespace max {
constexpr std::size_t system_id = 16;
constexpr std::size_t password = 9;
constexpr std::size_t system_type = 13;
constexpr std::size_t address_range = 41;
constexpr std::size_t service_type = 6;
constexpr std::size_t address = 21;
constexpr std::size_t time = 17;
constexpr std::size_t message_id = 65;
constexpr std::size_t short_message = 254;
} // namespace max

// ---------------------------------------------------------------------------------------------
// Writing

class writer {
public:
    void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
    void u16(std::uint16_t v) {
        u8(static_cast<std::uint8_t>(v >> 8));
        u8(static_cast<std::uint8_t>(v));
    }
    void u32(std::uint32_t v) {
        u16(static_cast<std::uint16_t>(v >> 16));
        u16(static_cast<std::uint16_t>(v));
    }
    // A C-string cut to `max_with_nul - 1` characters and at its first NUL, so that it reads back.
    void c_string(std::string_view s, std::size_t max_with_nul) {
        s = s.substr(0, std::min(s.find('\0'), max_with_nul - 1));
        out_.append(s);
        u8(0);
    }
    void octets(std::string_view s) { out_.append(s); }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

template <class Body> Body body_or_default(const pdu& p) {
    if (const auto* b = std::get_if<Body>(&p.fields))
        return *b;
    return Body{};
}

void write_bind(writer& w, const bind_body& b) {
    w.c_string(b.system_id, max::system_id);
    w.c_string(b.password, max::password);
    w.c_string(b.system_type, max::system_type);
    w.u8(b.interface_version);
    w.u8(b.addr_ton);
    w.u8(b.addr_npi);
    w.c_string(b.address_range, max::address_range);
}

void write_sm(writer& w, const sm_body& sm) {
    w.c_string(sm.service_type, max::service_type);
    w.u8(sm.source_addr_ton);
    w.u8(sm.source_addr_npi);
    w.c_string(sm.source_addr, max::address);
    w.u8(sm.dest_addr_ton);
    w.u8(sm.dest_addr_npi);
    w.c_string(sm.destination_addr, max::address);
    w.u8(sm.esm_class);
    w.u8(sm.protocol_id);
    w.u8(sm.priority_flag);
    w.c_string(sm.schedule_delivery_time, max::time);
    w.c_string(sm.validity_period, max::time);
    w.u8(sm.registered_delivery);
    w.u8(sm.replace_if_present_flag);
    w.u8(sm.data_coding);
    w.u8(sm.sm_default_msg_id);
    const std::string_view text = std::string_view(sm.short_message).substr(0, max::short_message);
    w.u8(static_cast<std::uint8_t>(text.size()));
    w.octets(text);
}

// ---------------------------------------------------------------------------------------------
// Reading

// Reads fields off one PDU's bytes; every read reports whether the field was there.
class reader {
public:
    explicit reader(std::string_view bytes) : in_(bytes) {}
    bool at_end() const { return pos_ == in_.size(); }
    std::size_t remaining() const { return in_.size() - pos_; }

    bool u8(std::uint8_t& v) {
        if (remaining() < 1)
            return false;
        v = static_cast<std::uint8_t>(in_[pos_++]);
        return true;
    }
    bool u16(std::uint16_t& v) {
        std::uint8_t hi = 0, lo = 0;
        if (remaining() < 2)
            return false;
        u8(hi);
        u8(lo);
        v = static_cast<std::uint16_t>(hi << 8 | lo);
        return true;
    }
    // A C-string of at most `max_with_nul` octets, its NUL included.
    bool c_string(std::string& s, std::size_t max_with_nul) {
        const std::string_view rest = in_.substr(pos_, max_with_nul);
        const auto nul = rest.find('\0');
        if (nul == std::string_view::npos)
            return false;
        s.assign(rest.substr(0, nul));
        pos_ += nul + 1;
        return true;
    }
    bool octets(std::string& s, std::size_t n) {
        if (remaining() < n)
            return false;
        s.assign(in_.substr(pos_, n));
        pos_ += n;
        return true;
    }

private:
    std::string_view in_;
    std::size_t pos_ = 0;
};

bool read_bind(reader& r, bind_body& b) {
    return r.c_string(b.system_id, max::system_id) && r.c_string(b.password, max::password) &&
           r.c_string(b.system_type, max::system_type) && r.u8(b.interface_version) && r.u8(b.addr_ton) &&
           r.u8(b.addr_npi) && r.c_string(b.address_range, max::address_range);
}

bool read_sm(reader& r, sm_body& sm) {
    std::uint8_t length = 0;
    return r.c_string(sm.service_type, max::service_type) && r.u8(sm.source_addr_ton) &&
           r.u8(sm.source_addr_npi) && r.c_string(sm.source_addr, max::address) && r.u8(sm.dest_addr_ton) &&
           r.u8(sm.dest_addr_npi) && r.c_string(sm.destination_addr, max::address) && r.u8(sm.esm_class) &&
           r.u8(sm.protocol_id) && r.u8(sm.priority_flag) && r.c_string(sm.schedule_delivery_time, max::time) &&
           r.c_string(sm.validity_period, max::time) && r.u8(sm.registered_delivery) &&
           r.u8(sm.replace_if_present_flag) && r.u8(sm.data_coding) && r.u8(sm.sm_default_msg_id) &&
           r.u8(length) && length <= max::short_message && r.octets(sm.short_message, length);
}

// A response's single C-string (system_id, message_id). SMSCs leave the body out of error
// responses (sections 4.1.2, 4.4.2) and some out of deliver_sm_resp too: an empty body reads as "".
bool read_resp_string(reader& r, std::string& s, std::size_t max_with_nul) {
    if (r.at_end()) {
        s.clear();
        return true;
    }
    return r.c_string(s, max_with_nul);
}

std::uint32_t be32(std::string_view b) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(b[0])) << 24 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[1])) << 16 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[2])) << 8 |
           static_cast<std::uint32_t>(static_cast<unsigned char>(b[3]));
}

bool known(std::uint32_t id) {
    switch (static_cast<command>(id)) {
    case command::generic_nack:
    case command::bind_receiver:
    case command::bind_receiver_resp:
    case command::bind_transmitter:
    case command::bind_transmitter_resp:
    case command::submit_sm:
    case command::submit_sm_resp:
    case command::deliver_sm:
    case command::deliver_sm_resp:
    case command::unbind:
    case command::unbind_resp:
    case command::bind_transceiver:
    case command::bind_transceiver_resp:
    case command::enquire_link:
    case command::enquire_link_resp:
        return true;
    }
    return false;
}

bool has_resp_body_on_error(command id) {
    // deliver_sm_resp's message_id is "unused, set to NULL" whatever the status; the bind and
    // submit_sm responses carry no body when command_status is non-zero.
    return id == command::deliver_sm_resp;
}

class decode_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "kharuul.smpp.decode"; }
    std::string message(int ev) const override { return std::string(to_string(static_cast<decode_error>(ev))); }
};

} // namespace

// ---------------------------------------------------------------------------------------------

std::string_view to_string(command c) noexcept {
    switch (c) {
    case command::generic_nack: return "generic_nack";
    case command::bind_receiver: return "bind_receiver";
    case command::bind_receiver_resp: return "bind_receiver_resp";
    case command::bind_transmitter: return "bind_transmitter";
    case command::bind_transmitter_resp: return "bind_transmitter_resp";
    case command::submit_sm: return "submit_sm";
    case command::submit_sm_resp: return "submit_sm_resp";
    case command::deliver_sm: return "deliver_sm";
    case command::deliver_sm_resp: return "deliver_sm_resp";
    case command::unbind: return "unbind";
    case command::unbind_resp: return "unbind_resp";
    case command::bind_transceiver: return "bind_transceiver";
    case command::bind_transceiver_resp: return "bind_transceiver_resp";
    case command::enquire_link: return "enquire_link";
    case command::enquire_link_resp: return "enquire_link_resp";
    }
    return "unknown";
}

std::string_view to_string(decode_error e) noexcept {
    switch (e) {
    case decode_error::bad_length: return "command_length under 16 or over the maximum";
    case decode_error::unknown_command: return "unknown command_id";
    case decode_error::malformed_body: return "malformed PDU body";
    case decode_error::truncated_tlv: return "optional parameter runs past the PDU's end";
    }
    return "unknown decode error";
}

std::uint32_t nack_status(decode_error e) noexcept {
    switch (e) {
    case decode_error::unknown_command: return status::invalid_command_id;
    case decode_error::truncated_tlv: return status::invalid_optional_stream;
    case decode_error::bad_length:
    case decode_error::malformed_body: break;
    }
    return status::invalid_command_length;
}

const boost::system::error_category& decode_category() noexcept {
    static const decode_category_impl category;
    return category;
}

boost::system::error_code make_error_code(decode_error e) noexcept {
    return {static_cast<int>(e), decode_category()};
}

void throw_exception_from_error(const decode_error& e, const boost::source_location& loc) {
    boost::throw_exception(boost::system::system_error(make_error_code(e)), loc);
}

std::string encode(const pdu& p) {
    writer w;
    w.u32(0); // command_length, patched below
    w.u32(static_cast<std::uint32_t>(p.id));
    w.u32(p.status);
    w.u32(p.sequence);
    // An error response's body is left out (sections 4.1.2, 4.4.2) unless TLVs follow it: their
    // bytes would otherwise read back as the missing C-string.
    const bool error_resp = p.status != status::ok && !has_resp_body_on_error(p.id) && p.tlvs.empty();
    switch (p.id) {
    case command::bind_receiver:
    case command::bind_transmitter:
    case command::bind_transceiver:
        write_bind(w, body_or_default<bind_body>(p));
        break;
    case command::bind_receiver_resp:
    case command::bind_transmitter_resp:
    case command::bind_transceiver_resp:
        if (!error_resp)
            w.c_string(body_or_default<bind_resp_body>(p).system_id, max::system_id);
        break;
    case command::submit_sm:
    case command::deliver_sm:
        write_sm(w, body_or_default<sm_body>(p));
        break;
    case command::submit_sm_resp:
    case command::deliver_sm_resp:
        if (!error_resp)
            w.c_string(body_or_default<message_id_body>(p).message_id, max::message_id);
        break;
    case command::generic_nack:
    case command::unbind:
    case command::unbind_resp:
    case command::enquire_link:
    case command::enquire_link_resp:
        break;
    }
    for (const auto& t : p.tlvs) {
        // A value too long for the 16-bit length (or for the PDU) is cut, like the fields.
        const std::string_view v = std::string_view(t.value).substr(0, max_pdu_length);
        if (w.bytes().size() + 4 + v.size() > max_pdu_length)
            break;
        w.u16(t.tag);
        w.u16(static_cast<std::uint16_t>(v.size()));
        w.octets(v);
    }
    std::string out = std::move(w.bytes());
    const auto n = static_cast<std::uint32_t>(out.size());
    for (int i = 0; i < 4; ++i)
        out[i] = static_cast<char>(n >> (24 - 8 * i));
    return out;
}

boost::system::result<pdu, decode_error> decode(std::string_view bytes) {
    if (bytes.size() < header_length || bytes.size() > max_pdu_length || be32(bytes) != bytes.size())
        return decode_error::bad_length;
    const std::uint32_t id = be32(bytes.substr(4));
    if (!known(id))
        return decode_error::unknown_command;
    pdu p;
    p.id = static_cast<command>(id);
    p.status = be32(bytes.substr(8));
    p.sequence = be32(bytes.substr(12));
    reader r(bytes.substr(header_length));
    bool ok = true;
    switch (p.id) {
    case command::bind_receiver:
    case command::bind_transmitter:
    case command::bind_transceiver:
        ok = read_bind(r, p.fields.emplace<bind_body>());
        break;
    case command::bind_receiver_resp:
    case command::bind_transmitter_resp:
    case command::bind_transceiver_resp:
        ok = read_resp_string(r, p.fields.emplace<bind_resp_body>().system_id, max::system_id);
        break;
    case command::submit_sm:
    case command::deliver_sm:
        ok = read_sm(r, p.fields.emplace<sm_body>());
        break;
    case command::submit_sm_resp:
    case command::deliver_sm_resp:
        ok = read_resp_string(r, p.fields.emplace<message_id_body>().message_id, max::message_id);
        break;
    case command::generic_nack:
    case command::unbind:
    case command::unbind_resp:
    case command::enquire_link:
    case command::enquire_link_resp:
        break;
    }
    if (!ok)
        return decode_error::malformed_body;
    // What follows the mandatory fields is optional parameters (section 3.2.4).
    while (!r.at_end()) {
        tlv t;
        std::uint16_t length = 0;
        if (!r.u16(t.tag) || !r.u16(length) || !r.octets(t.value, length))
            return decode_error::truncated_tlv;
        p.tlvs.push_back(std::move(t));
    }
    return p;
}

boost::system::result<pdu, decode_error> decode(std::span<const std::byte> bytes) {
    return decode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

// ---------------------------------------------------------------------------------------------

void pdu_reader::feed(std::string_view bytes) {
    if (lost_)
        return;
    // Drop what was read before appending, so that the buffer holds about one PDU, not the stream.
    if (start_ > 0 && (start_ == buffer_.size() || start_ >= 4096)) {
        buffer_.erase(0, start_);
        start_ = 0;
    }
    buffer_.append(bytes);
}

std::optional<boost::system::result<pdu, decode_error>> pdu_reader::next() {
    if (lost_) {
        failed_sequence_ = 0;
        return boost::system::result<pdu, decode_error>(decode_error::bad_length);
    }
    const std::string_view rest = std::string_view(buffer_).substr(start_);
    if (rest.size() < 4)
        return std::nullopt;
    const std::uint32_t length = be32(rest);
    if (length < header_length || length > max_pdu_length) {
        lost_ = true;
        failed_sequence_ = 0;
        buffer_.clear();
        start_ = 0;
        return boost::system::result<pdu, decode_error>(decode_error::bad_length);
    }
    if (rest.size() < length)
        return std::nullopt;
    const std::string_view bytes = rest.substr(0, length);
    failed_sequence_ = be32(bytes.substr(12));
    auto decoded = decode(bytes);
    start_ += length;
    if (start_ == buffer_.size()) {
        buffer_.clear();
        start_ = 0;
    }
    return decoded;
}

const tlv* find_tlv(const std::vector<tlv>& tlvs, std::uint16_t t) noexcept {
    const auto it = std::find_if(tlvs.begin(), tlvs.end(), [t](const tlv& x) { return x.tag == t; });
    return it == tlvs.end() ? nullptr : &*it;
}

std::optional<std::uint32_t> tlv_integer(const std::vector<tlv>& tlvs, std::uint16_t t) noexcept {
    const tlv* found = find_tlv(tlvs, t);
    if (found == nullptr)
        return std::nullopt;
    const std::string_view v = found->value;
    if (v.size() != 1 && v.size() != 2 && v.size() != 4)
        return std::nullopt;
    std::uint32_t n = 0;
    for (unsigned char c : v)
        n = n << 8 | c;
    return n;
}

} // namespace kharuul::adapters::smpp
