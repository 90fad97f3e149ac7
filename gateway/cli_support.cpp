#include "gateway/cli_support.hpp"

#include "config/load.hpp"
#include "gateway/metrics.hpp"
#include "parser/phone.hpp"
#include "store/error.hpp"
#include "store/registry.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>

#include <ostream>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

// The command's name: the usage line's leading lower-case words ("reporter add"), up to the first
// option or argument.
std::string_view command_name(std::string_view usage) {
    std::size_t end = 0;
    for (std::size_t i = 0; i < usage.size();) {
        std::size_t j = usage.find(' ', i);
        if (j == std::string_view::npos)
            j = usage.size();
        const std::string_view word = usage.substr(i, j - i);
        if (word.empty() || word.front() == '-' ||
            word.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string_view::npos)
            break;
        end = j;
        i = j + 1;
    }
    return usage.substr(0, end);
}

} // namespace

bool parse_options(const invocation& inv, std::string_view usage, const po::options_description& opts,
                   const po::positional_options_description& pos, po::variables_map& vm, int& code) {
    po::options_description all = opts;
    all.add_options()("help,h", "show this help");
    try {
        po::store(po::command_line_parser(inv.args).options(all).positional(pos).run(), vm);
        if (vm.count("help")) {
            inv.out << "usage: kharuul " << usage << "\n\n" << all;
            code = exit_ok;
            return false;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        inv.err << "kharuul: " << e.what() << " (see kharuul " << command_name(usage) << " --help)\n";
        code = exit_user_error;
        return false;
    }
    return true;
}

std::optional<config::gateway_config> load_config_or_report(const std::string& path, std::ostream& err,
                                                            bool warnings) {
    config::load_result r = config::load_config(path);
    for (const auto& p : r.problems)
        if (warnings || p.level == config::severity::error)
            err << config::format_problem(p) << '\n';
    return std::move(r.config);
}

// ---- Shared by the commands

namespace fs = std::filesystem;

// Prints "kharuul <command>: <message>" and returns exit_user_error.
int user_error(const invocation& inv, std::string_view command, std::string_view message) {
    inv.err << "kharuul " << command << ": " << message << '\n';
    return exit_user_error;
}

// The one place the commands read the clock.
store::timestamp now() {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

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



// Reads the configuration at `config_path` and opens its store; nullopt when either fails, with the
// error printed and `code` set (exit_user_error for the configuration, as open_store says for the
// store). Throws what open_store throws.
std::optional<configured_store> open_configured_store(const invocation& inv, std::string_view command,
                                                      const std::string& config_path, bool read_only,
                                                      int& code) {
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg) {
        code = exit_user_error;
        return std::nullopt;
    }
    auto db = open_store(inv, command, *cfg, read_only, code);
    if (!db)
        return std::nullopt;
    return configured_store{std::move(*cfg), std::move(*db)};
}

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

// --since and --until (either may be empty: that bound stays open), or an error naming the first
// option that is not a time.
bool read_time_range(const invocation& inv, std::string_view command, const std::string& since_text,
                     const std::string& until_text, const config::gateway_config& cfg,
                     store::time_range& into, int& code) {
    return read_time_option(inv, command, "--since", since_text, time_bound::since, cfg, into.since, code) &&
           read_time_option(inv, command, "--until", until_text, time_bound::until, cfg, into.until, code);
}

// A phone as the log shows it: masked unless --full.
std::string shown_phone(std::string_view phone, bool full) {
    return printable(full ? std::string(phone) : mask_phone(phone));
}

std::string local_or_dash(const std::optional<store::timestamp>& t, std::chrono::minutes utc_offset) {
    return t ? format_local_minute(*t, utc_offset) : "-";
}

// "ALT ULT" (codes as the store keeps them), or "ALT,ULT" with `separator` ",".
std::string joined(const std::vector<std::string>& codes, std::string_view separator) {
    std::string out;
    for (const auto& c : codes)
        out += (out.empty() ? "" : std::string(separator)) + c;
    return out;
}

// Column widths of a table whose rows all have the same number of cells (the last is not padded).
std::vector<std::size_t> column_widths(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> w;
    for (const auto& r : rows) {
        w.resize(std::max(w.size(), r.size()), 0);
        for (std::size_t i = 0; i < r.size(); ++i)
            w[i] = std::max(w[i], columns_of(r[i]));
    }
    return w;
}

// One row of a table: `indent` spaces, cells padded to their column and one space apart, the
// first right-aligned when `number_first` (ids), the last as it is.
void print_row(std::ostream& o, const std::vector<std::string>& row, const std::vector<std::size_t>& widths,
               std::size_t indent, bool number_first) {
    o << std::string(indent, ' ');
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i + 1 == row.size()) {
            o << row[i];
            break;
        }
        if (i == 0 && number_first)
            o << std::string(widths[0] - columns_of(row[0]), ' ') << row[0];
        else
            pad(o, row[i], widths[i]);
        o << ' ';
    }
    o << '\n';
}


std::optional<store::phone_match> phone_filter_of(std::string_view typed, const config::gateway_config& cfg) {
    // Fewer digits than a national number (8 where the country's length is not known, E.164's
    // least) are the end of one as typed: "0001" is no 00-prefixed number.
    std::string run;
    for (const char c : trim(typed)) {
        if (c >= '0' && c <= '9')
            run.push_back(c);
        else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            run.clear();
            break;
        }
    }
    const std::size_t national = parser::national_number_digits(cfg.server.country_code);
    if (!run.empty() && run.size() < (national != 0 ? national : 8))
        return store::phone_match{run, true};
    const std::string number = parser::normalise_phone(typed, cfg.server.country_code);
    const bool digits = !number.empty() && number.find_first_not_of("0123456789") == std::string::npos;
    if (!digits && !(number.size() > 1 && number.starts_with('+') &&
                     number.find_first_not_of("0123456789", 1) == std::string::npos))
        return std::nullopt;
    return store::phone_match{number, digits};
}

bool read_phone_filter(const invocation& inv, std::string_view command, const std::string& typed,
                       const config::gateway_config& cfg, std::optional<store::phone_match>& into, int& code) {
    into = phone_filter_of(typed, cfg);
    if (into)
        return true;
    code = user_error(inv, command,
                      "--phone '" + printable(typed) +
                          "' is not a phone number: type it whole (+97699000001, 99000001) or its last "
                          "digits (0001)");
    return false;
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


std::string known_sites(store::connection& db) {
    std::string out;
    for (const auto& s : store::list_sites(db))
        out += (out.empty() ? "" : ", ") + s.code;
    return out.empty() ? "none" : out;
}


} // namespace kharuul::gateway
