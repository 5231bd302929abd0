// The HTTP client a worker uses to reach another worker's REST API (Kafka Connect's RestClient):
// a follower forwards writes to the leader, a worker sends a task restart to the task's owner.
//
//   kanal::rest::client::InternalReply r = kanal::rest::client::send_internal_request(
//       worker_config, "https://10.0.0.5:8443/", "DELETE", "/connectors/orders", "",
//       std::chrono::seconds(60));
//   if (r.status == 0) { /* r.body says why nothing was answered */ }
//
// https URLs use the worker's TLS settings (rest/client/tls_settings.h): the truststore (else
// the system CAs), the host name check and, when a keystore is set, a client certificate.
//
// The caller's credentials travel with forwarded requests, as Connect's RestClient copies the
// Authorization header: the REST server wraps each request it serves in a
// ScopedForwardedAuthorization, and send_internal_request() sends that header when its thread
// has one.
//
// Blocking (one connection per call, bounded by `timeout`); thread-safe; never throws.
#pragma once

#include <chrono>
#include <string>

#include "config/worker_config.h"

namespace kanal::rest::client {

struct InternalReply {
  int status = 0;    // HTTP status; 0 when no answer arrived
  std::string body;  // response body, or why no answer arrived (status 0)
};

// Sends `method` `path` (starting with '/', already percent-encoded) to `base_url`
// ("http://host:port/" or "https://host:port/", as advertised). A non-empty `body` is sent as
// application/json.
InternalReply send_internal_request(const config::WorkerConfig& config, const std::string& base_url,
                                    const std::string& method, const std::string& path,
                                    const std::string& body, std::chrono::milliseconds timeout);

// Makes `authorization` (an Authorization header value; empty for none) the header that
// send_internal_request() forwards on this thread until destroyed; the previous one is
// restored then. Scopes nest. Not movable.
class ScopedForwardedAuthorization {
 public:
  explicit ScopedForwardedAuthorization(std::string authorization);
  ~ScopedForwardedAuthorization();
  ScopedForwardedAuthorization(const ScopedForwardedAuthorization&) = delete;
  ScopedForwardedAuthorization& operator=(const ScopedForwardedAuthorization&) = delete;

  // The header in force on this thread; empty when none.
  static const std::string& current();

 private:
  std::string previous_;
};

}  // namespace kanal::rest::client
