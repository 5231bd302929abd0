#include "rest/testing/http_client.h"

#include <cpprest/http_client.h>

#include <vector>

namespace kanal::rest::testing {

HttpResult request(std::string_view method, std::string_view url, std::string_view body,
                   std::string_view content_type, std::chrono::milliseconds timeout) {
  return request(method, url, body,
                 RequestOptions{.content_type = std::string(content_type), .timeout = timeout});
}

HttpResult request(std::string_view method, std::string_view url, std::string_view body,
                   const RequestOptions& options) {
  HttpResult out;
  try {
    web::uri uri{std::string(url)};
    web::http::client::http_client_config config;
    config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(options.timeout));
    if (!options.ca_file.empty()) {
      std::string ca = options.ca_file.string();
      config.set_ssl_context_callback(
          [ca](boost::asio::ssl::context& ctx) { ctx.load_verify_file(ca); });
    }
    web::http::client::http_client client(uri.authority(), config);
    web::http::http_request req{std::string(method)};
    req.set_request_uri(uri.resource());
    for (const auto& [k, v] : options.headers) req.headers().add(k, v);
    if (!body.empty()) req.set_body(std::string(body), options.content_type);
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

std::string basic_auth(std::string_view user, std::string_view password) {
  std::string plain = std::string(user) + ":" + std::string(password);
  std::vector<unsigned char> bytes(plain.begin(), plain.end());
  return "Basic " + utility::conversions::to_base64(bytes);
}

}  // namespace kanal::rest::testing
