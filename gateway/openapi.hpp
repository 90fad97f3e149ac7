// The API's OpenAPI 3.1 document (api/openapi.json in the repository), compiled into the binary
// at build time (gateway/embed_file.cmake): GET /api/v1/openapi.json serves it, and nothing is
// read from disk at run time. tests/gateway/test_api_http* validate real answers against it.
#pragma once

#include <string_view>

namespace kharuul::gateway {

// The document's JSON text, exactly as committed. Valid for the program's lifetime.
std::string_view openapi_document() noexcept;

} // namespace kharuul::gateway
