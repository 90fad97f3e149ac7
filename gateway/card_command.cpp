// `kharuul card`: the printable code card (gateway/code_card.hpp) on stdout or in a file.
#include "gateway/cli.hpp"
#include "gateway/cli_support.hpp"
#include "gateway/code_card.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

int cmd_card(const invocation& inv) {
    std::string config_path, lang_name = "en", audience_name = "volunteer", out_path;
    po::options_description opts("options");
    opts.add_options()("config,c", po::value(&config_path)->required(), "configuration file (TOML)")(
        "lang", po::value(&lang_name), "the card's language: en (default) or mn")(
        "for", po::value(&audience_name), "volunteer (default: the field forms) or team (the team forms)")(
        "out", po::value(&out_path), "write the card to this file (replaced) instead of stdout");
    po::variables_map vm;
    int code = exit_ok;
    if (!parse_options(inv, "card --config FILE [--lang en|mn] [--for volunteer|team] [--out FILE]", opts, {}, vm,
                       code))
        return code;
    const auto lang = parser::reply_language_from(lang_name);
    if (!lang)
        return user_error(inv, "card", "--lang must be en or mn, not '" + lang_name + "'");
    const auto who = card_audience_from(audience_name);
    if (!who)
        return user_error(inv, "card", "--for must be volunteer or team, not '" + audience_name + "'");
    auto cfg = load_config_or_report(config_path, inv.err, false);
    if (!cfg)
        return exit_user_error;
    const std::string html = card_html(*cfg, *lang, *who);
    if (out_path.empty()) {
        inv.out << html;
        return exit_ok;
    }
    // Written beside the target and renamed over it: a reader never sees half a card.
    const std::filesystem::path out = out_path;
    if (const auto dir = out.parent_path(); !dir.empty() && !std::filesystem::is_directory(dir))
        return user_error(inv, "card", "cannot write " + out_path + ": " + dir.string() + " is not a folder");
    const std::filesystem::path tmp = out.string() + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << html;
        f.close();
        if (!f) {
            std::error_code ec;
            std::filesystem::remove(tmp, ec);
            return user_error(inv, "card", "cannot write " + out_path);
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        return user_error(inv, "card", "cannot write " + out_path + ": " + ec.message());
    }
    inv.out << out_path << ": the " << audience_name << " card in " << lang_name << ", " << html.size()
            << " bytes\n";
    return exit_ok;
}

} // namespace

command card_command() {
    return {"card", "a printable one-page (A6) HTML code card from the configured language and sites", cmd_card};
}

} // namespace kharuul::gateway
