// Routing: the spec's default over real messages (urgent hazards, SEX, plain ID, TR statuses),
// deployment rules layered on top, and the recipients each decision reaches: team members, the
// leader now or on escalation, coordinators, sensitive teams only, uncovered sites, never the
// reporter, never anyone twice.
#include "alerts/routing.hpp"

#include "parser/sms.hpp"
#include "tests/alerts/alerts_samples.hpp"

#include <gtest/gtest.h>

#include <map>

namespace kharuul::alerts {
namespace {

using namespace std::chrono_literals;
using parser::form;

const std::map<std::string, std::string, std::less<>> site_areas{
    {"ALT", "Bayankhongor/Bayan-Ovoo"}, {"ULT", "Bayankhongor/Bayan-Ovoo"},
    {"TSD", "Bayankhongor/Galuut"},     {"DKH", "Ulaanbaatar/Songinokhairkhan"},
    {"NLK", "Ulaanbaatar/Nalaikh"},     {"NRT", "Dornogovi/Zamyn-Uud"},
};

// The trigger the gateway builds from a parsed message; for TR, from the case (site, work).
alert_trigger trigger_of(std::string_view text, std::string case_site = "ALT",
                         std::string case_work = "MINE") {
    auto msg = parser::parse_sms(text, testing::alerts_lexicon());
    EXPECT_TRUE(msg) << text;
    alert_trigger t;
    if (!msg)
        return t;
    t.form = msg->kind;
    t.urgent = msg->urgent;
    t.sensitive = msg->sensitive;
    if (const auto* s = std::get_if<parser::sighting>(&msg->body)) {
        t.site = s->site;
        t.work = s->work;
        t.hazards = s->hazards;
    } else if (const auto* tr = std::get_if<parser::tracking>(&msg->body)) {
        t.site = case_site;
        t.work = case_work;
        t.tracking_status = tr->status;
    } else if (const auto* n = std::get_if<parser::nil_visit>(&msg->body)) {
        t.site = n->site;
    }
    if (auto it = site_areas.find(t.site); it != site_areas.end())
        t.area = it->second;
    return t;
}

struct decision_row {
    std::string_view what;
    std::string_view text;
    routing_decision expected; // alert, urgent, sensitive, tell_leader_now, tell_coordinators_now
    std::string case_work = "MINE";
};

TEST(routing, default_routing_follows_the_spec) {
    const decision_row rows[] = {
        {"plain ID alerts the team only", "ID ALT 2B 12 MINE", {true, false, false, false, false}},
        {"non-urgent hazards stay normal",
         "ID ULT 2B1G 10-12 PAN MERC LOAD",
         {true, false, false, false, false}},
        {"SHAFT is urgent", "ID ALT 2B 12 MINE SHAFT", {true, true, false, true, true}},
        {"HURT is urgent", "ID TSD G 14 CARRY HURT", {true, true, false, true, true}},
        {"ALONE is urgent", "ID DKH 1G 14 TRADE ALONE", {true, true, false, true, true}},
        {"SEX is urgent and sensitive", "ID DKH 1G 15 SEX", {true, true, true, true, true}},
        {"TR WORK alerts, not urgent", "TR 204812 WORK", {true, false, false, false, false}},
        {"TR MISS alerts, not urgent", "tr 204812 miss", {true, false, false, false, false}},
        {"TR SCH does not alert", "TR 204812 SCH", {false, false, false, false, false}},
        {"TR NFE does not alert", "TR 204812 NFE", {false, false, false, false, false}},
        {"NIL does not alert", "NIL ALT", {false, false, false, false, false}},
        {"ACK does not alert", "ACK 17", {false, false, false, false, false}},
        {"TR MISS of a SEX case is sensitive", "TR 204812 MISS", {true, true, true, true, true}, "SEX"},
        {"TR SCH of a SEX case alerts nobody", "TR 204812 SCH", {false, true, true, false, false}, "SEX"},
    };
    for (const auto& r : rows)
        EXPECT_EQ(decide(trigger_of(r.text, "ALT", r.case_work), default_routing()), r.expected) << r.what;
}

TEST(routing, a_deployment_rule_makes_mercury_urgent_in_one_soum_only) {
    routing_rules rules = default_routing();
    routing_rule merc;
    merc.forms = {form::id};
    merc.areas = {"Bayankhongor/Bayan-Ovoo"};
    merc.hazards = {"MERC"};
    merc.urgent = true;
    rules.rules.push_back(merc);
    const decision_row rows[] = {
        {"MERC in the soum", "ID ULT 2B 12 PAN MERC", {true, true, false, true, true}},
        {"MERC among other hazards", "ID ALT 1B 13 PAN LOAD MERC", {true, true, false, true, true}},
        {"MERC in another soum of the aimag", "ID TSD 2B 12 PAN MERC", {true, false, false, false, false}},
        {"no MERC in the soum", "ID ULT 2B 12 PAN LOAD", {true, false, false, false, false}},
    };
    for (const auto& r : rows)
        EXPECT_EQ(decide(trigger_of(r.text), rules), r.expected) << r.what;
}

TEST(routing, later_rules_override_earlier_ones_field_by_field) {
    routing_rules rules = default_routing();
    routing_rule quiet; // a site under a separate programme: no alerts from the gateway
    quiet.sites = {"NLK"};
    quiet.alert = false;
    routing_rule leader_only; // urgent at ALT, but coordinators only on escalation
    leader_only.sites = {"ALT"};
    leader_only.tell_coordinators_now = false;
    rules.rules.push_back(quiet);
    rules.rules.push_back(leader_only);
    EXPECT_EQ(decide(trigger_of("ID NLK 2B 12 SCRAP HURT"), rules),
              (routing_decision{false, true, false, false, false}));
    EXPECT_EQ(decide(trigger_of("ID ALT 2B 12 MINE SHAFT"), rules),
              (routing_decision{true, true, false, true, false}));
    EXPECT_EQ(decide(trigger_of("ID ULT 2B 12 MINE SHAFT"), rules),
              (routing_decision{true, true, false, true, true}));
    // Sensitive alerts tell everyone at once whatever a rule says.
    EXPECT_EQ(decide(trigger_of("ID ALT 1G 15 SEX"), rules),
              (routing_decision{true, true, true, true, true}));
}

TEST(routing, area_covers_only_whole_area_names) {
    EXPECT_TRUE(area_covers("Ulaanbaatar", "Ulaanbaatar/Nalaikh"));
    EXPECT_TRUE(area_covers("Ulaanbaatar/Nalaikh", "Ulaanbaatar/Nalaikh"));
    EXPECT_FALSE(area_covers("Ulaanbaatar", "Ulaanbaatar2/Nalaikh"));
    EXPECT_FALSE(area_covers("Ulaanbaatar/Nalaikh", "Ulaanbaatar"));
    EXPECT_FALSE(area_covers("", "Ulaanbaatar"));
}

// ---- recipients

recipient person(std::string phone, std::string role) {
    return {std::move(phone), "", std::move(role), parser::reply_language::mn, std::nullopt};
}

const std::vector<team_view>& teams() {
    static const std::vector<team_view> t{
        {1,
         "Bayan-Ovoo team",
         false,
         {"Bayankhongor/Bayan-Ovoo"},
         {person("+97699000101", "member"), person("+97699000102", "leader"),
          person("+97699000103", "member")}},
        {2,
         "Bayankhongor aimag team",
         false,
         {"Bayankhongor"},
         {person("+97699000201", "leader"), person("+97699000103", "member")}},
        {3,
         "Ulaanbaatar team",
         false,
         {"Ulaanbaatar"},
         {person("+97699000301", "member"), person("+97699000302", "leader")}},
        {4,
         "Ulaanbaatar MDT",
         true,
         {"Ulaanbaatar"},
         {person("+97699000401", "member"), person("+97699000402", "leader")}},
        {5, "Police children's inspector", true, {"Dornod"}, {person("+97699000501", "member")}},
    };
    return t;
}

const std::vector<recipient>& coordinators() {
    static const std::vector<recipient> c{person("+97699000901", "coordinator"),
                                          person("+97699000902", "coordinator")};
    return c;
}

std::vector<std::string> phones(const std::vector<recipient>& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs)
        out.push_back(r.phone);
    return out;
}

using phone_list = std::vector<std::string>;

TEST(recipients, normal_alert_tells_members_now_leaders_then_coordinators_on_escalation) {
    const auto d = decide(trigger_of("ID ALT 2B 12 MINE"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("ALT"), teams(), coordinators(), "+97699555000");
    EXPECT_EQ(phones(p.now), (phone_list{"+97699000101", "+97699000103"})); // 103 is in two teams: once
    EXPECT_EQ(phones(p.leaders), (phone_list{"+97699000102", "+97699000201"}));
    EXPECT_EQ(phones(p.coordinators), (phone_list{"+97699000901", "+97699000902"}));
    EXPECT_FALSE(p.uncovered);
    EXPECT_EQ(p.now[0].team_id, std::optional<std::int64_t>{1});
    EXPECT_EQ(p.leaders[1].team_id, std::optional<std::int64_t>{2});
}

TEST(recipients, urgent_alert_tells_everyone_at_once) {
    const auto d = decide(trigger_of("ID ALT 2B 12 MINE SHAFT"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("ALT"), teams(), coordinators(), "+97699555000");
    EXPECT_EQ(phones(p.now), (phone_list{"+97699000101", "+97699000102", "+97699000103", "+97699000201",
                                         "+97699000901", "+97699000902"}));
    EXPECT_TRUE(p.leaders.empty());
    EXPECT_TRUE(p.coordinators.empty());
}

TEST(recipients, sensitive_alert_goes_to_sensitive_teams_and_coordinators_only) {
    const auto d = decide(trigger_of("ID DKH 1G 15 SEX"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("DKH"), teams(), coordinators(), "+97699555000");
    EXPECT_EQ(phones(p.now), (phone_list{"+97699000401", "+97699000402", "+97699000901", "+97699000902"}));
    EXPECT_TRUE(p.leaders.empty());
    EXPECT_TRUE(p.coordinators.empty());
    EXPECT_FALSE(p.uncovered);
}

TEST(recipients, sensitive_alert_where_no_sensitive_team_covers_goes_to_all_sensitive_teams) {
    const auto d = decide(trigger_of("ID ALT 1G 15 SEX"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("ALT"), teams(), coordinators(), "+97699555000");
    EXPECT_EQ(phones(p.now),
              (phone_list{"+97699000401", "+97699000402", "+97699000501", "+97699000901", "+97699000902"}));
    EXPECT_TRUE(p.uncovered);
}

TEST(recipients, a_site_no_team_covers_goes_to_the_coordinators_at_once) {
    const auto d = decide(trigger_of("ID NRT 2B 12 COAL"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("NRT"), teams(), coordinators(), "+97699555000");
    EXPECT_EQ(phones(p.now), (phone_list{"+97699000901", "+97699000902"}));
    EXPECT_TRUE(p.leaders.empty());
    EXPECT_TRUE(p.coordinators.empty());
    EXPECT_TRUE(p.uncovered);
}

TEST(recipients, the_reporter_is_never_told_of_their_own_report) {
    for (std::string_view text : {"ID ALT 2B 12 MINE", "ID ALT 2B 12 MINE SHAFT"}) {
        for (std::string reporter : {"+97699000101", "+97699000102", "+97699000901"}) {
            const auto d = decide(trigger_of(text), default_routing());
            const auto p = plan_recipients(d, site_areas.at("ALT"), teams(), coordinators(), reporter);
            for (const auto* list : {&p.now, &p.leaders, &p.coordinators})
                for (const auto& r : *list)
                    EXPECT_NE(r.phone, reporter) << text;
        }
    }
}

TEST(recipients, a_leader_who_is_also_a_coordinator_is_told_once_at_the_earliest_level) {
    std::vector<recipient> coords = coordinators();
    coords.push_back(person("+97699000102", "coordinator")); // also team 1's leader
    const auto d = decide(trigger_of("ID ALT 2B 12 MINE"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("ALT"), teams(), coords, "");
    EXPECT_EQ(phones(p.leaders), (phone_list{"+97699000102", "+97699000201"}));
    EXPECT_EQ(phones(p.coordinators), (phone_list{"+97699000901", "+97699000902"}));
    EXPECT_EQ(p.leaders[0].role, "leader");
}

TEST(recipients, a_report_that_does_not_alert_tells_nobody) {
    const auto d = decide(trigger_of("TR 204812 SCH"), default_routing());
    EXPECT_TRUE(plan_recipients(d, site_areas.at("ALT"), teams(), coordinators(), "").empty());
}

// ---- escalation start and folding

TEST(routing, an_urgent_alert_that_told_everyone_escalates_straight_to_repeating) {
    const escalation_policy policy;
    const auto t0 = testing::day_zero();
    const auto d = decide(trigger_of("ID ALT 2B 12 MINE SHAFT"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("ALT"), teams(), coordinators(), "");
    const auto s = start_escalation(d, p, t0, policy);
    EXPECT_TRUE(s.leaders_told && s.coordinators_told);
    EXPECT_EQ(on_time(s, t0 + 30min, policy).what, escalation_step::action::repeat_all);
}

TEST(routing, a_team_without_leaders_skips_the_leader_step) {
    const escalation_policy policy;
    const auto t0 = testing::day_zero();
    const std::vector<team_view> leaderless{
        {9, "volunteers", false, {"Bayankhongor"}, {person("+97699000111", "member")}}};
    const auto d = decide(trigger_of("ID ALT 2B 12 MINE"), default_routing());
    const auto p = plan_recipients(d, site_areas.at("ALT"), leaderless, coordinators(), "");
    const auto s = start_escalation(d, p, t0, policy);
    EXPECT_EQ(on_time(s, t0 + 12h, policy).what, escalation_step::action::tell_coordinators);
}

TEST(routing, reports_fold_into_an_open_alert_only_when_routed_alike_and_within_the_window) {
    const escalation_policy policy;
    const auto t0 = testing::day_zero();
    const auto normal = decide(trigger_of("ID ALT 2B 12 MINE"), default_routing());
    const auto urgent = decide(trigger_of("ID ALT 2B 12 MINE SHAFT"), default_routing());
    const auto sensitive = decide(trigger_of("ID ALT 1G 15 SEX"), default_routing());
    const auto open_normal = start(false, false, false, t0, policy);
    const auto open_urgent = start(true, true, true, t0, policy);
    const auto window = std::chrono::minutes{15};
    escalation_state given_up = open_normal;
    for (std::chrono::hours h{12}; h <= 72h; h += 12h)
        given_up = on_time(given_up, t0 + h, policy).state;
    ASSERT_EQ(given_up.level, escalation_level::closed);
    struct row {
        const char* what;
        routing_decision alert;
        escalation_state state;
        routing_decision report;
        std::chrono::minutes last_report; // after t0
        std::chrono::minutes after;       // now, after t0
        bool folds;
    } rows[] = {
        {"normal into normal, 14 min later", normal, open_normal, normal, 0min, 14min, true},
        {"normal into normal, 15 min later", normal, open_normal, normal, 0min, 15min, false},
        {"14 min after a folded report, 25 after the first", normal, open_normal, normal, 11min, 25min, true},
        {"normal into urgent", urgent, open_urgent, normal, 0min, 5min, true},
        {"urgent into urgent", urgent, open_urgent, urgent, 0min, 5min, true},
        {"urgent into normal", normal, open_normal, urgent, 0min, 5min, false},
        {"sensitive into sensitive", sensitive, open_urgent, sensitive, 0min, 5min, false},
        {"normal into acknowledged", normal, on_ack(open_normal, t0 + 1min), normal, 0min, 5min, false},
        {"normal into given up", normal, given_up, normal, 72h, 72h + 1min, false},
    };
    for (const auto& r : rows)
        EXPECT_EQ(can_fold(r.alert, r.state, r.report, t0 + r.last_report, t0 + r.after, window), r.folds)
            << r.what;
    // Counted from the opening, a report 25 minutes after it does not fold, whatever came between.
    EXPECT_TRUE(can_fold(normal, open_normal, normal, t0 + 14min, window));
    EXPECT_FALSE(can_fold(normal, open_normal, normal, t0 + 25min, window));
}

} // namespace
} // namespace kharuul::alerts
