// `kharuul log` (spec/interfaces.md): the message log for coordinators in the terminal, newest
// first, masked unless --full, with filters by phone, site, form, status and time; and its views
// of the alerts with their history (--alerts, --alert N) and of the outbox (--outbox). Opens the
// store read-only, so it works while the daemon runs. Runs on the caller's thread.
#include "gateway/cli.hpp"
#include "adapters/phone.hpp"
#include "config/gateway_config.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/metrics.hpp"
#include "gateway/time_text.hpp"
#include "parser/lexicon.hpp"
#include "parser/phone.hpp"
#include "parser/reply.hpp"
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"
#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
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

namespace {

// What a log line is trimmed to without --wide: the terminal's width (TIOCGWINSZ, when the log
// goes to a terminal's stdout), else the COLUMNS variable (a pipe, `watch`), else 100.
std::size_t terminal_columns(bool to_stdout) {
    if (to_stdout && ::isatty(STDOUT_FILENO) != 0) {
        winsize ws{};
        if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
            return ws.ws_col;
    }
    if (const char* c = std::getenv("COLUMNS")) {
        std::size_t n = 0;
        const std::string_view v(c);
        if (auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            ec == std::errc{} && end == v.data() + v.size() && n >= 20 && n <= 10000)
            return n;
    }
    return 100;
}

// The width of this run of `kharuul log` (set once by cmd_log; one command a process, or one at a
// time in tests).
std::size_t columns_now = 100;
std::size_t log_columns() {
    return columns_now;
}

// The first column of every row of `s`: the ids a log view then reads one by one.
std::vector<std::int64_t> ids_of(SQLite::Statement& s) {
    std::vector<std::int64_t> ids;
    while (s.executeStep())
        ids.push_back(s.getColumn(0).getInt64());
    return ids;
}



// A phone as a coordinator types it: spaces, dashes, a 00 prefix or a lost '+' are fine
// (adapters::normalise_phone, as for providers' numbers). A number without its country code
// ("99000001") is matched by its last digits against the numbers in the store; several matches
// are the user's to resolve (an error names them).
struct phone_lookup {
    std::string phone;
    std::vector<std::string> ambiguous; // set when the typed number ends more than one stored number
};

phone_lookup resolve_phone(store::connection& db, std::string_view typed) {
    phone_lookup r{adapters::normalise_phone(typed), {}};
    if (r.phone.starts_with('+') || r.phone.find_first_not_of("0123456789") != std::string::npos)
        return r;
    std::string_view digits = r.phone;
    while (digits.starts_with('0'))
        digits.remove_prefix(1);
    if (digits.size() < 6) // a short code ("500"): matched as it is
        return r;
    SQLite::Statement s(db, "SELECT sender FROM messages WHERE sender LIKE '+%' || ?1"
                            " UNION SELECT phone FROM reporters WHERE phone LIKE '+%' || ?1"
                            " UNION SELECT phone FROM team_members WHERE phone LIKE '+%' || ?1"
                            " UNION SELECT phone FROM coordinators WHERE phone LIKE '+%' || ?1 ORDER BY 1");
    s.bind(1, std::string(digits));
    std::vector<std::string> found;
    while (s.executeStep())
        found.push_back(s.getColumn(0).getString());
    if (found.size() == 1)
        r.phone = found.front();
    else if (found.size() > 1)
        r.ambiguous = std::move(found);
    return r;
}

// ---- log ---------------------------------------------------------------------------------------



struct log_row {
    std::string id, received, channel, sender, status, form, error, text, reply;
};

// ---- log --alerts, --outbox, --alert N ---------------------------------------------------------

// What `kharuul log` shows: the message log (the default), the alerts, the outbox, or one alert.
enum class log_view { messages, alerts, outbox, alert };

// The filters of the alert and outbox views, read and checked.
struct log_request {
    std::size_t limit = 100;
    bool full = false; // whole phone numbers
    bool wide = false; // whole texts
    store::time_range range;          // created_at
    std::optional<std::string> site;  // alerts at this site
    std::optional<std::string> phone; // alerts: reporter, recipient or who acknowledged; outbox: recipient
    std::optional<std::string> state; // an alert's or an outbox row's state, as stored
};

void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& v) {
    if (v)
        s.bind(index, *v);
    else
        s.bind(index);
}

void bind_optional(SQLite::Statement& s, int index, const std::optional<store::timestamp>& v) {
    if (v)
        s.bind(index, store::to_unix_ms(*v));
    else
        s.bind(index);
}


// What a provider said about a message (an HTTP body, a delivery report) may quote the recipient's
// number: masked there too unless --full.
std::string shown_detail(std::string_view detail, std::optional<std::string_view> phone, bool full) {
    std::string out = printable(detail);
    if (full || !phone || phone->size() < 6)
        return out;
    const std::string masked = mask_phone(*phone);
    for (const std::string_view p :
         {*phone, phone->starts_with('+') ? phone->substr(1) : std::string_view{}}) {
        if (p.size() < 6)
            continue;
        for (std::size_t at = out.find(p); at != std::string::npos; at = out.find(p, at + masked.size()))
            out.replace(at, p.size(), masked);
    }
    return out;
}


// "urgent,sensitive", "urgent", "sensitive" or "-".
std::string alert_flags(const store::alert_record& a) {
    std::string f = a.urgent ? "urgent" : "";
    if (a.sensitive)
        f += f.empty() ? "sensitive" : ",sensitive";
    return f.empty() ? "-" : f;
}



// The columns before the last: what is left of a log line for the last one.
std::size_t room_after(const std::vector<std::size_t>& widths, std::size_t indent) {
    std::size_t used = indent;
    for (std::size_t i = 0; i + 1 < widths.size(); ++i)
        used += widths[i] + 1;
    const std::size_t columns = log_columns();
    return std::max<std::size_t>(used < columns ? columns - used : 0, 30);
}


// Lines under a row of a table (an alert's history, a message's attempts), each cell padded to
// `widths` after `indent` spaces, the last cut to `room` columns unless `full`.
void print_lines(std::ostream& o, const std::vector<std::vector<std::string>>& lines,
                 const std::vector<std::size_t>& widths, std::size_t indent, std::size_t room, bool wide) {
    for (auto line : lines) {
        if (!wide)
            line.back() = cut(line.back(), room);
        print_row(o, line, widths, indent, false);
    }
}

// A message text in quotes, cut to `room` columns unless `full`.
std::string quoted(const std::string& text, std::size_t room, bool wide) {
    return '"' + (wide ? text : cut(text, room)) + '"';
}

// A history line's detail, with the outbox row it concerns.
std::string history_detail(const store::alert_history_entry& h, bool full) {
    std::string d = shown_detail(h.detail, h.phone, full);
    if (h.outbox_id)
        d += (d.empty() ? "" : " ") + std::string("(outbox ") + std::to_string(*h.outbox_id) + ")";
    return d.empty() ? "-" : d;
}

std::vector<std::string> history_cells(const store::alert_history_entry& h, std::chrono::minutes utc_offset,
                                       bool full) {
    return {format_local_minute(h.at, utc_offset), printable(h.what),
            h.phone ? shown_phone(*h.phone, full) : "-", history_detail(h, full)};
}

std::string acknowledgement_of(const store::alert_record& a, std::chrono::minutes utc_offset, bool full) {
    if (!a.acked_by)
        return "-";
    return shown_phone(*a.acked_by, full) + " at " + local_or_dash(a.acked_at, utc_offset);
}

// `kharuul log --alerts`: the alerts, newest first, each with its history indented below it.
int log_alerts(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q) {
    const auto offset = cfg.alerts.utc_offset;
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED); // one consistent view
    std::vector<std::int64_t> ids;
    {
        SQLite::Statement s(
            db, "SELECT id FROM alerts WHERE (?1 IS NULL OR created_at >= ?1)"
                " AND (?2 IS NULL OR created_at < ?2) AND (?3 IS NULL OR site = ?3)"
                " AND (?4 IS NULL OR state = ?4) AND (?5 IS NULL OR reporter = ?5 OR acked_by = ?5"
                " OR id IN (SELECT alert_id FROM alert_recipients WHERE phone = ?5))"
                " ORDER BY created_at DESC, id DESC LIMIT ?6");
        bind_optional(s, 1, q.range.since);
        bind_optional(s, 2, q.range.until);
        bind_optional(s, 3, q.site);
        bind_optional(s, 4, q.state);
        bind_optional(s, 5, q.phone);
        s.bind(6, static_cast<std::int64_t>(q.limit));
        ids = ids_of(s);
    }
    if (ids.empty()) {
        inv.err << "kharuul log: no alerts match\n";
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows{
        {"alert", "created", "site", "state", "flags", "level", "children", "acknowledged"}};
    std::vector<std::vector<std::vector<std::string>>> histories;
    std::vector<std::vector<std::string>> all_history;
    for (const std::int64_t id : ids) {
        const auto a = store::find_alert(db, id);
        if (!a)
            continue;
        rows.push_back({std::to_string(a->id), format_local_minute(a->created_at, offset), printable(a->site),
                        std::string(store::to_string(a->state)), alert_flags(*a),
                        std::to_string(a->escalation.level),
                        std::to_string(a->boys + a->girls + a->unknown + a->folded_children),
                        acknowledgement_of(*a, offset, q.full)});
        auto& lines = histories.emplace_back();
        for (const auto& h : store::alert_history(db, id))
            lines.push_back(history_cells(h, offset, q.full));
        all_history.insert(all_history.end(), lines.begin(), lines.end());
    }
    const auto widths = column_widths(rows);
    const std::size_t indent = widths[0] + 1; // history lines start under "created"
    const auto history_widths = column_widths(all_history);
    const std::size_t room = room_after(history_widths, indent);
    print_row(inv.out, rows[0], widths, 0, false);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        print_row(inv.out, rows[i], widths, 0, true);
        print_lines(inv.out, histories[i - 1], history_widths, indent, room, q.wide);
    }
    if (ids.size() == q.limit)
        inv.err << "kharuul log: the newest " << q.limit << " alerts shown; --limit N shows more\n";
    return exit_ok;
}

// What the log says about an outbox row after its state: the error it is retried for, what the
// provider said last, or when it is due.
std::string outbox_detail(const store::outbox_record& o, const std::vector<store::outbox_attempt>& attempts,
                          std::chrono::minutes utc_offset, bool full) {
    using st = store::outbox_state;
    if (o.last_error && (o.state == st::queued || o.state == st::sending || o.state == st::failed)) {
        std::string d = shown_detail(*o.last_error, o.recipient, full);
        if (o.state == st::queued)
            d += "; next try " + format_local_minute(o.next_attempt_at, utc_offset);
        return d;
    }
    for (auto it = attempts.rbegin(); it != attempts.rend(); ++it)
        if (!it->detail.empty())
            return shown_detail(it->detail, o.recipient, full);
    if (o.state == st::queued)
        return "due " + format_local_minute(o.next_attempt_at, utc_offset);
    if (o.provider_id)
        return "provider id " + printable(*o.provider_id);
    return "-";
}

// `kharuul log --outbox`: the outbound messages, newest first.
int log_outbox(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q) {
    const auto offset = cfg.alerts.utc_offset;
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
    std::vector<std::int64_t> ids;
    {
        SQLite::Statement s(db, "SELECT id FROM outbox WHERE (?1 IS NULL OR created_at >= ?1)"
                                " AND (?2 IS NULL OR created_at < ?2) AND (?3 IS NULL OR recipient = ?3)"
                                " AND (?4 IS NULL OR state = ?4) ORDER BY created_at DESC, id DESC LIMIT ?5");
        bind_optional(s, 1, q.range.since);
        bind_optional(s, 2, q.range.until);
        bind_optional(s, 3, q.phone);
        bind_optional(s, 4, q.state);
        s.bind(5, static_cast<std::int64_t>(q.limit));
        ids = ids_of(s);
    }
    if (ids.empty()) {
        inv.err << "kharuul log: no outbound messages match\n";
        return exit_ok;
    }
    std::vector<std::vector<std::string>> rows{
        {"id", "created", "kind", "recipient", "state", "tries", "alert", "detail", "text"}};
    for (const std::int64_t id : ids) {
        const auto o = store::find_outbox(db, id);
        if (!o)
            continue;
        std::string detail = outbox_detail(*o, store::outbox_attempts(db, id), offset, q.full);
        rows.push_back({std::to_string(o->id), format_local_minute(o->created_at, offset),
                        std::string(store::to_string(o->kind)), shown_phone(o->recipient, q.full),
                        std::string(store::to_string(o->state)), std::to_string(o->attempts),
                        o->alert_id ? "#" + std::to_string(*o->alert_id) : "-",
                        q.wide ? detail : cut(detail, 30), printable(o->text)});
    }
    const auto widths = column_widths(rows);
    const std::size_t room = room_after(widths, 0) - 2; // the quotes
    print_row(inv.out, rows[0], widths, 0, false);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        auto row = rows[i];
        row.back() = quoted(row.back(), room, q.wide);
        print_row(inv.out, row, widths, 0, true);
    }
    if (ids.size() == q.limit)
        inv.err << "kharuul log: the newest " << q.limit
                << " outbound messages shown; --limit N shows more\n";
    return exit_ok;
}

// "2 boys, 1 girl; ages 12-14; work MINE; hazards SHAFT; 3 more folded in"
std::string children_of(const store::alert_record& a) {
    std::string out;
    auto count = [&](int n, std::string_view one, std::string_view many) {
        if (n > 0)
            out += (out.empty() ? "" : ", ") + std::to_string(n) + ' ' + std::string(n == 1 ? one : many);
    };
    count(a.boys, "boy", "boys");
    count(a.girls, "girl", "girls");
    count(a.unknown, "child of unknown sex", "children of unknown sex");
    if (out.empty())
        out = "none counted";
    if (a.age_min || a.age_max) {
        const int lo = a.age_min.value_or(*a.age_max), hi = a.age_max.value_or(lo);
        out += lo == hi ? "; age " + std::to_string(lo)
                        : "; ages " + std::to_string(lo) + "-" + std::to_string(hi);
    }
    if (a.work)
        out += "; work " + printable(*a.work);
    if (!a.hazards.empty())
        out += "; hazards " + printable(joined(a.hazards));
    if (a.tracking_status)
        out += "; tracking status " + printable(*a.tracking_status);
    if (a.folded_children > 0)
        out += "; " + std::to_string(a.folded_children) + " more folded in";
    return out;
}

// `kharuul log --alert N`: one alert with everything: who was told and what became of each
// message, every history line, every attempt of each of its messages.
int log_one_alert(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
                  std::int64_t number, bool full, bool wide) {
    const auto offset = cfg.alerts.utc_offset;
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
    const auto a = store::find_alert(db, number);
    if (!a)
        return user_error(inv, "log", "no alert has the number " + std::to_string(number));
    std::ostream& o = inv.out;
    auto field = [&](std::string_view label, const std::string& value) {
        pad(o, label, 11);
        o << value << '\n';
    };
    std::string title = "alert #" + std::to_string(a->id) + ": " + std::string(store::to_string(a->kind)) +
                        " at " + printable(a->site);
    if (const auto site = store::find_site(db, a->site); site && !site->name.empty())
        title += " (" + printable(site->name) + ")";
    if (a->urgent)
        title += ", urgent";
    if (a->sensitive)
        title += ", sensitive";
    o << title << '\n';
    std::string state(store::to_string(a->state));
    if (a->acked_by) {
        state += " by " + acknowledgement_of(*a, offset, full);
        if (a->acked_message_id)
            state += " (message " + std::to_string(*a->acked_message_id) + ")";
    } else if (a->state == store::alert_state::closed)
        state += ": escalation gave up, nobody acknowledged";
    field("state", state);
    field("created", format_local_minute(a->created_at, offset) + " from " + shown_phone(a->reporter, full) +
                         " (message " + std::to_string(a->message_id) + ")");
    field("children", children_of(*a));
    field("cases", a->case_codes.empty() ? "-" : printable(joined(a->case_codes)));
    field("escalation",
          "level " + std::to_string(a->escalation.level) + ", repeats " +
              std::to_string(a->escalation.repeats) +
              (a->escalation.next_escalation_at
                   ? ", next at " + format_local_minute(*a->escalation.next_escalation_at, offset)
                   : std::string(", nothing scheduled")));

    // Who was told, with what became of the message that told them.
    const auto recipients = store::alert_recipients(db, number);
    o << "\nrecipients (" << recipients.size() << "):\n";
    if (!recipients.empty()) {
        std::vector<std::vector<std::string>> rows{{"phone", "name", "role", "lang", "level", "told",
                                                    "outbox", "state", "tries", "sent", "delivered"}};
        for (const auto& r : recipients) {
            std::optional<store::outbox_record> sms;
            if (r.outbox_id)
                if (auto found = store::find_outbox(db, *r.outbox_id))
                    sms = *found;
            rows.push_back(
                {shown_phone(r.phone, full), printable(r.name.empty() ? "-" : r.name),
                 std::string(store::to_string(r.role)), printable(r.lang), std::to_string(r.level),
                 format_local_minute(r.told_at, offset), r.outbox_id ? std::to_string(*r.outbox_id) : "-",
                 sms ? std::string(store::to_string(sms->state)) : "-",
                 sms ? std::to_string(sms->attempts) : "-", sms ? local_or_dash(sms->sent_at, offset) : "-",
                 sms ? local_or_dash(sms->delivered_at, offset) : "-"});
        }
        const auto widths = column_widths(rows);
        for (const auto& r : rows)
            print_row(o, r, widths, 2, false);
    }

    const auto history = store::alert_history(db, number);
    o << "\nhistory (" << history.size() << "):\n";
    {
        std::vector<std::vector<std::string>> rows;
        for (const auto& h : history)
            rows.push_back(history_cells(h, offset, full));
        const auto widths = column_widths(rows);
        print_lines(o, rows, widths, 2, room_after(widths, 2), wide);
    }

    // Every message of the alert, each with every attempt and delivery report below it.
    std::vector<store::outbox_record> messages;
    {
        SQLite::Statement s(db, "SELECT id FROM outbox WHERE alert_id = ?1 ORDER BY id");
        s.bind(1, number);
        for (const std::int64_t id : ids_of(s))
            if (auto found = store::find_outbox(db, id))
                messages.push_back(*found);
    }
    o << "\nmessages (" << messages.size() << "):\n";
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<std::vector<std::string>>> attempts;
    std::vector<std::vector<std::string>> all_attempts;
    for (const auto& m : messages) {
        rows.push_back({std::to_string(m.id), format_local_minute(m.created_at, offset),
                        shown_phone(m.recipient, full), std::string(store::to_string(m.state)),
                        std::to_string(m.attempts) + (m.attempts == 1 ? " attempt" : " attempts"),
                        printable(m.text)});
        auto& lines = attempts.emplace_back();
        for (const auto& t : store::outbox_attempts(db, m.id)) {
            const std::string detail = shown_detail(t.detail, m.recipient, full);
            lines.push_back(
                {format_local_minute(t.at, offset), printable(t.outcome), detail.empty() ? "-" : detail});
        }
        if (lines.empty())
            lines.push_back({"-", "no attempt yet",
                             m.state == store::outbox_state::queued
                                 ? "due " + format_local_minute(m.next_attempt_at, offset)
                                 : "-"});
        all_attempts.insert(all_attempts.end(), lines.begin(), lines.end());
    }
    if (rows.empty())
        return exit_ok;
    const auto widths = column_widths(rows);
    const std::size_t text_room = room_after(widths, 2) - 2;
    const std::size_t indent = 2 + widths.front() + 1; // attempts start under the time
    const auto attempt_widths = column_widths(all_attempts);
    const std::size_t detail_room = room_after(attempt_widths, indent);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto row = rows[i];
        row.back() = quoted(row.back(), text_room, wide);
        print_row(o, row, widths, 2, true);
        print_lines(o, attempts[i], attempt_widths, indent, detail_room, wide);
    }
    return exit_ok;
}

int cmd_log(const invocation& inv) {
    constexpr std::string_view name = "log";
    columns_now = terminal_columns(&inv.out == &std::cout);
    std::string config_path, phone, site, form_name, status_name, since_text, until_text;
    int limit = 100;
    bool full = false, wide = false, alerts = false, outbox = false;
    std::int64_t alert_number = 0;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "alerts", po::bool_switch(&alerts),
        "the alerts instead of the messages, newest first, each with its history")(
        "outbox", po::bool_switch(&outbox),
        "the outbound messages instead (alerts, replies, reminders), newest first")(
        "alert", po::value(&alert_number),
        "one alert with everything: its recipients, its history, every attempt to send each of its messages")(
        "phone", po::value(&phone),
        "only messages from or to this number, as typed (+97699000001, 99000001); with --alerts, alerts it "
        "reported, was told of or acknowledged; with --outbox, messages to it")(
        "site", po::value(&site),
        "only messages that recorded something at this site (code, e.g. ALT); with --alerts, alerts at it")(
        "form", po::value(&form_name), "only this form: ID, NIL, TR, REF, VER, CLOSE, ACK, HELP")(
        "status", po::value(&status_name),
        "only this status: accepted, rejected, duplicate, unregistered (or received); with --alerts open, "
        "acknowledged, closed; with --outbox queued, sending, sent, delivered, failed, cancelled")(
        "since", po::value(&since_text),
        "received (alerts, outbox: created) at or after T: 2026-11-25, 2026-11-25T17:30 (local time), 24h, "
        "7d")("until", po::value(&until_text),
              "received (created) before T (a date alone includes that day)")(
        "limit", po::value(&limit)->default_value(100), "show at most N messages (alerts), the newest")(
        "wide", po::bool_switch(&wide), "whole texts and replies, whatever the terminal's width (numbers stay masked)")(
        "full", po::bool_switch(&full), "whole phone numbers (personal data: mind who sees); texts as --wide says");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "log --config FILE [--alerts | --outbox | --alert N] [--phone P] [--site S] [--form F] [--status "
            "S] "
            "[--since T] [--until T] [--limit N] [--wide] [--full]\n\n"
            "The message log, newest first, one line per message: id, time received (local time of\n"
            "the deployment, alerts.utc_offset), channel, sender (masked unless --full), status, form,\n"
            "error code, then the text and the reply, trimmed to the terminal's width (else $COLUMNS,\n"
            "else 100 columns) unless --wide.\n\n"
            "--alerts: the alerts, newest first: number, time, site, state (open, acknowledged, closed),\n"
            "  urgent/sensitive, escalation level, children, who acknowledged and when; below each, its\n"
            "  history: time, what (created, told, escalated, acknowledged, delivered ...), whom, detail.\n"
            "--outbox: the outbound messages, newest first: id, time, kind, recipient, state, attempts,\n"
            "  alert number, the last error or what the provider said, text.\n"
            "--alert N: one alert with everything: its recipients with the state of the message that\n"
            "  told them, every history line, and every attempt to send each of its messages.\n"
            "Phone numbers are masked unless --full.",
            opts, {}, vm, code))
        return code;

    const bool one_alert = vm.count("alert") != 0;
    if ((alerts ? 1 : 0) + (outbox ? 1 : 0) + (one_alert ? 1 : 0) > 1)
        return user_error(inv, name,
                          "--alerts, --outbox and --alert N are different views: give one of them");
    const log_view view = alerts      ? log_view::alerts
                          : outbox    ? log_view::outbox
                          : one_alert ? log_view::alert
                                      : log_view::messages;
    if (view == log_view::alert) {
        if (alert_number < 1)
            return user_error(inv, name,
                              "--alert must be an alert's number (as in ACK 17), not " +
                                  std::to_string(alert_number));
        for (const char* option : {"phone", "site", "form", "status", "since", "until", "limit"})
            if (vm.count(option) && !vm[option].defaulted())
                return user_error(inv, name,
                                  std::string("--alert N shows one alert whole: --") + option +
                                      " does not apply");
    }
    if (!form_name.empty() && view != log_view::messages)
        return user_error(inv, name, "--form filters the message log only");
    if (!site.empty() && view == log_view::outbox)
        return user_error(inv, name, "--site does not filter the outbox: use --phone, or --alerts --site S");

    store::message_filter filter;
    log_request request;
    if (limit < 1)
        return user_error(inv, name, "--limit must be at least 1, not " + std::to_string(limit));
    filter.limit = request.limit = static_cast<std::size_t>(limit);
    request.full = full;
    request.wide = wide;
    if (!form_name.empty()) {
        filter.form = parser::form_from_canonical(upper(trim(form_name)));
        if (!filter.form)
            return user_error(inv, name,
                              "--form '" + form_name +
                                  "' is not a form: ID, NIL, TR, REF, VER, CLOSE, ACK or HELP");
    }
    if (!status_name.empty()) {
        const std::string typed = lower(trim(status_name));
        if (view == log_view::alerts) {
            if (!store::alert_state_from(typed))
                return user_error(inv, name,
                                  "--status '" + status_name +
                                      "' is not an alert's state: open, acknowledged or closed");
            request.state = typed;
        } else if (view == log_view::outbox) {
            if (!store::outbox_state_from(typed))
                return user_error(
                    inv, name,
                    "--status '" + status_name +
                        "' is not an outbound message's state: queued, sending, sent, delivered, "
                        "failed or cancelled");
            request.state = typed;
        } else {
            filter.status = store::message_status_from(typed);
            if (!filter.status)
                return user_error(
                    inv, name,
                    "--status '" + status_name +
                        "' is not a status: accepted, rejected, duplicate, unregistered or received");
        }
    }
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    if (!read_time_range(inv, name, since_text, until_text, *cfg, request.range, code))
        return code;
    filter.since = request.range.since;
    filter.until = request.range.until;

    auto db = open_store(inv, name, *cfg, true, code);
    if (!db)
        return code;
    if (!site.empty()) {
        filter.site = upper(trim(site));
        if (!store::find_site(*db, *filter.site))
            return user_error(inv, name,
                              "unknown site '" + site + "' (the registry has " + known_sites(*db) + ")");
        request.site = filter.site;
    }
    if (!phone.empty()) {
        phone_lookup p = resolve_phone(*db, phone);
        if (!p.ambiguous.empty()) {
            std::string list;
            for (const auto& a : p.ambiguous)
                list += (list.empty() ? "" : ", ") + (full ? a : mask_phone(a));
            return user_error(inv, name,
                              "--phone '" + phone + "' could be any of " + list +
                                  ": type it with its country code");
        }
        filter.phone = request.phone = p.phone;
    }
    switch (view) {
    case log_view::alerts:
        return log_alerts(inv, *db, *cfg, request);
    case log_view::outbox:
        return log_outbox(inv, *db, *cfg, request);
    case log_view::alert:
        return log_one_alert(inv, *db, *cfg, alert_number, full, wide);
    case log_view::messages:
        break;
    }

    const std::vector<store::message_record> messages = store::query_messages(*db, filter);
    if (messages.empty()) {
        inv.err << "kharuul log: no messages match\n";
        return exit_ok;
    }

    std::vector<log_row> rows;
    rows.reserve(messages.size());
    for (const auto& m : messages) {
        log_row r;
        r.id = std::to_string(m.id);
        r.received = format_local_minute(m.received_at, cfg->alerts.utc_offset);
        r.channel = printable(m.kind == store::message_kind::ussd ? m.channel + "/ussd" : m.channel);
        r.sender = printable(full ? m.sender : mask_phone(m.sender));
        r.status = std::string(store::to_string(m.status));
        r.form = m.form ? std::string(parser::canonical_keyword(*m.form)) : "-";
        r.error = printable(m.error_code.value_or("-"));
        r.text = printable(m.text);
        r.reply = printable(m.reply.value_or(""));
        rows.push_back(std::move(r));
    }
    const log_row header{"id", "received", "channel", "sender", "status", "form", "error", "text", "reply"};
    auto width = [&](std::string log_row::*field) {
        std::size_t w = columns_of(header.*field);
        for (const auto& r : rows)
            w = std::max(w, columns_of(r.*field));
        return w;
    };
    const std::size_t w_id = width(&log_row::id), w_received = width(&log_row::received),
                      w_channel = width(&log_row::channel), w_sender = width(&log_row::sender),
                      w_status = width(&log_row::status), w_form = width(&log_row::form),
                      w_error = width(&log_row::error);
    const std::size_t prefix = w_id + w_received + w_channel + w_sender + w_status + w_form + w_error + 7;
    // The characters of text and reply: what is left of the line after the columns and the quotes
    // and arrow around them, but never fewer than 30 (a line with wide columns runs longer).
    const std::size_t columns = log_columns();
    const std::size_t room = std::max<std::size_t>(prefix + 8 < columns ? columns - prefix - 8 : 0, 30);

    auto print = [&](const log_row& r, bool is_header) {
        std::ostream& o = inv.out;
        const std::string id_pad(w_id - columns_of(r.id), ' ');
        if (is_header)
            pad(o, r.id, w_id);
        else
            o << id_pad << r.id; // numbers to the right
        o << ' ';
        const auto cell = [&o](const std::string& text, std::size_t w) {
            pad(o, text, w);
            o << ' ';
        };
        cell(r.received, w_received);
        cell(r.channel, w_channel);
        cell(r.sender, w_sender);
        cell(r.status, w_status);
        cell(r.form, w_form);
        cell(r.error, w_error);
        if (is_header) {
            o << "text -> reply\n";
            return;
        }
        std::string text = r.text, reply = r.reply;
        if (!wide) {
            const std::size_t t = columns_of(text), p = columns_of(reply);
            if (t + p > room) {
                // Text and reply share the room: either takes what the other leaves, else half.
                const std::size_t text_room = std::min(t, std::max(room - std::min(p, room), room / 2));
                text = cut(text, text_room);
                reply = cut(reply, room - columns_of(text));
            }
        }
        o << '"' << text << '"';
        if (!r.reply.empty())
            o << " -> \"" << reply << '"';
        o << '\n';
    };
    print(header, true);
    for (const auto& r : rows)
        print(r, false);
    if (messages.size() == filter.limit)
        inv.err << "kharuul log: the newest " << filter.limit << " shown; --limit N shows more\n";
    return exit_ok;
}

} // namespace

command log_command() {
    return {"log", "the message log (or --alerts, --outbox, --alert N), newest first, with filters", cmd_log};
}

} // namespace kharuul::gateway
