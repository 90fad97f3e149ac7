// The dashboard's files as the daemon serves them (gateway/dashboard_files.hpp): every file of
// dashboard/ embedded byte for byte, with its type, the dashboard's CSP and the other security
// headers, gzip when the client takes it (inflated here with zlib), 304 for a known ETag, 405 for
// writes, nothing for paths that are not its; the whole dashboard under 200 KB compressed; no
// inline script or style that the CSP would block.
#include "gateway/dashboard_files.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/gateway_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/paths.hpp"

namespace kharuul::gateway {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

fs::path dashboard_dir() {
    return testing::source_dir() / "dashboard";
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// gzip (or zlib) data inflated; throws on corrupt data.
std::string inflate_gzip(const std::string& data) {
    z_stream z{};
    if (inflateInit2(&z, 15 + 32) != Z_OK)
        throw std::runtime_error("inflateInit2");
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buf[16384];
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        z.next_out = reinterpret_cast<Bytef*>(buf);
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END) {
            inflateEnd(&z);
            throw std::runtime_error("corrupt gzip data");
        }
        out.append(buf, sizeof buf - z.avail_out);
    }
    inflateEnd(&z);
    return out;
}

http_request get(const std::string& target, const std::string& accept_encoding = {},
                 http::verb method = http::verb::get) {
    http_request req{method, target, 11};
    if (!accept_encoding.empty())
        req.set(http::field::accept_encoding, accept_encoding);
    return req;
}

// The files of dashboard/ on disk, by the path they are served at.
std::map<std::string, fs::path> files_on_disk() {
    std::map<std::string, fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dashboard_dir()))
        if (e.is_regular_file() && !e.path().filename().string().starts_with("."))
            out["/" + fs::relative(e.path(), dashboard_dir()).generic_string()] = e.path();
    return out;
}

// The types a browser needs, written out here rather than taken from the code under test.
const std::map<std::string, std::string> expected_types = {
    {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
    {".png", "image/png"},                 {".json", "application/json; charset=utf-8"},
};

constexpr const char* csp =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

TEST(dashboard_files, every_file_of_dashboard_is_embedded_byte_for_byte) {
    std::set<std::string> served;
    for (const auto& f : dashboard::files())
        served.insert(f.path);
    std::set<std::string> on_disk;
    for (const auto& [path, file] : files_on_disk())
        on_disk.insert(path);
    EXPECT_EQ(served, on_disk) << "rebuild: the binary's dashboard is not dashboard/'s";
    for (const auto& [path, file] : files_on_disk()) {
        const auto res = dashboard::answer(get(path), path);
        ASSERT_TRUE(res) << path;
        EXPECT_EQ(res->body(), read_file(file)) << path;
    }
}

TEST(dashboard_files, every_file_is_served_with_its_type_the_csp_and_the_security_headers) {
    ASSERT_FALSE(dashboard::files().empty());
    for (const auto& f : dashboard::files()) {
        SCOPED_TRACE(f.path);
        const auto res = dashboard::answer(get(f.path), f.path);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->result(), http::status::ok);
        const auto ext = fs::path(f.path).extension().string();
        ASSERT_TRUE(expected_types.contains(ext)) << "a file type the dashboard should not have: " << ext;
        EXPECT_EQ((*res)[http::field::content_type], expected_types.at(ext));
        EXPECT_EQ((*res)["Content-Security-Policy"], csp);
        EXPECT_EQ((*res)["X-Content-Type-Options"], "nosniff");
        EXPECT_EQ((*res)["Referrer-Policy"], "no-referrer");
        EXPECT_EQ((*res)[http::field::cache_control], "no-cache");
        EXPECT_FALSE((*res)[http::field::etag].empty());
        EXPECT_EQ((*res)[http::field::content_encoding], "");
    }
}

TEST(dashboard_files, a_client_that_takes_gzip_gets_every_file_gzip_compressed) {
    for (const auto& f : dashboard::files()) {
        SCOPED_TRACE(f.path);
        const auto res = dashboard::answer(get(f.path, "gzip, deflate, br"), f.path);
        ASSERT_TRUE(res);
        EXPECT_EQ((*res)[http::field::content_encoding], "gzip");
        EXPECT_EQ((*res)[http::field::vary], "Accept-Encoding");
        EXPECT_LT(res->body().size(), f.body.size());
        EXPECT_EQ(inflate_gzip(res->body()), read_file(files_on_disk().at(f.path)));
    }
}

TEST(dashboard_files, gzip_refused_with_q_0_or_not_named_gets_the_plain_file) {
    for (const std::string accept : {"", "identity", "gzip;q=0", "gzip; q=0.0, identity", "deflate, br"}) {
        SCOPED_TRACE(accept);
        const auto res = dashboard::answer(get("/app.js", accept), "/app.js");
        ASSERT_TRUE(res);
        EXPECT_EQ((*res)[http::field::content_encoding], "");
        EXPECT_EQ(res->body(), read_file(dashboard_dir() / "app.js"));
    }
    for (const std::string accept : {"GZIP", "br;q=1, gzip;q=0.5", "*", "x-gzip"}) {
        SCOPED_TRACE(accept);
        const auto res = dashboard::answer(get("/app.js", accept), "/app.js");
        ASSERT_TRUE(res);
        EXPECT_EQ((*res)[http::field::content_encoding], "gzip");
    }
}

TEST(dashboard_files, the_root_is_index_html) {
    const auto root = dashboard::answer(get("/"), "/");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->body(), read_file(dashboard_dir() / "index.html"));
    EXPECT_EQ((*root)[http::field::content_type], "text/html; charset=utf-8");
}

TEST(dashboard_files, paths_that_are_no_dashboard_file_are_left_to_the_daemon) {
    for (const std::string path : {"/nope.js", "/index.htm", "/../CMakeLists.txt", "/api/v1/session", "/app.js/",
                                   "//app.js", "/APP.JS", "/healthz"})
        EXPECT_FALSE(dashboard::answer(get(path), path)) << path;
}

TEST(dashboard_files, a_known_etag_gets_304_without_a_body) {
    const auto first = dashboard::answer(get("/style.css", "gzip"), "/style.css");
    ASSERT_TRUE(first);
    auto again = get("/style.css", "gzip");
    again.set(http::field::if_none_match, (*first)[http::field::etag]);
    const auto res = dashboard::answer(again, "/style.css");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result(), http::status::not_modified);
    EXPECT_TRUE(res->body().empty());
    EXPECT_EQ((*res)["Content-Security-Policy"], csp);
    auto other = get("/style.css");
    other.set(http::field::if_none_match, "\"0000000000000000\"");
    EXPECT_EQ(dashboard::answer(other, "/style.css")->result(), http::status::ok);
}

TEST(dashboard_files, writes_to_a_dashboard_file_get_405_with_allow) {
    for (const auto verb : {http::verb::post, http::verb::put, http::verb::delete_}) {
        const auto res = dashboard::answer(get("/", "", verb), "/");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->result(), http::status::method_not_allowed);
        EXPECT_EQ((*res)[http::field::allow], "GET, HEAD");
    }
    const auto head = dashboard::answer(get("/", "", http::verb::head), "/");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->result(), http::status::ok);
}

// The first load is index.html and every file it pulls in (the stylesheet, app.js and the modules
// it imports, which are all the others): all of them together, compressed as served.
TEST(dashboard_files, the_first_load_is_under_200_kb_compressed) {
    std::size_t total = 0;
    for (const auto& f : dashboard::files()) {
        const auto res = dashboard::answer(get(f.path, "gzip"), f.path);
        ASSERT_TRUE(res);
        total += res->body().size();
    }
    EXPECT_LT(total, 200u * 1024u) << "the dashboard is " << total << " bytes compressed";
    std::cout << "dashboard: " << dashboard::files().size() << " files, " << total << " bytes gzip-compressed\n";
}

// The CSP (default-src 'self', no 'unsafe-inline') would block these in a browser; and no page
// text goes through innerHTML (anyone who can text the gateway writes what the dashboard shows).
TEST(dashboard_files, the_pages_have_no_inline_script_or_style_and_no_innerhtml) {
    const std::regex inline_script(R"(<script(?![^>]*\bsrc=)[^>]*>)", std::regex::icase);
    const std::regex inline_handler(R"(\son[a-z]+\s*=)", std::regex::icase);
    const std::regex style_attribute(R"(\sstyle\s*=)", std::regex::icase);
    for (const auto& f : dashboard::files()) {
        SCOPED_TRACE(f.path);
        if (f.path.ends_with(".html")) {
            EXPECT_FALSE(std::regex_search(f.body, inline_script));
            EXPECT_FALSE(std::regex_search(f.body, inline_handler));
            EXPECT_FALSE(std::regex_search(f.body, style_attribute));
            EXPECT_EQ(f.body.find("<style"), std::string::npos);
            EXPECT_EQ(f.body.find("http://"), std::string::npos) << "a third-party request";
            EXPECT_EQ(f.body.find("https://"), std::string::npos) << "a third-party request";
        }
        if (f.path.ends_with(".js")) {
            EXPECT_EQ(f.body.find("innerHTML"), std::string::npos);
            EXPECT_EQ(f.body.find("eval("), std::string::npos);
            EXPECT_EQ(f.body.find("setAttribute('style'"), std::string::npos);
        }
    }
}

// Through the daemon over loopback: the dashboard at / and its files, the daemon's own paths as
// they were, unknown paths 404.
TEST(dashboard_files, the_daemon_serves_the_dashboard_at_the_root_and_its_own_paths_as_before) {
    testing::running_gateway g("dashboard-routes");
    const auto root = testing::http_get(g.port(), "/");
    EXPECT_EQ(root.status, 200);
    EXPECT_EQ(root.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(root.body, read_file(dashboard_dir() / "index.html"));
    const auto script = testing::http_get(g.port(), "/app.js?v=1");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(testing::http_get(g.port(), "/healthz").body, "ok\n");
    EXPECT_EQ(testing::http_get(g.port(), "/channels/nope/receive").status, 404);
    EXPECT_EQ(testing::http_get(g.port(), "/nope.html").status, 404);
    EXPECT_EQ(testing::http_get(g.port(), "/api/app.js").status, 404);
    EXPECT_EQ(testing::http_post(g.port(), "/", "x=1").status, 405);
}

} // namespace
} // namespace kharuul::gateway
