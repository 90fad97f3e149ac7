// The API's OpenAPI 3.1 document (api/openapi.json in the repository), compiled into the binary
// at build time (gateway/embed_file.cmake): GET /api/v1/openapi.json serves it, and nothing is
// read from disk at run time. tests/gateway/test_api_http* validate real answers against it.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace kharuul::gateway {

// The document's JSON text, exactly as committed. Valid for the program's lifetime.
std::string_view openapi_document() noexcept;

// The methods the document gives a path of /api/v1 (its segments after /api/v1: {"cases",
// "204812"}), upper case and comma-separated as Allow writes them ("GET, HEAD" for a path with
// GET, which answers HEAD too); empty for a path the document does not have. For the Allow header
// of a 405, so that it names exactly what the document says. Thread-safe.
std::string allowed_methods(std::span<const std::string> path);

} // namespace kharuul::gateway
