#include "gateway/dashboard_files.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace kharuul::gateway::dashboard {

namespace {

// gzip (RFC 1952) at zlib's best compression: done once per file, on the first request.
std::string gzip_of(std::string_view data) {
    z_stream z{};
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("dashboard: zlib deflateInit2 failed");
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    const auto written = out.size() - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("dashboard: zlib deflate failed");
    out.resize(written);
    return out;
}

// FNV-1a, 64 bits: the ETag only needs to change when the file does.
std::string etag_of(std::string_view data) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : data) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    constexpr char digits[] = "0123456789abcdef";
    std::string out = "\"";
    for (int shift = 60; shift >= 0; shift -= 4)
        out += digits[(h >> shift) & 0xF];
    return out + "\"";
}

std::vector<served_file> load() {
    std::vector<served_file> out;
    for (std::size_t i = 0; i < detail::embedded_file_count; ++i) {
        const auto& e = detail::embedded_files[i];
        served_file f;
        f.path = "/" + std::string(e.name);
        f.content_type = std::string(content_type_of(e.name));
        f.body.assign(reinterpret_cast<const char*>(e.data), e.size);
        f.gzip = gzip_of(f.body);
        f.etag = etag_of(f.body);
        out.push_back(std::move(f));
    }
    std::ranges::sort(out, {}, &served_file::path);
    return out;
}

// The client takes gzip: Accept-Encoding names gzip (or *) without q=0.
bool accepts_gzip(std::string_view accept) {
    while (!accept.empty()) {
        const auto comma = accept.find(',');
        std::string_view item = accept.substr(0, comma);
        accept = comma == std::string_view::npos ? std::string_view{} : accept.substr(comma + 1);
        const auto semi = item.find(';');
        std::string_view coding = item.substr(0, semi);
        while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t'))
            coding.remove_prefix(1);
        while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t'))
            coding.remove_suffix(1);
        std::string lower(coding);
        std::ranges::transform(lower, lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower != "gzip" && lower != "x-gzip" && lower != "*")
            continue;
        if (semi != std::string_view::npos) {
            std::string params(item.substr(semi + 1));
            std::erase_if(params, [](char c) { return c == ' ' || c == '\t'; });
            // q=0, q=0.0, q=0.00 ... refuse it.
            if (params.starts_with("q=0") && params.find_first_not_of("0.", 3) == std::string::npos &&
                (params.size() == 3 || params[3] == '.'))
                continue;
        }
        return true;
    }
    return false;
}

// If-None-Match names this file's ETag (either encoding's) or is *.
bool not_modified(std::string_view if_none_match, const served_file& f) {
    if (if_none_match.empty())
        return false;
    if (if_none_match.find('*') != std::string_view::npos)
        return true;
    const std::string plain = f.etag;
    const std::string gz = f.etag.substr(0, f.etag.size() - 1) + "-gz\"";
    return if_none_match.find(plain) != std::string_view::npos || if_none_match.find(gz) != std::string_view::npos;
}

void set_common_headers(http_response& res) {
    res.set(http::field::cache_control, "no-cache");
    res.set("Content-Security-Policy", content_security_policy);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set(http::field::vary, "Accept-Encoding");
}

} // namespace

std::span<const served_file> files() {
    static const std::vector<served_file> all = load();
    return all;
}

std::string_view content_type_of(std::string_view name) noexcept {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 10> types{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"},
    }};
    for (const auto& [ext, type] : types)
        if (name.ends_with(ext))
            return type;
    return {};
}

std::optional<http_response> answer(const http_request& req, std::string_view path) {
    if (path.empty() || path == "/")
        path = "/index.html";
    const auto all = files();
    const auto it = std::ranges::lower_bound(all, path, {}, [](const served_file& f) -> std::string_view { return f.path; });
    if (it == all.end() || it->path != path || it->content_type.empty())
        return std::nullopt;
    const served_file& f = *it;
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
        http_response res{http::status::method_not_allowed, req.version()};
        set_common_headers(res);
        res.set(http::field::allow, "GET, HEAD");
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = "the dashboard's files answer GET and HEAD only\n";
        res.prepare_payload();
        return res;
    }
    const bool gz = accepts_gzip(req[http::field::accept_encoding]) && f.gzip.size() < f.body.size();
    const std::string etag = gz ? f.etag.substr(0, f.etag.size() - 1) + "-gz\"" : f.etag;
    if (not_modified(req[http::field::if_none_match], f)) {
        http_response res{http::status::not_modified, req.version()};
        set_common_headers(res);
        res.set(http::field::etag, etag);
        return res;
    }
    http_response res{http::status::ok, req.version()};
    set_common_headers(res);
    res.set(http::field::content_type, f.content_type);
    res.set(http::field::etag, etag);
    if (gz)
        res.set(http::field::content_encoding, "gzip");
    res.body() = gz ? f.gzip : f.body;
    res.prepare_payload();
    return res;
}

} // namespace kharuul::gateway::dashboard
