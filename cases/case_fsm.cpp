#include "cases/case_fsm.hpp"

#include <array>
#include <charconv>
#include <set>
#include <utility>

// The checks of decide() are kept apart from the effect (apply()), so that replay() can rebuild a
// case from any history, even one an older build wrote without today's checks, and so that an
// accepted change is by construction exactly what its history row replays to.

namespace kharuul::cases {
namespace {

constexpr std::array<std::string_view, 9> state_names{
    "reported", "confirmed", "dismissed", "merged", "planned", "outcome", "re_engaged", "lost", "closed"};
constexpr std::array<std::string_view, 3> target_names{"", "withdrawal", "prevention"};
constexpr std::array<std::string_view, 4> work_names{"working", "less", "not_working", "unknown"};
constexpr std::array<std::string_view, 6> school_names{"school",     "nfe",  "kg",
                                                       "vocational", "none", "unknown"};
constexpr std::array<std::string_view, 4> outcome_names{"", "WD", "PR", "LESS"};
constexpr std::array<std::string_view, 2> opening_names{"ID", "RISK"};
constexpr std::array<std::string_view, 15> refusal_names{
    "closed",  "dismissed",     "merged",          "past_triage",  "not_confirmed", "has_outcome",
    "lost",    "needs_plan",    "target_mismatch", "no_recent_tr", "not_stopped",   "work_since_plan",
    "no_less", "needs_outcome", "not_mergeable"};

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum e) noexcept {
    const auto i = static_cast<std::size_t>(e);
    return i < N ? names[i] : std::string_view{};
}

template <class Enum, std::size_t N>
std::optional<Enum> from_name(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s)
            return static_cast<Enum>(i);
    return std::nullopt;
}

template <class... F> struct overloaded : F... { using F::operator()...; };
template <class... F> overloaded(F...) -> overloaded<F...>;

// The words of a history detail, split on single or repeated spaces.
std::vector<std::string_view> words_of(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ')
            ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ')
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}

std::string_view goal_letter(target t) noexcept {
    switch (t) {
    case target::withdrawal:
        return "W";
    case target::prevention:
        return "P";
    case target::none:
        break;
    }
    return "";
}

bool withdrawn_or_prevented(outcome o) noexcept {
    return o == outcome::withdrawn || o == outcome::prevented;
}

// The refusal a case that is not open gives to every action (closed DONE and TR WORK aside).
std::optional<refusal_code> refusal_when_not_open(case_state s) noexcept {
    switch (s) {
    case case_state::dismissed:
        return refusal_code::dismissed;
    case case_state::merged:
        return refusal_code::merged;
    case case_state::closed:
        return refusal_code::closed;
    default:
        return std::nullopt;
    }
}

// A time within the evidence window before `at`: no older than `window`. A time after `at` (a
// clock that went back) is news too: the window bounds age, not order.
bool within(const std::optional<timestamp>& t, timestamp at, std::chrono::days window) noexcept {
    return t && *t >= at - window;
}

change apply_track(const child_case& c, const track& t, timestamp at) {
    change ch{c, "tracked", t.codes};
    child_case& n = ch.after;
    n.last_tracked_at = at;
    if (t.effect.lost) {
        // Whereabouts lost: what the child does and where it learns are no longer known. A case
        // lost again keeps the state a later TR returns it to; a case not open stays as it is.
        if (is_open(n.state) && n.state != case_state::lost) {
            n.state_before_lost = n.state;
            n.state = case_state::lost;
        }
        if (n.state == case_state::lost) {
            n.work = work_status::unknown;
            n.school = school_status::unknown;
        }
        return ch;
    }
    if (n.state == case_state::lost)
        n.state = n.state_before_lost;
    if (t.effect.school)
        n.school = *t.effect.school;
    if (t.effect.work) {
        n.work = *t.effect.work;
        n.work_reported_at = at;
        if (*t.effect.work == work_status::working)
            n.work_seen_at = at;
    }
    if (t.effect.work != work_status::working)
        return ch;
    // Seen working: an outcome that stood is void from now on (re-engagement), and a case closed
    // DONE opens again for it.
    if (n.state == case_state::closed && n.close_reason == "DONE") {
        n.close_reason.clear();
        ch.reopened = true;
        ch.re_engaged = true;
    } else if (is_open(n.state) && n.result != outcome::none) {
        ch.re_engaged = true;
    }
    if (ch.re_engaged) {
        n.state = case_state::re_engaged;
        n.result = outcome::none;
        n.outcome_at.reset();
    }
    return ch;
}

std::optional<refusal_code> check_outcome(const child_case& c, const verify_outcome& o, timestamp at,
                                          const rules& r) {
    if (auto code = refusal_when_not_open(c.state))
        return code;
    switch (c.state) {
    case case_state::reported:
    case case_state::confirmed:
    case case_state::re_engaged:
        return refusal_code::needs_plan;
    case case_state::lost:
        return refusal_code::lost;
    case case_state::outcome:
        // Only reduced hours may later be verified as withdrawn (or, on a target that changed,
        // prevented); another LESS or a NO on a standing outcome would change nothing true.
        if (c.result != outcome::reduced || !withdrawn_or_prevented(o.result))
            return refusal_code::has_outcome;
        break;
    default:
        break;
    }
    if (o.result == outcome::none)
        return std::nullopt; // NO: checked and not achieved, needs no evidence
    const target needed = o.result == outcome::prevented ? target::prevention : target::withdrawal;
    if (c.goal != needed)
        return refusal_code::target_mismatch;
    if (!within(c.last_tracked_at, at, r.outcome_evidence))
        return refusal_code::no_recent_tr;
    switch (o.result) {
    case outcome::withdrawn:
        if (c.work != work_status::not_working || !within(c.work_reported_at, at, r.outcome_evidence))
            return refusal_code::not_stopped;
        break;
    case outcome::prevented:
        // A WORK at the very moment of the plan may have come after it: not counted as prevented.
        if (c.work_seen_at && (!c.planned_at || *c.work_seen_at >= *c.planned_at))
            return refusal_code::work_since_plan;
        break;
    case outcome::reduced:
        if (c.work != work_status::less || !within(c.work_reported_at, at, r.outcome_evidence))
            return refusal_code::no_less;
        break;
    case outcome::none:
        break;
    }
    return std::nullopt;
}

std::optional<refusal_code> check(const child_case& c, const action& a, timestamp at, const rules& r) {
    const case_state s = c.state;
    return std::visit(overloaded{
                          [&](const verify&) -> std::optional<refusal_code> {
                              if (auto code = refusal_when_not_open(s))
                                  return code;
                              if (s != case_state::reported)
                                  return refusal_code::past_triage;
                              return std::nullopt;
                          },
                          [&](const plan&) -> std::optional<refusal_code> {
                              if (auto code = refusal_when_not_open(s))
                                  return code;
                              switch (s) {
                              case case_state::reported:
                                  return refusal_code::not_confirmed;
                              case case_state::outcome:
                                  return refusal_code::has_outcome;
                              case case_state::lost:
                                  return refusal_code::lost;
                              default:
                                  return std::nullopt;
                              }
                          },
                          [&](const refer&) { return refusal_when_not_open(s); },
                          [&](const serve&) { return refusal_when_not_open(s); },
                          [&](const track& t) -> std::optional<refusal_code> {
                              if (s == case_state::closed && c.close_reason == "DONE" &&
                                  t.effect.work == work_status::working && !t.effect.lost)
                                  return std::nullopt;
                              return refusal_when_not_open(s);
                          },
                          [&](const verify_outcome& o) { return check_outcome(c, o, at, r); },
                          [&](const merge&) -> std::optional<refusal_code> {
                              if (auto code = refusal_when_not_open(s))
                                  return code;
                              if (s != case_state::reported && s != case_state::confirmed)
                                  return refusal_code::not_mergeable;
                              return std::nullopt;
                          },
                          [&](const close& cl) -> std::optional<refusal_code> {
                              if (auto code = refusal_when_not_open(s))
                                  return code;
                              if (cl.reason == "DONE" &&
                                  !((s == case_state::outcome || s == case_state::lost) &&
                                    withdrawn_or_prevented(c.result)))
                                  return refusal_code::needs_outcome;
                              return std::nullopt;
                          },
                      },
                      a);
}

} // namespace

std::string_view to_string(case_state s) noexcept {
    return name_of(state_names, s);
}
std::string_view to_string(target t) noexcept {
    return name_of(target_names, t);
}
std::string_view to_string(work_status s) noexcept {
    return name_of(work_names, s);
}
std::string_view to_string(school_status s) noexcept {
    return name_of(school_names, s);
}
std::string_view to_string(outcome o) noexcept {
    return name_of(outcome_names, o);
}
std::string_view to_string(opening o) noexcept {
    return name_of(opening_names, o);
}
std::string_view to_string(refusal_code c) noexcept {
    return name_of(refusal_names, c);
}

std::optional<case_state> case_state_from(std::string_view s) noexcept {
    return from_name<case_state>(state_names, s);
}

std::optional<target> target_from(std::string_view s) noexcept {
    if (s == "W")
        return target::withdrawal;
    if (s == "P")
        return target::prevention;
    return from_name<target>(target_names, s);
}

std::optional<work_status> work_status_from(std::string_view s) noexcept {
    return from_name<work_status>(work_names, s);
}

std::optional<school_status> school_status_from(std::string_view s) noexcept {
    return from_name<school_status>(school_names, s);
}

std::optional<outcome> outcome_from(std::string_view s) noexcept {
    return from_name<outcome>(outcome_names, s);
}

std::optional<opening> opening_from(std::string_view s) noexcept {
    return from_name<opening>(opening_names, s);
}

bool is_open(case_state s) noexcept {
    return s != case_state::dismissed && s != case_state::merged && s != case_state::closed;
}

child_case open_case(opening by, timestamp at, std::string_view risk_reason) {
    child_case c;
    c.opened_by = by;
    c.opened_at = at;
    c.state = case_state::reported;
    c.state_before_lost = case_state::reported;
    if (by == opening::id) {
        c.goal = target::withdrawal;
        c.work = work_status::working;
        c.school = school_status::unknown;
    } else {
        c.goal = target::prevention;
        c.work = work_status::unknown;
        c.school = risk_reason == "DROP" ? school_status::none : school_status::unknown;
    }
    return c;
}

tracking_effect tracking_effect_of(std::string_view code) noexcept {
    tracking_effect e;
    // A deployment's own code is kept with what it sets, "APPR=vocational", so that a replay of
    // the history needs no configuration.
    if (const auto eq = code.find('='); eq != std::string_view::npos) {
        const std::string_view sets = code.substr(eq + 1);
        if (sets == "lost")
            e.lost = true;
        else if (auto w = work_status_from(sets))
            e.work = w;
        else if (auto sc = school_status_from(sets))
            e.school = sc;
        return e;
    }
    if (code == "SCH")
        e.school = school_status::school;
    else if (code == "NFE")
        e.school = school_status::nfe;
    else if (code == "KG")
        e.school = school_status::kg;
    else if (code == "VOC")
        e.school = school_status::vocational;
    else if (code == "DROP")
        e.school = school_status::none;
    else if (code == "STOP" || code == "HOME")
        e.work = work_status::not_working;
    else if (code == "LESS")
        e.work = work_status::less;
    else if (code == "WORK")
        e.work = work_status::working;
    else if (code == "MOVED" || code == "MISS")
        e.lost = true;
    return e;
}

tracking_effect combine(tracking_effect a, const tracking_effect& b) noexcept {
    if (b.work)
        a.work = b.work;
    if (b.school)
        a.school = b.school;
    a.lost = a.lost || b.lost;
    return a;
}

change apply(const child_case& c, const action& a, timestamp at) {
    return std::visit(
        overloaded{
            [&](const verify& v) {
                change ch{c, v.ok ? "verified" : "dismissed", v.ok ? "" : v.reason};
                ch.after.state = v.ok ? case_state::confirmed : case_state::dismissed;
                ch.after.dismiss_reason = v.ok ? "" : v.reason;
                return ch;
            },
            [&](const plan& p) {
                std::string detail{goal_letter(p.goal)};
                if (!p.category.empty())
                    detail += " " + p.category;
                change ch{c, "planned", std::move(detail)};
                ch.after.state = case_state::planned;
                ch.after.goal = p.goal;
                ch.after.category = p.category;
                ch.after.planned_at = at;
                ch.after.ever_planned = true;
                return ch;
            },
            [&](const refer& f) {
                return change{c, "referred", f.service};
            },
            [&](const serve& s) {
                return change{c, "serviced", s.family ? s.service + " FAM" : s.service};
            },
            [&](const track& t) { return apply_track(c, t, at); },
            [&](const verify_outcome& o) {
                change ch{c, "outcome", o.result == outcome::none ? "NO" : std::string{to_string(o.result)}};
                if (o.result != outcome::none) {
                    ch.after.state = case_state::outcome;
                    ch.after.result = o.result;
                    ch.after.outcome_at = at;
                }
                return ch;
            },
            [&](const merge& m) {
                change ch{c, "merged", m.into};
                ch.after.state = case_state::merged;
                ch.after.merged_into = m.into;
                return ch;
            },
            [&](const close& cl) {
                change ch{c, "closed", cl.reason};
                ch.after.state = case_state::closed;
                ch.after.close_reason = cl.reason;
                return ch;
            },
        },
        a);
}

decision decide(const child_case& c, const action& a, timestamp at, const rules& r) {
    if (auto code = check(c, a, at, r))
        return refusal{*code, c};
    return apply(c, a, at);
}

std::optional<action> action_of(const history_row& row) {
    const std::string_view name = row.action;
    if (name == "verified")
        return verify{true, {}};
    if (name == "not_confirmed")
        return verify{false, "OTHER"};
    if (name == "dismissed")
        return verify{false, row.detail};
    if (name == "planned") {
        const auto words = words_of(row.detail);
        if (words.empty() || words.size() > 2)
            return std::nullopt;
        const auto goal = target_from(words[0]);
        if (!goal || *goal == target::none)
            return std::nullopt;
        return plan{*goal, words.size() == 2 ? std::string{words[1]} : std::string{}};
    }
    if (name == "referred")
        return refer{row.detail};
    if (name == "serviced") {
        const auto words = words_of(row.detail);
        if (words.empty() || words.size() > 2 || (words.size() == 2 && words[1] != "FAM"))
            return std::nullopt;
        return serve{std::string{words[0]}, words.size() == 2};
    }
    if (name == "tracked") {
        track t{row.detail, {}};
        for (const auto word : words_of(row.detail))
            t.effect = combine(t.effect, tracking_effect_of(word));
        return t;
    }
    if (name == "outcome") {
        if (row.detail == "NO")
            return verify_outcome{outcome::none};
        const auto o = outcome_from(row.detail);
        if (!o || *o == outcome::none)
            return std::nullopt;
        return verify_outcome{*o};
    }
    if (name == "merged")
        return merge{row.detail};
    if (name == "closed")
        return close{row.detail};
    return std::nullopt; // opened, absorbed, status_not_confirmed, undone, names of other builds
}

std::string undo_detail(std::int64_t undone_id, std::string_view why) {
    std::string out = std::to_string(undone_id);
    out += ' ';
    out += why;
    return out;
}

std::optional<std::int64_t> undone_id(const history_row& row) noexcept {
    if (row.action != "undone")
        return std::nullopt;
    const std::string_view d = row.detail;
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(d.data(), d.data() + d.size(), id);
    if (ec != std::errc{} || end == d.data() || (end != d.data() + d.size() && *end != ' '))
        return std::nullopt;
    return id;
}

timeline replay(const child_case& start, const std::vector<history_row>& history,
                std::optional<timestamp> until) {
    const auto taken = [&](const history_row& row) { return !until || row.at < *until; };
    std::set<std::int64_t> undone;
    for (const auto& row : history)
        if (taken(row))
            if (auto id = undone_id(row))
                undone.insert(*id);

    timeline t{start, {}, {}, {}, {}};
    for (const auto& row : history) {
        if (!taken(row) || undone.count(row.id) != 0)
            continue;
        const auto a = action_of(row);
        if (!a)
            continue;
        change ch = apply(t.at_end, *a, row.at);
        if (const auto* v = std::get_if<verify>(&*a)) {
            // The triage that stands is the last one: a later VER NO (older builds allowed it)
            // takes back a confirmation, and the other way round.
            (v->ok ? t.confirmed_at : t.dismissed_at) = row.at;
            (v->ok ? t.dismissed_at : t.confirmed_at).reset();
        } else if (std::holds_alternative<merge>(*a)) {
            t.merged_at = row.at;
        }
        if (ch.re_engaged)
            t.re_engaged_at.push_back(row.at);
        t.at_end = std::move(ch.after);
    }
    return t;
}

std::optional<std::int64_t> last_undoable(const std::vector<history_row>& history) {
    std::set<std::int64_t> undone;
    for (const auto& row : history)
        if (auto id = undone_id(row))
            undone.insert(*id);
    for (auto it = history.rbegin(); it != history.rend(); ++it)
        if (undone.count(it->id) == 0 && action_of(*it))
            return it->id;
    return std::nullopt;
}

} // namespace kharuul::cases
