#include "parser/info_reply.hpp"

#include "parser/reply_support.hpp"
#include "parser/segment.hpp"

#include <algorithm>

namespace kharuul::parser {

using detail::mn;

namespace {

std::string joined(const std::vector<std::string>& codes, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i)
        out += (i == from ? "" : " ") + codes[i];
    return out;
}

struct pager {
    std::uint64_t alert;
    const std::vector<std::string>& codes;
    const lexicon& lex;
    reply_language l;

    std::string text(std::uint32_t page, std::uint32_t pages, std::size_t from, std::size_t to) const {
        const std::string n = std::to_string(alert);
        std::string head;
        if (mn(l))
            head = "#" + n + (pages > 1 ? " " + std::to_string(page) + "/" + std::to_string(pages) : "") + ": ";
        else
            head = "Alert #" + n + " cases" +
                   (pages > 1 ? ", page " + std::to_string(page) + "/" + std::to_string(pages) : "") + ": ";
        std::string t = head + joined(codes, from, to) + ".";
        if (to < codes.size()) {
            const std::string more = std::to_string(codes.size() - to);
            t += (mn(l) ? " +" + more + ": " : " " + more + " more: ") + detail::kw(lex, form::info) + " " + n +
                 " " + std::to_string(page + 1);
        }
        return t;
    }

    // Where each page starts, filled greedily with `pages` as the count the headers name.
    std::vector<std::size_t> starts(std::uint32_t pages) const {
        std::vector<std::size_t> out;
        std::size_t from = 0;
        while (from < codes.size()) {
            out.push_back(from);
            const auto page = static_cast<std::uint32_t>(out.size());
            std::size_t to = from + 1; // at least one code a page, whatever its length
            while (to < codes.size() && fits_one_segment(text(page, pages, from, to + 1)))
                ++to;
            from = to;
        }
        return out;
    }
};

} // namespace

info_answer info_reply(std::uint64_t alert, std::uint32_t page, const std::vector<std::string>& remaining,
                       const std::vector<std::string>& all, const lexicon& lex, reply_language l) {
    info_answer out;
    const std::string n = std::to_string(alert);
    if (remaining.empty()) {
        const std::string codes = joined(all, 0, all.size());
        out.found = page == 1;
        out.reply = mn(l) ? detail::first_fit({"#" + n + ": бүх дугаар дохиод бий: " + codes + ".",
                                               "#" + n + ": " + codes + "."})
                          : detail::first_fit({"Alert #" + n + ": all its cases are in the alert: " + codes + ".",
                                               "Alert #" + n + ": " + codes + "."});
        if (!out.found)
            out.reply = mn(l) ? "#" + n + ": бүх дугаар дохиод бий." : "Alert #" + n + ": all its cases are in the alert.";
        return out;
    }
    const pager p{alert, remaining, lex, l};
    // The header names the page count, which the filling decides: settle it (two rounds at most
    // in practice; "9/9" to "10/10" is one character).
    std::uint32_t pages = 1;
    std::vector<std::size_t> starts = p.starts(pages);
    for (int round = 0; round < 4 && starts.size() != pages; ++round) {
        pages = static_cast<std::uint32_t>(starts.size());
        starts = p.starts(pages);
    }
    pages = static_cast<std::uint32_t>(starts.size());
    out.pages = pages;
    if (page < 1 || page > pages) {
        out.found = false;
        const std::string info = detail::kw(lex, form::info) + " " + n;
        out.reply = mn(l) ? "#" + n + ": " + std::to_string(pages) + " хуудас. " + info + " 1-" + std::to_string(pages)
                          : "Alert #" + n + " has " + std::to_string(pages) + (pages == 1 ? " page" : " pages") +
                                ": " + info + (pages == 1 ? "" : " 1-" + std::to_string(pages));
        return out;
    }
    const std::size_t from = starts[page - 1];
    const std::size_t to = page < pages ? starts[page] : remaining.size();
    out.reply = shorten_to_segment(p.text(page, pages, from, to));
    return out;
}

} // namespace kharuul::parser
