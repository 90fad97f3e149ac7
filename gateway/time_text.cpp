#include "gateway/time_text.hpp"

#include <cstdlib>

#include <charconv>
#include <cstdio>

namespace kharuul::gateway {

using namespace std::chrono;

namespace {

// Reads exactly `n` digits at `pos`, advancing it; -1 when they are not there.
int digits(std::string_view s, std::size_t& pos, std::size_t n) {
    if (pos + n > s.size())
        return -1;
    int v = 0;
    const char* first = s.data() + pos;
    auto [end, ec] = std::from_chars(first, first + n, v);
    if (ec != std::errc{} || end != first + n || *first == '-' || *first == '+')
        return -1;
    pos += n;
    return v;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

std::optional<store::timestamp> relative(std::string_view text, store::timestamp now) {
    if (text.size() < 2)
        return std::nullopt;
    long long n = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size() - 1;
    auto [end, ec] = std::from_chars(first, last, n);
    if (ec != std::errc{} || end != last || n < 0 || n > 100000)
        return std::nullopt;
    switch (*last) {
    case 'm':
        return now - minutes(n);
    case 'h':
        return now - hours(n);
    case 'd':
        return now - days(n);
    case 'w':
        return now - weeks(n);
    default:
        return std::nullopt;
    }
}

} // namespace

std::string format_local_minute(store::timestamp t, minutes utc_offset) {
    const auto local = floor<minutes>(t + utc_offset);
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
    return buf;
}

std::string format_utc_iso(store::timestamp t) {
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf;
}

std::optional<store::timestamp> parse_time_bound(std::string_view text, time_bound bound, minutes utc_offset,
                                                 store::timestamp now) {
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (auto r = relative(text, now))
        return r;

    std::size_t pos = 0;
    const int y = digits(text, pos, 4);
    if (y < 0 || !expect(text, pos, '-'))
        return std::nullopt;
    const int mo = digits(text, pos, 2);
    if (mo < 0 || !expect(text, pos, '-'))
        return std::nullopt;
    const int d = digits(text, pos, 2);
    if (d < 0)
        return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return std::nullopt;
    const sys_days date{ymd};

    if (pos == text.size()) {
        const sys_days first = bound == time_bound::until ? date + days{1} : date;
        return store::timestamp{first - utc_offset};
    }
    if (!expect(text, pos, 'T') && !expect(text, pos, ' '))
        return std::nullopt;
    const int h = digits(text, pos, 2);
    if (h < 0 || h > 23 || !expect(text, pos, ':'))
        return std::nullopt;
    const int mi = digits(text, pos, 2);
    if (mi < 0 || mi > 59)
        return std::nullopt;
    int s = 0;
    if (expect(text, pos, ':')) {
        s = digits(text, pos, 2);
        if (s < 0 || s > 59)
            return std::nullopt;
    }
    const auto at = store::timestamp{date + hours{h} + minutes{mi} + seconds{s}};
    if (expect(text, pos, 'Z'))
        return pos == text.size() ? std::optional<store::timestamp>(at) : std::nullopt;
    // An explicit offset, "+08:00" or "-05:30" (ISO 8601, as `kharuul replay` lines carry).
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        const int oh = digits(text, pos, 2);
        if (oh < 0 || oh > 14 || !expect(text, pos, ':'))
            return std::nullopt;
        const int om = digits(text, pos, 2);
        if (om < 0 || om > 59 || pos != text.size())
            return std::nullopt;
        return at - sign * (hours{oh} + minutes{om});
    }
    if (pos != text.size())
        return std::nullopt;
    return at - utc_offset;
}

std::string format_local_iso(store::timestamp t, minutes utc_offset) {
    const auto local = floor<seconds>(t + utc_offset);
    const auto day = floor<days>(local);
    const year_month_day ymd{day};
    const hh_mm_ss hms{local - day};
    const long off = utc_offset.count();
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02ld:%02ld", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), off < 0 ? '-' : '+', std::labs(off) / 60, std::labs(off) % 60);
    return buf;
}

} // namespace kharuul::gateway
