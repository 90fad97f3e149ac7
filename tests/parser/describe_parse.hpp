// The parser tests' one-line summary of a parse result ("ID ALT 2B0G0U 12-12 MINE SHAFT !urgent",
// "err:unknown_site form=ID tok=ALX sugg=ALT"), so that each table row is one line.
#pragma once

#include "parser/sms.hpp"

#include <string>
#include <type_traits>
#include <variant>

namespace kharuul::parser {

inline std::string describe(const parse_result& r) {
    if (!r) {
        const parse_error& e = r.error();
        std::string s = "err:" + std::string(error_code_name(e.code));
        if (e.code == errc::bad_case_check_digit)
            s += "(check)";
        if (e.kind)
            s += " form=" + std::string(canonical_keyword(*e.kind));
        if (!e.token.empty())
            s += " tok=" + e.token;
        if (!e.suggestion.empty())
            s += " sugg=" + e.suggestion;
        if (e.missing != field::none)
            s += " field=" + std::string(field_name(e.missing));
        return s;
    }
    const sms_message& m = *r;
    std::string s(canonical_keyword(m.kind));
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, sighting>) {
                s += " " + b.site + " " + std::to_string(b.kids.boys) + "B" + std::to_string(b.kids.girls) + "G" +
                     std::to_string(b.kids.unknown) + "U " + std::to_string(b.age_min) + "-" +
                     std::to_string(b.age_max) + " " + b.work;
                for (const auto& h : b.hazards)
                    s += " " + h;
            } else if constexpr (std::is_same_v<T, nil_visit>) {
                s += " " + b.site;
            } else if constexpr (std::is_same_v<T, risk_report>) {
                s += " " + b.site + " " + std::to_string(b.kids.boys) + "B" + std::to_string(b.kids.girls) +
                     "G" + std::to_string(b.kids.unknown) + "U " + std::to_string(b.age_min) + "-" +
                     std::to_string(b.age_max) + " " + b.reason;
            } else if constexpr (std::is_same_v<T, tracking>) {
                // "TR 204812 NFE STOP s=NFE w=STOP": the codes as typed, then the two status places.
                s += " " + b.case_code + " " + b.status;
                for (std::size_t i = 1; i < b.codes.size(); ++i)
                    s += " " + b.codes[i];
                if (b.codes.empty() || b.codes.front() != b.status)
                    s += " !codes";
                if (b.school)
                    s += " s=" + *b.school;
                if (b.work)
                    s += " w=" + *b.work;
            } else if constexpr (std::is_same_v<T, referral>) {
                s += " " + b.case_code + " " + b.service;
            } else if constexpr (std::is_same_v<T, service_delivery>) {
                s += " " + b.case_code + " " + b.service + (b.family ? " FAM" : "");
            } else if constexpr (std::is_same_v<T, verification>) {
                s += " " + b.case_code + (b.confirmed ? " OK" : " NO");
                if (!b.reason.empty())
                    s += " " + b.reason;
            } else if constexpr (std::is_same_v<T, assessment>) {
                s += " " + b.case_code + " " + std::string(1, b.target);
                if (!b.category.empty())
                    s += " " + b.category;
            } else if constexpr (std::is_same_v<T, outcome_check>) {
                s += " " + b.case_code + " " + b.result;
            } else if constexpr (std::is_same_v<T, merger>) {
                s += " " + b.case_code + " " + b.into;
            } else if constexpr (std::is_same_v<T, closure>) {
                s += " " + b.case_code + " " + b.reason;
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                s += " " + std::to_string(b.alert);
            } else if constexpr (std::is_same_v<T, help_request>) {
                if (b.topic)
                    s += " " + std::string(canonical_keyword(*b.topic));
                if (b.list)
                    s += " " + std::string(help_list_word(*b.list)) + " p" + std::to_string(b.page);
            }
        },
        m.body);
    if (m.urgent)
        s += " !urgent";
    if (m.sensitive)
        s += " !sensitive";
    if (m.note)
        s += " #" + *m.note;
    return s;
}

} // namespace kharuul::parser
