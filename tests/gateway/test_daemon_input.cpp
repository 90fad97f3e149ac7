// Hostile input through the real daemon over loopback and a real SQLite file (issue 9, items 11
// and 12): a sender that is no phone number and a field given twice are answered 400, counted,
// and store nothing; control characters in the text are stored as received, kept out of the
// parse and out of the reply.
#include "gateway/daemon.hpp"

#include "store/records.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <gtest/gtest.h>

#include <string>

namespace kharuul::gateway {
namespace {

namespace json = boost::json;
using testing::form_encode;
using testing::running_gateway;

const std::string volunteer = "+97699000001"; // reports at ALT (demo.toml)
const std::string generic_receive = "/channels/generic/receive?secret=demo-secret";
const std::string kannel_receive = "/channels/kannel/receive?secret=demo-kannel-secret";

std::int64_t stored_messages(running_gateway& g) {
    return g.db().execAndGet("SELECT COUNT(*) FROM messages").getInt64();
}

// The reason of a generic channel's JSON error answer.
std::string error_text(const testing::http_reply& r) {
    return json::value_to<std::string>(json::parse(r.body).at("error"));
}

std::string metric_line(running_gateway& g, const std::string& prefix) {
    const std::string body = testing::http_get(g.port(), "/metrics").body;
    const auto at = body.find(prefix);
    return at == std::string::npos ? std::string() : body.substr(at, body.find('\n', at) - at);
}

TEST(daemon_input, senders_that_are_no_phone_number_get_400_are_counted_and_store_nothing) {
    running_gateway g("input-from");
    const std::string refusals[] = {"ABCDEF", std::string(5000, '9'),
                                    std::string("+976") + '\0' + "99000001"};
    for (const std::string& from : refusals) {
        const auto r = g.post(from, "ID ALT 2B 12 MINE");
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(error_text(r), "field 'from' is not a phone number");
    }
    const auto k = testing::http_get(g.port(), kannel_receive + "&from=ABCDEF&text=NIL+ALT");
    EXPECT_EQ(k.status, 400) << k.body;
    EXPECT_EQ(k.body, "field 'from' is not a phone number\n");
    EXPECT_EQ(stored_messages(g), 0);
    EXPECT_EQ(metric_line(g, "kharuul_bad_requests_total{channel=\"generic\"}"),
              "kharuul_bad_requests_total{channel=\"generic\"} 3");
    EXPECT_EQ(metric_line(g, "kharuul_bad_requests_total{channel=\"kannel\"}"),
              "kharuul_bad_requests_total{channel=\"kannel\"} 1");
}

TEST(daemon_input, a_national_number_is_still_taken_in) {
    running_gateway g("input-national");
    const auto r = g.post("99000777", "HELP");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(stored_messages(g), 1);
}

TEST(daemon_input, a_control_character_after_the_keyword_parses_and_the_stored_text_keeps_it) {
    running_gateway g("input-control");
    const std::string text = "ID\x01 ALT 2B 12 MINE";
    const json::object o = g.send(volunteer, text);
    EXPECT_EQ(o.at("status"), "accepted");
    const auto m = store::find_message(g.db(), o.at("message_id").as_int64());
    ASSERT_TRUE(m);
    EXPECT_EQ(m->text, text);
    ASSERT_TRUE(m->form);
    EXPECT_EQ(*m->form, parser::form::id);
}

TEST(daemon_input, a_nul_in_the_text_is_stored_as_received_and_never_reaches_the_reply) {
    running_gateway g("input-nul");
    // An unknown keyword: the reply quotes the token as parsed.
    const std::string text("XY\0Z ALT", 8);
    const json::object o = g.send(volunteer, text);
    const std::string reply = json::value_to<std::string>(o.at("reply"));
    EXPECT_FALSE(reply.empty());
    EXPECT_EQ(reply.find('\0'), std::string::npos) << reply;
    EXPECT_NE(reply.find("XYZ"), std::string::npos) << reply;
    const auto m = store::find_message(g.db(), o.at("message_id").as_int64());
    ASSERT_TRUE(m);
    EXPECT_EQ(m->text, text);

    // Kannel sends the whole plain-text body as the reply SMS.
    const auto k = testing::http_get(g.port(), kannel_receive + "&from=%2B97699000001&text=QQ%00Q+ALT");
    EXPECT_EQ(k.status, 200) << k.body;
    EXPECT_FALSE(k.body.empty());
    EXPECT_EQ(k.body.find('\0'), std::string::npos) << k.body;
}

TEST(daemon_input, a_field_given_twice_gets_400_in_every_dialect_and_stores_nothing) {
    running_gateway g("input-repeat");
    const std::string reason = "field 'text' is given more than once";
    const auto form = testing::http_post(g.port(), generic_receive,
                                         "from=" + form_encode(volunteer) +
                                             "&text=NIL%20ALT&text=ID%20ALT%202B%2012%20MINE");
    EXPECT_EQ(form.status, 400) << form.body;
    EXPECT_EQ(error_text(form), reason);

    const auto body = R"({"from":"+97699000001","text":"NIL ALT","text":"ID ALT 2B 12 MINE"})";
    const auto js = testing::http_post(g.port(), generic_receive, body, "application/json");
    EXPECT_EQ(js.status, 400) << js.body;
    EXPECT_EQ(error_text(js), reason);

    const auto nested = R"({"from":"+97699000001","text":"NIL ALT","meta":{"k":1,"k":2}})";
    const auto jn = testing::http_post(g.port(), generic_receive, nested, "application/json");
    EXPECT_EQ(jn.status, 400) << jn.body;
    EXPECT_EQ(error_text(jn), "field 'k' is given more than once");

    const auto from_twice = testing::http_post(g.port(), generic_receive,
                                               "from=%2B97699000001&text=NIL%20ALT&from=%2B97699000101");
    EXPECT_EQ(from_twice.status, 400) << from_twice.body;
    EXPECT_EQ(error_text(from_twice), "field 'from' is given more than once");

    const auto k = testing::http_get(
        g.port(), kannel_receive + "&from=%2B97699000001&text=NIL+ALT&text=ID+ALT+2B+12+MINE");
    EXPECT_EQ(k.status, 400) << k.body;
    EXPECT_EQ(k.body, reason + "\n");

    EXPECT_EQ(stored_messages(g), 0);
    EXPECT_EQ(metric_line(g, "kharuul_bad_requests_total{channel=\"generic\"}"),
              "kharuul_bad_requests_total{channel=\"generic\"} 4");
}

} // namespace
} // namespace kharuul::gateway
