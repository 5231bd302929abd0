#include "data/converter.h"

#include <algorithm>

#include "data/json_converter.h"
#include "data/simple_converters.h"
#include "data/simple_header_converter.h"
#include "plugins/version.h"

namespace kanal::data {

namespace {

// Connect's PluginUtils.prunedName for converters: the simple name without "Converter".
std::vector<std::string> default_aliases(std::string_view class_name) {
  std::vector<std::string> aliases;
  size_t dot = class_name.rfind('.');
  std::string simple(dot == std::string_view::npos ? class_name : class_name.substr(dot + 1));
  aliases.push_back(simple);
  constexpr std::string_view kSuffix = "Converter";
  if (simple.size() > kSuffix.size() && simple.ends_with(kSuffix)) {
    aliases.push_back(simple.substr(0, simple.size() - kSuffix.size()));
  }
  return aliases;
}

// Registers one version of `class_name` under the class name and `aliases` in `table` (a
// ConverterRegistry::Table).
Status register_in(auto& table, const std::string& class_name, std::vector<std::string> aliases,
                   auto factory, std::string version, const char* kind) {
  if (version.empty()) version = ConverterRegistry::builtin_version();
  aliases.insert(aliases.begin(), class_name);
  for (const auto& name : aliases) {
    auto it = table.names.find(name);
    if (it != table.names.end() && it->second != class_name) {
      return Status::conflict(std::string(kind) + " name '" + name + "' of " + class_name +
                              " is already taken by " + it->second);
    }
  }
  auto& versions = table.classes[class_name].by_version;
  for (const auto& [v, f] : versions) {
    if (v == version) {
      return Status::conflict(std::string(kind) + " " + class_name + " version " + version +
                              " is already registered");
    }
  }
  versions.emplace_back(std::move(version), std::move(factory));
  for (const auto& name : aliases) table.names[name] = class_name;
  return Status::OK();
}

// The factory of the version `spec` selects (plugins::select_version), with that version.
template <typename Factory>
Result<std::pair<std::string, const Factory*>> pick(const auto& table, std::string_view name,
                                                    std::string_view spec, const char* kind) {
  auto it = table.names.find(name);
  if (it == table.names.end()) {
    return Status::not_found("Failed to find any class that implements " + std::string(kind) +
                             " and which name matches " + std::string(name));
  }
  const auto& versions = table.classes.find(it->second)->second.by_version;
  std::vector<std::string> available;
  for (const auto& [v, f] : versions) available.push_back(v);
  auto chosen = plugins::select_version(it->second, spec, available);
  if (!chosen.ok()) return chosen.status();
  for (const auto& [v, f] : versions) {
    if (v == *chosen) return std::pair<std::string, const Factory*>(v, &f);
  }
  return Status::internal("Converter " + it->second + " lost version " + *chosen);
}

std::vector<std::string> versions_of(const auto& table, std::string_view name) {
  std::vector<std::string> out;
  auto it = table.names.find(name);
  if (it == table.names.end()) return out;
  for (const auto& [v, f] : table.classes.find(it->second)->second.by_version) out.push_back(v);
  std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return plugins::compare_versions(a, b) < 0;
  });
  return out;
}

std::vector<std::string> class_names(const auto& table) {
  std::vector<std::string> out;
  for (const auto& [name, versions] : table.classes) out.push_back(name);
  return out;  // std::map iterates in class-name order
}

std::vector<ConverterRegistry::Listed> listed(const auto& table) {
  std::vector<ConverterRegistry::Listed> out;
  for (const auto& [name, versions] : table.classes) {
    std::vector<std::string> vs;
    for (const auto& [v, f] : versions.by_version) vs.push_back(v);
    std::stable_sort(vs.begin(), vs.end(), [](const std::string& a, const std::string& b) {
      return plugins::compare_versions(a, b) < 0;
    });
    for (std::string& v : vs) out.push_back({name, std::move(v)});
  }
  return out;
}

}  // namespace

namespace {

const config::ConfigDef& no_settings() {
  static const config::ConfigDef kNone;
  return kNone;
}

}  // namespace

const config::ConfigDef& Converter::config_def() const { return no_settings(); }
const config::ConfigDef& HeaderConverter::config_def() const { return no_settings(); }

config::ConfigKey converter_type_key() {
  config::ConfigKey key = config::make_key(
      "converter.type", config::Type::kString, std::nullopt, config::Importance::kLow,
      "The role this converter instance serves: key, value or header.");
  key.validator = config::one_of({"key", "value", "header"});
  return key;
}

ConverterRegistry ConverterRegistry::with_builtins() {
  ConverterRegistry r;
  auto both = [&r](std::string_view class_name, auto make) {
    std::string name(class_name);
    Status st = r.register_converter(name, default_aliases(name),
                                     [make]() -> std::unique_ptr<Converter> { return make(); });
    st = r.register_header_converter(
        name, default_aliases(name),
        [make]() -> std::unique_ptr<HeaderConverter> { return make(); });
    (void)st;  // built-in names are unique
  };
  both(JsonConverter::kClassName, [] { return std::make_unique<JsonConverter>(); });
  both(StringConverter::kClassName, [] { return std::make_unique<StringConverter>(); });
  both(ByteArrayConverter::kClassName, [] { return std::make_unique<ByteArrayConverter>(); });
  for (SchemaType t : {SchemaType::kInt16, SchemaType::kInt32, SchemaType::kInt64,
                       SchemaType::kFloat32, SchemaType::kFloat64, SchemaType::kBoolean}) {
    both(NumberConverter::class_name_for(t), [t] { return std::make_unique<NumberConverter>(t); });
  }
  std::string simple(SimpleHeaderConverter::kClassName);
  Status st = r.register_header_converter(simple, default_aliases(simple),
                                          [] { return std::make_unique<SimpleHeaderConverter>(); });
  (void)st;
  return r;
}

std::string ConverterRegistry::builtin_version() { return KANAL_DATA_VERSION; }

Status ConverterRegistry::register_converter(std::string class_name,
                                             std::vector<std::string> aliases,
                                             ConverterFactory factory, std::string version) {
  return register_in(converters_, class_name, std::move(aliases), std::move(factory),
                     std::move(version), "Converter");
}

Status ConverterRegistry::register_header_converter(std::string class_name,
                                                    std::vector<std::string> aliases,
                                                    HeaderConverterFactory factory,
                                                    std::string version) {
  return register_in(header_converters_, class_name, std::move(aliases), std::move(factory),
                     std::move(version), "HeaderConverter");
}

Status ConverterRegistry::add_converter_alias(std::string_view class_name, std::string alias) {
  if (converters_.classes.find(class_name) == converters_.classes.end()) {
    return Status::not_found("Converter " + std::string(class_name) + " is not registered");
  }
  auto it = converters_.names.find(alias);
  if (it != converters_.names.end() && it->second != class_name) {
    return Status::conflict("Converter name '" + alias + "' of " + std::string(class_name) +
                            " is already taken by " + it->second);
  }
  converters_.names[std::move(alias)] = std::string(class_name);
  return Status::OK();
}

Result<std::unique_ptr<Converter>> ConverterRegistry::create_converter(
    std::string_view class_or_alias, std::string_view version_spec) const {
  auto picked = pick<ConverterFactory>(converters_, class_or_alias, version_spec, "Converter");
  if (!picked.ok()) return picked.status();
  return (*picked->second)();
}

Result<std::unique_ptr<HeaderConverter>> ConverterRegistry::create_header_converter(
    std::string_view class_or_alias, std::string_view version_spec) const {
  auto picked = pick<HeaderConverterFactory>(header_converters_, class_or_alias, version_spec,
                                             "HeaderConverter");
  if (!picked.ok()) return picked.status();
  return (*picked->second)();
}

Result<std::string> ConverterRegistry::converter_version(std::string_view class_or_alias,
                                                         std::string_view version_spec) const {
  auto picked = pick<ConverterFactory>(converters_, class_or_alias, version_spec, "Converter");
  if (!picked.ok()) return picked.status();
  return picked->first;
}

Result<std::string> ConverterRegistry::header_converter_version(
    std::string_view class_or_alias, std::string_view version_spec) const {
  auto picked = pick<HeaderConverterFactory>(header_converters_, class_or_alias, version_spec,
                                             "HeaderConverter");
  if (!picked.ok()) return picked.status();
  return picked->first;
}

std::vector<std::string> ConverterRegistry::converter_versions(
    std::string_view class_or_alias) const {
  return versions_of(converters_, class_or_alias);
}

std::vector<std::string> ConverterRegistry::header_converter_versions(
    std::string_view class_or_alias) const {
  return versions_of(header_converters_, class_or_alias);
}

std::vector<std::string> ConverterRegistry::converter_classes() const {
  return class_names(converters_);
}

std::vector<std::string> ConverterRegistry::header_converter_classes() const {
  return class_names(header_converters_);
}

std::vector<ConverterRegistry::Listed> ConverterRegistry::converter_plugins() const {
  return listed(converters_);
}

std::vector<ConverterRegistry::Listed> ConverterRegistry::header_converter_plugins() const {
  return listed(header_converters_);
}

}  // namespace kanal::data
