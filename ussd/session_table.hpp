// The USSD sessions a gateway holds in memory (spec/ussd.md, issue 11 item 2): each session's
// input history and its dialogue, rebuilt from the history on every step (ussd/dialogue.hpp);
// dialogues the network dropped or that timed out, kept for `resume_window` so that the same
// number dialling again is offered to continue them; finished sessions kept for a while so that
// a provider's retry of the last step gets the same END screen. Bounded by `max_sessions`: when
// full, the oldest abandoned dialogue is evicted first, then the oldest finished session, then
// the oldest open one. Pure: no clock reads (`now` is passed in), no I/O, not thread-safe (the
// daemon keeps it on its I/O thread). A restart loses only unfinished dialogues.
//
// A session ends once, producing a session_record for the store: completed (the caller takes
// the report in), ended (cancelled, help, unregistered), or abandoned (dropped by the provider's
// end-of-session notice, timed out, or replaced by a new session from the same number). An
// abandoned dialogue records no report; a later session that resumes it names it in
// `resumed_from`, so that the figures count it as resumed, not abandoned.
#pragma once

#include "ussd/dialogue.hpp"

#include <chrono>
#include <cstddef>
#include <list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::ussd {

using timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

struct session_limits {
    std::size_t max_sessions = 10000;
    std::chrono::seconds timeout{120};       // an open session with no step for this long is abandoned
    std::chrono::minutes resume_window{10};  // an abandoned dialogue is offered this long
};

enum class session_outcome : std::uint8_t { completed, ended, abandoned };
enum class abandon_reason : std::uint8_t { none, dropped, timed_out, replaced, evicted };

std::string_view to_string(session_outcome o) noexcept; // "completed", "ended", "abandoned"
std::string_view to_string(abandon_reason r) noexcept;  // "", "dropped", "timed_out", "replaced", "evicted"

// What the store keeps of a session that ended.
struct session_record {
    std::string channel;
    std::string session_id;
    std::string phone;
    session_outcome outcome = session_outcome::abandoned;
    abandon_reason why = abandon_reason::none;
    screen at = screen::top;        // the screen reached (abandoned) or last answered
    int step = 1;                   // its number in the dialogue
    std::optional<parser::form> form; // the form chosen at the top, when one was
    std::string steps;              // describe_steps() of the answers
    std::optional<std::string> resumed_from; // the abandoned session this one continued
    timestamp started{};
    timestamp ended{};
};

struct held_session {
    enum class phase : std::uint8_t { open, abandoned, finished };
    std::string channel;
    std::string session_id;
    std::string phone;
    sender_profile profile;
    std::vector<std::string> inputs;   // every input of the session, the resume offer's answer first
    std::vector<std::string> resumable; // the answers offered for resumption (empty: no offer)
    std::string resume_of;             // the abandoned session they come from
    std::optional<std::string> resumed_from; // set once the offer was taken ("1 Yes")
    dialogue_state last;               // the dialogue after `inputs`
    phase at = phase::open;
    std::string end_text;              // finished: the END screen answered
    timestamp started{};
    timestamp last_seen{};             // open: the last step; abandoned, finished: when it ended
};

// The record of `s` ending now with `outcome` (finish() and the abandonments give these; a caller
// that must store a completed session's row with its report takes it before finish()).
session_record record_of(const held_session& s, session_outcome outcome, abandon_reason why, timestamp now);

class session_table {
public:
    explicit session_table(session_limits limits) : limits_(limits) {}

    const session_limits& limits() const noexcept { return limits_; }
    void set_limits(session_limits limits) noexcept { limits_ = limits; }

    // The session of (channel, session_id) in any phase, or nullptr.
    held_session* find(std::string_view channel, std::string_view session_id);

    // Opens a new session. First the number's open session, if any, is abandoned (replaced), and
    // room is made (evicting per the class comment); the records of sessions that so ended are
    // appended to `ended`. The number's latest abandoned dialogue on this channel within the
    // resume window that had answers is offered (held_session::resumable).
    held_session& open(std::string channel, std::string session_id, std::string phone, sender_profile profile,
                       timestamp now, std::vector<session_record>& ended);

    // One step: with `cumulative` the inputs are the session's whole history (Africa's Talking),
    // otherwise the last input, appended to the held history (none on a session's first
    // request). Returns the dialogue rebuilt from the history. An open session only.
    const dialogue_state& advance(held_session& s, std::span<const std::string> inputs, bool cumulative,
                                  const menu& m, const parser::lexicon& lex, timestamp now);

    // The dialogue completed or ended with `end_text` answered: the session is kept, finished,
    // for a provider's retry until the timeout. Returns its record.
    session_record finish(held_session& s, std::string end_text, timestamp now);

    // The provider says the session is over (an end notice with an incomplete or failed status):
    // an open session is abandoned (nullopt when it was not open, or was on the resume offer,
    // which records nothing: the dialogue offered stays abandoned and offered).
    std::optional<session_record> drop(std::string_view channel, std::string_view session_id, timestamp now);

    // Open sessions silent for the timeout are abandoned (their records returned); abandoned
    // dialogues past the resume window and finished sessions past the timeout are forgotten.
    std::vector<session_record> sweep(timestamp now);

    std::size_t size() const noexcept { return sessions_.size(); }
    std::size_t open_count() const noexcept;

private:
    using iterator = std::list<held_session>::iterator;
    std::optional<session_record> abandon(held_session& s, abandon_reason why, timestamp now);
    void make_room(timestamp now, std::vector<session_record>& ended);

    session_limits limits_;
    std::list<held_session> sessions_; // oldest first (by opening)
};

} // namespace kharuul::ussd
