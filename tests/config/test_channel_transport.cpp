// How a channel's outbound requests travel, as the configuration is checked: a ca_file that is
// missing, a folder or not PEM is an error at its line; one that is good is kept (and a warning
// when the channel has no https:// to use it on); credentials that would cross the network over
// plain http:// are refused at the send_url's line, naming the channel, the keys and both fixes,
// unless the channel says allow_insecure = true; loopback and https:// need nothing. Table-driven
// over real channel entries, with the CA files made by the test (OpenSSL).
#include "config/load.hpp"
#include "tests/support/test_ca.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace kharuul::config;

namespace {

namespace fs = std::filesystem;

// A folder of CA files for the cases, made once: a good bundle, a key alone, and a text file.
struct ca_files {
    fs::path dir = fs::temp_directory_path() / ("kharuul-config-tls-" + std::to_string(::getpid()));
    std::string good, key_only, text;
    ca_files() {
        fs::create_directories(dir);
        const kharuul::testing::test_ca ca("config test CA");
        good = (dir / "ca.pem").string();
        key_only = (dir / "key.pem").string();
        text = (dir / "notes.txt").string();
        kharuul::testing::write_file(good, ca.cert_pem());
        kharuul::testing::write_file(key_only, ca.issue({"localhost"}).key_pem);
        kharuul::testing::write_file(text, "our provider's CA: ask Bat\n");
    }
    ~ca_files() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

const ca_files& files() {
    static const ca_files f;
    return f;
}

// Appended to each case's channel (which starts at line 1), so that the file loads otherwise.
constexpr std::string_view rest = R"(
[[channels]]
name = "log"
type = "log"
[alerts]
outbound_channel = "log"
)";

std::string errors_of(const load_result& r) {
    std::string out;
    for (const auto& p : r.problems)
        out += format_problem(p) + "\n";
    return out;
}

struct transport_case {
    std::string name;
    std::string channel; // a [[channels]] entry
    // The problem expected; key_path empty: none at all.
    std::string key_path;
    severity level = severity::error;
    int line = 0;
    std::string message; // parts of it
    std::string fix;

    friend void PrintTo(const transport_case& c, std::ostream* os) { *os << c.name; }
};

class channel_transport : public testing::TestWithParam<transport_case> {};

TEST_P(channel_transport, is_checked_where_the_file_says_it) {
    const auto& c = GetParam();
    const auto r = parse_config(c.channel + std::string(rest), "gateway.toml");
    if (c.key_path.empty()) {
        EXPECT_TRUE(r.ok()) << errors_of(r);
        EXPECT_TRUE(r.problems.empty()) << errors_of(r);
        return;
    }
    ASSERT_EQ(r.problems.size(), 1u) << errors_of(r);
    const auto& p = r.problems[0];
    EXPECT_EQ(p.key_path, c.key_path) << format_problem(p);
    EXPECT_EQ(p.level, c.level) << format_problem(p);
    EXPECT_EQ(p.line, c.line) << format_problem(p);
    EXPECT_NE(p.message.find(c.message), std::string::npos) << format_problem(p);
    EXPECT_NE(p.fix.find(c.fix), std::string::npos) << format_problem(p);
    EXPECT_EQ(r.ok(), c.level == severity::warning);
}

std::string kannel_at(const std::string& url, const std::string& more = "",
                      const std::string& name = "kannel") {
    return "[[channels]]\nname = \"" + name + "\"\ntype = \"kannel\"\nsecret = \"k-secret\"\nsend_url = \"" +
           url + "\"\nusername = \"kharuul\"\npassword = \"pw\"\n" + more;
}

// A channel entry that loads with no problem at all.
transport_case taken(std::string name, std::string channel) {
    return {std::move(name), std::move(channel), "", severity::error, 0, "", ""};
}

std::string generic_at(const std::string& url, const std::string& more = "") {
    return "[[channels]]\nname = \"provider\"\ntype = \"generic\"\nsecret = \"g-secret\"\nsend_url = \"" +
           url + "\"\n" + more;
}

INSTANTIATE_TEST_SUITE_P(
    config, channel_transport,
    testing::Values(
        // ---- credentials over plain http://
        transport_case{
            "kannel_on_the_local_network_is_refused_naming_the_channel_the_keys_and_both_fixes",
            kannel_at("http://192.168.1.20:13013/cgi-bin/sendsms"), "channels[0].send_url", severity::error,
            5,
            "the kannel channel \"kannel\" would send its username, password and secret unencrypted "
            "over http:// to 192.168.1.20, which is not this machine; this is refused now, so a channel "
            "that sent this way before an upgrade stops until it is changed",
            "write send_url as https:// (ca_file trusts a private CA), or, when the network to "
            "192.168.1.20 is trusted (e.g. a Kannel on the local network), add allow_insecure = true to "
            "this channel"},
        taken("kannel_on_the_local_network_with_allow_insecure_is_taken",
              kannel_at("http://192.168.1.20:13013/cgi-bin/sendsms", "allow_insecure = true\n")),
        transport_case{"kannel_by_host_name_is_refused", kannel_at("http://smsbox.lan:13013/cgi-bin/sendsms"),
                       "channels[0].send_url", severity::error, 5, "over http:// to smsbox.lan,",
                       "allow_insecure"},
        taken("kannel_on_127_0_0_1_is_taken", kannel_at("http://127.0.0.1:13013/cgi-bin/sendsms")),
        taken("kannel_anywhere_in_127_is_taken", kannel_at("http://127.1.2.3:13013/cgi-bin/sendsms")),
        taken("kannel_on_localhost_is_taken", kannel_at("http://localhost:13013/cgi-bin/sendsms")),
        taken("kannel_on_ipv6_loopback_is_taken", kannel_at("http://[::1]:13013/cgi-bin/sendsms")),
        taken("kannel_over_https_is_taken", kannel_at("https://192.168.1.20/cgi-bin/sendsms")),
        taken("generic_without_credentials_may_use_plain_http", generic_at("http://api.example.com/sms")),
        transport_case{"generic_with_a_username_is_refused",
                       generic_at("http://api.example.com/sms", "username = \"ngo\"\n"),
                       "channels[0].send_url", severity::error, 5,
                       "the generic channel \"provider\" would send its username unencrypted over http:// to "
                       "api.example.com",
                       "add allow_insecure = true to this channel"},
        transport_case{
            "twilio_over_plain_http_is_refused_naming_its_keys",
            "[[channels]]\nname = \"twilio\"\ntype = \"twilio\"\naccount_sid = \"AC0\"\nauth_token = "
            "\"t\"\nsend_url = \"http://api.twilio.example\"\n",
            "channels[0].send_url", severity::error, 6, "its account_sid and auth_token unencrypted",
            "https://"},
        transport_case{"africastalking_over_plain_http_is_refused_naming_its_keys",
                       "[[channels]]\nname = \"at\"\ntype = \"africastalking\"\nsecret = \"s\"\nusername = "
                       "\"sandbox\"\napi_key = \"k\"\nsend_url = \"http://10.1.1.1/version1/messaging\"\n",
                       "channels[0].send_url", severity::error, 7, "its username and api_key unencrypted",
                       "https://"},
        taken("twilio_with_its_default_https_url_needs_nothing",
              "[[channels]]\nname = \"twilio\"\ntype = \"twilio\"\naccount_sid = \"AC0\"\nauth_token = "
              "\"t\"\n"),
        transport_case{"allow_insecure_that_is_not_a_boolean_is_refused",
                       kannel_at("http://127.0.0.1:13013/", "allow_insecure = \"yes\"\n"),
                       "channels[0].allow_insecure", severity::error, 8, "is a string, not true or false",
                       "write true or false"},
        // ---- ca_file
        taken("a_good_ca_file_for_https_is_taken",
              generic_at("https://sms.example.org/v1", "ca_file = \"" + files().good + "\"\n")),
        transport_case{
            "a_missing_ca_file_is_refused_at_its_line",
            generic_at("https://sms.example.org/v1", "ca_file = \"" + files().good + ".missing\"\n"),
            "channels[0].ca_file", severity::error, 6,
            "\"" + files().good + ".missing\" cannot be read: No such file or directory",
            "name a PEM file of CA certificates"},
        transport_case{
            "a_folder_as_ca_file_is_refused",
            generic_at("https://sms.example.org/v1", "ca_file = \"" + files().dir.string() + "\"\n"),
            "channels[0].ca_file", severity::error, 6, "is a folder, not a file",
            "remove ca_file to trust the system's CA store"},
        transport_case{"a_key_alone_as_ca_file_holds_no_certificate",
                       generic_at("https://sms.example.org/v1", "ca_file = \"" + files().key_only + "\"\n"),
                       "channels[0].ca_file", severity::error, 6,
                       "holds no PEM certificate (no certificate or crl found)",
                       "-----BEGIN CERTIFICATE-----"},
        transport_case{"a_text_file_as_ca_file_holds_no_certificate",
                       generic_at("https://sms.example.org/v1", "ca_file = \"" + files().text + "\"\n"),
                       "channels[0].ca_file", severity::error, 6, "holds no PEM certificate", "PEM"},
        transport_case{"a_ca_file_on_a_plain_http_channel_is_only_a_warning",
                       generic_at("http://127.0.0.1:9/sms", "ca_file = \"" + files().good + "\"\n"),
                       "channels[0].ca_file", severity::warning, 6,
                       "used only to verify an https:// send_url", "remove ca_file"}),
    [](const testing::TestParamInfo<transport_case>& p) { return p.param.name; });

TEST(channel_transport_check, names_every_channel_that_needs_a_change_not_only_the_first) {
    const std::string text =
        kannel_at("http://192.168.1.20:13013/cgi-bin/sendsms") +
        "[[channels]]\nname = \"kannel2\"\ntype = \"kannel\"\nsecret = \"k2\"\nsend_url = "
        "\"http://192.168.1.21:13013/cgi-bin/sendsms\"\nusername = \"u\"\npassword = \"p\"\n" +
        kannel_at("http://192.168.1.22/", "allow_insecure = true\n", "kannel3");
    const auto r = parse_config(text + std::string(rest), "gateway.toml");
    EXPECT_FALSE(r.ok());
    std::vector<std::string> paths;
    for (const auto& p : r.problems)
        paths.push_back(p.key_path + " " + p.message.substr(0, p.message.find(" would")));
    EXPECT_EQ(paths, (std::vector<std::string>{"channels[0].send_url the kannel channel \"kannel\"",
                                               "channels[1].send_url the kannel channel \"kannel2\""}))
        << errors_of(r);
}

TEST(channel_transport_check, a_good_ca_file_and_allow_insecure_reach_the_channel_config) {
    const std::string text =
        generic_at("https://sms.example.org/v1", "ca_file = \"" + files().good + "\"\n") +
        kannel_at("http://192.168.1.20:13013/cgi-bin/sendsms", "allow_insecure = true\n", "lan-kannel");
    const auto r = parse_config(text + std::string(rest), "gateway.toml");
    ASSERT_TRUE(r.ok()) << errors_of(r);
    EXPECT_EQ(r.config->find_channel("provider")->ca_file, files().good);
    EXPECT_FALSE(r.config->find_channel("provider")->allow_insecure);
    EXPECT_TRUE(r.config->find_channel("lan-kannel")->allow_insecure);
    EXPECT_TRUE(r.config->find_channel("lan-kannel")->ca_file.empty());
}

} // namespace
