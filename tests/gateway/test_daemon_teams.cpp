// What a team official does with an alert on a basic phone, end to end over loopback and a real
// SQLite file (issue 10, items 7, 8 and 11): INFO pages through the case codes an alert could not
// hold, a second ACK says who was quicker and when, and the daemon's log names outbox rows as
// such.
#include "gateway/daemon.hpp"

#include "parser/segment.hpp"
#include "store/alerts.hpp"
#include "store/outbox.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/log_capture.hpp"

#include <boost/json/value_to.hpp>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

namespace kharuul::gateway {
namespace {

namespace json = boost::json;
using testing::running_gateway;

// Demo phones (config/demo.toml): a volunteer at ALT, the ALT team (Mongolian), the second
// coordinator (English), a member of another team.
const std::string volunteer = "+97699000001";
const std::string alt_leader = "+97699000101", alt_member = "+97699000102";
const std::string coordinator_en = "+97699000202";
const std::string other_team = "+97699000112";

std::string reply_of(const json::object& o) {
    return json::value_to<std::string>(o.at("reply"));
}
std::string status_of(const json::object& o) {
    return json::value_to<std::string>(o.at("status"));
}

// The outbox text an alert sent to `phone`.
std::string alert_text_to(running_gateway& g, std::int64_t alert, const std::string& phone) {
    for (const auto& o : store::export_outbox(g.db(), {}))
        if (o.alert_id == alert && o.recipient == phone)
            return o.text;
    return {};
}

// The case codes in a text, in order.
std::vector<std::string> codes_in(const std::string& text) {
    static const std::regex code(R"(\b\d{6,7}\b)");
    std::vector<std::string> out;
    for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it)
        out.push_back(it->str());
    return out;
}

TEST(daemon_teams, info_pages_through_the_case_codes_an_alert_could_not_hold_in_both_languages) {
    running_gateway g("teams-info");
    // Forty children in two reports folded into one alert: the Mongolian alert holds few of their
    // codes, the English one more, and the rest take more than one INFO page.
    auto report = g.send(volunteer, "ID ALT 12B8G 12 MINE SHAFT");
    ASSERT_EQ(status_of(report), "accepted") << reply_of(report);
    auto more = g.send(volunteer, "ID ALT 10B10G 13 MINE SHAFT");
    ASSERT_EQ(status_of(more), "accepted") << reply_of(more);
    const auto alert = store::find_alert(g.db(), 1);
    ASSERT_TRUE(alert);
    ASSERT_EQ(alert->case_codes.size(), 40u);

    struct official {
        std::string phone;
        bool mongolian;
    };
    for (const official& who : {official{alt_member, true}, official{coordinator_en, false}}) {
        const std::string told = alert_text_to(g, 1, who.phone);
        ASSERT_FALSE(told.empty()) << who.phone;
        // The codes the alert showed, then every INFO page: together each code once, in order.
        std::vector<std::string> seen = codes_in(told);
        ASSERT_LT(seen.size(), 20u) << told;
        auto first = g.send(who.phone, "INFO 1");
        ASSERT_EQ(status_of(first), "accepted") << reply_of(first);
        const std::string page1 = reply_of(first);
        EXPECT_TRUE(parser::fits_one_segment(page1)) << page1;
        std::string page = page1;
        for (int n = 2; n < 10; ++n) {
            for (const auto& c : codes_in(page))
                seen.push_back(c);
            const std::regex next(R"(INFO 1 (\d+)$)");
            std::smatch m;
            if (!std::regex_search(page, m, next))
                break;
            EXPECT_EQ(m[1].str(), std::to_string(n)) << page;
            auto next_page = g.send(who.phone, "INFO 1 " + m[1].str());
            ASSERT_EQ(status_of(next_page), "accepted") << reply_of(next_page);
            page = reply_of(next_page);
            EXPECT_TRUE(parser::fits_one_segment(page)) << page;
        }
        EXPECT_EQ(seen, alert->case_codes) << who.phone << ": " << told << " | " << page1;
        EXPECT_TRUE(page1.starts_with(who.mongolian ? "#1 1/2: " : "Alert #1 cases, page 1/2: ")) << page1;
        EXPECT_TRUE(std::regex_search(page1, std::regex(who.mongolian ? R"(\. \+\d+: INFO 1 2$)"
                                                                      : R"(\. \d+ more: INFO 1 2$)")))
            << page1;
    }
    // A page past the last is refused with how many there are.
    auto past = g.send(alt_member, "INFO 1 99");
    EXPECT_EQ(status_of(past), "rejected");
    EXPECT_NE(reply_of(past).find("2 хуудас. INFO 1 1-2"), std::string::npos) << reply_of(past);
    // Only those told of the alert (and coordinators) may ask; volunteers not at all.
    auto stranger_team = g.send(other_team, "INFO 1");
    EXPECT_EQ(status_of(stranger_team), "rejected") << reply_of(stranger_team);
    auto by_volunteer = g.send(volunteer, "INFO 1");
    EXPECT_EQ(status_of(by_volunteer), "rejected") << reply_of(by_volunteer);
    auto unknown = g.send(alt_member, "INFO 77");
    EXPECT_EQ(status_of(unknown), "rejected") << reply_of(unknown);
}

TEST(daemon_teams, a_second_ack_says_who_acknowledged_and_when_and_is_on_the_alerts_record) {
    running_gateway g("teams-ack");
    ASSERT_EQ(status_of(g.send(volunteer, "ID ALT 2B 12 MINE SHAFT")), "accepted");
    auto first = g.send(alt_leader, "ACK 1");
    ASSERT_EQ(status_of(first), "accepted");
    EXPECT_EQ(reply_of(first), "ACK OK: дохио #1 хүлээн авлаа. Баярлалаа.");
    g.advance(std::chrono::minutes(5));

    // Another recipient, in Mongolian, and a coordinator in English: who and when (local time).
    auto second = g.send(alt_member, "ACK 1");
    EXPECT_EQ(status_of(second), "accepted");
    const std::string mn = reply_of(second);
    EXPECT_TRUE(parser::fits_one_segment(mn)) << mn;
    EXPECT_NE(mn.find("#1 дохиог "), std::string::npos) << mn;
    EXPECT_TRUE(std::regex_search(mn, std::regex(R"( \d\d:\d\d-д хүлээн авсан)"))) << mn;
    EXPECT_TRUE(mn.find("Team leader Bayan-Ovoo") != std::string::npos || mn.find("+976****0101") != std::string::npos)
        << mn;
    auto third = g.send(coordinator_en, "ACK 1");
    const std::string en = reply_of(third);
    EXPECT_TRUE(std::regex_search(en, std::regex(R"(^ACK: alert #1 was already acknowledged by .*\+976\*{4}0101.* at \d\d:\d\d\.)")))
        << en;
    EXPECT_EQ(en.find("+97699000101"), std::string::npos) << "masked: " << en;
    // The acknowledger again, past the duplicate window (within it, the same ACK understood the
    // same way is a duplicate: no second reply): "you".
    g.advance(std::chrono::minutes(11));
    auto own = g.send(alt_leader, "ACK 1");
    EXPECT_NE(reply_of(own).find("та #1 дохиог"), std::string::npos) << reply_of(own);

    std::vector<std::string> again;
    for (const auto& h : store::alert_history(g.db(), 1))
        if (h.what == "acknowledged_again")
            again.push_back(h.phone.value_or(""));
    EXPECT_EQ(again, (std::vector<std::string>{alt_member, coordinator_en, alt_leader}));
    const auto a = store::find_alert(g.db(), 1);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->acked_by, alt_leader) << "the first ACK stands";
}

TEST(daemon_teams, the_daemon_log_names_an_outbox_row_and_its_alert_apart) {
    testing::log_capture log;
    running_gateway g("teams-outbox-log");
    ASSERT_EQ(status_of(g.send(volunteer, "ID ALT 2B 12 MINE SHAFT")), "accepted");
    std::vector<std::string> lines;
    for (int i = 0; i < 200 && lines.size() < 5; ++i) {
        lines = log.lines_containing("outbox #");
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    ASSERT_EQ(lines.size(), 5u);
    std::set<std::string> rows;
    for (const auto& l : lines) {
        std::smatch m;
        ASSERT_TRUE(std::regex_search(l, m, std::regex(R"(outbox #(\d+) \(alert #1\) to \+976\*{4}\d{4}: sent)"))) << l;
        rows.insert(m[1].str());
    }
    EXPECT_EQ(rows, (std::set<std::string>{"1", "2", "3", "4", "5"}));
}

} // namespace
} // namespace kharuul::gateway
