// A gateway daemon for tests: the demo configuration with a fresh store in a temporary folder and
// a free loopback port, run on its own thread, with a clock the test moves; and a provider's POST
// to its generic channel.
#pragma once

#include "config/load.hpp"
#include "gateway/daemon.hpp"
#include "store/database.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/listening_socket.hpp"
#include "tests/support/paths.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

namespace kharuul::testing {

namespace fs = std::filesystem;
namespace json = boost::json;

inline fs::path fresh_dir(const std::string& name) {
    const fs::path d = fs::temp_directory_path() / ("kharuul-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

inline config::gateway_config demo_config(const fs::path& dir) {
    auto r = config::load_config(source_dir() / "config" / "demo.toml");
    if (!r.config)
        throw std::runtime_error("demo.toml does not load");
    config::gateway_config c = std::move(*r.config);
    c.store.path = (dir / "kharuul.db").string();
    c.server.listen.port = 0;
    return c;
}

// A daemon on its own thread, with a clock the test moves.
class running_gateway {
public:
    explicit running_gateway(const std::string& name, bool read_only = false,
                             std::function<void(config::gateway_config&)> tweak = {})
        : dir_(fresh_dir(name)), tweak_(std::move(tweak)), listener_(std::make_shared<listening_socket>()) {
        start(read_only);
    }
    // Serves `listener`, bound before the gateway: for a peer that must know the port first.
    running_gateway(const std::string& name, std::shared_ptr<listening_socket> listener,
                    std::function<void(config::gateway_config&)> tweak = {})
        : dir_(fresh_dir(name)), tweak_(std::move(tweak)), listener_(std::move(listener)) {
        start(false);
    }
    ~running_gateway() {
        stop();
        db_.reset();
        std::error_code ignored;
        fs::remove_all(dir_, ignored); // tests leave no folders behind
    }

    void start(bool read_only = false) {
        gateway::daemon_options o;
        o.handle_signals = false;
        o.read_only_store = read_only;
        o.clock = [this] { return store::timestamp{std::chrono::milliseconds{now_ms_.load()}}; };
        config::gateway_config cfg = demo_config(dir_);
        if (tweak_)
            tweak_(cfg);
        o.listen_fd = listener_->dup(); // a restart serves the same socket
        d_ = std::make_unique<gateway::daemon>(std::move(cfg), o);
        thread_ = std::thread([this] { d_->run(); });
    }

    void stop() {
        if (!d_)
            return;
        d_->stop();
        thread_.join();
        d_.reset();
    }

    void advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

    http_reply post(const std::string& from, const std::string& text, const std::string& id = {},
                             const std::string& secret = "demo-secret") {
        std::string body = "from=" + form_encode(from) + "&to=500&text=" + form_encode(text);
        if (!id.empty())
            body += "&id=" + form_encode(id);
        return http_post(port(), "/channels/generic/receive?secret=" + secret, body);
    }

    // The reply text of an accepted POST (fails the test when the answer is not 200 JSON).
    json::object send(const std::string& from, const std::string& text, const std::string& id = {}) {
        auto r = post(from, text, id);
        EXPECT_EQ(r.status, 200) << r.body;
        if (r.status != 200)
            return {};
        return json::parse(r.body).as_object();
    }

    // A connection of the test's own (reads see every commit of the daemon: WAL).
    store::connection& db() {
        if (!db_)
            db_ = std::make_unique<store::connection>(store::open_database(dir_ / "kharuul.db"));
        return *db_;
    }
    unsigned short port() const { return listener_->port(); }
    const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
    std::function<void(config::gateway_config&)> tweak_;
    std::atomic<std::int64_t> now_ms_{1'764'000'000'000};
    std::unique_ptr<gateway::daemon> d_;
    std::unique_ptr<store::connection> db_;
    std::thread thread_;
    std::shared_ptr<listening_socket> listener_;
};

} // namespace kharuul::testing
