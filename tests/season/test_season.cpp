// Whole seasons through the real binary: `kharuul replay` feeds a scripted quarter into a fresh
// store, `kharuul report --format json` computes the figures, and every figure is compared with
// the rows worked out by hand from spec/cases.md 4 (tests/season/expected_a.json). The demo
// season a trainer loads (config/demo-season.txt) is replayed too and cross-checked against its
// own lines: nobody counts as withdrawn without an `OUT ... WD`.
#include "tests/support/run_binary.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// ---- the binary and its files -------------------------------------------------------------

fs::path source_dir() {
    const char* s = std::getenv("KHARUUL_SOURCE_DIR");
    return s ? fs::path(s) : fs::current_path();
}

fs::path season_dir() { return source_dir() / "tests" / "season"; }

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}


struct process_result {
    int status = -1;
    std::string out;
    std::string err;
};

// Runs the real binary; stdout captured, stderr kept in `err_file` and read back.
process_result run_binary(const std::vector<std::string>& args, const fs::path& err_file) {
    const auto run = kharuul::testing::run_kharuul(args, "2>" + kharuul::testing::shell_quote(err_file.string()));
    return {run.status, run.out, read_text(err_file)};
}

// The message lines of a season file (no blank lines, no comments), in order.
std::vector<std::string> message_lines(const fs::path& season) {
    std::vector<std::string> lines;
    std::istringstream in(read_text(season));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == ';')
            continue;
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> words_of(const std::string& line) {
    std::vector<std::string> w;
    std::istringstream in(line);
    for (std::string s; in >> s;)
        w.push_back(s);
    return w;
}

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// A fresh temporary folder with a copy of a configuration whose store lives in that folder, and
// the season replayed into it. The folder goes with the object.
class season_store {
public:
    // `cutoff`: replay only the lines whose time sorts before it (e.g. "2026-10-01").
    season_store(const fs::path& config, const fs::path& season, std::optional<std::string> cutoff = std::nullopt) {
        std::string tmpl = (fs::temp_directory_path() / "kharuul-season-XXXXXX").string();
        if (mkdtemp(tmpl.data()) == nullptr)
            throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        config_ = dir_ / "kharuul.toml";
        const std::string original = read_text(config);
        const std::regex store_path(R"re((\n\s*path\s*=\s*)"[^"]*")re");
        std::string copied = std::regex_replace(original, store_path, "$1\"" + (dir_ / "kharuul.db").string() + "\"",
                                                std::regex_constants::format_first_only);
        std::ofstream(config_) << copied;
        season_ = dir_ / "season.txt";
        {
            std::ofstream out(season_);
            for (const auto& line : message_lines(season))
                if (!cutoff || line.substr(0, cutoff->size()) < *cutoff)
                    out << line << '\n';
        }
        replay_ = run_binary({"replay", "--config", config_.string(), "--quiet", season_.string()}, dir_ / "replay.err");
    }
    ~season_store() {
        std::error_code ec;
        if (std::getenv("KHARUUL_KEEP_TEMP") == nullptr)
            fs::remove_all(dir_, ec);
    }
    season_store(const season_store&) = delete;
    season_store& operator=(const season_store&) = delete;

    const process_result& replay() const { return replay_; }

    std::vector<std::string> report_args(const std::string& from, const std::string& until,
                                         const std::optional<std::string>& area) const {
        std::vector<std::string> a{"report", "--config", config_.string(), "--from", from, "--until", until};
        if (area) {
            a.push_back("--area");
            a.push_back(*area);
        }
        return a;
    }

    // The report as JSON; a failed run or unreadable output fails the calling test.
    json::object report(const std::string& from, const std::string& until,
                        const std::optional<std::string>& area = std::nullopt) const {
        auto args = report_args(from, until, area);
        args.push_back("--format");
        args.push_back("json");
        const auto r = run_binary(args, dir_ / "report.err");
        EXPECT_EQ(r.status, 0) << r.err;
        boost::system::error_code ec;
        json::value v = json::parse(r.out, ec);
        EXPECT_FALSE(ec) << "not JSON: " << r.out.substr(0, 400) << "\n" << r.err;
        if (ec || !v.is_object())
            return {};
        return v.as_object();
    }

    process_result explain(const std::string& from, const std::string& until, const std::string& row_id) const {
        auto args = report_args(from, until, std::nullopt);
        args.push_back("--explain");
        args.push_back(row_id);
        return run_binary(args, dir_ / "explain.err");
    }

private:
    fs::path dir_;
    fs::path config_;
    fs::path season_;
    process_result replay_;
};

// ---- rows ---------------------------------------------------------------------------------

const std::set<std::string> not_dimensions{"id", "indicator", "value", "cases", "messages", "alerts"};
const std::array<const char*, 3> trace_keys{"cases", "messages", "alerts"};

// The text of a JSON string ("" for anything else).
std::string text(const json::value& v) {
    if (!v.is_string())
        return {};
    const auto& s = v.as_string();
    return std::string(s.data(), s.size());
}

json::array rows_of(const json::object& report) {
    if (auto* r = report.if_contains("rows"); r && r->is_array())
        return r->as_array();
    ADD_FAILURE() << "report without rows: " << json::serialize(report);
    return {};
}

std::string indicator_of(const json::value& row) {
    const auto* i = row.as_object().if_contains("indicator");
    return i ? text(*i) : std::string();
}

double number_of(const json::value& v) {
    if (v.is_int64())
        return static_cast<double>(v.as_int64());
    if (v.is_uint64())
        return static_cast<double>(v.as_uint64());
    if (v.is_double())
        return v.as_double();
    return -1e300;
}

// A trace as sorted text: case codes as they are, numbers as integers, sorted numerically then.
std::vector<std::string> sorted_trace(const json::value& v) {
    std::vector<std::pair<double, std::string>> items;
    if (v.is_array())
        for (const auto& e : v.as_array()) {
            if (e.is_string())
                items.emplace_back(0, text(e));
            else
                items.emplace_back(number_of(e), json::serialize(e));
        }
    std::sort(items.begin(), items.end());
    std::vector<std::string> out;
    for (auto& i : items)
        out.push_back(std::move(i.second));
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& e : v)
        s += (s.empty() ? "" : " ") + e;
    return "[" + s + "]";
}

// Does an actual row carry every dimension an expected row names, with its value?
bool dimensions_match(const json::object& expected, const json::object& actual) {
    for (const auto& [key, want] : expected) {
        const std::string name(key.data(), key.size());
        if (not_dimensions.count(name) || name.rfind('_', 0) == 0)
            continue;
        const json::value* got = actual.if_contains(key);
        if (got == nullptr)
            return false;
        if (name == "reporter" && want.is_string()) {
            // The reporter is "masked phone and name": the name is what the expectation gives.
            if (!got->is_string() || text(*got).find(text(want)) == std::string::npos)
                return false;
            continue;
        }
        if (want.is_number() && got->is_number()) {
            if (number_of(want) != number_of(*got))
                return false;
            continue;
        }
        if (want != *got)
            return false;
    }
    return true;
}

std::string without_trace(const json::object& row) {
    json::object o = row;
    for (const char* k : trace_keys)
        o.erase(k);
    return json::serialize(o);
}

// Compares the report with the expected rows of the given indicators (all when `only` is empty):
// each expected row is found exactly once, with its value and (when given) its sorted trace; for
// the indicators `exhaustive` names, no other row exists.
void expect_rows(const json::object& report, const json::object& expected, const std::set<std::string>& only = {}) {
    const auto actual = rows_of(report);
    const auto wanted = expected.at("rows").as_array();
    std::set<std::string> exhaustive;
    for (const auto& e : expected.at("exhaustive").as_array())
        exhaustive.insert(text(e));
    auto selected = [&](const std::string& ind) { return only.empty() || only.count(ind) > 0; };

    std::vector<bool> used(actual.size(), false);
    for (const auto& w : wanted) {
        const auto& want = w.as_object();
        const std::string ind = indicator_of(w);
        if (!selected(ind))
            continue;
        std::vector<std::size_t> hits;
        for (std::size_t i = 0; i < actual.size(); ++i)
            if (indicator_of(actual[i]) == ind && dimensions_match(want, actual[i].as_object()))
                hits.push_back(i);
        if (hits.empty()) {
            ADD_FAILURE() << "missing row " << without_trace(want);
            continue;
        }
        if (hits.size() > 1) {
            ADD_FAILURE() << hits.size() << " rows match " << without_trace(want);
            continue;
        }
        used[hits[0]] = true;
        const auto& got = actual[hits[0]].as_object();
        const json::value* value = got.if_contains("value");
        EXPECT_TRUE(value != nullptr && number_of(*value) == number_of(want.at("value")))
            << "value of " << without_trace(want) << ": got " << json::serialize(got);
        for (const char* k : trace_keys)
            if (const json::value* trace = want.if_contains(k)) {
                const json::value* got_trace = got.if_contains(k);
                EXPECT_EQ(joined(got_trace ? sorted_trace(*got_trace) : std::vector<std::string>{}), joined(sorted_trace(*trace)))
                    << k << " of " << without_trace(want);
            }
    }
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const std::string ind = indicator_of(actual[i]);
        if (!used[i] && selected(ind) && exhaustive.count(ind))
            ADD_FAILURE() << "unexpected row " << json::serialize(actual[i]);
    }
}

// The rows without their ids, sorted: two reports of the same figures compare equal.
std::vector<std::string> rows_without_ids(const json::object& report) {
    std::vector<std::string> out;
    for (const auto& r : rows_of(report)) {
        json::object o = r.as_object();
        o.erase("id");
        for (const char* k : trace_keys)
            if (auto* t = o.if_contains(k)) {
                json::array sorted;
                for (const auto& s : sorted_trace(*t))
                    sorted.push_back(json::string(s.c_str()));
                *t = sorted;
            }
        out.push_back(json::serialize(o));
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Every case code in the rows of an indicator.
std::set<std::string> cases_of(const json::object& report, const std::string& indicator) {
    std::set<std::string> out;
    for (const auto& r : rows_of(report))
        if (indicator_of(r) == indicator)
            if (const auto* c = r.as_object().if_contains("cases"); c && c->is_array())
                for (const auto& code : c->as_array())
                    out.insert(text(code));
    return out;
}

std::size_t count_rows(const json::object& report, const std::string& indicator) {
    std::size_t n = 0;
    for (const auto& r : rows_of(report))
        n += indicator_of(r) == indicator;
    return n;
}

// ---- season A ------------------------------------------------------------------------------

const json::object& expected_a() {
    static const json::object e = json::parse(read_text(season_dir() / "expected_a.json")).as_object();
    return e;
}

const json::object& expected_report(const std::string& name) {
    for (const auto& r : expected_a().at("reports").as_array())
        if (text(r.at("name")) == name)
            return r.as_object();
    throw std::runtime_error("no expected report " + name);
}

std::optional<std::string> area_of(const json::object& expected) {
    const auto& a = expected.at("area");
    return a.is_string() ? std::optional<std::string>(text(a)) : std::nullopt;
}

constexpr const char* quarter = "the whole quarter";
constexpr const char* parent_area = "Ulaanbaatar (a parent area)";
constexpr const char* sub_area = "Ulaanbaatar/Nalaikh (a sub-area)";
constexpr const char* october = "October alone";

class season_a : public ::testing::Test {
protected:
    // A fresh store for every test, holding the whole of season_a.txt (October included).
    season_store store{season_dir() / "season.toml", season_dir() / "season_a.txt"};

    void SetUp() override {
        ASSERT_EQ(store.replay().status, 0) << store.replay().out << store.replay().err;
    }

    json::object report_for(const json::object& e) const {
        return store.report(text(e.at("from")), text(e.at("until")), area_of(e));
    }

    void expect_report(const std::string& name, const std::set<std::string>& only = {}) const {
        const auto& e = expected_report(name);
        const auto r = report_for(e);
        if (auto a = area_of(e))
            EXPECT_EQ(r.if_contains("area") ? text(r.at("area")) : "", *a);
        else
            EXPECT_TRUE(r.if_contains("area") && r.at("area").is_null());
        expect_rows(r, e, only);
    }
};

TEST_F(season_a, the_season_file_replays_into_a_fresh_store) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    EXPECT_EQ(r.at("from"), "2026-07-01T00:00:00+08:00");
    EXPECT_EQ(r.at("until"), "2026-10-01T00:00:00+08:00");
    EXPECT_TRUE(r.at("area").is_null());
}

TEST_F(season_a, the_quarter_counts_children_identified_and_at_risk_by_sex_age_band_site_and_area) {
    expect_report(quarter, {"identified", "at_risk_registered"});
}

TEST_F(season_a, the_quarter_counts_triage_merges_and_the_children_targeted) {
    expect_report(quarter, {"confirmed", "dismissed", "merged", "targeted"});
}

TEST_F(season_a, the_quarter_counts_only_verified_outcomes_that_still_stand) {
    expect_report(quarter, {"verified_withdrawn", "verified_prevented", "verified_reduced_hours", "re_engaged"});
}

TEST_F(season_a, the_quarter_keeps_school_and_work_status_of_open_cases_apart) {
    expect_report(quarter, {"school_status", "work_status"});
}

TEST_F(season_a, the_quarter_counts_referrals_and_services_for_child_and_family) {
    expect_report(quarter, {"referred", "service_delivered"});
}

TEST_F(season_a, the_quarter_counts_lost_children_and_overdue_cases_by_team_and_site) {
    expect_report(quarter, {"lost_to_follow_up", "overdue_tracking"});
}

TEST_F(season_a, the_quarter_counts_site_visits_by_message_and_names_the_site_nobody_visited) {
    expect_report(quarter, {"site_visits", "site_not_visited"});
}

TEST_F(season_a, the_quarter_counts_what_each_reporter_sent) {
    expect_report(quarter, {"reporter_reports", "reporter_children", "reporter_children_confirmed", "reporter_tracking"});
}

TEST_F(season_a, the_quarter_counts_alerts_raised_and_acknowledged_and_the_minutes_to_acknowledge) {
    expect_report(quarter, {"alerts_raised", "alerts_acknowledged", "ack_minutes_median", "ack_minutes_p90", "ussd_abandoned"});
}

TEST_F(season_a, a_parent_area_keeps_the_cases_and_sites_of_every_area_inside_it) {
    expect_report(parent_area);
}

TEST_F(season_a, a_sub_area_keeps_only_its_own_cases_and_sites) {
    expect_report(sub_area);
}

TEST_F(season_a, october_alone_counts_only_what_happened_in_october) {
    expect_report(october);
}

TEST_F(season_a, an_enrolled_child_who_still_works_is_never_counted_as_withdrawn) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    for (const char* ind : {"verified_withdrawn", "verified_prevented", "verified_reduced_hours"})
        EXPECT_EQ(cases_of(r, ind).count("100023"), 0u) << ind;
    EXPECT_EQ(cases_of(r, "targeted").count("100023"), 1u);
    bool in_school = false, working = false;
    for (const auto& row : rows_of(r)) {
        const auto& o = row.as_object();
        const auto c = sorted_trace(o.contains("cases") ? o.at("cases") : json::value());
        if (std::find(c.begin(), c.end(), "100023") == c.end())
            continue;
        in_school |= indicator_of(row) == "school_status" && o.at("status") == "school";
        working |= indicator_of(row) == "work_status" && o.at("status") == "working";
    }
    EXPECT_TRUE(in_school);
    EXPECT_TRUE(working);
}

TEST_F(season_a, a_child_seen_working_again_is_re_engaged_and_no_longer_counts_as_withdrawn) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    EXPECT_EQ(cases_of(r, "re_engaged"), std::set<std::string>{"100046"});
    EXPECT_EQ(cases_of(r, "verified_withdrawn").count("100046"), 0u);
    EXPECT_EQ(cases_of(r, "targeted").count("100046"), 1u);
}

TEST_F(season_a, a_team_form_on_another_areas_case_is_refused_and_changes_nothing) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    // Line 22: the Nalaikh team's VER NO on the DKH case 100102; line 80: the Uyanga leader's
    // CLOSE MOVED on the ALT case 100009. Both stay as their own teams left them.
    EXPECT_EQ(cases_of(r, "dismissed").count("100102"), 0u);
    EXPECT_EQ(cases_of(r, "confirmed").count("100102"), 1u);
    EXPECT_EQ(cases_of(r, "school_status").count("100009"), 1u) << "100009 must still be open";
    EXPECT_EQ(cases_of(r, "verified_withdrawn").count("100009"), 1u);
}

TEST_F(season_a, running_the_quarter_report_again_gives_the_same_rows) {
    EXPECT_EQ(rows_without_ids(store.report("2026-07-01", "2026-10-01")),
              rows_without_ids(store.report("2026-07-01", "2026-10-01")));
}

TEST_F(season_a, explain_lists_the_cases_behind_a_row) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    std::string id;
    std::vector<std::string> codes;
    for (const auto& row : rows_of(r))
        if (indicator_of(row) == "identified" && row.at("site") == "NLK") {
            id = text(row.at("id"));
            codes = sorted_trace(row.at("cases"));
        }
    ASSERT_FALSE(id.empty());
    ASSERT_FALSE(codes.empty());
    const auto e = store.explain("2026-07-01", "2026-10-01", id);
    ASSERT_EQ(e.status, 0) << e.err;
    for (const auto& c : codes)
        EXPECT_NE(e.out.find(c), std::string::npos) << c << " not in --explain " << id << ":\n" << e.out;
}

// The same quarter, replayed without the October lines: the figures are those of the store that
// went on into October, and those worked out by hand.
TEST(season_a_quarter_only, lines_after_the_quarter_do_not_change_the_quarter_figures) {
    season_store quarter_only{season_dir() / "season.toml", season_dir() / "season_a.txt", "2026-10-01"};
    season_store whole{season_dir() / "season.toml", season_dir() / "season_a.txt"};
    ASSERT_EQ(quarter_only.replay().status, 0) << quarter_only.replay().err;
    ASSERT_EQ(whole.replay().status, 0) << whole.replay().err;
    for (const char* name : {quarter, parent_area, sub_area}) {
        const auto& e = expected_report(name);
        const std::string from = text(e.at("from")), until = text(e.at("until"));
        const auto before = quarter_only.report(from, until, area_of(e));
        EXPECT_EQ(rows_without_ids(before), rows_without_ids(whole.report(from, until, area_of(e)))) << name;
        SCOPED_TRACE(name);
        expect_rows(before, e);
    }
}

// ---- the demo season ------------------------------------------------------------------------

fs::path demo_season_file() { return source_dir() / "config" / "demo-season.txt"; }
fs::path demo_config() { return source_dir() / "config" / "demo.toml"; }

// The kept case of every MERGE line: a later form naming the merged case goes to the kept one.
std::map<std::string, std::string> merges_of(const std::vector<std::string>& lines) {
    std::map<std::string, std::string> kept;
    for (const auto& line : lines) {
        const auto w = words_of(line);
        if (w.size() >= 5 && upper(w[2]) == "MERGE")
            kept[w[3]] = w[4];
    }
    return kept;
}

std::string resolve(const std::map<std::string, std::string>& kept, std::string code) {
    for (int hops = 0; hops < 10; ++hops) {
        auto it = kept.find(code);
        if (it == kept.end())
            break;
        code = it->second;
    }
    return code;
}

// Every case named by an `OUT <case> WD` line of the season file.
std::set<std::string> out_wd_cases(const std::vector<std::string>& lines) {
    const auto kept = merges_of(lines);
    std::set<std::string> out;
    for (const auto& line : lines) {
        const auto w = words_of(line);
        if (w.size() >= 5 && upper(w[2]) == "OUT" && upper(w[4]) == "WD")
            out.insert(resolve(kept, w[3]));
    }
    return out;
}

class demo_season : public ::testing::Test {
protected:
    season_store store{demo_config(), demo_season_file()};

    void SetUp() override {
        ASSERT_TRUE(fs::exists(demo_season_file()));
        ASSERT_EQ(store.replay().status, 0) << store.replay().out << store.replay().err;
    }
};

TEST_F(demo_season, the_demo_season_replays_with_the_demo_configuration) {
    const auto lines = message_lines(demo_season_file());
    EXPECT_GE(lines.size(), 80u);
    EXPECT_LE(lines.size(), 200u);
    for (const auto& line : lines) {
        const auto w = words_of(line);
        ASSERT_GE(w.size(), 3u) << line;
        EXPECT_TRUE(w[0] >= "2026-07-01" && w[0] < "2026-10-01") << line;
        EXPECT_TRUE(std::regex_match(w[1], std::regex(R"(\+97699000\d{3})"))) << line;
    }
}

TEST_F(demo_season, no_child_of_the_demo_season_counts_as_withdrawn_without_an_out_wd_line) {
    const auto with_out_wd = out_wd_cases(message_lines(demo_season_file()));
    const auto r = store.report("2026-07-01", "2026-10-01");
    const auto withdrawn = cases_of(r, "verified_withdrawn");
    EXPECT_FALSE(withdrawn.empty());
    for (const auto& c : withdrawn)
        EXPECT_EQ(with_out_wd.count(c), 1u) << c << " counts as withdrawn but no line sends OUT " << c << " WD";
}

TEST_F(demo_season, the_demo_season_has_a_row_for_every_figure_a_trainer_shows) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    for (const char* ind : {"identified", "at_risk_registered", "confirmed", "dismissed", "merged", "targeted",
                            "verified_withdrawn", "verified_prevented", "verified_reduced_hours", "re_engaged",
                            "school_status", "work_status", "referred", "service_delivered", "lost_to_follow_up",
                            "overdue_tracking", "site_visits", "site_not_visited", "alerts_raised", "alerts_acknowledged"})
        EXPECT_GT(count_rows(r, ind), 0u) << ind;
}

TEST_F(demo_season, explain_names_the_cases_of_the_demo_withdrawn_row) {
    const auto r = store.report("2026-07-01", "2026-10-01");
    bool explained = false;
    for (const auto& row : rows_of(r)) {
        if (indicator_of(row) != "verified_withdrawn")
            continue;
        const std::string id = text(row.at("id"));
        const auto e = store.explain("2026-07-01", "2026-10-01", id);
        ASSERT_EQ(e.status, 0) << e.err;
        for (const auto& c : sorted_trace(row.at("cases")))
            EXPECT_NE(e.out.find(c), std::string::npos) << c << " not in --explain " << id << ":\n" << e.out;
        explained = true;
    }
    EXPECT_TRUE(explained);
}

} // namespace
