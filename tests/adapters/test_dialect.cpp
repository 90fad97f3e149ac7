// The dialect registry, the shared secret check every dialect inherits, and the mapping of
// request errors to HTTP statuses.
#include "adapters/dialect.hpp"

#include "tests/adapters/request_samples.hpp"

#include <gtest/gtest.h>

namespace kharuul::adapters {
namespace {

using testing::make_request;

TEST(dialect_registry, finds_each_registered_dialect_by_its_type) {
    for (const auto type : dialect_types()) {
        const dialect* d = find_dialect(type);
        ASSERT_NE(d, nullptr) << type;
        EXPECT_EQ(d->type(), type);
    }
}

TEST(dialect_registry, knows_generic_kannel_twilio_and_africastalking) {
    EXPECT_EQ(dialect_types(), (std::vector<std::string_view>{"generic", "kannel", "twilio", "africastalking"}));
}

TEST(dialect_registry, unknown_type_finds_nothing) {
    EXPECT_EQ(find_dialect("twilio-but-not-yet"), nullptr);
    EXPECT_EQ(find_dialect(""), nullptr);
    EXPECT_EQ(find_dialect("Kannel"), nullptr) << "types are case-sensitive, as configured";
}

struct auth_sample {
    const char* name;
    const char* target;
    const char* authorization; // "" = no header
    bool expected;
};

void PrintTo(const auth_sample& s, std::ostream* os) {
    *os << s.name;
}

const auth_sample auth_samples[] = {
    {"secret_in_the_query_is_accepted", "/channels/c/receive?from=97699000001&secret=s3cret&text=HELP", "",
     true},
    {"bearer_header_is_accepted", "/channels/c/receive", "Bearer s3cret", true},
    {"bearer_scheme_is_case_insensitive", "/channels/c/receive", "bearer s3cret", true},
    {"wrong_bearer_with_right_query_secret_is_accepted", "/channels/c/receive?secret=s3cret", "Bearer nope",
     true},
    {"wrong_secret_in_the_query_is_refused", "/channels/c/receive?secret=s3creT", "", false},
    {"prefix_of_the_secret_is_refused", "/channels/c/receive?secret=s3cre", "", false},
    {"wrong_bearer_token_is_refused", "/channels/c/receive", "Bearer s3cre", false},
    {"basic_authorization_is_refused", "/channels/c/receive", "Basic czNjcmV0", false},
    {"missing_credentials_are_refused", "/channels/c/receive?from=97699000002", "", false},
    {"empty_secret_parameter_is_refused", "/channels/c/receive?secret=", "", false},
    {"secret_parameter_name_is_case_sensitive", "/channels/c/receive?Secret=s3cret", "", false},
    {"malformed_query_is_refused", "/channels/c/receive?secret=s3cret&x=%ZZ", "", false},
};

class authentication : public ::testing::TestWithParam<auth_sample> {};

TEST_P(authentication, credentials_are_judged_alike_by_every_dialect_with_a_secret) {
    const auth_sample& s = GetParam();
    testing::header_list headers;
    if (*s.authorization != '\0') {
        headers.emplace_back("Authorization", s.authorization);
    }
    for (const auto type : dialect_types()) {
        if (type == "twilio") {
            continue; // signs its requests instead (test_twilio_dialect.cpp)
        }
        const request req = make_request(http::verb::post, s.target, "", "", headers);
        EXPECT_EQ(find_dialect(type)->authenticate(req, testing::channel("c", std::string(type))), s.expected)
            << type;
    }
}

INSTANTIATE_TEST_SUITE_P(samples, authentication, ::testing::ValuesIn(auth_samples),
                         [](const auto& row) { return std::string(row.param.name); });

TEST(authentication, percent_encoded_secret_is_compared_decoded) {
    channel_settings c = testing::channel("c", "kannel");
    c.secret = "a+b/c=d";
    const request req = make_request(http::verb::get, "/channels/c/receive?secret=a%2Bb%2Fc%3Dd");
    EXPECT_TRUE(find_dialect("kannel")->authenticate(req, c));
}

TEST(authentication, channel_without_a_secret_accepts_nobody) {
    channel_settings c = testing::channel("c", "generic");
    c.secret.clear();
    const request req =
        make_request(http::verb::post, "/channels/c/receive?secret=", "", "", {{"Authorization", "Bearer "}});
    EXPECT_FALSE(find_dialect("generic")->authenticate(req, c));
}

TEST(request_errors, each_code_maps_to_its_http_status) {
    EXPECT_EQ(status_of(errc::unauthorized), http::status::unauthorized);
    EXPECT_EQ(status_of(errc::bad_request), http::status::bad_request);
    EXPECT_EQ(status_of(errc::unsupported_media_type), http::status::unsupported_media_type);
    EXPECT_EQ(status_of(errc::method_not_allowed), http::status::method_not_allowed);
    EXPECT_EQ(status_of(errc::not_supported), http::status::not_found);
}

TEST(request_errors, codes_are_boost_error_codes_of_the_adapters_category) {
    const boost::system::error_code ec = errc::method_not_allowed;
    EXPECT_EQ(&ec.category(), &adapter_category());
    EXPECT_EQ(ec.message(), "method not allowed");
}

TEST(request_errors, value_of_an_error_result_throws_with_the_reason) {
    const result<inbound_sms> r = request_error{errc::bad_request, "missing field 'from'"};
    try {
        (void)r.value();
        FAIL() << "value() did not throw";
    } catch (const boost::system::system_error& e) {
        EXPECT_EQ(e.code(), make_error_code(errc::bad_request));
        EXPECT_NE(std::string(e.what()).find("missing field 'from'"), std::string::npos) << e.what();
    }
}

TEST(delivery_states, have_their_names) {
    EXPECT_EQ(delivery_state_name(delivery_state::queued), "queued");
    EXPECT_EQ(delivery_state_name(delivery_state::sent), "sent");
    EXPECT_EQ(delivery_state_name(delivery_state::delivered), "delivered");
    EXPECT_EQ(delivery_state_name(delivery_state::failed), "failed");
}

} // namespace
} // namespace kharuul::adapters
