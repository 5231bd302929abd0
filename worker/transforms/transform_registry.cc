#include "transforms/transform_registry.h"

#include <algorithm>

#include "plugins/version.h"
#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms {

const char* to_connect_string(PluginType type) {
  switch (type) {
    case PluginType::kTransformation:
      return "transformation";
    case PluginType::kPredicate:
      return "predicate";
  }
  return "transformation";
}

namespace {

// Connect's aliases (PluginUtils.simpleName / prunedName) plus kanal's `Outer$Inner`.
std::vector<std::string> aliases_of(std::string_view class_name, PluginType type) {
  std::vector<std::string> out;
  size_t dot = class_name.rfind('.');
  std::string_view after_dot =
      dot == std::string_view::npos ? class_name : class_name.substr(dot + 1);
  size_t dollar = after_dot.rfind('$');
  std::string_view simple =
      dollar == std::string_view::npos ? after_dot : after_dot.substr(dollar + 1);
  out.emplace_back(simple);
  std::string_view suffix = type == PluginType::kPredicate ? "Predicate" : "Transformation";
  if (simple.size() > suffix.size() && simple.ends_with(suffix)) {
    out.emplace_back(simple.substr(0, simple.size() - suffix.size()));
  }
  if (after_dot != simple) out.emplace_back(after_dot);
  return out;
}

}  // namespace

Status TransformRegistry::add(std::string class_name, PluginType type, Version version) {
  auto it = by_class_.find(class_name);
  if (it == by_class_.end()) {
    for (std::string& alias : aliases_of(class_name, type)) {
      if (alias == class_name) continue;
      aliases_[std::move(alias)].push_back(class_name);
    }
    Entry e;
    e.class_name = class_name;
    e.type = type;
    it = by_class_.emplace(class_name, std::move(e)).first;
  } else if (it->second.type != type) {
    return Status::conflict("A " + std::string(to_connect_string(it->second.type)) +
                            " is already registered as " + class_name);
  }
  for (const Version& v : it->second.versions) {
    if (v.version == version.version) {
      return Status::conflict("A " + std::string(to_connect_string(type)) +
                              " is already registered as " + class_name + " version " +
                              version.version);
    }
  }
  it->second.versions.push_back(std::move(version));
  return Status::OK();
}

Status TransformRegistry::register_transformation(std::string class_name, std::string version,
                                                  TransformationFactory factory) {
  return add(std::move(class_name), PluginType::kTransformation,
             Version{std::move(version), std::move(factory), nullptr});
}

Status TransformRegistry::register_predicate(std::string class_name, std::string version,
                                             PredicateFactory factory) {
  return add(std::move(class_name), PluginType::kPredicate,
             Version{std::move(version), nullptr, std::move(factory)});
}

const TransformRegistry::Entry* TransformRegistry::find(std::string_view name) const {
  if (auto it = by_class_.find(name); it != by_class_.end()) return &it->second;
  if (auto it = aliases_.find(name); it != aliases_.end() && it->second.size() == 1) {
    return &by_class_.find(it->second.front())->second;
  }
  return nullptr;
}

Result<std::string> TransformRegistry::resolve(std::string_view name, PluginType type) const {
  const Entry* e = find(name);
  if (e == nullptr) {
    return Status::not_found("Class " + std::string(name) + " could not be found.");
  }
  if (e->type != type) {
    return Status::invalid_argument(type == PluginType::kTransformation ? "Not a Transformation"
                                                                        : "Not a Predicate");
  }
  return e->class_name;
}

Result<std::pair<const TransformRegistry::Entry*, const TransformRegistry::Version*>>
TransformRegistry::pick(std::string_view name, PluginType type,
                        std::string_view version_spec) const {
  auto resolved = resolve(name, type);
  if (!resolved.ok()) return resolved.status();
  const Entry& e = by_class_.find(*resolved)->second;
  std::vector<std::string> available;
  for (const Version& v : e.versions) available.push_back(v.version);
  auto chosen = plugins::select_version(e.class_name, version_spec, available);
  if (!chosen.ok()) return chosen.status();
  for (const Version& v : e.versions) {
    if (v.version == *chosen) return std::pair<const Entry*, const Version*>(&e, &v);
  }
  return Status::internal("Plugin " + e.class_name + " lost version " + *chosen);
}

Result<std::string> TransformRegistry::version_of(std::string_view name, PluginType type,
                                                  std::string_view version_spec) const {
  auto picked = pick(name, type, version_spec);
  if (!picked.ok()) return picked.status();
  return picked->second->version;
}

Result<std::unique_ptr<Transformation>> TransformRegistry::create_transformation(
    std::string_view name, std::string_view version_spec) const {
  auto picked = pick(name, PluginType::kTransformation, version_spec);
  if (!picked.ok()) return picked.status();
  std::unique_ptr<Transformation> t = picked->second->transformation();
  if (t == nullptr) {
    return Status::internal("Could not create transformation " + picked->first->class_name);
  }
  return t;
}

Result<std::unique_ptr<Predicate>> TransformRegistry::create_predicate(
    std::string_view name, std::string_view version_spec) const {
  auto picked = pick(name, PluginType::kPredicate, version_spec);
  if (!picked.ok()) return picked.status();
  std::unique_ptr<Predicate> p = picked->second->predicate();
  if (p == nullptr)
    return Status::internal("Could not create predicate " + picked->first->class_name);
  return p;
}

std::vector<PluginDesc> TransformRegistry::plugins() const {
  std::vector<PluginDesc> out;
  out.reserve(by_class_.size());
  for (const auto& [name, entry] : by_class_) {  // std::map iterates in class-name order
    std::vector<std::string> versions;
    for (const Version& v : entry.versions) versions.push_back(v.version);
    std::stable_sort(versions.begin(), versions.end(),
                     [](const std::string& a, const std::string& b) {
                       return plugins::compare_versions(a, b) < 0;
                     });
    for (std::string& v : versions) out.push_back(PluginDesc{name, entry.type, std::move(v)});
  }
  return out;
}

TransformRegistry TransformRegistry::with_builtins() {
  using internal::kPackage;
  using internal::kPredicatePackage;
  TransformRegistry r;
  const std::string version(kBuiltinVersion);
  auto add = [&](std::string_view simple, TransformationFactory f) {
    Status s = r.register_transformation(std::string(kPackage) + std::string(simple), version,
                                         std::move(f));
    (void)s;  // built-in names are distinct
  };
  auto add_key_value = [&](std::string_view simple, std::unique_ptr<Transformation> (*make)(bool)) {
    add(std::string(simple) + "$Key", [make] { return make(true); });
    add(std::string(simple) + "$Value", [make] { return make(false); });
  };
  add_key_value("Cast", internal::make_cast);
  add("DropHeaders", internal::make_drop_headers);
  add_key_value("ExtractField", internal::make_extract_field);
  add("Filter", internal::make_filter);
  add_key_value("Flatten", internal::make_flatten);
  add_key_value("HeaderFrom", internal::make_header_from);
  add_key_value("HoistField", internal::make_hoist_field);
  add_key_value("InsertField", internal::make_insert_field);
  add("InsertHeader", internal::make_insert_header);
  add_key_value("MaskField", internal::make_mask_field);
  add("RegexRouter", internal::make_regex_router);
  add_key_value("ReplaceField", internal::make_replace_field);
  add_key_value("SetSchemaMetadata", internal::make_set_schema_metadata);
  add_key_value("TimestampConverter", internal::make_timestamp_converter);
  add("TimestampRouter", internal::make_timestamp_router);
  add("ValueToKey", internal::make_value_to_key);
  auto add_predicate = [&](std::string_view simple, PredicateFactory f) {
    Status s = r.register_predicate(std::string(kPredicatePackage) + std::string(simple), version,
                                    std::move(f));
    (void)s;
  };
  add_predicate("HasHeaderKey", internal::make_has_header_key);
  add_predicate("RecordIsTombstone", internal::make_record_is_tombstone);
  add_predicate("TopicNameMatches", internal::make_topic_name_matches);
  return r;
}

}  // namespace kanal::transforms
