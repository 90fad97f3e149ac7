// The gateway behind a real Kannel (Debian's bearerbox and smsbox on loopback): a phone sends an
// SMS to the fake network, Kannel delivers it to the gateway's kannel channel through get-url, the
// gateway stores and answers, and the answer reaches the phone through Kannel.
#include "store/cases.hpp"
#include "store/message_log.hpp"
#include "store/records.hpp"
#include "tests/integration/kannel_peer.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <gtest/gtest.h>

namespace kharuul::integration {
namespace {

using namespace std::chrono_literals;

const std::string volunteer = "+97699000001"; // reports at ALT, replies in Mongolian (demo.toml)

kannel_peer_options options(std::string get_url) {
    kannel_peer_options o;
    o.get_url = std::move(get_url);
    return o;
}

std::string get_url(unsigned short port) {
    return "http://127.0.0.1:" + std::to_string(port) +
           "/channels/kannel/receive?secret=demo-kannel-secret&from=%p&to=%P&text=%a&id=%I&time=%t&coding=%c"
           "&charset=%C&smsc=%i";
}

auto to(const std::string& phone) {
    return [phone](const mt_message& m) { return m.to == phone; };
}

TEST(kannel_gateway, a_report_through_kannel_is_stored_and_the_reply_reaches_the_phone_in_cyrillic) {
    testing::running_gateway g("kannel-id");
    kannel_peer kannel(options(get_url(g.port())));
    ASSERT_TRUE(kannel.send_mo(volunteer, "500", "ID ALT 2B 12 MINE SHAFT"));
    auto mt = kannel.wait_for_mt(to(volunteer), 15s);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->coding, 2) << mt->target; // Cyrillic needs UCS-2, or the phone gets '?'
    EXPECT_TRUE(mt->text.starts_with("ID OK: 2 хүү ~12 уурхай")) << mt->text;
    const auto codes = store::cases_reported_by(g.db(), volunteer);
    ASSERT_EQ(codes.size(), 2u);
    for (const auto& c : codes)
        EXPECT_NE(mt->text.find(c), std::string::npos) << mt->text;
    auto msgs = store::query_messages(g.db(), {});
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].channel, "kannel");
    EXPECT_EQ(msgs[0].sender, volunteer);
    EXPECT_TRUE(msgs[0].provider_id.has_value()); // Kannel's id, so a redelivery is recognised
}

TEST(kannel_gateway, a_cyrillic_message_from_a_handset_is_stored_as_typed) {
    testing::running_gateway g("kannel-cyrillic");
    kannel_peer kannel(options(get_url(g.port())));
    const std::string text = "ИД АLТ 1 ХҮҮ 11 нас CARRY LOAD";
    ASSERT_TRUE(kannel.send_mo(volunteer, "500", text, kannel_peer::mo_coding::ucs2));
    auto mt = kannel.wait_for_mt(to(volunteer), 15s);
    ASSERT_TRUE(mt) << kannel.log_tail();
    auto msgs = store::query_messages(g.db(), {});
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].text, text);
    EXPECT_EQ(msgs[0].status, store::message_status::accepted);
    EXPECT_EQ(store::cases_reported_by(g.db(), volunteer).size(), 1u);
}

TEST(kannel_gateway, an_english_reply_goes_out_as_plain_text) {
    testing::running_gateway g("kannel-en", false, [](config::gateway_config& c) {
        for (auto& r : c.reporters)
            if (r.phone == volunteer)
                r.lang = parser::reply_language::en;
    });
    kannel_peer kannel(options(get_url(g.port())));
    ASSERT_TRUE(kannel.send_mo(volunteer, "500", "NIL ALT"));
    auto mt = kannel.wait_for_mt(to(volunteer), 15s);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, "NIL ok: ALT visit recorded.");
}

TEST(kannel_gateway, a_message_sent_while_the_gateway_is_down_arrives_once_it_is_back) {
    testing::running_gateway g("kannel-down");
    kannel_peer_options retrying = options(get_url(g.port()));
    retrying.http_request_retry = 10;
    retrying.http_queue_delay_seconds = 1;
    kannel_peer kannel(retrying);
    g.stop();
    ASSERT_TRUE(kannel.send_mo(volunteer, "500", "NIL ALT # while down"));
    std::this_thread::sleep_for(1500ms);
    EXPECT_FALSE(kannel.wait_for_mt(to(volunteer), 100ms));
    g.start(); // the same store, the same port
    auto mt = kannel.wait_for_mt(to(volunteer), 20s);
    ASSERT_TRUE(mt) << kannel.log_tail();
    auto msgs = store::query_messages(g.db(), {});
    ASSERT_EQ(msgs.size(), 1u);
    EXPECT_EQ(msgs[0].text, "NIL ALT # while down");
}

} // namespace
} // namespace kharuul::integration
