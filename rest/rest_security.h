// Request checks the REST server applies before a request reaches RestApi: HTTP basic
// authentication (Kafka Connect's BasicAuthSecurityRestExtension) and CORS (the Jetty
// CrossOriginFilter Connect installs when `access.control.allow.origin` is set).
//
//   auto security = kanal::rest::RestSecurity::from(worker_config);  // reads the credentials file
//   if (!security.ok()) { /* message names the key or the file; exit 2 */ }
//   if (auto early = security->screen(method, headers)) { /* answer *early, stop */ }
//   security->decorate(headers, response);  // CORS headers on every other answer
//
// Basic auth is on when `rest.extension.classes` names
// org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension (or its
// simple name). The credentials come from the properties file named by
// `kanal.rest.basic.auth.credentials.file` (`user=password` or `user: password` lines, the format
// of Connect's PropertyFileLoginModule), read once at start. Passwords are compared in constant
// time. Any other `rest.extension.classes` entry is refused: kanal runs no Java extensions.
//
// Immutable after from(); thread-safe.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/worker_config.h"
#include "rest/http_message.h"

namespace kanal::rest {

inline constexpr std::string_view kBasicAuthExtension =
    "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension";
inline constexpr std::string_view kCredentialsFileKey = "kanal.rest.basic.auth.credentials.file";

// Request headers by lower-case name.
using HeaderLookup = std::map<std::string, std::string>;

class RestSecurity {
 public:
  // Reads `rest.extension.classes`, the credentials file and the CORS keys. kInvalidArgument
  // naming the key or file: an unknown extension, basic auth without a credentials file, a file
  // that cannot be read or holds no user.
  static Result<RestSecurity> from(const config::WorkerConfig& config);

  bool basic_auth_enabled() const { return !users_.empty(); }
  bool cors_enabled() const { return !allowed_origins_.empty(); }

  // The answer a request gets before routing, if any: a CORS preflight from an allowed origin
  // (204 with the CORS headers, no credentials needed, as Jetty's CrossOriginFilter answers it)
  // or, with basic auth on, 401 with `WWW-Authenticate: Basic realm="kanal"` and Connect's
  // error body for missing or wrong credentials (with the CORS headers of decorate()).
  // nullopt: let the request through.
  std::optional<HttpResponse> screen(std::string_view method, const HeaderLookup& headers) const;

  // Adds the CORS headers to `response` when the request's Origin is allowed. Not for answers
  // screen() gave: they have them.
  void decorate(const HeaderLookup& headers, HttpResponse& response) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  struct User {
    Digest name;
    Digest password;
  };

  bool authorized(const HeaderLookup& headers) const;
  bool origin_allowed(std::string_view origin) const;
  void add_cors_headers(std::string_view origin, HttpResponse& response) const;

  std::vector<User> users_;  // SHA-256 of each name and password; empty = basic auth off
  std::vector<std::string> allowed_origins_;  // empty = CORS off; entries may hold '*'
  std::string allowed_methods_;               // "GET,POST,HEAD" unless configured
};

}  // namespace kanal::rest
