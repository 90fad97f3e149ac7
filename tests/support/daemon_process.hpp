// The real `kharuul` binary as a child process for tests (RAII: none is left behind), a
// configuration made from config/demo.toml for it, and waiting on what it writes to its log
// (the port it serves on, a reload, a stop) instead of on the clock. Used by the crash tests and
// the gateway's signal tests; header-only, test scaffolding without the project's libraries.
#pragma once

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

    void start() {
        if (pid_ > 0)
            throw std::logic_error("daemon already running");
        // Everything the child needs is prepared before fork: after it, async-signal-safe calls only.
        const std::string bin = bin_.string(), cfg = config_.string(), log = log_.string();
        const char* argv[] = {bin.c_str(), "serve", "--config", cfg.c_str(), nullptr};
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
            ::close_range(3, ~0U, 0); // not the test's sockets
            ::execv(bin.c_str(), const_cast<char* const*>(argv));
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
