// The `fields` of `kharuul parse` (spec/interfaces.md) for the case forms, table-driven: each message
// and the exact JSON of its fields, in canonical codes whatever script was typed, with null where
// the spec says so. In-process (no binary, no store): fields_json and error_json as the CLI uses them.
#include "gateway/parse_json.hpp"

#include "tests/parser/sample_lexicon.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <string>

namespace kharuul::gateway {
namespace {

namespace json = boost::json;

struct fields_sample {
    const char* text;
    const char* fields; // the expected "fields" object, as JSON
};

void PrintTo(const fields_sample& s, std::ostream* os) {
    *os << '"' << s.text << '"';
}

class parse_json_fields : public ::testing::TestWithParam<fields_sample> {};

TEST_P(parse_json_fields, are_the_spec_fields_of_the_form) {
    const auto& s = GetParam();
    const json::object o = parse_json(s.text, testing::demo_lexicon(), parser::reply_language::en);
    ASSERT_TRUE(o.at("ok").as_bool()) << json::serialize(o);
    EXPECT_EQ(o.at("fields"), json::parse(s.fields)) << json::serialize(o.at("fields"));
}

const fields_sample case_forms[] = {
    {"RISK ALT 2B1G 10-12 SIB # brother at the pit",
     R"({"site":"ALT","boys":2,"girls":1,"unknown":0,"age_min":10,"age_max":12,"reason":"SIB",
         "note":"brother at the pit"})"},
    {"эрсдэл ult 1 охин 4 drop", R"({"site":"ULT","boys":0,"girls":1,"unknown":0,"age_min":4,"age_max":4,
                                     "reason":"DROP","note":null})"},
    {"TR 204812 NFE STOP", R"({"case":"204812","status":"NFE","school":"NFE","work":"STOP","note":null})"},
    {"TR 204812 stop nfe", R"({"case":"204812","status":"STOP","school":"NFE","work":"STOP","note":null})"},
    {"TR 204812 NFE", R"({"case":"204812","status":"NFE","school":"NFE","work":null,"note":null})"},
    {"TR 204812 MISS # not seen since May",
     R"({"case":"204812","status":"MISS","school":null,"work":null,"note":"not seen since May"})"},
    {"VER 204812 OK", R"({"case":"204812","outcome":"OK","reason":null,"note":null})"},
    {"VER 204812 NO NOTFOUND # nobody of that age",
     R"({"case":"204812","outcome":"NO","reason":"NOTFOUND","note":"nobody of that age"})"},
    {"PLAN 204812 W WFCL", R"({"case":"204812","target":"W","category":"WFCL","note":null})"},
    {"PLAN 204812 Р", R"({"case":"204812","target":"P","category":null,"note":null})"},
    {"SVC 204812 NFE", R"({"case":"204812","service":"NFE","for":"child","note":null})"},
    {"SVC 204812 SOCIAL FAM", R"({"case":"204812","service":"SOCIAL","for":"family","note":null})"},
    {"ОUТ 204812 WD", R"({"case":"204812","outcome":"WD","note":null})"},
    {"OUT 204812 LESS # two hours a day", R"({"case":"204812","outcome":"LESS","note":"two hours a day"})"},
    {"MERGE 204820 204812", R"({"case":"204820","into":"204812","note":null})"},
};
INSTANTIATE_TEST_SUITE_P(case_forms, parse_json_fields, ::testing::ValuesIn(case_forms));

TEST(parse_json, the_new_errors_carry_their_code_token_suggestion_and_field) {
    const auto& lex = testing::demo_lexicon();
    auto error_of = [&](const char* text) {
        const json::object o = parse_json(text, lex, parser::reply_language::en);
        EXPECT_FALSE(o.at("ok").as_bool()) << text;
        return o.at("error").as_object();
    };
    EXPECT_EQ(error_of("PLAN 204812 W WFLC"),
              json::parse(R"({"code":"unknown_category","token":"WFLC","suggestion":"WFCL"})"));
    EXPECT_EQ(error_of("TR 204812 NFE SCH"),
              json::parse(R"({"code":"conflicting_status","token":"SCH","suggestion":null})"));
    EXPECT_EQ(error_of("MERGE 204812 204812"),
              json::parse(R"({"code":"same_case","token":"204812","suggestion":null})"));
    EXPECT_EQ(error_of("RISK ALT B 12 SIBB"),
              json::parse(R"({"code":"unknown_risk","token":"SIBB","suggestion":"SIB"})"));
    EXPECT_EQ(error_of("PLAN 204812 X"),
              json::parse(R"({"code":"bad_target","token":"X","suggestion":null})"));
    EXPECT_EQ(error_of("VER 204812 NO"),
              json::parse(R"({"code":"missing_field","token":null,"suggestion":null,"field":"reason"})"));
    EXPECT_EQ(error_of("MERGE 204820"),
              json::parse(R"({"code":"missing_field","token":null,"suggestion":null,"field":"into"})"));
    EXPECT_EQ(error_of("PLAN 204812"),
              json::parse(R"({"code":"missing_field","token":null,"suggestion":null,"field":"target"})"));
}

} // namespace
} // namespace kharuul::gateway
