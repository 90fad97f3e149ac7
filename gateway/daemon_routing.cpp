#include "gateway/daemon_routing.hpp"

#include "parser/reply.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace kharuul::gateway::daemon_detail {

std::string public_url_of(const config::gateway_config& c) {
    if (!c.server.public_url.empty())
        return c.server.public_url;
    const std::string host = c.server.listen.host == "0.0.0.0" || c.server.listen.host == "::" ? "127.0.0.1"
                                                                                                 : c.server.listen.host;
    return "http://" + config::to_string(config::endpoint{host, c.server.listen.port});
}

synced_registry registry_held(store::connection& db, store::registry_changes changes) {
    synced_registry held;
    changes.active_sites = store::active_site_codes(db);
    held.changes = std::move(changes);
    held.sites = store::list_sites(db);
    held.teams = store::list_teams(db);
    held.coordinators = store::list_coordinators(db);
    held.whole = true;
    return held;
}

namespace {

config::site_config site_config_of(const store::site& st) {
    return {st.code, st.name, config::site_kind_from(st.kind).value_or(config::site_kind::other), st.area};
}

config::team_config team_config_of(const store::team_record& t) {
    config::team_config team{t.definition.name, t.definition.areas, t.definition.sensitive_cases, {}};
    for (const auto& m : t.definition.members)
        team.members.push_back({m.phone, m.name, config::member_role_from(m.role).value_or(config::member_role::member),
                                parser::reply_language_from(m.lang).value_or(parser::reply_language::mn)});
    return team;
}

} // namespace

config::gateway_config effective(const config::gateway_config& c, const synced_registry& held) {
    config::gateway_config e = c;
    if (held.whole) {
        // The file's sites in the file's order with the store's details, then the store's others.
        for (auto& fs : e.sites)
            for (const auto& st : held.sites)
                if (st.code == fs.code)
                    fs = site_config_of(st);
        for (const auto& st : held.sites)
            if (c.find_site(st.code) == nullptr)
                e.sites.push_back(site_config_of(st));
        e.teams.clear();
        for (const auto& t : held.teams)
            e.teams.push_back(team_config_of(t));
        e.coordinators.clear();
        for (const auto& co : held.coordinators)
            e.coordinators.push_back(
                {co.phone, co.name, parser::reply_language_from(co.lang).value_or(parser::reply_language::mn)});
        return e;
    }
    for (const auto& st : held.sites)
        if (e.find_site(st.code) == nullptr && (!st.active || c.sites.empty()))
            e.sites.push_back(site_config_of(st));
    if (c.teams.empty())
        for (const auto& t : held.teams)
            e.teams.push_back(team_config_of(t));
    return e;
}

namespace {

// The lexicon's sites: the file's in its order (those still active), then the store's others.
std::vector<std::string> parser_sites(const config::gateway_config& file, const synced_registry& held) {
    if (!held.whole)
        return file.sites.empty() ? held.changes.active_sites : file.site_codes();
    const auto& active = held.changes.active_sites;
    std::vector<std::string> out;
    for (const auto& code : file.site_codes())
        if (std::find(active.begin(), active.end(), code) != active.end())
            out.push_back(code);
    for (const auto& code : active)
        if (std::find(out.begin(), out.end(), code) == out.end())
            out.push_back(code);
    return out;
}

} // namespace

std::shared_ptr<const routing> routing_of(const config::gateway_config& file, const synced_registry& held) {
    const config::gateway_config c = effective(file, held);
    auto r = std::make_shared<routing>();
    r->lex = std::make_shared<const parser::lexicon>(c.language, parser_sites(file, held));
    for (const auto& ch : c.channels) {
        channel_binding b;
        b.cfg = ch;
        b.dialect = adapters::find_dialect(config::channel_type_name(ch.type));
        b.settings = {ch.name, std::string(config::channel_type_name(ch.type)), ch.secret, ch.auth_token,
                      public_url_of(c), c.server.country_code};
        r->channels.emplace(ch.name, std::move(b));
    }
    r->intake = intake_settings_of(c);
    return r;
}

std::map<std::string, std::shared_ptr<adapters::outbound_channel>, std::less<>>
outbound_channels_of(const config::gateway_config& c, boost::asio::any_io_executor ex) {
    std::map<std::string, std::shared_ptr<adapters::outbound_channel>, std::less<>> out;
    for (const auto& ch : c.channels) {
        adapters::outbound_settings o;
        o.name = ch.name;
        o.type = std::string(config::channel_type_name(ch.type));
        o.send_url = ch.send_url;
        o.username = ch.type == config::channel_type::twilio ? ch.account_sid : ch.username;
        o.password = ch.type == config::channel_type::twilio ? ch.auth_token : ch.password;
        o.api_key = ch.api_key;
        o.ca_file = ch.ca_file;
        o.allow_insecure = ch.allow_insecure;
        o.sender = ch.sender;
        o.secret = ch.secret;
        o.public_url = public_url_of(c);
        o.timeout = ch.timeout;
        if (ch.type != config::channel_type::log && ch.send_url.empty())
            continue; // inbound only
        for (const auto& problem : adapters::outbound_problems(o))
            spdlog::warn("channel {}: {}", ch.name, problem);
        if (auto sender = adapters::make_outbound(o, ex))
            out.emplace(ch.name, std::move(sender));
    }
    return out;
}

} // namespace kharuul::gateway::daemon_detail
