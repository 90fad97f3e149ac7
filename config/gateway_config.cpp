#include "config/gateway_config.hpp"

#include "config/config_reader.hpp"
#include "config/language_config.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace kharuul::config {

namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> enum_from(const std::array<std::pair<Enum, std::string_view>, N>& names,
                              std::string_view name) noexcept {
    for (const auto& [value, text] : names) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view enum_name(const std::array<std::pair<Enum, std::string_view>, N>& names,
                           Enum value) noexcept {
    for (const auto& [v, text] : names) {
        if (v == value) {
            return text;
        }
    }
    return "?";
}

constexpr std::array<std::pair<channel_type, std::string_view>, 6> channel_type_names{{
    {channel_type::generic, "generic"},
    {channel_type::kannel, "kannel"},
    {channel_type::twilio, "twilio"},
    {channel_type::africastalking, "africastalking"},
    {channel_type::log, "log"},
    {channel_type::smpp, "smpp"},
}};

constexpr std::array<std::pair<site_kind, std::string_view>, 5> site_kind_names{{
    {site_kind::mine, "mine"},
    {site_kind::market, "market"},
    {site_kind::dumpsite, "dumpsite"},
    {site_kind::brickyard, "brickyard"},
    {site_kind::other, "other"},
}};

constexpr std::array<std::pair<member_role, std::string_view>, 2> member_role_names{{
    {member_role::member, "member"},
    {member_role::leader, "leader"},
}};

constexpr std::array<std::pair<reporter_kind, std::string_view>, 5> reporter_kind_names{{
    {reporter_kind::volunteer, "volunteer"},
    {reporter_kind::teacher, "teacher"},
    {reporter_kind::parent, "parent"},
    {reporter_kind::worker, "worker"},
    {reporter_kind::other, "other"},
}};

} // namespace

std::optional<endpoint> parse_endpoint(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (host.empty() || port.empty() || port.size() > 5 ||
        host.find_first_of(" \t/") != std::string_view::npos) {
        return std::nullopt;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc{} || end != port.data() + port.size() || value > 65535) {
        return std::nullopt;
    }
    return endpoint{std::string(host), static_cast<std::uint16_t>(value)};
}

std::string to_string(const endpoint& e) {
    const bool v6 = e.host.find(':') != std::string::npos;
    std::string out = v6 ? "[" + e.host + "]" : e.host;
    out += ':';
    out += std::to_string(e.port);
    return out;
}

std::string_view channel_type_name(channel_type t) noexcept {
    return enum_name(channel_type_names, t);
}

std::optional<channel_type> channel_type_from(std::string_view name) noexcept {
    return enum_from(channel_type_names, name);
}

bool needs_secret(channel_type t) noexcept {
    return t == channel_type::generic || t == channel_type::kannel || t == channel_type::africastalking;
}

std::string_view site_kind_name(site_kind k) noexcept {
    return enum_name(site_kind_names, k);
}

std::optional<site_kind> site_kind_from(std::string_view name) noexcept {
    return enum_from(site_kind_names, name);
}

bool area_covers(std::string_view team_area, std::string_view site_area) noexcept {
    if (team_area.empty() || !site_area.starts_with(team_area)) {
        return false;
    }
    return site_area.size() == team_area.size() || site_area[team_area.size()] == '/';
}

bool is_site_code(std::string_view code) noexcept {
    return code.size() >= 2 && detail::is_code(code, 8);
}

bool is_area_name(std::string_view text) noexcept {
    return detail::is_area(text);
}

std::string_view member_role_name(member_role r) noexcept {
    return enum_name(member_role_names, r);
}

std::optional<member_role> member_role_from(std::string_view name) noexcept {
    return enum_from(member_role_names, name);
}

std::string_view reporter_kind_name(reporter_kind k) noexcept {
    return enum_name(reporter_kind_names, k);
}

std::optional<reporter_kind> reporter_kind_from(std::string_view name) noexcept {
    return enum_from(reporter_kind_names, name);
}

const channel_config* gateway_config::find_channel(std::string_view name) const noexcept {
    const auto it = std::ranges::find(channels, name, &channel_config::name);
    return it == channels.end() ? nullptr : &*it;
}

const site_config* gateway_config::find_site(std::string_view code) const noexcept {
    const auto it = std::ranges::find(sites, code, &site_config::code);
    return it == sites.end() ? nullptr : &*it;
}

std::vector<const team_config*> gateway_config::teams_covering(const site_config& site) const {
    std::vector<const team_config*> out;
    for (const auto& team : teams) {
        const bool covers = std::ranges::any_of(
            team.areas, [&](const std::string& area) { return area_covers(area, site.area); });
        if (covers) {
            out.push_back(&team);
        }
    }
    return out;
}

std::vector<std::string> gateway_config::site_codes() const {
    std::vector<std::string> out;
    out.reserve(sites.size());
    for (const auto& site : sites) {
        out.push_back(site.code);
    }
    return out;
}

} // namespace kharuul::config
