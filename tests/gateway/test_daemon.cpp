// The daemon end to end over real loopback sockets and a real SQLite file: a provider posts
// messages to the generic channel and the test reads the answers and the store.
#include "gateway/daemon.hpp"

#include "config/load.hpp"
#include "parser/case_code.hpp"
#include "parser/segment.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/json/value_to.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <fstream>
#include <sstream>
#include <filesystem>
#include <thread>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::form_encode;

using testing::running_gateway;

const std::string volunteer = "+97699000001"; // reports at ALT (demo.toml)
const std::string stranger = "+97699000999";

std::string reply_of(const json::object& o) { return json::value_to<std::string>(o.at("reply")); }

// What the store recorded as the reason a message was refused ("" when accepted).
std::string error_of(running_gateway& g, const json::object& o) {
    auto m = store::find_message(g.db(), o.at("message_id").as_int64());
    return m ? m->error_code.value_or("") : "no such message";
}

std::int64_t alert_count(running_gateway& g) { return g.db().execAndGet("SELECT COUNT(*) FROM alerts").getInt64(); }

std::string team_leader(running_gateway& g) {
    auto& db = g.db();
    SQLite::Statement q(db, "SELECT phone FROM team_members WHERE role = 'leader' ORDER BY phone LIMIT 1");
    EXPECT_TRUE(q.executeStep());
    return q.getColumn(0).getString();
}

TEST(daemon, an_id_report_is_stored_opens_one_case_per_child_and_is_answered_with_their_codes) {
    running_gateway g("id");
    auto o = g.send(volunteer, "ID ALT 2B1G 12 MINE SHAFT", "prov-1");
    EXPECT_EQ(o.at("status"), "accepted");
    const std::string reply = reply_of(o);
    // The volunteer is registered with Mongolian replies (70 characters: the hazard wording goes).
    EXPECT_TRUE(reply.starts_with("ID OK: 2 хүү 1 охин ~12 уурхай, ALT. Дугаар ")) << reply;
    auto& db = g.db();
    auto msg = store::find_message(db, o.at("message_id").as_int64());
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->text, "ID ALT 2B1G 12 MINE SHAFT");
    EXPECT_EQ(msg->sender, volunteer);
    EXPECT_EQ(msg->reply.value_or(""), reply);
    const auto codes = store::cases_reported_by(db, volunteer);
    ASSERT_EQ(codes.size(), 3u);
    for (const auto& c : codes) {
        EXPECT_EQ(parser::check_case_code(c), parser::case_code_check::valid);
        EXPECT_NE(reply.find(c), std::string::npos) << c << " not in " << reply;
        EXPECT_EQ(store::find_case(db, c)->life.state, cases::case_state::reported);
    }
}

TEST(daemon, a_case_goes_from_sighting_to_a_verified_outcome_only_through_the_covering_team) {
    running_gateway g("lifecycle");
    g.send(volunteer, "ID ALT B 12 MINE");
    const std::string code = store::cases_reported_by(g.db(), volunteer).at(0);
    const std::string leader = team_leader(g); // +97699000101: Bayan-Ovoo, which covers ALT
    auto state = [&] { return store::find_case(g.db(), code)->life.state; };

    EXPECT_EQ(reply_of(g.send(volunteer, "TR " + code + " NFE")), "TR OK: " + code + " одоо албан бус боловсролд.");
    auto refused = g.send(volunteer, "VER " + code + " OK");
    EXPECT_EQ(refused.at("status"), "rejected");
    EXPECT_EQ(state(), cases::case_state::reported);

    EXPECT_EQ(g.send(leader, "REF " + code + " HEALTH").at("status"), "accepted");
    EXPECT_EQ(g.send(leader, "VER " + code + " OK").at("status"), "accepted");
    auto c = store::find_case(g.db(), code);
    EXPECT_EQ(c->life.state, cases::case_state::confirmed);
    EXPECT_EQ(c->life.school, cases::school_status::nfe);
    EXPECT_EQ(c->life.work, cases::work_status::working); // enrolled is not withdrawn
    EXPECT_EQ(c->last_service.value_or(""), "HEALTH");

    // Enrolled but still working: neither OUT WD nor CLOSE DONE counts the child as withdrawn.
    EXPECT_EQ(error_of(g, g.send(leader, "CLOSE " + code + " DONE")), "needs_outcome");
    EXPECT_EQ(error_of(g, g.send(leader, "OUT " + code + " WD")), "needs_plan");
    EXPECT_EQ(g.send(leader, "PLAN " + code + " W WFCL").at("status"), "accepted");
    // The same form again at once: a refused message is no original, so this is not a duplicate.
    EXPECT_EQ(error_of(g, g.send(leader, "OUT " + code + " WD")), "not_stopped");
    EXPECT_EQ(state(), cases::case_state::planned);

    EXPECT_EQ(g.send(volunteer, "TR " + code + " STOP").at("status"), "accepted");
    EXPECT_EQ(g.send(leader, "OUT " + code + " WD").at("status"), "accepted");
    EXPECT_EQ(store::find_case(g.db(), code)->life.result, cases::outcome::withdrawn);
    EXPECT_EQ(g.send(leader, "CLOSE " + code + " DONE").at("status"), "accepted");
    EXPECT_EQ(state(), cases::case_state::closed);
    // An accepted form sent again within 10 minutes is the duplicate it always was.
    EXPECT_EQ(g.send(leader, "CLOSE " + code + " DONE").at("status"), "duplicate");

    // Seen working again: the case reopens as re_engaged, the outcome no longer stands, the team is told.
    const auto alerts_before = alert_count(g);
    auto again = g.send(volunteer, "TR " + code + " WORK");
    EXPECT_EQ(again.at("status"), "accepted");
    EXPECT_EQ(alert_count(g), alerts_before + 1);
    c = store::find_case(g.db(), code);
    EXPECT_EQ(c->life.state, cases::case_state::re_engaged);
    EXPECT_EQ(c->life.result, cases::outcome::none);

    std::vector<std::string> actions;
    for (const auto& h : store::case_history_of(g.db(), code))
        actions.push_back(h.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"opened", "tracked", "referred", "verified", "planned", "tracked",
                                                 "outcome", "closed", "tracked"}));
}

TEST(daemon, a_team_form_on_another_area_s_case_is_refused_naming_whose_area_it_is_and_changes_nothing) {
    running_gateway g("areas");
    g.send(volunteer, "ID ALT B 12 MINE"); // ALT: Bayankhongor/Bayan-Ovoo
    const std::string code = store::cases_reported_by(g.db(), volunteer).at(0);
    const std::string uyanga_leader = "+97699000111";
    const auto history_before = store::case_history_of(g.db(), code).size();
    for (const std::string& text : {"VER " + code + " OK", "VER " + code + " NO NOTCL", "CLOSE " + code + " MOVED",
                                   "REF " + code + " NFE", "SVC " + code + " NFE FAM", "PLAN " + code + " W"}) {
        auto o = g.send(uyanga_leader, text);
        EXPECT_EQ(o.at("status"), "rejected") << text;
        EXPECT_EQ(error_of(g, o), "other_area") << text;
        const std::string reply = reply_of(o);
        EXPECT_NE(reply.find("Bayankhongor/Bayan-Ovoo"), std::string::npos) << reply;
    }
    EXPECT_EQ(store::case_history_of(g.db(), code).size(), history_before);
    EXPECT_EQ(store::find_case(g.db(), code)->life.state, cases::case_state::reported);
    EXPECT_TRUE(store::service_record_of(g.db(), code).empty());
    // A coordinator may act everywhere; the covering team too.
    EXPECT_EQ(g.send("+97699000201", "VER " + code + " OK").at("status"), "accepted");
}

TEST(daemon, a_form_naming_a_merged_case_is_applied_to_the_case_it_was_merged_into) {
    running_gateway g("merge");
    g.send(volunteer, "ID ALT 2B 12 MINE");
    const auto codes = store::cases_reported_by(g.db(), volunteer);
    ASSERT_EQ(codes.size(), 2u);
    const std::string leader = team_leader(g);
    EXPECT_EQ(g.send(leader, "MERGE " + codes[1] + " " + codes[0]).at("status"), "accepted");
    EXPECT_EQ(store::find_case(g.db(), codes[1])->life.state, cases::case_state::merged);
    auto o = g.send(volunteer, "TR " + codes[1] + " NFE");
    EXPECT_EQ(o.at("status"), "accepted");
    EXPECT_NE(reply_of(o).find(codes[0]), std::string::npos) << reply_of(o);
    EXPECT_EQ(store::find_case(g.db(), codes[0])->life.school, cases::school_status::nfe);
    EXPECT_EQ(store::find_case(g.db(), codes[1])->life.school, cases::school_status::unknown);
}

TEST(daemon, a_mistyped_case_code_gets_the_senders_own_code_suggested) {
    running_gateway g("mistyped-case");
    g.send(volunteer, "ID ALT B 12 MINE");
    const std::string code = store::cases_reported_by(g.db(), volunteer).at(0);
    std::string typo = code;
    typo[2] = typo[2] == '9' ? '0' : static_cast<char>(typo[2] + 1); // any single wrong digit fails Damm
    auto o = g.send(volunteer, "TR " + typo + " SCH");
    EXPECT_EQ(o.at("status"), "rejected");
    // In Mongolian the format is dropped to fit 70 characters; the suggestion stays.
    EXPECT_EQ(reply_of(o), "TR: " + typo + " дугаар буруу, шалгана уу. " + code + " гэж үү?");
}

TEST(daemon, a_valid_case_code_that_no_case_has_is_named_in_the_reply) {
    running_gateway g("unknown-case");
    const std::string nobody = parser::make_case_code(99999);
    auto o = g.send(volunteer, "TR " + nobody + " SCH");
    EXPECT_EQ(o.at("status"), "rejected");
    EXPECT_NE(reply_of(o).find(nobody), std::string::npos) << reply_of(o);
}

TEST(daemon, a_provider_retry_of_the_same_id_is_stored_once_and_answered_as_before) {
    running_gateway g("retry");
    auto first = g.send(volunteer, "ID ALT 2B 12 MINE", "kannel-77");
    auto again = g.send(volunteer, "ID ALT 2B 12 MINE", "kannel-77");
    EXPECT_EQ(first.at("message_id"), again.at("message_id"));
    EXPECT_EQ(first.at("reply"), again.at("reply"));
    EXPECT_EQ(store::cases_reported_by(g.db(), volunteer).size(), 2u);
    SQLite::Statement n(g.db(), "SELECT count(*) FROM messages");
    n.executeStep();
    EXPECT_EQ(n.getColumn(0).getInt(), 1);
}

TEST(daemon, the_same_text_within_ten_minutes_is_a_duplicate_and_after_that_a_new_report) {
    running_gateway g("dupe");
    g.send(volunteer, "ID ALT 2B 12 MINE");
    g.advance(std::chrono::minutes(9));
    auto dup = g.send(volunteer, "ID ALT 2B 12 MINE");
    EXPECT_EQ(dup.at("status"), "duplicate");
    EXPECT_EQ(dup.at("reply"), ""); // the first was answered
    EXPECT_EQ(store::cases_reported_by(g.db(), volunteer).size(), 2u);
    g.advance(std::chrono::minutes(2));
    EXPECT_EQ(g.send(volunteer, "ID ALT 2B 12 MINE").at("status"), "accepted");
    EXPECT_EQ(store::cases_reported_by(g.db(), volunteer).size(), 4u);
}

TEST(daemon, a_stranger_is_kept_not_processed_and_told_how_to_register) {
    running_gateway g("stranger");
    auto o = g.send(stranger, "ID ALT 2B 12 MINE");
    EXPECT_EQ(o.at("status"), "unregistered");
    EXPECT_NE(reply_of(o).find("not registered"), std::string::npos) << reply_of(o);
    EXPECT_TRUE(store::cases_reported_by(g.db(), stranger).empty());
    auto msg = store::find_message(g.db(), o.at("message_id").as_int64());
    EXPECT_EQ(msg->text, "ID ALT 2B 12 MINE");
    // HELP is for anyone.
    EXPECT_EQ(g.send(stranger, "HELP").at("status"), "accepted");
}

TEST(daemon, a_request_without_the_secret_gets_401_and_stores_nothing) {
    running_gateway g("secret");
    EXPECT_EQ(g.post(volunteer, "ID ALT 2B 12 MINE", "", "wrong").status, 401);
    auto r = testing::http_post(g.port(), "/channels/generic/receive",
                                "from=%2B97699000001&text=NIL%20ALT");
    EXPECT_EQ(r.status, 401);
    SQLite::Statement n(g.db(), "SELECT count(*) FROM messages");
    n.executeStep();
    EXPECT_EQ(n.getColumn(0).getInt(), 0);
    auto metrics = testing::http_get(g.port(), "/metrics");
    EXPECT_NE(metrics.body.find("kharuul_unauthorized_total{channel=\"generic\"} 2"), std::string::npos) << metrics.body;
}

TEST(daemon, a_store_that_cannot_write_answers_503_so_the_provider_retries) {
    const fs::path dir = testing::fresh_dir("readonly");
    {
        // Create the schema first, as a daemon that ran before would have.
        store::open_database(dir / "kharuul.db");
    }
    daemon_options o;
    o.handle_signals = false;
    o.read_only_store = true;
    auto cfg = testing::demo_config(dir);
    daemon d(cfg, o);
    std::thread t([&] { d.run(); });
    const auto port = d.local_endpoint().port();
    auto r = testing::http_post(port, "/channels/generic/receive?secret=demo-secret",
                                "from=%2B97699000001&text=NIL%20ALT&id=x1");
    EXPECT_EQ(r.status, 503) << r.body;
    auto metrics = testing::http_get(port, "/metrics");
    EXPECT_NE(metrics.body.find("kharuul_store_failures_total 1"), std::string::npos);
    d.stop();
    t.join();
    fs::remove_all(dir);
}

TEST(daemon, every_form_gets_exactly_one_reply) {
    running_gateway g("forms");
    const std::string leader = team_leader(g);
    for (const char* text : {"ID ALT 2B 12 MINE", "NIL ALT", "HELP", "HELP ID", "ACK 17", "ID ALX 2B 12 MINE",
                                    "", "BLAH", "TR 204813 NFE"}) {
        auto o = g.send(leader, text);
        const std::string reply = reply_of(o);
        EXPECT_FALSE(reply.empty()) << text;
        EXPECT_TRUE(parser::fits_one_segment(reply)) << text << ": " << reply;
        // One reply: the one in the answer, as stored, and no second one queued to the same phone.
        const std::int64_t id = o.at("message_id").as_int64();
        EXPECT_EQ(store::find_message(g.db(), id)->reply.value_or(""), reply) << text;
        SQLite::Statement q(g.db(), "SELECT COUNT(*) FROM outbox WHERE kind = 'reply' AND message_id = ?1");
        q.bind(1, id);
        ASSERT_TRUE(q.executeStep());
        EXPECT_EQ(q.getColumn(0).getInt64(), 0) << text;
        g.advance(std::chrono::seconds(1));
    }
}

TEST(daemon, healthz_answers_ok) {
    running_gateway g("health");
    auto r = testing::http_get(g.port(), "/healthz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ok\n");
    EXPECT_EQ(testing::http_get(g.port(), "/nowhere").status, 404);
}

TEST(daemon, a_graceful_stop_keeps_every_answered_message) {
    running_gateway g("stop");
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 20; ++i)
        ids.push_back(g.send(volunteer, "NIL ALT # visit " + std::to_string(i)).at("message_id").as_int64());
    g.stop();
    auto db = store::open_database(g.dir() / "kharuul.db");
    for (auto id : ids)
        EXPECT_TRUE(store::find_message(db, id)) << id;
}

TEST(daemon, an_urgent_report_alerts_through_the_log_channel_and_an_ack_closes_it) {
    running_gateway g("alerts");
    auto o = g.send(volunteer, "ID ALT 2B 12 MINE SHAFT");
    EXPECT_NE(reply_of(o).find("#1"), std::string::npos) << reply_of(o);
    // The sender takes the outbox: every alert SMS reaches the log channel.
    std::vector<store::outbox_record> rows;
    for (int i = 0; i < 100; ++i) {
        rows = store::export_outbox(g.db(), {});
        if (rows.size() == 5 && std::all_of(rows.begin(), rows.end(), [](auto& r) {
                return r.state == store::outbox_state::sent;
            }))
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(rows.size(), 5u); // the ALT team's three people and the two coordinators
    for (const auto& r : rows)
        EXPECT_EQ(r.state, store::outbox_state::sent) << r.recipient;
    // The alert figures are refreshed by the ticker every second, not per scrape.
    auto metrics_showing = [&g](const std::string& line) {
        std::string m;
        for (int i = 0; i < 200; ++i) {
            m = testing::http_get(g.port(), "/metrics").body;
            if (m.find(line) != std::string::npos)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return m;
    };
    EXPECT_NE(metrics_showing("kharuul_alerts_open 1\n").find("kharuul_alerts_open 1\n"), std::string::npos);
    auto ack = g.send(team_leader(g), "ACK 1");
    EXPECT_EQ(ack.at("status"), "accepted");
    const auto metrics = metrics_showing("kharuul_alerts_open 0\n");
    EXPECT_NE(metrics.find("kharuul_alerts_open 0"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("kharuul_outbound_attempts_total{outcome=\"sent\"} 5"), std::string::npos) << metrics;
}

// The outcomes of a daemon's reloads, in order, for tests to wait on (not on the clock).
class reload_outcomes {
public:
    std::function<void(bool)> hook() {
        return [this](bool applied) {
            std::lock_guard lock(m_);
            seen_.push_back(applied);
            cv_.notify_all();
        };
    }
    // The next outcome not yet taken; fails the test after 10 s without one.
    std::optional<bool> next() {
        std::unique_lock lock(m_);
        if (!cv_.wait_for(lock, std::chrono::seconds(10), [&] { return taken_ < seen_.size(); })) {
            ADD_FAILURE() << "no reload outcome within 10 s";
            return std::nullopt;
        }
        return seen_[taken_++];
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    std::vector<bool> seen_;
    std::size_t taken_ = 0;
};

// The demo configuration with its store in `dir` and an OS-chosen port.
std::string demo_in(const fs::path& dir) {
    std::ifstream in(testing::source_dir() / "config" / "demo.toml");
    std::stringstream t;
    t << in.rdbuf();
    std::string text = t.str();
    text.replace(text.find("var/kharuul.db"), 14, (dir / "kharuul.db").string());
    text.replace(text.find("127.0.0.1:8080"), 14, "127.0.0.1:0");
    return text;
}

// The text without the [[name]] table whose first key line is `first_line` (e.g. code = "ULT").
std::string without_table(std::string text, const std::string& header, const std::string& first_line) {
    const auto key = text.find(first_line);
    if (key == std::string::npos)
        return text;
    const auto begin = text.rfind(header, key);
    auto end = text.find("\n[", key);
    end = end == std::string::npos ? text.size() : end + 1;
    text.erase(begin, end - begin);
    return text;
}

// A daemon serving the demo configuration from a file of its own (in a fresh folder), to be
// rewritten and reloaded; its reloads' outcomes are waited on, not the clock.
class reloadable_daemon {
public:
    explicit reloadable_daemon(const std::string& name)
        : dir_(testing::fresh_dir(name)), file_(dir_ / "kharuul.toml"), text_(demo_in(dir_)) {
        std::ofstream(file_) << text_;
        auto loaded = config::load_config(file_);
        if (!loaded.config)
            throw std::runtime_error("the demo configuration does not load");
        daemon_options o;
        o.config_path = file_;
        o.handle_signals = false;
        o.on_reload = outcomes_.hook();
        d_ = std::make_unique<daemon>(std::move(*loaded.config), o);
        t_ = std::thread([this] { d_->run(); });
    }
    ~reloadable_daemon() {
        d_->stop();
        t_.join();
        d_.reset();
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }

    // The demo file as written at the start.
    const std::string& demo_text() const { return text_; }
    const fs::path& dir() const { return dir_; }
    unsigned short port() const { return d_->local_endpoint().port(); }

    // Writes `text` as the file and reloads; the outcome (applied or refused).
    std::optional<bool> reload_with(const std::string& text) {
        std::ofstream(file_) << text;
        d_->reload();
        return outcomes_.next();
    }

    testing::http_reply post(const std::string& from, const std::string& body) {
        return testing::http_post(port(), "/channels/generic/receive?secret=demo-secret",
                                  "from=" + testing::form_encode(from) + "&text=" + testing::form_encode(body));
    }

private:
    fs::path dir_, file_;
    std::string text_;
    reload_outcomes outcomes_;
    std::unique_ptr<daemon> d_;
    std::thread t_;
};

// Every log line while it lives, for tests of what the daemon says.
class captured_log {
public:
    captured_log() : previous_(spdlog::default_logger()) {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_, true);
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink));
    }
    ~captured_log() { spdlog::set_default_logger(previous_); }
    std::string text() {
        spdlog::default_logger()->flush();
        return out_.str(); // read only after the daemon has logged what is awaited
    }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

TEST(daemon, a_gutted_file_is_refused_by_a_reload_and_the_channels_keep_answering) {
    reloadable_daemon d("reload-gutted");
    const std::string& text = d.demo_text();
    // Emptied (`: > kharuul.toml`), then with no channel that receives: both refused.
    std::string no_receiver = text;
    for (const char* name : {"generic", "kannel", "africastalking", "twilio", "log"})
        no_receiver = without_table(no_receiver, "[[channels]]", std::string("name = \"") + name + "\"");
    no_receiver += "[[channels]]\nname = \"log\"\ntype = \"log\"\n";
    for (const std::string& gutted : {std::string(), no_receiver}) {
        EXPECT_EQ(d.reload_with(gutted), false);
        const auto r = d.post(volunteer, "NIL ALT # after a refused reload of " + std::to_string(gutted.size()) + " bytes");
        EXPECT_EQ(r.status, 200) << r.body;
        EXPECT_NE(r.body.find("accepted"), std::string::npos) << r.body;
    }
    // The reporters of the file are still active.
    store::connection db(d.dir() / "kharuul.db", store::database_options{});
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM reporters WHERE active = 0").getInt(), 0);
}

TEST(daemon, a_reload_that_removes_a_site_and_a_channel_names_them_and_keeps_the_site_inactive) {
    reloadable_daemon d("reload-site");
    // A report at ULT opens a case.
    const std::string ult_reporter = "+97699000003"; // demo.toml: Volunteer ULT 1
    const auto opened = d.post(ult_reporter, "ID ULT 1B 12 MINE");
    ASSERT_NE(opened.body.find("accepted"), std::string::npos) << opened.body;

    // ULT and its reporters, and the kannel channel, leave the file.
    std::string smaller = without_table(without_table(d.demo_text(), "[[sites]]", "code = \"ULT\""),
                                        "[[channels]]", "name = \"kannel\"");
    for (const char* phone : {"phone = \"+97699000003\"", "phone = \"+97699000004\""})
        smaller = without_table(smaller, "[[reporters]]", phone);
    {
        auto check = config::parse_config(smaller, "smaller.toml");
        ASSERT_TRUE(check.config) << (check.problems.empty() ? "" : config::format_problem(check.problems[0]));
    }
    std::string log;
    {
        captured_log capture;
        ASSERT_EQ(d.reload_with(smaller), true);
        log = capture.text();
    }
    EXPECT_NE(log.find("removed channels kannel"), std::string::npos) << log;
    EXPECT_NE(log.find("removed sites ULT (kept inactive: 1 open case)"), std::string::npos) << log;
    {
        store::connection db(d.dir() / "kharuul.db", store::database_options{});
        EXPECT_EQ(db.execAndGet("SELECT active FROM sites WHERE code = 'ULT'").getInt(), 0);
        EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM cases WHERE site = 'ULT'").getInt(), 1);
    }
    // A new report naming the inactive site is refused as an unknown site; the channel that
    // left answers 404, the others 200.
    const auto later = d.post(volunteer, "ID ULT 1G 12 MINE");
    EXPECT_EQ(later.status, 200);
    EXPECT_EQ(later.body.find("accepted"), std::string::npos) << later.body;
    EXPECT_EQ(testing::http_post(d.port(), "/channels/kannel/receive?secret=demo-kannel-secret", "").status, 404);
}

TEST(daemon, sighup_reloads_the_registry_from_the_file_and_a_bad_file_keeps_the_running_one) {
    reloadable_daemon d("reload");
    const std::string newcomer = "+97699000777";
    EXPECT_NE(d.post(newcomer, "NIL ALT").body.find("unregistered"), std::string::npos);

    // A broken file is refused: the running configuration stays.
    EXPECT_EQ(d.reload_with("[server\n"), false);
    EXPECT_NE(d.post("+97699000001", "NIL ALT # still served").body.find("accepted"), std::string::npos);

    // A new reporter in the file is known once the reload is applied, without a restart.
    EXPECT_EQ(d.reload_with(d.demo_text() + "\n[[reporters]]\nphone = \"" + newcomer +
                            "\"\nname = \"Volunteer ALT 9\"\nsites = [\"ALT\"]\nlang = \"en\"\n"),
              true);
    const std::string answer = d.post(newcomer, "NIL ALT # after the reload").body;
    EXPECT_NE(answer.find("accepted"), std::string::npos) << answer;
    const auto metrics = testing::http_get(d.port(), "/metrics").body;
    EXPECT_NE(metrics.find("kharuul_reloads_total{result=\"ok\"} 1"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("kharuul_reloads_total{result=\"failed\"} 1"), std::string::npos) << metrics;
}

} // namespace
} // namespace kharuul::gateway
