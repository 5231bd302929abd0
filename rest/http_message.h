// The request and response the REST layer works with, free of any HTTP library, plus the one
// function that turns an error into Kafka Connect's error body. Value types; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kanal::rest {

struct HttpRequest {
  std::string method;  // "GET", "POST", ... as sent
  std::string path;    // raw (still percent-encoded), without the query, e.g. "/connectors/a%20b"
  std::string query;   // raw, without '?'; empty when none
  std::string body;    // raw bytes; empty when none
  std::string content_type;  // Content-Type header; empty when absent
  std::string base_url;      // "http://host:port" as the client addressed us (for Location)
};

struct HttpResponse {
  int status = 200;
  std::string body;  // compact JSON unless content_type says otherwise; empty means no body
  // Content-Type of a non-JSON body, e.g. "text/plain; version=0.0.4"; empty = application/json.
  std::string content_type;
  // Extra headers (Location, Allow). Content-Type application/json is implied by a body.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Connect's error body {"error_code":<status>,"message":"..."}; the two numbers always match.
HttpResponse error_response(int http_status, std::string_view message);
// The same for a failed Status: http_status() gives the code (400/404/409/500). `status` must
// not be OK (a bug; answered as 500).
HttpResponse error_response(const Status& status);

// A 200 (or `http_status`) response carrying `json`.
HttpResponse json_response(std::string json, int http_status = 200);
// A response without a body (204, 202).
HttpResponse empty_response(int http_status);

}  // namespace kanal::rest
