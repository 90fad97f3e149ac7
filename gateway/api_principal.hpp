// Who a token is, as the store says now (issue 12): the token looked up by its hash (bearer) or
// its id (a session), live (not revoked, not expired), and for a team token the team's areas and
// sensitive flag from the store's registry at this moment; a team token whose team is gone is
// refused. Store-thread functions (run on the reader); no logging.
#pragma once

#include "gateway/api_types.hpp"
#include "store/audit.hpp"
#include "store/tokens.hpp"

#include <optional>
#include <string>

namespace kharuul::gateway::api {

struct resolved_token {
    std::optional<principal> who;    // set when the token is good
    std::string refusal;             // why not: "unknown or revoked token", "the token's team no longer exists"
    std::int64_t token_id = 0;       // the token found, live or not (0: none)
    bool dead = false;               // found by id but revoked or expired: its sessions end
};

// Bearer: the live token with this hash (compared once more in constant time).
resolved_token resolve_by_hash(store::connection& db, const store::token_hash& hash, store::timestamp now);
// A session: the token it was opened with, if still live.
resolved_token resolve_by_id(store::connection& db, std::int64_t token_id, store::timestamp now);

// An audit row for what `who` did (an endpoint's note, a sign-in).
store::audit_entry audit_row(const principal& who, store::timestamp at, std::string action, std::string object,
                             const boost::json::object& detail);

} // namespace kharuul::gateway::api
