// The registry endpoints' JSON (gateway/api_registry.cpp): reading a request body field by field
// with the checks config applies to the file (site code syntax, areas, E.164 phones, roles,
// languages, kinds), each failure a 400 that names the field; and the records as the endpoints
// show them. Internal to the registry endpoints.
#pragma once

#include "gateway/api_types.hpp"
#include "store/registry.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway::registry_api {

// A request refused: thrown by the readers below, answered as it is (never escapes serve_registry).
struct refusal {
    api::api_answer answer;
};
[[noreturn]] void refuse(api::http::status status, std::string error, std::string next = {});
// 400 "<field>: <what>".
[[noreturn]] void bad_field(std::string_view field, std::string what, std::string next = {});

// The request body: a JSON object whose keys are all in `allowed` (400 naming the first other).
class body {
public:
    body(std::string_view text, std::initializer_list<std::string_view> allowed);
    bool has(std::string_view key) const { return o_.contains(key); }
    // nullopt when absent; 400 when present but of another type (null counts as absent).
    std::optional<std::string> text(std::string_view key) const;
    std::optional<bool> flag(std::string_view key) const;
    std::optional<std::vector<std::string>> texts(std::string_view key) const;
    const boost::json::array* array(std::string_view key) const;

private:
    boost::json::object o_;
};

// The checked values; `field` names the field in the 400 ("members[1].phone").
std::string phone_value(std::string_view typed, std::string_view field, const api::api_context& ctx);
std::string site_code_value(std::string_view typed, std::string_view field);
std::string area_value(std::string_view typed, std::string_view field);
std::string lang_value(std::string_view typed, std::string_view field);
std::string site_kind_value(std::string_view typed, std::string_view field);
std::string reporter_kind_value(std::string_view typed, std::string_view field);
std::string role_value(std::string_view typed, std::string_view field);
// A name as given, trimmed; 400 when longer than 200 characters or with a control character.
std::string name_value(std::string_view typed, std::string_view field);
// `members`: objects of phone (required), name, role (member), lang (mn); a phone once; a leader.
std::vector<store::team_member> members_value(const boost::json::array& members, const api::api_context& ctx);

// The records as the endpoints show them; phones through api::shown_phone (`known`: a team's
// own members, the reporters of its sites).
boost::json::object site_json(const store::site& s);
boost::json::object team_json(const store::team& t, bool from_config, const api::principal& who, bool known);
boost::json::object coordinator_json(const store::coordinator& c, bool active, const api::principal& who);
boost::json::object reporter_json(const store::reporter_record& r, const std::vector<std::string>& sites,
                                  const api::principal& who);

// The audit note's detail: the fields of `after` whose value differs from `before`'s (every field
// when `before` is null), phone numbers masked ("phone", members' "phone").
boost::json::object changed_fields(const boost::json::object* before, const boost::json::object& after);

} // namespace kharuul::gateway::registry_api
