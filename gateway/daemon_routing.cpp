#include "gateway/daemon_routing.hpp"

#include <spdlog/spdlog.h>

namespace kharuul::gateway::daemon_detail {

std::string public_url_of(const config::gateway_config& c) {
    if (!c.server.public_url.empty())
        return c.server.public_url;
    const std::string host = c.server.listen.host == "0.0.0.0" || c.server.listen.host == "::" ? "127.0.0.1"
                                                                                                 : c.server.listen.host;
    return "http://" + config::to_string(config::endpoint{host, c.server.listen.port});
}

config::gateway_config effective(const config::gateway_config& c, const synced_registry& held) {
    config::gateway_config e = c;
    for (const auto& st : held.sites)
        if (e.find_site(st.code) == nullptr && (!st.active || c.sites.empty()))
            e.sites.push_back({st.code, st.name, config::site_kind_from(st.kind).value_or(config::site_kind::other),
                               st.area});
    if (c.teams.empty())
        for (const auto& t : held.teams) {
            config::team_config team{t.definition.name, t.definition.areas, t.definition.sensitive_cases, {}};
            for (const auto& m : t.definition.members)
                team.members.push_back({m.phone, m.name, config::member_role_from(m.role).value_or(config::member_role::member),
                                        parser::reply_language_from(m.lang).value_or(parser::reply_language::mn)});
            e.teams.push_back(std::move(team));
        }
    return e;
}

std::shared_ptr<const routing> routing_of(const config::gateway_config& file, const synced_registry& held) {
    const config::gateway_config c = effective(file, held);
    auto r = std::make_shared<routing>();
    r->lex = std::make_shared<const parser::lexicon>(c.language,
                                                     file.sites.empty() ? held.changes.active_sites : file.site_codes());
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
