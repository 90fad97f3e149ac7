// The command line as scripts and operators use it: the real `kharuul` binary is run and its JSON
// read back; the same commands are also run in-process for the error paths.
#include "gateway/cli.hpp"

#include "config/load.hpp"
#include "gateway/registry_seed.hpp"
#include "store/database.hpp"
#include "store/registry.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/cli_in_process.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

std::string demo_config() { return (source_dir() / "config" / "demo.toml").string(); }

using process_result = testing::binary_result;
using testing::shell_quote;

// The real binary with stdout read back (stderr discarded), or stderr read back instead.
process_result run_binary(const std::vector<std::string>& args) { return testing::run_kharuul(args); }
process_result run_binary_stderr(const std::vector<std::string>& args) {
    return testing::run_kharuul(args, "2>&1 >/dev/null");
}


using kharuul::testing::cli_result;

cli_result run(const std::vector<std::string>& args) { return kharuul::testing::run_cli_with(args); }

TEST(kharuul_binary, parse_prints_the_spec_json_for_a_cyrillic_report) {
    auto r = run_binary({"parse", "--config", demo_config(), "ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD"});
    ASSERT_EQ(r.status, 0) << r.out;
    const json::object o = json::parse(r.out).as_object();
    EXPECT_EQ(o.at("ok"), true);
    EXPECT_EQ(o.at("form"), "ID");
    const auto& f = o.at("fields").as_object();
    EXPECT_EQ(f.at("site"), "ALT");
    EXPECT_EQ(f.at("boys"), 1);
    EXPECT_EQ(f.at("girls"), 0);
    EXPECT_EQ(f.at("unknown"), 0);
    EXPECT_EQ(f.at("age_min"), 11);
    EXPECT_EQ(f.at("age_max"), 11);
    EXPECT_EQ(f.at("work"), "CARRY");
    EXPECT_EQ(f.at("hazards"), json::array({"LOAD"}));
    EXPECT_TRUE(f.at("note").is_null());
    EXPECT_EQ(o.at("urgent"), false);
    EXPECT_EQ(o.at("sensitive"), false);
    EXPECT_EQ(o.at("reply"), "ID ok: 1 boy ~11 carrying, heavy load, at ALT. Case ######.");
}

TEST(kharuul_binary, parse_reports_an_unknown_site_with_a_suggestion_and_still_exits_zero) {
    auto r = run_binary({"parse", "--config", demo_config(), "ID ALX 2B 12 MINE"});
    ASSERT_EQ(r.status, 0);
    const json::object o = json::parse(r.out).as_object();
    EXPECT_EQ(o.at("ok"), false);
    EXPECT_EQ(o.at("form"), "ID");
    EXPECT_EQ(o.at("error").at("code"), "unknown_site");
    EXPECT_EQ(o.at("error").at("token"), "ALX");
    EXPECT_EQ(o.at("error").at("suggestion"), "ALT");
    EXPECT_EQ(o.at("reply"), "ID: unknown site ALX. Did you mean ALT? Send: ID site children age work");
}

TEST(kharuul_binary, parse_with_a_bad_config_exits_one) {
    const fs::path bad = fs::temp_directory_path() / "kharuul-bad-config.toml";
    std::ofstream(bad) << "[server]\nlisten = 8080\n";
    auto r = run_binary({"parse", "--config", bad.string(), "HELP"});
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(r.out.empty());
    fs::remove(bad);
}

TEST(kharuul_binary, check_config_accepts_the_demo) {
    auto r = run_binary({"check-config", "--config", demo_config()});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("ok"), std::string::npos) << r.out;
}

// Every example of spec/sms-language.md section 7 parses as valid through the real binary.
TEST(kharuul_binary, every_spec_example_parses_as_valid) {
    for (const char* text : {"ID ALT 2B 12 MINE SHAFT", "id alt 2 b 12y mine shaft", "ID,ALT,B,13,PAN # near the eastern pit",
                             "ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD", "ID DKH 1G 14 TRADE", "ID ULT 2B1G 10-12 PAN MERC",
                             "TR 204812 NFE", "tr 204812 work # at the market again", "REF 204812 NFE",
                             "VER 204812 OK", "ACK 17", "HELP"}) {
        auto r = run_binary({"parse", "--config", demo_config(), text});
        ASSERT_EQ(r.status, 0) << text;
        EXPECT_EQ(json::parse(r.out).at("ok"), true) << text << " -> " << r.out;
    }
}

TEST(cli, parse_replies_in_the_registered_language_of_the_sender) {
    auto r = run({"parse", "--config", demo_config(), "--from", "+97699000001", "NIL ALT"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("reply"), "NIL OK: ALT үзлэг бүртгэгдлээ.");
}

TEST(cli, parse_lists_the_sites_of_the_sender_help_sites_names_as_the_daemon_does) {
    struct row {
        const char* from;
        const char* reply;
    };
    for (const row& r : {
             row{"+97699000006", "Таны газар: DKH Da Khuree market; NRT Narantuul market."}, // a reporter
             row{"+97699000142", "Таны газар: NLK Nalaikh brickyard."},                       // Nalaikh's team
             row{"+97699000999", "Энэ дугаарт газар бүртгэлгүй. Зохицуулагчдаа хандана уу."},
         }) {
        auto out = run({"parse", "--config", demo_config(), "--from", r.from, "--lang", "mn", "ТУСЛАМЖ ГАЗАР"});
        ASSERT_EQ(out.code, 0) << out.err;
        EXPECT_EQ(json::parse(out.out).at("reply"), r.reply) << r.from;
    }
    // No sender: the registry's sites.
    auto all = run({"parse", "--config", demo_config(), "HELP SITES"});
    EXPECT_EQ(json::parse(all.out).at("reply"), "Sites: ALT; ULT; TSD; DKH; NRT; NLK.");
}

TEST(cli, parse_reads_the_text_as_the_daemon_does_without_control_characters) {
    auto r = run({"parse", "--config", demo_config(), std::string("ID\x01 ALT 2B 12 MINE")});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("form"), "ID") << r.out;
    EXPECT_EQ(json::parse(r.out).at("ok"), true) << r.out;
}

TEST(cli, parse_lang_option_overrides_the_sender_language) {
    auto r = run({"parse", "--config", demo_config(), "--from", "+97699000001", "--lang", "en", "NIL ALT"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("reply"), "NIL ok: ALT visit recorded.");
}

TEST(cli, parse_gives_every_field_of_each_form) {
    struct row {
        const char* text;
        const char* fields;
    };
    for (const row& r : {
             row{"NIL ALT # quiet", R"({"site":"ALT","note":"quiet"})"},
             row{"TR 204812 NFE", R"({"case":"204812","status":"NFE","school":"NFE","work":null,"note":null})"},
             row{"TR 204812 stop nfe", R"({"case":"204812","status":"STOP","school":"NFE","work":"STOP","note":null})"},
             row{"REF 204812 HEALTH", R"({"case":"204812","service":"HEALTH","note":null})"},
             row{"VER 204812 NO NOTFOUND # not at the pit",
                 R"({"case":"204812","outcome":"NO","reason":"NOTFOUND","note":"not at the pit"})"},
             row{"VER 204812 OK", R"({"case":"204812","outcome":"OK","reason":null,"note":null})"},
             row{"RISK ULT 1G 4 FAM", R"({"site":"ULT","boys":0,"girls":1,"unknown":0,"age_min":4,"age_max":4,)"
                                      R"("reason":"FAM","note":null})"},
             row{"PLAN 204812 P DROP", R"({"case":"204812","target":"P","category":"DROP","note":null})"},
             row{"PLAN 204812 W", R"({"case":"204812","target":"W","category":null,"note":null})"},
             row{"SVC 204812 NFE FAM", R"({"case":"204812","service":"NFE","for":"family","note":null})"},
             row{"OUT 204812 LESS", R"({"case":"204812","outcome":"LESS","note":null})"},
             row{"MERGE 204812 100009", R"({"case":"204812","into":"100009","note":null})"},
             row{"CLOSE 204812 ADULT", R"({"case":"204812","reason":"ADULT","note":null})"},
             row{"OK 17", R"({"alert":17})"},
             row{"HELP TR", R"({"topic":"TR"})"},
             row{"HELP WORK 2", R"({"topic":"WORK","page":2})"},
             row{"ТУСЛАМЖ ГАЗАР", R"({"topic":"SITES","page":1})"},
             row{"?", R"({"topic":null})"},
         }) {
        auto out = run({"parse", "--config", demo_config(), r.text});
        ASSERT_EQ(out.code, 0) << out.err;
        EXPECT_EQ(json::parse(out.out).at("fields"), json::parse(r.fields)) << r.text;
    }
}

TEST(cli, parse_marks_a_wrong_check_digit_as_bad_case_with_its_detail) {
    auto r = run({"parse", "--config", demo_config(), "TR 204813 NFE"});
    const auto o = json::parse(r.out);
    EXPECT_EQ(o.at("error").at("code"), "bad_case");
    EXPECT_EQ(o.at("error").at("detail"), "check_digit");
}

TEST(cli, parse_of_an_empty_message_replies_with_the_help_card) {
    auto r = run({"parse", "--config", demo_config(), ""});
    const auto o = json::parse(r.out);
    EXPECT_EQ(o.at("ok"), false);
    EXPECT_TRUE(o.at("form").is_null());
    EXPECT_EQ(o.at("error").at("code"), "empty");
    EXPECT_NE(json::value_to<std::string>(o.at("reply")).find("ID site children age work"), std::string::npos);
}

TEST(cli, an_unknown_language_is_a_user_error) {
    auto r = run({"parse", "--config", demo_config(), "--lang", "fr", "HELP"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("--lang"), std::string::npos);
}

TEST(cli, a_missing_config_option_is_a_user_error_naming_it) {
    auto r = run({"parse", "HELP"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("config"), std::string::npos) << r.err;
}

TEST(cli, an_unknown_command_is_a_user_error) {
    auto r = run({"frobnicate"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos);
}

TEST(cli, every_command_has_help) {
    for (const auto& c : commands()) {
        std::vector<std::string> args;
        std::istringstream words{std::string(c.name)};
        for (std::string w; words >> w;)
            args.push_back(w);
        args.push_back("--help");
        auto r = run(args);
        EXPECT_EQ(r.code, 0) << c.name;
        EXPECT_NE(r.out.find("usage: kharuul " + std::string(c.name)), std::string::npos) << c.name << r.out;
    }
    EXPECT_EQ(run({"--help"}).code, 0);
}

TEST(cli, check_config_names_file_line_and_key_of_a_broken_config) {
    const fs::path bad = fs::temp_directory_path() / "kharuul-broken.toml";
    std::ifstream demo(demo_config());
    std::stringstream text;
    text << demo.rdbuf();
    std::string s = text.str();
    // Break the first reporter's phone number (7 digits: no national number, with country_code 976).
    const auto at = s.find("\"+97699000001\"");
    ASSERT_NE(at, std::string::npos);
    s.replace(at, 14, "\"9900001\"");
    std::ofstream(bad) << s;
    const int line = 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<long>(at), '\n'));
    auto r = run({"check-config", "--config", bad.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(bad.string() + ":" + std::to_string(line) + ":"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("phone"), std::string::npos) << r.err;
    fs::remove(bad);
}

// ---- Configurations that would take no messages (issue 9, item 1) ------------------------------

std::string demo_text() {
    std::ifstream demo(demo_config());
    std::stringstream text;
    text << demo.rdbuf();
    return text.str();
}

// ---- The command line as a coordinator first meets it (issue 10, item 12) ----------------------


TEST(kharuul_binary, reporter_help_lists_the_reporter_commands_and_exits_zero) {
    auto r = run_binary({"reporter", "--help"});
    EXPECT_EQ(r.status, 0) << r.out;
    for (const char* sub : {"reporter add", "reporter list", "reporter remove"})
        EXPECT_NE(r.out.find(sub), std::string::npos) << r.out;
    auto bare = run_binary_stderr({"reporter"});
    EXPECT_EQ(bare.status, 1);
    EXPECT_NE(bare.out.find("reporter add"), std::string::npos) << bare.out;
    auto wrong = run_binary_stderr({"reporter", "ad"});
    EXPECT_EQ(wrong.status, 1);
    EXPECT_NE(wrong.out.find("unknown command 'reporter ad'"), std::string::npos) << wrong.out;
}

TEST(kharuul_binary, parse_without_a_text_is_a_usage_error_and_an_empty_text_is_a_message) {
    auto none = run_binary_stderr({"parse", "--config", demo_config()});
    EXPECT_EQ(none.status, 1);
    EXPECT_NE(none.out.find("text is missing"), std::string::npos) << none.out;
    auto empty = run_binary({"parse", "--config", demo_config(), ""});
    EXPECT_EQ(empty.status, 0);
    EXPECT_EQ(json::parse(empty.out).at("error").at("code"), "empty") << empty.out;
}

TEST(kharuul_binary, check_config_names_the_line_of_a_routing_rules_bad_code_not_its_table) {
    const fs::path bad = fs::temp_directory_path() / ("kharuul-bad-rule-" + std::to_string(::getpid()) + ".toml");
    std::string s = demo_text() + "\n[[alerts.rules]]\nforms = [\"ID\"]\nsites = [\"ALT\"]\n\nwork = [\"MINE\",\n  \"MINEE\"]\n";
    std::ofstream(bad) << s;
    const auto at = s.find("\"MINEE\"");
    const int line = 1 + static_cast<int>(std::count(s.begin(), s.begin() + static_cast<long>(at), '\n'));
    auto r = run_binary_stderr({"check-config", "--config", bad.string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find(bad.string() + ":" + std::to_string(line) + ":"), std::string::npos) << line << "\n" << r.out;
    EXPECT_NE(r.out.find("MINEE"), std::string::npos) << r.out;
    fs::remove(bad);
}


// The demo without the [[name]] tables (their comments go with them), its store in `dir`.
std::string gutted(const fs::path& dir, const std::vector<std::string>& names) {
    std::istringstream in(demo_text());
    std::string out, line;
    bool skipping = false;
    while (std::getline(in, line)) {
        if (line.starts_with('[')) {
            skipping = false;
            for (const auto& n : names)
                if (line.starts_with("[[" + n + "]]"))
                    skipping = true;
        }
        if (!skipping)
            out += line + '\n';
    }
    const auto at = out.find("var/kharuul.db");
    if (at != std::string::npos)
        out.replace(at, 14, (dir / "kharuul.db").string());
    return out;
}

struct gutted_case {
    std::string name;
    std::vector<std::string> dropped; // tables left out of the demo
    std::string extra;                // appended
    std::string missing;              // what the error must name
};

class cli_gutted : public ::testing::TestWithParam<gutted_case> {
protected:
    // One folder per process: ctest runs each test of the suite in its own, at the same time.
    fs::path dir =
        fs::temp_directory_path() / ("kharuul-gutted-" + GetParam().name + "-" + std::to_string(::getpid()));
    fs::path file = dir / "kharuul.toml";
    void SetUp() override {
        fs::remove_all(dir);
        fs::create_directories(dir);
        if (GetParam().name == "empty")
            std::ofstream{file};
        else
            std::ofstream(file) << gutted(dir, GetParam().dropped) << GetParam().extra;
    }
    void TearDown() override { fs::remove_all(dir); }
};

TEST_P(cli_gutted, check_config_exits_one_naming_what_is_missing_with_a_fix) {
    auto r = run({"check-config", "--config", file.string()});
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(GetParam().missing), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("; fix: add a [["), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(": ok:"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "kharuul.db")) << "check-config creates no store";
}

TEST_P(cli_gutted, serve_refuses_to_start_and_creates_no_store) {
    auto r = run_binary({"serve", "--config", file.string()});
    EXPECT_EQ(r.status, 1);
    EXPECT_FALSE(fs::exists(dir / "kharuul.db"));
}

INSTANTIATE_TEST_SUITE_P(
    issue9, cli_gutted,
    ::testing::Values(gutted_case{"empty", {}, "", "channels: no channel receives messages"},
                      gutted_case{"no_channel", {"channels"}, "", "channels: no channel receives messages"},
                      gutted_case{"log_only", {"channels"}, "[[channels]]\nname = \"log\"\ntype = \"log\"\n",
                                  "there is only log, type log"},
                      gutted_case{"no_sites", {"sites", "reporters"}, "", "sites: no sites"},
                      gutted_case{"no_teams", {"teams"}, "", "teams: no teams"}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(cli, check_config_passes_a_file_without_sites_or_teams_when_the_store_holds_them_and_changes_nothing) {
    const fs::path dir = fs::temp_directory_path() / "kharuul-store-registry";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path full = dir / "full.toml", lean = dir / "lean.toml";
    std::ofstream(full) << gutted(dir, {});
    std::ofstream(lean) << gutted(dir, {"sites", "teams", "reporters"});
    {
        auto cfg = config::load_config(full);
        ASSERT_TRUE(cfg.config);
        auto db = store::open_database(dir / "kharuul.db");
        ASSERT_TRUE(store::sync_registry(db, registry_snapshot_of(*cfg.config), store::from_unix_ms(0)));
    }
    const auto before = fs::last_write_time(dir / "kharuul.db");
    auto r = run({"check-config", "--config", lean.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find(": ok:"), std::string::npos) << r.out;
    EXPECT_EQ(fs::last_write_time(dir / "kharuul.db"), before);

    // A store whose teams do not cover a site of the file: named.
    std::ofstream(lean) << gutted(dir, {"teams", "reporters"})
                        << "[[sites]]\ncode = \"FAR\"\narea = \"Nowhere/Soum\"\n";
    r = run({"check-config", "--config", lean.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("no team in the store covers \"Nowhere/Soum\""), std::string::npos) << r.err;
    fs::remove_all(dir);
}

} // namespace
} // namespace kharuul::gateway
