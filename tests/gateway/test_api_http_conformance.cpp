// OpenAPI conformance of real answers: one season on a real daemon (api_http_season.hpp), every
// scenario of the HTTP tests run over it (every role against every endpoint, team scoping, the
// viewer's report, sensitive cases, the registry round and its effect, the report beside the
// command line's, sessions and refusals), every answer recorded and validated against
// api/openapi.json by tests/peers/openapi/validate.mjs (Ajv, JSON Schema 2020-12). The test fails
// on any schema error, and when an operation of the document got no successful answer at all.
// The recorded answers are kept in build/test-artifacts/api-answers/ for a look after a failure.
#include "tests/gateway/api_http_season.hpp"

#include <gtest/gtest.h>

namespace kharuul::testing {
namespace {

TEST(api_http, every_answer_of_every_endpoint_conforms_to_the_openapi_document) {
    api_season s("api-http-conformance");
    check_role_table(s);
    check_team_scoping(s);
    check_viewer_report(s);
    check_sensitive_cases(s);
    check_registry_round(s);
    check_registry_takes_effect(s);
    check_report_as_the_cli(s);
    check_sessions_and_refusals(s);
    ASSERT_GT(s.answers().size(), 200u);

    const auto folder = kharuul_bin().parent_path() / "test-artifacts" / "api-answers";
    std::filesystem::remove_all(folder);
    write_answers(folder, "answers.json", s.answers());
    const auto r = run_openapi_validator(folder, {}, "--all");
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find(std::to_string(s.answers().size()) + " answers, 0 failures"), std::string::npos) << r.out;
}

} // namespace
} // namespace kharuul::testing
