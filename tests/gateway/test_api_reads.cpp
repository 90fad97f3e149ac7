// The API's read endpoints (gateway/api_reads.hpp) over a real store file filled through the
// intake (the demo registry, real reports, an alert and its ACK, a sensitive case, a stranger),
// called directly with principals of each role: what each sees and does not see (team scoping on
// lists, single records, figures and CSV; sensitive cases; masked phones; the viewer's report),
// paging without gaps or repeats, bad parameters, and the report identical to the command line's.
#include "gateway/alert_desk.hpp"
#include "gateway/api_reads.hpp"
#include "gateway/export_rows.hpp"
#include "parser/phone.hpp"
#include "store/audit.hpp"
#include "store/cases.hpp"
#include "tests/support/cli_in_process.hpp"
#include "tests/support/intake_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace kharuul::gateway {
namespace {

namespace json = boost::json;
namespace http = boost::beast::http;
using api::principal;
using api::role;

const std::string volunteer_alt = "+97699000001", volunteer_ult = "+97699000003", volunteer_tsd = "+97699000005",
                  monitor_dkh_nrt = "+97699000006", stranger = "+97699000999";
const std::string alt_member = "+97699000102", coordinator1 = "+97699000201";

// 2026-07-01 09:40 in Ulaanbaatar (+08:00), and a minute further per message.
const store::timestamp t0{std::chrono::milliseconds{1'782'870'000'000}};
store::timestamp at(int minutes) { return t0 + std::chrono::minutes{minutes}; }

principal admin() { return {1, "admin-token", role::admin, "", {}, true, "127.0.0.1"}; }
principal coordinator() { return {2, "coordinator-token", role::coordinator, "", {}, true, "127.0.0.1"}; }
principal bayan_ovoo() {
    return {3, "bo-token", role::team, "Bayan-Ovoo child protection team", {"Bayankhongor/Bayan-Ovoo"}, false, "127.0.0.1"};
}
principal bayanzurkh() {
    return {4, "bz-token", role::team, "Bayanzurkh markets team", {"Ulaanbaatar/Bayanzurkh"}, false, "127.0.0.1"};
}
principal mdt() {
    return {5, "mdt-token", role::team, "Ulaanbaatar multi-disciplinary team", {"Ulaanbaatar"}, true, "127.0.0.1"};
}
principal viewer() { return {6, "viewer-token", role::viewer, "", {}, false, "127.0.0.1"}; }

class api_reads : public testing::intake_fixture {
protected:
    api_reads() : intake_fixture(t0 - std::chrono::hours{1}) {
        settings_.duplicate_window = cfg_.messages.duplicate_window;
        settings_.alerts = std::make_shared<const alert_settings>(alert_settings_of(cfg_));
        ctx_.cfg = std::make_shared<const config::gateway_config>(cfg_);
        ctx_.lex = std::make_shared<const parser::lexicon>(cfg_.language, cfg_.site_codes());
        alt_ = send(volunteer_alt, "ID ALT 3B 12-14 MINE SHAFT", at(0));
        ack_ = send(alt_member, "ACK " + std::to_string(*alt_.alert), at(5));
        ult_ = send(volunteer_ult, "ID ULT 2G 11 PAN MERC", at(10));
        sex_ = send(monitor_dkh_nrt, "ID NRT 1G 14 SEX", at(20));
        stranger_ = send(stranger, "ID ALT 1B 12 MINE", at(30));
        rejected_ = send(volunteer_alt, "hello there", at(40));
        nil_ = send(volunteer_tsd, "NIL TSD", at(50));
    }

    api::api_answer get(const principal& who, const std::string& path, std::map<std::string, std::string, std::less<>> query = {}) {
        api::api_request rq;
        rq.method = http::verb::get;
        std::stringstream s(path);
        for (std::string seg; std::getline(s, seg, '/');)
            if (!seg.empty())
                rq.path.push_back(seg);
        rq.query = std::move(query);
        rq.now = at(24 * 60);
        auto a = serve_reads(db_, who, rq, ctx_);
        if (!a)
            throw std::runtime_error("not a read endpoint: " + path);
        return std::move(*a);
    }

    // The ids of a list answer's rows.
    static std::vector<std::int64_t> ids(const api::api_answer& a, std::string_view name) {
        std::vector<std::int64_t> out;
        for (const auto& r : a.body.at(name).as_array())
            out.push_back(r.at("id").as_int64());
        return out;
    }
    static std::set<std::string> codes(const api::api_answer& a) {
        std::set<std::string> out;
        for (const auto& r : a.body.at("cases").as_array())
            out.insert(std::string(r.at("code").as_string()));
        return out;
    }
    static std::set<std::string> audited(const api::api_answer& a) {
        std::set<std::string> out;
        for (const auto& n : a.audits) {
            EXPECT_EQ(n.action, "read");
            out.insert(n.object);
        }
        return out;
    }

    // A configuration file naming this store, for the command line.
    std::string config_file() {
        std::ifstream in(testing::source_dir() / "config" / "demo.toml");
        std::stringstream text;
        text << in.rdbuf();
        const std::string copied = std::regex_replace(text.str(), std::regex(R"re((\n\s*path\s*=\s*)"[^"]*")re"),
                                                      "$1\"" + (dir_ / "kharuul.db").string() + "\"",
                                                      std::regex_constants::format_first_only);
        const auto p = dir_ / "kharuul.toml";
        std::ofstream(p) << copied;
        return p.string();
    }

    api::api_context ctx_;
    intake_outcome alt_, ack_, ult_, sex_, stranger_, rejected_, nil_;
};

// ---- roles -------------------------------------------------------------------------------------

TEST_F(api_reads, a_viewer_is_refused_every_record_endpoint_but_the_report) {
    for (const std::string& path : std::vector<std::string>{"messages", "events", "cases", "cases/" + alt_.case_codes[0],
                                                           "alerts", "alerts/" + std::to_string(*alt_.alert), "outbox"}) {
        const auto a = get(viewer(), path);
        EXPECT_EQ(a.status, http::status::forbidden) << path;
    }
    EXPECT_EQ(get(viewer(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}}).status, http::status::ok);
}

TEST_F(api_reads, paths_that_are_not_reads_are_left_to_others) {
    api::api_request rq;
    rq.path = {"sites"};
    EXPECT_FALSE(serve_reads(db_, admin(), rq, ctx_));
    rq.path = {};
    EXPECT_FALSE(serve_reads(db_, admin(), rq, ctx_));
}

TEST_F(api_reads, admin_and_coordinator_see_every_message_with_whole_numbers) {
    for (const auto& who : {admin(), coordinator()}) {
        const auto a = get(who, "messages");
        ASSERT_EQ(a.status, http::status::ok);
        EXPECT_EQ(ids(a, "messages"), (std::vector<std::int64_t>{nil_.message_id, rejected_.message_id,
                                                                 stranger_.message_id, sex_.message_id,
                                                                 ult_.message_id, ack_.message_id, alt_.message_id}));
        EXPECT_EQ(a.body.at("messages").as_array().back().at("sender"), json::value(volunteer_alt));
        EXPECT_EQ(a.body.at("messages").as_array().back().at("site"), json::value("ALT"));
        EXPECT_EQ(a.body.at("next"), json::value(nullptr));
        EXPECT_EQ(audited(a), (std::set<std::string>{"message " + std::to_string(sex_.message_id)}));
    }
}

TEST_F(api_reads, a_team_sees_the_messages_of_its_sites_and_its_reporters_and_members_only) {
    const auto a = get(bayan_ovoo(), "messages");
    ASSERT_EQ(a.status, http::status::ok);
    // The ALT report, the ACK of its member, the ALT volunteer's rejected text; not the stranger's
    // report that names ALT, nor any other site's.
    EXPECT_EQ(ids(a, "messages"),
              (std::vector<std::int64_t>{rejected_.message_id, ack_.message_id, alt_.message_id}));
    EXPECT_TRUE(a.audits.empty());
}

TEST_F(api_reads, a_site_outside_a_teams_areas_is_404_and_an_unknown_one_400) {
    EXPECT_EQ(get(bayan_ovoo(), "messages", {{"site", "ULT"}}).status, http::status::not_found);
    EXPECT_EQ(get(bayan_ovoo(), "cases", {{"site", "ULT"}}).status, http::status::not_found);
    const auto unknown = get(bayan_ovoo(), "messages", {{"site", "NOPE"}});
    EXPECT_EQ(unknown.status, http::status::bad_request);
    EXPECT_EQ(get(admin(), "messages", {{"site", "ULT"}}).body.at("messages").as_array().size(), 1u);
}

TEST_F(api_reads, a_single_record_outside_a_teams_areas_is_404_with_the_body_of_a_missing_one) {
    const std::string ult_case = ult_.case_codes.at(0);
    const auto c = get(bayan_ovoo(), "cases/" + ult_case);
    EXPECT_EQ(c.status, http::status::not_found);
    EXPECT_EQ(c.body, api::not_found("case " + ult_case).body);
    EXPECT_EQ(get(bayan_ovoo(), "cases/1000000").body, api::not_found("case 1000000").body);
    const auto ult_alert = std::to_string(*ult_.alert);
    const auto al = get(bayan_ovoo(), "alerts/" + ult_alert);
    EXPECT_EQ(al.status, http::status::not_found);
    EXPECT_EQ(al.body, api::not_found("alert " + ult_alert).body);
    EXPECT_EQ(get(bayan_ovoo(), "cases/" + alt_.case_codes.at(0)).status, http::status::ok);
    EXPECT_EQ(get(bayan_ovoo(), "alerts/" + std::to_string(*alt_.alert)).status, http::status::ok);
}

TEST_F(api_reads, a_teams_case_list_events_and_alerts_hold_only_its_areas) {
    const auto cases = get(bayan_ovoo(), "cases");
    EXPECT_EQ(codes(cases), std::set<std::string>(alt_.case_codes.begin(), alt_.case_codes.end()));
    for (const auto& r : cases.body.at("cases").as_array()) {
        EXPECT_EQ(r.at("area"), json::value("Bayankhongor/Bayan-Ovoo"));
        EXPECT_EQ(r.at("team"), json::value("Bayan-Ovoo child protection team"));
    }
    const auto events = get(bayan_ovoo(), "events");
    EXPECT_FALSE(events.body.at("events").as_array().empty());
    for (const auto& e : events.body.at("events").as_array())
        EXPECT_EQ(e.at("site"), json::value("ALT"));
    EXPECT_EQ(ids(get(bayan_ovoo(), "alerts"), "alerts"), (std::vector<std::int64_t>{static_cast<std::int64_t>(*alt_.alert)}));
    EXPECT_EQ(get(admin(), "alerts").body.at("alerts").as_array().size(), 3u);
}

TEST_F(api_reads, a_teams_outbox_holds_what_went_to_its_members_or_about_its_sites) {
    const auto mine = get(bayan_ovoo(), "outbox");
    ASSERT_EQ(mine.status, http::status::ok);
    const auto all = get(admin(), "outbox", {{"limit", "1000"}});
    std::size_t expected = 0;
    for (const auto& r : all.body.at("outbox").as_array()) {
        const bool about_alt = r.at("alert_id") == json::value(static_cast<std::int64_t>(*alt_.alert)) ||
                               r.at("message_id") == json::value(alt_.message_id) ||
                               r.at("message_id") == json::value(ack_.message_id) ||
                               r.at("message_id") == json::value(rejected_.message_id);
        expected += about_alt ? 1 : 0;
    }
    EXPECT_GT(expected, 0u);
    EXPECT_EQ(mine.body.at("outbox").as_array().size(), expected);
}

// ---- masking -----------------------------------------------------------------------------------

TEST_F(api_reads, a_team_sees_its_reporters_and_members_whole_and_other_numbers_masked) {
    const auto a = get(bayan_ovoo(), "alerts/" + std::to_string(*alt_.alert));
    ASSERT_EQ(a.status, http::status::ok);
    EXPECT_EQ(a.body.at("alert").at("reporter"), json::value(volunteer_alt));
    EXPECT_EQ(a.body.at("alert").at("acked_by"), json::value(alt_member));
    bool saw_coordinator = false;
    for (const auto& r : a.body.at("recipients").as_array()) {
        const std::string phone(r.at("phone").as_string());
        EXPECT_NE(phone, coordinator1);
        if (phone == parser::mask_phone(coordinator1))
            saw_coordinator = true;
    }
    EXPECT_TRUE(saw_coordinator) << json::serialize(a.body.at("recipients"));
    for (const auto& r : a.body.at("outbox").as_array())
        EXPECT_NE(r.at("recipient"), json::value(coordinator1));
    // A coordinator sees the number whole.
    const auto c = get(coordinator(), "alerts/" + std::to_string(*alt_.alert));
    bool whole = false;
    for (const auto& r : c.body.at("recipients").as_array())
        whole = whole || r.at("phone") == json::value(coordinator1);
    EXPECT_TRUE(whole);
}

// ---- sensitive cases ---------------------------------------------------------------------------

TEST_F(api_reads, a_sensitive_case_is_hidden_from_a_team_not_marked_for_them_everywhere) {
    const std::string code = sex_.case_codes.at(0);
    const auto team = bayanzurkh();
    EXPECT_EQ(codes(get(team, "cases")).count(code), 0u);
    EXPECT_EQ(get(team, "cases/" + code).status, http::status::not_found);
    EXPECT_EQ(get(team, "alerts/" + std::to_string(*sex_.alert)).status, http::status::not_found);
    for (const auto id : ids(get(team, "messages"), "messages"))
        EXPECT_NE(id, sex_.message_id);
    // The sensitive report is the only event at the team's sites: it sees none; the team for
    // sensitive cases covering them sees it.
    EXPECT_TRUE(get(team, "events").body.at("events").as_array().empty());
    const auto for_mdt = get(mdt(), "events");
    ASSERT_EQ(for_mdt.body.at("events").as_array().size(), 1u);
    EXPECT_EQ(for_mdt.body.at("events").as_array()[0].at("message_id"), json::value(sex_.message_id));
    for (const auto id : ids(get(team, "alerts"), "alerts"))
        EXPECT_NE(id, static_cast<std::int64_t>(*sex_.alert));
    EXPECT_TRUE(get(team, "messages").audits.empty());
}

TEST_F(api_reads, a_sensitive_case_is_shown_to_a_team_marked_for_them_and_every_read_is_audited) {
    const std::string code = sex_.case_codes.at(0);
    const auto team = mdt();
    const auto one = get(team, "cases/" + code);
    ASSERT_EQ(one.status, http::status::ok);
    EXPECT_EQ(one.body.at("case").at("sensitive"), json::value(true));
    EXPECT_EQ(audited(one), (std::set<std::string>{"case " + code}));
    const auto list = get(team, "cases");
    EXPECT_EQ(codes(list).count(code), 1u);
    EXPECT_EQ(audited(list).count("case " + code), 1u);
    EXPECT_EQ(audited(get(team, "alerts/" + std::to_string(*sex_.alert))),
              (std::set<std::string>{"alert " + std::to_string(*sex_.alert)}));
    EXPECT_EQ(audited(get(team, "messages")), (std::set<std::string>{"message " + std::to_string(sex_.message_id)}));
}

// ---- paging ------------------------------------------------------------------------------------

TEST_F(api_reads, pages_of_a_list_follow_next_without_gaps_or_repeats) {
    for (const auto& [who, name] : std::vector<std::pair<principal, std::string>>{
             {admin(), "messages"}, {bayan_ovoo(), "messages"}, {admin(), "events"}, {admin(), "outbox"}, {admin(), "alerts"}}) {
        const auto whole = ids(get(who, name, {{"limit", "1000"}}), name);
        std::vector<std::int64_t> paged;
        std::map<std::string, std::string, std::less<>> q{{"limit", "2"}};
        for (int guard = 0; guard < 100; ++guard) {
            const auto page = get(who, name, q);
            ASSERT_EQ(page.status, http::status::ok);
            const auto got = ids(page, name);
            EXPECT_LE(got.size(), 2u);
            paged.insert(paged.end(), got.begin(), got.end());
            if (page.body.at("next").is_null())
                break;
            q["before"] = std::string(page.body.at("next").as_string());
        }
        EXPECT_EQ(paged, whole) << name;
    }
}

TEST_F(api_reads, after_gives_the_newer_messages_oldest_first) {
    const auto a = get(admin(), "messages", {{"after", std::to_string(stranger_.message_id)}});
    EXPECT_EQ(ids(a, "messages"), (std::vector<std::int64_t>{rejected_.message_id, nil_.message_id}));
    EXPECT_EQ(a.body.at("next"), json::value(std::to_string(nil_.message_id)));
    const auto none = get(admin(), "messages", {{"after", std::to_string(nil_.message_id)}});
    EXPECT_TRUE(none.body.at("messages").as_array().empty());
    const auto team = get(bayan_ovoo(), "messages", {{"after", std::to_string(ult_.message_id)}});
    EXPECT_EQ(ids(team, "messages"), (std::vector<std::int64_t>{rejected_.message_id}));
}

TEST_F(api_reads, filters_narrow_the_lists_as_the_command_line_options_do) {
    EXPECT_EQ(ids(get(admin(), "messages", {{"status", "unregistered"}}), "messages"),
              (std::vector<std::int64_t>{stranger_.message_id}));
    EXPECT_EQ(ids(get(admin(), "messages", {{"form", "NIL"}}), "messages"), (std::vector<std::int64_t>{nil_.message_id}));
    EXPECT_EQ(ids(get(admin(), "messages", {{"phone", "0003"}}), "messages"), (std::vector<std::int64_t>{ult_.message_id}));
    EXPECT_EQ(get(admin(), "events", {{"site", "TSD"}}).body.at("events").as_array().size(), 1u);
    EXPECT_EQ(get(admin(), "alerts", {{"state", "acknowledged"}}).body.at("alerts").as_array().size(), 1u);
    EXPECT_EQ(codes(get(admin(), "cases", {{"area", "Uvurkhangai"}})),
              std::set<std::string>(ult_.case_codes.begin(), ult_.case_codes.end()));
    EXPECT_EQ(codes(get(admin(), "cases", {{"team", "Uyanga child protection team"}})),
              std::set<std::string>(ult_.case_codes.begin(), ult_.case_codes.end()));
}

// ---- bad parameters ----------------------------------------------------------------------------

struct bad_query {
    const char* path;
    const char* name;
    const char* value;
};

TEST_F(api_reads, a_bad_parameter_is_400_naming_it_and_what_it_takes) {
    const std::vector<bad_query> bad{
        {"messages", "limit", "0"},        {"messages", "limit", "1001"},     {"messages", "limit", "ten"},
        {"messages", "before", "abc"},     {"messages", "since", "yesterday-ish"}, {"messages", "status", "bogus"},
        {"messages", "form", "XYZ"},       {"messages", "site", "NOPE"},      {"messages", "phone", "call me"},
        {"messages", "colour", "red"},     {"messages", "format", "xml"},     {"events", "until", "soon"},
        {"cases", "state", "sleeping"},    {"cases", "target", "Q"},          {"cases", "overdue", "maybe"},
        {"cases", "team", "No such team"}, {"cases", "area", "Mars"},         {"alerts", "state", "asleep"},
        {"outbox", "state", "lost"},       {"report", "from", "July"},        {"report", "explain", "r99999"},
        {"report", "area", "Mars"},
    };
    for (const auto& b : bad) {
        std::map<std::string, std::string, std::less<>> q{{b.name, b.value}};
        if (std::string_view(b.path) == "report") {
            q.try_emplace("from", "2026-07-01");
            q.try_emplace("until", "2026-08-01");
        }
        const auto a = get(admin(), b.path, q);
        EXPECT_EQ(a.status, http::status::bad_request) << b.path << " " << b.name << "=" << b.value;
        const std::string error(a.body.at("error").as_string());
        EXPECT_NE(error.find(b.name), std::string::npos) << error;
        EXPECT_TRUE(a.body.as_object().contains("next")) << error;
    }
}

TEST_F(api_reads, a_report_without_its_period_or_ending_before_it_starts_is_400) {
    EXPECT_EQ(get(admin(), "report").status, http::status::bad_request);
    EXPECT_EQ(get(admin(), "report", {{"from", "2026-08-01"}, {"until", "2026-07-01"}}).status,
              http::status::bad_request);
}

// ---- CSV ---------------------------------------------------------------------------------------

TEST_F(api_reads, csv_lists_are_the_exports_columns_with_the_teams_rows_only) {
    const auto a = get(bayan_ovoo(), "messages", {{"format", "csv"}});
    ASSERT_TRUE(a.csv);
    EXPECT_EQ(a.csv_name, "messages.csv");
    std::string header = std::string(csv_bom);
    for (std::size_t i = 0; i < std::size(message_columns); ++i)
        header += (i ? "," : "") + std::string(message_columns[i]);
    EXPECT_TRUE(a.csv->starts_with(header + "\r\n")) << *a.csv;
    std::size_t lines = 0;
    for (std::size_t p = 0; (p = a.csv->find("\r\n", p)) != std::string::npos; p += 2)
        ++lines;
    EXPECT_EQ(lines, 1 + 3u);
    EXPECT_EQ(a.csv->find(volunteer_ult), std::string::npos);
    EXPECT_EQ(a.csv->find(stranger), std::string::npos);
    for (const std::string path : {"events", "cases", "alerts", "outbox"}) {
        const auto c = get(bayan_ovoo(), path, {{"format", "csv"}});
        ASSERT_TRUE(c.csv) << path;
        EXPECT_EQ(c.csv_name, path + ".csv");
        EXPECT_EQ(c.csv->find("ULT"), std::string::npos) << path;
    }
}

// ---- the report --------------------------------------------------------------------------------

TEST_F(api_reads, the_report_is_byte_for_byte_what_kharuul_report_format_json_prints) {
    const std::string config = config_file();
    for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
             {}, {"--area", "Bayankhongor"}, {"--with-corrections"}}) {
        std::vector<std::string> args{"report", "--config", config, "--from", "2026-07-01", "--until", "2026-08-01",
                                      "--format", "json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto cli = testing::run_cli_with(args);
        ASSERT_EQ(cli.code, 0) << cli.err;
        std::map<std::string, std::string, std::less<>> q{{"from", "2026-07-01"}, {"until", "2026-08-01"}};
        if (!extra.empty() && extra[0] == "--area")
            q["area"] = extra[1];
        if (!extra.empty() && extra[0] == "--with-corrections")
            q["with_corrections"] = "true";
        const auto a = get(coordinator(), "report", q);
        ASSERT_EQ(a.status, http::status::ok);
        EXPECT_EQ(json::serialize(a.body) + "\n", cli.out);
    }
}

TEST_F(api_reads, a_viewers_report_shows_small_counts_as_under_three_and_no_traces) {
    const auto a = get(viewer(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}});
    ASSERT_EQ(a.status, http::status::ok);
    const auto& rows = a.body.at("rows").as_array();
    ASSERT_FALSE(rows.empty());
    bool suppressed = false;
    for (const auto& r : rows) {
        const auto& o = r.as_object();
        EXPECT_FALSE(o.contains("cases") || o.contains("messages") || o.contains("alerts")) << json::serialize(r);
        const auto& v = o.at("value");
        if (v.is_string()) {
            EXPECT_EQ(v, json::value("<3"));
            suppressed = true;
        } else if (v.is_int64()) {
            EXPECT_GE(v.as_int64(), 3) << json::serialize(r);
        }
    }
    EXPECT_TRUE(suppressed);
    // The identified boys at ALT are 3: shown as a number.
    const auto full = get(admin(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}});
    EXPECT_EQ(full.body.at("rows").as_array().size(), rows.size());
    EXPECT_EQ(get(viewer(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}, {"explain", "r1"}}).status,
              http::status::forbidden);
}

TEST_F(api_reads, a_teams_report_covers_its_own_areas_and_another_area_is_404) {
    const auto a = get(bayan_ovoo(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}});
    ASSERT_EQ(a.status, http::status::ok);
    for (const auto& r : a.body.at("rows").as_array()) {
        const auto& o = r.as_object();
        if (o.contains("site") && o.at("site").is_string()) {
            EXPECT_EQ(o.at("site"), json::value("ALT")) << json::serialize(r);
        }
        if (o.contains("area") && o.at("area").is_string()) {
            EXPECT_EQ(o.at("area"), json::value("Bayankhongor/Bayan-Ovoo")) << json::serialize(r);
        }
    }
    EXPECT_EQ(get(bayan_ovoo(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}, {"area", "Uvurkhangai"}}).status,
              http::status::not_found);
    EXPECT_EQ(get(bayan_ovoo(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}, {"area", "Bayankhongor/Bayan-Ovoo"}}).status,
              http::status::ok);
}

TEST_F(api_reads, explain_lists_a_rows_cases_with_their_history_and_hides_sensitive_ones_for_a_team) {
    const auto report = get(admin(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}});
    std::string sex_row;
    for (const auto& r : report.body.at("rows").as_array())
        if (r.at("indicator") == json::value("identified") && r.at("work") == json::value("SEX"))
            sex_row = std::string(r.at("id").as_string());
    ASSERT_FALSE(sex_row.empty());
    const std::map<std::string, std::string, std::less<>> q{{"from", "2026-07-01"}, {"until", "2026-08-01"}, {"explain", sex_row}};
    const auto shown = get(mdt(), "report", q);
    ASSERT_EQ(shown.status, http::status::ok);
    ASSERT_EQ(shown.body.at("cases").as_array().size(), 1u);
    EXPECT_FALSE(shown.body.at("cases").as_array()[0].at("history").as_array().empty());
    EXPECT_EQ(audited(shown), (std::set<std::string>{"case " + sex_.case_codes.at(0)}));
    // The Bayanzurkh team's own report has the row too (the case is at its site) but not the case.
    const auto bz = get(bayanzurkh(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}});
    std::string bz_row;
    for (const auto& r : bz.body.at("rows").as_array())
        if (r.at("indicator") == json::value("identified") && r.at("work") == json::value("SEX"))
            bz_row = std::string(r.at("id").as_string());
    ASSERT_FALSE(bz_row.empty());
    const auto hidden = get(bayanzurkh(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}, {"explain", bz_row}});
    EXPECT_TRUE(hidden.body.at("cases").as_array().empty());
    EXPECT_EQ(hidden.body.at("hidden"), json::value(1));
    EXPECT_TRUE(hidden.audits.empty());
}

// ---- the command line's audit rows -------------------------------------------------------------

TEST_F(api_reads, the_command_line_audits_reading_a_sensitive_case_and_not_an_ordinary_one) {
    const std::string config = config_file();
    auto reads = [&] {
        store::audit_filter f;
        f.action = "read";
        return store::list_audit(db_, f);
    };
    ASSERT_EQ(testing::run_cli_with({"case", "--config", config, alt_.case_codes.at(0)}).code, 0);
    EXPECT_TRUE(reads().empty());
    const auto r = testing::run_cli_with({"case", "--config", config, sex_.case_codes.at(0)});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = reads();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].actor, "command line");
    EXPECT_EQ(rows[0].object, "case " + sex_.case_codes.at(0));
}

TEST_F(api_reads, report_explain_sensitive_on_the_command_line_audits_each_sensitive_case_listed) {
    const std::string config = config_file();
    const auto report = get(admin(), "report", {{"from", "2026-07-01"}, {"until", "2026-08-01"}});
    std::string sex_row;
    for (const auto& r : report.body.at("rows").as_array())
        if (r.at("indicator") == json::value("identified") && r.at("work") == json::value("SEX"))
            sex_row = std::string(r.at("id").as_string());
    ASSERT_FALSE(sex_row.empty());
    const std::vector<std::string> base{"report", "--config", config, "--from", "2026-07-01", "--until", "2026-08-01",
                                        "--explain", sex_row};
    ASSERT_EQ(testing::run_cli_with(base).code, 0);
    store::audit_filter f;
    f.action = "read";
    EXPECT_TRUE(store::list_audit(db_, f).empty());
    auto with = base;
    with.push_back("--sensitive");
    const auto r = testing::run_cli_with(with);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = store::list_audit(db_, f);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].object, "case " + sex_.case_codes.at(0));
}

} // namespace
} // namespace kharuul::gateway
