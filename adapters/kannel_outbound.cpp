// The Kannel channel: each message is one GET on smsbox's sendsms interface (send_url, e.g.
// "http://127.0.0.1:13013/cgi-bin/sendsms"), with
//   username, password   a `sendsms-user` group
//   to, text             the text as UTF-8 with `charset=UTF-8`, and `coding=2` (UCS-2) when it is
//                        not GSM-7: without it Kannel sends Cyrillic as GSM and every letter is '?'
//   from                 the sender, when set (else Kannel's default-sender or global-sender)
//   dlr-mask=31, dlr-url delivery reports of every kind to our /channels/{name}/status
// Query parameters already in send_url (smsc=, account=) are kept. Kannel answers 202 "0: Accepted
// for delivery" or "3: Queued for later delivery" (sent), 4xx with the reason (a bad parameter,
// "Authorization failed for sendsms", 403 "Not routable. Do not try again."), 503 "Temporal
// failure, try again later." or 500 "Sending failed." (retry). Kannel gives no message id:
// reports find the outbox row by the `outbox` parameter of the dlr-url. A text longer than one
// SMS is cut to the first one unless the sendsms-user has `max-messages` above 1 and
// `concatenation = true`; then each part has its own reports, all with the same outbox id.

#include "adapters/outbound.hpp"

#include "adapters/outbound_http.hpp"
#include "adapters/outbound_registration.hpp"
#include "parser/segment.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <spdlog/spdlog.h>

namespace kharuul::adapters {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using outbound_http::encode_query_value;

// Every kind of report: 1 delivered, 2 not delivered, 4 queued at the SMSC, 8 accepted by the
// SMSC, 16 rejected by the SMSC.
constexpr int dlr_mask_all = 31;

// Kannel reads the dlr-url as a template: "%d", "%A", "%T" ... are escape codes it fills in, "%%"
// is a '%' (gw/urltrans.c). A percent-escape of our own, e.g. "%C3" in an encoded secret, would
// be taken for "%C" (the charset); doubling every '%' keeps it.
std::string template_literal(std::string_view url) {
    std::string out;
    out.reserve(url.size());
    for (const char c : url) {
        out += c;
        if (c == '%') {
            out += '%';
        }
    }
    return out;
}

// The dlr-url template, as Kannel must see it after decoding the sendsms parameter:
// "<public_url>/channels/<name>/status?secret=S&outbox=<id>&type=%d&reply=%A&ts=%T".
std::string dlr_url_template(const outbound_settings& s, std::int64_t outbox_id) {
    std::string_view base = s.public_url;
    while (!base.empty() && base.back() == '/') {
        base.remove_suffix(1);
    }
    std::string url(base);
    url += "/channels/";
    url += encode_query_value(s.name); // a path segment: unreserved characters stay, the rest escaped
    url += "/status?secret=";
    url += encode_query_value(s.secret);
    url += "&outbox=";
    url += std::to_string(outbox_id);
    return template_literal(url) + "&type=%d&reply=%A&ts=%T";
}

class kannel_outbound_impl final : public outbound_http::http_channel {
public:
    kannel_outbound_impl(const outbound_settings& settings, asio::any_io_executor executor)
        : http_channel(settings, std::move(executor)),
          reports_(!settings.public_url.empty() && !settings.secret.empty()) {
        if (!reports_) {
            spdlog::warn("channel {}: no delivery reports will come back: {} is empty", settings_.name,
                         settings_.public_url.empty() ? "public_url" : "secret");
        }
    }

    std::string_view type() const noexcept override { return "kannel"; }

private:
    std::string query_for(const outbound_sms& sms) const {
        std::string q = endpoint_.where->query;
        const auto add = [&q](std::string_view key, std::string_view value) {
            if (!q.empty()) {
                q += '&';
            }
            q += key;
            q += '=';
            q += encode_query_value(value);
        };
        add("username", settings_.username);
        add("password", settings_.password);
        add("to", sms.to);
        add("text", sms.text);
        add("charset", "UTF-8");
        if (parser::measure_sms(sms.text).encoding == parser::sms_encoding::ucs2) {
            add("coding", "2");
        }
        if (!settings_.sender.empty()) {
            add("from", settings_.sender);
        }
        if (reports_) {
            add("dlr-mask", std::to_string(dlr_mask_all));
            add("dlr-url", dlr_url_template(settings_, sms.outbox_id));
        }
        return q;
    }

    asio::awaitable<send_outcome> attempt(const outbound_sms& sms, const outbound_http::endpoint& to) override {
        if (!warned_long_ && !parser::fits_one_segment(sms.text)) {
            // Kannel answers "Accepted" either way; with max-messages = 1 (its default) the phone
            // gets the first SMS only. Said once: a configured Kannel makes it noise.
            warned_long_ = true;
            spdlog::warn("channel {}: outbox {} needs more than one SMS; Kannel sends only the first unless "
                         "its sendsms-user has max-messages of 2 or more and concatenation = true",
                         settings_.name, sms.outbox_id);
        }
        http::request<http::string_body> req{http::verb::get, to.path + "?" + query_for(sms),
                                             11};
        req.set(http::field::user_agent, "kharuul");

        // On the channel's executor; co_spawn passes the caller's cancellation on.
        auto work = outbound_http::exchange(to, std::move(req), settings_.timeout);
        const auto result = co_await asio::co_spawn(executor_, std::move(work), asio::use_awaitable);
        co_return outbound_http::outcome_of(result);
    }

    bool reports_;             // a dlr-url can be given
    bool warned_long_ = false; // the warning about texts longer than one SMS was logged
};

std::unique_ptr<outbound_channel> make(const outbound_settings& settings, asio::any_io_executor executor) {
    return std::make_unique<kannel_outbound_impl>(settings, std::move(executor));
}

std::vector<std::string> problems(const outbound_settings& settings) {
    std::vector<std::string> found;
    if (auto e = outbound_http::channel_endpoint(settings); !e.where) {
        found.push_back(std::move(e.problem));
    }
    if (settings.username.empty()) {
        found.emplace_back("username: Kannel's sendsms needs the username of a sendsms-user group");
    }
    if (settings.password.empty()) {
        found.emplace_back("password: Kannel's sendsms needs the password of a sendsms-user group");
    }
    if (auto p = outbound_http::public_url_problem(settings.public_url, "Kannel's delivery reports"))
        found.push_back(std::move(*p));
    if (settings.timeout <= std::chrono::milliseconds::zero()) {
        found.emplace_back("timeout: must be longer than zero");
    }
    return found;
}

} // namespace

const outbound_registration& kannel_outbound() noexcept {
    static const outbound_registration registration{"kannel", &make, &problems};
    return registration;
}

} // namespace kharuul::adapters
