#include "rest/client/tls_settings.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

namespace kanal::rest::client {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct X509Deleter {
  void operator()(X509* x) const noexcept { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

constexpr const char* kPemOnly =
    "kanal reads PEM only; convert a JKS or PKCS12 store with keytool and openssl (see "
    "docs/operations.md, Security)";

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The first queued OpenSSL error as text; clears the queue.
std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Kafka accepts inline PEM values written on one line (a properties file joins continued lines
// and drops their leading blanks); OpenSSL wants the base64 body in lines. Rewraps every
// -----BEGIN X----- ... -----END X----- block; other text is dropped.
std::string normalize_inline_pem(std::string_view in) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t begin = in.find("-----BEGIN ", pos);
    if (begin == std::string_view::npos) break;
    size_t label_end = in.find("-----", begin + 11);
    if (label_end == std::string_view::npos) break;
    std::string label(in.substr(begin + 11, label_end - begin - 11));
    std::string end_marker = "-----END " + label + "-----";
    size_t end = in.find(end_marker, label_end + 5);
    if (end == std::string_view::npos) break;
    std::string body;
    for (char c : in.substr(label_end + 5, end - label_end - 5)) {
      if (!std::isspace(static_cast<unsigned char>(c))) body += c;
    }
    out += "-----BEGIN " + label + "-----\n";
    for (size_t i = 0; i < body.size(); i += 64) out += body.substr(i, 64) + "\n";
    out += end_marker + "\n";
    pos = end + end_marker.size();
  }
  return out;
}

Result<std::string> read_file(const std::string& key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::invalid_argument("Cannot read " + key + " '" + path +
                                    "': " + std::strerror(errno));
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The certificate chain and private key, as text, with a description for messages.
struct KeyMaterial {
  std::string chain;
  std::string key;
  std::string chain_source;  // "listeners.https.ssl.keystore.location '/etc/kanal/rest.pem'"
  std::string key_source;
};

Result<KeyMaterial> key_material(const TlsSettings& s) {
  KeyMaterial m;
  if (!s.keystore_location.empty()) {
    auto text = read_file(s.key("ssl.keystore.location"), s.keystore_location);
    if (!text.ok()) return text.status();
    m.chain = m.key = std::move(text).value();
    m.chain_source = m.key_source =
        s.key("ssl.keystore.location") + " '" + s.keystore_location + "'";
  } else {
    m.chain = normalize_inline_pem(s.keystore_certificate_chain);
    m.key = normalize_inline_pem(s.keystore_key);
    m.chain_source = s.key("ssl.keystore.certificate.chain");
    m.key_source = s.key("ssl.keystore.key");
  }
  return m;
}

int password_callback(char* buf, int size, int /*rwflag*/, void* user) {
  const auto* password = static_cast<const std::string*>(user);
  int n = std::min(size, static_cast<int>(password->size()));
  std::memcpy(buf, password->data(), static_cast<size_t>(n));
  return n;
}

Status use_key_material(SSL_CTX* ctx, const TlsSettings& s) {
  auto m = key_material(s);
  if (!m.ok()) return m.status();
  BioPtr chain(BIO_new_mem_buf(m->chain.data(), static_cast<int>(m->chain.size())));
  X509Ptr leaf(PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr));
  if (!leaf) {
    ERR_clear_error();
    return Status::invalid_argument(m->chain_source + " holds no PEM certificate; " + kPemOnly);
  }
  if (SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    return Status::invalid_argument("Cannot use the certificate of " + m->chain_source + ": " +
                                    openssl_error());
  }
  SSL_CTX_clear_chain_certs(ctx);
  while (X509* extra = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
      return Status::invalid_argument("Cannot use the certificate chain of " + m->chain_source +
                                      ": " + openssl_error());
    }
  }
  ERR_clear_error();  // the loop ends on "no start line"

  BioPtr key_bio(BIO_new_mem_buf(m->key.data(), static_cast<int>(m->key.size())));
  std::string password = s.key_password;
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, password_callback, &password));
  if (!key) {
    std::string why = openssl_error();
    if (m->key.find("ENCRYPTED") != std::string::npos) {
      return Status::invalid_argument("Cannot decrypt the private key in " + m->key_source +
                                      ": wrong or missing " + s.key("ssl.key.password") + " (" +
                                      why + ")");
    }
    return Status::invalid_argument(m->key_source + " holds no PEM private key; " + kPemOnly);
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return Status::invalid_argument("The private key in " + m->key_source +
                                    " does not match the certificate in " + m->chain_source + ": " +
                                    openssl_error());
  }
  return Status::OK();
}

// Trusted CAs: the truststore when set, else the system's defaults.
Status use_trust(SSL_CTX* ctx, const TlsSettings& s, bool server) {
  if (!s.has_truststore()) {
    SSL_CTX_set_default_verify_paths(ctx);
    return Status::OK();
  }
  if (!s.truststore_location.empty()) {
    std::string key = s.key("ssl.truststore.location");
    auto text = read_file(key, s.truststore_location);
    if (!text.ok()) return text.status();
    if (SSL_CTX_load_verify_locations(ctx, s.truststore_location.c_str(), nullptr) != 1) {
      ERR_clear_error();
      return Status::invalid_argument(key + " '" + s.truststore_location +
                                      "' holds no PEM certificate; " + kPemOnly);
    }
    if (server) {
      // Tells clients which CAs' certificates the server accepts.
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(s.truststore_location.c_str());
      if (names != nullptr) SSL_CTX_set_client_CA_list(ctx, names);
      ERR_clear_error();
    }
  }
  if (!s.truststore_certificates.empty()) {
    std::string pem = normalize_inline_pem(s.truststore_certificates);
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
      if (X509_STORE_add_cert(store, cert.get()) == 1) ++added;
    }
    ERR_clear_error();
    if (added == 0) {
      return Status::invalid_argument(s.key("ssl.truststore.certificates") +
                                      " holds no PEM certificate; " + kPemOnly);
    }
  }
  return Status::OK();
}

}  // namespace

Result<TlsSettings> TlsSettings::from(const config::WorkerConfig& config) {
  const config::ConfigMap& all = config.originals();
  TlsSettings s;
  // Connect's valuesWithPrefixAllOrNothing("listeners.https."): any such key switches over.
  auto first = all.lower_bound("listeners.https.");
  if (first != all.end() && first->first.starts_with("listeners.https.")) {
    s.prefix = "listeners.https.";
  }
  auto get = [&](std::string_view name) -> std::string {
    auto it = all.find(s.key(name));
    return it == all.end() ? std::string() : std::string(config::trim(it->second));
  };
  auto invalid = [&](std::string_view name, const std::string& value, const std::string& why) {
    return Status::invalid_argument("Invalid value " + value + " for configuration " + s.key(name) +
                                    ": " + why);
  };
  for (std::string_view type_key : {"ssl.keystore.type", "ssl.truststore.type"}) {
    std::string type = get(type_key);
    if (!type.empty() && lower(type) != "pem") return invalid(type_key, type, kPemOnly);
  }
  s.keystore_location = get("ssl.keystore.location");
  s.keystore_certificate_chain = get("ssl.keystore.certificate.chain");
  s.keystore_key = get("ssl.keystore.key");
  s.key_password = get("ssl.key.password");
  s.truststore_location = get("ssl.truststore.location");
  s.truststore_certificates = get("ssl.truststore.certificates");
  if (!s.keystore_location.empty() &&
      (!s.keystore_certificate_chain.empty() || !s.keystore_key.empty())) {
    return Status::invalid_argument("Set either " + s.key("ssl.keystore.location") + " or " +
                                    s.key("ssl.keystore.certificate.chain") + " with " +
                                    s.key("ssl.keystore.key") + ", not both");
  }
  if (s.keystore_certificate_chain.empty() != s.keystore_key.empty()) {
    return Status::invalid_argument(s.key("ssl.keystore.certificate.chain") + " and " +
                                    s.key("ssl.keystore.key") + " must be set together");
  }
  std::string auth = lower(get("ssl.client.auth"));
  if (auth.empty() || auth == "none") {
    s.client_auth = ClientAuth::kNone;
  } else if (auth == "requested") {
    s.client_auth = ClientAuth::kRequested;
  } else if (auth == "required") {
    s.client_auth = ClientAuth::kRequired;
  } else {
    return invalid("ssl.client.auth", get("ssl.client.auth"),
                   "must be one of none, requested, required");
  }
  auto identification = all.find(s.key("ssl.endpoint.identification.algorithm"));
  s.verify_host_name = identification == all.end() || !config::trim(identification->second).empty();
  return s;
}

Status configure_server(ssl_ctx_st* ctx, const TlsSettings& s) {
  if (!s.has_keystore()) {
    return Status::invalid_argument(
        "An https listener needs a certificate: set " + s.key("ssl.keystore.location") +
        " (a PEM file with the private key and the certificate chain) or " +
        s.key("ssl.keystore.certificate.chain") + " and " + s.key("ssl.keystore.key"));
  }
  if (Status st = use_key_material(ctx, s); !st.ok()) return st;
  // Connect's default ssl.enabled.protocols: TLSv1.2,TLSv1.3.
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  switch (s.client_auth) {
    case ClientAuth::kNone:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
      return Status::OK();
    case ClientAuth::kRequested:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
      break;
    case ClientAuth::kRequired:
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
      break;
  }
  return use_trust(ctx, s, true);
}

Status configure_client(ssl_ctx_st* ctx, const TlsSettings& s) {
  if (Status st = use_trust(ctx, s, false); !st.ok()) return st;
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (s.has_keystore()) return use_key_material(ctx, s);
  return Status::OK();
}

}  // namespace kanal::rest::client
