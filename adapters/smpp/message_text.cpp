#include "adapters/smpp/message_text.hpp"

#include "adapters/smpp/gsm0338.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace kharuul::adapters::smpp {

namespace {

constexpr std::uint8_t udhi = 0x40;

enum class alphabet { gsm, ascii, latin1, cyrillic, ucs2, octets };

// data_coding as SMPP 3.4 5.2.19 defines its low values, and the GSM 03.38 section 4 coding
// groups above them (general data coding 0x10-0x3F, message class 0xF0-0xFF).
alphabet alphabet_of(std::uint8_t dc) {
    switch (dc) {
    case 0x00: return alphabet::gsm;
    case 0x01: return alphabet::ascii;
    case 0x03: return alphabet::latin1;
    case 0x06: return alphabet::cyrillic;
    case 0x08: return alphabet::ucs2;
    case 0x02:
    case 0x04: return alphabet::octets;
    default: break;
    }
    if (dc >= 0x10 && dc <= 0x3F && (dc & 0x20) == 0) // uncompressed general data coding
        return std::array{alphabet::gsm, alphabet::octets, alphabet::ucs2, alphabet::octets}[dc >> 2 & 3];
    if (dc >= 0xF0)
        return (dc & 0x04) != 0 ? alphabet::octets : alphabet::gsm;
    if (dc >= 0xC0 && dc <= 0xDF) // message waiting indication, default alphabet
        return alphabet::gsm;
    if (dc >= 0xE0 && dc <= 0xEF)
        return alphabet::ucs2;
    return alphabet::octets;
}

// The UDH's concatenation information element, when it has one that makes sense.
std::optional<concat_part> concat_from_udh(std::string_view udh) {
    std::optional<concat_part> found;
    std::size_t i = 0;
    while (i + 2 <= udh.size()) {
        const auto iei = static_cast<unsigned char>(udh[i]);
        const auto len = static_cast<unsigned char>(udh[i + 1]);
        if (i + 2 + len > udh.size())
            break;
        const std::string_view data = udh.substr(i + 2, len);
        const auto at = [&data](std::size_t k) { return static_cast<unsigned char>(data[k]); };
        if (iei == 0x00 && len == 3) {
            found = concat_part{at(0), at(1), at(2)};
        } else if (iei == 0x08 && len == 4) {
            found = concat_part{static_cast<std::uint16_t>(at(0) << 8 | at(1)), at(2), at(3)};
        }
        i += 2 + len; // other elements (ports, special SMS indication ...) are skipped
    }
    if (found && (found->total == 0 || found->number == 0 || found->number > found->total))
        return std::nullopt;
    return found;
}

std::optional<concat_part> concat_from_sar(const std::vector<tlv>& tlvs) {
    const auto ref = tlv_integer(tlvs, tag::sar_msg_ref_num);
    const auto total = tlv_integer(tlvs, tag::sar_total_segments);
    const auto number = tlv_integer(tlvs, tag::sar_segment_seqnum);
    if (!ref || !total || !number || *ref > 0xFFFF || *total == 0 || *total > 0xFF || *number == 0 ||
        *number > *total)
        return std::nullopt;
    return concat_part{static_cast<std::uint16_t>(*ref), static_cast<std::uint8_t>(*total),
                       static_cast<std::uint8_t>(*number)};
}

std::string_view payload_of(const sm_body& sm, const std::vector<tlv>& tlvs) {
    if (const tlv* payload = find_tlv(tlvs, tag::message_payload))
        return payload->value;
    return sm.short_message;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// The value after `key` (case-insensitive, at the start or after a space) up to the next space.
std::optional<std::string> receipt_field(std::string_view text, std::string_view key) {
    const std::string t = upper(text);
    const std::string k = upper(key);
    for (std::size_t at = t.find(k); at != std::string::npos; at = t.find(k, at + 1)) {
        if (at != 0 && t[at - 1] != ' ')
            continue;
        const std::size_t from = at + k.size();
        const std::size_t to = std::min(text.find(' ', from), text.size());
        return std::string(text.substr(from, to - from));
    }
    return std::nullopt;
}

std::string normal_stat(std::string stat) {
    stat = upper(stat);
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> long_forms = {{
        {"DELIVERED", "DELIVRD"},
        {"UNDELIVERABLE", "UNDELIV"},
        {"UNDELIVERED", "UNDELIV"},
        {"ACCEPTED", "ACCEPTD"},
        {"REJECTED", "REJECTD"},
        {"EXPIRE", "EXPIRED"},
    }};
    for (const auto& [from, to] : long_forms)
        if (stat == from)
            return std::string(to);
    return stat;
}

// message_state (SMPP 3.4 5.2.28) as the stat of a receipt text.
std::string stat_of_state(std::uint32_t state) {
    static constexpr std::array<std::string_view, 9> names = {"",        "ENROUTE", "DELIVRD", "EXPIRED", "DELETED",
                                                              "UNDELIV", "ACCEPTD", "UNKNOWN", "REJECTD"};
    return state < names.size() && state != 0 ? std::string(names[state]) : "UNKNOWN";
}

} // namespace

received_text read_text(const sm_body& sm, const std::vector<tlv>& tlvs, bool gsm_packed) {
    received_text out;
    const std::string_view bytes = payload_of(sm, tlvs);
    std::string_view text_octets = bytes;
    std::size_t udh_octets = 0;
    if ((sm.esm_class & udhi) != 0 && !bytes.empty()) {
        const std::size_t udhl = static_cast<unsigned char>(bytes[0]);
        if (udhl + 1 <= bytes.size()) {
            udh_octets = udhl + 1;
            out.part = concat_from_udh(bytes.substr(1, udhl));
            text_octets = bytes.substr(udh_octets);
        }
    }
    if (!out.part)
        out.part = concat_from_sar(tlvs);
    switch (alphabet_of(sm.data_coding)) {
    case alphabet::gsm:
        if (gsm_packed) {
            // After a UDH the first octet of the text opens with the fill bits that put the first
            // septet on a septet boundary of the whole user data (03.40 9.2.3.24).
            const unsigned fill = gsm::fill_bits_after(udh_octets);
            out.text = gsm::septets_to_utf8(gsm::unpack_septets(text_octets, fill));
        } else {
            out.text = gsm::septets_to_utf8(std::vector<std::uint8_t>(text_octets.begin(), text_octets.end()));
        }
        break;
    case alphabet::ascii: out.text = gsm::ascii_to_utf8(text_octets); break;
    case alphabet::latin1:
    case alphabet::octets: out.text = gsm::latin1_to_utf8(text_octets); break;
    case alphabet::cyrillic: out.text = gsm::cyrillic_to_utf8(text_octets); break;
    case alphabet::ucs2: out.text = gsm::utf16be_to_utf8(text_octets); break;
    }
    return out;
}

std::optional<receipt> read_receipt(const sm_body& sm, const std::vector<tlv>& tlvs) {
    const tlv* id_tlv = find_tlv(tlvs, tag::receipted_message_id);
    // esm_class bits 2-5 give the message type: 0x04 SMSC delivery receipt, 0x20 an intermediate
    // notification; some SMSCs leave esm_class 0 but send the receipt TLVs.
    const unsigned type = sm.esm_class & 0x3C;
    if (type != 0x04 && type != 0x20 && id_tlv == nullptr)
        return std::nullopt;
    std::string_view text = payload_of(sm, tlvs);
    // The text's own "text:" field holds the message's first characters: not searched for fields.
    const std::string t = upper(text);
    for (std::size_t at = t.find("TEXT:"); at != std::string::npos; at = t.find("TEXT:", at + 1)) {
        if (at == 0 || t[at - 1] == ' ') {
            text = text.substr(0, at);
            break;
        }
    }
    receipt r;
    if (id_tlv != nullptr)
        r.message_id = std::string(id_tlv->value.substr(0, id_tlv->value.find('\0')));
    else if (auto id = receipt_field(text, "id:"))
        r.message_id = *id;
    if (const auto state = tlv_integer(tlvs, tag::message_state))
        r.stat = stat_of_state(*state);
    else if (auto stat = receipt_field(text, "stat:"))
        r.stat = normal_stat(*stat);
    if (auto err = receipt_field(text, "err:")) {
        r.err = *err;
    } else if (const tlv* net = find_tlv(tlvs, tag::network_error_code); net != nullptr && net->value.size() == 3) {
        // network type (1 ANSI-136, 2 IS-95, 3 GSM ...) and a 2-octet code: the code, 3 digits.
        const unsigned code = static_cast<unsigned char>(net->value[1]) << 8 | static_cast<unsigned char>(net->value[2]);
        r.err = std::to_string(code);
        r.err.insert(0, r.err.size() < 3 ? 3 - r.err.size() : 0, '0');
    }
    if (r.message_id.empty())
        return std::nullopt;
    if (r.stat.empty())
        r.stat = "UNKNOWN";
    return r;
}

std::vector<std::string> message_id_forms(std::string_view id) {
    std::vector<std::string> forms{std::string(id)};
    const auto add = [&forms](std::string f) {
        if (std::find(forms.begin(), forms.end(), f) == forms.end())
            forms.push_back(std::move(f));
    };
    if (id.empty())
        return forms;
    const bool hex = id.size() <= 16 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    const bool dec = id.size() <= 20 && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (hex) {
        std::uint64_t n = 0;
        for (char c : id)
            n = n << 4 | static_cast<std::uint64_t>(std::isdigit(static_cast<unsigned char>(c))
                                                        ? c - '0'
                                                        : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
        add(std::to_string(n));
    }
    if (dec) {
        std::uint64_t n = 0;
        bool overflow = false;
        for (char c : id) {
            const auto d = static_cast<std::uint64_t>(c - '0');
            if (n > (UINT64_MAX - d) / 10)
                overflow = true;
            n = n * 10 + d;
        }
        if (!overflow) {
            static constexpr char lower[] = "0123456789abcdef";
            std::string h;
            do {
                h.insert(h.begin(), lower[n & 15]);
                n >>= 4;
            } while (n != 0);
            add(h);
            add(upper(h));
        }
    }
    return forms;
}

outgoing_text write_text(std::string_view utf8, bool gsm_packed, std::uint8_t reference) {
    outgoing_text out;
    constexpr std::size_t max_parts = 255;
    const auto udh = [&](std::size_t total, std::size_t n) {
        return std::string{0x05, 0x00, 0x03, static_cast<char>(reference), static_cast<char>(total),
                           static_cast<char>(n)};
    };
    if (auto septets = gsm::utf8_to_septets(utf8)) {
        out.data_coding = 0;
        const auto encode_part = [gsm_packed](const std::vector<std::uint8_t>& s, std::size_t udh_octets) {
            if (gsm_packed)
                return gsm::pack_septets(s, gsm::fill_bits_after(udh_octets));
            return std::string(s.begin(), s.end());
        };
        if (septets->size() <= 160) {
            out.parts.push_back(encode_part(*septets, 0));
            return out;
        }
        // Parts of 153 septets, an ESC pair never cut in two.
        std::vector<std::vector<std::uint8_t>> chunks;
        std::size_t i = 0;
        while (i < septets->size() && chunks.size() < max_parts) {
            std::size_t end = std::min(i + 153, septets->size());
            // The septet before `end` is an ESC when an odd run of ESCs leads up to it: each ESC
            // pair is (ESC, x), so count pairs from the part's start.
            std::size_t k = i;
            while (k < end)
                k += (*septets)[k] == gsm::escape ? 2 : 1;
            if (k > end)
                --end;
            chunks.emplace_back(septets->begin() + static_cast<std::ptrdiff_t>(i),
                                septets->begin() + static_cast<std::ptrdiff_t>(end));
            i = end;
        }
        out.udh = true;
        for (std::size_t n = 0; n < chunks.size(); ++n)
            out.parts.push_back(udh(chunks.size(), n + 1) + encode_part(chunks[n], 6));
        return out;
    }
    out.data_coding = 8;
    const std::string ucs2 = gsm::utf8_to_utf16be(utf8);
    if (ucs2.size() <= 140) {
        out.parts.push_back(ucs2);
        return out;
    }
    // Parts of 67 UTF-16 units (134 octets), a surrogate pair never cut in two.
    std::vector<std::string_view> chunks;
    const std::string_view all = ucs2;
    std::size_t i = 0;
    while (i < all.size() && chunks.size() < max_parts) {
        std::size_t end = std::min(i + 134, all.size());
        if (end < all.size()) {
            const auto last_hi = static_cast<unsigned char>(all[end - 2]);
            if (last_hi >= 0xD8 && last_hi <= 0xDB)
                end -= 2;
        }
        chunks.push_back(all.substr(i, end - i));
        i = end;
    }
    out.udh = true;
    for (std::size_t n = 0; n < chunks.size(); ++n)
        out.parts.push_back(udh(chunks.size(), n + 1) + std::string(chunks[n]));
    return out;
}

} // namespace kharuul::adapters::smpp
