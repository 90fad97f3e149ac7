#include "gateway/outbox_reply.hpp"

#include "store/outbox.hpp"

namespace kharuul::gateway {

taken_in take_in_replying(store::connection& db, const inbound& msg, const parser::lexicon& lex,
                          const intake_settings& settings, store::timestamp now, bool reply_in_outbox) {
    taken_in t{take_in(db, msg, lex, settings, now), std::nullopt};
    if (reply_in_outbox && !t.out.repeat && !t.out.reply.empty()) {
        store::new_outbox reply;
        reply.channel = msg.channel;
        reply.recipient = msg.from;
        reply.text = t.out.reply;
        reply.kind = store::outbox_kind::reply;
        reply.message_id = t.out.message_id;
        reply.created_at = now;
        t.reply_outbox = store::enqueue(db, reply);
    }
    return t;
}

} // namespace kharuul::gateway
