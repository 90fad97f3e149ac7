#include "adapters/outbound_tls.hpp"

#include "adapters/outbound_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace kharuul::adapters::outbound_http {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;

namespace {

constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

// OpenSSL's reason ("no certificate or crl found") without Asio's " (x509 certificate routines)".
std::string reason_of(const error_code& ec) {
    if (ec.category() == asio::error::get_ssl_category()) {
        if (const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) {
            return reason;
        }
    }
    return ec.message();
}

// Why a file cannot be read as a whole ("No such file or directory", "Is a directory"), or empty.
std::string unreadable(const std::string& path) {
    std::error_code fs_ec;
    if (std::filesystem::is_directory(path, fs_ec)) {
        return std::strerror(EISDIR);
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::strerror(errno != 0 ? errno : ENOENT);
    }
    return {};
}

// The DNS names and IP addresses a certificate is for (its subjectAltName; its common name when it
// has none), at most three, for the message of a host name mismatch. The peer's text: cut short;
// provider_detail makes it one printable line.
std::string names_in(X509* cert) {
    if (cert == nullptr) {
        return {};
    }
    std::vector<std::string> names;
    auto* sans = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (sans != nullptr) {
        for (int i = 0; i < sk_GENERAL_NAME_num(sans); ++i) {
            const GENERAL_NAME* n = sk_GENERAL_NAME_value(sans, i);
            if (n->type == GEN_DNS) {
                const ASN1_STRING* s = n->d.dNSName;
                names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                   static_cast<std::size_t>(std::min(ASN1_STRING_length(s), 64)));
            } else if (n->type == GEN_IPADD && n->d.iPAddress->length == 4) {
                asio::ip::address_v4::bytes_type b{};
                std::copy_n(n->d.iPAddress->data, 4, b.begin());
                names.push_back(asio::ip::address_v4(b).to_string());
            } else if (n->type == GEN_IPADD && n->d.iPAddress->length == 16) {
                asio::ip::address_v6::bytes_type b{};
                std::copy_n(n->d.iPAddress->data, 16, b.begin());
                names.push_back(asio::ip::address_v6(b).to_string());
            }
        }
        GENERAL_NAMES_free(sans);
    }
    if (names.empty()) {
        std::array<char, 65> cn{};
        if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn.data(),
                                      static_cast<int>(cn.size())) > 0) {
            names.emplace_back(cn.data());
        }
    }
    std::string out;
    for (std::size_t i = 0; i < names.size() && i < 3; ++i) {
        out += (i == 0 ? "" : ", ") + names[i];
    }
    if (names.size() > 3) {
        out += ", ...";
    }
    return out;
}

bool is_address(const std::string& host) {
    error_code not_ip;
    asio::ip::make_address(host, not_ip);
    return !not_ip;
}

} // namespace

tls_context_or_problem make_tls_context(const std::string& ca_file) {
    try {
        auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
        SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
        error_code ec;
        context->set_verify_mode(ssl::verify_peer, ec);
        if (ca_file.empty()) {
            if (!ec) {
                context->set_default_verify_paths(ec);
            }
            if (ec) {
                return {nullptr, "tls: the system's CA store cannot be used: " + reason_of(ec)};
            }
            return {std::move(context), {}};
        }
        if (const auto why = unreadable(ca_file); !why.empty()) {
            return {nullptr, "ca_file: cannot read " + ca_file + ": " + why};
        }
        if (!ec) {
            context->load_verify_file(ca_file, ec);
        }
        if (ec) {
            return {nullptr, "ca_file: " + ca_file + " holds no PEM certificate (" + reason_of(ec) + ")"};
        }
        return {std::move(context), {}};
    } catch (const std::exception& e) {
        return {nullptr, std::string("tls: no TLS context: ") + e.what()};
    }
}

bool is_loopback_host(std::string_view host) {
    std::string lower(host);
    std::ranges::transform(lower, lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower == "localhost" || lower == "localhost.") {
        return true;
    }
    error_code not_ip;
    auto address = asio::ip::make_address(lower, not_ip);
    if (not_ip) {
        return false;
    }
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    }
    return address.is_loopback();
}

std::string credentials_sent(const outbound_settings& s) {
    const bool twilio = s.type == "twilio";
    std::vector<std::string> names;
    if (!s.username.empty()) {
        names.emplace_back(twilio ? "account_sid" : "username");
    }
    if (!s.password.empty()) {
        names.emplace_back(twilio ? "auth_token" : "password");
    }
    if (!s.api_key.empty()) {
        names.emplace_back("api_key");
    }
    if (s.type == "kannel" && !s.secret.empty() && !s.public_url.empty()) {
        names.emplace_back("secret (in the dlr-url)");
    }
    std::string out;
    for (const auto& n : names) {
        out += (out.empty() ? "" : ", ") + n;
    }
    return out;
}

endpoint_or_problem channel_endpoint(const outbound_settings& settings) {
    auto e = parse_endpoint(settings.send_url, "send_url");
    if (!e.where) {
        return e;
    }
    if (e.where->secure) {
        auto made = make_tls_context(settings.ca_file);
        if (!made.context) {
            return {std::nullopt, std::move(made.problem)};
        }
        e.where->tls = std::move(made.context);
        return e;
    }
    if (settings.allow_insecure || is_loopback_host(e.where->host)) {
        return e;
    }
    if (const auto sent = credentials_sent(settings); !sent.empty()) {
        return {std::nullopt, "send_url: refused: the channel's " + sent +
                                  " would travel unencrypted over http:// to " + e.where->host +
                                  ", which is not this machine; use https://, or set allow_insecure = true "
                                  "when the network to it is trusted"};
    }
    return e;
}

asio::awaitable<std::optional<exchange_result>> tls_handshake(tls_stream& stream, const endpoint& to) {
    const auto refused = [](std::string detail) {
        exchange_result r;
        r.failed = exchange_result::failure::tls;
        r.detail = std::move(detail);
        return r;
    };
    // What the host name check found, for the message: the verify callback runs inside OpenSSL.
    auto names = std::make_shared<std::string>();
    error_code ec;
    stream.set_verify_mode(ssl::verify_peer, ec);
    if (!ec) {
        stream.set_verify_callback(
            [check = ssl::host_name_verification(to.host), names](bool preverified, ssl::verify_context& v) {
                const bool ok = check(preverified, v);
                if (preverified && !ok) { // the chain is good, the leaf is not for this host
                    X509_STORE_CTX* x = v.native_handle();
                    *names = names_in(X509_STORE_CTX_get_current_cert(x));
                    X509_STORE_CTX_set_error(x, X509_V_ERR_HOSTNAME_MISMATCH);
                }
                return ok;
            },
            ec);
    }
    if (ec) {
        co_return refused("cannot set up verification: " + reason_of(ec));
    }
    if (!is_address(to.host) && SSL_set_tlsext_host_name(stream.native_handle(), to.host.c_str()) != 1) {
        co_return refused("cannot set the server name (SNI) " + to.host);
    }
    auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, tuple_awaitable);
    if (!handshake_ec) {
        co_return std::nullopt;
    }
    exchange_result r = failure_of(exchange_result::failure::tls, handshake_ec);
    if (r.failed != exchange_result::failure::tls) {
        co_return r; // timeout, cancelled
    }
    const long verified = SSL_get_verify_result(stream.native_handle());
    if (verified == X509_V_OK) {
        r.detail = reason_of(handshake_ec); // "wrong version number": not TLS, or no common protocol
        co_return r;
    }
    r.detail = "certificate verify failed (";
    if (verified == X509_V_ERR_HOSTNAME_MISMATCH) {
        r.detail += (is_address(to.host) ? "IP address mismatch" : "hostname mismatch");
        r.detail += ": the certificate is for " + (names->empty() ? std::string("no name") : *names) +
                    ", not " + to.host;
    } else {
        r.detail += X509_verify_cert_error_string(verified);
    }
    r.detail += ")";
    spdlog::warn("outbound: https://{}: tls: {}", to.host_header, r.detail);
    co_return r;
}

asio::awaitable<void> tls_shutdown(tls_stream& stream, std::chrono::steady_clock::time_point deadline) {
    error_code shutdown_ec; // ignored: eof, stream truncated, a reset or the cap
    stream.next_layer().expires_at(
        std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(2)));
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, shutdown_ec));
}

} // namespace kharuul::adapters::outbound_http
