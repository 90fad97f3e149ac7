// `kharuul serve`: the gateway daemon. One I/O thread runs the HTTP listener and every
// connection; the store runs on its own thread behind store::writer (group commit). A provider's
// request is answered only after its message is durably stored; 503 when the store cannot write.
// SIGTERM/SIGINT stop gracefully (stop accepting, finish in-flight requests, flush the store);
// SIGHUP reloads the registry, the field language and routing from the configuration file.
#pragma once

#include "config/gateway_config.hpp"
#include "store/database.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <functional>
#include <memory>

namespace kharuul::gateway {

struct api_service_options;

struct daemon_options {
    std::filesystem::path config_path; // re-read on SIGHUP; may be empty (no reload)
    bool handle_signals = true;        // false in in-process tests
    // The daemon's clock: every "now" comes from here, so tests can run time on their own.
    std::function<store::timestamp()> clock;
    // Opens the store read-only, so that every write fails: for tests of the 503 path (a full or
    // read-only disk behaves the same way to the daemon).
    bool read_only_store = false;
    // Called on the I/O thread after each reload, applied (true) or refused (false): tests wait
    // on it instead of on the clock.
    std::function<void(bool applied)> on_reload;
    // A socket already bound and listening, served instead of binding [server] listen: one that
    // systemd passed (socket activation, socket_activation.hpp), or a test's socket bound to
    // port 0. The daemon owns it from the start of its constructor. -1: bind [server] listen.
    int listen_fd = -1;
    // Adjusts the /api/v1 service's options before it is made (tests: stand-in endpoints).
    std::function<void(api_service_options&)> tune_api;
};


class daemon {
public:
    // Opens the store (migrating it), seeds the registry and binds the listener. Throws when any
    // of that fails (the message says what: a path that cannot be opened, an address in use).
    daemon(config::gateway_config cfg, daemon_options options);
    ~daemon();
    daemon(const daemon&) = delete;
    daemon& operator=(const daemon&) = delete;

    boost::asio::ip::tcp::endpoint local_endpoint() const;

    // Serves until stop() or a signal; then finishes in-flight requests (at most the configured
    // grace) and flushes the store. Call from one thread: it becomes the I/O thread.
    void run();

    // Any thread: begins the graceful stop.
    void stop();

    // Any thread: reloads the configuration file as SIGHUP does, later, on the I/O thread. A file
    // that is invalid, or that names no sites (teams) while the store holds none, is refused and
    // the running configuration stays; options.on_reload hears the outcome.
    void reload();

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

// `kharuul serve --config FILE`: logs to stderr, returns the exit code.
int serve_main(const std::filesystem::path& config_path, bool debug);

} // namespace kharuul::gateway
