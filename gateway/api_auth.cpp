#include "gateway/api_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <array>
#include <cctype>
#include <stdexcept>

namespace kharuul::gateway::api {

namespace {

std::string base64url(const unsigned char* data, std::size_t n) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((n * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (n - i == 1) {
        const unsigned v = data[i] << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
    } else if (n - i == 2) {
        const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
    }
    return out;
}

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string random_text() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("the random number generator failed (OpenSSL RAND_bytes)");
    return base64url(bytes.data(), bytes.size());
}

std::string new_token_text() { return std::string(token_prefix) + random_text(); }

store::token_hash hash_of(std::string_view token) {
    store::token_hash h{};
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), h.data());
    return h;
}

bool same_hash(const store::token_hash& a, const store::token_hash& b) noexcept {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string_view> bearer_of(std::string_view authorization) {
    authorization = trimmed(authorization);
    const auto space = authorization.find(' ');
    if (space == std::string_view::npos || !iequal(authorization.substr(0, space), "bearer"))
        return std::nullopt;
    const std::string_view token = trimmed(authorization.substr(space + 1));
    if (token.empty())
        return std::nullopt;
    return token;
}

std::optional<std::string_view> cookie_of(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        std::string_view pair = trimmed(header.substr(0, semi));
        header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos)
            continue;
        if (trimmed(pair.substr(0, eq)) == name)
            return trimmed(pair.substr(eq + 1));
    }
    return std::nullopt;
}

} // namespace kharuul::gateway::api
