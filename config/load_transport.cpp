// How a channel's outbound requests travel: the ca_file an https:// send_url is verified with, and
// the rule that credentials do not cross the network in the clear. The channel itself checks the
// same again when it is made and at every send (adapters/outbound_tls.cpp, channel_endpoint): this
// is where the operator learns of it, at its line, before anything is sent.
#include "config/config_reader.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/scheme.hpp>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace kharuul::config::detail {

namespace {

bool sends_over_http(channel_type t) noexcept {
    return t == channel_type::generic || t == channel_type::kannel || t == channel_type::twilio ||
           t == channel_type::africastalking;
}

// Why `path` is no usable bundle of CA certificates, or empty: it cannot be read, or OpenSSL finds
// no PEM certificate in it (X509_STORE_load_file, as the channel's TLS context loads it).
std::string ca_file_problem(const std::string& path) {
    std::error_code fs_ec;
    if (std::filesystem::is_directory(path, fs_ec)) {
        return in_quotes(path) + " is a folder, not a file";
    }
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            return in_quotes(path) + " cannot be read: " + std::strerror(errno != 0 ? errno : ENOENT);
        }
    }
    X509_STORE* store = X509_STORE_new();
    if (store == nullptr) {
        return "no memory to read " + in_quotes(path);
    }
    ERR_clear_error();
    const bool loaded = X509_STORE_load_file(store, path.c_str()) == 1;
    const unsigned long err = ERR_peek_last_error();
    X509_STORE_free(store);
    ERR_clear_error();
    if (loaded) {
        return {};
    }
    const char* reason = err != 0 ? ERR_reason_error_string(err) : nullptr;
    return in_quotes(path) + " holds no PEM certificate (" +
           (reason != nullptr ? std::string(reason) : std::string("not PEM")) + ")";
}

// The keys whose values a channel of type `t` sends with each outbound request, as the file names
// them; kannel's secret rides in the dlr-url it gives Kannel for delivery reports.
std::vector<std::string> credentials_sent(const channel_config& c) {
    std::vector<std::pair<std::string_view, const std::string*>> keys;
    switch (c.type) {
    case channel_type::generic:
        keys = {{"username", &c.username}, {"password", &c.password}};
        break;
    case channel_type::kannel:
        keys = {{"username", &c.username}, {"password", &c.password}, {"secret", &c.secret}};
        break;
    case channel_type::twilio:
        keys = {{"account_sid", &c.account_sid}, {"auth_token", &c.auth_token}};
        break;
    case channel_type::africastalking:
        keys = {{"username", &c.username}, {"api_key", &c.api_key}};
        break;
    case channel_type::log:
    case channel_type::smpp:
        break;
    }
    std::vector<std::string> sent;
    for (const auto& [key, value] : keys) {
        if (!value->empty()) {
            sent.emplace_back(key);
        }
    }
    return sent;
}

// "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "" : i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}

struct url_host {
    bool https = false;
    bool loopback = false;
    std::string host; // as written, without brackets
};

// The scheme and host of an http(s) URL; nullopt when Boost.URL cannot read it (the channel
// reports that itself). Loopback: "localhost", 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
std::optional<url_host> host_of(const std::string& url) {
    const std::string copy(url); // NUL-terminated: Boost.URL 1.81 may read past a view (boostorg/url#757)
    const auto u = boost::urls::parse_absolute_uri(copy.c_str());
    if (!u) {
        return std::nullopt;
    }
    url_host h;
    h.https = u->scheme_id() == boost::urls::scheme::https;
    h.host = u->host_address();
    switch (u->host_type()) {
    case boost::urls::host_type::ipv4:
        h.loopback = u->host_ipv4_address().is_loopback();
        break;
    case boost::urls::host_type::ipv6: {
        const auto v6 = u->host_ipv6_address();
        h.loopback = v6.is_loopback() || (v6.is_v4_mapped() && v6.to_bytes()[12] == 127);
        break;
    }
    case boost::urls::host_type::name: {
        std::string lower = u->host();
        std::ranges::transform(lower, lower.begin(),
                               [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        h.loopback = lower == "localhost" || lower == "localhost.";
        break;
    }
    default:
        break;
    }
    return h;
}

} // namespace

bool config_reader::check_channel_transport(table_reader& r, const channel_config& c) {
    bool ok = true;
    const auto where = is_http_url(c.send_url) ? host_of(c.send_url) : std::nullopt;
    if (!c.ca_file.empty()) {
        if (const auto problem = ca_file_problem(c.ca_file); !problem.empty()) {
            sink_.error(
                r.where("ca_file"), r.path_of("ca_file"), problem,
                "name a PEM file of CA certificates (-----BEGIN CERTIFICATE-----) that the gateway's user "
                "can read, e.g. /etc/kharuul/provider-ca.pem, or remove ca_file to trust the system's CA "
                "store");
            ok = false;
        } else if (!sends_over_http(c.type) || !where || !where->https) {
            sink_.warning(r.where("ca_file"), r.path_of("ca_file"),
                          "is used only to verify an https:// send_url, and this channel has none",
                          "remove ca_file, or write send_url as https://");
        }
    }
    if (!sends_over_http(c.type) || !where || where->https || where->loopback || c.allow_insecure) {
        return ok;
    }
    const auto sent = credentials_sent(c);
    if (sent.empty()) {
        return ok;
    }
    sink_.error(
        r.where("send_url"), r.path_of("send_url"),
        "the " + std::string(channel_type_name(c.type)) + " channel " +
            (c.name.empty() ? std::string() : in_quotes(c.name) + " ") + "would send its " + and_list(sent) +
            " unencrypted over http:// to " + where->host +
            ", which is not this machine; this is refused now, so a channel that sent this way before "
            "an upgrade stops until it is changed",
        "write send_url as https:// (ca_file trusts a private CA), or, when the network to " + where->host +
            " is trusted (e.g. a Kannel on the local network), add allow_insecure = true to this channel");
    return false;
}

} // namespace kharuul::config::detail
