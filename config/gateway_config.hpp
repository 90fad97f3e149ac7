// The gateway's configuration as typed values: the listener, the store, the provider channels,
// the registry seed (sites, teams, coordinators, reporters), alert timing, USSD, and the field
// language. Every member has the default the daemon uses when the TOML file leaves it out; the
// file is parsed and validated once (config/load.hpp) and the result passed around by const&.
#pragma once

#include "parser/language.hpp"
#include "parser/reply.hpp"
#include "ussd/menu.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::config {

// A "host:port" pair as written in the file ("127.0.0.1:8080", "[::1]:8080"). Port 0 asks the
// operating system for a free port (tests do).
struct endpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
};

// "host:port" or "[v6]:port"; nullopt when the text is not one.
std::optional<endpoint> parse_endpoint(std::string_view text);
// The inverse: "127.0.0.1:8080", "[::1]:8080".
std::string to_string(const endpoint& e);

struct server_config {
    endpoint listen;
    // The base URL at which providers reach this gateway, e.g. "https://sms.example.org"; used for
    // Kannel's dlr-url and for checking Twilio signatures. Empty in the file means "http://" plus
    // the listen address (127.0.0.1 when it listens on every address).
    std::string public_url;
    std::chrono::seconds read_timeout{10};   // a whole request, headers and body
    std::chrono::seconds write_timeout{10};  // a whole response
    std::chrono::seconds idle_timeout{60};   // a kept-alive connection with no request
    std::chrono::seconds shutdown_grace{10}; // in-flight work after SIGTERM, then stop
    std::size_t max_body_bytes = 64 * 1024;
    // Connections served at once; the daemon lowers it to what the descriptor limit allows (the
    // soft RLIMIT_NOFILE, raised to the hard one at start, less a reserve for the store and logs).
    std::size_t max_connections = 2000;
    // When set, GET /metrics needs "Authorization: Bearer <token>" (401 without it).
    std::string metrics_token;
    // The deployment's country calling code, digits only ("976"): numbers written without it
    // (national numbers: "99000001") get it wherever they enter, from providers, the file and the
    // command line (parser::normalise_phone). Empty: only international numbers are placed.
    std::string country_code;
};

struct store_config {
    std::string path = "var/kharuul.db";          // relative to the working directory
    std::size_t max_batch_size = 256;             // writes committed in one transaction at most
    std::chrono::milliseconds max_batch_delay{2}; // how long a write may wait for company
    std::chrono::milliseconds busy_timeout{5000}; // SQLite busy handler (a backup holding a lock)
    // Store jobs pending (queued, or in the batch being written) at which inbound provider
    // requests are answered 503 with Retry-After instead of being queued: about 110 ms of work at
    // the measured peak of ~9,000 messages/s, four full batches. The daemon's own jobs (the API,
    // the outbox, the alert ticker) are not refused by it.
    std::size_t max_queue = 1024;
};

enum class channel_type : std::uint8_t { generic, kannel, twilio, africastalking, log, smpp };

// "generic", "kannel", ...; and back (nullopt for anything else).
std::string_view channel_type_name(channel_type t) noexcept;
std::optional<channel_type> channel_type_from(std::string_view name) noexcept;

// True for the types whose inbound HTTP requests are authenticated by the channel's `secret`
// (the others sign their requests, or have no HTTP inbound at all).
bool needs_secret(channel_type t) noexcept;

// One provider connection. Which fields a type uses:
//   generic         secret (inbound), send_url (outbound: JSON POST), username + password (Basic)
//   kannel          secret (inbound), send_url + username + password (sendsms)
//   twilio          account_sid, auth_token (signs inbound, Basic auth outbound), send_url (the
//                   REST API's base URL, default_twilio_url), sender
//   africastalking  secret (inbound, in the callback URLs' query), username + api_key (outbound),
//                   send_url (the messaging endpoint, default_africastalking_url), sender
//   smpp            address, username = system_id, password, sender
//   log             nothing: outbound messages are only stored and shown in the log
// Every HTTP type: ca_file (a PEM bundle that replaces the system's CA store for https://
// send_urls) and allow_insecure (credentials may travel over plain http:// to a host that is not
// on loopback).
struct channel_config {
    std::string name; // the URL path segment: /channels/{name}/receive
    channel_type type = channel_type::log;
    std::string secret;
    std::string send_url;
    std::string username;
    std::string password;
    std::string account_sid; // twilio
    std::string auth_token;  // twilio
    std::string api_key;     // africastalking
    std::string sender;               // the "from" number or short code of outbound messages
    std::optional<endpoint> address;  // smpp: the SMSC
    std::chrono::seconds timeout{10}; // each request to the provider
    std::string ca_file;              // empty: the system's CA store
    bool allow_insecure = false;
};

// The send_url a twilio or africastalking channel gets when the file gives none.
inline constexpr std::string_view default_twilio_url = "https://api.twilio.com";
inline constexpr std::string_view default_africastalking_url = "https://api.africastalking.com/version1/messaging";

enum class site_kind : std::uint8_t { mine, market, dumpsite, brickyard, other };

std::string_view site_kind_name(site_kind k) noexcept;
std::optional<site_kind> site_kind_from(std::string_view name) noexcept;

struct site_config {
    std::string code; // what volunteers type: Latin capitals and digits, e.g. "ALT"
    std::string name; // "Altan-Us gold mine"; dropped first when an alert is too long
    site_kind kind = site_kind::other;
    std::string area; // "Aimag/Soum" or "Ulaanbaatar/District", deepest level last
};

// True when a team covering `team_area` covers a site in `site_area`: the same area, or an area
// inside it ("Ulaanbaatar" covers "Ulaanbaatar/Nalaikh", but not "Ulaanbaatar2").
bool area_covers(std::string_view team_area, std::string_view site_area) noexcept;

// What [[sites]] takes as a site code: 2 to 8 Latin capitals and digits, starting with a capital
// (one letter would be read as a sex). For the registry's writes at run time (the API), which
// validate as the file does.
bool is_site_code(std::string_view code) noexcept;
// What the registry takes as an area: "Aimag/Soum" or "Ulaanbaatar/District", non-empty parts
// separated by single '/'.
bool is_area_name(std::string_view text) noexcept;

enum class member_role : std::uint8_t { member, leader };

std::string_view member_role_name(member_role r) noexcept;
std::optional<member_role> member_role_from(std::string_view name) noexcept;

struct team_member {
    std::string phone; // E.164: "+97699000101"
    std::string name;
    member_role role = member_role::member;
    parser::reply_language lang = parser::reply_language::mn;
};

struct team_config {
    std::string name;
    std::vector<std::string> areas;
    bool sensitive_cases = false;     // multi-disciplinary: gets the alerts of sensitive cases (SEX)
    std::vector<team_member> members; // at least one leader
};

struct coordinator_config {
    std::string phone;
    std::string name;
    parser::reply_language lang = parser::reply_language::mn;
};

enum class reporter_kind : std::uint8_t { volunteer, teacher, parent, worker, other };

std::string_view reporter_kind_name(reporter_kind k) noexcept;
std::optional<reporter_kind> reporter_kind_from(std::string_view name) noexcept;

struct reporter_config {
    std::string phone;
    std::string name;
    std::vector<std::string> sites; // site codes the reporter watches
    parser::reply_language lang = parser::reply_language::mn;
    reporter_kind kind = reporter_kind::volunteer;
};

// One routing rule (`[[alerts.rules]]`): when an event matches every list that is given (an empty
// list matches anything), the effects that are given override what earlier rules and the default
// routing (spec/alerts.md) decided. E.g. make MERC urgent in one soum, or stop NIL-like reports.
struct routing_rule_config {
    std::vector<parser::form> forms;   // ID, TR
    std::vector<std::string> sites;    // site codes
    std::vector<std::string> areas;    // an area covers the areas inside it (area_covers)
    std::vector<std::string> work;     // work codes: any of
    std::vector<std::string> hazards;  // hazard codes: any of
    std::vector<std::string> statuses; // TR status codes: any of
    std::optional<bool> alert;                 // raise an alert at all
    std::optional<bool> urgent;                // the short acknowledgement window
    std::optional<bool> tell_leader_now;       // the leader at once, not on escalation
    std::optional<bool> tell_coordinators_now; // the coordinators at once
    std::optional<bool> sensitive;             // only teams for sensitive cases, minimal text
};

struct alerts_config {
    std::string outbound_channel;               // a channel name; empty only when there are none
    std::chrono::minutes urgent_ack{30};        // unacknowledged urgent alert: escalate
    std::chrono::minutes normal_ack{720};       // the same for the others
    std::chrono::minutes fold_window{15};       // ID reports for one site folded into one alert
    std::chrono::days reminder_after{30};       // a case with no tracking news: remind
    std::chrono::minutes daytime_start{9 * 60}; // local time of day reminders may go out from
    std::chrono::minutes daytime_end{20 * 60};  // ... until (exclusive)
    std::chrono::minutes utc_offset{8 * 60};    // Mongolia: UTC+08:00 all year, no DST
    std::chrono::seconds retry_base{30};        // first retry of a failed send; doubles each time
    std::chrono::seconds retry_cap{3600};       // longest wait between retries
    std::vector<routing_rule_config> rules;     // after the default routing, in file order
};

struct ussd_config {
    std::string service_code = "*500#";
    std::chrono::seconds session_timeout{120}; // a session with no step for this long is ended
    // An abandoned dialogue is offered for resumption to the same number dialling again within
    // this time ("Continue your report at step N?").
    std::chrono::minutes resume_minutes{10};
    // Dialogues held in memory at most; when full, the oldest abandoned one is evicted first.
    std::size_t max_sessions = 10000;
    // The menu's texts and option lists (`[ussd.texts]`, `[ussd.options]`, docs/ussd.md): the spec's
    // tree unless the file overrides parts of it; checked against the language and the screen limit.
    ussd::menu menu = ussd::default_menu();
};

struct messages_config {
    // The same text from the same phone within this window is a duplicate of the first.
    std::chrono::minutes duplicate_window{10};
    // A volunteer (not a team member or coordinator) whose cases opened in the last hour hold
    // this many children has the next ID/RISK kept as rejected (too_many_cases), opening nothing:
    // one phone must not use up the case numbers (issue 9). 100 is far above a real day's work.
    int max_cases_per_sender_per_hour = 100;
};

// The case life cycle and the figures (spec cases.md): `[cases]`.
struct cases_config {
    int min_prevention_age = 3;             // youngest age RISK accepts (also language.min_prevention_age)
    std::chrono::days outcome_evidence{60}; // outcome_evidence_days: OUT needs a TR this recent
    // age_bands = ["3-4", "5-11", "12-14", "15-17"]: each "lo-hi", ascending, not overlapping.
    struct band {
        std::string label;
        int lo = 0;
        int hi = 0;
    };
    std::vector<band> age_bands{{"3-4", 3, 4}, {"5-11", 5, 11}, {"12-14", 12, 14}, {"15-17", 15, 17}};
};

struct gateway_config {
    server_config server;
    store_config store;
    std::vector<channel_config> channels;
    std::vector<site_config> sites;
    std::vector<team_config> teams;
    std::vector<coordinator_config> coordinators;
    std::vector<reporter_config> reporters;
    alerts_config alerts;
    ussd_config ussd;
    messages_config messages;
    cases_config cases;
    parser::language language = parser::default_language(); // with the file's additions merged

    // Look-ups for start-up wiring (not for per-message paths: build an index there).
    const channel_config* find_channel(std::string_view name) const noexcept;
    const site_config* find_site(std::string_view code) const noexcept;
    // The teams with an area covering the site's area, in file order.
    std::vector<const team_config*> teams_covering(const site_config& site) const;
    // The site codes, in file order.
    std::vector<std::string> site_codes() const;
};

} // namespace kharuul::config
