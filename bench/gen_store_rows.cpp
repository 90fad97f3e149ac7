// The generated season written to the store (bench/gen_store.hpp): one row per message, event,
// case, history entry, service and alert, with the prepared statements the generator holds.
#include "bench/gen_store.hpp"

namespace gen_store_bench {

void generator::write_message(message_out& m) {
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

void generator::bind_opt(SQLite::Statement& s, int i, const std::optional<std::string>& v) {
    if (v)
        s.bind(i, *v);
    else
        s.bind(i);
}

void generator::bind_opt(SQLite::Statement& s, int i, const std::optional<int>& v) {
    if (v)
        s.bind(i, *v);
    else
        s.bind(i);
}

int64_t generator::write_event(int64_t message_id, const message_out& m) {
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

int64_t generator::write_history(const sim_case& c, std::optional<int64_t> message_id, std::optional<int64_t> event_id,
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

void generator::move_set(uint32_t i, const cs::child_case& before, const cs::child_case& after) {
    const std::size_t from = set_of(before), to = set_of(after);
    if (from != to) {
        sets_[from].remove(i);
        sets_[to].add(i);
    }
}

void generator::write_openings(int64_t message_id, int64_t event_id, const message_out& m) {
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

void generator::write_change(int64_t message_id, int64_t event_id, const message_out& m) {
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

void generator::write_alerts() {
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

void generator::finish_cases() {
    SQLite::Statement s(db_, "UPDATE cases SET last_service = ?1, last_followed_by = ?2 WHERE serial = ?3");
    for (const auto& c : cases_) {
        bind_opt(s, 1, c.last_service.empty() ? std::nullopt : std::optional<std::string>(c.last_service));
        s.bind(2, c.last_followed_by);
        s.bind(3, static_cast<int64_t>(c.serial));
        s.exec();
        s.reset();
    }
}

} // namespace gen_store_bench
