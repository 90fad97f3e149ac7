#include "gateway/report_view.hpp"

#include "alerts/routing.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/time_text.hpp"
#include "parser/phone.hpp"
#include "store/report_data.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>

namespace kharuul::gateway {

namespace json = boost::json;

namespace {

// The threshold below which a viewer sees "<3" (domain.md 6.2: no child singled out).
constexpr double smallest_shown = 3;

json::value dimension_json(const cases::dimension& d) {
    if (d.flag)
        return json::value(*d.flag);
    if (d.text)
        return json::value(*d.text);
    return json::value(nullptr);
}

json::value value_json(const cases::report_row& r, bool suppressed) {
    if (is_minutes(r.indicator)) {
        if (suppressed && static_cast<double>(r.alerts.size()) < smallest_shown)
            return json::value("<3");
        return json::value(r.value);
    }
    if (suppressed && r.value < smallest_shown)
        return json::value("<3");
    return json::value(static_cast<std::int64_t>(r.value));
}

} // namespace

trace_kind trace_of(std::string_view indicator) {
    if (indicator == "site_not_visited")
        return trace_kind::none;
    if (indicator == "site_visits" || indicator.starts_with("reporter_"))
        return trace_kind::messages;
    if (indicator.starts_with("alerts_") || indicator.starts_with("ack_minutes_"))
        return trace_kind::alerts;
    return trace_kind::cases;
}

bool is_minutes(std::string_view indicator) { return indicator.starts_with("ack_minutes_"); }

json::object report_row_json(const cases::report_row& r, bool suppressed) {
    json::object o;
    o["id"] = r.id;
    o["indicator"] = r.indicator;
    for (const auto& d : r.dims)
        o[d.name] = dimension_json(d);
    o["value"] = value_json(r, suppressed);
    if (suppressed)
        return o;
    json::array trace;
    switch (trace_of(r.indicator)) {
    case trace_kind::cases:
        for (const auto& c : r.cases)
            trace.emplace_back(c);
        o["cases"] = std::move(trace);
        break;
    case trace_kind::messages:
        for (auto id : r.messages)
            trace.emplace_back(id);
        o["messages"] = std::move(trace);
        break;
    case trace_kind::alerts:
        for (auto id : r.alerts)
            trace.emplace_back(id);
        o["alerts"] = std::move(trace);
        break;
    case trace_kind::none:
        break;
    }
    return o;
}

json::object report_head(const report_request& q) {
    json::object head;
    head["from"] = format_local_iso(q.from, q.utc_offset);
    head["until"] = format_local_iso(q.until, q.utc_offset);
    head["area"] = q.area ? json::value(*q.area) : json::value(nullptr);
    if (q.with_corrections)
        head["with_corrections"] = true; // only then: the default shape is the spec's
    return head;
}

json::object report_json(const report_request& q, const std::vector<cases::report_row>& rows, bool suppressed) {
    json::object o = report_head(q);
    json::array a;
    a.reserve(rows.size());
    for (const auto& r : rows)
        a.push_back(report_row_json(r, suppressed));
    o["rows"] = std::move(a);
    return o;
}

void write_report_json(std::ostream& out, const report_request& q, const std::vector<cases::report_row>& rows) {
    std::string text = json::serialize(report_head(q));
    text.pop_back(); // the closing brace: the rows follow
    out << text << ",\"rows\":[";
    bool first = true;
    for (const auto& r : rows) {
        out << (first ? "" : ",") << json::serialize(report_row_json(r));
        first = false;
    }
    out << "]}\n";
}

cases::report_input report_input_of(store::connection& db, const config::gateway_config& cfg,
                                    const report_request& q) {
    cases::report_input in = store::load_report_input(db, q.from, q.until, q.with_corrections);
    in.area = q.area;
    in.scope = q.scope;
    in.reminder_after = cfg.alerts.reminder_after;
    in.age_bands.clear();
    for (const auto& b : cfg.cases.age_bands)
        in.age_bands.push_back({b.label, b.lo, b.hi});
    // "the masked phone with the reporter's name" (cases.md 4)
    std::map<std::string, std::string> labels;
    for (const auto& m : in.messages)
        if (!labels.count(m.sender)) {
            const auto it = in.reporter_labels.find(m.sender);
            labels[m.sender] = parser::mask_phone(m.sender) + (it == in.reporter_labels.end() ? "" : " " + it->second);
        }
    in.reporter_labels = std::move(labels);
    return in;
}

bool area_known(const cases::report_input& in, const std::string& area) {
    return std::any_of(in.sites.begin(), in.sites.end(),
                       [&](const cases::report_site& s) { return alerts::area_covers(area, s.area); });
}

explained_row explain_row(store::connection& db, const cases::report_row& row, bool show_sensitive) {
    explained_row x;
    x.kind = trace_of(row.indicator);
    switch (x.kind) {
    case trace_kind::cases:
        for (const auto& code : row.cases) {
            auto c = store::find_case(db, code);
            if (!c) {
                x.missing_cases.push_back(code);
                continue;
            }
            if (c->sensitive && !show_sensitive) {
                ++x.hidden;
                continue;
            }
            x.cases.push_back(std::move(*c));
        }
        break;
    case trace_kind::messages:
        for (auto id : row.messages)
            if (auto m = store::find_message(db, id))
                x.messages.push_back(std::move(*m));
        break;
    case trace_kind::alerts:
        for (auto id : row.alerts)
            if (auto a = store::find_alert(db, id))
                x.alerts.push_back(std::move(*a));
        break;
    case trace_kind::none:
        break;
    }
    return x;
}

const cases::report_row* find_row(const std::vector<cases::report_row>& rows, std::string_view id) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.id == id; });
    return it == rows.end() ? nullptr : &*it;
}

} // namespace kharuul::gateway
