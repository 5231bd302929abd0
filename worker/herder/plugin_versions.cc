#include "herder/plugin_versions.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "plugins/version.h"
#include "runtime/converters.h"

namespace kanal::herder {
namespace {

ConfigInfo* entry(ConfigInfos& infos, const std::string& key) {
  for (ConfigInfo& ci : infos.configs) {
    if (ci.value.name == key) return &ci;
  }
  return nullptr;
}

void add_error(ConfigInfos& infos, const std::string& key, const std::string& msg) {
  if (ConfigInfo* ci = entry(infos, key)) {
    ci->value.errors.push_back(msg);
    return;
  }
  ConfigInfo ci;
  ci.definition.name = key;
  ci.definition.type = "STRING";
  ci.definition.importance = "LOW";
  ci.definition.width = "NONE";
  ci.definition.display_name = key;
  ci.value.name = key;
  ci.value.errors.push_back(msg);
  infos.configs.push_back(std::move(ci));
}

std::vector<std::string> oldest_first(std::vector<std::string> versions) {
  std::stable_sort(versions.begin(), versions.end(),
                   [](const std::string& a, const std::string& b) {
                     return plugins::compare_versions(a, b) < 0;
                   });
  return versions;
}

// Sets the default, value and recommended values of the version key `key`.
void fill(ConfigInfos& infos, const std::string& key, const std::optional<std::string>& def,
          const std::string& requested, std::vector<std::string> installed) {
  ConfigInfo* ci = entry(infos, key);
  if (ci == nullptr) return;
  ci->definition.default_value = def;
  ci->value.value = requested.empty() ? def : std::optional<std::string>(requested);
  ci->value.recommended_values = oldest_first(std::move(installed));
}

std::string trimmed(const ConfigMap& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? std::string() : std::string(config::trim(it->second));
}

}  // namespace

void check_plugin_versions(const config::WorkerConfig& wc, runtime::PluginCatalog& catalog,
                           runtime::ConnectorPlugin& plugin,
                           const data::ConverterRegistry& converters, const ConfigMap& config,
                           ConfigInfos& infos) {
  // connector.plugin.version: the default is the newest installed version (Connect's
  // Plugins.latestVersion), not null.
  std::vector<std::string> installed;
  for (const PluginInfo& p : catalog.plugins(true)) {
    if (p.class_name == plugin.class_name()) installed.push_back(p.version);
  }
  std::optional<std::string> newest;
  if (auto n = catalog.connector(plugin.class_name(), ""); n.ok()) newest = (*n)->version();
  fill(infos, "connector.plugin.version", newest, trimmed(config, "connector.plugin.version"),
       installed);

  for (const std::string role : {"key.converter", "value.converter", "header.converter"}) {
    const bool header = role == "header.converter";
    const std::string version_key = role + ".plugin.version";
    runtime::ConverterChoice choice = runtime::choose_converter(wc, config, role);
    auto version_of = [&](std::string_view spec) {
      return header ? converters.header_converter_version(choice.cls, spec)
                    : converters.converter_version(choice.cls, spec);
    };
    auto latest = version_of("");
    if (!latest.ok()) {
      // Only the connector's own class is the connector's mistake; a bad worker-level class
      // stops the worker's tasks and is reported there.
      if (choice.from_connector) {
        add_error(infos, role,
                  "Invalid value " + choice.cls + " for configuration " + role + ": Class " +
                      choice.cls + " could not be found.");
      }
      fill(infos, version_key, std::nullopt, trimmed(config, version_key), {});
      continue;
    }
    std::vector<std::string> versions = header ? converters.header_converter_versions(choice.cls)
                                               : converters.converter_versions(choice.cls);
    // ConnectorConfig.converterDefaults: a worker-level converter defaults to the worker's
    // `<role>.plugin.version` when set, else to the newest installed version.
    std::optional<std::string> def = *latest;
    if (!choice.from_connector) {
      std::string worker_spec = trimmed(wc.originals(), version_key);
      if (!worker_spec.empty()) def = worker_spec;
    }
    fill(infos, version_key, def, trimmed(config, version_key), versions);
    auto chosen = version_of(choice.version_spec);
    if (!chosen.ok()) {
      add_error(infos, role, chosen.status().message());
      add_error(infos, version_key, chosen.status().message());
    }
  }
}

}  // namespace kanal::herder
