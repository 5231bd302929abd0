// The worker's own settings (Kafka Connect's WorkerConfig, StandaloneConfig, DistributedConfig).
//
// WorkerConfig::create() parses and validates a worker config map; on failure the Status names
// the key and the reason (the `kanal` executable prints it and exits 2). Keys with the client
// prefixes `producer.`, `consumer.`, `admin.` are handed to the Kafka clients the worker makes
// for connectors; other keys nobody knows are reported by unused_keys(), as Connect logs them.
// `${provider:[path:]key}` references in the worker config are resolved by create() with the
// providers the config declares (config.providers), as Connect's AbstractConfig does.
// Immutable after creation; safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "config/config_provider.h"

namespace kanal::config {

enum class WorkerMode { kStandalone, kDistributed };

// `bootstrap.servers=embedded` starts librdkafka's in-process mock cluster (quickstart only).
inline constexpr std::string_view kEmbeddedBootstrap = "embedded";

class WorkerConfig {
 public:
  static Result<WorkerConfig> create(ConfigMap props, WorkerMode mode);
  // The definition used for `mode` (common keys plus the mode's own).
  static const ConfigDef& definition(WorkerMode mode);

  WorkerMode mode() const { return mode_; }
  const ConfigMap& originals() const { return originals_; }
  const ParsedConfig& parsed() const { return parsed_; }
  // The config providers declared by config.providers (empty when none).
  const ConfigProviders& providers() const { return *providers_; }
  // kanal.connector.client.config.allowed.paths: directories below which a connector's client
  // override may name files (ssl.ca.location, ...). Empty = no file may be named.
  std::vector<std::string> client_allowed_paths() const {
    return parsed_.get_list("kanal.connector.client.config.allowed.paths");
  }

  std::string bootstrap_servers() const { return parsed_.get_string("bootstrap.servers"); }
  bool embedded_kafka() const { return bootstrap_servers() == kEmbeddedBootstrap; }
  int64_t offset_flush_interval_ms() const { return parsed_.get_long("offset.flush.interval.ms"); }
  int64_t offset_flush_timeout_ms() const { return parsed_.get_long("offset.flush.timeout.ms"); }
  int64_t task_shutdown_graceful_timeout_ms() const {
    return parsed_.get_long("task.shutdown.graceful.timeout.ms");
  }
  std::vector<std::string> plugin_path() const { return parsed_.get_list("plugin.path"); }
  std::vector<std::string> listeners() const { return parsed_.get_list("listeners"); }

  // Settings for a Kafka client of kind `prefix` ("producer", "consumer", "admin"): the
  // top-level security/connection settings, then `<prefix>.*` with the prefix stripped.
  ConfigMap client_config(std::string_view prefix) const;
  // Settings for the worker's internal clients (internal topics, group membership): only the
  // top-level settings, never the prefixed ones, as Connect does.
  ConfigMap internal_client_config() const;
  // `<prefix>.*` keys with the prefix stripped (e.g. "value.converter" → schemas.enable=...).
  ConfigMap with_prefix(std::string_view prefix) const;

  // Keys that no definition and no known prefix claims; logged once at start-up.
  std::vector<std::string> unused_keys() const;

 private:
  WorkerMode mode_ = WorkerMode::kStandalone;
  ConfigMap originals_;
  ParsedConfig parsed_;
  std::shared_ptr<const ConfigProviders> providers_ = std::make_shared<ConfigProviders>();
};

}  // namespace kanal::config
