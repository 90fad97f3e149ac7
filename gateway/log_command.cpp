// `kharuul log` (spec/interfaces.md): the message log for coordinators in the terminal, newest
// first, masked unless --full, with filters by phone, site, form, status and time; and its views
// of the alerts with their history (--alerts, --alert N) and of the outbox (--outbox), printed by
// gateway/log_views.cpp. The queries are store/message_log.hpp's; this file reads the options and
// formats. Opens the store read-only, so it works while the daemon runs. Runs on the caller's
// thread.
#include "gateway/cli.hpp"
#include "adapters/charset.hpp"
#include "config/gateway_config.hpp"
#include "gateway/audit_view.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/log_views.hpp"
#include "gateway/time_text.hpp"
#include "parser/lexicon.hpp"
#include "parser/phone.hpp"
#include "parser/sms.hpp"
#include "parser/reply.hpp"
#include "store/alerts.hpp"
#include "store/message_log.hpp"
#include "store/outbox.hpp"
#include "store/registry.hpp"
#include <boost/program_options.hpp>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <memory>
#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace kharuul::gateway {

namespace po = boost::program_options;

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

struct log_row {
    std::string id, received, channel, sender, status, form, error, text, reply;
};

// What `kharuul log` shows: the message log (the default), the alerts, the outbox, or one alert.
enum class log_view { messages, alerts, outbox, alert };

int cmd_log(const invocation& inv) {
    constexpr std::string_view name = "log";
    set_log_columns(terminal_columns(&inv.out == &std::cout));
    std::string config_path, phone, site, form_name, status_name, since_text, until_text;
    int limit = 100;
    bool full = false, wide = false, alerts = false, outbox = false, audit = false;
    std::int64_t alert_number = 0;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "alerts", po::bool_switch(&alerts),
        "the alerts instead of the messages, newest first, each with its history")(
        "outbox", po::bool_switch(&outbox),
        "the outbound messages instead (alerts, replies, reminders), newest first")(
        "audit", po::bool_switch(&audit),
        "the audit log instead: API and token writes, sign-ins, reads of sensitive records, newest first "
        "(with --since, --until, --limit)")(
        "alert", po::value(&alert_number),
        "one alert with everything: its recipients, its history, every attempt to send each of its messages")(
        "phone", po::value(&phone),
        "only messages from or to this number: whole (+97699000001, 99000001) or its last digits (0001, as "
        "the log shows it); with --alerts, alerts it reported, was told of or acknowledged; with --outbox, "
        "messages to it")(
        "site", po::value(&site),
        "only messages about this site (code, e.g. ALT): those that recorded something there, and those "
        "rejected or kept that named it; with --alerts, alerts at it")(
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
            "log --config FILE [--alerts | --outbox | --alert N | --audit] [--phone P] [--site S] [--form F] [--status "
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
            "--audit: the audit log, newest first: id, time, actor (a token's label, or \"command line\"),\n"
            "  role, client address, action, object, detail.\n"
            "Phone numbers are masked unless --full.",
            opts, {}, vm, code))
        return code;

    const bool one_alert = vm.count("alert") != 0;
    if (audit) {
        if (alerts || outbox || one_alert)
            return user_error(inv, name, "--audit is a view of its own: give it without --alerts, --outbox or --alert");
        for (const char* option : {"phone", "site", "form", "status", "wide", "full"})
            if (vm.count(option) && !vm[option].defaulted())
                return user_error(inv, name, std::string("--") + option + " does not filter the audit log");
        return log_audit(inv, {config_path, since_text, until_text, {}, {}, limit});
    }
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
        // A message with no event (rejected, kept from a stranger, a duplicate) counts for the
        // site its text names as the daemon's parser reads it: the running lexicon, either script.
        filter.site_of_text = [lex = std::make_shared<const parser::lexicon>(cfg->language, cfg->site_codes())](
                                  std::string_view text) {
            return parser::site_named(parser::parse_sms(adapters::strip_control_characters(text), *lex));
        };
    }
    if (!phone.empty()) {
        if (!read_phone_filter(inv, name, phone, *cfg, request.phone, code))
            return code;
        filter.phone = request.phone;
        if (request.phone->ending) // the last digits: say how many numbers they stand for
            if (const auto numbers = store::numbers_matching(*db, *request.phone); numbers.size() > 1) {
                inv.err << "kharuul log: --phone " << request.phone->number << " matches the "
                        << numbers.size() << " numbers ending in it";
                if (full)
                    inv.err << ": " << joined(numbers, ", ");
                inv.err << '\n';
            }
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
        r.sender = printable(full ? m.sender : parser::mask_phone(m.sender));
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
