// Alert wording: the spec's examples word for word, the drop order when a text is too long, the
// minimal text of sensitive cases, and the property that every text, in both languages, for any
// number of children, any hazards and any site name, fits one segment, keeps its ACK number and
// never shows a whole phone number.
#include "alerts/alert_text.hpp"

#include "parser/segment.hpp"
#include "parser/sms.hpp"
#include "tests/alerts/alerts_samples.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace kharuul::alerts {
namespace {

using parser::reply_language;
using enum parser::reply_language;

const parser::lexicon& lex() {
    return testing::alerts_lexicon();
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

alert_facts spec_alert() {
    alert_facts f;
    f.number = 17;
    f.urgent = true;
    f.site_code = "ALT";
    f.site_name = "Altan-Us";
    f.kids = {2, 0, 0};
    f.age_min = 12;
    f.age_max = 12;
    f.work = "MINE";
    f.hazards = {"SHAFT"};
    f.case_codes = {"204812", "204820"};
    return f;
}

alert_facts sensitive_alert() {
    alert_facts f;
    f.number = 18;
    f.urgent = true;
    f.sensitive = true;
    f.site_code = "DKH";
    f.site_name = "Dari-Ekh market";
    f.kids = {0, 1, 0};
    f.age_min = 15;
    f.age_max = 15;
    f.work = "SEX";
    f.hazards = {"ALONE", "NIGHT"};
    f.case_codes = {"204812"};
    f.reporter_phone = "+97699110001";
    return f;
}

alert_facts tracking_alert(std::string status) {
    alert_facts f;
    f.number = 19;
    f.site_code = "ALT";
    f.case_codes = {"204812"};
    f.tracking_status = std::move(status);
    return f;
}

TEST(alert_text, urgent_id_alert_reads_as_in_the_spec) {
    EXPECT_EQ(
        alert_text(spec_alert(), lex(), en),
        "ALERT #17 URGENT: 2 boys ~12 mining, SHAFT, at ALT (Altan-Us). Cases 204812 204820. Reply ACK 17");
}

TEST(alert_text, reporter_is_shown_masked_when_it_fits) {
    alert_facts f = spec_alert();
    f.reporter_phone = "+97699110001";
    EXPECT_EQ(alert_text(f, lex(), en),
              "ALERT #17 URGENT: 2 boys ~12 mining, SHAFT, at ALT (Altan-Us). Cases 204812 "
              "204820. From +976****0001. Reply ACK 17");
}

TEST(alert_text, normal_alert_names_hazard_words_and_an_age_range) {
    alert_facts f = spec_alert();
    f.number = 21;
    f.urgent = false;
    f.kids = {2, 1, 0};
    f.age_min = 10;
    f.age_max = 12;
    f.work = "PAN";
    f.hazards = {"MERC", "LOAD"};
    f.site_code = "ULT";
    f.site_name = "";
    f.case_codes = {"204838", "204846", "204853"};
    EXPECT_EQ(alert_text(f, lex(), en),
              "ALERT #21: 2 boys 1 girl ~10-12 panning, mercury, heavy load, at ULT. Cases "
              "204838 204846 204853. Reply ACK 21");
}

TEST(alert_text, mongolian_alert_is_cyrillic_in_seventy_characters) {
    const std::string s = alert_text(spec_alert(), lex(), mn);
    EXPECT_EQ(s, "ЯАРАЛТАЙ #17: 2 хүү ~12 уурхай, нүх, ALT. Дугаар 204812 204820. ACK 17");
    EXPECT_EQ(parser::measure_sms(s).encoding, parser::sms_encoding::ucs2);
}

// Mongolian alerts pack as English ones do (issue 10, item 7): Mongolian words or short forms
// for work and hazards, sex and age kept before later case codes, and every case code that fits.
// Each row is a real shape of report; `exact` rows end at the segment's last character.
TEST(alert_text, mongolian_alerts_keep_sex_age_and_every_case_code_that_fits) {
    struct row {
        const char* what;
        alert_facts facts;
        reply_language lang;
        std::string expected;
        bool exact; // exactly 70 (UCS-2) or 160 (GSM-7) characters
    };
    alert_facts one_girl = spec_alert();
    one_girl.kids = {0, 1, 0};
    one_girl.case_codes = {"204812"};
    alert_facts five = spec_alert();
    five.number = 9;
    five.kids = {0, 0, 5};
    five.work = "PAN";
    five.hazards = {"ALONE", "HURT"};
    five.site_name = "";
    five.case_codes = {"100144", "100152", "100160", "100178", "100186"};
    alert_facts two_of_three = spec_alert();
    two_of_three.number = 1;
    two_of_three.kids = {2, 1, 0};
    two_of_three.hazards = {};
    two_of_three.urgent = false;
    two_of_three.case_codes = {"100009", "100017", "100025"};
    const std::vector<row> rows{
        {"both codes beside the short hazard word", spec_alert(), mn,
         "ЯАРАЛТАЙ #17: 2 хүү ~12 уурхай, нүх, ALT. Дугаар 204812 204820. ACK 17", true},
        {"one girl stays a girl", one_girl, mn, "ЯАРАЛТАЙ #17: 1 охин ~12 уурхай, нүхэнд, ALT. Дугаар 204812. ACK 17",
         false},
        {"five children: age, Mongolian words, codes as they fit", five, mn,
         "ЯАРАЛТАЙ #9: 5 хүүхэд ~12 угаах, ганц, гэмтэл, ALT. 100144 +4. ACK 9", false},
        {"two of three codes", two_of_three, mn,
         "ДОХИО #1: 2 хүү 1 охин ~12 уурхай, ALT. Дугаар 100009 100017 +1. ACK 1", false},
        {"English keeps its words", spec_alert(), en,
         "ALERT #17 URGENT: 2 boys ~12 mining, SHAFT, at ALT (Altan-Us). Cases 204812 204820. Reply ACK 17",
         false},
    };
    for (const auto& r : rows) {
        const std::string s = alert_text(r.facts, lex(), r.lang);
        EXPECT_EQ(s, r.expected) << r.what;
        EXPECT_TRUE(parser::fits_one_segment(s)) << r.what;
        if (r.exact) {
            const auto m = parser::measure_sms(s);
            EXPECT_EQ(m.units, m.encoding == parser::sms_encoding::ucs2 ? 70u : 160u) << r.what << ": " << s;
        }
        if (r.lang == mn) {
            for (std::string_view latin : {"PAN", "MINE", "SHAFT", "HURT", "ALONE", "хүүхэд ~"}) {
                if (latin != "хүүхэд ~" || r.facts.kids.boys + r.facts.kids.girls > 0) {
                    EXPECT_FALSE(contains(s, latin)) << r.what << ": " << s;
                }
            }
        }
    }
}

// An English alert of 20 cases ends at exactly 160 characters with every code that fits.
TEST(alert_text, an_english_alert_with_many_cases_fills_the_segment_to_its_last_code) {
    alert_facts f = spec_alert();
    f.site_name = "";
    f.case_codes.clear();
    for (int i = 0; i < 20; ++i)
        f.case_codes.push_back(std::to_string(300000 + i * 7));
    const std::string s = alert_text(f, lex(), en);
    EXPECT_TRUE(parser::fits_one_segment(s)) << s;
    EXPECT_TRUE(std::regex_search(s, std::regex(R"( \+\d+\. Reply ACK 17$)"))) << s;
    EXPECT_TRUE(contains(s, "2 boys ~12 mining, SHAFT, at ALT. Cases 300000 300007")) << s;
}

TEST(alert_text, the_long_site_name_is_dropped_before_anything_else) {
    alert_facts f = spec_alert();
    f.reporter_phone = "+97699110001";
    f.site_name = "Алтан-Ус голын хойд талын бичил уурхайн талбай"; // Cyrillic: the text would need UCS-2
    alert_facts nameless = f;
    nameless.site_name.clear();
    const std::string s = alert_text(f, lex(), en);
    EXPECT_EQ(s, alert_text(nameless, lex(), en));
    EXPECT_TRUE(contains(s, "From +976****0001")) << s;
    EXPECT_TRUE(contains(s, "204820")) << s;
}

TEST(alert_text, too_many_cases_drop_reporter_then_hazard_words_then_later_cases) {
    alert_facts f = spec_alert();
    f.reporter_phone = "+97699110001";
    f.kids = {12, 8, 0};
    f.hazards = {"SHAFT", "MERC", "NIGHT"};
    f.case_codes.clear();
    for (int i = 0; i < 20; ++i)
        f.case_codes.push_back(std::to_string(300000 + i * 7));
    const std::string s = alert_text(f, lex(), en);
    EXPECT_TRUE(parser::fits_one_segment(s)) << s;
    EXPECT_FALSE(contains(s, "Altan-Us")) << s;
    EXPECT_FALSE(contains(s, "From")) << s;
    EXPECT_TRUE(contains(s, "SHAFT MERC NIGHT")) << s;
    EXPECT_TRUE(contains(s, "Cases 300000 300007")) << s;
    EXPECT_TRUE(std::regex_search(s, std::regex(R"( \+\d+\. Reply ACK 17$)"))) << s;
    EXPECT_TRUE(contains(s, "12 boys 8 girls ~12 mining")) << s;
}

TEST(alert_text, sensitive_case_says_only_case_site_urgency_and_call) {
    EXPECT_EQ(alert_text(sensitive_alert(), lex(), en),
              "Sensitive case 204812 at DKH, urgent. Call the coordinator. Reply ACK 18");
    const std::string m = alert_text(sensitive_alert(), lex(), mn);
    EXPECT_EQ(m, "Эмзэг хэрэг 204812, DKH, яаралтай. Зохицуулагчид залга. Хариу: ACK 18");
}

TEST(alert_text, sex_work_is_minimal_even_when_the_caller_forgot_the_flag) {
    alert_facts f = sensitive_alert();
    f.sensitive = false;
    for (auto l : {en, mn}) {
        const std::string s = alert_text(f, lex(), l);
        EXPECT_EQ(s, alert_text(sensitive_alert(), lex(), l));
        for (std::string_view leak : {"SEX", "girl", "охин", "15", "ALONE", "NIGHT", "0001", "Dari"})
            EXPECT_FALSE(contains(s, leak)) << leak << " in " << s;
    }
}

TEST(alert_text, tracking_alerts_read_as_in_the_brief) {
    EXPECT_EQ(alert_text(tracking_alert("WORK"), lex(), en),
              "ALERT #19: case 204812 (ALT) seen working again. Reply ACK 19");
    EXPECT_EQ(alert_text(tracking_alert("MISS"), lex(), en),
              "ALERT #19: case 204812 (ALT) whereabouts unknown. Reply ACK 19");
    EXPECT_EQ(alert_text(tracking_alert("WORK"), lex(), mn),
              "ДОХИО #19: Хүүхэд 204812 (ALT) дахин ажиллаж байна. Хариу: ACK 19");
    EXPECT_EQ(alert_text(tracking_alert("MISS"), lex(), mn),
              "ДОХИО #19: Хүүхэд 204812 (ALT) сураггүй болсон. Хариу: ACK 19");
}

TEST(alert_text, tracking_alert_shows_the_reporter_masked_and_drops_the_name_first) {
    alert_facts f = tracking_alert("WORK");
    f.site_name = "Altan-Us";
    f.reporter_phone = "+97699110001";
    EXPECT_EQ(alert_text(f, lex(), en),
              "ALERT #19: case 204812 (ALT, Altan-Us) seen working again. From +976****0001. Reply ACK 19");
    EXPECT_EQ(alert_text(f, lex(), mn), "ДОХИО #19: Хүүхэд 204812 (ALT) дахин ажиллаж байна. Хариу: ACK 19");
}

TEST(alert_text, the_reply_names_the_deployments_ack_keyword) {
    parser::language lang = parser::default_language();
    for (auto& k : lang.keywords)
        if (k.kind == parser::form::ack)
            k.keyword = "HULEEN";
    const parser::lexicon renamed(std::move(lang), {"ALT"});
    EXPECT_TRUE(alert_text(spec_alert(), renamed, en).ends_with(". Reply HULEEN 17"));
    EXPECT_TRUE(fold_text(17, "ALT", 1, {"204812"}, renamed, mn).ends_with(" HULEEN 17"));
    EXPECT_EQ(ack_confirmation(17, renamed, en), "HULEEN ok: alert #17 acknowledged. Thank you.");
}

TEST(fold_text, reads_as_in_the_spec) {
    EXPECT_EQ(fold_text(17, "ALT", 3, {"204838", "204846", "204853"}, lex(), en),
              "+3 more children reported at ALT, see #17. Cases 204838 204846 204853. Reply ACK 17");
    EXPECT_EQ(fold_text(17, "ALT", 1, {"204838"}, lex(), en),
              "+1 more child reported at ALT, see #17. Case 204838. Reply ACK 17");
    EXPECT_EQ(fold_text(17, "ALT", 3, {"204838", "204846", "204853"}, lex(), mn),
              "ALT: +3 хүүхэд нэмэгдэв, #17-г үз. Дугаар 204838 +2. Хариу: ACK 17");
}

TEST(escalation_text, prefixes_how_long_nobody_answered) {
    EXPECT_EQ(
        escalation_text(spec_alert(), escalation_level::leaders, std::chrono::minutes{30}, lex(), en),
        "NO ACK 30 min. ALERT #17 URGENT: 2 boys ~12 mining, SHAFT, at ALT (Altan-Us). Cases 204812 204820. "
        "Reply ACK 17");
    EXPECT_EQ(escalation_text(spec_alert(), escalation_level::repeating, std::chrono::minutes{150}, lex(), en)
                  .substr(0, 19),
              "STILL NO ACK 2 h. A");
    EXPECT_EQ(escalation_text(spec_alert(), escalation_level::initial, std::chrono::minutes{0}, lex(), en),
              alert_text(spec_alert(), lex(), en));
    const std::string m =
        escalation_text(sensitive_alert(), escalation_level::coordinators, std::chrono::hours{24}, lex(), mn);
    EXPECT_EQ(m, "Хариугүй 24 цаг. Эмзэг хэрэг 204812, DKH, яаралтай. ACK 18");
}

TEST(ack_confirmation, matches_the_parsers_confirmation_word_for_word) {
    for (auto l : {en, mn}) {
        auto msg = parser::parse_sms("ACK 17", lex());
        ASSERT_TRUE(msg);
        const std::string parsers = parser::confirmation_reply(*msg, {}, lex(), l);
        EXPECT_EQ(ack_confirmation(17, lex(), l), parsers);
        EXPECT_EQ(ack_confirmation(17, l), parsers);
    }
    EXPECT_EQ(ack_confirmation(17, en), "ACK ok: alert #17 acknowledged. Thank you.");
}

TEST(ack_notice, names_the_acknowledger_masked) {
    EXPECT_EQ(ack_notice(17, "+976****2233", en), "Alert #17 acknowledged by +976****2233.");
    EXPECT_EQ(ack_notice(17, "+97699112233", en), "Alert #17 acknowledged by +976****2233.");
    EXPECT_EQ(ack_notice(17, "+97699112233", mn), "Дохио #17-г +976****2233 хүлээн авлаа.");
}

TEST(reminder_text, one_case_reads_as_in_the_spec) {
    EXPECT_EQ(reminder_text({{"204812", "ALT"}}, 30, lex(), en),
              "Case 204812 (ALT): no news for 30 days. Reply TR 204812 <status>");
    EXPECT_EQ(reminder_text({{"204812", "ALT"}}, 30, lex(), mn),
              "Хүүхэд 204812 (ALT): 30 хоног мэдээгүй. Хариу: TR 204812 төлөв");
}

TEST(reminder_text, several_cases_list_code_and_site) {
    EXPECT_EQ(reminder_text({{"204812", "ALT"}, {"204820", "ULT"}}, 30, lex(), en),
              "No news for 30 days: 204812 (ALT), 204820 (ULT). Reply TR <case> <status> for each");
}

TEST(reminder_text, five_cases_keep_every_code_in_both_languages) {
    const std::vector<reminder_case> five{
        {"204812", "ALT"}, {"204820", "ULT"}, {"204838", "TSD"}, {"204846", "DKH"}, {"204853", "NRT"}};
    for (auto l : {en, mn}) {
        for (int days : {1, 30, 365}) {
            const std::string s = reminder_text(five, days, lex(), l);
            EXPECT_TRUE(parser::fits_one_segment(s)) << s;
            for (const auto& c : five)
                EXPECT_TRUE(contains(s, c.code)) << s;
        }
    }
    EXPECT_TRUE(contains(reminder_text(five, 30, lex(), en), "204853 (NRT)"));
    EXPECT_EQ(reminder_text({}, 30, lex(), en), "");
}

// The property: every alert text, in both languages, over 1..20 children of every mix, every
// combination of hazards, several works and site names, fits one segment, keeps "ACK n" and the
// first case code, and never shows the reporter's whole number.
TEST(alert_text, every_text_fits_one_segment_keeps_its_ack_and_masks_the_phone) {
    const std::regex whole_phone(R"(\+976\d{8})");
    const std::vector<std::string> hazard_codes{"SHAFT", "HURT", "MERC", "LOAD", "NIGHT", "ALONE"};
    const std::vector<std::string> works{"MINE", "PAN", "SEX"}; // short, long Mongolian label, sensitive
    const std::vector<std::string> names{"", "Altan-Us", std::string(60, 'N'),
                                         "Алтан-Ус голын хойд талын бичил уурхайн талбай"};
    const std::vector<std::uint64_t> numbers{7, 123456};
    std::size_t checked = 0;
    for (int n = 1; n <= 20; ++n) {
        const parser::children mixes[] = {{n, 0, 0}, {0, n, 0}, {n / 3, n / 3, n - 2 * (n / 3)}};
        std::vector<std::string> cases;
        for (int i = 0; i < n; ++i)
            cases.push_back(std::to_string(204812 + i * 8));
        for (auto number : numbers) {
            for (auto l : {en, mn}) {
                const std::string s = fold_text(number, "ALT", n, cases, lex(), l);
                const std::string ack = "ACK " + std::to_string(number);
                EXPECT_TRUE(parser::fits_one_segment(s)) << s;
                EXPECT_TRUE(s.ends_with(l == en ? "Reply " + ack : ack)) << s;
                EXPECT_TRUE(contains(s, cases.front()) && contains(s, "#" + std::to_string(number))) << s;
            }
        }
        for (const auto& kids : mixes) {
            for (unsigned mask = 0; mask < 64; ++mask) {
                for (const auto& work : works) {
                    for (const auto& name : names) {
                        for (auto number : numbers) {
                            alert_facts f;
                            f.number = number;
                            f.site_code = "ALT";
                            f.site_name = name;
                            f.kids = kids;
                            f.age_min = 11;
                            f.age_max = 11 + (mask % 4);
                            f.work = work;
                            for (std::size_t h = 0; h < hazard_codes.size(); ++h)
                                if ((mask & (1u << h)) != 0)
                                    f.hazards.push_back(hazard_codes[h]);
                            f.urgent = (mask & 0b100011u) != 0 || work == "SEX";
                            f.case_codes = cases;
                            f.reporter_phone = "+97699110001";
                            const std::string ack = "ACK " + std::to_string(number);
                            for (auto l : {en, mn}) {
                                const std::string texts[] = {
                                    alert_text(f, lex(), l),
                                    escalation_text(f, escalation_level::repeating, std::chrono::minutes{90},
                                                    lex(), l),
                                };
                                for (const auto& s : texts) {
                                    ++checked;
                                    ASSERT_TRUE(parser::fits_one_segment(s)) << s;
                                    ASSERT_TRUE(s.ends_with(ack)) << s;
                                    ASSERT_TRUE(l == mn || s.ends_with("Reply " + ack)) << s;
                                    ASSERT_TRUE(work == "SEX" || contains(s, "#" + std::to_string(number)))
                                        << s;
                                    ASSERT_TRUE(contains(s, cases.front())) << s;
                                    ASSERT_FALSE(std::regex_search(s, whole_phone)) << s;
                                    ASSERT_FALSE(contains(s, "99110001")) << s;
                                }
                                const std::string& alert = texts[0];
                                ASSERT_TRUE(contains(alert, "ALT")) << alert;
                                // Every case code that fits is shown: the next one in place of
                                // "+M" would not fit.
                                if (std::smatch more; std::regex_search(alert, more, std::regex(R"( \+(\d+)\.)"))) {
                                    const std::size_t left = std::stoul(more[1].str());
                                    const std::string next = cases[cases.size() - left];
                                    const std::string grown =
                                        alert.substr(0, static_cast<std::size_t>(more.position(0))) + " " + next +
                                        (left > 1 ? " +" + std::to_string(left - 1) : std::string{}) + "." +
                                        alert.substr(static_cast<std::size_t>(more.position(0) + more.length(0)));
                                    ASSERT_FALSE(parser::fits_one_segment(grown)) << alert << " could be " << grown;
                                }
                                if (work == "SEX") {
                                    ASSERT_FALSE(contains(alert, "SEX")) << alert;
                                    ASSERT_FALSE(contains(alert, "0001")) << alert;
                                }
                                // The long name goes first: whenever it is shown, nothing else was dropped.
                                if (!name.empty() && contains(alert, name)) {
                                    ASSERT_TRUE(contains(alert, "****0001")) << alert;
                                    ASSERT_TRUE(contains(alert, cases.back())) << alert;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    EXPECT_GT(checked, 100000u);
}

} // namespace
} // namespace kharuul::alerts
