// Helpers of the crash tests (label `crash`): the real `kharuul serve` as a child process that can
// be SIGKILLed and restarted (RAII: none is left behind) on a socket the test binds to port 0 for
// each start (daemon_process::start_on_new_socket), a temp config made from config/demo.toml, and
// waiting until the daemon serves. Used by test_crash.cpp and
// test_outbox_crash.cpp; header-only, test scaffolding.
#pragma once

#include "tests/support/daemon_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/paths.hpp"

#include <boost/beast/http/verb.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kharuul::integration {

using testing::daemon_process;
using testing::demo_config_edit;
using testing::kharuul_bin;
using testing::source_dir;
using testing::tail_of;
using testing::write_demo_config;

// config/demo.toml with [store] path replaced, and no cap on one phone's cases (the crash tests
// report as fast as they can from one number: a load, not a flood). [server] listen is port 0: the
// daemon serves the socket the test passes it.
inline void write_config(const std::filesystem::path& out_path, const std::filesystem::path& store_path) {
    write_demo_config(out_path, {{"[server]", "listen", "\"127.0.0.1:0\""},
                                 {"[store]", "path", "\"" + store_path.string() + "\""},
                                 {"[messages]", "max_cases_per_sender_per_hour", "1000000"}});
}

inline void wait_until_serving(daemon_process& d, unsigned short port, const std::filesystem::path& log) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    for (;;) {
        if (!d.running())
            throw std::runtime_error("kharuul serve exited while starting; log:\n" + tail_of(log));
        if (testing::http_call(port, boost::beast::http::verb::get, "/healthz", {}, {}, {},
                               std::chrono::milliseconds(500))
                .status == 200)
            return;
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("kharuul serve not serving within 15 s; log:\n" + tail_of(log));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// The run's seed: KHARUUL_CRASH_SEED when set (to replay a run), else random; printed so that a
// failing run can be replayed.
inline std::uint64_t crash_seed(std::string_view test) {
    std::uint64_t seed = std::random_device{}();
    if (const char* s = std::getenv("KHARUUL_CRASH_SEED"))
        seed = std::strtoull(s, nullptr, 10);
    std::cout << test << " seed: " << seed << " (replay with KHARUUL_CRASH_SEED=" << seed << ")" << std::endl;
    return seed;
}

// A fresh folder for one crash test's store, configuration and daemon log.
inline std::filesystem::path fresh_crash_dir(std::string_view name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kharuul-" + std::string(name) + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace kharuul::integration
