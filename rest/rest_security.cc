#include "rest/rest_security.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config/config_file.h"

namespace kanal::rest {
namespace {

constexpr std::string_view kBasicAuthSimpleName = "BasicAuthSecurityRestExtension";
// Jetty's CrossOriginFilter default, which Connect keeps when access.control.allow.methods is "".
constexpr std::string_view kDefaultCorsMethods = "GET,POST,HEAD";
// Jetty's default allowed headers plus Authorization, so a page can send credentials.
constexpr std::string_view kCorsAllowedHeaders =
    "X-Requested-With,Content-Type,Accept,Origin,Authorization";
// Connect's JaasBasicAuthFilter answers this text; kanal wraps it in Connect's error body.
constexpr std::string_view kUnauthorizedMessage = "User cannot access the resource.";

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::string* header(const HeaderLookup& headers, std::string_view lower_name) {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? nullptr : &it->second;
}

std::array<unsigned char, 32> sha256(std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

// Standard base64 (RFC 4648) with optional padding; nullopt on any other character.
std::optional<std::string> decode_base64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// '*' in `pattern` matches any run of characters (Jetty accepts "https://*.example.com").
bool glob_match(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

Result<RestSecurity> RestSecurity::from(const config::WorkerConfig& config) {
  RestSecurity out;
  const config::ParsedConfig& p = config.parsed();
  bool basic_auth = false;
  for (const std::string& cls : p.get_list("rest.extension.classes")) {
    if (cls == kBasicAuthExtension || cls == kBasicAuthSimpleName) {
      basic_auth = true;
    } else {
      return Status::invalid_argument(
          "Invalid value " + cls +
          " for configuration rest.extension.classes: kanal runs no Java REST extensions; the "
          "only one supported is " +
          std::string(kBasicAuthExtension) + " (HTTP basic authentication, see " +
          std::string(kCredentialsFileKey) + ")");
    }
  }
  std::string file = p.get_string(kCredentialsFileKey);
  if (basic_auth) {
    if (file.empty()) {
      return Status::invalid_argument(
          "rest.extension.classes names BasicAuthSecurityRestExtension but " +
          std::string(kCredentialsFileKey) +
          " is not set: name a properties file of user=password lines");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return Status::invalid_argument("Cannot read " + std::string(kCredentialsFileKey) + " '" +
                                      file + "': " + std::strerror(errno));
    }
    std::ostringstream text;
    text << in.rdbuf();
    for (const auto& [user, password] : config::parse_properties(text.str())) {
      out.users_.push_back(User{sha256(user), sha256(password)});
    }
    if (out.users_.empty()) {
      // Connect lets every request through when this file is empty; kanal refuses to start,
      // since an empty file is almost always a mistake that would leave the API open.
      return Status::invalid_argument(std::string(kCredentialsFileKey) + " '" + file +
                                      "' holds no user; add user=password lines");
    }
  } else if (!file.empty()) {
    return Status::invalid_argument(
        std::string(kCredentialsFileKey) + " is set but basic authentication is off: add " +
        std::string(kBasicAuthExtension) + " to rest.extension.classes");
  }
  out.allowed_origins_ = config::split_list(p.get_string("access.control.allow.origin"));
  std::string methods;
  for (const std::string& m : config::split_list(p.get_string("access.control.allow.methods"))) {
    methods += (methods.empty() ? "" : ",") + m;
  }
  out.allowed_methods_ = methods.empty() ? std::string(kDefaultCorsMethods) : methods;
  return out;
}

bool RestSecurity::authorized(const HeaderLookup& headers) const {
  const std::string* value = header(headers, "authorization");
  if (value == nullptr) return false;
  std::string_view v = config::trim(*value);
  size_t space = v.find(' ');
  if (space == std::string_view::npos || lower(v.substr(0, space)) != "basic") return false;
  auto decoded = decode_base64(config::trim(v.substr(space + 1)));
  if (!decoded) return false;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  Digest name = sha256(std::string_view(*decoded).substr(0, colon));
  Digest password = sha256(std::string_view(*decoded).substr(colon + 1));
  // Every entry is compared in full so the time taken says nothing about which part differed.
  int matched = 0;
  for (const User& u : users_) {
    int same_name = CRYPTO_memcmp(u.name.data(), name.data(), name.size()) == 0;
    int same_password = CRYPTO_memcmp(u.password.data(), password.data(), password.size()) == 0;
    matched |= same_name & same_password;
  }
  return matched != 0;
}

bool RestSecurity::origin_allowed(std::string_view origin) const {
  for (const std::string& allowed : allowed_origins_) {
    if (allowed == "*" || glob_match(allowed, origin)) return true;
  }
  return false;
}

void RestSecurity::add_cors_headers(std::string_view origin, HttpResponse& response) const {
  response.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
  response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  response.headers.emplace_back("Access-Control-Allow-Methods", allowed_methods_);
  response.headers.emplace_back("Vary", "Origin");
}

std::optional<HttpResponse> RestSecurity::screen(std::string_view method,
                                                 const HeaderLookup& headers) const {
  const std::string* origin = header(headers, "origin");
  const std::string* wanted = header(headers, "access-control-request-method");
  if (cors_enabled() && method == "OPTIONS" && origin != nullptr && wanted != nullptr &&
      origin_allowed(*origin)) {
    for (const std::string& m : config::split_list(allowed_methods_)) {
      if (m == config::trim(*wanted)) {
        HttpResponse preflight = empty_response(204);
        add_cors_headers(*origin, preflight);
        preflight.headers.emplace_back("Access-Control-Allow-Headers",
                                       std::string(kCorsAllowedHeaders));
        preflight.headers.emplace_back("Access-Control-Max-Age", "1800");
        return preflight;
      }
    }
  }
  if (basic_auth_enabled() && !authorized(headers)) {
    HttpResponse denied = error_response(401, kUnauthorizedMessage);
    denied.headers.emplace_back("WWW-Authenticate", "Basic realm=\"kanal\", charset=\"UTF-8\"");
    decorate(headers, denied);  // lets a page from an allowed origin read the 401
    return denied;
  }
  return std::nullopt;
}

void RestSecurity::decorate(const HeaderLookup& headers, HttpResponse& response) const {
  if (!cors_enabled()) return;
  const std::string* origin = header(headers, "origin");
  if (origin != nullptr && origin_allowed(*origin)) add_cors_headers(*origin, response);
}

}  // namespace kanal::rest
