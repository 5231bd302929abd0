#include "runtime/converters.h"

#include "runtime/connector_config.h"

namespace kanal::runtime {
namespace {

// What one role ("key.converter", ...) uses: class, `<role>.*` settings and version requirement.
struct Picked {
  std::string cls;
  config::ConfigMap settings;
  std::string version_spec;
};

std::string trimmed(const config::ConfigMap& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : std::string(config::trim(it->second));
}

}  // namespace

ConverterChoice choose_converter(const config::WorkerConfig& worker,
                                 const config::ConfigMap& connector, const std::string& role) {
  ConverterChoice out;
  const std::string version_key = role + ".plugin.version";
  out.cls = trimmed(connector, role);
  out.from_connector = !out.cls.empty();
  if (!out.from_connector) {
    out.cls = worker.parsed().get_string(role);
    if (out.cls.empty()) {
      out.cls = role == "header.converter"
                    ? "org.apache.kafka.connect.storage.SimpleHeaderConverter"
                    : "org.apache.kafka.connect.json.JsonConverter";
    }
  }
  // KIP-891: the connector's `<role>.plugin.version` applies to whichever class is used; a
  // worker-level converter falls back to the worker's `<role>.plugin.version`.
  out.version_spec = trimmed(connector, version_key);
  if (out.version_spec.empty() && !out.from_connector) {
    out.version_spec = trimmed(worker.originals(), version_key);
  }
  return out;
}

namespace {

Picked pick(const config::WorkerConfig& worker, const config::ConfigMap& connector,
            const std::string& role) {
  ConverterChoice c = choose_converter(worker, connector, role);
  Picked p{c.cls, c.from_connector ? sub_config(connector, role) : worker.with_prefix(role),
           c.version_spec};
  p.settings.erase("plugin.version");  // the framework's key, not the converter's
  return p;
}

}  // namespace

Result<TaskConverters> TaskConverters::create(const data::ConverterRegistry& registry,
                                              const config::WorkerConfig& worker,
                                              const config::ConfigMap& connector) {
  TaskConverters out;
  for (bool is_key : {true, false}) {
    std::string role = is_key ? "key.converter" : "value.converter";
    Picked p = pick(worker, connector, role);
    auto conv = registry.create_converter(p.cls, p.version_spec);
    if (!conv.ok()) {
      if (conv.status().code() == Status::Code::kNotFound) {
        return conv.status().with_context("Invalid value " + p.cls + " for configuration " + role);
      }
      return conv.status();
    }
    Status s = (*conv)->configure(p.settings, is_key);
    if (!s.ok()) return s.with_context(role);
    (is_key ? out.key : out.value) = std::move(conv).value();
    (is_key ? out.key_class : out.value_class) = p.cls;
    auto version = registry.converter_version(p.cls, p.version_spec);
    (is_key ? out.key_version : out.value_version) = version.ok() ? *version : "";
  }
  Picked p = pick(worker, connector, "header.converter");
  auto hc = registry.create_header_converter(p.cls, p.version_spec);
  if (!hc.ok()) {
    if (hc.status().code() == Status::Code::kNotFound) {
      return hc.status().with_context("Invalid value " + p.cls +
                                      " for configuration header.converter");
    }
    return hc.status();
  }
  Status s = (*hc)->configure(p.settings);
  if (!s.ok()) return s.with_context("header.converter");
  out.header = std::move(hc).value();
  out.header_class = p.cls;
  auto version = registry.header_converter_version(p.cls, p.version_spec);
  out.header_version = version.ok() ? *version : "";
  return out;
}

}  // namespace kanal::runtime
