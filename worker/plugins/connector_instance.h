// ConnectorInstance: one plugin connector object, driven by the herder.
//
// Owns the plugin's kanal_connector and destroys it through the plugin's own destroy. Every
// call goes through the plugin's noexcept ops; a plugin failure comes back as a Status whose
// message names the connector and carries the plugin's text (a constructor that throws ends in
// create() failing with its message). Not thread-safe: one thread at a time (the herder's).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "plugins/contexts.h"
#include "plugins/plugin_info.h"

struct kanal_context;
struct kanal_connector;

namespace kanal::plugins {

class ConnectorInstance {
 public:
  // Creates the plugin's connector object for the connector called `name`. `ctx` (may be null
  // for an instance used only to validate) is borrowed and must outlive the instance.
  // Errors: the plugin's create failure (kInternal with its message), or kInvalidArgument when
  // `plugin` is not a connector.
  static Result<std::unique_ptr<ConnectorInstance>> create(std::shared_ptr<const PluginInfo> plugin,
                                                           std::string name,
                                                           ConnectorContext* ctx = nullptr);
  ~ConnectorInstance();
  ConnectorInstance(const ConnectorInstance&) = delete;
  ConnectorInstance& operator=(const ConnectorInstance&) = delete;

  // Connector.start(props): `config` is the connector's whole config as the user gave it.
  Status start(const config::ConfigMap& config);
  // Connector.taskConfigs(maxTasks). The caller enforces tasks.max (tasks.max.enforce).
  Result<std::vector<config::ConfigMap>> task_configs(int32_t max_tasks);
  // Connector.stop().
  Status stop();
  // Connector.validate(props): the plugin's own keys checked against its ConfigDef, plus the
  // errors the plugin's validate adds (on keys it may not define; those get an entry of their
  // own). A failing plugin validate adds its message to the errors of the first key.
  std::vector<config::ConfigValueInfo> validate(const config::ConfigMap& config);

  const config::ConfigDef& config_def() const { return plugin_->config_def; }
  PluginKind type() const { return plugin_->kind; }
  bool is_source() const { return plugin_->kind == PluginKind::kSource; }
  const std::string& class_name() const { return plugin_->class_name; }
  const std::string& version() const { return plugin_->version; }
  const std::string& task_class() const { return plugin_->task_class; }
  const std::string& name() const { return name_; }
  const std::shared_ptr<const PluginInfo>& plugin() const { return plugin_; }

 private:
  ConnectorInstance(std::shared_ptr<const PluginInfo> plugin, std::string name);

  std::shared_ptr<const PluginInfo> plugin_;
  std::string name_;
  std::unique_ptr<kanal_context> ctx_;  // outlives obj_: declared first
  kanal_connector* obj_ = nullptr;
};

}  // namespace kanal::plugins
