// Alerts end to end over a real SQLite store and the demo configuration, with the clock in the
// test's hands: reports are taken in as the daemon does (gateway::take_in), and the daemon's
// ticker is run_due at simulated times, so a month of escalations and reminders takes
// milliseconds.
#include "gateway/alert_desk.hpp"
#include "gateway/intake.hpp"
#include "gateway/registry_seed.hpp"

#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/outbox.hpp"
#include "store/registry.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/intake_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace kharuul::gateway {
namespace {

using namespace std::chrono_literals;

// Demo phones (config/demo.toml).
const std::string volunteer_alt = "+97699000001", volunteer_alt_en = "+97699000002", monitor_dkh = "+97699000006";
const std::string alt_leader = "+97699000101", alt_member1 = "+97699000102", alt_member2 = "+97699000103";
const std::string dkh_leader = "+97699000131", dkh_member = "+97699000132";
const std::string mdt_leader = "+97699000151", mdt_member = "+97699000152";
const std::string coordinator1 = "+97699000201", coordinator2 = "+97699000202";

// 2026-11-25 04:00 UTC = 12:00 in Ulaanbaatar (+08:00): daytime.
const store::timestamp noon{std::chrono::milliseconds{1'764'043'200'000}};

class alert_desk_test : public testing::intake_fixture {
protected:
    alert_desk_test() : intake_fixture(noon) {
        settings_.duplicate_window = cfg_.messages.duplicate_window;
        settings_.alerts = std::make_shared<const alert_settings>(alert_settings_of(cfg_));
    }

    due_work due(store::timestamp at) {
        SQLite::Transaction tx(db_);
        auto w = run_due(db_, *settings_.alerts, lex_, at);
        tx.commit();
        return w;
    }

    // Outbox rows in order, optionally only those of one alert or kind.
    std::vector<store::outbox_record> outbox(std::optional<std::int64_t> alert = {}) {
        std::vector<store::outbox_record> out;
        for (auto& o : store::export_outbox(db_, {}))
            if (!alert || o.alert_id == alert)
                out.push_back(std::move(o));
        return out;
    }

    static std::set<std::string> recipients_of(const std::vector<store::outbox_record>& rows) {
        std::set<std::string> s;
        for (const auto& r : rows)
            s.insert(r.recipient);
        return s;
    }

};

TEST_F(alert_desk_test, an_urgent_report_tells_the_team_its_leader_and_the_coordinators_at_once) {
    auto out = send(volunteer_alt_en, "ID ALT 2B 12 MINE SHAFT", noon);
    ASSERT_TRUE(out.alert);
    EXPECT_TRUE(out.reply.ends_with(" Team alerted (#" + std::to_string(*out.alert) + ").")) << out.reply;
    auto rows = outbox(static_cast<std::int64_t>(*out.alert));
    EXPECT_EQ(recipients_of(rows),
              (std::set<std::string>{alt_leader, alt_member1, alt_member2, coordinator1, coordinator2}));
    for (const auto& r : rows) {
        EXPECT_EQ(r.kind, store::outbox_kind::alert);
        EXPECT_EQ(r.channel, "log");
        EXPECT_NE(r.text.find("ACK " + std::to_string(*out.alert)), std::string::npos) << r.text;
        EXPECT_EQ(r.text.find(volunteer_alt_en), std::string::npos) << "the reporter's number is masked: " << r.text;
    }
    const auto english = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.recipient == coordinator2; });
    EXPECT_TRUE(english->text.starts_with("ALERT #" + std::to_string(*out.alert) + " URGENT: 2 boys ~12 mining"))
        << english->text;
}

TEST_F(alert_desk_test, an_unacknowledged_alert_escalates_to_the_leader_then_the_coordinators_then_repeats) {
    auto out = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    ASSERT_TRUE(out.alert);
    const auto id = static_cast<std::int64_t>(*out.alert);
    EXPECT_EQ(recipients_of(outbox(id)), (std::set<std::string>{alt_member1, alt_member2}));

    EXPECT_EQ(due(noon + 12h - 1min).escalations, 0u);
    EXPECT_EQ(due(noon + 12h).queued, 1u); // the leader
    EXPECT_EQ(outbox(id).back().recipient, alt_leader);
    EXPECT_TRUE(outbox(id).back().text.starts_with("Хариугүй 12 цаг. ")) << outbox(id).back().text; // "no ACK 12 h"
    EXPECT_EQ(due(noon + 24h).queued, 2u); // the coordinators
    EXPECT_EQ(recipients_of(outbox(id)),
              (std::set<std::string>{alt_member1, alt_member2, alt_leader, coordinator1, coordinator2}));
    // Then everyone told is told again, three times, a window apart; then it stops.
    for (int i = 1; i <= 3; ++i)
        EXPECT_EQ(due(noon + 24h + i * 12h).queued, 5u) << "repeat " << i;
    EXPECT_EQ(due(noon + 24h + 4 * 12h).queued, 0u);
    EXPECT_EQ(store::find_alert(db_, id)->state, store::alert_state::closed);
    const std::size_t total = outbox(id).size();
    for (int day = 3; day <= 30; ++day)
        due(noon + day * 24h);
    EXPECT_EQ(outbox(id).size(), total) << "a closed alert is not sent again";
    const auto history = store::alert_history(db_, id);
    EXPECT_EQ(std::count_if(history.begin(), history.end(), [](auto& h) { return h.what == "repeated"; }), 3);
}

TEST_F(alert_desk_test, an_ack_from_a_recipient_closes_the_alert_and_nobody_is_told_again) {
    auto out = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    const auto id = static_cast<std::int64_t>(*out.alert);
    auto ack = send(alt_member2, "ACK " + std::to_string(id), noon + 1h);
    EXPECT_EQ(ack.status, store::message_status::accepted);
    EXPECT_EQ(ack.reply, "ACK OK: дохио #" + std::to_string(id) + " хүлээн авлаа. Баярлалаа.");
    auto a = store::find_alert(db_, id);
    EXPECT_EQ(a->state, store::alert_state::acknowledged);
    EXPECT_EQ(a->acked_by.value_or(""), alt_member2);
    const std::size_t before = outbox(id).size();
    ASSERT_EQ(before, 2u) << "the ALT team's two members were told"; // not a vacuous loop below
    for (int h = 2; h < 24 * 10; h += 6)
        due(noon + std::chrono::hours(h));
    EXPECT_EQ(outbox(id).size(), before);
    // The unsent alert messages of the others were cancelled.
    for (const auto& r : outbox(id))
        EXPECT_EQ(r.state, store::outbox_state::cancelled) << r.recipient;
}

TEST_F(alert_desk_test, an_ack_at_the_coordinator_stage_stops_the_repeats) {
    auto out = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    const auto id = static_cast<std::int64_t>(*out.alert);
    due(noon + 12h);
    due(noon + 24h);
    EXPECT_EQ(send(coordinator2, "ACK " + std::to_string(id), noon + 25h).status, store::message_status::accepted);
    EXPECT_EQ(due(noon + 36h).queued, 0u);
    EXPECT_EQ(store::find_alert(db_, id)->state, store::alert_state::acknowledged);
}

TEST_F(alert_desk_test, an_ack_from_an_official_who_was_not_told_is_refused) {
    auto out = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    auto ack = send(dkh_leader, "ACK " + std::to_string(*out.alert), noon + 1h);
    EXPECT_EQ(ack.status, store::message_status::rejected);
    EXPECT_EQ(ack.error_code.value_or(""), "not_recipient");
    EXPECT_EQ(store::find_alert(db_, static_cast<std::int64_t>(*out.alert))->state, store::alert_state::open);
    EXPECT_EQ(send(alt_member1, "ACK 999", noon + 1h).error_code.value_or(""), "unknown_alert");
}

TEST_F(alert_desk_test, reports_at_one_site_within_fifteen_minutes_fold_into_the_open_alert) {
    auto first = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    auto second = send(volunteer_alt_en, "ID ALT 2G 13 PAN", noon + 10min);
    ASSERT_TRUE(first.alert && second.alert);
    EXPECT_EQ(*first.alert, *second.alert);
    const auto id = static_cast<std::int64_t>(*first.alert);
    const auto rows = outbox(id);
    ASSERT_EQ(rows.size(), 4u); // two members told, then told of the two more children
    EXPECT_TRUE(rows.back().text.find("#" + std::to_string(id)) != std::string::npos) << rows.back().text;
    EXPECT_EQ(store::find_alert(db_, id)->folded_children, 2);
    auto third = send(volunteer_alt, "ID ALT 1U 9 PAN", noon + 10min + 16min);
    EXPECT_NE(*third.alert, *first.alert) << "past the window: a new alert";
}

TEST_F(alert_desk_test, an_urgent_report_never_folds_into_a_normal_alert) {
    auto normal = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    auto urgent = send(volunteer_alt_en, "ID ALT 1B 12 MINE SHAFT", noon + 5min);
    EXPECT_NE(*normal.alert, *urgent.alert);
    EXPECT_TRUE(recipients_of(outbox(static_cast<std::int64_t>(*urgent.alert))).contains(coordinator1));
}

TEST_F(alert_desk_test, a_sensitive_report_reaches_only_the_sensitive_team_and_coordinators_with_minimal_text) {
    auto out = send(monitor_dkh, "ID DKH G 15 SEX", noon);
    ASSERT_TRUE(out.alert);
    auto rows = outbox(static_cast<std::int64_t>(*out.alert));
    EXPECT_EQ(recipients_of(rows), (std::set<std::string>{mdt_leader, mdt_member, coordinator1, coordinator2}));
    for (const auto& r : rows) {
        EXPECT_EQ(r.text.find("SEX"), std::string::npos) << r.text;
        EXPECT_EQ(r.text.find("girl"), std::string::npos) << r.text;
        EXPECT_EQ(r.text.find("15"), std::string::npos) << r.text;
    }
    const auto en = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.recipient == mdt_member; });
    const std::string code = store::cases_reported_by(db_, monitor_dkh).at(0);
    EXPECT_EQ(en->text, "Sensitive case " + code + " at DKH, urgent. Call the coordinator. Reply ACK " +
                            std::to_string(*out.alert));
}

TEST_F(alert_desk_test, an_ordinary_city_report_goes_to_the_district_team_not_the_sensitive_team) {
    auto out = send(monitor_dkh, "ID DKH G 14 TRADE", noon);
    EXPECT_EQ(recipients_of(outbox(static_cast<std::int64_t>(*out.alert))), (std::set<std::string>{dkh_member}));
}

TEST_F(alert_desk_test, tracking_news_of_work_again_alerts_the_cases_team_and_school_news_does_not) {
    send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    const std::string code = store::cases_reported_by(db_, volunteer_alt).at(0);
    auto school = send(volunteer_alt, "TR " + code + " SCH", noon + 24h);
    EXPECT_FALSE(school.alert);
    auto work = send(volunteer_alt, "TR " + code + " WORK", noon + 48h);
    ASSERT_TRUE(work.alert);
    auto a = store::find_alert(db_, static_cast<std::int64_t>(*work.alert));
    EXPECT_EQ(a->kind, store::alert_kind::tracking);
    EXPECT_EQ(a->tracking_status.value_or(""), "WORK");
    EXPECT_EQ(recipients_of(outbox(a->id)), (std::set<std::string>{alt_member1, alt_member2}));
    EXPECT_NE(work.reply.find("#" + std::to_string(*work.alert)), std::string::npos) << work.reply;
}

TEST_F(alert_desk_test, a_case_without_news_for_thirty_days_gets_one_daytime_reminder_batched_per_recipient) {
    send(volunteer_alt, "ID ALT 3B 12 PAN", noon);
    const auto codes = store::cases_reported_by(db_, volunteer_alt);
    ASSERT_EQ(codes.size(), 3u);
    // Ack the alert so that only reminders are queued below.
    send(alt_member1, "ACK 1", noon + 1h);
    const std::size_t before = outbox().size();
    // 30 days later at 02:00 local (18:00 UTC the day before): night, nothing.
    EXPECT_EQ(due(noon + 30 * 24h + 14h).reminders, 0u);
    // At noon: one SMS per recipient listing the three cases.
    auto w = due(noon + 31 * 24h);
    EXPECT_EQ(w.reminders, 4u); // the volunteer and the team's three people
    auto rows = outbox();
    rows.erase(rows.begin(), rows.begin() + static_cast<long>(before));
    EXPECT_EQ(recipients_of(rows), (std::set<std::string>{volunteer_alt, alt_leader, alt_member1, alt_member2}));
    for (const auto& r : rows) {
        EXPECT_EQ(r.kind, store::outbox_kind::reminder);
        for (const auto& c : codes)
            EXPECT_NE(r.text.find(c), std::string::npos) << r.text;
    }
    EXPECT_EQ(due(noon + 32 * 24h).reminders, 0u) << "not again the next day";
    // News stops the reminders; a closed case never gets one.
    send(volunteer_alt, "TR " + codes[0] + " SCH", noon + 32 * 24h);
    send(alt_leader, "CLOSE " + codes[1] + " ADULT", noon + 32 * 24h);
    auto later = due(noon + 62 * 24h);
    EXPECT_EQ(later.reminders, 4u);
    rows = outbox();
    for (auto it = rows.end() - 4; it != rows.end(); ++it) {
        EXPECT_EQ(it->text.find(codes[1]), std::string::npos) << it->text;
        EXPECT_NE(it->text.find(codes[2]), std::string::npos) << it->text;
    }
}

TEST_F(alert_desk_test, a_site_no_team_covers_alerts_the_coordinators_at_once) {
    auto changed = cfg_;
    changed.teams.erase(std::remove_if(changed.teams.begin(), changed.teams.end(),
                                       [](auto& t) { return t.name == "Bayan-Ovoo child protection team"; }),
                        changed.teams.end());
    settings_.alerts = std::make_shared<const alert_settings>(alert_settings_of(changed));
    auto out = send(volunteer_alt, "ID ALT 1B 12 PAN", noon);
    EXPECT_EQ(recipients_of(outbox(static_cast<std::int64_t>(*out.alert))),
              (std::set<std::string>{coordinator1, coordinator2}));
}

} // namespace
} // namespace kharuul::gateway
