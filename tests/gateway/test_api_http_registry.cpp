// The registry through the API over HTTP, on a real daemon (api_http_season.hpp): each kind of
// record created, read, changed, patched and removed, conflicts and bad input refused; a site and
// a reporter created through the API work for the next SMS without a restart, and a removed site
// stops working; the figures of `kharuul report --format json` and of /api/v1/report are the
// same on one store; sessions, refusals and the document itself.
#include "gateway/openapi.hpp"
#include "tests/gateway/api_http_season.hpp"
#include "tests/support/run_binary.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace kharuul::testing {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Creates, reads, replaces, patches and removes one record; what GET shows after each step.
struct registry_round {
    std::string list;   // "/api/v1/sites"
    std::string item;   // "/api/v1/sites/RND"
    json::object create, replace, patch;
    std::string key, patched; // patch sets `key` to `patched`
};

std::string status_of(const json::object& reply) {
    return reply.contains("status") ? std::string(reply.at("status").as_string()) : std::string();
}

} // namespace

void check_registry_round(api_season& s) {
    const caller who = caller::coordinator;
    const json::array members{json::object{{"phone", "+97699000160"}, {"name", "Round leader"}, {"role", "leader"}, {"lang", "en"}}};
    const std::vector<registry_round> rounds{
        {"/api/v1/sites", "/api/v1/sites/RND",
         {{"code", "RND"}, {"name", "Round market"}, {"kind", "market"}, {"area", "Ulaanbaatar/Nalaikh"}},
         {{"name", "Round market 2"}, {"kind", "market"}, {"area", "Ulaanbaatar/Nalaikh"}},
         {{"name", "Round market 3"}}, "name", "Round market 3"},
        {"/api/v1/teams", "/api/v1/teams/Round%20team",
         {{"name", "Round team"}, {"areas", json::array{"Ulaanbaatar/Nalaikh"}}, {"members", members}},
         {{"areas", json::array{"Ulaanbaatar/Nalaikh"}}, {"sensitive_cases", false}, {"members", members}},
         {{"sensitive_cases", true}}, "sensitive_cases", "true"},
        {"/api/v1/coordinators", "/api/v1/coordinators/%2B97699000260",
         {{"phone", "+97699000260"}, {"name", "Round coordinator"}, {"lang", "en"}},
         {{"name", "Round coordinator 2"}, {"lang", "mn"}},
         {{"lang", "en"}}, "lang", "en"},
        {"/api/v1/reporters", "/api/v1/reporters/%2B97699000060",
         {{"phone", "+97699000060"}, {"name", "Round reporter"}, {"sites", json::array{"ALT"}}},
         {{"name", "Round reporter 2"}, {"sites", json::array{"ALT"}}, {"kind", "teacher"}},
         {{"name", "Round reporter 3"}}, "name", "Round reporter 3"},
    };
    for (const auto& r : rounds) {
        SCOPED_TRACE(r.item);
        const auto made = s.send_json(http::verb::post, r.list, who, r.create);
        EXPECT_EQ(made.status, 201) << made.body;
        EXPECT_EQ(s.send_json(http::verb::post, r.list, who, r.create).status, 409) << "the same record twice";
        const auto got = s.get_json(r.item, caller::admin);
        if (made.status == 201 && got.is_object()) {
            EXPECT_EQ(json::parse(made.body), got) << "a create answers the record as GET shows it";
        }
        const auto replaced = s.send_json(http::verb::put, r.item, who, r.replace);
        EXPECT_EQ(replaced.status, 200) << replaced.body;
        const auto patched = s.send_json(http::verb::patch, r.item, who, r.patch);
        EXPECT_EQ(patched.status, 200) << patched.body;
        const auto now = s.get_json(r.item, caller::admin);
        if (now.is_object()) {
            const auto& v = now.at(r.key);
            EXPECT_EQ(v.is_string() ? std::string(v.as_string()) : json::serialize(v), r.patched);
        }
        const auto removed = s.call(http::verb::delete_, r.item, who);
        EXPECT_EQ(removed.status, 200) << removed.body;
        EXPECT_EQ(s.send_json(http::verb::post, r.list, caller::bayan_ovoo, r.create).status, 403)
            << "a team changes nothing";
    }
    // Bad input is 400 and names the field.
    const auto bad = s.send_json(http::verb::post, "/api/v1/sites", who, json::object{{"code", "x"}, {"area", "Nowhere"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("code"), std::string::npos) << bad.body;
    EXPECT_EQ(s.send_json(http::verb::put, "/api/v1/sites/NOPE", who, json::object{{"name", "x"}}).status, 404);
}

void check_registry_takes_effect(api_season& s) {
    running_gateway& g = s.gateway();
    const std::string newcomer = "+97699000050";
    g.advance(1min);
    EXPECT_EQ(status_of(g.send(volunteer_alt, "ID NEWS 1B 11 MINE")), "rejected") << "no site NEWS yet";
    const auto site = s.send_json(http::verb::post, "/api/v1/sites", caller::coordinator,
                                  json::object{{"code", "NEWS"}, {"name", "New gold pit"}, {"kind", "mine"},
                                               {"area", "Bayankhongor/Bayan-Ovoo"}});
    ASSERT_EQ(site.status, 201) << site.body;
    const auto reporter = s.send_json(http::verb::post, "/api/v1/reporters", caller::coordinator,
                                      json::object{{"phone", newcomer}, {"name", "Volunteer NEWS"}, {"sites", json::array{"NEWS"}}});
    ASSERT_EQ(reporter.status, 201) << reporter.body;
    // The next SMS, without a restart: accepted, a case at the new site, an alert to the team
    // whose area it lies in, which sees both.
    g.advance(1min);
    const auto accepted = g.send(newcomer, "ID NEWS 1B 11 MINE");
    EXPECT_EQ(status_of(accepted), "accepted") << json::serialize(accepted);
    const auto cases = s.get_json("/api/v1/cases?site=NEWS", caller::bayan_ovoo);
    ASSERT_TRUE(cases.is_object());
    EXPECT_EQ(cases.at("cases").as_array().size(), 1u);
    const auto alerts = s.get_json("/api/v1/alerts?site=NEWS", caller::bayan_ovoo);
    ASSERT_TRUE(alerts.is_object());
    EXPECT_EQ(alerts.at("alerts").as_array().size(), 1u);
    // Removed: the site is inactive at once, and the next report naming it is refused.
    const auto removed = s.call(http::verb::delete_, "/api/v1/sites/NEWS", caller::coordinator);
    ASSERT_EQ(removed.status, 200) << removed.body;
    EXPECT_EQ(json::parse(removed.body).at("active"), false);
    g.advance(1min);
    EXPECT_EQ(status_of(g.send(newcomer, "ID NEWS 2G 13 MINE")), "rejected");
    // The writes are in the audit log under the token's label.
    const auto audit = s.get_json("/api/v1/audit?actor=coordinator-1&limit=1000", caller::admin);
    ASSERT_TRUE(audit.is_object());
    std::set<std::string> seen;
    for (const auto& a : audit.at("audit").as_array())
        seen.insert(std::string(a.at("action").as_string()) + " " + std::string(a.at("object").as_string()));
    EXPECT_TRUE(seen.count("create site NEWS")) << json::serialize(audit);
    EXPECT_TRUE(seen.count("delete site NEWS")) << json::serialize(audit);
}

void check_report_as_the_cli(api_season& s) {
    const std::vector<std::vector<std::string>> variants{
        {},
        {"area", "Bayankhongor/Bayan-Ovoo"},
        {"with_corrections", "true"},
    };
    for (const auto& v : variants) {
        std::vector<std::string> args{"report", "--config", s.config_file().string(), "--from", season_from,
                                      "--until", season_until, "--format", "json"};
        std::string target = "/api/v1/report?from=" + season_from + "&until=" + season_until;
        if (!v.empty()) {
            target += "&" + v[0] + "=" + v[1];
            args.push_back(v[0] == "area" ? "--area" : "--with-corrections");
            if (v[0] == "area")
                args.push_back(v[1]);
        }
        SCOPED_TRACE(target);
        const auto cli = run_kharuul(args);
        ASSERT_EQ(cli.status, 0) << cli.out;
        const auto api = s.get(target, caller::admin);
        ASSERT_EQ(api.status, 200) << api.body;
        EXPECT_EQ(json::parse(api.body), json::parse(cli.out)) << "the same figures";
        std::string cli_text = cli.out;
        while (!cli_text.empty() && cli_text.back() == '\n')
            cli_text.pop_back();
        EXPECT_EQ(api.body, cli_text) << "byte for byte";
        EXPECT_FALSE(json::parse(api.body).at("rows").as_array().empty());
    }
}

void check_sessions_and_refusals(api_season& s) {
    // A session: sign in, read with the cookie, a write needs the CSRF header, sign out.
    const auto in = s.send_json(http::verb::post, "/api/v1/session", caller::nobody,
                                json::object{{"token", s.token(caller::coordinator)}});
    ASSERT_EQ(in.status, 200) << in.body;
    const std::string cookie = in.header("set-cookie").substr(0, in.header("set-cookie").find(';'));
    const std::string csrf(json::parse(in.body).at("csrf").as_string());
    EXPECT_EQ(s.call(http::verb::get, "/api/v1/session", caller::nobody, {}, {{"Cookie", cookie}}).status, 200);
    const std::string rename = R"({"name": "Altan-Us gold mine"})";
    EXPECT_EQ(s.call(http::verb::patch, "/api/v1/sites/ALT", caller::nobody, rename, {{"Cookie", cookie}}).status, 403);
    EXPECT_EQ(s.call(http::verb::patch, "/api/v1/sites/ALT", caller::nobody, rename,
                     {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
                  .status,
              200);
    EXPECT_EQ(s.call(http::verb::delete_, "/api/v1/session", caller::nobody, {}, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})
                  .status,
              204);
    EXPECT_EQ(s.call(http::verb::get, "/api/v1/session", caller::nobody, {}, {{"Cookie", cookie}}).status, 401);
    // A token that is not one.
    const auto wrong = s.call(http::verb::get, "/api/v1/cases", caller::nobody, {},
                              {{"Authorization", "Bearer khr_not-a-token"}});
    EXPECT_EQ(wrong.status, 401);
    // A method a path does not have: 405 naming those it has.
    for (const auto& [method, target] : std::vector<std::pair<http::verb, std::string>>{
             {http::verb::patch, "/api/v1/messages"}, {http::verb::delete_, "/api/v1/cases/" + s.alt_case},
             {http::verb::put, "/api/v1/sites"}, {http::verb::post, "/api/v1/report"}}) {
        const auto r = s.call(method, target, caller::admin);
        EXPECT_EQ(r.status, 405) << http::to_string(method) << " " << target << ": " << r.body;
        EXPECT_FALSE(r.header("allow").empty()) << http::to_string(method) << " " << target;
    }
    // Bad parameters: 400 naming the parameter.
    for (const auto& [target, named] : std::vector<std::pair<std::string, std::string>>{
             {"/api/v1/messages?limit=many", "limit"},
             {"/api/v1/cases?state=asleep", "state"},
             {"/api/v1/alerts?since=yesterdayish", "since"},
             {"/api/v1/report?until=" + season_until, "from"}}) {
        const auto r = s.get(target, caller::admin);
        EXPECT_EQ(r.status, 400) << target << ": " << r.body;
        EXPECT_NE(r.body.find(named), std::string::npos) << target << ": " << r.body;
    }
    // The document itself, with no token: exactly the one compiled in.
    const auto doc = s.get("/api/v1/openapi.json", caller::nobody);
    EXPECT_EQ(doc.status, 200);
    EXPECT_EQ(doc.body, gateway::openapi_document());
    EXPECT_EQ(doc.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(doc.header("cache-control"), "no-store");
}

namespace {

TEST(api_http, each_kind_of_registry_record_is_created_read_changed_and_removed_by_a_coordinator_only) {
    api_season s("api-http-registry");
    check_registry_round(s);
}

TEST(api_http, a_site_and_reporter_created_through_the_api_work_for_the_next_sms_without_a_restart) {
    api_season s("api-http-effect");
    check_registry_takes_effect(s);
}

TEST(api_http, the_report_of_the_api_is_the_report_of_the_command_line_on_one_store) {
    api_season s("api-http-report");
    check_report_as_the_cli(s);
}

TEST(api_http, sessions_wrong_tokens_wrong_methods_and_bad_parameters_get_their_documented_answers) {
    api_season s("api-http-refusals");
    check_sessions_and_refusals(s);
}

} // namespace
} // namespace kharuul::testing
