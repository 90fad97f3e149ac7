#include "gateway/cli.hpp"

#include "adapters/charset.hpp"
#include "config/load.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/daemon.hpp"
#include "gateway/parse_json.hpp"
#include "gateway/registry_seed.hpp"
#include "parser/lexicon.hpp"
#include "parser/phone.hpp"

#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <iostream>
#include <optional>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

// HELP SITES as the daemon answers `phone`, from the configuration's registry: a reporter's
// sites, a team member's in the team's areas, a coordinator's all (none for another number).
std::vector<parser::site_entry> sites_of(const config::gateway_config& c, const std::string& phone) {
    std::vector<std::string> reported;
    for (const auto& r : c.reporters)
        if (r.phone == phone)
            reported.insert(reported.end(), r.sites.begin(), r.sites.end());
    std::vector<std::string> areas;
    for (const auto& t : c.teams)
        for (const auto& m : t.members)
            if (m.phone == phone)
                areas.insert(areas.end(), t.areas.begin(), t.areas.end());
    const bool all = std::any_of(c.coordinators.begin(), c.coordinators.end(),
                                 [&](const config::coordinator_config& k) { return k.phone == phone; });
    std::vector<config::site_config> sites = c.sites;
    std::sort(sites.begin(), sites.end(), [](const auto& a, const auto& b) { return a.code < b.code; });
    std::vector<parser::site_entry> out;
    for (const auto& s : sites)
        if (all || std::find(reported.begin(), reported.end(), s.code) != reported.end() ||
            std::any_of(areas.begin(), areas.end(),
                        [&](const std::string& a) { return config::area_covers(a, s.area); }))
            out.push_back({s.code, s.name});
    return out;
}

int cmd_parse(const invocation& inv) {
    std::string config_path, from, lang_name;
    std::vector<std::string> words;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), "configuration file (TOML)")(
        "from", po::value(&from), "sender's phone: replies in their registered language")(
        "lang", po::value(&lang_name), "reply language: en or mn (default: the sender's, else en)")(
        "text", po::value(&words)->multitoken(), "the SMS text (quote it)");
    po::positional_options_description pos;
    pos.add("text", -1);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, "parse --config FILE [--from PHONE] [--lang en|mn] TEXT", opts, pos, vm, code))
        return code;
    // No TEXT at all is a usage error; an empty one ("") is a message, the empty message.
    if (vm.count("text") == 0) {
        inv.err << "kharuul parse: the SMS text is missing (usage: kharuul parse --config FILE [--from PHONE] "
                   "[--lang en|mn] TEXT; quote it, \"\" for the empty message)\n";
        return exit_user_error;
    }

    auto lang = parser::reply_language::en;
    if (!lang_name.empty()) {
        auto l = parser::reply_language_from(lang_name);
        if (!l) {
            inv.err << "kharuul parse: --lang must be en or mn, not '" << lang_name << "'\n";
            return exit_user_error;
        }
        lang = *l;
    }
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    from = parser::normalise_phone(from, cfg->server.country_code); // as the daemon reads a sender
    if (!from.empty() && lang_name.empty()) {
        for (const auto& r : cfg->reporters)
            if (r.phone == from)
                lang = r.lang;
        for (const auto& t : cfg->teams)
            for (const auto& m : t.members)
                if (m.phone == from)
                    lang = m.lang;
        for (const auto& c : cfg->coordinators)
            if (c.phone == from)
                lang = c.lang;
    }
    std::string text;
    for (const auto& w : words)
        text += (text.empty() ? "" : " ") + w;
    const parser::lexicon lex(cfg->language, cfg->site_codes());
    // As the daemon reads it: control characters other than line breaks and tabs removed.
    std::optional<std::vector<parser::site_entry>> own_sites; // HELP SITES: the --from sender's
    if (!from.empty())
        own_sites = sites_of(*cfg, from);
    inv.out << boost::json::serialize(parse_json(adapters::strip_control_characters(text), lex, lang, own_sites))
            << '\n';
    return exit_ok;
}

int cmd_check_config(const invocation& inv) {
    std::string config_path;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), "configuration file (TOML)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, "check-config --config FILE", opts, {}, vm, code))
        return code;
    config::load_result r = config::load_config(config_path);
    if (r.config) {
        // A file without sites or teams relies on the store's: look at it (read-only).
        try {
            auto more = registry_problems(*r.config, config_path);
            if (std::ranges::any_of(more, [](const auto& p) { return p.level == config::severity::error; }))
                r.config.reset();
            r.problems.insert(r.problems.end(), more.begin(), more.end());
        } catch (const std::exception& e) {
            r.problems.push_back({config_path, 0, 0, "store.path",
                                  "cannot read the store " + r.config->store.path + ": " + e.what(),
                                  "check store.path, or add the missing [[sites]] and [[teams]] to the file",
                                  config::severity::error});
            r.config.reset();
        }
    }
    std::size_t errors = 0, warnings = 0;
    for (const auto& p : r.problems) {
        (p.level == config::severity::error ? inv.err : inv.out) << config::format_problem(p) << '\n';
        ++(p.level == config::severity::error ? errors : warnings);
    }
    if (!r.config) {
        inv.err << config_path << ": " << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
                << (warnings == 1 ? " warning" : " warnings") << '\n';
        return exit_user_error;
    }
    const auto& c = *r.config;
    inv.out << config_path << ": ok: " << c.sites.size() << " sites, " << c.teams.size() << " teams, "
            << c.coordinators.size() << " coordinators, " << c.reporters.size() << " reporters, "
            << c.channels.size() << " channels";
    if (warnings > 0)
        inv.out << ", " << warnings << (warnings == 1 ? " warning" : " warnings");
    inv.out << '\n';
    return exit_ok;
}

int cmd_serve(const invocation& inv) {
    std::string config_path;
    bool debug = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), "configuration file (TOML)")(
        "debug", po::bool_switch(&debug), "log at debug level (shows whole phone numbers and texts)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, "serve --config FILE [--debug]", opts, {}, vm, code))
        return code;
    return serve_main(config_path, debug);
}

const std::vector<command>& registry() {
    static const std::vector<command> list = [] {
        std::vector<command> l = {
            {"serve", "run the gateway daemon (SIGTERM stops gracefully, SIGHUP reloads)", cmd_serve},
            {"check-config", "validate a configuration file; every problem with its line and a fix", cmd_check_config},
            {"parse", "show how a message would be understood and the reply it would get (JSON)", cmd_parse},
            simulate_command(),
        };
        for (auto& c : coordinator_commands())
            l.push_back(std::move(c));
        for (auto c : {case_command(), cases_command(), report_command(), replay_command(), card_command()})
            l.push_back(std::move(c));
        for (auto& c : token_commands())
            l.push_back(std::move(c));
        return l;
    }();
    return list;
}

void print_usage(std::ostream& out) {
    out << "kharuul: SMS and USSD field-reporting gateway for child labour monitoring\n\n"
           "usage: kharuul COMMAND [options]   (kharuul COMMAND --help for its options)\n\ncommands:\n";
    for (const auto& c : registry()) {
        std::string name(c.name);
        name.resize(std::max<std::size_t>(name.size() + 2, 16), ' ');
        out << "  " << name << c.summary << '\n';
    }
    out << "\nexit codes: 0 ok, 1 user error (bad configuration or arguments), 2 internal failure\n";
}

} // namespace

std::span<const command> commands() { return registry(); }

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    try {
        if (argc < 2) {
            print_usage(err);
            return exit_user_error;
        }
        const std::string_view first = argv[1];
        if (first == "--help" || first == "-h" || first == "help") {
            print_usage(out);
            return exit_ok;
        }
        // Two-word commands ("reporter add") are matched before one-word ones.
        for (int words : {2, 1}) {
            if (argc < 1 + words)
                continue;
            std::string name = argv[1];
            if (words == 2)
                name += std::string(" ") + argv[2];
            for (const auto& c : registry())
                if (c.name == name) {
                    invocation inv{{argv + 1 + words, argv + argc}, out, err};
                    return c.run(inv);
                }
        }
        // A group of two-word commands ("reporter"): --help lists them; anything else is a usage
        // error that lists them.
        std::vector<const command*> group;
        for (const auto& c : registry())
            if (c.name.starts_with(std::string(first) + " "))
                group.push_back(&c);
        if (!group.empty()) {
            const std::string_view second = argc >= 3 ? std::string_view(argv[2]) : std::string_view{};
            const bool help = second == "--help" || second == "-h" || second == "help";
            std::ostream& to = help ? out : err;
            if (!help)
                to << "kharuul: " << (second.empty() ? "'" + std::string(first) + "' needs a command"
                                                     : "unknown command '" + std::string(first) + " " +
                                                           std::string(second) + "'")
                   << "\n";
            to << "usage: kharuul " << first << " COMMAND [options]   (kharuul " << first
               << " COMMAND --help for its options)\n\ncommands:\n";
            for (const command* c : group) {
                std::string name(c->name);
                name.resize(std::max<std::size_t>(name.size() + 2, 18), ' ');
                to << "  " << name << c->summary << '\n';
            }
            return help ? exit_ok : exit_user_error;
        }
        err << "kharuul: unknown command '" << first << "' (see kharuul --help)\n";
        return exit_user_error;
    } catch (const std::exception& e) {
        err << "kharuul: internal error: " << e.what() << '\n';
        return exit_internal;
    } catch (...) {
        err << "kharuul: internal error\n";
        return exit_internal;
    }
}

} // namespace kharuul::gateway
