// The coordinators' API (/api/v1, issue 12): who asks (a principal, resolved from a token), what
// they ask (an api_request, decoded from HTTP) and what they get (an api_answer), shared by the
// service that serves /api/v1 (authentication, sessions, the store threads: api_service.hpp), the
// read endpoints (api_reads.hpp) and the registry endpoints (api_registry.hpp). The endpoint
// functions are plain functions over a store::connection: they run on a store thread, never on
// the I/O thread, and never log.
//
// Access (docs/api.md): admin and coordinator see everything, whole phone numbers included;
// team sees only its own areas (lists, single records, figures, exports), a record outside them
// is 404, phone numbers masked but its own members' and its sites' reporters'; viewer sees the
// figures only, small cells suppressed. Sensitive cases (work SEX) only for admin, coordinator
// and teams marked for sensitive cases; every answer that shows one carries an audit entry.
#pragma once

#include "config/gateway_config.hpp"
#include "parser/lexicon.hpp"
#include "store/database.hpp"

#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway::api {

namespace http = boost::beast::http;

enum class role : std::uint8_t { admin, coordinator, team, viewer };
std::string_view to_string(role r) noexcept; // "admin", ...
std::optional<role> role_from(std::string_view s) noexcept;

struct principal {
    std::int64_t token_id = 0;
    std::string label;                // the token's label: the actor in the audit log
    role who = role::viewer;
    std::string team;                 // role team: the team's name
    std::vector<std::string> areas;   // role team: the team's areas as the store holds them now
    bool sensitive_cases = false;     // admin, coordinator, and a team marked for sensitive cases
    std::string client;               // the client's address, for the audit log and rate limits
};

// Everything but figures (viewers see only /report).
bool sees_records(const principal& p) noexcept;
// The registry's writes and the audit log: admin and coordinator.
bool administers(const principal& p) noexcept;
// A site's area is in the principal's scope: always for admin and coordinator, for a team when
// one of its areas covers it (alerts::area_covers), never for a viewer.
bool in_scope(const principal& p, std::string_view site_area);
// A case, alert or event that is sensitive may be shown to the principal.
bool may_see_sensitive(const principal& p) noexcept;
// A phone number as this principal may see it: whole for admin and coordinator, and for a team
// when `known_to_team` (its own members, the reporters of its sites); otherwise parser::mask_phone.
std::string shown_phone(const principal& p, std::string_view phone, bool known_to_team);

// The request as the endpoints see it.
struct api_request {
    http::verb method = http::verb::get;
    std::vector<std::string> path; // the segments after /api/v1: {"cases", "ALT-0012-7"}
    std::map<std::string, std::string, std::less<>> query; // decoded; a repeated key keeps the last
    std::string body;              // JSON for writes (already within the listener's size limit)
    store::timestamp now{};
};

// What the endpoints read besides the store: the running configuration (age bands, reminders,
// the UTC offset) and the field language, as they were when the request arrived.
struct api_context {
    std::shared_ptr<const config::gateway_config> cfg;
    std::shared_ptr<const parser::lexicon> lex;
};

// One row for store::append_audit, the actor and client filled in by the service.
struct audit_note {
    std::string action; // "read", "create", "update", "delete"
    std::string object; // "case ALT-0012-7", "site ALT"
    boost::json::object detail;
};

struct api_answer {
    http::status status = http::status::ok;
    boost::json::value body;           // the JSON answer (errors: {"error": "...", "next": "..."})
    std::optional<std::string> csv;    // ?format=csv: the CSV text instead of `body`
    std::string csv_name;              // "messages.csv": the download's file name
    std::vector<audit_note> audits;    // written durably before the answer leaves
    bool registry_changed = false;     // a write changed sites, teams, coordinators or reporters
};

// {"error": message} (and "next" when given: what to do instead) with that status.
api_answer error_answer(http::status status, std::string message, std::string next = {});
api_answer not_found(std::string what);  // 404 {"error": "no such <what>"}
api_answer forbidden();                  // 403 {"error": "not allowed for this token's role"}

} // namespace kharuul::gateway::api
