// The generated season as it happens (bench/gen_store.hpp): the day's messages and their mix,
// reports opening cases, tracking and the teams' forms decided by the case machine, alerts and
// their ACKs.
#include "bench/gen_store.hpp"

namespace gen_store_bench {

void generator::run() {
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

std::array<int64_t, state_count> generator::state_counts() const {
    std::array<int64_t, state_count> out{};
    for (const auto& c : cases_)
        ++out[static_cast<std::size_t>(c.life.state)];
    return out;
}

std::size_t generator::site_index(std::string_view code) const {
    for (std::size_t i = 0; i < registry_.sites.size(); ++i)
        if (registry_.sites[i].code == code)
            return i;
    return 0;
}

std::vector<int64_t> generator::slot_times() {
    std::vector<int64_t> t(static_cast<std::size_t>(want_messages_));
    for (int64_t i = 0; i < want_messages_; ++i) {
        const int64_t day = i * days_ / want_messages_;
        const int64_t in_day = static_cast<int64_t>((rng_.unit() + rng_.unit()) / 2 * 14 * hour_ms);
        t[static_cast<std::size_t>(i)] = from_ + day * day_ms + 7 * hour_ms + in_day;
    }
    std::sort(t.begin(), t.end());
    return t;
}

std::string generator::team_of_case(const sim_case& c) const {
    return cs::team_of(report_teams_, registry_.sites[c.site].area, c.sensitive);
}

std::string generator::member_of(const std::string& team) {
    for (const auto& t : registry_.teams)
        if (t.name == team)
            return t.members[rng_.below(t.members.size())].phone;
    return registry_.coordinators[rng_.below(registry_.coordinators.size())].phone;
}

std::string generator::lang_of(const std::string& phone) const {
    const auto it = lang_of_.find(phone);
    return it == lang_of_.end() ? "mn" : it->second;
}

void generator::nil(message_out& m) {
    const std::size_t site = rng_.below(registry_.sites.size());
    m.sender = volunteer_at(site);
    m.text = "NIL " + registry_.sites[site].code;
    m.form = "NIL";
    m.site = registry_.sites[site].code;
    m.reply = "NIL " + registry_.sites[site].code + ": visit recorded. Thank you.";
}

void generator::rejected(message_out& m) {
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

bool generator::open_report(message_out& m, bool risk) {
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

bool generator::change_case(uint32_t i, const cs::action& a, const std::string& actor, message_out& m,
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

bool generator::tracking(message_out& m) {
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

std::string generator::tr_codes(const sim_case& c) {
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

bool generator::team_form(message_out& m) {
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

bool generator::verify(message_out& m) {
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

bool generator::plan(message_out& m) {
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

bool generator::service(message_out& m) {
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

bool generator::outcome(message_out& m) {
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

bool generator::close(message_out& m) {
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

void generator::ack(std::size_t a, message_out& m) {
    alert_row& al = alerts_[a];
    m.sender = member_of(al.team);
    m.text = "ACK " + std::to_string(a + 1);
    m.form = "ACK";
    m.reply = "ACK " + std::to_string(a + 1) + ": thank you, the others are told.";
    al.acked_at = now_;
    al.acked_by = m.sender;
    al.acked_message_id = next_message_id_;
}

void generator::raise_alert(alert_row a) {
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

} // namespace gen_store_bench
