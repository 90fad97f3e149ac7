#include "ussd/session_table.hpp"

#include <algorithm>

namespace kharuul::ussd {

std::string_view to_string(session_outcome o) noexcept {
    switch (o) {
    case session_outcome::completed: return "completed";
    case session_outcome::ended: return "ended";
    case session_outcome::abandoned: return "abandoned";
    }
    return "abandoned";
}

std::string_view to_string(abandon_reason r) noexcept {
    switch (r) {
    case abandon_reason::none: return "";
    case abandon_reason::dropped: return "dropped";
    case abandon_reason::timed_out: return "timed_out";
    case abandon_reason::replaced: return "replaced";
    case abandon_reason::evicted: return "evicted";
    }
    return "";
}

session_record record_of(const held_session& s, session_outcome outcome, abandon_reason why, timestamp now) {
    session_record r;
    r.channel = s.channel;
    r.session_id = s.session_id;
    r.phone = s.phone;
    r.outcome = outcome;
    r.why = why;
    r.at = s.last.at;
    r.step = s.last.step;
    r.resumed_from = s.resumed_from;
    r.started = s.started;
    r.ended = now;
    r.form = s.last.form;
    r.steps = describe_steps(s.last.steps);
    return r;
}

held_session* session_table::find(std::string_view channel, std::string_view session_id) {
    for (auto& s : sessions_)
        if (s.channel == channel && s.session_id == session_id)
            return &s;
    return nullptr;
}

std::size_t session_table::open_count() const noexcept {
    return static_cast<std::size_t>(std::count_if(sessions_.begin(), sessions_.end(),
                                                  [](const held_session& s) { return s.at == held_session::phase::open; }));
}

std::optional<session_record> session_table::abandon(held_session& s, abandon_reason why, timestamp now) {
    if (s.at != held_session::phase::open)
        return std::nullopt;
    s.at = held_session::phase::abandoned;
    s.last_seen = now;
    // Dropped on the resume offer: nothing new happened; the offered dialogue stays as it was.
    if (!s.resumable.empty() && !s.last.offer_answered) {
        s.last.answers.clear();
        return std::nullopt;
    }
    return record_of(s, session_outcome::abandoned, why, now);
}

void session_table::make_room(timestamp now, std::vector<session_record>& ended) {
    if (limits_.max_sessions == 0)
        return;
    while (sessions_.size() >= limits_.max_sessions) {
        auto pick = [&](held_session::phase p) {
            return std::find_if(sessions_.begin(), sessions_.end(), [p](const held_session& s) { return s.at == p; });
        };
        auto it = pick(held_session::phase::abandoned);
        if (it == sessions_.end())
            it = pick(held_session::phase::finished);
        if (it == sessions_.end()) {
            it = sessions_.begin();
            if (auto r = abandon(*it, abandon_reason::evicted, now))
                ended.push_back(std::move(*r));
        }
        sessions_.erase(it);
    }
}

held_session& session_table::open(std::string channel, std::string session_id, std::string phone,
                                  sender_profile profile, timestamp now, std::vector<session_record>& ended) {
    for (auto& s : sessions_)
        if (s.phone == phone && s.at == held_session::phase::open)
            if (auto r = abandon(s, abandon_reason::replaced, now))
                ended.push_back(std::move(*r));
    make_room(now, ended);
    held_session s;
    s.channel = std::move(channel);
    s.session_id = std::move(session_id);
    s.phone = std::move(phone);
    s.profile = std::move(profile);
    s.started = s.last_seen = now;
    // The latest abandoned dialogue of the number with something answered, still in the window.
    const held_session* offer = nullptr;
    for (const auto& old : sessions_)
        if (old.at == held_session::phase::abandoned && old.phone == s.phone && old.channel == s.channel &&
            !old.last.answers.empty() && now - old.last_seen <= limits_.resume_window &&
            (offer == nullptr || old.last_seen >= offer->last_seen))
            offer = &old;
    if (offer != nullptr && s.profile.registered) {
        s.resumable = offer->last.answers;
        s.resume_of = offer->session_id;
    }
    sessions_.push_back(std::move(s));
    return sessions_.back();
}

const dialogue_state& session_table::advance(held_session& s, std::span<const std::string> inputs, bool cumulative,
                                             const menu& m, const parser::lexicon& lex, timestamp now) {
    if (cumulative)
        s.inputs.assign(inputs.begin(), inputs.end());
    else
        s.inputs.insert(s.inputs.end(), inputs.begin(), inputs.end());
    s.last = run_dialogue(m, lex, s.profile, s.resumable, s.inputs);
    s.last_seen = now;
    if (s.last.offer_answered && !s.resume_of.empty()) {
        // The offer is answered either way: the old dialogue is offered no more.
        const std::string old = s.resume_of;
        sessions_.remove_if([&](const held_session& o) {
            return o.at == held_session::phase::abandoned && o.channel == s.channel && o.session_id == old;
        });
        if (s.last.resumed)
            s.resumed_from = old;
        s.resume_of.clear();
    }
    return s.last;
}

session_record session_table::finish(held_session& s, std::string end_text, timestamp now) {
    s.at = held_session::phase::finished;
    s.end_text = std::move(end_text);
    s.last_seen = now;
    const bool completed = s.last.what == dialogue_state::kind::completed;
    session_record r = record_of(s, completed ? session_outcome::completed : session_outcome::ended,
                                 abandon_reason::none, now);
    return r;
}

std::optional<session_record> session_table::drop(std::string_view channel, std::string_view session_id,
                                                  timestamp now) {
    held_session* s = find(channel, session_id);
    if (s == nullptr)
        return std::nullopt;
    return abandon(*s, abandon_reason::dropped, now);
}

std::vector<session_record> session_table::sweep(timestamp now) {
    std::vector<session_record> out;
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        held_session& s = *it;
        if (s.at == held_session::phase::open && now - s.last_seen >= limits_.timeout) {
            if (auto r = abandon(s, abandon_reason::timed_out, now))
                out.push_back(std::move(*r));
        }
        const bool forget = (s.at == held_session::phase::abandoned && now - s.last_seen > limits_.resume_window) ||
                            (s.at == held_session::phase::finished && now - s.last_seen >= limits_.timeout);
        it = forget ? sessions_.erase(it) : std::next(it);
    }
    return out;
}

} // namespace kharuul::ussd
