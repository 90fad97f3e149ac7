// The HTTP channels over https://, against a loopback TLS stand-in whose certificate comes from a
// certificate authority the test makes (test_ca.hpp): accepted with the CA in ca_file, SNI sent
// for a name; refused before any request is written (a retry naming the reason, nothing lost)
// with a wrong CA, a certificate for another name, an expired one, or, with no ca_file, a CA the
// system's store does not know; a bad ca_file; the handshake under the send's one deadline and
// cancellation; and the rule that keeps credentials off plain http:// beyond this machine.
#include "adapters/outbound.hpp"

#include "adapters/outbound_http.hpp"
#include "adapters/outbound_tls.hpp"
#include "tests/adapters/provider_stand_in.hpp"
#include "tests/support/test_ca.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

namespace kharuul::adapters {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::issued_certificate;
using testing::provider_stand_in;
using testing::test_ca;
using kind = send_outcome::kind;

// A folder of the test's own for ca_files, removed afterwards.
class temp_folder {
public:
    explicit temp_folder(const std::string& name)
        : path_(fs::temp_directory_path() / ("kharuul-" + name + "-" + std::to_string(::getpid()))) {
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~temp_folder() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;
    // Writes `text` into the folder as `name`; its path.
    std::string file(const std::string& name, const std::string& text) const {
        testing::write_file(path_ / name, text);
        return (path_ / name).string();
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

// The CA the stand-ins' certificates come from, and another that vouches for nobody here. Made once:
// key generation is the slow part.
const test_ca& our_ca() {
    static const test_ca ca("kharuul test CA");
    return ca;
}
const test_ca& other_ca() {
    static const test_ca ca("some other CA");
    return ca;
}

class outbound_tls : public ::testing::Test {
protected:
    asio::io_context io;
    temp_folder folder{"outbound-tls"};

    // An HTTPS stand-in presenting `served`.
    std::unique_ptr<provider_stand_in> provider(const issued_certificate& served) {
        return std::make_unique<provider_stand_in>(io, testing::server_context(served));
    }

    outbound_settings generic_to(const std::string& url, const std::string& ca_file) const {
        outbound_settings s;
        s.name = "provider";
        s.type = "generic";
        s.send_url = url;
        s.ca_file = ca_file;
        s.username = "ngo";
        s.password = "s3cret";
        s.timeout = 5s;
        return s;
    }

    std::string our_ca_file() const { return folder.file("ca.pem", our_ca().cert_pem()); }

    static asio::awaitable<send_outcome> send_copy(outbound_channel& channel, outbound_sms sms) {
        co_return co_await channel.send(sms);
    }

    send_outcome send(const outbound_settings& settings) {
        auto channel = make_outbound(settings, io.get_executor());
        return send_through(*channel);
    }
    // Runs the io_context until `done` holds (at most 4 s): for what the stand-in sees after the
    // client has finished.
    template <class Pred> bool run_until(Pred done) {
        const auto until = std::chrono::steady_clock::now() + 4s;
        while (!done() && std::chrono::steady_clock::now() < until)
            io.run_one_for(20ms);
        return done();
    }
    send_outcome send_through(outbound_channel& channel) {
        return testing::run_on(
            io, send_copy(channel, {42, "+97699000101", "ALERT #17 URGENT: 2 boys ~12 mining at ALT"}));
    }
};

// ---------------------------------------------------------------------------------------------
// Accepted

TEST_F(outbound_tls, a_provider_certified_by_the_ca_in_ca_file_takes_the_message_with_sni_sent) {
    auto p = provider(our_ca().issue({"localhost", "127.0.0.1"}));
    p->answer(http::status::ok, R"({"id":"tls-1"})", "application/json");
    const auto out = send(generic_to(p->url_at("localhost", "/v1/sms"), our_ca_file()));
    EXPECT_EQ(out.what, kind::sent) << out.detail;
    EXPECT_EQ(out.provider_id, "tls-1");
    ASSERT_EQ(p->requests().size(), 1u);
    const auto& req = p->requests()[0];
    EXPECT_EQ(req.target(), "/v1/sms");
    EXPECT_EQ(req[http::field::host], "localhost:" + std::to_string(p->port()));
    EXPECT_NE(req.body().find("+97699000101"), std::string::npos) << req.body();
    EXPECT_EQ(req[http::field::authorization], "Basic bmdvOnMzY3JldA==");
    EXPECT_EQ(p->server_names(), std::vector<std::string>{"localhost"});
}

TEST_F(outbound_tls, an_address_in_the_url_is_matched_against_the_certificates_ip_entries_without_sni) {
    auto p = provider(our_ca().issue({"127.0.0.1"}));
    const auto out = send(generic_to(p->url("/sms"), our_ca_file()));
    EXPECT_EQ(out.what, kind::sent) << out.detail;
    EXPECT_EQ(p->server_names(), std::vector<std::string>{""}) << "RFC 6066: no address in SNI";
}

TEST_F(outbound_tls, kannel_sends_over_https_too) {
    auto p = provider(our_ca().issue({"localhost"}));
    p->answer(http::status::accepted, "0: Accepted for delivery");
    outbound_settings s = generic_to(p->url_at("localhost", "/cgi-bin/sendsms"), our_ca_file());
    s.type = "kannel";
    const auto out = send(s);
    EXPECT_EQ(out.what, kind::sent) << out.detail;
    ASSERT_EQ(p->requests().size(), 1u);
    EXPECT_NE(std::string(p->requests()[0].target()).find("username=ngo&password=s3cret"), std::string::npos);
}

TEST_F(outbound_tls, the_ca_file_is_read_once_when_the_channel_is_made_not_at_each_send) {
    auto p = provider(our_ca().issue({"localhost"}));
    const auto ca_file = our_ca_file();
    auto channel = make_outbound(generic_to(p->url_at("localhost", "/sms"), ca_file), io.get_executor());
    fs::remove(ca_file);
    for (int i = 0; i < 3; ++i) {
        const auto out = send_through(*channel);
        EXPECT_EQ(out.what, kind::sent) << i << ": " << out.detail;
    }
    EXPECT_EQ(p->requests().size(), 3u);
}

// ---------------------------------------------------------------------------------------------
// Refused: a retry naming the reason, and no request written

struct refusal_case {
    std::string name;
    issued_certificate served;
    enum class trust { our_ca, other_ca, system_store } trusted;
    std::string host; // in the send_url
    std::string detail;

    friend void PrintTo(const refusal_case& c, std::ostream* os) { *os << c.name; }
};

class outbound_tls_refusal : public outbound_tls, public ::testing::WithParamInterface<refusal_case> {};

TEST_P(outbound_tls_refusal, is_a_retry_with_the_reason_before_any_request_is_written) {
    const auto& c = GetParam();
    auto p = provider(c.served);
    const std::string ca_file = c.trusted == refusal_case::trust::our_ca ? our_ca_file()
                                : c.trusted == refusal_case::trust::other_ca
                                    ? folder.file("other.pem", other_ca().cert_pem())
                                    : std::string();
    const auto out = send(generic_to(p->url_at(c.host, "/sms"), ca_file));
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, c.detail);
    EXPECT_TRUE(run_until([&] { return p->failed_handshakes() == 1; }))
        << "the stand-in saw the handshake fail";
    EXPECT_TRUE(p->requests().empty()) << "the credentials and the text never left";
}

INSTANTIATE_TEST_SUITE_P(
    tls, outbound_tls_refusal,
    ::testing::Values(
        refusal_case{"a_certificate_from_another_ca", our_ca().issue({"localhost"}),
                     refusal_case::trust::other_ca, "localhost",
                     "tls: certificate verify failed (unable to get local issuer certificate)"},
        refusal_case{
            "a_certificate_for_another_name", our_ca().issue({"sms.example.org"}),
            refusal_case::trust::our_ca, "localhost",
            "tls: certificate verify failed (hostname mismatch: the certificate is for sms.example.org, "
            "not localhost)"},
        refusal_case{"a_certificate_for_another_address", our_ca().issue({"sms.example.org", "10.0.0.7"}),
                     refusal_case::trust::our_ca, "127.0.0.1",
                     "tls: certificate verify failed (IP address mismatch: the certificate is for "
                     "sms.example.org, 10.0.0.7, not 127.0.0.1)"},
        refusal_case{"an_expired_certificate", our_ca().issue({"localhost"}, true),
                     refusal_case::trust::our_ca, "localhost",
                     "tls: certificate verify failed (certificate has expired)"},
        refusal_case{"without_ca_file_a_ca_the_system_store_does_not_know", our_ca().issue({"localhost"}),
                     refusal_case::trust::system_store, "localhost",
                     "tls: certificate verify failed (unable to get local issuer certificate)"},
        refusal_case{"without_ca_file_a_self_signed_certificate", test_ca::self_signed({"localhost"}),
                     refusal_case::trust::system_store, "localhost",
                     "tls: certificate verify failed (self-signed certificate)"}),
    [](const ::testing::TestParamInfo<refusal_case>& p) { return p.param.name; });

TEST_F(outbound_tls, a_channel_that_only_parses_its_url_still_verifies_against_the_system_store) {
    // The way a channel that does not call channel_endpoint sends: exchange() makes a context.
    auto p = provider(our_ca().issue({"localhost"}));
    auto to = outbound_http::parse_endpoint(p->url_at("localhost", "/sms"), "send_url");
    ASSERT_TRUE(to.where) << to.problem;
    http::request<http::string_body> req{http::verb::post, "/sms", 11};
    const auto r = testing::run_on(io, outbound_http::exchange(*to.where, std::move(req), 5s));
    EXPECT_EQ(r.failed, outbound_http::exchange_result::failure::tls);
    EXPECT_EQ(outbound_http::retry_after_failure(r).detail,
              "tls: certificate verify failed (unable to get local issuer certificate)");
    EXPECT_TRUE(p->requests().empty());
}

TEST_F(outbound_tls, a_plain_http_server_at_an_https_url_is_a_tls_retry) {
    provider_stand_in plain(io);
    std::string url = plain.url("/sms");
    url.replace(0, 4, "https");
    const auto out = send(generic_to(url, our_ca_file()));
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail.rfind("tls: ", 0), 0u) << out.detail;
}

TEST_F(outbound_tls, a_server_silent_in_the_handshake_is_a_timeout_at_the_sends_one_deadline) {
    asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
    asio::ip::tcp::socket held(io);
    silent.async_accept(held, [](boost::system::error_code) {}); // accepts, then says nothing
    auto s = generic_to("https://localhost:" + std::to_string(silent.local_endpoint().port()) + "/sms",
                        our_ca_file());
    s.timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    const auto out = send(s);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "timeout");
    EXPECT_GE(took, 280ms);
    EXPECT_LT(took, 1500ms);
}

TEST_F(outbound_tls, a_provider_that_never_answers_over_tls_is_a_timeout_and_cancelling_ends_it_at_once) {
    auto p = provider(our_ca().issue({"localhost"}));
    p->never_answer();
    auto s = generic_to(p->url_at("localhost", "/sms"), our_ca_file());
    s.timeout = 300ms;
    auto out = send(s);
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "timeout");
    EXPECT_EQ(p->requests().size(), 1u);

    p->never_answer();
    s.timeout = 5s;
    auto channel = make_outbound(s, io.get_executor());
    asio::cancellation_signal stop;
    std::optional<send_outcome> cancelled;
    asio::co_spawn(io, send_copy(*channel, {7, "+97699000101", "ALERT"}),
                   asio::bind_cancellation_slot(stop.slot(),
                                                [&](std::exception_ptr, send_outcome o) { cancelled = o; }));
    const auto started = std::chrono::steady_clock::now();
    while (p->requests().size() < 2 && std::chrono::steady_clock::now() - started < 4s)
        io.run_one_for(20ms);
    ASSERT_EQ(p->requests().size(), 2u);
    stop.emit(asio::cancellation_type::terminal);
    while (!cancelled && std::chrono::steady_clock::now() - started < 4s)
        io.run_one_for(20ms);
    ASSERT_TRUE(cancelled);
    EXPECT_EQ(cancelled->what, kind::retry);
    EXPECT_EQ(cancelled->detail, "cancelled");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

// ---------------------------------------------------------------------------------------------
// A bad ca_file: a problem naming it, and every send a retry with the same sentence

TEST_F(outbound_tls, a_ca_file_that_is_missing_a_folder_or_not_pem_is_a_problem_and_a_retry) {
    struct bad_file {
        std::string path;
        std::string problem;
    };
    const std::string missing = (folder.path() / "missing.pem").string();
    const std::string key_only = folder.file("key.pem", our_ca().issue({"localhost"}).key_pem);
    const std::string text = folder.file("notes.txt", "not a certificate\n");
    const bad_file cases[] = {
        {missing, "ca_file: cannot read " + missing + ": No such file or directory"},
        {folder.path().string(), "ca_file: cannot read " + folder.path().string() + ": Is a directory"},
        {key_only, "ca_file: " + key_only + " holds no PEM certificate (no certificate or crl found)"},
        {text, "ca_file: " + text + " holds no PEM certificate (no certificate or crl found)"},
    };
    for (const auto& c : cases) {
        const auto s = generic_to("https://localhost:9/sms", c.path);
        EXPECT_EQ(outbound_problems(s), std::vector<std::string>{c.problem}) << c.path;
        const auto out = send(s);
        EXPECT_EQ(out.what, kind::retry) << c.path;
        EXPECT_EQ(out.detail, c.problem);
    }
}

// ---------------------------------------------------------------------------------------------
// Credentials and plain http://

struct plain_http_case {
    std::string name;
    std::string type;
    std::string url;
    bool credentials; // username and password set
    bool allow_insecure;
    std::string problem; // empty: allowed

    friend void PrintTo(const plain_http_case& c, std::ostream* os) { *os << c.name; }
};

class credentials_over_http : public ::testing::TestWithParam<plain_http_case> {};

TEST_P(credentials_over_http, go_only_to_loopback_unless_the_channel_allows_it) {
    const auto& c = GetParam();
    outbound_settings s;
    s.name = "c";
    s.type = c.type;
    s.send_url = c.url;
    if (c.credentials) {
        s.username = "kharuul";
        s.password = "pw";
    }
    s.allow_insecure = c.allow_insecure;
    const auto e = outbound_http::channel_endpoint(s);
    if (c.problem.empty()) {
        EXPECT_TRUE(e.where) << e.problem;
        EXPECT_TRUE(outbound_problems(s).empty());
    } else {
        EXPECT_FALSE(e.where);
        EXPECT_EQ(e.problem, c.problem);
        EXPECT_EQ(outbound_problems(s), std::vector<std::string>{c.problem});
    }
}

const std::string refused_kannel =
    "send_url: refused: the channel's username, password would travel unencrypted over http:// to "
    "192.168.1.20, which is not this machine; use https://, or set allow_insecure = true when the network to "
    "it is trusted";

INSTANTIATE_TEST_SUITE_P(
    tls, credentials_over_http,
    ::testing::Values(
        plain_http_case{"kannel_on_the_local_network", "kannel", "http://192.168.1.20:13013/cgi-bin/sendsms",
                        true, false, refused_kannel},
        plain_http_case{"kannel_on_the_local_network_allowed", "kannel",
                        "http://192.168.1.20:13013/cgi-bin/sendsms", true, true, ""},
        plain_http_case{
            "kannel_by_name", "kannel", "http://smsbox.lan:13013/cgi-bin/sendsms", true, false,
            "send_url: refused: the channel's username, password would travel unencrypted over "
            "http:// to smsbox.lan, which is not this machine; use https://, or set allow_insecure "
            "= true when the network to it is trusted"},
        plain_http_case{"kannel_on_127_0_0_1", "kannel", "http://127.0.0.1:13013/cgi-bin/sendsms", true,
                        false, ""},
        plain_http_case{"kannel_on_127_0_0_2", "kannel", "http://127.0.0.2:13013/cgi-bin/sendsms", true,
                        false, ""},
        plain_http_case{"kannel_on_localhost", "kannel", "http://LocalHost:13013/cgi-bin/sendsms", true,
                        false, ""},
        plain_http_case{"kannel_on_ipv6_loopback", "kannel", "http://[::1]:13013/cgi-bin/sendsms", true,
                        false, ""},
        plain_http_case{"kannel_on_ipv4_mapped_loopback", "kannel", "http://[::ffff:127.0.0.1]:13013/", true,
                        false, ""},
        plain_http_case{
            "kannel_on_an_address_that_only_starts_like_loopback", "kannel", "http://128.0.0.1/", true, false,
            "send_url: refused: the channel's username, password would travel unencrypted over "
            "http:// to 128.0.0.1, which is not this machine; use https://, or set allow_insecure "
            "= true when the network to it is trusted"},
        plain_http_case{"kannel_over_https", "kannel", "https://192.168.1.20/cgi-bin/sendsms", true, false,
                        ""},
        plain_http_case{"generic_without_credentials", "generic", "http://api.example.com/sms", false, false,
                        ""},
        plain_http_case{"generic_with_basic_credentials", "generic", "http://api.example.com/sms", true,
                        false,
                        "send_url: refused: the channel's username, password would travel unencrypted over "
                        "http:// to api.example.com, which is not this machine; use https://, or set "
                        "allow_insecure = true when the network to it is trusted"}),
    [](const ::testing::TestParamInfo<plain_http_case>& p) { return p.param.name; });

TEST(credentials_sent, names_what_each_type_sends_as_the_configuration_names_it) {
    outbound_settings s;
    s.type = "generic";
    EXPECT_EQ(outbound_http::credentials_sent(s), "");
    s.secret = "inbound only";
    s.public_url = "http://10.0.0.5:8080";
    EXPECT_EQ(outbound_http::credentials_sent(s), "") << "a generic channel's secret never leaves";
    s.type = "kannel";
    EXPECT_EQ(outbound_http::credentials_sent(s), "secret (in the dlr-url)");
    s.public_url.clear();
    EXPECT_EQ(outbound_http::credentials_sent(s), "") << "no public_url, no dlr-url";
    s.type = "twilio";
    s.username = "AC00000000000000000000000000000000";
    s.password = "token";
    EXPECT_EQ(outbound_http::credentials_sent(s), "account_sid, auth_token");
    s = {};
    s.type = "africastalking";
    s.username = "sandbox";
    s.api_key = "key";
    EXPECT_EQ(outbound_http::credentials_sent(s), "username, api_key");
}

TEST_F(outbound_tls, credentials_refused_over_plain_http_at_send_time_are_a_retry_and_nothing_is_sent) {
    provider_stand_in plain(io);
    outbound_settings s = generic_to(plain.url_at("localhost", "/sms"), "");
    s.send_url = "http://10.255.255.1:" + std::to_string(plain.port()) + "/sms"; // never connected to
    const auto out = send(s);
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail.rfind("send_url: refused: the channel's username, password", 0), 0u) << out.detail;
    s.send_url = plain.url_at("localhost", "/sms");
    EXPECT_EQ(send(s).what, kind::sent) << "to this machine they may";
    EXPECT_EQ(plain.requests().size(), 1u);
}

} // namespace
} // namespace kharuul::adapters
