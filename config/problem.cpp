#include "config/problem.hpp"

namespace kharuul::config {

std::string format_problem(const problem& p) {
    std::string out = p.file;
    if (p.line > 0) {
        out += ':' + std::to_string(p.line);
        if (p.column > 0) {
            out += ':' + std::to_string(p.column);
        }
    }
    out += ": ";
    if (p.level == severity::warning) {
        out += "warning: ";
    }
    if (!p.key_path.empty()) {
        out += p.key_path;
        out += ": ";
    }
    out += p.message;
    if (!p.fix.empty()) {
        out += "; fix: ";
        out += p.fix;
    }
    return out;
}

} // namespace kharuul::config
