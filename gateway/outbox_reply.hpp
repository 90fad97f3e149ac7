// The reply to an inbound SMS whose provider does not send the answer's body back to the sender
// (a dialect whose replies_in_answer() is false: Africa's Talking ignores the body of the answer
// to its SMS callback). Such a reply goes out as an outbox row through the channel the message
// came in on, queued in the same store job as the message itself, so that the two commit together:
// a message is never stored without its reply queued, and a request that fails stores neither.
#pragma once

#include "gateway/intake.hpp"

#include <cstdint>
#include <optional>

namespace kharuul::gateway {

struct taken_in {
    intake_outcome out;
    std::optional<std::int64_t> reply_outbox; // the reply's outbox row, when one was queued
};

// take_in; then, when `reply_in_outbox`, the reply queued for msg.channel (kind reply, to
// msg.from, naming the message). Queues nothing for a provider's retry of an id seen before
// (out.repeat: its reply was queued with the first delivery) or for an empty reply (a duplicate of
// an answered message). Runs inside a store::writer job; throws what take_in and store::enqueue
// throw (the job then rolls back whole).
taken_in take_in_replying(store::connection& db, const inbound& msg, const parser::lexicon& lex,
                          const intake_settings& settings, store::timestamp now, bool reply_in_outbox);

} // namespace kharuul::gateway
