// The Twilio channel: each message is one request to the Programmable Messaging REST API,
//   POST {send_url}/2010-04-01/Accounts/{AccountSid}/Messages.json
// form-encoded, with HTTP Basic credentials (the Account SID and the auth token):
//   To              the recipient, E.164
//   From            the sender number (outbound_settings::sender), or MessagingServiceSid when the
//                   sender is a Messaging Service ("MG" and 32 hex digits)
//   Body            the text, UTF-8 (Twilio splits and concatenates long texts itself)
//   StatusCallback  {public_url}/channels/{name}/status?outbox=<outbox id>: delivery reports,
//                   signed like every webhook, find the row by the outbox id or the message sid
// Twilio answers 201 with the message resource as JSON; its `sid` ("SM...") is the provider id.
// Errors are JSON {"code": 21211, "message": "...", "status": 400}: a refused number or body is
// failed for good; 429 (rate limits), 5xx, a full queue for the sender (21611) and the
// configuration problems of every message (wrong credentials 20003, a missing or wrong sender
// 21603, 21212, 21606) are retried.

#include "adapters/outbound.hpp"

#include "adapters/outbound_http.hpp"
#include "adapters/outbound_registration.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <optional>

namespace kharuul::adapters {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using outbound_http::encode_query_value;

std::string base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
}

// "MG" and 32 hex digits: a Messaging Service picks the sender number itself.
bool is_messaging_service(std::string_view sender) noexcept {
    return sender.size() == 34 && sender.starts_with("MG") &&
           std::all_of(sender.begin() + 2, sender.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

std::string without_trailing_slashes(std::string_view s) {
    while (!s.empty() && s.back() == '/') {
        s.remove_suffix(1);
    }
    return std::string(s);
}

// The error codes that are not this message's fault and pass with time or a fixed configuration
// (failing the message would lose it while an operator fixes the channel).
constexpr std::array<std::int64_t, 7> retried_codes = {
    20003, // authentication failed: wrong account_sid or auth_token
    20429, // too many requests
    21611, // this sender has too many queued messages
    14107, // rate limit exceeded
    21212, // the 'From' number is not valid: the channel's sender
    21603, // a 'From' number is required: no sender configured
    21606, // the 'From' number is not an SMS-capable number of this account
};

// The answer's `sid`, or its error `code` and `message`; empty when the body is not such JSON.
struct twilio_answer {
    std::string sid;
    std::optional<std::int64_t> code;
    std::string message;
};

twilio_answer read_answer(std::string_view body) {
    twilio_answer a;
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) {
        return a;
    }
    const auto& o = v.as_object();
    if (const auto* sid = o.if_contains("sid"); sid != nullptr && sid->is_string()) {
        a.sid = std::string(sid->as_string());
    }
    if (const auto* code = o.if_contains("code"); code != nullptr) {
        if (code->is_int64()) {
            a.code = code->as_int64();
        } else if (code->is_uint64() && code->as_uint64() < 1'000'000) {
            a.code = static_cast<std::int64_t>(code->as_uint64());
        }
    }
    if (const auto* message = o.if_contains("message"); message != nullptr && message->is_string()) {
        a.message = std::string(message->as_string());
    }
    return a;
}

class twilio_outbound_impl final : public outbound_http::http_channel {
public:
    twilio_outbound_impl(const outbound_settings& settings, asio::any_io_executor executor)
        : http_channel(settings, std::move(executor)) {}

    std::string_view type() const noexcept override { return "twilio"; }

private:
    std::string target(const outbound_http::endpoint& to) const {
        std::string path = without_trailing_slashes(to.path);
        path += "/2010-04-01/Accounts/";
        path += encode_query_value(settings_.username);
        path += "/Messages.json";
        return to.query.empty() ? path : path + "?" + to.query;
    }

    std::string form_for(const outbound_sms& sms) const {
        std::string form;
        const auto add = [&form](std::string_view key, std::string_view value) {
            if (!form.empty()) {
                form += '&';
            }
            form += key;
            form += '=';
            form += encode_query_value(value);
        };
        add("To", sms.to);
        if (is_messaging_service(settings_.sender)) {
            add("MessagingServiceSid", settings_.sender);
        } else if (!settings_.sender.empty()) {
            add("From", settings_.sender);
        }
        add("Body", sms.text);
        if (!settings_.public_url.empty()) {
            add("StatusCallback", without_trailing_slashes(settings_.public_url) + "/channels/" +
                                      encode_query_value(settings_.name) +
                                      "/status?outbox=" + std::to_string(sms.outbox_id));
        }
        return form;
    }

    asio::awaitable<send_outcome> attempt(const outbound_sms& sms, const outbound_http::endpoint& to) override {
        http::request<http::string_body> req{http::verb::post, target(to), 11};
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        req.set(http::field::accept, "application/json");
        req.set(http::field::user_agent, "kharuul");
        req.set(http::field::authorization, "Basic " + base64(settings_.username + ":" + settings_.password));
        req.body() = form_for(sms);
        req.prepare_payload();

        // On the channel's executor; co_spawn passes the caller's cancellation on.
        auto work = outbound_http::exchange(to, std::move(req), settings_.timeout);
        const auto result = co_await asio::co_spawn(executor_, std::move(work), asio::use_awaitable);
        send_outcome out = outbound_http::outcome_of(result);
        if (result.failed != outbound_http::exchange_result::failure::none) {
            co_return out;
        }
        const auto answer = read_answer(result.answer.body());
        const unsigned status = result.answer.result_int();
        if (out.what == send_outcome::kind::sent) {
            out.provider_id = answer.sid;
            out.detail = outbound_http::provider_detail("HTTP " + std::to_string(status) +
                                                        (answer.sid.empty() ? std::string(" (no sid in the answer)")
                                                                            : ": " + answer.sid));
            co_return out;
        }
        if (answer.code) {
            // "HTTP 400: 21211: The 'To' number +976****0101 is not a valid phone number."
            out.detail = outbound_http::provider_detail("HTTP " + std::to_string(status) + ": " +
                                                        std::to_string(*answer.code) + ": " + answer.message);
            if (std::find(retried_codes.begin(), retried_codes.end(), *answer.code) != retried_codes.end()) {
                out.what = send_outcome::kind::retry;
            }
        }
        co_return out;
    }

};

std::unique_ptr<outbound_channel> make(const outbound_settings& settings, asio::any_io_executor executor) {
    return std::make_unique<twilio_outbound_impl>(settings, std::move(executor));
}

std::vector<std::string> problems(const outbound_settings& settings) {
    std::vector<std::string> found;
    if (auto e = outbound_http::channel_endpoint(settings); !e.where) {
        found.push_back(std::move(e.problem));
    }
    if (settings.username.empty()) {
        found.emplace_back("account_sid: Twilio's API needs the Account SID (AC...) from the console");
    }
    if (settings.password.empty()) {
        found.emplace_back("auth_token: Twilio's API needs the auth token from the console");
    }
    if (settings.sender.empty()) {
        found.emplace_back("sender: Twilio needs the number to send from (+1...) or a Messaging Service SID (MG...)");
    }
    if (auto p = outbound_http::public_url_problem(settings.public_url, "Twilio's status callbacks"))
        found.push_back(std::move(*p));
    if (settings.timeout <= std::chrono::milliseconds::zero()) {
        found.emplace_back("timeout: must be longer than zero");
    }
    return found;
}

} // namespace

const outbound_registration& twilio_outbound() noexcept {
    static const outbound_registration registration{"twilio", &make, &problems};
    return registration;
}

} // namespace kharuul::adapters
