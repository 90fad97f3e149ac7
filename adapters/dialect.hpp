// Inbound provider dialects: how an SMS provider (Kannel, a generic HTTP client, later Twilio and
// Africa's Talking) hands us a message at /channels/{name}/receive and a delivery report at
// /channels/{name}/status, and how we answer it. A dialect reads a Beast request into the small
// values below and builds the responses; it does no I/O, keeps no state and is safe to share
// between threads. The concrete dialects live in their own .cpp files and are found by type name.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::adapters {

namespace http = boost::beast::http;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// What a dialect needs to know about the channel a request arrived on. The gateway fills it from
// its configuration; adapters does not depend on config.
struct channel_settings {
    std::string name;       // the {name} of /channels/{name}/...
    std::string type;       // the dialect: "generic", "kannel", ...
    std::string secret;     // shared secret: `secret` query parameter or `Authorization: Bearer`
    std::string auth_token; // provider signing key (Twilio), empty when unused
    std::string public_url; // our URL as the provider sees it, for signature checks
    // The deployment's country calling code ([server] country_code, e.g. "976"): national numbers
    // in `from` and `to` get it (parser::normalise_phone). Empty: none known.
    std::string country_code;
};

// One mobile-originated message as the provider reported it.
struct inbound_sms {
    std::string channel;     // channel_settings::name
    std::string provider_id; // the provider's message id, for deduplication; may be empty
    std::string from;        // normalise_phone()d sender (with the channel's country code)
    std::string to;          // normalise_phone()d recipient (our number or short code); may be empty
    std::string text;        // UTF-8; may be empty (an empty SMS still gets the help reply)
    std::optional<std::chrono::system_clock::time_point> observed_at; // when the network saw it
};

// One step of a USSD session as the provider reported it at /channels/{name}/ussd.
struct ussd_request {
    std::string channel;      // channel_settings::name
    std::string session_id;   // the provider's session id: the same for every step of a dialogue
    std::string from;         // normalise_phone()d number of the handset
    std::string service_code; // what was dialled, "*500#"; may be empty
    std::string network_code; // the mobile network, when the provider says; may be empty
    // What the user typed. With `cumulative` (Africa's Talking: `text` is every input of the
    // session joined with '*'), every input so far, in order, empty on the first request;
    // otherwise the last input only (empty on the first request).
    std::vector<std::string> inputs;
    bool cumulative = false;
};

// A provider's notice that a USSD session is over (Africa's Talking's end-of-session
// notification at /channels/{name}/ussd/end).
struct ussd_session_end {
    enum class outcome { completed, incomplete, failed };
    std::string channel;
    std::string session_id;
    std::string from;          // normalised; may be empty
    outcome status = outcome::incomplete;
    std::string detail;        // the provider's words (an error message), may be empty
};

enum class delivery_state { queued, sent, delivered, failed };

// "queued", "sent", "delivered", "failed".
std::string_view delivery_state_name(delivery_state s) noexcept;

// A provider's report on a message we sent (an outbox row).
struct delivery_report {
    std::string channel;
    std::optional<std::int64_t> outbox_id; // our outbox id, when the provider echoes it back
    std::string provider_id;               // the provider's message id; may be empty
    delivery_state state = delivery_state::queued;
    std::string detail; // the provider's own words (an SMSC reply), may be empty
    std::optional<std::chrono::system_clock::time_point> observed_at;
};

// Why a request was refused. Each maps to one HTTP status (status_of).
enum class errc {
    unauthorized = 1,       // 401: no or wrong secret / signature
    bad_request,            // 400: malformed, a field missing or badly encoded
    unsupported_media_type, // 415: a body in a content type the dialect does not read
    method_not_allowed,     // 405
    not_supported,          // 404: the dialect has no such endpoint (e.g. no delivery reports)
};

const boost::system::error_category& adapter_category() noexcept;
boost::system::error_code make_error_code(errc e) noexcept;
http::status status_of(errc e) noexcept;

// A refused request: the code and a reason for the provider's integrator, naming the field or
// header at fault. Reasons never quote phone numbers or message text.
struct request_error {
    errc code = errc::bad_request;
    std::string reason;
};

template <class T> using result = boost::system::result<T, request_error>;

// Delay we ask a provider to wait before retrying after a 503 (the Retry-After header).
inline constexpr std::chrono::seconds retry_after{5};

class dialect {
public:
    virtual ~dialect() = default;

    // The channel type this dialect serves ("generic", "kannel").
    virtual std::string_view type() const noexcept = 0;

    // Whether the request carries the channel's credentials: the `secret` query parameter or
    // `Authorization: Bearer <secret>`, compared in constant time. An empty configured secret
    // never matches (fail closed). Dialects with signatures (Twilio) override this.
    virtual bool authenticate(const request& req, const channel_settings& channel) const;

    // Reads an inbound SMS. Errors: method_not_allowed, unsupported_media_type, bad_request
    // (missing `from`/`text`, bad encoding, bad time ...), with a reason naming what is wrong.
    // Does not check credentials (authenticate does). Never throws for any input.
    virtual result<inbound_sms> parse_inbound(const request& req, const channel_settings& channel) const = 0;

    // Reads a delivery report (/channels/{name}/status). The default answers not_supported.
    virtual result<delivery_report> parse_status(const request& req, const channel_settings& channel) const;

    // Reads one step of a USSD session (/channels/{name}/ussd). The default answers not_supported.
    virtual result<ussd_request> parse_ussd(const request& req, const channel_settings& channel) const;

    // The answer carrying one USSD screen: `end` false keeps the session open for the next input,
    // true ends it. The default is the common USSD gateway convention: text/plain "CON <screen>"
    // or "END <screen>".
    virtual response ussd_screen(const request& req, std::string_view screen, bool end) const;

    // Reads the provider's end-of-session notice (/channels/{name}/ussd/end). The default answers
    // not_supported.
    virtual result<ussd_session_end> parse_ussd_end(const request& req, const channel_settings& channel) const;

    // Whether stored()'s answer carries the reply to the sender (Kannel, generic, Twilio's TwiML).
    // When false (Africa's Talking ignores the callback's body) the daemon queues the reply in the
    // outbox, to go out through the channel the message came in on.
    virtual bool replies_in_answer() const noexcept { return true; }

    // The answer once the message is durably stored: `status` is accepted|rejected|duplicate|
    // unregistered, `reply` the text for the sender (may be empty). Keeps the request's HTTP
    // version and keep-alive.
    virtual response stored(const request& req, std::int64_t message_id, std::string_view status,
                            std::string_view reply) const = 0;

    // An error answer: 401 (with WWW-Authenticate), 400 with the reason, 404, 405 (with Allow),
    // 415, or 503 when the store could not write (with Retry-After; providers retry on 5xx).
    // The default answers text/plain; dialects with a JSON API override it.
    virtual response failed(const request& req, http::status status, std::string_view reason) const;

    // failed() for a request_error.
    response failed(const request& req, const request_error& error) const;

protected:
    // The methods parse_inbound accepts, for the Allow header of a 405.
    virtual std::string_view allowed_methods() const noexcept { return "POST"; }

    // A response to `req` with `status`, body and content type, plus the headers `status` calls
    // for (Allow, Retry-After, WWW-Authenticate). For overrides of failed().
    response make_failure(const request& req, http::status status, std::string body,
                          std::string_view content_type) const;
};

// The dialect serving a channel type, nullptr when unknown. The objects live for the program.
const dialect* find_dialect(std::string_view type) noexcept;

// Every known type, in registration order (for configuration checks and messages).
std::vector<std::string_view> dialect_types();

} // namespace kharuul::adapters

namespace boost::system {
template <> struct is_error_code_enum<kharuul::adapters::errc> : std::true_type {};
} // namespace boost::system

namespace kharuul::adapters {
// boost::system::result<T, request_error>::value() throws through this when it holds an error.
[[noreturn]] void throw_exception_from_error(const request_error& e, const boost::source_location& loc);
} // namespace kharuul::adapters
