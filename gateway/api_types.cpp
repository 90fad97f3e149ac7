#include "gateway/api_types.hpp"

#include "alerts/routing.hpp"
#include "parser/phone.hpp"

#include <algorithm>

namespace kharuul::gateway::api {

std::string_view to_string(role r) noexcept {
    switch (r) {
    case role::admin:
        return "admin";
    case role::coordinator:
        return "coordinator";
    case role::team:
        return "team";
    case role::viewer:
        return "viewer";
    }
    return "viewer";
}

std::optional<role> role_from(std::string_view s) noexcept {
    for (role r : {role::admin, role::coordinator, role::team, role::viewer})
        if (s == to_string(r))
            return r;
    return std::nullopt;
}

bool sees_records(const principal& p) noexcept { return p.who != role::viewer; }

bool administers(const principal& p) noexcept { return p.who == role::admin || p.who == role::coordinator; }

bool in_scope(const principal& p, std::string_view site_area) {
    switch (p.who) {
    case role::admin:
    case role::coordinator:
        return true;
    case role::team:
        return std::any_of(p.areas.begin(), p.areas.end(),
                           [&](const std::string& a) { return alerts::area_covers(a, site_area); });
    case role::viewer:
        return false;
    }
    return false;
}

bool may_see_sensitive(const principal& p) noexcept {
    return administers(p) || (p.who == role::team && p.sensitive_cases);
}

std::string shown_phone(const principal& p, std::string_view phone, bool known_to_team) {
    if (administers(p) || (p.who == role::team && known_to_team))
        return std::string(phone);
    return parser::mask_phone(phone);
}

api_answer error_answer(http::status status, std::string message, std::string next) {
    api_answer a;
    a.status = status;
    boost::json::object o;
    o["error"] = std::move(message);
    if (!next.empty())
        o["next"] = std::move(next);
    a.body = std::move(o);
    return a;
}

api_answer not_found(std::string what) { return error_answer(http::status::not_found, "no such " + std::move(what)); }

api_answer forbidden() { return error_answer(http::status::forbidden, "not allowed for this token's role"); }

} // namespace kharuul::gateway::api
