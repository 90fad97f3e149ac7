// The help replies (parser/reply.hpp's help_reply and help_list_reply): the code card, one form's
// format with its codes, and the lists a form's help has no room for (HELP WORK, HAZARD, STATUS,
// SITES), each page one segment and generated from the configured language. Separate from the
// error replies (reply.cpp); the shared wording helpers are in reply_support.hpp.
//
// A list that does not fit one segment is paged: each page holds as many entries as fit with a
// tail naming how many are left and the command for the next page, e.g.
//   Work codes 1/2: MINE mining; PAN panning; ... +4 more: HELP WORK 2
// Page numbers past the last are answered with how many pages there are.
#include "parser/reply.hpp"

#include "parser/reply_support.hpp"
#include "parser/segment.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace kharuul::parser {

using detail::code_list;
using detail::family_word;
using detail::first_fit;
using detail::joined_codes;
using detail::kw;
using detail::label;
using detail::mn;
using detail::results_alt;

namespace {

std::string example_site(const lexicon& lex) {
    return lex.site_codes().empty() ? "ALT" : lex.site_codes().front();
}

// "HELP WORK": what to send for a list, in the configured keyword.
std::string list_command(help_list list, const lexicon& lex) {
    return kw(lex, form::help) + " " + std::string(help_list_word(list));
}

// The heading of a list: the help topic's label in the reply language.
std::string list_title(help_list list, const lexicon& lex, reply_language l) {
    const code_def* d = lex.code_by_name(table::help_topic, help_list_word(list));
    return d != nullptr ? label(*d, l) : std::string(help_list_word(list));
}

// One entry of a list: its full wording ("MINE mining") and its code alone, used when the full
// wording does not fit a page by itself (a site's long name).
struct list_entry {
    std::string full;
    std::string code;
};

std::vector<list_entry> code_entries(const std::vector<code_def>& defs, reply_language l, bool mark_urgent) {
    std::vector<list_entry> out;
    for (const auto& d : defs) {
        const std::string code = d.code + (mark_urgent && d.urgent ? "*" : "");
        const std::string& words = label(d, l);
        out.push_back({words == d.code ? code : code + " " + words, code});
    }
    return out;
}

struct paged_list {
    std::string title;
    std::string command;
    std::vector<list_entry> entries;
};

// The text of page `page` of `pages`, holding entries [begin, end) in the wordings `use_full`
// chooses.
std::string page_text(const paged_list& pl, std::size_t page, std::size_t pages, std::size_t begin,
                      std::size_t end, const std::vector<bool>& use_full, reply_language l) {
    std::string s = pl.title;
    if (pages > 1)
        s += " " + std::to_string(page) + "/" + std::to_string(pages);
    s += ": ";
    for (std::size_t i = begin; i < end; ++i) {
        if (i > begin)
            s += "; ";
        s += use_full[i] ? pl.entries[i].full : pl.entries[i].code;
    }
    s += '.';
    if (end < pl.entries.size()) {
        const std::string left = std::to_string(pl.entries.size() - end);
        s += (mn(l) ? " +" + left + ": " : " +" + left + " more: ") + pl.command + " " +
             std::to_string(page + 1);
    }
    return s;
}

// Splits the list into pages, assuming `pages` pages in the headings: each page's first index.
std::vector<std::size_t> page_starts(const paged_list& pl, std::size_t pages,
                                     const std::vector<bool>& use_full, reply_language l) {
    std::vector<std::size_t> starts;
    std::size_t begin = 0;
    while (begin < pl.entries.size()) {
        starts.push_back(begin);
        std::size_t end = begin + 1; // a page holds one entry at least
        while (end < pl.entries.size() &&
               fits_one_segment(page_text(pl, starts.size(), pages, begin, end + 1, use_full, l)))
            ++end;
        begin = end;
    }
    return starts;
}

// How the list falls into pages: each page's first entry, and which entries show in full.
struct page_plan {
    std::vector<std::size_t> starts;
    std::vector<bool> use_full;
};

page_plan plan_pages(const paged_list& pl, reply_language l) {
    const std::size_t n = pl.entries.size();
    // An entry whose full wording does not fit a page by itself, with the longest heading and
    // tail, is shown by its code.
    std::vector<bool> use_full(n, true);
    for (std::size_t i = 0; i < n; ++i) {
        paged_list one = pl;
        one.entries = {pl.entries[i], pl.entries[i]};
        use_full[i] = fits_one_segment(page_text(one, 99, 99, 0, 1, {true, true}, l));
    }
    // The headings name the page count, which depends on how the pages fall: settle it (it grows
    // at most a digit, so this stops at once).
    std::size_t pages = 1;
    std::vector<std::size_t> starts = page_starts(pl, pages, use_full, l);
    for (int round = 0; round < 4 && starts.size() != pages; ++round) {
        pages = starts.size();
        starts = page_starts(pl, pages, use_full, l);
    }
    return {std::move(starts), std::move(use_full)};
}

std::size_t page_count(const paged_list& pl, reply_language l) {
    return plan_pages(pl, l).starts.size();
}

std::string paged_reply(const paged_list& pl, int page, reply_language l) {
    const std::size_t n = pl.entries.size();
    const page_plan plan = plan_pages(pl, l);
    const std::vector<std::size_t>& starts = plan.starts;
    const std::vector<bool>& use_full = plan.use_full;
    const std::size_t pages = std::max<std::size_t>(starts.size(), 1);
    const auto p = static_cast<std::size_t>(page);
    if (p > starts.size()) {
        const std::string count = std::to_string(pages);
        return first_fit({mn(l) ? pl.title + ": " + count + " хуудас. " + pl.command + " 1-" + count + "."
                                : pl.title + ": " + count + (pages == 1 ? " page" : " pages") + "; send " +
                                      pl.command + (pages == 1 ? "." : " 1 to " + count + ".")});
    }
    const std::size_t begin = starts[p - 1];
    const std::size_t end = p < starts.size() ? starts[p] : n;
    return first_fit({page_text(pl, p, pages, begin, end, use_full, l)});
}

// The sites a HELP SITES lists: the sender's, or every site of the registry when no sender is
// known (`kharuul parse`).
paged_list site_list(const lexicon& lex, reply_language l,
                     const std::optional<std::vector<site_entry>>& own) {
    paged_list pl;
    pl.command = list_command(help_list::sites, lex);
    if (!own) {
        pl.title = mn(l) ? "Газар" : "Sites";
        for (const auto& code : lex.site_codes())
            pl.entries.push_back({code, code});
        return pl;
    }
    pl.title = list_title(help_list::sites, lex, l);
    for (const auto& s : *own)
        pl.entries.push_back({s.name.empty() ? s.code : s.code + " " + s.name, s.code});
    return pl;
}

// Where a form's codes are listed in full, when the form's help has no room for them.
std::optional<help_list> list_of(form f) {
    switch (f) {
    case form::id:
        return help_list::work;
    case form::tr:
        return help_list::status;
    default:
        return std::nullopt;
    }
}

} // namespace

std::string help_list_reply(help_list list, int page, const lexicon& lex, reply_language l,
                            const std::optional<std::vector<site_entry>>& own_sites) {
    const bool m = mn(l);
    paged_list pl;
    switch (list) {
    case help_list::work:
        pl.entries = code_entries(lex.codes(table::work), l, false);
        break;
    case help_list::hazard:
        pl.entries = code_entries(lex.codes(table::hazard), l, false);
        break;
    case help_list::status:
        pl.entries = code_entries(lex.codes(table::status), l, false);
        break;
    case help_list::sites:
        pl = site_list(lex, l, own_sites);
        if (pl.entries.empty())
            return first_fit({m ? "Энэ дугаарт газар бүртгэлгүй. Зохицуулагчдаа хандана уу."
                                : "No sites are registered for this number. Ask your coordinator."});
        // The codes are what is typed: the names come with them when they cost no extra page.
        if (paged_list codes_only = pl; true) {
            for (auto& e : codes_only.entries)
                e.full = e.code;
            if (page_count(codes_only, l) < page_count(pl, l))
                pl = std::move(codes_only);
        }
        return paged_reply(pl, page, l);
    }
    pl.title = list_title(list, lex, l);
    pl.command = list_command(list, lex);
    if (list == help_list::hazard) {
        // The urgent hazards are marked when the marks cost no extra page.
        paged_list marked = pl;
        marked.entries = code_entries(lex.codes(table::hazard), l, true);
        marked.title += m ? " (*яаралтай)" : " (*urgent)";
        const bool any_urgent = std::any_of(lex.codes(table::hazard).begin(), lex.codes(table::hazard).end(),
                                            [](const code_def& d) { return d.urgent; });
        if (any_urgent && page_count(marked, l) <= page_count(pl, l))
            pl = std::move(marked);
    }
    return paged_reply(pl, page, l);
}

std::string help_reply(std::optional<form> topic, const lexicon& lex, reply_language l) {
    const bool m = mn(l);
    const std::string ex_site = example_site(lex);
    const std::string help = kw(lex, form::help);
    if (!topic || *topic == form::help) {
        // The volunteer's forms: what a person in the field needs on one screen, and where the
        // codes are.
        auto card = [&](bool with_risk) {
            std::string c = (m ? "Кодууд: " : "Codes: ") + form_format(form::id, lex, l) + " | " +
                            form_format(form::nil, lex, l) + " | ";
            if (with_risk)
                c += form_format(form::risk, lex, l) + " | ";
            return c + form_format(form::tr, lex, l) + " | " + form_format(form::ack, lex, l);
        };
        auto short_card = [&](bool with_risk, bool with_ack) {
            std::string c = form_format(form::id, lex, l) + "; " + form_format(form::nil, lex, l) + "; ";
            if (with_risk)
                c += kw(lex, form::risk) + "; ";
            c += form_format(form::tr, lex, l);
            return with_ack ? c + "; " + form_format(form::ack, lex, l) : c;
        };
        const std::string work = list_command(help_list::work, lex);
        const std::string sites = list_command(help_list::sites, lex);
        const std::string more =
            " | " + help + " ID, " + work + ", " + sites + (m ? ": дэлгэрэнгүй." : ": more.");
        const std::string lean_more = " | " + help + " ID, " + work + (m ? ": дэлгэрэнгүй." : ": more.");
        const std::string ex =
            (m ? " Жиш: " : " Ex: ") + kw(lex, form::id) + " " + ex_site + " 2B 12 MINE SHAFT";
        const std::string full = card(true);
        const std::string lean = card(false);
        const std::string to_codes = "; " + work;
        return first_fit({full + more + ex, full + more, full + lean_more, lean + more, lean + lean_more,
                          full, short_card(true, true) + to_codes, short_card(true, false) + to_codes,
                          short_card(false, false) + to_codes, short_card(true, true),
                          short_card(false, true)});
    }
    const std::string fmt = form_format(*topic, lex, l);
    const std::string ex_case = "204812";
    const std::string teams = m ? ": баг л илгээнэ." : ": teams only.";
    std::string detail;
    std::string codes; // the form's codes, for a reply with no room for the detail
    std::string ex;
    std::string short_ex; // the example without its optional fields
    switch (*topic) {
    case form::id: {
        const std::string ages =
            std::to_string(lex.lang().min_age) + "-" + std::to_string(lex.lang().adult_age - 1);
        codes = code_list(lex, table::work);
        detail = (m ? ". Хүүхэд 2B 1G 2B1G, нас " : ". Children 2B 1G 2B1G U, age ") + ages + ". " +
                 (m ? "Ажил: " : "Work: ") + codes + ".";
        ex = kw(lex, form::id) + " " + ex_site + " 2B 12 MINE SHAFT";
        short_ex = kw(lex, form::id) + " " + ex_site + " 2B 12 MINE";
        break;
    }
    case form::nil:
        detail = m ? ": хүүхэд ажиллаагүй үзлэг." : ": a visit that found no child working.";
        ex = kw(lex, form::nil) + " " + ex_site;
        break;
    case form::risk: {
        const language& lang = lex.lang();
        const std::string ages =
            std::to_string(lang.min_prevention_age) + "-" + std::to_string(lang.adult_age - 1);
        codes = joined_codes(lang.risk_reasons);
        detail = (m ? ": эрсдэлтэй хүүхэд, нас " : ": a child at risk, age ") + ages + ". " +
                 (m ? "Шалтгаан: " : "Reasons: ") + codes + ".";
        ex = kw(lex, form::risk) + " " + ex_site + " G 8 " +
             (lang.risk_reasons.empty() ? std::string("DROP") : lang.risk_reasons.front().code);
        break;
    }
    case form::tr:
        codes = code_list(lex, table::status);
        detail = ". " + std::string(m ? "Төлөв: " : "Status: ") + codes + ".";
        ex = kw(lex, form::tr) + " " + ex_case + " NFE";
        break;
    case form::ref:
        codes = code_list(lex, table::service);
        detail = ". " + std::string(m ? "Үйлчилгээ: " : "Services: ") + codes + ".";
        ex = kw(lex, form::ref) + " " + ex_case + " NFE";
        break;
    case form::svc:
        codes = code_list(lex, table::service);
        detail = (m ? ": үзүүлсэн үйлчилгээ, " + family_word(lex) + " гэр бүлд. Үйлчилгээ: "
                    : ": a service delivered; " + family_word(lex) + " for the family. Services: ") +
                 codes + ".";
        ex = kw(lex, form::svc) + " " + ex_case + " NFE";
        break;
    case form::ver:
        codes = joined_codes(lex.lang().dismiss_reasons);
        detail = teams + (m ? " NO шалтгаан: " : " Reasons for NO: ") + codes + ".";
        ex = kw(lex, form::ver) + " " + ex_case + " OK";
        break;
    case form::plan:
        codes = joined_codes(lex.lang().categories);
        detail = (m ? ": W хөдөлмөрөөс гаргах, P урьдчилан сэргийлэх. Ангилал: "
                    : ": W withdrawal, P prevention. Categories: ") +
                 codes + ".";
        ex = kw(lex, form::plan) + " " + ex_case + " W WFCL";
        break;
    case form::out:
        detail = m ? ": үр дүнг баг шалгана. Эхлээд PLAN, TR."
                   : ": WD withdrawn, PR prevented, LESS working less, NO not achieved. Needs PLAN and a "
                     "recent TR.";
        ex = kw(lex, form::out) + " " + ex_case + " WD";
        break;
    case form::merge:
        detail = m ? ": эхний хэрэг хоёр дахьтай нэг хүүхэд."
                   : ": the first case is the same child as the second.";
        ex = kw(lex, form::merge) + " 204820 " + ex_case;
        break;
    case form::close:
        detail = teams;
        ex = kw(lex, form::close) + " " + ex_case + " DONE";
        break;
    case form::ack:
        detail = m ? ": дохиог хүлээн авснаа мэдэгдэнэ." : ": stops an alert's escalation.";
        ex = kw(lex, form::ack) + " 17";
        break;
    case form::info:
        detail = m ? ": дохионд багтаагүй дугаарууд." : ": an alert's case codes that did not fit it.";
        ex = kw(lex, form::info) + " 17 2";
        break;
    case form::help:
        break;
    }
    const std::string ex_label = m ? " Жиш: " : " Ex: ";
    // With no room for the detail: the codes themselves, or where to get them, before the example.
    std::vector<std::string> candidates = {fmt + detail + ex_label + ex, fmt + detail};
    if (!codes.empty())
        candidates.push_back(fmt + ": " + codes);
    if (const auto list = list_of(*topic)) {
        // "ID газар хүүхэд нас ажил. Ажил: HELP WORK. Жиш: ID ALT 2B 12 MINE"
        const std::string what =
            *topic == form::id ? (m ? "Ажил: " : "Work: ") : (m ? "Төлөв: " : "Status: ");
        const std::string where = fmt + ". " + what + list_command(*list, lex) + ".";
        candidates.push_back(where + ex_label + ex);
        if (!short_ex.empty())
            candidates.push_back(where + ex_label + short_ex);
        candidates.push_back(where);
    }
    candidates.push_back(fmt + ex_label + ex);
    candidates.push_back(fmt);
    detail::fitter f;
    for (auto& c : candidates)
        if (f.offer(std::move(c)))
            break;
    return std::move(f).result();
}

} // namespace kharuul::parser
