// The coordinators' commands over the store (spec/interfaces.md, "Command line"): log, export,
// backup, reporter add/list/remove and rerun. Each opens the store named by the configuration with
// its own connection (read-only where it only reads), so it works while the daemon runs: the store
// is in WAL mode, readers never block the daemon's writer, and a write here waits up to
// store.busy_timeout for the daemon's group commit. Everything runs on the caller's thread.
#include "gateway/cli.hpp"

#include "adapters/phone.hpp"
#include "config/gateway_config.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/intake.hpp"
#include "gateway/metrics.hpp"
#include "gateway/time_text.hpp"
#include "parser/lexicon.hpp"
#include "parser/reply.hpp"
#include "store/backup.hpp"
#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/error.hpp"
#include "store/records.hpp"
#include "store/registry.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <charconv>
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

constexpr const char* config_help = "configuration file (TOML); the store is its store.path";
constexpr std::size_t log_columns = 100; // what a log line is trimmed to without --full

// Prints "kharuul <command>: <message>" and returns exit_user_error.
int user_error(const invocation& inv, std::string_view command, std::string_view message) {
    inv.err << "kharuul " << command << ": " << message << '\n';
    return exit_user_error;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// The one place the commands read the clock.
store::timestamp now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// E.164 as the registry keeps numbers: '+' and 8 to 15 digits.
bool is_e164(std::string_view phone) {
    if (phone.size() < 9 || phone.size() > 16 || phone.front() != '+')
        return false;
    return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- The store ---------------------------------------------------------------------------------

// Opens the configured store for a command. A missing file, a schema from another build or a file
// that is not a store are the user's to fix (exit 1, `code` set); other failures throw.
std::optional<store::connection> open_store(const invocation& inv, std::string_view command,
                                            const config::gateway_config& cfg, bool read_only, int& code) {
    const fs::path path = cfg.store.path;
    if (!fs::exists(path)) {
        code = user_error(inv, command,
                          "the store " + path.string() +
                              " does not exist (kharuul serve creates it; check store.path)");
        return std::nullopt;
    }
    store::database_options options;
    options.busy_timeout = cfg.store.busy_timeout;
    options.read_only = read_only;
    options.create = false;
    try {
        return store::open_database(path, options);
    } catch (const std::system_error& e) {
        if (e.code() == store::errc::schema_too_new) {
            code = user_error(inv, command,
                              "the store " + path.string() +
                                  " was written by a newer kharuul: use that version");
            return std::nullopt;
        }
        if (e.code() == store::errc::schema_too_old) {
            code = user_error(
                inv, command,
                "the store " + path.string() +
                    " has an older schema: start this version's kharuul serve once to bring it up to date");
            return std::nullopt;
        }
        throw;
    } catch (const SQLite::Exception& e) {
        code = user_error(inv, command, "cannot open the store " + path.string() + ": " + e.what());
        return std::nullopt;
    }
}

// The site codes of the store's registry, for error messages: "ALT, DKH, NLK".
std::string known_sites(store::connection& db) {
    std::string out;
    for (const auto& s : store::list_sites(db))
        out += (out.empty() ? "" : ", ") + s.code;
    return out.empty() ? "none" : out;
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

// ---- Terminal text -----------------------------------------------------------------------------

// Message texts come from anyone's phone: control characters (a newline, an escape sequence that
// would drive the terminal) become spaces and invalid UTF-8 becomes U+FFFD, so that each message
// stays on its one line and shows as text.
std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c);
            ++i;
            continue;
        }
        const std::size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
        bool ok = n != 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k)
            ok = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
        if (!ok) {
            out += "\xef\xbf\xbd";
            ++i;
            continue;
        }
        if (n == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0)
            out += ' '; // C1 controls (U+0080..U+009F), e.g. CSI
        else
            out.append(s.substr(i, n));
        i += n;
    }
    return out;
}

// Characters (code points) in valid UTF-8; Latin and Cyrillic take one column each.
std::size_t columns_of(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

// The first `n` columns of `s`, the last of them an ellipsis when something was cut.
std::string cut(std::string_view s, std::size_t n) {
    if (columns_of(s) <= n)
        return std::string(s);
    if (n == 0)
        return {};
    std::size_t kept = 0, i = 0;
    while (i < s.size() && kept < n - 1) {
        ++i;
        while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xc0) == 0x80)
            ++i;
        ++kept;
    }
    return std::string(s.substr(0, i)) + "\xe2\x80\xa6";
}

void pad(std::ostream& o, std::string_view s, std::size_t width) {
    o << s;
    for (std::size_t w = columns_of(s); w < width; ++w)
        o << ' ';
}

// ---- log ---------------------------------------------------------------------------------------

// A time option's value, or an error naming the option.
bool read_time_option(const invocation& inv, std::string_view command, std::string_view option,
                      const std::string& text, time_bound bound, const config::gateway_config& cfg,
                      std::optional<store::timestamp>& into, int& code) {
    if (text.empty())
        return true;
    into = parse_time_bound(text, bound, cfg.alerts.utc_offset, now());
    if (!into) {
        code = user_error(inv, command,
                          std::string(option) + " '" + text +
                              "' is not a time: write 2026-11-25, 2026-11-25T17:30 (local time), or 24h or "
                              "7d for that long ago");
        return false;
    }
    return true;
}

struct log_row {
    std::string id, received, channel, sender, status, form, error, text, reply;
};

int cmd_log(const invocation& inv) {
    constexpr std::string_view name = "log";
    std::string config_path, phone, site, form_name, status_name, since_text, until_text;
    int limit = 100;
    bool full = false;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "phone", po::value(&phone),
        "only messages from or to this number, as typed (+97699000001, 99000001)")(
        "site", po::value(&site), "only messages that recorded something at this site (code, e.g. ALT)")(
        "form", po::value(&form_name), "only this form: ID, NIL, TR, REF, VER, CLOSE, ACK, HELP")(
        "status", po::value(&status_name),
        "only this status: accepted, rejected, duplicate, unregistered (or received)")(
        "since", po::value(&since_text),
        "received at or after T: 2026-11-25, 2026-11-25T17:30 (local time), 24h, 7d")(
        "until", po::value(&until_text), "received before T (a date alone includes that day)")(
        "limit", po::value(&limit)->default_value(100), "show at most N messages, the newest")(
        "full", po::bool_switch(&full), "whole phone numbers and whole texts (personal data: mind who sees)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(
            inv,
            "log --config FILE [--phone P] [--site S] [--form F] [--status accepted|rejected|duplicate|"
            "unregistered] [--since T] [--until T] [--limit N] [--full]\n\n"
            "The message log, newest first, one line per message: id, time received (local time of\n"
            "the deployment, alerts.utc_offset), channel, sender (masked unless --full), status, form,\n"
            "error code, then the text and the reply, trimmed to about 100 columns unless --full.",
            opts, {}, vm, code))
        return code;

    store::message_filter filter;
    if (limit < 1)
        return user_error(inv, name, "--limit must be at least 1, not " + std::to_string(limit));
    filter.limit = static_cast<std::size_t>(limit);
    if (!form_name.empty()) {
        filter.form = parser::form_from_canonical(upper(trim(form_name)));
        if (!filter.form)
            return user_error(inv, name,
                              "--form '" + form_name +
                                  "' is not a form: ID, NIL, TR, REF, VER, CLOSE, ACK or HELP");
    }
    if (!status_name.empty()) {
        filter.status = store::message_status_from(lower(trim(status_name)));
        if (!filter.status)
            return user_error(
                inv, name,
                "--status '" + status_name +
                    "' is not a status: accepted, rejected, duplicate, unregistered or received");
    }
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    if (!read_time_option(inv, name, "--since", since_text, time_bound::since, *cfg, filter.since, code) ||
        !read_time_option(inv, name, "--until", until_text, time_bound::until, *cfg, filter.until, code))
        return code;

    auto db = open_store(inv, name, *cfg, true, code);
    if (!db)
        return code;
    if (!site.empty()) {
        filter.site = upper(trim(site));
        if (!store::find_site(*db, *filter.site))
            return user_error(inv, name,
                              "unknown site '" + site + "' (the registry has " + known_sites(*db) + ")");
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
        filter.phone = p.phone;
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
    const std::size_t room =
        std::max<std::size_t>(prefix + 8 < log_columns ? log_columns - prefix - 8 : 0, 30);

    auto print = [&](const log_row& r, bool is_header) {
        std::ostream& o = inv.out;
        const std::string id_pad(w_id - columns_of(r.id), ' ');
        if (is_header)
            pad(o, r.id, w_id);
        else
            o << id_pad << r.id; // numbers to the right
        o << ' ';
        pad(o, r.received, w_received);
        o << ' ';
        pad(o, r.channel, w_channel);
        o << ' ';
        pad(o, r.sender, w_sender);
        o << ' ';
        pad(o, r.status, w_status);
        o << ' ';
        pad(o, r.form, w_form);
        o << ' ';
        pad(o, r.error, w_error);
        o << ' ';
        if (is_header) {
            o << "text -> reply\n";
            return;
        }
        std::string text = r.text, reply = r.reply;
        if (!full) {
            const std::size_t t = columns_of(text), p = columns_of(reply);
            if (t + p > room) {
                // The text first (it is what the sender wrote): it keeps at least two thirds.
                const std::size_t text_room = std::min(t, std::max(room - std::min(p, room), room * 2 / 3));
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

// ---- export ------------------------------------------------------------------------------------

json::value opt(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<int>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}
json::value opt(const std::optional<store::timestamp>& v) {
    return v ? json::value(format_utc_iso(*v)) : json::value(nullptr);
}
json::value codes(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& c : v)
        a.emplace_back(c);
    return a;
}

// The columns of each export, in order: the keys of the JSON objects and the CSV header.
constexpr std::string_view message_columns[] = {"id",           "kind",      "channel",   "provider_id",
                                                "sender",       "recipient", "text",      "received_at",
                                                "observed_at",  "status",    "form",      "error_code",
                                                "duplicate_of", "reply",     "reply_lang"};
constexpr std::string_view event_columns[] = {
    "id",      "message_id", "form",    "reporter", "site",   "case_code", "boys",
    "girls",   "unknown",    "age_min", "age_max",  "work",   "hazards",   "status",
    "service", "outcome",    "reason",  "note",     "urgent", "sensitive", "occurred_at"};
constexpr std::string_view case_columns[] = {"serial",
                                             "code",
                                             "site",
                                             "sex",
                                             "age_min",
                                             "age_max",
                                             "work",
                                             "hazards",
                                             "sensitive",
                                             "state",
                                             "work_status",
                                             "school_status",
                                             "last_status",
                                             "last_service",
                                             "verified_status",
                                             "verified_at",
                                             "close_reason",
                                             "opened_event_id",
                                             "opened_by",
                                             "opened_at",
                                             "last_tracked_at",
                                             "last_followed_by"};

json::object message_row(const store::message_record& m) {
    json::object o;
    o["id"] = m.id;
    o["kind"] = store::to_string(m.kind);
    o["channel"] = m.channel;
    o["provider_id"] = opt(m.provider_id);
    o["sender"] = m.sender;
    o["recipient"] = m.recipient;
    o["text"] = m.text;
    o["received_at"] = format_utc_iso(m.received_at);
    o["observed_at"] = opt(m.observed_at);
    o["status"] = store::to_string(m.status);
    o["form"] = m.form ? json::value(parser::canonical_keyword(*m.form)) : json::value(nullptr);
    o["error_code"] = opt(m.error_code);
    o["duplicate_of"] = opt(m.duplicate_of);
    o["reply"] = opt(m.reply);
    o["reply_lang"] = opt(m.reply_lang);
    return o;
}

json::object event_row(const store::event_record& e) {
    json::object o;
    o["id"] = e.id;
    o["message_id"] = e.message_id;
    o["form"] = parser::canonical_keyword(e.form);
    o["reporter"] = e.reporter;
    o["site"] = opt(e.site);
    o["case_code"] = opt(e.case_code);
    o["boys"] = opt(e.boys);
    o["girls"] = opt(e.girls);
    o["unknown"] = opt(e.unknown);
    o["age_min"] = opt(e.age_min);
    o["age_max"] = opt(e.age_max);
    o["work"] = opt(e.work);
    o["hazards"] = codes(e.hazards);
    o["status"] = opt(e.status);
    o["service"] = opt(e.service);
    o["outcome"] = opt(e.outcome);
    o["reason"] = opt(e.reason);
    o["note"] = opt(e.note);
    o["urgent"] = e.urgent;
    o["sensitive"] = e.sensitive;
    o["occurred_at"] = format_utc_iso(e.occurred_at);
    return o;
}

json::object case_row(const store::case_record& c) {
    json::object o;
    o["serial"] = c.serial;
    o["code"] = c.code;
    o["site"] = c.site;
    o["sex"] = std::string(1, store::sex_letter(c.sex));
    o["age_min"] = c.age_min;
    o["age_max"] = c.age_max;
    o["work"] = c.work;
    o["hazards"] = codes(c.hazards);
    o["sensitive"] = c.sensitive;
    o["state"] = store::to_string(c.state);
    o["work_status"] = store::to_string(c.work_state);
    o["school_status"] = store::to_string(c.school_state);
    o["last_status"] = opt(c.last_status);
    o["last_service"] = opt(c.last_service);
    o["verified_status"] = opt(c.verified_status);
    o["verified_at"] = opt(c.verified_at);
    o["close_reason"] = opt(c.close_reason);
    o["opened_event_id"] = c.opened_event_id;
    o["opened_by"] = c.opened_by;
    o["opened_at"] = format_utc_iso(c.opened_at);
    o["last_tracked_at"] = format_utc_iso(c.last_tracked_at);
    o["last_followed_by"] = c.last_followed_by;
    return o;
}

// A JSON value as one CSV field (RFC 4180): null is empty, a list of codes is space-separated as
// in the store, and a field with a comma, a quote or a line break is quoted with quotes doubled.
std::string csv_field(const json::value& v) {
    std::string s;
    switch (v.kind()) {
    case json::kind::null:
        return s;
    case json::kind::string:
        s = v.get_string();
        break;
    case json::kind::bool_:
        return v.get_bool() ? "true" : "false";
    case json::kind::array:
        for (const auto& c : v.get_array())
            s += (s.empty() ? "" : " ") + (c.is_string() ? std::string(c.get_string()) : json::serialize(c));
        break;
    default:
        s = json::serialize(v);
        break;
    }
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + '"';
}

template <class Records, class ToRow>
void write_export(std::ostream& out, bool csv, std::span<const std::string_view> columns,
                  const Records& records, ToRow to_row) {
    if (csv) {
        for (std::size_t i = 0; i < columns.size(); ++i)
            out << (i ? "," : "") << columns[i];
        out << "\r\n";
        for (const auto& r : records) {
            const json::object o = to_row(r);
            for (std::size_t i = 0; i < columns.size(); ++i)
                out << (i ? "," : "") << csv_field(o.at(columns[i]));
            out << "\r\n";
        }
        return;
    }
    out << '[';
    bool first = true;
    for (const auto& r : records) {
        out << (first ? "\n" : ",\n") << json::serialize(to_row(r));
        first = false;
    }
    out << (first ? "]\n" : "\n]\n");
}

int cmd_export(const invocation& inv) {
    constexpr std::string_view name = "export";
    std::string config_path, what, format = "csv", since_text, until_text;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(),
                       config_help)("what", po::value(&what)->required(),
                                    "messages, events or cases (alerts and outbox are not available yet)")(
        "format", po::value(&format)->default_value("csv"),
        "csv (RFC 4180, a header row) or json (an array)")(
        "since", po::value(&since_text),
        "from T on: 2026-11-25, 2026-11-25T17:30 (local time), 24h, 7d (messages by received_at, events by "
        "occurred_at, cases by opened_at)")("until", po::value(&until_text),
                                            "before T (a date alone includes that day)");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv,
                       "export --config FILE --what messages|events|cases [--format csv|json] [--since T] "
                       "[--until T]\n\n"
                       "The store's records on stdout in the order they were stored, columns named as the\n"
                       "store's fields (snake_case; times in ISO 8601 UTC). Whole phone numbers and texts:\n"
                       "personal data.\n"
                       "--what alerts and --what outbox are not available yet.",
                       opts, {}, vm, code))
        return code;
    what = lower(trim(what));
    format = lower(trim(format));
    if (what == "alerts" || what == "outbox")
        return user_error(inv, name, "--what " + what + " is not available yet");
    if (what != "messages" && what != "events" && what != "cases")
        return user_error(inv, name, "--what '" + what + "' is not one of messages, events, cases");
    if (format != "csv" && format != "json")
        return user_error(inv, name, "--format '" + format + "' is not csv or json");
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    store::time_range range;
    if (!read_time_option(inv, name, "--since", since_text, time_bound::since, *cfg, range.since, code) ||
        !read_time_option(inv, name, "--until", until_text, time_bound::until, *cfg, range.until, code))
        return code;
    auto db = open_store(inv, name, *cfg, true, code);
    if (!db)
        return code;
    const bool csv = format == "csv";
    if (what == "messages")
        write_export(inv.out, csv, message_columns, store::export_messages(*db, range), message_row);
    else if (what == "events")
        write_export(inv.out, csv, event_columns, store::export_events(*db, range), event_row);
    else
        write_export(inv.out, csv, case_columns, store::export_cases(*db, range), case_row);
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

// ---- reporter add / list / remove --------------------------------------------------------------

int cmd_reporter_add(const invocation& inv) {
    constexpr std::string_view name = "reporter add";
    std::string config_path, phone_typed, reporter_name, sites_text, lang = "mn", kind = "volunteer";
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), config_help)(
        "phone", po::value(&phone_typed)->required(), "the reporter's number in E.164: +97699000001")(
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
            "[--kind volunteer|teacher|parent|worker|other]\n\n"
            "Registers a reporter in the store; the running daemon takes messages from the number\n"
            "from the next one on (no restart). Messages kept from it before can then be processed\n"
            "with kharuul rerun.",
            opts, {}, vm, code))
        return code;

    store::reporter r;
    r.phone = adapters::normalise_phone(phone_typed);
    if (!is_e164(r.phone))
        return user_error(inv, name,
                          "--phone '" + phone_typed +
                              "' is not an international number: write '+', the country code and the number "
                              "(8 to 15 digits), e.g. +97699000001");
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

    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    auto db = open_store(inv, name, *cfg, false, code);
    if (!db)
        return code;
    // IMMEDIATE: take the write lock (waiting for the daemon's commit) before reading, so that what
    // was checked is still true when written.
    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
    for (const auto& s : r.sites)
        if (!store::find_site(*db, s))
            return user_error(inv, name,
                              "unknown site '" + s + "' (the registry has " + known_sites(*db) + ")");
    if (auto existing = store::find_reporter(*db, r.phone))
        return user_error(inv, name,
                          r.phone + " is already registered (" + printable(existing->name) +
                              "): remove it first to change its details");
    auto added = store::add_reporter(*db, r, now());
    if (!added) {
        if (added.error() == store::errc::unknown_site)
            return user_error(inv, name, "unknown site (the registry has " + known_sites(*db) + ")");
        if (added.error() == store::errc::reporter_exists)
            return user_error(inv, name, r.phone + " is already registered");
        throw std::system_error(added.error());
    }
    store::message_filter kept;
    kept.phone = r.phone;
    kept.status = store::message_status::unregistered;
    kept.limit = 20;
    const auto waiting = store::query_messages(*db, kept);
    tx.commit();

    std::string sites;
    for (const auto& s : r.sites)
        sites += (sites.empty() ? "" : ",") + s;
    inv.out << "registered " << r.phone << " (" << printable(r.name) << "), " << r.kind << ", sites " << sites
            << ", replies in " << r.lang << '\n';
    if (!waiting.empty()) {
        inv.out << "messages kept from this number, newest first:";
        for (const auto& m : waiting)
            inv.out << ' ' << m.id;
        inv.out << "\nprocess each with: kharuul rerun --config " << config_path << " MESSAGE_ID\n";
    }
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
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    auto db = open_store(inv, name, *cfg, true, code);
    if (!db)
        return code;
    const auto reporters = store::list_reporters(*db, all);
    if (reporters.empty()) {
        inv.err << "kharuul reporter list: no reporters registered\n";
        return exit_ok;
    }
    struct row {
        std::string phone, name, lang, kind, sites, origin, since;
    };
    std::vector<row> rows{{"phone", "name", "lang", "kind", "sites", "origin", "since"}};
    for (const auto& r : reporters) {
        std::string sites;
        for (const auto& s : r.sites)
            sites += (sites.empty() ? "" : ",") + s;
        rows.push_back({r.phone, printable(r.name), r.lang, r.kind, sites,
                        std::string(r.from_config ? "config" : "cli") + (r.active ? "" : " (removed)"),
                        format_local_minute(r.created_at, cfg->alerts.utc_offset).substr(0, 10)});
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
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    const std::string phone = adapters::normalise_phone(phone_typed);
    auto db = open_store(inv, name, *cfg, false, code);
    if (!db)
        return code;
    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto existing = store::find_reporter(*db, phone);
    if (!existing)
        return user_error(inv, name, "no registered reporter has the phone '" + phone_typed + "'");
    auto removed = store::remove_reporter(*db, phone);
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
            "The reply is not sent yet: that comes with the outbox.",
            opts, pos, vm, code))
        return code;
    std::int64_t id = 0;
    {
        const std::string_view t = trim(id_text);
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
        if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || id < 1)
            return user_error(inv, name, "MESSAGE_ID must be a message's number, not '" + id_text + "'");
    }
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    auto db = open_store(inv, name, *cfg, false, code);
    if (!db)
        return code;

    SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
    const auto before = store::find_message(*db, id);
    if (!before)
        return user_error(inv, name, "no message has the id " + std::to_string(id));
    if (before->status != store::message_status::unregistered &&
        before->status != store::message_status::received)
        return user_error(inv, name,
                          "message " + std::to_string(id) + " was processed already (" +
                              std::string(store::to_string(before->status)) + "): it is not processed twice");

    const parser::lexicon lex(cfg->language, cfg->site_codes());
    intake_settings settings;
    settings.duplicate_window = cfg->messages.duplicate_window;
    settings.alerts = std::make_shared<const alert_settings>(alert_settings_of(*cfg));
    const auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    auto outcome = rerun(*db, id, lex, settings, now);
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
    const auto after = store::find_message(*db, id);
    tx.commit();

    inv.out << "message " << id << ": " << store::to_string(outcome->status);
    if (outcome->form)
        inv.out << ", form " << parser::canonical_keyword(*outcome->form);
    if (outcome->error_code)
        inv.out << ", error " << *outcome->error_code;
    inv.out << '\n';
    if (!outcome->case_codes.empty()) {
        inv.out << "cases opened:";
        for (const auto& c : outcome->case_codes)
            inv.out << ' ' << c;
        inv.out << '\n';
    }
    if (!outcome->reply.empty()) {
        inv.out << "reply";
        if (after && after->reply_lang)
            inv.out << " (" << *after->reply_lang << ")";
        inv.out << ": " << printable(outcome->reply) << '\n';
        if (!settings.alerts->outbound_channel.empty())
            inv.out << "queued for " << settings.alerts->outbound_channel
                    << ": the running daemon sends it (see kharuul log --outbox)\n";
    }
    if (outcome->alert) {
        inv.out << "alert #" << *outcome->alert << " raised for the team\n";
    }
    return exit_ok;
}

} // namespace

std::vector<command> coordinator_commands() {
    return {
        {"log", "the message log, newest first: filter by phone, site, form, status, time", cmd_log},
        {"export", "messages, events or cases as CSV or JSON on stdout", cmd_export},
        {"backup", "a consistent copy of the store while the daemon runs", cmd_backup},
        {"reporter add", "register a reporter in the running store (no restart)", cmd_reporter_add},
        {"reporter list", "the registered reporters", cmd_reporter_list},
        {"reporter remove", "deactivate a reporter (its record stays)", cmd_reporter_remove},
        {"rerun", "process a kept message again, after its sender was registered", cmd_rerun},
    };
}

} // namespace kharuul::gateway
