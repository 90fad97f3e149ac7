// USSD over real loopback HTTP through the generic channel's /ussd endpoint (docs/ussd.md): whole
// dialogues create the same case as the matching SMS does in a separate store; a dropped session
// is resumed; a timed-out one is counted in the report's ussd_abandoned by step; an unregistered
// number is told how to register; a store that cannot write answers 503 and stores nothing. Also
// the desk's handling of cumulative (Africa's Talking style) and last-input requests, with
// constructed ussd_request values.
#include "gateway/ussd_desk.hpp"

#include "gateway/export_rows.hpp"
#include "gateway/registry_seed.hpp"
#include "store/registry.hpp"
#include "ussd/dialogue.hpp"

#include "cases/report.hpp"
#include "parser/case_code.hpp"
#include "store/cases.hpp"
#include "store/records.hpp"
#include "store/report_data.hpp"
#include "store/ussd_sessions.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace kharuul;
namespace kt = kharuul::testing;
using kt::running_gateway;

namespace {

const std::string volunteer = "+97699000002"; // demo: ALT, lang en

kt::http_reply ussd_step(running_gateway& g, const std::string& session, const std::string& from,
                         const std::string& text) {
    const std::string body =
        "session_id=" + kt::form_encode(session) + "&from=" + kt::form_encode(from) + "&text=" +
        kt::form_encode(text) + "&service_code=" + kt::form_encode("*500#");
    return kt::http_post(g.port(), "/channels/generic/ussd?secret=demo-secret", body);
}

// Dials and answers every input; returns the last answer (CON ... or END ...).
std::string dialogue(running_gateway& g, const std::string& session, const std::string& from,
                     const std::vector<std::string>& inputs) {
    auto r = ussd_step(g, session, from, "");
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto& in : inputs) {
        r = ussd_step(g, session, from, in);
        EXPECT_EQ(r.status, 200) << r.body;
    }
    return r.body;
}

std::vector<store::message_record> messages(running_gateway& g) {
    return store::export_messages(g.db(), {});
}

// Waits until `done` holds or five seconds pass (the daemon's clock is the test's; its ticker runs
// every second of real time).
template <class Fn> bool eventually(Fn done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

// The case `code` as the USSD store and the SMS store hold it: the same fields.
void expect_same_case(running_gateway& by_ussd, running_gateway& by_sms, const std::string& code) {
    const auto a = store::find_kept_case(by_ussd.db(), code);
    const auto b = store::find_kept_case(by_sms.db(), code);
    ASSERT_TRUE(a) << code;
    ASSERT_TRUE(b) << code;
    EXPECT_EQ(a->site, b->site);
    EXPECT_EQ(a->sex, b->sex);
    EXPECT_EQ(a->age_min, b->age_min);
    EXPECT_EQ(a->age_max, b->age_max);
    EXPECT_EQ(a->work, b->work);
    EXPECT_EQ(a->risk_reason, b->risk_reason);
    EXPECT_EQ(a->hazards, b->hazards);
    EXPECT_EQ(a->opened_form, b->opened_form);
    EXPECT_EQ(a->life.state, b->life.state);
    EXPECT_EQ(a->life.goal, b->life.goal);
    EXPECT_EQ(a->opened_by, b->opened_by);
}

} // namespace

TEST(ussd_desk, a_whole_dialogue_creates_the_case_the_matching_sms_creates) {
    struct row {
        std::vector<std::string> inputs;
        std::string sms;
    };
    const std::vector<row> rows = {
        {{"1", "1", "2", "1", "12", "1", "2", "1"}, "ID ALT 2B 12 MINE SHAFT"},
        {{"2", "9", "ULT", "3", "3", "1", "4", "1", "1"}, "RISK ULT 1B2G 4 DROP"},
    };
    for (const auto& r : rows) {
        SCOPED_TRACE(r.sms);
        running_gateway by_ussd("ussd-case");
        const std::string end = dialogue(by_ussd, "S-" + r.sms.substr(0, 2), volunteer, r.inputs);
        EXPECT_TRUE(end.starts_with("END Sent. Cases ")) << end;
        const auto ms = messages(by_ussd);
        ASSERT_EQ(ms.size(), 1u);
        EXPECT_EQ(ms[0].kind, store::message_kind::ussd);
        EXPECT_EQ(ms[0].channel, "generic");
        EXPECT_EQ(ms[0].text, r.sms);
        EXPECT_EQ(ms[0].status, store::message_status::accepted);
        ASSERT_TRUE(ms[0].dialogue);
        EXPECT_TRUE(ms[0].dialogue->starts_with("top:")) << *ms[0].dialogue;
        // `kharuul export --what messages` carries the dialogue beside the equivalent SMS.
        EXPECT_EQ(gateway::message_row(ms[0]).at("dialogue").as_string(), *ms[0].dialogue);

        running_gateway by_sms("ussd-sms");
        const auto reply = by_sms.send(volunteer, r.sms);
        EXPECT_EQ(reply.at("status").as_string(), "accepted");
        const std::string code = parser::make_case_code(10000);
        expect_same_case(by_ussd, by_sms, code);
        // The session's row points at the message.
        const auto sessions = store::ussd_sessions_ended(by_ussd.db(), {});
        ASSERT_EQ(sessions.size(), 1u);
        EXPECT_EQ(sessions[0].outcome, "completed");
        EXPECT_EQ(sessions[0].message_id, ms[0].id);
    }
}

TEST(ussd_desk, a_dropped_session_is_offered_again_and_resumed) {
    running_gateway g("ussd-resume");
    EXPECT_TRUE(dialogue(g, "D1", volunteer, {"1", "1", "2"}).starts_with("CON Sex:"));
    const auto ended = kt::http_post(g.port(), "/channels/generic/ussd/end?secret=demo-secret",
                                          "session_id=D1&status=incomplete");
    EXPECT_EQ(ended.status, 200) << ended.body;
    g.advance(std::chrono::minutes(3));
    const auto offer = ussd_step(g, "D2", volunteer, "");
    EXPECT_EQ(offer.body, "CON Continue your report at step 4?\n1 Yes\n2 Start again");
    EXPECT_TRUE(ussd_step(g, "D2", volunteer, "1").body.starts_with("CON Sex:"));
    std::string last;
    for (const char* in : {"1", "12", "1", "2", "1"})
        last = ussd_step(g, "D2", volunteer, in).body;
    EXPECT_TRUE(last.starts_with("END Sent. Cases")) << last;
    const auto ms = messages(g);
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].text, "ID ALT 2B 12 MINE SHAFT");
    const auto sessions = store::ussd_sessions_ended(g.db(), {});
    ASSERT_EQ(sessions.size(), 2u);
    EXPECT_EQ(sessions[0].session_id, "D1");
    EXPECT_EQ(sessions[0].outcome, "abandoned");
    EXPECT_EQ(sessions[0].why, "dropped");
    EXPECT_EQ(sessions[0].step_name, "sex");
    EXPECT_EQ(sessions[1].resumed_from, "D1");
    // Resumed: not counted as abandoned.
    EXPECT_TRUE(store::abandoned_ussd_steps(g.db(), store::timestamp{}, store::timestamp::max()).empty());
}

TEST(ussd_desk, a_timed_out_session_is_listed_in_ussd_abandoned_by_step) {
    running_gateway g("ussd-timeout");
    EXPECT_EQ(dialogue(g, "T1", volunteer, {"4"}), "CON Case number:");
    g.advance(std::chrono::seconds(121));
    ASSERT_TRUE(eventually([&] { return !store::ussd_sessions_ended(g.db(), {}).empty(); }));
    const auto sessions = store::ussd_sessions_ended(g.db(), {});
    EXPECT_EQ(sessions[0].why, "timed_out");
    cases::report_input in = store::load_report_input(g.db(), store::timestamp{}, store::timestamp::max());
    const auto rows = cases::compute_report(in);
    const auto it = std::find_if(rows.begin(), rows.end(), [](const cases::report_row& r) {
        return r.indicator == "ussd_abandoned";
    });
    ASSERT_NE(it, rows.end());
    ASSERT_EQ(it->dims.size(), 1u);
    EXPECT_EQ(it->dims[0].name, "step");
    EXPECT_EQ(it->dims[0].text, "TR/case_code");
    EXPECT_EQ(it->value, 1);
    EXPECT_TRUE(messages(g).empty()); // no report recorded
}

TEST(ussd_desk, an_unregistered_number_is_told_how_to_register) {
    running_gateway g("ussd-stranger");
    const auto r = ussd_step(g, "U1", "+97699000999", "");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "END This number is not registered. Ask your coordinator to register it, then dial *500# again.");
    EXPECT_TRUE(messages(g).empty());
}

TEST(ussd_desk, a_request_without_the_secret_or_a_session_id_is_refused) {
    running_gateway g("ussd-refused");
    EXPECT_EQ(kt::http_post(g.port(), "/channels/generic/ussd", "session_id=A&from=%2B97699000002&text=").status,
              401);
    EXPECT_EQ(kt::http_post(g.port(), "/channels/generic/ussd?secret=demo-secret", "from=%2B97699000002").status,
              400);
}

TEST(ussd_desk, a_store_that_cannot_write_answers_503_and_stores_nothing) {
    running_gateway g("ussd-readonly");
    g.stop();
    g.start(true);
    EXPECT_TRUE(dialogue(g, "R1", volunteer, {"3"}).starts_with("CON Site:"));
    const auto r = ussd_step(g, "R1", volunteer, "1");
    EXPECT_EQ(r.status, 503) << r.body;
    g.stop();
    g.start(false);
    EXPECT_TRUE(messages(g).empty());
}

namespace {

// One step the way Africa's Talking's servers send it: `text` is every input so far joined with
// '*', empty on the first request (docs/africastalking.md).
kt::http_reply at_step(running_gateway& g, const std::string& session, const std::string& from,
                       const std::vector<std::string>& inputs) {
    std::string text;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        text += (i == 0 ? "" : "*") + inputs[i];
    const std::string body = "sessionId=" + kt::form_encode(session) + "&serviceCode=" + kt::form_encode("*500#") +
                             "&phoneNumber=" + kt::form_encode(from) + "&networkCode=42899&text=" +
                             kt::form_encode(text);
    return kt::http_post(g.port(), "/channels/africastalking/ussd?secret=demo-at-secret", body);
}

} // namespace

TEST(ussd_desk, an_africastalking_dialogue_dropped_and_resumed_creates_the_case_the_matching_sms_creates) {
    running_gateway by_ussd("ussd-at");
    // The first session reaches "Sex" (site 1, two children), then the network drops it and their
    // end-of-session notification says so.
    std::vector<std::string> typed;
    EXPECT_TRUE(at_step(by_ussd, "ATUid_1", volunteer, typed).body.starts_with("CON "));
    for (const char* in : {"1", "1", "2"}) {
        typed.push_back(in);
        const auto r = at_step(by_ussd, "ATUid_1", volunteer, typed);
        EXPECT_EQ(r.status, 200) << r.body;
    }
    EXPECT_TRUE(at_step(by_ussd, "ATUid_1", volunteer, typed).body.starts_with("CON Sex:")) << "a repeated step";
    const auto ended = kt::http_post(by_ussd.port(), "/channels/africastalking/ussd/end?secret=demo-at-secret",
                                     "sessionId=ATUid_1&phoneNumber=%2B97699000002&serviceCode=*500%23"
                                     "&networkCode=42899&status=Incomplete&input=2&durationInMillis=41000");
    EXPECT_EQ(ended.status, 200) << ended.body;
    by_ussd.advance(std::chrono::minutes(4));

    // Dialling again: the offer, "1 Yes", then the rest, the whole history in every `text`.
    std::vector<std::string> again;
    EXPECT_EQ(at_step(by_ussd, "ATUid_2", volunteer, again).body,
              "CON Continue your report at step 4?\n1 Yes\n2 Start again");
    std::string last;
    for (const char* in : {"1", "1", "12", "1", "2", "1"}) {
        again.push_back(in);
        last = at_step(by_ussd, "ATUid_2", volunteer, again).body;
    }
    EXPECT_TRUE(last.starts_with("END Sent. Cases ")) << last;
    // Their retry of the last step gets the same END and stores nothing twice.
    EXPECT_EQ(at_step(by_ussd, "ATUid_2", volunteer, again).body, last);
    const auto ms = messages(by_ussd);
    ASSERT_EQ(ms.size(), 1u);
    EXPECT_EQ(ms[0].kind, store::message_kind::ussd);
    EXPECT_EQ(ms[0].channel, "africastalking");
    EXPECT_EQ(ms[0].text, "ID ALT 2B 12 MINE SHAFT");

    running_gateway by_sms("ussd-at-sms");
    EXPECT_EQ(by_sms.send(volunteer, "ID ALT 2B 12 MINE SHAFT").at("status").as_string(), "accepted");
    const std::string code = parser::make_case_code(10000);
    expect_same_case(by_ussd, by_sms, code);
    const auto second = store::find_kept_case(by_ussd.db(), parser::make_case_code(10001));
    ASSERT_TRUE(second) << "two boys: two cases";

    // Their notice for the completed session is kept on its row, as the first one's was.
    const auto success = kt::http_post(by_ussd.port(), "/channels/africastalking/ussd/end?secret=demo-at-secret",
                                       "sessionId=ATUid_2&phoneNumber=%2B97699000002&serviceCode=*500%23"
                                       "&networkCode=42899&status=Success&durationInMillis=52000");
    EXPECT_EQ(success.status, 200) << success.body;
    const auto sessions = store::ussd_sessions_ended(by_ussd.db(), {});
    ASSERT_EQ(sessions.size(), 2u);
    EXPECT_EQ(sessions[0].session_id, "ATUid_1");
    EXPECT_EQ(sessions[0].outcome, "abandoned");
    EXPECT_EQ(sessions[0].step_name, "sex");
    EXPECT_EQ(sessions[0].provider_end, "incomplete");
    EXPECT_EQ(sessions[1].resumed_from, "ATUid_1");
    EXPECT_EQ(sessions[1].provider_end, "completed");
    EXPECT_EQ(sessions[1].message_id, ms[0].id);
    EXPECT_TRUE(store::abandoned_ussd_steps(by_ussd.db(), store::timestamp{}, store::timestamp::max()).empty());
}

// A provider's retry of the last step after the session left the table (or while the first copy
// was still being stored) takes the dialogue in again: the intake sees the repeat and stores
// nothing, and the END screen still names the cases the first one opened.
TEST(ussd_desk, a_completed_dialogue_taken_in_again_is_answered_with_the_cases_it_opened) {
    const auto dir = kt::fresh_dir("ussd-retake");
    const config::gateway_config cfg = kt::demo_config(dir);
    const store::timestamp t0{std::chrono::milliseconds{1'790'000'000'000}};
    store::connection db = store::open_database(dir / "kharuul.db");
    ASSERT_TRUE(store::sync_registry(db, gateway::registry_snapshot_of(cfg), t0));
    gateway::daemon_detail::synced_registry held;
    held.changes.active_sites = cfg.site_codes();
    const auto rt = gateway::daemon_detail::routing_of(cfg, held);

    ussd::held_session s;
    s.channel = "africastalking";
    s.session_id = "ATUid_9";
    s.phone = volunteer;
    s.profile = gateway::ussd_profile_of(db, volunteer, "*500#");
    const std::vector<std::string> inputs{"1", "1", "2", "1", "12", "1", "2", "1"};
    const auto state = ussd::run_dialogue(cfg.ussd.menu, *rt->lex, s.profile, {}, inputs);
    ASSERT_EQ(state.what, ussd::dialogue_state::kind::completed);
    const auto first = gateway::take_in_dialogue(db, s, *state.report, s.channel, "ussd:ATUid_9", "*500#", *rt,
                                                 cfg.ussd.menu, t0);
    const auto again = gateway::take_in_dialogue(db, s, *state.report, s.channel, "ussd:ATUid_9", "*500#", *rt,
                                                 cfg.ussd.menu, t0 + std::chrono::seconds(40));
    EXPECT_FALSE(first.out.repeat);
    EXPECT_TRUE(again.out.repeat);
    EXPECT_EQ(again.out.message_id, first.out.message_id);
    ASSERT_EQ(first.out.case_codes.size(), 2u);
    EXPECT_EQ(again.out.case_codes, first.out.case_codes);
    EXPECT_EQ(again.out.alert, first.out.alert);
    EXPECT_EQ(again.end_text, first.end_text);
    EXPECT_NE(first.end_text.find(first.out.case_codes[1]), std::string::npos) << first.end_text;
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM messages").getInt(), 1);
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM ussd_sessions").getInt(), 1);
}
