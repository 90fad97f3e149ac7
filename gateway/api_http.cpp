#include "gateway/api_http.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace kharuul::gateway::api {

void set_security_headers(http_response& res) {
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

http_response to_response(const api_answer& a, unsigned version) {
    http_response res{a.status, version};
    if (a.csv) {
        res.set(http::field::content_type, "text/csv; charset=utf-8");
        res.set(http::field::content_disposition,
                "attachment; filename=\"" + (a.csv_name.empty() ? std::string("export.csv") : a.csv_name) + "\"");
        res.body() = *a.csv;
    } else if (a.status != http::status::no_content) {
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.body() = boost::json::serialize(a.body);
    }
    if (a.status == http::status::unauthorized)
        res.set(http::field::www_authenticate, "Bearer realm=\"kharuul\"");
    set_security_headers(res);
    res.prepare_payload();
    return res;
}

http_response error_response(http::status status, unsigned version, std::string message, std::string next) {
    return to_response(error_answer(status, std::move(message), std::move(next)), version);
}

http_response too_many(unsigned version, std::chrono::seconds retry_after) {
    auto res = error_response(http::status::too_many_requests, version, "too many failed authentications from this address",
                              "wait " + std::to_string(retry_after.count()) + " seconds, then try again with a valid token");
    res.set(http::field::retry_after, std::to_string(retry_after.count()));
    return res;
}

std::optional<std::map<std::string, std::string, std::less<>>> query_of(std::string_view target) {
    // A NUL-terminated copy: Boost.URL 1.81 may read past the end of a view (boostorg/url#757).
    const std::string copy(target);
    auto url = boost::urls::parse_origin_form(copy.c_str());
    if (!url)
        return std::nullopt;
    std::map<std::string, std::string, std::less<>> out;
    for (auto p : url->params())
        out[std::string(p.key)] = std::string(p.value);
    return out;
}

} // namespace kharuul::gateway::api
