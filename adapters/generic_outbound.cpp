// The generic channel: each message is POSTed as JSON to send_url,
//   {"id": <outbox id>, "to": "+976...", "text": "...", "from": "<sender>"}   ("from" only when set)
// with `Idempotency-Key: kharuul-<outbox id>` so that a provider can drop a repeat (we resend after
// a timeout), and HTTP Basic credentials when a username is configured. A 2xx answer means sent;
// its JSON `id` or `message_id`, when there is one, is the provider's message id.

#include "adapters/outbound.hpp"

#include "adapters/outbound_http.hpp"
#include "adapters/outbound_registration.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

namespace kharuul::adapters {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

std::string base64(std::string_view bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (i < bytes.size()) {
        const bool two = i + 1 < bytes.size();
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0u);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += two ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// The provider's message id from a JSON answer: a string or integer `id`, else `message_id`.
std::string provider_id_of(std::string_view body) {
    boost::system::error_code ec;
    const json::value v = json::parse(body, ec);
    if (ec || !v.is_object()) {
        return {};
    }
    for (const auto* key : {"id", "message_id"}) {
        const auto* field = v.as_object().if_contains(key);
        if (field == nullptr) {
            continue;
        }
        if (field->is_string()) {
            return std::string(field->as_string());
        }
        if (field->is_int64()) {
            return std::to_string(field->as_int64());
        }
        if (field->is_uint64()) {
            return std::to_string(field->as_uint64());
        }
    }
    return {};
}

class generic_outbound_impl final : public outbound_http::http_channel {
public:
    generic_outbound_impl(const outbound_settings& settings, asio::any_io_executor executor)
        : http_channel(settings, std::move(executor)) {}

    std::string_view type() const noexcept override { return "generic"; }

private:
    asio::awaitable<send_outcome> attempt(const outbound_sms& sms, const outbound_http::endpoint& to) override {
        json::object body;
        body["id"] = sms.outbox_id;
        body["to"] = sms.to;
        body["text"] = sms.text;
        if (!settings_.sender.empty()) {
            body["from"] = settings_.sender;
        }
        http::request<http::string_body> req{http::verb::post,
                                             to.query.empty() ? to.path : to.path + "?" + to.query, 11};
        req.set(http::field::content_type, "application/json");
        req.set(http::field::accept, "application/json");
        req.set(http::field::user_agent, "kharuul");
        req.set("Idempotency-Key", "kharuul-" + std::to_string(sms.outbox_id));
        if (!settings_.username.empty()) {
            req.set(http::field::authorization,
                    "Basic " + base64(settings_.username + ":" + settings_.password));
        }
        req.body() = json::serialize(body);

        // On the channel's executor; co_spawn passes the caller's cancellation on.
        auto work = outbound_http::exchange(to, std::move(req), settings_.timeout);
        const auto result = co_await asio::co_spawn(executor_, std::move(work), asio::use_awaitable);
        send_outcome out = outbound_http::outcome_of(result);
        if (out.what == send_outcome::kind::sent) {
            out.provider_id = provider_id_of(result.answer.body());
        }
        co_return out;
    }

};

std::unique_ptr<outbound_channel> make(const outbound_settings& settings, asio::any_io_executor executor) {
    return std::make_unique<generic_outbound_impl>(settings, std::move(executor));
}

std::vector<std::string> problems(const outbound_settings& settings) {
    std::vector<std::string> found;
    if (auto e = outbound_http::channel_endpoint(settings); !e.where) {
        found.push_back(std::move(e.problem));
    }
    if (settings.timeout <= std::chrono::milliseconds::zero()) {
        found.emplace_back("timeout: must be longer than zero");
    }
    return found;
}

} // namespace

const outbound_registration& generic_outbound() noexcept {
    static const outbound_registration registration{"generic", &make, &problems};
    return registration;
}

} // namespace kharuul::adapters
