// Config providers: `${provider:[path:]key}` references in worker and connector configs, resolved
// from files, directories or the environment (Kafka Connect's ConfigProvider, ConfigTransformer,
// FileConfigProvider, DirectoryConfigProvider and EnvVarConfigProvider, with KIP-993's
// `allowed.paths` and KIP-887's `allowlist.pattern`).
//
// The worker config declares them:
//   config.providers=file,dir,env
//   config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider
//   config.providers.file.param.allowed.paths=/etc/kanal/secrets
// and a value `${file:/etc/kanal/secrets/db.properties:password}` is replaced by the key
// `password` of that properties file. Stored configs and REST answers keep the reference; only
// the plugin sees the value. Every value a reference produced is registered with the logger's
// redaction list (log::add_secret), so no log line prints it.
//
// Differences from Connect, on purpose: a reference whose provider fails (file missing, key
// missing, path outside allowed.paths, variable not allowed) is an error naming the reference
// and the reason, where Connect leaves some of them silently unresolved. A reference to an
// alias nobody configured stays as it is, as in Connect.
//
// ConfigProviders is immutable after create() and safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"

namespace kanal::config {

// One parsed `${provider:[path:]key}` reference. `text` is the whole reference as written.
struct ConfigReference {
  std::string text;
  std::string provider;
  std::string path;  // empty when the reference has no path part
  std::string key;
};

// The references in `value`, in order (Connect's ConfigTransformer pattern: the provider runs
// to the first ':', the path to the next one, the key to the closing brace).
std::vector<ConfigReference> find_references(std::string_view value);

// One provider instance (e.g. the alias `file`). Implementations are thread-safe.
class ConfigProvider {
 public:
  virtual ~ConfigProvider() = default;
  // The value of `key` at `path`. Errors (kInvalidArgument / kNotFound / kIo) say why without
  // repeating any value read.
  virtual Result<std::string> get(const std::string& path, const std::string& key) const = 0;
};

// Makes a provider from its class (full or simple name of Connect's three built-ins) and its
// `param.*` settings (prefix stripped). kInvalidArgument for an unknown class or a bad param.
Result<std::unique_ptr<ConfigProvider>> make_config_provider(std::string_view class_name,
                                                             const ConfigMap& params);

// Paths a provider may read (KIP-993 `allowed.paths`). Empty list = everything allowed.
class AllowedPaths {
 public:
  // Parses the comma-separated list; every entry must be absolute.
  static Result<AllowedPaths> parse(std::string_view list);
  // The canonical form of `path` (`..` and symlinks resolved as far as the path exists) when it
  // lies at or below an allowed path; kInvalidArgument naming the path otherwise.
  Result<std::string> check(const std::string& path) const;
  bool restricted() const { return !roots_.empty(); }

 private:
  std::vector<std::string> roots_;  // canonical
};

class ConfigProviders {
 public:
  ConfigProviders() = default;
  // Reads `config.providers` and each alias's `.class` / `.param.*` from a worker config.
  // kInvalidArgument naming the alias and key for anything missing or wrong.
  static Result<ConfigProviders> create(const ConfigMap& worker_props);

  bool empty() const { return providers_.empty(); }
  bool has(std::string_view alias) const { return providers_.count(std::string(alias)) > 0; }

  // `config` with every reference to a configured provider replaced by its value. Each value
  // produced is registered with log::add_secret. The error (kInvalidArgument) names the key,
  // the reference and the provider's reason, never a resolved value.
  Result<ConfigMap> resolve(const ConfigMap& config) const;

 private:
  std::map<std::string, std::shared_ptr<const ConfigProvider>> providers_;
};

// True when `value` contains at least one `${...:...}` reference.
bool has_reference(std::string_view value);

// Connect's reverse transform for task configs: in each task config, a key that the raw
// connector config sets to a value with a reference gets that raw value back; any other value
// equal to a value a reference produced (`resolved`) is replaced by the raw reference too, so
// stored task configs never hold a secret.
void restore_references(std::vector<ConfigMap>& task_configs, const ConfigMap& raw,
                        const ConfigMap& resolved);

}  // namespace kanal::config
