#include "gateway/intake.hpp"

#include "parser/case_code.hpp"
#include "parser/reply.hpp"
#include "store/cases.hpp"
#include "store/registry.hpp"

namespace kharuul::gateway {

using namespace kharuul::parser;

namespace {

// Who the sender is, as far as permissions and reply language go.
struct sender_identity {
    bool registered = false;
    bool team = false; // a team member or a coordinator: may REF, VER, CLOSE, ACK
    reply_language lang = reply_language::en;
};

sender_identity identify(store::connection& db, const std::string& phone, std::string_view text) {
    sender_identity who;
    who.lang = guess_language(text);
    if (auto r = store::find_reporter(db, phone)) {
        who.registered = true;
        who.lang = reply_language_from(r->lang).value_or(who.lang);
    }
    if (auto roles = store::team_roles(db, phone); !roles.empty()) {
        who.registered = who.team = true;
        who.lang = reply_language_from(roles.front().lang).value_or(who.lang);
    }
    if (auto c = store::find_coordinator(db, phone)) {
        who.registered = who.team = true;
        who.lang = reply_language_from(c->lang).value_or(who.lang);
    }
    return who;
}

bool team_only(form f) { return f == form::ref || f == form::ver || f == form::close || f == form::ack; }

const std::string* case_code_of(const sms_message& m) {
    return std::visit(
        [](const auto& b) -> const std::string* {
            if constexpr (requires { b.case_code; })
                return &b.case_code;
            else
                return nullptr;
        },
        m.body);
}

std::string nearest_own_case(store::connection& db, const std::string& phone, std::string_view typed) {
    const std::vector<std::string> own = store::cases_reported_by(db, phone);
    return parser::nearest_case_code(typed, own).value_or(std::string{});
}

class processor {
public:
    processor(store::connection& db, const store::message_record& rec, const lexicon& lex,
              const intake_settings& settings, store::timestamp now)
        : db_(db), rec_(rec), lex_(lex), settings_(settings), now_(now) {
        out_.message_id = rec.id;
    }

    intake_outcome run() {
        const sender_identity who = identify(db_, rec_.sender, rec_.text);
        lang_ = who.lang;

        const parse_result parsed = parse_sms(rec_.text, lex_);
        // HELP is for anyone, registered or not.
        const bool is_help = parsed && parsed->kind == form::help;
        if (!who.registered && !is_help)
            return finish(store::message_status::unregistered, std::nullopt, std::nullopt,
                          refusal_reply(refusal::unregistered, std::nullopt, {}, {}, lex_, lang_));

        if (auto dup = store::find_recent_same_text(db_, rec_.sender, rec_.text,
                                                     rec_.received_at - settings_.duplicate_window, rec_.id)) {
            out_.status = store::message_status::duplicate;
            store::message_outcome o;
            o.status = store::message_status::duplicate;
            o.duplicate_of = dup->id;
            o.form = dup->form;
            o.reply_lang = std::string(reply_language_code(lang_));
            check(store::set_message_outcome(db_, rec_.id, o));
            out_.form = dup->form;
            return out_; // no reply: the first one was answered
        }

        if (!parsed) {
            parse_error e = parsed.error();
            if (e.code == errc::bad_case_check_digit)
                e.suggestion = nearest_own_case(db_, rec_.sender, e.token);
            return finish(store::message_status::rejected, e.kind, std::string(error_code_name(e.code)),
                          error_reply(e, lex_, lang_));
        }
        const sms_message& m = *parsed;
        out_.urgent = m.urgent;
        out_.sensitive = m.sensitive;
        if (team_only(m.kind) && !who.team)
            return finish(store::message_status::rejected, m.kind, "not_allowed",
                          refusal_reply(refusal::not_allowed, m.kind, {}, {}, lex_, lang_));
        return apply(m);
    }

private:
    static void check(const store::result<void>& r) {
        if (!r)
            throw std::system_error(r.error());
    }

    intake_outcome finish(store::message_status status, std::optional<form> f, std::optional<std::string> error,
                          std::string reply) {
        store::message_outcome o;
        o.status = status;
        o.form = f;
        o.error_code = error;
        o.reply = reply;
        o.reply_lang = std::string(reply_language_code(lang_));
        check(store::set_message_outcome(db_, rec_.id, o));
        out_.status = status;
        out_.form = f;
        out_.error_code = std::move(error);
        out_.reply = std::move(reply);
        return out_;
    }

    intake_outcome apply(const sms_message& m) {
        const store::timestamp occurred = rec_.observed_at.value_or(rec_.received_at);
        receipt r;
        switch (m.kind) {
        case form::help:
            return finish(store::message_status::accepted, m.kind, std::nullopt,
                          confirmation_reply(m, r, lex_, lang_));
        case form::ack: {
            const std::uint64_t number = std::get<acknowledgement>(m.body).alert;
            if (!settings_.alerts)
                return finish(store::message_status::rejected, m.kind, "unknown_alert",
                              refusal_reply(refusal::unknown_alert, m.kind, std::to_string(number), {}, lex_, lang_));
            ack_outcome ack = acknowledge(db_, *settings_.alerts, lex_, number, rec_.sender, lang_, rec_.id, now_);
            if (ack.accepted)
                out_.alert = number;
            return finish(ack.accepted ? store::message_status::accepted : store::message_status::rejected, m.kind,
                          ack.error_code, std::move(ack.reply));
        }
        case form::id: {
            const std::int64_t event = store::insert_event(db_, store::make_event(m, rec_.id, rec_.sender, occurred));
            store::case_opening opening = store::make_case_opening(m, event, rec_.id, rec_.sender, occurred);
            opening.first_serial = settings_.first_case_serial;
            auto codes = store::open_cases(db_, opening);
            if (!codes)
                throw std::system_error(codes.error());
            r.case_codes = *codes;
            out_.case_codes = std::move(*codes);
            r.alert = raise(m, r.case_codes, event);
            return finish(store::message_status::accepted, m.kind, std::nullopt,
                          confirmation_reply(m, r, lex_, lang_));
        }
        case form::nil:
            store::insert_event(db_, store::make_event(m, rec_.id, rec_.sender, occurred));
            return finish(store::message_status::accepted, m.kind, std::nullopt,
                          confirmation_reply(m, r, lex_, lang_));
        case form::tr:
        case form::ref:
        case form::ver:
        case form::close: return apply_to_case(m, occurred);
        }
        return out_;
    }

    intake_outcome apply_to_case(const sms_message& m, store::timestamp occurred) {
        const std::string& code = *case_code_of(m);
        auto existing = store::find_case(db_, code);
        if (!existing)
            return finish(store::message_status::rejected, m.kind, "unknown_case",
                          refusal_reply(refusal::unknown_case, m.kind, code,
                                        nearest_own_case(db_, rec_.sender, code), lex_, lang_));
        if (existing->state == store::case_state::closed)
            return finish(store::message_status::rejected, m.kind, "case_closed",
                          refusal_reply(refusal::closed_case, m.kind, code, {}, lex_, lang_));

        store::new_event ev = store::make_event(m, rec_.id, rec_.sender, occurred);
        const std::int64_t event = store::insert_event(db_, ev);
        const store::case_action action{code, rec_.sender, rec_.id, event, occurred};
        store::result<store::case_record> applied = std::visit(
            [&](const auto& b) -> store::result<store::case_record> {
                using T = std::decay_t<decltype(b)>;
                if constexpr (std::is_same_v<T, tracking>)
                    return store::apply_tracking(db_, action, b.status);
                else if constexpr (std::is_same_v<T, referral>)
                    return store::apply_referral(db_, action, b.service);
                else if constexpr (std::is_same_v<T, verification>)
                    return store::apply_verification(db_, action, b.confirmed);
                else if constexpr (std::is_same_v<T, closure>)
                    return store::apply_closure(db_, action, b.reason);
                else
                    return store::errc::unknown_case;
            },
            m.body);
        if (!applied)
            throw std::system_error(applied.error()); // checked above: a broken invariant
        receipt r;
        if (m.kind == form::tr) // TR ... WORK / MISS alert the case's team (routing decides)
            r.alert = raise(m, {}, event);
        return finish(store::message_status::accepted, m.kind, std::nullopt, confirmation_reply(m, r, lex_, lang_));
    }

    // Raises or folds into an alert when routing says the report alerts; its number for the reply.
    std::optional<std::uint64_t> raise(const sms_message& m, const std::vector<std::string>& codes,
                                       std::int64_t event) {
        if (!settings_.alerts)
            return std::nullopt;
        auto raised = raise_alert(db_, *settings_.alerts, lex_, m, codes, rec_.sender, rec_.id, event, now_);
        if (!raised)
            return std::nullopt;
        out_.alert = raised->number;
        return raised->number;
    }

    store::connection& db_;
    const store::message_record& rec_;
    const lexicon& lex_;
    const intake_settings& settings_;
    store::timestamp now_;
    reply_language lang_ = reply_language::en;
    intake_outcome out_;
};

} // namespace

intake_outcome take_in(store::connection& db, const inbound& msg, const lexicon& lex, const intake_settings& settings,
                       store::timestamp now) {
    if (msg.provider_id && !msg.provider_id->empty())
        if (auto seen = store::find_message_by_provider_id(db, msg.channel, *msg.provider_id)) {
            intake_outcome o;
            o.message_id = seen->id;
            o.status = seen->status;
            o.reply = seen->reply.value_or(std::string{});
            o.repeat = true;
            o.form = seen->form;
            o.error_code = seen->error_code;
            return o;
        }
    store::new_message nm;
    nm.kind = msg.kind;
    nm.channel = msg.channel;
    nm.provider_id = msg.provider_id && !msg.provider_id->empty() ? msg.provider_id : std::nullopt;
    nm.sender = msg.from;
    nm.recipient = msg.to;
    nm.text = msg.text;
    nm.received_at = now;
    nm.observed_at = msg.observed_at;
    auto id = store::insert_message(db, nm);
    if (!id)
        throw std::system_error(id.error());
    auto rec = store::find_message(db, *id);
    if (!rec)
        throw std::system_error(make_error_code(store::errc::unknown_message));
    return processor(db, *rec, lex, settings, now).run();
}

store::result<intake_outcome> rerun(store::connection& db, std::int64_t message_id, const lexicon& lex,
                                    const intake_settings& settings, store::timestamp now) {
    auto rec = store::find_message(db, message_id);
    if (!rec)
        return store::errc::unknown_message;
    // Only a message that was kept unprocessed may run again: an accepted ID run twice would open
    // its cases twice.
    if (rec->status != store::message_status::unregistered && rec->status != store::message_status::received)
        return std::make_error_code(std::errc::operation_not_permitted);
    intake_outcome out = processor(db, *rec, lex, settings, now).run();
    // The provider's request is long answered: the reply goes out through the outbox.
    if (settings.alerts && !out.reply.empty())
        queue_sms(db, *settings.alerts, rec->sender, out.reply, store::outbox_kind::reply, std::nullopt, rec->id, now);
    return out;
}

} // namespace kharuul::gateway
