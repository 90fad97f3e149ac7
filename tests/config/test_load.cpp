// Tests of config/load.hpp: the shipped demo configuration loads cleanly, every broken
// configuration is reported at its line and key path with a fix, all problems are reported at
// once, TOML syntax errors carry their line, and omitted sections take their defaults.
#include "config/load.hpp"
#include "tests/support/e164_samples.hpp"
#include "tests/support/phone_samples.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

using namespace kharuul::config;
using namespace std::chrono_literals;

namespace {

std::filesystem::path demo_path() {
    const char* source_dir = std::getenv("KHARUUL_SOURCE_DIR");
    const std::filesystem::path root = source_dir != nullptr ? source_dir : ".";
    return root / "config" / "demo.toml";
}

// The channels (one that receives, one alerts go out through) and the alerts section, so that a
// case can leave them out. Appended after the case's own text, so that the case's line numbers
// start at 1.
constexpr std::string_view channel_and_alerts = R"(
[[channels]]
name = "log"
type = "log"
[[channels]]
name = "sms-in"
type = "generic"
secret = "s"
[alerts]
outbound_channel = "log"
)";

// A channel that receives, for the cases that bring their own [alerts] (appended likewise).
constexpr std::string_view inbound_channel = R"(
[[channels]]
name = "sms-in"
type = "generic"
secret = "s"
)";

// A site with a team covering it: lines 1 to 7 of the cases that start with it.
constexpr std::string_view site_and_team = R"([[sites]]
code = "ALT"
area = "Bayankhongor/Bayan-Ovoo"
[[teams]]
name = "Bayan-Ovoo team"
areas = ["Bayankhongor/Bayan-Ovoo"]
members = [{ phone = "+97699000101", role = "leader" }]
)";

std::string errors_of(const load_result& r) {
    std::string out;
    for (const auto& p : r.problems) {
        out += format_problem(p) + "\n";
    }
    return out;
}

const problem* find_problem(const load_result& r, std::string_view key_path) {
    const auto it = std::ranges::find(r.problems, key_path, &problem::key_path);
    return it == r.problems.end() ? nullptr : &*it;
}

} // namespace

TEST(demo_config, loads_with_no_problems) {
    const auto r = load_config(demo_path());
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_TRUE(r.problems.empty()) << errors_of(r);
}

TEST(demo_config, listens_on_loopback_and_sends_through_the_log_channel) {
    const auto r = load_config(demo_path());
    ASSERT_TRUE(r.ok()) << errors_of(r);
    const auto& c = *r.config;
    EXPECT_EQ(c.server.listen.host, "127.0.0.1");
    EXPECT_EQ(c.server.listen.port, 8080);
    EXPECT_EQ(c.store.path, "var/kharuul.db");
    ASSERT_NE(c.find_channel(c.alerts.outbound_channel), nullptr);
    EXPECT_EQ(c.find_channel(c.alerts.outbound_channel)->type, channel_type::log);
    ASSERT_NE(c.find_channel("generic"), nullptr);
    EXPECT_EQ(c.find_channel("generic")->secret, "demo-secret");
    ASSERT_NE(c.find_channel("kannel"), nullptr);
    EXPECT_EQ(c.find_channel("kannel")->send_url, "http://127.0.0.1:13013/cgi-bin/sendsms");
}

TEST(demo_config, can_send_its_alerts_through_its_africastalking_channel_with_username_and_api_key) {
    std::ifstream in(demo_path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "outbound_channel = \"log\"";
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    for (const char* channel : {"africastalking", "twilio"}) {
        std::string changed = text;
        changed.replace(at, from.size(), std::string("outbound_channel = \"") + channel + "\"");
        const auto r = parse_config(changed, "demo.toml");
        EXPECT_TRUE(r.ok()) << channel << ":\n" << errors_of(r);
    }
}

TEST(demo_config, every_site_has_a_team_with_a_leader_and_one_team_takes_sensitive_cases) {
    const auto r = load_config(demo_path());
    ASSERT_TRUE(r.ok()) << errors_of(r);
    const auto& c = *r.config;
    EXPECT_EQ(c.site_codes(), (std::vector<std::string>{"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"}));
    for (const auto& site : c.sites) {
        const auto teams = c.teams_covering(site);
        EXPECT_FALSE(teams.empty()) << site.code;
        for (const auto* team : teams) {
            EXPECT_TRUE(std::ranges::any_of(team->members, [](const team_member& m) {
                return m.role == member_role::leader;
            })) << team->name;
        }
    }
    EXPECT_EQ(std::ranges::count_if(c.teams, [](const team_config& t) { return t.sensitive_cases; }), 1);
    EXPECT_EQ(c.coordinators.size(), 2u);
}

TEST(demo_config, reporter_of_altan_us_is_registered_with_made_up_numbers_only) {
    const auto r = load_config(demo_path());
    ASSERT_TRUE(r.ok()) << errors_of(r);
    const auto& c = *r.config;
    const auto it = std::ranges::find(c.reporters, "+97699000001", &reporter_config::phone);
    ASSERT_NE(it, c.reporters.end());
    EXPECT_EQ(it->sites, std::vector<std::string>{"ALT"});
    std::vector<std::string> phones;
    for (const auto& rep : c.reporters) {
        phones.push_back(rep.phone);
    }
    for (const auto& coordinator : c.coordinators) {
        phones.push_back(coordinator.phone);
    }
    for (const auto& team : c.teams) {
        for (const auto& m : team.members) {
            phones.push_back(m.phone);
        }
    }
    for (const auto& phone : phones) {
        EXPECT_TRUE(phone.starts_with("+97699000") && phone.size() == 12) << phone;
    }
}

// The one E.164 rule (parser::is_e164), on the table `kharuul reporter add` is held to as well
// (tests/gateway/test_coordinator_commands.cpp): a reporter's number is taken exactly when it is
// valid there, and refused at its key otherwise.
TEST(config_phone, takes_a_reporter_number_exactly_when_reporter_add_does) {
    for (const auto& sample : kharuul::test::e164_samples) {
        const std::string text = std::string(site_and_team) + "[[reporters]]\nphone = \"" +
                                 std::string(sample.phone) + "\"\nsites = [\"ALT\"]\n" +
                                 std::string(channel_and_alerts);
        const auto r = parse_config(text, "phones.toml");
        EXPECT_EQ(r.ok(), sample.valid) << sample.phone << ":\n" << errors_of(r);
        const problem* p = find_problem(r, "reporters[0].phone");
        if (sample.valid) {
            EXPECT_EQ(p, nullptr) << sample.phone << ":\n" << errors_of(r);
        } else {
            ASSERT_NE(p, nullptr) << sample.phone << ":\n" << errors_of(r);
            EXPECT_NE(p->message.find("is not a phone number"), std::string::npos) << format_problem(*p);
        }
    }
}

// The one normalisation (parser::normalise_phone) with the file's own [server] country_code: a
// number written with spaces, a 00 prefix or, with the country code, as a national number is
// registered in the registry's form; one that does not become E.164 is refused at its key.
TEST(config_phone, normalises_a_reporter_number_with_the_files_country_code) {
    for (const auto& sample : kharuul::test::typed_phones) {
        if (sample.typed.find_first_of("\r\n") != std::string_view::npos)
            continue; // a TOML string holds no raw line break
        const std::string server =
            sample.country_code.empty() ? "" : "[server]\ncountry_code = \"" + std::string(sample.country_code) + "\"\n";
        const std::string text = server + std::string(site_and_team) + "[[reporters]]\nphone = \"" +
                                 std::string(sample.typed) + "\"\nsites = [\"ALT\"]\n" + std::string(channel_and_alerts);
        const auto r = parse_config(text, "phones.toml");
        EXPECT_EQ(r.ok(), sample.registrable) << sample.typed << ":\n" << errors_of(r);
        if (sample.registrable && r.config) {
            ASSERT_EQ(r.config->reporters.size(), 1u);
            EXPECT_EQ(r.config->reporters[0].phone, sample.normalised) << sample.typed;
            EXPECT_EQ(r.config->server.country_code, sample.country_code);
        } else if (!sample.registrable) {
            const problem* p = find_problem(r, "reporters[0].phone");
            ASSERT_NE(p, nullptr) << sample.typed << ":\n" << errors_of(r);
            EXPECT_EQ(p->file, "phones.toml");
            EXPECT_EQ(p->line, (sample.country_code.empty() ? 9 : 11)) << format_problem(*p);
        }
    }
}

TEST(config_phone, the_demo_names_mongolia_as_its_country) {
    const auto r = load_config(demo_path());
    ASSERT_TRUE(r.config) << errors_of(r);
    EXPECT_EQ(r.config->server.country_code, "976");
}

// ---- broken configurations ----------------------------------------------------------------------

struct broken_case {
    std::string name;        // the test's name: reads as a sentence
    std::string text;        // the file
    bool add_channel = true; // append channel_and_alerts
    int line = 0;            // where the problem must be reported
    std::string key_path;    // and under which key
    std::string message;     // a part of its message
    std::string fix;         // a part of its fix
};

class broken_config : public testing::TestWithParam<broken_case> {};

TEST_P(broken_config, is_reported_at_its_line_and_key_path) {
    const auto& c = GetParam();
    const std::string text = c.text + std::string(c.add_channel ? channel_and_alerts : inbound_channel);
    const auto r = parse_config(text, "broken.toml");
    EXPECT_FALSE(r.ok());
    const problem* p = find_problem(r, c.key_path);
    ASSERT_NE(p, nullptr) << "no problem at " << c.key_path << "; got:\n" << errors_of(r);
    EXPECT_EQ(p->level, severity::error);
    EXPECT_EQ(p->file, "broken.toml");
    EXPECT_EQ(p->line, c.line) << format_problem(*p);
    EXPECT_NE(p->message.find(c.message), std::string::npos) << format_problem(*p);
    EXPECT_NE(p->fix.find(c.fix), std::string::npos) << format_problem(*p);
    EXPECT_EQ(r.problems.size(), 1u) << "one mistake, one problem; got:\n" << errors_of(r);
}

INSTANTIATE_TEST_SUITE_P(
    config, broken_config,
    testing::Values(
        broken_case{"misspelt_key_suggests_the_key_it_is_near", "[server]\nlisen = \"127.0.0.1:8080\"\n",
                    true, 2, "server.lisen", "unknown key \"lisen\"", "did you mean listen?"},
        broken_case{"misspelt_section_suggests_the_section_it_is_near",
                    "[[reporter]]\nphone = \"+97699000001\"\n", true, 1, "reporter", "unknown key",
                    "did you mean reporters?"},
        broken_case{"listen_given_as_a_number_names_the_type_wanted", "[server]\nlisten = 8080\n", true, 2,
                    "server.listen", "is an integer, not a string", "write a string"},
        broken_case{"listen_without_a_port_is_refused", "[server]\nlisten = \"127.0.0.1\"\n", true, 2,
                    "server.listen", "is not host:port", "127.0.0.1:8080"},
        broken_case{
            "short_team_member_phone_is_not_a_phone_number",
            "[[sites]]\ncode = \"ALT\"\narea = \"A/B\"\n[[teams]]\nname = \"T\"\nareas = [\"A/B\"]\n"
            "members = [\n  { phone = \"+97699000101\", role = \"leader\" },\n  { phone = \"9911\" },\n]\n",
            true, 9, "teams[0].members[1].phone", "\"9911\" is not a phone number",
            "write it in E.164, e.g. +97699000101"},
        broken_case{"store_max_queue_of_zero_is_out_of_range", "[store]\nmax_queue = 0\n", true, 2,
                    "store.max_queue", "0 is out of range", "use 1 to 1000000 pending writes"},
        broken_case{"store_max_queue_below_zero_is_out_of_range", "[store]\nmax_queue = -5\n", true, 2,
                    "store.max_queue", "-5 is out of range", "use 1 to"},
        broken_case{"store_max_queue_given_as_a_string_names_the_type_wanted", "[store]\nmax_queue = \"512\"\n",
                    true, 2, "store.max_queue", "is a string", "whole number"},
        broken_case{"national_number_without_a_country_code_names_the_key_that_places_it",
                    "[[coordinators]]\nphone = \"99000201\"\n", true, 2, "coordinators[0].phone",
                    "is not a phone number", "set country_code in [server]"},
        broken_case{"country_code_that_starts_a_longer_code_is_no_calling_code",
                    "[server]\ncountry_code = \"97\"\n", true, 2, "server.country_code",
                    "\"97\" is not a country calling code", "e.g. \"976\" (Mongolia)"},
        broken_case{"country_code_with_letters_is_no_calling_code", "[server]\ncountry_code = \"MN\"\n", true,
                    2, "server.country_code", "\"MN\" is not a country calling code", "in digits"},
        broken_case{"country_code_given_as_a_number_names_the_type_wanted", "[server]\ncountry_code = 976\n",
                    true, 2, "server.country_code", "is an integer, not a string", "write a string"},
        broken_case{"second_site_with_the_same_code_is_a_duplicate",
                    std::string(site_and_team) +
                        "[[sites]]\ncode = \"ALT\"\narea = \"Bayankhongor/Bayan-Ovoo\"\n",
                    true, 9, "sites[1].code", "\"ALT\" is also sites[0].code", "its own code"},
        broken_case{"lower_case_site_code_is_shown_in_capitals",
                    "[[sites]]\ncode = \"alt\"\narea = \"A/B\"\n", true, 2, "sites[0].code",
                    "is not a site code", "write it in capitals: ALT"},
        broken_case{"site_without_area_names_the_missing_key", "[[sites]]\ncode = \"ALT\"\n", true, 1,
                    "sites[0].area", "required key is missing", "add area ="},
        broken_case{"site_no_team_covers_is_a_routing_problem",
                    "[[sites]]\ncode = \"ALT\"\narea = \"Bayankhongor/Bayan-Ovoo\"\n[[sites]]\ncode = \"DKH\"\n"
                    "area = \"A/B\"\n[[teams]]\nname = \"T\"\nareas = [\"A/B\"]\n"
                    "members = [{ phone = \"+97699000101\", role = \"leader\" }]\n",
                    true, 3,
                    "sites[0].area", "no team covers \"Bayankhongor/Bayan-Ovoo\"", "to a team's areas"},
        broken_case{"reporter_at_an_unknown_site_suggests_the_nearest_site",
                    std::string(site_and_team) +
                        "[[reporters]]\nphone = \"+97699000001\"\nsites = [\"ALX\"]\n",
                    true, 10, "reporters[0].sites[0]", "\"ALX\" is not a site", "did you mean ALT?"},
        broken_case{"same_reporter_phone_twice_is_a_duplicate",
                    std::string(site_and_team) +
                        "[[reporters]]\nphone = \"+97699000001\"\n[[reporters]]\nphone = \"+97699000001\"\n",
                    true, 11, "reporters[1].phone", "is also reporters[0].phone", "list each reporter once"},
        broken_case{"team_without_a_leader_is_refused",
                    "[[sites]]\ncode = \"ALT\"\narea = \"A/B\"\n[[teams]]\nname = \"T\"\nareas = [\"A/B\"]\n"
                    "members = [{ phone = \"+97699000101\" }]\n",
                    true, 7, "teams[0].members", "no leader", "role = \"leader\""},
        broken_case{"team_without_members_is_refused",
                    "[[sites]]\ncode = \"ALT\"\narea = \"A/B\"\n[[teams]]\nname = \"T\"\nareas = [\"A/B\"]\n",
                    true, 4, "teams[0].members", "no members", "add members"},
        broken_case{"member_role_typo_suggests_leader",
                    "[[sites]]\ncode = \"ALT\"\narea = \"A/B\"\n[[teams]]\nname = \"T\"\nareas = [\"A/B\"]\n"
                    "[[teams.members]]\nphone = \"+97699000101\"\nrole = \"leeder\"\n",
                    true, 9, "teams[0].members[0].role", "is not a team role", "did you mean leader?"},
        broken_case{"coordinator_language_other_than_en_or_mn_is_refused",
                    "[[coordinators]]\nphone = \"+97699000201\"\nlang = \"ru\"\n", true, 3,
                    "coordinators[0].lang", "\"ru\" is not a reply language", "\"en\""},
        broken_case{"generic_channel_without_secret_is_refused",
                    "[[channels]]\nname = \"generic\"\ntype = \"generic\"\n", true, 1, "channels[0].secret",
                    "needs secret", "add secret ="},
        broken_case{"channel_type_typo_suggests_the_type", "[[channels]]\nname = \"k\"\ntype = \"kanel\"\n",
                    true, 3, "channels[0].type", "is not a channel type", "did you mean kannel?"},
        broken_case{"channel_name_that_cannot_be_a_url_segment_is_refused",
                    "[[channels]]\nname = \"my channel\"\ntype = \"log\"\n", true, 2, "channels[0].name",
                    "cannot be a URL path segment", "lower-case letters"},
        broken_case{"outbound_channel_naming_no_channel_suggests_one",
                    "[[channels]]\nname = \"log\"\ntype = \"log\"\n[alerts]\noutbound_channel = \"lgo\"\n",
                    false, 5, "alerts.outbound_channel", "\"lgo\" names no channel", "did you mean log?"},
        broken_case{"outbound_kannel_channel_without_send_url_cannot_send",
                    "[[channels]]\nname = \"kannel\"\ntype = \"kannel\"\nsecret = \"s\"\n[alerts]\n"
                    "outbound_channel = \"kannel\"\n",
                    false, 1, "channels[0].send_url", "needs send_url",
                    "http://127.0.0.1:13013/cgi-bin/sendsms"},
        broken_case{"missing_outbound_channel_lists_the_channels",
                    "[[channels]]\nname = \"log\"\ntype = \"log\"\n[alerts]\nurgent_ack_minutes = 20\n",
                    false, 4, "alerts.outbound_channel", "required key is missing", "log"},
        broken_case{
            "zero_minutes_to_acknowledge_is_out_of_range",
            "[alerts]\noutbound_channel = \"log\"\nurgent_ack_minutes = 0\n[[channels]]\nname = \"log\"\n"
            "type = \"log\"\n",
            false, 3, "alerts.urgent_ack_minutes", "0 is out of range", "use 1 to"},
        broken_case{
            "daytime_not_written_as_hours_and_minutes_is_refused",
            "[alerts]\noutbound_channel = \"log\"\ndaytime_start = \"9am\"\n[[channels]]\nname = \"log\"\n"
            "type = \"log\"\n",
            false, 3, "alerts.daytime_start", "is not a time of day", "HH:MM"},
        broken_case{
            "utc_offset_not_written_as_plus_hours_is_refused",
            "[alerts]\noutbound_channel = \"log\"\nutc_offset = \"UTC+8\"\n[[channels]]\nname = \"log\"\n"
            "type = \"log\"\n",
            false, 3, "alerts.utc_offset", "is not a UTC offset", "+08:00"},
        broken_case{"ussd_service_code_without_hash_is_refused", "[ussd]\nservice_code = \"*500\"\n", true, 2,
                    "ussd.service_code", "is not a USSD service code", "*500#"},
        broken_case{"keyword_alias_already_selecting_another_form_is_refused",
                    "[language.keywords]\nID = [\"HELP\"]\n", true, 2, "language.keywords.ID[0]",
                    "\"HELP\" already selects HELP", "no other form uses"},
        broken_case{"unknown_form_suggests_the_nearest_keyword", "[language.keywords]\nIDD = [\"X\"]\n", true,
                    2, "language.keywords.IDD", "unknown key", "did you mean ID?"},
        broken_case{"work_alias_used_by_another_work_code_is_refused",
                    "[[language.work]]\ncode = \"MINE\"\naliases = [\"pan\"]\n", true, 3,
                    "language.work[0].aliases[0]", "\"pan\" is already used by PAN",
                    "one word can name only one code"},
        broken_case{"alias_with_a_space_could_never_be_typed",
                    "[[language.hazards]]\ncode = \"SHAFT\"\naliases = [\"in shaft\"]\n", true, 3,
                    "language.hazards[0].aliases[0]", "contains a space", "one word"},
        broken_case{"new_work_code_in_lower_case_is_shown_in_capitals",
                    "[[language.work]]\ncode = \"gravel\"\nen = \"gravel\"\n", true, 2,
                    "language.work[0].code", "is not a code", "write it in capitals: GRAVEL"},
        broken_case{"new_work_code_without_english_label_is_refused",
                    "[[language.work]]\ncode = \"GRAVEL\"\n", true, 1, "language.work[0].en",
                    "needs its English reply label", "add en ="},
        broken_case{"new_outcome_code_is_refused",
                    "[[language.outcomes]]\ncode = \"MAYBE\"\nen = \"maybe\"\n", true, 2,
                    "language.outcomes[0].code", "is not one of OK and NO", "aliases"},
        broken_case{"sex_letter_already_meaning_a_boy_is_refused_for_girls",
                    "[language.sexes]\ngirl = [\"B\"]\n", true, 2, "language.sexes.girl[0]",
                    "already a letter for boy", "choose"},
        broken_case{"age_unit_that_is_a_sex_letter_is_refused", "[language]\nage_units = [\"G\"]\n", true, 2,
                    "language.age_units[0]", "already a letter for girl", "choose"},
        broken_case{"urgent_on_a_status_code_is_an_unknown_key",
                    "[[language.statuses]]\ncode = \"SCH\"\nurgent = true\n", true, 3,
                    "language.statuses[0].urgent", "unknown key", "code, aliases, en, mn"},
        broken_case{
            "new_status_code_without_a_group_is_refused",
            "[[language.statuses]]\ncode = \"GHER\"\nen = \"gher school\"\nmn = \"гэр\"\nsets = \"nfe\"\n",
            true, 1, "language.statuses[0].group", "needs its group", "\"school\", \"work\" or \"alone\""},
        broken_case{"status_group_that_does_not_exist_suggests_the_nearest",
                    "[[language.statuses]]\ncode = \"GHER\"\nen = \"gher school\"\nmn = \"гэр\"\n"
                    "group = \"shool\"\nsets = \"nfe\"\n",
                    true, 5, "language.statuses[0].group", "is not a status group", "did you mean school?"},
        broken_case{"status_that_sets_a_value_of_another_group_is_refused",
                    "[[language.statuses]]\ncode = \"GHER\"\nen = \"gher school\"\nmn = \"гэр\"\n"
                    "group = \"school\"\nsets = \"not_working\"\n",
                    true, 6, "language.statuses[0].sets", "is not a school status", "nfe"},
        broken_case{"moving_a_shipped_status_to_another_group_needs_its_sets",
                    "[[language.statuses]]\ncode = \"HOME\"\ngroup = \"school\"\n", true, 3,
                    "language.statuses[0].group", "HOME sets \"not_working\"", "add sets"},
        broken_case{"kind_and_group_saying_two_things_are_refused",
                    "[[language.statuses]]\ncode = \"GHER\"\nen = \"g\"\nmn = \"г\"\ngroup = \"school\"\n"
                    "kind = \"work\"\nsets = \"nfe\"\n",
                    true, 6, "language.statuses[0].kind", "but group says", "write only group"},
        broken_case{"new_target_code_is_refused", "[[language.targets]]\ncode = \"X\"\nen = \"x\"\n", true, 2,
                    "language.targets[0].code", "is not one of W and P", "aliases"},
        broken_case{"new_result_code_is_refused", "[[language.results]]\ncode = \"HALF\"\nen = \"half\"\n",
                    true, 2, "language.results[0].code", "is not one of WD, PR, LESS and NO", "aliases"},
        broken_case{"category_alias_used_by_another_category_is_refused",
                    "[[language.categories]]\ncode = \"CL\"\naliases = [\"wfcl\"]\n", true, 3,
                    "language.categories[0].aliases[0]", "already used by WFCL", "one word"},
        broken_case{"family_word_that_names_a_service_is_refused",
                    "[language]\nfamily_words = [\"FAMILY\"]\n", true, 2, "language.family_words[0]",
                    "is the service FAMILY", "names no service"},
        broken_case{"family_word_starting_with_a_digit_is_refused", "[language]\nfamily_words = [\"2FAM\"]\n",
                    true, 2, "language.family_words[0]", "starts with a digit", "case number"},
        broken_case{"prevention_age_of_zero_is_out_of_range", "[cases]\nmin_prevention_age = 0\n", true, 2,
                    "cases.min_prevention_age", "out of range", "1 to 17 years"},
        broken_case{"outcome_evidence_of_zero_days_is_out_of_range", "[cases]\noutcome_evidence_days = 0\n",
                    true, 2, "cases.outcome_evidence_days", "out of range", "days"},
        broken_case{"age_band_that_is_not_lo_hi_is_refused",
                    "[cases]\nage_bands = [\n  \"3-4\",\n  \"5 to 11\",\n]\n", true, 4, "cases.age_bands[1]",
                    "\"5 to 11\" is not an age band", "\"lo-hi\""},
        broken_case{"age_band_written_backwards_is_shown_the_right_way_round",
                    "[cases]\nage_bands = [\"11-5\"]\n", true, 2, "cases.age_bands[0]",
                    "ends before it starts", "\"5-11\""},
        broken_case{"age_band_past_seventeen_is_refused", "[cases]\nage_bands = [\"3-11\", \"12-18\"]\n",
                    true, 2, "cases.age_bands[1]", "goes past 17", "17 at most"},
        broken_case{"overlapping_age_bands_are_refused",
                    "[cases]\nage_bands = [\n  \"3-4\",\n  \"5-12\",\n  \"12-14\",\n]\n", true, 5,
                    "cases.age_bands[2]", "overlaps or comes before \"5-12\"", "start it at 13"},
        broken_case{"age_bands_out_of_order_are_refused", "[cases]\nage_bands = [\"12-17\", \"3-11\"]\n",
                    true, 2, "cases.age_bands[1]", "overlaps or comes before \"12-17\"",
                    "already ends at 17"},
        broken_case{"empty_age_band_list_is_refused", "[cases]\nage_bands = []\n", true, 2, "cases.age_bands",
                    "has no age bands", "\"5-11\""},
        broken_case{"case_cap_of_zero_is_out_of_range", "[messages]\nmax_cases_per_sender_per_hour = 0\n", true,
                    2, "messages.max_cases_per_sender_per_hour", "out of range", "cases"},
        broken_case{"negative_case_cap_is_out_of_range", "[messages]\nmax_cases_per_sender_per_hour = -5\n",
                    true, 2, "messages.max_cases_per_sender_per_hour", "out of range", "cases"},
        broken_case{"case_cap_that_is_text_is_refused", "[messages]\nmax_cases_per_sender_per_hour = \"lots\"\n",
                    true, 2, "messages.max_cases_per_sender_per_hour", "", ""},
        broken_case{"misspelt_cases_key_suggests_the_right_one", "[cases]\nage_band = [\"3-17\"]\n", true, 2,
                    "cases.age_band", "unknown key", "did you mean age_bands?"}),
    [](const testing::TestParamInfo<broken_case>& p) { return p.param.name; });

// ---- whole-file behaviour -----------------------------------------------------------------------

TEST(parse_config, reports_every_problem_in_line_order_not_only_the_first) {
    const std::string text = std::string(site_and_team) + R"([[reporters]]
phone = "99000001"
lang = "ru"
[[coordinators]]
phone = "+97699000201"
nmae = "Coordinator"
)" + std::string(channel_and_alerts);
    const auto r = parse_config(text, "many.toml");
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.problems.size(), 3u) << errors_of(r);
    EXPECT_EQ(r.problems[0].key_path, "reporters[0].phone");
    EXPECT_EQ(r.problems[0].line, 9);
    EXPECT_EQ(r.problems[1].key_path, "reporters[0].lang");
    EXPECT_EQ(r.problems[1].line, 10);
    EXPECT_EQ(r.problems[2].key_path, "coordinators[0].nmae");
    EXPECT_EQ(r.problems[2].line, 13);
    EXPECT_EQ(r.problems[2].fix, "did you mean name?");
}

TEST(parse_config, toml_syntax_error_is_one_problem_at_its_line) {
    const auto r =
        parse_config("[server]\nlisten = \"127.0.0.1:8080\nread_timeout_seconds = 5\n", "syntax.toml");
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(r.problems[0].file, "syntax.toml");
    EXPECT_EQ(r.problems[0].line, 2);
    EXPECT_TRUE(r.problems[0].key_path.empty());
    EXPECT_FALSE(r.problems[0].fix.empty());
}

TEST(parse_config, formats_a_bad_phone_as_file_line_column_key_message_and_fix) {
    const std::string text = R"([[sites]]
code = "ALT"
area = "A/B"
[[teams]]
name = "T"
areas = ["A/B"]
[[teams.members]]
phone = "+97699000101"
role = "leader"
[[teams.members]]
phone = "9911"
)" + std::string(channel_and_alerts);
    const auto r = parse_config(text, "config/demo.toml");
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(format_problem(r.problems[0]),
              "config/demo.toml:11:1: teams[0].members[1].phone: \"9911\" is not a "
              "phone number; fix: write it in E.164, e.g. +97699000101");
}

TEST(parse_config, team_area_with_no_site_is_only_a_warning) {
    const std::string text = std::string(site_and_team) + R"([[teams]]
name = "Nalaikh team"
areas = ["Ulaanbaatar/Nalaikh"]
members = [{ phone = "+97699000141", role = "leader" }]
)" + std::string(channel_and_alerts);
    const auto r = parse_config(text, "warn.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(r.problems[0].level, severity::warning);
    EXPECT_EQ(r.problems[0].key_path, "teams[1].areas[0]");
    EXPECT_EQ(r.problems[0].line, 10);
    EXPECT_NE(format_problem(r.problems[0]).find("warn.toml:10:"), std::string::npos);
    EXPECT_NE(format_problem(r.problems[0]).find(": warning: "), std::string::npos);
}

TEST(parse_config, wider_team_area_covers_the_sites_inside_it) {
    const std::string text = R"([[sites]]
code = "NLK"
area = "Ulaanbaatar/Nalaikh"
[[teams]]
name = "Ulaanbaatar team"
areas = ["Ulaanbaatar"]
members = [{ phone = "+97699000151", role = "leader" }]
)" + std::string(channel_and_alerts);
    const auto r = parse_config(text, "wide.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_TRUE(r.problems.empty()) << errors_of(r);
    ASSERT_EQ(r.config->teams_covering(r.config->sites[0]).size(), 1u);
}

TEST(parse_config, same_phone_with_two_languages_is_refused) {
    const std::string text = std::string(site_and_team) + R"([[coordinators]]
phone = "+97699000101"
lang = "en"
)" + std::string(channel_and_alerts);
    const auto r = parse_config(text, "lang.toml");
    EXPECT_FALSE(r.ok());
    const problem* p = find_problem(r, "coordinators[0].lang");
    ASSERT_NE(p, nullptr) << errors_of(r);
    EXPECT_EQ(p->line, 10);
}

TEST(load_config, unreadable_file_is_one_problem_without_a_line) {
    const auto r = load_config("/nonexistent/kharuul.toml");
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].file, "/nonexistent/kharuul.toml");
    EXPECT_EQ(r.problems[0].line, 0);
    EXPECT_EQ(format_problem(r.problems[0]).rfind("/nonexistent/kharuul.toml: cannot read the file", 0), 0u)
        << format_problem(r.problems[0]);
}

// ---- defaults -----------------------------------------------------------------------------------

// Issue 9, item 1: `: > kharuul.toml` was taken, and every /channels/*/receive then answered 404.
TEST(parse_config, an_empty_file_is_refused_for_having_no_channel_that_receives) {
    const auto r = parse_config("", "empty.toml");
    EXPECT_FALSE(r.ok());
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(format_problem(r.problems[0]).rfind("empty.toml: channels: no channel receives messages", 0), 0u)
        << errors_of(r);
    EXPECT_NE(r.problems[0].fix.find("type generic, kannel, twilio or africastalking"), std::string::npos);
}

TEST(parse_config, a_file_whose_only_channels_receive_nothing_over_http_is_refused_naming_them) {
    const auto r = parse_config("[[channels]]\nname = \"log\"\ntype = \"log\"\n[alerts]\noutbound_channel = \"log\"\n",
                                "log.toml");
    EXPECT_FALSE(r.ok());
    const problem* p = find_problem(r, "channels");
    ASSERT_NE(p, nullptr) << errors_of(r);
    EXPECT_NE(p->message.find("there is only log, type log"), std::string::npos) << format_problem(*p);
    EXPECT_EQ(r.problems.size(), 1u) << errors_of(r);
}

TEST(check_registry, sites_and_teams_may_come_from_the_store_but_not_from_nowhere) {
    const auto r = parse_config(std::string(channel_and_alerts), "lean.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    const auto none = check_registry(*r.config, "lean.toml", nullptr, "var/kharuul.db");
    ASSERT_EQ(none.size(), 2u);
    EXPECT_EQ(none[0].key_path, "sites");
    EXPECT_NE(none[0].message.find("the store var/kharuul.db does not exist yet"), std::string::npos);
    EXPECT_EQ(none[1].key_path, "teams");
    EXPECT_NE(none[1].fix.find("add a [[teams]] entry"), std::string::npos);
    stored_registry empty_store;
    EXPECT_EQ(check_registry(*r.config, "lean.toml", &empty_store, "k.db").size(), 2u);
    const stored_registry held{{"ALT"}, {"Bayankhongor"}};
    EXPECT_TRUE(check_registry(*r.config, "lean.toml", &held, "k.db").empty());
}

TEST(parse_config, every_default_is_taken_for_what_the_file_leaves_out) {
    const auto r = parse_config(std::string(channel_and_alerts), "defaults.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_TRUE(r.problems.empty()) << errors_of(r);
    const auto& c = *r.config;
    EXPECT_EQ(to_string(c.server.listen), "127.0.0.1:8080");
    EXPECT_EQ(c.server.public_url, "http://127.0.0.1:8080");
    EXPECT_EQ(c.server.read_timeout, 10s);
    EXPECT_EQ(c.server.shutdown_grace, 10s);
    EXPECT_EQ(c.store.path, "var/kharuul.db");
    EXPECT_EQ(c.store.busy_timeout, 5000ms);
    EXPECT_EQ(c.store.max_queue, 1024u);
    EXPECT_EQ(c.alerts.urgent_ack, 30min);
    EXPECT_EQ(c.alerts.normal_ack, 720min);
    EXPECT_EQ(c.alerts.fold_window, 15min);
    EXPECT_EQ(c.alerts.reminder_after, std::chrono::days{30});
    EXPECT_EQ(c.alerts.daytime_start, 9h);
    EXPECT_EQ(c.alerts.daytime_end, 20h);
    EXPECT_EQ(c.alerts.utc_offset, 8h);
    EXPECT_EQ(c.ussd.service_code, "*500#");
    EXPECT_EQ(c.messages.duplicate_window, 10min);
    EXPECT_EQ(c.messages.max_cases_per_sender_per_hour, 100);
    const auto shipped = kharuul::parser::default_language();
    EXPECT_EQ(c.language.keywords.size(), shipped.keywords.size());
    EXPECT_EQ(c.language.work.size(), shipped.work.size());
    EXPECT_EQ(c.language.hazards.size(), shipped.hazards.size());
}

TEST(parse_config, section_given_in_part_keeps_the_defaults_of_the_rest) {
    const std::string text = R"([alerts]
outbound_channel = "log"
urgent_ack_minutes = 20
utc_offset = "-03:30"
[server]
listen = "0.0.0.0:9090"
[[channels]]
name = "log"
type = "log"
[[channels]]
name = "sms-in"
type = "generic"
secret = "s"
)";
    const auto r = parse_config(text, "part.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_EQ(r.config->alerts.urgent_ack, 20min);
    EXPECT_EQ(r.config->alerts.normal_ack, 720min);
    EXPECT_EQ(r.config->alerts.utc_offset, -210min);
    EXPECT_EQ(r.config->server.listen.port, 9090);
    EXPECT_EQ(r.config->server.public_url, "http://127.0.0.1:9090");
    EXPECT_EQ(r.config->server.idle_timeout, 60s);
}

TEST(parse_config, the_case_cap_per_sender_is_read_from_the_messages_section) {
    const auto r = parse_config(std::string("[messages]\nmax_cases_per_sender_per_hour = 12\n") +
                                    std::string(channel_and_alerts),
                                "kharuul.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_EQ(r.config->messages.max_cases_per_sender_per_hour, 12);
    EXPECT_EQ(r.config->messages.duplicate_window, 10min); // the rest keeps its default
}

TEST(parse_config, server_connection_cap_and_metrics_token_are_read_and_default_to_2000_and_none) {
    const std::string channel = std::string(channel_and_alerts);
    const auto plain = parse_config(channel, "defaults.toml");
    ASSERT_TRUE(plain.ok()) << errors_of(plain);
    EXPECT_EQ(plain.config->server.max_connections, 2000u);
    EXPECT_TRUE(plain.config->server.metrics_token.empty());
    const auto set = parse_config("[server]\nmax_connections = 500\nmetrics_token = \"t0ken\"\n" + channel, "set.toml");
    ASSERT_TRUE(set.ok()) << errors_of(set);
    EXPECT_EQ(set.config->server.max_connections, 500u);
    EXPECT_EQ(set.config->server.metrics_token, "t0ken");
    EXPECT_FALSE(parse_config("[server]\nmax_connections = 0\n" + channel, "zero.toml").ok());
}

TEST(parse_config, store_max_queue_is_read_from_the_store_section) {
    const auto r = parse_config("[store]\nmax_queue = 64\n" + std::string(channel_and_alerts), "queue.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_EQ(r.config->store.max_queue, 64u);
    EXPECT_EQ(r.config->store.max_batch_size, 256u); // the rest keeps its default
}

TEST(parse_config, cases_section_defaults_to_the_spec_and_sets_the_parsers_prevention_age) {
    const auto r = parse_config(std::string(channel_and_alerts), "cases.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    const auto& c = r.config->cases;
    EXPECT_EQ(c.min_prevention_age, 3);
    EXPECT_EQ(c.outcome_evidence, std::chrono::days{60});
    ASSERT_EQ(c.age_bands.size(), 4u);
    EXPECT_EQ(c.age_bands[0].label, "3-4");
    EXPECT_EQ(c.age_bands[3].lo, 15);
    EXPECT_EQ(c.age_bands[3].hi, 17);
    EXPECT_EQ(r.config->language.min_prevention_age, 3);
}

TEST(parse_config, cases_section_is_read_into_cases_config_and_the_language) {
    const auto r = parse_config(R"([cases]
min_prevention_age = 5
outcome_evidence_days = 90
age_bands = ["5-11", "12-14", "15-17"]
)" + std::string(channel_and_alerts),
                                "cases.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_TRUE(r.problems.empty()) << errors_of(r);
    const auto& c = r.config->cases;
    EXPECT_EQ(c.min_prevention_age, 5);
    EXPECT_EQ(c.outcome_evidence, std::chrono::days{90});
    ASSERT_EQ(c.age_bands.size(), 3u);
    EXPECT_EQ(c.age_bands[1].label, "12-14");
    EXPECT_EQ(c.age_bands[1].lo, 12);
    EXPECT_EQ(c.age_bands[1].hi, 14);
    EXPECT_EQ(r.config->language.min_prevention_age, 5);
}

TEST(parse_config, ages_in_no_age_band_are_a_warning_naming_them) {
    const auto r = parse_config(
        "[cases]\nage_bands = [\"5-11\", \"15-17\"]\n" + std::string(channel_and_alerts), "gaps.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(r.problems[0].level, severity::warning);
    EXPECT_EQ(r.problems[0].key_path, "cases.age_bands");
    EXPECT_EQ(r.problems[0].line, 2);
    EXPECT_NE(r.problems[0].message.find("ages 3-4, 12-14 are in no age band"), std::string::npos)
        << r.problems[0].message;
}

TEST(parse_config, a_bad_age_band_is_formatted_with_file_line_key_and_fix) {
    const auto r = parse_config(
        "[cases]\nage_bands = [\"3-4\", \"5_11\"]\n" + std::string(channel_and_alerts), "config/site.toml");
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    EXPECT_EQ(format_problem(r.problems[0]).rfind("config/site.toml:2:", 0), 0u)
        << format_problem(r.problems[0]);
    EXPECT_NE(format_problem(r.problems[0])
                  .find("cases.age_bands[1]: \"5_11\" is not an age band; fix: write "
                        "it as \"lo-hi\" in years"),
              std::string::npos)
        << format_problem(r.problems[0]);
}

TEST(parse_config, member_and_reporter_language_default_to_mongolian) {
    const std::string text = std::string(site_and_team) + R"([[reporters]]
phone = "+97699000001"
sites = ["ALT"]
)" + std::string(channel_and_alerts);
    const auto r = parse_config(text, "lang.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_EQ(r.config->reporters[0].lang, kharuul::parser::reply_language::mn);
    EXPECT_EQ(r.config->reporters[0].kind, reporter_kind::volunteer);
    EXPECT_EQ(r.config->teams[0].members[0].lang, kharuul::parser::reply_language::mn);
    EXPECT_FALSE(r.config->teams[0].sensitive_cases);
}
