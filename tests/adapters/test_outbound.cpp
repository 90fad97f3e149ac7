// The outbound channels against a provider stand-in over real loopback sockets, on an io_context
// the fixture owns: the generic JSON POST (body, headers, idempotency key, answers by status,
// provider ids), Kannel's sendsms GET (every parameter, UCS-2 for Cyrillic, the dlr-url and its
// round trip through Kannel's template filling into our own delivery-report parser), deadlines,
// refused and dropped connections, cancellation; and the wording of what providers said.
#include "adapters/outbound.hpp"

#include "adapters/charset.hpp"
#include "adapters/dialect.hpp"
#include "adapters/http_input.hpp"
#include "adapters/outbound_http.hpp"
#include "tests/adapters/provider_stand_in.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::provider_stand_in;
using kind = send_outcome::kind;

const std::string cyrillic = "ОСОЛ #17 ЯАРАЛТАЙ: 2 хүү ~12 уурхай, ALT. ACK 17 гэж хариулна уу";

class outbound : public ::testing::Test {
protected:
    asio::io_context io;
    provider_stand_in provider{io};

    outbound_settings generic_settings(std::string_view path = "/sms") const {
        outbound_settings s;
        s.name = "provider";
        s.type = "generic";
        s.send_url = provider.url(path);
        s.sender = "500";
        s.timeout = 5s;
        return s;
    }

    outbound_settings kannel_settings() const {
        outbound_settings s;
        s.name = "kannel";
        s.type = "kannel";
        s.send_url = provider.url("/cgi-bin/sendsms");
        s.username = "k";
        s.password = "p&ss w%rd";
        s.sender = "500";
        s.secret = "s3&c r%t/ü+";
        s.public_url = "http://10.0.0.5:8080/";
        s.timeout = 5s;
        return s;
    }

    static asio::awaitable<send_outcome> send_copy(outbound_channel& channel, outbound_sms sms) {
        co_return co_await channel.send(sms);
    }

    send_outcome send(const outbound_settings& settings, outbound_sms sms) {
        auto channel = make_outbound(settings, io.get_executor());
        if (!channel) {
            throw std::runtime_error("no channel of type " + settings.type);
        }
        return testing::run_on(io, send_copy(*channel, std::move(sms)));
    }

    static outbound_sms sms(std::int64_t id = 42,
                            std::string text = "ALERT #17 URGENT: 2 boys ~12 mining at ALT") {
        return {id, "+97699000101", std::move(text)};
    }

    // The query of the n-th recorded request, decoded.
    form_fields query_of_request(std::size_t n = 0) const {
        const auto& req = provider.requests().at(n);
        const std::string target(req.target());
        auto fields = form_fields::parse(query_of(target));
        if (!fields) {
            throw std::runtime_error("bad query: " + target);
        }
        return *fields;
    }
};

// A port nothing listens on (bound a moment ago, then closed).
std::uint16_t closed_port() {
    asio::io_context io;
    asio::ip::tcp::acceptor a(io, {asio::ip::make_address("127.0.0.1"), 0});
    const auto port = a.local_endpoint().port();
    a.close();
    return port;
}

// ---------------------------------------------------------------------------------------------
// Registry and settings

TEST(outbound_registry, knows_log_generic_kannel_twilio_and_africastalking_and_nothing_else) {
    asio::io_context io;
    EXPECT_EQ(outbound_types(), (std::vector<std::string_view>{"log", "generic", "kannel", "twilio", "africastalking"}));
    for (const auto type : outbound_types()) {
        outbound_settings s;
        s.type = type;
        auto channel = make_outbound(s, io.get_executor());
        ASSERT_NE(channel, nullptr) << type;
        EXPECT_EQ(channel->type(), type);
    }
    outbound_settings smpp;
    smpp.type = "smpp";
    EXPECT_EQ(make_outbound(smpp, io.get_executor()), nullptr);
    const auto problems = outbound_problems(smpp);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "type: 'smpp' cannot send (the types that can: log, generic, kannel, twilio, africastalking)");
}

TEST(outbound_registry, problems_name_the_field_at_fault) {
    outbound_settings log;
    log.type = "log";
    EXPECT_TRUE(outbound_problems(log).empty());

    outbound_settings generic;
    generic.type = "generic";
    generic.send_url = "ftp://api.example.com/sms";
    auto problems = outbound_problems(generic);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "send_url: the scheme 'ftp' is not http or https");
    generic.send_url = "http://api.example.com/sms";
    EXPECT_TRUE(outbound_problems(generic).empty());
    generic.send_url = "https://api.example.com/sms";
    EXPECT_TRUE(outbound_problems(generic).empty());

    outbound_settings kannel;
    kannel.type = "kannel";
    kannel.send_url = "http://127.0.0.1:13013/cgi-bin/sendsms";
    problems = outbound_problems(kannel);
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_EQ(problems[0].rfind("username:", 0), 0u);
    EXPECT_EQ(problems[1].rfind("password:", 0), 0u);
    kannel.username = "k";
    kannel.password = "k";
    kannel.public_url = "127.0.0.1:8080";
    problems = outbound_problems(kannel);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].rfind("public_url:", 0), 0u);
    kannel.public_url = "http://127.0.0.1:8080";
    EXPECT_TRUE(outbound_problems(kannel).empty());
}

TEST(outbound_endpoint, reads_host_port_path_and_query_of_an_http_url) {
    auto e = outbound_http::parse_endpoint("http://127.0.0.1:13013/cgi-bin/sendsms?smsc=fake", "send_url");
    ASSERT_TRUE(e.where) << e.problem;
    EXPECT_EQ(e.where->host, "127.0.0.1");
    EXPECT_EQ(e.where->port, "13013");
    EXPECT_EQ(e.where->host_header, "127.0.0.1:13013");
    EXPECT_EQ(e.where->path, "/cgi-bin/sendsms");
    EXPECT_EQ(e.where->query, "smsc=fake");

    e = outbound_http::parse_endpoint("http://sms.example.org", "send_url");
    ASSERT_TRUE(e.where) << e.problem;
    EXPECT_EQ(e.where->port, "80");
    EXPECT_EQ(e.where->host_header, "sms.example.org");
    EXPECT_EQ(e.where->path, "/");

    e = outbound_http::parse_endpoint("http://[::1]:8080/x", "send_url");
    ASSERT_TRUE(e.where) << e.problem;
    EXPECT_EQ(e.where->host, "::1");
    EXPECT_EQ(e.where->host_header, "[::1]:8080");

    e = outbound_http::parse_endpoint("https://api.example.com/v1/sms", "send_url");
    ASSERT_TRUE(e.where) << e.problem;
    EXPECT_TRUE(e.where->secure);
    EXPECT_EQ(e.where->port, "443");
    EXPECT_EQ(e.where->host_header, "api.example.com");
    EXPECT_FALSE(e.where->tls) << "parse_endpoint only reads: channel_endpoint makes the TLS context";
    EXPECT_FALSE(outbound_http::parse_endpoint("http://sms.example.org", "send_url").where->secure);

    for (const auto* bad : {"", "127.0.0.1:13013/cgi-bin/sendsms", "ftp://example.org/",
                            "http://u:p@example.org/", "https://u:p@example.org/", "http://example.org:99999/"}) {
        e = outbound_http::parse_endpoint(bad, "send_url");
        EXPECT_FALSE(e.where) << bad;
        EXPECT_EQ(e.problem.rfind("send_url", 0), 0u) << e.problem;
    }
}

// ---------------------------------------------------------------------------------------------
// log

TEST_F(outbound, log_channel_sends_at_once_without_the_network) {
    outbound_settings s;
    s.name = "log";
    s.type = "log";
    const auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::sent);
    EXPECT_EQ(out.detail, "logged");
    EXPECT_TRUE(out.provider_id.empty());
    EXPECT_TRUE(provider.requests().empty());
}

// ---------------------------------------------------------------------------------------------
// generic

TEST_F(outbound, generic_posts_json_with_idempotency_key_to_the_send_url) {
    provider.answer(http::status::ok, R"({"id":"abc-1"})", "application/json");
    const auto out = send(generic_settings("/v1/sms?account=ngo"), sms(42, cyrillic));
    EXPECT_EQ(out.what, kind::sent) << out.detail;

    ASSERT_EQ(provider.requests().size(), 1u);
    const auto& req = provider.requests()[0];
    EXPECT_EQ(req.method(), http::verb::post);
    EXPECT_EQ(req.target(), "/v1/sms?account=ngo");
    EXPECT_EQ(req[http::field::host], "127.0.0.1:" + std::to_string(provider.port()));
    EXPECT_EQ(req[http::field::content_type], "application/json");
    EXPECT_EQ(req["Idempotency-Key"], "kharuul-42");
    EXPECT_EQ(req.count(http::field::authorization), 0u);
    const auto body = boost::json::parse(req.body());
    EXPECT_EQ(body, boost::json::parse(R"({"id": 42, "to": "+97699000101", "text": ")" + cyrillic +
                                       R"(", "from": "500"})"));
}

TEST_F(outbound, generic_sends_basic_credentials_when_a_username_is_set_and_no_from_without_sender) {
    auto s = generic_settings();
    s.username = "user";
    s.password = "pa55word";
    s.sender.clear();
    EXPECT_EQ(send(s, sms(7)).what, kind::sent);
    ASSERT_EQ(provider.requests().size(), 1u);
    EXPECT_EQ(provider.requests()[0][http::field::authorization], "Basic dXNlcjpwYTU1d29yZA==");
    const auto body = boost::json::parse(provider.requests()[0].body()).as_object();
    EXPECT_FALSE(body.contains("from"));
    EXPECT_EQ(body.at("id"), 7);
}

struct answer_case {
    unsigned status;
    const char* body;
    kind expected;
    const char* provider_id;
    const char* detail;
};

TEST_F(outbound, generic_outcome_follows_the_answer_status) {
    const answer_case cases[] = {
        {200, R"({"id":"abc-1","status":"queued"})", kind::sent, "abc-1",
         R"(HTTP 200: {"id":"abc-1","status":"queued"})"},
        {201, R"({"message_id":987})", kind::sent, "987", R"(HTTP 201: {"message_id":987})"},
        {202, "queued", kind::sent, "", "HTTP 202: queued"},
        {204, "", kind::sent, "", "HTTP 204"},
        {400, "invalid number +97699000101\n", kind::failed, "", "HTTP 400: invalid number +976****0101"},
        {401, "bad key", kind::retry, "", "HTTP 401: bad key"}, // our credentials: kept queued
        {404, "no such route", kind::failed, "", "HTTP 404: no such route"},
        {422, "text too long", kind::failed, "", "HTTP 422: text too long"},
        {408, "slow", kind::retry, "", "HTTP 408: slow"},
        {429, "too many requests", kind::retry, "", "HTTP 429: too many requests"},
        {500, "oops", kind::retry, "", "HTTP 500: oops"},
        {503, "maintenance", kind::retry, "", "HTTP 503: maintenance"},
        {301, "moved", kind::retry, "", "HTTP 301: moved"},
    };
    for (const auto& c : cases) {
        provider.answer(static_cast<http::status>(c.status), c.body);
        const auto out = send(generic_settings(), sms());
        EXPECT_EQ(send_outcome_name(out.what), send_outcome_name(c.expected)) << c.status;
        EXPECT_EQ(out.provider_id, c.provider_id) << c.status;
        EXPECT_EQ(out.detail, c.detail) << c.status;
    }
    EXPECT_EQ(provider.requests().size(), std::size(cases));
}

TEST_F(outbound, provider_that_never_answers_is_a_retry_with_timeout_at_the_deadline) {
    provider.never_answer();
    auto s = generic_settings();
    s.timeout = 300ms;
    const auto started = std::chrono::steady_clock::now();
    const auto out = send(s, sms());
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "timeout");
    EXPECT_GE(took, 280ms);
    EXPECT_LT(took, 1500ms);
    EXPECT_EQ(provider.requests().size(), 1u); // the request did arrive: a provider may have acted on it
}

TEST_F(outbound, refused_connection_is_a_retry) {
    auto s = generic_settings();
    s.send_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/sms";
    const auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "connect: Connection refused");
}

TEST_F(outbound, connection_closed_without_an_answer_is_a_retry) {
    provider.close_without_answer();
    const auto out = send(generic_settings(), sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail.rfind("read: ", 0), 0u) << out.detail;
}

TEST_F(outbound, unusable_send_url_is_a_retry_naming_the_problem) {
    auto s = generic_settings();
    s.send_url = "mailto:sms@example.org";
    const auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "send_url: the scheme 'mailto' is not http or https");
    EXPECT_TRUE(provider.requests().empty());
}

TEST_F(outbound, unresolvable_host_is_a_retry) {
    auto s = generic_settings();
    s.send_url = "http://no-such-host.invalid/sms";
    const auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_TRUE(out.detail.rfind("resolve: ", 0) == 0 || out.detail == "timeout") << out.detail;
}

TEST_F(outbound, cancelling_the_caller_ends_the_send_at_once) {
    provider.never_answer();
    auto channel = make_outbound(generic_settings(), io.get_executor()); // 5 s deadline
    asio::cancellation_signal stop;
    std::optional<send_outcome> out;
    asio::co_spawn(
        io, send_copy(*channel, sms()),
        asio::bind_cancellation_slot(stop.slot(), [&](std::exception_ptr, send_outcome o) { out = o; }));
    asio::steady_timer soon(io, 200ms);
    soon.async_wait([&](boost::system::error_code) { stop.emit(asio::cancellation_type::terminal); });
    const auto started = std::chrono::steady_clock::now();
    while (!out && std::chrono::steady_clock::now() - started < 4s) {
        io.run_one_for(20ms);
    }
    ASSERT_TRUE(out);
    EXPECT_EQ(out->what, kind::retry);
    EXPECT_EQ(out->detail, "cancelled");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(outbound, channel_replaced_while_a_send_is_in_flight_still_completes_the_send) {
    provider.never_answer();
    auto s = generic_settings();
    s.timeout = 300ms;
    auto channel = make_outbound(s, io.get_executor());
    std::optional<send_outcome> out;
    asio::co_spawn(io, send_copy(*channel, sms()), [&](std::exception_ptr, send_outcome o) { out = o; });
    for (const auto started = std::chrono::steady_clock::now();
         provider.requests().empty() && std::chrono::steady_clock::now() - started < 4s;) {
        io.run_one_for(20ms);
    }
    ASSERT_EQ(provider.requests().size(), 1u);
    channel.reset(); // as a configuration reload does
    for (const auto started = std::chrono::steady_clock::now();
         !out && std::chrono::steady_clock::now() - started < 4s;) {
        io.run_one_for(20ms);
    }
    ASSERT_TRUE(out);
    EXPECT_EQ(out->what, kind::retry);
    EXPECT_EQ(out->detail, "timeout");
}

// ---------------------------------------------------------------------------------------------
// kannel

TEST_F(outbound, kannel_sendsms_get_has_every_parameter) {
    provider.answer(http::status::accepted, "0: Accepted for delivery");
    auto s = kannel_settings();
    s.send_url = provider.url("/cgi-bin/sendsms?smsc=fake");
    const std::string text = "ALERT #17: 2+1 boys & 1 girl at ALT (50% shaft). Reply ACK 17";
    const auto out = send(s, sms(42, text));
    EXPECT_EQ(out.what, kind::sent);
    EXPECT_EQ(out.detail, "HTTP 202: 0: Accepted for delivery");
    EXPECT_TRUE(out.provider_id.empty()); // Kannel gives none: reports carry our outbox id

    ASSERT_EQ(provider.requests().size(), 1u);
    const auto& req = provider.requests()[0];
    EXPECT_EQ(req.method(), http::verb::get);
    EXPECT_EQ(std::string(req.target()).rfind("/cgi-bin/sendsms?smsc=fake&username=k&", 0), 0u)
        << req.target();
    const auto q = query_of_request();
    EXPECT_EQ(q.get("smsc"), "fake");
    EXPECT_EQ(q.get("username"), "k");
    EXPECT_EQ(q.get("password"), "p&ss w%rd");
    EXPECT_EQ(q.get("to"), "+97699000101");
    EXPECT_EQ(q.get("text"), text);
    EXPECT_EQ(q.get("charset"), "UTF-8");
    EXPECT_FALSE(q.contains("coding")); // GSM-7 text: Kannel's default
    EXPECT_EQ(q.get("from"), "500");
    EXPECT_EQ(q.get("dlr-mask"), "31");
    EXPECT_TRUE(q.contains("dlr-url"));
    // Nothing a form decoder would read as a space or a separator is left unescaped.
    const std::string target(req.target());
    EXPECT_EQ(target.find(' '), std::string::npos);
    EXPECT_EQ(target.find("+9769"), std::string::npos);
}

TEST_F(outbound, kannel_cyrillic_text_goes_as_utf8_with_coding_2_and_arrives_intact) {
    provider.answer(http::status::accepted, "0: Accepted for delivery");
    EXPECT_EQ(send(kannel_settings(), sms(43, cyrillic)).what, kind::sent);
    const auto q = query_of_request();
    EXPECT_EQ(q.get("text"), cyrillic);
    EXPECT_EQ(q.get("charset"), "UTF-8");
    EXPECT_EQ(q.get("coding"), "2");
}

TEST_F(outbound, kannel_without_sender_or_report_settings_omits_from_and_dlr) {
    auto s = kannel_settings();
    s.sender.clear();
    s.public_url.clear();
    provider.answer(http::status::accepted, "0: Accepted for delivery");
    EXPECT_EQ(send(s, sms()).what, kind::sent);
    const auto q = query_of_request();
    EXPECT_FALSE(q.contains("from"));
    EXPECT_FALSE(q.contains("dlr-mask"));
    EXPECT_FALSE(q.contains("dlr-url"));
}

// Kannel's urltrans_fill_escape_codes for a delivery report: %d the report type, %A the SMSC's
// reply (URL-encoded), %T unix seconds, %% a '%'; any other %x is kept as it is.
std::string fill_like_kannel(std::string_view pattern, int type, std::string_view reply, long ts) {
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%' || i + 1 == pattern.size()) {
            out += pattern[i];
            continue;
        }
        switch (pattern[++i]) {
        case 'd':
            out += std::to_string(type);
            break;
        case 'A':
            out += outbound_http::encode_query_value(reply);
            break;
        case 'T':
            out += std::to_string(ts);
            break;
        case '%':
            out += '%';
            break;
        default:
            out += '%';
            out += pattern[i];
        }
    }
    return out;
}

TEST_F(outbound, kannel_dlr_url_comes_back_as_our_status_url_with_the_outbox_id) {
    provider.answer(http::status::accepted, "0: Accepted for delivery");
    const auto s = kannel_settings();
    EXPECT_EQ(send(s, sms(1234)).what, kind::sent);
    const auto dlr_url = query_of_request().get("dlr-url");
    ASSERT_TRUE(dlr_url);
    EXPECT_NE(dlr_url->find("&type=%d&reply=%A&ts=%T"), std::string::npos) << *dlr_url;

    // Kannel fills the template when the handset's report comes back and calls it.
    const auto called = fill_like_kannel(*dlr_url, 1, "id:0f1e stat:DELIVRD err:000", 1714567890);
    const auto url = boost::urls::parse_absolute_uri(called);
    ASSERT_TRUE(url) << called;
    EXPECT_EQ(url->encoded_host_and_port(), "10.0.0.5:8080");
    EXPECT_EQ(url->encoded_path(), "/channels/kannel/status");

    const auto req = adapters::request(http::verb::get, std::string(url->encoded_resource()), 11);
    const auto* kannel = find_dialect("kannel");
    ASSERT_NE(kannel, nullptr);
    const channel_settings channel{"kannel", "kannel", s.secret, "", "", ""};
    EXPECT_TRUE(kannel->authenticate(req, channel)) << called;
    const auto report = kannel->parse_status(req, channel);
    ASSERT_TRUE(report) << report.error().reason;
    EXPECT_EQ(report->outbox_id, 1234);
    EXPECT_EQ(report->state, delivery_state::delivered);
    EXPECT_EQ(report->detail, "id:0f1e stat:DELIVRD err:000");
    ASSERT_TRUE(report->observed_at);
    EXPECT_EQ(std::chrono::system_clock::to_time_t(*report->observed_at), 1714567890);
}

TEST_F(outbound, kannel_outcome_follows_sendsms_answers) {
    const answer_case cases[] = {
        {202, "0: Accepted for delivery", kind::sent, "", "HTTP 202: 0: Accepted for delivery"},
        {202, "3: Queued for later delivery", kind::sent, "", "HTTP 202: 3: Queued for later delivery"},
        {202, "Sent.", kind::sent, "", "HTTP 202: Sent."}, // immediate-sendsms-reply = true
        {400, "Sender missing and no global set, rejected", kind::failed, "",
         "HTTP 400: Sender missing and no global set, rejected"},
        {400, "DLR-URL field misformed, rejected", kind::failed, "",
         "HTTP 400: DLR-URL field misformed, rejected"},
        {403, "Authorization failed for sendsms", kind::retry, "", // our credentials: kept queued
         "HTTP 403: Authorization failed for sendsms"},
        {403, "Not routable. Do not try again.", kind::failed, "",
         "HTTP 403: Not routable. Do not try again."},
        {503, "Temporal failure, try again later.", kind::retry, "",
         "HTTP 503: Temporal failure, try again later."},
        {500, "Sending failed.", kind::retry, "", "HTTP 500: Sending failed."},
    };
    for (const auto& c : cases) {
        provider.answer(static_cast<http::status>(c.status), c.body);
        const auto out = send(kannel_settings(), sms());
        EXPECT_EQ(send_outcome_name(out.what), send_outcome_name(c.expected)) << c.body;
        EXPECT_EQ(out.detail, c.detail);
    }
}

TEST_F(outbound, kannel_unreachable_or_silent_is_a_retry) {
    auto s = kannel_settings();
    s.send_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/cgi-bin/sendsms";
    auto out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "connect: Connection refused");

    provider.never_answer();
    s = kannel_settings();
    s.timeout = 250ms;
    out = send(s, sms());
    EXPECT_EQ(out.what, kind::retry);
    EXPECT_EQ(out.detail, "timeout");
}

// ---------------------------------------------------------------------------------------------
// Wording

TEST(provider_detail, is_one_trimmed_line) {
    EXPECT_EQ(outbound_http::provider_detail("  Sent.\r\n\tMessage   splits: 2\n"),
              "Sent. Message splits: 2");
    EXPECT_EQ(outbound_http::provider_detail(""), "");
}

TEST(provider_detail, masks_numbers_that_may_be_phones_but_not_ids) {
    EXPECT_EQ(outbound_http::provider_detail("Denied receivers are: +97699000101 99000102"),
              "Denied receivers are: +976****0101 ****0102");
    EXPECT_EQ(outbound_http::provider_detail(R"({"to":"+97699000101","id":"SM1234567890abc","n":123456})"),
              R"({"to":"+976****0101","id":"SM1234567890abc","n":123456})");
    EXPECT_EQ(outbound_http::provider_detail("ref 12345678901234567890"), "ref 12345678901234567890");
    // The one rule (parser::mask_phone): a '+1' number shows its one-digit country code only.
    EXPECT_EQ(outbound_http::provider_detail("bad to: +15551234567."), "bad to: +1****4567.");
    EXPECT_EQ(outbound_http::provider_detail("to 1234567"), "to ****567");
}

TEST(provider_detail, is_cut_at_a_character_boundary) {
    std::string long_text;
    for (int i = 0; i < 150; ++i) {
        long_text += "ж"; // two bytes each
    }
    const auto detail = outbound_http::provider_detail("HTTP 400: " + long_text);
    EXPECT_LE(detail.size(), 200u);
    EXPECT_GE(detail.size(), 190u);
    EXPECT_EQ(detail.substr(detail.size() - 3), "...");
    EXPECT_TRUE(is_valid_utf8(detail)) << detail;
}

TEST(provider_detail, reads_invalid_utf8_as_latin1) {
    EXPECT_EQ(outbound_http::provider_detail("caf\xE9"), "caf\xC3\xA9");
}

} // namespace
} // namespace kharuul::adapters
