// Outbound channels: how an outbox row (an alert, a reminder, a reply sent later) leaves the gateway
// through a provider. The gateway's outbox sender, a coroutine runner on the I/O thread, calls
// send() and records the outcome; the concrete channels (log, generic JSON POST, Kannel sendsms)
// hide in their own .cpp files and are made by type name with make_outbound.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::adapters {

// What a channel needs to send. The gateway fills it from its configuration (adapters does not
// depend on config). Which fields a type uses:
//   log      nothing
//   generic  send_url; username + password (HTTP Basic) when username is set; sender
//   kannel   send_url (smsbox's /cgi-bin/sendsms), username + password (a sendsms-user), sender,
//            and secret + public_url for the dlr-url; delivery reports are asked for only when
//            both are set
//   twilio   send_url (the REST API's base URL), username = Account SID, password = auth token,
//            sender, public_url for the status callback
//   africastalking  send_url (the messaging endpoint), username, api_key, sender
// Every HTTP type: ca_file and allow_insecure (outbound_http::channel_endpoint: an https:// send_url
// is verified against the system's CA store or ca_file; credentials go over plain http:// only to
// loopback unless allow_insecure).
struct outbound_settings {
    std::string name;     // the channel's name, the {name} of /channels/{name}/status
    std::string type;     // "log", "generic", "kannel", "twilio", "africastalking"
    std::string send_url; // an absolute http:// or https:// URL; it may carry query parameters of its own
    std::string username;
    std::string password;
    std::string api_key;  // africastalking
    std::string ca_file;  // a PEM file of CA certificates for https:// (empty: the system's store)
    bool allow_insecure = false; // credentials may go over plain http:// to a host off loopback
    std::string sender;     // the `from` number or short code; empty: the provider's default
    std::string secret;     // the channel secret our status endpoint checks (for the dlr-url)
    std::string public_url; // our base URL as the provider sees it, e.g. "http://10.0.0.5:8080"
    std::chrono::milliseconds timeout{10000}; // the whole request: resolve, connect, write, read
};

// One message to send: an outbox row.
struct outbound_sms {
    std::int64_t outbox_id = 0; // our id; providers that can use it drop repeats (idempotency)
    std::string to;             // E.164, "+97699000101"
    std::string text;           // UTF-8
};

struct send_outcome {
    enum class kind {
        sent,   // the provider took the message; delivery reports may follow
        retry,  // not taken, or unknown (timeout, connection lost): send again after a back-off
        failed, // refused for good (bad number, bad parameters): do not send again
    };
    kind what = kind::retry;
    std::string provider_id; // the provider's message id when it gave one; may be empty
    // What the provider said, for the outbox history: "HTTP 202: 0: Accepted for delivery",
    // "timeout", "connect: Connection refused", "logged". At most about 200 characters, one line,
    // digit runs that may be phone numbers masked ("+976****0101").
    std::string detail;
};

// "sent", "retry", "failed".
std::string_view send_outcome_name(send_outcome::kind k) noexcept;

class outbound_channel {
public:
    virtual ~outbound_channel() = default;

    // The channel type ("log", "generic", "kannel").
    virtual std::string_view type() const noexcept = 0;

    // Sends one message. Runs on the executor given to make_outbound, never throws: network
    // failures, timeouts, an unusable send_url and internal errors are `retry` with a detail.
    // Every network step shares one deadline (outbound_settings::timeout); its expiry gives the
    // detail "timeout". Cancelling the awaiting coroutine (per-operation cancellation) ends the
    // request at once with `retry` and the detail "cancelled". A `retry` after the request was
    // written (timeout, connection lost while waiting for the answer) may follow a send the
    // provider did make: the generic channel sends the idempotency key `kharuul-<outbox_id>`,
    // Kannel's sendsms has none. One request per connection; calls may overlap. `sms` must live
    // until the send completes; the channel itself may be destroyed while a send is in flight
    // (nothing of it is used after the request is under way).
    virtual boost::asio::awaitable<send_outcome> send(const outbound_sms& sms) = 0;
};

// The channel for settings.type, sending through `executor` (the I/O thread's); nullptr for an
// unknown type. Settings are copied. Does not check them: see outbound_problems.
std::unique_ptr<outbound_channel> make_outbound(const outbound_settings& settings,
                                                boost::asio::any_io_executor executor);

// Every type make_outbound knows, in registration order.
std::vector<std::string_view> outbound_types();

// What keeps the settings from working, one sentence per problem naming the field ("ca_file:
// cannot read ...", "send_url: refused: the channel's username, password would travel
// unencrypted over http:// ..."); empty when none. For start-up checks: send() with such settings
// answers `retry` with the same sentence, so that nothing is lost while the configuration is
// being fixed.
std::vector<std::string> outbound_problems(const outbound_settings& settings);

} // namespace kharuul::adapters
