// The daemon's HTTP face under hostile clients: read-only endpoints answer GET and HEAD only,
// refused requests are summarised in the log instead of a line each, and /metrics is served from
// counters (no store job per scrape) behind an optional bearer token.
#include "gateway/daemon.hpp"

#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/log_capture.hpp"

#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>

namespace kharuul::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using testing::running_gateway;
using steady = std::chrono::steady_clock;

struct full_reply {
    int status = 0;
    std::string body;
    http::fields headers;
};

full_reply call(unsigned short port, http::verb method, const std::string& target,
                const std::string& authorization = {}) {
    boost::asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!authorization.empty())
        req.set(http::field::authorization, authorization);
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.skip(method == http::verb::head); // a HEAD response has a length but no body
    http::read(stream, buf, parser);
    auto res = parser.release();
    full_reply out{static_cast<int>(res.result_int()), res.body(), {}};
    for (const auto& f : res)
        out.headers.set(f.name_string(), f.value());
    return out;
}

std::uint64_t committed_jobs(const std::string& metrics) {
    std::smatch m;
    static const std::regex re("kharuul_store_jobs_total\\{result=\"committed\"\\} (\\d+)");
    return std::regex_search(metrics, m, re) ? std::stoull(m[1]) : 0;
}

TEST(daemon_http, healthz_and_metrics_answer_get_and_head_only) {
    running_gateway g("methods");
    for (const char* target : {"/healthz", "/metrics"}) {
        for (auto verb : {http::verb::post, http::verb::put, http::verb::delete_}) {
            const auto r = call(g.port(), verb, target);
            EXPECT_EQ(r.status, 405) << target << ' ' << http::to_string(verb);
            EXPECT_EQ(r.headers[http::field::allow], "GET, HEAD") << target;
        }
        const auto head = call(g.port(), http::verb::head, target);
        EXPECT_EQ(head.status, 200) << target;
        EXPECT_TRUE(head.body.empty()) << target;
        EXPECT_NE(head.headers[http::field::content_length], "0") << target;
        EXPECT_EQ(call(g.port(), http::verb::get, target).status, 200) << target;
    }
}

TEST(daemon_http, a_thousand_refused_requests_make_a_handful_of_log_lines_and_are_all_counted) {
    testing::log_capture log;
    running_gateway g("flood");
    for (int i = 0; i < 1000; ++i)
        ASSERT_EQ(g.post("+97699000001", "NIL ALT", "", "wrong").status, 401) << i;
    for (int i = 0; i < 200; ++i)
        ASSERT_EQ(testing::http_get(g.port(), "/nowhere/" + std::to_string(i)).status, 404);
    EXPECT_LE(log.lines_containing("(401)").size(), 2u);
    EXPECT_LE(log.lines_containing("404").size(), 2u);
    const auto metrics = testing::http_get(g.port(), "/metrics").body;
    EXPECT_NE(metrics.find("kharuul_unauthorized_total{channel=\"generic\"} 1000"), std::string::npos)
        << metrics;
}

TEST(daemon_http, a_scrape_submits_no_store_job) {
    running_gateway g("scrape");
    const auto t0 = steady::now();
    const auto before = committed_jobs(testing::http_get(g.port(), "/metrics").body);
    constexpr int scrapes = 200;
    for (int i = 0; i < scrapes; ++i)
        ASSERT_EQ(testing::http_get(g.port(), "/metrics").status, 200);
    const auto after = committed_jobs(testing::http_get(g.port(), "/metrics").body);
    const double seconds = std::chrono::duration<double>(steady::now() - t0).count();
    // The ticker and the outbox sender each submit about one job a second meanwhile.
    EXPECT_LE(after - before, static_cast<std::uint64_t>(2 * (seconds + 2))) << seconds << " s";
    EXPECT_LT(after - before, static_cast<std::uint64_t>(scrapes / 2));
}

TEST(daemon_http, the_open_alert_figure_follows_the_store_without_a_scrape_reading_it) {
    running_gateway g("figures");
    g.send("+97699000001", "ID ALT 2B 12 MINE SHAFT");
    std::string metrics;
    const auto deadline = steady::now() + std::chrono::seconds(10);
    while (steady::now() < deadline) { // the ticker refreshes it every second
        metrics = testing::http_get(g.port(), "/metrics").body;
        if (metrics.find("kharuul_alerts_open 1\n") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_NE(metrics.find("kharuul_alerts_open 1\n"), std::string::npos) << metrics;
}

TEST(daemon_http, with_a_metrics_token_a_scrape_needs_the_bearer_token) {
    running_gateway g("token", false,
                      [](config::gateway_config& c) { c.server.metrics_token = "s3cret-token"; });
    const auto none = call(g.port(), http::verb::get, "/metrics");
    EXPECT_EQ(none.status, 401);
    EXPECT_NE(std::string(none.headers[http::field::www_authenticate]).find("Bearer"), std::string::npos);
    EXPECT_EQ(none.body.find("kharuul_"), std::string::npos);
    EXPECT_EQ(call(g.port(), http::verb::get, "/metrics", "Bearer wrong-token!").status, 401);
    EXPECT_EQ(call(g.port(), http::verb::get, "/metrics", "Basic s3cret-token").status, 401);
    const auto ok = call(g.port(), http::verb::get, "/metrics", "Bearer s3cret-token");
    EXPECT_EQ(ok.status, 200);
    EXPECT_NE(ok.body.find("kharuul_messages_total"), std::string::npos);
    EXPECT_EQ(call(g.port(), http::verb::get, "/healthz").status, 200); // not behind the token
}

TEST(daemon_http, without_a_metrics_token_a_scrape_needs_none) {
    running_gateway g("notoken");
    EXPECT_EQ(call(g.port(), http::verb::get, "/metrics").status, 200);
}

} // namespace
} // namespace kharuul::gateway
