// The cap on the cases one volunteer's phone opens in an hour (messages.max_cases_per_sender_per_hour,
// gateway/case_cap.hpp), through gateway::take_in over a real SQLite store and the demo
// configuration, with the clock in the test's hands: past the cap an ID or RISK is kept as
// rejected (too_many_cases), opens nothing and alerts nobody; the first of an hour is answered,
// the rest are not; the coordinators are told once a day per phone; teams are not capped.
#include "gateway/alert_desk.hpp"
#include "gateway/intake.hpp"
#include "gateway/registry_seed.hpp"

#include "alerts/alert_text.hpp"
#include "parser/phone.hpp"
#include "parser/segment.hpp"
#include "store/records.hpp"
#include "store/outbox.hpp"
#include "store/registry.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/intake_fixture.hpp"

#include <gtest/gtest.h>

#include <set>

namespace kharuul::gateway {
namespace {

using namespace std::chrono_literals;

// Demo phones (config/demo.toml).
const std::string volunteer_en = "+97699000002", volunteer_mn = "+97699000001";
const std::string alt_member1 = "+97699000102";
const std::string coordinator1 = "+97699000201", coordinator2 = "+97699000202";

// 2026-11-25 04:00 UTC = 12:00 in Ulaanbaatar (+08:00).
const store::timestamp noon{std::chrono::milliseconds{1'764'043'200'000}};

class case_cap_test : public testing::intake_fixture {
protected:
    case_cap_test() : intake_fixture(noon) {
        settings_ = intake_settings_of(cfg_);
        settings_.max_cases_per_sender_per_hour = 5;
    }

    // An ID of `n` boys at ALT; `tag` keeps each text different (the same text would be a duplicate).
    intake_outcome report(const std::string& from, int n, store::timestamp at, int tag) {
        return send(from, "ID ALT " + std::to_string(n) + "B 12 MINE # visit " + std::to_string(tag), at);
    }

    int count(const std::string& sql) { return db_.execAndGet(sql).getInt(); }

    std::vector<store::outbox_record> notices() {
        std::vector<store::outbox_record> out;
        for (auto& o : store::export_outbox(db_, {}))
            if (o.kind == store::outbox_kind::notice)
                out.push_back(std::move(o));
        return out;
    }

    static void expect_capped(const intake_outcome& o) {
        EXPECT_EQ(o.status, store::message_status::rejected);
        EXPECT_EQ(o.error_code.value_or(""), "too_many_cases");
        EXPECT_TRUE(o.case_codes.empty());
        EXPECT_FALSE(o.alert);
    }

};

TEST_F(case_cap_test, the_default_cap_comes_from_the_configuration) {
    EXPECT_EQ(intake_settings_of(cfg_).max_cases_per_sender_per_hour, 100);
    auto c = cfg_;
    c.messages.max_cases_per_sender_per_hour = 7;
    EXPECT_EQ(intake_settings_of(c).max_cases_per_sender_per_hour, 7);
}

TEST_F(case_cap_test, a_volunteer_past_the_cap_is_kept_as_rejected_with_no_case_event_or_alert) {
    ASSERT_EQ(report(volunteer_en, 2, noon, 1).status, store::message_status::accepted);
    ASSERT_EQ(report(volunteer_en, 3, noon + 1min, 2).status, store::message_status::accepted); // 5: the cap
    const int cases = count("SELECT COUNT(*) FROM cases");
    const int events = count("SELECT COUNT(*) FROM events");
    const int alerts = count("SELECT COUNT(*) FROM alerts");
    const int alert_sms = count("SELECT COUNT(*) FROM outbox WHERE kind = 'alert'");
    ASSERT_EQ(cases, 5);

    const auto past = report(volunteer_en, 1, noon + 2min, 3);
    expect_capped(past);
    EXPECT_EQ(past.reply, "ID: you reported 5 children in the last hour; more are kept but not opened. Call your "
                          "coordinator.");
    EXPECT_TRUE(parser::fits_one_segment(past.reply));
    const auto risk = send(volunteer_en, "RISK ALT 1G 10 SIB", noon + 3min);
    expect_capped(risk);
    EXPECT_EQ(risk.form, parser::form::risk);

    EXPECT_EQ(count("SELECT COUNT(*) FROM cases"), cases);
    EXPECT_EQ(count("SELECT COUNT(*) FROM events"), events);
    EXPECT_EQ(count("SELECT COUNT(*) FROM alerts"), alerts);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'alert'"), alert_sms);
    // Stored as received, with the outcome.
    const auto kept = store::find_message(db_, past.message_id);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->status, store::message_status::rejected);
    EXPECT_EQ(kept->error_code.value_or(""), "too_many_cases");
    EXPECT_EQ(kept->text, "ID ALT 1B 12 MINE # visit 3");
}

TEST_F(case_cap_test, a_report_that_would_cross_the_cap_opens_none_of_its_children) {
    ASSERT_EQ(report(volunteer_en, 4, noon, 1).status, store::message_status::accepted);
    expect_capped(report(volunteer_en, 2, noon + 1min, 2)); // 4 + 2 > 5
    EXPECT_EQ(count("SELECT COUNT(*) FROM cases"), 4);
    EXPECT_EQ(report(volunteer_en, 1, noon + 2min, 3).status, store::message_status::accepted); // 5 fits
}

TEST_F(case_cap_test, only_the_first_message_past_the_cap_in_an_hour_is_answered) {
    ASSERT_EQ(report(volunteer_en, 5, noon, 0).status, store::message_status::accepted);
    int answered = 0;
    for (int i = 1; i <= 20; ++i) {
        const auto o = report(volunteer_en, 1, noon + i * 1min, i);
        expect_capped(o);
        answered += o.reply.empty() ? 0 : 1;
        if (i == 1)
            EXPECT_FALSE(o.reply.empty());
        else
            EXPECT_TRUE(o.reply.empty()) << i << ": " << o.reply;
    }
    EXPECT_EQ(answered, 1);
    const auto still = report(volunteer_en, 5, noon + 59min, 100);
    expect_capped(still);
    EXPECT_TRUE(still.reply.empty()) << still.reply;
    // The cases of noon are more than an hour old now: the count starts again.
    const auto later = report(volunteer_en, 1, noon + 61min, 101);
    EXPECT_EQ(later.status, store::message_status::accepted) << later.reply;
}

TEST_F(case_cap_test, the_answer_is_in_the_senders_language) {
    ASSERT_EQ(report(volunteer_mn, 5, noon, 0).status, store::message_status::accepted);
    const auto o = report(volunteer_mn, 1, noon + 1min, 1);
    expect_capped(o);
    EXPECT_TRUE(o.reply.starts_with("ID: ")) << o.reply;
    EXPECT_NE(o.reply.find("5 хүүхэд"), std::string::npos) << o.reply;
    EXPECT_TRUE(parser::fits_one_segment(o.reply)) << o.reply;
}

TEST_F(case_cap_test, the_coordinators_are_told_once_a_day_per_phone) {
    ASSERT_EQ(report(volunteer_en, 5, noon, 0).status, store::message_status::accepted);
    for (int i = 1; i <= 10; ++i)
        expect_capped(report(volunteer_en, 1, noon + i * 1min, i));
    auto rows = notices();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ((std::set<std::string>{rows[0].recipient, rows[1].recipient}),
              (std::set<std::string>{coordinator1, coordinator2}));
    for (const auto& r : rows) {
        EXPECT_TRUE(parser::fits_one_segment(r.text)) << r.text;
        EXPECT_EQ(r.text.find(volunteer_en), std::string::npos) << "the number is masked: " << r.text;
        EXPECT_NE(r.text.find(parser::mask_phone(volunteer_en)), std::string::npos) << r.text;
    }
    const auto english = rows[0].recipient == coordinator2 ? rows[0] : rows[1];
    EXPECT_NE(english.text.find("reported 5 children in an hour (cap 5)"), std::string::npos) << english.text;

    // Later the same day, past the cap again: answered again (a new hour), coordinators not told.
    ASSERT_EQ(report(volunteer_en, 5, noon + 3h, 20).status, store::message_status::accepted);
    const auto again = report(volunteer_en, 1, noon + 3h + 1min, 21);
    expect_capped(again);
    EXPECT_FALSE(again.reply.empty());
    EXPECT_EQ(notices().size(), 2u);

    // Another phone past the cap the same day is its own notice.
    ASSERT_EQ(report(volunteer_mn, 5, noon + 4h, 30).status, store::message_status::accepted);
    expect_capped(report(volunteer_mn, 1, noon + 4h + 1min, 31));
    EXPECT_EQ(notices().size(), 4u);

    // The next day (local), the first phone is told about again.
    ASSERT_EQ(report(volunteer_en, 5, noon + 24h, 40).status, store::message_status::accepted);
    expect_capped(report(volunteer_en, 1, noon + 24h + 1min, 41));
    EXPECT_EQ(notices().size(), 6u);
}

TEST_F(case_cap_test, team_members_and_coordinators_are_not_capped) {
    for (int i = 0; i < 4; ++i) {
        const auto member = report(alt_member1, 3, noon + i * 1min, i);
        EXPECT_EQ(member.status, store::message_status::accepted) << member.reply;
        EXPECT_EQ(member.case_codes.size(), 3u);
        const auto coordinator = report(coordinator1, 3, noon + i * 1min, i);
        EXPECT_EQ(coordinator.status, store::message_status::accepted) << coordinator.reply;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM cases"), 24);
    EXPECT_TRUE(notices().empty());
}

TEST_F(case_cap_test, other_forms_from_a_capped_volunteer_still_go_through) {
    const auto first = report(volunteer_en, 5, noon, 0);
    ASSERT_EQ(first.case_codes.size(), 5u);
    expect_capped(report(volunteer_en, 1, noon + 1min, 1));
    EXPECT_EQ(send(volunteer_en, "NIL ALT", noon + 2min).status, store::message_status::accepted);
    EXPECT_EQ(send(volunteer_en, "TR " + first.case_codes[0] + " NFE", noon + 3min).status,
              store::message_status::accepted);
}

} // namespace
} // namespace kharuul::gateway
