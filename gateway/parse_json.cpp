#include "gateway/parse_json.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace kharuul::gateway {

namespace json = boost::json;
using namespace kharuul::parser;

namespace {

json::value note_value(const sms_message& m) {
    return m.note ? json::value(*m.note) : json::value(nullptr);
}

json::value text_or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::value code_or_null(const std::optional<std::string>& s) {
    return s ? json::value(*s) : json::value(nullptr);
}

} // namespace

json::object fields_json(const sms_message& m) {
    json::object f;
    std::visit(
        [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, sighting>) {
                f["site"] = b.site;
                f["boys"] = b.kids.boys;
                f["girls"] = b.kids.girls;
                f["unknown"] = b.kids.unknown;
                f["age_min"] = b.age_min;
                f["age_max"] = b.age_max;
                f["work"] = b.work;
                json::array h;
                for (const auto& code : b.hazards)
                    h.emplace_back(code);
                f["hazards"] = std::move(h);
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, nil_visit>) {
                f["site"] = b.site;
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, risk_report>) {
                f["site"] = b.site;
                f["boys"] = b.kids.boys;
                f["girls"] = b.kids.girls;
                f["unknown"] = b.kids.unknown;
                f["age_min"] = b.age_min;
                f["age_max"] = b.age_max;
                f["reason"] = b.reason;
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, tracking>) {
                f["case"] = b.case_code;
                f["status"] = b.status;
                f["school"] = code_or_null(b.school);
                f["work"] = code_or_null(b.work);
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, referral>) {
                f["case"] = b.case_code;
                f["service"] = b.service;
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, service_delivery>) {
                f["case"] = b.case_code;
                f["service"] = b.service;
                f["for"] = b.family ? "family" : "child";
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, verification>) {
                f["case"] = b.case_code;
                f["outcome"] = b.confirmed ? "OK" : "NO";
                f["reason"] = b.confirmed ? json::value(nullptr) : text_or_null(b.reason);
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, assessment>) {
                f["case"] = b.case_code;
                f["target"] = std::string(1, b.target);
                f["category"] = text_or_null(b.category);
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, outcome_check>) {
                f["case"] = b.case_code;
                f["outcome"] = b.result;
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, merger>) {
                f["case"] = b.case_code;
                f["into"] = b.into;
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, closure>) {
                f["case"] = b.case_code;
                f["reason"] = b.reason;
                f["note"] = note_value(m);
            } else if constexpr (std::is_same_v<T, acknowledgement>) {
                f["alert"] = b.alert;
            } else if constexpr (std::is_same_v<T, alert_info>) {
                f["alert"] = b.alert;
                f["page"] = b.page;
            } else if constexpr (std::is_same_v<T, help_request>) {
                if (b.list) { // HELP WORK 2: the list's word and the page
                    f["topic"] = help_list_word(*b.list);
                    f["page"] = b.page;
                } else {
                    f["topic"] = b.topic ? json::value(canonical_keyword(*b.topic)) : json::value(nullptr);
                }
            }
        },
        m.body);
    return f;
}

std::string duplicate_key(const sms_message& m, reply_language lang) {
    json::object f = fields_json(m);
    if (auto* h = f.if_contains("hazards"); h && h->is_array()) {
        std::vector<std::string> codes;
        for (const auto& c : h->as_array())
            codes.emplace_back(c.as_string());
        std::ranges::sort(codes);
        *h = json::array(codes.begin(), codes.end());
    }
    if (const auto* t = std::get_if<tracking>(&m.body)) {
        std::vector<std::string> codes = t->codes.empty() ? std::vector<std::string>{t->status} : t->codes;
        std::ranges::sort(codes);
        f.erase("status");
        f["codes"] = json::array(codes.begin(), codes.end());
    }
    return std::string(canonical_keyword(m.kind)) + " " + std::string(reply_language_code(lang)) + " " +
           json::serialize(f);
}

json::object error_json(const parse_error& e) {
    json::object o;
    o["code"] = error_code_name(e.code);
    o["token"] = text_or_null(e.token);
    o["suggestion"] = text_or_null(e.suggestion);
    if (e.code == errc::missing_field)
        o["field"] = field_name(e.missing);
    if (e.code == errc::bad_case_check_digit)
        o["detail"] = "check_digit";
    return o;
}

json::object parse_json(std::string_view text, const lexicon& lex, reply_language lang,
                        const std::optional<std::vector<site_entry>>& own_sites) {
    json::object o;
    const parse_result r = parse_sms(text, lex);
    if (r) {
        o["ok"] = true;
        o["form"] = canonical_keyword(r->kind);
        o["fields"] = fields_json(*r);
        o["urgent"] = r->urgent;
        o["sensitive"] = r->sensitive;
        receipt rc = placeholder_receipt(*r);
        rc.own_sites = own_sites;
        o["reply"] = confirmation_reply(*r, rc, lex, lang);
    } else {
        o["ok"] = false;
        o["form"] = r.error().kind ? json::value(canonical_keyword(*r.error().kind)) : json::value(nullptr);
        o["error"] = error_json(r.error());
        o["reply"] = error_reply(r.error(), lex, lang);
    }
    return o;
}

} // namespace kharuul::gateway
