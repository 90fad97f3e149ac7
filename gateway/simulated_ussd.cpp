// The USSD dialogue of `kharuul simulate` (gateway/simulator.hpp simulated_ussd): the menu
// machine of ussd/ (ussd/session_table.hpp, the dialogue rebuilt from the input history on every
// step, resume after a drop or a timeout, the session timeout on the simulated clock) with the
// configured menu, and a completed dialogue taken in as the SMS it is equivalent to through the
// daemon's intake (take_in with message_kind::ussd), its END screen worded by ussd::end_screen.
//
// TODO(integrator): the daemon's USSD desk (h-ussd, gateway side) was not committed when this was
// written, so this repeats its small part here: the sender's profile, the intake of a completed
// dialogue, and what the store keeps of a session (here nothing: abandoned sessions and the
// dialogue's steps are not recorded, so `ussd_abandoned` does not count simulated ones). Once
// the desk has a function for "a completed dialogue into the store", call it instead.
#include "gateway/simulator.hpp"

#include "gateway/intake.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"
#include "ussd/dialogue.hpp"
#include "ussd/session_table.hpp"

#include <string>

namespace kharuul::gateway {

namespace {

constexpr std::string_view channel = "simulate";

class menu_ussd final : public simulated_ussd {
public:
    menu_ussd(const config::gateway_config& cfg, std::shared_ptr<const daemon_detail::routing> routes)
        : cfg_(cfg), routes_(std::move(routes)),
          table_(ussd::session_limits{cfg.ussd.max_sessions, cfg.ussd.session_timeout, cfg.ussd.resume_minutes}) {}

    ussd_screen dial(store::connection& db, const std::string& phone, store::timestamp now) override {
        (void)table_.sweep(now);
        std::vector<ussd::session_record> ended;
        session_id_ = "sim-" + std::to_string(++sessions_);
        auto& s = table_.open(std::string(channel), session_id_, phone, profile_of(db, phone), now, ended);
        return shown(db, s, table_.advance(s, {}, false, cfg_.ussd.menu, *routes_->lex, now), now);
    }

    ussd_screen answer(store::connection& db, const std::string&, std::string_view input,
                       store::timestamp now) override {
        (void)table_.sweep(now);
        ussd::held_session* s = table_.find(channel, session_id_);
        if (s == nullptr || s->at != ussd::held_session::phase::open)
            return {"The session timed out (" + std::to_string(cfg_.ussd.session_timeout.count()) +
                        " s without an answer). Dial " + cfg_.ussd.service_code + " again to continue.",
                    true, {}};
        const std::string typed(input);
        return shown(db, *s, table_.advance(*s, std::span<const std::string>(&typed, 1), false, cfg_.ussd.menu,
                                            *routes_->lex, now),
                     now);
    }

    void drop(store::connection&, const std::string&, store::timestamp now) override {
        (void)table_.drop(channel, session_id_, now);
    }

private:
    // What the dialogue knows of the sender: a registered reporter's language and sites.
    ussd::sender_profile profile_of(store::connection& db, const std::string& phone) const {
        ussd::sender_profile p;
        p.service_code = cfg_.ussd.service_code;
        p.lang = parser::reply_language::en;
        if (const auto r = store::find_reporter(db, phone)) {
            p.registered = true;
            p.lang = parser::reply_language_from(r->lang).value_or(p.lang);
            for (const auto& code : r->sites) {
                if (p.own_sites.size() == 8)
                    break;
                const auto site = store::find_site(db, code);
                if (site && site->active)
                    p.own_sites.push_back({site->code, site->name});
            }
        }
        return p;
    }

    ussd_screen shown(store::connection& db, ussd::held_session& s, const ussd::dialogue_state& st,
                      store::timestamp now) {
        using k = ussd::dialogue_state::kind;
        if (st.what == k::screen)
            return {st.text, false, {}};
        if (st.what == k::ended) {
            (void)table_.finish(s, st.text, now);
            return {st.text, true, {}};
        }
        const ussd::completed_report& report = *st.report;
        inbound msg;
        msg.kind = store::message_kind::ussd;
        msg.channel = std::string(channel);
        msg.from = s.phone;
        msg.to = cfg_.ussd.service_code;
        msg.text = report.sms_text;
        const intake_outcome o = take_in(db, msg, *routes_->lex, routes_->intake, now);
        ussd::intake_result r;
        using st_t = ussd::intake_result::status;
        r.what = o.status == store::message_status::accepted     ? st_t::accepted
                 : o.status == store::message_status::duplicate  ? st_t::duplicate
                 : o.status == store::message_status::unregistered ? st_t::unregistered
                                                                   : st_t::rejected;
        r.case_codes = o.case_codes;
        r.alerted = o.alert.has_value();
        r.reply = o.reply;
        const std::string text = ussd::end_screen(cfg_.ussd.menu, *routes_->lex, s.profile.lang, report, r);
        (void)table_.finish(s, text, now);
        std::string note = "message " + std::to_string(o.message_id) + ": " + std::string(store::to_string(o.status)) +
                           ", as the SMS " + report.sms_text;
        if (!o.case_codes.empty()) {
            note += ", cases";
            for (const auto& c : o.case_codes)
                note += " " + c;
        }
        if (o.alert && o.form != parser::form::ack)
            note += ", alert #" + std::to_string(*o.alert);
        return {text, true, note};
    }

    const config::gateway_config& cfg_;
    std::shared_ptr<const daemon_detail::routing> routes_;
    ussd::session_table table_;
    std::string session_id_;
    int sessions_ = 0;
};

} // namespace

std::unique_ptr<simulated_ussd> make_simulated_ussd(const config::gateway_config& cfg,
                                                    std::shared_ptr<const daemon_detail::routing> routes) {
    return std::make_unique<menu_ussd>(cfg, std::move(routes));
}

} // namespace kharuul::gateway
