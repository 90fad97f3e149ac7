// Reading [[sites]], [[teams]], [[coordinators]] and [[reporters]] (config_reader.hpp).
#include "config/config_reader.hpp"

#include <algorithm>
#include <set>

namespace kharuul::config::detail {

void config_reader::read_sites(table_reader& root) {
    const std::vector<std::string> kinds{"mine", "market", "dumpsite", "brickyard", "other"};
    const auto tables = root.get_tables("sites");
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (tables[i] == nullptr) {
            continue;
        }
        table_reader r(*tables[i], index_path("sites", i), sink_);
        site_config s;
        const auto code =
            r.get_string("code", true, "add code = \"ALT\": what volunteers type for the site");
        s.name = r.get_string("name").value_or("");
        const auto kind = read_choice<site_kind>(r, "kind", site_kind_from, kinds, "a site kind");
        const auto area = r.get_string(
            "area", true, "add area = \"Aimag/Soum\": teams covering that area get its alerts");
        r.report_unknown_keys();

        bool ok = code && area;
        if (code && !detail::is_code(*code, 8)) {
            const std::string upper = upper_ascii(*code);
            sink_.error(r.where("code"), r.path_of("code"), in_quotes(*code) + " is not a site code",
                        upper != *code && detail::is_code(upper, 8)
                            ? "write it in capitals: " + upper
                            : "use 2 to 8 Latin capitals and digits, starting with a capital, e.g. ALT");
            ok = false;
        } else if (code && code->size() < 2) {
            sink_.error(r.where("code"), r.path_of("code"),
                        in_quotes(*code) + " is too short for a site code",
                        "use 2 to 8 Latin capitals and digits: one letter is read as a sex");
            ok = false;
        } else if (code) {
            if (const auto [it, inserted] = site_codes_.emplace(*code, r.path_of("code")); !inserted) {
                sink_.error(r.where("code"), r.path_of("code"),
                            in_quotes(*code) + " is also " + it->second, "give each site its own code");
                ok = false;
            }
        }
        if (area && !is_area(*area)) {
            sink_.error(r.where("area"), r.path_of("area"), in_quotes(*area) + " is not an area",
                        "write it as Aimag/Soum or Ulaanbaatar/District, without empty parts");
            ok = false;
        }
        if (ok) {
            s.code = *code;
            s.kind = kind.value_or(site_kind::other);
            s.area = *area;
            site_area_at_.push_back({r.path_of("area"), r.where("area")});
            config_.sites.push_back(std::move(s));
        }
    }
}

void config_reader::read_teams(table_reader& root) {
    const std::vector<std::string> roles{"member", "leader"};
    const auto tables = root.get_tables("teams");
    has_team_tables_ = !tables.empty();
    std::map<std::string, std::string> names;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (tables[i] == nullptr) {
            continue;
        }
        table_reader r(*tables[i], index_path("teams", i), sink_);
        team_config team;
        const auto name = r.get_string("name", true, "add name = \"...\": shown to coordinators");
        const auto areas =
            r.get_strings("areas", true, "add areas = [\"Aimag/Soum\"]: the team gets their alerts");
        team.sensitive_cases = r.get_bool("sensitive_cases").value_or(false);
        const bool has_members = r.find("members") != nullptr;
        const auto members = r.get_tables("members");
        r.report_unknown_keys();

        bool ok = name.has_value() && areas.has_value();
        if (name) {
            if (const auto [it, inserted] = names.emplace(*name, r.path_of("name")); !inserted) {
                sink_.error(r.where("name"), r.path_of("name"),
                            in_quotes(*name) + " is also " + it->second, "give each team its own name");
                ok = false;
            }
            team.name = *name;
        }
        if (areas) {
            if (areas->empty()) {
                sink_.error(r.where("areas"), r.path_of("areas"), "is empty",
                            "list the areas the team covers, e.g. [\"Bayankhongor/Bayan-Ovoo\"]");
                ok = false;
            }
            for (const auto& area : *areas) {
                if (!is_area(area.value)) {
                    sink_.error(area.at, area.path, in_quotes(area.value) + " is not an area",
                                "write it as Aimag/Soum or Ulaanbaatar/District, without empty parts");
                    ok = false;
                    continue;
                }
                const bool covers_a_site = std::ranges::any_of(
                    config_.sites, [&](const site_config& s) { return area_covers(area.value, s.area); });
                if (!covers_a_site) {
                    sink_.warning(area.at, area.path, "no site is in " + in_quotes(area.value),
                                  "check its spelling against the sites' areas, or add the site");
                }
                team.areas.push_back(area.value);
            }
        }

        std::map<std::string, std::string> phones;
        for (std::size_t m = 0; m < members.size(); ++m) {
            if (members[m] == nullptr) {
                ok = false;
                continue;
            }
            table_reader mr(*members[m], index_path(r.path_of("members"), m), sink_);
            team_member member;
            const auto phone = read_phone(mr, true);
            member.name = mr.get_string("name").value_or("");
            const auto role =
                read_choice<member_role>(mr, "role", member_role_from, roles, "a team role");
            const auto lang = read_lang(mr);
            mr.report_unknown_keys();
            if (!phone || (mr.find("role") != nullptr && !role) ||
                (mr.find("lang") != nullptr && !lang)) {
                ok = false;
                continue;
            }
            member.phone = *phone;
            member.role = role.value_or(member_role::member);
            member.lang = lang.value_or(parser::reply_language::mn);
            note_phone(phones, member.phone, mr, member.lang, "list each member of a team once");
            team.members.push_back(std::move(member));
        }
        if (!has_members || members.empty()) {
            sink_.error(
                has_members ? r.where("members") : r.where(), r.path_of("members"),
                "the team has no members, so nobody would get its alerts",
                "add members = [ { phone = \"+97699000101\", name = \"...\", role = \"leader\" } ]");
            ok = false;
        } else if (ok && std::ranges::none_of(team.members, [](const team_member& m) {
                       return m.role == member_role::leader;
                   })) {
            sink_.error(
                r.where("members"), r.path_of("members"), "the team has no leader",
                "set role = \"leader\" on one member: unacknowledged alerts escalate to the leader");
            ok = false;
        }
        if (ok) {
            config_.teams.push_back(std::move(team));
        } else if (areas) {
            // Keep the areas for the coverage check, so that a broken team is reported once.
            team_config placeholder;
            placeholder.areas = team.areas;
            broken_team_areas_.push_back(std::move(placeholder));
        }
    }
}

void config_reader::check_site_coverage() {
    for (std::size_t i = 0; i < config_.sites.size(); ++i) {
        const auto& site = config_.sites[i];
        const auto covered = [&](const team_config& t) {
            return std::ranges::any_of(t.areas,
                                       [&](const std::string& a) { return area_covers(a, site.area); });
        };
        if (std::ranges::any_of(config_.teams, covered) ||
            std::ranges::any_of(broken_team_areas_, covered)) {
            continue;
        }
        sink_.error(site_area_at_[i].second, site_area_at_[i].first,
                    "no team covers " + in_quotes(site.area) + ", so reports from " + site.code +
                        " would alert nobody",
                    "add " + in_quotes(site.area) + " (or an area containing it) to a team's areas");
    }
}

void config_reader::read_coordinators(table_reader& root) {
    const auto tables = root.get_tables("coordinators");
    std::map<std::string, std::string> phones;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (tables[i] == nullptr) {
            continue;
        }
        table_reader r(*tables[i], index_path("coordinators", i), sink_);
        coordinator_config c;
        const auto phone = read_phone(r, true);
        c.name = r.get_string("name").value_or("");
        const auto lang = read_lang(r);
        r.report_unknown_keys();
        if (!phone || (r.find("lang") != nullptr && !lang)) {
            continue;
        }
        c.phone = *phone;
        c.lang = lang.value_or(parser::reply_language::mn);
        note_phone(phones, c.phone, r, c.lang, "list each coordinator once");
        config_.coordinators.push_back(std::move(c));
    }
}

void config_reader::read_reporters(table_reader& root) {
    const std::vector<std::string> kinds{"volunteer", "teacher", "parent", "worker", "other"};
    std::vector<std::string> codes;
    for (const auto& s : config_.sites) {
        codes.push_back(s.code);
    }
    const auto tables = root.get_tables("reporters");
    std::map<std::string, std::string> phones;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        if (tables[i] == nullptr) {
            continue;
        }
        table_reader r(*tables[i], index_path("reporters", i), sink_);
        reporter_config rep;
        const auto phone = read_phone(r, true);
        rep.name = r.get_string("name").value_or("");
        const auto sites = r.get_strings("sites");
        const auto lang = read_lang(r);
        const auto kind =
            read_choice<reporter_kind>(r, "kind", reporter_kind_from, kinds, "a reporter kind");
        r.report_unknown_keys();
        bool ok = phone.has_value() && (r.find("lang") == nullptr || lang) &&
                  (r.find("kind") == nullptr || kind);
        if (sites) {
            for (const auto& site : *sites) {
                if (site_codes_.contains(site.value)) {
                    rep.sites.push_back(site.value);
                    continue;
                }
                std::string fix;
                if (const std::string near = nearest(upper_ascii(site.value), codes); !near.empty()) {
                    fix = "did you mean " + near + "?";
                } else if (codes.empty()) {
                    fix = "add it to [[sites]] first";
                } else {
                    fix = "add it to [[sites]] first, or use one of " + join(codes);
                }
                sink_.error(site.at, site.path, in_quotes(site.value) + " is not a site", fix);
                ok = false;
            }
        }
        if (!ok) {
            continue;
        }
        rep.phone = *phone;
        rep.lang = lang.value_or(parser::reply_language::mn);
        rep.kind = kind.value_or(reporter_kind::volunteer);
        note_phone(phones, rep.phone, r, rep.lang,
                   "list each reporter once; give one reporter several sites");
        config_.reporters.push_back(std::move(rep));
    }
}

} // namespace kharuul::config::detail
