#include "cases/report.hpp"

#include <algorithm>
#include <array>
#include <compare>
#include <map>
#include <string_view>
#include <unordered_map>

// Definitions chosen where cases.md 4 is silent (the tests pin each of them):
// * An empty dimension value (no age band, a site missing from the registry, no category, no
//   team, no target) is JSON null, as `work` is on rows of RISK cases.
// * Rows carry a value of at least 1: a reporter with no confirmed child has no
//   reporter_children_confirmed row; totals stay sums of rows.
// * Rows of one indicator are ordered by their dimension values in the order the table names
//   them, null first, false before true, age bands in their configured order ("5-11" before
//   "12-14"), other text alphabetically; the trace is ordered too (case codes as numbers, ids
//   ascending).
// * Everything is as the store stood at `until`: an alert counts as acknowledged only when its
//   ACK came before `until`; messages, alerts and service entries outside [from, until) and cases
//   opened at or after `until` are left out even if the loader passed them.
// * overdue_tracking: open cases whose tracking news (the last TR, or the report for a case never
//   tracked) came strictly before `until - reminder_after`; news exactly at that edge is in time.
// * confirmed counts the VER OK that still stands at `until` (an undone one does not count);
//   dismissed is keyed site, area, reason; referred rows are all `for` "child" (REF has no FAM).
// * reporter_children sums the children an ID or RISK report gave; reporter_children_confirmed
//   counts the cases those reports opened (opened_message_id) whose confirmation stands at
//   `until`, merged cases left out, its trace the messages with at least one such child.
// * The team of a case: among the covering teams of the right kind, the one with the longest
//   (most specific) covering area; on a tie the first in registry order.
// * ack_minutes_median and ack_minutes_p90 are nearest-rank percentiles: of the n sorted minutes,
//   the one at rank ceil(p * n) (1-based), so that each figure is one real alert's minutes;
//   minutes are fractional (90 seconds is 1.5); the trace is every acknowledged alert of the team.
namespace kharuul::cases {

std::vector<age_band> default_age_bands() {
    return {{"3-4", 3, 4}, {"5-11", 5, 11}, {"12-14", 12, 14}, {"15-17", 15, 17}};
}

std::string band_of(const std::vector<age_band>& bands, int age_min, int age_max) {
    // A single age may come as (age, 0) or (age, age); a range's middle is rounded down.
    const int age = age_max < age_min ? age_min : age_min + (age_max - age_min) / 2;
    for (const auto& b : bands) {
        if (b.lo <= age && age <= b.hi) return b.label;
    }
    return {};
}

namespace {

// True when `area` is `outer` or lies inside it ("A" holds "A" and "A/B", never "A2").
bool area_inside(std::string_view outer, std::string_view area) noexcept {
    if (area.size() < outer.size() || area.substr(0, outer.size()) != outer) return false;
    return area.size() == outer.size() || area[outer.size()] == '/';
}

// One dimension value as rows are ordered by it: null first, false before true.
struct key_value {
    int rank = 0; // age bands: their place in the configured list, so that "5-11" comes before "12-14"
    std::optional<std::string> text;
    std::optional<bool> flag;
    auto operator<=>(const key_value&) const = default;
};

// The dimension values, each stored once: rows are keyed by small numbers while 80,000 cases are
// counted, and ordered by the values themselves only when they are written out. 0 is null.
class value_pool {
public:
    using id = std::uint32_t;
    value_pool() : values_{{}, {0, std::nullopt, false}, {0, std::nullopt, true}} {}

    id text(std::string_view s, int rank = 0) {
        if (s.empty()) return 0;
        auto [it, fresh] = ids_.try_emplace(std::string(s), static_cast<id>(values_.size()));
        if (fresh) values_.push_back({rank, it->first, std::nullopt});
        return it->second;
    }
    static id flag(bool b) noexcept { return b ? 2 : 1; }
    const key_value& value(id i) const { return values_[i]; }

private:
    std::vector<key_value> values_;
    std::unordered_map<std::string, id> ids_;
};

// At most five dimensions per indicator; the unused ones stay 0.
using row_key = std::array<value_pool::id, 5>;

struct bucket {
    double value = 0;
    std::vector<const std::string*> cases;
    std::vector<std::int64_t> messages;
    std::vector<std::int64_t> alerts;
};

bool code_less(const std::string* a, const std::string* b) {
    return a->size() != b->size() ? a->size() < b->size() : *a < *b;
}

// The rows of one indicator, keyed by its dimension values.
class indicator_rows {
public:
    indicator_rows(const value_pool& pool, std::string indicator, std::vector<std::string> names)
        : pool_(&pool), indicator_(std::move(indicator)), names_(std::move(names)) {}

    bucket& at(const row_key& key) { return buckets_[key]; }
    void add_case(const row_key& key, const std::string& code) {
        auto& b = at(key);
        b.value += 1;
        b.cases.push_back(&code);
    }
    void add_message(const row_key& key, std::int64_t id, double value = 1) {
        auto& b = at(key);
        b.value += value;
        b.messages.push_back(id);
    }
    void add_alert(const row_key& key, std::int64_t number) {
        auto& b = at(key);
        b.value += 1;
        b.alerts.push_back(number);
    }
    // Rows whose value may be 0 (minutes), kept even so.
    void keep_empty() { keep_empty_ = true; }

    void emit(std::vector<report_row>& out) {
        std::vector<std::pair<const row_key*, bucket*>> order;
        order.reserve(buckets_.size());
        for (auto& [key, b] : buckets_) {
            if (b.value > 0 || keep_empty_) order.emplace_back(&key, &b);
        }
        const std::size_t n = names_.size();
        std::sort(order.begin(), order.end(), [&](const auto& x, const auto& y) {
            for (std::size_t i = 0; i < n; ++i) {
                if ((*x.first)[i] == (*y.first)[i]) continue;
                return pool_->value((*x.first)[i]) < pool_->value((*y.first)[i]);
            }
            return false;
        });
        for (auto& [key, b] : order) {
            report_row row;
            row.indicator = indicator_;
            for (std::size_t i = 0; i < n; ++i) {
                const key_value& v = pool_->value((*key)[i]);
                row.dims.push_back({names_[i], v.text, v.flag});
            }
            row.value = b->value;
            std::sort(b->cases.begin(), b->cases.end(), code_less);
            row.cases.reserve(b->cases.size());
            for (const std::string* code : b->cases) row.cases.push_back(*code);
            std::sort(b->messages.begin(), b->messages.end());
            std::sort(b->alerts.begin(), b->alerts.end());
            row.messages = std::move(b->messages);
            row.alerts = std::move(b->alerts);
            out.push_back(std::move(row));
        }
    }

private:
    const value_pool* pool_;
    std::string indicator_;
    std::vector<std::string> names_;
    std::map<row_key, bucket> buckets_;
    bool keep_empty_ = false;
};

} // namespace

// The ordinary team covering the area with the most specific of its areas (the first in registry
// order on a tie); for a sensitive case, or an area no ordinary team covers, the team for
// sensitive cases covering it chosen the same way; "" if none.
std::string team_of(const std::vector<report_team>& teams, std::string_view area, bool sensitive) {
    auto best = [&](bool want_sensitive) -> const report_team* {
        const report_team* found = nullptr;
        std::size_t found_len = 0;
        for (const auto& t : teams) {
            if (t.sensitive_cases != want_sensitive) continue;
            for (const auto& a : t.areas) {
                if (!area_inside(a, area)) continue;
                if (found == nullptr || a.size() > found_len) {
                    found = &t;
                    found_len = a.size();
                }
            }
        }
        return found;
    };
    if (!sensitive) {
        if (const auto* t = best(false)) return t->name;
    }
    if (const auto* t = best(true)) return t->name;
    return {};
}

namespace {

// Nearest-rank percentile of sorted values: the value at rank ceil(p * n), 1-based.
double nearest_rank(const std::vector<double>& sorted, int percent) {
    const std::size_t n = sorted.size();
    std::size_t rank = (static_cast<std::size_t>(percent) * n + 99) / 100;
    if (rank < 1) rank = 1;
    return sorted[rank - 1];
}

bool in_period(timestamp t, const report_input& in) { return in.from <= t && t < in.until; }
bool in_period(const std::optional<timestamp>& t, const report_input& in) {
    return t && in_period(*t, in);
}

bool is_report_form(std::string_view form) { return form == "ID" || form == "NIL" || form == "RISK"; }

} // namespace

std::vector<report_row> compute_report(const report_input& in) {
    value_pool pool;
    for (std::size_t i = 0; i < in.age_bands.size(); ++i) pool.text(in.age_bands[i].label, static_cast<int>(i) + 1);
    indicator_rows identified(pool, "identified", {"sex", "age_band", "site", "area", "work"});
    indicator_rows at_risk(pool, "at_risk_registered", {"sex", "age_band", "site", "area", "reason"});
    indicator_rows confirmed(pool, "confirmed", {"site", "area"});
    indicator_rows dismissed(pool, "dismissed", {"site", "area", "reason"});
    indicator_rows merged(pool, "merged", {"site"});
    indicator_rows targeted(pool, "targeted", {"target", "category", "sex", "age_band", "area"});
    indicator_rows withdrawn(pool, "verified_withdrawn", {"sex", "age_band", "site", "area", "work"});
    indicator_rows prevented(pool, "verified_prevented", {"sex", "age_band", "site", "area", "work"});
    indicator_rows reduced(pool, "verified_reduced_hours", {"sex", "age_band", "site", "area", "work"});
    indicator_rows re_engaged(pool, "re_engaged", {"site", "area"});
    indicator_rows school(pool, "school_status", {"status", "area"});
    indicator_rows work(pool, "work_status", {"status", "area"});
    indicator_rows referred(pool, "referred", {"service", "for", "area"});
    indicator_rows delivered(pool, "service_delivered", {"service", "for", "area"});
    indicator_rows lost(pool, "lost_to_follow_up", {"site", "area"});
    indicator_rows overdue(pool, "overdue_tracking", {"team", "site"});
    indicator_rows visits(pool, "site_visits", {"site", "form"});
    indicator_rows not_visited(pool, "site_not_visited", {"site", "area"});
    indicator_rows reporter_reports(pool, "reporter_reports", {"reporter"});
    indicator_rows reporter_children(pool, "reporter_children", {"reporter"});
    indicator_rows reporter_confirmed(pool, "reporter_children_confirmed", {"reporter"});
    indicator_rows reporter_tracking(pool, "reporter_tracking", {"reporter"});
    indicator_rows alerts_raised(pool, "alerts_raised", {"team", "urgent"});
    indicator_rows alerts_acked(pool, "alerts_acknowledged", {"team", "urgent"});
    indicator_rows ack_median(pool, "ack_minutes_median", {"team"});
    indicator_rows ack_p90(pool, "ack_minutes_p90", {"team"});
    indicator_rows ussd_abandoned(pool, "ussd_abandoned", {"step"});

    auto kept_area = [&](std::string_view area) {
        if (in.area && !area_inside(*in.area, area)) return false;
        return in.scope.empty() || std::any_of(in.scope.begin(), in.scope.end(),
                                               [&](const std::string& a) { return area_inside(a, area); });
    };

    // What the rows need of a site, worked out once per site rather than once per case. A site
    // missing from the registry has no area.
    struct site_facts {
        std::string_view area;
        bool kept = false;
        bool visited = false; // an ID, NIL or RISK report came from it in the period
        value_pool::id site = 0;
        value_pool::id area_id = 0;
        std::optional<value_pool::id> team[2]; // of an ordinary and of a sensitive case, when needed
    };
    std::unordered_map<std::string, site_facts> sites;
    sites.reserve(in.sites.size() * 2);
    auto add_site = [&](const std::string& code, std::string_view area) -> site_facts& {
        auto [it, fresh] = sites.try_emplace(code);
        if (fresh) it->second = {area, kept_area(area), false, pool.text(code), pool.text(area), {}};
        return it->second;
    };
    for (const auto& s : in.sites) add_site(s.code, s.area);
    auto site_of = [&](const std::string& code) -> site_facts& {
        const auto it = sites.find(code);
        return it != sites.end() ? it->second : add_site(code, {});
    };
    auto team_of_case = [&](site_facts& f, bool sensitive) {
        auto& team = f.team[sensitive ? 1 : 0];
        if (!team) team = pool.text(team_of(in.teams, f.area, sensitive));
        return *team;
    };
    std::map<std::pair<int, int>, value_pool::id> bands;
    auto band_id = [&](int lo, int hi) {
        auto [it, fresh] = bands.try_emplace({lo, hi});
        if (fresh) it->second = pool.text(band_of(in.age_bands, lo, hi));
        return it->second;
    };
    const value_pool::id sex_ids[] = {pool.text("B"), pool.text("G"), pool.text("U")};
    auto sex_id = [&](char sex) { return sex == 'B' ? sex_ids[0] : sex == 'G' ? sex_ids[1] : sex_ids[2]; };
    std::array<value_pool::id, 6> school_ids{};
    for (std::size_t i = 0; i < school_ids.size(); ++i)
        school_ids[i] = pool.text(to_string(static_cast<school_status>(i)));
    std::array<value_pool::id, 4> work_ids{};
    for (std::size_t i = 0; i < work_ids.size(); ++i) work_ids[i] = pool.text(to_string(static_cast<work_status>(i)));
    const value_pool::id child_id = pool.text("child");
    const value_pool::id family_id = pool.text("family");

    const timestamp overdue_before = in.until - in.reminder_after;
    // Confirmed children per opening message, for reporter_children_confirmed.
    std::unordered_map<std::int64_t, int> confirmed_by_message;

    for (const auto& c : in.cases) {
        if (c.opened_at >= in.until) continue;
        site_facts& facts = site_of(c.site);
        if (!facts.kept) continue;
        const timeline tl = replay(open_case(c.opened_by, c.opened_at, c.risk_reason), c.history, in.until);
        const child_case& k = tl.at_end;
        if (k.state == case_state::merged) {
            if (in_period(tl.merged_at, in)) merged.add_case({facts.site}, c.code);
            continue;
        }
        const value_pool::id sex = sex_id(c.sex);
        const value_pool::id band = band_id(c.age_min, c.age_max);
        const value_pool::id site = facts.site;
        const value_pool::id area_v = facts.area_id;
        const bool by_id = c.opened_by == opening::id;
        const value_pool::id work_v = by_id ? pool.text(c.work) : 0;

        if (in_period(c.opened_at, in)) {
            if (by_id) identified.add_case({sex, band, site, area_v, work_v}, c.code);
            else at_risk.add_case({sex, band, site, area_v, pool.text(c.risk_reason)}, c.code);
        }
        if (in_period(tl.confirmed_at, in)) confirmed.add_case({site, area_v}, c.code);
        if (k.state == case_state::dismissed && in_period(tl.dismissed_at, in))
            dismissed.add_case({site, area_v, pool.text(k.dismiss_reason)}, c.code);
        if (k.ever_planned && k.state != case_state::dismissed)
            targeted.add_case({pool.text(to_string(k.goal)), pool.text(k.category), sex, band, area_v}, c.code);
        if (k.result != outcome::none && in_period(k.outcome_at, in)) {
            indicator_rows& rows = k.result == outcome::withdrawn   ? withdrawn
                                   : k.result == outcome::prevented ? prevented
                                                                    : reduced;
            rows.add_case({sex, band, site, area_v, work_v}, c.code);
        }
        if (std::any_of(tl.re_engaged_at.begin(), tl.re_engaged_at.end(),
                        [&](timestamp t) { return in_period(t, in); }))
            re_engaged.add_case({site, area_v}, c.code);
        const bool open = is_open(k.state);
        if (open) {
            school.add_case({school_ids.at(static_cast<std::size_t>(k.school)), area_v}, c.code);
            work.add_case({work_ids.at(static_cast<std::size_t>(k.work)), area_v}, c.code);
            const timestamp news = k.last_tracked_at.value_or(c.opened_at);
            if (news < overdue_before) overdue.add_case({team_of_case(facts, c.sensitive), site}, c.code);
        }
        if (k.state == case_state::lost) lost.add_case({site, area_v}, c.code);
        for (const auto& s : c.services) {
            if (!in_period(s.at, in)) continue;
            indicator_rows& rows = s.referral ? referred : delivered;
            rows.add_case({pool.text(s.service), s.family ? family_id : child_id, area_v}, c.code);
        }
        if (tl.confirmed_at && c.opened_message_id != 0) ++confirmed_by_message[c.opened_message_id];
    }

    // Sites, messages and reporters.
    auto label_of = [&](const std::string& phone) {
        const auto it = in.reporter_labels.find(phone);
        return pool.text(it == in.reporter_labels.end() ? phone : it->second);
    };
    for (const auto& m : in.messages) {
        if (!in_period(m.received_at, in)) continue;
        site_facts& facts = site_of(m.site);
        if (!facts.kept) continue;
        if (is_report_form(m.form)) {
            facts.visited = true;
            visits.add_message({facts.site, pool.text(m.form)}, m.id);
            const value_pool::id reporter = label_of(m.sender);
            reporter_reports.add_message({reporter}, m.id);
            if (m.form != "NIL" && m.children > 0) reporter_children.add_message({reporter}, m.id, m.children);
            if (const auto it = confirmed_by_message.find(m.id); it != confirmed_by_message.end())
                reporter_confirmed.add_message({reporter}, m.id, it->second);
        } else if (m.form == "TR") {
            reporter_tracking.add_message({label_of(m.sender)}, m.id);
        }
    }
    for (const auto& s : in.sites) {
        const site_facts& facts = site_of(s.code);
        if (facts.kept && !facts.visited) not_visited.at({facts.site, facts.area_id}).value = 1;
    }

    // Alerts.
    std::map<std::string, std::vector<std::pair<double, std::int64_t>>> ack_minutes;
    for (const auto& a : in.alerts) {
        if (!in_period(a.created_at, in) || !site_of(a.site).kept) continue;
        const value_pool::id team = pool.text(a.team);
        alerts_raised.add_alert({team, value_pool::flag(a.urgent)}, a.number);
        if (a.acked_at && *a.acked_at < in.until) {
            alerts_acked.add_alert({team, value_pool::flag(a.urgent)}, a.number);
            const double minutes =
                static_cast<double>((*a.acked_at - a.created_at).count()) / 60000.0;
            ack_minutes[a.team].emplace_back(minutes, a.number);
        }
    }
    for (auto& [team, acks] : ack_minutes) {
        std::vector<double> sorted;
        sorted.reserve(acks.size());
        for (const auto& [minutes, number] : acks) sorted.push_back(minutes);
        std::sort(sorted.begin(), sorted.end());
        auto& med = ack_median.at({pool.text(team)});
        auto& p90 = ack_p90.at({pool.text(team)});
        med.value = nearest_rank(sorted, 50);
        p90.value = nearest_rank(sorted, 90);
        for (const auto& [minutes, number] : acks) {
            med.alerts.push_back(number);
            p90.alerts.push_back(number);
        }
    }
    ack_median.keep_empty();
    ack_p90.keep_empty();

    // USSD: where users give up (no trace: a dropped dialogue records no message).
    for (const auto& step : in.ussd_abandoned) ussd_abandoned.at({pool.text(step)}).value += 1;

    std::vector<report_row> rows;
    for (indicator_rows* r :
         {&identified, &at_risk, &confirmed, &dismissed, &merged, &targeted, &withdrawn, &prevented,
          &reduced, &re_engaged, &school, &work, &referred, &delivered, &lost, &overdue, &visits,
          &not_visited, &reporter_reports, &reporter_children, &reporter_confirmed, &reporter_tracking,
          &alerts_raised, &alerts_acked, &ack_median, &ack_p90, &ussd_abandoned}) {
        r->emit(rows);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i].id = "r" + std::to_string(i + 1);
    return rows;
}

} // namespace kharuul::cases
