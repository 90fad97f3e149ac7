// `kharuul replay --config FILE SEASON [--append] [--quiet]` (spec cases.md 5): a season in a
// file, one message a line ("2026-07-03T09:12:00+08:00 +97699000001 ID ALT 2B 12 MINE SHAFT"),
// fed through the daemon's intake (gateway/intake.hpp) in order with the clock set to each line,
// the escalations and reminders that fall due between lines run as the daemon would run them, and
// every SMS it causes kept in the outbox as logged, never sent. Trainers prepare a store for a
// course with it; tests replay whole seasons. The whole file is read and checked before anything
// is written: a line it cannot read is reported with its number and nothing is applied.
#include "gateway/cli.hpp"

#include "parser/phone.hpp"
#include "alerts/reminders.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/intake.hpp"
#include "gateway/metrics.hpp"
#include "gateway/registry_seed.hpp"
#include "gateway/time_text.hpp"
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <ostream>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

struct season_line {
    std::size_t number = 0; // 1-based, in the file
    store::timestamp at{};
    std::string phone;
    std::string text;
};

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

std::string_view next_word(std::string_view& s) {
    s = trimmed(s);
    const std::size_t end = std::min(s.find_first_of(" \t"), s.size());
    const std::string_view w = s.substr(0, end);
    s.remove_prefix(end);
    s = trimmed(s);
    return w;
}

// Reads the season; on the first line it cannot read, false with an error naming the file and
// line, and `out` holding the lines before it (which are applied: cases.md 5, "nothing after it").
bool read_season(const std::string& path, std::chrono::minutes utc_offset, std::string_view country_code,
                 std::vector<season_line>& out, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot read the file";
        return false;
    }
    std::string raw;
    std::size_t number = 0;
    while (std::getline(in, raw)) {
        ++number;
        std::string_view rest = trimmed(raw);
        if (number == 1 && rest.starts_with("\xEF\xBB\xBF"))
            rest.remove_prefix(3); // a spreadsheet's UTF-8 byte order mark
        if (rest.empty() || rest.front() == ';')
            continue;
        const std::string where = path + ":" + std::to_string(number) + ": ";
        const std::string time_text(next_word(rest));
        const auto at = parse_time_bound(time_text, time_bound::since, utc_offset, store::timestamp{});
        if (!at || time_text.size() < 16 || time_text.back() == 'd' || time_text.back() == 'h') {
            error =
                where + "'" + time_text + "' is not a time: start the line with 2026-07-03T09:12:00+08:00";
            return false;
        }
        const std::string typed(next_word(rest));
        const std::string phone = parser::normalise_phone(typed, country_code);
        const std::size_t digits = static_cast<std::size_t>(
            std::count_if(phone.begin(), phone.end(), [](char c) { return c >= '0' && c <= '9'; }));
        if (digits < 6 || phone.find_first_not_of("+0123456789") != std::string::npos ||
            phone.find('+', 1) != std::string::npos) {
            error = where + "'" + typed +
                    "' is not a phone number: write it after the time without spaces, e.g. +97699000001";
            return false;
        }
        if (rest.empty()) {
            error = where + "no message text after the phone number";
            return false;
        }
        if (!out.empty() && *at < out.back().at) {
            error = where + "this line is earlier than line " + std::to_string(out.back().number) +
                    ": a season is in the order the messages arrived";
            return false;
        }
        out.push_back({number, *at, phone, std::string(rest)});
    }
    return true;
}

// "1 message", "2 messages".
std::string counted(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

struct tally {
    std::map<store::message_status, std::size_t> by_status;
    std::size_t alerts = 0;
    std::size_t logged = 0;
    std::size_t escalations = 0;
    std::size_t reminders = 0;
};

// Every outbox row due by `due_by` is logged at `at`, not sent: replay never texts a phone.
void log_outbox(store::connection& db, store::timestamp at, tally& t,
                std::optional<store::timestamp> due_by = {}) {
    for (;;) {
        const auto due = store::claim_due(db, due_by.value_or(at), 500);
        for (const auto& o : due) {
            (void)store::mark_sent(db, o.id, std::nullopt, at, "replay: logged, not sent");
            ++t.logged;
        }
        if (due.size() < 500)
            return;
    }
}

// What the daemon would have done between the previous line and `until`: each escalation at the
// moment it fell due, and the reminders once each day at the start of the daytime window.
void run_between(store::connection& db, const intake_settings& settings, const parser::lexicon& lex,
                 std::optional<store::timestamp> previous, store::timestamp until, tally& t) {
    const alert_settings& a = *settings.alerts;
    std::vector<store::timestamp> reminder_times;
    if (previous) {
        using namespace std::chrono;
        auto day = floor<days>(*previous + a.utc_offset);
        for (; day <= floor<days>(until + a.utc_offset); day += days{1}) {
            const store::timestamp start = time_point_cast<milliseconds>(day + a.day_start - a.utc_offset);
            if (start > *previous && start <= until)
                reminder_times.push_back(start);
        }
    }
    std::size_t next_reminder = 0;
    bool escalations_done = false;
    for (int guard = 0; guard < 100000; ++guard) {
        const std::optional<store::timestamp> escalation = store::next_alert_due(db);
        const bool escalation_due = !escalations_done && escalation && *escalation <= until;
        const bool reminder_due = next_reminder < reminder_times.size();
        if (!escalation_due && !reminder_due)
            return;
        if (reminder_due && (!escalation_due || reminder_times[next_reminder] <= *escalation)) {
            const due_work w = run_due(db, a, lex, reminder_times[next_reminder], true);
            t.escalations += w.escalations;
            t.reminders += w.reminders;
            log_outbox(db, reminder_times[next_reminder], t);
            ++next_reminder;
            continue;
        }
        const store::timestamp at = std::max(*escalation, previous.value_or(*escalation));
        const due_work w = run_due(db, a, lex, at, false);
        t.escalations += w.escalations;
        log_outbox(db, at, t);
        escalations_done = w.escalations == 0; // nothing was due after all: never spin
    }
}

int cmd_replay(const invocation& inv) {
    std::string config_path, season;
    bool append = false, quiet = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "season", po::value(&season)->required(), "the file of timestamped messages")(
        "append", po::bool_switch(&append), "add to a store that already holds messages")(
        "quiet", po::bool_switch(&quiet), "print only the summary, not each reply");
    po::positional_options_description pos;
    pos.add("season", 1);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, "replay --config FILE SEASON [--append] [--quiet]", opts, pos, vm, code))
        return code;
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;

    std::vector<season_line> lines;
    std::string error;
    const bool whole = read_season(season, cfg->alerts.utc_offset, cfg->server.country_code, lines, error);
    if (!whole && lines.empty())
        return user_error(inv, "replay", error + " (nothing was applied)");
    if (lines.empty())
        return user_error(inv, "replay",
                          season + ": no message lines (blank lines and ;-comments are skipped)");

    const std::filesystem::path path = cfg->store.path;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path());
    store::database_options options;
    options.busy_timeout = cfg->store.busy_timeout;
    store::connection db = store::open_database(path, options);
    const store::message_totals held = store::count_messages(db);
    const std::optional<store::timestamp> latest = held.latest;
    if (held.count > 0) {
        if (!append)
            return user_error(inv, "replay",
                              "the store " + path.string() + " already holds " + std::to_string(held.count) +
                                  (held.count == 1 ? " message" : " messages") +
                                  ": --append adds the season to them, or use a new store.path");
        if (lines.front().at < *latest)
            return user_error(inv, "replay",
                              season + ":" + std::to_string(lines.front().number) +
                                  ": earlier than the store's latest message (" +
                                  format_local_minute(*latest, cfg->alerts.utc_offset) +
                                  "); nothing was applied");
    }

    // Replay never sends: every SMS it causes is kept in the outbox as logged.
    intake_settings settings = intake_settings_of(*cfg);
    {
        auto a = std::make_shared<alert_settings>(*settings.alerts);
        a->outbound_channel = "log";
        settings.alerts = std::move(a);
    }
    const parser::lexicon lex(cfg->language, cfg->site_codes());
    {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        if (auto r = store::sync_registry(db, registry_snapshot_of(*cfg), lines.front().at); !r)
            return user_error(inv, "replay",
                              "the configuration's registry does not fit the store: " + r.error().message());
        tx.commit();
    }

    tally t;
    std::optional<store::timestamp> previous = latest;
    for (const auto& line : lines) {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        run_between(db, settings, lex, previous, line.at, t);
        inbound msg;
        msg.channel = "replay";
        msg.from = line.phone;
        msg.to = "replay";
        msg.text = line.text;
        const intake_outcome out = take_in(db, msg, lex, settings, line.at);
        // The reply too is an outbox message, logged like the rest (the daemon answers in the
        // provider's response instead).
        if (!out.reply.empty() && !out.repeat)
            queue_sms(db, *settings.alerts, line.phone, out.reply, store::outbox_kind::reply, std::nullopt,
                      out.message_id, line.at);
        log_outbox(db, line.at, t);
        tx.commit();
        ++t.by_status[out.status];
        if (out.alert && out.form != parser::form::ack)
            ++t.alerts;
        previous = line.at;
        if (!quiet)
            inv.out << format_local_minute(line.at, cfg->alerts.utc_offset) << ' ' << mask_phone(line.phone)
                    << ' ' << printable(line.text) << "\n    -> " << store::to_string(out.status)
                    << (out.reply.empty() ? std::string{} : ": " + printable(out.reply)) << '\n';
    }
    {
        // Whatever is still queued (a reminder for the next morning) is logged too.
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        if (const auto last = store::last_outbox_due(db))
            log_outbox(db, *previous, t, *last);
        tx.commit();
    }
    inv.out << "replayed " << counted(lines.size(), "message", "messages") << " from " << season << " into "
            << path.string() << ": ";
    bool first = true;
    for (const auto& [status, n] : t.by_status) {
        inv.out << (first ? "" : ", ") << n << ' ' << store::to_string(status);
        first = false;
    }
    inv.out << "; " << counted(t.alerts, "alert", "alerts") << ", "
            << counted(t.escalations, "escalation step", "escalation steps") << ", "
            << counted(t.reminders, "reminder", "reminders") << "; " << t.logged << " SMS logged, none sent\n";
    if (!whole)
        return user_error(inv, "replay",
                          error + " (" + counted(lines.size(), "message", "messages") +
                              " before it applied, nothing after it: fix the line and replay the rest"
                              " with --append)");
    return exit_ok;
}

} // namespace

command replay_command() {
    return {"replay",
            "feed a file of timestamped messages through the intake, clock set per line (never sends)",
            cmd_replay};
}

} // namespace kharuul::gateway
