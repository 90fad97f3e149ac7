// The replies of the case life cycle (spec cases.md 2-3): the confirmations of RISK, TR, SVC, VER,
// PLAN, OUT and MERGE, the errors of their fields, and every refusal, in English and Mongolian.
// Each is asserted to fit one segment, to name the case, and (refusals) to name the step that is
// missing. The lexicon is the shipped language with the case tables spelled out here, so that the
// exact texts below do not move when a label of the shipped tables is reworded.
#include "parser/reply.hpp"

#include "parser/case_code.hpp"
#include "parser/segment.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kharuul::parser {
namespace {

code_def entry(std::string code, std::string en, std::string mn) {
    code_def d;
    d.code = std::move(code);
    d.label_en = std::move(en);
    d.label_mn = std::move(mn);
    return d;
}

language case_language() {
    language l = default_language();
    const std::pair<form, const char*> case_forms[] = {{form::risk, "RISK"},
                                                       {form::svc, "SVC"},
                                                       {form::plan, "PLAN"},
                                                       {form::out, "OUT"},
                                                       {form::merge, "MERGE"}};
    for (const auto& [f, name] : case_forms) {
        bool present = false;
        for (const auto& k : l.keywords)
            present = present || k.kind == f;
        if (!present)
            l.keywords.push_back({f, name, {}});
    }
    l.statuses = {entry("SCH", "in school", "сургуульд"),
                  entry("NFE", "in non-formal education", "албан бус боловсролд"),
                  entry("STOP", "not working", "ажил хийхгүй"),
                  entry("LESS", "working less", "ажил багассан"),
                  entry("WORK", "working again", "дахин ажилд")};
    l.risk_reasons = {
        entry("DROP", "out of school", "сургуульгүй"), entry("SIB", "sibling works", "ах дүү нь ажилладаг"),
        entry("FAM", "family works there", "гэр бүл нь ажилладаг"),
        entry("STREET", "street child", "гудамжны хүүхэд"), entry("OTHER", "other risk", "бусад эрсдэл")};
    l.dismiss_reasons = {entry("NOTCL", "not child labour", "хөдөлмөр биш"),
                         entry("NOTFOUND", "not found", "олдоогүй"), entry("DUP", "duplicate", "давхардсан"),
                         entry("OTHER", "other", "бусад")};
    l.targets = {entry("W", "withdrawal", "гаргах"), entry("P", "prevention", "сэргийлэх")};
    l.categories = {entry("CL", "child labourer", "хүүхэд хөдөлмөр"),
                    entry("WFCL", "worst forms", "хамгийн муу хэлбэр"), entry("RISK", "at risk", "эрсдэлтэй"),
                    entry("DROP", "school drop-out", "завсардсан"),
                    entry("HARD", "difficult circumstances", "хүнд нөхцөл")};
    l.results = {entry("WD", "withdrawn", "гарсан"), entry("PR", "prevented", "сэргийлсэн"),
                 entry("LESS", "working less", "ажил багассан"), entry("NO", "not achieved", "үр дүнгүй")};
    l.family_words = {"FAM", "ГЭР"};
    return l;
}

const lexicon& lex() {
    static const lexicon l(case_language(), {"ALT", "ULT", "TSD"});
    return l;
}

sms_message message(form f, message_body body) {
    sms_message m;
    m.kind = f;
    m.body = std::move(body);
    return m;
}

receipt opened(std::vector<std::string> codes, std::uint64_t alert) {
    receipt r;
    r.case_codes = std::move(codes);
    r.alert = alert;
    return r;
}

receipt applied_to(std::string kept) {
    receipt r;
    r.applied_to = std::move(kept);
    return r;
}

receipt re_engaged(std::optional<std::uint64_t> alert, std::string kept = {}) {
    receipt r;
    r.re_engaged = true;
    r.alert = alert;
    r.applied_to = std::move(kept);
    return r;
}

// TR ... WORK on a case closed DONE: open again (cases.md 2).
receipt reopened(std::optional<std::uint64_t> alert) {
    receipt r = re_engaged(alert);
    r.reopened = true;
    return r;
}

risk_report risk(std::string site, children kids, int age_min, int age_max, std::string reason) {
    return {std::move(site), kids, age_min, age_max, std::move(reason)};
}

tracking track(std::string code, std::vector<std::string> codes) {
    tracking t;
    t.case_code = std::move(code);
    t.status = codes.front();
    t.codes = std::move(codes);
    return t;
}

struct confirmation_case {
    const char* what;
    sms_message msg;
    receipt r;
    std::string en;
    std::string mn;
    std::string case_code; // the code both replies must name
};

std::vector<confirmation_case> confirmation_cases() {
    return {
        {"RISK of one girl", message(form::risk, risk("ALT", {0, 1, 0}, 8, 8, "DROP")), opened({"100017"}, 4),
         "RISK ok: 1 girl ~8 at risk (out of school) at ALT. Case 100017. Team alerted (#4).",
         "RISK OK: 1 охин ~8 эрсдэлтэй (сургуульгүй), ALT. Дугаар 100017. #4", "100017"},
        {"RISK of three", message(form::risk, risk("ALT", {2, 1, 0}, 8, 10, "FAM")),
         opened({"100017", "100025", "100033"}, 4),
         "RISK ok: 2 boys 1 girl ~8-10 at risk (family works there) at ALT. Cases 100017 100025 100033. Team "
         "alerted (#4).",
         "RISK OK: 2 хүү 1 охин ~8-10, ALT. Дугаар 100017 100025 100033. #4", "100017"},
        {"TR with one code",
         message(form::tr, track("100009", {"NFE"})),
         {},
         "TR ok: 100009 now in non-formal education.",
         "TR OK: 100009 одоо албан бус боловсролд.",
         "100009"},
        {"TR with two codes",
         message(form::tr, track("100009", {"NFE", "STOP"})),
         {},
         "TR ok: 100009 now in non-formal education, not working.",
         "TR OK: 100009 одоо албан бус боловсролд, ажил хийхгүй.",
         "100009"},
        {"TR on a merged case", message(form::tr, track("100017", {"NFE", "STOP"})), applied_to("100025"),
         "TR ok: 100025 (100017 was merged into it) now in non-formal education, not working.",
         "TR OK: 100025 (100017 үүнд нэгтгэгдсэн) NFE STOP.", "100025"},
        {"TR WORK voiding an outcome", message(form::tr, track("100009", {"WORK"})), re_engaged(5),
         "TR ok: 100009 now working again. The verified outcome no longer counts; team alerted (#5).",
         "TR OK: 100009 одоо дахин ажилд. Үр дүн хүчингүй #5.", "100009"},
        {"TR WORK voiding an outcome, no alert", message(form::tr, track("100009", {"WORK"})),
         re_engaged(std::nullopt),
         "TR ok: 100009 now working again. The verified outcome no longer counts; the team is told.",
         "TR OK: 100009 одоо дахин ажилд. Үр дүн хүчингүй, багт мэдэгдэнэ.", "100009"},
        {"TR WORK reopening a case closed DONE", message(form::tr, track("100009", {"WORK"})), reopened(5),
         "TR ok: 100009 now working again. The case was closed and is reopened; its verified outcome no longer "
         "counts; team alerted (#5).",
         "TR OK: 100009 одоо дахин ажилд. Хэрэг дахин нээгдэв, багт мэдэгдэв #5.", "100009"},
        {"TR WORK reopening a case closed DONE, a long alert number", message(form::tr, track("100009", {"WORK"})),
         reopened(12345),
         "TR ok: 100009 now working again. The case was closed and is reopened; its verified outcome no longer "
         "counts; team alerted (#12345).",
         "TR OK: 100009 одоо дахин ажилд. Дахин нээгдэв #12345.", "100009"},
        {"TR WORK reopening a case closed DONE, no alert", message(form::tr, track("100009", {"WORK"})),
         reopened(std::nullopt),
         "TR ok: 100009 now working again. The case was closed and is reopened; its verified outcome no longer "
         "counts; the team is told.",
         "TR OK: 100009 одоо дахин ажилд. Хэрэг дахин нээгдэв, багт мэдэгдэнэ.", "100009"},
        {"TR WORK on a merged case voiding an outcome", message(form::tr, track("100017", {"WORK"})),
         re_engaged(5, "100025"),
         "TR ok: 100025 (100017 was merged into it) now working again. The verified outcome no longer "
         "counts; "
         "team alerted (#5).",
         "TR OK: 100025 (100017 нэгтгэсэн) одоо дахин ажилд. Үр дүн хүчингүй #5.", "100025"},
        {"SVC for the family",
         message(form::svc, service_delivery{"100009", "NFE", true}),
         {},
         "SVC ok: 100009 non-formal education delivered (family).",
         "SVC OK: 100009 албан бус боловсрол үзүүлэв (гэр бүлд).",
         "100009"},
        {"SVC for the child",
         message(form::svc, service_delivery{"100009", "PSY", false}),
         {},
         "SVC ok: 100009 psychological support delivered.",
         "SVC OK: 100009 сэтгэл зүй үзүүлэв.",
         "100009"},
        {"VER OK",
         message(form::ver, verification{"100009", true, ""}),
         {},
         "VER ok: 100009 confirmed.",
         "VER OK: 100009 баталгаажсан.",
         "100009"},
        {"VER NO with a reason",
         message(form::ver, verification{"100009", false, "NOTFOUND"}),
         {},
         "VER ok: 100009 dismissed: not found.",
         "VER NO: 100009 хэрэгсэхгүй: олдоогүй.",
         "100009"},
        {"PLAN with a category",
         message(form::plan, assessment{"100009", 'W', "WFCL"}),
         {},
         "PLAN ok: 100009 target withdrawal (worst forms).",
         "PLAN OK: 100009 зорилт: гаргах (хамгийн муу хэлбэр).",
         "100009"},
        {"PLAN on a merged case", message(form::plan, assessment{"100009", 'P', ""}), applied_to("100025"),
         "PLAN ok: 100025 (100009 was merged into it) target prevention.",
         "PLAN OK: 100025 (100009 үүнд нэгтгэгдсэн) зорилт: сэргийлэх.", "100025"},
        {"OUT WD",
         message(form::out, outcome_check{"100009", "WD"}),
         {},
         "OUT ok: 100009 verified withdrawn.",
         "OUT OK: 100009 хөдөлмөрөөс гарсан нь батлагдав.",
         "100009"},
        {"OUT PR",
         message(form::out, outcome_check{"100009", "PR"}),
         {},
         "OUT ok: 100009 verified prevented.",
         "OUT OK: 100009 урьдчилан сэргийлсэн нь батлагдав.",
         "100009"},
        {"OUT LESS",
         message(form::out, outcome_check{"100009", "LESS"}),
         {},
         "OUT ok: 100009 verified working less.",
         "OUT OK: 100009 ачаалал буурсан нь батлагдав.",
         "100009"},
        {"OUT NO",
         message(form::out, outcome_check{"100009", "NO"}),
         {},
         "OUT ok: 100009 checked, outcome not achieved.",
         "OUT OK: 100009 шалгасан, үр дүнд хүрээгүй.",
         "100009"},
        {"MERGE",
         message(form::merge, merger{"100017", "100009"}),
         {},
         "MERGE ok: 100017 is now part of 100009.",
         "MERGE OK: 100017 нь 100009-д нэгтгэгдлээ.",
         "100009"},
    };
}

TEST(case_replies, every_confirmation_reads_as_written_and_fits_one_segment) {
    for (const auto& c : confirmation_cases()) {
        const std::string en = confirmation_reply(c.msg, c.r, lex(), reply_language::en);
        const std::string mn = confirmation_reply(c.msg, c.r, lex(), reply_language::mn);
        EXPECT_EQ(en, c.en) << c.what;
        EXPECT_EQ(mn, c.mn) << c.what;
        for (const std::string& s : {en, mn}) {
            EXPECT_TRUE(fits_one_segment(s)) << c.what << ": " << s;
            EXPECT_NE(s.find(c.case_code), std::string::npos) << c.what << ": " << s;
        }
        EXPECT_EQ(measure_sms(mn).encoding, sms_encoding::ucs2) << c.what;
    }
}

TEST(case_replies, a_form_sent_to_a_merged_case_names_both_cases_in_both_languages) {
    for (const auto& c : confirmation_cases()) {
        if (c.r.applied_to.empty())
            continue;
        const std::string& named = std::visit(
            [](const auto& b) -> const std::string& {
                if constexpr (requires { b.case_code; })
                    return b.case_code;
                else
                    throw std::logic_error("not a case form");
            },
            c.msg.body);
        for (auto l : {reply_language::en, reply_language::mn}) {
            const std::string s = confirmation_reply(c.msg, c.r, lex(), l);
            EXPECT_NE(s.find(c.r.applied_to), std::string::npos) << s;
            EXPECT_NE(s.find(named), std::string::npos) << s;
        }
    }
}

TEST(case_replies, twenty_children_at_risk_keep_the_first_case_and_the_alert) {
    receipt r;
    for (int i = 0; i < 20; ++i)
        r.case_codes.push_back(std::to_string(100017 + 8 * i));
    r.alert = 123456;
    const sms_message m = message(form::risk, risk("ALT", {10, 10, 0}, 3, 17, "STREET"));
    for (auto l : {reply_language::en, reply_language::mn}) {
        const std::string s = confirmation_reply(m, r, lex(), l);
        EXPECT_TRUE(fits_one_segment(s)) << s;
        EXPECT_NE(s.find("100017"), std::string::npos) << s;
        EXPECT_NE(s.find("123456"), std::string::npos) << s;
        EXPECT_NE(s.find("+"), std::string::npos) << s;
    }
}

TEST(case_replies, parse_without_a_store_shows_where_the_risk_cases_go) {
    const sms_message m = message(form::risk, risk("ALT", {1, 1, 0}, 8, 8, "SIB"));
    EXPECT_EQ(confirmation_reply(m, placeholder_receipt(m), lex(), reply_language::en),
              "RISK ok: 1 boy 1 girl ~8 at risk (sibling works) at ALT. Cases ###### ######.");
}

// The shipped language, through the parser: the texts a volunteer or a team really gets.
TEST(case_replies, parsed_case_forms_in_the_shipped_language_get_the_spec_replies) {
    const lexicon shipped(default_language(), {"ALT", "ULT"});
    const std::string kept = make_case_code(10000); // case codes the parser accepts (check digit)
    const std::string gone = make_case_code(10001);
    auto reply = [&](const std::string& text, const receipt& r = {}) {
        auto p = parse_sms(text, shipped);
        return p ? confirmation_reply(*p, r, shipped, reply_language::en)
                 : error_reply(p.error(), shipped, reply_language::en);
    };
    EXPECT_EQ(reply("RISK ALT G 8 DROP", opened({gone}, 4)),
              "RISK ok: 1 girl ~8 at risk (out of school) at ALT. Case " + gone + ". Team alerted (#4).");
    EXPECT_EQ(reply("TR " + kept + " NFE STOP"),
              "TR ok: " + kept + " now in non-formal education, not working.");
    EXPECT_EQ(reply("SVC " + kept + " NFE FAM"),
              "SVC ok: " + kept + " non-formal education delivered (family).");
    EXPECT_EQ(reply("VER " + kept + " OK"), "VER ok: " + kept + " confirmed.");
    EXPECT_EQ(reply("VER " + kept + " NO NOTFOUND"), "VER ok: " + kept + " dismissed: not found.");
    EXPECT_EQ(reply("PLAN " + kept + " W WFCL"), "PLAN ok: " + kept + " target withdrawal (worst forms).");
    EXPECT_EQ(reply("OUT " + kept + " WD"), "OUT ok: " + kept + " verified withdrawn.");
    EXPECT_EQ(reply("MERGE " + gone + " " + kept), "MERGE ok: " + gone + " is now part of " + kept + ".");
    EXPECT_EQ(reply("TR " + gone + " STOP", applied_to(kept)),
              "TR ok: " + kept + " (" + gone + " was merged into it) now not working.");
    EXPECT_EQ(reply("VER " + kept + " NO"), "VER: reason missing. Reasons: NOTCL NOTFOUND DUP OTHER");
    for (const std::string& text :
         std::vector<std::string>{"RISK ALT G 8 DROP", "TR " + kept + " NFE STOP", "SVC " + kept + " NFE FAM",
                                  "VER " + kept + " NO DUP", "PLAN " + kept + " P RISK",
                                  "OUT " + kept + " NO", "MERGE " + gone + " " + kept}) {
        auto p = parse_sms(text, shipped);
        ASSERT_TRUE(p) << text;
        const std::string mn = confirmation_reply(*p, opened({gone}, 4), shipped, reply_language::mn);
        EXPECT_TRUE(fits_one_segment(mn)) << mn;
        EXPECT_EQ(mn.find("..."), std::string::npos) << mn;
    }
}

// --- Errors of the new fields -----------------------------------------------------------------

parse_error error(errc code, form kind, std::string token = {}, field missing = field::none,
                  std::string suggestion = {}) {
    parse_error e;
    e.code = code;
    e.kind = kind;
    e.token = std::move(token);
    e.missing = missing;
    e.suggestion = std::move(suggestion);
    return e;
}

struct error_case {
    parse_error e;
    std::string en;
    std::string mn_contains;
};

TEST(case_replies, errors_of_the_new_fields_name_the_problem_and_the_valid_codes) {
    const std::vector<error_case> cases = {
        {error(errc::unknown_risk, form::risk, "POOR"),
         "RISK: unknown risk reason POOR. Reasons: DROP SIB FAM STREET OTHER", "POOR"},
        {error(errc::unknown_risk, form::risk, "DRO", field::none, "DROP"),
         "RISK: unknown risk reason DRO. Did you mean DROP? Send: RISK site children age reason", "DROP"},
        {error(errc::missing_field, form::risk, "", field::reason),
         "RISK: reason missing. Reasons: DROP SIB FAM STREET OTHER", "шалтгаан"},
        {error(errc::bad_age, form::risk, "2"),
         "RISK: age 2 is not 3-17. Send: RISK site children age reason", "3-17"},
        {error(errc::missing_field, form::ver, "", field::reason),
         "VER: reason missing. Reasons: NOTCL NOTFOUND DUP OTHER", "NOTFOUND"},
        {error(errc::unknown_reason, form::ver, "WHY"),
         "VER: unknown reason WHY. Reasons: NOTCL NOTFOUND DUP OTHER", "WHY"},
        {error(errc::unknown_reason, form::close, "WHY"),
         "CLOSE: unknown reason WHY. Reasons: DONE ADULT MOVED", "WHY"},
        {error(errc::bad_target, form::plan, "X"),
         "PLAN: write W (withdrawal) or P (prevention) after the case, not X. Send: PLAN case W|P [category]",
         "W эсвэл P"},
        {error(errc::missing_field, form::plan, "", field::target),
         "PLAN: target W or P missing. Send: PLAN case W|P [category]", "W/P"},
        {error(errc::unknown_category, form::plan, "BAD"),
         "PLAN: unknown category BAD. Categories: CL WFCL RISK DROP HARD", "WFCL"},
        {error(errc::bad_outcome, form::out, "DONE"),
         "OUT: write WD, PR, LESS or NO after the case, not DONE. Send: OUT case WD|PR|LESS|NO",
         "WD|PR|LESS|NO"},
        {error(errc::missing_field, form::out, "", field::outcome),
         "OUT: outcome WD, PR, LESS or NO missing. Send: OUT case WD|PR|LESS|NO", "WD/PR/LESS/NO"},
        {error(errc::same_case, form::merge, "204812"),
         "MERGE: case 204812 cannot be merged into itself. Send: MERGE case into-case", "204812"},
        {error(errc::missing_field, form::merge, "", field::into),
         "MERGE: the case to merge into missing. Send: MERGE case into-case", "нэгтгэх"},
        {error(errc::missing_field, form::svc, "", field::service),
         "SVC: service missing. Send: SVC case service [FAM]", "үйлчилгээ"},
        {error(errc::conflicting_status, form::tr, "SCH"),
         "TR: SCH does not go with the other code: at most one school code and one work code; MOVED and MISS "
         "stand alone. Send: TR case status",
         "SCH"},
    };
    for (const auto& c : cases) {
        const std::string en = error_reply(c.e, lex(), reply_language::en);
        const std::string mn = error_reply(c.e, lex(), reply_language::mn);
        EXPECT_EQ(en, c.en);
        EXPECT_NE(mn.find(c.mn_contains), std::string::npos) << mn;
        EXPECT_TRUE(fits_one_segment(en)) << en;
        EXPECT_TRUE(fits_one_segment(mn)) << mn;
    }
}

// --- Formats and help -----------------------------------------------------------------------

TEST(case_replies, every_new_form_has_its_format) {
    EXPECT_EQ(form_format(form::risk, lex(), reply_language::en), "RISK site children age reason");
    EXPECT_EQ(form_format(form::svc, lex(), reply_language::en), "SVC case service [FAM]");
    EXPECT_EQ(form_format(form::ver, lex(), reply_language::en), "VER case OK|NO reason");
    EXPECT_EQ(form_format(form::plan, lex(), reply_language::en), "PLAN case W|P [category]");
    EXPECT_EQ(form_format(form::out, lex(), reply_language::en), "OUT case WD|PR|LESS|NO");
    EXPECT_EQ(form_format(form::merge, lex(), reply_language::en), "MERGE case into-case");
    EXPECT_EQ(form_format(form::plan, lex(), reply_language::mn), "PLAN дугаар W|P [ангилал]");
}

TEST(case_replies, help_for_each_new_form_gives_its_format_and_fits) {
    const std::vector<std::pair<form, std::string>> expected = {
        {form::risk,
         "RISK site children age reason: a child at risk, age 3-17. Reasons: DROP SIB FAM STREET OTHER. "
         "Ex: RISK ALT G 8 DROP"},
        {form::plan,
         "PLAN case W|P [category]: W withdrawal, P prevention. Categories: CL WFCL RISK DROP HARD. Ex: "
         "PLAN 204812 W WFCL"},
        {form::merge,
         "MERGE case into-case: the first case is the same child as the second. Ex: MERGE 204820 "
         "204812"},
        {form::ver,
         "VER case OK|NO reason: teams only. Reasons for NO: NOTCL NOTFOUND DUP OTHER. Ex: VER 204812 OK"},
    };
    for (const auto& [f, text] : expected)
        EXPECT_EQ(help_reply(f, lex(), reply_language::en), text);
    for (form f : all_forms)
        for (auto l : {reply_language::en, reply_language::mn}) {
            if (f == form::help)
                continue; // the code card
            const std::string s = help_reply(f, lex(), l);
            EXPECT_TRUE(fits_one_segment(s)) << s;
            EXPECT_EQ(s.rfind(form_format(f, lex(), l), 0), 0u) << s;
        }
}

TEST(case_replies, the_code_card_names_risk_and_keeps_fitting) {
    const std::string en = help_reply(std::nullopt, lex(), reply_language::en);
    EXPECT_EQ(
        en, "Codes: ID site children age work | NIL site | RISK site children age reason | TR case status | "
            "ACK number | HELP ID, HELP WORK, HELP SITES: more.");
    const std::string mn = help_reply(std::nullopt, lex(), reply_language::mn);
    EXPECT_TRUE(fits_one_segment(mn)) << mn;
    EXPECT_NE(mn.find("RISK"), std::string::npos) << mn;
    EXPECT_NE(mn.find("ID газар хүүхэд нас ажил"), std::string::npos) << mn;
}

// --- Refusals -------------------------------------------------------------------------------

refusal_detail detail(int days = 60, std::string outcome = {}, std::string target = {},
                      std::string other = {}) {
    refusal_detail d;
    d.days = days;
    d.outcome = std::move(outcome);
    d.target = std::move(target);
    d.other = std::move(other);
    return d;
}

refusal_detail area(std::string area, std::string team) {
    refusal_detail d;
    d.area = std::move(area);
    d.team = std::move(team);
    return d;
}

// A TR ... WORK (or, `working` false, another TR) on a case closed for `reason`.
refusal_detail closed(std::string reason, bool working = true) {
    refusal_detail d;
    d.reason = std::move(reason);
    d.seen_working = working;
    return d;
}

struct refusal_case {
    refusal r;
    form f;
    refusal_detail d;
    std::string en;
    std::string next_en; // the step the reply must name
    std::string next_mn;
};

std::vector<refusal_case> refusal_cases() {
    return {
        {refusal::dismissed_case, form::plan, detail(),
         "PLAN 204812: dismissed at triage; nothing changed. If that was wrong, ask a coordinator to undo "
         "the VER "
         "NO.",
         "nothing changed", "өөрчлөөгүй"},
        {refusal::past_triage, form::ver, detail(),
         "VER 204812: already past triage. For the outcome send OUT 204812 WD|PR|LESS|NO",
         "OUT 204812 WD|PR|LESS|NO", "OUT 204812 WD|PR|LESS|NO"},
        {refusal::not_confirmed, form::plan, detail(),
         "PLAN 204812: not confirmed yet. Send VER 204812 OK first", "VER 204812 OK", "VER 204812 OK"},
        {refusal::has_outcome, form::out, detail(60, "WD"),
         "OUT 204812: outcome WD (verified withdrawn) already stands; nothing changed. Send CLOSE 204812 "
         "DONE to "
         "close the case",
         "CLOSE 204812 DONE", "CLOSE 204812 DONE"},
        {refusal::has_outcome, form::plan, detail(60, "LESS"),
         "PLAN 204812: outcome LESS (verified working less) already stands; nothing changed. Send OUT 204812 "
         "WD once "
         "withdrawal is verified",
         "OUT 204812 WD", "OUT 204812 WD"},
        {refusal::lost_case, form::out, detail(),
         "OUT 204812: lost to follow-up. Send TR 204812 <status> first", "TR 204812 <status>", "TR 204812"},
        {refusal::needs_plan, form::out, detail(), "OUT 204812: no plan yet. Send PLAN 204812 W or P first",
         "PLAN 204812 W or P", "PLAN 204812 W эсвэл P"},
        {refusal::target_mismatch, form::out, detail(60, "WD", "P"),
         "OUT 204812 WD: the target is prevention. Send OUT 204812 PR, or PLAN 204812 W first",
         "PLAN 204812 W", "PLAN 204812 W"},
        {refusal::target_mismatch, form::out, detail(60, "PR", "W"),
         "OUT 204812 PR: the target is withdrawal. Send OUT 204812 WD, or PLAN 204812 P first",
         "OUT 204812 WD", "OUT 204812 WD"},
        {refusal::target_mismatch, form::out, detail(60, "LESS", "P"),
         "OUT 204812 LESS: the target is prevention. Send OUT 204812 PR, or PLAN 204812 W first",
         "OUT 204812 PR", "OUT 204812 PR"},
        {refusal::no_recent_tr, form::out, detail(),
         "OUT 204812: no TR in the last 60 days. Send TR 204812 <status> first", "TR 204812 <status>",
         "TR 204812"},
        {refusal::no_recent_tr, form::out, detail(90),
         "OUT 204812: no TR in the last 90 days. Send TR 204812 <status> first", "90 days", "90 хоногт"},
        {refusal::not_stopped, form::out, detail(),
         "OUT 204812 WD: no TR STOP or HOME in the last 60 days. Send TR 204812 STOP first", "TR 204812 STOP",
         "TR 204812 STOP"},
        {refusal::work_since_plan, form::out, detail(),
         "OUT 204812 PR: seen working since the plan, so not prevented. Send PLAN 204812 W (withdrawal) "
         "first",
         "PLAN 204812 W", "PLAN 204812 W"},
        {refusal::no_less, form::out, detail(),
         "OUT 204812 LESS: no TR LESS in the last 60 days. Send TR 204812 LESS first", "TR 204812 LESS",
         "TR 204812 LESS"},
        {refusal::needs_outcome, form::close, detail(),
         "CLOSE 204812 DONE: no verified WD or PR. Send OUT 204812 WD or PR first", "OUT 204812 WD or PR",
         "OUT 204812 WD/PR"},
        {refusal::not_mergeable, form::merge, detail(60, "", "", "204820"),
         "MERGE 204812: only reported or confirmed cases can be merged. Send MERGE 204820 204812 instead",
         "MERGE 204820 204812", "MERGE 204820 204812"},
        {refusal::not_mergeable, form::merge, detail(),
         "MERGE 204812: only reported or confirmed cases can be merged. Merge the other case into it instead",
         "other case into it", "нэгтгэнэ"},
        {refusal::merge_target, form::merge, detail(60, "", "", "204820"),
         "MERGE 204812: case 204820 is closed or dismissed; nothing changed. Merge 204812 into an open case",
         "into an open case", "Нээлттэй хэрэгт"},
        {refusal::other_area, form::ver, area("Bayankhongor/Bayan-Ovoo", "Bayan-Ovoo"),
         "VER 204812: case is in Bayankhongor/Bayan-Ovoo, the Bayan-Ovoo team's area. Nothing changed.",
         "Nothing changed", "Өөрчлөөгүй"},
        {refusal::other_area, form::tr, area("Bayankhongor/Bayan-Ovoo", "Bayan-Ovoo child protection team"),
         "TR 204812: case is in Bayankhongor/Bayan-Ovoo, the Bayan-Ovoo child protection team's area. "
         "Nothing "
         "changed.",
         "Nothing changed", "Өөрчлөөгүй"},
        {refusal::closed_case, form::tr, closed("MOVED"),
         "TR: case 204812 was closed (MOVED), so it is not reopened. To report the child seen working, send: "
         "ID site children age work",
         "send: ID site", "Хүүхдийг ID-ээр мэдээлнэ"},
        {refusal::closed_case, form::tr, closed("ADULT"),
         "TR: case 204812 was closed (ADULT), so it is not reopened. If the child is not an adult, ask a "
         "coordinator to undo the CLOSE.",
         "undo the CLOSE", "Зохицуулагчид хандана"},
        {refusal::closed_case, form::tr, closed("MOVED", false), "TR: case 204812 is closed; nothing changed.",
         "nothing changed", "өөрчлөөгүй"},
        {refusal::other_area, form::out, area("Bayankhongor/Bayan-Ovoo", ""),
         "OUT 204812: case is in Bayankhongor/Bayan-Ovoo, outside your areas. Nothing changed.",
         "Nothing changed", "Өөрчлөөгүй"},
    };
}

TEST(case_replies, every_refusal_names_the_case_and_the_missing_step_in_both_languages) {
    for (const auto& c : refusal_cases()) {
        const std::string en = refusal_reply(c.r, c.f, "204812", "", lex(), reply_language::en, c.d);
        const std::string mn = refusal_reply(c.r, c.f, "204812", "", lex(), reply_language::mn, c.d);
        EXPECT_EQ(en, c.en);
        EXPECT_NE(en.find(c.next_en), std::string::npos) << en;
        EXPECT_NE(mn.find(c.next_mn), std::string::npos) << mn;
        for (const std::string& s : {en, mn}) {
            EXPECT_TRUE(fits_one_segment(s)) << s;
            EXPECT_NE(s.find("204812"), std::string::npos) << s;
            EXPECT_EQ(s.find("..."), std::string::npos) << "shortened, not planned: " << s;
        }
        EXPECT_EQ(measure_sms(mn).encoding, sms_encoding::ucs2) << mn;
    }
}

TEST(case_replies, the_spec_wording_of_the_missing_tr_refusal_is_kept) {
    EXPECT_EQ(
        refusal_reply(refusal::no_recent_tr, form::out, "204812", "", lex(), reply_language::en, detail()),
        "OUT 204812: no TR in the last 60 days. Send TR 204812 <status> first");
}

TEST(case_replies, the_mongolian_refusals_read_as_written) {
    EXPECT_EQ(
        refusal_reply(refusal::no_recent_tr, form::out, "204812", "", lex(), reply_language::mn, detail()),
        "OUT 204812: 60 хоногт TR алга. Эхлээд TR 204812 төлөв илгээ");
    EXPECT_EQ(
        refusal_reply(refusal::not_confirmed, form::plan, "204812", "", lex(), reply_language::mn, detail()),
        "PLAN 204812: батлагдаагүй. Эхлээд VER 204812 OK илгээ");
    EXPECT_EQ(refusal_reply(refusal::other_area, form::ver, "204812", "", lex(), reply_language::mn,
                            area("Bayankhongor/Bayan-Ovoo", "Bayan-Ovoo")),
              "VER 204812: Bayankhongor/Bayan-Ovoo, өөр багийн нутаг. Өөрчлөөгүй.");
}

TEST(case_replies, a_long_team_is_dropped_first_then_the_area_is_named_shorter) {
    const std::string long_team =
        "Bayankhongor aimag child protection and family welfare multidisciplinary team";
    const std::string long_area =
        "Bayankhongor aimag/Bayan-Ovoo soum/Khuren-Undur bag/Gold mine pits north of the "
        "river beyond the old road";
    // The team goes before the area is touched.
    const std::string en =
        refusal_reply(refusal::other_area, form::ver, "204812", "", lex(), reply_language::en,
                      area("Bayankhongor/Bayan-Ovoo", long_team + " " + long_team));
    EXPECT_EQ(en, "VER 204812: case is in Bayankhongor/Bayan-Ovoo, outside your areas. Nothing changed.");
    // Then the area keeps its last part.
    const std::string en_area =
        refusal_reply(refusal::other_area, form::ver, "204812", "", lex(), reply_language::en,
                      area(long_area + "/" + long_area, long_team));
    EXPECT_TRUE(fits_one_segment(en_area)) << en_area;
    EXPECT_NE(en_area.find("river beyond the old road, outside"), std::string::npos) << en_area;
    for (auto l : {reply_language::en, reply_language::mn})
        for (const auto& [a, t] : std::vector<std::pair<std::string, std::string>>{
                 {long_area, long_team},
                 {long_area + "/" + long_area, std::string(300, 'T')},
                 {std::string(300, 'A'), ""},
                 {"Баянхонгор/Баян-Овоо/" + long_area, "Баян-Овоо сумын баг"}}) {
            const std::string s =
                refusal_reply(refusal::other_area, form::ver, "204812", "", lex(), l, area(a, t));
            EXPECT_TRUE(fits_one_segment(s)) << s;
            EXPECT_NE(s.find("204812"), std::string::npos) << s;
            EXPECT_NE(s.find(l == reply_language::en ? "Nothing changed." : "Өөрчлөөгүй."), std::string::npos)
                << s;
        }
}

} // namespace
} // namespace kharuul::parser
