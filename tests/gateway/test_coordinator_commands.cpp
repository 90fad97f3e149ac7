// The coordinators' commands (log, export, backup, reporter, rerun) run in-process against a real
// SQLite store in a temporary directory, seeded the way the daemon fills it: the registry synced
// from the demo configuration, then messages taken in through gateway::take_in. A connection like
// the daemon's stays open for the whole test, so every command runs beside a live writer.
#include "config/load.hpp"
#include "gateway/cli.hpp"
#include "gateway/intake.hpp"
#include "gateway/metrics.hpp"
#include "gateway/registry_seed.hpp"
#include "gateway/time_text.hpp"
#include "parser/lexicon.hpp"
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"
#include "tests/support/e164_samples.hpp"
#include "tests/support/cli_in_process.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <utility>

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono;

fs::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

using kharuul::testing::cli_result;

cli_result run(const std::vector<std::string>& args) { return kharuul::testing::run_cli_with(args); }

// Every CSV starts with the UTF-8 byte order mark, then its header.
constexpr std::string_view bom = "\xEF\xBB\xBF";

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

    // --wide: whole texts, numbers still masked; --full: whole numbers, texts still fitted.
    auto wide = run({"log", "--config", config_, "--wide"});
    ASSERT_EQ(wide.code, 0) << wide.err;
    EXPECT_TRUE(contains(wide.out, accepted_.reply)) << wide.out;
    EXPECT_TRUE(contains(wide.out, "+976****0001"));
    EXPECT_FALSE(contains(wide.out, "+97699000001"));
    auto full = run({"log", "--config", config_, "--full"});
    ASSERT_EQ(full.code, 0) << full.err;
    EXPECT_TRUE(contains(full.out, "+97699000001"));
    EXPECT_FALSE(contains(full.out, "****"));
    EXPECT_FALSE(contains(full.out, accepted_.reply)) << full.out;
    auto both = run({"log", "--config", config_, "--full", "--wide"});
    EXPECT_TRUE(contains(both.out, accepted_.reply) && contains(both.out, "+97699000001")) << both.out;
}

// Issue 10, item 9: the log fits the terminal: COLUMNS=200 gives the reply its share of the line.
TEST_F(coordinator_store, log_fits_the_width_columns_names_and_shares_it_between_text_and_reply) {
    auto width_of = [](const std::string& line) {
        return std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xc0) != 0x80; });
    };
    auto reply_shown = [](const std::string& out, const std::string& id) {
        for (const auto& line : lines_of(out))
            if (line.find(" -> \"") != std::string::npos && line.find(id + " ") != std::string::npos)
                return line.substr(line.find(" -> \"") + 5);
        return std::string{};
    };
    const std::string id = std::to_string(accepted_.message_id);
    ::setenv("COLUMNS", "200", 1);
    auto at200 = run({"log", "--config", config_});
    ::setenv("COLUMNS", "80", 1);
    auto at80 = run({"log", "--config", config_});
    ::unsetenv("COLUMNS");
    ASSERT_EQ(at200.code, 0) << at200.err;
    for (const auto& line : lines_of(at200.out))
        EXPECT_LE(width_of(line), 200) << line;
    const std::string wide_reply = reply_shown(at200.out, id), narrow_reply = reply_shown(at80.out, id);
    EXPECT_GT(wide_reply.size(), narrow_reply.size() + 40) << wide_reply << " | " << narrow_reply;
    EXPECT_GE(narrow_reply.size(), 14u) << "the reply keeps its share: " << narrow_reply;
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

// Issue 10, item 10: a message that recorded nothing counts for the site its text names as the
// parser reads it, in either script: a rejected report missing its age, one typed in Cyrillic, one
// kept from a stranger. An event decides for a message that has one.
TEST_F(coordinator_store, log_by_site_lists_rejected_and_kept_messages_that_named_the_site) {
    const auto latin = take("+97699000002", "ID ALT 2B", utc(2026, 11, 25, 10, 0));
    const auto cyrillic = take("+97699000002", "ид алт 2 хүү", utc(2026, 11, 25, 10, 5));
    const auto stranger = take("+97699000902", "NIL ALT", utc(2026, 11, 25, 10, 10));
    const auto dkh = take("+97699000002", "ID DKH 1G", utc(2026, 11, 25, 10, 15));
    ASSERT_EQ(latin.status, store::message_status::rejected);
    ASSERT_EQ(cyrillic.status, store::message_status::rejected);
    ASSERT_EQ(stranger.status, store::message_status::unregistered);
    ASSERT_EQ(dkh.status, store::message_status::rejected);

    auto alt = run({"log", "--config", config_, "--site", "alt"});
    ASSERT_EQ(alt.code, 0) << alt.err;
    EXPECT_EQ(logged_ids(alt.out),
              (std::vector<std::int64_t>{stranger.message_id, cyrillic.message_id, latin.message_id,
                                         duplicate_.message_id, rejected_.message_id, accepted_.message_id}));

    auto dkh_log = run({"log", "--config", config_, "--site", "DKH"});
    ASSERT_EQ(dkh_log.code, 0) << dkh_log.err;
    EXPECT_EQ(logged_ids(dkh_log.out), std::vector<std::int64_t>{dkh.message_id});

    auto rejected_alt = run({"log", "--config", config_, "--site", "ALT", "--status", "rejected", "--limit", "2"});
    ASSERT_EQ(rejected_alt.code, 0) << rejected_alt.err;
    EXPECT_EQ(logged_ids(rejected_alt.out),
              (std::vector<std::int64_t>{cyrillic.message_id, latin.message_id})); // the limit counts kept ones
}

// Issue 10, item 10: the log shows +976****0001; those last digits find that number's messages
// and no other's, and a national number is the whole number.
TEST_F(coordinator_store, log_by_phone_matches_the_last_digits_the_log_shows) {
    ASSERT_TRUE(store::add_reporter(*daemon_, {"+97699000010", "Reporter Ten", "en", "volunteer", {"ALT"}},
                                    utc(2026, 11, 1, 0, 0)));
    const auto ten = take("+97699000010", "NIL ALT", utc(2026, 11, 25, 11, 0));
    ASSERT_EQ(ten.status, store::message_status::accepted);
    const std::vector<std::int64_t> from_0001{duplicate_.message_id, accepted_.message_id};
    for (const std::string typed : {"0001", "000 1", "99000001", "9900-0001", "+97699000001"}) {
        auto r = run({"log", "--config", config_, "--phone", typed});
        ASSERT_EQ(r.code, 0) << typed << ": " << r.err;
        EXPECT_EQ(logged_ids(r.out), from_0001) << typed;
    }
    auto r = run({"log", "--config", config_, "--phone", "0010"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(logged_ids(r.out), std::vector<std::int64_t>{ten.message_id});

    // Digits several numbers end with: all of them, and a note saying so.
    auto several = run({"log", "--config", config_, "--phone", "1", "--full"});
    ASSERT_EQ(several.code, 0) << several.err;
    EXPECT_TRUE(contains(several.err, "numbers ending in it")) << several.err;
    EXPECT_TRUE(contains(several.err, "+97699000001")) << several.err;
    EXPECT_TRUE(contains(several.err, "+97699000901")) << several.err;

    for (const char* to : {"+97699000010", "+97699000001"}) {
        store::new_outbox o;
        o.channel = "generic";
        o.recipient = to;
        o.text = "reply";
        o.created_at = utc(2026, 11, 25, 11, 1);
        store::enqueue(*daemon_, o);
    }
    auto outbox = run({"log", "--config", config_, "--outbox", "--phone", "0010"});
    ASSERT_EQ(outbox.code, 0) << outbox.err;
    EXPECT_TRUE(contains(outbox.out, "+976****0010")) << outbox.out;
    EXPECT_FALSE(contains(outbox.out, "+976****0001")) << outbox.out;

    auto bad = run({"log", "--config", config_, "--phone", "reporter"});
    EXPECT_EQ(bad.code, exit_user_error);
    EXPECT_TRUE(contains(bad.err, "--phone 'reporter' is not a phone number")) << bad.err;
}

TEST_F(coordinator_store, log_filters_by_status_form_and_site) {
    auto unregistered = run({"log", "--config", config_, "--status", "unregistered"});
    ASSERT_EQ(unregistered.code, 0) << unregistered.err;
    EXPECT_EQ(logged_ids(unregistered.out), std::vector<std::int64_t>{unregistered_.message_id});

    auto nil = run({"log", "--config", config_, "--form", "nil"});
    ASSERT_EQ(nil.code, 0) << nil.err;
    EXPECT_EQ(logged_ids(nil.out), (std::vector<std::int64_t>{quoted_.message_id, day_before_.message_id}));

    // The duplicate names ALT; the rejected ID ALX was asked "did you mean ALT" (issue 10 item 10).
    auto alt = run({"log", "--config", config_, "--site", "ALT"});
    ASSERT_EQ(alt.code, 0) << alt.err;
    EXPECT_EQ(logged_ids(alt.out), (std::vector<std::int64_t>{duplicate_.message_id, rejected_.message_id,
                                                              accepted_.message_id}));

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
    EXPECT_TRUE(r.out.starts_with(std::string(bom) +
                                  "id,kind,channel,provider_id,sender,recipient,text,received_at,observed_at,"
                                  "status,form,error_code,duplicate_of,reply,reply_lang,dialogue\r\n"))
        << r.out.substr(0, 200);
    EXPECT_TRUE(contains(r.out, ",\"NIL ULT # gate closed, \"\"no entry\"\"\",")) << r.out;
    EXPECT_TRUE(contains(r.out, "+97699000001")) << "exports carry whole numbers";
    EXPECT_TRUE(contains(r.out, "2026-11-25T09:15:00.000Z"));
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 7)
        << "a header and six rows (no reply has a newline)";
}

// The records of a whole CSV text (RFC 4180: quoted fields may hold commas, quotes and line
// breaks), each a map from the header's names to the cells, unquoted.
std::vector<std::map<std::string, std::string>> csv_records(std::string_view text) {
    std::vector<std::vector<std::string>> records(1);
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            records.back().push_back(std::exchange(cell, {}));
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            records.back().push_back(std::exchange(cell, {}));
            records.emplace_back();
            ++i;
        } else {
            cell += c;
        }
    }
    if (records.back().empty())
        records.pop_back();
    std::vector<std::map<std::string, std::string>> out;
    for (std::size_t r = 1; r < records.size(); ++r) {
        EXPECT_EQ(records[r].size(), records[0].size()) << "record " << r;
        std::map<std::string, std::string> m;
        for (std::size_t i = 0; i < records[0].size() && i < records[r].size(); ++i)
            m[records[0][i]] = records[r][i];
        out.push_back(std::move(m));
    }
    return out;
}

// What anyone who can text the gateway may send, and the cell each must become (csv_cell).
struct hostile_sample {
    std::string text;
    std::string cell; // unquoted
};

const std::vector<hostile_sample>& hostile_samples() {
    using namespace std::string_literals;
    static const std::vector<hostile_sample> samples{
        {R"(=HYPERLINK("http://x","y"))", R"('=HYPERLINK("http://x","y"))"},
        {"+SUM(1+1)", "'+SUM(1+1)"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"-2+3", "'-2+3"},
        {"\t=1+1", "'\t=1+1"},
        {"\r=1", "'\r=1"},
        {"=1", "'=1"},
        {"=1\0+1"s, "'=1+1"}, // NUL gone
        {"12", "12"},         // plain numbers and phones stay
        {"-5", "-5"},
        {"3.5", "3.5"},
        {"+97699000001", "+97699000001"},
    };
    return samples;
}

TEST_F(coordinator_store, export_csv_neutralises_formulas_in_text_sender_and_provider_id) {
    const auto& samples = hostile_samples();
    for (std::size_t i = 0; i < samples.size(); ++i) {
        store::new_message m;
        m.channel = "generic";
        m.provider_id = samples[i].text;
        m.sender = samples[i].text;
        m.recipient = "500";
        m.text = samples[i].text;
        m.received_at = utc(2026, 11, 26, 8, static_cast<int>(i));
        ASSERT_TRUE(store::insert_message(*daemon_, m).has_value()) << i;
    }
    auto r = run({"export", "--config", config_, "--what", "messages", "--since", "2026-11-26"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(r.out.starts_with(bom)) << r.out.substr(0, 40);
    EXPECT_TRUE(r.out.substr(bom.size()).starts_with("id,kind,channel,provider_id,sender,")) << r.out;
    EXPECT_EQ(r.out.find('\0'), std::string::npos) << "NUL bytes are dropped";
    const auto rows = csv_records(std::string_view(r.out).substr(bom.size()));
    ASSERT_EQ(rows.size(), samples.size()) << r.out;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        SCOPED_TRACE(samples[i].text);
        for (const char* column : {"text", "sender", "provider_id"})
            EXPECT_EQ(rows[i].at(column), samples[i].cell) << column;
        EXPECT_EQ(rows[i].at("recipient"), "500");
    }
}

TEST_F(coordinator_store, export_csv_neutralises_formulas_in_notes) {
    // Notes as a registered reporter writes them after '#' in a NIL report; the parser may trim
    // what surrounds a note, so each cell is checked against the note the JSON export holds.
    const auto& samples = hostile_samples();
    for (std::size_t i = 0; i < samples.size(); ++i)
        take("+97699000003", "NIL ULT # " + samples[i].text, utc(2026, 11, 26, 8, static_cast<int>(i)));
    auto js =
        run({"export", "--config", config_, "--what", "events", "--format", "json", "--since", "2026-11-26"});
    ASSERT_EQ(js.code, 0) << js.err;
    auto csv = run({"export", "--config", config_, "--what", "events", "--since", "2026-11-26"});
    ASSERT_EQ(csv.code, 0) << csv.err;
    ASSERT_TRUE(csv.out.starts_with(bom));
    EXPECT_EQ(csv.out.find('\0'), std::string::npos);
    const json::array events = json::parse(js.out).as_array();
    const auto rows = csv_records(std::string_view(csv.out).substr(bom.size()));
    ASSERT_EQ(rows.size(), events.size());
    int neutralised = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (!events[i].at("note").is_string())
            continue;
        std::string note(events[i].at("note").as_string());
        std::erase(note, '\0');
        const bool formula = !note.empty() &&
                             std::string_view("=+-@\t\r").find(note[0]) != std::string_view::npos &&
                             note != "-5" && note != "+97699000001";
        neutralised += formula;
        EXPECT_EQ(rows[i].at("note"), (formula ? "'" : "") + note) << note;
    }
    EXPECT_GE(neutralised, 5) << "the hostile notes reached the export: " << js.out;
}

TEST_F(coordinator_store, export_json_is_an_array_of_objects_with_the_columns) {
    auto r = run({"export", "--config", config_, "--what", "messages", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json::array rows = json::parse(r.out).as_array();
    ASSERT_EQ(rows.size(), 6u);
    for (const auto& row : rows)
        for (const char* column :
             {"id", "kind", "channel", "provider_id", "sender", "recipient", "text", "received_at",
              "observed_at", "status", "form", "error_code", "duplicate_of", "reply", "reply_lang", "dialogue"})
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
    EXPECT_TRUE(csv.out.starts_with(std::string(bom) + "serial,code,site,sex,")) << csv.out;
}

TEST_F(coordinator_store, export_names_an_unknown_what_or_format_and_exits_one) {
    auto what = run({"export", "--config", config_, "--what", "people"});
    EXPECT_EQ(what.code, 1);
    EXPECT_TRUE(contains(what.err, "'people'")) << what.err;
    EXPECT_TRUE(contains(what.err, "alerts, outbox")) << what.err;
    auto bad = run({"export", "--config", config_, "--what", "messages", "--format", "xml"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_TRUE(contains(bad.err, "'xml'")) << bad.err;
}

TEST_F(coordinator_store,
       export_of_alerts_and_outbox_from_a_store_without_any_is_a_header_or_an_empty_array) {
    for (const char* what : {"alerts", "outbox"}) {
        auto csv = run({"export", "--config", config_, "--what", what});
        ASSERT_EQ(csv.code, 0) << what << ": " << csv.err;
        EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 1) << csv.out;
        EXPECT_TRUE(csv.out.starts_with(std::string(bom) + "id,")) << csv.out;
        auto js = run({"export", "--config", config_, "--what", what, "--format", "json"});
        ASSERT_EQ(js.code, 0) << js.err;
        EXPECT_EQ(json::parse(js.out), json::array{}) << js.out;
    }
}

// ---- alerts and the outbox ---------------------------------------------------------------------

// The store above, with alerting on: an urgent report at ALT raises an alert to the ALT team and
// the coordinators; the sender gets two of its SMS out (one delivered, one only accepted by the
// provider); then a recipient acknowledges it and the SMS still queued are cancelled.
class coordinator_alerts : public coordinator_store {
protected:
    void SetUp() override {
        coordinator_store::SetUp();
        if (HasFatalFailure())
            return;
        settings_.alerts = std::make_shared<const alert_settings>(alert_settings_of(cfg_));
        report_ = take("+97699000001", "ID ALT 2B 12 MINE SHAFT", utc(2026, 11, 25, 10, 0));
        ASSERT_EQ(report_.status, store::message_status::accepted) << report_.reply;
        ASSERT_TRUE(report_.alert);
        alert_ = static_cast<std::int64_t>(*report_.alert);
        recipients_ = store::alert_recipients(*daemon_, alert_);
        ASSERT_GE(recipients_.size(), 3u) << "the team and the coordinators";

        const auto claimed = store::claim_due(*daemon_, utc(2026, 11, 25, 10, 1), 2);
        ASSERT_EQ(claimed.size(), 2u);
        delivered_ = claimed[0];
        sent_ = claimed[1];
        ASSERT_TRUE(
            store::mark_sent(*daemon_, delivered_.id, "prov-1", utc(2026, 11, 25, 10, 1), "202 accepted"));
        ASSERT_TRUE(store::mark_sent(*daemon_, sent_.id, "prov-2", utc(2026, 11, 25, 10, 1), "202 accepted"));
        // What the provider says may quote the number: the log masks it there too.
        ASSERT_TRUE(store::apply_delivery_report(*daemon_, delivered_.id, store::outbox_state::delivered,
                                                 "DELIVRD to " + delivered_.recipient,
                                                 utc(2026, 11, 25, 10, 2)));

        acker_ = delivered_.recipient;
        ack_ = take(acker_, "ACK " + std::to_string(alert_), utc(2026, 11, 25, 10, 5));
        ASSERT_EQ(ack_.status, store::message_status::accepted) << ack_.reply;
    }

    std::int64_t alert_ = 0;
    intake_outcome report_, ack_;
    std::vector<store::alert_recipient> recipients_;
    store::outbox_record delivered_, sent_;
    std::string acker_;
};

// The cells of a CSV line without quoted fields.
std::map<std::string, std::string> csv_record(const std::string& header, const std::string& line) {
    auto split = [](std::string l) {
        if (!l.empty() && l.back() == '\r')
            l.pop_back();
        std::vector<std::string> cells;
        std::istringstream in(l);
        for (std::string c; std::getline(in, c, ',');)
            cells.push_back(c);
        if (!l.empty() && l.back() == ',')
            cells.emplace_back();
        return cells;
    };
    const auto names = split(header), values = split(line);
    EXPECT_EQ(names.size(), values.size()) << line;
    std::map<std::string, std::string> out;
    for (std::size_t i = 0; i < names.size() && i < values.size(); ++i)
        out[names[i]] = values[i];
    return out;
}

std::vector<std::string> whats_of(const json::array& history) {
    std::vector<std::string> out;
    for (const auto& h : history)
        out.emplace_back(h.at("what").as_string());
    return out;
}

bool has(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

TEST_F(coordinator_alerts, export_of_alerts_as_csv_has_the_alert_acknowledged_and_by_whom) {
    auto r = run({"export", "--config", config_, "--what", "alerts"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(r.out.starts_with(bom)) << r.out;
    const auto lines = lines_of(r.out.substr(bom.size()));
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines[0],
              "id,kind,site,urgent,sensitive,boys,girls,unknown,age_min,age_max,work,hazards,case_codes,"
              "tracking_status,reporter,message_id,created_at,state,level,repeats,next_escalation_at,"
              "acked_at,acked_by,folded_children\r");
    auto row = csv_record(lines[0], lines[1]);
    EXPECT_EQ(row["id"], std::to_string(alert_));
    EXPECT_EQ(row["kind"], "report");
    EXPECT_EQ(row["site"], "ALT");
    EXPECT_EQ(row["urgent"], "true");
    EXPECT_EQ(row["boys"], "2");
    EXPECT_EQ(row["hazards"], "SHAFT");
    EXPECT_EQ(row["case_codes"], report_.case_codes[0] + " " + report_.case_codes[1]);
    EXPECT_EQ(row["reporter"], "+97699000001") << "exports carry whole numbers";
    EXPECT_EQ(row["message_id"], std::to_string(report_.message_id));
    EXPECT_EQ(row["created_at"], "2026-11-25T10:00:00.000Z");
    EXPECT_EQ(row["state"], "acknowledged");
    EXPECT_EQ(row["acked_by"], acker_);
    EXPECT_EQ(row["acked_at"], "2026-11-25T10:05:00.000Z");
    EXPECT_EQ(row["next_escalation_at"], "") << "an acknowledged alert does not escalate";

    auto before = run({"export", "--config", config_, "--what", "alerts", "--until", "2026-11-25T17:59"});
    ASSERT_EQ(before.code, 0) << before.err;
    EXPECT_EQ(lines_of(before.out).size(), 1u) << "created at 18:00 local: " << before.out;
}

TEST_F(coordinator_alerts, export_of_alerts_as_json_nests_who_was_told_and_the_whole_history) {
    auto r = run({"export", "--config", config_, "--what", "alerts", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json::array alerts = json::parse(r.out).as_array();
    ASSERT_EQ(alerts.size(), 1u);
    const json::object& a = alerts[0].as_object();
    EXPECT_EQ(a.at("id").as_int64(), alert_);
    EXPECT_EQ(a.at("state"), "acknowledged");
    EXPECT_EQ(a.at("acked_by").as_string(), acker_);
    EXPECT_EQ(a.at("hazards"), (json::array{"SHAFT"}));

    const json::array& told = a.at("recipients").as_array();
    ASSERT_EQ(told.size(), recipients_.size());
    std::vector<std::string> phones;
    for (const auto& x : told) {
        for (const char* key : {"phone", "role", "lang", "level", "told_at", "outbox_id"})
            EXPECT_TRUE(x.as_object().contains(key)) << key;
        EXPECT_EQ(x.at("told_at"), "2026-11-25T10:00:00.000Z");
        EXPECT_TRUE(x.at("outbox_id").is_int64());
        phones.emplace_back(x.at("phone").as_string());
    }
    EXPECT_TRUE(has(phones, "+97699000102")) << "a member of the ALT team";
    EXPECT_TRUE(has(phones, "+97699000201")) << "a coordinator: the report is urgent";

    const json::array& history = a.at("history").as_array();
    const auto whats = whats_of(history);
    ASSERT_FALSE(whats.empty());
    EXPECT_EQ(whats.front(), "created");
    EXPECT_EQ(std::count(whats.begin(), whats.end(), "told"), static_cast<long>(recipients_.size()));
    EXPECT_TRUE(has(whats, "delivered"));
    EXPECT_EQ(whats.back(), "acknowledged");
    EXPECT_EQ(history.back().at("phone").as_string(), acker_);
    EXPECT_EQ(history.back().at("at"), "2026-11-25T10:05:00.000Z");
    for (const auto& h : history)
        for (const char* key : {"at", "what", "phone", "detail", "outbox_id"})
            EXPECT_TRUE(h.as_object().contains(key)) << key;
}

TEST_F(coordinator_alerts, export_of_the_outbox_lists_every_alert_sms_with_its_kind_alert_and_attempts) {
    auto csv = run({"export", "--config", config_, "--what", "outbox"});
    ASSERT_EQ(csv.code, 0) << csv.err;
    EXPECT_TRUE(csv.out.starts_with(
        std::string(bom) + "id,channel,recipient,kind,alert_id,message_id,text,state,attempts,created_at,"
                           "next_attempt_at,sent_at,delivered_at,provider_id,last_error\r\n"))
        << csv.out.substr(0, 200);

    auto r = run({"export", "--config", config_, "--what", "outbox", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    const json::array rows = json::parse(r.out).as_array();
    ASSERT_EQ(rows.size(), recipients_.size()) << "one SMS for each person told";
    std::map<std::string, int> states;
    for (const auto& row : rows) {
        const json::object& o = row.as_object();
        EXPECT_EQ(o.at("kind"), "alert");
        EXPECT_EQ(o.at("alert_id").as_int64(), alert_);
        EXPECT_EQ(o.at("channel"), "log");
        EXPECT_TRUE(o.at("recipient").as_string().starts_with("+97699")) << "whole numbers";
        EXPECT_TRUE(contains(std::string(o.at("text").as_string()), std::to_string(alert_)));
        ++states[std::string(o.at("state").as_string())];
        if (o.at("id").as_int64() == delivered_.id) {
            EXPECT_EQ(o.at("provider_id"), "prov-1");
            EXPECT_EQ(o.at("delivered_at"), "2026-11-25T10:02:00.000Z");
            EXPECT_EQ(o.at("attempts").as_int64(), 1);
            const json::array& tries = o.at("outbox_attempts").as_array();
            ASSERT_EQ(tries.size(), 2u);
            EXPECT_EQ(tries[0].at("outcome"), "sent");
            EXPECT_EQ(tries[0].at("detail"), "202 accepted");
            EXPECT_EQ(tries[1].at("outcome"), "delivered");
            EXPECT_EQ(tries[1].at("at"), "2026-11-25T10:02:00.000Z");
        }
    }
    EXPECT_EQ(states["delivered"], 1);
    EXPECT_EQ(states["sent"], 1);
    EXPECT_EQ(states["cancelled"], static_cast<int>(recipients_.size()) - 2) << "the ACK came first";
}

TEST_F(coordinator_alerts, log_alerts_shows_the_alert_and_its_history_lines_with_masked_phones) {
    auto r = run({"log", "--config", config_, "--alerts"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_GE(lines.size(), 2u + recipients_.size()) << r.out;
    EXPECT_TRUE(lines[0].starts_with("alert")) << lines[0];
    const std::string& alert_line = lines[1];
    EXPECT_EQ(logged_ids(lines[0] + "\n" + alert_line), std::vector<std::int64_t>{alert_}) << alert_line;
    for (const std::string& part :
         std::vector<std::string>{"2026-11-25 18:00", "ALT", "acknowledged", "urgent",
                                  mask_phone(acker_) + " at 2026-11-25 18:05"})
        EXPECT_TRUE(contains(alert_line, part)) << part << " in " << alert_line;

    // The history below it, indented, in local time.
    std::vector<std::string> history(lines.begin() + 2, lines.end());
    for (const auto& h : history)
        EXPECT_TRUE(h.starts_with("  ")) << h;
    EXPECT_TRUE(contains(history.front(), "2026-11-25 18:00 created")) << history.front();
    EXPECT_TRUE(contains(history.front(), "+976****0001")) << "the reporter, masked";
    EXPECT_EQ(
        std::count_if(history.begin(), history.end(), [](const auto& h) { return contains(h, " told "); }),
        static_cast<long>(recipients_.size()));
    EXPECT_TRUE(contains(history.back(), "2026-11-25 18:05 acknowledged")) << history.back();
    EXPECT_TRUE(contains(history.back(), mask_phone(acker_))) << history.back();
    EXPECT_FALSE(contains(r.out, "+97699")) << r.out;

    auto full = run({"log", "--config", config_, "--alerts", "--full"});
    ASSERT_EQ(full.code, 0) << full.err;
    EXPECT_TRUE(contains(full.out, acker_)) << full.out;
    EXPECT_TRUE(contains(full.out, "+97699000001")) << full.out;
}

TEST_F(coordinator_alerts, log_alerts_filters_by_site_state_phone_and_time) {
    auto shown = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"log", "--config", config_, "--alerts"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = run(args);
        EXPECT_EQ(r.code, 0) << r.err;
        return !r.out.empty();
    };
    EXPECT_TRUE(shown({"--site", "alt"}));
    EXPECT_FALSE(shown({"--site", "ULT"}));
    EXPECT_TRUE(shown({"--status", "acknowledged"}));
    EXPECT_FALSE(shown({"--status", "open"}));
    EXPECT_TRUE(shown({"--phone", "99000001"})) << "its reporter";
    EXPECT_TRUE(shown({"--phone", "+97699000201"})) << "a coordinator told of it";
    EXPECT_FALSE(shown({"--phone", "+97699000004"}));
    EXPECT_TRUE(shown({"--since", "2026-11-25T18:00"}));
    EXPECT_FALSE(shown({"--until", "2026-11-25T18:00"}));

    auto none = run({"log", "--config", config_, "--alerts", "--site", "ULT"});
    EXPECT_TRUE(contains(none.err, "no alerts match")) << none.err;
    auto bad = run({"log", "--config", config_, "--alerts", "--status", "accepted"});
    EXPECT_EQ(bad.code, 1);
    EXPECT_TRUE(contains(bad.err, "open, acknowledged or closed")) << bad.err;
}

TEST_F(coordinator_alerts, log_alert_n_shows_recipients_with_their_sms_every_history_line_and_every_attempt) {
    auto r = run({"log", "--config", config_, "--alert", std::to_string(alert_)});
    ASSERT_EQ(r.code, 0) << r.err;
    const std::string& out = r.out;
    EXPECT_TRUE(out.starts_with("alert #" + std::to_string(alert_) +
                                ": report at ALT (Altan-Us gold mine), urgent\n"))
        << out;
    EXPECT_TRUE(contains(out, "acknowledged by " + mask_phone(acker_) + " at 2026-11-25 18:05 (message " +
                                  std::to_string(ack_.message_id) + ")"))
        << out;
    EXPECT_TRUE(contains(out, "2 boys; age 12; work MINE; hazards SHAFT")) << out;
    EXPECT_TRUE(contains(out, report_.case_codes[0])) << out;
    EXPECT_TRUE(contains(out, "recipients (" + std::to_string(recipients_.size()) + "):")) << out;
    EXPECT_TRUE(contains(out, "messages (" + std::to_string(recipients_.size()) + "):")) << out;

    // Each recipient's line has the state of the SMS that told them.
    auto line_with = [&](const std::string& a, const std::string& b) {
        for (const auto& l : lines_of(out))
            if (contains(l, a) && contains(l, b))
                return l;
        return std::string();
    };
    const std::string delivered = line_with(mask_phone(delivered_.recipient), "delivered");
    ASSERT_FALSE(delivered.empty()) << out;
    EXPECT_TRUE(contains(delivered, "2026-11-25 18:01")) << "sent at: " << delivered;
    EXPECT_TRUE(contains(delivered, "2026-11-25 18:02")) << "delivered at: " << delivered;
    EXPECT_FALSE(line_with(mask_phone(sent_.recipient), " sent ").empty()) << out;
    EXPECT_FALSE(line_with("+976****0201", "coordinator").empty()) << out;

    // Every attempt of each SMS, with what the provider said (the number in it masked).
    EXPECT_FALSE(line_with("2026-11-25 18:01 sent", "202 accepted").empty()) << out;
    EXPECT_FALSE(
        line_with("2026-11-25 18:02 delivered", "DELIVRD to " + mask_phone(delivered_.recipient)).empty())
        << out;
    EXPECT_FALSE(line_with("2026-11-25 18:05 cancelled", "").empty()) << out;
    // And every history line.
    EXPECT_FALSE(line_with("2026-11-25 18:00 created", "+976****0001").empty()) << out;
    EXPECT_FALSE(line_with("2026-11-25 18:05 acknowledged", mask_phone(acker_)).empty()) << out;
    EXPECT_FALSE(contains(out, "+97699")) << out;

    auto full = run({"log", "--config", config_, "--alert", std::to_string(alert_), "--full"});
    ASSERT_EQ(full.code, 0) << full.err;
    EXPECT_TRUE(contains(full.out, "DELIVRD to " + delivered_.recipient)) << full.out;
}

TEST_F(coordinator_alerts, log_alert_n_names_an_unknown_alert_and_refuses_filters) {
    auto unknown = run({"log", "--config", config_, "--alert", "999"});
    EXPECT_EQ(unknown.code, 1);
    EXPECT_TRUE(contains(unknown.err, "999")) << unknown.err;

    auto filtered = run({"log", "--config", config_, "--alert", std::to_string(alert_), "--site", "ALT"});
    EXPECT_EQ(filtered.code, 1);
    EXPECT_TRUE(contains(filtered.err, "--site")) << filtered.err;

    auto two = run({"log", "--config", config_, "--alerts", "--outbox"});
    EXPECT_EQ(two.code, 1);
    EXPECT_TRUE(contains(two.err, "give one of them")) << two.err;
}

TEST_F(coordinator_alerts, log_outbox_lists_outbound_sms_newest_first_with_recipients_masked_unless_full) {
    auto r = run({"log", "--config", config_, "--outbox"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 1 + recipients_.size()) << r.out;
    EXPECT_TRUE(lines[0].starts_with("id")) << lines[0];
    for (std::size_t i = 1; i < lines.size(); ++i) {
        EXPECT_TRUE(contains(lines[i], " alert ")) << lines[i];
        EXPECT_TRUE(contains(lines[i], "#" + std::to_string(alert_))) << lines[i];
        EXPECT_TRUE(contains(lines[i], "2026-11-25 18:00")) << lines[i];
    }
    EXPECT_TRUE(contains(r.out, mask_phone(delivered_.recipient)));
    EXPECT_TRUE(contains(r.out, "DELIVRD to " + mask_phone(delivered_.recipient))) << r.out;
    EXPECT_FALSE(contains(r.out, "+97699")) << r.out;
    const auto ids = logged_ids(r.out);
    EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend())) << "newest first";

    auto full = run({"log", "--config", config_, "--outbox", "--full"});
    ASSERT_EQ(full.code, 0) << full.err;
    for (const auto& who : recipients_)
        EXPECT_TRUE(contains(full.out, who.phone)) << who.phone;

    auto to_one = run({"log", "--config", config_, "--outbox", "--phone", delivered_.recipient});
    ASSERT_EQ(to_one.code, 0) << to_one.err;
    EXPECT_EQ(logged_ids(to_one.out), std::vector<std::int64_t>{delivered_.id});
    auto cancelled = run({"log", "--config", config_, "--outbox", "--status", "cancelled"});
    ASSERT_EQ(cancelled.code, 0) << cancelled.err;
    EXPECT_EQ(logged_ids(cancelled.out).size(), recipients_.size() - 2);
    auto limited = run({"log", "--config", config_, "--outbox", "--limit", "2"});
    EXPECT_EQ(logged_ids(limited.out).size(), 2u);
    EXPECT_TRUE(contains(limited.err, "--limit")) << limited.err;
    auto site = run({"log", "--config", config_, "--outbox", "--site", "ALT"});
    EXPECT_EQ(site.code, 1);
}

TEST_F(coordinator_store, log_alerts_and_outbox_of_a_store_without_any_say_so) {
    auto alerts = run({"log", "--config", config_, "--alerts"});
    ASSERT_EQ(alerts.code, 0) << alerts.err;
    EXPECT_EQ(alerts.out, "");
    EXPECT_TRUE(contains(alerts.err, "no alerts match")) << alerts.err;
    auto outbox = run({"log", "--config", config_, "--outbox"});
    ASSERT_EQ(outbox.code, 0) << outbox.err;
    EXPECT_TRUE(contains(outbox.err, "no outbound messages match")) << outbox.err;
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
    for (const std::string bad : {"9900095", "+976", "+97699000950123456", "phone"}) {
        auto r =
            run({"reporter", "add", "--config", config_, "--phone", bad, "--name", "X", "--sites", "ALT"});
        EXPECT_EQ(r.code, 1) << bad;
        EXPECT_TRUE(contains(r.err, "'" + bad + "'")) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

// The one E.164 rule (parser::is_e164), on the table the configuration is held to as well
// (tests/config/test_load.cpp): `reporter add` registers a number exactly when the file may hold it.
TEST_F(coordinator_store, reporter_add_takes_a_number_exactly_when_the_configuration_does) {
    for (const auto& sample : kharuul::test::e164_samples) {
        const std::string phone(sample.phone);
        auto r =
            run({"reporter", "add", "--config", config_, "--phone", phone, "--name", "X", "--sites", "ALT"});
        EXPECT_EQ(r.code, sample.valid ? 0 : 1) << phone << ": " << r.err;
        EXPECT_EQ(store::find_reporter(*daemon_, phone).has_value(), sample.valid) << phone;
        if (!sample.valid) {
            EXPECT_TRUE(contains(r.err, "is not a phone number")) << phone << ": " << r.err;
        }
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
