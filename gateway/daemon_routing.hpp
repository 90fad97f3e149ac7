// What the daemon builds from a configuration and the registry its store holds: the channels
// requests are routed to with their dialects, the parser's lexicon, the intake's settings, and the
// outbound channels; swapped whole on a reload. Internal to the daemon (daemon.cpp).
#pragma once

#include "adapters/dialect.hpp"
#include "adapters/outbound.hpp"
#include "config/gateway_config.hpp"
#include "config/problem.hpp"
#include "gateway/intake.hpp"
#include "parser/lexicon.hpp"
#include "store/registry.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kharuul::gateway::daemon_detail {

struct channel_binding {
    config::channel_config cfg;
    const adapters::dialect* dialect = nullptr; // nullptr: no inbound HTTP (log, smpp)
    adapters::channel_settings settings;
};

// What a reload replaces, swapped whole so that a request in flight keeps the one it started with.
struct routing {
    std::shared_ptr<const parser::lexicon> lex;
    std::map<std::string, channel_binding, std::less<>> channels;
    intake_settings intake;
};

// A configuration the store's registry cannot run on (config::check_registry's errors).
struct registry_refused : std::runtime_error {
    explicit registry_refused(std::vector<config::problem> p)
        : std::runtime_error(describe(p)), problems(std::move(p)) {}
    std::vector<config::problem> problems;

    static std::string describe(const std::vector<config::problem>& p) {
        std::string out;
        for (const auto& one : p)
            out += (out.empty() ? "" : "\n") + config::format_problem(one);
        return out;
    }
};

std::string public_url_of(const config::gateway_config& c);

// What the store holds after a sync, for the parts of the routing the file may leave to it.
struct synced_registry {
    store::registry_changes changes;
    std::vector<store::site> sites;         // every site, inactive ones too
    std::vector<store::team_record> teams;  // the teams with areas
    std::vector<store::coordinator> coordinators; // the active ones (when `whole`)
    // Read whole by registry_held: the store is the registry (the file's rows and those made or
    // changed at run time through the API), and the routing follows the store's sites, teams and
    // coordinators rather than the file's.
    bool whole = false;
};

// The store's registry as it is now (after a sync, or after a change through the API), whole:
// what routing_of needs to rebuild so that the change works at once, without a restart. `changes`:
// what the sync reported (empty after an API change); its active_sites are filled here. Reads only.
synced_registry registry_held(store::connection& db, store::registry_changes changes = {});

// The configuration as the routing sees it: the file's, with the store's inactive sites added (the
// alerts of their open cases still go to the teams covering their area) and the store's sites and
// teams when the file names none (it relies on the store's then). With a `whole` registry the
// store's rows win: its sites (the file's changed at run time with their new details, the ones
// made at run time added), its teams and its coordinators.
config::gateway_config effective(const config::gateway_config& c, const synced_registry& held);

// The parser knows the active sites only: the file's, or the store's when the file names none
// (with a `whole` registry: the store's active sites, which include the ones made at run time).
// An inactive site (no longer configured) is not in the lexicon, so new ID, NIL and RISK reports
// naming it are refused as an unknown site; its open cases go on being followed, since the
// follow-up forms name the case code, not the site (and `effective` keeps its area for alerts).
std::shared_ptr<const routing> routing_of(const config::gateway_config& file, const synced_registry& held);

// Every channel that can send, by name. Built on the I/O thread's executor.
// Shared, so that a send in flight keeps its channel alive when a reload replaces the map.
std::map<std::string, std::shared_ptr<adapters::outbound_channel>, std::less<>>
outbound_channels_of(const config::gateway_config& c, boost::asio::any_io_executor ex);

} // namespace kharuul::gateway::daemon_detail
