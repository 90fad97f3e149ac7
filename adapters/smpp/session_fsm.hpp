// One SMPP bind as a pure state machine (sans-I/O, style.md 2; Boost.MySQL's and Boost.Redis's
// machines): events in (connected, disconnected, a PDU, the timer, a submit, the gateway's answer
// to a deliver_sm, stop), each with the time passed in; actions out (send a PDU, connect after a
// delay, close, hand a deliver_sm to the gateway, a submit's outcome, notices). No sockets, no
// clock, no logging: link.cpp carries the actions out and arms one timer at next_deadline().
#pragma once

#include "adapters/smpp/pdu.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kharuul::adapters::smpp {

// A transceiver bind carries both ways on one connection. A transmitter+receiver pair is two
// connections, so two machines: the link runs one session_fsm with role transmitter (submits) and
// one with role receiver (deliver_sm); each binds, keeps alive and reconnects on its own.
enum class session_role { transceiver, transmitter, receiver };

struct session_settings {
    session_role role = session_role::transceiver;
    bind_body credentials;        // system_id, password, system_type, addr_ton/npi, address_range
    std::size_t window = 10;      // outstanding requests (submits and enquire_links), at least 1
    double throughput = 0;        // submit_sm per second; 0: unlimited
    std::chrono::milliseconds response_timeout{10000};
    std::chrono::milliseconds enquire_link{30000};
    std::chrono::milliseconds reconnect_min{1000};
    std::chrono::milliseconds reconnect_max{60000};
    // After ESME_RTHROTTLED / ESME_RMSGQFUL: no submit for a pause that starts here and doubles
    // with each throttled answer in a row (up to throttle_max); then the window opens again one
    // submit at a time, growing by one per accepted submit (slow start).
    std::chrono::milliseconds throttle_min{200};
    std::chrono::milliseconds throttle_max{10000};
    std::uint32_t first_sequence = 1; // tests start near the wrap; 1..0x7FFFFFFF
};

using submit_token = std::uint64_t;
using session_clock = std::chrono::steady_clock;
using time_point = session_clock::time_point;

// Events.
namespace event {
struct connected {};                  // TCP (and TLS) is up: the machine binds
struct disconnected {};               // the connection ended or could not be made
struct received { pdu p; };           // one decoded PDU
struct undecodable {                  // pdu_reader's error; `sequence` 0 when the header was not read
    decode_error error;
    std::uint32_t sequence = 0;
};
struct timer {};                      // next_deadline() has passed
struct submit {                       // send one submit_sm (one part of a text)
    submit_token token;
    sm_body sm;
    std::vector<tlv> tlvs;
    time_point deadline;              // not sent by then: outcome retry "deadline"
};
struct abandon { submit_token token; }; // the caller stops waiting: dropped if not yet sent
struct deliver_answer {                 // the gateway stored (or not) a handed deliver_sm
    std::uint64_t connection;
    std::uint32_t sequence;
    bool stored;
};
struct stop {};                         // unbind (bounded by response_timeout), then stopped
} // namespace event
using session_event = std::variant<event::connected, event::disconnected, event::received, event::undecodable,
                                   event::timer, event::submit, event::abandon, event::deliver_answer, event::stop>;

// Actions.
namespace action {
struct send { pdu p; };
struct connect { std::chrono::milliseconds delay; }; // then report connected or disconnected
struct close {};                                     // close the connection; report nothing after
struct deliver {                                     // hand to the gateway; answer with deliver_answer
    std::uint64_t connection;                        // the connection it came on (answers on a later one are dropped)
    pdu p;
};
struct submit_done {
    enum class kind { accepted, retry, failed };
    submit_token token;
    kind what;
    std::string message_id;  // accepted: as the SMSC answered it
    std::uint32_t status = 0; // the SMSC's command_status, 0 when none came
    std::string detail;       // "ESME_RINVDSTADR", "timeout", "stopped", "deadline" ...
};
struct notice {
    enum class kind { bound, unbound, bind_refused, throttled, timed_out, reconnecting };
    kind what;
    std::uint32_t status = 0;
    std::string detail;
};
struct stopped {}; // the machine is done: run() ends
} // namespace action
using session_action = std::variant<action::send, action::connect, action::close, action::deliver,
                                    action::submit_done, action::notice, action::stopped>;

enum class session_state { idle, connecting, binding, bound, unbinding, stopped };
std::string_view to_string(session_state s) noexcept;

// The name of a command_status we know ("ESME_RTHROTTLED"), else "0x000000NN".
std::string status_name(std::uint32_t status);
// A submit_sm_resp error that may succeed later (system error, queue full, throttled, not bound,
// temporary application error ...): the outcome is retry, not failed.
bool is_temporary(std::uint32_t status) noexcept;

struct session_counters {
    std::uint64_t submits_ok = 0, submits_failed = 0, submits_retried = 0;
    std::uint64_t resubmitted = 0;  // in flight when the connection was lost, sent again
    std::uint64_t throttled = 0;    // ESME_RTHROTTLED / ESME_RMSGQFUL answers
    std::uint64_t timeouts = 0;     // responses not come within response_timeout
    std::uint64_t reconnects = 0;
    std::uint64_t bind_refusals = 0;
    std::uint64_t delivers = 0, delivers_refused = 0;
};

// Every submit token gets exactly one submit_done, at the latest when the machine stops. Not
// thread-safe; one caller (the I/O thread).
class session_fsm {
public:
    explicit session_fsm(session_settings settings);

    // The first action is connect{0}.
    std::vector<session_action> start(time_point now);
    std::vector<session_action> handle(const session_event& e, time_point now);

    // When to send event::timer next; nullopt: nothing is timed.
    std::optional<time_point> next_deadline() const;

    session_state state() const noexcept { return state_; }
    bool bound() const noexcept { return state_ == session_state::bound; }
    std::size_t window_in_use() const noexcept { return in_flight_.size(); }
    std::size_t queued() const noexcept { return queue_.size(); }
    std::uint64_t connection() const noexcept { return connection_; }
    const session_counters& counters() const noexcept { return counters_; }

private:
    struct queued_submit {
        submit_token token;
        sm_body sm;
        std::vector<tlv> tlvs;
        time_point deadline;
        bool resent = false;
    };
    enum class request_kind { bind, submit, enquire_link, unbind };
    struct request {
        request_kind kind;
        time_point deadline;
        std::optional<queued_submit> submit;
    };

    using actions = std::vector<session_action>;
    void on(const event::connected&, time_point now, actions& out);
    void on(const event::disconnected&, time_point now, actions& out);
    void on(const event::received&, time_point now, actions& out);
    void on(const event::undecodable&, time_point now, actions& out);
    void on(const event::timer&, time_point now, actions& out);
    void on(const event::submit&, time_point now, actions& out);
    void on(const event::abandon&, time_point now, actions& out);
    void on(const event::deliver_answer&, time_point now, actions& out);
    void on(const event::stop&, time_point now, actions& out);

    void on_response(const pdu& p, time_point now, actions& out);
    void on_request(const pdu& p, time_point now, actions& out);
    void on_submit_resp(request r, const pdu& p, time_point now, actions& out);
    void lose_connection(time_point now, actions& out, bool close_it);
    void finish(actions& out, const std::string& why);
    void pump(time_point now, actions& out);
    void expire_queue(time_point now, actions& out);
    std::uint32_t send_request(command c, body b, std::vector<tlv> tlvs, request r, actions& out);
    std::uint32_t next_sequence();
    void refill(time_point now);
    std::size_t effective_window() const noexcept;
    bool carries_submits() const noexcept { return settings_.role != session_role::receiver; }

    session_settings settings_;
    session_state state_ = session_state::idle;
    std::uint32_t sequence_ = 0;
    std::uint64_t connection_ = 0;
    std::map<std::uint32_t, request> in_flight_;
    std::deque<queued_submit> queue_;
    std::map<std::uint32_t, bool> delivers_pending_; // sequence -> handed to the gateway
    std::chrono::milliseconds backoff_;
    time_point last_received_{};
    bool enquire_outstanding_ = false;
    // Throughput: a token bucket of `throughput` per second holding at most bucket_max_.
    double tokens_ = 1;
    double bucket_max_ = 1;
    time_point refilled_{};
    // Throttling.
    time_point paused_until_{};
    std::chrono::milliseconds throttle_pause_{0};
    std::size_t slow_window_ = 0; // 0: not slowed; else the window while recovering
    session_counters counters_;
};

} // namespace kharuul::adapters::smpp
