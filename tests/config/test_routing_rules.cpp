// Routing rules ([[alerts.rules]]): read into typed rules, their codes checked against the
// language and the registry, each problem located.
#include "config/load.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kharuul::config {
namespace {

std::string demo_text() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    const std::filesystem::path dir = s ? std::filesystem::path(s) : std::filesystem::current_path();
    std::ifstream in(dir / "config" / "demo.toml");
    std::stringstream t;
    t << in.rdbuf();
    return t.str();
}

TEST(routing_rules, a_rule_making_mercury_urgent_at_one_site_is_read) {
    const std::string text = demo_text() + R"(
[[alerts.rules]]
forms = ["ID"]
sites = ["ULT"]
hazards = ["MERC"]
urgent = true
tell_leader_now = true
)";
    auto r = parse_config(text, "demo.toml");
    ASSERT_TRUE(r.ok()) << (r.problems.empty() ? "" : format_problem(r.problems.front()));
    ASSERT_EQ(r.config->alerts.rules.size(), 1u);
    const auto& rule = r.config->alerts.rules[0];
    EXPECT_EQ(rule.forms, std::vector<parser::form>{parser::form::id});
    EXPECT_EQ(rule.sites, std::vector<std::string>{"ULT"});
    EXPECT_EQ(rule.hazards, std::vector<std::string>{"MERC"});
    EXPECT_EQ(rule.urgent, true);
    EXPECT_EQ(rule.tell_leader_now, true);
    EXPECT_FALSE(rule.tell_coordinators_now.has_value());
}

TEST(routing_rules, unknown_codes_in_a_rule_are_reported_with_their_key) {
    const std::string text = demo_text() + R"(
[[alerts.rules]]
sites = ["XXX"]
hazards = ["LAVA"]
forms = ["NIL"]
urgent = true
)";
    auto r = parse_config(text, "demo.toml");
    EXPECT_FALSE(r.ok());
    std::string all;
    for (const auto& p : r.problems)
        all += format_problem(p) + "\n";
    EXPECT_NE(all.find("alerts.rules[0].sites"), std::string::npos) << all;
    EXPECT_NE(all.find("alerts.rules[0].hazards"), std::string::npos) << all;
    EXPECT_NE(all.find("alerts.rules[0].forms"), std::string::npos) << all;
}

TEST(routing_rules, a_misspelt_key_in_a_rule_is_reported) {
    const std::string text = demo_text() + "\n[[alerts.rules]]\nurgnet = true\n";
    auto r = parse_config(text, "demo.toml");
    EXPECT_FALSE(r.ok());
    bool found = false;
    for (const auto& p : r.problems)
        found = found || p.key_path.find("urgnet") != std::string::npos;
    EXPECT_TRUE(found);
}

} // namespace
} // namespace kharuul::config
