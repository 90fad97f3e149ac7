#include "gateway/alert_desk.hpp"

#include "alerts/alert_text.hpp"
#include "alerts/reminders.hpp"
#include "gateway/time_text.hpp"
#include "parser/info_reply.hpp"
#include "parser/phone.hpp"
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/registry.hpp"

#include <algorithm>
#include <set>

namespace kharuul::gateway {

using namespace std::chrono;

alert_settings alert_settings_of(const config::gateway_config& c) {
    alert_settings s;
    for (const auto& r : c.alerts.rules)
        s.routing.rules.push_back({r.forms, r.sites, r.areas, r.work, r.hazards, r.statuses, r.alert, r.urgent,
                                   r.tell_leader_now, r.tell_coordinators_now, r.sensitive});
    s.policy.urgent_ack = c.alerts.urgent_ack;
    s.policy.normal_ack = c.alerts.normal_ack;
    s.fold_window = c.alerts.fold_window;
    s.reminder_after = c.alerts.reminder_after;
    s.day_start = c.alerts.daytime_start;
    s.day_end = c.alerts.daytime_end;
    s.utc_offset = c.alerts.utc_offset;
    s.outbound_channel = c.alerts.outbound_channel;
    for (const auto& site : c.sites)
        s.sites[site.code] = {site.name, site.area};
    std::int64_t id = 0;
    for (const auto& t : c.teams) {
        alerts::team_view v{++id, t.name, t.sensitive_cases, t.areas, {}};
        for (const auto& m : t.members)
            v.members.push_back({m.phone, m.name, std::string(config::member_role_name(m.role)), m.lang, v.id});
        s.teams.push_back(std::move(v));
    }
    for (const auto& co : c.coordinators)
        s.coordinators.push_back({co.phone, co.name, "coordinator", co.lang, std::nullopt});
    return s;
}

std::optional<std::int64_t> queue_sms(store::connection& db, const alert_settings& s, const std::string& phone,
                                      std::string text, store::outbox_kind kind, std::optional<std::int64_t> alert_id,
                                      std::optional<std::int64_t> message_id, store::timestamp now,
                                      std::optional<store::timestamp> not_before) {
    if (s.outbound_channel.empty())
        return std::nullopt;
    return store::enqueue(db, {s.outbound_channel, phone, std::move(text), kind, alert_id, message_id, now, not_before});
}

namespace {

const alert_site& site_of(const alert_settings& s, const std::string& code) {
    static const alert_site unknown;
    auto it = s.sites.find(code);
    return it == s.sites.end() ? unknown : it->second;
}

alerts::escalation_state state_of(const store::alert_record& a) {
    alerts::escalation_state st;
    st.level = static_cast<alerts::escalation_level>(std::clamp(a.escalation.level, 0, store::max_alert_level));
    st.urgent = a.urgent;
    st.acknowledged = a.state == store::alert_state::acknowledged;
    st.repeats = a.escalation.repeats;
    st.opened_at = a.created_at;
    st.next_at = a.escalation.next_escalation_at;
    st.acknowledged_at = a.acked_at;
    st.leaders_told = a.escalation.leaders_told;
    st.coordinators_told = a.escalation.coordinators_told;
    return st;
}

store::alert_escalation escalation_of(const alerts::escalation_state& st) {
    return {static_cast<int>(st.level), st.repeats, st.leaders_told, st.coordinators_told, st.next_at};
}

// The alert's facts as its first report gave them (the text every recipient was first sent: what
// INFO pages on from).
alerts::alert_facts facts_of(const store::alert_record& a, const alert_settings& s) {
    alerts::alert_facts f;
    f.number = static_cast<std::uint64_t>(a.id);
    f.urgent = a.urgent;
    f.sensitive = a.sensitive;
    f.site_code = a.site;
    f.site_name = site_of(s, a.site).name;
    f.kids = {a.boys, a.girls, a.unknown};
    f.age_min = a.age_min.value_or(0);
    f.age_max = a.age_max.value_or(0);
    f.work = a.work.value_or("");
    f.hazards = a.hazards;
    f.case_codes = a.case_codes;
    f.reporter_phone = a.reporter;
    f.tracking_status = a.tracking_status;
    return f;
}

// The facts as they stand now, for an escalation: the children of reports folded in later count
// too. The record keeps their number, not their sex or ages, so it says "2 children" with no age,
// not the first report's "1 boy ~13".
alerts::alert_facts current_facts_of(const store::alert_record& a, const alert_settings& s) {
    alerts::alert_facts f = facts_of(a, s);
    if (a.folded_children > 0) {
        f.kids = parser::children{0, 0, f.kids.total() + a.folded_children};
        f.age_min = f.age_max = 0;
    }
    return f;
}

alerts::alert_trigger trigger_of(const store::alert_record& a, const alert_settings& s) {
    alerts::alert_trigger t;
    t.form = a.kind == store::alert_kind::report ? parser::form::id : parser::form::tr;
    t.site = a.site;
    t.area = site_of(s, a.site).area;
    t.work = a.work.value_or("");
    t.hazards = a.hazards;
    t.tracking_status = a.tracking_status;
    t.urgent = a.urgent;
    t.sensitive = a.sensitive;
    return t;
}

store::recipient_role role_of(const alerts::recipient& r) {
    return r.role == "leader" ? store::recipient_role::leader
           : r.role == "coordinator" ? store::recipient_role::coordinator
                                     : store::recipient_role::member;
}

// Sends `text_for(recipient)` to each and records them as told at `level`.
template <class TextFor>
std::size_t tell(store::connection& db, const alert_settings& s, std::int64_t alert_id,
                 const std::vector<alerts::recipient>& who, int level, store::timestamp now, TextFor text_for) {
    std::size_t n = 0;
    for (const auto& r : who) {
        auto outbox = queue_sms(db, s, r.phone, text_for(r), store::outbox_kind::alert, alert_id, std::nullopt, now);
        store::add_alert_recipient(db, alert_id,
                                   {r.phone, r.name, role_of(r), std::string(parser::reply_language_code(r.lang)),
                                    level, now, outbox});
        ++n;
    }
    return n;
}

std::vector<alerts::recipient> not_yet_told(store::connection& db, std::int64_t alert_id,
                                            const std::vector<alerts::recipient>& who) {
    std::vector<alerts::recipient> out;
    for (const auto& r : who)
        if (!store::is_alert_recipient(db, alert_id, r.phone))
            out.push_back(r);
    return out;
}

} // namespace

std::optional<raised_alert> raise_alert(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                                        const parser::sms_message& m, const std::vector<std::string>& case_codes,
                                        const std::string& reporter, std::int64_t message_id, std::int64_t event_id,
                                        store::timestamp now) {
    store::new_alert a;
    alerts::alert_trigger t;
    t.form = m.kind;
    t.urgent = m.urgent;
    t.sensitive = m.sensitive;
    if (const auto* id = std::get_if<parser::sighting>(&m.body)) {
        a.kind = store::alert_kind::report;
        a.site = id->site;
        a.boys = id->kids.boys;
        a.girls = id->kids.girls;
        a.unknown = id->kids.unknown;
        a.age_min = id->age_min;
        a.age_max = id->age_max;
        a.work = id->work;
        a.hazards = id->hazards;
        a.case_codes = case_codes;
    } else if (const auto* risk = std::get_if<parser::risk_report>(&m.body)) {
        // A child at risk: the alert names the reason where an ID's names the work.
        a.kind = store::alert_kind::report;
        a.site = risk->site;
        a.boys = risk->kids.boys;
        a.girls = risk->kids.girls;
        a.unknown = risk->kids.unknown;
        a.age_min = risk->age_min;
        a.age_max = risk->age_max;
        a.work = "RISK";
        a.hazards = {risk->reason};
        a.case_codes = case_codes;
    } else if (const auto* tr = std::get_if<parser::tracking>(&m.body)) {
        auto c = store::find_case(db, tr->case_code);
        if (!c)
            return std::nullopt;
        a.kind = store::alert_kind::tracking;
        a.site = c->site;
        a.age_min = c->age_min;
        a.age_max = c->age_max;
        a.work = c->work.empty() ? std::optional<std::string>("RISK") : std::optional<std::string>(c->work);
        a.case_codes = {c->code};
        a.tracking_status = tr->work.value_or(tr->status); // "NFE WORK" alerts as WORK does
        (c->sex == parser::sex::boy ? a.boys : c->sex == parser::sex::girl ? a.girls : a.unknown) = 1;
        t.sensitive = t.sensitive || c->sensitive;
    } else {
        return std::nullopt;
    }
    t.site = a.site;
    t.area = site_of(s, a.site).area;
    t.work = a.work.value_or("");
    t.hazards = a.hazards;
    t.tracking_status = a.tracking_status;
    const alerts::routing_decision d = alerts::decide(t, s.routing);
    if (!d.alert)
        return std::nullopt;

    // Several ID reports at one site within the fold window join the open alert.
    if (a.kind == store::alert_kind::report && m.kind == parser::form::id) {
        if (auto open = store::find_open_report_alert(db, a.site, now - s.fold_window, d.sensitive)) {
            const alerts::routing_decision first = alerts::decide(trigger_of(*open, s), s.routing);
            if (alerts::can_fold(first, state_of(*open), d, open->last_report_at, now, s.fold_window)) {
                const int extra = a.boys + a.girls + a.unknown;
                auto folded = store::fold_into_alert(db, open->id, extra, case_codes, message_id, now);
                if (folded) {
                    raised_alert out{static_cast<std::uint64_t>(open->id), true, 0};
                    for (const auto& r : store::alert_recipients(db, open->id)) {
                        const auto lang = parser::reply_language_from(r.lang).value_or(parser::reply_language::mn);
                        queue_sms(db, s, r.phone, alerts::fold_text(out.number, a.site, extra, case_codes, lex, lang),
                                  store::outbox_kind::alert, open->id, std::nullopt, now);
                        ++out.told;
                    }
                    return out;
                }
            }
        }
    }

    const alerts::recipient_plan plan = alerts::plan_recipients(d, t.area, s.teams, s.coordinators, reporter);
    const alerts::escalation_state st = alerts::start_escalation(d, plan, now, s.policy);
    a.urgent = d.urgent;
    a.sensitive = d.sensitive;
    a.reporter = reporter;
    a.message_id = message_id;
    a.event_id = event_id;
    a.created_at = now;
    a.escalation = escalation_of(st);
    const std::int64_t id = store::create_alert(db, a);
    if (plan.uncovered)
        store::append_alert_history(db, id, now, "uncovered", std::nullopt,
                                    "no team covers " + a.site + ": coordinators told at once");
    store::alert_record rec;
    static_cast<store::new_alert&>(rec) = a;
    rec.id = id;
    const alerts::alert_facts f = facts_of(rec, s);
    raised_alert out{static_cast<std::uint64_t>(id), false, 0};
    out.told = tell(db, s, id, plan.now, 0, now, [&](const alerts::recipient& r) { return alerts::alert_text(f, lex, r.lang); });
    return out;
}

namespace {

// "12:05" on the same local day as `now`, else "2026-11-25 12:05".
std::string when_text(store::timestamp at, store::timestamp now, minutes utc_offset) {
    const std::string at_text = format_local_minute(at, utc_offset);
    const std::string now_text = format_local_minute(now, utc_offset);
    return at_text.substr(0, 10) == now_text.substr(0, 10) ? at_text.substr(11) : at_text;
}

// The name an official is known by: as told of the alert, else from the teams and coordinators.
std::string name_of(store::connection& db, const alert_settings& s, std::int64_t alert_id, const std::string& phone) {
    for (const auto& r : store::alert_recipients(db, alert_id))
        if (r.phone == phone && !r.name.empty())
            return r.name;
    for (const auto& t : s.teams)
        for (const auto& m : t.members)
            if (m.phone == phone)
                return m.name;
    for (const auto& c : s.coordinators)
        if (c.phone == phone)
            return c.name;
    return {};
}

} // namespace

ack_outcome acknowledge(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                        std::uint64_t number, const std::string& phone, parser::reply_language lang,
                        std::int64_t message_id, store::timestamp now) {
    ack_outcome out;
    const std::string n = std::to_string(number);
    auto a = store::find_alert(db, static_cast<std::int64_t>(number));
    if (!a) {
        out.error_code = "unknown_alert";
        out.reply = parser::refusal_reply(parser::refusal::unknown_alert, parser::form::ack, n, {}, lex, lang);
        return out;
    }
    const bool coordinator = std::any_of(s.coordinators.begin(), s.coordinators.end(),
                                         [&](const alerts::recipient& c) { return c.phone == phone; });
    if (!coordinator && !store::is_alert_recipient(db, a->id, phone)) {
        out.error_code = "not_recipient";
        out.reply = parser::refusal_reply(parser::refusal::not_recipient, parser::form::ack, n, {}, lex, lang);
        return out;
    }
    auto acked = store::acknowledge_alert(db, a->id, phone, message_id, now);
    out.accepted = true; // the alert is handled either way
    if (acked) {
        store::cancel_queued_for_alert(db, a->id, now);
        out.reply = alerts::ack_confirmation(number, lex, lang);
        return out;
    }
    // A second ACK: someone was quicker (or the sender acknowledged it before). Say who and when,
    // and keep it on the alert's record.
    const std::string by = a->acked_by.value_or("");
    const store::timestamp at = a->acked_at.value_or(now);
    const std::string when = when_text(at, now, s.utc_offset);
    const std::string masked = parser::mask_phone(by);
    out.reply = alerts::already_acknowledged_reply(number, name_of(db, s, a->id, by), masked, when, by == phone,
                                                   lex, lang);
    store::append_alert_history(db, a->id, now, "acknowledged_again", phone,
                                "already acknowledged by " + (by.empty() ? std::string("?") : masked) + " at " +
                                    format_local_minute(at, s.utc_offset) + "; message " +
                                    std::to_string(message_id));
    return out;
}

ack_outcome alert_case_page(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                       std::uint64_t number, std::uint32_t page, const std::string& phone,
                       parser::reply_language lang) {
    ack_outcome out;
    const std::string n = std::to_string(number);
    auto a = store::find_alert(db, static_cast<std::int64_t>(number));
    if (!a) {
        out.error_code = "unknown_alert";
        out.reply = parser::refusal_reply(parser::refusal::unknown_alert, parser::form::info, n, {}, lex, lang);
        return out;
    }
    const bool coordinator = std::any_of(s.coordinators.begin(), s.coordinators.end(),
                                         [&](const alerts::recipient& c) { return c.phone == phone; });
    if (!coordinator && !store::is_alert_recipient(db, a->id, phone)) {
        out.error_code = "not_recipient";
        out.reply = parser::refusal_reply(parser::refusal::not_recipient, parser::form::info, n, {}, lex, lang);
        return out;
    }
    // The codes the text shows are its first ones, in order, each a whole word of it.
    const std::string text = alerts::alert_text(facts_of(*a, s), lex, lang);
    auto shows = [&text](const std::string& code) {
        for (std::size_t at = text.find(code); at != std::string::npos; at = text.find(code, at + 1)) {
            const bool starts = at == 0 || text[at - 1] == ' ';
            const std::size_t end = at + code.size();
            const bool ends = end == text.size() || text[end] == ' ' || text[end] == '.';
            if (starts && ends)
                return true;
        }
        return false;
    };
    std::size_t shown = 0;
    while (shown < a->case_codes.size() && shows(a->case_codes[shown]))
        ++shown;
    const std::vector<std::string> remaining(a->case_codes.begin() + static_cast<std::ptrdiff_t>(shown),
                                             a->case_codes.end());
    parser::info_answer answer = parser::info_reply(number, page, remaining, a->case_codes, lex, lang);
    out.accepted = answer.found;
    if (!answer.found)
        out.error_code = "no_page";
    out.reply = std::move(answer.reply);
    return out;
}

namespace {

std::size_t escalate(store::connection& db, const alert_settings& s, const parser::lexicon& lex,
                     const store::alert_record& a, store::timestamp now) {
    const alerts::escalation_step step = alerts::on_time(state_of(a), now, s.policy);
    using action = alerts::escalation_step::action;
    if (step.what == action::none)
        return 0;
    const alerts::alert_facts f = current_facts_of(a, s);
    const auto waited = duration_cast<minutes>(now - a.created_at);
    auto text_for = [&](const alerts::recipient& r) {
        return alerts::escalation_text(f, step.state.level, waited, lex, r.lang);
    };
    const alerts::routing_decision d = alerts::decide(trigger_of(a, s), s.routing);
    const alerts::recipient_plan plan =
        alerts::plan_recipients(d, site_of(s, a.site).area, s.teams, s.coordinators, a.reporter);
    std::size_t sent = 0;
    std::string what = "escalated";
    switch (step.what) {
    case action::tell_leaders:
        sent = tell(db, s, a.id, not_yet_told(db, a.id, plan.leaders), 1, now, text_for);
        break;
    case action::tell_coordinators:
        sent = tell(db, s, a.id, not_yet_told(db, a.id, plan.coordinators), 2, now, text_for);
        break;
    case action::repeat_all: {
        what = "repeated";
        std::vector<alerts::recipient> everyone;
        for (const auto& r : store::alert_recipients(db, a.id))
            everyone.push_back({r.phone, r.name, std::string(store::to_string(r.role)),
                                parser::reply_language_from(r.lang).value_or(parser::reply_language::mn), std::nullopt});
        sent = tell(db, s, a.id, everyone, 3, now, text_for);
        break;
    }
    case action::give_up: what = "closed"; break;
    case action::none: break;
    }
    const auto state = step.state.level == alerts::escalation_level::closed ? store::alert_state::closed
                                                                            : store::alert_state::open;
    store::update_alert_escalation(db, a.id, escalation_of(step.state), state, now, what,
                                   std::string(alerts::escalation_action_name(step.what)) + ", " +
                                       std::to_string(sent) + " told, no ACK after " +
                                       std::to_string(waited.count()) + " min");
    return sent;
}

parser::reply_language lang_of(store::connection& db, const alert_settings& s, const std::string& phone) {
    for (const auto& t : s.teams)
        for (const auto& m : t.members)
            if (m.phone == phone)
                return m.lang;
    for (const auto& c : s.coordinators)
        if (c.phone == phone)
            return c.lang;
    if (auto r = store::find_reporter(db, phone))
        return parser::reply_language_from(r->lang).value_or(parser::reply_language::mn);
    return parser::reply_language::mn;
}

} // namespace

due_work run_due(store::connection& db, const alert_settings& s, const parser::lexicon& lex, store::timestamp now,
                 bool reminders) {
    due_work w;
    for (const auto& a : store::alerts_due(db, now, 100)) {
        w.queued += escalate(db, s, lex, a, now);
        ++w.escalations;
    }
    if (!reminders || !alerts::is_daytime(now, s.utc_offset, s.day_start, s.day_end))
        return w;
    // Tracking reminders: open cases with no news for reminder_after, not reminded since.
    const auto cutoff = now - duration_cast<milliseconds>(s.reminder_after);
    std::vector<alerts::overdue_case> overdue;
    for (const auto& c : store::cases_needing_reminder(db, cutoff, cutoff)) {
        alerts::overdue_case o{c.code, c.site, {}};
        if (!c.last_followed_by.empty())
            o.recipients.push_back(c.last_followed_by);
        const std::string& area = site_of(s, c.site).area;
        for (const auto& t : s.teams) {
            if (c.sensitive != t.sensitive_cases && c.sensitive)
                continue; // a sensitive case is followed by its multi-disciplinary team only
            if (std::none_of(t.areas.begin(), t.areas.end(),
                             [&](const std::string& ta) { return alerts::area_covers(ta, area); }))
                continue;
            for (const auto& m : t.members)
                if (std::find(o.recipients.begin(), o.recipients.end(), m.phone) == o.recipients.end())
                    o.recipients.push_back(m.phone);
        }
        overdue.push_back(std::move(o));
        store::mark_reminded(db, c.code, now);
    }
    const int n_days = static_cast<int>(s.reminder_after.count());
    for (const auto& batch : alerts::batch_reminders(overdue)) {
        queue_sms(db, s, batch.phone, alerts::reminder_text(batch.cases, n_days, lex, lang_of(db, s, batch.phone)),
                  store::outbox_kind::reminder, std::nullopt, std::nullopt, now);
        ++w.reminders;
        ++w.queued;
    }
    return w;
}

} // namespace kharuul::gateway
