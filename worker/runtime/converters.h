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

  // Connector-level `key.converter` etc. win over the worker's; `<role>.converter.*` settings
  // come from the same level as the class (Connect's rule). Errors name the setting.
  static Result<TaskConverters> create(const data::ConverterRegistry& registry,
                                       const config::WorkerConfig& worker,
                                       const config::ConfigMap& connector);
};

}  // namespace kanal::runtime
