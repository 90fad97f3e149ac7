#include "gateway/api_registry_json.hpp"

#include "config/gateway_config.hpp"
#include "gateway/time_text.hpp"
#include "parser/phone.hpp"
#include "parser/reply.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <set>

namespace kharuul::gateway::registry_api {
namespace json = boost::json;
using api::http::status;

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

std::string quoted(std::string_view s) { return json::serialize(json::string(s)); }

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace

void refuse(status st, std::string error, std::string next) {
    throw refusal{api::error_answer(st, std::move(error), std::move(next))};
}

void bad_field(std::string_view field, std::string what, std::string next) {
    refuse(status::bad_request, std::string(field) + ": " + std::move(what), std::move(next));
}

body::body(std::string_view text, std::initializer_list<std::string_view> allowed) {
    std::string fields;
    for (auto f : allowed)
        fields += (fields.empty() ? "" : ", ") + std::string(f);
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object())
        refuse(status::bad_request, text.empty() ? "body: missing: send a JSON object" : "body: not a JSON object",
               "send {\"field\": value, ...} with the fields " + fields);
    o_ = std::move(v.as_object());
    for (const auto& kv : o_)
        if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end())
            bad_field(kv.key(), "unknown field", "the fields are " + fields);
}

std::optional<std::string> body::text(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    if (!v->is_string())
        bad_field(key, "must be a string");
    return std::string(v->as_string());
}

std::optional<bool> body::flag(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    if (!v->is_bool())
        bad_field(key, "must be true or false");
    return v->as_bool();
}

std::optional<std::vector<std::string>> body::texts(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null())
        return std::nullopt;
    if (!v->is_array())
        bad_field(key, "must be an array of strings");
    std::vector<std::string> out;
    for (const auto& e : v->as_array()) {
        if (!e.is_string())
            bad_field(key, "must be an array of strings");
        out.emplace_back(e.as_string());
    }
    return out;
}

const json::array* body::array(std::string_view key) const {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || v->is_null())
        return nullptr;
    if (!v->is_array())
        bad_field(key, "must be an array");
    return &v->as_array();
}

std::string phone_value(std::string_view typed, std::string_view field, const api::api_context& ctx) {
    const std::string country = ctx.cfg ? ctx.cfg->server.country_code : std::string();
    std::string phone = parser::normalise_phone(typed, country);
    if (!parser::is_e164(phone))
        bad_field(field, quoted(typed) + " is not a phone number in E.164",
                  "write it as +97699000101" + std::string(country.empty() ? "" : ", or as a national number"));
    return phone;
}

std::string site_code_value(std::string_view typed, std::string_view field) {
    const std::string_view code = trimmed(typed);
    if (config::is_site_code(code))
        return std::string(code);
    if (code.size() < 2 && !code.empty())
        bad_field(field, quoted(code) + " is too short for a site code",
                  "use 2 to 8 Latin capitals and digits: one letter is read as a sex");
    const std::string up = upper(code);
    bad_field(field, quoted(code) + " is not a site code",
              config::is_site_code(up) ? "write it in capitals: " + up
                                       : "use 2 to 8 Latin capitals and digits, starting with a capital, e.g. ALT");
}

std::string area_value(std::string_view typed, std::string_view field) {
    if (!config::is_area_name(typed))
        bad_field(field, quoted(typed) + " is not an area",
                  "write it as Aimag/Soum or Ulaanbaatar/District, without empty parts");
    return std::string(typed);
}

std::string lang_value(std::string_view typed, std::string_view field) {
    const std::string l = lower(trimmed(typed));
    if (!parser::reply_language_from(l))
        bad_field(field, quoted(typed) + " is not a language", "use mn or en");
    return l;
}

std::string site_kind_value(std::string_view typed, std::string_view field) {
    const auto k = config::site_kind_from(lower(trimmed(typed)));
    if (!k)
        bad_field(field, quoted(typed) + " is not a site kind", "use one of mine, market, dumpsite, brickyard, other");
    return std::string(config::site_kind_name(*k));
}

std::string reporter_kind_value(std::string_view typed, std::string_view field) {
    const auto k = config::reporter_kind_from(lower(trimmed(typed)));
    if (!k)
        bad_field(field, quoted(typed) + " is not a reporter kind",
                  "use one of volunteer, teacher, parent, worker, other");
    return std::string(config::reporter_kind_name(*k));
}

std::string role_value(std::string_view typed, std::string_view field) {
    const auto r = config::member_role_from(lower(trimmed(typed)));
    if (!r)
        bad_field(field, quoted(typed) + " is not a team role", "use member or leader");
    return std::string(config::member_role_name(*r));
}

std::string name_value(std::string_view typed, std::string_view field) {
    const std::string_view name = trimmed(typed);
    if (name.size() > 200)
        bad_field(field, "is longer than 200 characters");
    if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        bad_field(field, "has a control character (a line break, a tab)");
    return std::string(name);
}

std::vector<store::team_member> members_value(const json::array& members, const api::api_context& ctx) {
    if (members.empty())
        bad_field("members", "is empty, so nobody would get the team's alerts",
                  "add [{\"phone\": \"+97699000101\", \"name\": \"...\", \"role\": \"leader\"}]");
    std::vector<store::team_member> out;
    std::set<std::string> phones;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const std::string at = "members[" + std::to_string(i) + "]";
        if (!members[i].is_object())
            bad_field(at, "must be an object {\"phone\", \"name\", \"role\", \"lang\"}");
        const json::object& m = members[i].as_object();
        for (const auto& kv : m)
            if (kv.key() != "phone" && kv.key() != "name" && kv.key() != "role" && kv.key() != "lang")
                bad_field(at + "." + std::string(kv.key()), "unknown field", "the fields are phone, name, role, lang");
        auto text_of = [&](std::string_view key) -> std::optional<std::string> {
            const json::value* v = m.if_contains(key);
            if (v == nullptr || v->is_null())
                return std::nullopt;
            if (!v->is_string())
                bad_field(at + "." + std::string(key), "must be a string");
            return std::string(v->as_string());
        };
        store::team_member tm;
        const auto phone = text_of("phone");
        if (!phone)
            bad_field(at + ".phone", "missing", "give each member's phone, e.g. +97699000101");
        tm.phone = phone_value(*phone, at + ".phone", ctx);
        if (!phones.insert(tm.phone).second)
            bad_field(at + ".phone", parser::mask_phone(tm.phone) + " is listed twice", "list each member once");
        tm.name = name_value(text_of("name").value_or(""), at + ".name");
        tm.role = role_value(text_of("role").value_or("member"), at + ".role");
        tm.lang = lang_value(text_of("lang").value_or("mn"), at + ".lang");
        out.push_back(std::move(tm));
    }
    if (std::none_of(out.begin(), out.end(), [](const store::team_member& m) { return m.role == "leader"; }))
        bad_field("members", "the team has no leader",
                  "set \"role\": \"leader\" on one member: unacknowledged alerts escalate to the leader");
    return out;
}

json::object site_json(const store::site& s) {
    return {{"code", s.code}, {"name", s.name},     {"kind", s.kind},
            {"area", s.area}, {"active", s.active}, {"origin", s.from_config ? "config" : "cli"}};
}

json::object team_json(const store::team& t, bool from_config, const api::principal& who, bool known) {
    json::array areas;
    for (const auto& a : t.areas)
        areas.emplace_back(a);
    json::array members;
    for (const auto& m : t.members)
        members.push_back(json::object{{"phone", api::shown_phone(who, m.phone, known)},
                                       {"name", m.name},
                                       {"role", m.role},
                                       {"lang", m.lang}});
    return {{"name", t.name},
            {"areas", std::move(areas)},
            {"sensitive_cases", t.sensitive_cases},
            {"members", std::move(members)},
            {"origin", from_config ? "config" : "cli"}};
}

json::object coordinator_json(const store::coordinator& c, bool active, const api::principal& who) {
    return {{"phone", api::shown_phone(who, c.phone, false)},
            {"name", c.name},
            {"lang", c.lang},
            {"active", active},
            {"origin", c.from_config ? "config" : "cli"}};
}

json::object reporter_json(const store::reporter_record& r, const std::vector<std::string>& sites,
                           const api::principal& who) {
    json::array codes;
    for (const auto& s : sites)
        codes.emplace_back(s);
    return {{"phone", api::shown_phone(who, r.phone, true)},
            {"name", r.name},
            {"lang", r.lang},
            {"kind", r.kind},
            {"sites", std::move(codes)},
            {"active", r.active},
            {"origin", r.from_config ? "config" : "cli"},
            {"created_at", format_utc_iso(r.created_at)}};
}

json::object changed_fields(const json::object* before, const json::object& after) {
    json::object out;
    for (const auto& kv : after) {
        if (kv.key() == "origin" || kv.key() == "created_at")
            continue;
        if (before != nullptr) {
            const json::value* was = before->if_contains(kv.key());
            if (was != nullptr && *was == kv.value())
                continue;
        }
        json::value v = kv.value();
        if (kv.key() == "phone" && v.is_string())
            v = parser::mask_phone(v.as_string());
        if (kv.key() == "members" && v.is_array())
            for (auto& m : v.as_array())
                if (m.is_object())
                    if (auto* p = m.as_object().if_contains("phone"); p != nullptr && p->is_string())
                        *p = parser::mask_phone(p->as_string());
        out[kv.key()] = std::move(v);
    }
    return out;
}

} // namespace kharuul::gateway::registry_api
