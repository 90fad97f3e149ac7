// The HTTP side of the API's answers (issue 12): an api_answer as an HTTP response (JSON, or CSV
// as a download), with the security headers every /api/v1 answer carries, errors included.
// Pure.
#pragma once

#include "gateway/api_types.hpp"
#include "gateway/http_server.hpp"

#include <chrono>
#include <map>
#include <string>

namespace kharuul::gateway::api {

// Cache-Control: no-store, X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
// Content-Security-Policy: default-src 'none'; frame-ancestors 'none'.
void set_security_headers(http_response& res);

// The answer as a response (security headers set, payload prepared). 401 carries
// WWW-Authenticate: Bearer realm="kharuul".
http_response to_response(const api_answer& a, unsigned version);

http_response error_response(http::status status, unsigned version, std::string message, std::string next = {});

// 429 with Retry-After.
http_response too_many(unsigned version, std::chrono::seconds retry_after);

// The request's query, decoded (a repeated key keeps the last); nullopt when the target is not a
// valid origin-form.
std::optional<std::map<std::string, std::string, std::less<>>> query_of(std::string_view target);

} // namespace kharuul::gateway::api
