// The Herder: the one owner of connector and task lifecycle, as Kafka Connect's Herder.
//
// The REST layer talks to the worker only through this interface. Every method is thread-safe:
// an implementation posts the request to its herder thread and waits for the answer with a
// deadline (a request that cannot be answered in time returns kTimeout → 500, one refused during
// a rebalance returns kConflict → 409). Errors follow kanal::Status codes: kNotFound → 404,
// kConflict → 409, kInvalidArgument → 400.
//
// Implementations: StandaloneHerder (issue 4), DistributedHerder (issue 6).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"

namespace kanal::herder {

using config::ConfigMap;

enum class ConnectorType { kSource, kSink, kUnknown };
// "source", "sink", "unknown" as the REST API spells them.
const char* connector_type_name(ConnectorType type);

enum class TargetState { kStarted, kPaused, kStopped };
// "STARTED"/"RUNNING" for the initial_state field: parse_target_state accepts RUNNING, PAUSED,
// STOPPED (Connect's initial_state values) and STARTED.
std::optional<TargetState> parse_target_state(std::string_view text);

struct TaskId {
  std::string connector;
  int32_t task = 0;
  friend bool operator==(const TaskId&, const TaskId&) = default;
  friend auto operator<=>(const TaskId&, const TaskId&) = default;
};

// One connector's or task's state as the status API shows it.
struct StateInfo {
  std::string state;                   // UNASSIGNED, RUNNING, PAUSED, FAILED, RESTARTING, STOPPED
  std::string worker_id;               // advertised host:port of the owning worker
  std::optional<std::string> trace;    // present for FAILED
  std::optional<std::string> version;  // plugin version (Connect 4.1 status entries)
};

struct TaskState {
  int32_t id = 0;
  StateInfo state;
};

struct ConnectorStatus {
  std::string name;
  StateInfo connector;
  std::vector<TaskState> tasks;
  ConnectorType type = ConnectorType::kUnknown;
};

struct ConnectorInfo {
  std::string name;
  ConfigMap config;
  std::vector<TaskId> tasks;
  ConnectorType type = ConnectorType::kUnknown;
};

struct TaskInfo {
  TaskId id;
  ConfigMap config;
};

// Outcome of PUT /connectors/{name}/config and POST /connectors.
struct PutResult {
  ConnectorInfo info;
  bool created = false;  // 201 when created, 200 when an existing one was updated
};

// One entry of GET /connectors/{name}/offsets. `partition` and `offset` are compact JSON
// objects, e.g. {"filename":"a.txt"} / {"position":42}; for sinks {"kafka_topic":"t",
// "kafka_partition":0} / {"kafka_offset":7}. `offset` is "null" to reset one partition when
// altering.
struct PartitionOffset {
  std::string partition_json;
  std::string offset_json;
};

struct PluginInfo {
  std::string class_name;
  std::string type;  // "source", "sink", "transformation", "predicate", "converter",
                     // "header_converter"
  std::string version;
};

// One key of GET /connector-plugins/{plugin}/config and of the validate response's definition.
struct ConfigKeyInfo {
  std::string name;
  std::string type;  // "STRING", "INT", ...
  bool required = false;
  std::optional<std::string> default_value;
  std::string importance;  // "HIGH", ...
  std::string documentation;
  std::optional<std::string> group;
  int32_t order = -1;
  std::string width;  // "NONE", ...
  std::string display_name;
  std::vector<std::string> dependents;
};

// The validate response (spec section 2).
struct ConfigInfo {
  ConfigKeyInfo definition;
  config::ConfigValueInfo value;
};
struct ConfigInfos {
  std::string name;  // the connector class as given
  int32_t error_count = 0;
  std::vector<std::string> groups;
  std::vector<ConfigInfo> configs;
};

struct ServerInfo {
  std::string version;
  std::string commit;
  std::string kafka_cluster_id;
};

class Herder {
 public:
  virtual ~Herder() = default;

  // True once the worker has finished starting and can serve requests (GET /health).
  virtual bool ready() const = 0;
  virtual ServerInfo server_info() = 0;
  // This worker's advertised host:port (worker_id in statuses).
  virtual std::string worker_id() const = 0;

  virtual Result<std::vector<std::string>> connectors() = 0;
  virtual Result<ConnectorInfo> connector_info(const std::string& name) = 0;
  virtual Result<ConfigMap> connector_config(const std::string& name) = 0;
  // Creates or updates. `allow_replace=false` (POST /connectors) → kConflict if it exists.
  // `config` already contains "name". Invalid configs → kInvalidArgument with the failing keys.
  virtual Result<PutResult> put_connector_config(const std::string& name, ConfigMap config,
                                                 bool allow_replace,
                                                 std::optional<TargetState> initial_state) = 0;
  // PATCH semantics: keys in `set` replace, keys in `remove` (JSON null) are deleted.
  virtual Result<ConnectorInfo> patch_connector_config(const std::string& name, ConfigMap set,
                                                       std::vector<std::string> remove) = 0;
  virtual Status delete_connector(const std::string& name) = 0;

  virtual Result<ConnectorStatus> connector_status(const std::string& name) = 0;
  virtual Result<StateInfo> task_status(const TaskId& id) = 0;
  virtual Result<std::vector<TaskInfo>> task_configs(const std::string& name) = 0;

  // POST /connectors/{name}/restart. Without include_tasks/only_failed Connect answers 204
  // (returns nullopt); with either flag it answers 202 with the status after the restart
  // request (state RESTARTING for what will restart).
  virtual Result<std::optional<ConnectorStatus>> restart_connector(const std::string& name,
                                                                   bool include_tasks,
                                                                   bool only_failed) = 0;
  virtual Status restart_task(const TaskId& id) = 0;
  virtual Status pause_connector(const std::string& name) = 0;
  virtual Status resume_connector(const std::string& name) = 0;
  virtual Status stop_connector(const std::string& name) = 0;

  virtual Result<std::vector<std::string>> active_topics(const std::string& name) = 0;
  virtual Status reset_active_topics(const std::string& name) = 0;

  // Offsets API (connector must be STOPPED for alter/reset: kConflict otherwise... Connect
  // answers 400 for "not stopped"; implementations return kInvalidArgument then).
  virtual Result<std::vector<PartitionOffset>> connector_offsets(const std::string& name) = 0;
  // Returns Connect's success message ("The offsets for this connector have been altered
  // successfully" / "... reset successfully").
  virtual Result<std::string> alter_connector_offsets(const std::string& name,
                                                      std::vector<PartitionOffset> offsets) = 0;
  virtual Result<std::string> reset_connector_offsets(const std::string& name) = 0;

  virtual std::vector<PluginInfo> plugins(bool connectors_only) = 0;
  // Definition of a plugin's own settings. kNotFound for an unknown class.
  virtual Result<std::vector<ConfigKeyInfo>> plugin_config(const std::string& plugin_class,
                                                           const std::string& version) = 0;
  // Validates a connector config (common connector settings + the plugin's own).
  // kInvalidArgument (400) when connector.class is missing or names no installed plugin.
  virtual Result<ConfigInfos> validate_connector_config(const std::string& plugin_class,
                                                        ConfigMap config) = 0;
};

}  // namespace kanal::herder
