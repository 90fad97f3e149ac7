// `kharuul report` (spec cases.md 4): the period's figures, as the store stood at --until, as text
// for a person (the headline table by sex, then each indicator), CSV, or the stable JSON; and
// `--explain ID`, the cases (or messages, or alerts) behind one row with their histories. The
// figures are cases::compute_report's over what store::load_report_input reads; this file only
// reads the options and prints. Runs on the caller's thread, read-only on the store.
#include "gateway/report_command.hpp"

#include "alerts/routing.hpp"

#include "gateway/cli_audit.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/export_rows.hpp"
#include "gateway/metrics.hpp"
#include "gateway/time_text.hpp"
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/records.hpp"
#include "store/report_data.hpp"

#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <ostream>
#include <set>

namespace kharuul::gateway {

namespace po = boost::program_options;
namespace json = boost::json;

namespace {

// Every dimension a row may have, in the CSV's column order.
constexpr std::array<std::string_view, 16> dimension_order{
    "sex",    "age_band", "site", "area", "work", "reason",   "target", "category",
    "status", "service",  "for",  "team", "form", "reporter", "urgent", "step"};

std::string dimension_text(const cases::dimension& d) {
    if (d.flag)
        return *d.flag ? "true" : "false";
    return d.text.value_or("");
}

std::string value_text(const cases::report_row& r) {
    if (!is_minutes(r.indicator))
        return std::to_string(static_cast<std::int64_t>(r.value));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", r.value);
    return buf;
}

std::vector<std::string> trace_texts(const cases::report_row& r) {
    std::vector<std::string> out;
    switch (trace_of(r.indicator)) {
    case trace_kind::cases:
        out = r.cases;
        break;
    case trace_kind::messages:
        for (auto id : r.messages)
            out.push_back(std::to_string(id));
        break;
    case trace_kind::alerts:
        for (auto id : r.alerts)
            out.push_back(std::to_string(id));
        break;
    case trace_kind::none:
        break;
    }
    return out;
}

// Every cell by csv_cell (export_rows.hpp), the one rule for the project's CSV: the dimensions
// carry names from the registry, and the fixed columns go through it too so that no column is
// left to chance.
void print_csv(std::ostream& out, const std::vector<cases::report_row>& rows) {
    out << csv_bom << "id,indicator";
    for (auto d : dimension_order)
        out << ',' << d;
    out << ",value,trace\r\n";
    for (const auto& r : rows) {
        out << csv_cell(r.id) << ',' << csv_cell(r.indicator);
        for (auto name : dimension_order) {
            const auto d =
                std::find_if(r.dims.begin(), r.dims.end(), [&](const auto& x) { return x.name == name; });
            out << ',' << (d == r.dims.end() ? std::string{} : csv_field(json::value(dimension_text(*d))));
        }
        out << ',' << csv_cell(value_text(r)) << ',' << csv_field(json::value(joined(trace_texts(r))))
            << "\r\n";
    }
}

// The headline: identified, at risk, targeted, verified outcomes and re-engaged, by sex (the
// rows' case traces mapped to each case's sex).
void print_headline(std::ostream& out, const std::vector<cases::report_row>& rows,
                    const std::map<std::string, char>& sex_of) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> lines{{
        {"identified", "children identified (ID)"},
        {"at_risk_registered", "children at risk registered (RISK)"},
        {"targeted", "targeted (a plan, cumulative)"},
        {"verified_withdrawn", "verified withdrawn"},
        {"verified_prevented", "verified prevented"},
        {"verified_reduced_hours", "verified reduced hours"},
        {"re_engaged", "re-engaged (found working again)"},
    }};
    std::vector<std::vector<std::string>> table{{"", "boys", "girls", "unknown", "total"}};
    for (const auto& [indicator, label] : lines) {
        std::set<std::string> seen;
        std::array<int, 3> by{};
        for (const auto& r : rows)
            if (r.indicator == indicator)
                for (const auto& c : r.cases)
                    if (seen.insert(c).second) {
                        const auto it = sex_of.find(c);
                        const char s = it == sex_of.end() ? 'U' : it->second;
                        ++by[s == 'B' ? 0 : s == 'G' ? 1 : 2];
                    }
        table.push_back({std::string(label), std::to_string(by[0]), std::to_string(by[1]),
                         std::to_string(by[2]), std::to_string(by[0] + by[1] + by[2])});
    }
    const auto widths = column_widths(table);
    for (const auto& row : table) {
        std::vector<std::string> cells = row;
        print_row(out, cells, widths, 2, false);
    }
}

void print_text(std::ostream& out, const report_request& q, const std::vector<cases::report_row>& rows,
                const std::map<std::string, char>& sex_of) {
    out << "kharuul report " << format_local_minute(q.from, q.utc_offset) << " to "
        << format_local_minute(q.until, q.utc_offset) << " (until excluded)"
        << (q.area ? ", area " + *q.area : "")
        << (q.with_corrections ? ", with the corrections made after it" : ", as the store stood at its end")
        << "\nA child counts as withdrawn or prevented only after a team verified the outcome (OUT).\n\n";
    print_headline(out, rows, sex_of);
    // Every indicator of cases.md 4 in its order, those without a row too ("none"), so that a
    // coordinator sees a zero rather than a missing table.
    static constexpr std::array<std::string_view, 27> indicators{
        "identified",          "at_risk_registered",  "confirmed",
        "dismissed",           "merged",              "targeted",
        "verified_withdrawn",  "verified_prevented",  "verified_reduced_hours",
        "re_engaged",          "school_status",       "work_status",
        "referred",            "service_delivered",   "lost_to_follow_up",
        "overdue_tracking",    "site_visits",         "site_not_visited",
        "reporter_reports",    "reporter_children",   "reporter_children_confirmed",
        "reporter_tracking",   "alerts_raised",       "alerts_acknowledged",
        "ack_minutes_median",  "ack_minutes_p90",     "ussd_abandoned"};
    for (const std::string_view indicator : indicators) {
        out << '\n' << indicator << '\n';
        std::vector<std::vector<std::string>> table;
        for (const auto& r : rows) {
            if (r.indicator != indicator)
                continue;
            if (table.empty()) {
                std::vector<std::string> header{"id"};
                for (const auto& d : r.dims)
                    header.push_back(d.name);
                header.push_back("value");
                table.push_back(std::move(header));
            }
            std::vector<std::string> cells{r.id};
            for (const auto& d : r.dims)
                cells.push_back(d.text || d.flag ? dimension_text(d) : "-");
            cells.push_back(value_text(r));
            table.push_back(std::move(cells));
        }
        if (table.empty()) {
            out << "  none\n";
            continue;
        }
        const auto widths = column_widths(table);
        for (const auto& row : table)
            print_row(out, row, widths, 2, false);
    }
    out << "\n`kharuul report ... --explain ID` lists what is behind a row.\n";
}

// One case of a row's trace: what was reported, its state today, and its whole history, the rows
// after the report's period marked (the figures count the case as those before made it).
void print_case_history(std::ostream& out, store::connection& db, const store::case_record& record,
                        const report_request& q) {
    const auto utc_offset = q.utc_offset;
    const bool full = q.full;
    const store::case_record* c = &record;
    out << "  case " << c->code << "  " << c->site << ' ' << store::sex_letter(c->sex) << ' ' << c->age_min
        << (c->age_max != c->age_min ? "-" + std::to_string(c->age_max) : std::string{}) << ' '
        << (c->opened_form == cases::opening::id ? c->work : "RISK " + c->risk_reason) << "  today "
        << cases::to_string(c->life.state) << '\n';
    std::vector<std::vector<std::string>> lines;
    for (const auto& h : store::case_history_of(db, c->code)) {
        lines.push_back({format_local_minute(h.at, utc_offset), h.action,
                         h.detail.empty() ? "-" : printable(h.detail),
                         h.actor.starts_with("cli:") ? h.actor : shown_phone(h.actor, full)});
        if (h.at >= q.until)
            lines.back().push_back("(after the period)");
    }
    const auto widths = column_widths(lines);
    for (const auto& l : lines)
        print_row(out, l, widths, 4, false);
}

int explain(const invocation& inv, store::connection& db, const report_request& q,
            const std::vector<cases::report_row>& rows, const config::gateway_config& cfg) {
    const cases::report_row* row = find_row(rows, q.explain);
    if (row == nullptr)
        return user_error(inv, "report",
                          "no row '" + q.explain + "' in this report (rows r1 to r" +
                              std::to_string(rows.size()) + "; the same options give the same ids)");
    inv.out << row->id << ' ' << row->indicator;
    for (const auto& d : row->dims)
        inv.out << ' ' << d.name << '=' << (d.text || d.flag ? dimension_text(d) : "null");
    inv.out << ": " << value_text(*row) << '\n';
    const explained_row x = explain_row(db, *row, q.sensitive);
    switch (x.kind) {
    case trace_kind::cases: {
        std::vector<std::string> read;
        for (const auto& c : x.cases) {
            print_case_history(inv.out, db, c, q);
            if (c.sensitive)
                read.push_back("case " + c.code);
        }
        for (const auto& code : x.missing_cases)
            inv.out << "  case " << code << ": not in the store\n";
        if (x.hidden > 0)
            inv.out << "  (" << x.hidden << " sensitive " << (x.hidden == 1 ? "case" : "cases")
                    << " counted but not listed; --sensitive lists them)\n";
        // Reading a sensitive case is recorded (domain.md 6.2), as the API records it.
        if (!read.empty())
            return audit_cli_reads(inv, "report", cfg, read);
        break;
    }
    case trace_kind::messages:
        for (const auto& m : x.messages)
            inv.out << "  message " << m.id << "  " << format_local_minute(m.received_at, q.utc_offset) << "  "
                    << shown_phone(m.sender, q.full) << "  \"" << printable(m.text) << "\"\n";
        break;
    case trace_kind::alerts:
        for (const auto& a : x.alerts)
            inv.out << "  alert #" << a.id << "  " << format_local_minute(a.created_at, q.utc_offset) << "  "
                    << a.site << (a.urgent ? " urgent" : "") << "  "
                    << (a.acked_at ? "ACK " + format_local_minute(*a.acked_at, q.utc_offset) : "no ACK") << '\n';
        break;
    case trace_kind::none:
        inv.out << "  (a site with no report: nothing behind it)\n";
        break;
    }
    return exit_ok;
}

int cmd_report(const invocation& inv) {
    std::string config_path, from_text, until_text, area, format = "text", explain_id;
    bool sensitive = false, full = false, corrections = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(),
                       config_help)("from", po::value(&from_text)->required(),
                                    "first day (or time) of the period, local time: 2026-07-01")(
        "until", po::value(&until_text)->required(), "end of the period, excluded: 2026-10-01")(
        "area", po::value(&area), "only cases, sites and teams of this area or inside it")(
        "format", po::value(&format), "text (default), csv or json")(
        "explain", po::value(&explain_id),
        "list the cases (messages, alerts) behind row ID, with their histories")(
        "sensitive", po::bool_switch(&sensitive), "with --explain: list sensitive cases too")(
        "full", po::bool_switch(&full), "with --explain: whole phone numbers")(
        "with-corrections", po::bool_switch(&corrections),
        "also leave out what a coordinator undid after the period (the figures as they should have been)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv, "report --config FILE --from T --until T [--area A] [--format text|csv|json] [--explain ID]",
            opts, {}, vm, code))
        return code;
    if (format != "text" && format != "csv" && format != "json")
        return user_error(inv, "report", "--format must be text, csv or json, not '" + format + "'");
    auto cs = open_configured_store(inv, "report", config_path, true, code);
    if (!cs)
        return code;
    const auto offset = cs->cfg.alerts.utc_offset;
    // Both bounds are instants: a date is its local midnight, and --until is excluded.
    const auto from = parse_time_bound(from_text, time_bound::since, offset, now());
    const auto until = parse_time_bound(until_text, time_bound::since, offset, now());
    if (!from)
        return user_error(inv, "report",
                          "--from '" + from_text + "' is not a date or time: write 2026-07-01");
    if (!until)
        return user_error(inv, "report",
                          "--until '" + until_text + "' is not a date or time: write 2026-10-01");
    if (*until <= *from)
        return user_error(inv, "report", "--until must be after --from (until is excluded)");

    report_request q;
    q.from = *from;
    q.until = *until;
    q.utc_offset = offset;
    if (!area.empty())
        q.area = area;
    q.explain = explain_id;
    q.sensitive = sensitive;
    q.full = full;
    q.with_corrections = corrections;
    cases::report_input in = report_input_of(cs->db, cs->cfg, q);
    if (q.area && !area_known(in, *q.area))
        return user_error(inv, "report",
                          "no site lies in area '" + *q.area +
                              "' (an area is written as in the sites' area, e.g. Bayankhongor/Bayan-Ovoo)");
    std::map<std::string, char> sex_of;
    for (const auto& c : in.cases)
        sex_of[c.code] = c.sex;
    const std::vector<cases::report_row> rows = cases::compute_report(in);
    in = cases::report_input{}; // the rows are all that is printed: free the loaded store first
    if (!q.explain.empty())
        return explain(inv, cs->db, q, rows, cs->cfg);
    if (format == "json")
        write_report_json(inv.out, q, rows);
    else if (format == "csv")
        print_csv(inv.out, rows);
    else
        print_text(inv.out, q, rows, sex_of);
    return exit_ok;
}

} // namespace

command report_command() {
    return {"report", "the period's figures (as the store stood at --until), each traceable with --explain",
            cmd_report};
}

} // namespace kharuul::gateway
