// The /api/v1 frame over loopback with a real store and the real daemon: tokens made by
// `kharuul token create` authenticate as bearer tokens and sign in for a session cookie; writes
// with the cookie need the CSRF header; failed authentications are throttled (429, Retry-After); a
// revoked token stops at once, its session too; every answer carries the security headers; a
// token in the URL is refused; the live log's long poll is answered when a message is posted to
// the SMS endpoint and empty when its time is up; sign-ins are in the audit log, which
// `kharuul log --audit` and GET /api/v1/audit show. The endpoints' own content is tested with
// theirs: here stand-ins answer /messages from the store and POST /sites.
#include "gateway/api_service.hpp"
#include "gateway/daemon.hpp"
#include "gateway/registry_seed.hpp"
#include "store/message_log.hpp"
#include "store/tokens.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/cli_in_process.hpp"
#include "tests/support/daemon_process.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <future>
#include <regex>

namespace kharuul::testing {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using headers = std::vector<std::pair<std::string, std::string>>;

// /messages from the store (id > after, oldest first), as the long poll needs it; POST /sites
// answered 201 with an audit note. Everything else is not theirs (nullopt).
std::optional<gateway::api::api_answer> stand_in_reads(store::connection& db, const gateway::api::principal&,
                                                       const gateway::api::api_request& rq,
                                                       const gateway::api::api_context&) {
    if (rq.path != std::vector<std::string>{"messages"})
        return std::nullopt;
    const auto after = rq.query.count("after") ? std::stoll(rq.query.find("after")->second) : 0;
    store::message_filter f;
    f.limit = 1000;
    json::array rows;
    auto all = store::query_messages(db, f);
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (it->id > after)
            rows.push_back(json::object{{"id", it->id}, {"text", it->text}});
    gateway::api::api_answer a;
    a.body = json::object{{"messages", std::move(rows)}, {"next", nullptr}};
    return a;
}

std::optional<gateway::api::api_answer> stand_in_registry(store::connection&, const gateway::api::principal&,
                                                          const gateway::api::api_request& rq,
                                                          const gateway::api::api_context&) {
    if (rq.path != std::vector<std::string>{"sites"} || rq.method != http::verb::post)
        return std::nullopt;
    gateway::api::api_answer a;
    a.status = http::status::created;
    a.body = json::object{{"code", "NEW"}};
    a.audits.push_back({"create", "site NEW", {}});
    return a;
}

class api_frame : public ::testing::Test {
protected:
    fs::path dir = fresh_dir("api-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::path config_file = dir / "kharuul.toml";
    std::shared_ptr<listening_socket> listener = std::make_shared<listening_socket>();
    std::unique_ptr<gateway::daemon> d;
    std::thread thread;

    void SetUp() override {
        write_demo_config(config_file, {{"[store]", "path", "\"" + (dir / "kharuul.db").string() + "\""}});
        gateway::daemon_options o;
        o.handle_signals = false;
        o.listen_fd = listener->dup();
        o.tune_api = [](gateway::api_service_options& a) {
            a.reads = stand_in_reads;
            a.registry = stand_in_registry;
        };
        d = std::make_unique<gateway::daemon>(demo_config(dir), o);
        thread = std::thread([this] { d->run(); });
    }
    void TearDown() override {
        stop();
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    void stop() {
        if (!d)
            return;
        d->stop();
        thread.join();
        d.reset();
    }

    cli_result cli(std::vector<std::string> args) {
        args.insert(args.begin() + 2, {"--config", config_file.string()});
        return run_cli_with(args);
    }
    // A new token's text, as `token create` prints it (the line that starts with khr_).
    std::string make_token(const std::string& label, const std::string& role = "coordinator",
                           std::vector<std::string> more = {}) {
        std::vector<std::string> args{"token", "create", "--role", role, "--label", label};
        args.insert(args.end(), more.begin(), more.end());
        const auto r = cli(args);
        EXPECT_EQ(r.code, 0) << r.err;
        std::smatch m;
        EXPECT_TRUE(std::regex_search(r.out, m, std::regex("khr_[A-Za-z0-9_-]{43}"))) << r.out;
        return m.empty() ? std::string() : m.str();
    }

    api_reply call(http::verb v, const std::string& target, headers h = {}, const std::string& body = {}) {
        return api_call(listener->port(), v, target, h, body);
    }
    api_reply get(const std::string& target, const std::string& token) {
        return call(http::verb::get, target, {{"Authorization", "Bearer " + token}});
    }
    // Signs in; returns {cookie header value, csrf}.
    std::pair<std::string, std::string> sign_in(const std::string& token) {
        auto r = call(http::verb::post, "/api/v1/session", {{"Content-Type", "application/json"}},
                      json::serialize(json::object{{"token", token}}));
        EXPECT_EQ(r.status, 200) << r.body;
        const std::string set = r.header("set-cookie");
        EXPECT_NE(set.find("HttpOnly"), std::string::npos) << set;
        EXPECT_NE(set.find("SameSite=Strict"), std::string::npos) << set;
        EXPECT_NE(set.find("Path=/"), std::string::npos) << set;
        if (r.status != 200)
            return {};
        return {set.substr(0, set.find(';')), std::string(json::parse(r.body).at("csrf").as_string())};
    }
    store::connection db() { return store::open_database(dir / "kharuul.db"); }
};

void expect_security_headers(const api_reply& r) {
    EXPECT_EQ(r.header("cache-control"), "no-store") << r.status;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << r.status;
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer") << r.status;
    EXPECT_EQ(r.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'") << r.status;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8") << r.status;
}

TEST_F(api_frame, token_create_prints_the_token_once_and_list_never_shows_it) {
    const std::string token = make_token("bayankhongor officer");
    ASSERT_FALSE(token.empty());
    const auto list = cli({"token", "list"});
    ASSERT_EQ(list.code, 0) << list.err;
    EXPECT_NE(list.out.find("bayankhongor officer"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("coordinator"), std::string::npos);
    EXPECT_EQ(list.out.find("khr_"), std::string::npos) << "the token is never listed";
    auto c = db();
    const auto tokens = store::list_tokens(c);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_EQ(tokens[0].expires_at - tokens[0].created_at, std::chrono::days(365)) << "a year by default";
}

TEST_F(api_frame, a_team_token_needs_a_team_of_the_registry) {
    auto r = cli({"token", "create", "--role", "team", "--label", "t1"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("--team"), std::string::npos) << r.err;
    r = cli({"token", "create", "--role", "team", "--team", "Nowhere team", "--label", "t1"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("no team 'Nowhere team'"), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    r = cli({"token", "create", "--role", "viewer", "--team", "Airag child protection team", "--label", "t1"});
    EXPECT_EQ(r.code, 1) << "--team for a viewer";
    const std::string token = make_token("airag", "team", {"--team", "Airag child protection team", "--expires", "90d"});
    const auto me = get("/api/v1/session", token);
    ASSERT_EQ(me.status, 200) << me.body;
    const auto o = json::parse(me.body).as_object();
    EXPECT_EQ(o.at("role"), "team");
    EXPECT_EQ(o.at("team"), "Airag child protection team");
    EXPECT_EQ(o.at("areas").as_array().size(), 1u);
    auto c = db();
    const auto t = store::list_tokens(c).at(0);
    EXPECT_EQ(t.expires_at - t.created_at, std::chrono::days(90));
}

TEST_F(api_frame, a_team_token_is_refused_once_its_team_is_gone_from_the_registry) {
    const std::string token = make_token("airag", "team", {"--team", "Airag child protection team"});
    ASSERT_EQ(get("/api/v1/session", token).status, 200);
    auto cfg = demo_config(dir);
    std::erase_if(cfg.teams, [](const auto& t) { return t.name == "Airag child protection team"; });
    auto c = db();
    ASSERT_TRUE(store::sync_registry(c, gateway::registry_snapshot_of(cfg), store::timestamp{}));
    const auto r = get("/api/v1/session", token);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("team no longer exists"), std::string::npos) << r.body;
}

TEST_F(api_frame, revoke_by_label_and_by_id_stops_the_token_and_its_session_at_once) {
    const std::string a = make_token("first");
    const std::string b = make_token("second");
    ASSERT_EQ(get("/api/v1/session", a).status, 200);
    const auto [cookie, csrf] = sign_in(b);
    ASSERT_EQ(call(http::verb::get, "/api/v1/session", {{"Cookie", cookie}}).status, 200);

    auto r = cli({"token", "revoke", "first"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(get("/api/v1/session", a).status, 401);

    auto c = db();
    const auto id = store::list_tokens(c).at(1).id;
    r = cli({"token", "revoke", std::to_string(id)});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("second"), std::string::npos);
    EXPECT_EQ(get("/api/v1/session", b).status, 401);
    EXPECT_EQ(call(http::verb::get, "/api/v1/session", {{"Cookie", cookie}}).status, 401) << "its session ends too";
    EXPECT_EQ(cli({"token", "revoke", "first"}).code, 1) << "revoked already";
}

TEST_F(api_frame, without_a_token_the_answer_is_401_and_after_ten_failures_429_with_retry_after) {
    auto r = call(http::verb::get, "/api/v1/cases");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("www-authenticate"), "Bearer realm=\"kharuul\"");
    expect_security_headers(r);
    const std::string good = make_token("good");
    for (int i = 0; i < 10; ++i) {
        r = get("/api/v1/cases", "khr_wrong" + std::to_string(i));
        ASSERT_EQ(r.status, 401) << i;
    }
    r = get("/api/v1/session", good);
    EXPECT_EQ(r.status, 429) << "the address is throttled, good token or not";
    EXPECT_FALSE(r.header("retry-after").empty());
    EXPECT_GT(std::stoi(r.header("retry-after")), 0);
    expect_security_headers(r);
    r = call(http::verb::post, "/api/v1/session", {{"Content-Type", "application/json"}},
             json::serialize(json::object{{"token", good}}));
    EXPECT_EQ(r.status, 429) << "sign-in is throttled too";
}

TEST_F(api_frame, a_cookie_write_needs_the_csrf_header_and_a_bearer_write_does_not) {
    const std::string token = make_token("writer");
    const auto [cookie, csrf] = sign_in(token);
    auto r = call(http::verb::post, "/api/v1/sites", {{"Cookie", cookie}, {"Content-Type", "application/json"}}, "{}");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body.find("X-CSRF-Token"), std::string::npos);
    expect_security_headers(r);
    r = call(http::verb::post, "/api/v1/sites", {{"Cookie", cookie}, {"X-CSRF-Token", "not-it"}}, "{}");
    EXPECT_EQ(r.status, 403);
    r = call(http::verb::post, "/api/v1/sites", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}, "{}");
    EXPECT_EQ(r.status, 201) << r.body;
    r = call(http::verb::post, "/api/v1/sites", {{"Authorization", "Bearer " + token}}, "{}");
    EXPECT_EQ(r.status, 201) << r.body;
    auto c = db();
    store::audit_filter creates;
    creates.action = "create";
    const auto rows = store::list_audit(c, creates);
    ASSERT_EQ(rows.size(), 2u) << "each write audited in its own job";
    EXPECT_EQ(rows[0].actor, "writer");
    EXPECT_EQ(rows[0].object, "site NEW");
    EXPECT_EQ(rows[0].client, "127.0.0.1");
}

TEST_F(api_frame, every_api_answer_carries_the_security_headers_and_a_token_in_the_url_is_refused) {
    const std::string token = make_token("headers");
    auto r = call(http::verb::get, "/api/v1/cases?token=" + token);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("Authorization: Bearer"), std::string::npos) << r.body;
    expect_security_headers(r);
    for (const std::string target : {"/api/v1/session", "/api/v1/no-such-thing", "/api/v1/audit", "/api/v2/x",
                                     "/api/v1/openapi.json"}) {
        r = get(target, token);
        EXPECT_NE(r.status, 0) << target;
        expect_security_headers(r);
    }
    EXPECT_EQ(get("/api/v1/no-such-thing", token).status, 404);
    EXPECT_EQ(get("/api/v1/openapi.json", token).status, 200);
}

TEST_F(api_frame, a_viewer_may_not_read_records_or_the_audit_log) {
    const std::string viewer = make_token("viewer", "viewer");
    EXPECT_EQ(get("/api/v1/messages", viewer).status, 403);
    EXPECT_EQ(get("/api/v1/audit", viewer).status, 403);
    EXPECT_EQ(get("/api/v1/session", viewer).status, 200);
}

TEST_F(api_frame, the_long_poll_is_answered_when_a_message_is_posted_and_empty_when_the_time_is_up) {
    const std::string token = make_token("live log");
    auto first = get("/api/v1/messages?after=0", token);
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_TRUE(json::parse(first.body).at("messages").as_array().empty());

    const auto started = std::chrono::steady_clock::now();
    auto poll = std::async(std::launch::async, [&] { return get("/api/v1/messages?after=0&wait=25", token); });
    auto sms = http_post(listener->port(), "/channels/generic/receive?secret=demo-secret",
                         "from=%2B97699000001&to=500&text=NIL%20ALT");
    ASSERT_EQ(sms.status, 200) << sms.body;
    const auto answer = poll.get();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s) << "woken by the message, not by the time";
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto rows = json::parse(answer.body).at("messages").as_array();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at("text"), "NIL ALT");
    const auto id = rows[0].at("id").as_int64();

    const auto before = std::chrono::steady_clock::now();
    const auto empty = get("/api/v1/messages?after=" + std::to_string(id) + "&wait=1", token);
    EXPECT_GE(std::chrono::steady_clock::now() - before, 1s);
    ASSERT_EQ(empty.status, 200);
    EXPECT_TRUE(json::parse(empty.body).at("messages").as_array().empty());
    EXPECT_EQ(get("/api/v1/messages?after=0&wait=26", token).status, 400);
}

TEST_F(api_frame, a_waiting_long_poll_is_answered_at_once_when_the_daemon_stops) {
    const std::string token = make_token("stopping");
    auto poll = std::async(std::launch::async, [&] { return get("/api/v1/messages?after=0&wait=25", token); });
    // The poll is waiting once a second request has been answered after it was sent: either way
    // the stop must answer it well before its 25 seconds.
    ASSERT_EQ(get("/api/v1/session", token).status, 200);
    const auto started = std::chrono::steady_clock::now();
    stop();
    const auto r = poll.get();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    EXPECT_EQ(r.status, 200);
}

TEST_F(api_frame, sign_ins_and_refused_ones_are_audited_without_the_token_and_log_audit_shows_them) {
    const std::string token = make_token("auditor");
    sign_in(token);
    const std::string wrong = "khr_" + std::string(43, 'x');
    auto r = call(http::verb::post, "/api/v1/session", {{"Content-Type", "application/json"}},
                  json::serialize(json::object{{"token", wrong}}));
    EXPECT_EQ(r.status, 401);
    auto c = db();
    const auto rows = store::list_audit(c, {});
    ASSERT_EQ(rows.size(), 3u); // token_create, sign_in, sign_in_refused
    EXPECT_EQ(rows[0].action, "sign_in_refused");
    EXPECT_EQ(rows[0].client, "127.0.0.1");
    EXPECT_EQ(rows[1].action, "sign_in");
    EXPECT_EQ(rows[1].actor, "auditor");
    EXPECT_EQ(rows[2].action, "token_create");
    EXPECT_EQ(rows[2].actor, "command line");
    for (const auto& row : rows)
        EXPECT_EQ(row.detail.value_or("").find("xxxxxxxx"), std::string::npos) << "no token text";

    const auto log = cli({"log", "--audit", "--since", "2000-01-01"});
    ASSERT_EQ(log.code, 0) << log.err;
    EXPECT_NE(log.out.find("sign_in_refused"), std::string::npos) << log.out;
    EXPECT_NE(log.out.find("auditor"), std::string::npos);
    EXPECT_NE(log.out.find("command line"), std::string::npos);
    EXPECT_EQ(log.out.find("khr_"), std::string::npos);

    const auto api = get("/api/v1/audit?action=sign_in", token);
    ASSERT_EQ(api.status, 200) << api.body;
    const auto listed = json::parse(api.body).at("audit").as_array();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].at("actor"), "auditor");
}

} // namespace
} // namespace kharuul::testing
