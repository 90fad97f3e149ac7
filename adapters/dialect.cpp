#include "adapters/dialect.hpp"

#include "adapters/http_input.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/throw_exception.hpp>

#include <array>

namespace kharuul::adapters {

// ---------------------------------------------------------------------------------------------
// The registry. Each dialect's .cpp defines its accessor; adding a dialect adds its file and one
// line here (the declaration and the table entry below).

const dialect& generic_dialect() noexcept;
const dialect& kannel_dialect() noexcept;
const dialect& twilio_dialect() noexcept;
const dialect& africastalking_dialect() noexcept;

namespace {

using dialect_accessor = const dialect& (*)() noexcept;

constexpr std::array<dialect_accessor, 4> registered_dialects = {&generic_dialect, &kannel_dialect,
                                                                 &twilio_dialect, &africastalking_dialect};

} // namespace

const dialect* find_dialect(std::string_view type) noexcept {
    for (const auto accessor : registered_dialects) {
        const dialect& d = accessor();
        if (d.type() == type) {
            return &d;
        }
    }
    return nullptr;
}

std::vector<std::string_view> dialect_types() {
    std::vector<std::string_view> types;
    types.reserve(registered_dialects.size());
    for (const auto accessor : registered_dialects) {
        types.push_back(accessor().type());
    }
    return types;
}

// ---------------------------------------------------------------------------------------------
// Errors

namespace {

std::string_view errc_name(errc e) noexcept {
    switch (e) {
    case errc::unauthorized:
        return "unauthorized";
    case errc::bad_request:
        return "bad request";
    case errc::unsupported_media_type:
        return "unsupported media type";
    case errc::method_not_allowed:
        return "method not allowed";
    case errc::not_supported:
        return "not supported by this dialect";
    }
    return "unknown";
}

class adapter_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "kharuul.adapters"; }
    std::string message(int ev) const override { return std::string(errc_name(static_cast<errc>(ev))); }
};

} // namespace

const boost::system::error_category& adapter_category() noexcept {
    static const adapter_category_impl instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), adapter_category()};
}

http::status status_of(errc e) noexcept {
    switch (e) {
    case errc::unauthorized:
        return http::status::unauthorized;
    case errc::bad_request:
        return http::status::bad_request;
    case errc::unsupported_media_type:
        return http::status::unsupported_media_type;
    case errc::method_not_allowed:
        return http::status::method_not_allowed;
    case errc::not_supported:
        return http::status::not_found;
    }
    return http::status::bad_request;
}

void throw_exception_from_error(const request_error& e, const boost::source_location& loc) {
    boost::throw_exception(boost::system::system_error(make_error_code(e.code), e.reason), loc);
}

std::string_view delivery_state_name(delivery_state s) noexcept {
    switch (s) {
    case delivery_state::queued:
        return "queued";
    case delivery_state::sent:
        return "sent";
    case delivery_state::delivered:
        return "delivered";
    case delivery_state::failed:
        return "failed";
    }
    return "queued";
}

// ---------------------------------------------------------------------------------------------
// dialect defaults

bool dialect::authenticate(const request& req, const channel_settings& channel) const {
    if (channel.secret.empty()) {
        return false;
    }
    if (const auto it = req.find(http::field::authorization); it != req.end()) {
        if (const auto token = bearer_token(it->value());
            token && constant_time_equals(*token, channel.secret)) {
            return true;
        }
    }
    if (const auto query = form_fields::parse(query_of(req.target()))) {
        if (const auto secret = query->get("secret")) {
            return constant_time_equals(*secret, channel.secret);
        }
    }
    return false;
}

result<delivery_report> dialect::parse_status(const request&, const channel_settings&) const {
    return request_error{errc::not_supported, std::string(type()) + " channels take no delivery reports"};
}

result<ussd_request> dialect::parse_ussd(const request&, const channel_settings&) const {
    return request_error{errc::not_supported, std::string(type()) + " channels take no USSD sessions"};
}

result<ussd_session_end> dialect::parse_ussd_end(const request&, const channel_settings&) const {
    return request_error{errc::not_supported, std::string(type()) + " channels send no end-of-session notices"};
}

response dialect::ussd_screen(const request& req, std::string_view screen, bool end) const {
    response res(http::status::ok, req.version());
    res.keep_alive(req.keep_alive());
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = (end ? "END " : "CON ") + std::string(screen);
    res.prepare_payload();
    return res;
}

response dialect::failed(const request& req, http::status status, std::string_view reason) const {
    std::string body(reason);
    body += '\n';
    return make_failure(req, status, std::move(body), "text/plain; charset=utf-8");
}

response dialect::failed(const request& req, const request_error& error) const {
    return failed(req, status_of(error.code), error.reason);
}

response dialect::make_failure(const request& req, http::status status, std::string body,
                               std::string_view content_type) const {
    response res(status, req.version());
    res.keep_alive(req.keep_alive());
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    switch (status) {
    case http::status::unauthorized:
        res.set(http::field::www_authenticate, "Bearer");
        break;
    case http::status::method_not_allowed:
        res.set(http::field::allow, allowed_methods());
        break;
    case http::status::service_unavailable:
        res.set(http::field::retry_after, std::to_string(retry_after.count()));
        break;
    default:
        break;
    }
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

} // namespace kharuul::adapters
