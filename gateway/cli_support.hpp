// What every `kharuul` command shares: reading its options with Boost.Program_options (with
// --help and the one-line error), loading the configuration with its problems printed, opening its
// store, reading time options, and printing terminal text (tables, masked phones, text from
// anyone's phone made printable). Used by gateway/cli.cpp and each command's file; runs on the
// caller's thread, no logging.
#pragma once

#include "config/gateway_config.hpp"
#include "gateway/cli.hpp"
#include "gateway/time_text.hpp"
#include "store/database.hpp"
#include "store/message_log.hpp"

#include <boost/program_options.hpp>

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

// Parses a command's options. `usage` is the usage line after "usage: kharuul " and starts with
// the command's name. Returns false after printing help to inv.out (code = exit_ok) or an error to
// inv.err (code = exit_user_error); never throws for bad arguments.
bool parse_options(const invocation& inv, std::string_view usage,
                   const boost::program_options::options_description& opts,
                   const boost::program_options::positional_options_description& pos,
                   boost::program_options::variables_map& vm, int& code);

// Loads and validates the configuration, printing every problem (warnings too, unless told not
// to) one per line. nullopt when it has errors.
std::optional<config::gateway_config> load_config_or_report(const std::string& path, std::ostream& err,
                                                            bool warnings = true);

inline constexpr const char* config_help = "configuration file (TOML); the store is its store.path";

// Prints "kharuul <command>: <message>" and returns exit_user_error.
int user_error(const invocation& inv, std::string_view command, std::string_view message);

// The wall clock, in the store's resolution.
store::timestamp now();

// Opens the configured store for a command. A missing file, a schema from another build or a file
// that is not a store are the user's to fix (exit 1, `code` set); other failures throw.
std::optional<store::connection> open_store(const invocation& inv, std::string_view command,
                                            const config::gateway_config& cfg, bool read_only, int& code);

// The configuration and its store, for the commands that read nothing else in between.
struct configured_store {
    config::gateway_config cfg;
    store::connection db;
};

// Reads the configuration at `config_path` and opens its store; nullopt when either fails, with the
// error printed and `code` set (exit_user_error for the configuration, as open_store says for the
// store). Throws what open_store throws.
std::optional<configured_store> open_configured_store(const invocation& inv, std::string_view command,
                                                      const std::string& config_path, bool read_only,
                                                      int& code);

// A time option's value (a date, a local time, or "24h"/"7d" ago), or an error naming the option.
bool read_time_option(const invocation& inv, std::string_view command, std::string_view option,
                      const std::string& text, time_bound bound, const config::gateway_config& cfg,
                      std::optional<store::timestamp>& into, int& code);
// --since and --until (either may be empty: that bound stays open).
bool read_time_range(const invocation& inv, std::string_view command, const std::string& since_text,
                     const std::string& until_text, const config::gateway_config& cfg,
                     store::time_range& into, int& code);

// A phone filter as typed (whole, national or its last digits; see store::phone_match); nullopt
// when it is no phone number. `kharuul log --phone` and the API's ?phone= read it alike.
std::optional<store::phone_match> phone_filter_of(std::string_view typed, const config::gateway_config& cfg);

// A --phone filter as a coordinator types it (spaces, dashes, a 00 prefix or a lost '+' are fine).
// A whole number, international or national ("99000001"), is normalised with [server]
// country_code (parser::normalise_phone, as the daemon reads a sender) and matched exactly; a
// run of digits that is no whole number ("0001", the part the masked log shows; a short code
// "500") matches every number ending with it. Text that is no number is an error naming the
// option. Every --phone filter of the CLI reads its value here.
bool read_phone_filter(const invocation& inv, std::string_view command, const std::string& typed,
                       const config::gateway_config& cfg, std::optional<store::phone_match>& into, int& code);

// ASCII upper / lower case, and the string without leading and trailing blanks (spaces, tabs):
// for option values as coordinators type them.
std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string_view trim(std::string_view s);

// The site codes of the store's registry, for error messages: "ALT, DKH, NLK".
std::string known_sites(store::connection& db);

// ---- Terminal text

// Text from anyone's phone, one line: control characters become spaces, invalid UTF-8 U+FFFD.
std::string printable(std::string_view s);
// Characters (code points) in valid UTF-8; Latin and Cyrillic take one column each.
std::size_t columns_of(std::string_view s);
// The first `n` columns of `s`, the last of them an ellipsis when something was cut.
std::string cut(std::string_view s, std::size_t n);
void pad(std::ostream& o, std::string_view s, std::size_t width);
// A phone as the terminal shows it: masked unless `full`.
std::string shown_phone(std::string_view phone, bool full);
std::string local_or_dash(const std::optional<store::timestamp>& t, std::chrono::minutes utc_offset);
// "ALT ULT", or "ALT,ULT" with `separator` ",".
std::string joined(const std::vector<std::string>& codes, std::string_view separator = " ");
// Column widths of a table whose rows all have the same number of cells (the last is not padded).
std::vector<std::size_t> column_widths(const std::vector<std::vector<std::string>>& rows);
// One row of a table: `indent` spaces, cells padded to their column and one space apart, the
// first right-aligned when `number_first` (ids), the last as it is.
void print_row(std::ostream& o, const std::vector<std::string>& row, const std::vector<std::size_t>& widths,
               std::size_t indent, bool number_first);

} // namespace kharuul::gateway
