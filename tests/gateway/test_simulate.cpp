// `kharuul simulate`, the phone in the terminal for training: driven as a trainee drives it, the
// real binary at a pseudo-terminal (keys typed, the screen read back), and with a lesson piped in;
// the configured store looked at before and after (the throw-away copy leaves it as it was,
// --record writes to it); and its pieces (the :wait durations, the frame of a USSD screen, the
// simulator on a store of its own) in process.
#include "gateway/simulator.hpp"

#include "config/load.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/daemon_routing.hpp"
#include "gateway/registry_seed.hpp"
#include "store/database.hpp"
#include "store/message_log.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/pty_session.hpp"
#include "tests/support/run_binary.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A directory of the test's own holding the demo configuration with its store inside it (and
// TMPDIR for the throw-away copies, to see that they go away).
class simulate_dir : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() / ("kharuul-sim-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "tmp");
        std::ifstream in(testing::source_dir() / "config" / "demo.toml");
        std::stringstream text;
        text << in.rdbuf();
        std::string toml = text.str();
        const std::string from = "path = \"var/kharuul.db\"";
        const auto at = toml.find(from);
        ASSERT_NE(at, std::string::npos);
        toml.replace(at, from.size(), "path = \"" + store_path().string() + "\"");
        std::ofstream(config_path()) << toml;
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path config_path() const { return dir_ / "demo.toml"; }
    fs::path store_path() const { return dir_ / "var" / "kharuul.db"; }
    fs::path tmp() const { return dir_ / "tmp"; }

    // The store as a daemon leaves it after a day: one report taken in (with `kharuul replay`).
    void make_store_with_one_report() {
        std::ofstream(dir_ / "season.txt") << "2026-07-03T09:12:00+08:00 +97699000002 ID ALT 1G 10 PAN\n";
        auto r = testing::run_kharuul({"replay", "--config", config_path().string(), (dir_ / "season.txt").string()});
        ASSERT_EQ(r.status, 0) << r.out;
    }

    std::int64_t messages_in_store() {
        store::database_options o;
        o.read_only = true;
        auto db = store::open_database(store_path(), o);
        return store::count_messages(db).count;
    }

    // `kharuul simulate args...` with `lesson` on stdin; stdout and stderr together.
    testing::binary_result simulate_piped(const std::vector<std::string>& args, const std::string& lesson) {
        std::ofstream(dir_ / "lesson.txt") << lesson;
        std::vector<std::string> all{"simulate", "--config", config_path().string()};
        all.insert(all.end(), args.begin(), args.end());
        return testing::run_kharuul(all, "< " + testing::shell_quote((dir_ / "lesson.txt").string()) + " 2>&1");
    }

    bool copies_left() const { return !fs::is_empty(tmp()); }

    fs::path dir_;
};

// ---- At a terminal, as a trainee types ---------------------------------------------------------

TEST_F(simulate_dir, at_a_terminal_an_id_by_sms_shows_the_reply_on_the_phone_and_the_teams_alert) {
    testing::pty_session phone({"simulate", "--config", config_path().string(), "--from", "+97699000001"},
                               {"TMPDIR=" + tmp().string()});
    ASSERT_TRUE(phone.started());
    ASSERT_TRUE(phone.wait_for("+976****0001> ")) << phone.output();
    phone.type("ID ALT 2B 12 MINE\r");
    ASSERT_TRUE(phone.wait_for("reply on this phone:")) << phone.output();
    // Volunteer ALT 1 replies in Mongolian; the first case number of a new store is 100009.
    ASSERT_TRUE(phone.wait_for("| ID OK: 2 хүү ~12 уурхай, ALT. Дугаар 100009 100014")) << phone.output();
    ASSERT_TRUE(phone.wait_for("SMS to Team member Bayan-Ovoo 1 (member, Bayan-Ovoo child protection team)"))
        << phone.output();
    ASSERT_TRUE(phone.wait_for("| ДОХИО #1: 2 хүү ~12 уурхай, ALT. Дугаар 100009 100014. Хариу: ACK 1"))
        << phone.output();
    ASSERT_TRUE(phone.wait_for("+976****0001> ")) << phone.output();

    // A team member who was told acknowledges from their phone (the leader was not told yet: a
    // report that is not urgent reaches the leader on the first escalation).
    phone.type(":from member Bayan-Ovoo 1\r");
    ASSERT_TRUE(phone.wait_for("you are now the phone +976****0102, Team member Bayan-Ovoo 1")) << phone.output();
    ASSERT_TRUE(phone.wait_for("+976****0102> ")) << phone.output();
    phone.type("ACK 1\r");
    ASSERT_TRUE(phone.wait_for("| ACK OK: дохио #1")) << phone.output();
    ASSERT_TRUE(phone.wait_for("+976****0102> ")) << phone.output();
    ASSERT_TRUE(phone.wait_for_line_editing());
    phone.type("\x04"); // Ctrl-D at the prompt
    EXPECT_EQ(phone.wait_exit(), 0) << phone.output();
    EXPECT_FALSE(copies_left());
    EXPECT_FALSE(fs::exists(store_path())) << "the throw-away copy wrote to the configured store";
}

TEST_F(simulate_dir, at_a_terminal_the_up_arrow_recalls_the_last_line_for_editing) {
    testing::pty_session phone({"simulate", "--config", config_path().string(), "--from", "99000002"},
                               {"TMPDIR=" + tmp().string()});
    ASSERT_TRUE(phone.wait_for("+976****0002> ")) << phone.output();
    phone.type("ID ALT 2B 12 MINE\r");
    ASSERT_TRUE(phone.wait_for("ID ok: 2 boys ~12 mining, at ALT.")) << phone.output();
    ASSERT_TRUE(phone.wait_for("+976****0002> ")) << phone.output();
    // Up, four backspaces over MINE, PAN: a new report, not the same one again.
    ASSERT_TRUE(phone.wait_for_line_editing());
    phone.type("\x1b[A");
    phone.type("\x7f\x7f\x7f\x7fPAN\r");
    ASSERT_TRUE(phone.wait_for("ID ok: 2 boys ~12 panning, at ALT.")) << phone.output();
    ASSERT_TRUE(phone.wait_for("+976****0002> ")) << phone.output();
    phone.type(":quit\r");
    EXPECT_EQ(phone.wait_exit(), 0) << phone.output();
}

TEST_F(simulate_dir, at_a_terminal_a_tr_by_ussd_walks_the_menu_screen_by_screen_and_saves_the_case) {
    testing::pty_session phone({"simulate", "--config", config_path().string(), "--from", "+97699000002"},
                               {"TMPDIR=" + tmp().string()});
    ASSERT_TRUE(phone.wait_for("+976****0002> ")) << phone.output();
    phone.type("ID ALT 1G 10 PAN\r"); // the case to follow up: 100009
    ASSERT_TRUE(phone.wait_for("Case 100009.")) << phone.output();
    const std::vector<std::pair<std::string, std::string>> dialogue = {
        {"*500#", "| 4 Follow up a case       |"},
        {"4", "| Case number: |"},
        {"100009", "| 2 Non-formal education |"},
        {"2", "| 1 Stopped working |"},
        {"1", "| Saved: 100009 in non-formal education, not working. |"},
    };
    for (const auto& [keys, screen] : dialogue) {
        ASSERT_TRUE(phone.wait_for("+976****0002")) << phone.output(); // the prompt, USSD> at a screen
        phone.type(keys + "\r");
        ASSERT_TRUE(phone.wait_for(screen)) << keys << "\n" << phone.output();
    }
    ASSERT_TRUE(phone.wait_for("[message 2: accepted, as the SMS TR 100009 NFE STOP]")) << phone.output();
    ASSERT_TRUE(phone.wait_for("(the session has ended)")) << phone.output();
    ASSERT_TRUE(phone.wait_for("+976****0002> ")) << phone.output();
    phone.type(":quit\r");
    EXPECT_EQ(phone.wait_exit(), 0) << phone.output();
}

TEST_F(simulate_dir, an_id_by_ussd_dropped_and_resumed_alerts_the_team_as_the_sms_does) {
    const auto r = simulate_piped({"--from", "+97699000002"},
                                  "*500#\n1\n1\n2\n1\n12\n1\n2\n:drop\n*500#\n1\n1\n");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("| 2 boys ~12, mining, shaft, at ALT. |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("the network dropped the session"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| Continue your report at step 8? |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("| Sent. Cases 100009 100014. Team alerted. |"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[message 1: accepted, as the SMS ID ALT 2B 12 MINE SHAFT, cases 100009 100014, alert #1]"),
              std::string::npos)
        << r.out;
    // Urgent (a shaft): the team, its leader and the coordinators at once.
    EXPECT_NE(r.out.find("SMS to Team leader Bayan-Ovoo (leader, Bayan-Ovoo child protection team), +976****0101 "
                         "(alert #1, not sent):"),
              std::string::npos)
        << r.out;
}

// ---- A lesson piped in: the transcript ---------------------------------------------------------

TEST_F(simulate_dir, a_lesson_piped_in_prints_the_transcript_with_prompts_lines_and_comments) {
    const auto r = simulate_piped({"--from", "+97699000002"},
                                  "; lesson 1: a report\nID ALT 1G 10 PAN\n:who\n:quit\nID ALT 2B 12 MINE\n");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("you are the phone +976****0002, Volunteer ALT 2 (volunteer at ALT)"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("\n; lesson 1: a report\n+976****0002> ID ALT 1G 10 PAN\n  reply on this phone:\n"
                         "    | ID ok: 1 girl ~10 panning, at ALT. Case 100009. Team alerted (#1).\n"
                         "  [message 1: accepted, ID, cases 100009, alert #1]\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("+976****0002> :who\n  +976****0002: Volunteer ALT 2 (volunteer at ALT)\n"), std::string::npos)
        << r.out;
    // :quit ends the lesson: the line after it is not sent.
    EXPECT_EQ(r.out.find("MINE"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("kharuul simulate: the end; the throw-away copy is deleted"), std::string::npos);
}

TEST_F(simulate_dir, wait_moves_the_clock_so_an_unacknowledged_alert_escalates_to_the_leader) {
    const auto r = simulate_piped({"--from", "+97699000002"}, "ID ALT 1G 10 PAN\n:wait 11h\n:wait 2h\n");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto first = r.out.find(":wait 11h\n");
    const auto second = r.out.find(":wait 2h\n");
    ASSERT_NE(second, std::string::npos) << r.out;
    // A normal alert escalates to the leader after normal_ack_minutes (12 h): not after 11 hours...
    EXPECT_NE(r.out.substr(first, second - first).find("(nothing fell due)"), std::string::npos) << r.out;
    // ...but within the next two, at the moment it fell due.
    EXPECT_NE(r.out.find("SMS to Team leader Bayan-Ovoo (leader, Bayan-Ovoo child protection team), +976****0101 "
                         "(alert #1, escalation at ",
                         second),
              std::string::npos)
        << r.out;
}

// ---- The store: a throw-away copy, or the live one with --record ------------------------------

TEST_F(simulate_dir, the_throwaway_copy_shows_the_stores_case_numbers_and_leaves_the_store_unchanged) {
    make_store_with_one_report();
    const auto before = messages_in_store();
    const auto size_before = fs::file_size(store_path());
    const auto r = testing::run_kharuul({"simulate", "--config", config_path().string(), "--from", "+97699000002"},
                                        "< /dev/null 2>&1");
    ASSERT_EQ(r.status, 0) << r.out;
    const auto lesson = simulate_piped({"--from", "+97699000002"}, "ID ALT 2B 12 MINE\n");
    ASSERT_EQ(lesson.status, 0) << lesson.out;
    // The copy holds the store's case 100009: the next cases are numbered after it.
    EXPECT_NE(lesson.out.find("Cases 100014 100023."), std::string::npos) << lesson.out;
    EXPECT_NE(lesson.out.find("[message 2: accepted"), std::string::npos) << lesson.out;
    EXPECT_EQ(messages_in_store(), before);
    EXPECT_EQ(fs::file_size(store_path()), size_before);
}

TEST_F(simulate_dir, record_writes_the_report_to_the_store_and_marks_its_sms_shown_not_sent) {
    make_store_with_one_report();
    const auto before = messages_in_store();
    const auto r = simulate_piped({"--from", "+97699000002", "--record"}, "ID ALT 2B 12 MINE\n");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("--record: writing to the live store"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("SMS to Team member Bayan-Ovoo 1"), std::string::npos) << r.out;
    EXPECT_EQ(messages_in_store(), before + 1);
    store::database_options o;
    o.read_only = true;
    auto db = store::open_database(store_path(), o);
    const auto rows = store::outbox_after(db, 0);
    ASSERT_FALSE(rows.empty());
    const auto& last = rows.back();
    EXPECT_EQ(last.state, store::outbox_state::sent); // never handed to a channel: the daemon leaves it
    const auto attempts = store::outbox_attempts(db, last.id);
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].detail, "simulate: shown on the terminal, not sent");
    EXPECT_EQ(store::find_message(db, before + 1)->channel, "simulate");
}

TEST_F(simulate_dir, record_with_send_leaves_the_sms_queued_for_the_daemon_the_reply_too) {
    make_store_with_one_report();
    const auto r = simulate_piped({"--from", "+97699000002", "--record", "--send"}, "ID ALT 2B 12 MINE\n");
    ASSERT_EQ(r.status, 0) << r.out;
    store::database_options o;
    o.read_only = true;
    auto db = store::open_database(store_path(), o);
    std::size_t queued = 0, replies = 0;
    for (const auto& row : store::outbox_after(db, 0))
        if (row.state == store::outbox_state::queued) {
            ++queued;
            replies += row.kind == store::outbox_kind::reply && row.recipient == "+97699000002";
        }
    EXPECT_EQ(queued, 3u) << r.out; // two team members and the reply
    EXPECT_EQ(replies, 1u);
    EXPECT_NE(r.out.find("queued for log"), std::string::npos) << r.out;
}

TEST_F(simulate_dir, record_needs_an_existing_store) {
    const auto r = simulate_piped({"--from", "+97699000002", "--record"}, "");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("does not exist"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(store_path()));
}

TEST_F(simulate_dir, send_without_record_and_a_bad_phone_or_language_are_user_errors) {
    struct bad {
        std::vector<std::string> args;
        std::string says;
    };
    for (const auto& b : std::vector<bad>{
             {{"--from", "+97699000002", "--send"}, "--send needs --record"},
             {{"--from", "ALT"}, "--from 'ALT' is not a phone number"},
             {{"--from", "+97699000002", "--lang", "fr"}, "--lang must be en or mn"},
             {{"--from", "+97699000002", "--lang", "en", "--record"}, "not with --record"},
             {{}, "--from"},
         }) {
        const auto r = simulate_piped(b.args, "");
        EXPECT_EQ(r.status, 1) << b.says;
        EXPECT_NE(r.out.find(b.says), std::string::npos) << r.out;
    }
}

TEST_F(simulate_dir, lang_sets_the_phones_language_for_the_session) {
    const auto r = simulate_piped({"--from", "+97699000001", "--lang", "en"}, "ID ALT 2B 12 MINE\n");
    ASSERT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("| ID ok: 2 boys ~12 mining, at ALT."), std::string::npos) << r.out;
}

// ---- The pieces --------------------------------------------------------------------------------

TEST(simulate_wait, reads_the_durations_a_trainer_types) {
    struct row {
        std::string_view typed;
        std::optional<std::chrono::seconds> want;
    };
    for (const auto& r : std::vector<row>{{"30m", 30min},
                                           {"2h", 2h},
                                           {"1d", 24h},
                                           {"90s", 90s},
                                           {"1h30m", 90min},
                                           {" 12h ", 12h},
                                           {"", std::nullopt},
                                           {"30", std::nullopt},
                                           {"m", std::nullopt},
                                           {"0m", std::nullopt},
                                           {"-5m", std::nullopt},
                                           {"3w", std::nullopt},
                                           {"tomorrow", std::nullopt}})
        EXPECT_EQ(parse_wait(r.typed), r.want) << r.typed;
}

TEST(simulate_screen, a_frame_holds_each_line_of_the_screen_padded_to_the_longest_cyrillic_too) {
    EXPECT_EQ(framed("Site:\n1 ALT\n9 Other site code", 2),
              "  +-------------------+\n"
              "  | Site:             |\n"
              "  | 1 ALT             |\n"
              "  | 9 Other site code |\n"
              "  +-------------------+\n");
    EXPECT_EQ(framed("Газар:\n1 ALT", 0),
              "+--------+\n"
              "| Газар: |\n"
              "| 1 ALT  |\n"
              "+--------+\n");
}

// The simulator in process, on a store of its own with the demo's registry.
class simulator_in_process : public simulate_dir {
protected:
    void start(bool live) {
        auto loaded = config::load_config(config_path().string());
        ASSERT_TRUE(loaded.config);
        cfg_ = *loaded.config;
        fs::create_directories(store_path().parent_path());
        db_.emplace(store::open_database(store_path()));
        auto synced = store::sync_registry(*db_, registry_snapshot_of(cfg_), now());
        ASSERT_TRUE(synced);
        daemon_detail::synced_registry held = daemon_detail::registry_held(*db_, *synced);
        simulator_settings s;
        s.phone = "+97699000002";
        s.live = live;
        s.store_shown = "test";
        sim_.emplace(*db_, cfg_, daemon_detail::routing_of(cfg_, held), s, nullptr, out_, [] { return now(); });
    }
    std::string said(std::string_view line) {
        out_.str("");
        sim_->enter(line);
        return out_.str();
    }

    config::gateway_config cfg_;
    std::optional<store::connection> db_;
    std::ostringstream out_;
    std::optional<phone_simulator> sim_;
};

TEST_F(simulator_in_process, from_takes_a_number_or_a_unique_part_of_a_name_and_lists_an_ambiguous_one) {
    start(false);
    EXPECT_NE(said(":from 99000101").find("you are now the phone +976****0101, Team leader Bayan-Ovoo"),
              std::string::npos);
    EXPECT_EQ(sim_->prompt(), "+976****0101> ");
    const auto ambiguous = said(":from Bayan-Ovoo");
    EXPECT_NE(ambiguous.find("more than one name matches 'Bayan-Ovoo'"), std::string::npos) << ambiguous;
    EXPECT_NE(ambiguous.find("+976****0103  Team member Bayan-Ovoo 2"), std::string::npos) << ambiguous;
    EXPECT_EQ(sim_->prompt(), "+976****0101> "); // unchanged
    EXPECT_NE(said(":from coordinator 2").find("Coordinator 2 (coordinator)"), std::string::npos);
    EXPECT_NE(said(":from nobody").find("no phone and no name in the registry matches 'nobody'"), std::string::npos);
    EXPECT_NE(said(":from +97699000999").find("an unregistered number"), std::string::npos);
}

TEST_F(simulator_in_process, wait_is_refused_on_the_live_store_and_the_clock_stays) {
    start(true);
    const auto before = sim_->clock();
    EXPECT_NE(said(":wait 2h").find(":wait is not for --record"), std::string::npos);
    EXPECT_LT(sim_->clock() - before, 1min);
}

TEST_F(simulator_in_process, wait_moves_the_simulated_clock_on) {
    start(false);
    const auto before = sim_->clock();
    EXPECT_NE(said(":wait 1h30m").find("the clock is now"), std::string::npos);
    EXPECT_GE(sim_->clock() - before, 90min);
}

TEST_F(simulator_in_process, a_dialled_code_that_is_not_the_service_code_is_named_and_the_right_one_given) {
    start(false);
    EXPECT_NE(said("*123#").find("*123# is not this gateway's USSD code; dial *500# (ussd.service_code)"),
              std::string::npos);
}

TEST_F(simulator_in_process, an_unknown_trainer_command_says_where_the_list_is) {
    start(false);
    EXPECT_NE(said(":frob").find("unknown command :frob (:help lists them)"), std::string::npos);
    EXPECT_FALSE(sim_->enter(":quit"));
}

} // namespace
} // namespace kharuul::gateway
