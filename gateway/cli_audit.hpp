// The audit rows of the command line's reads of sensitive records (domain.md 6.2: every access
// recorded): `kharuul case CODE` of a sensitive case and `kharuul report --explain --sensitive`
// write one row per record read (actor "command line", action "read"), as the API does for its
// readers. Those commands open the store read-only; the rows go through a writable connection of
// their own, opened just for them. Runs on the caller's thread.
#pragma once

#include "config/gateway_config.hpp"
#include "gateway/cli.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway {

// Appends one audit row per object ("case 100009") in one transaction. Returns exit_ok, or the
// exit code of open_store's error (printed) when the store cannot be opened for writing.
int audit_cli_reads(const invocation& inv, std::string_view command, const config::gateway_config& cfg,
                    const std::vector<std::string>& objects);

} // namespace kharuul::gateway
