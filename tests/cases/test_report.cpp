// Tests of cases/report.hpp: the figures of cases.md 4 from small hand-built stores. Every
// expected row and value is written by hand from the spec: a child counts as withdrawn only once a
// verified outcome stands, undone and later changes follow the report's `until`, merged cases are
// counted only as merged, and the area filter never takes a look-alike name for an area inside.
#include "cases/report.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace kharuul::cases;
using namespace std::chrono;

namespace {

// 2026-07-01 00:00 UTC plus `d` days (day 0 is the first of the period) and `h` hours.
timestamp on(int d, int h = 0, int m = 0) {
    return time_point_cast<milliseconds>(sys_days{2026y / July / 1} + days{d} + hours{h} + minutes{m});
}

// The third quarter of 2026: [July 1, October 1).
report_input quarter() {
    report_input in;
    in.from = on(0);
    in.until = time_point_cast<milliseconds>(sys_days{2026y / October / 1});
    in.sites = {{"ALT", "Bayankhongor/Bayan-Ovoo"}, {"BUL", "Bayankhongor"}, {"LKA", "Bayankhongor2"}};
    return in;
}

std::int64_t next_row_id = 1;
history_row row(std::string action, std::string detail, timestamp at) {
    return {next_row_id++, std::move(action), std::move(detail), at};
}

report_case id_case(std::string code, std::string site, timestamp opened, char sex = 'B', int age = 12,
                    std::string work = "MINE") {
    report_case c;
    c.code = std::move(code);
    c.sex = sex;
    c.age_min = age;
    c.age_max = age;
    c.site = std::move(site);
    c.opened_by = opening::id;
    c.work = std::move(work);
    c.opened_at = opened;
    c.history.push_back(row("opened", "", opened));
    return c;
}

report_case risk_case(std::string code, std::string site, timestamp opened, std::string reason = "SIB",
                      char sex = 'G', int age = 7) {
    report_case c = id_case(std::move(code), std::move(site), opened, sex, age, "");
    c.opened_by = opening::risk;
    c.risk_reason = std::move(reason);
    return c;
}

std::vector<report_row> rows_of(const std::vector<report_row>& rows, std::string_view indicator) {
    std::vector<report_row> out;
    for (const auto& r : rows) {
        if (r.indicator == indicator) out.push_back(r);
    }
    return out;
}

// The dimension `name` of a row: its text, "null", or "true"/"false".
std::string dim(const report_row& r, std::string_view name) {
    for (const auto& d : r.dims) {
        if (d.name != name) continue;
        if (d.flag) return *d.flag ? "true" : "false";
        return d.text ? *d.text : "null";
    }
    return "<no dimension " + std::string(name) + ">";
}

// A row written out as "dim=value ... = value [trace]", to compare whole indicators at once.
std::string line(const report_row& r) {
    std::ostringstream s;
    for (const auto& d : r.dims) s << d.name << "=" << dim(r, d.name) << " ";
    s << "= " << r.value << " [";
    for (const auto& c : r.cases) s << " " << c;
    for (const auto& m : r.messages) s << " m" << m;
    for (const auto& a : r.alerts) s << " a" << a;
    s << " ]";
    return s.str();
}
std::vector<std::string> lines(const std::vector<report_row>& rows, std::string_view indicator) {
    std::vector<std::string> out;
    for (const auto& r : rows_of(rows, indicator)) out.push_back(line(r));
    return out;
}
std::vector<std::string> all_lines(const std::vector<report_row>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.id + " " + r.indicator + " " + line(r));
    return out;
}

using strings = std::vector<std::string>;

// A case carried from report to a verified withdrawal: VER OK, PLAN W WFCL, TR NFE STOP, OUT WD.
report_case withdrawn_case(std::string code, std::string site, int day) {
    report_case c = id_case(std::move(code), std::move(site), on(day));
    c.history.push_back(row("verified", "", on(day + 1)));
    c.history.push_back(row("planned", "W WFCL", on(day + 2)));
    c.history.push_back(row("tracked", "NFE STOP", on(day + 10)));
    c.history.push_back(row("outcome", "WD", on(day + 11)));
    return c;
}

} // namespace

TEST(report, age_bands_are_the_ilo_bands_plus_pre_school) {
    const auto bands = default_age_bands();
    ASSERT_EQ(bands.size(), 4u);
    EXPECT_EQ(band_of(bands, 3, 3), "3-4");
    EXPECT_EQ(band_of(bands, 4, 4), "3-4");
    EXPECT_EQ(band_of(bands, 5, 5), "5-11");
    EXPECT_EQ(band_of(bands, 11, 11), "5-11");
    EXPECT_EQ(band_of(bands, 12, 12), "12-14");
    EXPECT_EQ(band_of(bands, 17, 17), "15-17");
    EXPECT_EQ(band_of(bands, 15, 0), "15-17"); // a single age with no upper bound
}

TEST(report, an_age_range_falls_in_the_band_of_its_middle_rounded_down) {
    const auto bands = default_age_bands();
    EXPECT_EQ(band_of(bands, 12, 14), "12-14"); // 13
    EXPECT_EQ(band_of(bands, 10, 13), "5-11");  // 11.5 -> 11
    EXPECT_EQ(band_of(bands, 11, 13), "12-14"); // 12
    EXPECT_EQ(band_of(bands, 14, 17), "15-17"); // 15.5 -> 15
}

TEST(report, an_age_outside_every_band_has_no_band) {
    const auto bands = default_age_bands();
    EXPECT_EQ(band_of(bands, 2, 2), "");
    EXPECT_EQ(band_of(bands, 18, 18), "");
}

TEST(report, identified_children_are_counted_by_sex_age_band_site_area_and_work) {
    auto in = quarter();
    in.cases.push_back(id_case("100009", "ALT", on(2), 'B', 12));
    report_case ranged = id_case("100014", "ALT", on(3), 'B', 12);
    ranged.age_max = 14; // 12-14: 13
    in.cases.push_back(ranged);
    in.cases.push_back(id_case("100021", "ALT", on(4), 'G', 16, "HERD"));
    in.cases.push_back(id_case("100038", "ALT", on(-3), 'G', 16)); // before the period
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "identified"),
              (strings{"sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 2 [ 100009 100014 ]",
                       "sex=G age_band=15-17 site=ALT area=Bayankhongor/Bayan-Ovoo work=HERD = 1 [ 100021 ]"}));
    EXPECT_TRUE(rows_of(rows, "at_risk_registered").empty());
}

TEST(report, age_bands_are_ordered_as_configured_not_alphabetically) {
    auto in = quarter();
    in.cases.push_back(id_case("100009", "ALT", on(2), 'B', 16));
    in.cases.push_back(id_case("100014", "ALT", on(2), 'B', 13));
    in.cases.push_back(id_case("100021", "ALT", on(2), 'B', 8));
    in.cases.push_back(id_case("100038", "ALT", on(2), 'B', 4));
    EXPECT_EQ(lines(compute_report(in), "identified"),
              (strings{"sex=B age_band=3-4 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100038 ]",
                       "sex=B age_band=5-11 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100021 ]",
                       "sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100014 ]",
                       "sex=B age_band=15-17 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100009 ]"}));
}

TEST(report, children_at_risk_are_counted_by_reason_with_no_work) {
    auto in = quarter();
    in.cases.push_back(risk_case("100045", "BUL", on(5), "DROP", 'G', 3));
    in.cases.push_back(risk_case("100052", "BUL", on(6), "SIB", 'G', 7));
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "at_risk_registered"),
              (strings{"sex=G age_band=3-4 site=BUL area=Bayankhongor reason=DROP = 1 [ 100045 ]",
                       "sex=G age_band=5-11 site=BUL area=Bayankhongor reason=SIB = 1 [ 100052 ]"}));
    EXPECT_TRUE(rows_of(rows, "identified").empty());
    // RISK opens with school `none` for DROP, `unknown` otherwise; work `unknown`.
    EXPECT_EQ(lines(rows, "school_status"), (strings{"status=none area=Bayankhongor = 1 [ 100045 ]",
                                                     "status=unknown area=Bayankhongor = 1 [ 100052 ]"}));
    EXPECT_EQ(lines(rows, "work_status"), (strings{"status=unknown area=Bayankhongor = 2 [ 100045 100052 ]"}));
}

TEST(report, an_enrolled_child_still_working_is_targeted_but_not_withdrawn) {
    auto in = quarter();
    report_case c = id_case("100009", "ALT", on(2));
    c.history.push_back(row("verified", "", on(3)));
    c.history.push_back(row("planned", "W WFCL", on(4)));
    c.history.push_back(row("tracked", "NFE", on(20))); // enrolled; says nothing about work
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_TRUE(rows_of(rows, "verified_withdrawn").empty());
    EXPECT_TRUE(rows_of(rows, "verified_reduced_hours").empty());
    EXPECT_EQ(lines(rows, "targeted"),
              (strings{"target=withdrawal category=WFCL sex=B age_band=12-14 area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(rows, "school_status"), (strings{"status=nfe area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(rows, "work_status"), (strings{"status=working area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(rows, "confirmed"), (strings{"site=ALT area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
}

TEST(report, a_verified_withdrawal_in_the_period_counts_as_withdrawn) {
    auto in = quarter();
    in.cases.push_back(withdrawn_case("100009", "ALT", 2));
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "verified_withdrawn"),
              (strings{"sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(rows, "work_status"), (strings{"status=not_working area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
}

TEST(report, an_outcome_verified_before_the_period_is_not_counted_in_it) {
    auto in = quarter();
    in.cases.push_back(withdrawn_case("100009", "ALT", -40)); // OUT WD on June 2
    const auto rows = compute_report(in);
    EXPECT_TRUE(rows_of(rows, "verified_withdrawn").empty());
    EXPECT_EQ(rows_of(rows, "targeted").size(), 1u); // cumulative
}

TEST(report, prevention_and_reduced_hours_are_their_own_figures_and_risk_rows_have_null_work) {
    auto in = quarter();
    report_case p = risk_case("100045", "BUL", on(1), "SIB", 'G', 7);
    p.history.push_back(row("verified", "", on(2)));
    p.history.push_back(row("planned", "P RISK", on(3)));
    p.history.push_back(row("tracked", "SCH", on(20)));
    p.history.push_back(row("outcome", "PR", on(21)));
    in.cases.push_back(p);
    report_case l = id_case("100052", "BUL", on(1), 'B', 15, "HERD");
    l.history.push_back(row("verified", "", on(2)));
    l.history.push_back(row("planned", "W CL", on(3)));
    l.history.push_back(row("tracked", "LESS", on(20)));
    l.history.push_back(row("outcome", "LESS", on(21)));
    in.cases.push_back(l);
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "verified_prevented"),
              (strings{"sex=G age_band=5-11 site=BUL area=Bayankhongor work=null = 1 [ 100045 ]"}));
    EXPECT_EQ(lines(rows, "verified_reduced_hours"),
              (strings{"sex=B age_band=15-17 site=BUL area=Bayankhongor work=HERD = 1 [ 100052 ]"}));
    EXPECT_TRUE(rows_of(rows, "verified_withdrawn").empty());
    EXPECT_EQ(lines(rows, "targeted"),
              (strings{"target=prevention category=RISK sex=G age_band=5-11 area=Bayankhongor = 1 [ 100045 ]",
                       "target=withdrawal category=CL sex=B age_band=15-17 area=Bayankhongor = 1 [ 100052 ]"}));
}

TEST(report, a_re_engaged_child_leaves_verified_withdrawn_and_appears_in_re_engaged) {
    auto in = quarter();
    report_case c = withdrawn_case("100009", "ALT", 2); // OUT WD on July 14
    c.history.push_back(row("tracked", "WORK", on(40)));  // seen working on August 10
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_TRUE(rows_of(rows, "verified_withdrawn").empty());
    EXPECT_EQ(lines(rows, "re_engaged"), (strings{"site=ALT area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(rows_of(rows, "targeted").size(), 1u);

    // A report ending before the TR WORK still counts the withdrawal and no re-engagement.
    in.until = on(30);
    const auto before = compute_report(in);
    EXPECT_EQ(rows_of(before, "verified_withdrawn").size(), 1u);
    EXPECT_TRUE(rows_of(before, "re_engaged").empty());
}

TEST(report, a_child_re_engaged_twice_in_the_period_is_one_re_engaged_child) {
    auto in = quarter();
    report_case c = withdrawn_case("100009", "ALT", 2);
    c.history.push_back(row("tracked", "WORK", on(20)));
    c.history.push_back(row("planned", "W WFCL", on(21)));
    c.history.push_back(row("tracked", "STOP", on(30)));
    c.history.push_back(row("outcome", "WD", on(31)));
    c.history.push_back(row("tracked", "WORK", on(50)));
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "re_engaged"), (strings{"site=ALT area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_TRUE(rows_of(rows, "verified_withdrawn").empty());
}

TEST(report, a_withdrawal_closed_done_still_counts_and_the_case_is_no_longer_open) {
    auto in = quarter();
    report_case c = withdrawn_case("100009", "ALT", 2);
    c.history.push_back(row("closed", "DONE", on(30)));
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_EQ(rows_of(rows, "verified_withdrawn").size(), 1u);
    EXPECT_TRUE(rows_of(rows, "school_status").empty());
    EXPECT_TRUE(rows_of(rows, "work_status").empty());
    EXPECT_TRUE(rows_of(rows, "overdue_tracking").empty());
}

TEST(report, an_undone_outcome_counts_only_in_reports_ending_before_the_undo) {
    auto in = quarter();
    report_case c = id_case("100009", "ALT", on(2));
    c.history.push_back(row("verified", "", on(3)));
    c.history.push_back(row("planned", "W WFCL", on(4)));
    c.history.push_back(row("tracked", "NFE STOP", on(10)));
    const history_row out = row("outcome", "WD", on(11));
    c.history.push_back(out);
    c.history.push_back(row("undone", undo_detail(out.id, "wrong case"), on(15)));
    in.cases.push_back(c);

    const auto after_undo = compute_report(in);
    EXPECT_TRUE(rows_of(after_undo, "verified_withdrawn").empty());
    EXPECT_EQ(rows_of(after_undo, "targeted").size(), 1u); // the PLAN stands

    in.until = on(13);
    const auto before_undo = compute_report(in);
    EXPECT_EQ(lines(before_undo, "verified_withdrawn"),
              (strings{"sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100009 ]"}));
}

TEST(report, a_merged_case_is_counted_only_as_merged) {
    auto in = quarter();
    report_case kept = id_case("100009", "ALT", on(2));
    kept.history.push_back(row("verified", "", on(3)));
    kept.history.push_back(row("planned", "W WFCL", on(4)));
    in.cases.push_back(kept);
    report_case again = id_case("100014", "ALT", on(2, 5));
    again.history.push_back(row("verified", "", on(3)));
    again.history.push_back(row("merged", "100009", on(5)));
    again.services.push_back({true, "NFE", false, on(4)});
    in.cases.push_back(again);
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "merged"), (strings{"site=ALT = 1 [ 100014 ]"}));
    EXPECT_EQ(lines(rows, "identified"),
              (strings{"sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(rows, "confirmed"), (strings{"site=ALT area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(rows_of(rows, "targeted").size(), 1u);
    EXPECT_TRUE(rows_of(rows, "referred").empty());
    EXPECT_EQ(lines(rows, "school_status"), (strings{"status=unknown area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    for (const auto& r : rows) {
        if (r.indicator == "merged") continue;
        for (const auto& code : r.cases) EXPECT_NE(code, "100014") << r.indicator;
    }
}

TEST(report, a_case_merged_after_the_period_is_counted_as_it_stood) {
    auto in = quarter();
    report_case again = id_case("100014", "ALT", on(2));
    again.history.push_back(row("merged", "100009", on(100)));
    in.cases.push_back(again);
    const auto rows = compute_report(in);
    EXPECT_EQ(rows_of(rows, "identified").size(), 1u);
    EXPECT_TRUE(rows_of(rows, "merged").empty());
}

TEST(report, a_dismissed_case_is_identified_and_dismissed_but_not_targeted) {
    auto in = quarter();
    report_case c = id_case("100009", "ALT", on(2));
    c.history.push_back(row("dismissed", "NOTCL", on(3)));
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_EQ(rows_of(rows, "identified").size(), 1u);
    EXPECT_EQ(lines(rows, "dismissed"), (strings{"site=ALT area=Bayankhongor/Bayan-Ovoo reason=NOTCL = 1 [ 100009 ]"}));
    EXPECT_TRUE(rows_of(rows, "confirmed").empty());
    EXPECT_TRUE(rows_of(rows, "targeted").empty());
    EXPECT_TRUE(rows_of(rows, "school_status").empty()); // not open
    EXPECT_TRUE(rows_of(rows, "overdue_tracking").empty());
}

TEST(report, targeted_is_cumulative_and_counts_a_plan_before_the_period) {
    auto in = quarter();
    report_case c = id_case("100009", "ALT", on(-60));
    c.history.push_back(row("verified", "", on(-59)));
    c.history.push_back(row("planned", "P", on(-58))); // no category
    in.cases.push_back(c);
    report_case later = id_case("100014", "ALT", on(2));
    later.history.push_back(row("verified", "", on(3)));
    later.history.push_back(row("planned", "W WFCL", on(100))); // after the period
    in.cases.push_back(later);
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "targeted"),
              (strings{"target=prevention category=null sex=B age_band=12-14 area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
}

TEST(report, the_area_filter_keeps_the_area_and_areas_inside_it_but_not_a_look_alike_name) {
    auto in = quarter();
    in.area = "Bayankhongor";
    in.cases.push_back(id_case("100009", "ALT", on(2))); // Bayankhongor/Bayan-Ovoo
    in.cases.push_back(id_case("100014", "BUL", on(2))); // Bayankhongor
    in.cases.push_back(id_case("100021", "LKA", on(2))); // Bayankhongor2
    in.messages = {{1, "ID", "+97699000001", "ALT", 1, on(2)},
                   {2, "ID", "+97699000001", "BUL", 1, on(2)},
                   {3, "ID", "+97699000002", "LKA", 1, on(2)}};
    in.alerts = {{7, "Bayan-Ovoo", "ALT", false, on(2), std::nullopt},
                 {8, "Bayankhongor2", "LKA", false, on(2), std::nullopt}};
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "identified"),
              (strings{"sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100009 ]",
                       "sex=B age_band=12-14 site=BUL area=Bayankhongor work=MINE = 1 [ 100014 ]"}));
    EXPECT_EQ(lines(rows, "site_visits"), (strings{"site=ALT form=ID = 1 [ m1 ]", "site=BUL form=ID = 1 [ m2 ]"}));
    EXPECT_EQ(lines(rows, "reporter_reports"), (strings{"reporter=+97699000001 = 2 [ m1 m2 ]"}));
    EXPECT_EQ(lines(rows, "alerts_raised"), (strings{"team=Bayan-Ovoo urgent=false = 1 [ a7 ]"}));
    EXPECT_TRUE(rows_of(rows, "site_not_visited").empty());

    in.area = "Bayankhongor/Bayan-Ovoo";
    const auto inner = compute_report(in);
    EXPECT_EQ(lines(inner, "identified"),
              (strings{"sex=B age_band=12-14 site=ALT area=Bayankhongor/Bayan-Ovoo work=MINE = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(inner, "site_visits"), (strings{"site=ALT form=ID = 1 [ m1 ]"}));

    in.area = "Bayan";
    EXPECT_TRUE(rows_of(compute_report(in), "identified").empty());
}

TEST(report, open_cases_not_tracked_since_the_edge_are_overdue_by_team_and_site) {
    auto in = quarter();
    in.reminder_after = days{30};
    const timestamp edge = in.until - days{30}; // August 31
    in.sites.push_back({"KHV", "Khovd"});
    in.teams = {{"Bayankhongor", {"Bayankhongor"}, false},
                {"Bayan-Ovoo", {"Bayankhongor/Bayan-Ovoo"}, false},
                {"MDT", {"Bayankhongor"}, true}};
    report_case at_edge = id_case("100009", "ALT", on(2));
    at_edge.history.push_back(row("tracked", "NFE", edge));
    in.cases.push_back(at_edge);
    report_case just_before = id_case("100014", "ALT", on(2));
    just_before.history.push_back(row("tracked", "NFE", edge - milliseconds{1}));
    in.cases.push_back(just_before);
    in.cases.push_back(id_case("100021", "ALT", edge - minutes{1})); // never tracked: from its report
    in.cases.push_back(id_case("100038", "ALT", edge));              // reported at the edge: in time
    report_case sensitive = id_case("100045", "ALT", on(2));
    sensitive.sensitive = true;
    in.cases.push_back(sensitive);
    in.cases.push_back(id_case("100052", "BUL", on(2)));
    in.cases.push_back(id_case("100069", "KHV", on(2))); // no team covers Khovd
    report_case lost = id_case("100076", "BUL", on(2));
    lost.history.push_back(row("tracked", "MISS", on(3)));
    in.cases.push_back(lost);
    report_case tracked_late = id_case("100083", "BUL", on(2));
    tracked_late.history.push_back(row("tracked", "SCH", in.until + days{1})); // after the period
    in.cases.push_back(tracked_late);

    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "overdue_tracking"),
              (strings{"team=null site=KHV = 1 [ 100069 ]",
                       "team=Bayan-Ovoo site=ALT = 2 [ 100014 100021 ]",
                       "team=Bayankhongor site=BUL = 3 [ 100052 100076 100083 ]",
                       "team=MDT site=ALT = 1 [ 100045 ]"}));
    EXPECT_EQ(lines(rows, "lost_to_follow_up"), (strings{"site=BUL area=Bayankhongor = 1 [ 100076 ]"}));
}

TEST(report, a_sensitive_team_covers_a_site_no_ordinary_team_covers) {
    auto in = quarter();
    in.teams = {{"Bayan-Ovoo", {"Bayankhongor/Bayan-Ovoo"}, false}, {"MDT", {"Bayankhongor"}, true}};
    in.cases.push_back(id_case("100052", "BUL", on(-60)));
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "overdue_tracking"), (strings{"team=MDT site=BUL = 1 [ 100052 ]"}));
}

TEST(report, a_report_for_a_past_period_is_unchanged_by_later_history) {
    auto in = quarter();
    in.until = on(30);
    report_case a = withdrawn_case("100009", "ALT", 2);
    report_case b = id_case("100014", "ALT", on(3));
    b.history.push_back(row("verified", "", on(4)));
    report_case d = id_case("100021", "BUL", on(5));
    in.cases = {a, b, d};
    const auto first = all_lines(compute_report(in));

    in.cases[0].history.push_back(row("tracked", "WORK", on(40)));
    in.cases[0].history.push_back(row("undone", undo_detail(in.cases[0].history[4].id, "typo"), on(41)));
    in.cases[1].history.push_back(row("merged", "100009", on(45)));
    in.cases[2].history.push_back(row("dismissed", "NOTFOUND", on(46)));
    in.cases[2].services.push_back({true, "NFE", false, on(47)});
    const auto again = all_lines(compute_report(in));
    EXPECT_EQ(first, again);
    EXPECT_EQ(lines(compute_report(in), "verified_withdrawn").size(), 1u);
}

TEST(report, service_entries_in_the_period_are_counted_for_the_child_or_the_family) {
    auto in = quarter();
    report_case c = id_case("100009", "ALT", on(2));
    c.services = {{true, "NFE", false, on(3)},
                  {false, "NFE", false, on(9)},
                  {false, "FOOD", true, on(10)},
                  {false, "FOOD", true, on(11)},
                  {true, "MED", false, on(-5)}}; // before the period
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "referred"), (strings{"service=NFE for=child area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(lines(rows, "service_delivered"),
              (strings{"service=FOOD for=family area=Bayankhongor/Bayan-Ovoo = 2 [ 100009 100009 ]",
                       "service=NFE for=child area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
}

TEST(report, sites_with_no_report_in_the_period_are_not_visited) {
    auto in = quarter();
    in.messages = {{1, "NIL", "+97699000001", "ALT", 0, on(2)},
                   {2, "ID", "+97699000001", "ALT", 2, on(3)},
                   {3, "TR", "+97699000001", "BUL", 0, on(4)}}; // TR is no visit
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "site_visits"), (strings{"site=ALT form=ID = 1 [ m2 ]", "site=ALT form=NIL = 1 [ m1 ]"}));
    EXPECT_EQ(lines(rows, "site_not_visited"),
              (strings{"site=BUL area=Bayankhongor = 1 [ ]", "site=LKA area=Bayankhongor2 = 1 [ ]"}));
}

TEST(report, reporters_are_counted_by_reports_children_confirmed_children_and_tracking) {
    auto in = quarter();
    in.reporter_labels = {{"+97699000001", "+976****0001 Bat"}};
    in.messages = {{11, "ID", "+97699000001", "ALT", 2, on(2)},
                   {12, "RISK", "+97699000001", "BUL", 1, on(3)},
                   {13, "NIL", "+97699000001", "BUL", 0, on(4)},
                   {14, "TR", "+97699000001", "ALT", 0, on(20)},
                   {15, "ID", "+97699000002", "ALT", 1, on(5)}};
    report_case first = id_case("100009", "ALT", on(2));
    first.opened_message_id = 11;
    first.history.push_back(row("verified", "", on(10)));
    report_case second = id_case("100014", "ALT", on(2));
    second.opened_message_id = 11;
    second.history.push_back(row("dismissed", "DUP", on(10)));
    report_case at_risk = risk_case("100021", "BUL", on(3));
    at_risk.opened_message_id = 12;
    report_case other = id_case("100038", "ALT", on(5));
    other.opened_message_id = 15;
    other.history.push_back(row("verified", "", in.until + days{1})); // after the period
    in.cases = {first, second, at_risk, other};
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "reporter_reports"),
              (strings{"reporter=+976****0001 Bat = 3 [ m11 m12 m13 ]", "reporter=+97699000002 = 1 [ m15 ]"}));
    EXPECT_EQ(lines(rows, "reporter_children"),
              (strings{"reporter=+976****0001 Bat = 3 [ m11 m12 ]", "reporter=+97699000002 = 1 [ m15 ]"}));
    EXPECT_EQ(lines(rows, "reporter_children_confirmed"), (strings{"reporter=+976****0001 Bat = 1 [ m11 ]"}));
    EXPECT_EQ(lines(rows, "reporter_tracking"), (strings{"reporter=+976****0001 Bat = 1 [ m14 ]"}));
}

TEST(report, alerts_are_counted_by_team_and_urgency_with_nearest_rank_ack_minutes) {
    auto in = quarter();
    const timestamp t = on(10);
    in.alerts = {{1, "Bayan-Ovoo", "ALT", false, t, t + minutes{10}},
                 {2, "Bayan-Ovoo", "ALT", false, t, t + minutes{40}},
                 {3, "Bayan-Ovoo", "ALT", true, t, t + minutes{20}},
                 {4, "Bayan-Ovoo", "ALT", false, t, t + minutes{30}},
                 {5, "Bayan-Ovoo", "ALT", true, t, std::nullopt},
                 {6, "Bayankhongor", "BUL", false, t, t + seconds{90}},
                 {7, "Bayankhongor", "BUL", false, in.until - minutes{5}, in.until + minutes{5}}};
    const auto rows = compute_report(in);
    EXPECT_EQ(lines(rows, "alerts_raised"),
              (strings{"team=Bayan-Ovoo urgent=false = 3 [ a1 a2 a4 ]", "team=Bayan-Ovoo urgent=true = 2 [ a3 a5 ]",
                       "team=Bayankhongor urgent=false = 2 [ a6 a7 ]"}));
    // Alert 7 was acknowledged only after the period ended.
    EXPECT_EQ(lines(rows, "alerts_acknowledged"),
              (strings{"team=Bayan-Ovoo urgent=false = 3 [ a1 a2 a4 ]", "team=Bayan-Ovoo urgent=true = 1 [ a3 ]",
                       "team=Bayankhongor urgent=false = 1 [ a6 ]"}));
    // 10, 20, 30, 40 minutes: the median is the 2nd (ceil(0.5 * 4)), the 90th percentile the 4th.
    EXPECT_EQ(lines(rows, "ack_minutes_median"),
              (strings{"team=Bayan-Ovoo = 20 [ a1 a2 a3 a4 ]", "team=Bayankhongor = 1.5 [ a6 ]"}));
    EXPECT_EQ(lines(rows, "ack_minutes_p90"),
              (strings{"team=Bayan-Ovoo = 40 [ a1 a2 a3 a4 ]", "team=Bayankhongor = 1.5 [ a6 ]"}));
}

TEST(report, rows_follow_the_table_order_with_ids_r1_to_rn) {
    auto in = quarter();
    in.cases.push_back(withdrawn_case("100009", "ALT", 2));
    in.cases.push_back(risk_case("100014", "BUL", on(2)));
    in.messages = {{1, "ID", "+97699000001", "ALT", 1, on(2)}};
    const auto rows = compute_report(in);
    const strings order = {"identified", "at_risk_registered", "confirmed", "dismissed", "merged", "targeted",
                           "verified_withdrawn", "verified_prevented", "verified_reduced_hours", "re_engaged",
                           "school_status", "work_status", "referred", "service_delivered", "lost_to_follow_up",
                           "overdue_tracking", "site_visits", "site_not_visited", "reporter_reports",
                           "reporter_children", "reporter_children_confirmed", "reporter_tracking",
                           "alerts_raised", "alerts_acknowledged", "ack_minutes_median", "ack_minutes_p90",
                           "ussd_abandoned"};
    std::size_t last = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].id, "r" + std::to_string(i + 1));
        std::size_t at = 0;
        while (at < order.size() && order[at] != rows[i].indicator) ++at;
        ASSERT_LT(at, order.size()) << rows[i].indicator;
        EXPECT_GE(at, last) << rows[i].indicator;
        last = at;
    }
    ASSERT_GE(rows.size(), 3u);
    EXPECT_EQ(rows[0].indicator, "identified");
    EXPECT_EQ(rows[1].indicator, "at_risk_registered");
    EXPECT_EQ(rows[2].indicator, "confirmed");
    EXPECT_TRUE(rows_of(rows, "ussd_abandoned").empty());
}

TEST(report, a_lost_child_keeps_its_outcome_and_counts_as_lost_to_follow_up) {
    auto in = quarter();
    report_case c = withdrawn_case("100009", "ALT", 2);
    c.history.push_back(row("tracked", "MISS", on(20)));
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_EQ(rows_of(rows, "verified_withdrawn").size(), 1u);
    EXPECT_EQ(lines(rows, "lost_to_follow_up"), (strings{"site=ALT area=Bayankhongor/Bayan-Ovoo = 1 [ 100009 ]"}));
    EXPECT_EQ(rows_of(rows, "school_status").size(), 1u); // lost is still open
}

TEST(report, an_undone_merge_counts_the_case_again) {
    auto in = quarter();
    report_case c = id_case("100014", "ALT", on(2));
    const history_row m = row("merged", "100009", on(5));
    c.history.push_back(m);
    c.history.push_back(row("undone", undo_detail(m.id, "not the same child"), on(6)));
    in.cases.push_back(c);
    const auto rows = compute_report(in);
    EXPECT_TRUE(rows_of(rows, "merged").empty());
    EXPECT_EQ(rows_of(rows, "identified").size(), 1u);
}

TEST(report, a_site_missing_from_the_registry_has_a_null_area_and_an_area_filter_leaves_it_out) {
    auto in = quarter();
    in.cases.push_back(id_case("100009", "ZZZ", on(2)));
    EXPECT_EQ(lines(compute_report(in), "identified"),
              (strings{"sex=B age_band=12-14 site=ZZZ area=null work=MINE = 1 [ 100009 ]"}));
    in.area = "Bayankhongor";
    EXPECT_TRUE(rows_of(compute_report(in), "identified").empty());
}

TEST(report, the_team_with_the_most_specific_covering_area_wins_and_a_tie_goes_to_the_first) {
    auto in = quarter();
    in.teams = {{"Province", {"Bayankhongor"}, false},
                {"First", {"Khovd", "Bayankhongor/Bayan-Ovoo"}, false},
                {"Second", {"Bayankhongor/Bayan-Ovoo"}, false}};
    in.cases.push_back(id_case("100009", "ALT", on(-60)));
    in.cases.push_back(id_case("100014", "BUL", on(-60)));
    in.cases.push_back(id_case("100021", "LKA", on(-60))); // Bayankhongor2: nobody's
    EXPECT_EQ(lines(compute_report(in), "overdue_tracking"),
              (strings{"team=null site=LKA = 1 [ 100021 ]", "team=First site=ALT = 1 [ 100009 ]",
                       "team=Province site=BUL = 1 [ 100014 ]"}));
}
