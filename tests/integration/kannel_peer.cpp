#include "tests/integration/kannel_peer.hpp"

#include "parser/text.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kharuul::integration {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string utf8_to_utf16be(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size() * 2);
    auto put = [&](char32_t unit) {
        out.push_back(static_cast<char>((unit >> 8) & 0xFF));
        out.push_back(static_cast<char>(unit & 0xFF));
    };
    for (std::size_t pos = 0; pos < utf8.size();) {
        char32_t cp = parser::next_code_point(utf8, pos);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put(0xD800 + (cp >> 10));
            put(0xDC00 + (cp & 0x3FF));
        } else {
            put(cp);
        }
    }
    return out;
}

std::string utf16be_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 3 / 2);
    auto unit_at = [&](std::size_t i) {
        return static_cast<char32_t>((static_cast<unsigned char>(bytes[i]) << 8) |
                                     static_cast<unsigned char>(bytes[i + 1]));
    };
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        char32_t unit = unit_at(i);
        if (unit >= 0xD800 && unit < 0xDC00 && i + 3 < bytes.size()) {
            char32_t low = unit_at(i + 2);
            if (low >= 0xDC00 && low < 0xE000) {
                parser::append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                i += 2;
                continue;
            }
        }
        parser::append_utf8(out, unit >= 0xD800 && unit < 0xE000 ? parser::replacement_char : unit);
    }
    if (i < bytes.size())
        parser::append_utf8(out, parser::replacement_char);
    return out;
}

namespace {

bool is_ascii(std::string_view text) {
    for (unsigned char c : text)
        if (c >= 0x80)
            return false;
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

int to_int(const std::optional<std::string>& s, int fallback) {
    if (!s || s->empty())
        return fallback;
    try {
        return std::stoi(*s);
    } catch (const std::exception&) {
        return fallback;
    }
}

// Kannel's message UUID inside the smsc's wrapped dlr-url ("...&dlr-mid=<uuid>").
std::string dlr_mid_of(std::string_view dlr_url) {
    constexpr std::string_view key = "dlr-mid=";
    auto at = dlr_url.rfind(key);
    if (at == std::string_view::npos)
        return {};
    auto value = dlr_url.substr(at + key.size());
    return std::string(value.substr(0, value.find('&')));
}

std::string tail_of(const std::filesystem::path& file, std::size_t lines) {
    std::ifstream in(file);
    if (!in)
        return "(no " + file.filename().string() + ")\n";
    std::deque<std::string> last;
    for (std::string line; std::getline(in, line);) {
        last.push_back(std::move(line));
        if (last.size() > lines)
            last.pop_front();
    }
    std::string out =
        "--- " + file.filename().string() + " (last " + std::to_string(last.size()) + " lines)\n";
    for (auto& l : last)
        out += l + "\n";
    return out;
}

std::filesystem::path make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kharuul-kannel-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("kannel_peer: mkdtemp failed: " + std::string(std::strerror(errno)));
    return pattern;
}

} // namespace

kannel_peer::kannel_peer(kannel_peer_options options) : options_(std::move(options)) {
    if (options_.get_url.find_first_of("\"\n\r") != std::string::npos)
        throw std::invalid_argument("kannel_peer: get_url must not contain '\"' or line breaks");
    deliver_reports_ = options_.deliver_reports;
    if (std::getenv("KHARUUL_KEEP_KANNEL") != nullptr)
        options_.keep_files = true;
    dir_ = make_temp_dir();
    auto ports = pick_free_ports(4);
    admin_port_ = ports[0];
    smsbox_port_ = ports[1];
    smsc_port_ = ports[2];
    sendsms_port_ = ports[3];
    network_ = std::make_unique<loopback_http_server>(
        [this](const http_request& req) { return on_network_request(req); });
    write_config();
    if (options_.start) {
        try {
            start();
        } catch (...) {
            stop();
            network_.reset();
            if (!options_.keep_files) {
                std::error_code ignored;
                std::filesystem::remove_all(dir_, ignored);
            }
            throw;
        }
    }
}

kannel_peer::~kannel_peer() {
    stop();
    network_.reset();
    if (!options_.keep_files) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

std::uint16_t kannel_peer::network_port() const noexcept {
    return network_->port();
}

void kannel_peer::write_config() const {
    auto path = [&](const char* name) { return (dir_ / name).string(); };
    std::ofstream out(config_path());
    out << "# Generated by tests/integration/kannel_peer.cpp from /work/shared/kannel/loop.conf.\n"
        << "group = core\n"
        << "admin-port = " << admin_port_ << "\n"
        << "admin-interface = 127.0.0.1\n"
        << "admin-password = " << admin_password << "\n"
        << "admin-allow-ip = 127.0.0.1\n"
        << "smsbox-port = " << smsbox_port_ << "\n"
        << "smsbox-interface = 127.0.0.1\n"
        << "box-allow-ip = 127.0.0.1\n"
        << "log-file = \"" << path("bearerbox.log") << "\"\n"
        << "log-level = " << options_.log_level << "\n"
        << "access-log = \"" << path("bearerbox-access.log") << "\"\n"
        << "store-type = file\n"
        << "store-location = \"" << path("kannel.store") << "\"\n"
        << "dlr-storage = internal\n"
        << "\n"
        << "group = smsc\n"
        << "smsc = http\n"
        << "smsc-id = " << smsc_id << "\n"
        << "system-type = kannel\n"
        << "port = " << smsc_port_ << "\n"
        << "send-url = \"http://127.0.0.1:" << network_->port() << "/mt\"\n"
        << "smsc-username = " << smsc_username << "\n"
        << "smsc-password = " << smsc_password << "\n"
        << "connect-allow-ip = 127.0.0.1\n"
        // Makes send-url carry the message's UUID (dlr-mid) so that the network can report
        // delivery back to this SMSC port; see kannel_peer.hpp.
        << "dlr-url = \"http://127.0.0.1:" << smsc_port_ << "/?username=" << smsc_username
        << "&password=" << smsc_password << "\"\n"
        << "\n"
        << "group = smsbox\n"
        << "bearerbox-host = 127.0.0.1\n"
        << "bearerbox-port = " << smsbox_port_ << "\n"
        << "sendsms-port = " << sendsms_port_ << "\n"
        << "sendsms-interface = 127.0.0.1\n"
        << "log-file = \"" << path("smsbox.log") << "\"\n"
        << "log-level = " << options_.log_level << "\n"
        << "access-log = \"" << path("smsbox-access.log") << "\"\n"
        << "mo-recode = " << (options_.mo_recode ? "true" : "false") << "\n"
        << "http-request-retry = " << options_.http_request_retry << "\n"
        << "http-queue-delay = " << options_.http_queue_delay_seconds << "\n"
        << "\n"
        << "group = sms-service\n"
        << "keyword = default\n"
        << "get-url = \"" << options_.get_url << "\"\n"
        << "max-messages = 1\n"
        << "omit-empty = true\n"
        << "accept-x-kannel-headers = " << (options_.accept_x_kannel_headers ? "true" : "false") << "\n"
        << "\n"
        << "group = sendsms-user\n"
        << "username = " << sendsms_username << "\n"
        << "password = " << sendsms_password << "\n"
        << "\n"
        << options_.extra_config << "\n";
    if (!out)
        throw std::runtime_error("kannel_peer: cannot write " + config_path().string());
}

// ---- processes ----

void kannel_peer::spawn(box& b, const std::string& program) {
    std::string conf = config_path().string();
    std::string err = (dir_ / (std::string(b.name) + ".stderr")).string();
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("kannel_peer: fork failed: " + std::string(std::strerror(errno)));
    if (pid == 0) {
        // Child: async-signal-safe calls only (the parent has threads).
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
        int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            ::dup2(fd, 1);
            ::dup2(fd, 2);
        }
        int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd >= 0)
            ::dup2(null_fd, 0);
        ::close_range(3, ~0U, 0); // not the test's sockets: they would outlive their owners
        // -v 4: only panics on stderr; the log files get log-level.
        const char* argv[] = {program.c_str(), "-v", "4", conf.c_str(), nullptr};
        ::execv(program.c_str(), const_cast<char* const*>(argv));
        ::_exit(127);
    }
    b.pid = pid;
}

bool kannel_peer::running(box& b) {
    if (b.pid <= 0)
        return false;
    int status = 0;
    pid_t r = ::waitpid(b.pid, &status, WNOHANG);
    if (r == b.pid || (r < 0 && errno == ECHILD)) {
        b.pid = -1;
        return false;
    }
    return true;
}

bool kannel_peer::bearerbox_running() {
    return running(bearerbox_);
}

bool kannel_peer::smsbox_running() {
    return running(smsbox_);
}

void kannel_peer::wait_until(box& b, const std::function<bool()>& ready) {
    auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
    for (;;) {
        if (ready())
            return;
        if (!running(b))
            throw std::runtime_error("kannel_peer: " + std::string(b.name) + " exited while starting\n" +
                                     log_tail());
        if (std::chrono::steady_clock::now() > deadline)
            throw std::runtime_error("kannel_peer: " + std::string(b.name) + " not ready within " +
                                     std::to_string(options_.start_timeout.count()) + " ms\n" + log_tail());
        std::this_thread::sleep_for(30ms);
    }
}

void kannel_peer::start_bearerbox() {
    if (running(bearerbox_))
        return;
    spawn(bearerbox_, options_.bearerbox_path);
    wait_until(bearerbox_, [&] {
        auto status = admin_status();
        // The SMSC line reads "fake[fake] HTTP:kannel:PORT (online 0s, ...": its port listens.
        return status && status->find("(online") != std::string::npos && port_accepts(smsc_port_);
    });
}

void kannel_peer::start_smsbox() {
    if (running(smsbox_))
        return;
    spawn(smsbox_, options_.smsbox_path);
    wait_until(smsbox_, [&] {
        if (!port_accepts(sendsms_port_))
            return false;
        if (!running(bearerbox_))
            return true; // nothing to be connected to; smsbox keeps retrying
        auto status = admin_status();
        return status && status->find("smsbox:") != std::string::npos;
    });
}

void kannel_peer::start() {
    start_bearerbox();
    start_smsbox();
}

void kannel_peer::stop_boxes(std::initializer_list<box*> boxes) {
    for (box* b : boxes)
        if (running(*b))
            ::kill(b->pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + options_.stop_timeout;
    for (box* b : boxes) {
        while (running(*b) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
        if (running(*b)) {
            ::kill(b->pid, SIGKILL);
            ::waitpid(b->pid, nullptr, 0);
            b->pid = -1;
        }
    }
}

void kannel_peer::stop() {
    stop_boxes({&smsbox_, &bearerbox_});
}

void kannel_peer::stop_smsbox() {
    stop_boxes({&smsbox_});
}

void kannel_peer::stop_bearerbox() {
    stop_boxes({&bearerbox_});
}

std::optional<std::string> kannel_peer::admin_status() {
    auto reply = http_get(admin_port_, "/status.txt?password=" + std::string(admin_password), 1s);
    if (!reply || reply->status != 200)
        return std::nullopt;
    return std::move(reply->body);
}

std::string kannel_peer::log_tail(std::size_t lines) const {
    return tail_of(dir_ / "bearerbox.log", lines) + tail_of(dir_ / "bearerbox.stderr", lines) +
           tail_of(dir_ / "smsbox.log", lines) + tail_of(dir_ / "smsbox.stderr", lines);
}

// ---- the phone network ----

http_response kannel_peer::on_network_request(const http_request& req) {
    std::string_view target(req.target().data(), req.target().size());
    if (target_path(target) != "/mt")
        return text_response("unknown path", http::status::not_found);
    auto params = parse_query(target);
    if (query_value(params, "username") != std::string(smsc_username) ||
        query_value(params, "password") != std::string(smsc_password))
        return text_response("Authorization failed", http::status::forbidden);

    mt_message mt;
    mt.to = query_value(params, "to").value_or("");
    mt.from = query_value(params, "from").value_or("");
    mt.raw_text = query_value(params, "text").value_or("");
    mt.coding = to_int(query_value(params, "coding"), -1);
    mt.charset = query_value(params, "charset").value_or("");
    mt.dlr_mask = to_int(query_value(params, "dlr-mask"), 0);
    mt.dlr_url = query_value(params, "dlr-url").value_or("");
    mt.dlr_mid = dlr_mid_of(mt.dlr_url);
    mt.smsc = query_value(params, "smsc").value_or("");
    mt.target = std::string(target);
    bool utf16 = iequals(mt.charset, "UTF-16BE") || (mt.charset.empty() && mt.coding == 2);
    mt.text = utf16 ? utf16be_to_utf8(mt.raw_text) : mt.raw_text;

    bool report = false;
    int status = 0;
    {
        std::lock_guard lock(mutex_);
        report = deliver_reports_ && !mt.dlr_mid.empty() && (mt.dlr_mask & report_status_) != 0;
        status = report_status_;
        mts_.push_back(mt);
    }
    changed_.notify_all();

    if (report) {
        // Bearerbox files the DLR only after reading this answer, so report a little later and
        // retry while Kannel does not know the message yet.
        asio::co_spawn(
            network_->context(),
            [this, mt, status]() -> asio::awaitable<void> {
                asio::steady_timer timer(co_await asio::this_coro::executor);
                query_params q{
                    {"username", std::string(smsc_username)},
                    {"password", std::string(smsc_password)},
                    {"to", mt.to},
                    {"from", mt.from},
                    {"dlr-mask", std::to_string(status)},
                    {"dlr-mid", mt.dlr_mid},
                    {"text", "id:" + mt.dlr_mid + (status == 1 ? " stat:DELIVRD" : " stat:UNDELIV")}};
                std::string report_target = "/?" + make_query(q);
                std::string answer;
                for (int attempt = 0; attempt < 10; ++attempt) {
                    timer.expires_after(attempt == 0 ? 100ms : 300ms);
                    co_await timer.async_wait(asio::use_awaitable);
                    auto reply = co_await async_http_get(smsc_port_, report_target, 2s);
                    answer = reply ? reply->body : std::string("(no answer)");
                    if (answer == "Sent.")
                        break;
                }
                {
                    std::lock_guard lock(mutex_);
                    reports_.push_back(sent_report{mt.dlr_mid, mt.to, status, answer});
                }
                changed_.notify_all();
            },
            asio::detached);
    }
    return text_response("Sent.");
}

bool kannel_peer::send_mo(std::string_view from, std::string_view to, std::string_view text,
                          mo_coding coding) {
    if (coding == mo_coding::automatic)
        coding = is_ascii(text) ? mo_coding::as_is : mo_coding::ucs2;
    query_params q{{"from", std::string(from)}, {"to", std::string(to)}};
    if (coding == mo_coding::ucs2) {
        q.emplace_back("coding", "2");
        q.emplace_back("text", utf8_to_utf16be(text));
    } else {
        q.emplace_back("text", std::string(text));
    }
    auto reply = smsc_get(q);
    return reply && (reply->status == 200 || reply->status == 202) && reply->body == "Sent.";
}

std::optional<http_reply> kannel_peer::smsc_get(const query_params& params) {
    query_params q{{"username", std::string(smsc_username)}, {"password", std::string(smsc_password)}};
    q.insert(q.end(), params.begin(), params.end());
    return http_get(smsc_port_, "/?" + make_query(q), 5s);
}

std::optional<mt_message> kannel_peer::wait_for_mt(const std::function<bool(const mt_message&)>& pred,
                                                   std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<mt_message> found;
    changed_.wait_for(lock, timeout, [&] {
        for (const auto& mt : mts_)
            if (pred(mt)) {
                found = mt;
                return true;
            }
        return false;
    });
    return found;
}

std::vector<mt_message> kannel_peer::mt_messages() const {
    std::lock_guard lock(mutex_);
    return mts_;
}

void kannel_peer::clear_mt() {
    std::lock_guard lock(mutex_);
    mts_.clear();
}

std::optional<http_reply> kannel_peer::sendsms(std::string_view to, std::string_view text, int dlr_mask,
                                               std::string_view dlr_url, std::optional<int> coding,
                                               std::string_view from) {
    query_params q{{"username", std::string(sendsms_username)},
                   {"password", std::string(sendsms_password)},
                   {"to", std::string(to)},
                   {"text", std::string(text)},
                   {"charset", "UTF-8"}};
    if (!from.empty())
        q.emplace_back("from", std::string(from));
    if (coding)
        q.emplace_back("coding", std::to_string(*coding));
    if (dlr_mask != 0)
        q.emplace_back("dlr-mask", std::to_string(dlr_mask));
    if (!dlr_url.empty())
        q.emplace_back("dlr-url", std::string(dlr_url));
    return http_get(sendsms_port_, "/cgi-bin/sendsms?" + make_query(q), 5s);
}

void kannel_peer::deliver_reports(bool on, int status) {
    std::lock_guard lock(mutex_);
    deliver_reports_ = on;
    report_status_ = status;
}

std::vector<sent_report> kannel_peer::sent_reports() const {
    std::lock_guard lock(mutex_);
    return reports_;
}

std::optional<sent_report> kannel_peer::wait_for_report(const std::function<bool(const sent_report&)>& pred,
                                                        std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<sent_report> found;
    changed_.wait_for(lock, timeout, [&] {
        for (const auto& r : reports_)
            if (pred(r)) {
                found = r;
                return true;
            }
        return false;
    });
    return found;
}

} // namespace kharuul::integration
