// The runtime's view of installed plugins over the plugin loader's registry: connector plugins
// adapted to runtime::ConnectorPlugin, and the listing GET /connector-plugins shows (connectors
// from libraries, built-in and plugin transformations, predicates and converters).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "data/converter.h"
#include "plugins/plugin_registry.h"
#include "runtime/worker.h"
#include "transforms/transform_registry.h"

namespace kanal::runtime {

class RegistryCatalog : public PluginCatalog {
 public:
  // The registries outlive the catalog.
  RegistryCatalog(const plugins::PluginRegistry& plugins, const data::ConverterRegistry& converters,
                  const transforms::TransformRegistry& transforms);
  ~RegistryCatalog() override;

  Result<ConnectorPlugin*> connector(const std::string& class_or_alias,
                                     const std::string& version_spec) override;
  std::vector<herder::PluginInfo> plugins(bool connectors_only) override;

 private:
  const plugins::PluginRegistry& plugins_;
  const data::ConverterRegistry& converters_;
  const transforms::TransformRegistry& transforms_;
  std::mutex mu_;
  // One adapter per resolved PluginInfo, created on first use; guarded by mu_.
  std::map<const plugins::PluginInfo*, std::unique_ptr<ConnectorPlugin>> adapters_;
};

}  // namespace kanal::runtime
