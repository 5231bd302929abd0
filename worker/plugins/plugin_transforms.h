// Adapters that let the transform chain run plugin-provided transformations and predicates
// through the worker's own interfaces (transforms/transformation.h).
//
// Each adapter owns the plugin object and destroys it through the plugin's destroy. A record
// crosses as a borrowed view; the plugin's changes are applied to the record after its apply()
// returns. Same threading as the interfaces: one task thread per instance.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "plugins/plugin_info.h"
#include "transforms/transformation.h"

struct kanal_context;
struct kanal_transformation;
struct kanal_predicate;

namespace kanal::plugins {

class PluginTransformation : public transforms::Transformation {
 public:
  // `owner` names the connector (and alias) in logs and errors, e.g. "orders|transforms.up".
  // kInvalidArgument unless `plugin` is a transformation; the plugin's create failure else.
  static Result<std::unique_ptr<PluginTransformation>> create(
      std::shared_ptr<const PluginInfo> plugin, std::string owner);
  ~PluginTransformation() override;

  Status configure(const transforms::ConfigMap& props) override;
  const config::ConfigDef& config_def() const override { return plugin_->config_def; }
  Result<transforms::Outcome> apply(data::ConnectRecord& record,
                                    transforms::RecordKind kind) override;

 private:
  PluginTransformation(std::shared_ptr<const PluginInfo> plugin, std::string owner);

  std::shared_ptr<const PluginInfo> plugin_;
  std::string owner_;
  std::unique_ptr<kanal_context> ctx_;
  kanal_transformation* obj_ = nullptr;
};

class PluginPredicate : public transforms::Predicate {
 public:
  static Result<std::unique_ptr<PluginPredicate>> create(std::shared_ptr<const PluginInfo> plugin,
                                                         std::string owner);
  ~PluginPredicate() override;

  Status configure(const transforms::ConfigMap& props) override;
  const config::ConfigDef& config_def() const override { return plugin_->config_def; }
  // A plugin failure is logged and reads as false (the interface's test() cannot fail).
  bool test(const data::ConnectRecord& record) override;

 private:
  PluginPredicate(std::shared_ptr<const PluginInfo> plugin, std::string owner);

  std::shared_ptr<const PluginInfo> plugin_;
  std::string owner_;
  std::unique_ptr<kanal_context> ctx_;
  kanal_predicate* obj_ = nullptr;
};

}  // namespace kanal::plugins
