// Messages and events: provider-id idempotence, the same-text duplicate rule, outcomes, events
// built from parsed messages, and the export queries (the log's: message_log_test.cpp).
#include "store/cases.hpp"
#include "store/records.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace kharuul::store {
namespace {

using testing::at_ms;
using testing::sms_from;
using namespace std::chrono_literals;

class records : public testing::store_test {};

parser::sms_message id_report(std::string site, int boys, int girls, int age, std::string work,
                              std::vector<std::string> hazards)
{
    parser::sms_message m;
    m.kind = parser::form::id;
    parser::sighting s;
    s.site = std::move(site);
    s.kids = {boys, girls, 0};
    s.age_min = s.age_max = age;
    s.work = std::move(work);
    s.hazards = std::move(hazards);
    m.body = s;
    m.urgent = true;
    return m;
}

TEST_F(records, the_same_provider_id_on_one_channel_is_stored_once)
{
    const auto first = insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(0), "p-1"));
    ASSERT_TRUE(first);
    const auto again = insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(5), "p-1"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), make_error_code(errc::duplicate_provider_id));

    auto other_channel = sms_from("+97699000001", "NIL ALT", at_ms(5), "p-1");
    other_channel.channel = "twilio";
    EXPECT_TRUE(insert_message(db, other_channel));
    EXPECT_TRUE(insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(6))));
    EXPECT_TRUE(insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(7)))); // NULL ids are distinct

    const auto found = find_message_by_provider_id(db, "kannel", "p-1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, *first);
    EXPECT_EQ(found->received_at, at_ms(0));
    EXPECT_FALSE(find_message_by_provider_id(db, "kannel", "p-2"));
}

TEST_F(records, the_schema_itself_rejects_a_second_row_with_the_same_provider_id)
{
    ASSERT_TRUE(insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(0), "p-1")));
    EXPECT_THROW(db.exec("INSERT INTO messages (kind, channel, provider_id, sender, recipient, text, received_at)"
                         " VALUES ('sms', 'kannel', 'p-1', '+97699000002', '+97699000999', 'x', 1)"),
                 SQLite::Exception);
}

TEST_F(records, the_duplicate_lookup_finds_the_first_accepted_original_with_the_key_within_the_window)
{
    const std::string sender = "+97699000001";
    const std::string key = "ID mn {\"site\":\"ALT\"}";
    message_outcome accepted{message_status::accepted, parser::form::id, {}, {}, {}, {}, key};
    const auto old = *insert_message(db, sms_from(sender, "ID ALT 2B 12 MINE", at_ms(0)));
    ASSERT_TRUE(set_message_outcome(db, old, accepted));
    // Refused (say the site was unknown until the registry was fixed): no original.
    const auto refused = *insert_message(db, sms_from(sender, "ID ALT 2B 12 MINE", at_ms(19 * 60'000)));
    ASSERT_TRUE(set_message_outcome(db, refused, {message_status::rejected, parser::form::id, "unknown_site", {}, {}, {}, key}));
    // Kept from a stranger: not processed, so no original either.
    const auto kept = *insert_message(db, sms_from(sender, "ID ALT 2B 12 MINE", at_ms(19 * 60'000 + 1)));
    ASSERT_TRUE(set_message_outcome(db, kept, {message_status::unregistered, {}, {}, {}, "register", "en", {}}));
    // The same report typed in Cyrillic: another text, the same key.
    const auto first = *insert_message(db, sms_from(sender, "ИД АЛТ 2 ХҮҮ 12 MINE", at_ms(20 * 60'000)));
    ASSERT_TRUE(set_message_outcome(db, first, accepted));
    const auto dup = *insert_message(db, sms_from(sender, "ID ALT 2B 12 MINE", at_ms(21 * 60'000)));
    ASSERT_TRUE(set_message_outcome(db, dup, {message_status::duplicate, parser::form::id, {}, first, {}, {}, key}));
    const auto now = *insert_message(db, sms_from(sender, "ID ALT 2B 12 MINE", at_ms(25 * 60'000)));

    const auto at = at_ms(25 * 60'000);
    const auto hit = find_processed_duplicate(db, sender, key, "ID ALT 2B 12 MINE", at - 10min, at, now);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, first); // not `old` (outside the window), `refused`, `kept` or `dup`, not itself
    EXPECT_EQ(hit->duplicate_key, key);
    // The kept message run again: the window reaches after it, to the report processed meanwhile.
    const auto kept_at = at_ms(19 * 60'000 + 1);
    const auto later = find_processed_duplicate(db, sender, key, "x", kept_at - 10min, kept_at + 10min, kept);
    ASSERT_TRUE(later);
    EXPECT_EQ(later->id, first) << "the report processed after it";
    EXPECT_FALSE(find_processed_duplicate(db, sender, key, "x", kept_at, kept_at + 10min, first))
        << "a message is no original of itself";

    EXPECT_FALSE(find_processed_duplicate(db, sender, "ID mn {}", "ID ALT 2B 12 MINE", at - 10min, at, now));
    EXPECT_FALSE(find_processed_duplicate(db, "+97699000002", key, "ID ALT 2B 12 MINE", at - 10min, at, now));
}

TEST_F(records, a_message_stored_before_keys_were_kept_is_an_original_by_its_raw_text)
{
    const std::string sender = "+97699000001";
    const auto before = *insert_message(db, sms_from(sender, "NIL ALT", at_ms(0)));
    ASSERT_TRUE(set_message_outcome(db, before, {message_status::accepted, parser::form::nil, {}, {}, {}, {}, {}}));
    const auto now = *insert_message(db, sms_from(sender, "NIL ALT", at_ms(60'000)));
    const auto hit = find_processed_duplicate(db, sender, "NIL en {}", "NIL ALT", at_ms(0), at_ms(60'000), now);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->id, before);
    EXPECT_FALSE(find_processed_duplicate(db, sender, "NIL en {}", "nil alt", at_ms(0), at_ms(60'000), now));
}

TEST_F(records, has_error_since_finds_a_phones_other_messages_with_that_error_answered_or_not)
{
    const std::string sender = "+97699000001";
    const auto answered = *insert_message(db, sms_from(sender, "ID ALT 1B 12 MINE", at_ms(0)));
    ASSERT_TRUE(set_message_outcome(
        db, answered, {message_status::rejected, parser::form::id, "too_many_cases", {}, "ID: you reported ...", "en", {}}));
    const auto silent = *insert_message(db, sms_from(sender, "ID ALT 2B 12 MINE", at_ms(60'000)));
    ASSERT_TRUE(set_message_outcome(db, silent, {message_status::rejected, parser::form::id, "too_many_cases", {}, "", "en", {}}));

    EXPECT_TRUE(has_error_since(db, sender, "too_many_cases", at_ms(0), silent, true));
    EXPECT_FALSE(has_error_since(db, sender, "too_many_cases", at_ms(1), silent, true)) << "the answered one is older";
    EXPECT_TRUE(has_error_since(db, sender, "too_many_cases", at_ms(1), answered, false)) << "the silent one";
    EXPECT_FALSE(has_error_since(db, sender, "too_many_cases", at_ms(1), silent, false)) << "only itself";
    EXPECT_FALSE(has_error_since(db, sender, "unknown_site", at_ms(0), 0, false));
    EXPECT_FALSE(has_error_since(db, "+97699000002", "too_many_cases", at_ms(0), 0, false));
}

TEST_F(records, an_outcome_is_written_and_read_back)
{
    const auto id = *insert_message(db, sms_from("+97699000001", "ID ALX", at_ms(0)));
    EXPECT_EQ(find_message(db, id)->status, message_status::received);
    const message_outcome o{message_status::rejected, parser::form::id, "unknown_site", std::nullopt,
                            "ID: unknown site ALX. Did you mean ALT?", "en", {}};
    ASSERT_TRUE(set_message_outcome(db, id, o));
    const auto m = find_message(db, id);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->status, message_status::rejected);
    EXPECT_EQ(m->form, parser::form::id);
    EXPECT_EQ(m->error_code, "unknown_site");
    EXPECT_EQ(m->reply, o.reply);
    EXPECT_EQ(m->reply_lang, "en");
    EXPECT_FALSE(m->duplicate_of);

    const auto missing = set_message_outcome(db, id + 100, o);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), make_error_code(errc::unknown_message));
}

TEST_F(records, an_id_report_becomes_an_event_with_its_fields)
{
    const auto msg = *insert_message(db, sms_from("+97699000001", "ID ALT 2B1G 12 MINE SHAFT", at_ms(0)));
    auto report = id_report("ALT", 2, 1, 12, "MINE", {"SHAFT", "NIGHT"});
    report.note = "near the pit";
    const auto event_id = insert_event(db, make_event(report, msg, "+97699000001", at_ms(0)));
    const auto events = events_of_message(db, msg);
    ASSERT_EQ(events.size(), 1u);
    const event_record& e = events[0];
    EXPECT_EQ(e.id, event_id);
    EXPECT_EQ(e.form, parser::form::id);
    EXPECT_EQ(e.site, "ALT");
    EXPECT_EQ(e.boys, 2);
    EXPECT_EQ(e.girls, 1);
    EXPECT_EQ(e.unknown, 0);
    EXPECT_EQ(e.age_min, 12);
    EXPECT_EQ(e.work, "MINE");
    EXPECT_EQ(e.hazards, (std::vector<std::string>{"SHAFT", "NIGHT"}));
    EXPECT_EQ(e.note, "near the pit");
    EXPECT_TRUE(e.urgent);
    EXPECT_FALSE(e.sensitive);
    EXPECT_FALSE(e.case_code);
}

TEST_F(records, a_case_event_takes_its_site_from_the_case)
{
    const auto msg = *insert_message(db, sms_from("+97699000001", "ID ALT B 12 MINE", at_ms(0)));
    const auto report = id_report("ALT", 1, 0, 12, "MINE", {});
    const auto ev = insert_event(db, make_event(report, msg, "+97699000001", at_ms(0)));
    const auto codes = open_cases(db, make_case_opening(report, ev, msg, "+97699000001", at_ms(0)));
    ASSERT_TRUE(codes);

    parser::sms_message tr;
    tr.kind = parser::form::tr;
    tr.body = parser::tracking{codes->front(), "NFE", "NFE", std::nullopt, {"NFE"}};
    const auto msg2 = *insert_message(db, sms_from("+97699000001", "TR " + codes->front() + " NFE", at_ms(1)));
    insert_event(db, make_event(tr, msg2, "+97699000001", at_ms(1)));
    const auto events = events_of_message(db, msg2);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].site, "ALT");
    EXPECT_EQ(events[0].case_code, codes->front());
    EXPECT_EQ(events[0].status, "NFE");
    EXPECT_TRUE(events[0].hazards.empty());
}

TEST_F(records, exports_return_rows_in_the_range_oldest_first)
{
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(*insert_message(db, sms_from("+97699000001", "NIL ALT", at_ms(i * 1000))));
    for (int i = 0; i < 5; ++i) {
        parser::sms_message nil;
        nil.kind = parser::form::nil;
        nil.body = parser::nil_visit{"ALT"};
        insert_event(db, make_event(nil, ids[static_cast<std::size_t>(i)], "+97699000001", at_ms(i * 1000)));
    }
    const auto msgs = export_messages(db, {at_ms(1000), at_ms(4000)});
    ASSERT_EQ(msgs.size(), 3u);
    EXPECT_EQ(msgs.front().id, ids[1]);
    EXPECT_EQ(msgs.back().id, ids[3]);
    EXPECT_EQ(export_messages(db, {}).size(), 5u);
    const auto events = export_events(db, {at_ms(3000), std::nullopt});
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].message_id, ids[3]);
}

TEST(codes, join_and_split_round_trip)
{
    const std::vector<std::string> codes{"SHAFT", "HURT", "ALONE"};
    EXPECT_EQ(join_codes(codes), "SHAFT HURT ALONE");
    EXPECT_EQ(split_codes("SHAFT HURT ALONE"), codes);
    EXPECT_TRUE(split_codes("").empty());
    EXPECT_EQ(split_codes("  A  B "), (std::vector<std::string>{"A", "B"}));
}

} // namespace
} // namespace kharuul::store
