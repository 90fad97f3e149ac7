// Helpers of the crash tests (label `crash`): the real `kharuul serve` as a child process that can
// be SIGKILLed and restarted (RAII: none is left behind), serving a loopback socket the test bound
// to port 0 and passes it by socket activation (the same socket across restarts), a temp config
// made from config/demo.toml, and waiting until the daemon serves. Used by test_crash.cpp and
// test_outbox_crash.cpp; header-only, test scaffolding.
#pragma once

#include "tests/support/http_client.hpp"
#include "tests/support/listening_socket.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
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

inline std::filesystem::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? std::filesystem::path(s) : std::filesystem::current_path();
}

inline std::filesystem::path kharuul_bin() {
    const char* s = std::getenv("KHARUUL_BIN");
    return s ? std::filesystem::path(s) : source_dir() / "build" / "kharuul";
}

inline std::string tail_of(const std::filesystem::path& file, std::size_t lines = 40) {
    std::ifstream in(file);
    std::deque<std::string> last;
    for (std::string line; std::getline(in, line);) {
        last.push_back(line);
        if (last.size() > lines)
            last.pop_front();
    }
    std::string out;
    for (const auto& l : last)
        out += l + "\n";
    return out;
}

// One key of config/demo.toml to replace: `key = ...` in `section` (written as in the file,
// e.g. "[server]") becomes `key = value` (value is TOML text, quotes included for strings).
struct demo_config_edit {
    std::string section;
    std::string key;
    std::string value;
};

// config/demo.toml with the edits made and `appended` (more TOML, e.g. a [[channels]] entry) at
// the end. Throws when a key is not where the demo has it, so that a changed demo file fails loudly
// rather than testing the wrong store.
inline void write_demo_config(const std::filesystem::path& out_path,
                              const std::vector<demo_config_edit>& edits, const std::string& appended = {}) {
    std::ifstream in(source_dir() / "config" / "demo.toml");
    if (!in)
        throw std::runtime_error("cannot read config/demo.toml");
    std::ostringstream out;
    std::string section;
    std::vector<bool> done(edits.size(), false);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("["))
            section = line.substr(0, line.find(']') + 1);
        for (std::size_t i = 0; i < edits.size(); ++i) {
            const auto& e = edits[i];
            if (section == e.section && (line.starts_with(e.key + " ") || line.starts_with(e.key + "="))) {
                line = e.key + " = " + e.value;
                done[i] = true;
            }
        }
        out << line << "\n";
    }
    for (std::size_t i = 0; i < edits.size(); ++i)
        if (!done[i])
            throw std::runtime_error("config/demo.toml: " + edits[i].section + " " + edits[i].key +
                                     " not found");
    out << appended;
    std::ofstream o(out_path);
    o << out.str();
    if (!o)
        throw std::runtime_error("cannot write " + out_path.string());
}

// config/demo.toml with [server] listen and [store] path replaced, and no cap on one phone's
// cases (the crash tests report as fast as they can from one number: a load, not a flood).
inline void write_config(const std::filesystem::path& out_path, unsigned short port,
                         const std::filesystem::path& store_path) {
    write_demo_config(out_path, {{"[server]", "listen", "\"127.0.0.1:" + std::to_string(port) + "\""},
                                 {"[store]", "path", "\"" + store_path.string() + "\""},
                                 {"[messages]", "max_cases_per_sender_per_hour", "1000000"}});
}

// `kharuul serve --config FILE` as a child process that the test can SIGKILL. The destructor kills
// it (RAII: a failed assertion leaves no daemon behind), and PR_SET_PDEATHSIG kills it when the
// thread that started it dies (a test process killed by ctest's timeout). Start it from the test's
// main thread. stderr (the daemon's log) goes to `log`, appended across restarts. The daemon serves
// `listener` (descriptor 3 with LISTEN_PID and LISTEN_FDS, as systemd passes a socket), which the
// test keeps open: while the daemon is down, connections wait in its backlog.
class daemon_process {
public:
    daemon_process(std::filesystem::path bin, std::filesystem::path config, std::filesystem::path log,
                   const testing::listening_socket& listener)
        : bin_(std::move(bin)), config_(std::move(config)), log_(std::move(log)), listen_fd_(listener.fd()) {}
    ~daemon_process() { kill_now(); }
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;

    void start() {
        if (pid_ > 0)
            throw std::logic_error("daemon already running");
        // Everything the child needs is prepared before fork: after it, async-signal-safe calls only.
        const std::string bin = bin_.string(), cfg = config_.string(), log = log_.string();
        const char* argv[] = {bin.c_str(), "serve", "--config", cfg.c_str(), nullptr};
        // The environment, without any LISTEN_ variable of ours, and with LISTEN_PID's digits
        // written in the child (its pid is not known before the fork).
        std::vector<std::string> env_text;
        for (char** e = environ; *e; ++e)
            if (!std::string_view(*e).starts_with("LISTEN_"))
                env_text.emplace_back(*e);
        env_text.emplace_back("LISTEN_FDS=1");
        env_text.emplace_back("LISTEN_PID=" + std::string(20, '\0'));
        std::vector<char*> envp;
        for (auto& t : env_text)
            envp.push_back(t.data());
        envp.push_back(nullptr);
        char* pid_digits = env_text.back().data() + std::string_view("LISTEN_PID=").size();
        const int listen_fd = listen_fd_;
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0)
            throw std::runtime_error("fork failed");
        if (pid == 0) {
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent)
                ::_exit(127);
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
            }
            const int null_fd = ::open("/dev/null", O_RDONLY);
            if (null_fd >= 0)
                ::dup2(null_fd, 0);
            if (::dup2(listen_fd, 3) != 3) // clears close-on-exec on descriptor 3
                ::_exit(127);
            ::close_range(4, ~0U, 0); // not the test's other sockets
            char digits[20];
            int n = 0;
            for (pid_t p = ::getpid(); p > 0; p /= 10)
                digits[n++] = static_cast<char>('0' + p % 10);
            for (int i = 0; i < n; ++i)
                pid_digits[i] = digits[n - 1 - i];
            ::execve(bin.c_str(), const_cast<char* const*>(argv), envp.data());
            ::_exit(127);
        }
        pid_ = pid;
    }

    bool running() {
        if (pid_ <= 0)
            return false;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            last_status_ = status;
            return false;
        }
        return true;
    }

    // SIGKILL, without waiting for the process to go (reap() does). No-op when not running.
    void send_kill() {
        if (pid_ > 0)
            ::kill(pid_, SIGKILL);
    }

    // Waits for the process to end and reaps it. No-op when not running.
    void reap() {
        if (pid_ <= 0)
            return;
        int status = 0;
        ::waitpid(pid_, &status, 0);
        last_status_ = status;
        pid_ = -1;
    }

    void kill_now() {
        send_kill();
        reap();
    }

    // SIGTERM (graceful stop), then SIGKILL after `grace`. The exit code, or -1 when it had to be
    // killed or died of a signal.
    int terminate(std::chrono::milliseconds grace) {
        if (pid_ <= 0)
            return -1;
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (running()) {
            kill_now();
            return -1;
        }
        return WIFEXITED(last_status_) ? WEXITSTATUS(last_status_) : -1;
    }

    pid_t pid() const { return pid_; }

private:
    std::filesystem::path bin_, config_, log_;
    int listen_fd_ = -1;
    pid_t pid_ = -1;
    int last_status_ = 0;
};

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
