// The HTTP side shared by the outbound channels that talk to a provider over HTTP (generic,
// kannel): the send_url read with Boost.URL, one request/answer exchange under one deadline, and
// the wording of outcomes (the provider's answer trimmed and masked for the outbox history).
// Internal to adapters and its tests; the gateway uses outbound.hpp.
#pragma once

#include "adapters/outbound.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kharuul::adapters::outbound_http {

namespace http = boost::beast::http;

// Where a request goes: from an absolute http:// URL.
struct endpoint {
    std::string host;        // a name or an IP address (IPv6 without brackets)
    std::string port;        // "80" when the URL names none
    std::string host_header; // the Host header: host[:port] as written in the URL
    std::string path;        // the encoded path, "/" when empty
    std::string query;       // the encoded query without '?', may be empty
};

// An endpoint, or why the URL is not usable (a sentence naming `field`).
struct endpoint_or_problem {
    std::optional<endpoint> where;
    std::string problem;
};

// Reads `url` for `field` ("send_url"). Only http:// is supported (there is no TLS client here; an
// https provider goes behind a local TLS proxy). Credentials in the URL are refused: they belong in
// username/password. Never throws.
endpoint_or_problem parse_endpoint(std::string_view url, std::string_view field);

// The largest answer body read; a larger answer is cut off (see exchange_result::body_problem).
inline constexpr std::size_t max_answer_bytes = 64 * 1024;

struct exchange_result {
    enum class failure {
        none,      // an answer arrived (its status may still be an error)
        timeout,   // the deadline passed
        cancelled, // the awaiting coroutine was cancelled
        resolve,   // the host name did not resolve
        connect,   // no connection (refused, unreachable)
        write,     // the connection broke while sending
        read,      // no (readable) answer: closed, reset, or not HTTP
    };
    failure failed = failure::none;
    boost::system::error_code error; // the cause, when failed
    http::response<http::string_body> answer;
    // When the status line and headers arrived but the body did not (too large, cut, timed out):
    // what went wrong; `answer` then has the status and an empty body.
    std::string body_problem;
};

// Resolves, connects, writes `req` (its Host header is set here) and reads the answer, all before
// now + timeout. One request per connection: the connection is closed afterwards. Runs on the
// awaiting coroutine's executor; a host name resolves on Asio's resolver thread, raced against the
// deadline (getaddrinfo cannot be interrupted; a late lookup is dropped). Never throws for network
// failures (allocation aside).
boost::asio::awaitable<exchange_result> exchange(endpoint to, http::request<http::string_body> req,
                                                 std::chrono::milliseconds timeout);

// `retry` with a detail for an exchange that brought no answer: "timeout", "cancelled",
// "connect: Connection refused", "read: end of stream" ...
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

// Percent-encodes every byte outside RFC 3986's unreserved set ('+', '&', '%', ' ' and all
// non-ASCII bytes included), as a query parameter value needs.
std::string encode_query_value(std::string_view bytes);

// The common part of every HTTP channel's send(): awaits `attempt`, turns an exception that
// escapes it into `retry` with "internal error: ...", and logs the outcome at debug level.
// `channel` and `outbox_id` are copies taken before the first suspension: the channel object may
// be replaced (SIGHUP) while the send is in flight.
boost::asio::awaitable<send_outcome> guarded_send(std::string channel, std::int64_t outbox_id,
                                                   boost::asio::awaitable<send_outcome> attempt);

} // namespace kharuul::adapters::outbound_http
