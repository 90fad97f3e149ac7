// The phone of `kharuul simulate`: one typed line at a time, as a trainee types it at a phone,
// goes through the daemon's own intake (gateway/intake.hpp take_in) in one store transaction, and
// the transcript shows what that phone would see (the reply, or a USSD screen framed) and every
// SMS the message caused for other phones (the outbox rows it queued, with who gets them from
// the registry). Lines starting with ':' are the trainer's (:help lists them). Runs on the
// caller's thread on a connection it is given: a throw-away copy of the store, or the live store
// with --record (gateway/simulate_command.cpp decides). Throws only for infrastructure failures.
#pragma once

#include "config/gateway_config.hpp"
#include "gateway/daemon_routing.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

// One screen of a USSD dialogue as the phone shows it; `end`: the network closes the session.
struct ussd_screen {
    std::string text;
    bool end = false;
    std::string note; // for the trainer, below the frame: what a completed dialogue was taken in as
};

// The USSD side of the simulated phone, so that the dialogue runs the code the daemon runs. Each
// call runs inside the simulator's store transaction (a completed dialogue writes its report
// there) and returns what the phone shows next.
class simulated_ussd {
public:
    virtual ~simulated_ussd() = default;
    // `phone` dialled the service code.
    virtual ussd_screen dial(store::connection& db, const std::string& phone, store::timestamp now) = 0;
    // An answer typed at the current screen.
    virtual ussd_screen answer(store::connection& db, const std::string& phone, std::string_view input,
                               store::timestamp now) = 0;
    // The network dropped the session (the trainer's :drop, or :from while a screen is open).
    virtual void drop(store::connection& db, const std::string& phone, store::timestamp now) = 0;
};

struct simulator_settings {
    std::string phone;  // the phone typed at, E.164
    bool live = false;  // --record: the configured store (no clock moves, no escalations run here)
    bool send = false;  // --send: what it queues stays queued for the daemon, the reply too
    bool full = false;  // --full: whole phone numbers
    std::string store_shown; // "a throw-away copy of var/kharuul.db", for :help and the banner
};

class phone_simulator {
public:
    // `clock` is the wall clock (gateway::now); the simulator adds what :wait moved on. `ussd` may
    // be null (then a dialled code says this build has no USSD menus).
    phone_simulator(store::connection& db, const config::gateway_config& cfg,
                    std::shared_ptr<const daemon_detail::routing> routes, simulator_settings settings,
                    std::unique_ptr<simulated_ussd> ussd, std::ostream& out,
                    std::function<store::timestamp()> clock);
    ~phone_simulator();

    // Who the phone is and where it writes, and how to get help.
    void greet();
    // One line as typed (without its newline). False after :quit.
    bool enter(std::string_view line);
    // What to show before the next line: "+976****0001> ", or "+976****0001 USSD> " at a screen.
    std::string prompt() const;
    // The simulated clock: the wall clock plus what :wait moved on.
    store::timestamp clock() const;

private:
    void send_sms(const std::string& text);
    void dial(const std::string& code);
    void answer_screen(const std::string& input);
    void trainer_command(std::string_view line);
    void switch_phone(std::string_view typed);
    void wait(std::string_view typed);
    void list_phones();
    void show_who();
    // Escalations and reminders due since the last look, run and shown (not with --record: the
    // daemon runs those of a live store). Inside the caller's transaction.
    void run_due_until(store::timestamp until);
    // The outbox rows after `after_id` shown, and marked as shown (not sent) unless --send.
    void show_outbox(std::int64_t after_id, store::timestamp now, std::string_view heading = {});
    void show_screen(const ussd_screen& s);
    std::string who_is(const std::string& phone) const;
    std::string shown(const std::string& phone) const;

    store::connection& db_;
    const config::gateway_config& cfg_;
    std::shared_ptr<const daemon_detail::routing> routes_;
    simulator_settings settings_;
    std::unique_ptr<simulated_ussd> ussd_;
    std::ostream& out_;
    std::function<store::timestamp()> wall_;
    std::chrono::milliseconds moved_{0};     // :wait
    std::optional<store::timestamp> looked_; // the last run of due work
    bool at_screen_ = false;                 // a USSD session is open
};

// "30m", "2h", "1d", "90s", "1h30m": a :wait; nullopt when it is no duration.
std::optional<std::chrono::seconds> parse_wait(std::string_view typed);

// A screen inside a frame, one line of the screen a line of the frame, indented by `indent`.
std::string framed(std::string_view screen, std::size_t indent = 2);

} // namespace kharuul::gateway
