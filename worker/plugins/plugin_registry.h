// PluginRegistry: every plugin component found on plugin.path, looked up as Kafka Connect does.
//
// A class resolves by its full name, its simple name (after the last '.') and its simple name
// minus the kind's suffix ("Connector", "Converter", "Transformation", "Predicate"), plus any
// alias its descriptor declares (FileStreamSource, FileStreamSourceConnector and
// org.apache.kafka.connect.file.FileStreamSourceConnector name the same class). An alias is
// valid only when exactly one class claims it; ambiguous aliases are dropped (Connect's
// PluginUtils.computeAliases). Several versions of a class may be installed side by side: a
// version requirement (`connector.plugin.version`: exact or a Maven range) picks one, else the
// newest wins.
// Immutable after construction; safe to share between threads.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "plugins/plugin_info.h"
#include "plugins/plugin_loader.h"

namespace kanal::data {
class ConverterRegistry;
}
namespace kanal::transforms {
class TransformRegistry;
}

namespace kanal::plugins {

class PluginRegistry {
 public:
  PluginRegistry() = default;
  // Registers `plugins` (for instance from load_plugin_path()) and remembers `errors`.
  explicit PluginRegistry(std::vector<std::shared_ptr<const PluginInfo>> plugins,
                          std::vector<LoadError> errors = {});

  // Loads every plugin on `plugin_path` (see plugin_loader.h). Broken libraries are logged and
  // listed in errors(); the registry holds the rest.
  static PluginRegistry scan(const std::vector<std::filesystem::path>& plugin_path,
                             const log::Logger& logger = log::Logger("kanal.plugins"));

  // Every component and version, in load order (for GET /connector-plugins).
  const std::vector<std::shared_ptr<const PluginInfo>>& plugins() const { return plugins_; }
  const std::vector<LoadError>& errors() const { return errors_; }

  // The component called `name` (class name or alias) of one of `kinds`, in the version that
  // `version_requirement` selects (empty: the newest).
  // Errors: kNotFound when no class of those kinds has that name or alias (the message says
  // when the alias is ambiguous); kInvalidArgument when the requirement is malformed or no
  // installed version satisfies it (the message lists the installed versions).
  Result<std::shared_ptr<const PluginInfo>> find(std::string_view name,
                                                 std::initializer_list<PluginKind> kinds,
                                                 std::string_view version_requirement = {}) const;
  // find() for source or sink connectors.
  Result<std::shared_ptr<const PluginInfo>> find_connector(
      std::string_view name, std::string_view version_requirement = {}) const {
    return find(name, {PluginKind::kSource, PluginKind::kSink}, version_requirement);
  }

  // The full class name `name` stands for, or "" when it is unknown or ambiguous.
  std::string resolve_class_name(std::string_view name) const;

  // The aliases that resolve to `class_name` (simple names, pruned names, declared ones).
  std::vector<std::string> aliases_of(std::string_view class_name) const;

 private:
  void compute_aliases();

  std::vector<std::shared_ptr<const PluginInfo>> plugins_;
  std::vector<LoadError> errors_;
  std::map<std::string, std::string, std::less<>> aliases_;                 // alias -> class name
  std::map<std::string, std::vector<std::string>, std::less<>> ambiguous_;  // alias -> classes
};

// Makes the transformations, predicates and converters of loaded plugins usable by connectors
// (plugin_components.cc). Registers every plugin transformation and predicate in `transforms` and
// every plugin converter in `converters`, by full class name, in every installed version: the
// registries keep versions side by side and pick one per connector (`*.plugin.version`, KIP-891).
//
// Aliases follow each registry's rules: TransformRegistry derives its own (simple name, simple
// name minus the suffix; shared aliases resolve to nothing). Converters get the aliases the
// plugin registry computes (simple name, simple name minus "Converter", declared aliases, each
// only when no other plugin claims it), each added only if the converter registry does not
// already hold it, so a plugin never takes over a built-in's name.
//
// Keeps going past a class that cannot be registered (its class name is taken by another kind or
// a converter alias, or that version of the class is already registered), logging each; returns
// kConflict with every reason, OK when all were registered. Call at start-up, before the registries
// are shared.
Status register_plugin_components(const PluginRegistry& plugins,
                                  transforms::TransformRegistry& transforms,
                                  data::ConverterRegistry& converters,
                                  const log::Logger& logger = log::Logger("kanal.plugins"));

}  // namespace kanal::plugins
