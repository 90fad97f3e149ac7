#include "parser/reply_support.hpp"

namespace kharuul::parser::detail {

std::string first_fit(std::initializer_list<std::string_view> candidates) {
    fitter f;
    for (std::string_view c : candidates)
        if (f.offer(std::string(c)))
            break;
    return std::move(f).result();
}

const std::string& label(const code_def& d, reply_language l) {
    const std::string& s = mn(l) ? d.label_mn : d.label_en;
    return s.empty() ? d.code : s;
}

const std::string& label_of(const lexicon& lex, table t, const std::string& code, reply_language l) {
    const code_def* d = lex.code_by_name(t, code);
    return d != nullptr ? label(*d, l) : code;
}

const std::string& label_in(const std::vector<code_def>& defs, const std::string& code, reply_language l) {
    for (const auto& d : defs)
        if (d.code == code)
            return label(d, l);
    return code;
}

std::string joined_codes(const std::vector<code_def>& defs, std::string_view sep) {
    std::string out;
    for (const auto& d : defs) {
        if (!out.empty())
            out += sep;
        out += d.code;
    }
    return out;
}

std::string code_list(const lexicon& lex, table t, std::string_view sep) {
    return joined_codes(lex.codes(t), sep);
}

std::string codes_or(const std::vector<code_def>& defs, std::string_view fallback, std::string_view sep) {
    return defs.empty() ? std::string(fallback) : joined_codes(defs, sep);
}

std::string targets_alt(const lexicon& lex) {
    return codes_or(lex.lang().targets, "W|P", "|");
}
std::string results_alt(const lexicon& lex) {
    return codes_or(lex.lang().results, "WD|PR|LESS|NO", "|");
}
std::string family_word(const lexicon& lex) {
    return lex.lang().family_words.empty() ? std::string("FAM") : lex.lang().family_words.front();
}

std::string result_phrase(const std::string& result, reply_language l) {
    const bool m = mn(l);
    if (result == "WD")
        return m ? "хөдөлмөрөөс гарсан нь батлагдав" : "verified withdrawn";
    if (result == "PR")
        return m ? "урьдчилан сэргийлсэн нь батлагдав" : "verified prevented";
    if (result == "LESS")
        return m ? "ачаалал буурсан нь батлагдав" : "verified working less";
    if (result == "NO")
        return m ? "шалгасан, үр дүнд хүрээгүй" : "checked, outcome not achieved";
    return result;
}

std::string target_word(const lexicon& lex, const std::string& code, reply_language l) {
    for (const auto& d : lex.lang().targets)
        if (d.code == code && !(mn(l) ? d.label_mn : d.label_en).empty())
            return mn(l) ? d.label_mn : d.label_en;
    if (code == "W")
        return mn(l) ? "хөдөлмөрөөс гаргах" : "withdrawal";
    if (code == "P")
        return mn(l) ? "урьдчилан сэргийлэх" : "prevention";
    return code;
}

} // namespace kharuul::parser::detail
