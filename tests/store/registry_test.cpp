// The registry: configuration sync is an upsert that keeps reporters added at run time, and the
// run-time reporter commands refuse what they cannot do.
#include "store/registry.hpp"

#include "store/cases.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::demo_registry;
using testing::sms_from;

class registry : public testing::store_test {
protected:
    int count(const char* table) { return db.execAndGet(std::string("SELECT COUNT(*) FROM ") + table).getInt(); }
};

TEST_F(registry, syncing_the_same_configuration_twice_changes_nothing)
{
    const int sites = count("sites"), teams = count("teams"), members = count("team_members"),
              reporters = count("reporters"), links = count("reporter_sites");
    ASSERT_TRUE(sync_registry(db, demo_registry(), at_ms(100)));
    EXPECT_EQ(count("sites"), sites);
    EXPECT_EQ(count("teams"), teams);
    EXPECT_EQ(count("team_members"), members);
    EXPECT_EQ(count("reporters"), reporters);
    EXPECT_EQ(count("reporter_sites"), links);
    EXPECT_EQ(find_reporter(db, "+97699000001")->created_at, at_ms(0)); // first seen, kept
}

TEST_F(registry, sync_updates_changed_entries_in_place)
{
    auto changed = demo_registry();
    changed.sites[0].name = "Site A renamed";
    changed.reporters[0].lang = "en";
    changed.reporters[0].sites = {"DKH"};
    changed.teams[0].members.pop_back();
    ASSERT_TRUE(sync_registry(db, changed, at_ms(100)));
    EXPECT_EQ(find_site(db, "ALT")->name, "Site A renamed");
    const auto r = find_reporter(db, "+97699000001");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->lang, "en");
    EXPECT_EQ(r->sites, std::vector<std::string>{"DKH"});
    EXPECT_FALSE(is_team_member(db, "+97699000102"));
    EXPECT_TRUE(is_team_member(db, "+97699000101"));
}

TEST_F(registry, sync_keeps_reporters_added_at_run_time_and_deactivates_dropped_configured_ones)
{
    ASSERT_TRUE(add_reporter(db, {"+97699000050", "Reporter CLI", "mn", "teacher", {"DKH"}}, at_ms(10)));
    auto smaller = demo_registry();
    smaller.reporters.pop_back(); // +97699000002 no longer configured
    ASSERT_TRUE(sync_registry(db, smaller, at_ms(20)));

    const auto cli = find_reporter(db, "+97699000050");
    ASSERT_TRUE(cli);
    EXPECT_FALSE(cli->from_config);
    EXPECT_EQ(cli->kind, "teacher");
    EXPECT_EQ(cli->sites, std::vector<std::string>{"DKH"});
    EXPECT_FALSE(find_reporter(db, "+97699000002"));
    EXPECT_TRUE(find_reporter(db, "+97699000001"));
    EXPECT_EQ(list_reporters(db).size(), 2u);
    EXPECT_EQ(list_reporters(db, true).size(), 3u);

    ASSERT_TRUE(sync_registry(db, demo_registry(), at_ms(30))); // configured again: active again
    EXPECT_TRUE(find_reporter(db, "+97699000002"));
}

TEST_F(registry, a_reporter_with_an_unknown_site_fails_the_whole_sync)
{
    auto bad = demo_registry();
    bad.sites.push_back({"NEW", "New site", "mine", "Area/One"});
    bad.reporters.push_back({"+97699000003", "Reporter C", "mn", "volunteer", {"XYZ"}});
    const auto r = sync_registry(db, bad, at_ms(5));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), make_error_code(errc::unknown_site));
    EXPECT_FALSE(find_site(db, "NEW"));
    EXPECT_FALSE(find_reporter(db, "+97699000003"));
}

TEST_F(registry, a_team_no_longer_configured_keeps_its_row_but_routes_and_grants_nothing)
{
    auto one_team = demo_registry();
    one_team.teams.pop_back();
    ASSERT_TRUE(sync_registry(db, one_team, at_ms(5)));
    EXPECT_EQ(count("teams"), 2);
    EXPECT_FALSE(is_team_member(db, "+97699000201"));
    EXPECT_TRUE(teams_covering_site(db, "DKH").empty());
}

TEST_F(registry, a_site_no_longer_configured_is_kept_inactive_with_its_open_cases_and_named_as_removed)
{
    // An open case at DKH.
    const auto msg = *insert_message(db, sms_from("+97699000002", "ID DKH ...", at_ms(1)));
    parser::sms_message m;
    m.kind = parser::form::id;
    m.body = parser::sighting{"DKH", {1, 0, 0}, 11, 13, "MINE", {"SHAFT"}};
    const auto ev = insert_event(db, make_event(m, msg, "+97699000002", at_ms(1)));
    ASSERT_TRUE(open_cases(db, make_case_opening(m, ev, msg, "+97699000002", at_ms(1))));

    auto without_dkh = demo_registry();
    without_dkh.sites.pop_back();
    without_dkh.reporters.back().sites = {"ALT"};
    const auto r = sync_registry(db, without_dkh, at_ms(2));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->removed_sites.size(), 1u);
    EXPECT_EQ(r->removed_sites[0].code, "DKH");
    EXPECT_EQ(r->removed_sites[0].open_cases, 1);
    EXPECT_EQ(r->active_sites, std::vector<std::string>{"ALT"});
    const auto dkh = find_site(db, "DKH");
    ASSERT_TRUE(dkh) << "kept: its case and events name it";
    EXPECT_FALSE(dkh->active);
    EXPECT_TRUE(find_site(db, "ALT")->active);
    EXPECT_EQ(list_sites(db).size(), 2u);
    EXPECT_EQ(add_reporter(db, {"+97699000070", "Late", "mn", "volunteer", {"DKH"}}, at_ms(3)).error(),
              make_error_code(errc::unknown_site))
        << "an inactive site takes no new reporters";

    const auto again = sync_registry(db, demo_registry(), at_ms(4)); // configured again: active again
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->removed_sites.empty());
    EXPECT_TRUE(find_site(db, "DKH")->active);
    EXPECT_EQ(again->active_sites, (std::vector<std::string>{"ALT", "DKH"}));
}

TEST_F(registry, a_snapshot_without_sites_or_teams_leaves_the_stored_ones_and_a_removed_team_is_named)
{
    auto no_sites_no_teams = demo_registry();
    no_sites_no_teams.sites.clear();
    no_sites_no_teams.teams.clear();
    const auto r = sync_registry(db, no_sites_no_teams, at_ms(5));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->removed_sites.empty());
    EXPECT_TRUE(r->removed_teams.empty());
    EXPECT_EQ(r->active_sites, (std::vector<std::string>{"ALT", "DKH"}));
    EXPECT_EQ(list_teams(db).size(), 2u);
    EXPECT_TRUE(is_team_member(db, "+97699000201"));

    auto one_team = demo_registry();
    one_team.teams.pop_back();
    const auto fewer = sync_registry(db, one_team, at_ms(6));
    ASSERT_TRUE(fewer);
    EXPECT_EQ(fewer->removed_teams, std::vector<std::string>{"Team two"});
}

TEST_F(registry, adding_and_removing_reporters_refuses_what_it_cannot_do)
{
    EXPECT_EQ(add_reporter(db, {"+97699000001", "Again", "mn", "volunteer", {"ALT"}}, at_ms(1)).error(),
              make_error_code(errc::reporter_exists));
    EXPECT_EQ(add_reporter(db, {"+97699000060", "Reporter X", "mn", "volunteer", {"XYZ"}}, at_ms(1)).error(),
              make_error_code(errc::unknown_site));
    EXPECT_FALSE(find_reporter(db, "+97699000060"));
    EXPECT_EQ(remove_reporter(db, "+97699000061").error(), make_error_code(errc::unknown_reporter));

    ASSERT_TRUE(remove_reporter(db, "+97699000001"));
    EXPECT_FALSE(find_reporter(db, "+97699000001"));
    EXPECT_EQ(remove_reporter(db, "+97699000001").error(), make_error_code(errc::unknown_reporter));
    ASSERT_TRUE(add_reporter(db, {"+97699000001", "Reporter A", "en", "volunteer", {"DKH"}}, at_ms(2)));
    const auto back = find_reporter(db, "+97699000001");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->lang, "en");
    EXPECT_EQ(back->sites, std::vector<std::string>{"DKH"});
}

TEST_F(registry, roles_coordinators_and_covering_teams_are_looked_up_by_phone_and_site)
{
    const auto roles = team_roles(db, "+97699000101");
    ASSERT_EQ(roles.size(), 1u);
    EXPECT_EQ(roles[0].team, "Team one");
    EXPECT_EQ(roles[0].role, "leader");
    EXPECT_TRUE(team_roles(db, "+97699000001").empty());
    EXPECT_EQ(find_coordinator(db, "+97699000301")->lang, "en");
    EXPECT_FALSE(find_coordinator(db, "+97699000101"));
    EXPECT_EQ(list_coordinators(db).size(), 1u);
    EXPECT_EQ(list_sites(db).size(), 2u);

    const auto teams = teams_covering_site(db, "DKH");
    ASSERT_EQ(teams.size(), 1u);
    EXPECT_EQ(teams[0].definition.name, "Team two");
    EXPECT_TRUE(teams[0].definition.sensitive_cases);
    ASSERT_EQ(teams[0].definition.members.size(), 1u);
    EXPECT_EQ(teams[0].definition.members[0].phone, "+97699000201");
}

} // namespace
} // namespace kharuul::store
