// Installing as a service, as an operator does it: `make install-files` (what `make install` runs
// after building) into a temporary root with DESTDIR, the installed files checked one by one, the
// installed configuration read by the installed binary, an edited configuration kept on a second
// install, and the systemd units of an install whose paths exist checked by systemd-analyze verify.
#include "tests/docs/run_tool.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

namespace {

using namespace kharuul::testing;
namespace fs = std::filesystem;

tool_result make_install(const std::vector<std::string>& vars) {
    std::vector<std::string> args{"-C", source_dir().string(), "--no-print-directory", "install-files",
                                  "KHARUUL=" + kharuul_binary().string()};
    args.insert(args.end(), vars.begin(), vars.end());
    // Not the jobserver of a make that runs ctest.
    return run_tool("make", args, {"MAKEFLAGS=", "MFLAGS=", "MAKELEVEL="});
}

unsigned mode_of(const fs::path& p) {
    struct stat st{};
    return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 07777U) : 0U;
}

TEST(make_install, puts_the_binary_a_commented_configuration_the_store_folder_and_the_units_under_destdir) {
    temp_dir root;
    const auto r = make_install({"DESTDIR=" + root.path().string()});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const fs::path& d = root.path();

    const fs::path bin = d / "usr/local/bin/kharuul";
    ASSERT_TRUE(fs::is_regular_file(bin));
    EXPECT_EQ(mode_of(bin), 0755U);
    const auto help = run_tool(bin.string(), {"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_NE(help.out.find("card"), std::string::npos) << help.out;

    const fs::path conf = d / "etc/kharuul/kharuul.toml";
    ASSERT_TRUE(fs::is_regular_file(conf));
    EXPECT_EQ(mode_of(conf), 0640U) << "the configuration holds the channels' secrets";
    const std::string conf_text = read_file(conf);
    EXPECT_NE(conf_text.find("path = \"/var/lib/kharuul/kharuul.db\""), std::string::npos);
    EXPECT_NE(conf_text.find("1. replace every secret below"), std::string::npos) << "the configuration is commented";
    const auto checked = run_tool(bin.string(), {"check-config", "--config", conf.string()});
    EXPECT_EQ(checked.status, 0) << checked.out << checked.err;

    EXPECT_TRUE(fs::is_directory(d / "var/lib/kharuul"));
    EXPECT_EQ(mode_of(d / "var/lib/kharuul"), 0750U);

    const std::string unit = read_file(d / "usr/local/lib/systemd/system/kharuul.service");
    EXPECT_NE(unit.find("ExecStart=/usr/local/bin/kharuul serve --config /etc/kharuul/kharuul.toml"), std::string::npos)
        << unit;
    EXPECT_TRUE(fs::is_regular_file(d / "usr/local/lib/systemd/system/kharuul.socket"));
    EXPECT_NE(read_file(d / "usr/local/lib/sysusers.d/kharuul.conf").find("u kharuul"), std::string::npos);
    EXPECT_NE(read_file(d / "usr/local/lib/tmpfiles.d/kharuul.conf").find("d /var/lib/kharuul 0750 kharuul kharuul"),
              std::string::npos);
    for (const char* doc : {"operators-guide.md", "teams-and-alerts.md", "field-language.md", "README.md",
                            "kharuul.toml.example"})
        EXPECT_TRUE(fs::is_regular_file(d / "usr/local/share/doc/kharuul" / doc)) << doc;
}

TEST(make_install, never_overwrites_an_existing_configuration) {
    temp_dir root;
    ASSERT_EQ(make_install({"DESTDIR=" + root.path().string()}).status, 0);
    const fs::path conf = root.path() / "etc/kharuul/kharuul.toml";
    const std::string edited = read_file(conf) + "\n# edited by the operator\n";
    write_file(conf, edited);
    const auto again = make_install({"DESTDIR=" + root.path().string()});
    ASSERT_EQ(again.status, 0) << again.err;
    EXPECT_EQ(read_file(conf), edited);
    EXPECT_NE(again.out.find("kept the existing"), std::string::npos) << again.out;
}

TEST(make_install, honours_prefix_in_the_units_it_writes) {
    temp_dir root;
    const auto r = make_install({"DESTDIR=" + root.path().string(), "PREFIX=/usr"});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string unit = read_file(root.path() / "usr/lib/systemd/system/kharuul.service");
    EXPECT_NE(unit.find("ExecStart=/usr/bin/kharuul serve"), std::string::npos) << unit;
    EXPECT_TRUE(fs::is_regular_file(root.path() / "usr/bin/kharuul"));
}

// The unit as shipped asks for what the operator's guide promises.
TEST(service_unit, runs_as_its_own_user_in_a_read_only_system_and_restarts_on_failure) {
    const std::string unit = read_file(source_dir() / "packaging/kharuul.service");
    for (const char* line : {"User=kharuul", "ProtectSystem=strict", "ReadWritePaths=/var/lib/kharuul",
                             "NoNewPrivileges=yes", "PrivateTmp=yes", "Restart=on-failure",
                             "ExecReload=/bin/kill -HUP $MAINPID", "StandardError=journal"})
        EXPECT_NE(unit.find(std::string("\n") + line + "\n"), std::string::npos) << line;
    const std::string socket = read_file(source_dir() / "packaging/kharuul.socket");
    EXPECT_NE(socket.find("\nListenStream=127.0.0.1:8080\n"), std::string::npos)
        << "the socket holds the demo's listen address";
}

TEST(service_unit, passes_systemd_analyze_verify_when_installed) {
    const std::string analyze = find_program("systemd-analyze");
    if (analyze.empty())
        GTEST_SKIP() << "systemd-analyze is not installed (Debian package systemd): the units are not verified";
    // An install whose paths all exist on this machine: verify checks that ExecStart's binary does.
    temp_dir root;
    const fs::path& d = root.path();
    const auto r = make_install({"PREFIX=" + (d / "usr").string(), "SYSCONFDIR=" + (d / "etc").string(),
                                 "STATEDIR=" + (d / "var/lib/kharuul").string(), "CREATE_USER=0"});
    ASSERT_EQ(r.status, 0) << r.err;
    const fs::path units = d / "usr/lib/systemd/system";
    const auto v = run_tool(analyze, {"verify", "--man=no", (units / "kharuul.service").string(),
                                      (units / "kharuul.socket").string()},
                            {"SYSTEMD_LOG_LEVEL=notice"});
    EXPECT_EQ(v.status, 0) << v.out << v.err;
    EXPECT_EQ(v.err, "") << "systemd-analyze warns about the units";

    // And it would catch a mistake: a misspelt setting is reported.
    std::string broken = read_file(units / "kharuul.service");
    broken.replace(broken.find("ProtectSystem=strict"), 20, "ProtectSystem=strikt");
    write_file(units / "kharuul.service", broken);
    const auto bad = run_tool(analyze, {"verify", "--man=no", (units / "kharuul.service").string()});
    EXPECT_NE(bad.err.find("strikt"), std::string::npos) << bad.err;
}

} // namespace
