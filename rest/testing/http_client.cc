#include "rest/testing/http_client.h"

#include <cpprest/http_client.h>

namespace kanal::rest::testing {

HttpResult request(std::string_view method, std::string_view url, std::string_view body,
                   std::string_view content_type, std::chrono::milliseconds timeout) {
  HttpResult out;
  try {
    web::uri uri{std::string(url)};
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout));
    web::http::client::http_client client(uri.authority(), config);
    web::http::http_request req{std::string(method)};
    req.set_request_uri(uri.resource());
    if (!body.empty()) req.set_body(std::string(body), std::string(content_type));
    web::http::http_response resp = client.request(req).get();
    out.status = resp.status_code();
    for (const auto& [k, v] : resp.headers()) out.headers[k] = v;
    out.body = resp.extract_utf8string(true).get();
  } catch (const std::exception& e) {
    out.status = 0;
    out.body = e.what();
  }
  return out;
}

}  // namespace kanal::rest::testing
