// The coordinators' commands (log, export, backup, reporter, rerun) run in-process against a real
// SQLite store in a temporary directory, seeded the way the daemon fills it: the registry synced
// from the demo configuration, then messages taken in through gateway::take_in. A connection like
// the daemon's stays open for the whole test, so every command runs beside a live writer.
#include "config/load.hpp"
#include "gateway/cli.hpp"
#include "gateway/intake.hpp"
#include "gateway/registry_seed.hpp"
#include "gateway/time_text.hpp"
#include "parser/lexicon.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

#include <boost/json/parse.hpp>
#include "store/outbox.hpp"

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <regex>
#include <sstream>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono;

fs::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

struct cli_result {
    int code;
    std::string out;
    std::string err;
};

cli_result run(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"kharuul"};
    for (const auto& a : args)
        argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
}

bool contains(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// The message ids in a log's output (the first word of each line after the header).
std::vector<std::int64_t> logged_ids(const std::string& out) {
    std::vector<std::int64_t> ids;
    auto lines = lines_of(out);
    for (std::size_t i = 1; i < lines.size(); ++i)
        ids.push_back(std::stoll(lines[i]));
    return ids;
}

store::timestamp utc(int y, unsigned mo, unsigned d, int h, int mi) {
    return store::timestamp{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi}};
}

// A store in a temporary directory, with the demo configuration pointing at it.
class coordinator_store : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("kharuul-coordinator-" + std::to_string(rd()));
        fs::create_directories(dir_);
        db_path_ = dir_ / "store.db";
        std::ifstream demo(source_dir() / "config" / "demo.toml");
        ASSERT_TRUE(demo) << "config/demo.toml not found from " << source_dir();
        std::stringstream text;
        text << demo.rdbuf();
        const std::string toml = std::regex_replace(text.str(), std::regex(R"(\npath = "var/kharuul.db")"),
                                                    "\npath = \"" + db_path_.string() + "\"");
        ASSERT_NE(toml, text.str()) << "store.path not found in demo.toml";
        config_ = (dir_ / "kharuul.toml").string();
        std::ofstream(config_) << toml;
        auto loaded = config::load_config(config_);
        ASSERT_TRUE(loaded.config);
        cfg_ = std::move(*loaded.config);

        daemon_.emplace(store::open_database(db_path_));
        ASSERT_TRUE(store::sync_registry(*daemon_, registry_snapshot_of(cfg_), utc(2026, 11, 1, 0, 0)));
        lex_.emplace(cfg_.language, cfg_.site_codes());
        settings_.duplicate_window = cfg_.messages.duplicate_window;

        accepted_ = take("+97699000001", "ID ALT 2B 12 MINE", utc(2026, 11, 25, 9, 0));
        rejected_ = take("+97699000002", "ID ALX 1G 13 MINE", utc(2026, 11, 25, 9, 5));
        duplicate_ = take("+97699000001", "ID ALT 2B 12 MINE", utc(2026, 11, 25, 9, 7));
        unregistered_ = take("+97699000901", "ID ULT 1B 14 MINE", utc(2026, 11, 25, 9, 10));
        quoted_ = take("+97699000003", "NIL ULT # gate closed, \"no entry\"", utc(2026, 11, 25, 9, 15));
        day_before_ = take("+97699000004", "NIL ULT", utc(2026, 11, 24, 2, 0));
    }

    void TearDown() override {
        daemon_.reset();
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }

    intake_outcome take(const std::string& from, const std::string& text, store::timestamp at) {
        inbound in;
        in.channel = "generic";
        in.from = from;
        in.to = "500";
        in.text = text;
        return take_in(*daemon_, in, *lex_, settings_, at);
    }

    std::string id(const intake_outcome& o) const { return std::to_string(o.message_id); }

    fs::path dir_;
    fs::path db_path_;
    std::string config_;
    config::gateway_config cfg_;
    std::optional<store::connection> daemon_; // stands for the running daemon's connection
    std::optional<parser::lexicon> lex_;
    intake_settings settings_;
    intake_outcome accepted_, rejected_, duplicate_, unregistered_, quoted_, day_before_;
};

TEST_F(coordinator_store, the_seed_gives_one_message_of_each_status) {
    EXPECT_EQ(accepted_.status, store::message_status::accepted);
    EXPECT_EQ(accepted_.case_codes.size(), 2u);
    EXPECT_EQ(rejected_.status, store::message_status::rejected);
    EXPECT_EQ(duplicate_.status, store::message_status::duplicate);
    EXPECT_EQ(unregistered_.status, store::message_status::unregistered);
    EXPECT_EQ(quoted_.status, store::message_status::accepted);
}

// ---- log ---------------------------------------------------------------------------------------

TEST_F(coordinator_store, log_lists_every_message_newest_first_in_local_time) {
    auto r = run({"log", "--config", config_});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 7u) << r.out;
    EXPECT_TRUE(lines[0].starts_with("id")) << lines[0];
    EXPECT_EQ(logged_ids(r.out), (std::vector<std::int64_t>{quoted_.message_id, unregistered_.message_id,
                                                            duplicate_.message_id, rejected_.message_id,
                                                            accepted_.message_id, day_before_.message_id}));
    // 09:15 UTC is 17:15 in Mongolia (the demo's utc_offset, +08:00).
    EXPECT_TRUE(contains(lines[1], "2026-11-25 17:15")) << lines[1];
    EXPECT_TRUE(contains(lines[1], "generic")) << lines[1];
    EXPECT_TRUE(contains(lines[4], "rejected")) << lines[4];
    EXPECT_TRUE(contains(lines[4], "unknown_site")) << lines[4];
}

TEST_F(coordinator_store, log_masks_senders_and_trims_texts_unless_full) {
    auto masked = run({"log", "--config", config_});
    ASSERT_EQ(masked.code, 0) << masked.err;
    EXPECT_TRUE(contains(masked.out, "+976****0001"));
    EXPECT_FALSE(contains(masked.out, "+97699000001"));
    EXPECT_FALSE(contains(masked.out, accepted_.reply)) << "the long reply is trimmed";
    for (const auto& line : lines_of(masked.out)) // about 100 columns (UTF-8 continuation bytes take none)
        EXPECT_LE(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xc0) != 0x80; }), 120)
            << line;

    auto full = run({"log", "--config", config_, "--full"});
    ASSERT_EQ(full.code, 0) << full.err;
    EXPECT_TRUE(contains(full.out, "+97699000001"));
    EXPECT_FALSE(contains(full.out, "****"));
    EXPECT_TRUE(contains(full.out, accepted_.reply)) << full.out;
}

TEST_F(coordinator_store, log_filters_by_phone_as_typed) {
    const std::vector<std::int64_t> from_0001{duplicate_.message_id, accepted_.message_id};
    for (const std::string typed :
         {"+97699000001", "+976 9900 0001", "0097699000001", "97699000001", "99000001"}) {
        auto r = run({"log", "--config", config_, "--phone", typed});
        ASSERT_EQ(r.code, 0) << typed << ": " << r.err;
        EXPECT_EQ(logged_ids(r.out), from_0001) << typed;
    }
}

TEST_F(coordinator_store, log_filters_by_status_form_and_site) {
    auto unregistered = run({"log", "--config", config_, "--status", "unregistered"});
    ASSERT_EQ(unregistered.code, 0) << unregistered.err;
    EXPECT_EQ(logged_ids(unregistered.out), std::vector<std::int64_t>{unregistered_.message_id});

    auto nil = run({"log", "--config", config_, "--form", "nil"});
    ASSERT_EQ(nil.code, 0) << nil.err;
    EXPECT_EQ(logged_ids(nil.out), (std::vector<std::int64_t>{quoted_.message_id, day_before_.message_id}));

    auto alt = run({"log", "--config", config_, "--site", "ALT"});
    ASSERT_EQ(alt.code, 0) << alt.err;
    EXPECT_EQ(logged_ids(alt.out), std::vector<std::int64_t>{accepted_.message_id});

    auto both = run({"log", "--config", config_, "--form", "ID", "--status", "accepted"});
    ASSERT_EQ(both.code, 0) << both.err;
    EXPECT_EQ(logged_ids(both.out), std::vector<std::int64_t>{accepted_.message_id});
}

TEST_F(coordinator_store, log_filters_by_local_dates_and_times) {
    auto since = run({"log", "--config", config_, "--since", "2026-11-25"});
    ASSERT_EQ(since.code, 0) << since.err;
    EXPECT_EQ(logged_ids(since.out).size(), 5u);

    // A date alone as --until includes that day: the message of the 24th (10:00 local).
    auto until = run({"log", "--config", config_, "--until", "2026-11-24"});
    ASSERT_EQ(until.code, 0) << until.err;
    EXPECT_EQ(logged_ids(until.out), std::vector<std::int64_t>{day_before_.message_id});

    auto window =
        run({"log", "--config", config_, "--since", "2026-11-25T17:05", "--until", "2026-11-25T17:10"});
    ASSERT_EQ(window.code, 0) << window.err;
    EXPECT_EQ(logged_ids(window.out),
              (std::vector<std::int64_t>{duplicate_.message_id, rejected_.message_id}));
}

TEST_F(coordinator_store, log_limit_keeps_the_newest_and_says_so) {
    auto r = run({"log", "--config", config_, "--limit", "2"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(logged_ids(r.out), (std::vector<std::int64_t>{quoted_.message_id, unregistered_.message_id}));
    EXPECT_TRUE(contains(r.err, "--limit")) << r.err;
}

TEST_F(coordinator_store, log_names_a_bad_filter_and_exits_one) {
    auto status = run({"log", "--config", config_, "--status", "lost"});
    EXPECT_EQ(status.code, 1);
    EXPECT_TRUE(contains(status.err, "--status 'lost'")) << status.err;

    auto form = run({"log", "--config", config_, "--form", "XX"});
    EXPECT_EQ(form.code, 1);
    EXPECT_TRUE(contains(form.err, "--form 'XX'")) << form.err;

    auto site = run({"log", "--config", config_, "--site", "XYZ"});
    EXPECT_EQ(site.code, 1);
    EXPECT_TRUE(contains(site.err, "XYZ")) << site.err;

    auto time = run({"log", "--config", config_, "--since", "2026-02-30"});
    EXPECT_EQ(time.code, 1);
    EXPECT_TRUE(contains(time.err, "--since '2026-02-30'")) << time.err;

    auto limit = run({"log", "--config", config_, "--limit", "0"});
    EXPECT_EQ(limit.code, 1);
    EXPECT_TRUE(contains(limit.err, "--limit")) << limit.err;
}

TEST_F(coordinator_store, log_keeps_control_characters_out_of_the_terminal) {
    take("+97699000005", "NIL TSD # a\nb\x1b[2Jc", utc(2026, 11, 25, 10, 0));
    auto r = run({"log", "--config", config_, "--full", "--limit", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(lines_of(r.out).size(), 2u) << r.out;
    EXPECT_FALSE(contains(r.out, "\x1b")) << r.out;
}

TEST_F(coordinator_store, log_reads_while_the_daemon_holds_a_write_transaction) {
    SQLite::Transaction open_write(*daemon_, SQLite::TransactionBehavior::IMMEDIATE);
    take("+97699000005", "NIL TSD", utc(2026, 11, 25, 10, 0)); // not committed: not seen
    auto r = run({"log", "--config", config_});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(logged_ids(r.out).size(), 6u);
}

TEST_F(coordinator_store, a_missing_store_is_a_user_error_naming_it) {
    const std::string other = (dir_ / "other.toml").string();
    std::ifstream in(config_);
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream(other) << std::regex_replace(text.str(), std::regex("store\\.db"), "missing.db");
    auto r = run({"log", "--config", other});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.err, "missing.db")) << r.err;
    EXPECT_FALSE(fs::exists(dir_ / "missing.db"));
}

// ---- export ------------------------------------------------------------------------------------

TEST_F(coordinator_store, export_csv_has_a_header_and_quotes_commas_and_quotes) {
    auto r = run({"export", "--config", config_, "--what", "messages"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("id,kind,channel,provider_id,sender,recipient,text,received_at,observed_at,"
                                  "status,form,error_code,duplicate_of,reply,reply_lang\r\n"))
        << r.out.substr(0, 200);
    EXPECT_TRUE(contains(r.out, ",\"NIL ULT # gate closed, \"\"no entry\"\"\",")) << r.out;
    EXPECT_TRUE(contains(r.out, "+97699000001")) << "exports carry whole numbers";
    EXPECT_TRUE(contains(r.out, "2026-11-25T09:15:00.000Z"));
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 7)
        << "a header and six rows (no reply has a newline)";
}

TEST_F(coordinator_store, export_json_is_an_array_of_objects_with_the_columns) {
    auto r = run({"export", "--config", config_, "--what", "messages", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json::array rows = json::parse(r.out).as_array();
    ASSERT_EQ(rows.size(), 6u);
    for (const auto& row : rows)
        for (const char* column :
             {"id", "kind", "channel", "provider_id", "sender", "recipient", "text", "received_at",
              "observed_at", "status", "form", "error_code", "duplicate_of", "reply", "reply_lang"})
            EXPECT_TRUE(row.as_object().contains(column)) << column;
    // In the order they were stored.
    EXPECT_EQ(rows[0].at("id").as_int64(), accepted_.message_id);
    const auto& dup = rows[2].as_object();
    EXPECT_EQ(dup.at("status"), "duplicate");
    EXPECT_EQ(dup.at("duplicate_of").as_int64(), accepted_.message_id);
    EXPECT_EQ(dup.at("received_at"), "2026-11-25T09:07:00.000Z");
    EXPECT_TRUE(dup.at("observed_at").is_null());
}

TEST_F(coordinator_store, export_gives_events_and_cases_within_the_time_range) {
    auto events =
        run({"export", "--config", config_, "--what", "events", "--format", "json", "--since", "2026-11-25"});
    ASSERT_EQ(events.code, 0) << events.err;
    const json::array ev = json::parse(events.out).as_array();
    ASSERT_EQ(ev.size(), 2u); // the ID and the NIL of the 25th
    EXPECT_EQ(ev[0].at("form"), "ID");
    EXPECT_EQ(ev[0].at("boys"), 2);
    EXPECT_EQ(ev[0].at("hazards"), json::array{});
    EXPECT_EQ(ev[1].at("note"), "gate closed, \"no entry\"");

    auto cases = run({"export", "--config", config_, "--what", "cases", "--format", "json"});
    ASSERT_EQ(cases.code, 0) << cases.err;
    const json::array cs = json::parse(cases.out).as_array();
    ASSERT_EQ(cs.size(), 2u);
    EXPECT_EQ(cs[0].at("code").as_string(), accepted_.case_codes[0]);
    EXPECT_EQ(cs[0].at("sex"), "B");
    EXPECT_EQ(cs[0].at("state"), "reported");
    EXPECT_EQ(cs[0].at("opened_by"), "+97699000001");

    auto csv = run({"export", "--config", config_, "--what", "cases"});
    ASSERT_EQ(csv.code, 0) << csv.err;
    EXPECT_TRUE(csv.out.starts_with("serial,code,site,sex,")) << csv.out;
}

TEST_F(coordinator_store, export_of_alerts_or_outbox_is_not_available_yet) {
    for (const char* what : {"alerts", "outbox"}) {
        auto r = run({"export", "--config", config_, "--what", what});
        EXPECT_EQ(r.code, 1) << what;
        EXPECT_TRUE(contains(r.err, "not available yet")) << r.err;
    }
    auto bad = run({"export", "--config", config_, "--what", "messages", "--format", "xml"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_TRUE(contains(bad.err, "'xml'")) << bad.err;
}

// ---- backup ------------------------------------------------------------------------------------

TEST_F(coordinator_store, backup_writes_a_copy_that_passes_the_integrity_check) {
    const fs::path out = dir_ / "copy.db";
    auto r = run({"backup", "--config", config_, out.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, out.string())) << r.out;
    EXPECT_TRUE(contains(r.out, std::to_string(fs::file_size(out)) + " bytes")) << r.out;
    SQLite::Database copy(out.string(), SQLite::OPEN_READONLY);
    EXPECT_EQ(copy.execAndGet("PRAGMA integrity_check").getString(), "ok");
    EXPECT_EQ(copy.execAndGet("SELECT count(*) FROM messages").getInt(), 6);
}

TEST_F(coordinator_store, backup_refuses_to_overwrite_a_file) {
    const fs::path out = dir_ / "taken.db";
    std::ofstream(out) << "keep me";
    auto r = run({"backup", "--config", config_, out.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.err, "exists")) << r.err;
    std::ifstream in(out);
    std::string kept;
    std::getline(in, kept);
    EXPECT_EQ(kept, "keep me");
}

// ---- reporter ----------------------------------------------------------------------------------

TEST_F(coordinator_store, reporter_add_then_list_shows_the_new_reporter) {
    auto add = run({"reporter", "add", "--config", config_, "--phone", "+97699000950", "--name",
                    "Volunteer NRT", "--sites", "nrt, DKH", "--lang", "en", "--kind", "teacher"});
    ASSERT_EQ(add.code, 0) << add.err;
    EXPECT_TRUE(contains(add.out, "+97699000950")) << add.out;

    auto list = run({"reporter", "list", "--config", config_});
    ASSERT_EQ(list.code, 0) << list.err;
    std::string line;
    for (const auto& l : lines_of(list.out))
        if (contains(l, "+97699000950"))
            line = l;
    ASSERT_FALSE(line.empty()) << list.out;
    EXPECT_TRUE(contains(line, "Volunteer NRT"));
    EXPECT_TRUE(contains(line, "NRT,DKH") || contains(line, "DKH,NRT")) << line;
    EXPECT_TRUE(contains(line, "teacher"));
    EXPECT_TRUE(contains(line, " en "));
    EXPECT_TRUE(contains(line, "cli"));
    EXPECT_TRUE(contains(list.out, "+97699000001")) << "configured reporters are listed too";

    const auto stored = store::find_reporter(*daemon_, "+97699000950");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->sites, (std::vector<std::string>{"DKH", "NRT"}));
}

TEST_F(coordinator_store, reporter_add_names_a_bad_phone_and_exits_one) {
    for (const std::string bad : {"99000950", "+976", "+97699000950123456", "phone"}) {
        auto r =
            run({"reporter", "add", "--config", config_, "--phone", bad, "--name", "X", "--sites", "ALT"});
        EXPECT_EQ(r.code, 1) << bad;
        EXPECT_TRUE(contains(r.err, "'" + bad + "'")) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST_F(coordinator_store, reporter_add_names_an_unknown_site_and_writes_nothing) {
    auto r = run({"reporter", "add", "--config", config_, "--phone", "+97699000951", "--name", "X", "--sites",
                  "ALT,XYZ"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.err, "XYZ")) << r.err;
    EXPECT_FALSE(store::find_reporter(*daemon_, "+97699000951"));
}

TEST_F(coordinator_store, reporter_add_refuses_a_number_already_registered) {
    auto r = run(
        {"reporter", "add", "--config", config_, "--phone", "+97699000001", "--name", "X", "--sites", "ALT"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.err, "already registered")) << r.err;
}

TEST_F(coordinator_store, reporter_remove_deactivates_and_an_unknown_phone_exits_one) {
    auto removed = run({"reporter", "remove", "--config", config_, "--phone", "+97699000005"});
    ASSERT_EQ(removed.code, 0) << removed.err;
    EXPECT_TRUE(contains(removed.out, "configuration file")) << "a configured reporter comes back on reload";
    EXPECT_FALSE(store::find_reporter(*daemon_, "+97699000005"));
    auto list = run({"reporter", "list", "--config", config_});
    EXPECT_FALSE(contains(list.out, "+97699000005")) << list.out;

    auto again = run({"reporter", "remove", "--config", config_, "--phone", "+97699000005"});
    EXPECT_EQ(again.code, 1);
    EXPECT_TRUE(contains(again.err, "+97699000005")) << again.err;
}

// ---- rerun -------------------------------------------------------------------------------------

TEST_F(coordinator_store, rerun_accepts_a_kept_message_once_its_sender_is_registered) {
    auto early = run({"rerun", "--config", config_, id(unregistered_)});
    EXPECT_EQ(early.code, 1);
    EXPECT_TRUE(contains(early.err, "unregistered")) << early.err;
    EXPECT_EQ(store::find_message(*daemon_, unregistered_.message_id)->status,
              store::message_status::unregistered);

    auto add = run({"reporter", "add", "--config", config_, "--phone", "+97699000901", "--name",
                    "New volunteer", "--sites", "ULT", "--lang", "en"});
    ASSERT_EQ(add.code, 0) << add.err;
    EXPECT_TRUE(contains(add.out, id(unregistered_))) << "it points at the kept message: " << add.out;

    auto r = run({"rerun", "--config", config_, id(unregistered_)});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "accepted")) << r.out;
    EXPECT_TRUE(contains(r.out, "form ID")) << r.out;
    EXPECT_TRUE(contains(r.out, "queued for log")) << r.out;
    const auto rec = store::find_message(*daemon_, unregistered_.message_id);
    // The reply goes out through the outbox, since the provider's request was answered long ago.
    const auto queued = store::export_outbox(*daemon_, {});
    ASSERT_FALSE(queued.empty());
    const auto reply_row = std::find_if(queued.begin(), queued.end(),
                                        [](const auto& o) { return o.kind == store::outbox_kind::reply; });
    ASSERT_NE(reply_row, queued.end());
    EXPECT_EQ(reply_row->recipient, "+97699000901");
    EXPECT_EQ(reply_row->message_id, unregistered_.message_id);
    EXPECT_EQ(rec->status, store::message_status::accepted);
    ASSERT_TRUE(rec->reply);
    EXPECT_TRUE(contains(r.out, *rec->reply)) << r.out;
    EXPECT_EQ(rec->reply_lang, "en");

    const auto cases = store::export_cases(*daemon_, {});
    ASSERT_EQ(cases.size(), 3u);
    EXPECT_EQ(cases.back().opened_by, "+97699000901");
    EXPECT_TRUE(contains(r.out, "cases opened: " + cases.back().code)) << r.out;

    auto second = run({"rerun", "--config", config_, id(unregistered_)});
    EXPECT_EQ(second.code, 1);
    EXPECT_TRUE(contains(second.err, "processed already")) << second.err;
    EXPECT_EQ(store::export_cases(*daemon_, {}).size(), 3u);
}

TEST_F(coordinator_store, rerun_refuses_an_unknown_id_and_a_processed_message) {
    auto unknown = run({"rerun", "--config", config_, "9999"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(contains(unknown.err, "9999")) << unknown.err;

    auto processed = run({"rerun", "--config", config_, id(accepted_)});
    EXPECT_EQ(processed.code, 1);
    EXPECT_TRUE(contains(processed.err, "processed already")) << processed.err;

    auto not_a_number = run({"rerun", "--config", config_, "abc"});
    EXPECT_EQ(not_a_number.code, 1);
    EXPECT_TRUE(contains(not_a_number.err, "'abc'")) << not_a_number.err;
}

// ---- every command -----------------------------------------------------------------------------

TEST(coordinator_commands_help, every_command_has_help_with_its_usage_line) {
    for (const auto& c : coordinator_commands()) {
        std::vector<std::string> args;
        std::istringstream words{std::string(c.name)};
        for (std::string w; words >> w;)
            args.push_back(w);
        args.push_back("--help");
        auto r = run(args);
        EXPECT_EQ(r.code, 0) << c.name;
        EXPECT_TRUE(r.out.starts_with("usage: kharuul " + std::string(c.name) + " ")) << r.out;
        EXPECT_TRUE(contains(r.out, "--config")) << r.out;
    }
}

TEST(coordinator_commands_help, a_missing_option_names_the_command_to_ask_for_help) {
    auto r = run({"reporter", "add", "--phone", "+97699000001"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.err, "kharuul reporter add --help")) << r.err;
}

// ---- times -------------------------------------------------------------------------------------

TEST(time_text, local_minutes_use_the_deployment_offset) {
    EXPECT_EQ(format_local_minute(utc(2026, 11, 25, 9, 30), hours{8}), "2026-11-25 17:30");
    EXPECT_EQ(format_local_minute(utc(2026, 12, 31, 20, 0), hours{8}), "2027-01-01 04:00");
    EXPECT_EQ(format_utc_iso(utc(2026, 11, 25, 9, 30) + milliseconds{7}), "2026-11-25T09:30:00.007Z");
}

TEST(time_text, bounds_read_dates_local_times_and_durations_ago) {
    const auto now = utc(2026, 11, 25, 12, 0);
    const minutes mn{8 * 60};
    EXPECT_EQ(parse_time_bound("2026-11-25", time_bound::since, mn, now), utc(2026, 11, 24, 16, 0));
    EXPECT_EQ(parse_time_bound("2026-11-25", time_bound::until, mn, now), utc(2026, 11, 25, 16, 0));
    EXPECT_EQ(parse_time_bound("2026-11-25T17:30", time_bound::since, mn, now), utc(2026, 11, 25, 9, 30));
    EXPECT_EQ(parse_time_bound("2026-11-25 17:30", time_bound::until, mn, now), utc(2026, 11, 25, 9, 30));
    EXPECT_EQ(parse_time_bound("2026-11-25T17:30Z", time_bound::since, mn, now), utc(2026, 11, 25, 17, 30));
    EXPECT_EQ(parse_time_bound("24h", time_bound::since, mn, now), utc(2026, 11, 24, 12, 0));
    EXPECT_EQ(parse_time_bound("7d", time_bound::since, mn, now), utc(2026, 11, 18, 12, 0));
    EXPECT_EQ(parse_time_bound("90m", time_bound::since, mn, now), utc(2026, 11, 25, 10, 30));
    for (const char* bad : {"", "yesterday", "2026-02-30", "2026-11-25T25:00", "2026-11-5", "24", "h", "-3d",
                            "2026-11-25T17:30junk"})
        EXPECT_FALSE(parse_time_bound(bad, time_bound::since, mn, now)) << bad;
}

} // namespace
} // namespace kharuul::gateway
