// Where `kharuul simulate` reads what is typed: at a terminal through Debian's libedit (line
// editing, and a history of the session's lines kept in memory only: report texts are personal
// data, so no history file is written), and from a pipe or a file line by line, printing each
// prompt and the line read after it so that the output reads as the session's transcript
// (`kharuul simulate ... < lesson.txt`). Caller's thread; not thread-safe (libedit is global).
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

namespace kharuul::gateway {

class line_input {
public:
    virtual ~line_input() = default;
    // The next line without its line break, after showing `prompt`; nullopt at the end of the
    // input (Ctrl-D, the end of the file).
    virtual std::optional<std::string> read(const std::string& prompt) = 0;
};

// libedit on the process's stdin and stdout (both must be terminals), flushing `out` first.
std::unique_ptr<line_input> make_terminal_input(std::ostream& out);

// Plain lines from `in`; the prompt and the line are written to `out` (a transcript).
std::unique_ptr<line_input> make_stream_input(std::istream& in, std::ostream& out);

} // namespace kharuul::gateway
