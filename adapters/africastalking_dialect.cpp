// The Africa's Talking dialect. Their callbacks are form POSTs (application/x-www-form-urlencoded)
// to the URLs set in their dashboard, and carry no signature: each URL carries the channel's
// secret as `?secret=...` (the default authenticate checks it).
//
//   /channels/{name}/receive   incoming SMS: from, to, text, date, id, linkId (and networkCode).
//                              Their callback ignores our answer's body, so replies_in_answer()
//                              is false: the daemon queues the reply in the outbox, to go out
//                              through the messaging API of this channel.
//   /channels/{name}/status    delivery report: id (the messageId their API gave), status,
//                              failureReason (Rejected/Failed only), phoneNumber, networkCode,
//                              retryCount. status onto delivery_state (docs/africastalking.md):
//                                Sent, Submitted   sent       their network / the MSP has it
//                                Buffered          queued     queued by the MSP (the provider holds it)
//                                Success           delivered  on the handset (final)
//                                Rejected, Failed  failed     (final), failureReason in the detail
//   /channels/{name}/ussd      a USSD step: sessionId, serviceCode, phoneNumber, networkCode, text
//                              = every input of the session joined with '*' (empty on the first
//                              request); answered text/plain "CON <screen>" or "END <screen>".
//   /channels/{name}/ussd/end  end-of-session notification: sessionId, phoneNumber, status
//                              (Success, Incomplete, Failed), errorMessage, and input, hopsCount,
//                              durationInMillis, cost, date, lastAppResponse, which are not used.
//
// Fields are case-sensitive as they send them; a field given twice is refused (400), as in the
// other dialects. Values they define (status) are read case-insensitively.

#include "adapters/dialect.hpp"

#include "adapters/charset.hpp"
#include "adapters/http_input.hpp"
#include "adapters/outbound_http.hpp"
#include "adapters/phone.hpp"

#include <boost/beast/http/field.hpp>

#include <array>
#include <utility>

namespace kharuul::adapters {

namespace {

request_error bad_request(std::string reason) {
    return {errc::bad_request, std::move(reason)};
}

// The form body of a callback, or why it cannot be read: POST only, form-encoded, valid, no
// field given twice.
result<form_fields> read_callback(const request& req) {
    if (req.method() != http::verb::post) {
        return request_error{errc::method_not_allowed, "use POST (Africa's Talking callbacks are form POSTs)"};
    }
    const std::string media = media_type(req[http::field::content_type]);
    if (media != "application/x-www-form-urlencoded") {
        return request_error{errc::unsupported_media_type,
                             "send application/x-www-form-urlencoded, not '" +
                                 (media.empty() ? std::string("(none)") : media) + "'"};
    }
    auto form = form_fields::parse(req.body());
    if (!form) {
        return bad_request("the form body is not valid application/x-www-form-urlencoded");
    }
    if (const auto name = form->repeated()) {
        return bad_request(repeated_field_reason(*name));
    }
    return std::move(*form);
}

// A field that must be there (it may be empty), in valid UTF-8.
result<std::string> required(const form_fields& form, std::string_view name) {
    auto v = form.get(name);
    if (!v) {
        return bad_request("missing field '" + std::string(name) + "'");
    }
    if (!is_valid_utf8(*v)) {
        return bad_request("field '" + std::string(name) + "' is not valid UTF-8");
    }
    return std::move(*v);
}

// A field that may be absent (""), in valid UTF-8.
result<std::string> optional(const form_fields& form, std::string_view name) {
    if (!form.contains(name)) {
        return std::string();
    }
    return required(form, name);
}

// A phone number field, normalised; `needed` refuses an absent or empty one.
result<std::string> phone_field(const form_fields& form, std::string_view name, const channel_settings& channel,
                                bool needed) {
    auto raw = needed ? required(form, name) : optional(form, name);
    if (!raw) {
        return raw.error();
    }
    std::string phone = normalise_phone(*raw, channel.country_code);
    if (phone.empty()) {
        if (needed) {
            return bad_request("field '" + std::string(name) + "' is empty");
        }
        return phone;
    }
    if (!is_sender_number(phone)) {
        return bad_request("field '" + std::string(name) + "' is not a phone number");
    }
    return phone;
}

// A non-empty identifier field (id, sessionId).
result<std::string> id_field(const form_fields& form, std::string_view name) {
    auto v = required(form, name);
    if (v && v->empty()) {
        return bad_request("field '" + std::string(name) + "' is empty");
    }
    return v;
}

// The inputs of a cumulative `text`: "1*2*12" -> {"1", "2", "12"}; "" -> {} (the first request).
// Empty parts stay (an empty answer is an input the menu re-asks).
std::vector<std::string> split_inputs(std::string_view text) {
    std::vector<std::string> inputs;
    if (text.empty()) {
        return inputs;
    }
    for (;;) {
        const auto star = text.find('*');
        inputs.emplace_back(text.substr(0, star));
        if (star == std::string_view::npos) {
            break;
        }
        text.remove_prefix(star + 1);
    }
    return inputs;
}

struct status_name {
    std::string_view name;
    delivery_state state;
};

// Their delivery report statuses (docs.africastalking.com/sms/notifications).
constexpr std::array<status_name, 6> report_statuses = {{
    {"Sent", delivery_state::sent},           // sent by their network
    {"Submitted", delivery_state::sent},      // submitted to the mobile service provider
    {"Buffered", delivery_state::queued},     // queued by the mobile service provider
    {"Rejected", delivery_state::failed},     // rejected by the mobile service provider (final)
    {"Success", delivery_state::delivered},   // delivered to the handset (final)
    {"Failed", delivery_state::failed},       // could not be delivered to the handset (final)
}};

struct end_name {
    std::string_view name;
    ussd_session_end::outcome outcome;
};

constexpr std::array<end_name, 3> end_statuses = {{
    {"Success", ussd_session_end::outcome::completed},
    {"Incomplete", ussd_session_end::outcome::incomplete},
    {"Failed", ussd_session_end::outcome::failed},
}};

class africastalking_dialect_impl final : public dialect {
public:
    std::string_view type() const noexcept override { return "africastalking"; }

    result<inbound_sms> parse_inbound(const request& req, const channel_settings& channel) const override {
        auto form = read_callback(req);
        if (!form) {
            return form.error();
        }
        auto from = phone_field(*form, "from", channel, true);
        if (!from) {
            return from.error();
        }
        auto to = phone_field(*form, "to", channel, false);
        if (!to) {
            return to.error();
        }
        auto text = required(*form, "text");
        if (!text) {
            return text.error();
        }
        auto id = optional(*form, "id");
        if (!id) {
            return id.error();
        }
        inbound_sms sms;
        sms.channel = channel.name;
        sms.from = std::move(*from);
        sms.to = std::move(*to);
        sms.text = std::move(*text);
        sms.provider_id = std::move(*id);
        // "2018-03-19T08:34:18.445Z" (UTC). A date we cannot read is dropped rather than costing
        // the message: they would send it again and again.
        if (const auto date = form->get("date"); date && !date->empty()) {
            sms.observed_at = parse_timestamp(*date);
        }
        // linkId matters only for replies to premium (subscription) services, which we do not run.
        return sms;
    }

    result<delivery_report> parse_status(const request& req, const channel_settings& channel) const override {
        auto form = read_callback(req);
        if (!form) {
            return form.error();
        }
        auto id = id_field(*form, "id");
        if (!id) {
            return id.error();
        }
        auto status = required(*form, "status");
        if (!status) {
            return status.error();
        }
        const status_name* known = nullptr;
        for (const auto& s : report_statuses) {
            if (iequals(*status, s.name)) {
                known = &s;
            }
        }
        if (known == nullptr) {
            return bad_request("field 'status' is not an Africa's Talking delivery status (Sent, Submitted, "
                               "Buffered, Rejected, Success or Failed)");
        }
        auto reason = optional(*form, "failureReason");
        if (!reason) {
            return reason.error();
        }
        delivery_report report;
        report.channel = channel.name;
        report.provider_id = std::move(*id);
        report.state = known->state;
        // "Failed: UserInBlacklist, network 63902, retry 1": their words, no phone number.
        std::string detail(known->name);
        if (!reason->empty()) {
            detail += ": " + *reason;
        }
        if (const auto network = form->get("networkCode"); network && !network->empty()) {
            detail += ", network " + *network;
        }
        if (const auto retries = form->get("retryCount"); retries && !retries->empty() && *retries != "0") {
            detail += ", retry " + *retries;
        }
        report.detail = outbound_http::provider_detail(detail);
        return report;
    }

    result<ussd_request> parse_ussd(const request& req, const channel_settings& channel) const override {
        auto form = read_callback(req);
        if (!form) {
            return form.error();
        }
        auto session = id_field(*form, "sessionId");
        if (!session) {
            return session.error();
        }
        auto from = phone_field(*form, "phoneNumber", channel, true);
        if (!from) {
            return from.error();
        }
        // Sent on every step, empty on the first; an absent text is read as the first request.
        auto text = optional(*form, "text");
        if (!text) {
            return text.error();
        }
        auto service = optional(*form, "serviceCode");
        if (!service) {
            return service.error();
        }
        auto network = optional(*form, "networkCode");
        if (!network) {
            return network.error();
        }
        ussd_request step;
        step.channel = channel.name;
        step.session_id = std::move(*session);
        step.from = std::move(*from);
        step.service_code = std::move(*service);
        step.network_code = std::move(*network);
        step.inputs = split_inputs(*text);
        step.cumulative = true;
        return step;
    }

    result<ussd_session_end> parse_ussd_end(const request& req, const channel_settings& channel) const override {
        auto form = read_callback(req);
        if (!form) {
            return form.error();
        }
        auto session = id_field(*form, "sessionId");
        if (!session) {
            return session.error();
        }
        auto from = phone_field(*form, "phoneNumber", channel, false);
        if (!from) {
            return from.error();
        }
        auto status = required(*form, "status");
        if (!status) {
            return status.error();
        }
        const end_name* known = nullptr;
        for (const auto& s : end_statuses) {
            if (iequals(*status, s.name)) {
                known = &s;
            }
        }
        if (known == nullptr) {
            return bad_request("field 'status' is not an end-of-session status (Success, Incomplete or Failed)");
        }
        auto error = optional(*form, "errorMessage");
        if (!error) {
            return error.error();
        }
        ussd_session_end end;
        end.channel = channel.name;
        end.session_id = std::move(*session);
        end.from = std::move(*from);
        end.status = known->outcome;
        end.detail = outbound_http::provider_detail(*error);
        return end;
    }

    bool replies_in_answer() const noexcept override { return false; }

    response stored(const request& req, std::int64_t message_id, std::string_view status,
                    std::string_view) const override {
        // They ignore the body; it says what became of the message, for whoever tests with curl.
        // The reply goes out through the outbox (replies_in_answer).
        response res(http::status::ok, req.version());
        res.keep_alive(req.keep_alive());
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.set(http::field::cache_control, "no-store");
        res.body() = "stored message " + std::to_string(message_id) + ": " + std::string(status) + "\n";
        res.prepare_payload();
        return res;
    }
};

} // namespace

const dialect& africastalking_dialect() noexcept {
    static const africastalking_dialect_impl instance;
    return instance;
}

} // namespace kharuul::adapters
