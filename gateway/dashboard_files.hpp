// The dashboard (issue 12, docs/dashboard.md): the plain files of dashboard/ embedded into the
// binary at build time (gateway/embed_dashboard.cmake writes them into a generated .cpp; nothing
// is read from disk at run time), gzip-compressed once on first use with zlib, and served at `/`
// by the daemon for the paths that are not /api, /channels, /healthz or /metrics.
//
// Every answer carries the dashboard's Content-Security-Policy (no inline script or style, no
// third-party requests), X-Content-Type-Options, Referrer-Policy, an ETag and
// `Cache-Control: no-cache` (the browser keeps the file but asks each time whether it changed:
// a 304 costs a few hundred bytes on a slow line, and a new binary's files are seen at once).
#pragma once

#include "gateway/http_server.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kharuul::gateway::dashboard {

// The dashboard's Content-Security-Policy (docs/api.md, the contract's "Dashboard").
inline constexpr std::string_view content_security_policy =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// One embedded file as served.
struct served_file {
    std::string path;         // "/index.html", "/app.js": the path under which it is served
    std::string content_type; // "text/html; charset=utf-8"
    std::string body;         // as in dashboard/
    std::string gzip;         // the same, gzip-compressed (RFC 1952)
    std::string etag;         // "\"<hash of body>\"" (the gzip form answers with "-gz" inside the quotes)
};

// Every embedded file, in the order of their paths; compressed on the first call (thread-safe).
std::span<const served_file> files();

// The Content-Type for a file name, by its extension; empty when the extension is not one the
// dashboard serves (a file the build embedded by mistake is then never served).
std::string_view content_type_of(std::string_view name) noexcept;

// The answer for `path` (the request target's decoded path, "/" for index.html), or nullopt when
// no dashboard file has that path (the daemon answers 404). GET and HEAD only: 405 with `Allow`
// for other methods. A matching If-None-Match gets 304. gzip when Accept-Encoding allows it.
std::optional<http_response> answer(const http_request& req, std::string_view path);

namespace detail {
// What the generated dashboard_embedded.cpp defines: each file of dashboard/ as bytes.
struct embedded_file {
    const char* name; // "index.html", relative to dashboard/
    const unsigned char* data;
    std::size_t size;
};
extern const embedded_file embedded_files[];
extern const std::size_t embedded_file_count;
} // namespace detail

} // namespace kharuul::gateway::dashboard
