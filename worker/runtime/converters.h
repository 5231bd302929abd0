// The converters one task uses (key, value, header), created from the connector config with
// the worker config as fallback, as Kafka Connect's Plugins.newConverter does.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "config/worker_config.h"
#include "data/converter.h"

namespace kanal::runtime {

struct TaskConverters {
  std::unique_ptr<data::Converter> key;
  std::unique_ptr<data::Converter> value;
  std::unique_ptr<data::HeaderConverter> header;
  std::string key_class;
  std::string value_class;
  std::string header_class;
  // The versions used (KIP-891 `<role>.plugin.version`, else the newest installed).
  std::string key_version;
  std::string value_version;
  std::string header_version;

  // Connector-level `key.converter` etc. win over the worker's; `<role>.converter.*` settings
  // come from the same level as the class (Connect's rule). The version is the one
  // `<role>.plugin.version` selects (see choose_converter()). Errors name the setting; a version
  // no installed copy matches is kInvalidArgument with Connect's "Plugin ... not found that
  // matches the version range ..." text.
  static Result<TaskConverters> create(const data::ConverterRegistry& registry,
                                       const config::WorkerConfig& worker,
                                       const config::ConfigMap& connector);
};

// Which class and version requirement a task uses for `role` ("key.converter",
// "value.converter", "header.converter"), as Kafka Connect 4.1 decides (KIP-891): the connector's
// class if set, else the worker's, else JsonConverter (SimpleHeaderConverter for headers); the
// connector's `<role>.plugin.version` if set, else, for a worker-level class, the worker's
// `<role>.plugin.version`; empty means the newest installed.
struct ConverterChoice {
  std::string cls;
  bool from_connector = false;
  std::string version_spec;
};
ConverterChoice choose_converter(const config::WorkerConfig& worker,
                                 const config::ConfigMap& connector, const std::string& role);

}  // namespace kanal::runtime
