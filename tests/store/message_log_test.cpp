// The queries behind `kharuul log`: the message log's filters (a phone whole or by its last
// digits, a site by its events or by what a message with no event named), and the ids of the
// alert and outbox views.
#include "store/message_log.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;

class message_log : public testing::store_test {
protected:
    using ids_t = std::vector<std::int64_t>;

    ids_t ids(const message_filter& f) {
        ids_t out;
        for (const auto& m : query_messages(db, f))
            out.push_back(m.id);
        return out;
    }

    std::int64_t message(const std::string& sender, const std::string& text, std::int64_t ms,
                         message_status status, std::optional<parser::form> form = std::nullopt) {
        const auto id = *insert_message(db, sms_from(sender, text, at_ms(ms)));
        EXPECT_TRUE(set_message_outcome(db, id, {status, form, {}, {}, "reply", "mn", {}}));
        return id;
    }

    void event_at(std::int64_t message_id, const std::string& site, std::int64_t ms) {
        parser::sms_message nil;
        nil.kind = parser::form::nil;
        nil.body = parser::nil_visit{site};
        insert_event(db, make_event(nil, message_id, "+97699000001", at_ms(ms)));
    }
};

TEST_F(message_log, the_log_filters_by_phone_site_form_status_and_time)
{
    const auto a = message("+97699000001", "NIL ALT", 1000, message_status::accepted, parser::form::nil);
    event_at(a, "ALT", 1000);
    const auto b = message("+97699000002", "NIL DKH", 2000, message_status::accepted, parser::form::nil);
    event_at(b, "DKH", 2000);
    const auto c = message("+97699000777", "hello", 3000, message_status::unregistered);

    message_filter f;
    EXPECT_EQ(ids(f), (ids_t{c, b, a})); // newest first
    f = {};
    f.phone = phone_match{"+97699000002"};
    EXPECT_EQ(ids(f), ids_t{b});
    f = {};
    f.site = "ALT";
    EXPECT_EQ(ids(f), ids_t{a});
    f = {};
    f.form = parser::form::nil;
    EXPECT_EQ(ids(f), (ids_t{b, a}));
    f = {};
    f.status = message_status::unregistered;
    EXPECT_EQ(ids(f), ids_t{c});
    f = {};
    f.since = at_ms(1500);
    f.until = at_ms(3000);
    EXPECT_EQ(ids(f), ids_t{b});
    f = {};
    f.limit = 2;
    EXPECT_EQ(ids(f), (ids_t{c, b}));
    f = {};
    f.phone = phone_match{"+97699000999"};
    EXPECT_EQ(ids(f).size(), 3u); // the recipient matches too
}

TEST_F(message_log, a_phone_by_its_last_digits_matches_the_numbers_ending_with_them_only)
{
    const auto one = message("+97699000001", "NIL ALT", 1000, message_status::rejected);
    const auto ten = message("+97699000010", "NIL ALT", 2000, message_status::rejected);
    const auto other = message("+97699010001", "NIL ALT", 3000, message_status::rejected);

    message_filter f;
    f.phone = phone_match{"0001", true};
    EXPECT_EQ(ids(f), (ids_t{other, one}));
    f.phone = phone_match{"99000001", true};
    EXPECT_EQ(ids(f), ids_t{one});
    f.phone = phone_match{"0001"}; // whole: no number is "0001"
    EXPECT_TRUE(ids(f).empty());
    f.phone = phone_match{"0010", true};
    EXPECT_EQ(ids(f), ids_t{ten});

    EXPECT_EQ(numbers_matching(db, {"0001", true}), (std::vector<std::string>{"+97699000001", "+97699010001"}));
    EXPECT_EQ(numbers_matching(db, {"0101", true}), std::vector<std::string>{"+97699000101"}); // a team member
    EXPECT_TRUE(numbers_matching(db, {"4242", true}).empty());
}

TEST_F(message_log, a_message_with_no_event_counts_for_the_site_its_text_names)
{
    const auto accepted = message("+97699000001", "NIL ALT", 1000, message_status::accepted, parser::form::nil);
    event_at(accepted, "ALT", 1000);
    const auto rejected_alt = message("+97699000001", "ID ALT 2B", 2000, message_status::rejected, parser::form::id);
    const auto rejected_dkh = message("+97699000001", "ID DKH 2B", 3000, message_status::rejected, parser::form::id);
    const auto kept_alt = message("+97699000777", "NIL ALT", 4000, message_status::unregistered);
    // An event decides for a message that has one, whatever its text reads as.
    const auto event_dkh = message("+97699000002", "NIL ALT", 5000, message_status::accepted, parser::form::nil);
    event_at(event_dkh, "DKH", 5000);

    std::vector<std::string> parsed; // the texts the filter read: only those of messages without an event
    message_filter f;
    f.site = "ALT";
    f.site_of_text = [&](std::string_view text) -> std::optional<std::string> {
        parsed.emplace_back(text);
        return std::string(text.substr(text.find(' ') + 1, 3)); // a stand-in: the second word
    };
    EXPECT_EQ(ids(f), (ids_t{kept_alt, rejected_alt, accepted}));
    EXPECT_EQ(parsed, (std::vector<std::string>{"NIL ALT", "ID DKH 2B", "ID ALT 2B"}));

    f.site = "DKH";
    EXPECT_EQ(ids(f), (ids_t{event_dkh, rejected_dkh}));

    f.site = "ALT"; // the limit counts the messages kept, not the ones read
    f.limit = 2;
    EXPECT_EQ(ids(f), (ids_t{kept_alt, rejected_alt}));

    message_filter events_only; // without a reading of the text: the events alone
    events_only.site = "ALT";
    EXPECT_EQ(ids(events_only), ids_t{accepted});
}

TEST_F(message_log, the_outbox_view_filters_by_recipient_digits_and_state_and_lists_an_alerts_messages)
{
    auto queued = [&](std::string to, std::int64_t ms) {
        new_outbox o;
        o.channel = "kannel";
        o.recipient = std::move(to);
        o.text = "reply";
        o.created_at = at_ms(ms);
        return enqueue(db, o);
    };
    const auto a = queued("+97699000001", 1000);
    const auto b = queued("+97699000010", 2000);
    const auto c = queued("+97699000001", 3000);

    outbox_filter f;
    EXPECT_EQ(query_outbox_ids(db, f), (ids_t{c, b, a}));
    f.phone = phone_match{"0001", true};
    EXPECT_EQ(query_outbox_ids(db, f), (ids_t{c, a}));
    f.range.until = at_ms(3000);
    EXPECT_EQ(query_outbox_ids(db, f), ids_t{a});
    f = {};
    f.state = "sent";
    EXPECT_TRUE(query_outbox_ids(db, f).empty());
    f.state = "queued";
    f.limit = 1;
    EXPECT_EQ(query_outbox_ids(db, f), ids_t{c});
    EXPECT_TRUE(outbox_ids_of_alert(db, 1).empty()); // none of them is an alert's
}

} // namespace
} // namespace kharuul::store
