#include "gateway/line_input.hpp"

#include <editline/readline.h>

#include <clocale>
#include <cstdlib>
#include <istream>
#include <ostream>

namespace kharuul::gateway {

namespace {

class terminal_input final : public line_input {
public:
    explicit terminal_input(std::ostream& out) : out_(out) {
        // libedit reads multibyte (Cyrillic) input in the terminal's character set.
        std::setlocale(LC_CTYPE, "");
        using_history();
    }
    ~terminal_input() override { clear_history(); }

    std::optional<std::string> read(const std::string& prompt) override {
        out_.flush();
        char* got = ::readline(prompt.c_str());
        if (got == nullptr)
            return std::nullopt;
        std::string line(got);
        std::free(got);
        if (line.find_first_not_of(" \t") != std::string::npos)
            add_history(line.c_str());
        return line;
    }

private:
    std::ostream& out_;
};

class stream_input final : public line_input {
public:
    stream_input(std::istream& in, std::ostream& out) : in_(in), out_(out) {}

    std::optional<std::string> read(const std::string& prompt) override {
        std::string line;
        if (!std::getline(in_, line))
            return std::nullopt;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        // A lesson's comment (';') stands alone in the transcript; a typed line after its prompt.
        out_ << (line.starts_with(';') ? std::string{} : prompt) << line << '\n';
        return line;
    }

private:
    std::istream& in_;
    std::ostream& out_;
};

} // namespace

std::unique_ptr<line_input> make_terminal_input(std::ostream& out) {
    return std::make_unique<terminal_input>(out);
}

std::unique_ptr<line_input> make_stream_input(std::istream& in, std::ostream& out) {
    return std::make_unique<stream_input>(in, out);
}

} // namespace kharuul::gateway
