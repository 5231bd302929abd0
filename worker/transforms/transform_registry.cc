#include "transforms/transform_registry.h"

#include <algorithm>

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

Status TransformRegistry::add(Entry entry) {
  const std::string name = entry.desc.class_name;
  if (by_class_.count(name) > 0) {
    return Status::conflict("A " + std::string(to_connect_string(entry.desc.type)) +
                            " is already registered as " + name);
  }
  for (std::string& alias : aliases_of(name, entry.desc.type)) {
    if (alias == name) continue;
    aliases_[std::move(alias)].push_back(name);
  }
  by_class_.emplace(name, std::move(entry));
  return Status::OK();
}

Status TransformRegistry::register_transformation(std::string class_name, std::string version,
                                                  TransformationFactory factory) {
  Entry e;
  e.desc = PluginDesc{std::move(class_name), PluginType::kTransformation, std::move(version)};
  e.transformation = std::move(factory);
  return add(std::move(e));
}

Status TransformRegistry::register_predicate(std::string class_name, std::string version,
                                             PredicateFactory factory) {
  Entry e;
  e.desc = PluginDesc{std::move(class_name), PluginType::kPredicate, std::move(version)};
  e.predicate = std::move(factory);
  return add(std::move(e));
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
  if (e->desc.type != type) {
    return Status::invalid_argument(type == PluginType::kTransformation ? "Not a Transformation"
                                                                        : "Not a Predicate");
  }
  return e->desc.class_name;
}

Result<std::unique_ptr<Transformation>> TransformRegistry::create_transformation(
    std::string_view name) const {
  auto resolved = resolve(name, PluginType::kTransformation);
  if (!resolved.ok()) return resolved.status();
  std::unique_ptr<Transformation> t = by_class_.find(*resolved)->second.transformation();
  if (t == nullptr) return Status::internal("Could not create transformation " + *resolved);
  return t;
}

Result<std::unique_ptr<Predicate>> TransformRegistry::create_predicate(
    std::string_view name) const {
  auto resolved = resolve(name, PluginType::kPredicate);
  if (!resolved.ok()) return resolved.status();
  std::unique_ptr<Predicate> p = by_class_.find(*resolved)->second.predicate();
  if (p == nullptr) return Status::internal("Could not create predicate " + *resolved);
  return p;
}

std::vector<PluginDesc> TransformRegistry::plugins() const {
  std::vector<PluginDesc> out;
  out.reserve(by_class_.size());
  for (const auto& [name, entry] : by_class_) out.push_back(entry.desc);
  return out;  // std::map iterates in class-name order
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
