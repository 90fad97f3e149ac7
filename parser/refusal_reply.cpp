// The refusals: replies to messages that were understood but cannot be applied (parser/reply.hpp's
// refusal_reply), most of them the steps of the case life cycle (cases.md 2).
#include "parser/reply.hpp"

#include "parser/reply_support.hpp"
#include "parser/text.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kharuul::parser {

using detail::first_fit;
using detail::fitter;
using detail::kw;
using detail::mn;
using detail::result_phrase;
using detail::results_alt;
using detail::target_word;

namespace {

// The reply to a refusal of the case life cycle (cases.md 2): "<KW> <case>[ <code>]: <why>. <next
// step>", richest first. Every candidate names the case and the step that is missing.
struct refusal_text {
    std::string head;                // "OUT 204812 WD:"
    std::vector<std::string> bodies; // " no TR in the last 60 days. Send TR 204812 <status> first"
};

std::string fit_refusal(const refusal_text& t) {
    fitter f;
    for (const std::string& b : t.bodies)
        if (f.offer(t.head + b))
            break;
    return std::move(f).result();
}

// "the Bayan-Ovoo team's area": a team named "... team" is not called "... team team".
std::string team_area(const std::string& team) {
    std::string lower;
    for (char c : team)
        lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    const bool named_team = lower.size() >= 4 && lower.compare(lower.size() - 4, 4, "team") == 0;
    return "the " + team + (named_team ? "'s area" : " team's area");
}

// The area named shorter: its last part ("Bayankhongor/Bayan-Ovoo" -> "Bayan-Ovoo"), at most `max`
// code points ("..." when cut).
std::string short_area(const std::string& area, std::size_t max) {
    const auto slash = area.rfind('/');
    std::string last = slash == std::string::npos ? area : area.substr(slash + 1);
    std::size_t pos = 0;
    std::size_t n = 0;
    while (pos < last.size() && n < max) {
        next_code_point(last, pos);
        ++n;
    }
    return pos < last.size() ? last.substr(0, pos) + "..." : last;
}

std::optional<refusal_text> case_refusal(refusal r, std::optional<form> f, const std::string& c,
                                         const lexicon& lex, reply_language l, const refusal_detail& d) {
    const bool m = mn(l);
    const std::string k = f ? kw(lex, *f) + " " : std::string{};
    const std::string head = k + c + ":";
    const std::string days = std::to_string(d.days);
    const std::string tr = kw(lex, form::tr);
    const std::string out = kw(lex, form::out);
    const std::string plan = kw(lex, form::plan);
    const std::string ver = kw(lex, form::ver);
    // The head with the result sent: "OUT 204812 WD:".
    auto with = [&](const std::string& fallback) {
        return k + c + " " + (d.outcome.empty() ? fallback : d.outcome) + ":";
    };
    switch (r) {
    case refusal::dismissed_case:
        if (m)
            return refusal_text{head,
                                {" хэрэгсэхгүй болсон, өөрчлөөгүй. Буруу бол зохицуулагчид хандана уу.",
                                 " хэрэгсэхгүй болсон, өөрчлөөгүй."}};
        return refusal_text{
            head,
            {" dismissed at triage; nothing changed. If that was wrong, ask a coordinator to undo "
             "the " +
                 ver + " NO.",
             " dismissed at triage; nothing changed."}};
    case refusal::past_triage:
        return refusal_text{
            head,
            {m ? " ангилал хийгдсэн. Үр дүн: " + out + " " + c + " " + results_alt(lex)
               : " already past triage. For the outcome send " + out + " " + c + " " + results_alt(lex),
             m ? " ангилсан. " + out + " " + c + " " + results_alt(lex)
               : " past triage. Send " + out + " " + c + " " + results_alt(lex)}};
    case refusal::not_confirmed:
        return refusal_text{head,
                            {m ? " батлагдаагүй. Эхлээд " + ver + " " + c + " OK илгээ"
                               : " not confirmed yet. Send " + ver + " " + c + " OK first"}};
    case refusal::has_outcome: {
        const std::string o = d.outcome.empty() ? std::string("WD") : d.outcome;
        const bool less = o == "LESS";
        const std::string close = kw(lex, form::close) + " " + c + " DONE";
        const std::string next_en = less ? "Send " + out + " " + c + " WD once withdrawal is verified"
                                         : "Send " + close + " to close the case";
        const std::string next_mn = less ? out + " " + c + " WD илгээж болно" : close + " илгээж хаа";
        if (m)
            return refusal_text{head, {" үр дүн " + o + " батлагдсан. " + next_mn, " " + o + " батлагдсан."}};
        return refusal_text{
            head,
            {" outcome " + o + " (" + result_phrase(o, l) + ") already stands; nothing changed. " + next_en,
             " outcome " + o + " already stands. " + next_en}};
    }
    case refusal::lost_case:
        return refusal_text{head,
                            {m ? " сураггүй. Эхлээд " + tr + " " + c + " төлөв илгээ"
                               : " lost to follow-up. Send " + tr + " " + c + " <status> first"}};
    case refusal::needs_plan:
        return refusal_text{head,
                            {m ? " төлөвлөгөөгүй. Эхлээд " + plan + " " + c + " W эсвэл P"
                               : " no plan yet. Send " + plan + " " + c + " W or P first"}};
    case refusal::target_mismatch: {
        // The case's target and the result that would fit it; or a new plan for the result sent.
        const std::string t = d.target.empty() ? std::string("P") : d.target;
        const std::string fits = t == "P" ? "PR" : "WD";
        const std::string other = t == "P" ? "W" : "P";
        const std::string h = with(t == "P" ? "WD" : "PR");
        if (m)
            return refusal_text{h,
                                {" зорилт " + target_word(lex, t, l) + ". " + out + " " + c + " " + fits +
                                     " эсвэл " + plan + " " + c + " " + other,
                                 " зорилт " + t + ". " + out + " " + c + " " + fits + " эсвэл " + plan + " " +
                                     c + " " + other}};
        return refusal_text{h,
                            {" the target is " + target_word(lex, t, l) + ". Send " + out + " " + c + " " +
                             fits + ", or " + plan + " " + c + " " + other + " first"}};
    }
    case refusal::no_recent_tr: // the spec's wording (cases.md 2)
        return refusal_text{
            head,
            {m ? " " + days + " хоногт " + tr + " алга. Эхлээд " + tr + " " + c + " төлөв илгээ"
               : " no " + tr + " in the last " + days + " days. Send " + tr + " " + c + " <status> first"}};
    case refusal::not_stopped:
        return refusal_text{
            with("WD"),
            {m ? " " + days + " хоногт " + tr + " STOP/HOME алга. Эхлээд " + tr + " " + c + " STOP"
               : " no " + tr + " STOP or HOME in the last " + days + " days. Send " + tr + " " + c +
                     " STOP first"}};
    case refusal::work_since_plan:
        if (m)
            return refusal_text{with("PR"),
                                {" төлөвлөгөөнөөс хойш ажилласан. " + plan + " " + c + " W илгээ",
                                 " ажилласан. " + plan + " " + c + " W илгээ"}};
        return refusal_text{with("PR"),
                            {" seen working since the plan, so not prevented. Send " + plan + " " + c +
                                 " W (withdrawal) first",
                             " seen working since the plan. Send " + plan + " " + c + " W first"}};
    case refusal::no_less:
        return refusal_text{
            with("LESS"),
            {m ? " " + days + " хоногт " + tr + " LESS алга. Эхлээд " + tr + " " + c + " LESS"
               : " no " + tr + " LESS in the last " + days + " days. Send " + tr + " " + c + " LESS first"}};
    case refusal::needs_outcome:
        return refusal_text{k + c + " DONE:",
                            {m ? " үр дүн батлагдаагүй. Эхлээд " + out + " " + c + " WD/PR"
                               : " no verified WD or PR. Send " + out + " " + c + " WD or PR first"}};
    case refusal::not_mergeable: {
        if (m) {
            const std::string next = d.other.empty() ? std::string{} : " " + k + d.other + " " + c;
            return refusal_text{
                head, {" зөвхөн шинэ, батлагдсан хэрэг нэгтгэнэ." + next, " нэгтгэх боломжгүй." + next}};
        }
        const std::string next = d.other.empty() ? std::string(" Merge the other case into it instead")
                                                 : " Send " + k + d.other + " " + c + " instead";
        return refusal_text{head,
                            {" only reported or confirmed cases can be merged." + next,
                             " only reported or confirmed cases can be merged"}};
    }
    case refusal::merge_target: {
        const std::string o = d.other.empty() ? std::string("the other case") : "case " + d.other;
        if (m) {
            const std::string other = d.other.empty() ? std::string("нөгөө хэрэг") : d.other;
            return refusal_text{k + c + ":",
                                {" " + other + " хаагдсан эсвэл хэрэгсэхгүй. Нээлттэй хэрэгт нэгтгэ",
                                 " " + other + " нээлттэй биш. Нээлттэй хэрэгт нэгтгэ"}};
        }
        return refusal_text{
            k + c + ":",
            {" " + o + " is closed or dismissed; nothing changed. Merge " + c + " into an open case"}};
    }
    case refusal::other_area: {
        // "VER 204812: case is in Bayankhongor/Bayan-Ovoo, the Bayan-Ovoo team's area. Nothing changed."
        // A long team name goes first, then the area is named shorter.
        const std::string nothing = m ? " Өөрчлөөгүй." : " Nothing changed.";
        std::vector<std::string> areas{d.area, short_area(d.area, 1000), short_area(d.area, m ? 16 : 40),
                                       short_area(d.area, 8)};
        std::vector<std::string> bodies;
        auto where = [&](const std::string& a, bool team) {
            if (m)
                return " " + a + (team ? ", " + d.team + " багийн нутаг." : ", өөр багийн нутаг.") + nothing;
            return " case is in " + a + (team ? ", " + team_area(d.team) + "." : ", outside your areas.") +
                   nothing;
        };
        if (d.area.empty())
            return refusal_text{
                head, {m ? " өөр багийн нутагт." + nothing : " case is outside your areas." + nothing}};
        if (!d.team.empty())
            bodies.push_back(where(d.area, true));
        for (const auto& a : areas)
            bodies.push_back(where(a, false));
        return refusal_text{head, bodies};
    }
    default:
        return std::nullopt;
    }
}

} // namespace

std::string refusal_reply(refusal r, std::optional<form> f, std::string_view token,
                          std::string_view suggestion, const lexicon& lex, reply_language l,
                          const refusal_detail& detail) {
    const bool m = mn(l);
    const std::string prefix = f ? kw(lex, *f) + ": " : std::string{};
    const std::string t(token);
    const std::string send = f ? (m ? " Илгээх: " : " Send: ") + form_format(*f, lex, l) : std::string{};
    if (auto text = case_refusal(r, f, t, lex, l, detail))
        return fit_refusal(*text);
    switch (r) {
    case refusal::unknown_case: {
        const std::string base = prefix + (m ? t + " дугаартай хүүхэд бүртгэлгүй." : "no case " + t + ".");
        if (!suggestion.empty()) {
            const std::string s(suggestion);
            return first_fit({base + (m ? " " + s + " гэж үү?" : " Did you mean " + s + "?") + send,
                              base + (m ? " " + s + " гэж үү?" : " Did you mean " + s + "?")});
        }
        return first_fit({base + send, base});
    }
    case refusal::closed_case: {
        const std::string plain = prefix + (m ? t + " хаагдсан, өөрчлөөгүй." : "case " + t + " is closed; nothing changed.");
        if (!detail.seen_working || detail.reason.empty())
            return first_fit({plain});
        // A child seen working on a case closed ADULT or MOVED (only DONE reopens, cases.md 2):
        // say that it stays closed and what to send instead.
        const std::string why = " (" + detail.reason + ")";
        const std::string id = kw(lex, form::id);
        const bool moved = detail.reason != "ADULT";
        if (m)
            return first_fit({prefix + t + " хаагдсан" + why + ", нээгдэхгүй. " +
                                  (moved ? "Хүүхдийг " + id + "-ээр мэдээлнэ үү." : "Зохицуулагчид хандана уу."),
                              prefix + t + " хаагдсан" + why + ", нээгдэхгүй. " +
                                  (moved ? id + "-ээр шинээр мэдээлнэ үү." : "Зохицуулагчид хандана."),
                              plain});
        const std::string next = moved ? "To report the child seen working, send: " + form_format(form::id, lex, l)
                                       : "If the child is not an adult, ask a coordinator to undo the " +
                                             kw(lex, form::close) + ".";
        return first_fit({prefix + "case " + t + " was closed" + why + ", so it is not reopened. " + next,
                          prefix + "case " + t + " was closed" + why + "; not reopened. " +
                              (moved ? "Report the child with " + id + "." : "Ask a coordinator."),
                          plain});
    }
    case refusal::not_allowed:
        return first_fit(
            {prefix + (m ? "зөвхөн хамгааллын баг илгээнэ. Та ID, NIL, RISK, TR ашиглана."
                         : "only protection teams may send " + (f ? kw(lex, *f) : std::string("this")) +
                               ". You can send ID, NIL, RISK and TR."),
             prefix + (m ? "зөвхөн баг илгээнэ." : "teams only.")});
    case refusal::unknown_alert:
        return first_fit({prefix + (m ? "#" + t + " нээлттэй дохио алга." : "no open alert #" + t + ".")});
    case refusal::not_recipient:
        return first_fit(
            {prefix + (m ? "#" + t + " дохио танд илгээгдээгүй." : "alert #" + t + " was not sent to you.")});
    case refusal::unregistered:
        return first_fit({m ? "Энэ дугаар бүртгэлгүй. Зохицуулагчдаа бүртгүүлнэ үү; мессеж хадгалагдсан."
                            : "This number is not registered. Ask your coordinator to register it; your "
                              "message is kept and will be processed then.",
                          m ? "Дугаар бүртгэлгүй. Зохицуулагчдаа хандана уу."
                            : "Number not registered. Ask your coordinator."});
    case refusal::too_many_cases: {
        const std::string n = std::to_string(detail.children);
        if (m)
            return first_fit({prefix + "сүүлийн цагт " + n +
                                  " хүүхэд мэдээлсэн; цаашдынх хадгалагдана, нээгдэхгүй. Зохицуулагчдаа залга.",
                              prefix + "цагт " + n + " хүүхэд. Цаашдынх хадгалагдана, нээгдэхгүй.",
                              prefix + "цагт " + n + " хүүхэд; нээгдэхгүй."});
        return first_fit({prefix + "you reported " + n +
                              " children in the last hour; more are kept but not opened. Call your coordinator.",
                          prefix + n + " children in the last hour; more are kept, not opened."});
    }
    default:
        break;
    }
    return {};
}

} // namespace kharuul::parser
