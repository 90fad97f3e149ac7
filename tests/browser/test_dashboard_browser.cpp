// The dashboard in a real browser: the real `kharuul serve` on the demo configuration with a
// fresh store and a port of its own, and tests/browser/dashboard_test.js (node, playwright-core
// driving Debian's /usr/bin/chromium) going through a scenario on it. The scenario's steps,
// screenshots (build/test-artifacts/browser/) and failure are the test's; when chromium, node or
// playwright-core is missing the test fails and says so: nothing is skipped.
#include "tests/support/daemon_process.hpp"
#include "tests/support/run_binary.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace kharuul {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

fs::path browser_dir() {
    return testing::source_dir() / "tests" / "browser";
}

// Screenshots: build/test-artifacts/browser, next to the binary under test.
fs::path artifacts_dir() {
    return testing::kharuul_bin().parent_path() / "test-artifacts" / "browser";
}

// `command` through sh with stderr joined to stdout; its exit code and output.
testing::binary_result run_shell(const std::string& command) {
    testing::binary_result r;
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    if (p == nullptr)
        return r;
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
        r.out.append(buf.data(), n);
    const int st = ::pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

// `kharuul serve` on config/demo.toml with a fresh store, listening on a port of its own.
class served_dashboard {
public:
    explicit served_dashboard(const std::string& name)
        : dir_(fs::temp_directory_path() / ("kharuul-browser-" + name + "-" + std::to_string(::getpid()))),
          d_(testing::kharuul_bin(), dir_ / "kharuul.toml", dir_ / "kharuul.log") {
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        testing::write_demo_config(dir_ / "kharuul.toml",
                                   {{"[server]", "listen", "\"127.0.0.1:0\""},
                                    {"[store]", "path", "\"" + (dir_ / "kharuul.db").string() + "\""}});
        d_.start();
        port_ = testing::serving_port(d_, log(), seen_);
    }
    ~served_dashboard() {
        d_.kill_now();
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // Runs `scenario` of dashboard_test.js against this daemon; `tokens` goes into its plan.
    // Its output is the test's log; a failure names the failed step and the daemon's log tail.
    void run(const std::string& scenario, const json::object& tokens = {}) {
        ASSERT_TRUE(fs::exists(browser_dir() / "node_modules" / "playwright-core"))
            << "playwright-core is not installed in tests/browser: run `make test` (npm ci from the lockfile)";
        const auto node = run_shell("command -v node || command -v nodejs");
        ASSERT_EQ(node.status, 0) << "node is not installed: run `make test` (it installs Debian's nodejs)";
        const fs::path plan = dir_ / ("plan-" + scenario + ".json");
        {
            std::ofstream out(plan);
            out << json::serialize(json::object{{"base", "http://127.0.0.1:" + std::to_string(port_)},
                                                {"artifacts", artifacts_dir().string()},
                                                {"tokens", tokens},
                                                {"sms", "/channels/generic/receive?secret=demo-secret"}});
        }
        const auto r = run_shell("cd " + testing::shell_quote(browser_dir().string()) + " && " +
                                 testing::shell_quote(node.out.substr(0, node.out.find('\n'))) +
                                 " dashboard_test.js " + testing::shell_quote(plan.string()) + " " +
                                 testing::shell_quote(scenario));
        std::cout << r.out;
        EXPECT_EQ(r.status, 0) << "dashboard_test.js " << scenario << " failed (exit " << r.status
                               << (r.status == 2 ? ": chromium did not start" : "") << "):\n"
                               << r.out << "\nkharuul's log:\n"
                               << testing::tail_of(log());
        EXPECT_TRUE(d_.running()) << "kharuul exited during the scenario; log:\n" << testing::tail_of(log());
    }

    // `kharuul ARGS... --config <this daemon's configuration>`, e.g. token create.
    testing::binary_result kharuul(std::vector<std::string> args) const {
        args.push_back("--config");
        args.push_back((dir_ / "kharuul.toml").string());
        return testing::run_kharuul(args, "2>&1");
    }

    unsigned short port() const { return port_; }
    fs::path log() const { return dir_ / "kharuul.log"; }

private:
    fs::path dir_;
    testing::daemon_process d_;
    std::size_t seen_ = 0;
    unsigned short port_ = 0;
};

TEST(dashboard_in_chromium, shows_the_sign_in_form_usable_by_keyboard_and_on_a_phone_and_switches_to_mongolian) {
    served_dashboard d("static");
    d.run("static");
}

// A new API token from `kharuul token create ARGS` on the daemon's store: the line after the
// command's first (the token is printed once, on a line of its own).
std::string new_token(const served_dashboard& d, std::vector<std::string> args) {
    args.insert(args.begin(), {"token", "create"});
    const auto r = d.kharuul(args);
    EXPECT_EQ(r.status, 0) << r.out;
    const auto first = r.out.find('\n');
    const auto second = r.out.find('\n', first + 1);
    if (r.status != 0 || first == std::string::npos || second == std::string::npos)
        return {};
    return r.out.substr(first + 1, second - first - 1);
}

TEST(dashboard_in_chromium, a_posted_report_appears_live_with_its_case_alert_and_ack_and_other_roles_see_only_theirs) {
    served_dashboard d("live");
    const json::object tokens{
        {"coordinator", new_token(d, {"--role", "coordinator", "--label", "browser test coordinator"})},
        {"other_team", new_token(d, {"--role", "team", "--team", "Uyanga child protection team", "--label",
                                     "browser test Uyanga team"})},
        {"viewer", new_token(d, {"--role", "viewer", "--label", "browser test viewer"})}};
    for (const auto& [role, token] : tokens)
        ASSERT_FALSE(token.as_string().empty()) << "no " << role << " token";
    d.run("live", tokens);
}

} // namespace
} // namespace kharuul
