// The HTTP side shared by the outbound channels that talk to a provider over HTTP or HTTPS
// (generic, kannel, twilio, africastalking): the send_url read with Boost.URL, one request/answer
// exchange under one deadline (over TLS for https://: outbound_tls.hpp), and the wording of
// outcomes (the provider's answer trimmed and masked for the outbox history).
// Internal to adapters and its tests; the gateway uses outbound.hpp.
#pragma once

#include "adapters/outbound.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace kharuul::adapters::outbound_http {

namespace http = boost::beast::http;

// Where a request goes: from an absolute http:// or https:// URL.
struct endpoint {
    bool secure = false;     // https://: over TLS, the certificate chain and the host name verified
    std::string host;        // a name or an IP address (IPv6 without brackets)
    std::string port;        // "80" (http) or "443" (https) when the URL names none
    std::string host_header; // the Host header: host[:port] as written in the URL
    std::string path;        // the encoded path, "/" when empty
    std::string query;       // the encoded query without '?', may be empty
    // For https: the channel's TLS client context (its trusted CAs), made once by
    // channel_endpoint and shared by every send. Empty after parse_endpoint alone: exchange() then
    // makes one with the system's CA store for that exchange.
    std::shared_ptr<boost::asio::ssl::context> tls;
};

// An endpoint, or why the URL is not usable (a sentence naming `field`).
struct endpoint_or_problem {
    std::optional<endpoint> where;
    std::string problem;
};

// Reads `url` for `field` ("send_url"): http:// or https://. Credentials in the URL are refused:
// they belong in username/password. Only reads: no TLS context, no file, no policy (see
// channel_endpoint). Never throws.
endpoint_or_problem parse_endpoint(std::string_view url, std::string_view field);

// The endpoint a channel sends to, made once when the channel is made (every HTTP channel's
// constructor and problems() call it): parse_endpoint of settings.send_url; for https:// the TLS
// context with the channel's ca_file or the system's CA store (make_tls_context; a bad ca_file is
// the problem, naming ca_file); for http:// the rule that credentials (credentials_sent) do not
// travel in the clear beyond this machine: refused, naming send_url and the fix, when the host is
// not loopback (is_loopback_host) unless settings.allow_insecure. A channel whose endpoint has a
// problem answers every send `retry` with that sentence, so nothing is lost while it is fixed.
// Never throws (allocation aside).
endpoint_or_problem channel_endpoint(const outbound_settings& settings);

// The largest answer body read; a larger answer is cut off (see exchange_result::body_problem).
inline constexpr std::size_t max_answer_bytes = 64 * 1024;

struct exchange_result {
    enum class failure {
        none,      // an answer arrived (its status may still be an error)
        timeout,   // the deadline passed
        cancelled, // the awaiting coroutine was cancelled
        resolve,   // the host name did not resolve
        connect,   // no connection (refused, unreachable)
        tls,       // no TLS session: the certificate or host name refused, or the handshake failed
        write,     // the connection broke while sending
        read,      // no (readable) answer: closed, reset, or not HTTP
    };
    failure failed = failure::none;
    boost::system::error_code error; // the cause, when failed
    // For failure::tls: what went wrong, as retry_after_failure words it after "tls: "
    // ("certificate verify failed (unable to get local issuer certificate)").
    std::string detail;
    http::response<http::string_body> answer;
    // When the status line and headers arrived but the body did not (too large, cut, timed out):
    // what went wrong; `answer` then has the status and an empty body.
    std::string body_problem;
};

// Resolves, connects, for https:// makes the TLS handshake (outbound_tls.hpp: tls_handshake),
// writes `req` (its Host header is set here), reads the answer and, over TLS, shuts the session
// down, all before now + timeout. One request per connection: the connection is closed
// afterwards. Runs on the awaiting coroutine's executor; a host name resolves on Asio's resolver
// thread, raced against the deadline (getaddrinfo cannot be interrupted; a late lookup is
// dropped). Never throws for network or TLS failures (allocation aside).
boost::asio::awaitable<exchange_result> exchange(endpoint to, http::request<http::string_body> req,
                                                 std::chrono::milliseconds timeout);

// `retry` with a detail for an exchange that brought no answer: "timeout", "cancelled",
// "connect: Connection refused", "tls: certificate verify failed (...)", "read: end of stream" ...
send_outcome retry_after_failure(const exchange_result& r);

// "HTTP 503: Temporal failure, try again later." from an answer, through provider_detail.
std::string describe_answer(const exchange_result& r);

// The outcome by the rule the HTTP channels share: no answer: retry_after_failure; 2xx: sent;
// 408 and 429: retry; any other 4xx: failed (the request itself is refused: a bad number, a missing
// parameter, wrong credentials); 5xx and anything else (a 3xx redirect is a configuration
// problem): retry. The detail is describe_answer; provider_id stays empty.
send_outcome outcome_of(const exchange_result& r);

// Text from a provider made fit for the outbox history: invalid UTF-8 read as Latin-1, control
// characters and runs of white space turned into one space, trimmed; runs of 7 to 15 digits that
// stand alone (an optional '+' before, no letter or digit around) masked like "+976****0101" or
// "****0101"; cut at a character boundary to at most `max_bytes` bytes with "..." at the end.
std::string provider_detail(std::string_view text, std::size_t max_bytes = 200);

// What is wrong with our base URL as a provider sees it (public_url, for the dlr-url or status
// callback `purpose` names): "public_url: 'x' is not an http(s) URL for <purpose>", or that it
// carries a query or fragment; nullopt when it is empty or usable.
std::optional<std::string> public_url_problem(std::string_view public_url, std::string_view purpose);

// Percent-encodes every byte outside RFC 3986's unreserved set ('+', '&', '%', ' ' and all
// non-ASCII bytes included), as a query parameter value needs.
std::string encode_query_value(std::string_view bytes);

// The frame of every HTTP channel (generic, kannel, twilio, africastalking): the settings and the
// endpoint (with its TLS context) made once when the channel is made, and send() as the contract
// of outbound.hpp wants it: an unusable endpoint is a `retry` with its problem, the attempt runs
// under guarded_send. A channel writes attempt() only: the request for one message, exchanged on
// executor_, and the outcome its answer gives. attempt() must not use the channel after its
// request is under way (the channel may be replaced by a reload while a send is in flight).
class http_channel : public outbound_channel {
public:
    boost::asio::awaitable<send_outcome> send(const outbound_sms& sms) final;

protected:
    http_channel(const outbound_settings& settings, boost::asio::any_io_executor executor);

    // Called only when endpoint_ is usable: `to` is *endpoint_.where.
    virtual boost::asio::awaitable<send_outcome> attempt(const outbound_sms& sms, const endpoint& to) = 0;

    outbound_settings settings_;
    boost::asio::any_io_executor executor_;
    endpoint_or_problem endpoint_;

private:
    boost::asio::awaitable<send_outcome> checked(const outbound_sms& sms);
};

// The common part of every HTTP channel's send(): awaits `attempt`, turns an exception that
// escapes it into `retry` with "internal error: ...", and logs the outcome at debug level.
// `channel` and `outbox_id` are copies taken before the first suspension: the channel object may
// be replaced (SIGHUP) while the send is in flight.
boost::asio::awaitable<send_outcome> guarded_send(std::string channel, std::int64_t outbox_id,
                                                   boost::asio::awaitable<send_outcome> attempt);

} // namespace kharuul::adapters::outbound_http
