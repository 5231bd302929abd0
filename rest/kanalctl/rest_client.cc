#include "rest/kanalctl/rest_client.h"

#include <cpprest/http_client.h>

#include <fstream>
#include <vector>

#include "rest/url.h"

namespace kanal::ctl {
namespace {

class HttpTransport final : public Transport {
 public:
  HttpTransport(web::uri base, std::string display_url, std::string authorization,
                std::string ca_file, std::chrono::seconds timeout)
      : base_(std::move(base)),
        display_url_(std::move(display_url)),
        authorization_(std::move(authorization)),
        ca_file_(std::move(ca_file)),
        timeout_(timeout) {}

  Result<Response> send(std::string_view method, std::string_view path_and_query,
                        std::string_view body) override {
    try {
      web::http::client::http_client_config config;
      config.set_timeout(std::chrono::duration_cast<std::chrono::microseconds>(timeout_));
      if (!ca_file_.empty()) {
        config.set_ssl_context_callback(
            [ca = ca_file_](boost::asio::ssl::context& ctx) { ctx.load_verify_file(ca); });
      }
      web::http::client::http_client client(base_, config);
      web::http::http_request req{std::string(method)};
      req.set_request_uri(std::string(path_and_query));
      req.headers().add("Accept", "application/json");
      if (!authorization_.empty()) req.headers().add("Authorization", authorization_);
      if (!body.empty()) req.set_body(std::string(body), "application/json");
      web::http::http_response resp = client.request(req).get();
      Response out;
      out.status = resp.status_code();
      out.body = resp.extract_utf8string(true).get();
      return out;
    } catch (const std::exception& e) {
      return Status::unavailable("cannot reach the worker at " + display_url_ + ": " + e.what());
    }
  }

 private:
  web::uri base_;
  std::string display_url_;
  std::string authorization_;  // "Basic ..." or empty
  std::string ca_file_;        // empty: the system's CAs
  std::chrono::seconds timeout_;
};

}  // namespace

std::string encode_segment(std::string_view text) { return rest::percent_encode_segment(text); }

std::string redact_url(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  size_t authority_start = scheme_end + 3;
  size_t authority_end = url.find('/', authority_start);
  std::string_view authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                               ? std::string_view::npos
                                                               : authority_end - authority_start);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, authority_start)) +
         std::string(url.substr(authority_start + at + 1));
}

Result<std::unique_ptr<Transport>> make_http_transport(const std::string& base_url,
                                                       const std::string& ca_file,
                                                       std::chrono::seconds timeout) {
  std::string display = redact_url(base_url);
  if (!ca_file.empty() && !std::ifstream(ca_file)) {
    return Status::invalid_argument("--cacert " + ca_file + ": cannot read the file");
  }
  try {
    web::uri uri(base_url);
    std::string authorization;
    if (!uri.user_info().empty()) {
      // user_info is percent-encoded as typed; credentials go out decoded.
      std::string user_info = web::uri::decode(uri.user_info());
      std::vector<unsigned char> bytes(user_info.begin(), user_info.end());
      authorization = "Basic " + utility::conversions::to_base64(bytes);
      uri = web::uri_builder(uri).set_user_info("").to_uri();
    }
    return std::unique_ptr<Transport>(new HttpTransport(
        std::move(uri), std::move(display), std::move(authorization), ca_file, timeout));
  } catch (const std::exception& e) {
    return Status::invalid_argument("invalid worker URL '" + display + "': " + e.what());
  }
}

}  // namespace kanal::ctl
