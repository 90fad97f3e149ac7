// What `kharuul report` reads: exactly the accepted reports received in [from, until) (also when
// the ids of messages near an edge are out of time order by moments, as a group commit may write
// them), each with its event's sender, site and children, and every case opened before `until`
// with its history up to then.
#include "store/report_data.hpp"

#include "store/cases.hpp"
#include "store/records.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;
using namespace std::chrono_literals;

class report_data : public testing::store_test {
protected:
    // An accepted NIL at ALT received at `at`; returns its message id.
    std::int64_t nil_at(timestamp at, const std::string& sender = "+97699000001")
    {
        const auto id = *insert_message(db, sms_from(sender, "NIL ALT", at));
        parser::sms_message m;
        m.kind = parser::form::nil;
        m.body = parser::nil_visit{"ALT"};
        insert_event(db, make_event(m, id, sender, at));
        EXPECT_TRUE(set_message_outcome(db, id, {message_status::accepted, parser::form::nil, {}, {}, {}, {}, {}}));
        return id;
    }

    static std::set<std::int64_t> ids(const cases::report_input& in)
    {
        std::set<std::int64_t> out;
        for (const auto& m : in.messages)
            out.insert(m.id);
        return out;
    }
};

TEST_F(report_data, only_the_reports_received_in_the_period_are_read_with_their_sender_and_site)
{
    const timestamp from = at_ms(0) + 24h, until = from + 24h;
    nil_at(from - 1ms);
    const auto first = nil_at(from);
    const auto middle = nil_at(from + 12h, "+97699000002");
    const auto last = nil_at(until - 1ms);
    nil_at(until);
    const auto in = load_report_input(db, from, until);
    EXPECT_EQ(ids(in), (std::set<std::int64_t>{first, middle, last}));
    const auto m = std::find_if(in.messages.begin(), in.messages.end(), [&](const auto& x) { return x.id == middle; });
    ASSERT_NE(m, in.messages.end());
    EXPECT_EQ(m->form, "NIL");
    EXPECT_EQ(m->sender, "+97699000002");
    EXPECT_EQ(m->site, "ALT");
    EXPECT_EQ(m->received_at, from + 12h);
}

TEST_F(report_data, ids_out_of_time_order_by_moments_at_the_edges_are_still_counted_exactly)
{
    const timestamp from = at_ms(0) + 24h, until = from + 24h;
    // Numbered out of time order at each edge: the second id was received first.
    const auto inside_late = nil_at(from + 5ms);
    const auto outside = nil_at(from - 5ms);
    const auto inside_early = nil_at(from + 2ms);
    const auto end_inside = nil_at(until - 2ms);
    const auto end_outside = nil_at(until + 3ms);
    const auto end_inside_too = nil_at(until - 4ms);
    const auto in = load_report_input(db, from, until);
    EXPECT_EQ(ids(in), (std::set<std::int64_t>{inside_late, inside_early, end_inside, end_inside_too}));
    EXPECT_FALSE(ids(in).count(outside));
    EXPECT_FALSE(ids(in).count(end_outside));
}

TEST_F(report_data, a_message_processed_later_by_rerun_counts_with_its_event_numbered_after_the_others)
{
    const timestamp from = at_ms(0) + 24h, until = from + 24h;
    // Message 1 is kept from a stranger; 2 and 3 are processed at once; 1 is rerun afterwards, so
    // its event is the last one.
    const auto kept = *insert_message(db, sms_from("+97699000003", "NIL ALT", from + 1h));
    const auto second = nil_at(from + 2h);
    const auto third = nil_at(from + 3h);
    parser::sms_message m;
    m.kind = parser::form::nil;
    m.body = parser::nil_visit{"ALT"};
    insert_event(db, make_event(m, kept, "+97699000003", from + 1h));
    ASSERT_TRUE(set_message_outcome(db, kept, {message_status::accepted, parser::form::nil, {}, {}, {}, {}, {}}));
    EXPECT_EQ(ids(load_report_input(db, from, until)), (std::set<std::int64_t>{kept, second, third}));
}

TEST_F(report_data, a_period_with_no_message_reads_none)
{
    nil_at(at_ms(0));
    EXPECT_TRUE(load_report_input(db, at_ms(0) + 1h, at_ms(0) + 2h).messages.empty());
    EXPECT_TRUE(load_report_input(db, at_ms(0) - 2h, at_ms(0) - 1h).messages.empty());
}

// The API's reader runs every job inside a transaction of its own: the report reads within it.
TEST_F(report_data, the_report_reads_inside_a_transaction_the_caller_opened)
{
    const timestamp from = at_ms(0) + 24h, until = from + 24h;
    const auto seen = nil_at(from + 1h);
    db.exec("BEGIN");
    EXPECT_EQ(ids(load_report_input(db, from, until)), (std::set<std::int64_t>{seen}));
    db.exec("COMMIT");
    EXPECT_EQ(ids(load_report_input(db, from, until)), (std::set<std::int64_t>{seen}));
}

} // namespace
} // namespace kharuul::store
