#include "transforms/transform_chain.h"

#include <map>
#include <set>

#include "transforms/transforms_internal.h"

namespace kanal::transforms {
namespace {

using config::ConfigValueInfo;

std::optional<std::string> get(const config::ConfigMap& cfg, const std::string& key) {
  auto it = cfg.find(key);
  if (it == cfg.end()) return std::nullopt;
  return it->second;
}

// The aliases of `list_key` in order without duplicates; a duplicate is reported as Connect's
// ConnectorConfig does ("Duplicate alias provided.").
std::vector<std::string> list_aliases(const config::ConfigMap& cfg, const std::string& list_key,
                                      ChainValidation& v) {
  std::vector<std::string> listed = config::split_list(get(cfg, list_key).value_or(""));
  std::vector<std::string> unique;
  std::set<std::string> seen;
  for (const std::string& a : listed) {
    if (seen.insert(a).second) unique.push_back(a);
  }
  if (unique.size() != listed.size()) {
    ConfigValueInfo info;
    info.name = list_key;
    info.value = get(cfg, list_key);
    info.errors.push_back("Invalid value " + internal::java_list(listed) + " for configuration " +
                          list_key + ": Duplicate alias provided.");
    v.values.push_back(std::move(info));
  }
  return unique;
}

// Everything under `prefix`, stripped (AbstractConfig.originalsWithPrefix).
config::ConfigMap with_prefix(const config::ConfigMap& cfg, const std::string& prefix) {
  config::ConfigMap out;
  for (auto it = cfg.lower_bound(prefix); it != cfg.end() && it->first.starts_with(prefix); ++it) {
    out.emplace(it->first.substr(prefix.size()), it->second);
  }
  return out;
}

// Attaches a configure() error to the key it names: "... for configuration <key>: ..." (the key
// gets its prefix), else a quoted 'key', else the plugin's `type` entry.
void attribute_error(const Status& status, const std::string& prefix,
                     const config::ConfigDef& plugin_def,
                     std::map<std::string, ConfigValueInfo*>& infos, ConfigValueInfo& type_info) {
  std::string msg = status.message();
  for (const config::ConfigKey& k : plugin_def.keys()) {
    const std::string needle = " for configuration " + k.name + ":";
    size_t pos = msg.find(needle);
    if (pos == std::string::npos) continue;
    msg.replace(pos, needle.size(), " for configuration " + prefix + k.name + ":");
    auto it = infos.find(prefix + k.name);
    (it != infos.end() ? *it->second : type_info).errors.push_back(msg);
    return;
  }
  for (const config::ConfigKey& k : plugin_def.keys()) {
    if (msg.find("'" + k.name + "'") == std::string::npos) continue;
    auto it = infos.find(prefix + k.name);
    (it != infos.end() ? *it->second : type_info).errors.push_back(msg);
    return;
  }
  type_info.errors.push_back(msg);
}

config::ConfigKey framework_key(std::string name, config::Type type, std::optional<std::string> def,
                                bool null_default, std::string doc, std::string group, int order,
                                std::string display) {
  config::ConfigKey k = config::make_key(std::move(name), type, std::move(def),
                                         config::Importance::kHigh, std::move(doc));
  k.default_is_null = null_default;
  k.group = std::move(group);
  k.order_in_group = order;
  k.width = config::Width::kLong;
  k.display_name = std::move(display);
  return k;
}

// One alias of `transforms` or `predicates` being validated.
struct PluginStage {
  std::string alias;
  std::string class_name;
  std::unique_ptr<Transformation> transformation;
  std::unique_ptr<Predicate> predicate;
  std::string predicate_alias;
  bool negate = false;
};

}  // namespace

TransformChain::~TransformChain() { close(); }

ChainValidation TransformChain::build(const config::ConfigMap& cfg,
                                      const TransformRegistry& registry, TransformChain* out) {
  ChainValidation v;
  const std::vector<std::string> transform_aliases = list_aliases(cfg, "transforms", v);
  const std::vector<std::string> predicate_aliases = list_aliases(cfg, "predicates", v);
  const std::set<std::string> predicate_set(predicate_aliases.begin(), predicate_aliases.end());

  std::vector<PluginStage> transforms;
  std::vector<PluginStage> predicates;

  auto validate_plugin = [&](const std::string& alias, PluginType type) {
    const bool is_transform = type == PluginType::kTransformation;
    const std::string kind = is_transform ? "transformation" : "predicate";
    const std::string prefix = (is_transform ? "transforms." : "predicates.") + alias + ".";
    const std::string group = (is_transform ? "Transforms: " : "Predicates: ") + alias;
    v.groups.push_back(group);
    PluginStage stage;
    stage.alias = alias;

    // ConnectorConfig.EnrichablePlugin: type (and for transforms negate, predicate) first.
    const std::string type_key = prefix + "type";
    v.definitions.define(framework_key(
        type_key, config::Type::kClass, std::nullopt, false,
        "Class for the '" + alias + "' " + kind + ".", group, 0,
        std::string(is_transform ? "Transformation" : "Predicate") + " type for " + alias));
    std::vector<ConfigValueInfo> infos;
    ConfigValueInfo type_info;
    type_info.name = type_key;
    type_info.value = get(cfg, type_key);
    const config::ConfigDef* plugin_def = nullptr;
    if (!type_info.value || config::trim(*type_info.value).empty()) {
      type_info.errors.push_back("Missing required configuration \"" + type_key +
                                 "\" which has no default value.");
    } else {
      std::string name(config::trim(*type_info.value));
      auto resolved = registry.resolve(name, type);
      if (!resolved.ok()) {
        type_info.errors.push_back("Invalid value " + name + " for configuration " + type_key +
                                   ": " + resolved.status().message());
      } else {
        stage.class_name = *resolved;
      }
    }

    // KIP-891 (Connect 4.1): `<prefix>plugin.version` picks one installed version of the class;
    // its default is the newest. An unknown version is reported on both keys, as Connect does.
    const std::string version_key = prefix + "plugin.version";
    ConfigValueInfo version_info;
    version_info.name = version_key;
    const std::string version_spec(config::trim(get(cfg, version_key).value_or("")));
    std::optional<std::string> newest;
    bool version_ok = true;
    if (!stage.class_name.empty()) {
      auto n = registry.version_of(stage.class_name, type);
      if (n.ok()) newest = *n;
      for (const PluginDesc& d : registry.plugins()) {
        if (d.class_name == stage.class_name) version_info.recommended_values.push_back(d.version);
      }
      auto chosen = registry.version_of(stage.class_name, type, version_spec);
      if (!chosen.ok()) {
        version_ok = false;
        version_info.errors.push_back(chosen.status().message());
        type_info.errors.push_back(chosen.status().message());
      }
    }
    version_info.value = version_spec.empty() ? newest : std::optional<std::string>(version_spec);
    {
      config::ConfigKey vk = framework_key(
          version_key, config::Type::kString, newest, !newest.has_value(),
          "Version of the '" + alias + "' " + kind + ".", group, 1,
          std::string(is_transform ? "Transformation" : "Predicate") + " version for " + alias);
      v.definitions.define(std::move(vk));
    }
    if (!stage.class_name.empty() && version_ok) {
      if (is_transform) {
        auto created = registry.create_transformation(stage.class_name, version_spec);
        if (created.ok()) {
          stage.transformation = std::move(created).value();
          plugin_def = &stage.transformation->config_def();
        } else {
          type_info.errors.push_back(created.status().message());
        }
      } else {
        auto created = registry.create_predicate(stage.class_name, version_spec);
        if (created.ok()) {
          stage.predicate = std::move(created).value();
          plugin_def = &stage.predicate->config_def();
        } else {
          type_info.errors.push_back(created.status().message());
        }
      }
    }

    ConfigValueInfo negate_info;
    ConfigValueInfo predicate_info;
    if (is_transform) {
      const std::string negate_key = prefix + "negate";
      const std::string predicate_key = prefix + "predicate";
      v.definitions.define(framework_key(negate_key, config::Type::kBoolean, "false", false,
                                         "Whether the configured predicate should be negated.",
                                         group, 2, "Negate"));
      v.definitions.define(framework_key(
          predicate_key, config::Type::kString, std::nullopt, true,
          "The alias of a predicate used to determine whether to apply this transformation.", group,
          3, "Predicate"));
      negate_info.name = negate_key;
      negate_info.value = get(cfg, negate_key).value_or("false");
      auto negate =
          config::ConfigDef::parse_value(*v.definitions.find(negate_key), *negate_info.value);
      if (!negate.ok()) {
        negate_info.errors.push_back(negate.status().message());
      } else {
        stage.negate = std::get<bool>(*negate);
      }
      predicate_info.name = predicate_key;
      predicate_info.value = get(cfg, predicate_key);
      if (predicate_info.value) {
        stage.predicate_alias = std::string(config::trim(*predicate_info.value));
        if (predicate_set.count(stage.predicate_alias) == 0) {
          predicate_info.errors.push_back(
              "Invalid value " + stage.predicate_alias + " for configuration " + predicate_key +
              ": No predicate '" + stage.predicate_alias + "' is listed in 'predicates'.");
        }
      } else if (cfg.count(negate_key) > 0) {
        negate_info.errors.push_back("Config '" + negate_key +
                                     "' was provided but there is no config '" + predicate_key +
                                     "' defining a predicate to be negated.");
      }
    }

    // The plugin's own keys, prefixed and grouped.
    config::ConfigDef prefixed;
    if (plugin_def != nullptr) {
      int order = 4;
      for (const config::ConfigKey& k : plugin_def->keys()) {
        if (k.name == "type" || k.name == "plugin.version" ||
            (is_transform && (k.name == "negate" || k.name == "predicate"))) {
          continue;  // masked by the framework's key of that name, as in Connect
        }
        config::ConfigKey pk = k;
        pk.name = prefix + k.name;
        pk.group = group;
        pk.order_in_group = order++;
        if (pk.display_name.empty()) pk.display_name = k.name;
        prefixed.define(pk);
        v.definitions.define(std::move(pk));
      }
    }
    std::vector<ConfigValueInfo> own = prefixed.validate(cfg);
    bool own_ok = type_info.errors.empty();
    for (const ConfigValueInfo& i : own) own_ok = own_ok && i.errors.empty();

    std::map<std::string, ConfigValueInfo*> by_name;
    for (ConfigValueInfo& i : own) by_name[i.name] = &i;
    if (own_ok && plugin_def != nullptr) {
      config::ConfigMap settings = with_prefix(cfg, prefix);
      settings.erase("plugin.version");  // the framework's key, not the plugin's
      Status s = is_transform ? stage.transformation->configure(settings)
                              : stage.predicate->configure(settings);
      if (!s.ok()) attribute_error(s, prefix, *plugin_def, by_name, type_info);
    }

    v.values.push_back(std::move(type_info));
    v.values.push_back(std::move(version_info));
    if (is_transform) {
      v.values.push_back(std::move(negate_info));
      v.values.push_back(std::move(predicate_info));
    }
    for (ConfigValueInfo& i : own) v.values.push_back(std::move(i));
    (is_transform ? transforms : predicates).push_back(std::move(stage));
  };

  for (const std::string& alias : transform_aliases) {
    validate_plugin(alias, PluginType::kTransformation);
  }
  for (const std::string& alias : predicate_aliases) validate_plugin(alias, PluginType::kPredicate);

  for (const ConfigValueInfo& i : v.values) v.error_count += static_cast<int>(i.errors.size());

  if (out != nullptr && v.error_count == 0) {
    std::map<std::string, Predicate*> by_alias;
    for (PluginStage& p : predicates) {
      by_alias[p.alias] = p.predicate.get();
      out->predicates_.push_back(std::move(p.predicate));
    }
    for (PluginStage& t : transforms) {
      Stage stage;
      stage.alias = t.alias;
      stage.class_name = t.class_name;
      stage.transformation = std::move(t.transformation);
      stage.predicate = t.predicate_alias.empty() ? nullptr : by_alias[t.predicate_alias];
      stage.negate = t.negate;
      out->stages_.push_back(std::move(stage));
    }
  } else {
    for (PluginStage& t : transforms) {
      if (t.transformation) t.transformation->close();
    }
    for (PluginStage& p : predicates) {
      if (p.predicate) p.predicate->close();
    }
  }
  return v;
}

Result<TransformChain> TransformChain::create(const config::ConfigMap& connector_config,
                                              const TransformRegistry& registry) {
  TransformChain chain;
  ChainValidation v = build(connector_config, registry, &chain);
  if (v.error_count > 0) {
    for (const ConfigValueInfo& i : v.values) {
      if (!i.errors.empty()) return Status::invalid_argument(i.errors.front());
    }
  }
  return chain;
}

ChainValidation TransformChain::validate(const config::ConfigMap& connector_config,
                                         const TransformRegistry& registry) {
  return build(connector_config, registry, nullptr);
}

Result<Outcome> TransformChain::apply(data::ConnectRecord& record, RecordKind kind) {
  for (Stage& s : stages_) {
    // TransformationStage.apply: run when there is no predicate or negate XOR test(record).
    if (s.predicate != nullptr && s.predicate->test(record) == s.negate) continue;
    Result<Outcome> r = s.transformation->apply(record, kind);
    if (!r.ok()) {
      failed_class_ = s.class_name;
      return r;
    }
    if (*r == Outcome::kDrop) return Outcome::kDrop;
  }
  return Outcome::kKeep;
}

std::vector<std::string> TransformChain::aliases() const {
  std::vector<std::string> out;
  out.reserve(stages_.size());
  for (const Stage& s : stages_) out.push_back(s.alias);
  return out;
}

void TransformChain::close() {
  for (Stage& s : stages_) {
    if (s.transformation) s.transformation->close();
  }
  stages_.clear();
  for (auto& p : predicates_) p->close();
  predicates_.clear();
}

}  // namespace kanal::transforms
