// The real `kharuul` binary at a pseudo-terminal, driven as a person drives it: keys are typed
// into the terminal and the screen's output is read back, waiting for an expected text with a
// deadline (never a sleep). For the interactive commands (`kharuul simulate`). POSIX forkpty.
#pragma once

#include "tests/support/paths.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::testing {

class pty_session {
public:
    // Starts `kharuul args...` (KHARUUL_BIN) on a new 160x50 terminal, TERM=xterm, a UTF-8 locale,
    // in `cwd` when given; `env` adds NAME=VALUE entries.
    explicit pty_session(const std::vector<std::string>& args, const std::vector<std::string>& env = {},
                         const std::string& cwd = {}) {
        struct winsize ws {};
        ws.ws_row = 50;
        ws.ws_col = 160;
        const std::string bin = kharuul_bin().string();
        pid_ = ::forkpty(&master_, nullptr, nullptr, &ws);
        if (pid_ == 0) {
            if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
                ::_exit(126);
            ::setenv("TERM", "xterm", 1);
            ::setenv("LANG", "C.UTF-8", 1);
            ::setenv("LC_ALL", "C.UTF-8", 1);
            for (const auto& e : env) {
                const auto eq = e.find('=');
                ::setenv(e.substr(0, eq).c_str(), e.substr(eq + 1).c_str(), 1);
            }
            std::vector<char*> argv{const_cast<char*>(bin.c_str())};
            for (const auto& a : args)
                argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(bin.c_str(), argv.data());
            ::_exit(127);
        }
    }
    ~pty_session() {
        if (pid_ > 0 && !exited_) {
            ::kill(pid_, SIGKILL);
            int st = 0;
            ::waitpid(pid_, &st, 0);
        }
        if (master_ >= 0)
            ::close(master_);
    }
    pty_session(const pty_session&) = delete;
    pty_session& operator=(const pty_session&) = delete;

    bool started() const { return pid_ > 0 && master_ >= 0; }
    pid_t pid() const { return pid_; }

    // Keys as typed: "ID ALT 2B 12 MINE\r" (Enter is "\r"), "\x1b[A" (the Up arrow), "\x04" (Ctrl-D).
    void type(std::string_view keys) {
        while (!keys.empty()) {
            const ssize_t n = ::write(master_, keys.data(), keys.size());
            if (n <= 0) {
                if (n < 0 && errno == EINTR)
                    continue;
                return;
            }
            keys.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    // Waits until `text` appears in the output after what earlier waits found; true when it did
    // (what follows it is where the next wait looks), false at the deadline or when the program
    // ended without printing it.
    bool wait_for(std::string_view text, std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + deadline;
        for (;;) {
            if (const auto at = output_.find(text, mark_); at != std::string::npos) {
                mark_ = at + text.size();
                return true;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0 || read_some(left) == got::closed)
                return false;
        }
    }

    // Waits until the program reads keys one by one (line editing: the terminal out of canonical
    // mode), as libedit does once its prompt is up; true when it does. Keys typed before that
    // arrive through the terminal's own line discipline, where an arrow key is only characters.
    bool wait_for_line_editing(std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + deadline;
        for (;;) {
            struct termios t {};
            if (::tcgetattr(master_, &t) == 0 && (t.c_lflag & ICANON) == 0)
                return true;
            if (std::chrono::steady_clock::now() >= until)
                return false;
            (void)read_some(std::chrono::milliseconds(10)); // keeps the output flowing meanwhile
        }
    }

    // Everything the terminal showed so far, and what came after the last wait's find.
    const std::string& output() const { return output_; }
    std::string_view since_mark() const { return std::string_view(output_).substr(mark_); }

    // Waits for the program to end (reading what it still prints); its exit code, -1 at the deadline
    // or when a signal ended it.
    int wait_exit(std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
        const auto until = std::chrono::steady_clock::now() + deadline;
        bool open = true;
        for (;;) {
            int st = 0;
            if (::waitpid(pid_, &st, WNOHANG) == pid_) {
                exited_ = true;
                while (open && read_some(std::chrono::milliseconds(50)) == got::data) {
                }
                return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
            if (left.count() <= 0)
                return -1;
            if (!open || read_some(std::min(left, std::chrono::milliseconds(100))) == got::closed) {
                open = false;
                struct pollfd none {};
                ::poll(&none, 0, 20); // the terminal is closed; the child is about to be reaped
            }
        }
    }

private:
    enum class got { data, nothing, closed };
    // Reads what is there within `timeout`.
    got read_some(std::chrono::milliseconds timeout) {
        struct pollfd p {master_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
        if (ready == 0 || (ready < 0 && errno == EINTR))
            return got::nothing;
        char buf[4096];
        const ssize_t n = ready < 0 ? -1 : ::read(master_, buf, sizeof buf);
        if (n <= 0)
            return got::closed; // EIO: the program closed the terminal
        output_.append(buf, static_cast<std::size_t>(n));
        return got::data;
    }

    int master_ = -1;
    pid_t pid_ = -1;
    bool exited_ = false;
    std::string output_;
    std::size_t mark_ = 0;
};

} // namespace kharuul::testing
