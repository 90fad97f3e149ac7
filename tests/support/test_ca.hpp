// Certificates made by a test with OpenSSL's API, nothing on disk but what the test writes: a
// certificate authority (an EC P-256 key and a self-signed CA certificate) that issues server
// certificates for the names a test asks for (DNS names, or IP addresses such as "127.0.0.1"),
// valid from an hour ago for a day (or already expired), and self-signed server certificates
// that no CA vouches for. And the TLS server context a loopback stand-in serves one with.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace kharuul::testing {

// A certificate and its key, as PEM text.
struct issued_certificate {
    std::string cert_pem;
    std::string key_pem;
};

namespace test_ca_detail {

struct key_free {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct cert_free {
    void operator()(X509* c) const { X509_free(c); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, key_free>;
using cert_ptr = std::unique_ptr<X509, cert_free>;

inline void check(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string("test_ca: ") + what + " failed");
}

inline key_ptr new_key() {
    key_ptr k(EVP_EC_gen("P-256"));
    check(k != nullptr, "EVP_EC_gen");
    return k;
}

inline void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

// "DNS:localhost,IP:127.0.0.1" for {"localhost", "127.0.0.1"}.
inline std::string subject_alt_names(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        boost::system::error_code not_ip;
        boost::asio::ip::make_address(n, not_ip);
        out += (out.empty() ? "" : ",") + std::string(not_ip ? "DNS:" : "IP:") + n;
    }
    return out;
}

// A certificate for `subject` with `key`, signed by `issuer_key` (issuer: `issuer`, or itself).
inline cert_ptr make_cert(const std::string& subject, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                          bool is_ca, const std::vector<std::string>& names, long valid_from_s,
                          long valid_to_s) {
    static long serial = 1;
    cert_ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial++);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), valid_from_s);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), valid_to_s);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(subject.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509* signer = issuer != nullptr ? issuer : cert.get();
    add_extension(cert.get(), signer, NID_basic_constraints,
                  is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_extension(cert.get(), signer, NID_key_usage,
                  is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (!is_ca) {
        add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth");
        add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    }
    if (!names.empty())
        add_extension(cert.get(), signer, NID_subject_alt_name, subject_alt_names(names));
    check(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

inline std::string pem_of(X509* cert) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
}

inline std::string pem_of(EVP_PKEY* key) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
}

} // namespace test_ca_detail

class test_ca {
public:
    explicit test_ca(std::string name = "kharuul test CA")
        : key_(test_ca_detail::new_key()),
          cert_(test_ca_detail::make_cert(name, key_.get(), nullptr, key_.get(), true, {}, -3600, 86400)) {}

    // The CA's certificate, what a channel's ca_file holds.
    std::string cert_pem() const { return test_ca_detail::pem_of(cert_.get()); }

    // A server certificate for `names`, signed by this CA; `expired`: its validity ended an hour ago.
    issued_certificate issue(const std::vector<std::string>& names, bool expired = false) const {
        auto key = test_ca_detail::new_key();
        auto cert = test_ca_detail::make_cert(names.empty() ? "server" : names.front(), key.get(),
                                              cert_.get(), key_.get(), false, names, expired ? -86400 : -3600,
                                              expired ? -3600 : 86400);
        return {test_ca_detail::pem_of(cert.get()), test_ca_detail::pem_of(key.get())};
    }

    // A server certificate for `names` that signs itself: no CA anywhere trusts it.
    static issued_certificate self_signed(const std::vector<std::string>& names) {
        auto key = test_ca_detail::new_key();
        auto cert = test_ca_detail::make_cert(names.empty() ? "server" : names.front(), key.get(), nullptr,
                                              key.get(), false, names, -3600, 86400);
        return {test_ca_detail::pem_of(cert.get()), test_ca_detail::pem_of(key.get())};
    }

private:
    test_ca_detail::key_ptr key_;
    test_ca_detail::cert_ptr cert_;
};

// Writes `text` to `path` (a test's ca_file).
inline void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

// A TLS server context that presents `served`.
inline std::shared_ptr<boost::asio::ssl::context> server_context(const issued_certificate& served) {
    auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    ctx->use_certificate_chain(boost::asio::buffer(served.cert_pem));
    ctx->use_private_key(boost::asio::buffer(served.key_pem), boost::asio::ssl::context::pem);
    return ctx;
}

} // namespace kharuul::testing
