#include "gateway/log_views.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/time_text.hpp"
#include "parser/phone.hpp"
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "store/registry.hpp"
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <ostream>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

namespace {

std::size_t columns_now = 100;

} // namespace

void set_log_columns(std::size_t columns) {
    columns_now = columns;
}

std::size_t log_columns() {
    return columns_now;
}

namespace {

// What a provider said about a message (an HTTP body, a delivery report) may quote the recipient's
// number: masked there too unless --full.
std::string shown_detail(std::string_view detail, std::optional<std::string_view> phone, bool full) {
    std::string out = printable(detail);
    if (full || !phone || phone->size() < 6)
        return out;
    const std::string masked = parser::mask_phone(*phone);
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
int alerts_view(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q) {
    const auto offset = cfg.alerts.utc_offset;
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED); // one consistent view
    const std::vector<std::int64_t> ids =
        store::query_alert_ids(db, {q.range, q.site, q.phone, q.state, q.limit, std::nullopt});
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
int outbox_view(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q) {
    const auto offset = cfg.alerts.utc_offset;
    SQLite::Transaction snapshot(db, SQLite::TransactionBehavior::DEFERRED);
    const std::vector<std::int64_t> ids = store::query_outbox_ids(db, {q.range, q.phone, q.state, q.limit, std::nullopt});
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
int one_alert_view(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
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
    for (const std::int64_t id : store::outbox_ids_of_alert(db, number))
        if (auto found = store::find_outbox(db, id))
            messages.push_back(*found);
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
} // namespace

int log_alerts(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q) {
    return alerts_view(inv, db, cfg, q);
}

int log_outbox(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
               const log_request& q) {
    return outbox_view(inv, db, cfg, q);
}

int log_one_alert(const invocation& inv, store::connection& db, const config::gateway_config& cfg,
                  std::int64_t number, bool full, bool wide) {
    return one_alert_view(inv, db, cfg, number, full, wide);
}

} // namespace kharuul::gateway
