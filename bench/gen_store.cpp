// gen_store: writes a brand-new store (the real schema, through store::open_database) holding a
// generated season: the demo registry's sites and teams (made-up +97699000xxx phones only), M
// messages spread over the days with a field mix, each accepted one with its event row (as the
// gateway's intake writes them: not for ACK), cases whose
// histories are valid life cycles (every change decided by the pure machine, cases/case_fsm.hpp),
// their service records, and alerts with their ACKs. For the benchmarks of `kharuul report` and
// whatever else needs a big store (bench/report.sh caches one by its parameters).
//
// Deterministic for a seed (its own generator, no std::*_distribution). Writes FILE.partial and
// renames it to FILE at the end, so a FILE that exists is always a whole store.
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

namespace {

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

st::registry_snapshot demo_registry(int reporters_per_site) {
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
std::size_t set_of(const cs::child_case& c) {
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

    void run() {
        const std::vector<int64_t> times = slot_times();
        // The share of each form among the slots that are not rejected, duplicate or unregistered.
        constexpr double p_rejected = 0.02, p_duplicate = 0.01, p_unregistered = 0.005;
        constexpr std::array<double, 5> mix{0.40, 0.25, 0.05, 0.20, 0.10}; // NIL ID RISK TR team
        db_.exec("BEGIN");
        for (int64_t i = 0; i < want_messages_; ++i) {
            now_ = times[static_cast<std::size_t>(i)];
            // IDs and RISKs open cases at an even pace over the period, N in all; a slot that would
            // open more than the pace allows is a NIL (a visit that saw no child) instead.
            const double pace = static_cast<double>(want_cases_) * static_cast<double>(i + 1) /
                                static_cast<double>(want_messages_);
            message_out m;
            if (!pending_acks_.empty() && pending_acks_.top().first <= now_) {
                const std::size_t a = pending_acks_.top().second;
                pending_acks_.pop();
                ack(a, m);
            } else if (rng_.chance(p_rejected)) {
                rejected(m);
            } else if (rng_.chance(p_duplicate) && last_accepted_ && now_ - last_accepted_at_ <= 10 * minute_ms) {
                // The same text from the same phone again within the duplicate window.
                m = *last_accepted_;
                m.status = st_duplicate;
                m.duplicate_of = last_accepted_id_;
                m.reply = "Already received: " + m.text;
            } else if (rng_.chance(p_unregistered)) {
                m.sender = "+97699000" + std::to_string(900 + rng_.below(100));
                m.text = "NIL " + registry_.sites[rng_.below(registry_.sites.size())].code;
                m.status = st_unregistered;
                m.reply = "This number is not registered. Call your coordinator.";
            } else {
                double r = rng_.unit();
                std::size_t k = 0;
                while (k + 1 < mix.size() && r >= mix[k])
                    r -= mix[k++];
                if ((k == 1 || k == 2) && static_cast<double>(cases_.size()) >= pace)
                    k = 0;
                bool done = false;
                if (k == 3)
                    done = tracking(m);
                else if (k == 4)
                    done = team_form(m);
                if (k == 1)
                    done = open_report(m, false);
                else if (k == 2)
                    done = open_report(m, true);
                if (!done)
                    nil(m);
            }
            write_message(m);
            if ((i + 1) % 100'000 == 0) {
                db_.exec("COMMIT");
                db_.exec("BEGIN");
            }
        }
        write_alerts();
        finish_cases();
        db_.exec("COMMIT");
    }

    counts tally;
    int64_t end_ms() const { return from_ + days_ * day_ms; }
    std::size_t case_count() const { return cases_.size(); }
    std::array<int64_t, state_count> state_counts() const {
        std::array<int64_t, state_count> out{};
        for (const auto& c : cases_)
            ++out[static_cast<std::size_t>(c.life.state)];
        return out;
    }

private:
    std::size_t site_index(std::string_view code) const {
        for (std::size_t i = 0; i < registry_.sites.size(); ++i)
            if (registry_.sites[i].code == code)
                return i;
        return 0;
    }

    // The receive times: the same number of messages each day, between 07:00 and 21:00 local
    // time, busier around midday; sorted, so that message ids follow time.
    std::vector<int64_t> slot_times() {
        std::vector<int64_t> t(static_cast<std::size_t>(want_messages_));
        for (int64_t i = 0; i < want_messages_; ++i) {
            const int64_t day = i * days_ / want_messages_;
            const int64_t in_day = static_cast<int64_t>((rng_.unit() + rng_.unit()) / 2 * 14 * hour_ms);
            t[static_cast<std::size_t>(i)] = from_ + day * day_ms + 7 * hour_ms + in_day;
        }
        std::sort(t.begin(), t.end());
        return t;
    }

    std::string team_of_case(const sim_case& c) const {
        return cs::team_of(report_teams_, registry_.sites[c.site].area, c.sensitive);
    }
    // A member of the team (or a coordinator when no team covers it).
    std::string member_of(const std::string& team) {
        for (const auto& t : registry_.teams)
            if (t.name == team)
                return t.members[rng_.below(t.members.size())].phone;
        return registry_.coordinators[rng_.below(registry_.coordinators.size())].phone;
    }
    std::string volunteer_at(std::size_t site) { return rng_.pick(reporters_of_site_[site]); }
    std::string lang_of(const std::string& phone) const {
        const auto it = lang_of_.find(phone);
        return it == lang_of_.end() ? "mn" : it->second;
    }

    void nil(message_out& m) {
        const std::size_t site = rng_.below(registry_.sites.size());
        m.sender = volunteer_at(site);
        m.text = "NIL " + registry_.sites[site].code;
        m.form = "NIL";
        m.site = registry_.sites[site].code;
        m.reply = "NIL " + registry_.sites[site].code + ": visit recorded. Thank you.";
    }

    void rejected(message_out& m) {
        const std::size_t site = rng_.below(registry_.sites.size());
        m.sender = volunteer_at(site);
        m.status = st_rejected;
        switch (rng_.below(4)) {
        case 0:
            m.text = "ID " + registry_.sites[site].code.substr(0, 2) + "X 2B 12 MINE";
            m.form = "ID";
            m.error_code = "unknown_site";
            m.reply = "Unknown site. Sites: ALT ULT TSD DKH NRT NLK";
            break;
        case 1:
            m.text = "HELLO";
            m.error_code = "unknown_keyword";
            m.reply = "Not understood. Send HELP for the forms.";
            break;
        case 2:
            m.text = "TR 10001 NFE";
            m.form = "TR";
            m.error_code = "bad_case";
            m.reply = "TR: a case code has 6 digits.";
            break;
        default:
            m.text = "ID " + registry_.sites[site].code + " 2B";
            m.form = "ID";
            m.error_code = "missing_field";
            m.reply = "ID: the age is missing. Example: ID ALT 2B 12 MINE";
            break;
        }
    }

    // ID (a sighting: 1-3 children, never past N cases) or RISK (one child at risk).
    bool open_report(message_out& m, bool risk) {
        if (cases_.size() >= want_cases_)
            return false;
        const std::size_t site = rng_.below(registry_.sites.size());
        const auto& s = registry_.sites[site];
        const std::string_view kind = s.kind;
        int kids = risk ? 1 : (rng_.chance(0.6) ? 1 : rng_.chance(0.7) ? 2 : 3);
        kids = static_cast<int>(std::min<uint64_t>(static_cast<uint64_t>(kids), want_cases_ - cases_.size()));
        int boys = 0, girls = 0, unknown = 0;
        for (int k = 0; k < kids; ++k) {
            const double r = rng_.unit();
            (r < 0.6 ? boys : r < 0.95 ? girls : unknown) += 1;
        }
        const int age = risk ? rng_.between(4, 15) : rng_.between(8, 17);
        const bool range = !risk && kids > 1 && rng_.chance(0.3);
        const int age_max = range ? std::min(17, age + 2) : age;
        std::string kids_text;
        if (boys)
            kids_text += std::to_string(boys) + "B";
        if (girls)
            kids_text += (kids_text.empty() ? "" : " ") + std::to_string(girls) + "G";
        if (unknown)
            kids_text += (kids_text.empty() ? "" : " ") + std::to_string(unknown) + "U";
        const std::string age_text = range ? std::to_string(age) + "-" + std::to_string(age_max) : std::to_string(age);
        m.sender = volunteer_at(site);
        m.site = s.code;
        m.boys = boys;
        m.girls = girls;
        m.unknown = unknown;
        m.age_min = age;
        m.age_max = age_max;
        std::string work, reason;
        std::vector<std::string> hazards;
        if (risk) {
            static const std::vector<std::string> reasons{"DROP", "SIB", "FAM", "FAM", "STREET", "OTHER"};
            reason = rng_.pick(reasons);
            m.form = "RISK";
            m.reason = reason;
            m.text = "RISK " + s.code + " " + kids_text + " " + age_text + " " + reason;
        } else {
            static const std::vector<std::string> mine{"MINE", "MINE", "PAN", "CARRY"};
            static const std::vector<std::string> market{"TRADE", "TRADE", "CARRY", "SCRAP", "MEAT"};
            static const std::vector<std::string> brick{"BRICK", "BRICK", "CARRY", "COAL"};
            static const std::vector<std::string> mine_h{"SHAFT", "MERC", "LOAD", "NIGHT", "HURT"};
            static const std::vector<std::string> other_h{"LOAD", "NIGHT", "ALONE", "HURT"};
            work = kind == "mine" ? rng_.pick(mine) : kind == "market" ? rng_.pick(market) : rng_.pick(brick);
            if (kind == "market" && rng_.chance(0.01))
                work = "SEX";
            const int nh = rng_.chance(0.5) ? 0 : rng_.chance(0.7) ? 1 : 2;
            for (int h = 0; h < nh; ++h) {
                const std::string& code = kind == "mine" ? rng_.pick(mine_h) : rng_.pick(other_h);
                if (std::find(hazards.begin(), hazards.end(), code) == hazards.end())
                    hazards.push_back(code);
            }
            m.form = "ID";
            m.work = work;
            std::string hz;
            for (const auto& h : hazards)
                hz += (hz.empty() ? "" : " ") + h;
            m.hazards = hz;
            m.text = "ID " + s.code + " " + kids_text + " " + age_text + " " + work + (hz.empty() ? "" : " " + hz);
            m.sensitive = work == "SEX";
            m.urgent = m.sensitive || std::any_of(hazards.begin(), hazards.end(), [](const std::string& h) {
                           return h == "SHAFT" || h == "HURT" || h == "ALONE";
                       });
        }
        // The cases: boys first, then girls, then unknown, consecutive serials (store::open_cases).
        pending_open_ = {};
        pending_open_.risk = risk;
        pending_open_.site = site;
        pending_open_.work = work;
        pending_open_.reason = reason;
        for (int k = 0; k < kids; ++k)
            pending_open_.sexes.push_back(k < boys ? 'B' : k < boys + girls ? 'G' : 'U');
        pending_open_.hazards = m.hazards.value_or("");
        std::string codes;
        for (std::size_t k = 0; k < pending_open_.sexes.size(); ++k)
            codes += " " + kharuul::parser::make_case_code(static_cast<uint32_t>(first_serial_ + cases_.size() + k));
        m.reply = m.form + " " + s.code + ": " + std::to_string(kids) + (kids == 1 ? " child" : " children") +
                  ", case" + (kids == 1 ? "" : "s") + codes + ". Thank you.";
        return true;
    }

    // Applies an action the machine accepts to case `i` and fills the message; false when refused.
    bool change_case(uint32_t i, const cs::action& a, const std::string& actor, message_out& m,
                     std::string text, std::string form) {
        sim_case& c = cases_[i];
        const auto d = cs::decide(c.life, a, from_unix(now_));
        const auto* ch = std::get_if<cs::change>(&d);
        if (!ch)
            return false;
        m.sender = actor;
        m.text = std::move(text);
        m.form = std::move(form);
        m.case_code = c.code;
        m.site = registry_.sites[c.site].code;
        m.reply = m.form + " " + c.code + ": recorded.";
        pending_change_ = pending_change{i, *ch};
        return true;
    }

    // TR: volunteers and teams report what a child does now.
    bool tracking(message_out& m) {
        // Which cases are tracked: mostly those with a plan or an outcome.
        static constexpr std::array<std::pair<cs::case_state, double>, 7> weights{{
            {cs::case_state::planned, 0.50},
            {cs::case_state::outcome, 0.18},
            {cs::case_state::confirmed, 0.12},
            {cs::case_state::lost, 0.04},
            {cs::case_state::re_engaged, 0.06},
            {cs::case_state::reported, 0.09},
            {cs::case_state::closed, 0.01}, // closed DONE: seen working again
        }};
        for (int attempt = 0; attempt < 4; ++attempt) {
            double r = rng_.unit();
            std::size_t k = 0;
            while (k + 1 < weights.size() && r >= weights[k].second)
                r -= weights[k++].second;
            const std::size_t set = weights[k].first == cs::case_state::closed
                                        ? closed_done
                                        : static_cast<std::size_t>(weights[k].first);
            if (sets_[set].empty())
                continue;
            const uint32_t i = sets_[set].pick(rng_);
            const sim_case& c = cases_[i];
            // Nobody follows one child daily: a case tracked in the last week is not tracked again
            // (early in the season, when few cases exist, such slots become NILs).
            if (c.life.last_tracked_at && now_ - c.life.last_tracked_at->time_since_epoch().count() < 7 * day_ms)
                continue;
            const std::string codes = tr_codes(c);
            cs::track t{codes, {}};
            for (std::size_t p = 0, q; p < codes.size(); p = q + 1) {
                q = codes.find(' ', p);
                if (q == std::string::npos)
                    q = codes.size();
                const auto e = cs::tracking_effect_of(std::string_view(codes).substr(p, q - p));
                if (e.work)
                    t.effect.work = e.work;
                if (e.school)
                    t.effect.school = e.school;
                t.effect.lost = t.effect.lost || e.lost;
            }
            const std::string actor = rng_.chance(0.6) ? volunteer_at(c.site) : member_of(team_of_case(c));
            if (!change_case(i, t, actor, m, "TR " + c.code + " " + codes, "TR"))
                continue;
            m.status_codes = codes;
            return true;
        }
        return false;
    }

    std::string tr_codes(const sim_case& c) {
        const cs::child_case& l = c.life;
        static const std::vector<std::string> school{"SCH", "SCH", "NFE", "VOC", "KG"};
        auto school_code = [&] {
            return l.opened_by == cs::opening::risk && rng_.chance(0.3) ? std::string("KG") : rng_.pick(school);
        };
        const double r = rng_.unit();
        if (l.state == cs::case_state::closed)
            return "WORK";
        if (l.state == cs::case_state::lost)
            return r < 0.25 ? "MISS" : r < 0.75 ? school_code() + " STOP" : school_code();
        if (l.state == cs::case_state::reported)
            return r < 0.5 ? "WORK" : r < 0.8 ? "DROP WORK" : "STOP";
        if (r < 0.04)
            return rng_.chance(0.5) ? "MISS" : "MOVED";
        if (l.state == cs::case_state::outcome)
            return r < 0.12 ? "WORK" : r < 0.2 ? "LESS" : school_code() + " STOP";
        if (l.goal == cs::target::prevention)
            return r < 0.08 ? "WORK" : r < 0.6 ? school_code() : r < 0.85 ? school_code() + " HOME" : "HOME";
        // withdrawal
        return r < 0.12  ? "WORK"
               : r < 0.28 ? "LESS"
               : r < 0.38 ? school_code()
               : r < 0.5  ? "STOP"
                          : school_code() + (rng_.chance(0.8) ? " STOP" : " HOME");
    }

    // A team's form: VER, PLAN, REF, SVC, OUT, MERGE or CLOSE on a case of its area.
    bool team_form(message_out& m) {
        for (int attempt = 0; attempt < 6; ++attempt) {
            // Triage first: most cases get a VER; fewer get as far as a plan and an outcome.
            const double r = rng_.unit();
            if (r < 0.40) {
                if (verify(m))
                    return true;
                continue;
            }
            if (r < 0.65) {
                if (plan(m))
                    return true;
                continue;
            }
            if (r < 0.80) {
                if (service(m))
                    return true;
                continue;
            }
            if (r < 0.93) {
                if (outcome(m))
                    return true;
                continue;
            }
            if (close(m))
                return true;
        }
        return false;
    }

    bool verify(message_out& m) {
        auto& set = sets_[static_cast<std::size_t>(cs::case_state::reported)];
        if (set.empty())
            return false;
        const uint32_t i = set.pick(rng_);
        const sim_case& c = cases_[i];
        const std::string actor = member_of(team_of_case(c));
        const double r = rng_.unit();
        if (r < 0.04) {
            // The same child reported twice: merged into an earlier case of the site still in triage.
            for (int k = 0; k < 8; ++k) {
                const uint32_t j = i > 0 ? static_cast<uint32_t>(rng_.below(i)) : i;
                const sim_case& into = cases_[j];
                if (j == i || into.site != c.site || !cs::is_open(into.life.state) ||
                    into.life.state == cs::case_state::merged)
                    continue;
                if (change_case(i, cs::merge{into.code}, actor, m, "MERGE " + c.code + " " + into.code, "MERGE")) {
                    m.into_case = into.code;
                    absorbed_into_ = j;
                    return true;
                }
            }
        }
        if (r < 0.16) {
            static const std::vector<std::string> reasons{"NOTCL", "NOTCL", "NOTFOUND", "DUP", "OTHER"};
            const std::string reason = rng_.pick(reasons);
            if (change_case(i, cs::verify{false, reason}, actor, m, "VER " + c.code + " NO " + reason, "VER")) {
                m.outcome = "NO";
                m.reason = reason;
                return true;
            }
            return false;
        }
        if (change_case(i, cs::verify{true, {}}, actor, m, "VER " + c.code + " OK", "VER")) {
            m.outcome = "OK";
            return true;
        }
        return false;
    }

    bool plan(message_out& m) {
        auto& set = sets_[static_cast<std::size_t>(rng_.chance(0.9) ? cs::case_state::confirmed
                                                                    : cs::case_state::re_engaged)];
        if (set.empty())
            return false;
        const uint32_t i = set.pick(rng_);
        const sim_case& c = cases_[i];
        const bool prevention = c.life.opened_by == cs::opening::risk ? !rng_.chance(0.05) : rng_.chance(0.08);
        static const std::vector<std::string> w_categories{"CL", "CL", "WFCL", "HARD", ""};
        static const std::vector<std::string> p_categories{"RISK", "RISK", "DROP", "HARD", ""};
        const std::string category = rng_.pick(prevention ? p_categories : w_categories);
        const std::string detail = std::string(prevention ? "P" : "W") + (category.empty() ? "" : " " + category);
        if (!change_case(i, cs::plan{prevention ? cs::target::prevention : cs::target::withdrawal, category},
                         member_of(team_of_case(c)), m, "PLAN " + c.code + " " + detail, "PLAN"))
            return false;
        m.target = prevention ? "P" : "W";
        if (!category.empty())
            m.category = category;
        return true;
    }

    bool service(message_out& m) {
        auto& set = sets_[static_cast<std::size_t>(rng_.chance(0.85) ? cs::case_state::planned
                                                                     : cs::case_state::outcome)];
        if (set.empty())
            return false;
        const uint32_t i = set.pick(rng_);
        const sim_case& c = cases_[i];
        static const std::vector<std::string> services{"NFE", "SCH", "SCH", "HEALTH", "SOCIAL", "PSY", "VOC",
                                                       "FAMILY", "LEGAL", "KG"};
        const std::string service = rng_.pick(services);
        const std::string actor = member_of(team_of_case(c));
        if (rng_.chance(0.4)) {
            if (!change_case(i, cs::refer{service}, actor, m, "REF " + c.code + " " + service, "REF"))
                return false;
            m.service = service;
            return true;
        }
        const bool family = rng_.chance(0.3);
        if (!change_case(i, cs::serve{service, family}, actor, m,
                         "SVC " + c.code + " " + service + (family ? " FAM" : ""), "SVC"))
            return false;
        m.service = service;
        m.for_family = family ? 1 : 0;
        return true;
    }

    // OUT on a planned case (or one whose outcome is LESS): the result its evidence allows, else
    // NO (checked, not achieved).
    bool outcome(message_out& m) {
        auto& set = sets_[static_cast<std::size_t>(cs::case_state::planned)];
        if (set.empty())
            return false;
        const uint32_t i = set.pick(rng_);
        const sim_case& c = cases_[i];
        const std::string actor = member_of(team_of_case(c));
        const cs::outcome wanted = c.life.goal == cs::target::prevention ? cs::outcome::prevented
                                   : c.life.work == cs::work_status::less ? cs::outcome::reduced
                                                                          : cs::outcome::withdrawn;
        for (const cs::outcome o : {wanted, cs::outcome::none}) {
            const std::string word{o == cs::outcome::none ? "NO" : cs::to_string(o)};
            if (change_case(i, cs::verify_outcome{o}, actor, m, "OUT " + c.code + " " + word, "OUT")) {
                m.outcome = word;
                return true;
            }
        }
        return false;
    }

    bool close(message_out& m) {
        const bool done = rng_.chance(0.8);
        auto& set = sets_[static_cast<std::size_t>(done ? cs::case_state::outcome : cs::case_state::planned)];
        if (set.empty())
            return false;
        const uint32_t i = set.pick(rng_);
        const sim_case& c = cases_[i];
        const std::string reason = done ? "DONE" : rng_.chance(0.5) ? "ADULT" : "MOVED";
        if (!change_case(i, cs::close{reason}, member_of(team_of_case(c)), m, "CLOSE " + c.code + " " + reason,
                         "CLOSE"))
            return false;
        m.reason = reason;
        return true;
    }

    void ack(std::size_t a, message_out& m) {
        alert_row& al = alerts_[a];
        m.sender = member_of(al.team);
        m.text = "ACK " + std::to_string(a + 1);
        m.form = "ACK";
        m.reply = "ACK " + std::to_string(a + 1) + ": thank you, the others are told.";
        al.acked_at = now_;
        al.acked_by = m.sender;
        al.acked_message_id = next_message_id_;
    }

    // A new alert for a report or a TR WORK/MISS, with when (if ever) someone will ACK it.
    void raise_alert(alert_row a) {
        const double p_ack = a.urgent ? 0.92 : 0.8;
        if (rng_.chance(p_ack)) {
            // Minutes to the ACK: skewed, most soon, a long tail past the escalation times.
            const double u = rng_.unit();
            const double median = a.urgent ? 12.0 : 150.0;
            const double minutes = median * (u < 0.5 ? 0.2 + 1.6 * u : 1.0 / (2.0 * (1.0 - u) + 0.05));
            a.ack_due = a.created_at + static_cast<int64_t>(minutes * minute_ms);
            pending_acks_.push({a.ack_due, alerts_.size()});
        }
        alerts_.push_back(std::move(a));
    }

    void write_message(message_out& m) {
        const int64_t id = next_message_id_++;
        if (m.sender.empty())
            m.sender = registry_.reporters.front().phone;
        m.reply_lang = lang_of(m.sender);
        SQLite::Statement& s = ins_message_;
        s.bind(1, id);
        s.bind(2, "k" + std::to_string(id));
        s.bind(3, m.sender);
        s.bind(4, m.text);
        s.bind(5, now_);
        s.bind(6, std::string(status_names[static_cast<std::size_t>(m.status)]));
        bind_opt(s, 7, m.form.empty() ? std::nullopt : std::optional<std::string>(m.form));
        bind_opt(s, 8, m.error_code.empty() ? std::nullopt : std::optional<std::string>(m.error_code));
        if (m.duplicate_of)
            s.bind(9, *m.duplicate_of);
        else
            s.bind(9);
        s.bind(10, m.reply);
        s.bind(11, m.reply_lang);
        s.exec();
        s.reset();
        ++tally.messages;
        ++tally.by_status[m.status];
        if (m.status != st_accepted) {
            pending_open_ = {};
            pending_change_.reset();
            absorbed_into_.reset();
            ++tally.by_form[form_names.size() - 1];
            return;
        }
        const auto fi = std::find(form_names.begin(), form_names.end(), m.form);
        ++tally.by_form[static_cast<std::size_t>(fi - form_names.begin())];
        last_accepted_ = m;
        last_accepted_id_ = id;
        last_accepted_at_ = now_;
        if (m.form == "ACK")
            return; // the gateway writes no event for an ACK: the alert records it
        const int64_t event = write_event(id, m);
        if (!pending_open_.sexes.empty())
            write_openings(id, event, m);
        if (pending_change_)
            write_change(id, event, m);
    }

    static void bind_opt(SQLite::Statement& s, int i, const std::optional<std::string>& v) {
        if (v)
            s.bind(i, *v);
        else
            s.bind(i);
    }
    static void bind_opt(SQLite::Statement& s, int i, const std::optional<int>& v) {
        if (v)
            s.bind(i, *v);
        else
            s.bind(i);
    }

    int64_t write_event(int64_t message_id, const message_out& m) {
        const int64_t id = next_event_id_++;
        SQLite::Statement& s = ins_event_;
        s.bind(1, id);
        s.bind(2, message_id);
        s.bind(3, m.form);
        s.bind(4, m.sender);
        bind_opt(s, 5, m.site);
        bind_opt(s, 6, m.case_code);
        bind_opt(s, 7, m.boys);
        bind_opt(s, 8, m.girls);
        bind_opt(s, 9, m.unknown);
        bind_opt(s, 10, m.age_min);
        bind_opt(s, 11, m.age_max);
        bind_opt(s, 12, m.work);
        bind_opt(s, 13, m.hazards);
        bind_opt(s, 14, m.status_codes);
        bind_opt(s, 15, m.service);
        bind_opt(s, 16, m.outcome);
        bind_opt(s, 17, m.reason);
        s.bind(18, m.urgent ? 1 : 0);
        s.bind(19, m.sensitive ? 1 : 0);
        s.bind(20, now_);
        bind_opt(s, 21, m.target);
        bind_opt(s, 22, m.category);
        bind_opt(s, 23, m.for_family);
        bind_opt(s, 24, m.into_case);
        s.exec();
        s.reset();
        ++tally.events;
        return id;
    }

    int64_t write_history(const sim_case& c, std::optional<int64_t> message_id, std::optional<int64_t> event_id,
                          const std::string& actor, const std::string& action, const std::string& detail) {
        const int64_t id = next_history_id_++;
        SQLite::Statement& s = ins_history_;
        s.bind(1, id);
        s.bind(2, static_cast<int64_t>(c.serial));
        if (message_id)
            s.bind(3, *message_id);
        else
            s.bind(3);
        if (event_id)
            s.bind(4, *event_id);
        else
            s.bind(4);
        s.bind(5, actor);
        s.bind(6, action);
        s.bind(7, detail);
        s.bind(8, now_);
        s.exec();
        s.reset();
        ++tally.history;
        return id;
    }

    void move_set(uint32_t i, const cs::child_case& before, const cs::child_case& after) {
        const std::size_t from = set_of(before), to = set_of(after);
        if (from != to) {
            sets_[from].remove(i);
            sets_[to].add(i);
        }
    }

    void write_openings(int64_t message_id, int64_t event_id, const message_out& m) {
        const auto& o = pending_open_;
        std::vector<std::string> codes;
        for (const char sex : o.sexes) {
            sim_case c;
            c.serial = static_cast<uint32_t>(first_serial_ + cases_.size());
            c.code = kharuul::parser::make_case_code(c.serial);
            c.site = o.site;
            c.sensitive = m.sensitive;
            c.opened_at = now_;
            c.start = cs::open_case(o.risk ? cs::opening::risk : cs::opening::id, from_unix(now_), o.reason);
            c.life = c.start;
            c.last_followed_by = m.sender;
            SQLite::Statement& s = ins_case_;
            s.bind(1, static_cast<int64_t>(c.serial));
            s.bind(2, c.code);
            s.bind(3, registry_.sites[o.site].code);
            s.bind(4, std::string(1, sex));
            s.bind(5, *m.age_min);
            s.bind(6, *m.age_max);
            s.bind(7, o.risk ? "RISK" : "ID");
            if (o.risk) {
                s.bind(8);
                s.bind(9, o.reason);
            } else {
                s.bind(8, o.work);
                s.bind(9);
            }
            s.bind(10, o.hazards);
            s.bind(11, m.sensitive ? 1 : 0);
            s.bind(12, std::string(cs::to_string(c.start.goal)));
            s.bind(13, std::string(cs::to_string(c.start.work)));
            s.bind(14, std::string(cs::to_string(c.start.school)));
            s.bind(15, event_id);
            s.bind(16, message_id);
            s.bind(17, m.sender);
            s.bind(18, now_);
            s.exec();
            s.reset();
            const int64_t h = write_history(c, message_id, event_id, m.sender, "opened", registry_.sites[o.site].code);
            c.history.push_back({h, "opened", registry_.sites[o.site].code, from_unix(now_)});
            const auto i = static_cast<uint32_t>(cases_.size());
            sets_[set_of(c.life)].add(i);
            codes.push_back(c.code);
            cases_.push_back(std::move(c));
        }
        // Its alert: ID reports for one site within 15 minutes fold into the open one.
        std::string joined;
        for (const auto& code : codes)
            joined += (joined.empty() ? "" : " ") + code;
        const int kids = static_cast<int>(o.sexes.size());
        if (!o.risk && last_report_alert_.size() == registry_.sites.size()) {
            const std::optional<std::size_t> last = last_report_alert_[o.site];
            if (last) {
                alert_row& a = alerts_[*last];
                if (now_ - a.last_report_at <= 15 * minute_ms && (a.ack_due < 0 || a.ack_due > now_) &&
                    a.urgent == m.urgent && a.sensitive == m.sensitive) {
                    a.case_codes += " " + joined;
                    a.folded_children += kids;
                    a.last_report_at = now_;
                    pending_open_ = {};
                    return;
                }
            }
        }
        alert_row a;
        a.site = o.site;
        a.urgent = m.urgent;
        a.sensitive = m.sensitive;
        a.boys = *m.boys;
        a.girls = *m.girls;
        a.unknown = *m.unknown;
        a.age_min = m.age_min;
        a.age_max = m.age_max;
        a.work = o.work;
        a.hazards = o.hazards;
        a.case_codes = joined;
        a.reporter = m.sender;
        a.message_id = message_id;
        a.event_id = event_id;
        a.created_at = a.last_report_at = now_;
        a.team = cs::team_of(report_teams_, registry_.sites[o.site].area, m.sensitive);
        if (last_report_alert_.size() != registry_.sites.size())
            last_report_alert_.resize(registry_.sites.size());
        if (!o.risk)
            last_report_alert_[o.site] = alerts_.size();
        raise_alert(std::move(a));
        pending_open_ = {};
    }

    void write_change(int64_t message_id, int64_t event_id, const message_out& m) {
        const auto [i, ch] = *pending_change_;
        pending_change_.reset();
        sim_case& c = cases_[i];
        const int64_t h = write_history(c, message_id, event_id, m.sender, ch.history_action, ch.detail);
        c.history.push_back({h, ch.history_action, ch.detail, from_unix(now_)});
        move_set(i, c.life, ch.after);
        c.life = ch.after;
        c.last_followed_by = m.sender;
        if (ch.history_action == "referred" || ch.history_action == "serviced") {
            SQLite::Statement& s = ins_service_;
            s.bind(1, static_cast<int64_t>(c.serial));
            s.bind(2, h);
            s.bind(3, ch.history_action == "referred" ? "referral" : "service");
            s.bind(4, *m.service);
            s.bind(5, m.for_family.value_or(0));
            s.bind(6, m.sender);
            s.bind(7, message_id);
            s.bind(8, now_);
            s.exec();
            s.reset();
            ++tally.services;
            c.last_service = *m.service;
        }
        if (absorbed_into_) {
            const sim_case& kept = cases_[*absorbed_into_];
            const int64_t ah = write_history(kept, message_id, event_id, m.sender, "absorbed", c.code);
            cases_[*absorbed_into_].history.push_back({ah, "absorbed", c.code, from_unix(now_)});
            absorbed_into_.reset();
        }
        // Tracking alerts: TR ... WORK and MISS tell the team.
        if (ch.history_action == "tracked" && (ch.detail.find("WORK") != std::string::npos || ch.detail == "MISS")) {
            alert_row a;
            a.tracking = true;
            a.site = c.site;
            a.sensitive = c.sensitive;
            a.case_codes = c.code;
            a.tracking_status = ch.detail.find("WORK") != std::string::npos ? "WORK" : "MISS";
            a.reporter = m.sender;
            a.message_id = message_id;
            a.event_id = event_id;
            a.created_at = a.last_report_at = now_;
            a.team = team_of_case(c);
            raise_alert(std::move(a));
        }
        // A coordinator's correction now and then (`kharuul case CODE --undo`): the last change of a
        // team's form reversed, the case replayed.
        if (ch.history_action != "tracked" && ch.history_action != "merged" && rng_.chance(0.004)) {
            const auto last = cs::last_undoable(c.history);
            if (last && *last == h) {
                const std::string detail = cs::undo_detail(h, "mistyped, sent again");
                const int64_t u = write_history(c, std::nullopt, std::nullopt, "cli:coordinator", "undone", detail);
                c.history.push_back({u, "undone", detail, from_unix(now_)});
                const cs::child_case after = cs::replay(c.start, c.history).at_end;
                move_set(i, c.life, after);
                c.life = after;
                ++tally.undone;
            }
        }
    }

    void write_alerts() {
        SQLite::Statement s(db_, "INSERT INTO alerts (id, kind, site, urgent, sensitive, boys, girls, unknown, age_min,"
                                 " age_max, work, hazards, case_codes, tracking_status, reporter, message_id, event_id,"
                                 " created_at, state, acked_at, acked_by, acked_message_id, level, repeats,"
                                 " leaders_told, coordinators_told, next_escalation_at, folded_children,"
                                 " last_report_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
                                 " ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)");
        const int64_t end = end_ms();
        for (std::size_t k = 0; k < alerts_.size(); ++k) {
            const alert_row& a = alerts_[k];
            // The escalation level reached before the ACK (or by the end): every ack time, the
            // leaders, then the coordinators, then repeats.
            const int64_t ack_after = (a.urgent ? 30 : 720) * minute_ms;
            const int64_t waited = (a.acked_at ? *a.acked_at : end) - a.created_at;
            const int level = static_cast<int>(std::min<int64_t>(4, waited / ack_after));
            const bool gave_up = !a.acked_at && level >= 4;
            s.bind(1, static_cast<int64_t>(k + 1));
            s.bind(2, a.tracking ? "tracking" : "report");
            s.bind(3, registry_.sites[a.site].code);
            s.bind(4, a.urgent ? 1 : 0);
            s.bind(5, a.sensitive ? 1 : 0);
            s.bind(6, a.boys);
            s.bind(7, a.girls);
            s.bind(8, a.unknown);
            bind_opt(s, 9, a.age_min);
            bind_opt(s, 10, a.age_max);
            bind_opt(s, 11, a.work.empty() ? std::nullopt : std::optional<std::string>(a.work));
            s.bind(12, a.hazards);
            s.bind(13, a.case_codes);
            bind_opt(s, 14, a.tracking ? std::optional<std::string>(a.tracking_status) : std::nullopt);
            s.bind(15, a.reporter);
            s.bind(16, a.message_id);
            s.bind(17, a.event_id);
            s.bind(18, a.created_at);
            s.bind(19, a.acked_at ? "acknowledged" : gave_up ? "closed" : "open");
            if (a.acked_at) {
                s.bind(20, *a.acked_at);
                s.bind(21, a.acked_by);
                s.bind(22, *a.acked_message_id);
            } else {
                s.bind(20);
                s.bind(21);
                s.bind(22);
            }
            s.bind(23, level);
            s.bind(24, level >= 3 ? level - 2 : 0);
            s.bind(25, level >= 1 ? 1 : 0);
            s.bind(26, level >= 2 ? 1 : 0);
            if (a.acked_at || gave_up)
                s.bind(27);
            else
                s.bind(27, a.created_at + (level + 1) * ack_after);
            s.bind(28, a.folded_children);
            s.bind(29, a.last_report_at);
            s.exec();
            s.reset();
            ++tally.alerts;
            tally.acked += a.acked_at ? 1 : 0;
        }
    }

    // What save_change keeps besides the machine's columns: the last service and who last
    // followed the case (recompute_all_cases then writes the machine's columns and last_status).
    void finish_cases() {
        SQLite::Statement s(db_, "UPDATE cases SET last_service = ?1, last_followed_by = ?2 WHERE serial = ?3");
        for (const auto& c : cases_) {
            bind_opt(s, 1, c.last_service.empty() ? std::nullopt : std::optional<std::string>(c.last_service));
            s.bind(2, c.last_followed_by);
            s.bind(3, static_cast<int64_t>(c.serial));
            s.exec();
            s.reset();
        }
    }

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

// "2026-01-01": local midnight at +08:00, as unix milliseconds.
std::optional<int64_t> parse_date(const std::string& s) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%d-%u-%u%c", &y, &m, &d, &tail) != 3)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
    if (!ymd.ok())
        return std::nullopt;
    const auto days = std::chrono::sys_days{ymd}.time_since_epoch().count();
    return static_cast<int64_t>(days) * day_ms - utc_offset_ms;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

int main(int argc, char** argv) {
    std::string out, from_text = "2026-01-01";
    uint64_t want_cases = 0, seed = 1;
    int64_t want_messages = 0;
    int days = 365;
    po::options_description opts("gen_store --out FILE --cases N --messages M --seed S [--from DATE] [--days D]");
    opts.add_options()("help,h", "this text")("out", po::value(&out)->required(), "the store to write (replaced)")(
        "cases", po::value(&want_cases)->required(), "cases to open (ID and RISK), at most 90000")(
        "messages", po::value(&want_messages)->required(), "messages in all")(
        "seed", po::value(&seed)->default_value(1), "the same seed writes the same store")(
        "from", po::value(&from_text)->default_value("2026-01-01"), "first day, local time (+08:00)")(
        "days", po::value(&days)->default_value(365), "days the messages are spread over");
    try {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, opts), vm);
        if (vm.count("help")) {
            std::cout << opts;
            return 0;
        }
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "gen_store: " << e.what() << "\n" << opts;
        return 2;
    }
    const auto from = parse_date(from_text);
    const uint64_t max_cases = kharuul::parser::max_case_serial - st::default_first_case_serial + 1;
    if (!from || days < 1 || want_messages < 1 || want_cases > max_cases) {
        std::cerr << "gen_store: --from must be a date (2026-01-01), --days and --messages at least 1, --cases at most "
                  << max_cases << "\n";
        return 2;
    }

    const auto t0 = std::chrono::steady_clock::now();
    const fs::path target(out);
    const fs::path partial = target.string() + ".partial";
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(partial.string() + suffix);
    try {
        double gen_s = 0, recompute_s = 0;
        counts tally;
        std::size_t cases_written = 0;
        std::array<int64_t, state_count> states{};
        int64_t end = 0;
        {
            st::connection db = st::open_database(partial);
            // For the generator only: a crash just means generating again.
            db.exec("PRAGMA synchronous = OFF");
            db.exec("PRAGMA cache_size = -131072");
            generator g(db, seed, *from, days, static_cast<uint32_t>(want_cases), want_messages);
            if (auto r = st::sync_registry(db, g.registry(), st::from_unix_ms(*from)); !r) {
                std::cerr << "gen_store: the registry: " << r.error().message() << "\n";
                return 1;
            }
            g.run();
            gen_s = seconds_since(t0);
            const auto t1 = std::chrono::steady_clock::now();
            db.exec("BEGIN");
            st::recompute_all_cases(db);
            db.exec("COMMIT");
            recompute_s = seconds_since(t1);
            db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
            db.exec("ANALYZE");
            tally = g.tally;
            cases_written = g.case_count();
            states = g.state_counts();
            end = g.end_ms();
        }
        for (const char* suffix : {"-wal", "-shm"})
            fs::remove(partial.string() + suffix);
        fs::rename(partial, target);

        std::cout << "gen_store: wrote " << target.string() << " (seed " << seed << ", " << from_text << " + " << days
                  << " days, until unix ms " << end << ") in " << seconds_since(t0) << " s (generation " << gen_s
                  << " s, recompute_all_cases " << recompute_s << " s)\n";
        std::cout << "  messages " << tally.messages << ":";
        for (std::size_t k = 1; k < status_names.size(); ++k)
            std::cout << " " << status_names[k] << " " << tally.by_status[k];
        std::cout << "\n  accepted by form:";
        for (std::size_t k = 0; k + 1 < form_names.size(); ++k)
            std::cout << " " << form_names[k] << " " << tally.by_form[k];
        std::cout << "\n  events " << tally.events << ", cases " << cases_written << ", case_history " << tally.history
                  << " (undone " << tally.undone << "), case_services " << tally.services << ", alerts "
                  << tally.alerts << " (acknowledged " << tally.acked << ")\n  cases by state:";
        static constexpr std::array<std::string_view, 9> state_names{
            "reported", "confirmed", "dismissed", "merged", "planned", "outcome", "re_engaged", "lost", "closed"};
        for (std::size_t k = 0; k < state_names.size(); ++k)
            std::cout << " " << state_names[k] << " " << states[k];
        std::cout << "\n";
        if (cases_written < want_cases)
            std::cout << "  (fewer cases than asked: not enough ID/RISK messages)\n";
    } catch (const std::exception& e) {
        std::cerr << "gen_store: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
