// `kharuul serve`: the daemon as a process, logging to stderr, with its exit codes.
#include "gateway/daemon.hpp"

#include "config/load.hpp"
#include "gateway/http_server.hpp"
#include "gateway/registry_seed.hpp"
#include "gateway/socket_activation.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace kharuul::gateway {

int serve_main(const std::filesystem::path& config_path, bool debug) {
    auto logger = spdlog::stderr_color_mt("kharuul");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    spdlog::set_level(debug ? spdlog::level::debug : spdlog::level::info);

    raise_descriptor_limit(); // before anything opens many files; the cap follows from it
    config::load_result r = config::load_config(config_path);
    for (const auto& p : r.problems)
        (p.level == config::severity::error ? spdlog::error("{}", config::format_problem(p))
                                            : spdlog::warn("{}", config::format_problem(p)));
    if (r.config) {
        // Before the daemon opens (and creates) the store: a file without sites or teams relies on
        // the store's, which must exist and hold them.
        try {
            for (const auto& p : registry_problems(*r.config, config_path.string())) {
                spdlog::error("{}", config::format_problem(p));
                r.config.reset();
            }
        } catch (const std::exception& e) {
            spdlog::error("cannot start: cannot read the store {}: {}", r.config->store.path, e.what());
            return 2;
        }
    }
    if (!r.config) {
        spdlog::error("refusing to start: {} is not a valid configuration (kharuul check-config --config {})",
                      config_path.string(), config_path.string());
        return 1;
    }
    try {
        daemon_options o;
        o.config_path = config_path;
        o.listen_fd = inherited_listener();
        if (o.listen_fd >= 0)
            spdlog::info("serving the socket passed by the service manager; [server] listen is not used");
        const std::string store_path = r.config->store.path;
        daemon d(std::move(*r.config), std::move(o));
        const auto ep = d.local_endpoint();
        spdlog::info("kharuul serving on http://{}:{} (store {}); SIGTERM stops, SIGHUP reloads",
                     ep.address().to_string(), ep.port(), store_path);
        d.run();
        return 0;
    } catch (const std::exception& e) {
        spdlog::error("cannot start: {}", e.what());
        return 2;
    }
}

} // namespace kharuul::gateway
