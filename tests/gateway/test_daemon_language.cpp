// The field language through the real daemon over loopback and a real SQLite file (issue 10, items
// 4 and 5): help by SMS teaches the codes, HELP SITES names the sender's own sites, and a site
// typed wholly in Cyrillic opens its case. The replies are read back as the provider got them.
#include "gateway/daemon.hpp"

#include "parser/segment.hpp"
#include "store/cases.hpp"
#include "store/records.hpp"
#include "tests/support/gateway_fixture.hpp"

#include <boost/json/value_to.hpp>
#include <gtest/gtest.h>

#include <string>

namespace kharuul::gateway {
namespace {

namespace json = boost::json;
using testing::running_gateway;

const std::string volunteer_mn = "+97699000001";      // ALT, Mongolian replies (demo.toml)
const std::string volunteer_en = "+97699000002";      // ALT, English replies
const std::string nalaikh_volunteer = "+97699000007"; // NLK, Mongolian
const std::string market_monitor = "+97699000006";    // DKH and NRT, Mongolian
const std::string bayanzurkh_member = "+97699000132"; // team covering DKH and NRT, English
const std::string coordinator_en = "+97699000202";
const std::string stranger = "+97699000999";

std::string reply_of(const json::object& o) {
    return json::value_to<std::string>(o.at("reply"));
}

TEST(daemon_language, help_work_and_tuslamzh_id_are_answered_with_the_codes_each_in_one_segment) {
    running_gateway g("help-codes");
    auto work = g.send(volunteer_en, "HELP WORK", "help-1");
    EXPECT_EQ(work.at("status"), "accepted");
    EXPECT_EQ(reply_of(work),
              "Work codes 1/2: MINE mining; PAN panning; CARRY carrying; TRADE trading; COAL coal; "
              "SCRAP scrap picking; BRICK brickyard; HERD herding. +3 more: HELP WORK 2");
    EXPECT_EQ(reply_of(g.send(volunteer_en, "HELP WORK 2", "help-2")),
              "Work codes 2/2: MEAT slaughterhouse; SEX sensitive; OTHER other work.");
    auto id = g.send(volunteer_mn, "ТУСЛАМЖ ID", "help-3");
    EXPECT_EQ(reply_of(id), "ID газар хүүхэд нас ажил. Ажил: HELP WORK. Жиш: ID ALT 2B 12 MINE");
    EXPECT_EQ(reply_of(g.send(volunteer_mn, "тусламж ажил", "help-4")),
              "Ажил 1/4: MINE уурхай; PAN алт угаах; CARRY ачаа зөөх. +8: HELP WORK 2");
    for (const auto* o : {&work, &id}) {
        auto m = store::find_message(g.db(), o->at("message_id").as_int64());
        ASSERT_TRUE(m);
        EXPECT_EQ(m->form, parser::form::help);
        EXPECT_EQ(m->reply.value_or(""), reply_of(*o));
        EXPECT_TRUE(parser::fits_one_segment(reply_of(*o)));
    }
}

TEST(daemon_language, help_sites_names_the_sender_s_own_sites) {
    running_gateway g("help-sites");
    EXPECT_EQ(reply_of(g.send(market_monitor, "ТУСЛАМЖ ГАЗАР")),
              "Таны газар: DKH Da Khuree market; NRT Narantuul market.");
    EXPECT_EQ(reply_of(g.send(volunteer_en, "HELP SITES")), "Your sites: ALT Altan-Us gold mine.");
    // A team member's sites are those of the team's areas; a coordinator's are all of them.
    EXPECT_EQ(reply_of(g.send(bayanzurkh_member, "HELP SITES")),
              "Your sites: DKH Da Khuree market; NRT Narantuul market.");
    const std::string all = reply_of(g.send(coordinator_en, "HELP SITES"));
    for (const char* code : {"ALT", "ULT", "TSD", "DKH", "NRT", "NLK"})
        EXPECT_NE(all.find(code), std::string::npos) << all;
    EXPECT_TRUE(parser::fits_one_segment(all)) << all;
    // HELP is for anyone; an unregistered number has no sites.
    auto none = g.send(stranger, "HELP SITES");
    EXPECT_EQ(none.at("status"), "accepted");
    EXPECT_EQ(reply_of(none), "No sites are registered for this number. Ask your coordinator.");
}

TEST(daemon_language, a_report_naming_its_site_wholly_in_cyrillic_opens_its_case) {
    running_gateway g("cyrillic-site");
    auto o = g.send(nalaikh_volunteer, "ид нлк 1 хүү 12 тоосго");
    EXPECT_EQ(o.at("status"), "accepted") << reply_of(o);
    const auto codes = store::cases_reported_by(g.db(), nalaikh_volunteer);
    ASSERT_EQ(codes.size(), 1u);
    const auto c = store::find_case(g.db(), codes.front());
    ASSERT_TRUE(c);
    EXPECT_EQ(c->site, "NLK");
    EXPECT_NE(reply_of(o).find("NLK"), std::string::npos) << reply_of(o);
    auto typo = g.send(nalaikh_volunteer, "ид нлк 1 хүү 12 брик");
    EXPECT_EQ(typo.at("status"), "rejected");
    EXPECT_EQ(reply_of(typo).find("ID: брик ажил танигдсангүй. BRICK гэж үү?"), 0u) << reply_of(typo);
}

} // namespace
} // namespace kharuul::gateway
