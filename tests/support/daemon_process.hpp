// The real `kharuul` binary as a child process for tests (RAII: none is left behind), a
// configuration made from config/demo.toml for it, and waiting on what it writes to its log
// (the port it serves on, a reload, a stop) instead of on the clock. Used by the crash tests and
// the gateway's signal tests; header-only, test scaffolding without the project's libraries.
#pragma once

#include "tests/support/listening_socket.hpp"
#include "tests/support/paths.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kharuul::testing {

// The last `lines` lines of `file` (a daemon's log), for failure messages.
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

// `kharuul serve --config FILE` as a child process that the test can SIGKILL. The destructor kills
// it (RAII: a failed assertion leaves no daemon behind), and PR_SET_PDEATHSIG kills it when the
// thread that started it dies (a test process killed by ctest's timeout). Start it from the test's
// main thread. stderr (the daemon's log) goes to `log`, appended across restarts.
class daemon_process {
public:
    daemon_process(std::filesystem::path bin, std::filesystem::path config, std::filesystem::path log)
        : bin_(std::move(bin)), config_(std::move(config)), log_(std::move(log)) {}
    ~daemon_process() { kill_now(); }
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;

    // Starts `kharuul serve`, which binds the configuration's [server] listen itself.
    void start() { spawn(-1); }

    // Starts `kharuul serve` on a loopback socket bound to port 0 here and passed as systemd
    // passes one (descriptor 3, LISTEN_PID, LISTEN_FDS): the port is known before the daemon runs
    // and never free for another process to take meanwhile. This process closes its copy, so
    // that once the daemon dies, connections are refused as they would be by a stopped server.
    // Returns the port (also port()); each start gets a new one.
    unsigned short start_on_new_socket() {
        testing::listening_socket listener;
        spawn(listener.fd());
        port_ = listener.port();
        return port_;
    }

    // The port of the last start_on_new_socket().
    unsigned short port() const { return port_; }

private:
    void spawn(int listen_fd) {
        if (pid_ > 0)
            throw std::logic_error("daemon already running");
        // Everything the child needs is prepared before fork: after it, async-signal-safe calls only.
        const std::string bin = bin_.string(), cfg = config_.string(), log = log_.string();
        const char* argv[] = {bin.c_str(), "serve", "--config", cfg.c_str(), nullptr};
        // The environment without LISTEN_ variables; with a socket, LISTEN_FDS=1 and LISTEN_PID,
        // whose digits are written in the child (its pid is not known before the fork).
        std::vector<std::string> env_text;
        for (char** e = environ; *e; ++e)
            if (!std::string_view(*e).starts_with("LISTEN_"))
                env_text.emplace_back(*e);
        if (listen_fd >= 0) {
            env_text.emplace_back("LISTEN_FDS=1");
            env_text.emplace_back("LISTEN_PID=" + std::string(20, '\0'));
        }
        std::vector<char*> envp;
        for (auto& t : env_text)
            envp.push_back(t.data());
        envp.push_back(nullptr);
        char* pid_digits = listen_fd >= 0 ? env_text.back().data() + std::string_view("LISTEN_PID=").size() : nullptr;
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
            int keep = 3; // the first descriptor closed below
            if (listen_fd >= 0) {
                // Descriptor 3 without close-on-exec (dup2 clears it, but does nothing when the
                // socket is descriptor 3 already).
                if (listen_fd == 3 ? ::fcntl(3, F_SETFD, 0) != 0 : ::dup2(listen_fd, 3) != 3)
                    ::_exit(127);
                keep = 4;
                char digits[20];
                int n = 0;
                for (pid_t p = ::getpid(); p > 0; p /= 10)
                    digits[n++] = static_cast<char>('0' + p % 10);
                for (int i = 0; i < n; ++i)
                    pid_digits[i] = digits[n - 1 - i];
            }
            ::close_range(static_cast<unsigned>(keep), ~0U, 0); // not the test's other sockets
            ::execve(bin.c_str(), const_cast<char* const*>(argv), envp.data());
            ::_exit(127);
        }
        pid_ = pid;
    }

public:
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

    // Sends `sig` (SIGTERM, SIGHUP ...). No-op when not running.
    void signal(int sig) {
        if (pid_ > 0)
            ::kill(pid_, sig);
    }

    // Waits up to `limit` for the process to end. Its exit code, or -1 when it died of a signal;
    // nullopt when it still runs after `limit`.
    std::optional<int> wait_exit(std::chrono::milliseconds limit) {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (running() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (running())
            return std::nullopt;
        return WIFEXITED(last_status_) ? WEXITSTATUS(last_status_) : -1;
    }

    // SIGTERM (graceful stop), then SIGKILL after `grace`. The exit code, or -1 when it had to be
    // killed or died of a signal.
    int terminate(std::chrono::milliseconds grace) {
        if (pid_ <= 0)
            return -1;
        signal(SIGTERM);
        if (auto code = wait_exit(grace))
            return *code;
        kill_now();
        return -1;
    }

    pid_t pid() const { return pid_; }

private:
    std::filesystem::path bin_, config_, log_;
    pid_t pid_ = -1;
    unsigned short port_ = 0;
    int last_status_ = 0;
};

// Waits until `log` has a line containing `text` after its first `from` lines; returns that line
// and sets `from` past it. Throws, naming the log's tail, when `d` exits first or after `limit`.
inline std::string wait_for_log_line(daemon_process& d, const std::filesystem::path& log,
                                     std::string_view text, std::size_t& from,
                                     std::chrono::milliseconds limit = std::chrono::seconds(15)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        std::ifstream in(log);
        std::size_t n = 0;
        for (std::string line; std::getline(in, line); ++n)
            if (n >= from && line.find(text) != std::string::npos) {
                from = n + 1;
                return line;
            }
        if (!d.running())
            throw std::runtime_error("kharuul exited before logging \"" + std::string(text) + "\"; log:\n" +
                                     tail_of(log));
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("kharuul did not log \"" + std::string(text) + "\" in time; log:\n" +
                                     tail_of(log));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// The port a `kharuul serve` listening on port 0 was given, from its start-up line
// ("kharuul serving on http://127.0.0.1:PORT ..."). `from` as for wait_for_log_line.
inline unsigned short serving_port(daemon_process& d, const std::filesystem::path& log, std::size_t& from) {
    const std::string line = wait_for_log_line(d, log, "kharuul serving on http://", from);
    const auto url = line.find("http://");
    const auto colon = line.find(':', url + 7);
    return static_cast<unsigned short>(std::stoul(line.substr(colon + 1)));
}

} // namespace kharuul::testing
