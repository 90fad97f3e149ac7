// The OpenAPI validator peer (tests/peers/openapi/validate.mjs) over answers made from the
// exports' own rows (gateway/export_rows.hpp): a row the code writes conforms to api/openapi.json,
// and the validator catches what would be drift: a column the document does not know, a null
// where the document says never, a time in another shape, an undocumented status, a missing
// WWW-Authenticate, a 405 without the path's methods in Allow. So a green conformance test
// (tests/gateway/test_api_http_conformance.cpp) means something.
#include "gateway/export_rows.hpp"
#include "tests/support/openapi_validator.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace kharuul {
namespace {

namespace json = boost::json;
using testing::recorded_answer;

store::message_record sample_message() {
    store::message_record m;
    m.id = 7;
    m.channel = "generic";
    m.sender = "+97699000001";
    m.recipient = "500";
    m.text = "ID ALT 2B 12 MINE SHAFT";
    m.received_at = store::timestamp{std::chrono::milliseconds{1'764'000'000'000}};
    m.status = store::message_status::accepted;
    m.form = parser::form::id;
    m.reply = "ID ok";
    m.reply_lang = "en";
    return m;
}

recorded_answer messages_answer(const json::object& row) {
    json::object body{{"messages", json::array{row}}, {"next", nullptr}};
    return {"GET", "/api/v1/messages?limit=1", 200, {{"content-type", "application/json; charset=utf-8"}},
            json::serialize(body)};
}

std::filesystem::path folder(const std::string& name) {
    return std::filesystem::temp_directory_path() /
           ("kharuul-openapi-validator-" + name + "-" + std::to_string(::getpid()));
}

struct drift {
    std::string what;
    recorded_answer answer;
    std::string named; // what the failure must name
};

TEST(openapi_validator, a_row_as_the_export_writes_it_conforms_to_the_document) {
    const auto dir = folder("good");
    auto row = gateway::message_row(sample_message());
    row["site"] = "ALT";
    std::vector<recorded_answer> answers{messages_answer(row)};
    answers.push_back({"GET", "/api/v1/cases/000000", 404, {{"content-type", "application/json"}},
                       R"({"error":"no such case"})"});
    answers.push_back({"GET", "/api/v1/messages", 401,
                       {{"content-type", "application/json"}, {"www-authenticate", R"(Bearer realm="kharuul")"}},
                       R"({"error":"no token","next":"send Authorization: Bearer <token>"})"});
    answers.push_back({"PATCH", "/api/v1/messages", 405, {{"content-type", "application/json"}, {"allow", "GET"}},
                       R"({"error":"PATCH is not allowed here"})"});
    const auto r = testing::validate_answers(dir, answers);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("4 answers, 0 failures"), std::string::npos) << r.out;
    std::filesystem::remove_all(dir);
}

TEST(openapi_validator, every_kind_of_drift_is_a_failure_that_names_where) {
    auto row = gateway::message_row(sample_message());
    auto extra = row;
    extra["colour"] = "red";
    auto null_text = row;
    null_text["text"] = nullptr;
    auto local_time = row;
    local_time["received_at"] = "2026-11-24 16:00";
    const std::vector<drift> drifts{
        {"a column the document does not know", messages_answer(extra), "colour"},
        {"a null where the document says never", messages_answer(null_text), "/messages/0/text"},
        {"a time in another shape", messages_answer(local_time), "/messages/0/received_at"},
        {"an undocumented status",
         {"GET", "/api/v1/messages", 418, {{"content-type", "application/json"}}, R"({"error":"teapot"})"},
         "status 418 is not documented"},
        {"a 401 without WWW-Authenticate",
         {"GET", "/api/v1/messages", 401, {{"content-type", "application/json"}}, R"({"error":"no token"})"},
         "WWW-Authenticate is missing"},
        {"a 405 whose Allow leaves out a method",
         {"PATCH", "/api/v1/sites", 405, {{"content-type", "application/json"}, {"allow", "GET"}},
          R"({"error":"no"})"},
         "does not name POST"},
        {"an error with more than error and next",
         {"GET", "/api/v1/cases/000000", 404, {{"content-type", "application/json"}},
          R"({"error":"no such case","code":404})"},
         "code"},
        {"a body that is not JSON",
         {"GET", "/api/v1/alerts", 200, {{"content-type", "application/json"}}, "<html>"}, "not JSON"},
        {"a path the document does not have",
         {"GET", "/api/v1/children", 200, {{"content-type", "application/json"}}, "{}"}, "not in the document"},
    };
    // One run over a file per drift: each file must have a failure line that names what drifted.
    const auto dir = folder("drift");
    for (std::size_t i = 0; i < drifts.size(); ++i)
        testing::write_answers(dir, "drift-" + std::to_string(i) + ".json", {drifts[i].answer});
    const auto r = testing::run_openapi_validator(dir);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find(std::to_string(drifts.size()) + " answers, "), std::string::npos) << r.out;
    for (std::size_t i = 0; i < drifts.size(); ++i) {
        SCOPED_TRACE(drifts[i].what);
        const std::string file = "(drift-" + std::to_string(i) + ".json)";
        bool named = false;
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);)
            named = named || (line.find(file) != std::string::npos && line.find(drifts[i].named) != std::string::npos);
        EXPECT_TRUE(named) << "no failure of " << file << " names '" << drifts[i].named << "':\n" << r.out;
    }
    std::filesystem::remove_all(dir);
}

TEST(openapi_validator, with_all_an_operation_never_answered_is_a_failure) {
    const auto dir = folder("all");
    auto row = gateway::message_row(sample_message());
    const auto r = testing::validate_answers(dir, {messages_answer(row)}, {}, "--all");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_NE(r.out.find("GET /cases/{code}"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("GET /messages,"), std::string::npos) << r.out;
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace kharuul
