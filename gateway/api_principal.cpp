#include "gateway/api_principal.hpp"

#include "gateway/api_auth.hpp"
#include "store/registry.hpp"

#include <boost/json/serialize.hpp>

namespace kharuul::gateway::api {

namespace {

resolved_token principal_of(store::connection& db, const store::token_record& t) {
    resolved_token out;
    out.token_id = t.id;
    const auto r = role_from(t.role);
    if (!r) {
        out.refusal = "the token's role is unknown to this build";
        return out;
    }
    principal p;
    p.token_id = t.id;
    p.label = t.label;
    p.who = *r;
    if (*r == role::team) {
        p.team = t.team.value_or("");
        bool found = false;
        for (auto& team : store::list_teams(db))
            if (team.definition.name == p.team) {
                p.areas = std::move(team.definition.areas);
                p.sensitive_cases = team.definition.sensitive_cases;
                found = true;
                break;
            }
        if (!found) {
            out.refusal = "the token's team no longer exists";
            return out;
        }
    } else {
        p.sensitive_cases = *r == role::admin || *r == role::coordinator;
    }
    out.who = std::move(p);
    return out;
}

} // namespace

resolved_token resolve_by_hash(store::connection& db, const store::token_hash& hash, store::timestamp now) {
    auto t = store::find_token_by_hash(db, hash, now);
    if (!t || !same_hash(t->hash, hash))
        return {std::nullopt, "unknown, revoked or expired token", 0, false};
    return principal_of(db, *t);
}

resolved_token resolve_by_id(store::connection& db, std::int64_t token_id, store::timestamp now) {
    auto t = store::find_token(db, token_id);
    if (!t)
        return {std::nullopt, "unknown token", 0, true};
    if (!t->live(now))
        return {std::nullopt, t->revoked_at ? "the token was revoked" : "the token has expired", t->id, true};
    return principal_of(db, *t);
}

store::audit_entry audit_row(const principal& who, store::timestamp at, std::string action, std::string object,
                             const boost::json::object& detail) {
    store::audit_entry e;
    e.at = at;
    e.actor = who.label;
    if (who.token_id != 0)
        e.token_id = who.token_id;
    e.role = std::string(to_string(who.who));
    if (!who.client.empty())
        e.client = who.client;
    e.action = std::move(action);
    e.object = std::move(object);
    if (!detail.empty())
        e.detail = boost::json::serialize(detail);
    return e;
}

} // namespace kharuul::gateway::api
