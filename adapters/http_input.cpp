#include "adapters/http_input.hpp"

#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_set>

namespace kharuul::adapters {

namespace {

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

constexpr bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

// Reads exactly `n` digits at `pos` into `out` and advances `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) noexcept {
    if (pos + n > s.size()) {
        return false;
    }
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (!is_digit(c)) {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    out = v;
    pos += n;
    return true;
}

bool read_char(std::string_view s, std::size_t& pos, char c) noexcept {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// Instants are accepted from 1970 up to 2200-01-01T00:00:00Z: system_clock counts nanoseconds in
// 64 bits (good to 2262), and a 13-digit unix value is milliseconds, which we refuse.
constexpr int min_year = 1970;
constexpr int max_year = 2199;
constexpr std::int64_t max_unix_seconds = 7258118400;

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view s) {
    using namespace std::chrono;
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    if (!read_digits(s, pos, 4, y) || !read_char(s, pos, '-') || !read_digits(s, pos, 2, mo) ||
        !read_char(s, pos, '-') || !read_digits(s, pos, 2, d)) {
        return std::nullopt;
    }
    if (!read_char(s, pos, 'T') && !read_char(s, pos, 't') && !read_char(s, pos, ' ')) {
        return std::nullopt;
    }
    if (!read_digits(s, pos, 2, h) || !read_char(s, pos, ':') || !read_digits(s, pos, 2, mi)) {
        return std::nullopt;
    }
    if (read_char(s, pos, ':')) {
        if (!read_digits(s, pos, 2, sec)) {
            return std::nullopt;
        }
        if (read_char(s, pos, '.') || read_char(s, pos, ',')) {
            const std::size_t start = pos;
            while (pos < s.size() && is_digit(s[pos])) {
                ++pos; // fractions of a second are dropped
            }
            if (pos == start) {
                return std::nullopt;
            }
        }
    }
    minutes offset{0};
    if (pos < s.size()) {
        const char sign = s[pos];
        if ((sign == 'Z' || sign == 'z') && pos + 1 == s.size()) {
            ++pos;
        } else if (sign == '+' || sign == '-') {
            ++pos;
            int oh = 0, om = 0;
            if (!read_digits(s, pos, 2, oh)) {
                return std::nullopt;
            }
            read_char(s, pos, ':');
            if (!read_digits(s, pos, 2, om) || oh > 23 || om > 59) {
                return std::nullopt;
            }
            offset = hours(oh) + minutes(om);
            if (sign == '-') {
                offset = -offset;
            }
        }
    }
    if (pos != s.size() || h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    const year_month_day date{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!date.ok() || y < min_year || y > max_year) {
        return std::nullopt;
    }
    // A leap second (:60) is read as the next second's start.
    return system_clock::time_point(sys_days(date)) + hours(h) + minutes(mi) + seconds(sec) - offset;
}

} // namespace

std::optional<form_fields> form_fields::parse(std::string_view encoded) {
    form_fields form;
    if (encoded.empty()) {
        return form;
    }
    // Boost.URL up to 1.83 rebuilds the view from data() alone (boostorg/url#757) and reads to
    // the next NUL: a request target inside Beast's header buffer is not NUL-terminated, so the
    // last value would run on into the headers. Parse a NUL-terminated copy.
    const std::string terminated(encoded);
    const auto params = boost::urls::parse_query(terminated);
    if (!params) {
        return std::nullopt;
    }
    const boost::urls::encoding_opts form_decoding(/*space_as_plus=*/true);
    for (const auto& p : *params) {
        if (p.key.empty() && !p.has_value) {
            continue; // "a=1&&b=2", a trailing '&'
        }
        form.fields_.emplace_back(p.key.decode(form_decoding),
                                  p.has_value ? p.value.decode(form_decoding) : std::string());
    }
    return form;
}

std::optional<std::string> form_fields::get(std::string_view name) const {
    const auto it =
        std::find_if(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == name; });
    if (it == fields_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::string> form_fields::repeated() const {
    // A set, not a scan of the earlier names: a hostile body may carry many thousand fields.
    std::unordered_set<std::string_view> seen;
    seen.reserve(fields_.size());
    for (const auto& f : fields_) {
        if (!seen.insert(f.first).second) {
            return f.first;
        }
    }
    return std::nullopt;
}

std::string repeated_field_reason(std::string_view name) {
    constexpr std::size_t max_quoted = 32;
    const bool plain =
        !name.empty() && name.size() <= max_quoted && std::all_of(name.begin(), name.end(), [](char c) {
            return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' ||
                   c == '.';
        });
    return plain ? "field '" + std::string(name) + "' is given more than once"
                 : "a field is given more than once";
}

std::string_view query_of(std::string_view target) noexcept {
    const auto q = target.find('?');
    if (q == std::string_view::npos) {
        return {};
    }
    target.remove_prefix(q + 1);
    return target.substr(0, target.find('#'));
}

std::string media_type(std::string_view content_type) {
    std::string out(trim(content_type.substr(0, content_type.find(';'))));
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

std::string media_type_parameter(std::string_view content_type, std::string_view name) {
    auto semi = content_type.find(';');
    while (semi != std::string_view::npos) {
        content_type.remove_prefix(semi + 1);
        semi = content_type.find(';');
        const std::string_view param = trim(content_type.substr(0, semi));
        const auto eq = param.find('=');
        if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), name)) {
            continue;
        }
        std::string_view value = trim(param.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
    }
    return {};
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
    // Every byte of `a` is compared (against a repeating `b` when lengths differ), so the time
    // does not tell how much of a guess was right.
    unsigned diff = a.size() == b.size() ? 0U : 1U;
    if (b.empty()) {
        return a.empty();
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i % b.size()]);
    }
    return diff == 0;
}

std::optional<std::string_view> bearer_token(std::string_view authorization) noexcept {
    authorization = trim(authorization);
    constexpr std::string_view scheme = "bearer";
    if (authorization.size() <= scheme.size() || !iequals(authorization.substr(0, scheme.size()), scheme) ||
        (authorization[scheme.size()] != ' ' && authorization[scheme.size()] != '\t')) {
        return std::nullopt;
    }
    return trim(authorization.substr(scheme.size()));
}

std::optional<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text) {
    text = trim(text);
    if (text.empty()) {
        return std::nullopt;
    }
    if (std::all_of(text.begin(), text.end(), is_digit)) {
        std::int64_t seconds = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec != std::errc() || end != text.data() + text.size() || seconds >= max_unix_seconds) {
            return std::nullopt;
        }
        return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
    }
    return parse_iso8601(text);
}

} // namespace kharuul::adapters
