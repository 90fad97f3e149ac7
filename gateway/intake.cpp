#include "gateway/intake.hpp"

#include "adapters/charset.hpp"
#include "alerts/routing.hpp"
#include "cases/report.hpp"
#include "gateway/case_cap.hpp"
#include "gateway/parse_json.hpp"
#include "parser/case_code.hpp"
#include "parser/reply.hpp"
#include "store/cases.hpp"
#include "store/registry.hpp"

#include <algorithm>

namespace kharuul::gateway {

using namespace kharuul::parser;

namespace {

// Who the sender is, as far as permissions and reply language go.
struct sender_identity {
    bool registered = false;
    bool team = false; // a team member or a coordinator: may send the team forms
    bool coordinator = false;
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
        who.registered = who.team = who.coordinator = true;
        who.lang = reply_language_from(c->lang).value_or(who.lang);
    }
    return who;
}

// Volunteers inform, teams decide (cases.md 1): everything but ID, NIL, RISK, TR and HELP.
bool team_only(form f) {
    switch (f) {
    case form::id:
    case form::nil:
    case form::risk:
    case form::tr:
    case form::help:
        return false;
    default:
        return true;
    }
}

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
    // `rerun`: a kept message processed after its sender was registered (kharuul rerun).
    processor(store::connection& db, const store::message_record& rec, const lexicon& lex,
              const intake_settings& settings, store::timestamp now, bool rerun = false)
        : db_(db), rec_(rec), lex_(lex), settings_(settings), now_(now), rerun_(rerun) {
        out_.message_id = rec.id;
    }

    intake_outcome run() {
        // The stored text stays as received; what is parsed, and so every token a reply quotes,
        // has its control characters (NUL ...) removed (issue 9, item 11).
        const std::string readable = adapters::strip_control_characters(rec_.text);
        const sender_identity who = identify(db_, rec_.sender, readable);
        who_ = who;
        lang_ = who.lang;

        const parse_result parsed = parse_sms(readable, lex_);
        // HELP is for anyone, registered or not.
        const bool is_help = parsed && parsed->kind == form::help;
        if (!who.registered && !is_help)
            return finish(store::message_status::unregistered, std::nullopt, std::nullopt,
                          refusal_reply(refusal::unregistered, std::nullopt, {}, {}, lex_, lang_));

        // The duplicate rule judges the message as understood (form and canonical fields, in
        // whatever script it was typed), and only against a message that was processed: a
        // stranger's kept message is no original, so the resend after registering is a report. A
        // kept message processed later (rerun) whose resend was processed meanwhile is the
        // resend's duplicate: the window reaches after it too.
        if (parsed) {
            key_ = duplicate_key(*parsed, lang_);
            const store::timestamp at = rec_.received_at;
            const store::timestamp until = rerun_ ? at + settings_.duplicate_window : at;
            if (auto dup = store::find_processed_duplicate(db_, rec_.sender, *key_, rec_.text,
                                                           at - settings_.duplicate_window, until, rec_.id)) {
                out_.status = store::message_status::duplicate;
                store::message_outcome o;
                o.status = store::message_status::duplicate;
                o.duplicate_of = dup->id;
                o.form = dup->form;
                o.reply_lang = std::string(reply_language_code(lang_));
                o.duplicate_key = key_;
                check(store::set_message_outcome(db_, rec_.id, o));
                out_.form = dup->form;
                out_.duplicate_of = dup->id;
                return out_; // no reply: the first one was answered
            }
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

    intake_outcome finish(store::message_status status, std::optional<form> f,
                          std::optional<std::string> error, std::string reply) {
        store::message_outcome o;
        o.status = status;
        o.form = f;
        o.error_code = error;
        o.reply = reply;
        o.reply_lang = std::string(reply_language_code(lang_));
        o.duplicate_key = key_;
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
            if (const auto& h = std::get<help_request>(m.body); h.list == help_list::sites)
                r.own_sites = own_sites();
            return finish(store::message_status::accepted, m.kind, std::nullopt,
                          confirmation_reply(m, r, lex_, lang_));
        case form::ack: {
            const std::uint64_t number = std::get<acknowledgement>(m.body).alert;
            if (!settings_.alerts)
                return finish(
                    store::message_status::rejected, m.kind, "unknown_alert",
                    refusal_reply(refusal::unknown_alert, m.kind, std::to_string(number), {}, lex_, lang_));
            ack_outcome ack =
                acknowledge(db_, *settings_.alerts, lex_, number, rec_.sender, lang_, rec_.id, now_);
            if (ack.accepted)
                out_.alert = number;
            return finish(ack.accepted ? store::message_status::accepted : store::message_status::rejected,
                          m.kind, ack.error_code, std::move(ack.reply));
        }
        case form::info: {
            const auto& info = std::get<alert_info>(m.body);
            if (!settings_.alerts)
                return finish(
                    store::message_status::rejected, m.kind, "unknown_alert",
                    refusal_reply(refusal::unknown_alert, m.kind, std::to_string(info.alert), {}, lex_, lang_));
            ack_outcome answer = gateway::alert_case_page(db_, *settings_.alerts, lex_, info.alert, info.page,
                                                     rec_.sender, lang_);
            return finish(answer.accepted ? store::message_status::accepted : store::message_status::rejected,
                          m.kind, answer.error_code, std::move(answer.reply));
        }
        case form::id:
        case form::risk: {
            if (auto capped = refuse_past_case_cap(m))
                return *capped;
            const std::int64_t event =
                store::insert_event(db_, store::make_event(m, rec_.id, rec_.sender, occurred));
            // A case's times are when the gateway received the message (cases.md 4), whatever the
            // sender's phone says: the figures count by them.
            store::case_opening opening = store::make_case_opening(m, event, rec_.id, rec_.sender, rec_.received_at);
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
        case form::svc:
        case form::ver:
        case form::plan:
        case form::out:
        case form::merge:
        case form::close:
            return apply_to_case(m, occurred, rec_.received_at);
        }
        return out_;
    }

    intake_outcome refuse(const sms_message& m, std::string_view error, refusal r, const std::string& code,
                          const refusal_detail& detail = {}, std::string_view suggestion = {}) {
        return finish(store::message_status::rejected, m.kind, std::string(error),
                      refusal_reply(r, m.kind, code, suggestion, lex_, lang_, detail));
    }

    // A volunteer's ID/RISK past messages.max_cases_per_sender_per_hour (gateway/case_cap.hpp): kept
    // as rejected with no event, case or alert; answered once an hour, the coordinators told once
    // a day. nullopt: under the cap, or a team member or coordinator (never capped).
    std::optional<intake_outcome> refuse_past_case_cap(const sms_message& m) {
        if (who_.team)
            return std::nullopt;
        const parser::children kids = m.kind == form::id ? std::get<sighting>(m.body).kids
                                                         : std::get<risk_report>(m.body).kids;
        const int cap = settings_.max_cases_per_sender_per_hour;
        const std::chrono::minutes utc_offset = settings_.alerts ? settings_.alerts->utc_offset : std::chrono::minutes{0};
        const case_cap_verdict v = check_case_cap(db_, rec_.sender, kids.total(), cap, rec_.id, now_, utc_offset);
        if (!v.over)
            return std::nullopt;
        if (v.tell_coordinators && settings_.alerts)
            tell_coordinators_of_cap(db_, *settings_.alerts, rec_.sender, v.children, cap, rec_.id, now_);
        refusal_detail d;
        d.children = v.children;
        return finish(store::message_status::rejected, m.kind, std::string(too_many_cases_error),
                      v.answer ? refusal_reply(refusal::too_many_cases, m.kind, {}, {}, lex_, lang_, d)
                               : std::string{});
    }

    // Team forms only on cases in the areas the sender's team covers (cases.md 1): coordinators
    // everywhere, a team for sensitive cases on sensitive cases everywhere. nullopt: allowed;
    // otherwise the reply's detail (the case's area and the team whose area it is).
    std::optional<refusal_detail> outside_areas(const store::case_record& c) {
        if (who_.coordinator)
            return std::nullopt;
        const std::optional<store::site> site = store::find_site(db_, c.site);
        const std::string area = site ? site->area : std::string{};
        std::vector<cases::report_team> covering;
        for (const auto& t : teams()) {
            const bool covers =
                std::any_of(t.definition.areas.begin(), t.definition.areas.end(),
                            [&](const std::string& a) { return alerts::area_covers(a, area); });
            const bool member =
                std::any_of(t.definition.members.begin(), t.definition.members.end(),
                            [&](const store::team_member& tm) { return tm.phone == rec_.sender; });
            if (member && (covers || (t.definition.sensitive_cases && c.sensitive)))
                return std::nullopt;
            covering.push_back({t.definition.name, t.definition.areas, t.definition.sensitive_cases});
        }
        refusal_detail d;
        d.area = area;
        d.team = cases::team_of(covering, area, c.sensitive); // whose case it is, as the figures say
        if (d.team.empty())
            d.team = cases::team_of(covering, area, false); // a sensitive case in an ordinary team's area
        return d;
    }

    // HELP SITES: the active sites the sender watches, by code: a reporter's registered sites, a
    // team member's in the areas of the member's teams, a coordinator's all (empty: none, or the
    // sender is not registered).
    std::vector<site_entry> own_sites() {
        std::vector<std::string> reported;
        if (auto r = store::find_reporter(db_, rec_.sender))
            reported = r->sites;
        std::vector<std::string> areas;
        for (const auto& t : teams())
            if (std::any_of(t.definition.members.begin(), t.definition.members.end(),
                            [&](const store::team_member& tm) { return tm.phone == rec_.sender; }))
                areas.insert(areas.end(), t.definition.areas.begin(), t.definition.areas.end());
        std::vector<site_entry> out;
        for (const auto& s : store::list_sites(db_)) {
            if (!s.active)
                continue;
            const bool mine = who_.coordinator ||
                              std::find(reported.begin(), reported.end(), s.code) != reported.end() ||
                              std::any_of(areas.begin(), areas.end(),
                                          [&](const std::string& a) { return alerts::area_covers(a, s.area); });
            if (mine)
                out.push_back({s.code, s.name});
        }
        return out;
    }

    const std::vector<store::team_record>& teams() {
        if (!teams_)
            teams_ = store::list_teams(db_);
        return *teams_;
    }

    // The machine's action of a case form's body (MERGE's `into` is the kept case's code).
    cases::action action_of(const sms_message& m, const std::string& into) {
        return std::visit(
            [&](const auto& b) -> cases::action {
                using T = std::decay_t<decltype(b)>;
                if constexpr (std::is_same_v<T, tracking>) {
                    cases::track t;
                    const std::vector<std::string> codes =
                        b.codes.empty() ? std::vector<std::string>{b.status} : b.codes;
                    for (const auto& code : codes) {
                        // A code whose meaning is not the default's is kept with what it sets
                        // ("APPR=vocational"), so that a replay of the history needs no configuration.
                        std::string recorded = code;
                        const code_def* d = lex_.code_by_name(table::status, code);
                        if (d != nullptr && !d->sets.empty() &&
                            !(cases::tracking_effect_of(code) ==
                              cases::tracking_effect_of(code + "=" + d->sets)))
                            recorded += "=" + d->sets;
                        t.codes += (t.codes.empty() ? "" : " ") + recorded;
                        t.effect = cases::combine(t.effect, cases::tracking_effect_of(recorded));
                    }
                    return t;
                } else if constexpr (std::is_same_v<T, referral>) {
                    return cases::refer{b.service};
                } else if constexpr (std::is_same_v<T, service_delivery>) {
                    return cases::serve{b.service, b.family};
                } else if constexpr (std::is_same_v<T, verification>) {
                    return cases::verify{b.confirmed, b.confirmed ? std::string{} : b.reason};
                } else if constexpr (std::is_same_v<T, assessment>) {
                    return cases::plan{
                        b.target == 'P' ? cases::target::prevention : cases::target::withdrawal, b.category};
                } else if constexpr (std::is_same_v<T, outcome_check>) {
                    return cases::verify_outcome{
                        cases::outcome_from(b.result).value_or(cases::outcome::none)};
                } else if constexpr (std::is_same_v<T, merger>) {
                    return cases::merge{into};
                } else if constexpr (std::is_same_v<T, closure>) {
                    return cases::close{b.reason};
                } else {
                    return cases::close{};
                }
            },
            m.body);
    }

    intake_outcome refused_by_life_cycle(const sms_message& m, const cases::refusal& r,
                                         const std::string& code) {
        refusal_detail d;
        d.days = static_cast<int>(settings_.case_rules.outcome_evidence.count());
        d.target = r.current.goal == cases::target::prevention ? "P" : "W";
        d.outcome = std::string(cases::to_string(r.current.result));
        if (const auto* o = std::get_if<outcome_check>(&m.body);
            o && r.code == cases::refusal_code::target_mismatch)
            d.outcome = o->result;
        refusal p = refusal::closed_case;
        if (r.code == cases::refusal_code::closed) {
            d.reason = r.current.close_reason;
            const cases::action act = action_of(m, {});
            if (const auto* t = std::get_if<cases::track>(&act))
                d.seen_working = t->effect.work == cases::work_status::working;
        }
        switch (r.code) {
        case cases::refusal_code::closed:
        case cases::refusal_code::merged:
            p = refusal::closed_case;
            break;
        case cases::refusal_code::dismissed:
            p = refusal::dismissed_case;
            break;
        case cases::refusal_code::past_triage:
            p = refusal::past_triage;
            break;
        case cases::refusal_code::not_confirmed:
            p = refusal::not_confirmed;
            break;
        case cases::refusal_code::has_outcome:
            p = refusal::has_outcome;
            break;
        case cases::refusal_code::lost:
            p = refusal::lost_case;
            break;
        case cases::refusal_code::needs_plan:
            p = refusal::needs_plan;
            break;
        case cases::refusal_code::target_mismatch:
            p = refusal::target_mismatch;
            break;
        case cases::refusal_code::no_recent_tr:
            p = refusal::no_recent_tr;
            break;
        case cases::refusal_code::not_stopped:
            p = refusal::not_stopped;
            break;
        case cases::refusal_code::work_since_plan:
            p = refusal::work_since_plan;
            break;
        case cases::refusal_code::no_less:
            p = refusal::no_less;
            break;
        case cases::refusal_code::needs_outcome:
            p = refusal::needs_outcome;
            break;
        case cases::refusal_code::not_mergeable:
            p = refusal::not_mergeable;
            break;
        }
        return refuse(m, cases::to_string(r.code), p, code, d);
    }

    // `occurred`: the event's time (as the sender says); `received`: the case's (the figures').
    intake_outcome apply_to_case(const sms_message& m, store::timestamp occurred, store::timestamp received) {
        const std::string& sent_code = *case_code_of(m);
        auto existing = store::find_kept_case(db_, sent_code);
        if (!existing)
            return refuse(m, "unknown_case", refusal::unknown_case, sent_code, {},
                          nearest_own_case(db_, rec_.sender, sent_code));
        const std::string code = existing->code; // the kept case when the sent one was merged
        if (code != sent_code)
            out_.applied_to = code;
        if (team_only(m.kind))
            if (auto d = outside_areas(*existing))
                return refuse(m, "other_area", refusal::other_area, sent_code, *d);

        // MERGE: the other case is the kept one's, and must be open and the sender's too.
        std::optional<store::case_record> into;
        if (const auto* mg = std::get_if<merger>(&m.body)) {
            auto target = store::find_kept_case(db_, mg->into);
            if (!target)
                return refuse(m, "unknown_case", refusal::unknown_case, mg->into, {},
                              nearest_own_case(db_, rec_.sender, mg->into));
            if (target->code == code) {
                parse_error e{errc::same_case, m.kind, mg->into, {}, field::none, {}};
                return finish(store::message_status::rejected, m.kind, "same_case",
                              error_reply(e, lex_, lang_));
            }
            if (!cases::is_open(target->life.state)) {
                refusal_detail d;
                d.other = target->code;
                return refuse(m, "merge_target", refusal::merge_target, sent_code, d);
            }
            if (auto d = outside_areas(*target))
                return refuse(m, "other_area", refusal::other_area, target->code, *d);
            into = std::move(*target);
        }

        const cases::action act = action_of(m, into ? into->code : std::string{});
        const cases::decision decided = cases::decide(existing->life, act, received, settings_.case_rules);
        if (const auto* no = std::get_if<cases::refusal>(&decided))
            return refused_by_life_cycle(m, *no, code);
        const cases::change& ch = std::get<cases::change>(decided);

        store::new_event ev = store::make_event(m, rec_.id, rec_.sender, occurred);
        ev.case_code = code;
        const std::int64_t event = store::insert_event(db_, ev);
        const store::case_action action{code, rec_.sender, rec_.id, event, received};
        auto saved = store::save_change(db_, action, ch);
        if (!saved)
            throw std::system_error(saved.error()); // found above: a broken invariant
        if (into)
            if (auto noted =
                    store::note_absorbed(db_, {into->code, rec_.sender, rec_.id, event, received}, code);
                !noted)
                throw std::system_error(noted.error());

        receipt r;
        r.applied_to = out_.applied_to;
        r.re_engaged = ch.re_engaged;
        r.reopened = ch.reopened;
        if (m.kind == form::tr) { // TR ... WORK / MISS alert the case's team (routing decides)
            sms_message routed = m;
            std::get<tracking>(routed.body).case_code = code;
            r.alert = raise(routed, {}, event);
        }
        return finish(store::message_status::accepted, m.kind, std::nullopt,
                      confirmation_reply(m, r, lex_, lang_));
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
    bool rerun_ = false;
    std::optional<std::string> key_; // duplicate_key of the parsed message
    reply_language lang_ = reply_language::en;
    sender_identity who_;
    std::optional<std::vector<store::team_record>> teams_; // loaded on the first area check
    intake_outcome out_;
};

} // namespace

intake_settings intake_settings_of(const config::gateway_config& c) {
    intake_settings s;
    s.duplicate_window = c.messages.duplicate_window;
    s.max_cases_per_sender_per_hour = c.messages.max_cases_per_sender_per_hour;
    s.case_rules.outcome_evidence = c.cases.outcome_evidence;
    s.alerts = std::make_shared<const alert_settings>(alert_settings_of(c));
    return s;
}

intake_outcome take_in(store::connection& db, const inbound& msg, const lexicon& lex,
                       const intake_settings& settings, store::timestamp now) {
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
    nm.dialogue = msg.dialogue;
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
    intake_outcome out = processor(db, *rec, lex, settings, now, true).run();
    // The provider's request is long answered: the reply goes out through the outbox.
    if (settings.alerts && !out.reply.empty())
        queue_sms(db, *settings.alerts, rec->sender, out.reply, store::outbox_kind::reply, std::nullopt,
                  rec->id, now);
    return out;
}

} // namespace kharuul::gateway
