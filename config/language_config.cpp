#include "config/language_config.hpp"

#include "parser/text.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kharuul::config::detail {

namespace {

constexpr std::size_t max_code_length = 12;

// Why `word` cannot be typed as one field (it holds a separator), or nullopt when it can.
std::optional<std::string> word_problem(std::string_view word) {
    if (word.empty()) {
        return "is empty";
    }
    for (const char c : word) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || std::string_view(",;.:/*+_#-").find(c) != std::string_view::npos) {
            const std::string shown = u <= 0x20 ? "a space" : in_quotes(std::string(1, c));
            return in_quotes(word) + " contains " + shown +
                   ", which separates fields, so it could never be typed";
        }
    }
    return std::nullopt;
}

bool has_digit(std::string_view word) noexcept {
    return std::ranges::any_of(word, [](char c) { return c >= '0' && c <= '9'; });
}

std::string upper_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

std::string code_fix(std::string_view typed) {
    const std::string upper = upper_ascii(typed);
    if (upper != typed && is_code(upper, max_code_length)) {
        return "write it in capitals: " + upper;
    }
    return "use 1 to 12 Latin capitals and digits, starting with a capital, e.g. GRAVEL";
}

// ---- keywords ---------------------------------------------------------------------------------

class keyword_merger {
public:
    keyword_merger(parser::language& lang, problem_sink& sink) : lang_(lang), sink_(sink) {
        for (const auto& def : lang_.keywords) {
            words_.emplace(parser::fold_word(def.keyword), def.kind);
            for (const auto& alias : def.aliases) {
                words_.emplace(parser::fold_word(alias), def.kind);
            }
        }
    }

    void merge(const toml::table& table) {
        table_reader reader(table, "language.keywords", sink_);
        for (const parser::form f : parser::all_forms) {
            const std::string_view key = parser::canonical_keyword(f);
            const toml::node* node = reader.find(key);
            if (node == nullptr) {
                continue;
            }
            if (node->is_array()) {
                if (auto aliases = reader.get_strings(key)) {
                    add_aliases(f, *aliases);
                }
            } else if (const auto* t = node->as_table()) {
                table_reader entry(*t, reader.path_of(key), sink_);
                const auto keyword = entry.get_string("keyword");
                const auto aliases = entry.get_strings("aliases");
                entry.report_unknown_keys();
                if (keyword) {
                    rename(f, {*keyword, entry.where("keyword"), entry.path_of("keyword")});
                }
                if (aliases) {
                    add_aliases(f, *aliases);
                }
            } else {
                sink_.error(reader.where(key), reader.path_of(key),
                            "is " + describe(*node) + ", not an array of aliases or a table",
                            "write " + std::string(key) + " = [\"alias\"], or a [" + reader.path_of(key) +
                                "] section with keyword and aliases");
            }
        }
        reader.report_unknown_keys();
    }

private:
    parser::keyword_def& def_of(parser::form f) {
        const auto it = std::ranges::find(lang_.keywords, f, &parser::keyword_def::kind);
        if (it != lang_.keywords.end()) {
            return *it;
        }
        lang_.keywords.push_back({f, std::string(parser::canonical_keyword(f)), {}});
        return lang_.keywords.back();
    }

    // False (with a problem) when `word` already selects another form.
    bool claim(parser::form f, const located<std::string>& word) {
        if (auto why = word_problem(word.value)) {
            sink_.error(word.at, word.path, *why, "use one word without spaces or punctuation");
            return false;
        }
        const auto [it, inserted] = words_.emplace(parser::fold_word(word.value), f);
        if (!inserted && it->second != f) {
            sink_.error(word.at, word.path,
                        in_quotes(word.value) + " already selects " + def_of(it->second).keyword,
                        "remove it, or choose a word no other form uses");
            return false;
        }
        return true;
    }

    void rename(parser::form f, const located<std::string>& keyword) {
        if (!claim(f, keyword)) {
            return;
        }
        auto& def = def_of(f);
        if (parser::fold_word(def.keyword) == parser::fold_word(keyword.value)) {
            def.keyword = keyword.value;
            return;
        }
        // The old keyword stays an alias: volunteers trained on it keep being understood.
        def.aliases.push_back(std::move(def.keyword));
        def.keyword = keyword.value;
    }

    void add_aliases(parser::form f, const std::vector<located<std::string>>& aliases) {
        for (const auto& alias : aliases) {
            if (!claim(f, alias)) {
                continue;
            }
            auto& def = def_of(f);
            const std::string folded = parser::fold_word(alias.value);
            const bool present = parser::fold_word(def.keyword) == folded ||
                                 std::ranges::any_of(def.aliases, [&](const auto& a) {
                                     return parser::fold_word(a) == folded;
                                 });
            if (!present) {
                def.aliases.push_back(alias.value);
            }
        }
    }

    parser::language& lang_;
    problem_sink& sink_;
    std::map<std::string, parser::form> words_; // fold_word spelling -> the form it selects
};

// ---- code tables ------------------------------------------------------------------------------

struct code_table_rules {
    std::string_view key;  // "work", "hazards" ...
    bool allow_new = true; // outcomes, targets and results are fixed sets: aliases and labels only
    bool has_urgent = false;
    bool has_sensitive = false;
    bool has_group = false; // statuses: group (or kind) and sets
    bool has_short = false; // work and hazards: short_en, short_mn (the alerts' short wordings)
};

// The TR status groups and, per group, the values a code may set (cases::tracking_effect_of).
struct status_group {
    std::string_view name;
    std::vector<std::string> sets;
};
const std::vector<status_group>& status_groups() {
    static const std::vector<status_group> groups{
        {"school", {"school", "nfe", "kg", "vocational", "none"}},
        {"work", {"not_working", "less", "working"}},
        {"alone", {"lost"}},
    };
    return groups;
}

const status_group* find_group(std::string_view name) {
    for (const auto& g : status_groups()) {
        if (g.name == name) {
            return &g;
        }
    }
    return nullptr;
}

std::vector<std::string> group_names() {
    std::vector<std::string> names;
    for (const auto& g : status_groups()) {
        names.emplace_back(g.name);
    }
    return names;
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        out += (i == 0 ? "" : ", ") + words[i];
    }
    return out;
}

std::string one_of_fix(std::string_view typed, const std::vector<std::string>& choices) {
    std::string fix = "use one of " + join_words(choices);
    if (const std::string near = nearest(typed, choices); !near.empty()) {
        fix = "did you mean " + near + "? (" + fix + ")";
    }
    return fix;
}

class code_merger {
public:
    code_merger(std::vector<parser::code_def>& codes, code_table_rules rules, problem_sink& sink)
        : codes_(codes), rules_(rules), path_("language." + std::string(rules.key)), sink_(sink) {
        for (std::size_t i = 0; i < codes_.size(); ++i) {
            index(codes_[i].code, i);
            for (const auto& alias : codes_[i].aliases) {
                index(alias, i);
            }
        }
    }

    void merge(table_reader& language) {
        const auto entries = language.get_tables(rules_.key);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (entries[i] != nullptr) {
                merge_entry(*entries[i], index_path(path_, i));
            }
        }
    }

private:
    void index(const std::string& word, std::size_t i) {
        words_.emplace(parser::fold_word(word), i);
        lookalikes_.emplace(parser::fold_code(word), i);
    }

    std::optional<std::size_t> find_code(std::string_view code) const {
        for (std::size_t i = 0; i < codes_.size(); ++i) {
            if (codes_[i].code == code) {
                return i;
            }
        }
        return std::nullopt;
    }

    void merge_entry(const toml::table& table, const std::string& path) {
        table_reader r(table, path, sink_);
        const auto code = r.get_string("code", true, "add code = \"GRAVEL\" (Latin capitals and digits)");
        const auto aliases = r.get_strings("aliases");
        const auto en = r.get_string("en");
        const auto mn = r.get_string("mn");
        const auto short_en = rules_.has_short ? r.get_string("short_en") : std::nullopt;
        const auto short_mn = rules_.has_short ? r.get_string("short_mn") : std::nullopt;
        const auto urgent = rules_.has_urgent ? r.get_bool("urgent") : std::nullopt;
        const auto sensitive = rules_.has_sensitive ? r.get_bool("sensitive") : std::nullopt;
        std::optional<located<std::string>> group;
        std::optional<located<std::string>> sets;
        if (rules_.has_group) {
            group = read_group(r);
            if (const auto v = r.get_string("sets")) {
                sets = located<std::string>{*v, r.where("sets"), r.path_of("sets")};
            }
        }
        r.report_unknown_keys();
        if (!code) {
            return;
        }
        if (!is_code(*code, max_code_length)) {
            sink_.error(r.where("code"), r.path_of("code"), in_quotes(*code) + " is not a code",
                        code_fix(*code));
            return;
        }
        const std::pair<const std::optional<std::string>*, std::string_view> labels[] = {
            {&en, "en"}, {&mn, "mn"}, {&short_en, "short_en"}, {&short_mn, "short_mn"}};
        for (const auto& [label, key] : labels) {
            if (*label && (*label)->empty()) {
                sink_.error(r.where(key), r.path_of(key), "is empty",
                            "write the words a reply shows for " + *code);
                return;
            }
        }

        std::size_t at = 0;
        if (const auto existing = find_code(*code)) {
            at = *existing;
        } else {
            if (!rules_.allow_new) {
                sink_.error(r.where("code"), r.path_of("code"),
                            in_quotes(*code) + " is not one of " + all_codes(),
                            "add aliases to " + all_codes() + " only; no other code can be added here");
                return;
            }
            const std::string folded = parser::fold_word(*code);
            if (const auto it = words_.find(folded); it != words_.end()) {
                sink_.error(r.where("code"), r.path_of("code"),
                            in_quotes(*code) + " is already an alias of " + codes_[it->second].code,
                            "choose another code, or add aliases to " + codes_[it->second].code);
                return;
            }
            if (!en) {
                sink_.error(r.where(), r.path_of("en"), "a new code needs its English reply label",
                            "add en = \"...\", the words a reply shows for " + *code);
                return;
            }
            if (!mn) {
                sink_.warning(r.where(), r.path_of("mn"), "no Mongolian reply label for new code " + *code,
                              "add mn = \"...\"; until then Mongolian replies show " + in_quotes(*en));
            }
            if (rules_.has_group && (!group || !sets)) {
                const std::string_view key = !group ? "group" : "sets";
                sink_.error(
                    r.where(), r.path_of(key), "a new status code needs its " + std::string(key),
                    !group
                        ? "add group = \"school\", \"work\" or \"alone\": which status " + *code + " reports"
                        : "add sets = \"...\", what " + *code + " sets: " +
                              join_words(find_group(group->value) != nullptr ? find_group(group->value)->sets
                                                                             : group_names()));
                return;
            }
            if (rules_.has_group && !valid_status(*group, *sets, std::nullopt)) {
                return;
            }
            codes_.push_back(parser::code_def{*code, {}, *en, mn.value_or(*en), false, false, {}, {}, {}, {}});
            at = codes_.size() - 1;
            check_lookalike(*code, at, r.where("code"), r.path_of("code"));
            index(*code, at);
        }

        auto& def = codes_[at];
        if (rules_.has_group && (group || sets)) {
            const located<std::string> g =
                group.value_or(located<std::string>{def.group, r.where(), r.path_of("group")});
            const located<std::string> v =
                sets.value_or(located<std::string>{def.sets, r.where(), r.path_of("sets")});
            if (!valid_status(g, v, sets ? std::nullopt : std::optional<std::string>(def.code))) {
                return;
            }
            def.group = g.value;
            def.sets = v.value;
        }
        if (en) {
            def.label_en = *en;
        }
        if (mn) {
            def.label_mn = *mn;
        }
        if (short_en) {
            def.short_en = *short_en;
        }
        if (short_mn) {
            def.short_mn = *short_mn;
        }
        if (urgent) {
            def.urgent = *urgent;
        }
        if (sensitive) {
            def.sensitive = *sensitive;
        }
        if (aliases) {
            for (const auto& alias : *aliases) {
                add_alias(at, alias);
            }
        }
    }

    // `group`, or its other spelling `kind` (one of them): which status a TR code reports.
    std::optional<located<std::string>> read_group(table_reader& r) {
        const auto group = r.get_string("group");
        const auto kind = r.get_string("kind");
        if (group && kind && *group != *kind) {
            sink_.error(r.where("kind"), r.path_of("kind"),
                        "says " + in_quotes(*kind) + " but group says " + in_quotes(*group),
                        "write only group = \"...\" (kind is another name for it)");
            // group stands, so that the rest of the entry is checked without a second problem
        }
        if (group) {
            return located<std::string>{*group, r.where("group"), r.path_of("group")};
        }
        if (kind) {
            return located<std::string>{*kind, r.where("kind"), r.path_of("kind")};
        }
        return std::nullopt;
    }

    // A status's group is one of school, work, alone and its sets a value of that group.
    // `kept_sets` names the code whose shipped sets was kept because only group was written.
    bool valid_status(const located<std::string>& group, const located<std::string>& sets,
                      const std::optional<std::string>& kept_sets) {
        const status_group* g = find_group(group.value);
        if (g == nullptr) {
            sink_.error(group.at, group.path, in_quotes(group.value) + " is not a status group",
                        one_of_fix(group.value, group_names()));
            return false;
        }
        if (std::ranges::find(g->sets, sets.value) == g->sets.end()) {
            if (kept_sets) {
                sink_.error(group.at, group.path,
                            *kept_sets + " sets " + in_quotes(sets.value) + ", which is not a " +
                                std::string(g->name) + " status",
                            "add sets = \"...\" beside group: one of " + join_words(g->sets));
                return false;
            }
            sink_.error(sets.at, sets.path,
                        in_quotes(sets.value) + " is not a " + std::string(g->name) + " status",
                        one_of_fix(sets.value, g->sets));
            return false;
        }
        return true;
    }

    void add_alias(std::size_t at, const located<std::string>& alias) {
        if (auto why = word_problem(alias.value)) {
            sink_.error(alias.at, alias.path, *why, "use one word without spaces or punctuation");
            return;
        }
        const std::string folded = parser::fold_word(alias.value);
        if (const auto it = words_.find(folded); it != words_.end()) {
            if (it->second != at) {
                sink_.error(alias.at, alias.path,
                            in_quotes(alias.value) + " is already used by " + codes_[it->second].code +
                                " in " + path_,
                            "remove it: one word can name only one code in a table");
            }
            return; // already an alias of this code
        }
        check_lookalike(alias.value, at, alias.at, alias.path);
        codes_[at].aliases.push_back(alias.value);
        index(alias.value, at);
    }

    // Two words of one table that differ only by Cyrillic/Latin look-alike letters: typed in the
    // other script, neither would match (the parser does not guess).
    void check_lookalike(const std::string& word, std::size_t at, const toml::source_position& where,
                         const std::string& path) {
        const auto it = lookalikes_.find(parser::fold_code(word));
        if (it != lookalikes_.end() && it->second != at) {
            sink_.warning(where, path,
                          in_quotes(word) + " looks like " + codes_[it->second].code +
                              " in the other script; mixed-script spellings of either will match neither",
                          "choose a word that does not look like " + codes_[it->second].code);
        }
    }

    std::string all_codes() const {
        std::string out;
        for (std::size_t i = 0; i < codes_.size(); ++i) {
            out += (i == 0 ? "" : (i + 1 == codes_.size() ? " and " : ", ")) + codes_[i].code;
        }
        return out;
    }

    std::vector<parser::code_def>& codes_;
    code_table_rules rules_;
    std::string path_;
    problem_sink& sink_;
    std::map<std::string, std::size_t> words_;      // fold_word spelling -> code index
    std::map<std::string, std::size_t> lookalikes_; // fold_code spelling -> code index
};

// ---- sex letters and age units ----------------------------------------------------------------

// Both are matched inside compound tokens ("2B1G", "12НАС") after look-alike folding, so they
// are compared by fold_code and may hold no digits.
class letter_merger {
public:
    letter_merger(parser::language& lang, problem_sink& sink) : lang_(lang), sink_(sink) {
        for (std::size_t i = 0; i < lang_.sexes.size(); ++i) {
            for (const auto& letter : lang_.sexes[i].letters) {
                owners_.emplace(parser::fold_code(letter), owner_name(lang_.sexes[i].kind));
            }
        }
        for (const auto& unit : lang_.age_units) {
            owners_.emplace(parser::fold_code(unit), "age_units");
        }
    }

    void merge_sexes(const toml::table& table) {
        table_reader reader(table, "language.sexes", sink_);
        for (const parser::sex s : {parser::sex::boy, parser::sex::girl, parser::sex::unknown}) {
            const auto letters = reader.get_strings(owner_name(s));
            if (!letters) {
                continue;
            }
            auto& def = def_of(s);
            for (const auto& letter : *letters) {
                if (claim(letter, owner_name(s))) {
                    def.letters.push_back(letter.value);
                }
            }
        }
        reader.report_unknown_keys();
    }

    void merge_age_units(const std::vector<located<std::string>>& units) {
        for (const auto& unit : units) {
            if (claim(unit, "age_units")) {
                lang_.age_units.push_back(unit.value);
            }
        }
    }

private:
    static std::string owner_name(parser::sex s) {
        switch (s) {
        case parser::sex::boy:
            return "boy";
        case parser::sex::girl:
            return "girl";
        case parser::sex::unknown:
            return "unknown";
        }
        return "unknown";
    }

    parser::sex_def& def_of(parser::sex s) {
        const auto it = std::ranges::find(lang_.sexes, s, &parser::sex_def::kind);
        if (it != lang_.sexes.end()) {
            return *it;
        }
        lang_.sexes.push_back({s, {}});
        return lang_.sexes.back();
    }

    // True when `word` is new and may be added for `owner`; a word `owner` already has is
    // skipped quietly, one that another owner has is a problem.
    bool claim(const located<std::string>& word, const std::string& owner) {
        if (auto why = word_problem(word.value)) {
            sink_.error(word.at, word.path, *why, "use one word without spaces or punctuation");
            return false;
        }
        if (has_digit(word.value)) {
            sink_.error(word.at, word.path, in_quotes(word.value) + " contains a digit",
                        "use letters only: digits are read as counts and ages");
            return false;
        }
        const auto [it, inserted] = owners_.emplace(parser::fold_code(word.value), owner);
        if (!inserted) {
            if (it->second != owner) {
                const std::string other =
                    it->second == "age_units" ? "an age unit" : "a letter for " + it->second;
                sink_.error(word.at, word.path, in_quotes(word.value) + " is already " + other,
                            "remove it, or choose a word that is not already " + other);
            }
            return false;
        }
        return true;
    }

    parser::language& lang_;
    problem_sink& sink_;
    std::map<std::string, std::string> owners_; // fold_code spelling -> "boy", "girl", "unknown", "age_units"
};

// `family_words = ["GERBUL"]`: more words for SVC ... FAM. A word that names a service would
// never be read as the family (the service is read first), and one starting with a digit would be
// read as a case number.
void merge_family_words(const std::vector<located<std::string>>& words, parser::language& lang,
                        problem_sink& sink) {
    std::map<std::string, std::string> services; // fold_word spelling -> service code
    for (const auto& def : lang.services) {
        services.emplace(parser::fold_word(def.code), def.code);
        for (const auto& alias : def.aliases) {
            services.emplace(parser::fold_word(alias), def.code);
        }
    }
    for (const auto& word : words) {
        if (auto why = word_problem(word.value)) {
            sink.error(word.at, word.path, *why, "use one word without spaces or punctuation");
            continue;
        }
        if (word.value[0] >= '0' && word.value[0] <= '9') {
            sink.error(word.at, word.path, in_quotes(word.value) + " starts with a digit",
                       "start it with a letter: a word starting with a digit is read as a case number");
            continue;
        }
        const std::string folded = parser::fold_word(word.value);
        if (const auto it = services.find(folded); it != services.end()) {
            sink.error(word.at, word.path, in_quotes(word.value) + " is the service " + it->second,
                       "choose a word that names no service: SVC reads it as the service");
            continue;
        }
        const bool present = std::ranges::any_of(
            lang.family_words, [&](const std::string& w) { return parser::fold_word(w) == folded; });
        if (!present) {
            lang.family_words.push_back(word.value);
        }
    }
}

} // namespace

bool is_code(std::string_view text, std::size_t max_length) noexcept {
    if (text.empty() || text.size() > max_length || text[0] < 'A' || text[0] > 'Z') {
        return false;
    }
    return std::ranges::all_of(text, [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

void merge_language(const toml::table& table, parser::language& lang, problem_sink& sink) {
    table_reader reader(table, "language", sink);

    if (const auto* keywords = reader.get_table("keywords")) {
        keyword_merger(lang, sink).merge(*keywords);
    }

    letter_merger letters(lang, sink);
    if (const auto* sexes = reader.get_table("sexes")) {
        letters.merge_sexes(*sexes);
    }
    if (const auto units = reader.get_strings("age_units")) {
        letters.merge_age_units(*units);
    }

    code_merger(lang.work, {"work", true, true, true, false, true}, sink).merge(reader);
    code_merger(lang.hazards, {"hazards", true, true, false, false, true}, sink).merge(reader);
    code_merger(lang.statuses, {"statuses", true, false, false, true}, sink).merge(reader);
    code_merger(lang.services, {"services", true, false, false}, sink).merge(reader);
    code_merger(lang.reasons, {"reasons", true, false, false}, sink).merge(reader);
    code_merger(lang.outcomes, {"outcomes", false, false, false}, sink).merge(reader);
    code_merger(lang.risk_reasons, {"risk_reasons", true, false, false}, sink).merge(reader);
    code_merger(lang.dismiss_reasons, {"dismiss_reasons", true, false, false}, sink).merge(reader);
    code_merger(lang.targets, {"targets", false, false, false}, sink).merge(reader);
    code_merger(lang.categories, {"categories", true, false, false}, sink).merge(reader);
    code_merger(lang.results, {"results", false, false, false}, sink).merge(reader);
    if (const auto words = reader.get_strings("family_words")) {
        merge_family_words(*words, lang, sink);
    }

    reader.report_unknown_keys();
}

} // namespace kharuul::config::detail
