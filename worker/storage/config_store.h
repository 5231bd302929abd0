// ConfigStore: connector configs, task configs, target states and cluster-wide requests in the
// distributed worker's config topic (`config.storage.topic`, spec 3.2), as Connect's
// KafkaConfigBackingStore. Keys and values are Connect's, byte for byte, so a kanal cluster can
// take over a Java cluster's topic:
//
//   connector-<name>            {"properties":{...}}            tombstone: connector deleted
//   task-<name>-<n>             {"properties":{...}}            staged until the commit record
//   commit-<name>               {"tasks":N}                     tasks 0..N-1 become effective
//   target-state-<name>         {"state":"PAUSED","state.v2":"STOPPED"}
//   restart-connector-<name>    {"include-tasks":true,"only-failed":false}
//   logger-cluster-<namespace>  {"level":"DEBUG"}
//   session-key                 {"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":N}
//
// Every worker reads the topic to its end at start and keeps tailing it; snapshot() returns the
// state built from what it read. Writes return once the record is read back, so the writer's
// next snapshot() includes them. Records with an unknown key prefix, a null key or a malformed
// value are logged and skipped, never fatal.
//
// Thread-safe. The listener is called on the log thread, outside the store's lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "config/config_def.h"
#include "herder/herder.h"
#include "storage/kafka_based_log.h"

namespace kanal::storage {

using herder::TargetState;

// "STARTED", "PAUSED", "STOPPED" as Connect spells TargetState.
const char* to_connect_string(TargetState state);

// A restart request as stored in the config topic.
struct RestartRequest {
  std::string connector;
  bool include_tasks = false;
  bool only_failed = false;
};

// The HMAC key for internal requests (KIP-507).
struct SessionKey {
  std::string key_base64;
  std::string algorithm;
  int64_t creation_timestamp_ms = 0;
};

// What the config topic says, as of the last record read (Connect's ClusterConfigState).
struct ConfigSnapshot {
  // Offset of the next record of the config topic: what a worker reports as the config offset
  // it has read up to.
  int64_t offset = 0;
  std::map<std::string, config::ConfigMap> connector_configs;
  // Target states that were written; a connector without one is STARTED (see target_state()).
  std::map<std::string, TargetState> target_states;
  // Committed task configs per connector: element i is task i; a commit of 0 tasks leaves an
  // empty vector. Staged (uncommitted) task configs are never here.
  std::map<std::string, std::vector<config::ConfigMap>> task_configs;
  // Connectors whose last commit named tasks that were not all written: their task configs are
  // unusable until the leader regenerates them.
  std::set<std::string> inconsistent;
  std::optional<SessionKey> session_key;

  bool contains(const std::string& connector) const {
    return connector_configs.count(connector) != 0;
  }
  TargetState target_state(const std::string& connector) const;
  // Number of committed tasks, 0 when none were committed.
  int32_t task_count(const std::string& connector) const;
  std::vector<std::string> connectors() const;
};

class ConfigStore {
 public:
  // What changed, told after the store applied it (so snapshot() already includes it). Called
  // on the log thread and only after start() returned: the initial catch-up notifies nothing.
  // Implementations should post to the herder's queue and return.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void on_connector_config_update(const std::string& connector) = 0;
    virtual void on_connector_config_remove(const std::string& connector) = 0;
    // A commit record made `task_count` task configs of `connector` effective (or marked the
    // connector inconsistent).
    virtual void on_task_configs_commit(const std::string& connector, int32_t task_count) = 0;
    virtual void on_target_state_change(const std::string& connector) = 0;
    virtual void on_restart_request(const RestartRequest& request) = 0;
    virtual void on_logger_level(const std::string& logger_namespace, const std::string& level) = 0;
    virtual void on_session_key_update(const SessionKey& key) = 0;
  };

  struct Options {
    std::string topic;                  // config.storage.topic
    config::ConfigMap client_settings;  // bootstrap.servers, security, client.id, ...
    std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
    // Upper bound of each write and read back (Connect: READ_WRITE_TOTAL_TIMEOUT_MS).
    std::chrono::milliseconds write_timeout = std::chrono::seconds(30);
  };

  explicit ConfigStore(Options options);
  ~ConfigStore();
  ConfigStore(const ConfigStore&) = delete;
  ConfigStore& operator=(const ConfigStore&) = delete;

  // Borrowed; must outlive the store or be reset (nullptr) before it dies. Set before start().
  void set_listener(Listener* listener);

  // Reads the config topic to its end. Errors: kNotFound (no topic), kInvalidArgument (the topic
  // has more than one partition, or a bad client setting), kTimeout.
  Status start();
  // Stops tailing; later writes fail. Idempotent.
  void stop();

  // Each write below blocks until its records are acknowledged and read back (write_timeout),
  // and fails with kTimeout, a kafka error, or kInternal when not started.

  // `connector-<name>`; with `initial_state`, `target-state-<name>` first, in the same batch
  // (Connect's create with initial_state).
  Status put_connector_config(const std::string& connector, const config::ConfigMap& config,
                              std::optional<TargetState> initial_state = std::nullopt);
  // Tombstones for `connector-<name>` and `target-state-<name>`.
  Status remove_connector_config(const std::string& connector);
  // `task-<name>-0` .. `task-<name>-<N-1>`, then, once those are acknowledged, `commit-<name>`.
  Status put_task_configs(const std::string& connector,
                          const std::vector<config::ConfigMap>& task_configs);
  Status put_target_state(const std::string& connector, TargetState state);
  Status put_restart_request(const RestartRequest& request);
  Status put_logger_level(const std::string& logger_namespace, const std::string& level);
  Status put_session_key(const SessionKey& key);

  // Reads the topic to its end: afterwards snapshot() includes every record written before.
  Status refresh(std::chrono::milliseconds timeout);
  // A copy of the current state.
  ConfigSnapshot snapshot() const;

 private:
  Status write(std::span<const LogEntry> entries);
  void apply(const LogRecord& record);

  const Options options_;
  const log::Logger log_;

  mutable std::mutex mu_;
  ConfigSnapshot state_;  // guarded by mu_
  // task-<name>-<n> records read since the connector's last commit record.
  std::map<std::string, std::map<int32_t, config::ConfigMap>> staged_;  // guarded by mu_
  Listener* listener_ = nullptr;                                        // guarded by mu_
  bool started_ = false;                                                // guarded by mu_

  // Last: its thread calls back into the state above, which must outlive it.
  std::unique_ptr<KafkaBasedLog> log_store_;
};

}  // namespace kanal::storage
