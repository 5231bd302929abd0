#include "plugins/connector_instance.h"

#include <algorithm>

#include "plugins/host_api_internal.h"

namespace kanal::plugins {

namespace {
constexpr size_t kErrSize = 2048;
}

ConnectorInstance::ConnectorInstance(std::shared_ptr<const PluginInfo> plugin, std::string name)
    : plugin_(std::move(plugin)), name_(std::move(name)), ctx_(std::make_unique<kanal_context>()) {}

Result<std::unique_ptr<ConnectorInstance>> ConnectorInstance::create(
    std::shared_ptr<const PluginInfo> plugin, std::string name, ConnectorContext* ctx) {
  if (!plugin || !plugin->is_connector()) {
    return Status::invalid_argument("Connector '" + name +
                                    "': " + (plugin ? plugin->class_name : std::string("(null)")) +
                                    " is not a connector plugin");
  }
  std::unique_ptr<ConnectorInstance> inst(
      new ConnectorInstance(std::move(plugin), std::move(name)));
  inst->ctx_->logger = log::Logger("kanal.connector").for_connector(inst->name_);
  inst->ctx_->connector = ctx;
  char err[kErrSize] = {0};
  kanal_status s =
      inst->plugin_->connector->ops->create(inst->ctx_.get(), &inst->obj_, err, sizeof err);
  if (s != KANAL_OK || inst->obj_ == nullptr) {
    inst->obj_ = nullptr;
    return detail::plugin_status(
        s == KANAL_OK ? KANAL_ERR : s, err,
        "Connector '" + inst->name_ + "': " + inst->plugin_->class_name + " could not be created");
  }
  return inst;
}

ConnectorInstance::~ConnectorInstance() {
  if (obj_ != nullptr) plugin_->connector->ops->destroy(obj_);
}

Status ConnectorInstance::start(const config::ConfigMap& config) {
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(config, kvs);
  char err[kErrSize] = {0};
  kanal_status s = plugin_->connector->ops->start(obj_, &cfg, err, sizeof err);
  return detail::plugin_status(s, err, "Connector '" + name_ + "' failed to start");
}

Result<std::vector<config::ConfigMap>> ConnectorInstance::task_configs(int32_t max_tasks) {
  kanal_task_configs out;
  char err[kErrSize] = {0};
  kanal_status s = plugin_->connector->ops->task_configs(obj_, max_tasks, &out, err, sizeof err);
  if (s != KANAL_OK) {
    return detail::plugin_status(s, err,
                                 "Connector '" + name_ + "' failed to generate task configs");
  }
  return std::move(out.configs);
}

Status ConnectorInstance::stop() {
  char err[kErrSize] = {0};
  kanal_status s = plugin_->connector->ops->stop(obj_, err, sizeof err);
  return detail::plugin_status(s, err, "Connector '" + name_ + "' failed to stop");
}

std::vector<config::ConfigValueInfo> ConnectorInstance::validate(const config::ConfigMap& config) {
  std::vector<config::ConfigValueInfo> out = plugin_->config_def.validate(config);
  const kanal_connector_ops* ops = plugin_->connector->ops;
  if (ops->validate == nullptr) return out;
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(config, kvs);
  kanal_validation v;
  char err[kErrSize] = {0};
  kanal_status s = ops->validate(obj_, &cfg, &v, err, sizeof err);
  if (s != KANAL_OK) {
    Status st = detail::plugin_status(s, err, "Connector validation failed");
    if (out.empty()) {
      config::ConfigValueInfo info;
      info.name = "connector.class";
      out.push_back(std::move(info));
    }
    out.front().errors.push_back(st.message());
  }
  for (auto& [key, message] : v.errors) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& i) { return i.name == key; });
    if (it == out.end()) {
      config::ConfigValueInfo info;
      info.name = key;
      if (auto c = config.find(key); c != config.end()) info.value = c->second;
      out.push_back(std::move(info));
      it = out.end() - 1;
    }
    it->errors.push_back(std::move(message));
  }
  return out;
}

}  // namespace kanal::plugins
