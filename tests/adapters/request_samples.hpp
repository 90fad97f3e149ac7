// Helpers the dialect tests share: building Beast requests as providers send them, and a
// one-line summary of a parsed message so that each table row reads as one line.
#pragma once

#include "adapters/dialect.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace kharuul::testing {

namespace http = adapters::http;

using header_list = std::vector<std::pair<std::string, std::string>>;

inline adapters::request make_request(http::verb method, const std::string& target,
                                      const std::string& content_type = {}, std::string body = {},
                                      const header_list& headers = {}) {
    adapters::request req(method, target, 11);
    if (!content_type.empty()) {
        req.set(http::field::content_type, content_type);
    }
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

inline adapters::channel_settings channel(std::string name, std::string type) {
    return {std::move(name), std::move(type), "s3cret", "", "", ""};
}

// "2024-05-01T12:34:56Z"
inline std::string iso(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd(day);
    const hh_mm_ss hms(floor<seconds>(t - day));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", int(ymd.year()),
                  unsigned(ymd.month()), unsigned(ymd.day()), long(hms.hours().count()),
                  long(hms.minutes().count()), long(hms.seconds().count()));
    return buf;
}

inline std::string describe(const adapters::result<adapters::inbound_sms>& r) {
    if (!r) {
        return "error " + std::to_string(static_cast<int>(adapters::status_of(r.error().code))) + ": " +
               r.error().reason;
    }
    std::string s = "from=" + r->from + " to=" + r->to;
    if (!r->provider_id.empty()) {
        s += " id=" + r->provider_id;
    }
    if (r->observed_at) {
        s += " time=" + iso(*r->observed_at);
    }
    return s + " text=[" + r->text + "]";
}

inline std::string describe(const adapters::result<adapters::delivery_report>& r) {
    if (!r) {
        return "error " + std::to_string(static_cast<int>(adapters::status_of(r.error().code))) + ": " +
               r.error().reason;
    }
    std::string s = std::string(adapters::delivery_state_name(r->state));
    if (r->outbox_id) {
        s += " outbox=" + std::to_string(*r->outbox_id);
    }
    if (!r->provider_id.empty()) {
        s += " id=" + r->provider_id;
    }
    if (r->observed_at) {
        s += " time=" + iso(*r->observed_at);
    }
    return s + " detail=[" + r->detail + "]";
}

} // namespace kharuul::testing
