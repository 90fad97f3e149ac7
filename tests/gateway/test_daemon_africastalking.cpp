// The Africa's Talking channel through the real daemon (the demo configuration, its
// `africastalking` channel pointed at a loopback stand-in for their messaging API): an SMS
// callback is stored and answered at once; its reply, which their callback cannot carry, goes out
// as an outbox row through the same channel to their messaging API; their retry of the same id
// queues nothing more; and their delivery reports move the outbox row.
#include "adapters/http_input.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"
#include "tests/integration/loopback_http.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace kharuul::gateway {
namespace {

using namespace std::chrono_literals;
using testing::running_gateway;

const std::string volunteer = "+97699000001"; // registered at ALT in config/demo.toml
const std::string secret = "demo-at-secret";  // the demo's africastalking channel

// Their messaging API: records each POST; answers 201 with a messageId "ATXid_out_<n>" once the
// test opens the gate (so that the test can see the callback answered while the send waits).
class messaging_api {
public:
    std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/version1/messaging"; }

    void open_gate() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        changed_.notify_all();
    }

    // Waits until at least `n` requests arrived; returns them all.
    std::vector<integration::http_request> wait_for(std::size_t n, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
        return requests_;
    }

    std::size_t count() {
        std::lock_guard lock(mutex_);
        return requests_.size();
    }

private:
    integration::http_response handle(const integration::http_request& req) {
        std::unique_lock lock(mutex_);
        requests_.push_back(req);
        const auto n = requests_.size();
        changed_.notify_all();
        changed_.wait_for(lock, 10s, [&] { return open_; });
        return integration::text_response(
            R"({"SMSMessageData":{"Message":"Sent to 1/1 Total Cost: KES 0.8000","Recipients":[{"statusCode":101,)"
            R"("number":"+97699000001","status":"Success","cost":"KES 0.8000","messageId":"ATXid_out_)" +
                std::to_string(n) + R"("}]}})",
            integration::http::status::created, "application/json");
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    bool open_ = false;
    std::vector<integration::http_request> requests_;
    integration::loopback_http_server server_{[this](const integration::http_request& r) { return handle(r); }};
};

// The value of `key` in a form body, decoded.
std::string form_value(const std::string& body, std::string_view key) {
    const auto f = adapters::form_fields::parse(body);
    if (!f)
        return "(not a form)";
    return f->get(key).value_or("(absent)");
}

class africastalking_daemon : public ::testing::Test {
protected:
    messaging_api api;
    running_gateway g{"africastalking", false, [this](config::gateway_config& c) {
                          for (auto& ch : c.channels)
                              if (ch.name == "africastalking")
                                  ch.send_url = api.url();
                      }};

    ~africastalking_daemon() override { api.open_gate(); } // the daemon must not stop on a held send

    testing::http_reply sms_callback(const std::string& id, const std::string& text) {
        const std::string body = "linkId=SampleLinkId123&text=" + testing::form_encode(text) +
                                 "&to=28901&id=" + id + "&date=2024-05-01T08%3A34%3A18.445Z&from=" +
                                 testing::form_encode(volunteer);
        return testing::http_post(g.port(), "/channels/africastalking/receive?secret=" + secret, body);
    }

    std::vector<store::outbox_record> replies() {
        std::vector<store::outbox_record> out;
        for (auto& r : store::export_outbox(g.db(), {}))
            if (r.kind == store::outbox_kind::reply)
                out.push_back(std::move(r));
        return out;
    }

    // Polls the store (the daemon writes from its own thread) until `ok` holds for the reply row.
    store::outbox_record reply_row_when(const std::function<bool(const store::outbox_record&)>& ok) {
        std::vector<store::outbox_record> rows;
        for (int i = 0; i < 200; ++i) {
            rows = replies();
            if (rows.size() == 1 && ok(rows[0]))
                break;
            std::this_thread::sleep_for(25ms);
        }
        EXPECT_EQ(rows.size(), 1u);
        return rows.empty() ? store::outbox_record{} : rows[0];
    }

    static std::int64_t stored_id(const testing::http_reply& r) {
        const std::string prefix = "stored message ";
        if (r.body.rfind(prefix, 0) != 0)
            return 0;
        return std::stoll(r.body.substr(prefix.size()));
    }
};

TEST_F(africastalking_daemon, an_sms_callback_is_stored_answered_at_once_and_its_reply_goes_out_through_the_channel) {
    // Their messaging API holds its answer: the callback must be answered without waiting for it.
    const auto answer = sms_callback("ATXid_in_1", "ID ALT 2B 12 MINE");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.content_type, "text/plain; charset=utf-8");
    const std::int64_t id = stored_id(answer);
    ASSERT_GT(id, 0) << answer.body;
    EXPECT_EQ(answer.body, "stored message " + std::to_string(id) + ": accepted\n");

    const auto msg = store::find_message(g.db(), id);
    ASSERT_TRUE(msg);
    EXPECT_EQ(msg->channel, "africastalking");
    EXPECT_EQ(msg->provider_id, "ATXid_in_1");
    EXPECT_EQ(msg->sender, volunteer);
    EXPECT_EQ(msg->text, "ID ALT 2B 12 MINE");
    ASSERT_TRUE(msg->reply);
    EXPECT_NE(msg->reply->find("ALT"), std::string::npos) << *msg->reply;

    // The reply was queued with the message, for the channel it came in on.
    const auto queued = replies();
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].channel, "africastalking");
    EXPECT_EQ(queued[0].recipient, volunteer);
    EXPECT_EQ(queued[0].message_id, id);
    EXPECT_EQ(queued[0].text, *msg->reply);
    // Answered before their API took it: the row cannot be sent while their answer is held.
    EXPECT_NE(queued[0].state, store::outbox_state::sent);

    // It reaches their messaging API as they document it.
    const auto sent = api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].method(), integration::http::verb::post);
    EXPECT_EQ(sent[0].target(), "/version1/messaging");
    EXPECT_EQ(sent[0]["apiKey"], "demo-at-api-key");
    EXPECT_EQ(form_value(sent[0].body(), "username"), "sandbox");
    EXPECT_EQ(form_value(sent[0].body(), "to"), volunteer);
    EXPECT_EQ(form_value(sent[0].body(), "message"), *msg->reply);

    api.open_gate();
    const auto row = reply_row_when([](const auto& r) { return r.state == store::outbox_state::sent; });
    EXPECT_EQ(row.state, store::outbox_state::sent);
    EXPECT_EQ(row.provider_id, "ATXid_out_1");
}

TEST_F(africastalking_daemon, their_retry_of_the_same_id_is_answered_as_before_and_queues_no_second_reply) {
    api.open_gate();
    const auto first = sms_callback("ATXid_in_2", "NIL ALT");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto again = sms_callback("ATXid_in_2", "NIL ALT");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(stored_id(again), stored_id(first));
    // The reply is queued in the job that answers: after the answer, the outbox is final.
    EXPECT_EQ(replies().size(), 1u);
    const auto row = reply_row_when([](const auto& r) { return r.state == store::outbox_state::sent; });
    EXPECT_EQ(row.state, store::outbox_state::sent);
    EXPECT_EQ(api.count(), 1u);
}

TEST_F(africastalking_daemon, a_callback_without_the_secret_is_refused_and_queues_nothing) {
    const auto r = testing::http_post(g.port(), "/channels/africastalking/receive?secret=wrong",
                                      "from=%2B97699000001&to=28901&text=NIL+ALT&id=ATXid_in_3");
    EXPECT_EQ(r.status, 401);
    EXPECT_TRUE(replies().empty());
    EXPECT_FALSE(store::find_message_by_provider_id(g.db(), "africastalking", "ATXid_in_3"));
}

TEST_F(africastalking_daemon, their_delivery_reports_move_the_reply_through_sent_to_delivered) {
    api.open_gate();
    ASSERT_EQ(sms_callback("ATXid_in_4", "NIL ALT").status, 200);
    const auto sent = reply_row_when([](const auto& r) { return r.state == store::outbox_state::sent; });
    ASSERT_EQ(sent.provider_id, "ATXid_out_1");

    const auto report = [&](const std::string& body) {
        return testing::http_post(g.port(), "/channels/africastalking/status?secret=" + secret, body).status;
    };
    EXPECT_EQ(report("id=ATXid_out_1&status=Buffered&phoneNumber=%2B97699000001&networkCode=42899"), 200);
    EXPECT_EQ(store::find_outbox(g.db(), sent.id)->state, store::outbox_state::sent) << "Buffered: they hold it";
    EXPECT_EQ(report("id=ATXid_out_1&status=Success&phoneNumber=%2B97699000001&networkCode=42899&retryCount=0"),
              200);
    const auto delivered = store::find_outbox(g.db(), sent.id);
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivered->state, store::outbox_state::delivered);
    EXPECT_TRUE(delivered->delivered_at);
    const auto attempts = store::outbox_attempts(g.db(), sent.id);
    ASSERT_FALSE(attempts.empty());
    EXPECT_EQ(attempts.back().outcome, "delivered");
    EXPECT_EQ(attempts.back().detail, "Success, network 42899");

    // A report naming nothing we sent is acknowledged (they must not retry it forever).
    EXPECT_EQ(report("id=ATXid_unknown&status=Failed&failureReason=UserInBlacklist"), 200);
    EXPECT_EQ(report("id=ATXid_out_1&status=Delivered"), 400);
    EXPECT_EQ(testing::http_post(g.port(), "/channels/africastalking/status?secret=wrong",
                                 "id=ATXid_out_1&status=Failed")
                  .status,
              401);
    EXPECT_EQ(store::find_outbox(g.db(), sent.id)->state, store::outbox_state::delivered);
}

TEST_F(africastalking_daemon, a_failed_report_marks_the_reply_failed_with_their_reason) {
    api.open_gate();
    ASSERT_EQ(sms_callback("ATXid_in_5", "NIL ALT").status, 200);
    const auto sent = reply_row_when([](const auto& r) { return r.state == store::outbox_state::sent; });
    ASSERT_EQ(testing::http_post(g.port(), "/channels/africastalking/status?secret=" + secret,
                                 "id=ATXid_out_1&status=Rejected&failureReason=InsufficientCredit")
                  .status,
              200);
    const auto failed = store::find_outbox(g.db(), sent.id);
    ASSERT_TRUE(failed);
    EXPECT_EQ(failed->state, store::outbox_state::failed);
    EXPECT_EQ(failed->last_error, "Rejected: InsufficientCredit");
}

} // namespace
} // namespace kharuul::gateway
