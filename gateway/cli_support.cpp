#include "gateway/cli_support.hpp"

#include "config/load.hpp"

#include <ostream>

namespace kharuul::gateway {

namespace po = boost::program_options;

namespace {

// The command's name: the usage line's leading lower-case words ("reporter add"), up to the first
// option or argument.
std::string_view command_name(std::string_view usage) {
    std::size_t end = 0;
    for (std::size_t i = 0; i < usage.size();) {
        std::size_t j = usage.find(' ', i);
        if (j == std::string_view::npos)
            j = usage.size();
        const std::string_view word = usage.substr(i, j - i);
        if (word.empty() || word.front() == '-' ||
            word.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") != std::string_view::npos)
            break;
        end = j;
        i = j + 1;
    }
    return usage.substr(0, end);
}

} // namespace

bool parse_options(const invocation& inv, std::string_view usage, const po::options_description& opts,
                   const po::positional_options_description& pos, po::variables_map& vm, int& code) {
    po::options_description all = opts;
    all.add_options()("help,h", "show this help");
    try {
        po::store(po::command_line_parser(inv.args).options(all).positional(pos).run(), vm);
        if (vm.count("help")) {
            inv.out << "usage: kharuul " << usage << "\n\n" << all;
            code = exit_ok;
            return false;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        inv.err << "kharuul: " << e.what() << " (see kharuul " << command_name(usage) << " --help)\n";
        code = exit_user_error;
        return false;
    }
    return true;
}

std::optional<config::gateway_config> load_config_or_report(const std::string& path, std::ostream& err,
                                                            bool warnings) {
    config::load_result r = config::load_config(path);
    for (const auto& p : r.problems)
        if (warnings || p.level == config::severity::error)
            err << config::format_problem(p) << '\n';
    return std::move(r.config);
}

} // namespace kharuul::gateway
