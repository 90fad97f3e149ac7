#include "adapters/smpp/session_fsm.hpp"

#include <algorithm>
#include <cstdio>

namespace kharuul::adapters::smpp {

namespace {

constexpr std::uint32_t max_sequence = 0x7FFFFFFF;
constexpr std::uint32_t invalid_bind_status = 0x00000004; // ESME_RINVBNDSTS
constexpr std::uint32_t submit_failed = 0x00000045;       // ESME_RSUBMITFAIL
constexpr std::uint32_t unknown_error = 0x000000FF;       // ESME_RUNKNOWNERR

using std::chrono::milliseconds;

struct status_entry {
    std::uint32_t status;
    const char* name;
};
constexpr status_entry status_names[] = {
    {0x00, "ESME_ROK"},          {0x01, "ESME_RINVMSGLEN"},  {0x02, "ESME_RINVCMDLEN"},
    {0x03, "ESME_RINVCMDID"},    {0x04, "ESME_RINVBNDSTS"},  {0x05, "ESME_RALYBND"},
    {0x08, "ESME_RSYSERR"},      {0x0A, "ESME_RINVSRCADR"},  {0x0B, "ESME_RINVDSTADR"},
    {0x0C, "ESME_RINVMSGID"},    {0x0D, "ESME_RBINDFAIL"},   {0x0E, "ESME_RINVPASWD"},
    {0x0F, "ESME_RINVSYSID"},    {0x14, "ESME_RMSGQFUL"},    {0x45, "ESME_RSUBMITFAIL"},
    {0x58, "ESME_RTHROTTLED"},   {0x61, "ESME_RINVSCHED"},   {0x62, "ESME_RINVEXPIRY"},
    {0x64, "ESME_RX_T_APPN"},    {0x65, "ESME_RX_P_APPN"},   {0x66, "ESME_RX_R_APPN"},
    {0xC0, "ESME_RINVOPTPARSTREAM"}, {0xFF, "ESME_RUNKNOWNERR"},
};

command bind_command(session_role r) {
    switch (r) {
    case session_role::transmitter: return command::bind_transmitter;
    case session_role::receiver: return command::bind_receiver;
    case session_role::transceiver: break;
    }
    return command::bind_transceiver;
}

bool is_slow_down(std::uint32_t s) { return s == status::throttled || s == status::message_queue_full; }

} // namespace

std::string_view to_string(session_state s) noexcept {
    switch (s) {
    case session_state::idle: return "idle";
    case session_state::connecting: return "connecting";
    case session_state::binding: return "binding";
    case session_state::bound: return "bound";
    case session_state::unbinding: return "unbinding";
    case session_state::stopped: return "stopped";
    }
    return "?";
}

std::string status_name(std::uint32_t s) {
    for (const auto& e : status_names)
        if (e.status == s)
            return e.name;
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", static_cast<unsigned>(s));
    return buf;
}

bool is_temporary(std::uint32_t s) noexcept {
    return s == status::system_error || is_slow_down(s) || s == status::temporary_app_error ||
           s == invalid_bind_status || s == submit_failed || s == unknown_error;
}

session_fsm::session_fsm(session_settings settings)
    : settings_(std::move(settings)), backoff_(settings_.reconnect_min) {
    settings_.window = std::max<std::size_t>(1, settings_.window);
    sequence_ = std::clamp<std::uint32_t>(settings_.first_sequence, 1, max_sequence) - 1;
    if (settings_.throughput > 0)
        bucket_max_ = std::max(1.0, settings_.throughput * 0.05); // 50 ms of catching up on a late timer
}

std::vector<session_action> session_fsm::start(time_point now) {
    actions out;
    if (state_ != session_state::idle)
        return out;
    refilled_ = now;
    state_ = session_state::connecting;
    out.push_back(action::connect{milliseconds{0}});
    return out;
}

std::vector<session_action> session_fsm::handle(const session_event& e, time_point now) {
    actions out;
    std::visit([&](const auto& ev) { on(ev, now, out); }, e);
    return out;
}

// ---------------------------------------------------------------------------------------------
// Connection life

void session_fsm::on(const event::connected&, time_point now, actions& out) {
    if (state_ != session_state::connecting)
        return;
    ++connection_;
    state_ = session_state::binding;
    last_received_ = now;
    send_request(bind_command(settings_.role), settings_.credentials, {},
                 request{request_kind::bind, now + settings_.response_timeout, std::nullopt}, out);
}

void session_fsm::on(const event::disconnected&, time_point now, actions& out) {
    if (state_ == session_state::idle || state_ == session_state::stopped)
        return;
    lose_connection(now, out, false);
}

// Everything in flight is unanswered for good: submits go back to the queue (in their order) and
// are sent again on the next bind; the SMSC may have accepted some, the only duplicates possible.
// deliver_sm not yet answered are forgotten: the SMSC redelivers them.
void session_fsm::lose_connection(time_point now, actions& out, bool close_it) {
    if (close_it)
        out.push_back(action::close{});
    if (state_ == session_state::unbinding || state_ == session_state::stopped) {
        finish(out, "stopped");
        return;
    }
    const bool was_bound = state_ == session_state::bound;
    for (auto& [seq, r] : in_flight_) {
        if (r.kind != request_kind::submit || !r.submit)
            continue;
        r.submit->resent = true;
        ++counters_.resubmitted;
        auto at = std::find_if(queue_.begin(), queue_.end(),
                               [&](const queued_submit& q) { return q.token > r.submit->token; });
        queue_.insert(at, std::move(*r.submit));
    }
    in_flight_.clear();
    delivers_pending_.clear();
    enquire_outstanding_ = false;
    if (was_bound)
        out.push_back(action::notice{action::notice::kind::unbound, 0, "connection lost"});
    const auto delay = backoff_;
    backoff_ = std::min(backoff_ * 2, settings_.reconnect_max);
    ++counters_.reconnects;
    out.push_back(action::notice{action::notice::kind::reconnecting, 0,
                                 "in " + std::to_string(delay.count()) + " ms"});
    state_ = session_state::connecting;
    out.push_back(action::connect{delay});
    expire_queue(now, out);
}

void session_fsm::finish(actions& out, const std::string& why) {
    for (auto& [seq, r] : in_flight_)
        if (r.kind == request_kind::submit && r.submit) {
            ++counters_.submits_retried;
            out.push_back(action::submit_done{r.submit->token, action::submit_done::kind::retry, {}, 0, why});
        }
    for (auto& q : queue_) {
        ++counters_.submits_retried;
        out.push_back(action::submit_done{q.token, action::submit_done::kind::retry, {}, 0, why});
    }
    in_flight_.clear();
    queue_.clear();
    delivers_pending_.clear();
    const bool was_bound = state_ == session_state::bound || state_ == session_state::unbinding;
    state_ = session_state::stopped;
    if (was_bound)
        out.push_back(action::notice{action::notice::kind::unbound, 0, why});
    out.push_back(action::stopped{});
}

void session_fsm::on(const event::stop&, time_point now, actions& out) {
    switch (state_) {
    case session_state::idle:
        finish(out, "stopped");
        return;
    case session_state::connecting:
    case session_state::binding:
        out.push_back(action::close{});
        finish(out, "stopped");
        return;
    case session_state::bound: break;
    case session_state::unbinding:
    case session_state::stopped: return;
    }
    for (auto& q : queue_) {
        ++counters_.submits_retried;
        out.push_back(action::submit_done{q.token, action::submit_done::kind::retry, {}, 0, "stopped"});
    }
    queue_.clear();
    state_ = session_state::unbinding;
    // In-flight submits are still answered before the unbind_resp (the SMSC answers in order, or
    // gives up on them when it unbinds: then they are retried).
    send_request(command::unbind, std::monostate{}, {},
                 request{request_kind::unbind, now + settings_.response_timeout, std::nullopt}, out);
}

// ---------------------------------------------------------------------------------------------
// PDUs in

void session_fsm::on(const event::received& e, time_point now, actions& out) {
    if (state_ == session_state::idle || state_ == session_state::connecting || state_ == session_state::stopped)
        return;
    last_received_ = now;
    if (is_response(e.p.id))
        on_response(e.p, now, out);
    else
        on_request(e.p, now, out);
}

void session_fsm::on_request(const pdu& p, time_point now, actions& out) {
    switch (p.id) {
    case command::enquire_link:
        out.push_back(action::send{pdu{command::enquire_link_resp, status::ok, p.sequence, {}, {}}});
        return;
    case command::unbind:
        out.push_back(action::send{pdu{command::unbind_resp, status::ok, p.sequence, {}, {}}});
        lose_connection(now, out, true);
        return;
    case command::deliver_sm:
        if (state_ != session_state::bound && state_ != session_state::unbinding) {
            out.push_back(action::send{pdu{command::deliver_sm_resp, invalid_bind_status, p.sequence,
                                           message_id_body{}, {}}});
            return;
        }
        ++counters_.delivers;
        delivers_pending_[p.sequence] = true;
        out.push_back(action::deliver{connection_, p});
        return;
    default:
        // A request an ESME does not serve (submit_sm, a bind ...): refused, the session goes on.
        out.push_back(action::send{pdu{command::generic_nack, status::invalid_command_id, p.sequence, {}, {}}});
        return;
    }
}

void session_fsm::on_response(const pdu& p, time_point now, actions& out) {
    auto it = in_flight_.find(p.sequence);
    if (it == in_flight_.end())
        return; // late (after its timeout) or never asked: nothing waits for it
    request r = std::move(it->second);
    in_flight_.erase(it);
    const bool ok = p.status == status::ok && p.id != command::generic_nack;
    switch (r.kind) {
    case request_kind::bind:
        if (!ok) {
            ++counters_.bind_refusals;
            out.push_back(action::notice{action::notice::kind::bind_refused, p.status, status_name(p.status)});
            lose_connection(now, out, true);
            return;
        }
        state_ = session_state::bound;
        backoff_ = settings_.reconnect_min;
        {
            const auto* b = std::get_if<bind_resp_body>(&p.fields);
            out.push_back(action::notice{action::notice::kind::bound, 0, b ? b->system_id : std::string{}});
        }
        pump(now, out);
        return;
    case request_kind::enquire_link:
        enquire_outstanding_ = false;
        return;
    case request_kind::unbind:
        out.push_back(action::close{});
        finish(out, "stopped");
        return;
    case request_kind::submit:
        on_submit_resp(std::move(r), p, now, out);
        return;
    }
}

void session_fsm::on_submit_resp(request r, const pdu& p, time_point now, actions& out) {
    queued_submit q = std::move(*r.submit);
    const bool nack = p.id == command::generic_nack;
    using k = action::submit_done::kind;
    if (p.status == status::ok && !nack) {
        ++counters_.submits_ok;
        const auto* b = std::get_if<message_id_body>(&p.fields);
        out.push_back(action::submit_done{q.token, k::accepted, b ? b->message_id : std::string{}, 0, {}});
        if (now >= paused_until_)
            throttle_pause_ = milliseconds{0};
        if (slow_window_ != 0 && ++slow_window_ >= settings_.window)
            slow_window_ = 0;
    } else if (is_slow_down(p.status) && state_ == session_state::bound) {
        // Slow down: the same PDU again after a pause. Answers to submits sent before the pause
        // began do not lengthen it.
        ++counters_.throttled;
        if (now >= paused_until_) {
            throttle_pause_ = throttle_pause_.count() == 0 ? settings_.throttle_min
                                                           : std::min(throttle_pause_ * 2, settings_.throttle_max);
            paused_until_ = now + throttle_pause_;
            out.push_back(action::notice{action::notice::kind::throttled, p.status,
                                         status_name(p.status) + ", pausing " +
                                             std::to_string(throttle_pause_.count()) + " ms"});
        }
        slow_window_ = 1;
        auto at = std::find_if(queue_.begin(), queue_.end(), [&](const queued_submit& o) { return o.token > q.token; });
        queue_.insert(at, std::move(q));
    } else if (is_temporary(p.status)) {
        ++counters_.submits_retried;
        out.push_back(action::submit_done{q.token, k::retry, {}, p.status, status_name(p.status)});
    } else {
        ++counters_.submits_failed;
        out.push_back(action::submit_done{q.token, k::failed, {}, p.status, status_name(p.status)});
    }
    if (state_ == session_state::bound)
        pump(now, out);
}

void session_fsm::on(const event::undecodable& e, time_point now, actions& out) {
    if (state_ == session_state::idle || state_ == session_state::connecting || state_ == session_state::stopped)
        return;
    last_received_ = now;
    if (e.error == decode_error::bad_length) {
        lose_connection(now, out, true); // the stream cannot be re-synced
        return;
    }
    const std::uint32_t s = e.error == decode_error::unknown_command ? status::invalid_command_id
                            : e.error == decode_error::truncated_tlv ? 0xC0u // ESME_RINVOPTPARSTREAM
                                                                     : status::invalid_command_length;
    out.push_back(action::send{pdu{command::generic_nack, s, e.sequence, {}, {}}});
}

void session_fsm::on(const event::deliver_answer& a, time_point, actions& out) {
    if (a.connection != connection_ || state_ == session_state::stopped || state_ == session_state::connecting)
        return; // its connection is gone: the SMSC delivers it again
    auto it = delivers_pending_.find(a.sequence);
    if (it == delivers_pending_.end())
        return;
    delivers_pending_.erase(it);
    if (!a.stored)
        ++counters_.delivers_refused;
    out.push_back(action::send{pdu{command::deliver_sm_resp, a.stored ? status::ok : status::temporary_app_error,
                                   a.sequence, message_id_body{}, {}}});
}

// ---------------------------------------------------------------------------------------------
// Submits out

void session_fsm::on(const event::submit& e, time_point now, actions& out) {
    using k = action::submit_done::kind;
    if (state_ == session_state::stopped || state_ == session_state::unbinding) {
        ++counters_.submits_retried;
        out.push_back(action::submit_done{e.token, k::retry, {}, 0, "stopped"});
        return;
    }
    if (!carries_submits()) {
        ++counters_.submits_failed;
        out.push_back(action::submit_done{e.token, k::failed, {}, 0, "a receiver bind does not submit"});
        return;
    }
    auto at = std::find_if(queue_.begin(), queue_.end(), [&](const queued_submit& o) { return o.token > e.token; });
    queue_.insert(at, queued_submit{e.token, e.sm, e.tlvs, e.deadline, false});
    if (state_ == session_state::bound)
        pump(now, out);
    else
        expire_queue(now, out);
}

void session_fsm::on(const event::abandon& e, time_point, actions& out) {
    auto it = std::find_if(queue_.begin(), queue_.end(), [&](const queued_submit& q) { return q.token == e.token; });
    if (it == queue_.end())
        return; // in flight: answered (or timed out) within response_timeout; or already done
    queue_.erase(it);
    ++counters_.submits_retried;
    out.push_back(action::submit_done{e.token, action::submit_done::kind::retry, {}, 0, "deadline"});
}

void session_fsm::expire_queue(time_point now, actions& out) {
    for (auto it = queue_.begin(); it != queue_.end();) {
        if (it->deadline <= now) {
            ++counters_.submits_retried;
            out.push_back(action::submit_done{it->token, action::submit_done::kind::retry, {}, 0,
                                              state_ == session_state::bound ? "deadline" : "not bound"});
            it = queue_.erase(it);
        } else {
            ++it;
        }
    }
}

std::size_t session_fsm::effective_window() const noexcept {
    return slow_window_ == 0 ? settings_.window : std::min(slow_window_, settings_.window);
}

void session_fsm::refill(time_point now) {
    if (settings_.throughput <= 0)
        return;
    const double seconds = std::chrono::duration<double>(now - refilled_).count();
    if (seconds > 0)
        tokens_ = std::min(bucket_max_, tokens_ + seconds * settings_.throughput);
    refilled_ = now;
}

// Sends from the queue while bound, the window has room, no throttle pause runs and the bucket
// holds a token.
void session_fsm::pump(time_point now, actions& out) {
    expire_queue(now, out);
    if (state_ != session_state::bound || now < paused_until_)
        return;
    refill(now);
    auto submits = static_cast<std::size_t>(std::count_if(
        in_flight_.begin(), in_flight_.end(), [](const auto& kv) { return kv.second.kind == request_kind::submit; }));
    while (!queue_.empty() && submits < effective_window()) {
        if (settings_.throughput > 0) {
            if (tokens_ < 1)
                break;
            tokens_ -= 1;
        }
        queued_submit q = std::move(queue_.front());
        queue_.pop_front();
        sm_body sm = q.sm;
        std::vector<tlv> tlvs = q.tlvs;
        send_request(command::submit_sm, std::move(sm), std::move(tlvs),
                     request{request_kind::submit, now + settings_.response_timeout, std::move(q)}, out);
        ++submits;
    }
}

std::uint32_t session_fsm::next_sequence() {
    do {
        sequence_ = sequence_ >= max_sequence ? 1 : sequence_ + 1;
    } while (in_flight_.count(sequence_) != 0);
    return sequence_;
}

std::uint32_t session_fsm::send_request(command c, body b, std::vector<tlv> tlvs, request r, actions& out) {
    const std::uint32_t seq = next_sequence();
    out.push_back(action::send{pdu{c, status::ok, seq, std::move(b), std::move(tlvs)}});
    in_flight_.emplace(seq, std::move(r));
    return seq;
}

// ---------------------------------------------------------------------------------------------
// Time

void session_fsm::on(const event::timer&, time_point now, actions& out) {
    if (state_ == session_state::stopped || state_ == session_state::idle)
        return;
    for (auto& [seq, r] : in_flight_) {
        if (r.deadline > now)
            continue;
        // No answer in time: the connection is suspect. Close it; what was in flight goes again on
        // the next bind.
        ++counters_.timeouts;
        const char* what = r.kind == request_kind::bind           ? "bind_resp"
                           : r.kind == request_kind::submit       ? "submit_sm_resp"
                           : r.kind == request_kind::enquire_link ? "enquire_link_resp"
                                                                  : "unbind_resp";
        out.push_back(action::notice{action::notice::kind::timed_out, 0, std::string("no ") + what + " in time"});
        lose_connection(now, out, true);
        return;
    }
    expire_queue(now, out);
    if (state_ == session_state::bound && !enquire_outstanding_ && now >= last_received_ + settings_.enquire_link) {
        enquire_outstanding_ = true;
        send_request(command::enquire_link, std::monostate{}, {},
                     request{request_kind::enquire_link, now + settings_.response_timeout, std::nullopt}, out);
    }
    if (state_ == session_state::bound)
        pump(now, out);
}

std::optional<time_point> session_fsm::next_deadline() const {
    std::optional<time_point> next;
    auto take = [&](time_point t) {
        if (!next || t < *next)
            next = t;
    };
    for (const auto& [seq, r] : in_flight_)
        take(r.deadline);
    for (const auto& q : queue_)
        take(q.deadline);
    if (state_ == session_state::bound) {
        if (!enquire_outstanding_)
            take(last_received_ + settings_.enquire_link);
        auto submits = static_cast<std::size_t>(std::count_if(
            in_flight_.begin(), in_flight_.end(), [](const auto& kv) { return kv.second.kind == request_kind::submit; }));
        if (!queue_.empty() && submits < effective_window()) {
            time_point when = paused_until_;
            if (settings_.throughput > 0 && tokens_ < 1) {
                const auto wait = std::chrono::duration<double>((1 - tokens_) / settings_.throughput);
                when = std::max(when, refilled_ + std::chrono::ceil<session_clock::duration>(wait));
            }
            take(when);
        }
    }
    return next;
}

} // namespace kharuul::adapters::smpp
