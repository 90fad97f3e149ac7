// The Kannel dialect. Inbound: smsbox's sms-service calls us with the URL template of
// spec/interfaces.md, `get-url = ".../receive?secret=S&from=%p&to=%P&text=%a&id=%I&time=%t&
// coding=%c&charset=%C&smsc=%i"`, or a `post-url`, which sends the message as the body (its
// charset in Content-Type) and the rest as X-Kannel-From (only with `send-sender = true`),
// X-Kannel-To, X-Kannel-Time and X-Kannel-Coding headers. We answer text/plain: Kannel sends the
// body to the sender as the reply. Delivery reports: the dlr-url we give sendsms,
// ".../status?secret=S&outbox=<outbox id>&type=%d&reply=%A&ts=%T".
//
// Kannel 1.4 writes %c as 0 (7 bit), 1 (8 bit) or 2 (UCS-2) and %C as the message's charset or,
// when unset, "UTF-8", "8-BIT" or "UTF-16BE" after the coding; %t is "YYYY-MM-DD HH:MM:SS" in
// UTC and %T unix seconds. With `mo-recode = true` smsbox turns UCS-2 into UTF-8 itself.

#include "adapters/dialect.hpp"

#include "parser/segment.hpp"
#include "adapters/charset.hpp"
#include "adapters/http_input.hpp"
#include "adapters/phone.hpp"

#include <boost/beast/http/field.hpp>

#include <array>
#include <charconv>

namespace kharuul::adapters {

namespace {

request_error bad_request(std::string reason) {
    return {errc::bad_request, std::move(reason)};
}

std::optional<std::int64_t> to_integer(std::string_view s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

template <std::size_t N>
bool names_one_of(std::string_view charset, const std::array<std::string_view, N>& names) {
    for (const auto n : names) {
        if (iequals(charset, n)) {
            return true;
        }
    }
    return false;
}

constexpr std::array<std::string_view, 7> utf16_names = {"UTF-16BE", "UTF16-BE", "UTF-16",         "UCS-2",
                                                         "UCS2",     "UCS-2BE",  "ISO-10646-UCS-2"};
constexpr std::array<std::string_view, 2> utf8_names = {"UTF-8", "UTF8"};
constexpr std::array<std::string_view, 9> eight_bit_names = {
    "ISO-8859-1", "ISO8859-1", "LATIN1", "WINDOWS-1252", "CP1252", "GSM", "8-BIT", "BINARY", "US-ASCII"};
constexpr std::array<std::string_view, 2> cp1252_names = {"WINDOWS-1252", "CP1252"};

constexpr int coding_ucs2 = 2;

// Text bytes as Kannel passed them, to UTF-8. UTF-16BE when the charset says so, or when the
// coding is UCS-2 and the charset names no other encoding; otherwise UTF-8 when the bytes are
// valid UTF-8 (Kannel 1.4 keeps 7-bit text in UTF-8), else Latin-1 (Windows-1252 when named).
result<std::string> decode_text(std::string_view bytes, std::string_view charset, int coding) {
    const bool utf16 =
        names_one_of(charset, utf16_names) || (coding == coding_ucs2 && !names_one_of(charset, utf8_names) &&
                                               !names_one_of(charset, eight_bit_names));
    if (utf16) {
        auto text = utf16be_to_utf8(bytes);
        if (!text) {
            return bad_request("field 'text' is not UTF-16BE: an odd number of bytes");
        }
        return std::move(*text);
    }
    if (is_valid_utf8(bytes)) {
        return std::string(bytes);
    }
    return names_one_of(charset, cp1252_names) ? cp1252_to_utf8(bytes) : latin1_to_utf8(bytes);
}

// Addresses and SMSC replies are ASCII in practice; anything else is read as Latin-1 rather
// than refused.
std::string lenient_utf8(std::string_view bytes) {
    return is_valid_utf8(bytes) ? std::string(bytes) : latin1_to_utf8(bytes);
}

class kannel_dialect_impl final : public dialect {
public:
    std::string_view type() const noexcept override { return "kannel"; }

    result<inbound_sms> parse_inbound(const request& req, const channel_settings& channel) const override {
        const bool post = req.method() == http::verb::post;
        if (!post && req.method() != http::verb::get) {
            return request_error{errc::method_not_allowed, "use GET (get-url) or POST (post-url)"};
        }
        const auto query = form_fields::parse(query_of(req.target()));
        if (!query) {
            return bad_request("the query string is not valid URL encoding");
        }
        // As the generic dialect does: neither the first nor the last of two values may win.
        if (const auto name = query->repeated()) {
            return bad_request(repeated_field_reason(*name));
        }
        if (post) {
            for (const auto header : {"X-Kannel-From", "X-Kannel-To", "X-Kannel-Time", "X-Kannel-Coding"}) {
                if (req.count(header) > 1) {
                    return bad_request(repeated_field_reason(header));
                }
            }
        }
        // A query parameter, else (post-url) its X-Kannel header.
        const auto field = [&](std::string_view name, std::string_view header) -> std::optional<std::string> {
            if (auto v = query->get(name)) {
                return v;
            }
            if (const auto it = req.find(header); post && it != req.end()) {
                return std::string(it->value());
            }
            return std::nullopt;
        };

        std::optional<std::string> text_bytes;
        std::string charset;
        if (post && (!req.body().empty() || !query->contains("text"))) {
            const std::string content_type(req[http::field::content_type]);
            const std::string media = media_type(content_type);
            if (!media.empty() && media != "text/plain" && media != "application/octet-stream") {
                return request_error{errc::unsupported_media_type,
                                     "post-url sends text/plain or application/octet-stream, not '" + media +
                                         "' (post-xml is not supported)"};
            }
            text_bytes = req.body();
            charset = media_type_parameter(content_type, "charset");
        } else {
            text_bytes = query->get("text");
            charset = query->get("charset").value_or("");
        }
        if (!text_bytes) {
            return bad_request("missing field 'text' (put text=%a in the get-url)");
        }
        const auto from = field("from", "X-Kannel-From");
        if (!from) {
            return bad_request(
                post ? "missing field 'from' (put from=%p in the post-url, or set send-sender = true)"
                     : "missing field 'from' (put from=%p in the get-url)");
        }
        int coding = -1;
        if (const auto c = field("coding", "X-Kannel-Coding"); c && !c->empty()) {
            const auto v = to_integer(*c);
            if (!v) {
                return bad_request("field 'coding' is not a number");
            }
            coding = static_cast<int>(*v);
        }
        auto text = decode_text(*text_bytes, charset, coding);
        if (!text) {
            return text.error();
        }

        inbound_sms sms;
        sms.channel = channel.name;
        sms.from = normalise_phone(lenient_utf8(*from), channel.country_code);
        if (sms.from.empty()) {
            return bad_request("field 'from' is empty");
        }
        if (!is_sender_number(sms.from)) {
            return bad_request("field 'from' is not a phone number");
        }
        sms.to = normalise_phone(lenient_utf8(field("to", "X-Kannel-To").value_or("")), channel.country_code);
        sms.text = std::move(*text);
        sms.provider_id = lenient_utf8(query->get("id").value_or(""));
        // Kannel writes the time itself; a form we cannot read (an unset time renders as 1969)
        // is dropped rather than costing the message.
        if (const auto t = field("time", "X-Kannel-Time")) {
            sms.observed_at = parse_timestamp(*t);
        }
        return sms;
    }

    result<delivery_report> parse_status(const request& req, const channel_settings& channel) const override {
        if (req.method() != http::verb::get && req.method() != http::verb::post) {
            return request_error{errc::method_not_allowed, "use GET or POST"};
        }
        const auto query = form_fields::parse(query_of(req.target()));
        if (!query) {
            return bad_request("the query string is not valid URL encoding");
        }
        if (const auto name = query->repeated()) {
            return bad_request(repeated_field_reason(*name));
        }
        const auto type = query->get("type");
        if (!type) {
            return bad_request("missing field 'type' (put type=%d in the dlr-url)");
        }
        delivery_report report;
        report.channel = channel.name;
        // Kannel's DLR types: 1 delivered to the phone, 2 not delivered, 4 queued at the SMSC,
        // 8 accepted by the SMSC, 16 rejected by the SMSC.
        switch (to_integer(*type).value_or(0)) {
        case 1:
            report.state = delivery_state::delivered;
            break;
        case 2:
            report.state = delivery_state::failed;
            break;
        case 4:
            report.state = delivery_state::queued;
            break;
        case 8:
            report.state = delivery_state::sent;
            break;
        case 16:
            report.state = delivery_state::failed;
            break;
        default:
            return bad_request("field 'type' is not a Kannel delivery report type (1, 2, 4, 8 or 16)");
        }
        const auto outbox = query->get("outbox");
        if (!outbox) {
            return bad_request("missing field 'outbox' (the dlr-url must carry our outbox id)");
        }
        const auto outbox_id = to_integer(*outbox);
        if (!outbox_id || *outbox_id <= 0) {
            return bad_request("field 'outbox' is not an outbox id");
        }
        report.outbox_id = *outbox_id;
        report.provider_id = lenient_utf8(query->get("id").value_or(""));
        report.detail = lenient_utf8(query->get("reply").value_or(""));
        if (const auto ts = query->get("ts")) {
            report.observed_at = parse_timestamp(*ts);
        }
        return report;
    }

    response stored(const request& req, std::int64_t, std::string_view,
                    std::string_view reply) const override {
        // The whole body becomes the reply SMS; an empty body sends nothing only with
        // `omit-empty = true` in the sms-service.
        response res(http::status::ok, req.version());
        res.keep_alive(req.keep_alive());
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        // A reply outside the GSM alphabet (Cyrillic) must say so, or Kannel sends it as GSM
        // and the phone shows '?' for every letter. Needs `accept-x-kannel-headers = true` in the
        // sms-service (README). Kannel then re-encodes the UTF-8 body as UCS-2.
        if (parser::measure_sms(reply).encoding == parser::sms_encoding::ucs2)
            res.set("X-Kannel-Coding", "2");
        res.body() = std::string(reply);
        res.prepare_payload();
        return res;
    }

protected:
    std::string_view allowed_methods() const noexcept override { return "GET, POST"; }
};

} // namespace

const dialect& kannel_dialect() noexcept {
    static const kannel_dialect_impl instance;
    return instance;
}

} // namespace kharuul::adapters
