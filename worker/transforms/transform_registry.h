// TransformRegistry: creates transformations and predicates by Kafka class name or alias, and
// lists them for GET /connector-plugins?connectorsOnly=false.
//
// Names resolve as Kafka Connect's plugin loader resolves them: the full class name
// (org.apache.kafka.connect.transforms.RegexRouter), or an alias when exactly one registered
// plugin has it. Aliases are Connect's (the simple class name, and the simple name minus a
// `Transformation` / `Predicate` suffix), plus, as a kanal convenience, the class name after
// the last '.' for nested classes (`InsertField$Value`); an alias shared by two plugins resolves
// to neither, as in Connect.
//
// Several versions of one class may be registered side by side (KIP-891): create_*() takes the
// requirement of `transforms.<alias>.plugin.version` / `predicates.<alias>.plugin.version` (an
// exact version or a Maven range, see plugins/version.h) and creates the newest version it
// allows; no requirement means the newest registered.
//
// Thread-safety: registration is not synchronized (do it at start-up from one thread, before the
// registry is shared); the const methods may then be called from any thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "transforms/transformation.h"

namespace kanal::transforms {

// The Kafka version whose transforms the built-ins reproduce; reported as their "version".
inline constexpr std::string_view kBuiltinVersion = "4.3.1";

// One entry of the plugin listing.
struct PluginDesc {
  std::string class_name;  // e.g. "org.apache.kafka.connect.transforms.Cast$Value"
  PluginType type = PluginType::kTransformation;
  std::string version;
};

class TransformRegistry {
 public:
  using TransformationFactory = std::function<std::unique_ptr<Transformation>()>;
  using PredicateFactory = std::function<std::unique_ptr<Predicate>()>;

  TransformRegistry() = default;
  // A registry holding every transformation and predicate Kafka ships (see builtins.cc).
  static TransformRegistry with_builtins();

  // Registers `version` of a plugin-provided implementation under its full class name.
  // kConflict when the class is registered as the other kind, or already in this version (the
  // first registration stays). Other versions of the class stay registered.
  Status register_transformation(std::string class_name, std::string version,
                                 TransformationFactory factory);
  Status register_predicate(std::string class_name, std::string version, PredicateFactory factory);

  // The full class name `name` resolves to for `type`: itself when registered, else the class of
  // a unique alias. kNotFound ("Class X could not be found.") when nothing matches;
  // kInvalidArgument ("Not a Transformation") when the name resolves to the other kind.
  Result<std::string> resolve(std::string_view name, PluginType type) const;

  // The version of `name` that `version_spec` selects (empty: the newest). Errors as resolve(),
  // plus kInvalidArgument for a malformed spec or one no registered version matches ("Plugin X
  // not found that matches the version range ..., available versions: [...]").
  Result<std::string> version_of(std::string_view name, PluginType type,
                                 std::string_view version_spec = {}) const;

  // A new, unconfigured instance of the version `version_spec` selects; errors as version_of().
  // The caller owns the result.
  Result<std::unique_ptr<Transformation>> create_transformation(
      std::string_view name, std::string_view version_spec = {}) const;
  Result<std::unique_ptr<Predicate>> create_predicate(std::string_view name,
                                                      std::string_view version_spec = {}) const;

  // Every registered plugin in every version, sorted by class name (Connect lists them so), then
  // oldest version first.
  std::vector<PluginDesc> plugins() const;

 private:
  struct Version {
    std::string version;
    TransformationFactory transformation;
    PredicateFactory predicate;
  };
  struct Entry {
    std::string class_name;
    PluginType type = PluginType::kTransformation;
    std::vector<Version> versions;  // registration order
  };

  Status add(std::string class_name, PluginType type, Version version);
  const Entry* find(std::string_view name) const;
  // The entry and version `version_spec` selects for `name` of `type`.
  Result<std::pair<const Entry*, const Version*>> pick(std::string_view name, PluginType type,
                                                       std::string_view version_spec) const;

  std::map<std::string, Entry, std::less<>> by_class_;
  // alias -> every class that claims it; only aliases with exactly one class resolve.
  std::map<std::string, std::vector<std::string>, std::less<>> aliases_;
};

}  // namespace kanal::transforms
