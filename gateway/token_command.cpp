// `kharuul token create|list|revoke` (spec/interfaces.md, issue 12): the API's tokens, made only
// here (never through the API). The token is printed once, by create; the store keeps its SHA-256
// (store/tokens.hpp). Each create and revoke writes an audit row (actor "command line") in the
// same transaction. Runs on the caller's thread; works while the daemon runs (WAL, busy timeout).
#include "gateway/api_auth.hpp"
#include "gateway/api_types.hpp"
#include "gateway/cli.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/time_text.hpp"
#include "store/audit.hpp"
#include "store/registry.hpp"
#include "store/tokens.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>

#include <charconv>
#include <ostream>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

// "90d", "12w" from now, or a date (valid through that local day) or an ISO time.
std::optional<store::timestamp> expiry_of(std::string_view text, std::chrono::minutes utc_offset,
                                          store::timestamp now) {
    text = trim(text);
    if (text.size() >= 2 && (text.back() == 'd' || text.back() == 'w')) {
        int n = 0;
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, n);
        if (ec == std::errc{} && p == text.data() + text.size() - 1 && n > 0 && n <= 3660)
            return now + std::chrono::days(text.back() == 'w' ? 7 * n : n);
        return std::nullopt;
    }
    if (text.find_first_of("dhmw") != std::string_view::npos && text.find('-') == std::string_view::npos)
        return std::nullopt; // "24h", "90m": too short to mean an expiry; refused, not taken as "ago"
    return parse_time_bound(text, time_bound::until, utc_offset, now);
}

store::audit_entry cli_audit(store::timestamp at, std::string action, std::string object, boost::json::object detail) {
    store::audit_entry e;
    e.at = at;
    e.actor = "command line";
    e.action = std::move(action);
    e.object = std::move(object);
    e.detail = boost::json::serialize(detail);
    return e;
}

int cmd_token_create(const invocation& inv) {
    constexpr std::string_view name = "token create";
    std::string config_path, role_text, team, label, expires_text;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "role", po::value(&role_text)->required(),
        "admin (everything), coordinator (everything but tokens), team (its own areas, read-only) or viewer "
        "(figures only, small cells suppressed)")(
        "team", po::value(&team), "for --role team: the team's name, as the registry has it")(
        "label", po::value(&label)->required(),
        "a name for the token, unique among live tokens: who holds it, e.g. bayankhongor-officer")(
        "expires", po::value(&expires_text),
        "when it stops working: a date (valid through that day, local time), an ISO time, or 90d / 12w from "
        "now; default a year");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv,
                       "token create --config FILE --role admin|coordinator|team|viewer [--team NAME] --label L "
                       "[--expires 2027-12-01|90d]\n\n"
                       "Makes an API token and prints it once: keep it, it cannot be shown again (the store\n"
                       "keeps only its SHA-256). Send it as \"Authorization: Bearer <token>\", or sign in to the\n"
                       "dashboard with it.",
                       opts, {}, vm, code))
        return code;
    const auto role = api::role_from(lower(trim(role_text)));
    if (!role)
        return user_error(inv, name, "--role '" + role_text + "' is not admin, coordinator, team or viewer");
    const std::string label_typed(trim(label));
    if (label_typed.empty() || label_typed.size() > 100)
        return user_error(inv, name, "--label must be 1 to 100 characters");
    const std::string team_typed(trim(team));
    if (*role == api::role::team && team_typed.empty())
        return user_error(inv, name, "--role team needs --team NAME (one of the registry's teams)");
    if (*role != api::role::team && !team_typed.empty())
        return user_error(inv, name, "--team is for --role team only");

    auto opened = open_configured_store(inv, name, config_path, false, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;
    const auto at = now();
    store::timestamp expires = at + std::chrono::days(365);
    if (!expires_text.empty()) {
        auto e = expiry_of(expires_text, cfg.alerts.utc_offset, at);
        if (!e)
            return user_error(inv, name,
                              "--expires '" + expires_text + "' is not a date (2027-12-01), a time or 90d / 12w");
        if (*e <= at)
            return user_error(inv, name, "--expires " + expires_text + " is in the past");
        expires = *e;
    }
    if (*role == api::role::team) {
        std::vector<std::string> names;
        bool found = false;
        for (const auto& t : store::list_teams(db)) {
            names.push_back(t.definition.name);
            found = found || t.definition.name == team_typed;
        }
        if (!found)
            return user_error(inv, name,
                              "no team '" + team_typed + "' in the registry (it has " +
                                  (names.empty() ? std::string("none") : joined(names, ", ")) + ")");
    }
    const std::string token = api::new_token_text();
    store::new_token t;
    t.label = label_typed;
    t.role = std::string(api::to_string(*role));
    if (*role == api::role::team)
        t.team = team_typed;
    t.hash = api::hash_of(token);
    t.created_at = at;
    t.expires_at = expires;
    std::int64_t id = 0;
    {
        SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
        auto made = store::create_token(db, t);
        if (!made)
            return user_error(inv, name, "a live token is labelled '" + label_typed +
                                             "' already: choose another label, or revoke that one first");
        id = *made;
        boost::json::object detail{{"label", t.label}, {"role", t.role}, {"expires", format_utc_iso(expires)}};
        if (t.team)
            detail["team"] = *t.team;
        store::append_audit(db, cli_audit(at, "token_create", "token " + std::to_string(id), std::move(detail)));
        tx.commit();
    }
    inv.out << "token " << id << " '" << label_typed << "': role " << t.role << (t.team ? ", team " + *t.team : "")
            << ", expires " << format_local_minute(expires, cfg.alerts.utc_offset) << "\n"
            << token << "\n"
            << "This is the only time the token is shown: keep it somewhere safe. Revoke it with\n"
            << "kharuul token revoke --config " << config_path << " " << id << "\n";
    return exit_ok;
}

int cmd_token_list(const invocation& inv) {
    constexpr std::string_view name = "token list";
    std::string config_path;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv,
                       "token list --config FILE\n\n"
                       "Every token (revoked and expired ones too): id, label, role, team, created, expires,\n"
                       "last used, revoked (local times). The tokens themselves are never shown.",
                       opts, {}, vm, code))
        return code;
    auto opened = open_configured_store(inv, name, config_path, true, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;
    const auto tokens = store::list_tokens(db);
    if (tokens.empty()) {
        inv.err << "kharuul token list: no tokens (make one with kharuul token create)\n";
        return exit_ok;
    }
    const auto off = cfg.alerts.utc_offset;
    const auto at = now();
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"id", "label", "role", "team", "created", "expires", "last used", "revoked"});
    for (const auto& t : tokens)
        rows.push_back({std::to_string(t.id), printable(t.label), t.role, printable(t.team.value_or("-")),
                        format_local_minute(t.created_at, off),
                        format_local_minute(t.expires_at, off) + (!t.revoked_at && at >= t.expires_at ? " (expired)" : ""),
                        local_or_dash(t.last_used_at, off), local_or_dash(t.revoked_at, off)});
    const auto widths = column_widths(rows);
    for (const auto& row : rows)
        print_row(inv.out, row, widths, 0, true);
    return exit_ok;
}

int cmd_token_revoke(const invocation& inv) {
    constexpr std::string_view name = "token revoke";
    std::string config_path, which;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "token", po::value(&which)->required(), "the token's label or its id (as token list shows them)");
    po::positional_options_description pos;
    pos.add("token", 1);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv,
                       "token revoke --config FILE (LABEL | ID)\n\n"
                       "Revokes a token: it stops working at once, and so do the dashboard sessions opened\n"
                       "with it. Its row stays (the audit log names it).",
                       opts, pos, vm, code))
        return code;
    auto opened = open_configured_store(inv, name, config_path, false, code);
    if (!opened)
        return code;
    auto& [cfg, db] = *opened;
    const auto at = now();
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    auto r = store::revoke_token(db, trim(which), at);
    if (!r)
        return user_error(inv, name, "no live token with the label or id '" + which + "' (see kharuul token list)");
    store::append_audit(db, cli_audit(at, "token_revoke", "token " + std::to_string(r->id),
                                      {{"label", r->label}, {"role", r->role}}));
    tx.commit();
    inv.out << "token " << r->id << " '" << r->label << "' revoked\n";
    return exit_ok;
}

} // namespace

std::vector<command> token_commands() {
    return {
        {"token create", "make an API token (printed once) with a role: admin, coordinator, team or viewer",
         cmd_token_create},
        {"token list", "the API tokens (never the tokens themselves)", cmd_token_list},
        {"token revoke", "revoke an API token by its label or id: it stops working at once", cmd_token_revoke},
    };
}

} // namespace kharuul::gateway
