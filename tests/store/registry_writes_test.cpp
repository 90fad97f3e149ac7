// The registry changed at run time (the API's store functions): every write marks its row as
// made at run time, refuses what would leave the registry inconsistent, and a reload from the
// file leaves those rows alone while the file's own rows still follow the file.
#include "store/registry.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::demo_registry;

class registry_writes : public testing::store_test {
protected:
    static bool has(const std::vector<registry_changes::kept_row>& kept, std::string_view kind, std::string_view key) {
        return std::ranges::any_of(kept, [&](const auto& k) { return k.kind == kind && k.key == key; });
    }
};

TEST_F(registry_writes, a_site_is_created_updated_and_deactivated_and_marked_as_changed_at_run_time)
{
    ASSERT_TRUE(create_site(db, {"ULT", "Site U", "mine", "Area/One/Sub"}));
    auto ult = find_site(db, "ULT");
    ASSERT_TRUE(ult);
    EXPECT_TRUE(ult->active);
    EXPECT_FALSE(ult->from_config);
    EXPECT_EQ(ult->area, "Area/One/Sub");
    EXPECT_EQ(create_site(db, {"ULT", "Again", "mine", "Area/One"}).error(), make_error_code(errc::site_exists));

    ASSERT_TRUE(update_site(db, {"ULT", "Site U renamed", "market", "Area/Two", true}));
    EXPECT_EQ(find_site(db, "ULT")->name, "Site U renamed");
    EXPECT_EQ(find_site(db, "ULT")->kind, "market");
    EXPECT_EQ(update_site(db, {"XYZ", "", "mine", "Area/One", true}).error(), make_error_code(errc::unknown_site));

    ASSERT_TRUE(update_site(db, {"ALT", "Site A from the API", "mine", "Area/One", true}));
    EXPECT_FALSE(find_site(db, "ALT")->from_config) << "a file's site changed at run time";

    const auto gone = deactivate_site(db, "ULT");
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->code, "ULT");
    EXPECT_EQ(gone->open_cases, 0);
    EXPECT_FALSE(find_site(db, "ULT")->active);
    EXPECT_EQ(deactivate_site(db, "ULT").error(), make_error_code(errc::unknown_site)) << "inactive already";
    EXPECT_EQ(active_site_codes(db), (std::vector<std::string>{"ALT", "DKH"}));
}

TEST_F(registry_writes, a_site_in_an_area_no_team_covers_is_refused_and_named)
{
    std::vector<std::string> uncovered;
    EXPECT_EQ(create_site(db, {"NOW", "Nowhere", "mine", "Area/Three"}, &uncovered).error(),
              make_error_code(errc::site_uncovered));
    EXPECT_EQ(uncovered, std::vector<std::string>{"NOW"});
    EXPECT_FALSE(find_site(db, "NOW")) << "nothing written";
    EXPECT_EQ(update_site(db, {"DKH", "Site D", "market", "Area/Three", true}, &uncovered).error(),
              make_error_code(errc::site_uncovered));
    EXPECT_EQ(find_site(db, "DKH")->area, "Area/Two");
    EXPECT_TRUE(find_site(db, "DKH")->from_config) << "rolled back";
    ASSERT_TRUE(update_site(db, {"DKH", "Site D", "market", "Area/Three", false}))
        << "an inactive site needs no team";
}

TEST_F(registry_writes, a_team_is_created_updated_and_removed_unless_a_site_would_be_left_uncovered)
{
    const team three{"Team three", {"Area/Three"}, false, {{"+97699000401", "Member E", "leader", "en"}}};
    ASSERT_TRUE(create_team(db, three));
    EXPECT_EQ(create_team(db, three).error(), make_error_code(errc::team_exists));
    auto t = find_team(db, "Team three");
    ASSERT_TRUE(t);
    EXPECT_FALSE(t->from_config);
    EXPECT_EQ(t->definition.members.size(), 1u);
    ASSERT_TRUE(create_site(db, {"THR", "Site T", "dumpsite", "Area/Three/Soum"}));

    team changed = three;
    changed.sensitive_cases = true;
    changed.members.push_back({"+97699000402", "Member F", "member", "mn"});
    ASSERT_TRUE(update_team(db, changed));
    EXPECT_TRUE(find_team(db, "Team three")->definition.sensitive_cases);
    EXPECT_TRUE(is_team_member(db, "+97699000402"));
    EXPECT_EQ(update_team(db, {"No team", {"Area/One"}, false, {}}).error(), make_error_code(errc::unknown_team));

    std::vector<std::string> uncovered;
    EXPECT_EQ(remove_team(db, "Team three", &uncovered).error(), make_error_code(errc::site_uncovered));
    EXPECT_EQ(uncovered, std::vector<std::string>{"THR"});
    team elsewhere = changed;
    elsewhere.areas = {"Area/Four"};
    EXPECT_EQ(update_team(db, elsewhere, &uncovered).error(), make_error_code(errc::site_uncovered));
    EXPECT_EQ(find_team(db, "Team three")->definition.areas, std::vector<std::string>{"Area/Three"});

    ASSERT_TRUE(deactivate_site(db, "THR"));
    ASSERT_TRUE(remove_team(db, "Team three"));
    EXPECT_FALSE(find_team(db, "Team three")) << "a removed team has no areas";
    EXPECT_FALSE(is_team_member(db, "+97699000401"));
    EXPECT_EQ(remove_team(db, "Team three").error(), make_error_code(errc::unknown_team));
    ASSERT_TRUE(create_team(db, three)) << "a removed team's name can be used again";
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM teams WHERE name = 'Team three'").getInt(), 1) << "its row reused";
}

TEST_F(registry_writes, a_coordinator_is_added_changed_and_removed_and_a_removed_one_can_come_back)
{
    ASSERT_TRUE(create_coordinator(db, {"+97699000302", "Coordinator B", "mn"}));
    EXPECT_EQ(create_coordinator(db, {"+97699000302", "Again", "mn"}).error(),
              make_error_code(errc::coordinator_exists));
    EXPECT_FALSE(find_coordinator(db, "+97699000302")->from_config);
    ASSERT_TRUE(update_coordinator(db, {"+97699000301", "Coordinator A renamed", "mn"}));
    EXPECT_EQ(find_coordinator(db, "+97699000301")->name, "Coordinator A renamed");
    EXPECT_EQ(update_coordinator(db, {"+97699000399", "", "mn"}).error(), make_error_code(errc::unknown_coordinator));

    ASSERT_TRUE(remove_coordinator(db, "+97699000302"));
    EXPECT_FALSE(find_coordinator(db, "+97699000302"));
    EXPECT_EQ(list_coordinators(db).size(), 1u);
    EXPECT_EQ(remove_coordinator(db, "+97699000302").error(), make_error_code(errc::unknown_coordinator));
    ASSERT_TRUE(create_coordinator(db, {"+97699000302", "Coordinator B back", "en"}));
    EXPECT_EQ(find_coordinator(db, "+97699000302")->lang, "en");
}

TEST_F(registry_writes, a_reporter_is_updated_in_place_and_only_with_active_sites)
{
    ASSERT_TRUE(update_reporter(db, {"+97699000001", "Reporter A renamed", "en", "teacher", {"DKH", "ALT"}}));
    const auto r = find_reporter(db, "+97699000001");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->name, "Reporter A renamed");
    EXPECT_EQ(r->kind, "teacher");
    EXPECT_EQ(r->sites, (std::vector<std::string>{"ALT", "DKH"}));
    EXPECT_FALSE(r->from_config);
    EXPECT_EQ(update_reporter(db, {"+97699000001", "X", "mn", "volunteer", {"XYZ"}}).error(),
              make_error_code(errc::unknown_site));
    EXPECT_EQ(find_reporter(db, "+97699000001")->name, "Reporter A renamed") << "nothing written";
    EXPECT_EQ(update_reporter(db, {"+97699000099", "X", "mn", "volunteer", {"ALT"}}).error(),
              make_error_code(errc::unknown_reporter));
}

TEST_F(registry_writes, a_site_made_through_the_api_survives_a_reload_that_does_not_name_it)
{
    ASSERT_TRUE(create_site(db, {"ULT", "Site U", "mine", "Area/One"}));
    ASSERT_TRUE(create_team(db, {"Team three", {"Area/Three"}, false, {{"+97699000401", "E", "leader", "mn"}}}));
    ASSERT_TRUE(create_coordinator(db, {"+97699000302", "Coordinator B", "mn"}));
    ASSERT_TRUE(add_reporter(db, {"+97699000050", "Reporter CLI", "mn", "volunteer", {"ULT"}}, at_ms(1)));

    const auto r = sync_registry(db, demo_registry(), at_ms(10));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->removed_sites.empty());
    EXPECT_TRUE(r->kept.empty()) << "the file names none of them";
    EXPECT_EQ(r->active_sites, (std::vector<std::string>{"ALT", "DKH", "ULT"}));
    EXPECT_TRUE(find_team(db, "Team three"));
    EXPECT_TRUE(find_coordinator(db, "+97699000302"));
    EXPECT_EQ(find_reporter(db, "+97699000050")->sites, std::vector<std::string>{"ULT"});
}

TEST_F(registry_writes, a_files_row_changed_through_the_api_is_not_overwritten_by_the_next_reload_and_is_named)
{
    ASSERT_TRUE(update_site(db, {"ALT", "Site A from the API", "mine", "Area/One", true}));
    auto team_one = demo_registry().teams[0];
    team_one.members.pop_back();
    ASSERT_TRUE(update_team(db, team_one));
    ASSERT_TRUE(remove_coordinator(db, "+97699000301"));
    ASSERT_TRUE(update_reporter(db, {"+97699000002", "Reporter B", "en", "volunteer", {"DKH"}}));

    auto file = demo_registry();
    file.sites[1].name = "Site D renamed in the file"; // a row from the file: follows it
    const auto r = sync_registry(db, file, at_ms(10));
    ASSERT_TRUE(r);
    EXPECT_EQ(find_site(db, "ALT")->name, "Site A from the API");
    EXPECT_EQ(find_site(db, "DKH")->name, "Site D renamed in the file");
    EXPECT_FALSE(is_team_member(db, "+97699000102")) << "the team as changed at run time";
    EXPECT_FALSE(find_coordinator(db, "+97699000301")) << "a removed coordinator stays removed";
    EXPECT_EQ(find_reporter(db, "+97699000002")->sites, std::vector<std::string>{"DKH"});
    EXPECT_TRUE(has(r->kept, "site", "ALT"));
    EXPECT_TRUE(has(r->kept, "team", "Team one"));
    EXPECT_TRUE(has(r->kept, "coordinator", "+97699000301"));
    EXPECT_TRUE(has(r->kept, "reporter", "+97699000002"));
    EXPECT_FALSE(has(r->kept, "site", "DKH"));
    EXPECT_EQ(r->kept.size(), 4u);
}

TEST_F(registry_writes, a_file_that_says_what_the_run_time_change_says_takes_the_row_back)
{
    ASSERT_TRUE(update_site(db, {"ALT", "Site A from the API", "mine", "Area/One", true}));
    auto file = demo_registry();
    file.sites[0].name = "Site A from the API"; // the operator copied the change into the file
    const auto r = sync_registry(db, file, at_ms(10));
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->kept.empty());
    EXPECT_TRUE(find_site(db, "ALT")->from_config);

    file.sites[0].name = "Site A, later"; // and later edits of the file apply again
    ASSERT_TRUE(sync_registry(db, file, at_ms(20)));
    EXPECT_EQ(find_site(db, "ALT")->name, "Site A, later");
}

TEST_F(registry_writes, a_files_site_deactivated_through_the_api_stays_inactive_and_its_reporters_still_sync)
{
    ASSERT_TRUE(deactivate_site(db, "DKH"));
    const auto r = sync_registry(db, demo_registry(), at_ms(10)); // names DKH and a reporter at DKH
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_FALSE(find_site(db, "DKH")->active);
    EXPECT_TRUE(has(r->kept, "site", "DKH"));
    EXPECT_EQ(r->active_sites, std::vector<std::string>{"ALT"});
}

TEST_F(registry_writes, rows_from_the_file_still_follow_the_file)
{
    ASSERT_TRUE(create_site(db, {"ULT", "Site U", "mine", "Area/One"}));
    auto file = demo_registry();
    file.sites.pop_back();                 // DKH dropped from the file
    file.reporters.back().sites = {"ALT"};
    file.teams.pop_back();                 // Team two dropped
    file.coordinators.clear();             // the coordinator dropped
    const auto r = sync_registry(db, file, at_ms(10));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->removed_sites.size(), 1u);
    EXPECT_EQ(r->removed_sites[0].code, "DKH");
    EXPECT_EQ(r->removed_teams, std::vector<std::string>{"Team two"});
    EXPECT_FALSE(find_coordinator(db, "+97699000301"));
    EXPECT_EQ(r->active_sites, (std::vector<std::string>{"ALT", "ULT"})) << "the API's site stays";
}

} // namespace
} // namespace kharuul::store
