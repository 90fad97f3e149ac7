// Tests of parser/case_code.hpp: the Damm check digit catches every single wrong digit and every
// swap of neighbours for every case code there can be, and a mistyped code is answered with the
// one known code it most likely meant, never looked up as another child.
#include "parser/case_code.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace kharuul::parser;

TEST(case_code, damm_check_digit_matches_the_published_examples) {
    const std::vector<std::pair<std::string_view, char>> cases = {
        {"", '0'},     {"572", '4'}, // the worked example of Damm's algorithm
        {"5724", '0'}, {"00000", '0'}, {"20481", '2'}, {"20482", '0'},
    };
    for (const auto& [digits, check] : cases) {
        EXPECT_EQ(damm_check_digit(digits), check) << digits;
    }
}

TEST(case_code, codes_are_the_zero_padded_serial_and_its_check_digit) {
    EXPECT_EQ(make_case_code(20481), "204812");
    EXPECT_EQ(make_case_code(20482), "204820");
    EXPECT_EQ(make_case_code(0), "000000");
    EXPECT_EQ(make_case_code(7), "00007" + std::string(1, damm_check_digit("00007")));
    EXPECT_EQ(make_case_code(max_short_case_serial).substr(0, 5), "99999");
}

TEST(case_code, serials_past_99999_give_seven_digit_codes) {
    // Computed by hand with Damm's table: the six digits and their check digit.
    EXPECT_EQ(make_case_code(99998), "999985");
    EXPECT_EQ(make_case_code(99999), "999999");
    EXPECT_EQ(make_case_code(100000), "1000002");
    EXPECT_EQ(make_case_code(100001), "1000015");
    EXPECT_EQ(make_case_code(999998), "9999989");
    for (std::uint32_t serial : {99998u, 99999u, 100000u, 100001u, 999998u}) {
        const std::string code = make_case_code(serial);
        EXPECT_EQ(code.size(), serial <= 99999 ? 6u : 7u) << serial;
        EXPECT_EQ(check_case_code(code), case_code_check::valid) << code;
        EXPECT_EQ(case_serial(code), serial) << code;
    }
}

TEST(case_code, a_six_digit_code_with_a_zero_typed_after_it_is_refused_never_read_as_another_child) {
    // Any valid six-digit code followed by 0 passes the Damm check as seven digits: those serials are
    // never handed out and those codes are typos.
    EXPECT_EQ(make_case_code(999999), "9999990");
    EXPECT_FALSE(is_case_serial_used(999999));
    EXPECT_EQ(check_case_code("9999990"), case_code_check::bad_check_digit);
    EXPECT_EQ(check_case_code("2048120"), case_code_check::bad_check_digit); // 204812 and a 0
    EXPECT_EQ(case_serial("2048120"), std::nullopt);
    std::size_t unused = 0;
    for (std::uint32_t serial = 0; serial <= max_case_serial; ++serial) {
        if (!is_case_serial_used(serial)) {
            ++unused;
            EXPECT_GT(serial, max_short_case_serial);
            EXPECT_EQ(make_case_code(serial).back(), '0');
        }
    }
    EXPECT_EQ(unused, 90000u); // one seven-digit serial in ten
}

TEST(case_code, a_serial_beyond_999999_is_a_broken_invariant) {
    EXPECT_EQ(max_case_serial, 999999u);
    EXPECT_THROW(make_case_code(max_case_serial + 1), std::out_of_range);
    EXPECT_THROW(make_case_code(0xFFFFFFFF), std::out_of_range);
}

TEST(case_code, anything_but_six_or_seven_ascii_digits_is_not_a_code) {
    for (std::string_view typed : {"", "20481", "20481a", " 204812", "204812 ", "2048-2", "10000020",
                                   "100000a", "二〇四八一二", "２０４８１２", "ABCDEF"}) {
        EXPECT_EQ(check_case_code(typed), case_code_check::bad_shape) << typed;
        EXPECT_EQ(case_serial(typed), std::nullopt) << typed;
    }
}

TEST(case_code, a_seven_digit_code_with_a_leading_zero_is_not_a_code) {
    // Damm ignores leading zeros: "0204812" would pass its check digit as the six-digit 204812.
    EXPECT_EQ(check_case_code("0204812"), case_code_check::bad_shape);
    EXPECT_EQ(case_serial("0204812"), std::nullopt);
    EXPECT_EQ(check_case_code("0000000"), case_code_check::bad_shape);
}

TEST(case_code, a_valid_code_yields_its_serial_and_a_wrong_check_digit_does_not) {
    EXPECT_EQ(check_case_code("1000002"), case_code_check::valid);
    EXPECT_EQ(case_serial("1000002"), 100000u);
    EXPECT_EQ(check_case_code("1000003"), case_code_check::bad_check_digit);
    EXPECT_EQ(case_serial("1000003"), std::nullopt);
    EXPECT_EQ(check_case_code("204812"), case_code_check::valid);
    EXPECT_EQ(case_serial("204812"), 20481u);
    EXPECT_EQ(case_serial("000000"), 0u);
    EXPECT_EQ(check_case_code("204813"), case_code_check::bad_check_digit);
    EXPECT_EQ(case_serial("204813"), std::nullopt);
    EXPECT_EQ(check_case_code("204821"), case_code_check::bad_check_digit);
}

TEST(case_code, every_code_is_valid_and_gives_back_its_serial) {
    std::size_t failures = 0;
    for (std::uint32_t serial = 0; serial <= max_case_serial; ++serial) {
        if (!is_case_serial_used(serial)) {
            continue;
        }
        const std::string code = make_case_code(serial);
        if (code.size() != (serial <= max_short_case_serial ? 6u : 7u) ||
            check_case_code(code) != case_code_check::valid ||
            case_serial(code) != serial) {
            ++failures;
        }
    }
    EXPECT_EQ(failures, 0u);
}

// A typo is caught when it is refused: a wrong check digit, or a seven-digit code that now starts
// with 0 (not a code at all); it is never taken as another child's code.
bool caught(const std::string& typo) {
    const case_code_check c = check_case_code(typo);
    return c == case_code_check::bad_check_digit ||
           (c == case_code_check::bad_shape && typo.size() == 7 && typo[0] == '0');
}

TEST(case_code, every_single_digit_typo_is_caught_in_six_and_seven_digit_codes) {
    std::size_t checked = 0;
    std::size_t missed = 0;
    for (std::uint32_t serial = 0; serial <= max_case_serial; ++serial) {
        if (!is_case_serial_used(serial)) {
            continue;
        }
        const std::string code = make_case_code(serial);
        for (std::size_t i = 0; i < code.size(); ++i) {
            std::string typo = code;
            for (char d = '0'; d <= '9'; ++d) {
                if (d == code[i]) {
                    continue;
                }
                typo[i] = d;
                ++checked;
                if (!caught(typo)) {
                    ++missed;
                }
            }
        }
    }
    EXPECT_EQ(checked, (100000u * 6 + 810000u * 7) * 9);
    EXPECT_EQ(missed, 0u);
}

TEST(case_code, every_swap_of_neighbouring_digits_is_caught_in_six_and_seven_digit_codes) {
    std::size_t checked = 0;
    std::size_t missed = 0;
    for (std::uint32_t serial = 0; serial <= max_case_serial; ++serial) {
        if (!is_case_serial_used(serial)) {
            continue;
        }
        const std::string code = make_case_code(serial);
        for (std::size_t i = 0; i + 1 < code.size(); ++i) {
            if (code[i] == code[i + 1]) {
                continue; // swapping equal digits is no typo
            }
            std::string typo = code;
            std::swap(typo[i], typo[i + 1]);
            ++checked;
            if (!caught(typo)) {
                ++missed;
            }
        }
    }
    EXPECT_GT(checked, 400000u + 810000u * 5); // every used serial's code, most with six swaps
    EXPECT_EQ(missed, 0u);
}

struct nearest_case {
    std::string name;
    std::string typed;
    std::vector<std::string> known;
    std::optional<std::string> expected;
};

TEST(case_code, a_mistyped_code_suggests_the_one_known_code_one_edit_away) {
    const std::vector<std::string> known = {"204812", "204820", "000000"};
    const std::vector<nearest_case> cases = {
        {"wrong check digit", "204813", known, "204812"},
        {"wrong serial digit", "204912", known, "204812"},
        {"neighbours swapped", "204182", known, "204812"},
        {"digit missing", "20412", known, "204812"},
        {"digit doubled", "2048122", known, "204812"},
        {"one edit from two codes", "20482", known, std::nullopt}, // 2048[1]2 and 20482[0]
        // Damm keeps valid codes two substitutions apart, not three: 204822 is one digit from
        // 204812 and one from 204820, and a guess between two children is not offered.
        {"one substitution from two codes", "204822", known, std::nullopt},
        {"nothing close", "999999", known, std::nullopt},
        {"no known codes", "204813", {}, std::nullopt},
        {"a known code is not its own suggestion", "204812", known, std::nullopt},
        {"the same code listed twice is one candidate", "204813", {"204812", "204812"}, "204812"},
        {"a seven-digit code's wrong check digit", "1000003", {"1000002", "204812"}, "1000002"},
        {"a seven-digit code's neighbours swapped", "1000105", {"1000015", "204812"}, "1000015"},
        {"a seven-digit code with a digit missing", "100015", {"1000015"}, "1000015"},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(nearest_case_code(c.typed, c.known), c.expected) << c.name;
    }
}
