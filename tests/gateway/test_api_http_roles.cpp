// Every role against every endpoint of /api/v1 over HTTP, on a real daemon with a season of real
// messages (api_http_season.hpp): the table of endpoint x role -> status, a team's scoping on
// lists, single records, figures and CSV, the viewer's suppressed report, and sensitive cases
// hidden from whom may not see them and audited when read.
#include "tests/gateway/api_http_season.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <array>
#include <set>

namespace kharuul::testing {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

// The expected status for admin, coordinator, team Bayan-Ovoo, team Bayanzurkh, team MDT, viewer
// and no token, in that order (every_caller).
using statuses = std::array<int, 7>;
constexpr statuses records{200, 200, 200, 200, 200, 403, 401};  // what every team may read
constexpr statuses everyone{200, 200, 200, 200, 200, 200, 401}; // the session, the figures
constexpr statuses administrators{200, 200, 403, 403, 403, 403, 401};

struct row {
    http::verb method;
    std::string target;
    statuses expected;
    std::string body = {}; // "{code}" is replaced by a code of the caller's own (creates)
};

std::string replaced(std::string text, const std::string& what, const std::string& with) {
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
        text.replace(at, what.size(), with);
    return text;
}

std::set<std::string> field_values(const json::value& list, std::string_view name, std::string_view field) {
    std::set<std::string> out;
    if (!list.is_object() || !list.as_object().contains(name))
        return {"(no list)"};
    for (const auto& r : list.at(name).as_array()) {
        const auto& v = r.at(field);
        out.insert(v.is_null() ? std::string("null") : v.is_string() ? std::string(v.as_string()) : json::serialize(v));
    }
    return out;
}

} // namespace

void check_role_table(api_season& s) {
    const std::string period = "from=" + season_from + "&until=" + season_until;
    const std::vector<row> table{
        {http::verb::get, "/api/v1/session", everyone},
        {http::verb::get, "/api/v1/messages", records},
        {http::verb::get, "/api/v1/messages?format=csv", records},
        {http::verb::get, "/api/v1/messages?after=0&wait=0", records},
        {http::verb::get, "/api/v1/events", records},
        {http::verb::get, "/api/v1/events?format=csv", records},
        {http::verb::get, "/api/v1/cases", records},
        {http::verb::get, "/api/v1/cases?format=csv", records},
        {http::verb::get, "/api/v1/cases/" + s.alt_case, {200, 200, 200, 404, 404, 403, 401}},
        {http::verb::get, "/api/v1/cases/" + s.ult_case, {200, 200, 404, 404, 404, 403, 401}},
        {http::verb::get, "/api/v1/cases/" + s.sex_case, {200, 200, 404, 404, 200, 403, 401}},
        {http::verb::get, "/api/v1/alerts", records},
        {http::verb::get, "/api/v1/alerts?format=csv", records},
        {http::verb::get, "/api/v1/alerts/" + std::to_string(s.alt_alert), {200, 200, 200, 404, 404, 403, 401}},
        {http::verb::get, "/api/v1/alerts/" + std::to_string(s.sex_alert), {200, 200, 404, 404, 200, 403, 401}},
        {http::verb::get, "/api/v1/outbox", records},
        {http::verb::get, "/api/v1/outbox?format=csv", records},
        {http::verb::get, "/api/v1/report?" + period, everyone},
        {http::verb::get, "/api/v1/report?" + period + "&explain=r1", {200, 200, 200, 200, 200, 403, 401}},
        {http::verb::get, "/api/v1/sites", records},
        {http::verb::get, "/api/v1/sites/ALT", {200, 200, 200, 404, 404, 403, 401}},
        {http::verb::get, "/api/v1/teams", records},
        {http::verb::get, "/api/v1/coordinators", records},
        {http::verb::get, "/api/v1/reporters", records},
        {http::verb::post, "/api/v1/sites", {201, 201, 403, 403, 403, 403, 401},
         R"({"code": "{code}", "name": "A new market", "kind": "market", "area": "Ulaanbaatar/Nalaikh"})"},
        {http::verb::get, "/api/v1/audit", administrators},
        {http::verb::get, "/api/v1/openapi.json", {200, 200, 200, 200, 200, 200, 200}},
    };
    const std::array<std::string, 7> own_code{"NEWA", "NEWC", "NEWT", "NEWU", "NEWM", "NEWV", "NEWN"};
    for (const auto& r : table)
        for (std::size_t i = 0; i < std::size(every_caller); ++i) {
            const caller who = every_caller[i];
            const auto answer = s.call(r.method, r.target, who, replaced(r.body, "{code}", own_code[i]));
            EXPECT_EQ(answer.status, r.expected[i])
                << http::to_string(r.method) << " " << r.target << " as " << to_string(who) << ": " << answer.body;
            if (answer.status == 401) {
                EXPECT_EQ(answer.header("www-authenticate"), R"(Bearer realm="kharuul")") << r.target;
            }
            if (answer.status >= 400) {
                json::error_code ec;
                const auto body = json::parse(answer.body, ec);
                EXPECT_TRUE(!ec && body.is_object() && body.as_object().contains("error"))
                    << r.target << " as " << to_string(who) << ": " << answer.body;
            }
        }
}

void check_team_scoping(api_season& s) {
    const caller team = caller::bayan_ovoo;
    // Lists: only the team's own area (ALT is its one site).
    const auto cases = s.get_json("/api/v1/cases", team);
    ASSERT_TRUE(cases.is_object());
    EXPECT_EQ(field_values(cases, "cases", "site"), std::set<std::string>{"ALT"});
    EXPECT_EQ(field_values(cases, "cases", "area"), std::set<std::string>{"Bayankhongor/Bayan-Ovoo"});
    const auto codes = field_values(cases, "cases", "code");
    EXPECT_TRUE(codes.count(s.alt_case));
    EXPECT_FALSE(codes.count(s.ult_case));
    EXPECT_FALSE(codes.count(s.sex_case));
    EXPECT_EQ(field_values(s.get_json("/api/v1/alerts", team), "alerts", "site"), std::set<std::string>{"ALT"});
    EXPECT_EQ(field_values(s.get_json("/api/v1/events", team), "events", "site"), std::set<std::string>{"ALT"});
    const auto messages = s.get_json("/api/v1/messages", team);
    ASSERT_TRUE(messages.is_object());
    for (const auto& m : messages.at("messages").as_array())
        if (m.as_object().contains("site") && !m.at("site").is_null()) {
            EXPECT_EQ(m.at("site"), "ALT") << json::serialize(m);
        }
    // Single records outside its areas: 404, as a record that does not exist.
    const auto other = s.get("/api/v1/cases/" + s.ult_case, team);
    EXPECT_EQ(other.status, 404);
    EXPECT_NE(other.body.find("no such case"), std::string::npos) << other.body;
    EXPECT_EQ(s.get("/api/v1/sites/ULT", team).status, 404);
    // A filter naming another area's site is 404 too, not an empty list that says it exists.
    EXPECT_EQ(s.get("/api/v1/cases?site=ULT", team).status, 404);
    // Figures: its own areas only; another area is 404.
    const auto report = s.get_json("/api/v1/report?from=" + season_from + "&until=" + season_until, team);
    ASSERT_TRUE(report.is_object());
    for (const auto& r : report.at("rows").as_array()) {
        const auto& o = r.as_object();
        if (o.contains("site") && !o.at("site").is_null()) {
            EXPECT_EQ(o.at("site"), "ALT") << json::serialize(r);
        }
        if (o.contains("area") && !o.at("area").is_null()) {
            EXPECT_EQ(o.at("area"), "Bayankhongor/Bayan-Ovoo") << json::serialize(r);
        }
        if (o.contains("cases"))
            for (const auto& c : o.at("cases").as_array()) {
                const std::string code(c.as_string());
                EXPECT_TRUE(code != s.ult_case && code != s.sex_case) << json::serialize(r);
            }
    }
    EXPECT_EQ(s.get("/api/v1/report?from=" + season_from + "&until=" + season_until + "&area=Uvurkhangai/Uyanga", team)
                  .status,
              404);
    // Exports: the CSV holds only its own cases too, and is a download.
    const auto csv = s.get("/api/v1/cases?format=csv", team);
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
    EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF")) << "the CSV starts with the BOM";
    EXPECT_NE(csv.body.find(s.alt_case), std::string::npos);
    EXPECT_EQ(csv.body.find(s.ult_case), std::string::npos);
    EXPECT_EQ(csv.body.find(s.sex_case), std::string::npos);
    EXPECT_EQ(s.get("/api/v1/messages?format=csv", team).body.find("ID NRT"), std::string::npos);
}

void check_viewer_report(api_season& s) {
    const std::string period = "from=" + season_from + "&until=" + season_until;
    const auto full = s.get_json("/api/v1/report?" + period, caller::admin);
    const auto seen = s.get_json("/api/v1/report?" + period, caller::viewer);
    ASSERT_TRUE(full.is_object() && seen.is_object());
    const auto& rows = seen.at("rows").as_array();
    // The viewer sees every row, suppressed, but the rows per reporter (they name volunteers).
    std::vector<json::object> expected;
    for (const auto& f : full.at("rows").as_array())
        if (!std::string_view(f.at("indicator").as_string()).starts_with("reporter_"))
            expected.push_back(f.as_object());
    ASSERT_LT(expected.size(), full.at("rows").as_array().size()) << "the season has reporter rows";
    ASSERT_EQ(rows.size(), expected.size());
    int small = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i].as_object();
        const auto& f = expected[i];
        EXPECT_EQ(r.at("id"), f.at("id"));
        EXPECT_EQ(r.at("indicator"), f.at("indicator"));
        for (auto trace : {"cases", "messages", "alerts"})
            EXPECT_FALSE(r.contains(trace)) << "a trace for a viewer: " << json::serialize(r);
        const auto& v = r.at("value");
        if (v.is_string()) {
            EXPECT_EQ(v, "<3");
            ++small;
        } else if (!std::string_view(r.at("indicator").as_string()).starts_with("ack_minutes_")) {
            EXPECT_GE(v.to_number<double>(), 3) << json::serialize(r);
            EXPECT_EQ(v, f.at("value"));
        }
    }
    EXPECT_GT(small, 0) << "a season this small has cells under 3";
    EXPECT_EQ(s.get("/api/v1/report?" + period + "&explain=r1", caller::viewer).status, 403);
    // No traces anywhere else either: the viewer reads no records.
    EXPECT_EQ(s.get("/api/v1/cases/" + s.alt_case, caller::viewer).status, 403);
}

void check_sensitive_cases(api_season& s) {
    auto listed = [&](caller who) { return field_values(s.get_json("/api/v1/cases", who), "cases", "code"); };
    EXPECT_TRUE(listed(caller::admin).count(s.sex_case));
    EXPECT_TRUE(listed(caller::coordinator).count(s.sex_case));
    EXPECT_TRUE(listed(caller::mdt).count(s.sex_case)) << "a team for sensitive cases covering NRT sees it";
    EXPECT_FALSE(listed(caller::bayanzurkh).count(s.sex_case)) << "an ordinary team covering NRT does not";
    auto alert_ids = [&](caller who) { return field_values(s.get_json("/api/v1/alerts", who), "alerts", "id"); };
    EXPECT_TRUE(alert_ids(caller::mdt).count(std::to_string(s.sex_alert)));
    EXPECT_FALSE(alert_ids(caller::bayanzurkh).count(std::to_string(s.sex_alert)));
    const auto messages = s.get_json("/api/v1/messages", caller::bayanzurkh);
    ASSERT_TRUE(messages.is_object());
    for (const auto& m : messages.at("messages").as_array())
        EXPECT_EQ(std::string_view(m.at("text").as_string()).find("SEX"), std::string_view::npos)
            << "the sensitive report's text shown to an ordinary team: " << json::serialize(m);
    // Every read of it is audited with the token's label; a refused one shows nothing to audit.
    ASSERT_EQ(s.get("/api/v1/cases/" + s.sex_case, caller::mdt).status, 200);
    ASSERT_EQ(s.get("/api/v1/cases/" + s.sex_case, caller::bayanzurkh).status, 404);
    const auto audit = s.get_json("/api/v1/audit?actor=ub-mdt&action=read&limit=1000", caller::admin);
    ASSERT_TRUE(audit.is_object());
    EXPECT_TRUE(field_values(audit, "audit", "object").count("case " + s.sex_case)) << json::serialize(audit);
    EXPECT_EQ(field_values(audit, "audit", "role"), std::set<std::string>{"team"});
    const auto refused = s.get_json("/api/v1/audit?actor=bayanzurkh&action=read&limit=1000", caller::admin);
    EXPECT_FALSE(field_values(refused, "audit", "object").count("case " + s.sex_case));
}

namespace {

TEST(api_http, every_role_gets_what_its_role_allows_from_every_endpoint_and_is_refused_the_rest) {
    api_season s("api-http-roles");
    check_role_table(s);
}

TEST(api_http, a_team_sees_only_its_own_areas_in_lists_single_records_figures_and_exports) {
    api_season s("api-http-scoping");
    check_team_scoping(s);
}

TEST(api_http, a_viewer_gets_the_figures_with_every_small_cell_shown_as_under_3_and_no_traces) {
    api_season s("api-http-viewer");
    check_viewer_report(s);
}

TEST(api_http, a_sensitive_case_is_hidden_but_from_whom_may_see_it_and_every_read_is_audited) {
    api_season s("api-http-sensitive");
    check_sensitive_cases(s);
}

} // namespace
} // namespace kharuul::testing

namespace kharuul::testing {
namespace {

TEST(api_http, a_phone_filter_typed_with_an_unencoded_plus_finds_that_number) {
    // curl sends ?phone=+976... as it is typed; form decoding makes the '+' a space.
    api_season s("api-http-plus");
    const auto typed = s.get_json("/api/v1/messages?phone=+97699000001", caller::admin);
    const auto encoded = s.get_json("/api/v1/messages?phone=%2B97699000001", caller::admin);
    ASSERT_TRUE(typed.is_object()) << json::serialize(typed);
    ASSERT_FALSE(encoded.at("messages").as_array().empty());
    EXPECT_EQ(json::serialize(typed), json::serialize(encoded));
}

} // namespace
} // namespace kharuul::testing
