// Tests of config/gateway_config.hpp: listen addresses, area coverage between teams and sites,
// the enum names used in the file, and the problem format check-config prints.
#include "config/gateway_config.hpp"
#include "config/problem.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

using namespace kharuul::config;

struct endpoint_case {
    std::string_view text;
    std::optional<std::string> host; // nullopt: not an endpoint
    std::uint16_t port = 0;
};

TEST(parse_endpoint, reads_host_and_port_and_refuses_the_rest) {
    const endpoint_case cases[] = {
        {"127.0.0.1:8080", "127.0.0.1", 8080},
        {"0.0.0.0:0", "0.0.0.0", 0},
        {"localhost:65535", "localhost", 65535},
        {"[::1]:8080", "::1", 8080},
        {"127.0.0.1", std::nullopt},
        {"127.0.0.1:", std::nullopt},
        {":8080", std::nullopt},
        {"127.0.0.1:65536", std::nullopt},
        {"127.0.0.1:80a", std::nullopt},
        {"::1:8080", std::nullopt},
        {"[::1]8080", std::nullopt},
        {"http://127.0.0.1:8080", std::nullopt},
    };
    for (const auto& c : cases) {
        const auto e = parse_endpoint(c.text);
        ASSERT_EQ(e.has_value(), c.host.has_value()) << c.text;
        if (e) {
            EXPECT_EQ(e->host, *c.host) << c.text;
            EXPECT_EQ(e->port, c.port) << c.text;
            EXPECT_EQ(parse_endpoint(to_string(*e))->host, e->host) << "round trip of " << c.text;
        }
    }
}

TEST(area_covers, team_area_covers_itself_and_the_areas_inside_it_only) {
    struct area_case {
        std::string_view team;
        std::string_view site;
        bool covers;
    };
    const area_case cases[] = {
        {"Ulaanbaatar/Nalaikh", "Ulaanbaatar/Nalaikh", true},
        {"Ulaanbaatar", "Ulaanbaatar/Nalaikh", true},
        {"Ulaanbaatar", "Ulaanbaatar/Nalaikh/Khoroo 1", true},
        {"Ulaanbaatar/Nalaikh", "Ulaanbaatar", false},
        {"Ulaanbaatar/Bayan", "Ulaanbaatar/Bayanzurkh", false},
        {"Dornogobi", "Dornod/Kherlen", false},
        {"", "Dornod/Kherlen", false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(area_covers(c.team, c.site), c.covers) << c.team << " / " << c.site;
    }
}

TEST(enum_names, round_trip_through_the_words_used_in_the_file) {
    for (const auto t : {channel_type::generic, channel_type::kannel, channel_type::twilio,
                         channel_type::africastalking, channel_type::log, channel_type::smpp}) {
        EXPECT_EQ(channel_type_from(channel_type_name(t)), t);
    }
    for (const auto k :
         {site_kind::mine, site_kind::market, site_kind::dumpsite, site_kind::brickyard, site_kind::other}) {
        EXPECT_EQ(site_kind_from(site_kind_name(k)), k);
    }
    for (const auto k : {reporter_kind::volunteer, reporter_kind::teacher, reporter_kind::parent,
                         reporter_kind::worker, reporter_kind::other}) {
        EXPECT_EQ(reporter_kind_from(reporter_kind_name(k)), k);
    }
    EXPECT_EQ(member_role_from(member_role_name(member_role::leader)), member_role::leader);
    EXPECT_FALSE(channel_type_from("Kannel").has_value()) << "names are lower case";
}

TEST(needs_secret, only_channels_authenticated_by_a_shared_secret_need_one) {
    EXPECT_TRUE(needs_secret(channel_type::generic));
    EXPECT_TRUE(needs_secret(channel_type::kannel));
    EXPECT_TRUE(needs_secret(channel_type::africastalking));
    EXPECT_FALSE(needs_secret(channel_type::twilio)) << "Twilio signs its requests";
    EXPECT_FALSE(needs_secret(channel_type::log));
    EXPECT_FALSE(needs_secret(channel_type::smpp));
}

TEST(format_problem, prints_location_key_message_and_fix_on_one_line) {
    const problem p{"config/demo.toml",
                    12,
                    1,
                    "teams[0].members[1].phone",
                    "\"9911\" is not a phone number",
                    "write it in E.164, e.g. +97699000101",
                    severity::error};
    EXPECT_EQ(format_problem(p), "config/demo.toml:12:1: teams[0].members[1].phone: \"9911\" is not a phone "
                                 "number; fix: write it in E.164, e.g. +97699000101");
}

TEST(format_problem, marks_warnings_and_leaves_out_what_is_unknown) {
    const problem warning{"a.toml", 3, 5, "teams[0].areas[0]", "no site is in \"X\"", "", severity::warning};
    EXPECT_EQ(format_problem(warning), "a.toml:3:5: warning: teams[0].areas[0]: no site is in \"X\"");
    const problem unlocated{"a.toml", 0, 0, "", "cannot read the file", "check the path", severity::error};
    EXPECT_EQ(format_problem(unlocated), "a.toml: cannot read the file; fix: check the path");
}
