// What every `kharuul` command shares: reading its options with Boost.Program_options (with
// --help and the one-line error) and loading the configuration with its problems printed. Used by
// gateway/cli.cpp and gateway/coordinator_commands.cpp; runs on the caller's thread, no logging.
#pragma once

#include "config/gateway_config.hpp"
#include "gateway/cli.hpp"

#include <boost/program_options.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

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

} // namespace kharuul::gateway
