// Worker: starts and stops connector instances and task runners on this process (Kafka
// Connect's Worker). It knows nothing of cluster coordination: a herder decides what runs here
// and calls the Worker from its herder thread. Not thread-safe: herder thread only.
//
// Configs arrive as stored, with `${provider:...}` references; the Worker resolves them with
// the worker's config providers just before handing them to a plugin (a failure makes the
// connector or task FAILED, naming the reference), and puts the references back into the task
// configs a connector generates, so nothing the herder stores or shows holds a secret.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/log.h"
#include "config/worker_config.h"
#include "data/converter.h"
#include "herder/herder.h"
#include "runtime/client_overrides.h"
#include "runtime/instances.h"
#include "runtime/status.h"
#include "runtime/task_runner.h"
#include "storage/offset_store.h"
#include "transforms/transform_registry.h"

namespace kanal::runtime {

using herder::TargetState;

// Finds the plugin a connector config names (connector.class + connector.plugin.version) and
// lists what is installed. Implemented over the plugin registry; thread-safe.
class PluginCatalog {
 public:
  virtual ~PluginCatalog() = default;
  // kInvalidArgument (Connect answers 400) naming the class when nothing matches.
  virtual Result<ConnectorPlugin*> connector(const std::string& class_or_alias,
                                             const std::string& version_spec) = 0;
  virtual std::vector<herder::PluginInfo> plugins(bool connectors_only) = 0;
};

struct WorkerServices {
  const config::WorkerConfig* config = nullptr;
  PluginCatalog* plugins = nullptr;
  const data::ConverterRegistry* converters = nullptr;
  const transforms::TransformRegistry* transforms = nullptr;
  storage::OffsetBackingStore* offsets = nullptr;
  StatusStore* status = nullptr;
  std::string worker_id;
};

class Worker {
 public:
  explicit Worker(WorkerServices services);
  ~Worker();

  // The plugin a connector config names.
  Result<ConnectorPlugin*> plugin_for(const config::ConfigMap& connector_config);

  // Creates and starts a connector instance (kept across pause; stopped by stop_connector).
  // Reports RUNNING/PAUSED/STOPPED or FAILED to the status store. Returns the failure too.
  Status start_connector(const std::string& name, const config::ConfigMap& config,
                         TargetState state, ConnectorContext& ctx);
  bool connector_running(const std::string& name) const;
  // The running connector's task configs (at most tasks.max; more fails when
  // tasks.max.enforce=true, as Connect 3.8).
  Result<std::vector<config::ConfigMap>> connector_task_configs(const std::string& name);
  void stop_connector(const std::string& name);

  Status start_task(const herder::TaskId& id, const config::ConfigMap& connector_config,
                    const config::ConfigMap& task_config, TargetState state);
  // Stops the given tasks, all at once, bounded by task.shutdown.graceful.timeout.ms in total;
  // a task that does not stop in time is abandoned and reported.
  void stop_tasks(const std::vector<herder::TaskId>& ids);
  std::vector<herder::TaskId> tasks_of(const std::string& connector) const;
  void set_target_state(const std::string& connector, TargetState state);
  // Stops every task and connector (shutdown).
  void stop_all();

  // This worker's advertised host:port, known once the REST server has bound its port. Call
  // before starting anything.
  // Log lines carry it from then on (log::set_worker_id).
  void set_worker_id(std::string id) {
    s_.worker_id = std::move(id);
    log::set_worker_id(s_.worker_id);
  }

  // Client settings for a connector's clients: worker `<kind>.*`, then the connector's
  // `<kind>.override.*` (the policy was checked at validation; references are resolved and
  // overrides check_override_safety refuses are dropped with a warning), then Connect's
  // defaults.
  config::ConfigMap producer_settings(const std::string& connector, int32_t task,
                                      const config::ConfigMap& connector_config) const;
  config::ConfigMap consumer_settings(const std::string& connector, int32_t task,
                                      const config::ConfigMap& connector_config) const;
  config::ConfigMap admin_settings(const std::string& connector,
                                   const config::ConfigMap& connector_config) const;

 private:
  struct ConnectorEntry {
    std::unique_ptr<Connector> instance;
    ConnectorKind kind;
    config::ConfigMap config;  // resolved
    config::ConfigMap raw;     // as stored
    std::string version;
    std::string task_class;
  };

  config::ConfigMap client_overrides(const std::string& connector, const config::ConfigMap& cc,
                                     std::string_view kind) const;

  WorkerServices s_;
  std::map<std::string, ConnectorEntry> connectors_;
  std::map<herder::TaskId, std::unique_ptr<TaskRunner>> tasks_;
  log::Logger logger_;
};

}  // namespace kanal::runtime
