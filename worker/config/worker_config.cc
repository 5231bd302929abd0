#include "config/worker_config.h"

#include <array>

namespace kanal::config {
namespace {

ConfigKey key(std::string name, Type type, std::optional<std::string> def, Importance imp,
              std::string doc, std::optional<Validator> validator = std::nullopt) {
  ConfigKey k = make_key(std::move(name), type, std::move(def), imp, std::move(doc));
  k.validator = std::move(validator);
  return k;
}

ConfigKey null_default(std::string name, Type type, Importance imp, std::string doc) {
  ConfigKey k = key(std::move(name), type, std::nullopt, imp, std::move(doc));
  k.default_is_null = true;
  return k;
}

using I = Importance;
using T = Type;

void define_common(ConfigDef& d) {
  d.define(key("bootstrap.servers", T::kList, "localhost:9092", I::kHigh,
               "Kafka brokers for all clients of the worker; `embedded` starts an in-process "
               "mock cluster for development."));
  d.define(key("key.converter", T::kClass, std::nullopt, I::kHigh,
               "Converter for record keys of connectors that do not set their own."));
  d.define(key("value.converter", T::kClass, std::nullopt, I::kHigh,
               "Converter for record values of connectors that do not set their own."));
  d.define(key("header.converter", T::kClass,
               "org.apache.kafka.connect.storage.SimpleHeaderConverter", I::kLow,
               "Converter for record headers."));
  d.define(key("offset.flush.interval.ms", T::kLong, "60000", I::kLow,
               "Interval at which to commit source offsets and sink consumer offsets.",
               at_least(0)));
  d.define(key("offset.flush.timeout.ms", T::kLong, "5000", I::kLow,
               "Maximum time to wait for an offset flush before cancelling it.", at_least(0)));
  d.define(key("task.shutdown.graceful.timeout.ms", T::kLong, "5000", I::kLow,
               "Time to wait for tasks to stop gracefully, shared by all tasks.", at_least(0)));
  d.define(null_default("plugin.path", T::kList, I::kLow,
                        "Directories holding plugins (shared libraries or folders of one "
                        "plugin each). The bundled plugins are always included."));
  d.define(key("plugin.discovery", T::kString, "hybrid_warn", I::kLow,
               "Accepted for compatibility; native plugins are always discovered by descriptor.",
               one_of({"only_scan", "hybrid_warn", "hybrid_fail", "service_load"}, true)));
  d.define(key("config.providers", T::kList, "", I::kLow, "Config provider aliases."));
  d.define(key(
      "connector.client.config.override.policy", T::kString, "All", I::kMedium,
      "Which client overrides connectors may set: All, None or Principal.",
      one_of({"All", "None", "Principal",
              "org.apache.kafka.connect.connector.policy."
              "AllConnectorClientConfigOverridePolicy",
              "org.apache.kafka.connect.connector.policy."
              "NoneConnectorClientConfigOverridePolicy",
              "org.apache.kafka.connect.connector.policy."
              "PrincipalConnectorClientConfigOverridePolicy",
              "AllConnectorClientConfigOverridePolicy", "NoneConnectorClientConfigOverridePolicy",
              "PrincipalConnectorClientConfigOverridePolicy"},
             true)));
  d.define(key("kanal.connector.client.config.allowed.paths", T::kList, "", I::kMedium,
               "Directories below which connector client overrides may name local files "
               "(ssl.ca.location, ssl.key.location, sasl.kerberos.keytab, ...); empty = none."));
  d.define(key("kanal.log.format", T::kString, "text", I::kLow,
               "Log output: text (key=value lines) or json (one JSON object a line).",
               one_of({"text", "json"}, true)));
  d.define(key("topic.creation.enable", T::kBoolean, "true", I::kLow,
               "Let source connectors create topics per topic.creation.* settings."));
  d.define(key("topic.tracking.enable", T::kBoolean, "true", I::kLow,
               "Track the topics connectors use."));
  d.define(key("topic.tracking.allow.reset", T::kBoolean, "true", I::kLow,
               "Allow resetting the set of active topics over REST."));
  d.define(key("listeners", T::kList, "http://:8083", I::kLow,
               "REST listeners, protocol://host:port, comma separated."));
  d.define(null_default("rest.advertised.host.name", T::kString, I::kLow,
                        "Host name other workers use to reach this one."));
  d.define(null_default("rest.advertised.port", T::kInt, I::kLow,
                        "Port other workers use to reach this one."));
  d.define(null_default("rest.advertised.listener", T::kString, I::kLow,
                        "Which listener's protocol to advertise: http or https."));
  d.define(null_default("admin.listeners", T::kList, I::kLow, "Listeners for /admin endpoints."));
  d.define(key("access.control.allow.origin", T::kString, "", I::kLow,
               "CORS: origins allowed to call the REST API from a browser, comma separated; `*` "
               "for any. Empty turns CORS off."));
  d.define(key("access.control.allow.methods", T::kString, "", I::kLow,
               "CORS: methods allowed for cross-origin requests; empty means GET,POST,HEAD."));
  d.define(key("rest.extension.classes", T::kList, "", I::kLow,
               "REST extensions. Only BasicAuthSecurityRestExtension (HTTP basic authentication "
               "with kanal.rest.basic.auth.credentials.file) is supported; others are refused."));
  d.define(key("kanal.rest.basic.auth.credentials.file", T::kString, "", I::kMedium,
               "Basic authentication: properties file of user=password lines (Connect reads the "
               "same file through a JAAS PropertyFileLoginModule)."));
  d.define(
      key("response.http.headers.config", T::kString, "", I::kLow, "Extra HTTP response headers."));
  d.define(key("client.dns.lookup", T::kString, "use_all_dns_ips", I::kMedium,
               "How clients use DNS lookups."));
  d.define(null_default("client.id", T::kString, I::kLow, "Client id of the worker's clients."));
  d.define(key("security.protocol", T::kString, "PLAINTEXT", I::kMedium,
               "Protocol used to talk to brokers."));
  d.define(key("metrics.sample.window.ms", T::kLong, "30000", I::kLow, "Metrics window."));
  d.define(key("metrics.num.samples", T::kInt, "2", I::kLow, "Metrics samples."));
  d.define(key("metrics.recording.level", T::kString, "INFO", I::kLow, "Metrics level."));
  d.define(key("metric.reporters", T::kList, "", I::kLow, "Accepted for compatibility."));
  d.define(key("rest.request.max.bytes", T::kLong, "10485760", I::kLow,
               "Largest REST request body accepted (413 above it).", at_least(1)));
}

void define_standalone(ConfigDef& d) {
  d.define(key("offset.storage.file.filename", T::kString, std::nullopt, I::kHigh,
               "File (a SQLite database) that stores source connector offsets.",
               non_empty_string()));
}

void define_distributed(ConfigDef& d) {
  d.define(key("group.id", T::kString, std::nullopt, I::kHigh,
               "Name of the Connect cluster this worker belongs to.", non_empty_string()));
  d.define(key("config.storage.topic", T::kString, std::nullopt, I::kHigh,
               "Topic storing connector and task configurations.", non_empty_string()));
  d.define(key("config.storage.replication.factor", T::kShort, "3", I::kLow,
               "Replication factor of the config topic; -1 for the broker default."));
  d.define(key("offset.storage.topic", T::kString, std::nullopt, I::kHigh,
               "Topic storing source connector offsets.", non_empty_string()));
  d.define(key("offset.storage.partitions", T::kInt, "25", I::kLow,
               "Partitions of the offsets topic; -1 for the broker default."));
  d.define(key("offset.storage.replication.factor", T::kShort, "3", I::kLow,
               "Replication factor of the offsets topic; -1 for the broker default."));
  d.define(key("status.storage.topic", T::kString, std::nullopt, I::kHigh,
               "Topic storing connector and task statuses.", non_empty_string()));
  d.define(key("status.storage.partitions", T::kInt, "5", I::kLow,
               "Partitions of the status topic; -1 for the broker default."));
  d.define(key("status.storage.replication.factor", T::kShort, "3", I::kLow,
               "Replication factor of the status topic; -1 for the broker default."));
  d.define(key("session.timeout.ms", T::kInt, "10000", I::kHigh,
               "Group session timeout used to detect worker failures.", at_least(1)));
  d.define(key("heartbeat.interval.ms", T::kInt, "3000", I::kHigh,
               "Expected time between group heartbeats.", at_least(1)));
  d.define(key("rebalance.timeout.ms", T::kInt, "60000", I::kHigh,
               "Maximum time for members to rejoin during a rebalance.", at_least(1)));
  d.define(key("worker.sync.timeout.ms", T::kInt, "3000", I::kMedium,
               "Time to wait for the config topic to catch up.", at_least(0)));
  d.define(key("worker.unsync.backoff.ms", T::kInt, "300000", I::kMedium,
               "Backoff before rejoining after failing to catch up.", at_least(0)));
  d.define(key("scheduled.rebalance.max.delay.ms", T::kInt, "300000", I::kMedium,
               "How long a departed worker's work stays unassigned waiting for it to return.",
               at_least(0)));
  d.define(key("connect.protocol", T::kString, "sessioned", I::kLow, "Accepted for compatibility.",
               one_of({"eager", "compatible", "sessioned"}, true)));
  d.define(key("inter.worker.key.generation.algorithm", T::kString, "HmacSHA256", I::kLow,
               "Session key algorithm."));
  d.define(null_default("inter.worker.key.size", T::kInt, I::kLow, "Session key size in bits."));
  d.define(key("inter.worker.key.ttl.ms", T::kInt, "3600000", I::kLow,
               "Session key rotation interval."));
  d.define(key("inter.worker.signature.algorithm", T::kString, "HmacSHA256", I::kLow,
               "Algorithm signing internal requests."));
  d.define(key("inter.worker.verification.algorithms", T::kList, "HmacSHA256", I::kLow,
               "Accepted algorithms when verifying internal requests."));
  d.define(key("exactly.once.source.support", T::kString, "disabled", I::kHigh,
               "Exactly-once source support.", one_of({"disabled", "preparing", "enabled"}, true)));
  d.define(key("metadata.max.age.ms", T::kLong, "300000", I::kLow, "Metadata refresh interval."));
  d.define(key("request.timeout.ms", T::kInt, "40000", I::kMedium, "Client request timeout."));
  d.define(key("retry.backoff.ms", T::kLong, "100", I::kLow, "Client retry backoff."));
  d.define(key("reconnect.backoff.ms", T::kLong, "50", I::kLow, "Client reconnect backoff."));
  d.define(key("reconnect.backoff.max.ms", T::kLong, "1000", I::kLow, "Max reconnect backoff."));
  d.define(key("connections.max.idle.ms", T::kLong, "540000", I::kMedium, "Idle connections."));
  d.define(key("send.buffer.bytes", T::kInt, "131072", I::kMedium, "Socket send buffer."));
  d.define(key("receive.buffer.bytes", T::kInt, "32768", I::kMedium, "Socket receive buffer."));
}

// Prefixes whose keys are consumed by someone other than the definition (clients, converters,
// config providers, internal-topic settings, TLS listeners).
constexpr std::array<std::string_view, 17> kClaimedPrefixes = {
    "producer.",
    "consumer.",
    "admin.",
    "key.converter.",
    "value.converter.",
    "header.converter.",
    "config.providers.",
    "listeners.https.",
    "config.storage.",
    "offset.storage.",
    "status.storage.",
    "ssl.",
    "sasl.",
    "metrics.",
    "kanal.",
    "topic.creation.",
    "socket.",
};

// Top-level keys that internal and connector clients inherit.
bool is_client_setting(std::string_view k) {
  return k == "bootstrap.servers" || k == "security.protocol" || k == "client.dns.lookup" ||
         k.starts_with("ssl.") || k.starts_with("sasl.") || k == "metadata.max.age.ms" ||
         k == "request.timeout.ms" || k == "retry.backoff.ms" || k == "reconnect.backoff.ms" ||
         k == "reconnect.backoff.max.ms" || k == "connections.max.idle.ms" ||
         k == "socket.connection.setup.timeout.ms";
}

}  // namespace

const ConfigDef& WorkerConfig::definition(WorkerMode mode) {
  static const ConfigDef standalone = [] {
    ConfigDef d;
    define_common(d);
    define_standalone(d);
    return d;
  }();
  static const ConfigDef distributed = [] {
    ConfigDef d;
    define_common(d);
    define_distributed(d);
    return d;
  }();
  return mode == WorkerMode::kStandalone ? standalone : distributed;
}

Result<WorkerConfig> WorkerConfig::create(ConfigMap props, WorkerMode mode) {
  auto providers = ConfigProviders::create(props);
  if (!providers.ok()) return providers.status();
  // The providers' own settings and plugin.path (scanned before anything is resolved, as in
  // Connect) are taken as written.
  auto plugin_path = props.find("plugin.path");
  if (plugin_path != props.end() && has_reference(plugin_path->second)) {
    return Status::invalid_argument(
        "Invalid value " + plugin_path->second +
        " for configuration plugin.path: config provider references cannot be used here");
  }
  ConfigMap own;
  for (auto it = props.begin(); it != props.end();) {
    if (it->first.starts_with("config.providers")) {
      own.insert(props.extract(it++));
    } else {
      ++it;
    }
  }
  auto resolved = providers->resolve(props);
  if (!resolved.ok()) return resolved.status().with_context("Worker config");
  props = std::move(resolved).value();
  props.merge(own);
  auto parsed = definition(mode).parse(props);
  if (!parsed.ok()) return parsed.status();
  WorkerConfig c;
  c.mode_ = mode;
  c.providers_ = std::make_shared<const ConfigProviders>(std::move(providers).value());
  c.originals_ = std::move(props);
  c.parsed_ = ParsedConfig(parsed.value());
  for (const std::string& l : c.listeners()) {
    auto scheme = l.find("://");
    std::string proto = scheme == std::string::npos ? "" : l.substr(0, scheme);
    if (proto != "http" && proto != "https") {
      return Status::invalid_argument("Invalid value " + l +
                                      " for configuration listeners: listener must look like "
                                      "http://host:port or https://host:port");
    }
  }
  if (mode == WorkerMode::kDistributed) {
    int64_t session = c.parsed_.get_long("session.timeout.ms");
    int64_t heartbeat = c.parsed_.get_long("heartbeat.interval.ms");
    if (heartbeat >= session) {
      return Status::invalid_argument(
          "Invalid value " + std::to_string(heartbeat) +
          " for configuration heartbeat.interval.ms: must be lower than session.timeout.ms (" +
          std::to_string(session) + ")");
    }
  }
  return c;
}

ConfigMap WorkerConfig::with_prefix(std::string_view prefix) const {
  std::string p(prefix);
  if (!p.empty() && p.back() != '.') p += '.';
  ConfigMap out;
  for (auto it = originals_.lower_bound(p); it != originals_.end() && it->first.starts_with(p);
       ++it) {
    out[it->first.substr(p.size())] = it->second;
  }
  return out;
}

ConfigMap WorkerConfig::internal_client_config() const {
  ConfigMap out;
  for (const auto& [k, v] : originals_) {
    if (is_client_setting(k)) out[k] = v;
  }
  out["bootstrap.servers"] = bootstrap_servers();
  return out;
}

ConfigMap WorkerConfig::client_config(std::string_view prefix) const {
  ConfigMap out = internal_client_config();
  for (auto& [k, v] : with_prefix(prefix)) out[k] = v;
  return out;
}

std::vector<std::string> WorkerConfig::unused_keys() const {
  std::vector<std::string> out;
  const ConfigDef& def = definition(mode_);
  for (const auto& [k, v] : originals_) {
    if (def.find(k)) continue;
    bool claimed = false;
    for (std::string_view p : kClaimedPrefixes) claimed = claimed || k.starts_with(p);
    if (!claimed) out.push_back(k);
  }
  return out;
}

}  // namespace kanal::config
