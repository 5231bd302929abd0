// A blocking HTTP client for end-to-end tests of the REST API (cpprestsdk's http_client).
//
//   auto r = kanal::rest::testing::request("POST", base + "/connectors", R"({"name":"a",...})");
//   EXPECT_EQ(r.status, 201);
//
// https and extra headers (credentials, Origin):
//
//   auto r = kanal::rest::testing::request("GET", "https://127.0.0.1:8443/", "",
//                                          {.ca_file = dir / "ca.pem",
//                                           .headers = {{"Authorization", basic_auth("u", "p")}}});
//
// Thread-safe (each call has its own client). Never throws: a transport failure (refused,
// timed out, untrusted certificate) gives status 0 and the error text in `body`.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace kanal::rest::testing {

struct HttpResult {
  int status = 0;                              // HTTP status; 0 when no answer arrived
  std::string body;                            // response body as sent (or the transport error)
  std::map<std::string, std::string> headers;  // response headers, names as sent
};

// Sends `method` to `url` ("http://127.0.0.1:8083/connectors?expand=status"; path segments
// already percent-encoded, see percent_encode_segment() in rest/url.h). A non-empty `body`
// goes with Content-Type `content_type`.
HttpResult request(std::string_view method, std::string_view url, std::string_view body = "",
                   std::string_view content_type = "application/json",
                   std::chrono::milliseconds timeout = std::chrono::seconds(100));

struct RequestOptions {
  std::string content_type = "application/json";  // of a non-empty body
  std::chrono::milliseconds timeout = std::chrono::seconds(100);
  // https: PEM file of the CAs to trust (the server's name or IP must be in its certificate).
  // Empty: the system's CAs.
  std::filesystem::path ca_file = {};
  std::map<std::string, std::string> headers = {};  // sent as given: Authorization, Origin, ...
};

// As above, with the options.
HttpResult request(std::string_view method, std::string_view url, std::string_view body,
                   const RequestOptions& options);

// The Authorization header value for HTTP basic authentication: "Basic base64(user:password)".
std::string basic_auth(std::string_view user, std::string_view password);

}  // namespace kanal::rest::testing
