// Self-test of the real-Kannel peer, and the record of how Kannel 1.4.5 encodes text on each leg
// (the facts listed in kannel_peer.hpp): a small HTTP server stands in for the gateway at the
// sms-service's get-url and at the dlr-url, answering "got: <text>".
#include "tests/integration/kannel_peer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace kharuul::integration {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view secret = "s3cret";
constexpr auto wait = 8s;

// Stands in for the gateway: `/channels/kannel/receive` (get-url) records the query and answers
// 200 text/plain "got: <text>" with the text decoded per `charset`; `/channels/kannel/status`
// (dlr-url) records the query and answers 200.
class gateway_stand_in {
public:
    std::atomic<bool> reply_ucs2{false}; // add X-Kannel-Coding: 2 to replies

    std::string get_url() const {
        return "http://127.0.0.1:" + std::to_string(server_.port()) +
               "/channels/kannel/receive?secret=" + std::string(secret) +
               "&from=%p&to=%P&text=%a&id=%I&time=%t&coding=%c&charset=%C&smsc=%i";
    }

    std::string dlr_url(std::string_view ref) const {
        return "http://127.0.0.1:" + std::to_string(server_.port()) +
               "/channels/kannel/status?secret=" + std::string(secret) + "&ref=" + std::string(ref) +
               "&status=%d&answer=%A&to=%p";
    }

    // The first get-url call whose `text`, decoded, equals `text`.
    std::optional<query_params> wait_for_mo(std::string_view text, std::chrono::milliseconds timeout) {
        return wait_in(
            mo_, [&](const query_params& q) { return decoded_text(q) == text; }, timeout);
    }
    std::optional<query_params> wait_for_mo_from(std::string_view from, std::chrono::milliseconds timeout) {
        return wait_in(
            mo_, [&](const query_params& q) { return query_value(q, "from") == from; }, timeout);
    }
    std::optional<query_params> wait_for_dlr(std::string_view ref, std::string_view status,
                                             std::chrono::milliseconds timeout) {
        return wait_in(
            dlr_,
            [&](const query_params& q) {
                return query_value(q, "ref") == ref && query_value(q, "status") == status;
            },
            timeout);
    }
    std::size_t mo_count() {
        std::lock_guard lock(mutex_);
        return mo_.size();
    }

    static std::string decoded_text(const query_params& q) {
        auto text = query_value(q, "text").value_or("");
        return query_value(q, "charset") == "UTF-16BE" ? utf16be_to_utf8(text) : text;
    }

private:
    std::optional<query_params> wait_in(std::vector<query_params>& list,
                                        const std::function<bool(const query_params&)>& pred,
                                        std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        std::optional<query_params> found;
        changed_.wait_for(lock, timeout, [&] {
            for (const auto& q : list)
                if (pred(q)) {
                    found = q;
                    return true;
                }
            return false;
        });
        return found;
    }

    http_response handle(const http_request& req) {
        std::string_view target(req.target().data(), req.target().size());
        auto q = parse_query(target);
        if (query_value(q, "secret") != secret)
            return text_response("no secret", http::status::unauthorized);
        auto path = target_path(target);
        if (path == "/channels/kannel/status") {
            {
                std::lock_guard lock(mutex_);
                dlr_.push_back(q);
            }
            changed_.notify_all();
            return text_response("ok");
        }
        if (path != "/channels/kannel/receive")
            return text_response("not found", http::status::not_found);
        {
            std::lock_guard lock(mutex_);
            mo_.push_back(q);
        }
        changed_.notify_all();
        auto res = text_response("got: " + decoded_text(q), http::status::ok, "text/plain; charset=utf-8");
        if (reply_ucs2)
            res.set("X-Kannel-Coding", "2");
        return res;
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<query_params> mo_;
    std::vector<query_params> dlr_;
    loopback_http_server server_{[this](const http_request& req) { return handle(req); }}; // last
};

kannel_peer_options options_for(const gateway_stand_in& gw) {
    kannel_peer_options o;
    o.get_url = gw.get_url();
    return o;
}

auto mt_to(std::string_view to) {
    return [to = std::string(to)](const mt_message& mt) { return mt.to == to; };
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

const std::string cyrillic = "ИД АLТ 1 ХҮҮ 11 нас"; // Cyrillic А and Т around a Latin L

TEST(utf16be, round_trips_cyrillic_and_astral_text) {
    std::string text = cyrillic + " \xF0\x9F\x98\x80"; // U+1F600 needs a surrogate pair
    std::string bytes = utf8_to_utf16be(text);
    EXPECT_EQ(hex(bytes.substr(0, 6)), "041804140020");
    EXPECT_EQ(hex(bytes.substr(bytes.size() - 4)), "d83dde00");
    EXPECT_EQ(utf16be_to_utf8(bytes), text);
    EXPECT_EQ(utf16be_to_utf8(std::string("\x04\x20\x04", 3)), "Р\xEF\xBF\xBD"); // odd byte: U+FFFD
}

TEST(query, parses_what_kannel_writes_and_round_trips_binary_values) {
    auto q = parse_query("/mo?from=%2B97699000001&text=ID+ALT+2B&time=2026-01-01+10:00:00&empty=&flag");
    EXPECT_EQ(query_value(q, "from"), "+97699000001");
    EXPECT_EQ(query_value(q, "text"), "ID ALT 2B");
    EXPECT_EQ(query_value(q, "time"), "2026-01-01 10:00:00");
    EXPECT_EQ(query_value(q, "empty"), "");
    EXPECT_EQ(query_value(q, "flag"), "");
    std::string binary("\x00 +&%\x04\x20", 7);
    EXPECT_EQ(query_value(parse_query("?" + make_query({{"t", binary}})), "t"), binary);
}

TEST(kannel_peer, ascii_message_reaches_get_url_and_reply_reaches_phone) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));

    ASSERT_TRUE(kannel.send_mo("+97699000001", "500", "ID ALT 2B 12 MINE")) << kannel.log_tail();

    auto mo = gw.wait_for_mo("ID ALT 2B 12 MINE", wait);
    ASSERT_TRUE(mo) << kannel.log_tail();
    EXPECT_EQ(query_value(*mo, "from"), "+97699000001");
    EXPECT_EQ(query_value(*mo, "to"), "500");
    EXPECT_EQ(query_value(*mo, "id").value_or("").size(), 36u); // Kannel's message UUID
    EXPECT_EQ(query_value(*mo, "coding"), "-1");                // sent without `coding`: undefined
    EXPECT_EQ(query_value(*mo, "charset"), "UTF-8");
    EXPECT_EQ(query_value(*mo, "smsc"), "fake");
    EXPECT_EQ(query_value(*mo, "time").value_or("").size(), 19u); // "YYYY-MM-DD hh:mm:ss"

    auto mt = kannel.wait_for_mt(mt_to("+97699000001"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, "got: ID ALT 2B 12 MINE");
    EXPECT_EQ(mt->from, "500");
    EXPECT_EQ(mt->coding, 0);
    EXPECT_EQ(mt->charset, "UTF-8");
    EXPECT_EQ(mt->smsc, "fake");
    EXPECT_EQ(mt->dlr_mask, 0);

    // %a joins the message's words with '+': runs of spaces collapse, leading/trailing ones go.
    ASSERT_TRUE(kannel.send_mo("+97699000002", "500", " HELP  ALT "));
    mo = gw.wait_for_mo_from("+97699000002", wait);
    ASSERT_TRUE(mo) << kannel.log_tail();
    EXPECT_EQ(query_value(*mo, "text"), "HELP ALT");
}

// Without mo-recode (Kannel's default) a UCS-2 message reaches the get-url as UTF-16BE bytes with
// coding=2&charset=UTF-16BE. A UTF-8 reply stays Cyrillic only with X-Kannel-Coding: 2.
TEST(kannel_peer, ucs2_cyrillic_reaches_get_url_as_utf16be_without_mo_recode) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));

    gw.reply_ucs2 = true;
    ASSERT_TRUE(kannel.send_mo("+97699000001", "500", cyrillic)) << kannel.log_tail();
    auto mo = gw.wait_for_mo(cyrillic, wait);
    ASSERT_TRUE(mo) << kannel.log_tail();
    EXPECT_EQ(query_value(*mo, "text"), utf8_to_utf16be(cyrillic));
    EXPECT_EQ(query_value(*mo, "coding"), "2");
    EXPECT_EQ(query_value(*mo, "charset"), "UTF-16BE");
    auto mt = kannel.wait_for_mt(mt_to("+97699000001"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, "got: " + cyrillic);
    EXPECT_EQ(mt->raw_text, utf8_to_utf16be("got: " + cyrillic));
    EXPECT_EQ(mt->coding, 2);
    EXPECT_EQ(mt->charset, "UTF-16BE");

    // The same reply without X-Kannel-Coding goes out as GSM: every Cyrillic letter becomes '?'.
    gw.reply_ucs2 = false;
    ASSERT_TRUE(kannel.send_mo("+97699000002", "500", cyrillic));
    mt = kannel.wait_for_mt(mt_to("+97699000002"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->coding, 0);
    EXPECT_EQ(mt->charset, "UTF-8");
    EXPECT_EQ(mt->text, "got: ?? ?L? 1 ??? 11 ???");

    // %a splits the message at whitespace *bytes*: 'Р' is 04 20, so a final 'Р' loses its 0x20.
    ASSERT_TRUE(kannel.send_mo("+97699000003", "500", "ХҮҮ ТОР"));
    mo = gw.wait_for_mo_from("+97699000003", wait);
    ASSERT_TRUE(mo) << kannel.log_tail();
    EXPECT_EQ(hex(query_value(*mo, "text").value_or("")), "042504ae04ae00200422041e04");
}

// With mo-recode smsbox turns UCS-2 into UTF-8 before the get-url: coding=0&charset=UTF-8.
TEST(kannel_peer, ucs2_cyrillic_reaches_get_url_as_utf8_with_mo_recode) {
    gateway_stand_in gw;
    auto options = options_for(gw);
    options.mo_recode = true;
    kannel_peer kannel(options);

    gw.reply_ucs2 = true;
    ASSERT_TRUE(kannel.send_mo("+97699000001", "500", cyrillic + " ТОР")) << kannel.log_tail();
    auto mo = gw.wait_for_mo(cyrillic + " ТОР", wait);
    ASSERT_TRUE(mo) << kannel.log_tail();
    EXPECT_EQ(query_value(*mo, "text"), cyrillic + " ТОР");
    EXPECT_EQ(query_value(*mo, "coding"), "0");
    EXPECT_EQ(query_value(*mo, "charset"), "UTF-8");
    auto mt = kannel.wait_for_mt(mt_to("+97699000001"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, "got: " + cyrillic + " ТОР");
    EXPECT_EQ(mt->coding, 2);
}

// X-Kannel-Coding without accept-x-kannel-headers: smsbox converts the body to UTF-16BE but sends
// it as GSM, so the phone gets garbage. The gateway must not rely on the header blindly.
TEST(kannel_peer, x_kannel_coding_without_accept_x_kannel_headers_garbles_the_reply) {
    gateway_stand_in gw;
    auto options = options_for(gw);
    options.accept_x_kannel_headers = false;
    kannel_peer kannel(options);

    gw.reply_ucs2 = true;
    ASSERT_TRUE(kannel.send_mo("+97699000001", "500", "HELP")) << kannel.log_tail();
    auto mt = kannel.wait_for_mt(mt_to("+97699000001"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->coding, 0);
    EXPECT_EQ(mt->text, "?g?o?t?:? ?H?E?L?P");
}

TEST(kannel_peer, sendsms_reaches_phone_and_delivery_reports_reach_dlr_url) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));

    // Mask 1 (delivered) + 8 (SMSC accepted): bearerbox reports 8, the network reports 1.
    auto answer = kannel.sendsms("+97699000101", "ALERT ALT 2B 12", 9, gw.dlr_url("a1"), std::nullopt, "500");
    ASSERT_TRUE(answer) << kannel.log_tail();
    EXPECT_EQ(answer->status, 202u);
    EXPECT_EQ(answer->body, "0: Accepted for delivery");
    auto mt = kannel.wait_for_mt(mt_to("+97699000101"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, "ALERT ALT 2B 12");
    EXPECT_EQ(mt->from, "500");
    EXPECT_EQ(mt->dlr_mask, 9);
    EXPECT_EQ(mt->dlr_mid.size(), 36u);
    EXPECT_TRUE(gw.wait_for_dlr("a1", "8", wait)) << kannel.log_tail();
    auto delivered = gw.wait_for_dlr("a1", "1", wait);
    ASSERT_TRUE(delivered) << kannel.log_tail();
    EXPECT_EQ(query_value(*delivered, "to"), "+97699000101");
    EXPECT_EQ(query_value(*delivered, "answer"), "id:" + mt->dlr_mid + " stat:DELIVRD");
    auto report =
        kannel.wait_for_report([&](const sent_report& r) { return r.dlr_mid == mt->dlr_mid; }, wait);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->answer, "Sent.");

    // Cyrillic with coding=2 goes out as UCS-2; with reports off only bearerbox's 8 comes back.
    kannel.deliver_reports(false);
    answer = kannel.sendsms("+97699000102", "ХҮҮ ALT", 9, gw.dlr_url("a2"), 2, "500");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 202u);
    mt = kannel.wait_for_mt(mt_to("+97699000102"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->text, "ХҮҮ ALT");
    EXPECT_EQ(mt->coding, 2);
    EXPECT_EQ(mt->charset, "UTF-16BE");
    EXPECT_TRUE(gw.wait_for_dlr("a2", "8", wait));
    EXPECT_FALSE(gw.wait_for_dlr("a2", "1", 700ms));

    // Cyrillic without coding goes out as GSM: '?'.
    answer = kannel.sendsms("+97699000103", "ХҮҮ ALT", 0, {}, std::nullopt, "500");
    ASSERT_TRUE(answer);
    mt = kannel.wait_for_mt(mt_to("+97699000103"), wait);
    ASSERT_TRUE(mt) << kannel.log_tail();
    EXPECT_EQ(mt->coding, 0);
    EXPECT_EQ(mt->text, "??? ALT");
}

TEST(kannel_peer, message_sent_while_smsbox_is_down_is_delivered_when_it_returns) {
    gateway_stand_in gw;
    kannel_peer kannel(options_for(gw));

    kannel.stop_smsbox();
    ASSERT_TRUE(kannel.send_mo("+97699000001", "500", "NIL ALT")) << kannel.log_tail(); // bearerbox stores it
    EXPECT_FALSE(gw.wait_for_mo("NIL ALT", 500ms));
    kannel.start_smsbox();
    EXPECT_TRUE(gw.wait_for_mo("NIL ALT", wait)) << kannel.log_tail();
    EXPECT_TRUE(kannel.wait_for_mt(mt_to("+97699000001"), wait)) << kannel.log_tail();

    // Whole restart: the same ports, and messages flow again.
    kannel.stop();
    EXPECT_FALSE(kannel.bearerbox_running());
    EXPECT_FALSE(kannel.send_mo("+97699000002", "500", "HELP"));
    kannel.start();
    ASSERT_TRUE(kannel.send_mo("+97699000002", "500", "HELP")) << kannel.log_tail();
    EXPECT_TRUE(kannel.wait_for_mt(mt_to("+97699000002"), wait)) << kannel.log_tail();
    EXPECT_EQ(gw.mo_count(), 2u); // no duplicate of the stored message after the restart
}

TEST(kannel_peer, box_that_cannot_start_is_reported_at_once) {
    gateway_stand_in gw;
    auto options = options_for(gw);
    options.bearerbox_path = "/nonexistent/bearerbox";
    // A start timeout far beyond ctest's: only the box's exit can end the wait in time, and the
    // error says it exited rather than that the time ran out.
    options.start_timeout = std::chrono::hours(1);
    try {
        kannel_peer peer{options};
        FAIL() << "a box that cannot start was taken as started";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("bearerbox exited while starting"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace kharuul::integration
