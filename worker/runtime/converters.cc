#include "runtime/converters.h"

#include "runtime/connector_config.h"

namespace kanal::runtime {
namespace {

// The class name and settings for `role` ("key.converter", ...).
std::pair<std::string, config::ConfigMap> pick(const config::WorkerConfig& worker,
                                               const config::ConfigMap& connector,
                                               const std::string& role,
                                               const std::string& fallback) {
  auto it = connector.find(role);
  if (it != connector.end() && !config::trim(it->second).empty()) {
    return {std::string(config::trim(it->second)), sub_config(connector, role)};
  }
  std::string cls = worker.parsed().get_string(role);
  if (cls.empty()) cls = fallback;
  return {cls, worker.with_prefix(role)};
}

}  // namespace

Result<TaskConverters> TaskConverters::create(const data::ConverterRegistry& registry,
                                              const config::WorkerConfig& worker,
                                              const config::ConfigMap& connector) {
  TaskConverters out;
  for (bool is_key : {true, false}) {
    std::string role = is_key ? "key.converter" : "value.converter";
    auto [cls, settings] =
        pick(worker, connector, role, "org.apache.kafka.connect.json.JsonConverter");
    auto conv = registry.create_converter(cls);
    if (!conv.ok())
      return conv.status().with_context("Invalid value " + cls + " for configuration " + role);
    Status s = (*conv)->configure(settings, is_key);
    if (!s.ok()) return s.with_context(role);
    (is_key ? out.key : out.value) = std::move(conv).value();
    (is_key ? out.key_class : out.value_class) = cls;
  }
  auto [cls, settings] = pick(worker, connector, "header.converter",
                              "org.apache.kafka.connect.storage.SimpleHeaderConverter");
  auto hc = registry.create_header_converter(cls);
  if (!hc.ok()) {
    return hc.status().with_context("Invalid value " + cls + " for configuration header.converter");
  }
  Status s = (*hc)->configure(settings);
  if (!s.ok()) return s.with_context("header.converter");
  out.header = std::move(hc).value();
  out.header_class = cls;
  return out;
}

}  // namespace kanal::runtime
