#include "ussd/wording.hpp"

#include "parser/text.hpp"
#include "ussd/screen.hpp"

#include <algorithm>

namespace kharuul::ussd {

using parser::reply_language;

std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            const std::size_t close = text.find('}', i);
            if (close != std::string_view::npos) {
                const std::string_view name = text.substr(i + 1, close - i - 1);
                const auto it = std::find_if(values.begin(), values.end(),
                                             [&](const auto& v) { return v.first == name; });
                if (it != values.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

std::string shorten_token(std::string_view typed) {
    std::size_t pos = 0;
    std::size_t count = 0;
    while (pos < typed.size() && count < 12) {
        parser::next_code_point(typed, pos);
        ++count;
    }
    return std::string(typed.substr(0, pos));
}

screen_body numbered(const std::string& heading, const std::vector<menu_option>& options, reply_language l) {
    screen_body b{heading, {}};
    for (std::size_t i = 0; i < options.size(); ++i)
        b.lines.push_back(std::to_string(i + 1) + " " + options[i].label.in(l));
    return b;
}

namespace {

std::string join_lines(const std::string& first, const std::vector<std::string>& lines) {
    std::string out = first;
    for (const auto& line : lines) {
        if (!out.empty())
            out += '\n';
        out += line;
    }
    return out;
}

} // namespace

std::string compose(const std::string& reason, const screen_body& body) {
    const std::string whole = join_lines(body.heading, body.lines);
    if (reason.empty())
        return whole;
    if (std::string with = reason + "\n" + whole; fits_screen(with))
        return with;
    if (!body.lines.empty())
        if (std::string without_heading = join_lines(reason, body.lines); fits_screen(without_heading))
            return without_heading;
    return whole;
}

std::string fit_screen(std::string_view text) {
    if (fits_screen(text))
        return std::string(text);
    // Code point boundaries, longest first.
    std::vector<std::size_t> ends;
    std::size_t pos = 0;
    while (pos < text.size()) {
        parser::next_code_point(text, pos);
        ends.push_back(pos);
    }
    for (auto it = ends.rbegin(); it != ends.rend(); ++it) {
        std::string cut(text.substr(0, *it));
        while (!cut.empty() && cut.back() == ' ')
            cut.pop_back();
        cut += "...";
        if (fits_screen(cut))
            return cut;
    }
    return "...";
}

namespace {

constexpr std::size_t max_site_choices_of_screen = 8; // 9 is "Other site code", 0 is "back"

std::vector<std::string> site_lines(const menu& m, const std::vector<site_choice>& sites, std::size_t count,
                                    bool names, reply_language l) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < count; ++i) {
        std::string line = std::to_string(i + 1) + " " + sites[i].code;
        if (names && !sites[i].name.empty())
            line += " " + sites[i].name;
        lines.push_back(std::move(line));
    }
    lines.push_back("9 " + m.other_site.in(l));
    return lines;
}

// How many sites and whether with names: the most sites, with names when they all fit.
std::pair<std::size_t, bool> site_layout(const menu& m, const sender_profile& who, reply_language l) {
    const std::size_t most = std::min(who.own_sites.size(), max_site_choices_of_screen);
    for (std::size_t n = most; n > 0; --n) {
        for (bool names : {true, false})
            if (fits_screen(join_lines(m.site.in(l), site_lines(m, who.own_sites, n, names, l))))
                return {n, names};
    }
    return {0, false};
}

} // namespace

std::vector<site_choice> shown_sites(const menu& m, const sender_profile& who, reply_language l) {
    const auto [n, names] = site_layout(m, who, l);
    return {who.own_sites.begin(), who.own_sites.begin() + static_cast<std::ptrdiff_t>(n)};
}

std::string site_screen(const menu& m, const sender_profile& who, reply_language l, const std::string& reason) {
    const auto [n, names] = site_layout(m, who, l);
    return compose(reason, {m.site.in(l), site_lines(m, who.own_sites, n, names, l)});
}

std::string children_token(const std::string& children, const std::string& sex, const std::string& boys) {
    if (sex == "BG") {
        const int total = std::stoi(children);
        const int b = std::stoi(boys);
        return std::to_string(b) + "B" + std::to_string(total - b) + "G";
    }
    return children + (sex.empty() ? "U" : sex);
}

namespace {

std::string label(const parser::lexicon& lex, parser::table t, const std::string& code, reply_language l) {
    const parser::code_def* d = lex.code_by_name(t, code);
    if (d == nullptr)
        return code;
    const std::string& text = l == reply_language::mn ? d->label_mn : d->label_en;
    return text.empty() ? code : text;
}

std::string kids_phrase(reply_language l, const std::string& children, const std::string& sex,
                        const std::string& boys) {
    const int n = children.empty() ? 0 : std::stoi(children);
    auto count = [&](int k, std::string_view one, std::string_view many) {
        return std::to_string(k) + " " + std::string(k == 1 ? one : many);
    };
    if (l == reply_language::mn) {
        if (sex == "BG")
            return boys + " хүү " + std::to_string(n - std::stoi(boys)) + " охин";
        return std::to_string(n) + (sex == "B" ? " хүү" : sex == "G" ? " охин" : " хүүхэд");
    }
    if (sex == "BG") {
        const int b = std::stoi(boys);
        return count(b, "boy", "boys") + " " + count(n - b, "girl", "girls");
    }
    if (sex == "B")
        return count(n, "boy", "boys");
    if (sex == "G")
        return count(n, "girl", "girls");
    return count(n, "child", "children");
}

} // namespace

std::string summary(const parser::lexicon& lex, reply_language l, const std::string& site,
                    const std::string& children, const std::string& sex, const std::string& boys,
                    const std::string& age, const std::string& what, const std::string& hazard, bool risk) {
    const parser::table t = risk ? parser::table::risk_reason : parser::table::work;
    std::string out = kids_phrase(l, children, sex, boys) + " ~" + age + ", " + label(lex, t, what, l);
    if (!hazard.empty())
        out += ", " + label(lex, parser::table::hazard, hazard, l);
    out += (l == reply_language::mn ? ", " : ", at ") + site + ".";
    return out;
}

} // namespace kharuul::ussd
