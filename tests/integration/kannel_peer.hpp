// A real Kannel (Debian's bearerbox and smsbox, 1.4.5) on loopback for integration tests, with the
// phone network played by the test: an HTTP SMSC of system-type `kannel` whose MO side the peer
// calls (send_mo) and whose MT side (`send-url`) the peer serves and records (mt_messages). Ports,
// configuration, store and logs live in a fresh temporary folder; the destructor stops both boxes.
#pragma once

#include "tests/integration/loopback_http.hpp"

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What Kannel 1.4.5 does with text, as observed through this peer (tests/integration/
// test_kannel_peer.cpp asserts each point; Kannel's gw/smsc/smsc_http.c and gw/smsbox.c agree):
//
// MO, phone -> SMSC port (`/?username=u&password=p&from=..&to=..&text=..[&coding=..]`):
//   Kannel takes `text` as raw bytes and `coding` (0 GSM/7-bit, 1 8-bit, 2 UCS-2); it reads no
//   `charset` parameter. A handset's Cyrillic message is UCS-2, so send_mo() injects non-ASCII text
//   as `coding=2` with UTF-16BE bytes. Kannel answers 202 "Sent." (text/plain).
//
// MO, smsbox -> get-url (`text=%a&coding=%c&charset=%C`):
//   * ASCII sent without `coding`: %a is the bytes as sent, `coding=-1`, `charset=UTF-8`.
//   * UCS-2 with smsbox `mo-recode = false` (Kannel's default): %a carries the UTF-16BE bytes
//     percent-encoded, `coding=2&charset=UTF-16BE`. The gateway must decode UTF-16BE.
//   * UCS-2 with `mo-recode = true`: smsbox recodes to UTF-8 first: %a is UTF-8, `coding=0`,
//     `charset=UTF-8`.
//   * %a is "all words joined by '+'": Kannel splits the message at isspace() bytes (0x09-0x0D,
//     0x20), so runs of spaces collapse to one and leading/trailing ones vanish. With UTF-16BE this
//     works on bytes, not characters: a message ending in 'Р' (U+0420, bytes 04 20) arrives with
//     its last byte cut (odd length), and a character whose bytes are both whitespace (U+2020)
//     collapses. %b would carry the message untouched; mo-recode = true avoids the problem.
//
// Reply, get-url response body -> SMSC `send-url` (`/mt?username&password&to&text&from&coding&
// charset&smsc[&dlr-url&dlr-mask]`):
//   * `Content-Type: text/plain; charset=utf-8` with Cyrillic: Kannel sends `coding=0&charset=UTF-8`
//     with every non-GSM character replaced by '?' ("got: ?? ?L? 1 ..."): Cyrillic is lost.
//   * To keep it the reply must also carry `X-Kannel-Coding: 2` AND the sms-service must have
//     `accept-x-kannel-headers = true` (this peer sets it by default): then send-url gets
//     `coding=2&charset=UTF-16BE` and UTF-16BE bytes. With the header but without the setting,
//     smsbox still converts the body to UTF-16BE yet sends it as `coding=0`: garbage ("?g?o?t?").
//   * The SMSC side must answer 200/202 with the body "Sent." (also accepted: "Ok.",
//     "0: Accepted for delivery", "Result: OK..."); anything else counts as a failed send.
//
// sendsms (smsbox's `/cgi-bin/sendsms`): `charset` names the encoding of `text` (none: bytes taken
// as they are); `coding=2` makes it UCS-2, and send-url then gets UTF-16BE with
// `charset=UTF-16BE`. Without `coding`, Cyrillic goes out as GSM with '?' as above.
//
// Delivery reports through this SMSC type: when the MT was accepted ("Sent.") and its dlr-mask asks
// for a handset report (bits 1, 2 or 4), bearerbox remembers it under the message's UUID. The
// network reports by calling the SMSC port with `/?username=u&password=p&to=..&dlr-mask=<status>&
// dlr-mid=<uuid>&text=..` (Kannel answers "Sent."; smsbox then calls the sender's dlr-url with
// %d = status and %A = that text). The UUID reaches the network only when the smsc group has its
// own `dlr-url` (this peer sets it to the SMSC port): send-url's `dlr-url` parameter is then
// "<smsc dlr-url>&dlr-url=<original>&dlr-mask=%d&dlr-mid=<uuid>", from which mt_message::dlr_mid
// is parsed. Bearerbox itself reports status 8 (SMSC accepted) as soon as the network said
// "Sent.", when the mask asks for it.

namespace kharuul::integration {

// UTF-8 <-> UTF-16BE (surrogate pairs for code points past U+FFFF). Invalid input becomes U+FFFD;
// an odd trailing byte (see %a above) decodes as U+FFFD too.
std::string utf8_to_utf16be(std::string_view utf8);
std::string utf16be_to_utf8(std::string_view utf16be);

// One mobile-terminated message as Kannel delivered it to the network's send-url.
struct mt_message {
    std::string to;
    std::string from;
    std::string text;     // decoded to UTF-8 according to `charset`
    std::string raw_text; // the `text` parameter's bytes as sent
    int coding = -1;      // `coding` (0 GSM, 1 8-bit, 2 UCS-2); -1 when absent
    std::string charset;  // `charset` ("UTF-8", "UTF-16BE"); empty when absent
    int dlr_mask = 0;     // `dlr-mask`; 0 when absent
    std::string dlr_url;  // `dlr-url` as sent (the smsc's wrapper, see above); empty when absent
    std::string dlr_mid;  // Kannel's message UUID parsed out of dlr_url; empty when none
    std::string smsc;     // `smsc`
    std::string target;   // the whole request target, for anything the fields miss
};

// A delivery report the network sent to Kannel (deliver_reports).
struct sent_report {
    std::string dlr_mid;
    std::string to;
    int status = 0;     // the dlr-mask value sent: 1 delivered, 2 failed, ...
    std::string answer; // Kannel's answer body ("Sent." when it matched a waiting DLR)
};

struct kannel_peer_options {
    // The sms-service's get-url template, e.g. "http://127.0.0.1:PORT/channels/kannel/receive?
    // secret=S&from=%p&to=%P&text=%a&id=%I&time=%t&coding=%c&charset=%C&smsc=%i". No '"'.
    std::string get_url;
    int log_level = 0;                   // Kannel's: 0 debug (whole HTTP bodies) .. 4 panic
    bool mo_recode = false;              // smsbox mo-recode: UCS-2 MO to UTF-8 before get-url
    bool accept_x_kannel_headers = true; // the reply may set X-Kannel-Coding etc.
    int http_request_retry = 0;          // smsbox: retries of a get-url answered non-2xx
    int http_queue_delay_seconds = 1;    // smsbox: delay between those retries
    bool deliver_reports = true;         // the network reports delivery (status 1) when asked
    std::string extra_config;            // appended verbatim to kannel.conf
    std::string bearerbox_path = "/usr/sbin/bearerbox";
    std::string smsbox_path = "/usr/sbin/smsbox";
    std::chrono::milliseconds start_timeout{10000}; // per box
    std::chrono::milliseconds stop_timeout{5000};   // SIGTERM, then SIGKILL
    bool keep_files = false; // keep the temporary folder (also when KHARUUL_KEEP_KANNEL is set)
    bool start = true;       // start both boxes in the constructor
};

// Owns a temporary folder, a generated kannel.conf, the two boxes and the phone network's HTTP
// server. Public methods are called from one test thread (one at a time); the network runs on its
// own thread and records into a mutex-guarded list. Each box gets SIGTERM when the thread that
// started it ends (PR_SET_PDEATHSIG), so a crashed test leaves no Kannel behind; start the boxes
// from a thread that lives as long as the peer (gtest's main thread does). Not copyable.
class kannel_peer {
public:
    static constexpr std::string_view smsc_id = "fake";
    static constexpr std::string_view smsc_username = "u";
    static constexpr std::string_view smsc_password = "p";
    static constexpr std::string_view admin_password = "adm";
    static constexpr std::string_view sendsms_username = "k";
    static constexpr std::string_view sendsms_password = "k";

    // Picks ports, writes the configuration and starts the network; starts Kannel when
    // options.start. Throws std::runtime_error (with the boxes' log tails) when a box does not
    // come up within start_timeout.
    explicit kannel_peer(kannel_peer_options options);
    ~kannel_peer();
    kannel_peer(const kannel_peer&) = delete;
    kannel_peer& operator=(const kannel_peer&) = delete;

    // Both boxes, in order; the same ports, configuration and store every time. start() returns
    // when bearerbox's admin port answers with the SMSC online and smsbox is connected and its
    // sendsms port accepts. stop() ends smsbox and bearerbox together (SIGTERM, SIGKILL after
    // stop_timeout). Both are idempotent for a box already in the wanted state.
    void start();
    void stop();
    void start_bearerbox();
    void start_smsbox();
    void stop_bearerbox();
    void stop_smsbox();
    bool bearerbox_running();
    bool smsbox_running();

    // How send_mo encodes `text` (UTF-8) toward the SMSC port.
    enum class mo_coding {
        automatic, // ASCII as_is, anything else ucs2
        as_is,     // the UTF-8 bytes, no `coding` parameter (as a GSM message reads after decoding)
        ucs2,      // `coding=2`, text as UTF-16BE: what a handset's Cyrillic message is
    };

    // A phone sends an SMS: GET on the SMSC port. True when Kannel answered "Sent." (it has then
    // stored the message). False on any other answer or when bearerbox is down.
    bool send_mo(std::string_view from, std::string_view to, std::string_view text,
                 mo_coding coding = mo_coding::automatic);

    // Any GET on the SMSC port; username and password are added first. nullopt when unreachable.
    std::optional<http_reply> smsc_get(const query_params& params);

    // The first recorded MT (oldest first, including those recorded before the call) that
    // satisfies `pred`, waiting up to `timeout` for it; nullopt on timeout.
    std::optional<mt_message> wait_for_mt(const std::function<bool(const mt_message&)>& pred,
                                          std::chrono::milliseconds timeout);
    // Every MT recorded so far, oldest first; and forgetting them.
    std::vector<mt_message> mt_messages() const;
    void clear_mt();

    // smsbox's sendsms: `/cgi-bin/sendsms?username=k&password=k&to=..&text=..&charset=UTF-8` plus
    // `dlr-mask`/`dlr-url` when given, `coding` when given, `from` when not empty. Returns Kannel's
    // answer (202 "0: Accepted for delivery" on success), nullopt when smsbox is unreachable.
    std::optional<http_reply> sendsms(std::string_view to, std::string_view text, int dlr_mask = 0,
                                      std::string_view dlr_url = {}, std::optional<int> coding = std::nullopt,
                                      std::string_view from = {});

    // Whether the network reports delivery of each MT whose dlr-mask includes `status` (1
    // delivered, 2 failed), about 100 ms after accepting it; and the reports sent so far.
    void deliver_reports(bool on, int status = 1);
    std::vector<sent_report> sent_reports() const;
    std::optional<sent_report> wait_for_report(const std::function<bool(const sent_report&)>& pred,
                                               std::chrono::milliseconds timeout);

    // bearerbox's `/status.txt`, nullopt when bearerbox is down.
    std::optional<std::string> admin_status();

    std::uint16_t admin_port() const noexcept { return admin_port_; }
    std::uint16_t smsbox_port() const noexcept { return smsbox_port_; }
    std::uint16_t smsc_port() const noexcept { return smsc_port_; }
    std::uint16_t sendsms_port() const noexcept { return sendsms_port_; }
    std::uint16_t network_port() const noexcept;
    const std::filesystem::path& dir() const noexcept { return dir_; }
    std::filesystem::path config_path() const { return dir_ / "kannel.conf"; }

    // The last `lines` lines of each box's log, for failure messages.
    std::string log_tail(std::size_t lines = 30) const;

private:
    struct box {
        const char* name;
        pid_t pid = -1;
    };

    void write_config() const;
    http_response on_network_request(const http_request& req);
    void spawn(box& b, const std::string& program);
    void wait_until(box& b, const std::function<bool()>& ready);
    void stop_boxes(std::initializer_list<box*> boxes);
    bool running(box& b);

    kannel_peer_options options_;
    std::filesystem::path dir_;
    std::uint16_t admin_port_ = 0, smsbox_port_ = 0, smsc_port_ = 0, sendsms_port_ = 0;
    box bearerbox_{"bearerbox"};
    box smsbox_{"smsbox"};

    mutable std::mutex mutex_; // guards the fields below; the network thread writes them
    std::condition_variable changed_;
    std::vector<mt_message> mts_;
    std::vector<sent_report> reports_;
    bool deliver_reports_ = true;
    int report_status_ = 1;

    std::unique_ptr<loopback_http_server> network_; // last: stopped first
};

} // namespace kharuul::integration
