#include "parser/lexicon.hpp"

#include "parser/suggest.hpp"
#include "parser/text.hpp"
#include "parser/translit.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace kharuul::parser {

folded_token fold_token(std::string_view raw) {
    folded_token t;
    t.raw = raw;
    t.word = fold_word(raw);
    t.code = fold_code(t.word);
    t.latin = transliterate(raw);
    return t;
}

namespace {

constexpr std::int16_t absent = -1;
constexpr std::int16_t ambiguous = -2;

// For one folded spelling, the entry it names in each table.
struct hits {
    std::array<std::int16_t, table_count> index;
    hits() { index.fill(absent); }
};

// Letters, not codes: matched by their own spelling and their look-alikes only.
constexpr bool has_latin_reading(table t) noexcept {
    return t != table::sex && t != table::age_unit;
}

void add(std::unordered_map<std::string, hits>& map, const std::string& key, table t, int i) {
    if (key.empty())
        return;
    auto& slot = map[key].index[static_cast<std::size_t>(t)];
    if (slot == absent)
        slot = static_cast<std::int16_t>(i);
    else if (slot != i)
        slot = ambiguous;
}

} // namespace

struct lexicon::tables {
    language lang;
    std::vector<std::string> sites;
    std::unordered_map<std::string, hits> words; // fold_word spellings
    std::unordered_map<std::string, hits> codes; // fold_code spellings
    std::unordered_map<std::string, hits> latin; // transliterated spellings (not sexes, age units)
    std::array<const keyword_def*, all_forms.size()> keyword_of{};
    std::vector<std::pair<std::string, sex>> sex_prefixes; // code-folded, longest first
    std::vector<std::string> unit_suffixes;                // code-folded
    // Candidates per table for suggestions: a spelling in each reading, and what to suggest.
    struct candidate {
        std::string word;
        std::string code;
        std::string latin;
        std::string canonical;
    };
    std::array<std::vector<candidate>, table_count> candidates;

    void add_spelling(table t, int i, std::string_view spelling) {
        std::string w = fold_word(spelling);
        std::string c = fold_code(w);
        add(words, w, t, i);
        add(codes, c, t, i);
        if (has_latin_reading(t))
            add(latin, transliterate(spelling), t, i);
    }

    void add_candidate(table t, std::string_view spelling, const std::string& canonical) {
        std::string w = fold_word(spelling);
        std::string c = fold_code(w);
        candidates[static_cast<std::size_t>(t)].push_back(
            {std::move(w), std::move(c), transliterate(spelling), canonical});
    }

    // A code and its aliases: each is matched, and each is a candidate for "did you mean" (a
    // Mongolian word one letter off suggests its code).
    void add_codes(table t, const std::vector<code_def>& defs) {
        for (std::size_t i = 0; i < defs.size(); ++i) {
            add_spelling(t, static_cast<int>(i), defs[i].code);
            add_candidate(t, defs[i].code, defs[i].code);
            for (const auto& a : defs[i].aliases) {
                add_spelling(t, static_cast<int>(i), a);
                add_candidate(t, a, defs[i].code);
            }
        }
    }
};

lexicon::lexicon(language lang, std::vector<std::string> site_codes) : t_(std::make_unique<tables>()) {
    t_->lang = std::move(lang);
    t_->sites = std::move(site_codes);
    const language& l = t_->lang;

    for (std::size_t i = 0; i < l.keywords.size(); ++i) {
        const keyword_def& k = l.keywords[i];
        t_->keyword_of[static_cast<std::size_t>(k.kind)] = &k;
        t_->add_spelling(table::keyword, static_cast<int>(i), k.keyword);
        t_->add_spelling(table::keyword, static_cast<int>(i), canonical_keyword(k.kind));
        for (const auto& a : k.aliases)
            t_->add_spelling(table::keyword, static_cast<int>(i), a);
        t_->add_candidate(table::keyword, k.keyword, k.keyword);
    }
    for (std::size_t i = 0; i < l.sexes.size(); ++i)
        for (const auto& letter : l.sexes[i].letters) {
            t_->add_spelling(table::sex, static_cast<int>(i), letter);
            t_->sex_prefixes.emplace_back(fold_code(letter), l.sexes[i].kind);
        }
    std::stable_sort(t_->sex_prefixes.begin(), t_->sex_prefixes.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    for (std::size_t i = 0; i < l.age_units.size(); ++i) {
        t_->add_spelling(table::age_unit, static_cast<int>(i), l.age_units[i]);
        t_->unit_suffixes.push_back(fold_code(l.age_units[i]));
    }
    for (std::size_t i = 0; i < t_->sites.size(); ++i) {
        t_->add_spelling(table::site, static_cast<int>(i), t_->sites[i]);
        t_->add_candidate(table::site, t_->sites[i], t_->sites[i]);
    }
    t_->add_codes(table::work, l.work);
    t_->add_codes(table::hazard, l.hazards);
    t_->add_codes(table::status, l.statuses);
    t_->add_codes(table::service, l.services);
    t_->add_codes(table::reason, l.reasons);
    t_->add_codes(table::outcome, l.outcomes);
    t_->add_codes(table::risk_reason, l.risk_reasons);
    t_->add_codes(table::dismiss_reason, l.dismiss_reasons);
    t_->add_codes(table::target, l.targets);
    t_->add_codes(table::category, l.categories);
    t_->add_codes(table::result, l.results);
    t_->add_codes(table::help_topic, l.help_topics);
    for (std::size_t i = 0; i < l.family_words.size(); ++i) {
        t_->add_spelling(table::family, 0, l.family_words[i]); // all one entry: "the family"
        t_->add_candidate(table::family, l.family_words[i], l.family_words.front());
    }
    // A form the configuration left out still has its canonical keyword.
    static const std::array<keyword_def, all_forms.size()> fallback = [] {
        std::array<keyword_def, all_forms.size()> a;
        for (form f : all_forms)
            a[static_cast<std::size_t>(f)] = keyword_def{f, std::string(canonical_keyword(f)), {}};
        return a;
    }();
    for (form f : all_forms)
        if (t_->keyword_of[static_cast<std::size_t>(f)] == nullptr)
            t_->keyword_of[static_cast<std::size_t>(f)] = &fallback[static_cast<std::size_t>(f)];
}

lexicon::~lexicon() = default;
lexicon::lexicon(lexicon&&) noexcept = default;
lexicon& lexicon::operator=(lexicon&&) noexcept = default;

const language& lexicon::lang() const noexcept { return t_->lang; }
const std::vector<std::string>& lexicon::site_codes() const noexcept { return t_->sites; }

int lexicon::find(table t, const folded_token& tok) const noexcept {
    const auto ti = static_cast<std::size_t>(t);
    auto lookup = [ti](const std::unordered_map<std::string, hits>& map, const std::string& key) {
        const auto it = map.find(key);
        return it == map.end() ? absent : it->second.index[ti];
    };
    // Real words first, in their own script.
    if (const int w = lookup(t_->words, tok.word); w >= 0)
        return w;
    // Then the two readings of a code: by the letters' shape and by their sound. Each reading
    // names one entry or none; two different entries are a guess, so neither.
    const int shape = lookup(t_->codes, tok.code);
    const int sound = has_latin_reading(t) ? lookup(t_->latin, tok.latin) : absent;
    if (shape >= 0 && sound >= 0 && shape != sound)
        return -1;
    if (shape >= 0)
        return shape;
    return sound >= 0 ? sound : -1;
}

std::optional<form> lexicon::find_keyword(const folded_token& tok) const noexcept {
    int i = find(table::keyword, tok);
    if (i < 0)
        return std::nullopt;
    return t_->lang.keywords[static_cast<std::size_t>(i)].kind;
}

std::optional<sex> lexicon::find_sex(const folded_token& tok) const noexcept {
    int i = find(table::sex, tok);
    if (i < 0)
        return std::nullopt;
    return t_->lang.sexes[static_cast<std::size_t>(i)].kind;
}

const std::string* lexicon::find_site(const folded_token& tok) const noexcept {
    int i = find(table::site, tok);
    return i < 0 ? nullptr : &t_->sites[static_cast<std::size_t>(i)];
}

const std::vector<code_def>& lexicon::codes(table t) const noexcept {
    const language& l = t_->lang;
    switch (t) {
    case table::work: return l.work;
    case table::hazard: return l.hazards;
    case table::status: return l.statuses;
    case table::service: return l.services;
    case table::reason: return l.reasons;
    case table::outcome: return l.outcomes;
    case table::risk_reason: return l.risk_reasons;
    case table::dismiss_reason: return l.dismiss_reasons;
    case table::target: return l.targets;
    case table::category: return l.categories;
    case table::result: return l.results;
    case table::help_topic: return l.help_topics;
    default: break;
    }
    static const std::vector<code_def> none;
    return none;
}

const code_def* lexicon::find_code(table t, const folded_token& tok) const noexcept {
    int i = find(t, tok);
    if (i < 0)
        return nullptr;
    const auto& defs = codes(t);
    return static_cast<std::size_t>(i) < defs.size() ? &defs[static_cast<std::size_t>(i)] : nullptr;
}

bool lexicon::is_family_word(const folded_token& tok) const noexcept {
    return find(table::family, tok) >= 0;
}

const code_def* lexicon::code_by_name(table t, std::string_view c) const noexcept {
    for (const auto& d : codes(t))
        if (d.code == c)
            return &d;
    return nullptr;
}

const keyword_def& lexicon::keyword(form f) const noexcept { return *t_->keyword_of[static_cast<std::size_t>(f)]; }

std::string lexicon::suggest(table t, const folded_token& tok) const {
    const auto& cands = t_->candidates[static_cast<std::size_t>(t)];
    const bool latin = has_latin_reading(t);
    const std::string* found = nullptr;
    for (const auto& c : cands) {
        // The closest reading decides: a spelling equal in one reading is no typo in another.
        std::size_t d = std::min(edit_distance(tok.word, c.word, 1), edit_distance(tok.code, c.code, 1));
        if (latin)
            d = std::min(d, edit_distance(tok.latin, c.latin, 1));
        if (d != 1)
            continue;
        if (found != nullptr && *found != c.canonical)
            return {};
        found = &c.canonical;
    }
    return found != nullptr ? *found : std::string{};
}

std::optional<sex> lexicon::match_sex_prefix(std::string_view code_folded, std::size_t& pos) const noexcept {
    for (const auto& [letter, kind] : t_->sex_prefixes)
        if (code_folded.substr(pos, letter.size()) == letter) {
            pos += letter.size();
            return kind;
        }
    return std::nullopt;
}

bool lexicon::is_age_unit_suffix(std::string_view code_folded) const noexcept {
    return std::find(t_->unit_suffixes.begin(), t_->unit_suffixes.end(), code_folded) != t_->unit_suffixes.end();
}

} // namespace kharuul::parser
