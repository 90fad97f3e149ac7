#include "gateway/simulator.hpp"

#include "gateway/alert_desk.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/intake.hpp"
#include "gateway/time_text.hpp"
#include "parser/language.hpp"
#include "parser/phone.hpp"
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <charconv>
#include <ostream>

namespace kharuul::gateway {

namespace {

constexpr std::string_view not_sent = "simulate: shown on the terminal, not sent";

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// The lines of a text (an SMS may carry line breaks), each made printable.
std::vector<std::string> lines_of(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    for (;;) {
        const std::size_t j = text.find('\n', i);
        out.push_back(printable(text.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i)));
        if (j == std::string_view::npos)
            return out;
        i = j + 1;
    }
}

void print_text(std::ostream& out, std::string_view text) {
    for (const auto& l : lines_of(text))
        out << "    | " << l << '\n';
}

constexpr std::string_view help_text =
    "Type what the phone would send:\n"
    "  an SMS, e.g.  ID ALT 2B 12 MINE SHAFT      (the reply is shown as the phone gets it)\n"
    "  the USSD code (ussd.service_code), then the number of each menu choice\n"
    "Trainer's commands:\n"
    "  :from PHONE     be another phone: a number (+97699000101, 99000101) or part of a name\n"
    "                  in the registry (:from leader Bayan-Ovoo), e.g. to ACK the team's alert\n"
    "  :phones         the registry's phones: reporters, team members, coordinators\n"
    "  :who            who this phone is\n"
    "  :wait 30m       move the clock on (30m, 2h, 1d, 1h30m) and show the escalations and\n"
    "                  reminders that fall due (not with --record)\n"
    "  :time           the simulated clock\n"
    "  :drop           the network drops the USSD session (it can be resumed by dialling again)\n"
    "  :help           this list\n"
    "  :quit           end (also Ctrl-D)\n";

} // namespace

std::optional<std::chrono::seconds> parse_wait(std::string_view typed) {
    typed = trimmed(typed);
    if (typed.empty())
        return std::nullopt;
    std::chrono::seconds total{0};
    while (!typed.empty()) {
        long long n = 0;
        auto [end, ec] = std::from_chars(typed.data(), typed.data() + typed.size(), n);
        if (ec != std::errc{} || end == typed.data() || end == typed.data() + typed.size() || n < 0 ||
            n > 1000000)
            return std::nullopt;
        const char unit = *end;
        typed.remove_prefix(static_cast<std::size_t>(end - typed.data()) + 1);
        switch (unit) {
        case 's': total += std::chrono::seconds(n); break;
        case 'm': total += std::chrono::minutes(n); break;
        case 'h': total += std::chrono::hours(n); break;
        case 'd': total += std::chrono::days(n); break;
        default: return std::nullopt;
        }
    }
    if (total.count() == 0)
        return std::nullopt;
    return total;
}

std::string framed(std::string_view screen, std::size_t indent) {
    const auto lines = lines_of(screen);
    std::size_t width = 0;
    for (const auto& l : lines)
        width = std::max(width, columns_of(l));
    const std::string margin(indent, ' ');
    std::string rule = margin + "+" + std::string(width + 2, '-') + "+\n";
    std::string out = rule;
    for (const auto& l : lines)
        out += margin + "| " + l + std::string(width - columns_of(l), ' ') + " |\n";
    return out + rule;
}

phone_simulator::phone_simulator(store::connection& db, const config::gateway_config& cfg,
                                 std::shared_ptr<const daemon_detail::routing> routes, simulator_settings settings,
                                 std::unique_ptr<simulated_ussd> ussd, std::ostream& out,
                                 std::function<store::timestamp()> clock)
    : db_(db), cfg_(cfg), routes_(std::move(routes)), settings_(std::move(settings)), ussd_(std::move(ussd)),
      out_(out), wall_(std::move(clock)) {}

phone_simulator::~phone_simulator() = default;

store::timestamp phone_simulator::clock() const { return wall_() + moved_; }

std::string phone_simulator::shown(const std::string& phone) const { return shown_phone(phone, settings_.full); }

std::string phone_simulator::who_is(const std::string& phone) const {
    std::vector<std::string> roles;
    if (const auto r = store::find_reporter(db_, phone))
        return printable(r->name) + " (" + r->kind + " at " + joined(r->sites, ", ") + ")";
    for (const auto& t : store::team_roles(db_, phone))
        roles.push_back(printable(t.name) + " (" + t.role + ", " + printable(t.team) + ")");
    if (const auto c = store::find_coordinator(db_, phone))
        roles.push_back(printable(c->name) + " (coordinator)");
    if (roles.empty())
        return "an unregistered number";
    std::string all;
    for (const auto& r : roles)
        all += (all.empty() ? "" : "; ") + r;
    return all;
}

void phone_simulator::greet() {
    out_ << "kharuul simulate: you are the phone " << shown(settings_.phone) << ", " << who_is(settings_.phone)
         << "\n";
    out_ << "  store: " << settings_.store_shown << '\n';
    out_ << "  SMS to other phones: "
         << (settings_.send ? "queued for the running daemon, which sends them (--send)"
                            : "shown here, never sent")
         << '\n';
    out_ << "  clock: " << format_local_minute(clock(), cfg_.alerts.utc_offset) << " (local time)";
    if (!settings_.live)
        out_ << "; :wait moves it on";
    out_ << "\n  :help lists the trainer's commands, :quit ends\n";
    if (!settings_.live) {
        // What was due in the store before the session (a copy of a store the daemon was not
        // serving) is run without showing it: the session shows what follows from its own messages.
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        const auto before = store::last_outbox_id(db_);
        std::size_t steps = 0;
        const auto now = clock();
        for (int guard = 0; guard < 100000; ++guard) {
            const auto next = store::next_alert_due(db_);
            if (!next || *next > now)
                break;
            const due_work w = run_due(db_, *routes_->intake.alerts, *routes_->lex, *next, false);
            steps += w.escalations;
            if (w.escalations == 0)
                break;
        }
        const due_work w = run_due(db_, *routes_->intake.alerts, *routes_->lex, now, true);
        const auto queued = store::outbox_after(db_, before);
        for (const auto& o : queued)
            (void)store::mark_sent(db_, o.id, std::nullopt, now, not_sent);
        tx.commit();
        looked_ = now;
        if (!queued.empty())
            out_ << "  (" << steps + w.escalations << " escalation step(s) and " << w.reminders
                 << " reminder(s) that were already due in the store were run first, not shown)\n";
    }
}

std::string phone_simulator::prompt() const {
    return shown(settings_.phone) + (at_screen_ ? " USSD> " : "> ");
}

bool phone_simulator::enter(std::string_view typed) {
    const std::string line(trimmed(typed));
    if (line.empty() && !at_screen_)
        return true;
    if (line == ":quit" || line == ":q" || line == ":exit") {
        if (at_screen_) {
            SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
            ussd_->drop(db_, settings_.phone, clock());
            tx.commit();
            at_screen_ = false;
        }
        return false;
    }
    try {
        if (!line.empty() && line.front() == ':')
            trainer_command(line);
        else if (at_screen_)
            answer_screen(line);
        else if (line.front() == '*' && line.back() == '#')
            dial(line);
        else
            send_sms(line);
    } catch (const SQLite::Exception& e) {
        // A live store locked longer than store.busy_timeout (a backup), a full disk: nothing of
        // this line was written (the transaction rolled back).
        out_ << "  kharuul: the store could not take this line, nothing was recorded: " << e.what()
             << "\n  (type it again)\n";
    }
    return true;
}

void phone_simulator::send_sms(const std::string& text) {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto now = clock();
    run_due_until(now);
    const std::int64_t before = store::last_outbox_id(db_);
    inbound msg;
    msg.channel = "simulate";
    msg.from = settings_.phone;
    msg.to = "simulate";
    msg.text = text;
    const intake_outcome o = take_in(db_, msg, *routes_->lex, routes_->intake, now);
    // The daemon answers in the provider's response; here the terminal is the phone. With --send
    // the reply goes out too, through the outbox as `rerun` sends one.
    if (settings_.send && !o.reply.empty() && !o.repeat)
        queue_sms(db_, *routes_->intake.alerts, settings_.phone, o.reply, store::outbox_kind::reply, std::nullopt,
                  o.message_id, now);
    out_ << "  reply on this phone:\n";
    if (o.reply.empty())
        out_ << "    (none: a repeat of a message already answered)\n";
    else
        print_text(out_, o.reply);
    out_ << "  [message " << o.message_id << ": " << store::to_string(o.status);
    if (o.form)
        out_ << ", " << parser::canonical_keyword(*o.form);
    if (o.error_code)
        out_ << ", " << *o.error_code;
    if (!o.case_codes.empty())
        out_ << ", cases " << joined(o.case_codes);
    if (o.alert)
        out_ << ", alert #" << *o.alert;
    out_ << "]\n";
    show_outbox(before, now);
    tx.commit();
}

void phone_simulator::dial(const std::string& code) {
    if (code != cfg_.ussd.service_code) {
        out_ << "  the network: " << printable(code) << " is not this gateway's USSD code; dial "
             << cfg_.ussd.service_code << " (ussd.service_code)\n";
        return;
    }
    if (!ussd_) {
        out_ << "  this kharuul has no USSD menus yet: the SMS forms work (type HELP)\n";
        return;
    }
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto now = clock();
    run_due_until(now);
    const std::int64_t before = store::last_outbox_id(db_);
    const ussd_screen s = ussd_->dial(db_, settings_.phone, now);
    show_screen(s);
    show_outbox(before, now);
    tx.commit();
}

void phone_simulator::answer_screen(const std::string& input) {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto now = clock();
    run_due_until(now);
    const std::int64_t before = store::last_outbox_id(db_);
    const ussd_screen s = ussd_->answer(db_, settings_.phone, input, now);
    show_screen(s);
    show_outbox(before, now);
    tx.commit();
}

void phone_simulator::show_screen(const ussd_screen& s) {
    out_ << framed(s.text);
    if (!s.note.empty())
        out_ << "  [" << s.note << "]\n";
    at_screen_ = !s.end;
    if (s.end)
        out_ << "  (the session has ended)\n";
}

void phone_simulator::trainer_command(std::string_view line) {
    const std::size_t space = std::min(line.find(' '), line.size());
    const std::string_view name = line.substr(0, space);
    const std::string_view rest = trimmed(line.substr(space));
    if (name == ":help" || name == ":h" || name == ":?")
        out_ << help_text << "Store: " << settings_.store_shown << '\n';
    else if (name == ":from")
        switch_phone(rest);
    else if (name == ":wait")
        wait(rest);
    else if (name == ":time")
        out_ << "  " << format_local_minute(clock(), cfg_.alerts.utc_offset) << " (local time)\n";
    else if (name == ":who")
        show_who();
    else if (name == ":phones")
        list_phones();
    else if (name == ":drop") {
        if (!at_screen_) {
            out_ << "  no USSD session is open\n";
            return;
        }
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        ussd_->drop(db_, settings_.phone, clock());
        tx.commit();
        at_screen_ = false;
        out_ << "  the network dropped the session; dial " << cfg_.ussd.service_code << " again to continue\n";
    } else
        out_ << "  unknown command " << printable(name) << " (:help lists them)\n";
}

void phone_simulator::show_who() {
    out_ << "  " << shown(settings_.phone) << ": " << who_is(settings_.phone) << '\n';
}

void phone_simulator::list_phones() {
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : store::list_reporters(db_))
        rows.push_back({shown(r.phone), printable(r.name), r.kind + " at " + joined(r.sites, ",")});
    for (const auto& t : store::list_teams(db_))
        for (const auto& m : t.definition.members)
            rows.push_back({shown(m.phone), printable(m.name), m.role + ", " + printable(t.definition.name)});
    for (const auto& c : store::list_coordinators(db_))
        rows.push_back({shown(c.phone), printable(c.name), "coordinator"});
    if (rows.empty()) {
        out_ << "  the registry has no phones\n";
        return;
    }
    print_row(out_, {"phone", "name", "role"}, column_widths(rows), 2, false);
    const auto widths = column_widths(rows);
    for (const auto& r : rows)
        print_row(out_, r, widths, 2, false);
}

void phone_simulator::switch_phone(std::string_view typed) {
    if (typed.empty()) {
        out_ << "  :from needs a phone number or part of a name (:phones lists them)\n";
        return;
    }
    std::string phone = parser::normalise_phone(typed, cfg_.server.country_code);
    if (!parser::is_e164(phone)) {
        // Part of a name in the registry, in any case.
        std::vector<std::pair<std::string, std::string>> found; // phone, name
        const std::string want = lower(typed);
        auto consider = [&](const std::string& p, const std::string& n) {
            if (lower(n).find(want) != std::string::npos &&
                std::none_of(found.begin(), found.end(), [&](const auto& f) { return f.first == p; }))
                found.emplace_back(p, n);
        };
        for (const auto& r : store::list_reporters(db_))
            consider(r.phone, r.name);
        for (const auto& t : store::list_teams(db_))
            for (const auto& m : t.definition.members)
                consider(m.phone, m.name);
        for (const auto& c : store::list_coordinators(db_))
            consider(c.phone, c.name);
        if (found.size() != 1) {
            out_ << "  " << (found.empty() ? "no phone and no name in the registry matches '"
                                           : "more than one name matches '")
                 << printable(typed) << "'";
            for (const auto& [p, n] : found)
                out_ << "\n    " << shown(p) << "  " << printable(n);
            out_ << (found.empty() ? " (:phones lists them)\n" : "\n  (type more of the name)\n");
            return;
        }
        phone = found.front().first;
    }
    if (at_screen_) {
        SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
        ussd_->drop(db_, settings_.phone, clock());
        tx.commit();
        at_screen_ = false;
        out_ << "  (the USSD session of " << shown(settings_.phone) << " was dropped)\n";
    }
    settings_.phone = phone;
    out_ << "  you are now the phone " << shown(phone) << ", " << who_is(phone) << '\n';
}

void phone_simulator::wait(std::string_view typed) {
    if (settings_.live) {
        out_ << "  :wait is not for --record: the live store's clock is the daemon's (it runs the "
                "escalations itself)\n";
        return;
    }
    const auto d = parse_wait(typed);
    if (!d) {
        out_ << "  :wait needs a duration: 30m, 2h, 1d, 1h30m\n";
        return;
    }
    moved_ += *d;
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    const auto now = clock();
    out_ << "  the clock is now " << format_local_minute(now, cfg_.alerts.utc_offset) << '\n';
    const auto before = store::last_outbox_id(db_);
    run_due_until(now);
    if (store::last_outbox_id(db_) == before)
        out_ << "  (nothing fell due)\n";
    tx.commit();
}

void phone_simulator::run_due_until(store::timestamp until) {
    if (settings_.live)
        return;
    const alert_settings& a = *routes_->intake.alerts;
    // Each escalation at the moment it fell due, as the daemon's ticker would have run it.
    for (int guard = 0; guard < 10000; ++guard) {
        const auto next = store::next_alert_due(db_);
        if (!next || *next > until)
            break;
        const auto at = std::max(*next, looked_.value_or(*next));
        const auto before = store::last_outbox_id(db_);
        const due_work w = run_due(db_, a, *routes_->lex, at, false);
        show_outbox(before, at, "escalation at " + format_local_minute(at, cfg_.alerts.utc_offset));
        if (w.escalations == 0)
            break; // nothing was due after all: never spin
    }
    // The daytime reminders, looked for now (the daemon looks once a minute).
    const auto before = store::last_outbox_id(db_);
    run_due(db_, a, *routes_->lex, until, true);
    show_outbox(before, until, "reminder at " + format_local_minute(until, cfg_.alerts.utc_offset));
    looked_ = until;
}

void phone_simulator::show_outbox(std::int64_t after_id, store::timestamp now, std::string_view heading) {
    for (const auto& o : store::outbox_after(db_, after_id)) {
        if (o.recipient == settings_.phone && o.kind == store::outbox_kind::reply)
            continue; // the reply --send queues: shown above as the phone's
        out_ << "  SMS to " << who_is(o.recipient) << ", " << shown(o.recipient) << " ("
             << store::to_string(o.kind);
        if (o.alert_id)
            out_ << " #" << *o.alert_id;
        if (!heading.empty())
            out_ << ", " << heading;
        if (o.not_before && *o.not_before > now)
            out_ << ", waits until " << format_local_minute(*o.not_before, cfg_.alerts.utc_offset);
        out_ << (settings_.send ? ", queued for " + o.channel : std::string(", not sent")) << "):\n";
        print_text(out_, o.text);
        if (!settings_.send)
            (void)store::mark_sent(db_, o.id, std::nullopt, now, not_sent);
    }
}

} // namespace kharuul::gateway
