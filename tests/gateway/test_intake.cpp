// Intake as a volunteer and a coordinator meet it (issue 10, items 1, 2, 3 and 6), through the
// real daemon over loopback and a real SQLite file, with the coordinator's commands run by the
// real `kharuul` binary against the daemon's store while it serves: a resend after registering is
// a report and the kept original its duplicate; national numbers are the registered reporters; the
// same report in Latin and in Cyrillic is one report; a child seen working on a closed case is
// answered with what became of the case. Replies are read back and compared in both languages.
#include "store/cases.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/phone_samples.hpp"

#include <boost/json/value_to.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;
using testing::running_gateway;

const std::string volunteer_mn = "+97699000001"; // reports at ALT, replies in Mongolian (demo.toml)
const std::string volunteer_en = "+97699000002"; // reports at ALT, replies in English
const std::string leader = "+97699000101";       // leads the team covering ALT
const std::string kannel_receive = "/channels/kannel/receive?secret=demo-kannel-secret";

std::string reply_of(const json::object& o) { return json::value_to<std::string>(o.at("reply")); }
std::string status_of(const json::object& o) { return json::value_to<std::string>(o.at("status")); }
std::int64_t id_of(const json::object& o) { return o.at("message_id").as_int64(); }

std::int64_t count(running_gateway& g, const std::string& sql) { return g.db().execAndGet(sql).getInt64(); }
std::int64_t case_count(running_gateway& g) { return count(g, "SELECT COUNT(*) FROM cases"); }
std::int64_t alert_count(running_gateway& g) { return count(g, "SELECT COUNT(*) FROM alerts"); }

// The codes of the cases one message opened, in order.
std::vector<std::string> cases_of(running_gateway& g, std::int64_t message_id) {
    SQLite::Statement q(g.db(), "SELECT code FROM cases WHERE opened_message_id = ? ORDER BY serial");
    q.bind(1, message_id);
    std::vector<std::string> codes;
    while (q.executeStep())
        codes.push_back(q.getColumn(0).getString());
    return codes;
}

// The demo configuration with the daemon's store, for the coordinator's commands.
std::string config_for(running_gateway& g) {
    std::ifstream demo(testing::source_dir() / "config" / "demo.toml");
    std::stringstream text;
    text << demo.rdbuf();
    const std::string toml = std::regex_replace(text.str(), std::regex(R"(\npath = "var/kharuul.db")"),
                                                "\npath = \"" + (g.dir() / "kharuul.db").string() + "\"");
    EXPECT_NE(toml, text.str()) << "store.path not found in demo.toml";
    const fs::path path = g.dir() / "kharuul.toml";
    std::ofstream(path) << toml;
    return path.string();
}

using process_result = testing::binary_result; // out: stdout and stderr

// The real binary, as a coordinator runs it beside the daemon.
process_result kharuul(const std::vector<std::string>& args) { return testing::run_kharuul(args, "2>&1"); }


bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

// The replies queued for `phone` through the outbox (a rerun's), oldest first.
std::vector<std::string> queued_replies(running_gateway& g, const std::string& phone) {
    SQLite::Statement q(g.db(), "SELECT text FROM outbox WHERE recipient = ? AND kind = 'reply' ORDER BY id");
    q.bind(1, phone);
    std::vector<std::string> texts;
    while (q.executeStep())
        texts.push_back(q.getColumn(0).getString());
    return texts;
}

// ---- item 1: a resend after registering -------------------------------------------------------

TEST(intake_registration, a_resent_message_after_registration_is_processed_and_the_kept_original_becomes_its_duplicate) {
    running_gateway g("intake-resend");
    const std::string config = config_for(g);
    const std::string newcomer = "+97699000960";
    const auto kept = g.send(newcomer, "ID ALT 2B 12 MINE");
    EXPECT_EQ(status_of(kept), "unregistered");
    EXPECT_EQ(reply_of(kept), "This number is not registered. Ask your coordinator to register it; your message "
                              "is kept and will be processed then.");

    // The coordinator registers the number as the volunteer gave it: national.
    const auto add = kharuul({"reporter", "add", "--config", config, "--phone", "99000960", "--name",
                              "New volunteer", "--sites", "ALT", "--lang", "en"});
    ASSERT_EQ(add.status, 0) << add.out;
    EXPECT_TRUE(contains(add.out, "registered +97699000960")) << add.out;
    EXPECT_TRUE(contains(add.out, "messages kept from this number, oldest first: " + std::to_string(id_of(kept))))
        << add.out;

    // The volunteer, told "not registered", sends the same text again: a report, not a duplicate.
    g.advance(3min);
    const auto resent = g.send(newcomer, "ID ALT 2B 12 MINE");
    EXPECT_EQ(status_of(resent), "accepted");
    const std::vector<std::string> opened = cases_of(g, id_of(resent));
    ASSERT_EQ(opened.size(), 2u);
    EXPECT_TRUE(reply_of(resent).starts_with("ID ok: 2 boys ~12 ")) << reply_of(resent);
    EXPECT_TRUE(contains(reply_of(resent), opened[0] + " " + opened[1])) << reply_of(resent);

    // The kept original run afterwards is the resend's duplicate: no second pair of cases, no reply.
    const auto cases_before = case_count(g);
    const auto rerun = kharuul({"rerun", "--config", config, std::to_string(id_of(kept))});
    ASSERT_EQ(rerun.status, 0) << rerun.out;
    EXPECT_EQ(rerun.out, "message " + std::to_string(id_of(kept)) + ": duplicate, form ID, a duplicate of message " +
                             std::to_string(id_of(resent)) + " (processed already; no reply)\n");
    EXPECT_EQ(case_count(g), cases_before);
    const auto original = store::find_message(g.db(), id_of(kept));
    ASSERT_TRUE(original);
    EXPECT_EQ(original->status, store::message_status::duplicate);
    EXPECT_EQ(original->duplicate_of, id_of(resent));
    EXPECT_TRUE(queued_replies(g, newcomer).empty());
    // And it is not processed a third time.
    EXPECT_EQ(kharuul({"rerun", "--config", config, std::to_string(id_of(kept))}).status, 1);
}

// `reporter add --rerun`: the kept messages in the order they came, each reply in the reporter's
// language through the outbox, a resend among them the duplicate of its original.
TEST(intake_registration, reporter_add_with_rerun_processes_the_kept_messages_in_order_and_says_so) {
    running_gateway g("intake-add-rerun");
    const std::string config = config_for(g);
    struct newcomer {
        std::string phone, typed, lang, nil_reply, id_reply_start;
    };
    const newcomer people[] = {
        {"+97699000961", "9900-0961", "en", "NIL ok: ALT visit recorded.", "ID ok: 1 girl ~13 "},
        {"+97699000962", "099000962", "mn", "NIL OK: ALT үзлэг бүртгэгдлээ.", "ID OK: 1 охин ~13 "},
    };
    for (const auto& p : people) {
        const auto report = g.send(p.phone, "ID ALT 1G 13 MINE");
        g.advance(1min);
        const auto visit = g.send(p.phone, "NIL ALT");
        g.advance(1min);
        const auto resend = g.send(p.phone, "id alt 1g 13 mine"); // the same report, typed again
        for (const auto& o : {report, visit, resend})
            EXPECT_EQ(status_of(o), "unregistered");

        const auto add = kharuul({"reporter", "add", "--config", config, "--phone", p.typed, "--name", "Volunteer",
                                  "--sites", "ALT", "--lang", p.lang, "--rerun"});
        ASSERT_EQ(add.status, 0) << add.out;
        const std::string r = std::to_string(id_of(report)), v = std::to_string(id_of(visit)),
                          d = std::to_string(id_of(resend));
        EXPECT_TRUE(contains(add.out, "processing the 3 messages kept from this number, oldest first:\n"
                                      "message " + r + ": accepted, form ID\n"))
            << add.out;
        EXPECT_TRUE(contains(add.out, "message " + v + ": accepted, form NIL\nreply (" + p.lang + "): " +
                                          p.nil_reply + "\n"))
            << add.out;
        EXPECT_TRUE(contains(add.out, "message " + d + ": duplicate, form ID, a duplicate of message " + r))
            << add.out;
        EXPECT_LT(add.out.find("message " + r + ":"), add.out.find("message " + v + ":"));
        EXPECT_LT(add.out.find("message " + v + ":"), add.out.find("message " + d + ":"));

        EXPECT_EQ(cases_of(g, id_of(report)).size(), 1u);
        EXPECT_TRUE(cases_of(g, id_of(resend)).empty());
        const auto replies = queued_replies(g, p.phone);
        ASSERT_EQ(replies.size(), 2u) << "one reply each, none for the duplicate";
        EXPECT_TRUE(replies[0].starts_with(p.id_reply_start)) << replies[0];
        EXPECT_EQ(replies[1], p.nil_reply);
        EXPECT_EQ(store::find_message(g.db(), id_of(resend))->duplicate_of, id_of(report));
    }
}

// ---- item 2: national numbers -----------------------------------------------------------------

TEST(intake_numbers, a_national_number_is_the_registered_reporter_in_every_dialect_and_language) {
    running_gateway g("intake-national");
    // +97699000002 replies in English, +97699000001 in Mongolian (demo.toml, country_code 976).
    const std::pair<std::string, std::string> generic[] = {
        {"99000002", "NIL ok: ALT visit recorded."},
        {"099000002", "NIL ok: ALT visit recorded."},
        {"9900 0002", "NIL ok: ALT visit recorded."},
        {"0097699000002", "NIL ok: ALT visit recorded."},
        {"99000001", "NIL OK: ALT үзлэг бүртгэгдлээ."},
    };
    for (const auto& [from, reply] : generic) {
        g.advance(11min); // past the duplicate window: each is a visit of its own
        const auto o = g.send(from, "NIL ALT");
        EXPECT_EQ(status_of(o), "accepted") << from;
        EXPECT_EQ(reply_of(o), reply) << from;
        const auto m = store::find_message(g.db(), id_of(o));
        ASSERT_TRUE(m);
        EXPECT_EQ(m->sender, from.ends_with('1') ? volunteer_mn : volunteer_en) << from;
    }
    // Kannel passes the network's digits: the reply is the response body.
    g.advance(11min);
    const auto k = testing::http_get(g.port(), kannel_receive + "&from=99000001&to=500&text=NIL+ALT");
    EXPECT_EQ(k.status, 200) << k.body;
    EXPECT_EQ(k.body, "NIL OK: ALT үзлэг бүртгэгдлээ.");
    EXPECT_EQ(count(g, "SELECT COUNT(*) FROM messages WHERE sender = '+97699000001'"), 2);
    EXPECT_EQ(count(g, "SELECT COUNT(*) FROM messages WHERE sender NOT LIKE '+976%'"), 0);
}

TEST(intake_numbers, reporter_add_takes_every_shape_of_number_the_configuration_does) {
    running_gateway g("intake-add-shapes");
    const std::string config = config_for(g);
    int n = 0;
    for (const auto& s : kharuul::test::typed_phones) {
        if (s.country_code != "976" || s.typed.find_first_of("\r\n") != std::string_view::npos)
            continue; // the demo's country
        const auto r = kharuul({"reporter", "add", "--config", config, "--phone", std::string(s.typed), "--name",
                                "Volunteer " + std::to_string(++n), "--sites", "ALT"});
        const bool fresh = !contains(r.out, "already registered");
        if (s.registrable) {
            EXPECT_TRUE(r.status == 0 || !fresh) << s.typed << ": " << r.out;
            EXPECT_TRUE(store::find_reporter(g.db(), std::string(s.normalised))) << s.typed;
            if (fresh) {
                EXPECT_TRUE(contains(r.out, "registered " + std::string(s.normalised))) << r.out;
            }
        } else {
            EXPECT_EQ(r.status, 1) << s.typed << ": " << r.out;
            EXPECT_TRUE(contains(r.out, "--phone '" + std::string(s.typed) + "' is not a phone number")) << r.out;
        }
    }
    // And the number is known by its national form on the way out too.
    const auto removed = kharuul({"reporter", "remove", "--config", config, "--phone", "88112255"});
    EXPECT_EQ(removed.status, 0) << removed.out;
    EXPECT_TRUE(contains(removed.out, "removed +97688112255")) << removed.out;
}

TEST(intake_numbers, parse_from_a_national_number_replies_in_the_reporters_language) {
    const std::string demo = (testing::source_dir() / "config" / "demo.toml").string();
    const auto mn = kharuul({"parse", "--config", demo, "--from", "99000001", "NIL ALT"});
    EXPECT_EQ(mn.status, 0) << mn.out;
    EXPECT_TRUE(contains(mn.out, "\"reply\":\"NIL OK: ALT үзлэг бүртгэгдлээ.\"")) << mn.out;
    const auto en = kharuul({"parse", "--config", demo, "--from", "9900 0002", "NIL ALT"});
    EXPECT_TRUE(contains(en.out, "\"reply\":\"NIL ok: ALT visit recorded.\"")) << en.out;
}

// ---- item 3: duplicates as understood ---------------------------------------------------------

TEST(intake_duplicates, the_same_report_in_latin_and_cyrillic_within_ten_minutes_is_one_report) {
    running_gateway g("intake-scripts");
    for (const auto& [phone, ok] : {std::pair{volunteer_en, std::string("ID ok: ")}, std::pair{volunteer_mn, std::string("ID OK: ")}}) {
        const auto latin = g.send(phone, "ID ALT 2B 12 MINE");
        EXPECT_EQ(status_of(latin), "accepted");
        EXPECT_TRUE(reply_of(latin).starts_with(ok)) << reply_of(latin);
        const auto cases_before = case_count(g);
        g.advance(4min);
        const auto cyrillic = g.send(phone, "ИД АLТ 2 ХҮҮ 12 MINE");
        EXPECT_EQ(status_of(cyrillic), "duplicate") << reply_of(cyrillic);
        EXPECT_EQ(reply_of(cyrillic), "");
        EXPECT_EQ(case_count(g), cases_before);
        EXPECT_EQ(store::find_message(g.db(), id_of(cyrillic))->duplicate_of, id_of(latin));
        // Another report is none: one more year of age is another child.
        const auto other = g.send(phone, "ID ALT 2B 13 MINE");
        EXPECT_EQ(status_of(other), "accepted");
        g.advance(11min);
    }
    // Past the window the same report is a new one.
    const auto later = g.send(volunteer_en, "ИД АLТ 2 ХҮҮ 12 MINE");
    EXPECT_EQ(status_of(later), "accepted");
}

TEST(intake_duplicates, codes_whose_order_means_nothing_make_one_report_in_either_order) {
    running_gateway g("intake-order");
    const auto report = g.send(volunteer_en, "ID ALT 1B 12 MINE SHAFT MERC");
    ASSERT_EQ(status_of(report), "accepted");
    EXPECT_EQ(status_of(g.send(volunteer_en, "ID ALT 1B 12 MINE MERC SHAFT")), "duplicate");
    const std::string code = cases_of(g, id_of(report)).at(0);
    const auto tr = g.send(volunteer_en, "TR " + code + " NFE STOP");
    ASSERT_EQ(status_of(tr), "accepted");
    const auto again = g.send(volunteer_en, "tr " + code + " stop nfe");
    EXPECT_EQ(status_of(again), "duplicate");
    EXPECT_EQ(reply_of(again), "");
}

// ---- item 6: a child seen working on a closed case --------------------------------------------

// Opens one case per volunteer and takes each to an outcome closed DONE (cases.md 2).
std::vector<std::string> closed_done_cases(running_gateway& g) {
    std::vector<std::string> codes;
    for (const auto& phone : {volunteer_mn, volunteer_en}) {
        const auto report = g.send(phone, "ID ALT 1B 12 MINE");
        EXPECT_EQ(status_of(report), "accepted");
        const std::string code = cases_of(g, id_of(report)).at(0);
        for (const auto& [from, text] : {std::pair{leader, "VER " + code + " OK"}, std::pair{leader, "PLAN " + code + " W WFCL"},
                                         std::pair{phone, "TR " + code + " STOP"}, std::pair{leader, "OUT " + code + " WD"},
                                         std::pair{leader, "CLOSE " + code + " DONE"}}) {
            const auto o = g.send(from, text);
            EXPECT_EQ(status_of(o), "accepted") << text << ": " << reply_of(o);
        }
        codes.push_back(code);
        g.advance(11min);
    }
    return codes;
}

TEST(intake_closed_cases, a_child_seen_working_on_a_case_closed_done_reopens_it_and_the_reply_says_the_team_was_alerted) {
    running_gateway g("intake-reopen");
    const auto codes = closed_done_cases(g);
    const auto alerts_before = alert_count(g);

    const auto mn = g.send(volunteer_mn, "TR " + codes[0] + " WORK");
    EXPECT_EQ(status_of(mn), "accepted");
    const auto mn_alert = std::to_string(alerts_before + 1);
    EXPECT_EQ(reply_of(mn), "TR OK: " + codes[0] + " одоо дахин ажилд. Хэрэг дахин нээгдэв, багт мэдэгдэв #" + mn_alert + ".");

    const auto en = g.send(volunteer_en, "TR " + codes[1] + " WORK");
    EXPECT_EQ(status_of(en), "accepted");
    const auto en_alert = std::to_string(alerts_before + 2);
    EXPECT_EQ(reply_of(en), "TR ok: " + codes[1] + " now working again. The case was closed and is reopened; its "
                            "verified outcome no longer counts; team alerted (#" + en_alert + ").");

    EXPECT_EQ(alert_count(g), alerts_before + 2);
    for (const auto& code : codes) {
        const auto c = store::find_case(g.db(), code);
        ASSERT_TRUE(c);
        EXPECT_EQ(c->life.state, cases::case_state::re_engaged);
        EXPECT_EQ(c->life.result, cases::outcome::none);
    }
}

TEST(intake_closed_cases, a_child_seen_working_on_a_case_closed_moved_or_adult_is_told_what_to_send_instead) {
    running_gateway g("intake-closed");
    std::vector<std::string> codes;
    for (const auto& text : {"ID ALT 2B 12 MINE", "ID ALT 2B 17 MINE"}) {
        const auto report = g.send(volunteer_en, text);
        for (const auto& c : cases_of(g, id_of(report)))
            codes.push_back(c);
    }
    ASSERT_EQ(codes.size(), 4u);
    EXPECT_EQ(status_of(g.send(leader, "CLOSE " + codes[0] + " MOVED")), "accepted");
    EXPECT_EQ(status_of(g.send(leader, "CLOSE " + codes[1] + " MOVED")), "accepted");
    EXPECT_EQ(status_of(g.send(leader, "CLOSE " + codes[2] + " ADULT")), "accepted");
    const auto alerts_before = alert_count(g);

    const auto en = g.send(volunteer_en, "TR " + codes[0] + " WORK");
    EXPECT_EQ(status_of(en), "rejected");
    EXPECT_EQ(reply_of(en), "TR: case " + codes[0] + " was closed (MOVED), so it is not reopened. To report the "
                            "child seen working, send: ID site children age work");
    const auto mn = g.send(volunteer_mn, "TR " + codes[1] + " WORK");
    EXPECT_EQ(status_of(mn), "rejected");
    EXPECT_EQ(reply_of(mn), "TR: " + codes[1] + " хаагдсан (MOVED), нээгдэхгүй. Хүүхдийг ID-ээр мэдээлнэ үү.");
    const auto adult = g.send(volunteer_en, "TR " + codes[2] + " WORK");
    EXPECT_EQ(reply_of(adult), "TR: case " + codes[2] + " was closed (ADULT), so it is not reopened. If the child "
                               "is not an adult, ask a coordinator to undo the CLOSE.");
    // Any other news on a closed case is refused as before.
    EXPECT_EQ(reply_of(g.send(volunteer_en, "TR " + codes[0] + " NFE")), "TR: case " + codes[0] + " is closed; nothing changed.");
    EXPECT_EQ(alert_count(g), alerts_before);
    EXPECT_EQ(store::find_case(g.db(), codes[0])->life.state, cases::case_state::closed);
}

} // namespace
} // namespace kharuul::gateway
