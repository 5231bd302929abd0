// An adapter that lets the worker use a plugin-provided converter through its own interface
// (data/converter.h), as plugin_transforms.h does for transformations and predicates.
//
// The plugin object is created by configure() (the interface's first call; a creation failure
// is returned from there) and destroyed through the plugin's destroy. Plugin converters see no
// Kafka headers: the ABI's from_connect/to_connect carry none. Same threading as the interface:
// one task thread per instance.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "data/converter.h"
#include "plugins/plugin_info.h"

struct kanal_context;
struct kanal_converter;

namespace kanal::plugins {

class PluginConverter : public data::Converter {
 public:
  // kInvalidArgument unless `plugin` is a converter.
  static Result<std::unique_ptr<PluginConverter>> create(std::shared_ptr<const PluginInfo> plugin);
  ~PluginConverter() override;

  // Creates the plugin object and configures it. Errors: the plugin's create failure, or
  // kInvalidArgument with the plugin's message when it rejects the settings.
  Status configure(const data::ConfigMap& configs, bool is_key) override;
  // kInvalidArgument (Connect's DataException) with the plugin's message on a failure,
  // kUnavailable when the plugin reports a retriable one; kInternal when not configured.
  Status from_connect(std::string_view topic, data::Headers* headers, const data::SchemaPtr& schema,
                      const data::Value& value, data::SerializedData& out) override;
  Result<data::SchemaAndValue> to_connect(std::string_view topic, const data::Headers* headers,
                                          std::optional<std::string_view> bytes) override;

  const config::ConfigDef& config_def() const override { return plugin_->config_def; }

 private:
  explicit PluginConverter(std::shared_ptr<const PluginInfo> plugin);

  std::shared_ptr<const PluginInfo> plugin_;
  std::unique_ptr<kanal_context> ctx_;
  kanal_converter* obj_ = nullptr;
};

}  // namespace kanal::plugins
