#include "runtime/client_overrides.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>

namespace kanal::runtime {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 3> kOverridePrefixes = {
    "producer.override.", "consumer.override.", "admin.override."};

// librdkafka settings that load a shared library or run a command: never from a connector.
constexpr std::array<std::string_view, 5> kAlwaysRefused = {
    "plugin.library.paths",  // loads librdkafka plugins (arbitrary code)
    "sasl.kerberos.kinit.cmd",
    "ssl.engine.location",  // loads an OpenSSL engine (arbitrary code)
    "ssl_engine_location",  // the old spelling librdkafka still accepts
    "ssl.providers",        // loads OpenSSL 3 providers
};

// Settings that name a local file or directory the client reads (librdkafka's and the Java
// client's spellings). Any other key ending in .location, .keytab or .file counts too.
constexpr std::array<std::string_view, 12> kPathKeys = {
    "ssl.ca.location",
    "ssl.key.location",
    "ssl.certificate.location",
    "ssl.keystore.location",
    "ssl.crl.location",
    "ssl.truststore.location",
    "sasl.kerberos.keytab",
    "https.ca.location",
    "ssl.ca.directory",
    "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.jwt.template.file",
    "ssl.ca.certificate.stores",
};

bool is_path_key(std::string_view k) {
  return std::find(kPathKeys.begin(), kPathKeys.end(), k) != kPathKeys.end() ||
         k.ends_with(".location") || k.ends_with(".keytab") || k.ends_with(".file");
}

// The override setting behind a connector key, or "" for a key that is no override.
std::string_view setting_of(std::string_view key) {
  for (std::string_view p : kOverridePrefixes) {
    if (key.starts_with(p)) return key.substr(p.size());
  }
  return {};
}

std::string describe(const std::vector<std::string>& allowed) {
  std::string out;
  for (const std::string& a : allowed) out += (out.empty() ? "" : ",") + a;
  return out;
}

bool below_allowed(const std::string& value, const std::vector<std::string>& allowed) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(fs::path(value), ec), ec);
  if (ec || !fs::path(value).is_absolute()) return false;
  for (const std::string& a : allowed) {
    fs::path root = fs::weakly_canonical(fs::path(a), ec);
    if (ec || !fs::path(a).is_absolute()) continue;
    auto pi = p.begin();
    bool inside = true;
    for (auto ri = root.begin(); ri != root.end() && inside; ++ri, ++pi) {
      if (ri->empty()) continue;
      inside = pi != p.end() && *pi == *ri;
    }
    if (inside) return true;
  }
  return false;
}

std::optional<std::string> refusal(std::string_view key, std::string_view setting,
                                   const std::string& value,
                                   const std::vector<std::string>& allowed) {
  if (std::find(kAlwaysRefused.begin(), kAlwaysRefused.end(), setting) != kAlwaysRefused.end()) {
    return "'" + std::string(key) + "' may not be set by a connector: '" + std::string(setting) +
           "' makes the worker's Kafka client load code or run a command. Set it in the worker "
           "config instead.";
  }
  if (!is_path_key(setting)) return std::nullopt;
  // librdkafka's "probe" looks for the system's CA bundle; it names no file of the user's.
  if (setting == "ssl.ca.location" && value == "probe") return std::nullopt;
  if (!allowed.empty() && below_allowed(value, allowed)) return std::nullopt;
  std::string msg = "'" + std::string(key) + "' names a local file, and ";
  if (allowed.empty()) {
    return msg +
           "connectors may not name local files for the worker's Kafka clients; list the "
           "directory in the worker's kanal.connector.client.config.allowed.paths to allow it.";
  }
  return msg + "the path is not below kanal.connector.client.config.allowed.paths [" +
         describe(allowed) + "].";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> check_override_policy(const std::string& policy,
                                                                       const config::ConfigMap& c) {
  std::vector<std::pair<std::string, std::string>> errors;
  std::string p = policy;
  std::transform(p.begin(), p.end(), p.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (p == "all" || p.ends_with(".allconnectorclientconfigoverridepolicy") ||
      p == "allconnectorclientconfigoverridepolicy") {
    return errors;
  }
  bool principal = p == "principal" || p.ends_with("principalconnectorclientconfigoverridepolicy");
  for (const auto& [k, v] : c) {
    std::string_view setting = setting_of(k);
    if (setting.empty()) continue;
    // Connect's PrincipalConnectorClientConfigOverridePolicy: only who the client is.
    bool allowed = principal && (setting == "sasl.jaas.config" || setting == "sasl.mechanism" ||
                                 setting == "security.protocol");
    if (!allowed) {
      errors.emplace_back(k, "The '" + std::string(principal ? "Principal" : "None") +
                                 "' policy does not allow '" + std::string(setting) +
                                 "' to be overridden in the connector configuration.");
    }
  }
  return errors;
}

std::vector<std::pair<std::string, std::string>> check_override_safety(
    const config::ConfigMap& c, const std::vector<std::string>& allowed_paths) {
  std::vector<std::pair<std::string, std::string>> errors;
  for (const auto& [k, v] : c) {
    std::string_view setting = setting_of(k);
    if (setting.empty()) continue;
    if (auto why = refusal(k, setting, v, allowed_paths)) errors.emplace_back(k, *why);
  }
  return errors;
}

config::ConfigMap safe_overrides(const config::ConfigMap& c, std::string_view kind,
                                 const std::vector<std::string>& allowed_paths,
                                 std::vector<std::pair<std::string, std::string>>* dropped) {
  std::string prefix = std::string(kind) + ".override.";
  config::ConfigMap out;
  for (auto it = c.lower_bound(prefix); it != c.end() && it->first.starts_with(prefix); ++it) {
    std::string setting = it->first.substr(prefix.size());
    if (auto why = refusal(it->first, setting, it->second, allowed_paths)) {
      if (dropped) dropped->emplace_back(it->first, *why);
      continue;
    }
    out[setting] = it->second;
  }
  return out;
}

}  // namespace kanal::runtime
