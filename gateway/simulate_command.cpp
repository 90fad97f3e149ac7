// `kharuul simulate --config FILE --from PHONE [--record] [--send] [--lang en|mn] [--full]`: a
// phone in the terminal for training volunteers (gateway/simulator.hpp). Without --record it works
// on a throw-away copy of the configured store (store/backup.hpp, one consistent snapshot even
// while the daemon writes; a store that does not exist yet starts fresh in the copy), with the
// registry synced from the file as the daemon syncs it at start; the copy is deleted at the end
// (also on Ctrl-C and SIGTERM). With --record it works on the configured store itself through its
// own connection, as `reporter add` and `rerun` do: each line is one IMMEDIATE transaction that
// waits up to store.busy_timeout for the daemon's group commit, and the running daemon sees the
// result at once. Outbound SMS are shown, and marked in the outbox as shown and not sent in the
// same transaction (so a running daemon never sends them), unless --send: then they stay queued
// and the running daemon sends them through alerts.outbound_channel, the reply too. --send needs
// --record: a copy's messages would reach real phones about cases that exist in no real store.
#include "gateway/cli.hpp"

#include "config/load.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/daemon_routing.hpp"
#include "gateway/line_input.hpp"
#include "gateway/registry_seed.hpp"
#include "gateway/simulator.hpp"
#include "parser/phone.hpp"
#include "parser/reply.hpp"
#include "store/backup.hpp"
#include "store/error.hpp"
#include "store/registry.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/program_options.hpp>

#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <ostream>
#include <string>

namespace kharuul::gateway {

std::unique_ptr<simulated_ussd> make_simulated_ussd(const config::gateway_config& cfg,
                                                    std::shared_ptr<const daemon_detail::routing> routes);

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// The throw-away copy's directory and files, for the signal handler (which may only unlink).
struct copy_paths {
    std::array<std::string, 4> files; // the store and its -wal, -shm, -journal
    std::string dir;
};
copy_paths* live_copy = nullptr;

extern "C" void remove_copy_and_die(int sig) {
    if (live_copy != nullptr) {
        for (const auto& f : live_copy->files)
            ::unlink(f.c_str());
        ::rmdir(live_copy->dir.c_str());
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// A directory of our own under the temporary directory, removed with what is in it.
class throwaway_copy {
public:
    throwaway_copy() {
        std::string pattern = (fs::temp_directory_path() / "kharuul-simulate-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::system_error(errno, std::generic_category(), "cannot create a directory in " +
                                                                        fs::temp_directory_path().string());
        dir_ = pattern;
        db_ = dir_ / "kharuul.db";
        paths_.dir = dir_.string();
        paths_.files = {db_.string(), db_.string() + "-wal", db_.string() + "-shm", db_.string() + "-journal"};
        live_copy = &paths_;
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            std::signal(sig, remove_copy_and_die);
    }
    ~throwaway_copy() {
        for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
            std::signal(sig, SIG_DFL);
        live_copy = nullptr;
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    throwaway_copy(const throwaway_copy&) = delete;
    throwaway_copy& operator=(const throwaway_copy&) = delete;

    const fs::path& store_path() const { return db_; }

private:
    fs::path dir_, db_;
    copy_paths paths_;
};

// --lang for this session: the phone's language in the copy's registry.
void set_language(config::gateway_config& c, const std::string& phone, parser::reply_language l) {
    for (auto& r : c.reporters)
        if (r.phone == phone)
            r.lang = l;
    for (auto& t : c.teams)
        for (auto& m : t.members)
            if (m.phone == phone)
                m.lang = l;
    for (auto& k : c.coordinators)
        if (k.phone == phone)
            k.lang = l;
}

constexpr std::string_view usage =
    "simulate --config FILE --from PHONE [--record] [--send] [--lang en|mn] [--full]\n\n"
    "A phone in the terminal, for training volunteers. Type what the phone would send: an SMS\n"
    "(ID ALT 2B 12 MINE SHAFT) or the USSD code (ussd.service_code, *500# in the demo) and then\n"
    "each menu choice. The reply, or the USSD screen, is shown as the phone gets it, and every\n"
    "SMS the message causes for other phones (the team's alert, escalations) is shown with who\n"
    "gets it. The trainer's commands start with ':' (:help lists them): :from PHONE to be another\n"
    "phone (the team leader who ACKs), :wait 30m to move the clock on, :quit.\n\n"
    "Without --record it works on a throw-away copy of the store (real case numbers, nothing\n"
    "written to the store; deleted at the end). With --record it writes to the configured store,\n"
    "the live one a running daemon serves: the reports become real cases and alerts, and the\n"
    "daemon escalates their alerts to real phones unless they are acknowledged. Other phones'\n"
    "SMS are shown and never sent, unless --send (with --record only): then they stay queued and\n"
    "the running daemon sends them through alerts.outbound_channel, the reply too.\n\n"
    "At a terminal, lines can be edited and recalled (the history is not saved); from a pipe or a\n"
    "file (kharuul simulate ... < lesson.txt) each line is read in turn and the output is the\n"
    "transcript. Lines starting with ';' are the lesson's comments, shown and not sent.";

int cmd_simulate(const invocation& inv) {
    constexpr std::string_view name = "simulate";
    std::string config_path, from_typed, lang_name;
    bool record = false, send = false, full = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "from", po::value(&from_typed)->required(),
        "the phone typed at: +97699000001, or national (99000001) with [server] country_code")(
        "record", po::bool_switch(&record), "write to the configured (live) store instead of a throw-away copy")(
        "send", po::bool_switch(&send),
        "with --record: leave the SMS queued for the running daemon to send, instead of only showing them")(
        "lang", po::value(&lang_name),
        "the phone's language for this session, en or mn (not with --record; default: the registry's)")(
        "full", po::bool_switch(&full), "whole phone numbers (personal data: mind who sees the screen)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, usage, opts, {}, vm, code))
        return code;
    if (send && !record)
        return user_error(inv, name,
                          "--send needs --record: the messages of a throw-away copy would reach real phones "
                          "about cases that exist in no real store");
    std::optional<parser::reply_language> lang;
    if (!lang_name.empty()) {
        lang = parser::reply_language_from(lower(trim(lang_name)));
        if (!lang)
            return user_error(inv, name, "--lang must be en or mn, not '" + lang_name + "'");
        if (record)
            return user_error(inv, name,
                              "--lang changes the phone's language in the registry: not with --record "
                              "(change a reporter's with kharuul reporter remove and add)");
    }
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    const std::string phone = parser::normalise_phone(from_typed, cfg->server.country_code);
    if (!parser::is_e164(phone))
        return user_error(inv, name,
                          "--from '" + from_typed +
                              "' is not a phone number: write '+', the country code and the number, e.g. "
                              "+97699000001" +
                              (cfg->server.country_code.empty() ? std::string{} : ", or a national number"));

    std::optional<throwaway_copy> copy;
    std::optional<store::connection> db;
    daemon_detail::synced_registry held;
    simulator_settings settings;
    settings.phone = phone;
    settings.live = record;
    settings.send = send;
    settings.full = full;
    if (record) {
        auto live = open_store(inv, name, *cfg, false, code);
        if (!live)
            return code;
        db.emplace(std::move(*live));
        held.changes.active_sites = store::active_site_codes(*db);
        held.sites = store::list_sites(*db);
        held.teams = store::list_teams(*db);
        settings.store_shown = cfg->store.path + " (LIVE: --record)";
        inv.err << "kharuul simulate: --record: writing to the live store " << cfg->store.path
                << ". What you type becomes real messages, cases and alerts (kharuul log shows them, channel "
                   "'simulate'); a running daemon sees them at once and escalates their alerts to real "
                   "phones unless they are acknowledged (ACK n, as :from the team's phone).\n";
        if (send)
            inv.err << "kharuul simulate: --send: SMS stay queued; the running daemon sends them through "
                    << (cfg->alerts.outbound_channel.empty() ? std::string("(no alerts.outbound_channel: none)")
                                                             : cfg->alerts.outbound_channel)
                    << " (none go out while no daemon runs; they wait in the outbox)\n";
    } else {
        copy.emplace();
        const bool existed = fs::exists(cfg->store.path);
        if (existed) {
            auto done = store::backup_to(cfg->store.path, copy->store_path(),
                                         std::max<std::chrono::milliseconds>(cfg->store.busy_timeout,
                                                                             std::chrono::seconds(30)));
            if (!done)
                return user_error(inv, name, "cannot copy the store " + cfg->store.path + ": " + done.error().message());
        }
        store::database_options options;
        options.busy_timeout = cfg->store.busy_timeout;
        try {
            db.emplace(store::open_database(copy->store_path(), options));
        } catch (const std::system_error& e) {
            if (e.code() == store::errc::schema_too_new)
                return user_error(inv, name,
                                  "the store " + cfg->store.path + " was written by a newer kharuul: use that version");
            throw;
        }
        config::gateway_config seeded = *cfg;
        if (lang)
            set_language(seeded, phone, *lang);
        // As the daemon at start: the file's registry checked against the store's, then synced.
        SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
        const config::stored_registry stored = stored_registry_of(*db);
        if (auto problems = config::check_registry(seeded, config_path, existed ? &stored : nullptr, cfg->store.path);
            !problems.empty()) {
            for (const auto& p : problems)
                inv.err << config::format_problem(p) << '\n';
            return exit_user_error;
        }
        auto synced = store::sync_registry(*db, registry_snapshot_of(seeded), now());
        if (!synced)
            return user_error(inv, name,
                              "the configuration's registry does not fit the store: " + synced.error().message());
        if (lang)
            if (auto r = store::find_reporter(*db, phone); r && r->lang != parser::reply_language_code(*lang)) {
                // A reporter added with `reporter add`: re-registered in the copy in that language.
                store::reporter again{r->phone, r->name, std::string(parser::reply_language_code(*lang)), r->kind,
                                      r->sites};
                (void)store::remove_reporter(*db, phone);
                if (auto added = store::add_reporter(*db, again, now()); !added)
                    throw std::system_error(added.error());
            }
        held = daemon_detail::registry_held(*db, std::move(*synced));
        tx.commit();
        settings.store_shown = "a throw-away copy of " + cfg->store.path +
                               (existed ? std::string{} : std::string(" (which does not exist yet: a new store)")) +
                               "; nothing typed here reaches it";
    }
    const auto routes = daemon_detail::routing_of(*cfg, held);
    phone_simulator phone_sim(*db, *cfg, routes, settings, make_simulated_ussd(*cfg, routes), inv.out,
                              [] { return now(); });
    const bool terminal = ::isatty(STDIN_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 1 && &inv.out == &std::cout;
    auto input = terminal ? make_terminal_input(inv.out) : make_stream_input(std::cin, inv.out);
    phone_sim.greet();
    for (;;) {
        const auto line = input->read(phone_sim.prompt());
        if (!line)
            break;
        if (!line->empty() && line->front() == ';')
            continue; // a lesson's comment: shown (a transcript echoes it), not sent
        if (!phone_sim.enter(*line))
            break;
        inv.out.flush();
    }
    if (terminal)
        inv.out << '\n';
    inv.out << "kharuul simulate: the end" << (record ? "" : "; the throw-away copy is deleted") << '\n';
    return exit_ok;
}

} // namespace

command simulate_command() {
    return {"simulate", "a phone in the terminal for training: SMS and USSD, the replies and the alerts",
            cmd_simulate};
}

} // namespace kharuul::gateway
