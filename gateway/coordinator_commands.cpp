// The coordinators' commands over the store (spec/interfaces.md, "Command line"): log (messages,
// alerts with their history, the outbox), export, backup, reporter add/list/remove and rerun. Each
// opens the store named by the configuration with its own connection (read-only where it only
// reads), so it works while the daemon runs: the store is in WAL mode, readers never block the
// daemon's writer, and a write here waits up to store.busy_timeout for the daemon's group commit.
// Everything runs on the caller's thread.
#include "gateway/cli.hpp"

#include "config/gateway_config.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/export_rows.hpp"
#include "gateway/intake.hpp"
#include "gateway/metrics.hpp"
#include "gateway/time_text.hpp"
#include "parser/lexicon.hpp"
#include "parser/phone.hpp"
#include "parser/reply.hpp"
#include "store/alerts.hpp"
#include "store/backup.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/outbox.hpp"
#include "store/message_log.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
#include <limits>
#include <filesystem>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace kharuul::gateway {

namespace po = boost::program_options;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {



// ---- The store ---------------------------------------------------------------------------------


// ---- Terminal text -----------------------------------------------------------------------------





// ---- export ------------------------------------------------------------------------------------












int cmd_export(const invocation& inv) {
    constexpr std::string_view name = "export";
    std::string config_path, what, format = "csv", since_text, until_text;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "what", po::value(&what)->required(),
        "messages, events, cases, alerts or outbox")("format", po::value(&format)->default_value("csv"),
                                                     "csv (RFC 4180, a header row) or json (an array)")(
        "since", po::value(&since_text),
        "from T on: 2026-11-25, 2026-11-25T17:30 (local time), 24h, 7d (messages by received_at, events by "
        "occurred_at, cases by opened_at, alerts and outbox by created_at)")(
        "until", po::value(&until_text), "before T (a date alone includes that day)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "export --config FILE --what messages|events|cases|alerts|outbox [--format csv|json] "
            "[--since T] [--until T]\n\n"
            "The store's records on stdout in the order they were stored, columns named as the\n"
            "store's fields (snake_case; times in ISO 8601 UTC). Whole phone numbers and texts:\n"
            "personal data.\n"
            "In JSON each alert also carries its whole history: \"recipients\" (who was told, when,\n"
            "by which outbox message) and \"history\" (every step: created, told, escalated,\n"
            "acknowledged, delivered ...); each outbox row carries \"outbox_attempts\" (every send\n"
            "attempt and delivery report with what the provider said).",
            opts, {}, vm, code))
        return code;
    what = lower(trim(what));
    format = lower(trim(format));
    if (what != "messages" && what != "events" && what != "cases" && what != "alerts" && what != "outbox")
        return user_error(inv, name,
                          "--what '" + what + "' is not one of messages, events, cases, alerts, outbox");
    if (format != "csv" && format != "json")
        return user_error(inv, name, "--format '" + format + "' is not csv or json");
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    store::time_range range;
    if (!read_time_range(inv, name, since_text, until_text, *cfg, range, code))
        return code;
    auto db = open_store(inv, name, *cfg, true, code);
    if (!db)
        return code;
    const bool csv = format == "csv";
    if (what == "messages")
        write_export(inv.out, csv, message_columns, store::export_messages(*db, range), message_row);
    else if (what == "events")
        write_export(inv.out, csv, event_columns, store::export_events(*db, range), event_row);
    else if (what == "cases")
        write_export(inv.out, csv, case_columns, store::export_cases(*db, range), case_row);
    else {
        // The rows and their histories from one snapshot, so that they agree.
        SQLite::Transaction snapshot(*db, SQLite::TransactionBehavior::DEFERRED);
        if (what == "alerts")
            write_export(inv.out, csv, alert_columns, store::export_alerts(*db, range),
                         [&](const store::alert_record& a) {
                             json::object o = alert_row(a);
                             if (!csv)
                                 add_alert_history(o, *db, a.id);
                             return o;
                         });
        else
            write_export(inv.out, csv, outbox_columns, store::export_outbox(*db, range),
                         [&](const store::outbox_record& m) {
                             json::object o = outbox_row(m);
                             if (!csv)
                                 add_outbox_attempts(o, *db, m.id);
                             return o;
                         });
    }
    return exit_ok;
}

// ---- backup ------------------------------------------------------------------------------------

int cmd_backup(const invocation& inv) {
    constexpr std::string_view name = "backup";
    std::string config_path, out_path;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "out", po::value(&out_path)->required(), "the copy to write (OUT); never overwritten");
    po::positional_options_description pos;
    pos.add("out", 1);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "backup --config FILE OUT\n\n"
            "Writes a consistent copy of the store to OUT while the daemon runs (one snapshot; the\n"
            "daemon keeps writing). OUT is a single SQLite file; an existing OUT is never overwritten.",
            opts, pos, vm, code))
        return code;
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    const fs::path out = out_path;
    if (fs::exists(out))
        return user_error(inv, name, out_path + " exists: a backup never overwrites a file");
    if (const fs::path dir = out.parent_path(); !dir.empty() && !fs::is_directory(dir))
        return user_error(inv, name, "the directory " + dir.string() + " does not exist");
    if (!fs::exists(cfg->store.path))
        return user_error(inv, name,
                          "the store " + cfg->store.path +
                              " does not exist (kharuul serve creates it; check store.path)");
    auto done = store::backup_to(
        cfg->store.path, out,
        std::max<std::chrono::milliseconds>(cfg->store.busy_timeout, std::chrono::seconds(30)));
    if (!done) {
        if (done.error() == store::errc::backup_target_exists)
            return user_error(inv, name, out_path + " exists: a backup never overwrites a file");
        return user_error(inv, name, done.error().message());
    }
    inv.out << out_path << ": " << fs::file_size(out) << " bytes, a copy of " << cfg->store.path << '\n';
    return exit_ok;
}

// ---- rerun's outcome, shown by rerun and reporter add --rerun ---------------------------------

// "message 102: accepted, form ID", the cases opened, the reply and where it went, the alert.
void print_rerun(const invocation& inv, store::connection& db, std::int64_t id, const intake_outcome& outcome,
                 const intake_settings& settings) {
    inv.out << "message " << id << ": " << store::to_string(outcome.status);
    if (outcome.form)
        inv.out << ", form " << parser::canonical_keyword(*outcome.form);
    if (outcome.error_code)
        inv.out << ", error " << *outcome.error_code;
    if (outcome.duplicate_of)
        inv.out << ", a duplicate of message " << *outcome.duplicate_of << " (processed already; no reply)";
    inv.out << '\n';
    if (!outcome.case_codes.empty()) {
        inv.out << "cases opened:";
        for (const auto& c : outcome.case_codes)
            inv.out << ' ' << c;
        inv.out << '\n';
    }
    if (!outcome.reply.empty()) {
        const auto after = store::find_message(db, id);
        inv.out << "reply";
        if (after && after->reply_lang)
            inv.out << " (" << *after->reply_lang << ")";
        inv.out << ": " << printable(outcome.reply) << '\n';
        if (!settings.alerts->outbound_channel.empty())
            inv.out << "queued for " << settings.alerts->outbound_channel
                    << ": the running daemon sends it (see kharuul log --outbox)\n";
    }
    if (outcome.alert)
        inv.out << "alert #" << *outcome.alert << " raised for the team\n";
}

// ---- reporter add / list / remove --------------------------------------------------------------

int cmd_reporter_add(const invocation& inv) {
    constexpr std::string_view name = "reporter add";
    std::string config_path, phone_typed, reporter_name, sites_text, lang = "mn", kind = "volunteer";
    bool rerun_kept = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "phone", po::value(&phone_typed)->required(),
        "the reporter's number: +97699000001, or national (99000001) with [server] country_code")(
        "rerun", po::bool_switch(&rerun_kept),
        "then process the messages kept from the number, oldest first, and send their replies")(
        "name", po::value(&reporter_name)->required(),
        "the reporter's name")("sites", po::value(&sites_text)->required(),
                               "site codes the reporter watches, comma-separated: ALT,ULT")(
        "lang", po::value(&lang)->default_value("mn"), "language of the replies: en or mn")(
        "kind", po::value(&kind)->default_value("volunteer"), "volunteer, teacher, parent, worker or other");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "reporter add --config FILE --phone P --name N --sites A,B [--lang en|mn] "
            "[--kind volunteer|teacher|parent|worker|other] [--rerun]\n\n"
            "Registers a reporter in the store; the running daemon takes messages from the number\n"
            "from the next one on (no restart). Messages kept from it before are processed with\n"
            "--rerun (oldest first), or one by one with kharuul rerun.",
            opts, {}, vm, code))
        return code;

    store::reporter r;
    r.name = std::string(trim(reporter_name));
    if (r.name.empty())
        return user_error(inv, name, "--name is empty");
    const auto l = parser::reply_language_from(lower(trim(lang)));
    if (!l)
        return user_error(inv, name, "--lang must be en or mn, not '" + lang + "'");
    r.lang = std::string(parser::reply_language_code(*l));
    const auto k = config::reporter_kind_from(lower(trim(kind)));
    if (!k)
        return user_error(inv, name,
                          "--kind '" + kind + "' is not one of volunteer, teacher, parent, worker, other");
    r.kind = std::string(config::reporter_kind_name(*k));
    for (std::size_t i = 0; i <= sites_text.size();) {
        std::size_t j = sites_text.find(',', i);
        if (j == std::string::npos)
            j = sites_text.size();
        const std::string code_typed = upper(trim(std::string_view(sites_text).substr(i, j - i)));
        if (!code_typed.empty() && std::find(r.sites.begin(), r.sites.end(), code_typed) == r.sites.end())
            r.sites.push_back(code_typed);
        i = j + 1;
    }
    if (r.sites.empty())
        return user_error(inv, name, "--sites names no site: give site codes, e.g. --sites ALT,ULT");

    auto opened = open_configured_store(inv, name, config_path, false, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;
    // The one rule, shared with the configuration and the providers' numbers.
    r.phone = parser::normalise_phone(phone_typed, cfg.server.country_code);
    if (!parser::is_e164(r.phone))
        return user_error(inv, name,
                          "--phone '" + phone_typed + "' is not a phone number: write '+', the country code (not 0) " +
                              "and the number (8 to 15 digits in all), e.g. +97699000001" +
                              (cfg.server.country_code.empty()
                                   ? std::string(", or set [server] country_code to write national numbers")
                                   : std::string(", or a national number, e.g. 99000001")));
    // IMMEDIATE: take the write lock (waiting for the daemon's commit) before reading, so that what
    // was checked is still true when written.
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& s : r.sites)
        if (!store::find_site(db, s))
            return user_error(inv, name,
                              "unknown site '" + s + "' (the registry has " + known_sites(db) + ")");
    if (auto existing = store::find_reporter(db, r.phone))
        return user_error(inv, name,
                          r.phone + " is already registered (" + printable(existing->name) +
                              "): remove it first to change its details");
    auto added = store::add_reporter(db, r, now());
    if (!added) {
        if (added.error() == store::errc::unknown_site)
            return user_error(inv, name, "unknown site (the registry has " + known_sites(db) + ")");
        if (added.error() == store::errc::reporter_exists)
            return user_error(inv, name, r.phone + " is already registered");
        throw std::system_error(added.error());
    }
    store::message_filter kept;
    kept.phone = store::phone_match{r.phone};
    kept.status = store::message_status::unregistered;
    kept.limit = rerun_kept ? std::numeric_limits<std::size_t>::max() / 2 : 20;
    auto waiting = store::query_messages(db, kept); // newest first
    std::ranges::reverse(waiting);                  // in the order they came
    if (!rerun_kept) {
        tx.commit();
        inv.out << "registered " << r.phone << " (" << printable(r.name) << "), " << r.kind << ", sites "
                << joined(r.sites, ",") << ", replies in " << r.lang << '\n';
        if (!waiting.empty()) {
            inv.out << "messages kept from this number, oldest first:";
            for (const auto& m : waiting)
                inv.out << ' ' << m.id;
            inv.out << "\nprocess them with: kharuul rerun --config " << config_path
                    << " MESSAGE_ID (each), or add the reporter with --rerun\n";
        }
        return exit_ok;
    }

    // Registered and processed in one transaction: the kept messages run in the order they came,
    // so a resend is the duplicate of its original, and each reply goes out through the outbox.
    const parser::lexicon lex(cfg.language, cfg.site_codes());
    const intake_settings settings = intake_settings_of(cfg);
    const auto at = now();
    std::vector<std::pair<std::int64_t, intake_outcome>> done;
    for (const auto& m : waiting) {
        auto outcome = rerun(db, m.id, lex, settings, at);
        if (!outcome)
            throw std::system_error(outcome.error()); // unregistered, in this transaction: cannot fail
        done.emplace_back(m.id, std::move(*outcome));
    }
    inv.out << "registered " << r.phone << " (" << printable(r.name) << "), " << r.kind << ", sites "
            << joined(r.sites, ",") << ", replies in " << r.lang << '\n';
    if (done.empty())
        inv.out << "no messages were kept from this number\n";
    else
        inv.out << "processing the " << done.size() << " message" << (done.size() == 1 ? "" : "s")
                << " kept from this number, oldest first:\n";
    for (const auto& [id, outcome] : done)
        print_rerun(inv, db, id, outcome, settings);
    tx.commit();
    return exit_ok;
}

int cmd_reporter_list(const invocation& inv) {
    constexpr std::string_view name = "reporter list";
    std::string config_path;
    bool all = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(),
                       config_help)("all", po::bool_switch(&all), "also the removed (deactivated) reporters");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv,
                       "reporter list --config FILE [--all]\n\n"
                       "The registered reporters, by phone: from the configuration file (config) or added\n"
                       "with kharuul reporter add (cli).",
                       opts, {}, vm, code))
        return code;
    auto opened = open_configured_store(inv, name, config_path, true, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;
    const auto reporters = store::list_reporters(db, all);
    if (reporters.empty()) {
        inv.err << "kharuul reporter list: no reporters registered\n";
        return exit_ok;
    }
    struct row {
        std::string phone, name, lang, kind, sites, origin, since;
    };
    std::vector<row> rows{{"phone", "name", "lang", "kind", "sites", "origin", "since"}};
    for (const auto& r : reporters) {
        rows.push_back({r.phone, printable(r.name), r.lang, r.kind, joined(r.sites, ","),
                        std::string(r.from_config ? "config" : "cli") + (r.active ? "" : " (removed)"),
                        format_local_minute(r.created_at, cfg.alerts.utc_offset).substr(0, 10)});
    }
    std::size_t w[6] = {};
    for (const auto& r : rows) {
        const std::string* f[] = {&r.phone, &r.name, &r.lang, &r.kind, &r.sites, &r.origin};
        for (std::size_t i = 0; i < 6; ++i)
            w[i] = std::max(w[i], columns_of(*f[i]));
    }
    for (const auto& r : rows) {
        const std::string* f[] = {&r.phone, &r.name, &r.lang, &r.kind, &r.sites, &r.origin};
        for (std::size_t i = 0; i < 6; ++i) {
            pad(inv.out, *f[i], w[i]);
            inv.out << "  ";
        }
        inv.out << r.since << '\n';
    }
    return exit_ok;
}

int cmd_reporter_remove(const invocation& inv) {
    constexpr std::string_view name = "reporter remove";
    std::string config_path, phone_typed;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "phone", po::value(&phone_typed)->required(), "the reporter's number: +97699000001");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv,
                       "reporter remove --config FILE --phone P\n\n"
                       "Deactivates a reporter: later messages from the number are kept, not processed. The\n"
                       "record of what it reported stays.",
                       opts, {}, vm, code))
        return code;
    auto opened = open_configured_store(inv, name, config_path, false, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;
    const std::string phone = parser::normalise_phone(phone_typed, cfg.server.country_code);
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto existing = store::find_reporter(db, phone);
    if (!existing)
        return user_error(inv, name, "no registered reporter has the phone '" + phone_typed + "'");
    auto removed = store::remove_reporter(db, phone);
    if (!removed) {
        if (removed.error() == store::errc::unknown_reporter)
            return user_error(inv, name, "no registered reporter has the phone '" + phone_typed + "'");
        throw std::system_error(removed.error());
    }
    tx.commit();
    inv.out << "removed " << phone << " (" << printable(existing->name)
            << "): messages from this number are now kept, not processed\n";
    if (existing->from_config)
        inv.out << "note: " << phone << " is in the configuration file: remove it there too, or the daemon "
                << "registers it again when it restarts or reloads\n";
    return exit_ok;
}

// ---- rerun -------------------------------------------------------------------------------------

int cmd_rerun(const invocation& inv) {
    constexpr std::string_view name = "rerun";
    std::string config_path, id_text;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(),
                       config_help)("message-id", po::value(&id_text)->required(),
                                    "the message's id (MESSAGE_ID), as kharuul log shows it");
    po::positional_options_description pos;
    pos.add("message-id", 1);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "rerun --config FILE MESSAGE_ID\n\n"
            "Processes a kept message again, after its sender was registered (kharuul reporter add),\n"
            "and shows the outcome and the reply. A message is never processed twice.\n"
            "The reply is queued in the outbox and the running daemon sends it (kharuul log --outbox).",
            opts, pos, vm, code))
        return code;
    std::int64_t id = 0;
    {
        const std::string_view t = trim(id_text);
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
        if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || id < 1)
            return user_error(inv, name, "MESSAGE_ID must be a message's number, not '" + id_text + "'");
    }
    auto opened = open_configured_store(inv, name, config_path, false, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;

    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto before = store::find_message(db, id);
    if (!before)
        return user_error(inv, name, "no message has the id " + std::to_string(id));
    if (before->status != store::message_status::unregistered &&
        before->status != store::message_status::received)
        return user_error(inv, name,
                          "message " + std::to_string(id) + " was processed already (" +
                              std::string(store::to_string(before->status)) + "): it is not processed twice");

    const parser::lexicon lex(cfg.language, cfg.site_codes());
    const intake_settings settings = intake_settings_of(cfg);
    auto outcome = rerun(db, id, lex, settings, now());
    if (!outcome) {
        if (outcome.error() == store::errc::unknown_message)
            return user_error(inv, name, "no message has the id " + std::to_string(id));
        if (outcome.error() == std::errc::operation_not_permitted)
            return user_error(inv, name, "message " + std::to_string(id) + " was processed already");
        throw std::system_error(outcome.error());
    }
    if (outcome->status == store::message_status::unregistered)
        // Rolled back: nothing changed.
        return user_error(inv, name,
                          "message " + std::to_string(id) + " is still from an unregistered number (" +
                              mask_phone(before->sender) + "): register it first with kharuul reporter add");
    print_rerun(inv, db, id, *outcome, settings);
    tx.commit();
    return exit_ok;
}

} // namespace

std::vector<command> coordinator_commands() {
    return {
        log_command(),
        {"export", "messages, events, cases, alerts or outbox as CSV or JSON on stdout", cmd_export},
        {"backup", "a consistent copy of the store while the daemon runs", cmd_backup},
        {"reporter add", "register a reporter in the running store (no restart)", cmd_reporter_add},
        {"reporter list", "the registered reporters", cmd_reporter_list},
        {"reporter remove", "deactivate a reporter (its record stays)", cmd_reporter_remove},
        {"rerun", "process a kept message again, after its sender was registered", cmd_rerun},
    };
}

} // namespace kharuul::gateway
