// session_fsm without sockets (style.md 15a): each rule of the bind driven by events with a fake
// clock, the actions it returns checked.
#include "adapters/smpp/session_fsm.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace kharuul::adapters::smpp;
using namespace std::chrono_literals;
using done_kind = action::submit_done::kind;

namespace {

session_settings test_settings() {
    session_settings s;
    s.credentials.system_id = "kharuul";
    s.credentials.password = "secret";
    s.window = 3;
    s.response_timeout = 10s;
    s.enquire_link = 30s;
    s.reconnect_min = 1s;
    s.reconnect_max = 8s;
    return s;
}

// The machine, a fake clock, and every action it returned since the last take().
struct harness {
    explicit harness(session_settings s = test_settings()) : fsm(std::move(s)) {}
    session_fsm fsm;
    time_point now{} ;
    std::vector<session_action> out;

    std::vector<session_action>& start() { out = fsm.start(now); return out; }
    std::vector<session_action>& on(const session_event& e) {
        auto a = fsm.handle(e, now);
        out.insert(out.end(), a.begin(), a.end());
        return out;
    }
    void advance(std::chrono::milliseconds d) { now += d; }
    std::vector<session_action> take() { return std::exchange(out, {}); }

    template <class A> std::vector<A> all() const {
        std::vector<A> r;
        for (auto& a : out)
            if (auto* p = std::get_if<A>(&a))
                r.push_back(*p);
        return r;
    }
    std::vector<pdu> sent(command c) const {
        std::vector<pdu> r;
        for (auto& s : all<action::send>())
            if (s.p.id == c)
                r.push_back(s.p);
        return r;
    }
    // Starts, connects, answers the bind: bound, actions cleared.
    void bind() {
        start();
        on(event::connected{});
        auto b = sent(command::bind_transceiver);
        if (b.empty())
            b = sent(command::bind_transmitter);
        if (b.empty())
            b = sent(command::bind_receiver);
        ASSERT_EQ(b.size(), 1u);
        on(event::received{pdu{response_of(b[0].id), status::ok, b[0].sequence, bind_resp_body{"SMSC"}, {}}});
        ASSERT_TRUE(fsm.bound());
        take();
    }
    void submit(submit_token t, std::chrono::milliseconds deadline = 60s) {
        sm_body sm;
        sm.destination_addr = "97699000" + std::to_string(100 + t);
        sm.short_message = "part " + std::to_string(t);
        on(event::submit{t, sm, {}, now + deadline});
    }
    void answer(const pdu& req, std::uint32_t st, std::string id = "") {
        on(event::received{pdu{response_of(req.id), st, req.sequence,
                               req.id == command::submit_sm ? body{message_id_body{std::move(id)}} : body{}, {}}});
    }
    // Fires the timer at the machine's deadline (when it has one before `until`).
    bool fire_until(time_point until) {
        auto d = fsm.next_deadline();
        if (!d || *d > until)
            return false;
        now = std::max(now, *d);
        on(event::timer{});
        return true;
    }
    std::optional<action::submit_done> outcome(submit_token t) const {
        for (auto& d : all<action::submit_done>())
            if (d.token == t)
                return d;
        return std::nullopt;
    }
};

} // namespace

TEST(session_fsm, starts_by_connecting_at_once_then_binds_with_the_credentials_on_connect) {
    harness h;
    auto& a = h.start();
    ASSERT_EQ(a.size(), 1u);
    EXPECT_EQ(std::get<action::connect>(a[0]).delay, 0ms);
    EXPECT_EQ(h.fsm.state(), session_state::connecting);
    h.take();
    h.on(event::connected{});
    auto b = h.sent(command::bind_transceiver);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(std::get<bind_body>(b[0].fields).system_id, "kharuul");
    EXPECT_EQ(std::get<bind_body>(b[0].fields).password, "secret");
    EXPECT_EQ(b[0].sequence, 1u);
    EXPECT_EQ(h.fsm.state(), session_state::binding);
}

TEST(session_fsm, each_role_binds_with_its_own_command) {
    const std::pair<session_role, command> table[] = {
        {session_role::transceiver, command::bind_transceiver},
        {session_role::transmitter, command::bind_transmitter},
        {session_role::receiver, command::bind_receiver},
    };
    for (auto [role, cmd] : table) {
        auto s = test_settings();
        s.role = role;
        harness h(s);
        h.start();
        h.on(event::connected{});
        EXPECT_EQ(h.sent(cmd).size(), 1u) << static_cast<int>(role);
    }
}

TEST(session_fsm, a_receiver_bind_refuses_submits_as_failed) {
    auto s = test_settings();
    s.role = session_role::receiver;
    harness h(s);
    h.bind();
    h.submit(1);
    ASSERT_TRUE(h.outcome(1));
    EXPECT_EQ(h.outcome(1)->what, done_kind::failed);
}

TEST(session_fsm, submits_requested_before_the_bind_go_out_once_bound_and_are_reported_accepted) {
    harness h;
    h.start();
    h.submit(1);
    EXPECT_TRUE(h.sent(command::submit_sm).empty());
    h.on(event::connected{});
    auto b = h.sent(command::bind_transceiver);
    h.take();
    h.answer(b[0], status::ok);
    auto bound = h.all<action::notice>();
    ASSERT_FALSE(bound.empty());
    EXPECT_EQ(bound[0].what, action::notice::kind::bound);
    auto s = h.sent(command::submit_sm);
    ASSERT_EQ(s.size(), 1u);
    EXPECT_EQ(std::get<sm_body>(s[0].fields).short_message, "part 1");
    h.take();
    h.answer(s[0], status::ok, "1A2B");
    ASSERT_TRUE(h.outcome(1));
    EXPECT_EQ(h.outcome(1)->what, done_kind::accepted);
    EXPECT_EQ(h.outcome(1)->message_id, "1A2B");
}

TEST(session_fsm, bind_refused_is_reported_and_retried_with_doubling_backoff_up_to_the_maximum) {
    harness h;
    h.start();
    std::vector<std::chrono::milliseconds> delays;
    for (int i = 0; i < 6; ++i) {
        h.take();
        h.on(event::connected{});
        auto b = h.sent(command::bind_transceiver);
        ASSERT_EQ(b.size(), 1u);
        h.take();
        h.answer(b[0], status::invalid_password);
        auto n = h.all<action::notice>();
        ASSERT_FALSE(n.empty());
        EXPECT_EQ(n[0].what, action::notice::kind::bind_refused);
        EXPECT_EQ(n[0].status, status::invalid_password);
        EXPECT_EQ(n[0].detail, "ESME_RINVPASWD");
        EXPECT_FALSE(h.all<action::close>().empty());
        auto c = h.all<action::connect>();
        ASSERT_EQ(c.size(), 1u);
        delays.push_back(c[0].delay);
    }
    EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{1s, 2s, 4s, 8s, 8s, 8s}));
    EXPECT_EQ(h.fsm.counters().bind_refusals, 6u);
}

TEST(session_fsm, failed_connects_back_off_and_a_bind_resets_the_backoff) {
    harness h;
    h.start();
    std::vector<std::chrono::milliseconds> delays;
    for (int i = 0; i < 3; ++i) {
        h.take();
        h.on(event::disconnected{});
        delays.push_back(h.all<action::connect>().at(0).delay);
    }
    EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{1s, 2s, 4s}));
    h.take();
    h.on(event::connected{});
    h.answer(h.sent(command::bind_transceiver).at(0), status::ok);
    h.take();
    h.on(event::disconnected{});
    EXPECT_EQ(h.all<action::connect>().at(0).delay, 1s);
    EXPECT_FALSE(h.all<action::notice>().empty());
    EXPECT_EQ(h.all<action::notice>()[0].what, action::notice::kind::unbound);
}

TEST(session_fsm, sequence_numbers_wrap_from_0x7fffffff_to_1) {
    auto s = test_settings();
    s.first_sequence = 0x7FFFFFFE;
    harness h(s);
    h.start();
    h.on(event::connected{});
    EXPECT_EQ(h.sent(command::bind_transceiver).at(0).sequence, 0x7FFFFFFEu);
    h.answer(h.sent(command::bind_transceiver).at(0), status::ok);
    h.take();
    h.submit(1);
    h.submit(2);
    auto subs = h.sent(command::submit_sm);
    ASSERT_EQ(subs.size(), 2u);
    EXPECT_EQ(subs[0].sequence, 0x7FFFFFFFu);
    EXPECT_EQ(subs[1].sequence, 1u);
}

TEST(session_fsm, responses_out_of_order_are_matched_by_sequence) {
    harness h;
    h.bind();
    h.submit(1);
    h.submit(2);
    h.submit(3);
    auto s = h.sent(command::submit_sm);
    ASSERT_EQ(s.size(), 3u);
    h.take();
    h.answer(s[2], status::ok, "c");
    h.answer(s[0], status::ok, "a");
    h.answer(s[1], status::invalid_dest);
    EXPECT_EQ(h.outcome(1)->message_id, "a");
    EXPECT_EQ(h.outcome(3)->message_id, "c");
    EXPECT_EQ(h.outcome(2)->what, done_kind::failed);
    EXPECT_EQ(h.outcome(2)->detail, "ESME_RINVDSTADR");
}

TEST(session_fsm, the_window_bounds_outstanding_submits_and_each_answer_lets_one_more_out) {
    harness h; // window 3
    h.bind();
    for (submit_token t = 1; t <= 5; ++t)
        h.submit(t);
    auto s = h.sent(command::submit_sm);
    EXPECT_EQ(s.size(), 3u);
    EXPECT_EQ(h.fsm.window_in_use(), 3u);
    EXPECT_EQ(h.fsm.queued(), 2u);
    h.take();
    h.answer(s[1], status::ok, "b");
    EXPECT_EQ(h.sent(command::submit_sm).size(), 1u);
    EXPECT_EQ(h.fsm.window_in_use(), 3u);
}

TEST(session_fsm, permanent_errors_fail_the_submit_and_temporary_ones_ask_for_a_retry) {
    const std::pair<std::uint32_t, done_kind> table[] = {
        {status::invalid_dest, done_kind::failed},      {0x0A, done_kind::failed}, // ESME_RINVSRCADR
        {status::invalid_length, done_kind::failed},    {0x66, done_kind::failed}, // ESME_RX_R_APPN
        {status::system_error, done_kind::retry},       {status::temporary_app_error, done_kind::retry},
        {0x45, done_kind::retry}, // ESME_RSUBMITFAIL
    };
    for (auto [st, kind] : table) {
        harness h;
        h.bind();
        h.submit(1);
        auto s = h.sent(command::submit_sm).at(0);
        h.take();
        h.answer(s, st);
        ASSERT_TRUE(h.outcome(1)) << status_name(st);
        EXPECT_EQ(h.outcome(1)->what, kind) << status_name(st);
        EXPECT_EQ(h.outcome(1)->status, st);
        EXPECT_TRUE(h.sent(command::submit_sm).empty()) << status_name(st);
    }
}

TEST(session_fsm, a_generic_nack_to_a_submit_fails_it) {
    harness h;
    h.bind();
    h.submit(1);
    auto s = h.sent(command::submit_sm).at(0);
    h.take();
    h.on(event::received{pdu{command::generic_nack, status::invalid_command_length, s.sequence, {}, {}}});
    EXPECT_EQ(h.outcome(1)->what, done_kind::failed);
}

TEST(session_fsm, throttled_and_queue_full_answers_resend_the_same_pdu_after_a_pause) {
    for (std::uint32_t st : {status::throttled, status::message_queue_full}) {
        harness h;
        h.bind();
        h.submit(1);
        auto first = h.sent(command::submit_sm).at(0);
        h.take();
        h.answer(first, st);
        EXPECT_FALSE(h.outcome(1)) << status_name(st);
        EXPECT_TRUE(h.sent(command::submit_sm).empty());
        EXPECT_EQ(h.all<action::notice>().at(0).what, action::notice::kind::throttled);
        EXPECT_EQ(*h.fsm.next_deadline(), h.now + 200ms);
        h.advance(199ms);
        h.on(event::timer{});
        EXPECT_TRUE(h.sent(command::submit_sm).empty());
        h.advance(1ms);
        h.on(event::timer{});
        auto again = h.sent(command::submit_sm);
        ASSERT_EQ(again.size(), 1u);
        EXPECT_EQ(again[0].fields, first.fields);
        EXPECT_NE(again[0].sequence, first.sequence);
        h.take();
        h.answer(again[0], status::ok, "7");
        EXPECT_EQ(h.outcome(1)->what, done_kind::accepted);
        EXPECT_EQ(h.fsm.counters().throttled, 1u);
    }
}

TEST(session_fsm, throttling_in_a_row_doubles_the_pause_and_opens_the_window_one_by_one) {
    harness h; // window 3
    h.bind();
    for (submit_token t = 1; t <= 3; ++t)
        h.submit(t);
    auto s = h.sent(command::submit_sm);
    h.take();
    for (auto& p : s)
        h.answer(p, status::throttled); // one window's worth: one pause, not three doublings
    EXPECT_EQ(h.all<action::notice>().size(), 1u);
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 200ms);
    h.advance(200ms);
    h.take();
    h.on(event::timer{});
    auto one = h.sent(command::submit_sm);
    ASSERT_EQ(one.size(), 1u); // slow start
    EXPECT_EQ(std::get<sm_body>(one[0].fields).short_message, "part 1"); // order kept
    h.take();
    h.answer(one[0], status::throttled);
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 400ms);
    h.advance(400ms);
    h.take();
    h.on(event::timer{});
    one = h.sent(command::submit_sm);
    ASSERT_EQ(one.size(), 1u);
    h.take();
    h.answer(one[0], status::ok, "1");
    EXPECT_EQ(h.sent(command::submit_sm).size(), 2u); // the window grows by one per accepted submit
}

TEST(session_fsm, a_throughput_limit_of_100_per_second_holds_within_2_percent_over_ten_seconds) {
    auto s = test_settings();
    s.window = 50;
    s.throughput = 100;
    harness h(s);
    h.bind();
    const auto t0 = h.now;
    submit_token next = 1;
    std::size_t sent = 0;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> late(0, 3); // the runner's timer fires up to 3 ms late
    while (h.now < t0 + 10s) {
        while (h.fsm.queued() < 20)
            h.submit(next++);
        for (auto& p : h.sent(command::submit_sm)) {
            ++sent;
            h.answer(p, status::ok, "x"); // answered at once: only the bucket limits
        }
        auto more = h.sent(command::submit_sm).size();
        h.take();
        if (more)
            continue;
        auto d = h.fsm.next_deadline();
        ASSERT_TRUE(d);
        h.now = std::max(h.now, *d) + std::chrono::milliseconds(late(rng));
        h.on(event::timer{});
    }
    const double rate = sent / std::chrono::duration<double>(h.now - t0).count();
    EXPECT_NEAR(rate, 100.0, 2.0);
}

TEST(session_fsm, a_submit_unanswered_in_time_drops_the_connection_and_goes_again_on_the_next_bind) {
    harness h;
    h.bind();
    h.submit(1);
    h.submit(2);
    auto s = h.sent(command::submit_sm);
    h.take();
    h.answer(s[0], status::ok, "a");
    h.take();
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 10s);
    h.advance(10s);
    h.on(event::timer{});
    EXPECT_FALSE(h.all<action::close>().empty());
    EXPECT_EQ(h.all<action::connect>().at(0).delay, 1s);
    EXPECT_FALSE(h.outcome(2));
    EXPECT_EQ(h.fsm.counters().timeouts, 1u);
    h.take();
    h.on(event::connected{});
    h.answer(h.sent(command::bind_transceiver).at(0), status::ok);
    auto again = h.sent(command::submit_sm);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].fields, s[1].fields);
    h.take();
    h.answer(s[1], status::ok, "late"); // the old connection's sequence: nobody waits for it
    EXPECT_FALSE(h.outcome(2));
    h.answer(again[0], status::ok, "b");
    EXPECT_EQ(h.outcome(2)->message_id, "b");
}

TEST(session_fsm, a_lost_connection_resubmits_every_unanswered_submit_in_order_and_loses_none) {
    auto s = test_settings();
    s.window = 4;
    harness h(s);
    h.bind();
    for (submit_token t = 1; t <= 6; ++t)
        h.submit(t);
    auto first = h.sent(command::submit_sm);
    ASSERT_EQ(first.size(), 4u);
    h.take();
    h.answer(first[1], status::ok, "2");
    h.take();
    h.on(event::disconnected{});
    EXPECT_EQ(h.all<action::notice>().at(0).what, action::notice::kind::unbound);
    h.take();
    h.on(event::connected{});
    h.answer(h.sent(command::bind_transceiver).at(0), status::ok);
    std::vector<std::string> order;
    for (int round = 0; round < 3 && h.fsm.queued() + h.fsm.window_in_use() > 0; ++round) {
        auto subs = h.sent(command::submit_sm);
        h.take();
        for (auto& p : subs) {
            order.push_back(std::get<sm_body>(p.fields).short_message);
            h.answer(p, status::ok, "id");
        }
    }
    EXPECT_EQ(order, (std::vector<std::string>{"part 1", "part 3", "part 4", "part 5", "part 6"}));
    EXPECT_EQ(h.fsm.counters().resubmitted, 4u); // 1, 3, 4 and 5 (sent when 2 was answered)
    EXPECT_EQ(h.fsm.counters().submits_ok, 6u);
}

TEST(session_fsm, enquire_link_goes_out_when_idle_and_its_timeout_drops_the_connection) {
    harness h;
    h.bind();
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 30s);
    h.advance(30s);
    h.on(event::timer{});
    auto e = h.sent(command::enquire_link);
    ASSERT_EQ(e.size(), 1u);
    h.take();
    h.answer(e[0], status::ok);
    EXPECT_TRUE(h.all<action::close>().empty());
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 30s);
    h.advance(30s);
    h.on(event::timer{});
    ASSERT_EQ(h.sent(command::enquire_link).size(), 1u);
    h.take();
    h.advance(10s);
    h.on(event::timer{});
    EXPECT_FALSE(h.all<action::close>().empty());
    EXPECT_FALSE(h.all<action::connect>().empty());
}

TEST(session_fsm, traffic_from_the_smsc_postpones_the_enquire_link) {
    harness h;
    h.bind();
    h.advance(20s);
    h.on(event::received{pdu{command::enquire_link, status::ok, 77, {}, {}}});
    auto r = h.sent(command::enquire_link_resp);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].sequence, 77u);
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 30s);
}

TEST(session_fsm, an_unbind_from_the_smsc_is_answered_and_the_machine_binds_again) {
    harness h;
    h.bind();
    h.on(event::received{pdu{command::unbind, status::ok, 9, {}, {}}});
    auto r = h.sent(command::unbind_resp);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].sequence, 9u);
    EXPECT_FALSE(h.all<action::close>().empty());
    EXPECT_EQ(h.all<action::connect>().at(0).delay, 1s);
}

TEST(session_fsm, what_cannot_be_decoded_is_answered_with_generic_nack_and_a_bad_length_closes) {
    const std::pair<decode_error, std::uint32_t> table[] = {
        {decode_error::unknown_command, status::invalid_command_id},
        {decode_error::malformed_body, status::invalid_command_length},
        {decode_error::truncated_tlv, 0xC0},
    };
    for (auto [err, st] : table) {
        harness h;
        h.bind();
        h.on(event::undecodable{err, 42});
        auto n = h.sent(command::generic_nack);
        ASSERT_EQ(n.size(), 1u);
        EXPECT_EQ(n[0].status, st);
        EXPECT_EQ(n[0].sequence, 42u);
        EXPECT_TRUE(h.fsm.bound());
    }
    harness h;
    h.bind();
    h.on(event::undecodable{decode_error::bad_length, 0});
    EXPECT_FALSE(h.all<action::close>().empty());
    EXPECT_FALSE(h.fsm.bound());
}

TEST(session_fsm, a_request_an_esme_does_not_serve_is_refused_with_generic_nack) {
    harness h;
    h.bind();
    h.on(event::received{pdu{command::submit_sm, status::ok, 5, sm_body{}, {}}});
    EXPECT_EQ(h.sent(command::generic_nack).at(0).status, status::invalid_command_id);
}

TEST(session_fsm, a_deliver_sm_is_answered_only_after_the_gateway_says_whether_it_stored_it) {
    harness h;
    h.bind();
    sm_body mo;
    mo.source_addr = "97699000101";
    mo.short_message = "ID 12";
    h.on(event::received{pdu{command::deliver_sm, status::ok, 300, mo, {}}});
    auto d = h.all<action::deliver>();
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].p.sequence, 300u);
    EXPECT_TRUE(h.sent(command::deliver_sm_resp).empty());
    h.on(event::received{pdu{command::deliver_sm, status::ok, 301, mo, {}}});
    h.take();
    h.on(event::deliver_answer{d[0].connection, 300, true});
    h.on(event::deliver_answer{d[0].connection, 301, false});
    auto r = h.sent(command::deliver_sm_resp);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].sequence, 300u);
    EXPECT_EQ(r[0].status, status::ok);
    EXPECT_EQ(r[1].sequence, 301u);
    EXPECT_EQ(r[1].status, status::temporary_app_error);
    h.take();
    h.on(event::deliver_answer{d[0].connection, 300, true}); // twice: answered once
    EXPECT_TRUE(h.sent(command::deliver_sm_resp).empty());
}

TEST(session_fsm, an_answer_for_a_deliver_sm_of_a_lost_connection_is_not_sent_on_the_new_one) {
    harness h;
    h.bind();
    h.on(event::received{pdu{command::deliver_sm, status::ok, 300, sm_body{}, {}}});
    auto conn = h.all<action::deliver>().at(0).connection;
    h.on(event::disconnected{});
    h.on(event::connected{});
    h.answer(h.sent(command::bind_transceiver).at(0), status::ok);
    h.take();
    h.on(event::deliver_answer{conn, 300, true});
    EXPECT_TRUE(h.sent(command::deliver_sm_resp).empty());
}

TEST(session_fsm, a_submit_not_sent_by_its_deadline_is_retried_by_the_caller) {
    harness h;
    h.start();
    h.submit(1, 5s);
    EXPECT_EQ(*h.fsm.next_deadline(), h.now + 5s);
    h.advance(5s);
    h.on(event::timer{});
    ASSERT_TRUE(h.outcome(1));
    EXPECT_EQ(h.outcome(1)->what, done_kind::retry);
    EXPECT_EQ(h.outcome(1)->detail, "not bound");
}

TEST(session_fsm, abandon_drops_a_queued_submit_but_one_in_flight_is_still_answered) {
    auto s = test_settings();
    s.window = 1;
    harness h(s);
    h.bind();
    h.submit(1);
    h.submit(2);
    auto sent = h.sent(command::submit_sm);
    ASSERT_EQ(sent.size(), 1u);
    h.take();
    h.on(event::abandon{1});
    h.on(event::abandon{2});
    EXPECT_FALSE(h.outcome(1));
    EXPECT_EQ(h.outcome(2)->detail, "deadline");
    h.answer(sent[0], status::ok, "a");
    EXPECT_EQ(h.outcome(1)->what, done_kind::accepted);
    EXPECT_TRUE(h.sent(command::submit_sm).empty());
}

TEST(session_fsm, stop_unbinds_retries_what_was_not_sent_and_ends_on_unbind_resp) {
    auto s = test_settings();
    s.window = 1;
    harness h(s);
    h.bind();
    h.submit(1);
    h.submit(2);
    auto sub = h.sent(command::submit_sm).at(0);
    h.take();
    h.on(event::stop{});
    EXPECT_EQ(h.outcome(2)->detail, "stopped");
    auto u = h.sent(command::unbind);
    ASSERT_EQ(u.size(), 1u);
    EXPECT_EQ(h.fsm.state(), session_state::unbinding);
    h.answer(sub, status::ok, "a");
    EXPECT_EQ(h.outcome(1)->what, done_kind::accepted);
    h.answer(u[0], status::ok);
    EXPECT_FALSE(h.all<action::close>().empty());
    EXPECT_FALSE(h.all<action::stopped>().empty());
    EXPECT_EQ(h.fsm.state(), session_state::stopped);
    h.take();
    h.submit(3);
    EXPECT_EQ(h.outcome(3)->what, done_kind::retry);
}

TEST(session_fsm, stop_is_bounded_by_the_response_timeout_when_the_smsc_does_not_answer_the_unbind) {
    harness h;
    h.bind();
    h.submit(1);
    h.take();
    h.on(event::stop{});
    h.advance(10s);
    h.on(event::timer{});
    EXPECT_FALSE(h.all<action::stopped>().empty());
    EXPECT_EQ(h.outcome(1)->what, done_kind::retry);
    EXPECT_TRUE(h.all<action::connect>().empty());
}

TEST(session_fsm, stop_before_the_bind_closes_and_ends_at_once) {
    harness h;
    h.start();
    h.submit(1);
    h.take();
    h.on(event::stop{});
    EXPECT_FALSE(h.all<action::stopped>().empty());
    EXPECT_EQ(h.outcome(1)->what, done_kind::retry);
    h.take();
    h.on(event::connected{}); // a connect that completes after the stop
    EXPECT_TRUE(h.out.empty());
}

TEST(session_fsm, every_submit_gets_exactly_one_outcome_through_drops_throttles_and_stop) {
    harness h;
    h.bind();
    std::mt19937 rng(11);
    submit_token next = 1;
    for (int step = 0; step < 400; ++step) {
        h.advance(std::chrono::milliseconds(rng() % 300));
        switch (rng() % 6) {
        case 0: h.submit(next++); break;
        case 1:
        case 2:
            for (auto& p : h.sent(command::submit_sm))
                if (rng() % 2)
                    h.answer(p, rng() % 4 == 0 ? status::throttled : status::ok, "m");
            break;
        case 3:
            if (rng() % 8 == 0)
                h.on(event::disconnected{});
            break;
        case 4:
            if (h.fsm.state() == session_state::connecting)
                h.on(event::connected{});
            else if (h.fsm.state() == session_state::binding)
                for (auto& b : h.sent(command::bind_transceiver))
                    h.answer(b, status::ok);
            break;
        case 5: h.fire_until(h.now); break;
        }
    }
    h.on(event::stop{});
    h.advance(10s);
    h.on(event::timer{});
    ASSERT_FALSE(h.all<action::stopped>().empty());
    std::map<submit_token, int> outcomes;
    for (auto& d : h.all<action::submit_done>())
        ++outcomes[d.token];
    for (submit_token t = 1; t < next; ++t)
        EXPECT_EQ(outcomes[t], 1) << t;
}
