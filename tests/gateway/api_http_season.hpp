// The API over HTTP as a client meets it: a real daemon on a loopback port (gateway_fixture.hpp)
// with a season of real messages sent to its SMS endpoint (ID reports at ALT and ULT, an ACK, a TR,
// a NIL, a sensitive SEX report at NRT, a stranger's message), a configuration file naming its
// store for the command line, and a token of each role made by the real `kharuul token create`.
// Every answer the tests get is recorded, so that the conformance test can validate each one
// against api/openapi.json (openapi_validator.hpp).
#pragma once

#include "tests/support/api_client.hpp"
#include "tests/support/gateway_fixture.hpp"
#include "tests/support/openapi_validator.hpp"

#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <utility>
#include <vector>

namespace kharuul::testing {

// The demo's people (config/demo.toml) and one who is not.
inline const std::string volunteer_alt = "+97699000001", volunteer_ult = "+97699000003",
                         volunteer_tsd = "+97699000005", monitor_dkh_nrt = "+97699000006",
                         alt_member = "+97699000102", stranger = "+97699000999";
inline const std::string bayan_ovoo_team = "Bayan-Ovoo child protection team";
inline const std::string bayanzurkh_team = "Bayanzurkh markets team";
inline const std::string mdt_team = "Ulaanbaatar multi-disciplinary team";
// The season's period, in local dates (the fixture's clock stands at 2025-11-25 00:00 +08:00).
inline const std::string season_from = "2025-11-01", season_until = "2025-12-01";

// Who asks: a token of each role, and nobody.
enum class caller { admin, coordinator, bayan_ovoo, bayanzurkh, mdt, viewer, nobody };
inline constexpr caller every_caller[] = {caller::admin, caller::coordinator, caller::bayan_ovoo, caller::bayanzurkh,
                                          caller::mdt,   caller::viewer,      caller::nobody};
std::string to_string(caller c);

using header_list = std::vector<std::pair<std::string, std::string>>;

class api_season {
public:
    explicit api_season(const std::string& name);

    // One request, recorded. `who` adds its bearer token (nobody: none).
    api_reply call(boost::beast::http::verb method, const std::string& target, caller who,
                   const std::string& body = {}, header_list extra = {});
    api_reply get(const std::string& target, caller who) { return call(boost::beast::http::verb::get, target, who); }
    // A GET that must answer 200 with JSON (the test fails otherwise; null then).
    boost::json::value get_json(const std::string& target, caller who);
    // A write with a JSON body (bearer token: no CSRF needed).
    api_reply send_json(boost::beast::http::verb method, const std::string& target, caller who,
                        const boost::json::value& body);

    const std::string& token(caller who) const;
    const std::vector<recorded_answer>& answers() const { return answers_; }
    const std::filesystem::path& config_file() const { return config_file_; }
    running_gateway& gateway() { return g_; }

    // The season's records, as the admin sees them.
    std::string alt_case;   // a case of the ALT report (Bayan-Ovoo's area)
    std::string ult_case;   // a case of the ULT report (Uyanga's area)
    std::string sex_case;   // the sensitive case at NRT (Ulaanbaatar/Bayanzurkh)
    std::int64_t alt_alert = 0, sex_alert = 0;
    std::int64_t stranger_message = 0;

private:
    void make_tokens();
    void send_season();
    void find_records();

    running_gateway g_;
    std::filesystem::path config_file_;
    std::vector<std::string> tokens_; // by caller
    std::vector<recorded_answer> answers_;
};

// The scenarios, each a set of expectations over one season; the conformance test runs them all
// over one season and validates every answer they got.
void check_role_table(api_season& s);          // every role against every endpoint
void check_team_scoping(api_season& s);        // lists, single records, figures and CSV of a team
void check_viewer_report(api_season& s);       // "<3" and no traces
void check_sensitive_cases(api_season& s);     // hidden but for whom may see them, every read audited
void check_registry_round(api_season& s);      // create, read, change and remove each kind of record
void check_registry_takes_effect(api_season& s); // a new site and reporter work at once
void check_report_as_the_cli(api_season& s);   // `kharuul report --format json` and /report agree
void check_sessions_and_refusals(api_season& s); // sign in, out, 401, 405, bad parameters

} // namespace kharuul::testing
