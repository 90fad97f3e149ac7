#include "tests/gateway/api_http_season.hpp"

#include "tests/support/daemon_process.hpp"
#include "tests/support/run_binary.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace kharuul::testing {

namespace http = boost::beast::http;
namespace json = boost::json;

std::string to_string(caller c) {
    switch (c) {
    case caller::admin:
        return "admin";
    case caller::coordinator:
        return "coordinator";
    case caller::bayan_ovoo:
        return "team Bayan-Ovoo";
    case caller::bayanzurkh:
        return "team Bayanzurkh";
    case caller::mdt:
        return "team Ulaanbaatar MDT (sensitive cases)";
    case caller::viewer:
        return "viewer";
    case caller::nobody:
        return "no token";
    }
    return "?";
}

api_season::api_season(const std::string& name) : g_(name) {
    config_file_ = g_.dir() / "kharuul.toml";
    write_demo_config(config_file_, {{"[store]", "path", "\"" + (g_.dir() / "kharuul.db").string() + "\""}});
    make_tokens();
    send_season();
    find_records();
}

// Each role's token as `kharuul token create` prints it, once.
void api_season::make_tokens() {
    struct wanted {
        caller who;
        std::vector<std::string> args;
    };
    const std::vector<wanted> all{
        {caller::admin, {"--role", "admin", "--label", "admin-1"}},
        {caller::coordinator, {"--role", "coordinator", "--label", "coordinator-1"}},
        {caller::bayan_ovoo, {"--role", "team", "--team", bayan_ovoo_team, "--label", "bayan-ovoo"}},
        {caller::bayanzurkh, {"--role", "team", "--team", bayanzurkh_team, "--label", "bayanzurkh"}},
        {caller::mdt, {"--role", "team", "--team", mdt_team, "--label", "ub-mdt"}},
        {caller::viewer, {"--role", "viewer", "--label", "viewer-1"}},
    };
    tokens_.assign(7, std::string());
    for (const auto& w : all) {
        std::vector<std::string> args{"token", "create", "--config", config_file_.string()};
        args.insert(args.end(), w.args.begin(), w.args.end());
        const auto r = run_kharuul(args, "2>&1");
        ASSERT_EQ(r.status, 0) << r.out;
        std::smatch m;
        ASSERT_TRUE(std::regex_search(r.out, m, std::regex("khr_[A-Za-z0-9_-]{20,}"))) << r.out;
        tokens_[static_cast<std::size_t>(w.who)] = m.str();
    }
}

// The season, through the SMS endpoint as a provider posts it, a minute apart.
void api_season::send_season() {
    using namespace std::chrono_literals;
    const auto status_of = [](const json::object& o) {
        return o.contains("status") ? std::string(o.at("status").as_string()) : std::string();
    };
    struct sms {
        std::string from, text, status;
    };
    const std::vector<sms> season{
        {volunteer_alt, "ID ALT 3B 12-14 MINE SHAFT", "accepted"},
        {alt_member, "ACK 1", "accepted"},
        {volunteer_ult, "ID ULT 2G 11 PAN MERC", "accepted"},
        {monitor_dkh_nrt, "ID NRT 1G 14 SEX", "accepted"},
        {stranger, "ID ALT 1B 12 MINE", "unregistered"},
        {volunteer_tsd, "NIL TSD", "accepted"},
    };
    for (const auto& m : season) {
        g_.advance(1min);
        const auto reply = g_.send(m.from, m.text);
        EXPECT_EQ(status_of(reply), m.status) << m.text << ": " << json::serialize(reply);
    }
}

void api_season::find_records() {
    const auto cases = get_json("/api/v1/cases?limit=1000", caller::admin);
    if (!cases.is_object())
        return;
    for (const auto& c : cases.at("cases").as_array()) {
        const std::string site(c.at("site").as_string());
        const std::string code(c.at("code").as_string());
        if (site == "ALT" && alt_case.empty())
            alt_case = code;
        if (site == "ULT" && ult_case.empty())
            ult_case = code;
        if (site == "NRT")
            sex_case = code;
    }
    const auto alerts = get_json("/api/v1/alerts", caller::admin);
    if (!alerts.is_object())
        return;
    for (const auto& a : alerts.at("alerts").as_array()) {
        if (a.at("site") == "ALT" && alt_alert == 0)
            alt_alert = a.at("id").as_int64();
        if (a.at("site") == "NRT")
            sex_alert = a.at("id").as_int64();
    }
    const auto messages = get_json("/api/v1/messages?phone=" + form_encode(stranger), caller::admin);
    if (!messages.is_object())
        return;
    for (const auto& m : messages.at("messages").as_array())
        stranger_message = m.at("id").as_int64();
    // The season's TR on the ALT case, by its team's member.
    g_.advance(std::chrono::minutes{1});
    const auto tr = g_.send(alt_member, "TR " + alt_case + " NFE");
    EXPECT_EQ(tr.at("status"), "accepted") << json::serialize(tr);
    EXPECT_FALSE(alt_case.empty() || ult_case.empty() || sex_case.empty());
    EXPECT_NE(alt_alert, 0);
    EXPECT_NE(sex_alert, 0);
    EXPECT_NE(stranger_message, 0);
}

const std::string& api_season::token(caller who) const {
    return tokens_.at(static_cast<std::size_t>(who));
}

api_reply api_season::call(http::verb method, const std::string& target, caller who, const std::string& body,
                           header_list extra) {
    if (who != caller::nobody)
        extra.emplace_back("Authorization", "Bearer " + token(who));
    if (!body.empty() && std::none_of(extra.begin(), extra.end(), [](const auto& h) { return h.first == "Content-Type"; }))
        extra.emplace_back("Content-Type", "application/json");
    api_reply r = api_call(g_.port(), method, target, extra, body);
    EXPECT_NE(r.status, 0) << "no answer to " << http::to_string(method) << " " << target;
    answers_.push_back({std::string(http::to_string(method)), target, r.status, r.headers, r.body});
    return r;
}

json::value api_season::get_json(const std::string& target, caller who) {
    const auto r = get(target, who);
    EXPECT_EQ(r.status, 200) << "GET " << target << " as " << to_string(who) << ": " << r.body;
    json::error_code ec;
    auto v = json::parse(r.body, ec);
    EXPECT_FALSE(ec) << "GET " << target << ": not JSON: " << r.body;
    return r.status == 200 && !ec ? v : json::value(nullptr);
}

api_reply api_season::send_json(http::verb method, const std::string& target, caller who, const json::value& body) {
    return call(method, target, who, json::serialize(body));
}

} // namespace kharuul::testing
