// Tracking reminders: the daytime window in Mongolia's UTC+08:00 (boundaries to the
// millisecond), the next daytime start, and batching per recipient: five cases an SMS, a shared
// case to each of its recipients once.
#include "alerts/reminders.hpp"

#include "parser/segment.hpp"
#include "tests/alerts/alerts_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::alerts {
namespace {

using namespace std::chrono_literals;

const auto offset = 8h;
const std::chrono::minutes day_start = 9h;
const std::chrono::minutes day_end = 20h;

TEST(reminders, daytime_is_nine_to_eight_local_time_at_plus_eight) {
    const auto d = testing::day_zero(); // 00:00 UTC = 08:00 local
    struct row {
        std::chrono::milliseconds utc;
        bool daytime;
    } rows[] = {
        {-30min, false},     // 23:30 UTC the day before: 07:30 local
        {0min, false},       // 08:00 local
        {1h - 1ms, false},   // 08:59:59.999 local
        {1h, true},          // 09:00 local
        {6h, true},          // 14:00 local
        {12h - 1ms, true},   // 19:59:59.999 local
        {12h, false},        // 20:00 local
        {16h, false},        // midnight local
        {23h + 30min, false} // 07:30 local the next day
    };
    for (const auto& r : rows)
        EXPECT_EQ(is_daytime(d + r.utc, offset, day_start, day_end), r.daytime) << r.utc.count();
}

TEST(reminders, next_daytime_start_is_now_in_the_day_and_nine_local_otherwise) {
    const auto d = testing::day_zero();
    EXPECT_EQ(next_daytime_start(d - 30min, offset, day_start, day_end), d + 1h); // 07:30 -> 09:00 same day
    EXPECT_EQ(next_daytime_start(d + 12h, offset, day_start, day_end), d + 25h);  // 20:00 -> 09:00 next day
    EXPECT_EQ(next_daytime_start(d + 15h + 59min, offset, day_start, day_end), d + 25h); // 23:59 local
    EXPECT_EQ(next_daytime_start(d + 16h, offset, day_start, day_end), d + 25h); // 00:00 local -> 09:00
    EXPECT_EQ(next_daytime_start(d + 3h + 7ms, offset, day_start, day_end), d + 3h + 7ms);
}

TEST(reminders, a_window_across_midnight_and_an_empty_one) {
    const auto d = testing::day_zero(); // 08:00 local
    EXPECT_FALSE(is_daytime(d, offset, 20h, 6h));
    EXPECT_TRUE(is_daytime(d + 14h, offset, 20h, 6h)); // 22:00 local
    EXPECT_TRUE(is_daytime(d + 20h, offset, 20h, 6h)); // 04:00 local
    EXPECT_EQ(next_daytime_start(d, offset, 20h, 6h), d + 12h);
    EXPECT_TRUE(is_daytime(d, offset, 9h, 9h));
}

std::vector<std::string> codes_of(const reminder_batch& b) {
    std::vector<std::string> out;
    for (const auto& c : b.cases)
        out.push_back(c.code);
    return out;
}

TEST(reminders, twelve_cases_for_one_phone_make_three_sms) {
    std::vector<overdue_case> cases;
    for (int i = 0; i < 12; ++i)
        cases.push_back({std::to_string(204800 + i), i % 2 == 0 ? "ALT" : "ULT", {"+97699110001"}});
    const auto batches = batch_reminders(cases);
    ASSERT_EQ(batches.size(), 3u);
    EXPECT_EQ(batches[0].cases.size(), 5u);
    EXPECT_EQ(batches[1].cases.size(), 5u);
    EXPECT_EQ(batches[2].cases.size(), 2u);
    EXPECT_EQ(codes_of(batches[2]), (std::vector<std::string>{"204810", "204811"}));
    EXPECT_EQ(batches[0].cases[1], (reminder_case{"204801", "ULT"}));
    for (const auto& b : batches) {
        EXPECT_EQ(b.phone, "+97699110001");
        for (auto l : {parser::reply_language::en, parser::reply_language::mn}) {
            const std::string s = reminder_text(b.cases, 30, testing::alerts_lexicon(), l);
            EXPECT_TRUE(parser::fits_one_segment(s)) << s;
            for (const auto& c : b.cases)
                EXPECT_NE(s.find(c.code), std::string::npos) << s;
        }
    }
}

TEST(reminders, a_case_shared_by_two_recipients_reaches_each_once) {
    const std::vector<overdue_case> cases{
        {"204812", "ALT", {"+97699110001", "+97699000101"}}, // the reporter and the team
        {"204820", "ULT", {"+97699000101"}},
        {"204812", "ALT", {"+97699000101"}}, // listed twice by the store: still once
        {"204838", "TSD", {"", "+97699110001", "+97699110001"}},
    };
    const auto batches = batch_reminders(cases);
    ASSERT_EQ(batches.size(), 2u);
    EXPECT_EQ(batches[0].phone, "+97699110001");
    EXPECT_EQ(codes_of(batches[0]), (std::vector<std::string>{"204812", "204838"}));
    EXPECT_EQ(batches[1].phone, "+97699000101");
    EXPECT_EQ(codes_of(batches[1]), (std::vector<std::string>{"204812", "204820"}));
}

TEST(reminders, a_batch_size_of_zero_counts_as_one_and_nothing_overdue_sends_nothing) {
    const std::vector<overdue_case> cases{{"204812", "ALT", {"+97699110001"}},
                                          {"204820", "ULT", {"+97699110001"}}};
    EXPECT_EQ(batch_reminders(cases, 0).size(), 2u);
    EXPECT_TRUE(batch_reminders({}).empty());
}

} // namespace
} // namespace kharuul::alerts
