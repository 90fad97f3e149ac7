// ussd_abandoned (cases.md 4): one row per step reached, its value the dialogues that gave up there.
#include "cases/report.hpp"

#include <gtest/gtest.h>

using namespace kharuul::cases;

TEST(report_ussd, abandoned_dialogues_are_counted_by_the_step_they_reached) {
    report_input in;
    in.from = timestamp{};
    in.until = timestamp{} + std::chrono::hours(24);
    in.ussd_abandoned = {"top", "ID/age", "ID/age", "TR/case_code"};
    std::vector<report_row> rows;
    for (auto& r : compute_report(in))
        if (r.indicator == "ussd_abandoned")
            rows.push_back(r);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].dims[0].name, "step");
    EXPECT_EQ(rows[0].dims[0].text, "ID/age");
    EXPECT_EQ(rows[0].value, 2);
    EXPECT_EQ(rows[1].dims[0].text, "TR/case_code");
    EXPECT_EQ(rows[2].dims[0].text, "top");
    EXPECT_EQ(rows[2].value, 1);
    EXPECT_TRUE(rows[0].cases.empty()); // no trace: a dropped dialogue records no message
}
