// How kanalctl talks to a worker: one blocking HTTP request at a time.
//
// Transport is the seam: HttpTransport sends real requests with cpprestsdk; tests substitute a
// scripted one. Nothing here interprets Connect's answers (commands.h does).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace kanal::ctl {

struct Response {
  int status = 0;    // HTTP status
  std::string body;  // as received (may be empty: 202/204)
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends `method` to `path_and_query` ("/connectors/a%20b/status", already percent-encoded)
  // below the worker's base URL, with `body` as application/json when non-empty. Any HTTP
  // answer, including 4xx/5xx, is a Response. Fails with kUnavailable, the message naming the
  // URL, when no answer arrives (refused, unresolvable host, TLS failure, timeout).
  virtual Result<Response> send(std::string_view method, std::string_view path_and_query,
                                std::string_view body) = 0;
};

// A Transport over cpprestsdk's http_client. `base_url` is "http[s]://[user:password@]host:port
// [/prefix]"; user info becomes an HTTP basic Authorization header and is never printed.
// A non-empty `ca_file` (PEM) is the set of CAs trusted for https instead of the system's.
// Fails with kInvalidArgument when the URL cannot be parsed or `ca_file` cannot be read.
Result<std::unique_ptr<Transport>> make_http_transport(
    const std::string& base_url, const std::string& ca_file = "",
    std::chrono::seconds timeout = std::chrono::seconds(120));

// Encodes everything but RFC 3986 unreserved characters, so `text` is one path segment
// ("my sink/1" → "my%20sink%2F1").
std::string encode_segment(std::string_view text);

// `url` without its user info ("http://u:p@h:1" → "http://h:1"), for messages.
std::string redact_url(std::string_view url);

}  // namespace kanal::ctl
