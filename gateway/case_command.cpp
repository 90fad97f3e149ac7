// `kharuul case CODE` (one case: what was reported, its state, target, statuses, service record
// and whole history; `--undo --why` for a coordinator's correction of its last change) and
// `kharuul cases` (the cases to follow up, with filters, oldest news first). Phones are masked
// unless --full. Runs on the caller's thread; `case --undo` is the only write, in one transaction.
#include "gateway/cli.hpp"

#include "alerts/routing.hpp"

#include "cases/report.hpp"
#include "gateway/case_listing.hpp"
#include "gateway/cli_audit.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/metrics.hpp"
#include "gateway/time_text.hpp"
#include "parser/case_code.hpp"
#include "store/cases.hpp"
#include "store/registry.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <ostream>
#include <sstream>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

std::string sex_word(parser::sex s) {
    return s == parser::sex::boy ? "boy" : s == parser::sex::girl ? "girl" : "child of unknown sex";
}

std::string age_text(const store::case_record& c) {
    return "~" + std::to_string(c.age_min) + (c.age_max != c.age_min ? "-" + std::to_string(c.age_max) : "");
}

std::string actor_text(const std::string& actor, bool full) {
    return actor.starts_with("cli:") ? actor : shown_phone(actor, full);
}

void print_case(std::ostream& out, store::connection& db, const store::case_record& c,
                std::chrono::minutes offset, bool full) {
    const cases::child_case& l = c.life;
    const auto site = store::find_site(db, c.site);
    const std::string area = site ? site->area : std::string{};
    const std::string team = cases::team_of(report_teams(db), area, c.sensitive);
    out << "case " << c.code << (c.sensitive ? "  [sensitive: restricted routing]" : "") << '\n';
    out << "  reported  " << format_local_minute(c.opened_at, offset) << " by "
        << shown_phone(c.opened_by, full) << " (" << cases::to_string(c.opened_form)
        << (c.opened_message_id ? ", message " + std::to_string(*c.opened_message_id) : std::string{})
        << ")\n";
    out << "  child     " << sex_word(c.sex) << ' ' << age_text(c) << ", "
        << (c.opened_form == cases::opening::id ? "work " + c.work : "at risk: " + c.risk_reason)
        << (c.hazards.empty() ? std::string{} : ", hazards " + joined(c.hazards)) << '\n';
    out << "  site      " << c.site << (site && !site->name.empty() ? " " + site->name : std::string{})
        << (area.empty() ? std::string{} : " (" + area + ")") << '\n';
    out << "  team      " << (team.empty() ? "none covers this site" : team) << '\n';
    out << "  state     " << cases::to_string(l.state);
    if (l.state == cases::case_state::dismissed)
        out << " (" << l.dismiss_reason << ')';
    if (l.state == cases::case_state::closed)
        out << " (" << l.close_reason << ')';
    if (l.state == cases::case_state::merged)
        out << " into " << l.merged_into << " (forms naming " << c.code << " go to " << l.merged_into << ')';
    if (l.state == cases::case_state::lost)
        out << " (lost to follow-up; was " << cases::to_string(l.state_before_lost) << ')';
    out << '\n';
    out << "  target    " << cases::to_string(l.goal) << (l.category.empty() ? "" : " (" + l.category + ")")
        << (l.ever_planned ? "" : ", no plan yet") << '\n';
    out << "  work      " << cases::to_string(l.work) << "   school " << cases::to_string(l.school) << '\n';
    out << "  outcome   "
        << (l.result == cases::outcome::none ? std::string("none verified")
                                             : std::string(cases::to_string(l.result)) + " verified " +
                                                   local_or_dash(l.outcome_at, offset))
        << '\n';
    out << "  tracking  "
        << (l.last_tracked_at ? "last TR " + format_local_minute(*l.last_tracked_at, offset) + " (" +
                                    c.last_status.value_or("") + ")"
                              : std::string("never tracked"))
        << '\n';

    const auto services = store::service_record_of(db, c.code);
    out << "service record" << (services.empty() ? ": none\n" : "\n");
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : services)
        rows.push_back({format_local_minute(s.at, offset), s.referral ? "referral" : "service", s.service,
                        s.family ? "family" : "child", actor_text(s.actor, full),
                        (s.message_id ? "message " + std::to_string(*s.message_id) : std::string("-")) +
                            (s.undone ? " (undone)" : "")});
    auto widths = column_widths(rows);
    for (const auto& r : rows)
        print_row(out, r, widths, 2, false);

    out << "history\n";
    rows.clear();
    for (const auto& h : store::case_history_of(db, c.code))
        rows.push_back({"#" + std::to_string(h.id), format_local_minute(h.at, offset), h.action,
                        h.detail.empty() ? "-" : printable(h.detail), actor_text(h.actor, full),
                        h.message_id ? "message " + std::to_string(*h.message_id) : std::string("-")});
    widths = column_widths(rows);
    for (const auto& r : rows)
        print_row(out, r, widths, 2, false);
}

bool check_code(const invocation& inv, std::string_view command, const std::string& code, int& exit) {
    if (parser::check_case_code(code) == parser::case_code_check::valid)
        return true;
    exit =
        user_error(inv, command, "'" + code + "' is not a valid case code (six or seven digits with a check digit)");
    return false;
}

int cmd_case(const invocation& inv) {
    std::string config_path, code_text, why;
    bool full = false, undo = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(),
                       config_help)("code", po::value(&code_text)->required(),
                                    "the case code")("full", po::bool_switch(&full), "whole phone numbers")(
        "undo", po::bool_switch(&undo), "reverse the case's last change (a coordinator's correction)")(
        "why", po::value(&why), "with --undo: why, kept in the history");
    po::positional_options_description pos;
    pos.add("code", 1);
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, "case --config FILE CODE [--full] [--undo --why TEXT]", opts, pos, vm, code))
        return code;
    if (!check_code(inv, "case", code_text, code))
        return code;
    if (undo && why.find_first_not_of(" \t") == std::string::npos)
        return user_error(inv, "case",
                          "--undo needs --why \"...\": the reason is kept in the case's history");
    if (!undo && !why.empty())
        return user_error(inv, "case", "--why goes with --undo");
    auto cs = open_configured_store(inv, "case", config_path, !undo, code);
    if (!cs)
        return code;
    auto c = store::find_case(cs->db, code_text);
    if (!c)
        return user_error(inv, "case", "no case " + code_text + " in the store");
    if (undo) {
        const char* user = std::getenv("USER");
        const store::case_action a{code_text, std::string("cli:") + (user != nullptr ? user : "coordinator"),
                                   std::nullopt, std::nullopt, now()};
        SQLite::Transaction tx(cs->db, SQLite::TransactionBehavior::IMMEDIATE);
        auto undone = store::undo_last_change(cs->db, a, why);
        if (!undone) {
            if (undone.error() == store::errc::nothing_to_undo)
                return user_error(inv, "case",
                                  "case " + code_text + " has no change after its opening to undo");
            throw std::system_error(undone.error());
        }
        tx.commit();
        c = store::find_case(cs->db, code_text);
        inv.out << "undid #" << undone->id << ' ' << undone->action << ' ' << undone->detail << " of case "
                << code_text << "; it is now " << cases::to_string(c->life.state) << "\n\n";
    }
    print_case(inv.out, cs->db, *c, cs->cfg.alerts.utc_offset, full);
    if (c->sensitive) // every read of a sensitive case is recorded (domain.md 6.2)
        return audit_cli_reads(inv, "case", cs->cfg, {"case " + c->code});
    return exit_ok;
}

int cmd_cases(const invocation& inv) {
    std::string config_path, site, area, team, states, target;
    bool overdue = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "site", po::value(&site), "cases at this site")("area", po::value(&area),
                                                        "cases in this area or inside it")(
        "team", po::value(&team), "cases whose team (the team covering the site) is this one")(
        "state", po::value(&states), "states, comma-separated (default: every open state)")(
        "target", po::value(&target), "W (withdrawal) or P (prevention)")(
        "overdue", po::bool_switch(&overdue),
        "open cases with no tracking news for [alerts] reminder_days, as of now");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "cases --config FILE [--site S] [--area A] [--team T] [--state S] [--target W|P] [--overdue]",
            opts, {}, vm, code))
        return code;
    auto cs = open_configured_store(inv, "cases", config_path, true, code);
    if (!cs)
        return code;
    store::case_filter f;
    const auto sites = store::list_sites(cs->db);
    if (!site.empty()) {
        if (std::none_of(sites.begin(), sites.end(), [&](const store::site& s) { return s.code == site; }))
            return user_error(inv, "cases",
                              "no site '" + site +
                                  "' in the registry (site codes are as volunteers type them, e.g. ALT)");
        f.site = site;
    }
    if (!area.empty()) {
        const bool known = std::any_of(sites.begin(), sites.end(), [&](const store::site& s) {
            return alerts::area_covers(area, s.area);
        });
        if (!known)
            return user_error(inv, "cases",
                              "no site lies in area '" + area +
                                  "' (write it as the sites' area, e.g. Ulaanbaatar/Nalaikh)");
        f.area = area;
    }
    std::stringstream list(states);
    for (std::string s; std::getline(list, s, ',');) {
        const auto st = cases::case_state_from(s);
        if (!st)
            return user_error(
                inv, "cases",
                "--state '" + s +
                    "' is not a state: reported, confirmed, dismissed, merged, planned, outcome, "
                    "re_engaged, lost, closed");
        f.states.push_back(*st);
    }
    if (!target.empty()) {
        const auto t = cases::target_from(target);
        if (!t || *t == cases::target::none)
            return user_error(inv, "cases", "--target must be W or P, not '" + target + "'");
        f.goal = t;
    }
    const auto offset = cs->cfg.alerts.utc_offset;
    const store::timestamp at = now();
    if (overdue)
        f.news_before =
            at - std::chrono::duration_cast<std::chrono::milliseconds>(cs->cfg.alerts.reminder_after);
    const auto teams = report_teams(cs->db);
    if (!team.empty() &&
        std::none_of(teams.begin(), teams.end(), [&](const auto& t) { return t.name == team; }))
        return user_error(inv, "cases",
                          "no team named '" + team + "' (kharuul check-config lists the teams)");
    std::vector<std::vector<std::string>> rows{
        {"case", "site", "child", "state", "target", "work", "school", "last news", "days", "team"}};
    std::size_t shown = 0;
    for (const auto& [c, c_area, owner] :
         list_cases_with_team(cs->db, f, team.empty() ? std::nullopt : std::optional<std::string>(team))) {
        const auto days = std::chrono::duration_cast<std::chrono::hours>(at - c.last_tracked_at).count() / 24;
        rows.push_back(
            {c.code, c.site, std::string(1, store::sex_letter(c.sex)) + " " + age_text(c),
             std::string(cases::to_string(c.life.state)),
             c.life.goal == cases::target::prevention ? "P" : "W", std::string(cases::to_string(c.life.work)),
             std::string(cases::to_string(c.life.school)), format_local_minute(c.last_tracked_at, offset),
             std::to_string(days), owner.empty() ? "-" : owner});
        ++shown;
    }
    const auto widths = column_widths(rows);
    for (const auto& r : rows)
        print_row(inv.out, r, widths, 0, false);
    inv.err << shown << (shown == 1 ? " case" : " cases") << (overdue ? " overdue" : "")
            << "; `kharuul case CODE` shows one with its history\n";
    return exit_ok;
}

} // namespace

command case_command() {
    return {"case", "one case: what was reported, state, target, statuses, service record, history (--undo)",
            cmd_case};
}

command cases_command() {
    return {"cases", "the cases to follow up, oldest news first, by site, area, team, state, target, overdue",
            cmd_cases};
}

} // namespace kharuul::gateway
