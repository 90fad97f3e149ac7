#include "gateway/ussd_desk.hpp"

#include "gateway/intake.hpp"
#include "gateway/store_client.hpp"
#include "parser/phone.hpp"
#include "store/cases.hpp"
#include "store/alerts.hpp"
#include "store/registry.hpp"
#include "store/ussd_sessions.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace kharuul::gateway {

namespace {

ussd::session_limits limits_of(const config::ussd_config& c) {
    return {c.max_sessions, c.session_timeout, c.resume_minutes};
}

ussd::intake_result result_of(const intake_outcome& out) {
    ussd::intake_result r;
    switch (out.status) {
    case store::message_status::accepted: r.what = ussd::intake_result::status::accepted; break;
    case store::message_status::duplicate: r.what = ussd::intake_result::status::duplicate; break;
    case store::message_status::unregistered: r.what = ussd::intake_result::status::unregistered; break;
    default: r.what = ussd::intake_result::status::rejected; break;
    }
    r.case_codes = out.case_codes;
    r.alerted = out.alert.has_value();
    r.reply = out.reply;
    return r;
}

http_response plain_failure(const http_request& req) {
    http_response res{http::status::service_unavailable, req.version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::retry_after, "5");
    res.body() = "notice not stored; retry later\n";
    res.prepare_payload();
    return res;
}

http_response plain_ok(const http_request& req) {
    http_response res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "ok\n";
    res.prepare_payload();
    return res;
}

} // namespace

store::ussd_session_row session_row_of(const ussd::session_record& r, std::optional<std::int64_t> message_id) {
    store::ussd_session_row row;
    row.channel = r.channel;
    row.session_id = r.session_id;
    row.sender = r.phone;
    row.outcome = std::string(ussd::to_string(r.outcome));
    if (r.why != ussd::abandon_reason::none)
        row.why = std::string(ussd::to_string(r.why));
    row.step_name = std::string(ussd::screen_name(r.at));
    row.step = r.step;
    if (r.form)
        row.form = std::string(parser::canonical_keyword(*r.form));
    row.steps = r.steps;
    row.resumed_from = r.resumed_from;
    row.message_id = message_id;
    row.started_at = r.started;
    row.ended_at = r.ended;
    return row;
}

ussd::sender_profile ussd_profile_of(store::connection& db, const std::string& phone, const std::string& service_code) {
    ussd::sender_profile p;
    p.service_code = service_code;
    std::vector<std::string> own;
    if (auto r = store::find_reporter(db, phone)) {
        p.registered = true;
        p.lang = parser::reply_language_from(r->lang).value_or(p.lang);
        own = r->sites;
    }
    if (auto roles = store::team_roles(db, phone); !roles.empty()) {
        p.registered = true;
        p.lang = parser::reply_language_from(roles.front().lang).value_or(p.lang);
    }
    if (auto c = store::find_coordinator(db, phone)) {
        p.registered = true;
        p.lang = parser::reply_language_from(c->lang).value_or(p.lang);
    }
    if (!own.empty())
        for (const auto& s : store::list_sites(db))
            if (s.active && std::find(own.begin(), own.end(), s.code) != own.end())
                p.own_sites.push_back({s.code, s.name});
    return p;
}

taken_dialogue take_in_dialogue(store::connection& db, const ussd::held_session& s, const ussd::completed_report& report,
                                const std::string& channel, const std::optional<std::string>& provider_id,
                                const std::string& service_code, const daemon_detail::routing& rt,
                                const ussd::menu& menu, store::timestamp now) {
    inbound in;
    in.kind = store::message_kind::ussd;
    in.channel = channel;
    in.provider_id = provider_id;
    in.from = s.phone;
    in.to = service_code;
    in.text = report.sms_text;
    in.dialogue = ussd::describe_steps(report.steps);
    taken_dialogue t;
    t.out = take_in(db, in, *rt.lex, rt.intake, now);
    if (t.out.repeat) {
        // The provider sent the last step again after the dialogue was taken in (its retry after a
        // lost answer): the END screen names the cases the first one opened, as it did then.
        t.out.case_codes = store::cases_opened_by_message(db, t.out.message_id);
        t.out.alert = store::alert_of_message(db, t.out.message_id);
    }
    store::record_ussd_session(
        db, session_row_of(ussd::record_of(s, ussd::session_outcome::completed, ussd::abandon_reason::none, now),
                           t.out.message_id));
    t.end_text = ussd::end_screen(menu, *rt.lex, s.profile.lang, report, result_of(t.out));
    return t;
}

ussd_desk::ussd_desk(store::writer& writer, const config::ussd_config& cfg, std::function<void()> wake_sender)
    : writer_(writer), cfg_(cfg), wake_sender_(std::move(wake_sender)), table_(limits_of(cfg)) {}

void ussd_desk::reconfigure(const config::ussd_config& cfg) {
    cfg_ = cfg;
    table_.set_limits(limits_of(cfg));
}

boost::asio::awaitable<void> ussd_desk::write(std::vector<ussd::session_record> records) {
    records.insert(records.end(), unwritten_.begin(), unwritten_.end());
    unwritten_.clear();
    if (records.empty())
        co_return;
    std::vector<store::ussd_session_row> rows;
    for (const auto& r : records)
        rows.push_back(session_row_of(r));
    auto job = [rows](store::connection& db) {
        for (const auto& row : rows)
            store::record_ussd_session(db, row);
        return rows.size();
    };
    bool failed = false;
    try {
        co_await run_in_store(writer_, std::move(job));
    } catch (const std::exception& e) {
        spdlog::error("ussd: {} session record(s) not stored yet, retrying: {}", records.size(), e.what());
        failed = true;
    }
    if (failed) {
        if (unwritten_.size() + records.size() <= cfg_.max_sessions)
            unwritten_.insert(unwritten_.end(), records.begin(), records.end());
        co_return;
    }
    for (const auto& r : records)
        if (r.outcome == ussd::session_outcome::abandoned)
            spdlog::info("ussd: session from {} on {} abandoned ({}) at step {} ({})", parser::mask_phone(r.phone),
                         r.channel, ussd::to_string(r.why), r.step, ussd::screen_name(r.at));
}

boost::asio::awaitable<http_response> ussd_desk::step(const http_request& req, const adapters::ussd_request& r,
                                                      const daemon_detail::channel_binding& ch,
                                                      std::shared_ptr<const daemon_detail::routing> rt,
                                                      store::timestamp now) {
    const adapters::dialect& d = *ch.dialect;
    ussd::held_session* s = table_.find(r.channel, r.session_id);
    if (s != nullptr && s->at == ussd::held_session::phase::finished)
        co_return d.ussd_screen(req, s->end_text, true); // a provider's retry of the last step
    if (s != nullptr && s->at == ussd::held_session::phase::abandoned)
        co_return d.ussd_screen(req, cfg_.menu.cancelled.in(s->profile.lang), true);
    if (s == nullptr) {
        const std::string phone = r.from;
        const std::string code = r.service_code.empty() ? cfg_.service_code : r.service_code;
        auto lookup = [phone, code](store::connection& db) { return ussd_profile_of(db, phone, code); };
        ussd::sender_profile profile;
        bool failed = false;
        try {
            profile = co_await run_in_store(writer_, std::move(lookup));
        } catch (const std::exception& e) {
            spdlog::error("ussd: channel {}: cannot look up the sender (503): {}", r.channel, e.what());
            failed = true;
        }
        if (failed)
            co_return d.failed(req, http::status::service_unavailable, "the store cannot be read; retry later");
        // The table may have changed while the look-up ran.
        s = table_.find(r.channel, r.session_id);
        if (s == nullptr) {
            std::vector<ussd::session_record> ended;
            s = &table_.open(r.channel, r.session_id, phone, std::move(profile), now, ended);
            if (!ended.empty())
                co_await write(std::move(ended));
            s = table_.find(r.channel, r.session_id);
            if (s == nullptr)
                co_return d.failed(req, http::status::service_unavailable, "too many sessions; retry later");
        }
    }
    const ussd::dialogue_state state = table_.advance(*s, r.inputs, r.cumulative, cfg_.menu, *rt->lex, now);
    if (state.what == ussd::dialogue_state::kind::screen)
        co_return d.ussd_screen(req, state.text, false);
    if (state.what == ussd::dialogue_state::kind::ended) {
        std::vector<ussd::session_record> done{table_.finish(*s, state.text, now)};
        co_await write(std::move(done));
        co_return d.ussd_screen(req, state.text, true);
    }

    // Completed: the report goes through the SMS intake with its session row, in one transaction.
    const std::string service_code = r.service_code.empty() ? cfg_.service_code : r.service_code;
    auto job = [held = *s, report = *state.report, channel = r.channel, id = "ussd:" + r.session_id, service_code, rt,
                menu = cfg_.menu, now](store::connection& db) {
        return take_in_dialogue(db, held, report, channel, id, service_code, *rt, menu, now);
    };
    taken_dialogue taken;
    bool failed = false;
    try {
        taken = co_await run_in_store(writer_, std::move(job));
    } catch (const std::exception& e) {
        spdlog::error("ussd: channel {}: report from {} NOT stored, provider told to retry (503): {}", r.channel,
                      parser::mask_phone(r.from), e.what());
        failed = true;
    }
    if (failed)
        co_return d.failed(req, http::status::service_unavailable, "report not stored; retry later");
    const intake_outcome& out = taken.out;
    const std::string& text = taken.end_text;
    s = table_.find(r.channel, r.session_id); // may have moved while the job ran
    if (s != nullptr && s->at == ussd::held_session::phase::open)
        table_.finish(*s, text, now);
    if (out.alert && wake_sender_)
        wake_sender_();
    spdlog::info("channel {}: USSD report #{} from {} {} {}", r.channel, out.message_id, parser::mask_phone(r.from),
                 store::to_string(out.status), out.form ? parser::canonical_keyword(*out.form) : "-");
    spdlog::debug("channel {}: USSD report #{} text: {} | steps: {}", r.channel, out.message_id,
                  state.report->sms_text, ussd::describe_steps(state.report->steps));
    co_return d.ussd_screen(req, text, true);
}

boost::asio::awaitable<http_response> ussd_desk::end(const http_request& req, const adapters::ussd_session_end& e,
                                                     store::timestamp now) {
    if (e.status != adapters::ussd_session_end::outcome::completed)
        if (auto r = table_.drop(e.channel, e.session_id, now)) {
            std::vector<ussd::session_record> one{std::move(*r)};
            co_await write(std::move(one));
        }
    // What the provider said is kept on the session's row (completed or abandoned), so that a
    // coordinator can compare its view of a session with ours.
    using how = adapters::ussd_session_end::outcome;
    std::string said = e.status == how::completed ? "completed" : e.status == how::failed ? "failed" : "incomplete";
    if (!e.detail.empty())
        said += ": " + e.detail;
    auto job = [channel = e.channel, id = e.session_id, said](store::connection& db) {
        return store::note_ussd_session_end(db, channel, id, said);
    };
    bool failed = false;
    try {
        co_await run_in_store(writer_, std::move(job));
    } catch (const std::exception& ex) {
        spdlog::error("ussd: channel {}: end-of-session notice not stored (503): {}", e.channel, ex.what());
        failed = true;
    }
    if (failed)
        co_return plain_failure(req);
    co_return plain_ok(req);
}

boost::asio::awaitable<void> ussd_desk::sweep(store::timestamp now) {
    std::vector<ussd::session_record> swept = table_.sweep(now);
    if (!swept.empty() || !unwritten_.empty())
        co_await write(std::move(swept));
}

} // namespace kharuul::gateway
