// What one request of a read endpoint may see (docs/api.md "Reading records and figures"), worked
// out once per request from the registry as the store holds it now: the sites in the principal's
// scope, the phone numbers a team knows (its own members, the reporters of its sites), and the
// rules for each kind of record (api_types.hpp: in_scope, may_see_sensitive, shown_phone). Also
// the query parameters' reading and checking shared by the endpoints (a bad one is 400 naming it
// and what it accepts). Runs on the reader's thread.
#pragma once

#include "gateway/api_types.hpp"
#include "store/alerts.hpp"
#include "store/cases.hpp"
#include "store/message_log.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kharuul::gateway::api {

// ---- parameters --------------------------------------------------------------------------------

// A parameter that is not what the endpoint accepts: the 400 answer.
struct bad_parameter {
    api_answer answer;
};
[[noreturn]] void reject(std::string_view name, std::string_view value, std::string_view accepts);

// The endpoint's query, read and checked as it is used; throws bad_parameter.
class query_params {
public:
    // `known`: the parameters the endpoint takes (besides format); any other is a bad parameter.
    query_params(const api_request& rq, const api_context& ctx, std::initializer_list<std::string_view> known);

    std::optional<std::string> text(std::string_view name) const; // absent or empty: nullopt
    // limit: 1..1000, default 100.
    std::size_t limit() const;
    // A positive id (before, after); nullopt when absent.
    std::optional<std::int64_t> id(std::string_view name) const;
    // since/until/from: as `kharuul log` reads them (parse_time_bound).
    std::optional<store::timestamp> time(std::string_view name, bool until_bound) const;
    std::optional<store::phone_match> phone(std::string_view name) const;
    // true/false (also 1/0, yes/no); `fallback` when absent.
    bool flag(std::string_view name, bool fallback = false) const;
    // format=json (default) or csv, when the endpoint answers lists.
    bool csv() const;

private:
    const api_request& rq_;
    const api_context& ctx_;
};

// ---- scope -------------------------------------------------------------------------------------

class read_scope {
public:
    read_scope(store::connection& db, const principal& who);

    const principal& who() const { return who_; }
    // A site's area; "" when the registry does not know it.
    std::string area_of(std::string_view site) const;
    bool site_in_scope(std::string_view site) const;
    bool any_site_in_scope(const std::optional<std::string>& site) const {
        return site && site_in_scope(std::string_view(*site));
    }
    // A team's own members and the reporters of its sites (always true for admin, coordinator).
    bool known(std::string_view phone) const;
    std::string phone(std::string_view phone) const { return shown_phone(who_, phone, known(phone)); }

    // Whether a case of this site and sensitivity may be shown at all.
    bool case_visible(std::string_view site, bool sensitive) const;
    bool sensitive_visible() const { return may_see_sensitive(who_); }

    // A message is in scope when one of its events' sites is, or, with no event, when its sender
    // is a reporter of a site in scope or a member of the team (its ACK); a stranger's never.
    // Sensitive: one of its events is.
    struct message_view {
        bool visible = false;
        bool sensitive = false;
        std::optional<std::string> site; // its events' site, when one names it
    };
    message_view message(store::connection& db, const store::message_record& m) const;
    // An event: its site in scope; sensitive when it is, or its case is.
    struct event_view {
        bool visible = false;
        bool sensitive = false;
    };
    event_view event(store::connection& db, const store::event_record& e) const;
    bool alert_visible(const store::alert_record& a) const;
    // An outbox row: its recipient a member of the team, or its alert or message in scope; hidden
    // when its alert or message is sensitive and the principal may not see such.
    struct outbox_view {
        bool visible = false;
        bool sensitive = false;
    };
    outbox_view outbox(store::connection& db, const store::outbox_record& m) const;

    // The rows with their phone numbers as this principal may see them.
    void mask_message(boost::json::object& row) const;
    void mask_event(boost::json::object& row) const;
    void mask_case(boost::json::object& row) const;
    void mask_alert(boost::json::object& row) const;
    void mask_outbox(boost::json::object& row) const;
    void mask_history(boost::json::object& row, std::string_view key) const;
    void mask_keys(boost::json::object& row, std::initializer_list<std::string_view> keys) const;

private:
    principal who_;
    std::map<std::string, std::string, std::less<>> area_of_site_;
    std::set<std::string, std::less<>> known_;
    std::set<std::string, std::less<>> reporters_in_scope_;
    std::set<std::string, std::less<>> team_members_; // of the principal's team
};

// The audit note for one shown sensitive record ("case 100009", "alert 3", "message 12").
audit_note read_note(std::string object, const principal& who);

// The answer for a list: {"<name>": rows, "next": cursor|null}.
api_answer list_answer(std::string_view name, boost::json::array rows, std::optional<std::int64_t> next);

} // namespace kharuul::gateway::api
