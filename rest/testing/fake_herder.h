// FakeHerder: an in-memory Herder for REST tests. It keeps connectors, configs, target states
// and offsets in maps and answers like a standalone worker whose connectors all run one task
// per `tasks.max`. Thread-safe (one mutex); no threads of its own.
//
// Known plugins: FileStreamSource / FileStreamSink (full and short names). Validation rules
// it applies: connector.class present and known, tasks.max ≥ 1.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "herder/herder.h"

namespace kanal::rest::testing {

class FakeHerder : public herder::Herder {
 public:
  static constexpr const char* kSourceClass =
      "org.apache.kafka.connect.file.FileStreamSourceConnector";
  static constexpr const char* kSinkClass = "org.apache.kafka.connect.file.FileStreamSinkConnector";
  static constexpr const char* kWorkerId = "127.0.0.1:8083";

  // Every later call (but ready/server_info/worker_id/plugins) answers `status` until cleared.
  void fail_with(std::optional<Status> status);
  void set_ready(bool ready);
  // Marks a task FAILED with `trace` (for restart/onlyFailed and trace tests).
  void fail_task(const herder::TaskId& id, std::string trace);
  // Pretends a connector disappears from status/info lookups while still listed.
  void hide_from_lookups(const std::string& name);

  bool ready() const override;
  herder::ServerInfo server_info() override;
  std::string worker_id() const override { return kWorkerId; }

  Result<std::vector<std::string>> connectors() override;
  Result<herder::ConnectorInfo> connector_info(const std::string& name) override;
  Result<config::ConfigMap> connector_config(const std::string& name) override;
  Result<herder::PutResult> put_connector_config(
      const std::string& name, config::ConfigMap config, bool allow_replace,
      std::optional<herder::TargetState> initial_state) override;
  Result<herder::ConnectorInfo> patch_connector_config(const std::string& name,
                                                       config::ConfigMap set,
                                                       std::vector<std::string> remove) override;
  Status delete_connector(const std::string& name) override;

  Result<herder::ConnectorStatus> connector_status(const std::string& name) override;
  Result<herder::StateInfo> task_status(const herder::TaskId& id) override;
  Result<std::vector<herder::TaskInfo>> task_configs(const std::string& name) override;

  Result<std::optional<herder::ConnectorStatus>> restart_connector(const std::string& name,
                                                                   bool include_tasks,
                                                                   bool only_failed) override;
  Status restart_task(const herder::TaskId& id) override;
  Status pause_connector(const std::string& name) override;
  Status resume_connector(const std::string& name) override;
  Status stop_connector(const std::string& name) override;

  Result<std::vector<std::string>> active_topics(const std::string& name) override;
  Status reset_active_topics(const std::string& name) override;

  Result<std::vector<herder::PartitionOffset>> connector_offsets(const std::string& name) override;
  Result<std::string> alter_connector_offsets(
      const std::string& name, std::vector<herder::PartitionOffset> offsets) override;
  Result<std::string> reset_connector_offsets(const std::string& name) override;

  std::vector<herder::PluginInfo> plugins(bool connectors_only) override;
  Result<std::vector<herder::ConfigKeyInfo>> plugin_config(const std::string& plugin_class,
                                                           const std::string& version) override;
  Result<herder::ConfigInfos> validate_connector_config(const std::string& plugin_class,
                                                        config::ConfigMap config) override;

 private:
  struct Connector {
    config::ConfigMap config;
    herder::TargetState target = herder::TargetState::kStarted;
    int tasks = 0;
    std::map<int, std::string> failed_tasks;     // task → trace
    std::map<std::string, std::string> offsets;  // partition json → offset json
  };

  // Caller holds mu_.
  Status injected() const;
  Result<Connector*> find(const std::string& name);
  herder::ConnectorInfo info_of(const std::string& name, const Connector& c) const;
  herder::ConnectorStatus status_of(const std::string& name, const Connector& c) const;
  static std::optional<std::string> full_class(const std::string& name);
  static Status validate(const config::ConfigMap& config);

  mutable std::mutex mu_;
  std::map<std::string, Connector> connectors_;  // guarded by mu_
  std::optional<Status> fail_;                   // guarded by mu_
  bool ready_ = true;                            // guarded by mu_
  std::vector<std::string> hidden_;              // guarded by mu_
};

}  // namespace kanal::rest::testing
