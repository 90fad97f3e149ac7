// Reading the USSD menu's overrides (config_reader.hpp): `[ussd.texts]` and `[ussd.options]`,
// the schema docs/ussd.md describes.
//
//   [ussd.texts]
//   title = "Child labour report"                       # a string sets the English text
//   work = { en = "Work:", mn = "Ажил:" }               # a table sets either language or both
//
//   [ussd.options]                                     # a list replaces the whole list
//   work = [ { code = "MINE", en = "Mining", mn = "Уурхай" }, { code = "PAN", en = "Panning", mn = "Угаах" } ]
//
// The keys are ussd::text_keys() and ussd::option_keys(). The codes are checked against the
// language once it is merged, and every screen against the USSD limit (check_ussd_menu); each
// problem names the key as written, with its line.
#include "config/config_reader.hpp"

#include "parser/lexicon.hpp"
#include "ussd/menu.hpp"

namespace kharuul::config::detail {

void config_reader::read_ussd_menu(table_reader& ussd) {
    ussd::menu& menu = config_.ussd.menu;
    ussd_menu_at_[""] = {ussd.path(), ussd.where()};
    if (const auto* texts = ussd.get_table("texts")) {
        table_reader r(*texts, ussd.path_of("texts"), sink_);
        for (const auto& entry : ussd::text_keys()) {
            const toml::node* node = r.find(entry.key);
            if (node == nullptr)
                continue;
            ussd::menu_text& text = menu.*entry.text;
            ussd_menu_at_["texts." + std::string(entry.key)] = {r.path_of(entry.key), r.where(entry.key)};
            if (const auto s = node->value<std::string>()) {
                text.en = *s;
            } else if (const auto* t = node->as_table()) {
                table_reader lang(*t, r.path_of(entry.key), sink_);
                if (const auto en = lang.get_string("en"))
                    text.en = *en;
                if (const auto mn = lang.get_string("mn"))
                    text.mn = *mn;
                lang.report_unknown_keys();
            } else {
                sink_.error(r.where(entry.key), r.path_of(entry.key), "is " + describe(*node) + ", not a text",
                            "write a string, or { en = \"...\", mn = \"...\" }");
            }
        }
        r.report_unknown_keys();
    }
    if (const auto* options = ussd.get_table("options")) {
        table_reader r(*options, ussd.path_of("options"), sink_);
        for (const auto& entry : ussd::option_keys()) {
            if (r.find(entry.key) == nullptr)
                continue;
            const std::string path = r.path_of(entry.key);
            ussd_menu_at_["options." + std::string(entry.key)] = {path, r.where(entry.key)};
            const auto tables = r.get_tables(entry.key);
            std::vector<ussd::menu_option> list;
            bool broken = false;
            for (std::size_t i = 0; i < tables.size(); ++i) {
                if (tables[i] == nullptr) {
                    broken = true;
                    continue;
                }
                table_reader o(*tables[i], index_path(path, i), sink_);
                ussd::menu_option option;
                const auto code = o.get_string("code", true,
                                               "add code = \"...\": the canonical code the choice stands for "
                                               "(\"\" for None or Not known)");
                const auto en = o.get_string("en", true, "add en = \"...\": the English label");
                const auto mn = o.get_string("mn", true, "add mn = \"...\": the Mongolian label");
                o.report_unknown_keys();
                if (!code || !en || !mn) {
                    broken = true;
                    continue;
                }
                option.code = *code;
                option.label = {*en, *mn};
                list.push_back(std::move(option));
            }
            if (!broken && !tables.empty())
                menu.*entry.options = std::move(list);
            else if (tables.empty() && !broken)
                sink_.error(r.where(entry.key), path, "has no choices",
                            "list the choices as [ { code = \"...\", en = \"...\", mn = \"...\" }, ... ]");
        }
        r.report_unknown_keys();
    }
}

void config_reader::check_ussd_menu() {
    // Always, the shipped menu too: its confirm screen words the report with the language's
    // labels, which [language] may lengthen, and with the configured site codes.
    const parser::lexicon lex(config_.language, config_.site_codes());
    const auto problems = ussd::check_menu(config_.ussd.menu, lex);
    for (const auto& p : problems) {
        // The first key the problem is about that the file wrote; else the [ussd] table, or the
        // file when it has none.
        std::pair<std::string, toml::source_position> at{"ussd", {}};
        if (const auto it = ussd_menu_at_.find(""); it != ussd_menu_at_.end())
            at = it->second;
        std::string key = p.keys.empty() ? std::string{} : p.keys.front();
        for (const auto& k : p.keys)
            if (const auto it = ussd_menu_at_.find(k); it != ussd_menu_at_.end()) {
                at = it->second;
                key = k;
                break;
            }
        const bool length = p.message.find("USSD screen") != std::string::npos;
        sink_.error(at.second, at.first == "ussd" ? "ussd." + key : at.first, p.message,
                    length ? "shorten the text or the labels ([ussd.texts], [ussd.options], or the labels in "
                             "[language]): a screen holds 182 Latin characters, or 80 when it has Cyrillic "
                             "(docs/ussd.md)"
                           : "see docs/ussd.md for the codes each list takes");
    }
}

} // namespace kharuul::config::detail
