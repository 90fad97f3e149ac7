#include "parser/suggest.hpp"

#include "parser/text.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

// Codes are a handful of characters, so the strings and the three rows of the table live on the
// stack; only a string longer than small_length falls back to the heap.

namespace kharuul::parser {

namespace {

constexpr std::size_t small_length = 64;

// A string's code points: stored inline when short, on the heap otherwise.
class code_points {
public:
    explicit code_points(std::string_view utf8) {
        const std::size_t n = count_code_points(utf8);
        char32_t* out = small_.data();
        if (n > small_length) {
            large_.resize(n);
            out = large_.data();
        }
        std::size_t pos = 0;
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = next_code_point(utf8, pos);
        }
        data_ = out;
        size_ = n;
    }
    code_points(const code_points&) = delete;
    code_points& operator=(const code_points&) = delete;

    const char32_t* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }

private:
    std::array<char32_t, small_length> small_;
    std::vector<char32_t> large_;
    const char32_t* data_ = nullptr;
    std::size_t size_ = 0;
};

// Optimal string alignment (restricted Damerau-Levenshtein) over two sequences, keeping three
// rows. The minimum of a row never decreases from one row to the next (a transposition cell is
// at least its diagonal neighbour in the row above), so once a whole row exceeds `cap` the
// answer is known to be cap + 1.
template <class Char>
std::size_t osa_distance(const Char* a, std::size_t n, const Char* b, std::size_t m, std::size_t cap) {
    // cap + 1, except that no distance can exceed the largest cap, so it needs no overflow.
    const std::size_t over = cap == std::numeric_limits<std::size_t>::max() ? cap : cap + 1;
    if ((n > m ? n - m : m - n) > cap) {
        return over;
    }
    if (m == 0 || n == 0) {
        return std::max(n, m); // within cap, checked above
    }
    const std::size_t width = m + 1;
    std::array<std::size_t, 3 * (small_length + 1)> small_rows;
    std::vector<std::size_t> large_rows;
    std::size_t* rows = small_rows.data();
    if (width > small_length + 1) {
        large_rows.resize(3 * width);
        rows = large_rows.data();
    }
    std::size_t* before = rows;          // row i - 2
    std::size_t* prev = rows + width;    // row i - 1
    std::size_t* cur = rows + 2 * width; // row i
    for (std::size_t j = 0; j < width; ++j) {
        prev[j] = j;
    }
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        std::size_t row_min = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            std::size_t d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d = std::min(d, before[j - 2] + 1);
            }
            cur[j] = d;
            row_min = std::min(row_min, d);
        }
        if (row_min > cap) {
            return over;
        }
        std::swap(before, prev);
        std::swap(prev, cur);
    }
    return std::min(prev[m], over);
}

bool is_ascii(std::string_view s) noexcept {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

} // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
    if (a == b) {
        return 0;
    }
    if (is_ascii(a) && is_ascii(b)) {
        // One byte is one code point: no decoding needed.
        return osa_distance(a.data(), a.size(), b.data(), b.size(), cap);
    }
    const code_points ca(a);
    const code_points cb(b);
    return osa_distance(ca.data(), ca.size(), cb.data(), cb.size(), cap);
}

bool one_edit_away(std::string_view a, std::string_view b) {
    return edit_distance(a, b, 1) == 1;
}

std::string unique_one_edit(std::string_view typed, std::span<const std::string> candidates) {
    const std::string* found = nullptr;
    for (const std::string& candidate : candidates) {
        if (!one_edit_away(typed, candidate)) {
            continue;
        }
        // The same code listed twice is one candidate, not an ambiguity.
        if (found != nullptr && *found != candidate) {
            return {};
        }
        found = &candidate;
    }
    return found != nullptr ? *found : std::string{};
}

} // namespace kharuul::parser
