// RestServer: serves RestApi over HTTP on the worker's `listeners` with cpprestsdk.
//
//   kanal::rest::RestServer rest(worker_config, herder);
//   if (Status s = rest.start(); !s.ok()) { /* print s.message(), exit */ }
//   ... rest.advertised_url() == "http://host:8083/" ...
//   rest.stop();  // or let the destructor do it
//
// Listeners: `listeners` (default http://:8083; empty host = all interfaces; several allowed).
// `admin.listeners` unset → /admin/* served on `listeners`; empty → /admin/* disabled (404);
// otherwise /admin/* served only on those. Port 0 binds a free port: the server picks one by
// binding a probe socket first (cpprestsdk cannot report the port it bound), so bound_ports()
// gives real ports.
//
// Security (docs/operations.md, Security): https listeners take their certificate from
// `listeners.https.ssl.*` or `ssl.*` (rest/client/tls_settings.h); basic authentication and CORS
// are applied to every request before routing (rest/rest_security.h), so a request without valid
// credentials never reaches the herder.
//
// One access line per request on logger `kanal.rest.access` at INFO (event=rest.access method
// path status duration_ms); silence it with PUT /admin/loggers/kanal.rest.access {"level":"WARN"}.
//
// Lifetime: `herder` is borrowed and must outlive the server. The herder need not be ready when
// start() is called: GET /health answers 503 until Herder::ready(), so the executable may start
// REST first, then hand advertised_url() to the herder as its worker id.
// start()/stop() are for one owning thread; the getters are safe from any thread after start().
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/worker_config.h"
#include "herder/herder.h"

namespace kanal::rest {

class RestApi;

class RestServer {
 public:
  // Copies what it needs from `config`; `herder` is borrowed. Does not bind anything.
  RestServer(const config::WorkerConfig& config, herder::Herder& herder);
  // Calls stop().
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Checks the REST settings without binding anything: listeners, TLS (reads the certificate,
  // key and truststore files), rest.extension.classes and the credentials file. kInvalidArgument
  // naming the key or file. For start-up, before slower work; start() checks again.
  static Status check_config(const config::WorkerConfig& config);

  // Binds every listener and starts serving. kInvalidArgument for a malformed listener or bad
  // security settings (as check_config()); kUnavailable naming the listener when it cannot be
  // bound (port in use, unknown host). On failure nothing stays bound. Calling start() twice is
  // a bug (kInternal).
  Status start();
  // Stops accepting, then waits (up to 2 minutes) for requests in flight to finish, so no
  // handler touches the herder afterwards. Idempotent.
  void stop();

  // Ports actually bound, in the order of `listeners` then `admin.listeners`. Empty before start.
  std::vector<int> bound_ports() const;
  // The URL other workers use for this one, e.g. "http://10.0.0.5:8083/" (see
  // advertised_url() in rest/listener.h). Empty before start.
  std::string advertised_url() const;
  // The routing layer, e.g. for its route table.
  const RestApi& api() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kanal::rest
