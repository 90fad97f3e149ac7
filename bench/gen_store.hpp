// gen_store (bench/gen_store.cpp): the generated season's model and its generator, shared by
// gen_store_season.cpp (what happens: the messages, the case machine's decisions, the alerts) and
// gen_store_rows.cpp (how it is written: the rows of messages, events, cases, history, services and
// alerts). Internal to the benchmark.
#pragma once

#include "store/cases.hpp"
#include "store/database.hpp"
#include "store/registry.hpp"

#include "cases/case_fsm.hpp"
#include "cases/report.hpp"
#include "parser/case_code.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <vector>

namespace gen_store_bench {

namespace fs = std::filesystem;
namespace po = boost::program_options;
namespace cs = kharuul::cases;
namespace st = kharuul::store;
using std::int64_t;
using std::uint32_t;
using std::uint64_t;

constexpr int64_t minute_ms = 60'000;
constexpr int64_t hour_ms = 60 * minute_ms;
constexpr int64_t day_ms = 24 * hour_ms;
constexpr int64_t utc_offset_ms = 8 * hour_ms; // the demo's alerts.utc_offset, +08:00

__extension__ typedef unsigned __int128 u128;

// xoshiro256** seeded by splitmix64: the same numbers for a seed on every machine.
class rng {
public:
    explicit rng(uint64_t seed) {
        for (auto& w : s_) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            w = z ^ (z >> 31);
        }
    }
    uint64_t next() {
        const uint64_t out = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return out;
    }
    // [0, n), n > 0.
    uint64_t below(uint64_t n) { return static_cast<uint64_t>((static_cast<u128>(next()) * n) >> 64); }
    int between(int lo, int hi) { return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo + 1))); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template <class T> const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<uint64_t, 4> s_{};
};

// ---- The registry: demo.toml's sites, teams and coordinators, and volunteers for every site ----

inline st::registry_snapshot demo_registry(int reporters_per_site) {
    st::registry_snapshot r;
    r.sites = {{"ALT", "Altan-Us gold mine", "mine", "Bayankhongor/Bayan-Ovoo"},
               {"ULT", "Ult gold mine", "mine", "Uvurkhangai/Uyanga"},
               {"TSD", "Tsagaan del fluorspar mine", "mine", "Dornogobi/Airag"},
               {"DKH", "Da Khuree market", "market", "Ulaanbaatar/Bayanzurkh"},
               {"NRT", "Narantuul market", "market", "Ulaanbaatar/Bayanzurkh"},
               {"NLK", "Nalaikh brickyard", "brickyard", "Ulaanbaatar/Nalaikh"}};
    auto members = [](std::string place, int first, int n, std::vector<std::string> langs) {
        std::vector<st::team_member> out;
        out.push_back({"+97699000" + std::to_string(first), "Team leader " + place, "leader", langs[0]});
        for (int i = 1; i < n; ++i)
            out.push_back({"+97699000" + std::to_string(first + i), "Team member " + place + " " + std::to_string(i),
                           "member", langs[std::min<std::size_t>(i, langs.size() - 1)]});
        return out;
    };
    r.teams = {{"Bayan-Ovoo child protection team", {"Bayankhongor/Bayan-Ovoo"}, false,
                members("Bayan-Ovoo", 101, 3, {"mn"})},
               {"Uyanga child protection team", {"Uvurkhangai/Uyanga"}, false, members("Uyanga", 111, 2, {"mn"})},
               {"Airag child protection team", {"Dornogobi/Airag"}, false, members("Airag", 121, 2, {"mn"})},
               {"Bayanzurkh markets team", {"Ulaanbaatar/Bayanzurkh"}, false,
                members("Bayanzurkh", 131, 2, {"mn", "en"})},
               {"Nalaikh child protection team", {"Ulaanbaatar/Nalaikh"}, false, members("Nalaikh", 141, 2, {"mn"})},
               {"Ulaanbaatar multi-disciplinary team", {"Ulaanbaatar"}, true,
                members("Ulaanbaatar MDT", 151, 2, {"mn", "en"})}};
    r.coordinators = {{"+97699000201", "Coordinator 1", "mn"}, {"+97699000202", "Coordinator 2", "en"}};
    // demo.toml's seven reporters, then more volunteers up to `reporters_per_site` a site (phones
    // +97699000008 ... +97699000099).
    r.reporters = {{"+97699000001", "Volunteer ALT 1", "mn", "volunteer", {"ALT"}},
                   {"+97699000002", "Volunteer ALT 2", "en", "volunteer", {"ALT"}},
                   {"+97699000003", "Volunteer ULT 1", "mn", "volunteer", {"ULT"}},
                   {"+97699000004", "Teacher ULT", "mn", "teacher", {"ULT"}},
                   {"+97699000005", "Volunteer TSD 1", "mn", "volunteer", {"TSD"}},
                   {"+97699000006", "Market monitor DKH NRT", "mn", "worker", {"DKH", "NRT"}},
                   {"+97699000007", "Volunteer NLK 1", "mn", "parent", {"NLK"}}};
    int phone = 8;
    for (const auto& s : r.sites) {
        int have = 0;
        for (const auto& rep : r.reporters)
            have += static_cast<int>(std::count(rep.sites.begin(), rep.sites.end(), s.code));
        for (int n = have + 1; n <= reporters_per_site && phone <= 99; ++n, ++phone) {
            char p[16];
            std::snprintf(p, sizeof p, "+97699000%03d", phone);
            r.reporters.push_back({p, "Volunteer " + s.code + " " + std::to_string(n), phone % 5 == 0 ? "en" : "mn",
                                   "volunteer", {s.code}});
        }
    }
    return r;
}

// ---- The cases as the generator follows them ----

struct sim_case {
    uint32_t serial = 0;
    std::string code;
    std::size_t site = 0;
    bool sensitive = false;
    int64_t opened_at = 0;
    cs::child_case start;  // as opened
    cs::child_case life;   // as its history makes it now
    std::vector<cs::history_row> history;
    std::string last_service;
    std::string last_followed_by;
};

// The cases in one state, to pick one at random; O(1) add, remove and pick.
class case_set {
public:
    void add(uint32_t i) {
        if (pos_.size() <= i)
            pos_.resize(i + 1, -1);
        pos_[i] = static_cast<int64_t>(items_.size());
        items_.push_back(i);
    }
    void remove(uint32_t i) {
        const int64_t p = pos_[i];
        items_[static_cast<std::size_t>(p)] = items_.back();
        pos_[items_.back()] = p;
        items_.pop_back();
        pos_[i] = -1;
    }
    bool empty() const { return items_.empty(); }
    uint32_t pick(rng& r) const { return items_[r.below(items_.size())]; }

private:
    std::vector<uint32_t> items_;
    std::vector<int64_t> pos_;
};

constexpr std::size_t state_count = 10; // the nine states and closed DONE apart (re-engagement)
constexpr std::size_t closed_done = 9;
inline std::size_t set_of(const cs::child_case& c) {
    if (c.state == cs::case_state::closed && c.close_reason == "DONE")
        return closed_done;
    return static_cast<std::size_t>(c.state);
}

struct alert_row {
    bool tracking = false;
    std::size_t site = 0;
    bool urgent = false;
    bool sensitive = false;
    int boys = 0, girls = 0, unknown = 0;
    std::optional<int> age_min, age_max;
    std::string work, hazards, case_codes, tracking_status, reporter;
    int64_t message_id = 0, event_id = 0, created_at = 0, last_report_at = 0;
    int folded_children = 0;
    std::string team; // whose members may ACK; "" -> a coordinator
    int64_t ack_due = -1;  // planned ACK time; -1 never
    std::optional<int64_t> acked_at, acked_message_id;
    std::string acked_by;
};

struct counts {
    int64_t messages = 0, by_status[5] = {}, events = 0, history = 0, services = 0, alerts = 0, acked = 0,
            undone = 0;
    std::array<int64_t, 16> by_form{};
};
constexpr std::array<std::string_view, 13> form_names{"NIL", "ID",  "RISK", "TR",    "VER",   "PLAN", "REF",
                                                      "SVC", "OUT", "MERGE", "CLOSE", "ACK",  "-"};
constexpr std::array<std::string_view, 5> status_names{"received", "accepted", "rejected", "duplicate",
                                                       "unregistered"};
enum status_i { st_accepted = 1, st_rejected = 2, st_duplicate = 3, st_unregistered = 4 };

// One message as the gateway would have stored it, with the event of an accepted one.
struct message_out {
    std::string sender, text, reply, reply_lang = "mn";
    int status = st_accepted;
    std::string form; // "" -> NULL
    std::string error_code;
    std::optional<int64_t> duplicate_of;
    // event fields (accepted only)
    std::optional<std::string> site, case_code, work, hazards, status_codes, service, outcome, reason, target,
        category, into_case;
    std::optional<int> boys, girls, unknown, age_min, age_max, for_family;
    bool urgent = false, sensitive = false;
};

class generator {
public:
    generator(st::connection& db, uint64_t seed, int64_t from_ms, int days, uint32_t want_cases, int64_t want_messages)
        : db_(db), rng_(seed), from_(from_ms), days_(days), want_cases_(want_cases), want_messages_(want_messages),
          ins_message_(db, "INSERT INTO messages (id, kind, channel, provider_id, sender, recipient, text, received_at,"
                           " status, form, error_code, duplicate_of, reply, reply_lang)"
                           " VALUES (?1, 'sms', 'kannel', ?2, ?3, '500', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
          ins_event_(db, "INSERT INTO events (id, message_id, form, reporter, site, case_code, boys, girls, unknown,"
                         " age_min, age_max, work, hazards, status, service, outcome, reason, urgent, sensitive,"
                         " occurred_at, target, category, for_family, into_case, received_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
                         " ?19, ?20, ?21, ?22, ?23, ?24, ?20)"),
          ins_case_(db, "INSERT INTO cases (serial, code, site, sex, age_min, age_max, opened_form, work, risk_reason,"
                        " hazards, sensitive, target, work_status, school_status, opened_event_id, opened_message_id,"
                        " opened_by, opened_at, last_tracked_at, last_followed_by)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?18,"
                        " ?17)"),
          ins_history_(db, "INSERT INTO case_history (id, case_serial, message_id, event_id, actor, action, detail, at)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
          ins_service_(db, "INSERT INTO case_services (case_serial, history_id, kind, service, for_family, actor,"
                           " message_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") {
        registry_ = demo_registry(10);
        for (const auto& s : registry_.sites)
            report_sites_.push_back({s.code, s.area});
        for (const auto& t : registry_.teams)
            report_teams_.push_back({t.name, t.areas, t.sensitive_cases});
        reporters_of_site_.resize(registry_.sites.size());
        for (const auto& rep : registry_.reporters)
            for (const auto& code : rep.sites)
                reporters_of_site_[site_index(code)].push_back(rep.phone);
        for (const auto& rep : registry_.reporters)
            lang_of_[rep.phone] = rep.lang;
        sets_.resize(state_count);
    }

    const st::registry_snapshot& registry() const { return registry_; }

    void run();

    counts tally;
    int64_t end_ms() const { return from_ + days_ * day_ms; }
    std::size_t case_count() const { return cases_.size(); }
    std::array<int64_t, state_count> state_counts() const;

private:
    std::size_t site_index(std::string_view code) const;

    // The receive times: the same number of messages each day, between 07:00 and 21:00 local
    // time, busier around midday; sorted, so that message ids follow time.
    std::vector<int64_t> slot_times();

    std::string team_of_case(const sim_case& c) const;
    // A member of the team (or a coordinator when no team covers it).
    std::string member_of(const std::string& team);
    std::string volunteer_at(std::size_t site) { return rng_.pick(reporters_of_site_[site]); }
    std::string lang_of(const std::string& phone) const;

    void nil(message_out& m);

    void rejected(message_out& m);

    // ID (a sighting: 1-3 children, never past N cases) or RISK (one child at risk).
    bool open_report(message_out& m, bool risk);

    // Applies an action the machine accepts to case `i` and fills the message; false when refused.
    bool change_case(uint32_t i, const cs::action& a, const std::string& actor, message_out& m,
                     std::string text, std::string form);

    // TR: volunteers and teams report what a child does now.
    bool tracking(message_out& m);

    std::string tr_codes(const sim_case& c);

    // A team's form: VER, PLAN, REF, SVC, OUT, MERGE or CLOSE on a case of its area.
    bool team_form(message_out& m);

    bool verify(message_out& m);

    bool plan(message_out& m);

    bool service(message_out& m);

    // OUT on a planned case (or one whose outcome is LESS): the result its evidence allows, else
    // NO (checked, not achieved).
    bool outcome(message_out& m);

    bool close(message_out& m);

    void ack(std::size_t a, message_out& m);

    // A new alert for a report or a TR WORK/MISS, with when (if ever) someone will ACK it.
    void raise_alert(alert_row a);

    void write_message(message_out& m);

    static void bind_opt(SQLite::Statement& s, int i, const std::optional<std::string>& v);
    static void bind_opt(SQLite::Statement& s, int i, const std::optional<int>& v);

    int64_t write_event(int64_t message_id, const message_out& m);

    int64_t write_history(const sim_case& c, std::optional<int64_t> message_id, std::optional<int64_t> event_id,
                          const std::string& actor, const std::string& action, const std::string& detail);

    void move_set(uint32_t i, const cs::child_case& before, const cs::child_case& after);

    void write_openings(int64_t message_id, int64_t event_id, const message_out& m);

    void write_change(int64_t message_id, int64_t event_id, const message_out& m);

    void write_alerts();

    // What save_change keeps besides the machine's columns: the last service and who last
    // followed the case (recompute_all_cases then writes the machine's columns and last_status).
    void finish_cases();

    static cs::timestamp from_unix(int64_t ms) { return cs::timestamp{std::chrono::milliseconds{ms}}; }

    struct pending_opening {
        bool risk = false;
        std::size_t site = 0;
        std::string work, reason, hazards;
        std::vector<char> sexes;
    };
    struct pending_change {
        uint32_t index;
        cs::change change;
    };

    st::connection& db_;
    rng rng_;
    int64_t from_;
    int64_t days_;
    uint64_t want_cases_;
    int64_t want_messages_;
    SQLite::Statement ins_message_, ins_event_, ins_case_, ins_history_, ins_service_;
    st::registry_snapshot registry_;
    std::vector<cs::report_site> report_sites_;
    std::vector<cs::report_team> report_teams_;
    std::vector<std::vector<std::string>> reporters_of_site_;
    std::map<std::string, std::string> lang_of_;
    std::vector<sim_case> cases_;
    std::vector<case_set> sets_;
    std::vector<alert_row> alerts_;
    std::vector<std::optional<std::size_t>> last_report_alert_;
    std::priority_queue<std::pair<int64_t, std::size_t>, std::vector<std::pair<int64_t, std::size_t>>,
                        std::greater<>>
        pending_acks_;
    pending_opening pending_open_;
    std::optional<pending_change> pending_change_;
    std::optional<uint32_t> absorbed_into_;
    std::optional<message_out> last_accepted_;
    int64_t last_accepted_id_ = 0, last_accepted_at_ = 0;
    int64_t now_ = 0;
    int64_t next_message_id_ = 1, next_event_id_ = 1, next_history_id_ = 1;
    static constexpr uint32_t first_serial_ = st::default_first_case_serial;
};

} // namespace gen_store_bench
