// The OpenAPI document compiled into the binary (gateway/openapi.hpp): it is the committed
// api/openapi.json byte for byte, parses as JSON, names every endpoint of the API with its
// methods, every $ref in it points at something, and its row schemas have exactly the columns the
// exports write (gateway/export_rows.hpp), so that a column added to a row cannot go undocumented.
// The answers themselves are validated against it in test_api_http_conformance.cpp.
#include "gateway/export_rows.hpp"
#include "gateway/openapi.hpp"
#include "tests/support/paths.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace kharuul {
namespace {

namespace json = boost::json;

const json::value& document_value() {
    static const json::value doc = json::parse(gateway::openapi_document());
    return doc;
}

const json::object& document() {
    return document_value().as_object();
}

std::set<std::string> keys_of(const json::object& o) {
    std::set<std::string> out;
    for (const auto& kv : o)
        out.emplace(kv.key());
    return out;
}

std::set<std::string> properties_of(std::string_view schema) {
    return keys_of(document().at("components").at("schemas").at(schema).at("properties").as_object());
}

template <std::size_t N>
std::set<std::string> columns(const std::string_view (&cols)[N], std::initializer_list<std::string> extra = {}) {
    std::set<std::string> out(std::begin(cols), std::end(cols));
    out.insert(extra.begin(), extra.end());
    return out;
}

// Every "$ref" under v, as written.
void collect_refs(const json::value& v, std::vector<std::string>& out) {
    if (v.is_object()) {
        for (const auto& kv : v.as_object()) {
            if (kv.key() == "$ref" && kv.value().is_string())
                out.emplace_back(kv.value().as_string());
            else
                collect_refs(kv.value(), out);
        }
    } else if (v.is_array()) {
        for (const auto& x : v.as_array())
            collect_refs(x, out);
    }
}

TEST(openapi, the_embedded_document_is_the_committed_file_byte_for_byte) {
    std::ifstream in(testing::source_dir() / "api" / "openapi.json", std::ios::binary);
    ASSERT_TRUE(in) << "api/openapi.json is missing";
    std::ostringstream text;
    text << in.rdbuf();
    EXPECT_EQ(gateway::openapi_document(), text.str());
}

TEST(openapi, the_document_parses_as_openapi_3_1_with_the_2020_12_dialect) {
    json::error_code ec;
    const auto doc = json::parse(gateway::openapi_document(), ec);
    ASSERT_FALSE(ec) << ec.message();
    ASSERT_TRUE(doc.is_object());
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    EXPECT_EQ(doc.at("jsonSchemaDialect"), "https://json-schema.org/draft/2020-12/schema");
    EXPECT_EQ(doc.at("servers").at(0).at("url"), "/api/v1");
}

TEST(openapi, the_document_names_every_endpoint_of_the_api_with_its_methods) {
    // The contract's endpoints (docs/api.md) and their methods.
    const std::map<std::string, std::set<std::string>> expected{
        {"/session", {"get", "post", "delete"}},
        {"/messages", {"get"}},
        {"/events", {"get"}},
        {"/cases", {"get"}},
        {"/cases/{code}", {"get"}},
        {"/alerts", {"get"}},
        {"/alerts/{n}", {"get"}},
        {"/outbox", {"get"}},
        {"/report", {"get"}},
        {"/sites", {"get", "post"}},
        {"/sites/{code}", {"get", "put", "patch", "delete"}},
        {"/teams", {"get", "post"}},
        {"/teams/{name}", {"get", "put", "patch", "delete"}},
        {"/coordinators", {"get", "post"}},
        {"/coordinators/{phone}", {"get", "put", "patch", "delete"}},
        {"/reporters", {"get", "post"}},
        {"/reporters/{phone}", {"get", "put", "patch", "delete"}},
        {"/audit", {"get"}},
        {"/openapi.json", {"get"}},
    };
    const auto& paths = document().at("paths").as_object();
    std::map<std::string, std::set<std::string>> documented;
    for (const auto& kv : paths)
        for (const auto& m : kv.value().as_object())
            documented[std::string(kv.key())].emplace(m.key());
    EXPECT_EQ(documented, expected);
}

TEST(openapi, every_operation_documents_its_success_and_every_authenticated_one_401_and_403) {
    for (const auto& [path, item] : document().at("paths").as_object())
        for (const auto& [method, op] : item.as_object()) {
            SCOPED_TRACE(std::string(method) + " " + std::string(path));
            const auto& responses = op.at("responses").as_object();
            const bool success = std::any_of(responses.begin(), responses.end(),
                                             [](const auto& r) { return r.key().starts_with("2"); });
            EXPECT_TRUE(success);
            const auto* security = op.as_object().if_contains("security");
            const bool open = security != nullptr && security->as_array().empty();
            if (!open) {
                EXPECT_TRUE(responses.contains("401"));
                EXPECT_TRUE(responses.contains("403"));
                EXPECT_TRUE(responses.contains("429"));
            }
            if (method == "put" || method == "post") {
                EXPECT_TRUE(op.as_object().contains("requestBody"));
            }
        }
}

TEST(openapi, the_openapi_document_and_sign_in_need_no_token_and_everything_else_does) {
    const auto& paths = document().at("paths");
    EXPECT_TRUE(paths.at("/openapi.json").at("get").at("security").as_array().empty());
    EXPECT_TRUE(paths.at("/session").at("post").at("security").as_array().empty());
    const auto& schemes = document().at("components").at("securitySchemes");
    EXPECT_EQ(schemes.at("bearer").at("scheme"), "bearer");
    EXPECT_EQ(schemes.at("session").at("in"), "cookie");
    EXPECT_EQ(schemes.at("session").at("name"), "kharuul_session");
    EXPECT_EQ(document().at("security").as_array().size(), 2u);
}

TEST(openapi, every_ref_in_the_document_points_at_something) {
    std::vector<std::string> refs;
    collect_refs(document(), refs);
    ASSERT_FALSE(refs.empty());
    for (const auto& r : refs) {
        ASSERT_TRUE(r.starts_with("#/")) << r;
        json::error_code ec;
        EXPECT_NE(document_value().find_pointer(r.substr(1), ec), nullptr) << r << " points at nothing";
    }
}

TEST(openapi, the_row_schemas_have_exactly_the_columns_the_exports_write) {
    EXPECT_EQ(properties_of("MessageRow"), columns(gateway::message_columns, {"site"}));
    EXPECT_EQ(properties_of("EventRow"), columns(gateway::event_columns));
    EXPECT_EQ(properties_of("CaseRow"), columns(gateway::case_columns, {"area", "team"}));
    EXPECT_EQ(properties_of("AlertRow"), columns(gateway::alert_columns));
    EXPECT_EQ(properties_of("OutboxRow"), columns(gateway::outbox_columns));
    for (auto name : {"MessageRow", "EventRow", "CaseRow", "AlertRow", "OutboxRow", "ReportRow", "Error"})
        EXPECT_EQ(document().at("components").at("schemas").at(name).at("additionalProperties"), false) << name;
}

TEST(openapi, every_error_is_the_error_and_next_object) {
    const auto& error = document().at("components").at("schemas").at("Error");
    EXPECT_EQ(keys_of(error.at("properties").as_object()), (std::set<std::string>{"error", "next"}));
    for (const auto& [name, r] : document().at("components").at("responses").as_object())
        EXPECT_EQ(r.at("content").at("application/json").at("schema").at("$ref"), "#/components/schemas/Error")
            << name;
}

TEST(openapi, allowed_methods_names_what_the_document_gives_each_path_for_a_405s_allow) {
    using v = std::vector<std::string>;
    EXPECT_EQ(gateway::allowed_methods(v{"messages"}), "GET, HEAD");
    EXPECT_EQ(gateway::allowed_methods(v{"cases", "204812"}), "GET, HEAD");
    EXPECT_EQ(gateway::allowed_methods(v{"sites"}), "GET, HEAD, POST");
    EXPECT_EQ(gateway::allowed_methods(v{"reporters", "+97699000001"}), "GET, HEAD, PUT, PATCH, DELETE");
    EXPECT_EQ(gateway::allowed_methods(v{"session"}), "GET, HEAD, POST, DELETE");
    EXPECT_EQ(gateway::allowed_methods(v{"openapi.json"}), "GET, HEAD");
    EXPECT_EQ(gateway::allowed_methods(v{"children"}), "");
    EXPECT_EQ(gateway::allowed_methods(v{"cases", "204812", "history"}), "");
}

} // namespace
} // namespace kharuul
