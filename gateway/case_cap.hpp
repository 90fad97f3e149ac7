// The cap on what one volunteer's phone may open (messages.max_cases_per_sender_per_hour, issue
// 9): 4,500 flooded ID reports from one phone once used up every case number. Past the cap an
// ID or RISK is kept as rejected (too_many_cases) with no event, no case and no alert; the first
// of them in an hour is answered, the rest are not (replies cost money), and the coordinators
// are told once a day per phone. Team members and coordinators are not capped. Runs on the store
// thread inside the intake's job; throws only for infrastructure failures (SQLite).
#pragma once

#include "gateway/alert_desk.hpp"
#include "store/database.hpp"

#include <cstdint>
#include <string>

namespace kharuul::gateway {

inline constexpr std::string_view too_many_cases_error = "too_many_cases";

struct case_cap_verdict {
    bool over = false;   // keep the message as too_many_cases and open nothing
    int children = 0;    // the children the sender's cases of the last hour hold
    bool answer = false; // over, and the first answered past the cap in the last hour
    bool tell_coordinators = false; // over, and the first past the cap today (local day)
};

// Whether an ID/RISK from `sender` (a volunteer: the caller exempts teams) for `children` more
// children, message `message_id` received `now`, passes the cap: it does when the children opened
// in the last hour and these together exceed `cap`. `utc_offset` makes "today" the deployment's day.
case_cap_verdict check_case_cap(store::connection& db, const std::string& sender, int children, int cap,
                                std::int64_t message_id, store::timestamp now, std::chrono::minutes utc_offset);

// Queues a notice (outbox kind notice) to each coordinator in `s` about `sender` (named `name`
// when it is a registered reporter); returns how many were queued (0 without an outbound channel).
std::size_t tell_coordinators_of_cap(store::connection& db, const alert_settings& s, const std::string& sender,
                                     int children, int cap, std::int64_t message_id, store::timestamp now);

} // namespace kharuul::gateway
