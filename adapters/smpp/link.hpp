// An SMPP bind as a runner (style.md 7): run() connects to the SMSC (TCP, or TLS), binds, keeps
// the bind alive (enquire_link), hands every deliver_sm to the gateway and answers it only after
// the gateway says it is stored, submits what the gateway asks within the window and the
// throughput limit, and on a lost connection rebinds with back-off and resubmits what was not
// answered; cancel() unbinds and ends run(). The protocol itself is session_fsm (pure); this is
// the thin coroutine that carries out its actions on the I/O thread.
#pragma once

#include "adapters/smpp/message_text.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kharuul::adapters::smpp {

enum class bind_kind { transceiver, transmitter_receiver };

struct link_settings {
    std::string name; // the channel's name, for logs and metrics
    std::string host;
    std::uint16_t port = 2775;
    bool tls = false;
    std::string ca_file;          // TLS: PEM CA certificates (empty: the system's store)
    bool tls_verify = true;       // TLS: verify the SMSC's certificate and host name
    std::string system_id;
    std::string password;         // never logged
    std::string system_type;
    std::string source_addr;      // our short code or number: source of every submit_sm
    std::uint8_t source_ton = 0;
    std::uint8_t source_npi = 0;
    std::uint8_t dest_ton = 1;    // international
    std::uint8_t dest_npi = 1;    // E.164
    bool gsm_packing = false;
    bind_kind bind = bind_kind::transceiver;
    std::size_t window = 10;      // outstanding requests
    double throughput = 0;        // submit_sm per second the operator allows; 0: unlimited
    bool request_receipts = true; // registered_delivery = 1
    std::chrono::milliseconds response_timeout{10000};
    std::chrono::milliseconds enquire_link{30000};
    std::chrono::milliseconds reconnect_min{1000};
    std::chrono::milliseconds reconnect_max{60000};
    std::chrono::milliseconds connect_timeout{10000};
};

// A deliver_sm as the gateway sees it: a mobile-originated message (or one part of one), or a
// delivery receipt.
struct delivered_sm {
    std::string from;   // source_addr, '+' added for an international (ton 1) number
    std::string to;     // destination_addr
    received_text text; // decoded; with its concatenation part, if any
    std::optional<receipt> receipt;
    std::uint32_t sequence = 0; // for logs
};

// What became of a submit (all its parts).
struct submit_outcome {
    enum class kind { accepted, retry, failed };
    kind what = kind::retry;
    std::vector<std::string> message_ids; // the SMSC's id of each part, as it answered (often hex)
    std::string detail;                   // "ESME_RINVDSTADR", "timeout", "not bound" ...
};

struct link_stats {
    bool bound = false;
    std::size_t window_in_use = 0;
    std::uint64_t submits_ok = 0, submits_failed = 0, submits_retried = 0;
    std::uint64_t delivers = 0, receipts = 0, delivers_refused = 0; // refused: not stored, asked to redeliver
    std::uint64_t throttled = 0; // ESME_RTHROTTLED / ESME_RMSGQFUL answers
    std::uint64_t reconnects = 0;
};

class link {
public:
    // Called on the I/O thread for each deliver_sm; co_returns true once the message (or part, or
    // receipt) is durably stored: only then is deliver_sm_resp sent with status ok. false (or an
    // exception): answered ESME_RX_T_APPN so that the SMSC delivers it again later.
    using deliver_handler = std::function<boost::asio::awaitable<bool>(delivered_sm)>;

    virtual ~link() = default;
    // Until cancel(): connect, bind, serve, rebind after a loss with back-off. Never throws.
    virtual boost::asio::awaitable<void> run() = 0;
    // Unbind (bounded by response_timeout), close, and end run().
    virtual void cancel() = 0;
    // Sends a UTF-8 text to `to` (E.164, "+97699000101"), split into parts when long; co_returns
    // when every part is answered (accepted), or on a permanent refusal (failed), or when not
    // bound / timed out past `deadline` (retry). Never throws. Calls may overlap (up to the window).
    virtual boost::asio::awaitable<submit_outcome> submit(std::string to, std::string text,
                                                          std::chrono::milliseconds deadline) = 0;
    virtual link_stats stats() const = 0;
};

std::shared_ptr<link> make_link(boost::asio::any_io_executor ex, link_settings settings, link::deliver_handler on_deliver);

} // namespace kharuul::adapters::smpp
