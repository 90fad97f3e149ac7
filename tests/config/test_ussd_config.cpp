// Tests of the USSD menu in the configuration (`[ussd.texts]`, `[ussd.options]`, docs/ussd.md):
// overrides replace texts and whole option lists; an unknown code, a malformed entry or a screen
// over the USSD limit is an error naming the file, the line and the key.
#include "config/load.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>

using namespace kharuul::config;

namespace {

constexpr std::string_view rest = R"(
[[sites]]
code = "ALT"
area = "Bayankhongor/Bayan-Ovoo"
[[teams]]
name = "Bayan-Ovoo team"
areas = ["Bayankhongor/Bayan-Ovoo"]
members = [{ phone = "+97699000101", role = "leader" }]
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

load_result load(std::string_view ussd) { return parse_config(std::string(ussd) + std::string(rest), "test.toml"); }

std::string errors_of(const load_result& r) {
    std::string out;
    for (const auto& p : r.problems)
        out += format_problem(p) + "\n";
    return out;
}

const problem* find_problem(const load_result& r, std::string_view key_path) {
    const auto it = std::ranges::find(r.problems, key_path, &problem::key_path);
    return it == r.problems.end() ? nullptr : &*it;
}

} // namespace

TEST(ussd_config, without_overrides_the_menu_is_the_spec_tree) {
    const load_result r = load("[ussd]\nservice_code = \"*500#\"\n");
    ASSERT_TRUE(r.config) << errors_of(r);
    EXPECT_EQ(r.config->ussd.menu.title.en, "Child labour report");
    EXPECT_EQ(r.config->ussd.menu.works.size(), 8u);
}

TEST(ussd_config, texts_and_option_lists_are_overridden) {
    const load_result r = load(R"([ussd.texts]
title = "Report"
work = { mn = "Ажлын төрөл:" }
[ussd.options]
danger = [ { code = "", en = "None", mn = "Үгүй" }, { code = "MERC", en = "Mercury", mn = "Мөнгөн ус" } ]
)");
    ASSERT_TRUE(r.config) << errors_of(r);
    const auto& m = r.config->ussd.menu;
    EXPECT_EQ(m.title.en, "Report");
    EXPECT_EQ(m.title.mn, "Хүүхдийн хөдөлмөр"); // the other language stays
    EXPECT_EQ(m.work.en, "Work:");
    EXPECT_EQ(m.work.mn, "Ажлын төрөл:");
    ASSERT_EQ(m.dangers.size(), 2u);
    EXPECT_EQ(m.dangers[1].code, "MERC");
    EXPECT_EQ(m.dangers[1].label.mn, "Мөнгөн ус");
}

TEST(ussd_config, a_choice_naming_an_unknown_code_is_an_error_at_its_line) {
    const load_result r = load(R"([ussd.options]
work = [ { code = "GOLD", en = "Gold", mn = "Алт" } ]
)");
    EXPECT_FALSE(r.config);
    const problem* p = find_problem(r, "ussd.options.work");
    ASSERT_NE(p, nullptr) << errors_of(r);
    EXPECT_EQ(p->file, "test.toml");
    EXPECT_EQ(p->line, 2);
    EXPECT_EQ(p->message, "\"GOLD\" is not a work code");
}

TEST(ussd_config, a_screen_over_the_limit_is_an_error_naming_the_text) {
    const load_result r = load(R"([ussd]
resume_minutes = 10
[ussd.texts]
school = { mn = "Хүүхэд одоо хаана сурч, амьдарч байна вэ? Сонгоно уу:" }
)");
    EXPECT_FALSE(r.config);
    const problem* p = find_problem(r, "ussd.texts.school");
    ASSERT_NE(p, nullptr) << errors_of(r);
    EXPECT_EQ(p->line, 4);
    EXPECT_NE(p->message.find("school screen (mn)"), std::string::npos) << p->message;
    EXPECT_NE(p->message.find("over the 80"), std::string::npos) << p->message;
}

TEST(ussd_config, malformed_entries_are_errors_with_their_key) {
    const load_result r = load(R"([ussd.texts]
titel = "x"
site = 3
[ussd.options]
sex = [ { code = "B", en = "Boy" } ]
)");
    EXPECT_FALSE(r.config);
    const std::string all = errors_of(r);
    EXPECT_NE(all.find("ussd.texts.titel"), std::string::npos) << all;
    EXPECT_NE(all.find("did you mean"), std::string::npos) << all;
    EXPECT_NE(all.find("ussd.texts.site"), std::string::npos) << all;
    EXPECT_NE(all.find("ussd.options.sex[0].mn"), std::string::npos) << all;
}

TEST(ussd_config, the_demo_configuration_example_loads) {
    const char* source_dir = std::getenv("KHARUUL_SOURCE_DIR");
    const load_result r = load_config(std::string(source_dir ? source_dir : ".") + "/config/demo.toml");
    ASSERT_TRUE(r.config) << errors_of(r);
    EXPECT_EQ(r.config->ussd.service_code, "*500#");
}
