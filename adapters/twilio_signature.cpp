#include "adapters/twilio_signature.hpp"

#include "adapters/http_input.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace kharuul::adapters::twilio {

namespace {

std::string base64(const unsigned char* bytes, std::size_t n) {
    std::string out(4 * ((n + 2) / 3) + 1, '\0'); // EVP_EncodeBlock writes a terminating NUL
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(n));
    out.resize(written > 0 ? static_cast<std::size_t>(written) : 0);
    return out;
}

// The parts of an absolute URL around its port: "https://user@host" + ":8443" + "/path?query".
struct split_url {
    std::string_view scheme;       // "https"
    std::string_view before_port;  // "https://user@host"
    std::string_view port;         // "8443", "" when the URL names none
    bool has_port = false;         // a ':' after the host (even with no digits after it)
    std::string_view rest;         // "/path?query#fragment", may be empty
};

std::optional<split_url> split(std::string_view url) {
    const auto colon_slashes = url.find("://");
    if (colon_slashes == std::string_view::npos) {
        return std::nullopt;
    }
    split_url s;
    s.scheme = url.substr(0, colon_slashes);
    const std::size_t authority_start = colon_slashes + 3;
    std::size_t authority_end = url.find_first_of("/?#", authority_start);
    if (authority_end == std::string_view::npos) {
        authority_end = url.size();
    }
    const std::string_view authority = url.substr(authority_start, authority_end - authority_start);
    const auto at = authority.rfind('@');
    const std::size_t host_start = at == std::string_view::npos ? 0 : at + 1;
    const std::string_view host_port = authority.substr(host_start);
    if (host_port.empty()) {
        return std::nullopt;
    }
    // An IPv6 literal's colons are inside its brackets.
    const std::size_t search_from = host_port.front() == '[' ? host_port.find(']') : 0;
    if (search_from == std::string_view::npos) {
        return std::nullopt;
    }
    const auto port_colon = host_port.find(':', search_from);
    const std::size_t host_end = authority_start + host_start + (port_colon == std::string_view::npos ? host_port.size() : port_colon);
    s.before_port = url.substr(0, host_end);
    if (port_colon != std::string_view::npos) {
        s.has_port = true;
        s.port = host_port.substr(port_colon + 1);
    }
    s.rest = url.substr(authority_end);
    return s;
}

} // namespace

std::string expected_signature(std::string_view auth_token, std::string_view url, const parameter_list& params) {
    // Names sorted byte-wise, each with its distinct values sorted (twilio-node's
    // toFormUrlEncodedParam: Array.from(new Set(values)).sort()).
    std::map<std::string_view, std::set<std::string_view>> sorted;
    for (const auto& [name, value] : params) {
        sorted[name].insert(value);
    }
    std::string data(url);
    for (const auto& [name, values] : sorted) {
        for (const auto value : values) {
            data += name;
            data += value;
        }
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    static const unsigned char no_key = 0;
    const auto* key = auth_token.empty() ? &no_key : reinterpret_cast<const unsigned char*>(auth_token.data());
    if (HMAC(EVP_sha1(), key, static_cast<int>(auth_token.size()), reinterpret_cast<const unsigned char*>(data.data()),
             data.size(), mac, &mac_length) == nullptr) {
        return {};
    }
    return base64(mac, mac_length);
}

std::vector<std::string> url_variants(std::string_view url) {
    const auto s = split(url);
    if (!s || !(iequals(s->scheme, "https") || iequals(s->scheme, "http"))) {
        return {std::string(url)};
    }
    std::string with_port(url);
    if (!s->has_port || s->port.empty()) {
        with_port = std::string(s->before_port) + (iequals(s->scheme, "https") ? ":443" : ":80") + std::string(s->rest);
    }
    std::string without_port = std::string(s->before_port) + std::string(s->rest);
    if (without_port == with_port) {
        return {std::move(with_port)};
    }
    return {std::move(with_port), std::move(without_port)};
}

bool signature_matches(std::string_view signature, std::string_view auth_token, std::string_view url,
                       const parameter_list& params) {
    if (signature.empty() || auth_token.empty()) {
        return false;
    }
    bool matched = false;
    for (const auto& variant : url_variants(url)) {
        // Every variant is computed and compared, so that the time taken does not say which matched.
        matched = constant_time_equals(signature, expected_signature(auth_token, variant, params)) || matched;
    }
    return matched;
}

} // namespace kharuul::adapters::twilio
