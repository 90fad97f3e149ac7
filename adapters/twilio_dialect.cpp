// The Twilio dialect. Inbound: the messaging webhook of a phone number or Messaging Service
// ("A message comes in"), a form POST with From, To, Body, MessageSid and more (AccountSid,
// NumMedia, NumSegments, FromCountry ...; read only for the signature), signed in the
// X-Twilio-Signature header with the account's auth token over the URL Twilio called, which is
// [server] public_url and the request's path and query (twilio_signature.hpp). The console also
// offers HTTP GET for the webhook: then the fields come in the query, which the URL (and so the
// signature) carries. We answer TwiML, <Response><Message>reply</Message></Response>; Twilio sends
// the Message to the sender. Status callbacks (the StatusCallback of our Messages API requests,
// twilio_outbound.cpp): MessageSid, MessageStatus and, for failures, ErrorCode, at
// /channels/{name}/status?outbox=<our outbox id>.

#include "adapters/dialect.hpp"

#include "adapters/charset.hpp"
#include "adapters/http_input.hpp"
#include "adapters/phone.hpp"
#include "adapters/twilio_signature.hpp"

#include <boost/beast/http/field.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace kharuul::adapters {

namespace {

request_error bad_request(std::string reason) {
    return {errc::bad_request, std::move(reason)};
}

constexpr std::string_view form_media = "application/x-www-form-urlencoded";

// The webhook's fields: the form body of a POST, the query of a GET.
result<form_fields> webhook_fields(const request& req) {
    if (req.method() == http::verb::get) {
        auto query = form_fields::parse(query_of(req.target()));
        if (!query) {
            return bad_request("the query string is not valid URL encoding");
        }
        return std::move(*query);
    }
    if (req.method() != http::verb::post) {
        return request_error{errc::method_not_allowed, "use POST (or GET, as the webhook's method in the console)"};
    }
    const std::string media = media_type(req[http::field::content_type]);
    if (media != form_media && !(media.empty() && req.body().empty())) {
        return request_error{errc::unsupported_media_type,
                             "Twilio posts application/x-www-form-urlencoded, not '" +
                                 (media.empty() ? std::string("(none)") : media) + "'"};
    }
    auto form = form_fields::parse(req.body());
    if (!form) {
        return bad_request("the form body is not valid application/x-www-form-urlencoded");
    }
    return std::move(*form);
}

// A field we read, given at most once, in UTF-8; nullopt when absent. The others (media URLs,
// geography ...) may repeat: they are only signed, not read.
result<std::optional<std::string>> single_field(const form_fields& f, std::string_view name) {
    std::size_t seen = 0;
    for (const auto& [n, v] : f.pairs()) {
        seen += n == name ? 1 : 0;
    }
    if (seen > 1) {
        return bad_request(repeated_field_reason(name));
    }
    auto value = f.get(name);
    if (value && !is_valid_utf8(*value)) {
        return bad_request("field '" + std::string(name) + "' is not valid UTF-8");
    }
    return value;
}

// The first of `names` that is present (Twilio's older duplicates: SmsMessageSid, SmsSid ...).
result<std::optional<std::string>> first_field(const form_fields& f, std::initializer_list<std::string_view> names) {
    for (const auto name : names) {
        auto v = single_field(f, name);
        if (!v || v->has_value()) {
            return v;
        }
    }
    return std::optional<std::string>();
}

// What Twilio's error codes of undelivered messages mean, for the outbox history (the codes most
// seen with SMS; the rest are shown as the number only, https://www.twilio.com/docs/api/errors).
std::string_view error_meaning(std::string_view code) noexcept {
    struct known {
        std::string_view code, meaning;
    };
    static constexpr std::array<known, 16> table = {{
        {"21211", "invalid 'To' number"},
        {"21408", "sending to this region is not enabled"},
        {"21610", "the recipient has replied STOP"},
        {"21612", "no route to this number"},
        {"21614", "not a mobile number"},
        {"30001", "queue overflow"},
        {"30002", "account suspended"},
        {"30003", "unreachable destination handset"},
        {"30004", "message blocked"},
        {"30005", "unknown destination handset"},
        {"30006", "landline or unreachable carrier"},
        {"30007", "filtered by the carrier"},
        {"30008", "unknown error"},
        {"30032", "toll-free number not verified"},
        {"30034", "sender number not registered (A2P 10DLC)"},
        {"30044", "message expired (validity period)"},
    }};
    for (const auto& k : table) {
        if (k.code == code) {
            return k.meaning;
        }
    }
    return {};
}

bool all_digits(std::string_view s) noexcept {
    return !s.empty() && s.size() <= 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// MessageStatus onto our delivery states: the ones before the carrier has the message are queued,
// the final ones delivered or failed.
std::optional<delivery_state> state_of(std::string_view status) noexcept {
    struct mapping {
        std::string_view status;
        delivery_state state;
    };
    static constexpr std::array<mapping, 11> table = {{
        {"accepted", delivery_state::queued},
        {"scheduled", delivery_state::queued},
        {"queued", delivery_state::queued},
        {"sending", delivery_state::queued},
        {"sent", delivery_state::sent},
        {"partially_delivered", delivery_state::sent},
        {"delivered", delivery_state::delivered},
        {"read", delivery_state::delivered},
        {"undelivered", delivery_state::failed},
        {"failed", delivery_state::failed},
        {"canceled", delivery_state::failed},
    }};
    for (const auto& m : table) {
        if (m.status == status) {
            return m.state;
        }
    }
    return std::nullopt;
}

// Text for an XML element: & < > " ' escaped; characters XML 1.0 cannot carry at all (C0 controls
// other than tab and line breaks) dropped, as Twilio would refuse the whole document; invalid
// UTF-8 read as Latin-1 (replies are our own text, but may quote the sender's).
std::string xml_text(std::string_view text) {
    const std::string utf8 = is_valid_utf8(text) ? std::string(text) : latin1_to_utf8(text);
    std::string out;
    out.reserve(utf8.size() + utf8.size() / 8);
    for (const char ch : utf8) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            if (static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
                break;
            }
            out += ch;
        }
    }
    return out;
}

class twilio_dialect_impl final : public dialect {
public:
    using dialect::failed;

    std::string_view type() const noexcept override { return "twilio"; }

    // The X-Twilio-Signature over public_url + the request target and, for a POST, its form
    // parameters. Not the channel secret: Twilio cannot send one in a header, and the signature
    // covers the URL with any query it has. Fails closed without an auth token or public_url.
    bool authenticate(const request& req, const channel_settings& channel) const override {
        if (channel.auth_token.empty() || channel.public_url.empty() || req.count("X-Twilio-Signature") != 1) {
            return false;
        }
        twilio::parameter_list params;
        if (req.method() == http::verb::post && !req.body().empty()) {
            if (media_type(req[http::field::content_type]) != form_media) {
                return false; // JSON bodies (bodySHA256) are not used for messaging webhooks
            }
            const auto form = form_fields::parse(req.body());
            if (!form) {
                return false;
            }
            params = form->pairs();
        }
        std::string url = channel.public_url;
        url += req.target();
        return twilio::signature_matches(req["X-Twilio-Signature"], channel.auth_token, url, params);
    }

    result<inbound_sms> parse_inbound(const request& req, const channel_settings& channel) const override {
        auto fields = webhook_fields(req);
        if (!fields) {
            return fields.error();
        }
        auto from = single_field(*fields, "From");
        auto to = single_field(*fields, "To");
        auto body = single_field(*fields, "Body");
        auto sid = first_field(*fields, {"MessageSid", "SmsMessageSid", "SmsSid"});
        for (const auto* r : {&from, &to, &body, &sid}) {
            if (!*r) {
                return r->error();
            }
        }
        if (!from->has_value()) {
            return bad_request("missing field 'From'");
        }
        if (!body->has_value()) {
            return bad_request("missing field 'Body'");
        }
        inbound_sms sms;
        sms.channel = channel.name;
        sms.from = normalise_phone(**from, channel.country_code);
        if (sms.from.empty()) {
            return bad_request("field 'From' is empty");
        }
        if (!is_sender_number(sms.from)) {
            // "whatsapp:+976...", "messenger:...": this channel takes SMS.
            return bad_request("field 'From' is not a phone number (only SMS is taken on this channel)");
        }
        sms.to = normalise_phone(to->value_or(""), channel.country_code);
        sms.text = std::move(**body);
        sms.provider_id = sid->value_or("");
        return sms;
    }

    result<delivery_report> parse_status(const request& req, const channel_settings& channel) const override {
        auto fields = webhook_fields(req);
        if (!fields) {
            return fields.error();
        }
        auto status = first_field(*fields, {"MessageStatus", "SmsStatus"});
        auto sid = first_field(*fields, {"MessageSid", "SmsSid"});
        auto error_code = single_field(*fields, "ErrorCode");
        for (const auto* r : {&status, &sid, &error_code}) {
            if (!*r) {
                return r->error();
            }
        }
        if (!status->has_value()) {
            return bad_request("missing field 'MessageStatus'");
        }
        const auto state = state_of(**status);
        if (!state) {
            return bad_request("field 'MessageStatus' is not a status of a message sent through Twilio");
        }
        delivery_report report;
        report.channel = channel.name;
        report.state = *state;
        report.provider_id = sid->value_or("");
        // Our outbox id, from the StatusCallback URL we gave (query, whatever the method).
        const auto query = form_fields::parse(query_of(req.target()));
        if (!query) {
            return bad_request("the query string is not valid URL encoding");
        }
        if (const auto outbox = query->get("outbox")) {
            std::int64_t id = 0;
            const auto [end, ec] = std::from_chars(outbox->data(), outbox->data() + outbox->size(), id);
            if (ec != std::errc() || end != outbox->data() + outbox->size() || id <= 0) {
                return bad_request("field 'outbox' is not an outbox id");
            }
            report.outbox_id = id;
        }
        if (report.provider_id.empty() && !report.outbox_id) {
            return bad_request("missing field 'MessageSid'");
        }
        report.detail = **status;
        if (error_code->has_value() && all_digits(**error_code) && **error_code != "0") {
            report.detail += ": error " + **error_code;
            if (const auto meaning = error_meaning(**error_code); !meaning.empty()) {
                report.detail += " (" + std::string(meaning) + ")";
            }
        }
        return report;
    }

    response stored(const request& req, std::int64_t, std::string_view, std::string_view reply) const override {
        response res(http::status::ok, req.version());
        res.keep_alive(req.keep_alive());
        res.set(http::field::content_type, "text/xml; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        std::string body = R"(<?xml version="1.0" encoding="UTF-8"?>)";
        if (reply.empty()) {
            body += "<Response/>";
        } else {
            body += "<Response><Message>" + xml_text(reply) + "</Message></Response>";
        }
        res.body() = std::move(body);
        res.prepare_payload();
        return res;
    }

    // text/plain with the reason: Twilio's debugger shows the body of a failed webhook to the
    // operator. A 401 explains what the signature is checked against, the usual culprit.
    response failed(const request& req, http::status status, std::string_view reason) const override {
        if (status == http::status::unauthorized) {
            auto res = make_failure(req, status,
                                    "X-Twilio-Signature missing or not valid: it is checked with the channel's "
                                    "auth_token over [server] public_url followed by the request's path and query, "
                                    "which must be the URL configured in the Twilio console\n",
                                    "text/plain; charset=utf-8");
            res.set(http::field::www_authenticate, "X-Twilio-Signature");
            return res;
        }
        std::string body(reason);
        body += '\n';
        return make_failure(req, status, std::move(body), "text/plain; charset=utf-8");
    }

protected:
    std::string_view allowed_methods() const noexcept override { return "POST, GET"; }
};

} // namespace

const dialect& twilio_dialect() noexcept {
    static const twilio_dialect_impl instance;
    return instance;
}

} // namespace kharuul::adapters
