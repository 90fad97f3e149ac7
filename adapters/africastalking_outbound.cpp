// The Africa's Talking channel: each message is one POST to their messaging API (send_url,
// https://api.africastalking.com/version1/messaging; the sandbox's is
// https://api.sandbox.africastalking.com/version1/messaging), form-encoded as UTF-8:
//   username   the application's username ("sandbox" in the sandbox)
//   to         the recipient, E.164
//   message    the text (Cyrillic as UTF-8: they choose the SMS coding)
//   from       the sender (a registered short code or alphanumeric), when set; else theirs
// with the headers `apiKey: <api_key>` and `Accept: application/json`. They answer 201 with
//   {"SMSMessageData": {"Message": "Sent to 1/1 Total Cost: KES 0.8000",
//                       "Recipients": [{"statusCode": 101, "number": "+254711XXXYYY",
//                                       "status": "Success", "cost": "KES 0.8000",
//                                       "messageId": "ATPid_SampleTxnId123"}]}}
// and the outcome is read from Recipients[0] (docs/africastalking.md has the table):
//   100 Processed, 101 Sent, 102 Queued     sent; messageId is the provider id their delivery
//                                           reports name
//   401 RiskHold, 402 InvalidSenderId,      retry: a problem of the account or its configuration,
//   405 InsufficientBalance                 not of this message; it waits (nothing lost) until
//                                           an operator fixes it, the reason in its history
//   403 InvalidPhoneNumber, 404 UnsupportedNumberType, 406 UserInBlacklist, 407 CouldNotRoute,
//   409 DoNotDisturbRejection               failed: this recipient cannot get it; not sent again
//   500 InternalServerError, 501 GatewayError, 502 RejectedByGateway, other codes   retry
// An answer without recipients ({"Message": "InvalidSenderId", "Recipients": []}) or one we cannot
// read is a retry naming what it said. HTTP errors follow outbound_http::outcome_of (401 "The
// supplied authentication is invalid": retry until the api_key is fixed; other 4xx failed; 5xx
// retry). Their API takes no idempotency key: a retry after a timeout may send twice.

#include "adapters/outbound.hpp"

#include "adapters/outbound_http.hpp"
#include "adapters/outbound_registration.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstdlib>

namespace kharuul::adapters {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using outbound_http::encode_query_value;
using kind = send_outcome::kind;

// What a recipient's statusCode means for the outbox row.
kind outcome_of_status_code(std::int64_t code) {
    switch (code) {
    case 100: // Processed
    case 101: // Sent
    case 102: // Queued
        return kind::sent;
    case 403: // InvalidPhoneNumber
    case 404: // UnsupportedNumberType
    case 406: // UserInBlacklist
    case 407: // CouldNotRoute
    case 409: // DoNotDisturbRejection
        return kind::failed;
    default: // 401 RiskHold, 402 InvalidSenderId, 405 InsufficientBalance, 5xx, unknown codes
        return kind::retry;
    }
}

std::string string_of(const json::value* v) {
    if (v == nullptr) {
        return {};
    }
    if (v->is_string()) {
        return std::string(v->get_string());
    }
    if (v->is_int64()) {
        return std::to_string(v->get_int64());
    }
    if (v->is_uint64()) {
        return std::to_string(v->get_uint64());
    }
    return {};
}

// The outcome of a 2xx answer, from its SMSMessageData.
send_outcome read_answer(const outbound_http::exchange_result& r) {
    const std::string prefix = "HTTP " + std::to_string(r.answer.result_int()) + ": ";
    const auto unreadable = [&](std::string_view why) {
        // It may have been sent; we cannot tell. Retry rather than lose it.
        return send_outcome{kind::retry, {},
                            outbound_http::provider_detail(prefix + std::string(why) + ": " + r.answer.body())};
    };
    if (!r.body_problem.empty()) {
        return unreadable("answer body unreadable (" + r.body_problem + ")");
    }
    boost::system::error_code ec;
    const json::value doc = json::parse(r.answer.body(), ec);
    const json::object* data = nullptr;
    if (!ec && doc.is_object()) {
        if (const auto* d = doc.get_object().if_contains("SMSMessageData"); d != nullptr && d->is_object()) {
            data = &d->get_object();
        }
    }
    if (data == nullptr) {
        return unreadable("no SMSMessageData in the answer");
    }
    const std::string summary = string_of(data->if_contains("Message"));
    const auto* recipients = data->if_contains("Recipients");
    if (recipients == nullptr || !recipients->is_array() || recipients->get_array().empty() ||
        !recipients->get_array()[0].is_object()) {
        return send_outcome{kind::retry, {},
                            outbound_http::provider_detail(prefix + "no recipient taken: " +
                                                           (summary.empty() ? "(no message)" : summary))};
    }
    const json::object& first = recipients->get_array()[0].get_object();
    const auto* code = first.if_contains("statusCode");
    std::int64_t status_code = 0;
    if (code != nullptr && code->is_int64()) {
        status_code = code->get_int64();
    } else if (code != nullptr && code->is_string()) {
        status_code = std::atoll(std::string(code->get_string()).c_str());
    }
    if (status_code == 0) {
        return unreadable("the recipient has no statusCode");
    }
    send_outcome out;
    out.what = outcome_of_status_code(status_code);
    std::string detail = prefix + std::to_string(status_code) + " " + string_of(first.if_contains("status"));
    if (!summary.empty()) {
        detail += " (" + summary + ")";
    }
    out.detail = outbound_http::provider_detail(detail);
    if (out.what == kind::sent) {
        out.provider_id = string_of(first.if_contains("messageId"));
    }
    return out;
}

class africastalking_outbound_impl final : public outbound_http::http_channel {
public:
    africastalking_outbound_impl(const outbound_settings& settings, asio::any_io_executor executor)
        : http_channel(settings, std::move(executor)) {}

    std::string_view type() const noexcept override { return "africastalking"; }

private:
    std::string form_for(const outbound_sms& sms) const {
        std::string body;
        const auto add = [&body](std::string_view key, std::string_view value) {
            if (!body.empty()) {
                body += '&';
            }
            body += key;
            body += '=';
            body += encode_query_value(value);
        };
        add("username", settings_.username);
        add("to", sms.to);
        add("message", sms.text);
        if (!settings_.sender.empty()) {
            add("from", settings_.sender);
        }
        return body;
    }

    asio::awaitable<send_outcome> attempt(const outbound_sms& sms, const outbound_http::endpoint& to) override {
        http::request<http::string_body> req{http::verb::post,
                                             to.query.empty() ? to.path : to.path + "?" + to.query, 11};
        req.set(http::field::content_type, "application/x-www-form-urlencoded");
        req.set(http::field::accept, "application/json");
        req.set("apiKey", settings_.api_key);
        req.set(http::field::user_agent, "kharuul");
        req.body() = form_for(sms);

        // On the channel's executor; co_spawn passes the caller's cancellation on.
        auto work = outbound_http::exchange(to, std::move(req), settings_.timeout);
        const auto result = co_await asio::co_spawn(executor_, std::move(work), asio::use_awaitable);
        send_outcome out = outbound_http::outcome_of(result);
        if (out.what == kind::sent) {
            out = read_answer(result); // a 2xx: what it says of the recipient decides
        }
        co_return out;
    }

};

std::unique_ptr<outbound_channel> make(const outbound_settings& settings, asio::any_io_executor executor) {
    return std::make_unique<africastalking_outbound_impl>(settings, std::move(executor));
}

std::vector<std::string> problems(const outbound_settings& settings) {
    std::vector<std::string> found;
    if (auto e = outbound_http::channel_endpoint(settings); !e.where) {
        found.push_back(std::move(e.problem));
    }
    if (settings.username.empty()) {
        found.emplace_back("username: Africa's Talking's messaging API needs the application's username "
                           "(\"sandbox\" in their sandbox)");
    }
    if (settings.api_key.empty()) {
        found.emplace_back("api_key: Africa's Talking's messaging API needs the application's API key");
    }
    if (settings.timeout <= std::chrono::milliseconds::zero()) {
        found.emplace_back("timeout: must be longer than zero");
    }
    return found;
}

} // namespace

const outbound_registration& africastalking_outbound() noexcept {
    static const outbound_registration registration{"africastalking", &make, &problems};
    return registration;
}

} // namespace kharuul::adapters
