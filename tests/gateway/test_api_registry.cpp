// The registry through the API (issue 12, item 2): serve_registry called as the service calls it,
// with principals of each role, on a real store file seeded from demo.toml: reads scoped and
// masked by role, writes for admin and coordinator only, bodies checked field by field (400 naming
// the field), 404 and 409 answers, audit notes with masked phones; and a site made through the API
// is accepted in an ID report once the routing is rebuilt from the store, without a restart.
#include "gateway/api_registry.hpp"
#include "gateway/daemon_routing.hpp"
#include "gateway/intake.hpp"
#include "gateway/registry_seed.hpp"
#include "store/audit.hpp"
#include "store/registry.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <boost/json/serialize.hpp>
#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using api::http::status;
using api::http::verb;

const std::string bayan_ovoo = "Bayan-Ovoo child protection team";

api::principal as(api::role r) {
    api::principal p;
    p.token_id = 1;
    p.label = std::string(api::to_string(r)) + " token";
    p.who = r;
    if (r == api::role::team) {
        p.team = bayan_ovoo;
        p.areas = {"Bayankhongor/Bayan-Ovoo"};
    }
    p.sensitive_cases = r == api::role::admin || r == api::role::coordinator;
    return p;
}

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::string part;
    for (char c : path + "/") {
        if (c == '/') {
            if (!part.empty())
                out.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    return out;
}

class api_registry : public ::testing::Test {
protected:
    fs::path dir = testing::fresh_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
    config::gateway_config cfg = testing::demo_config(dir);
    store::connection db = store::open_database(dir / "kharuul.db");
    api::api_context ctx{std::make_shared<const config::gateway_config>(cfg), nullptr};

    void SetUp() override { ASSERT_TRUE(store::sync_registry(db, registry_snapshot_of(cfg), store::from_unix_ms(0))); }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    // `path` after /api/v1, already percent-decoded (the service decodes the segments).
    api::api_answer call(api::role r, verb m, const std::string& path, const std::string& body = {}) {
        api::api_request rq;
        rq.method = m;
        rq.path = split_path(path);
        rq.body = body;
        rq.now = store::from_unix_ms(1'000);
        auto a = serve_registry(db, as(r), rq, ctx);
        EXPECT_TRUE(a) << path << " is the registry's";
        return a ? std::move(*a) : api::api_answer{};
    }
    api::api_answer get(api::role r, const std::string& path) { return call(r, verb::get, path); }

    static std::string error_of(const api::api_answer& a) {
        const auto* o = a.body.if_object();
        const auto* e = o != nullptr ? o->if_contains("error") : nullptr;
        return e != nullptr && e->is_string() ? std::string(e->as_string()) : json::serialize(a.body);
    }
    static std::string next_of(const api::api_answer& a) {
        const auto* e = a.body.as_object().if_contains("next");
        return e != nullptr && e->is_string() ? std::string(e->as_string()) : "";
    }
    static std::vector<std::string> column(const api::api_answer& a, std::string_view list, std::string_view field) {
        std::vector<std::string> out;
        for (const auto& row : a.body.at(list).as_array())
            out.emplace_back(row.at(field).as_string());
        return out;
    }
    static std::string text(const json::value& v, std::string_view key) { return std::string(v.at(key).as_string()); }
};

TEST_F(api_registry, paths_outside_the_registry_are_not_its_own) {
    api::api_request rq;
    rq.path = {"cases"};
    EXPECT_FALSE(serve_registry(db, as(api::role::admin), rq, ctx));
    rq.path = {};
    EXPECT_FALSE(serve_registry(db, as(api::role::admin), rq, ctx));
}

TEST_F(api_registry, admin_and_coordinator_read_everything_with_whole_phones_and_a_viewer_nothing) {
    for (auto r : {api::role::admin, api::role::coordinator}) {
        const auto sites = get(r, "sites");
        ASSERT_EQ(sites.status, status::ok);
        EXPECT_EQ(column(sites, "sites", "code"), (std::vector<std::string>{"ALT", "DKH", "NLK", "NRT", "TSD", "ULT"}));
        EXPECT_TRUE(sites.body.at("next").is_null());
        EXPECT_EQ(column(get(r, "teams"), "teams", "name").size(), 6u);
        EXPECT_EQ(column(get(r, "coordinators"), "coordinators", "phone"),
                  (std::vector<std::string>{"+97699000201", "+97699000202"}));
        EXPECT_EQ(text(get(r, "reporters/+97699000003").body, "phone"), "+97699000003");
        EXPECT_EQ(text(get(r, "sites/ALT").body, "origin"), "config");
        EXPECT_TRUE(get(r, "sites").audits.empty()) << "reads of the registry are not audited";
    }
    for (const char* path : {"sites", "sites/ALT", "teams", "coordinators", "reporters", "reporters/+97699000001"})
        EXPECT_EQ(get(api::role::viewer, path).status, status::forbidden) << path;
}

TEST_F(api_registry, a_team_sees_its_own_team_its_sites_their_reporters_and_the_coordinators_masked) {
    const auto t = api::role::team;
    EXPECT_EQ(column(get(t, "sites"), "sites", "code"), std::vector<std::string>{"ALT"});
    EXPECT_EQ(get(t, "sites/ULT").status, status::not_found) << "outside its areas: 404, not 403";
    EXPECT_EQ(error_of(get(t, "sites/ULT")), error_of(get(t, "sites/XYZ"))) << "the same answer as no such site";

    const auto teams = get(t, "teams");
    EXPECT_EQ(column(teams, "teams", "name"), std::vector<std::string>{bayan_ovoo});
    EXPECT_EQ(text(teams.body.at("teams").at(0).at("members").at(0), "phone"), "+97699000101") << "its own members";
    EXPECT_EQ(get(t, "teams/Uyanga child protection team").status, status::not_found);
    EXPECT_EQ(get(t, "teams/" + bayan_ovoo).status, status::ok) << "a name with spaces, decoded";

    EXPECT_EQ(column(get(t, "reporters"), "reporters", "phone"),
              (std::vector<std::string>{"+97699000001", "+97699000002"}))
        << "the reporters of its sites, whole";
    EXPECT_EQ(get(t, "reporters/+97699000003").status, status::not_found) << "a reporter at ULT";

    EXPECT_EQ(column(get(t, "coordinators"), "coordinators", "phone"),
              (std::vector<std::string>{"+976****0201", "+976****0202"}));
    EXPECT_EQ(text(get(t, "coordinators/+97699000201").body, "phone"), "+976****0201");
}

TEST_F(api_registry, writes_are_for_admin_and_coordinator_only) {
    const std::string site = R"({"code": "KHN", "area": "Bayankhongor/Bayan-Ovoo"})";
    for (auto r : {api::role::team, api::role::viewer}) {
        EXPECT_EQ(call(r, verb::post, "sites", site).status, status::forbidden);
        EXPECT_EQ(call(r, verb::put, "sites/ALT", site).status, status::forbidden);
        EXPECT_EQ(call(r, verb::delete_, "teams/" + bayan_ovoo).status, status::forbidden);
        EXPECT_EQ(call(r, verb::delete_, "reporters/+97699000001").status, status::forbidden);
    }
    EXPECT_FALSE(store::find_site(db, "KHN"));
    EXPECT_TRUE(store::find_reporter(db, "+97699000001"));
    EXPECT_EQ(call(api::role::coordinator, verb::post, "sites", site).status, status::created);
    EXPECT_EQ(call(api::role::admin, verb::post, "sites/ALT", site).status, status::method_not_allowed);
    EXPECT_EQ(call(api::role::admin, verb::delete_, "sites").status, status::method_not_allowed);
}

TEST_F(api_registry, a_site_is_created_with_an_audit_note_and_changes_the_registry) {
    const auto a = call(api::role::admin, verb::post, "sites",
                        R"({"code": "KHN", "name": "Khan gold mine", "kind": "mine", "area": "Bayankhongor/Bayan-Ovoo"})");
    ASSERT_EQ(a.status, status::created) << error_of(a);
    EXPECT_EQ(json::serialize(a.body), json::serialize(get(api::role::admin, "sites/KHN").body))
        << "the record as GET shows it";
    EXPECT_EQ(text(a.body, "origin"), "cli");
    EXPECT_TRUE(a.registry_changed);
    ASSERT_EQ(a.audits.size(), 1u);
    EXPECT_EQ(a.audits[0].action, "create");
    EXPECT_EQ(a.audits[0].object, "site KHN");
    EXPECT_EQ(json::serialize(a.audits[0].detail),
              R"({"code":"KHN","name":"Khan gold mine","kind":"mine","area":"Bayankhongor/Bayan-Ovoo","active":true})");

    const auto again = call(api::role::admin, verb::post, "sites", R"({"code": "KHN", "area": "Bayankhongor/Bayan-Ovoo"})");
    EXPECT_EQ(again.status, status::conflict);
    EXPECT_EQ(error_of(again), "site KHN exists already");
    EXPECT_FALSE(again.registry_changed);
    EXPECT_TRUE(again.audits.empty());
}

TEST_F(api_registry, bad_bodies_are_400_naming_the_field_and_nothing_is_written) {
    struct sample {
        std::string body, error, next_part;
    };
    const std::vector<sample> samples{
        {"", "body: missing: send a JSON object", "code, name, kind, area"},
        {"{\"code\": \"KHN\",", "body: not a JSON object", ""},
        {"[1]", "body: not a JSON object", ""},
        {R"({"code": 5, "area": "A/B"})", "code: must be a string", ""},
        {R"({"code": "KHN", "area": "Bayankhongor/Bayan-Ovoo", "colour": "red"})", "colour: unknown field",
         "the fields are code, name, kind, area"},
        {R"({"code": "khn", "area": "Bayankhongor/Bayan-Ovoo"})", "code: \"khn\" is not a site code",
         "write it in capitals: KHN"},
        {R"({"code": "K", "area": "Bayankhongor/Bayan-Ovoo"})", "code: \"K\" is too short for a site code", ""},
        {R"({"area": "Bayankhongor/Bayan-Ovoo"})", "code: missing", ""},
        {R"({"code": "KHN"})", "area: missing", ""},
        {R"({"code": "KHN", "area": "Bayankhongor//Bayan-Ovoo"})",
         "area: \"Bayankhongor//Bayan-Ovoo\" is not an area", "Aimag/Soum"},
        {R"({"code": "KHN", "kind": "farm", "area": "Bayankhongor/Bayan-Ovoo"})", "kind: \"farm\" is not a site kind",
         "mine, market"},
        {R"({"code": "KHN", "name": "Line\nbreak", "area": "Bayankhongor/Bayan-Ovoo"})",
         "name: has a control character (a line break, a tab)", ""},
    };
    for (const auto& s : samples) {
        const auto a = call(api::role::admin, verb::post, "sites", s.body);
        EXPECT_EQ(a.status, status::bad_request) << s.body;
        EXPECT_EQ(error_of(a), s.error) << s.body;
        EXPECT_NE(next_of(a).find(s.next_part), std::string::npos) << s.body << ": " << next_of(a);
        EXPECT_FALSE(a.registry_changed);
    }
    EXPECT_FALSE(store::find_site(db, "KHN"));
}

TEST_F(api_registry, a_site_in_an_area_no_team_covers_is_409_and_names_the_site) {
    const auto a = call(api::role::admin, verb::post, "sites", R"({"code": "KHN", "area": "Khovd/Jargalant"})");
    EXPECT_EQ(a.status, status::conflict);
    EXPECT_EQ(error_of(a), "site KHN would be in an area no team covers, so its reports would alert nobody");
    EXPECT_FALSE(store::find_site(db, "KHN"));
}

TEST_F(api_registry, a_site_is_replaced_patched_and_deactivated_but_never_deleted_or_renamed) {
    auto a = call(api::role::admin, verb::put, "sites/ALT", R"({"name": "Altan-Us", "kind": "mine", "area": "Bayankhongor/Bayan-Ovoo"})");
    ASSERT_EQ(a.status, status::ok) << error_of(a);
    EXPECT_EQ(text(a.body, "name"), "Altan-Us");
    EXPECT_EQ(a.audits.at(0).action, "update");
    EXPECT_EQ(json::serialize(a.audits[0].detail), R"({"name":"Altan-Us"})") << "only what changed";

    a = call(api::role::admin, verb::patch, "sites/ALT", R"({"kind": "other"})");
    ASSERT_EQ(a.status, status::ok) << error_of(a);
    EXPECT_EQ(text(a.body, "name"), "Altan-Us") << "PATCH keeps what it does not name";
    EXPECT_EQ(text(a.body, "kind"), "other");

    EXPECT_EQ(call(api::role::admin, verb::put, "sites/ALT", R"({"name": "x"})").status, status::bad_request)
        << "PUT replaces: area is required";
    EXPECT_EQ(error_of(call(api::role::admin, verb::put, "sites/ALT", R"({"code": "ALX", "area": "Bayankhongor/Bayan-Ovoo"})")),
              "code: a site's code does not change (events and cases name it)");
    EXPECT_EQ(call(api::role::admin, verb::put, "sites/XYZ", R"({"area": "Bayankhongor/Bayan-Ovoo"})").status,
              status::not_found);

    a = call(api::role::admin, verb::delete_, "sites/ALT");
    ASSERT_EQ(a.status, status::ok) << error_of(a);
    EXPECT_FALSE(a.body.at("active").as_bool());
    EXPECT_EQ(a.body.at("open_cases").as_int64(), 0);
    EXPECT_EQ(a.audits.at(0).action, "delete");
    EXPECT_EQ(json::serialize(a.audits[0].detail), R"({"active":false,"open_cases":0})");
    EXPECT_TRUE(store::find_site(db, "ALT")) << "kept, inactive";
    EXPECT_EQ(call(api::role::admin, verb::delete_, "sites/ALT").status, status::conflict);
    a = call(api::role::admin, verb::patch, "sites/ALT", R"({"active": true})");
    EXPECT_EQ(a.status, status::ok);
    EXPECT_TRUE(store::find_site(db, "ALT")->active);
}

TEST_F(api_registry, a_team_is_created_with_national_numbers_and_its_audit_note_masks_the_phones) {
    const auto a = call(api::role::coordinator, verb::post, "teams", R"({
        "name": "Khovd team", "areas": ["Khovd"], "sensitive_cases": true,
        "members": [{"phone": "99000401", "name": "Leader K", "role": "leader", "lang": "en"},
                    {"phone": "+976 9900 0402", "name": "Member K"}]})");
    ASSERT_EQ(a.status, status::created) << error_of(a);
    const auto members = a.body.at("members").as_array();
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(text(members[0], "phone"), "+97699000401") << "normalised with the country code";
    EXPECT_EQ(text(members[1], "role"), "member");
    EXPECT_EQ(text(members[1], "lang"), "mn");
    const std::string detail = json::serialize(a.audits.at(0).detail);
    EXPECT_EQ(detail.find("99000401"), std::string::npos) << detail;
    EXPECT_NE(detail.find("+976****0401"), std::string::npos) << detail;
    EXPECT_EQ(a.audits[0].object, "team Khovd team");

    EXPECT_EQ(call(api::role::admin, verb::post, "sites", R"({"code": "JRG", "area": "Khovd/Jargalant"})").status,
              status::created)
        << "the new team covers the new site's area";
}

TEST_F(api_registry, bad_teams_are_refused_naming_the_field) {
    struct sample {
        std::string body, error;
    };
    const std::vector<sample> samples{
        {R"({"name": "T", "areas": ["Khovd"], "members": [{"phone": "12", "role": "leader"}]})",
         "members[0].phone: \"12\" is not a phone number in E.164"},
        {R"({"name": "T", "areas": ["Khovd"], "members": [{"phone": "+97699000401"}]})", "members: the team has no leader"},
        {R"({"name": "T", "areas": ["Khovd"], "members": [{"phone": "+97699000401", "role": "boss"}]})",
         "members[0].role: \"boss\" is not a team role"},
        {R"({"name": "T", "areas": ["Khovd"], "members": [{"phone": "+97699000401", "role": "leader", "lang": "de"}]})",
         "members[0].lang: \"de\" is not a language"},
        {R"({"name": "T", "areas": ["Khovd"], "members": [{"phone": "+97699000401", "role": "leader", "age": 3}]})",
         "members[0].age: unknown field"},
        {R"({"name": "T", "areas": ["Khovd"], "members": [{"phone": "+97699000401", "role": "leader"}, {"phone": "99000401"}]})",
         "members[1].phone: +976****0401 is listed twice"},
        {R"({"name": "T", "areas": [], "members": [{"phone": "+97699000401", "role": "leader"}]})", "areas: is empty"},
        {R"({"name": "T", "areas": "Khovd", "members": []})", "areas: must be an array of strings"},
        {R"({"name": "T", "areas": ["Khovd"], "members": []})", "members: is empty, so nobody would get the team's alerts"},
        {R"({"name": "T", "areas": ["Khovd"], "sensitive_cases": "yes", "members": []})",
         "sensitive_cases: must be true or false"},
        {R"({"name": "Uyanga child protection team", "areas": ["Khovd"], "members": [{"phone": "+97699000401", "role": "leader"}]})",
         "team Uyanga child protection team exists already"},
    };
    for (const auto& s : samples) {
        const auto a = call(api::role::admin, verb::post, "teams", s.body);
        EXPECT_NE(a.status, status::created) << s.body;
        EXPECT_EQ(error_of(a), s.error) << s.body;
    }
    EXPECT_FALSE(store::find_team(db, "T"));
    EXPECT_EQ(error_of(call(api::role::admin, verb::patch, "teams/" + bayan_ovoo, R"({"name": "Renamed"})")),
              "name: a team is not renamed (team tokens name it)");
}

TEST_F(api_registry, a_team_that_alone_covers_a_site_is_not_removed_and_one_that_does_not_is) {
    auto a = call(api::role::admin, verb::delete_, "teams/" + bayan_ovoo);
    EXPECT_EQ(a.status, status::conflict);
    EXPECT_EQ(error_of(a), "site ALT would be in an area no team covers, so its reports would alert nobody");
    a = call(api::role::admin, verb::patch, "teams/" + bayan_ovoo, R"({"areas": ["Khovd"]})");
    EXPECT_EQ(a.status, status::conflict);
    EXPECT_TRUE(store::find_team(db, bayan_ovoo));

    // Nalaikh is also covered by the Ulaanbaatar multi-disciplinary team.
    a = call(api::role::admin, verb::delete_, "teams/Nalaikh child protection team");
    ASSERT_EQ(a.status, status::ok) << error_of(a);
    EXPECT_TRUE(a.body.at("members").as_array().empty());
    EXPECT_EQ(a.audits.at(0).action, "delete");
    EXPECT_FALSE(store::find_team(db, "Nalaikh child protection team"));
    EXPECT_EQ(get(api::role::admin, "teams/Nalaikh child protection team").status, status::not_found);
}

TEST_F(api_registry, a_coordinator_is_added_changed_and_removed_by_a_phone_in_the_path) {
    auto a = call(api::role::admin, verb::post, "coordinators", R"({"phone": "+97699000203", "name": "Coordinator 3"})");
    ASSERT_EQ(a.status, status::created) << error_of(a);
    EXPECT_EQ(a.audits.at(0).object, "coordinator +976****0203");
    EXPECT_EQ(json::serialize(a.audits[0].detail),
              R"({"phone":"+976****0203","name":"Coordinator 3","lang":"mn","active":true})");
    EXPECT_EQ(call(api::role::admin, verb::post, "coordinators", R"({"phone": "+97699000203"})").status,
              status::conflict);
    a = call(api::role::admin, verb::patch, "coordinators/99000203", R"({"lang": "en"})");
    ASSERT_EQ(a.status, status::ok) << "a national number in the path";
    EXPECT_EQ(text(a.body, "lang"), "en");
    a = call(api::role::admin, verb::delete_, "coordinators/+97699000203");
    ASSERT_EQ(a.status, status::ok);
    EXPECT_FALSE(a.body.at("active").as_bool());
    EXPECT_EQ(get(api::role::admin, "coordinators/+97699000203").status, status::not_found);
    EXPECT_EQ(error_of(call(api::role::admin, verb::post, "coordinators", R"({"phone": "call me"})")),
              "phone: \"call me\" is not a phone number in E.164");
}

TEST_F(api_registry, a_reporter_is_registered_changed_and_deactivated_only_at_active_sites) {
    auto a = call(api::role::admin, verb::post, "reporters",
                  R"({"phone": "+97699000050", "name": "Volunteer new", "sites": ["ALT", "ULT"], "kind": "teacher"})");
    ASSERT_EQ(a.status, status::created) << error_of(a);
    EXPECT_EQ(text(a.body, "kind"), "teacher");
    EXPECT_EQ(a.audits.at(0).object, "reporter +976****0050");
    EXPECT_EQ(column(get(api::role::team, "reporters"), "reporters", "phone").size(), 3u);
    EXPECT_EQ(get(api::role::team, "reporters/+97699000050").body.at("sites").as_array().size(), 1u)
        << "a team sees the reporter's sites in its areas only";

    EXPECT_EQ(error_of(call(api::role::admin, verb::post, "reporters", R"({"phone": "+97699000051", "sites": ["XYZ"]})")),
              "sites[0]: \"XYZ\" is not an active site");
    EXPECT_EQ(error_of(call(api::role::admin, verb::post, "reporters", R"({"phone": "+97699000051"})")), "sites: missing");
    EXPECT_EQ(call(api::role::admin, verb::post, "reporters", R"({"phone": "+97699000050", "sites": ["ALT"]})").status,
              status::conflict);

    a = call(api::role::admin, verb::patch, "reporters/+97699000050", R"({"sites": ["TSD"]})");
    ASSERT_EQ(a.status, status::ok) << error_of(a);
    EXPECT_EQ(text(a.body, "name"), "Volunteer new");
    EXPECT_EQ(json::serialize(a.audits.at(0).detail), R"({"sites":["TSD"]})");
    EXPECT_EQ(get(api::role::team, "reporters/+97699000050").status, status::not_found) << "no longer at its sites";

    a = call(api::role::coordinator, verb::delete_, "reporters/+97699000050");
    ASSERT_EQ(a.status, status::ok);
    EXPECT_FALSE(a.body.at("active").as_bool());
    EXPECT_FALSE(store::find_reporter(db, "+97699000050"));
    EXPECT_EQ(call(api::role::admin, verb::delete_, "reporters/+97699000050").status, status::not_found);
}

TEST_F(api_registry, a_site_made_through_the_api_is_reported_on_once_the_routing_is_rebuilt_without_a_restart) {
    // The routing as the daemon built it at start, from the file and the store.
    const auto before = daemon_detail::routing_of(cfg, daemon_detail::registry_held(db));
    ASSERT_EQ(call(api::role::admin, verb::post, "sites", R"({"code": "KHN", "area": "Bayankhongor/Bayan-Ovoo"})").status,
              status::created);
    ASSERT_EQ(call(api::role::admin, verb::post, "reporters", R"({"phone": "+97699000050", "sites": ["KHN"]})").status,
              status::created);
    // What the service does after the commit of a registry change: the routing rebuilt from the store.
    const auto after = daemon_detail::routing_of(cfg, daemon_detail::registry_held(db));

    auto send = [&](const daemon_detail::routing& rt, const std::string& text, std::int64_t at) {
        SQLite::Transaction tx(db);
        inbound in;
        in.channel = "generic";
        in.from = "+97699000050";
        in.text = text;
        auto out = take_in(db, in, *rt.lex, rt.intake, store::from_unix_ms(at));
        tx.commit();
        return out;
    };
    const auto refused = send(*before, "ID KHN 1B 12 PAN", 10'000);
    EXPECT_EQ(refused.status, store::message_status::rejected) << "the old routing does not know KHN";
    const auto taken = send(*after, "ID KHN 2B 13 PAN", 20'000'000);
    EXPECT_EQ(taken.status, store::message_status::accepted) << taken.reply;
    EXPECT_EQ(taken.case_codes.size(), 2u) << "a case per child";
    EXPECT_TRUE(taken.alert) << "the team covering the new site's area is alerted";
}

TEST_F(api_registry, a_reload_keeps_the_api_changes_and_names_them_for_the_log_line) {
    ASSERT_EQ(call(api::role::admin, verb::post, "sites", R"({"code": "KHN", "area": "Bayankhongor/Bayan-Ovoo"})").status,
              status::created);
    ASSERT_EQ(call(api::role::admin, verb::patch, "sites/ULT", R"({"name": "Ult, renamed at run time"})").status,
              status::ok);
    ASSERT_EQ(call(api::role::admin, verb::delete_, "coordinators/+97699000202").status, status::ok);
    const auto r = store::sync_registry(db, registry_snapshot_of(cfg), store::from_unix_ms(5'000));
    ASSERT_TRUE(r);
    EXPECT_EQ(kept_at_run_time(*r), "kept as changed at run time: site ULT, coordinator +976****0202");
    EXPECT_TRUE(store::find_site(db, "KHN")->active);
    EXPECT_EQ(store::find_site(db, "ULT")->name, "Ult, renamed at run time");
    const auto held = daemon_detail::registry_held(db, *r);
    const auto e = daemon_detail::effective(cfg, held);
    EXPECT_EQ(e.find_site("ULT")->name, "Ult, renamed at run time");
    EXPECT_TRUE(e.find_site("KHN"));
    EXPECT_EQ(e.coordinators.size(), 1u) << "the removed coordinator gets no alerts";
}

} // namespace
} // namespace kharuul::gateway
