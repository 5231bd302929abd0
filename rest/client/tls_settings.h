// TLS settings of the REST server's https listeners and of the inter-worker REST client, read
// from a worker config as Kafka Connect reads them, and applied to an OpenSSL SSL_CTX.
//
//   auto tls = kanal::rest::client::TlsSettings::from(worker_config);
//   if (!tls.ok()) { /* tls.status().message() names the key */ }
//   SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
//   Status s = kanal::rest::client::configure_server(ctx, *tls);  // names the file on failure
//
// Which keys: Connect's "all or nothing" rule (AbstractConfig.valuesWithPrefixAllOrNothing):
// when any `listeners.https.*` key is set, only `listeners.https.ssl.*` keys are read; otherwise
// the worker's top-level `ssl.*` keys. Supported: ssl.keystore.type (PEM only; unset means PEM),
// ssl.keystore.location (a PEM file holding the private key and the certificate chain),
// ssl.keystore.certificate.chain + ssl.keystore.key (inline PEM), ssl.key.password (encrypted
// key), ssl.truststore.type (PEM only), ssl.truststore.location (PEM CA file),
// ssl.truststore.certificates (inline PEM CAs), ssl.client.auth (none|requested|required),
// ssl.endpoint.identification.algorithm (client: "https" checks the peer's host name, empty
// does not). Other ssl.* keys are ignored.
//
// Value type, immutable after from(); functions are thread-safe for distinct SSL_CTX objects.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "config/worker_config.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace kanal::rest::client {

enum class ClientAuth { kNone, kRequested, kRequired };

struct TlsSettings {
  std::string prefix;  // "listeners.https." or "": where the keys were read, for messages
  std::string keystore_location;
  std::string keystore_certificate_chain;  // inline PEM
  std::string keystore_key;                // inline PEM
  std::string key_password;
  std::string truststore_location;
  std::string truststore_certificates;  // inline PEM
  ClientAuth client_auth = ClientAuth::kNone;
  bool verify_host_name = true;  // ssl.endpoint.identification.algorithm=https (default)

  // Reads and checks the keys (types, ssl.client.auth values, a key without a chain); does not
  // open files. kInvalidArgument naming the key ("Invalid value JKS for configuration
  // listeners.https.ssl.keystore.type: ...").
  static Result<TlsSettings> from(const config::WorkerConfig& config);

  bool has_keystore() const {
    return !keystore_location.empty() || !keystore_certificate_chain.empty();
  }
  bool has_truststore() const {
    return !truststore_location.empty() || !truststore_certificates.empty();
  }
  // The full key name as the user wrote it, e.g. key("ssl.keystore.location").
  std::string key(std::string_view name) const { return prefix + std::string(name); }
};

// Loads the certificate chain and private key (required), the trusted CAs when client auth is
// requested or required, and the client-auth mode into `ctx` (borrowed). kInvalidArgument
// naming the key and the file when a file is missing or unreadable, holds no certificate or no
// key, the key cannot be decrypted with ssl.key.password, or key and certificate do not match.
Status configure_server(ssl_ctx_st* ctx, const TlsSettings& settings);

// Peer verification for a client: the trusted CAs (the system's default CAs when no truststore
// is set) and, when a keystore is set, the client certificate presented to servers that ask.
// Host-name checking is per connection (see verify_host_name). Errors as configure_server().
Status configure_client(ssl_ctx_st* ctx, const TlsSettings& settings);

}  // namespace kanal::rest::client
