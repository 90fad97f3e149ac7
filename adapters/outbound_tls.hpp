// The transport security of the HTTP channels: the TLS client context a channel's https://
// send_url is verified with (the system's CA store, or the channel's ca_file), the handshake and
// shutdown of one exchange under its deadline with the certificate chain and the host name
// checked, and the rule that keeps credentials off plain http:// beyond this machine.
// outbound_http::exchange() and channel_endpoint() use it; internal to adapters and its tests.
#pragma once

#include "adapters/outbound.hpp"
#include "adapters/outbound_http.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace kharuul::adapters::outbound_http {

using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// A TLS client context, or why there is none (a sentence naming ca_file).
struct tls_context_or_problem {
    std::shared_ptr<boost::asio::ssl::context> context;
    std::string problem;
};

// A context for TLS 1.2 or later that verifies the peer: against the PEM certificates of
// `ca_file` (they replace the system's store), or the system's CA store (OpenSSL's default paths:
// /etc/ssl/certs on Debian, from the ca-certificates package) when `ca_file` is empty. A ca_file
// that cannot be read, or holds no PEM certificate, is a problem: "ca_file: cannot read
// /etc/kharuul/ca.pem: No such file or directory", "ca_file: /etc/kharuul/ca.pem holds no PEM
// certificate (no certificate or crl found)". Reads the files now (once per channel, not per
// send). Never throws (allocation aside).
tls_context_or_problem make_tls_context(const std::string& ca_file);

// True for a host that is this machine: "localhost" (any case), 127.0.0.0/8, ::1, and
// ::ffff:127.x.y.z. Any other name or address is not loopback, whatever it resolves to.
bool is_loopback_host(std::string_view host);

// The credentials a channel's requests carry, as the configuration names them ("username,
// password", "account_sid, auth_token", "api_key", ...), empty when none. What counts: username
// and password (HTTP Basic for generic, the sendsms-user for kannel, the account SID and auth
// token for twilio), api_key (africastalking), and kannel's secret when it rides in the dlr-url
// (secret and public_url both set: whoever reads it can post delivery reports and messages as
// the provider).
std::string credentials_sent(const outbound_settings& settings);

// The TLS handshake as a client of `host` on a connected stream, before the deadline already set
// on its tcp_stream: SNI set to `host` when it is a name (RFC 6066 allows no address), the chain
// verified against the stream's context and the host name by asio's host_name_verification
// (RFC 6125; an address is matched against the certificate's IP entries). nullopt when it
// succeeded; else the failure: timeout, cancelled, or failure::tls with a detail such as
// "certificate verify failed (unable to get local issuer certificate)" or "certificate verify
// failed (hostname mismatch: the certificate is for other.example, not 127.0.0.1)"; a
// verification failure is logged as a warning. Never throws.
boost::asio::awaitable<std::optional<exchange_result>> tls_handshake(tls_stream& stream, const endpoint& to);

// close_notify, waiting for the peer's at most until the deadline or two seconds, whichever comes
// first: the answer is in, so a peer that does not answer must not delay the outcome. Errors are
// ignored. Not to be awaited once the awaiting coroutine is cancelled (Asio throws at the co_await
// then). Never throws otherwise.
boost::asio::awaitable<void> tls_shutdown(tls_stream& stream, std::chrono::steady_clock::time_point deadline);

} // namespace kharuul::adapters::outbound_http
