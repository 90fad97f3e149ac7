// The USSD dialogue of `kharuul simulate` (gateway/simulator.hpp simulated_ussd): the menu
// machine of ussd/ (ussd/session_table.hpp, the dialogue rebuilt from the input history on every
// step, resume after a drop or a timeout, the session timeout on the simulated clock) with the
// configured menu, the sender looked up and a completed dialogue taken in by the daemon's own
// functions (gateway/ussd_desk.hpp ussd_profile_of, take_in_dialogue), and the sessions that end
// without a report recorded like the daemon's (channel "simulate"), so a lesson in USSD leaves the
// store as a real dialogue would.
#include "gateway/simulator.hpp"

#include "gateway/intake.hpp"
#include "gateway/ussd_desk.hpp"
#include "store/ussd_sessions.hpp"
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
        record(db, table_.sweep(now));
        std::vector<ussd::session_record> ended;
        // Unique across runs: with --record a second lesson must not look like a provider's retry
        // of the first one's dialogue (the intake deduplicates on channel and provider id).
        session_id_ = "sim-" + std::to_string(now.time_since_epoch().count()) + "-" + std::to_string(++sessions_);
        auto& s = table_.open(std::string(channel), session_id_, phone,
                              ussd_profile_of(db, phone, cfg_.ussd.service_code), now, ended);
        record(db, std::move(ended));
        return shown(db, s, table_.advance(s, {}, false, cfg_.ussd.menu, *routes_->lex, now), now);
    }

    ussd_screen answer(store::connection& db, const std::string&, std::string_view input,
                       store::timestamp now) override {
        record(db, table_.sweep(now));
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

    void drop(store::connection& db, const std::string&, store::timestamp now) override {
        if (auto r = table_.drop(channel, session_id_, now))
            record(db, {std::move(*r)});
    }

private:
    // Sessions that ended without a report, stored as the daemon's desk stores them.
    static void record(store::connection& db, std::vector<ussd::session_record> records) {
        for (const auto& r : records)
            store::record_ussd_session(db, session_row_of(r));
    }

    ussd_screen shown(store::connection& db, ussd::held_session& s, const ussd::dialogue_state& st,
                      store::timestamp now) {
        using k = ussd::dialogue_state::kind;
        if (st.what == k::screen)
            return {st.text, false, {}};
        if (st.what == k::ended) {
            record(db, {table_.finish(s, st.text, now)});
            return {st.text, true, {}};
        }
        const ussd::completed_report& report = *st.report;
        const taken_dialogue t = take_in_dialogue(db, s, report, std::string(channel), "ussd:" + session_id_,
                                                  cfg_.ussd.service_code, *routes_, cfg_.ussd.menu, now);
        const intake_outcome& o = t.out;
        (void)table_.finish(s, t.end_text, now);
        std::string note = "message " + std::to_string(o.message_id) + ": " + std::string(store::to_string(o.status)) +
                           ", as the SMS " + report.sms_text;
        if (!o.case_codes.empty()) {
            note += ", cases";
            for (const auto& c : o.case_codes)
                note += " " + c;
        }
        if (o.alert && o.form != parser::form::ack)
            note += ", alert #" + std::to_string(*o.alert);
        return {t.end_text, true, note};
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
