// StandaloneHerder: the herder of `kanal standalone` (Kafka Connect's StandaloneHerder).
//
// Connector configs live in memory (re-read from the files given on the command line at each
// start; REST changes are not kept across restarts, as in Connect); statuses in a
// MemoryStatusStore; source offsets in the worker's OffsetBackingStore (SQLite). Every request
// runs on the one herder thread; public methods are thread-safe and wait for the herder thread
// with a deadline (kTimeout → 500).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "herder/herder.h"
#include "herder/request_queue.h"
#include "runtime/status.h"
#include "runtime/worker.h"

namespace kanal::herder {

class StandaloneHerder : public Herder, private runtime::ConnectorContext {
 public:
  // `worker`, `status`, `offsets` and `catalog` outlive the herder.
  StandaloneHerder(const config::WorkerConfig& config, runtime::Worker& worker,
                   runtime::StatusStore& status, storage::OffsetBackingStore& offsets,
                   runtime::PluginCatalog& catalog, const data::ConverterRegistry& converters,
                   const transforms::TransformRegistry& transforms, std::string worker_id,
                   std::string kafka_cluster_id);
  ~StandaloneHerder() override;

  // Starts the herder thread.
  void start();
  // This worker's advertised host:port; call before start().
  void set_worker_id(std::string id) { worker_id_ = std::move(id); }
  // Marks start-up complete (GET /health answers 200 from then on).
  void set_ready() { ready_ = true; }
  // Stops every connector and task and the herder thread. Idempotent.
  void stop();

  // Herder
  bool ready() const override { return ready_; }
  ServerInfo server_info() override;
  std::string worker_id() const override { return worker_id_; }
  Result<std::vector<std::string>> connectors() override;
  Result<ConnectorInfo> connector_info(const std::string& name) override;
  Result<ConfigMap> connector_config(const std::string& name) override;
  Result<PutResult> put_connector_config(const std::string& name, ConfigMap config,
                                         bool allow_replace,
                                         std::optional<TargetState> initial_state) override;
  Result<ConnectorInfo> patch_connector_config(const std::string& name, ConfigMap set,
                                               std::vector<std::string> remove) override;
  Status delete_connector(const std::string& name) override;
  Result<ConnectorStatus> connector_status(const std::string& name) override;
  Result<StateInfo> task_status(const TaskId& id) override;
  Result<std::vector<TaskInfo>> task_configs(const std::string& name) override;
  Result<std::optional<ConnectorStatus>> restart_connector(const std::string& name,
                                                           bool include_tasks,
                                                           bool only_failed) override;
  Status restart_task(const TaskId& id) override;
  Status pause_connector(const std::string& name) override;
  Status resume_connector(const std::string& name) override;
  Status stop_connector(const std::string& name) override;
  Result<std::vector<std::string>> active_topics(const std::string& name) override;
  Status reset_active_topics(const std::string& name) override;
  Result<std::vector<PartitionOffset>> connector_offsets(const std::string& name) override;
  Result<std::string> alter_connector_offsets(const std::string& name,
                                              std::vector<PartitionOffset> offsets) override;
  Result<std::string> reset_connector_offsets(const std::string& name) override;
  std::vector<PluginInfo> plugins(bool connectors_only) override;
  Result<std::vector<ConfigKeyInfo>> plugin_config(const std::string& plugin_class,
                                                   const std::string& version) override;
  Result<ConfigInfos> validate_connector_config(const std::string& plugin_class,
                                                ConfigMap config) override;

 private:
  struct ConnectorState {
    ConfigMap config;
    TargetState target = TargetState::kStarted;
    std::vector<ConfigMap> task_configs;
    runtime::ConnectorKind kind = runtime::ConnectorKind::kSource;
  };

  // ConnectorContext (called from connector code; posts to the herder thread).
  void request_task_reconfiguration() override;
  void raise_error(const Status& error) override;

  // Runs `fn` on the herder thread and waits up to the request timeout.
  template <typename T>
  Result<T> call(std::function<Result<T>()> fn) {
    return requests_.call<T>(std::move(fn));
  }
  Status call_status(std::function<Status()> fn) { return requests_.call_status(std::move(fn)); }
  void post(std::function<void()> fn) { requests_.post(std::move(fn)); }
  void run();

  // Herder-thread helpers.
  ConnectorState* find(const std::string& name);
  Status start_connector_and_tasks(const std::string& name);
  void stop_connector_and_tasks(const std::string& name);
  void reconfigure(const std::string& name);
  ConnectorStatus status_of(const std::string& name, const ConnectorState& st);
  ConnectorInfo info_of(const std::string& name, const ConnectorState& st);
  Result<std::string> modify_offsets(const std::string& name, std::vector<PartitionOffset> offsets,
                                     bool reset);

  const config::WorkerConfig& config_;
  runtime::Worker& worker_;
  runtime::StatusStore& status_;
  storage::OffsetBackingStore& offsets_;
  runtime::PluginCatalog& catalog_;
  const data::ConverterRegistry& converters_;
  const transforms::TransformRegistry& transforms_;
  std::string worker_id_;
  std::string cluster_id_;
  std::atomic<bool> ready_{false};
  log::Logger logger_;

  std::map<std::string, ConnectorState> connectors_;  // herder thread only

  RequestQueue requests_{std::chrono::seconds(90)};
  std::thread thread_;
};

// Builds the validate response for a connector config (shared with the distributed herder).
Result<ConfigInfos> validate_connector(const config::WorkerConfig& worker_config,
                                       runtime::PluginCatalog& catalog,
                                       const data::ConverterRegistry& converters,
                                       const transforms::TransformRegistry& transforms,
                                       const std::string& plugin_class, const ConfigMap& config);

// Connect's message for a config that failed validation, listing every error.
std::string validation_failure_message(const ConfigInfos& infos);

ConfigKeyInfo key_info(const config::ConfigKey& key);

// GET /connector-plugins/{plugin}/config (shared with the distributed herder): a connector's own
// keys, or a transformation's, predicate's, converter's or header converter's. Unknown plugin →
// kNotFound; a known plugin without the asked `version` → kInvalidArgument (Connect 4.3).
Result<std::vector<ConfigKeyInfo>> plugin_config_keys(
    runtime::PluginCatalog& catalog, const data::ConverterRegistry& converters,
    const transforms::TransformRegistry& transforms, const std::string& plugin_class,
    const std::string& version);

}  // namespace kanal::herder
