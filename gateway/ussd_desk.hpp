// The daemon's USSD desk (spec/ussd.md, issue 11 items 1-2): serves /channels/{name}/ussd and
// /channels/{name}/ussd/end over the pure dialogue and session table of ussd/. It looks the
// sender up in the store when a session opens (registered? language, own sites), rebuilds the
// dialogue from the input history on every step (cumulative or last-input providers alike), and
// takes a completed dialogue in through the same intake as an SMS (gateway/intake.hpp take_in,
// kind ussd, text the equivalent SMS, the steps as the message's dialogue) in one durable
// transaction with the session's row. Sessions that end without a report are recorded as
// ended or abandoned, with the step reached, for `ussd_abandoned`.
// Runs on the I/O thread; store work goes through store::writer (gateway/store_client.hpp).
// A restart loses only unfinished dialogues.
#pragma once

#include "adapters/dialect.hpp"
#include "config/gateway_config.hpp"
#include "gateway/daemon_routing.hpp"
#include "gateway/http_server.hpp"
#include "store/ussd_sessions.hpp"
#include "store/writer.hpp"
#include "ussd/session_table.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace kharuul::gateway {

class ussd_desk {
public:
    // `wake_sender` is called when a report raised an alert (the outbox has work).
    ussd_desk(store::writer& writer, const config::ussd_config& cfg, std::function<void()> wake_sender);

    // One step of a session, authenticated already. Answers the dialect's CON/END screen, or 503
    // (nothing lost: the session stays open and the provider's retry takes it in) when the store
    // cannot write a completed report.
    boost::asio::awaitable<http_response> step(const http_request& req, const adapters::ussd_request& r,
                                               const daemon_detail::channel_binding& ch,
                                               std::shared_ptr<const daemon_detail::routing> rt, store::timestamp now);

    // The provider's end-of-session notice: an incomplete or failed session is abandoned.
    boost::asio::awaitable<http_response> end(const http_request& req, const adapters::ussd_session_end& e,
                                              store::timestamp now);

    // Sessions silent for the timeout are abandoned and recorded; records that could not be
    // written before are written again. Called by the daemon's ticker.
    boost::asio::awaitable<void> sweep(store::timestamp now);

    // A reload may change the texts and the limits; open sessions keep going.
    void reconfigure(const config::ussd_config& cfg);

    std::size_t sessions() const noexcept { return table_.size(); }

private:
    boost::asio::awaitable<void> write(std::vector<ussd::session_record> records);

    store::writer& writer_;
    config::ussd_config cfg_;
    std::function<void()> wake_sender_;
    ussd::session_table table_;
    std::vector<ussd::session_record> unwritten_; // retried by sweep()
};

// A completed dialogue taken in: the equivalent SMS through the intake (kind ussd, the steps as the
// message's dialogue) and the session's row pointing at the message, in the caller's transaction
// (a store job). The daemon's desk and `kharuul simulate` both take dialogues in through here.
struct taken_dialogue {
    intake_outcome out;
    std::string end_text; // the END screen, worded from the outcome
};
taken_dialogue take_in_dialogue(store::connection& db, const ussd::held_session& s, const ussd::completed_report& report,
                                const std::string& channel, const std::optional<std::string>& provider_id,
                                const std::string& service_code, const daemon_detail::routing& rt,
                                const ussd::menu& menu, store::timestamp now);

// The store row of a session record (message_id: the message a completed one was taken in as).
store::ussd_session_row session_row_of(const ussd::session_record& r, std::optional<std::int64_t> message_id = {});

// The sender as the dialogue sees it, from the store's registry: a registered reporter, team
// member or coordinator, the reply language, and a reporter's sites (active ones, with names).
ussd::sender_profile ussd_profile_of(store::connection& db, const std::string& phone, const std::string& service_code);

} // namespace kharuul::gateway
