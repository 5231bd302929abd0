// What the loader learned about one plugin component (a connector, transformation, predicate or
// converter class) from its library's descriptor. Immutable after loading; shared by the
// registry and every instance created from it.
#pragma once

#include <kanal/kanal.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config_def.h"

namespace kanal::plugins {

enum class PluginKind : uint8_t { kSource, kSink, kTransformation, kPredicate, kConverter };

// As GET /connector-plugins spells "type": "source", "sink", "transformation", "predicate",
// "converter".
const char* to_connect_string(PluginKind kind);

struct PluginInfo {
  PluginKind kind = PluginKind::kSource;
  std::string class_name;  // full name, e.g. "com.example.HelloSourceConnector"
  std::string version;
  std::string doc;
  std::vector<std::string> aliases;  // extra aliases the plugin declared
  std::string task_class;            // connectors only
  config::ConfigDef config_def;      // the component's own settings, translated from the ABI
  std::string plugin_name;           // the library's plugin name and version
  std::string plugin_version;
  std::filesystem::path library;  // the shared library file

  // ABI descriptors; they live in the library, which stays loaded until the process ends.
  const kanal_connector_descriptor* connector = nullptr;  // kSource, kSink
  const kanal_transformation_descriptor* transformation = nullptr;
  const kanal_predicate_descriptor* predicate = nullptr;
  const kanal_converter_descriptor* converter = nullptr;

  bool is_connector() const { return kind == PluginKind::kSource || kind == PluginKind::kSink; }
};

}  // namespace kanal::plugins
