#include "data/converter.h"

#include <algorithm>

#include "data/json_converter.h"
#include "data/simple_converters.h"
#include "data/simple_header_converter.h"

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

template <typename Map, typename Entry>
Status register_in(Map& map, const std::string& class_name, std::vector<std::string> aliases,
                   const Entry& entry, const char* kind) {
  aliases.insert(aliases.begin(), class_name);
  for (const auto& name : aliases) {
    auto it = map.find(name);
    if (it != map.end() && it->second.class_name != class_name) {
      return Status::conflict(std::string(kind) + " name '" + name + "' of " + class_name +
                              " is already taken by " + it->second.class_name);
    }
  }
  for (const auto& name : aliases) map[name] = entry;
  return Status::OK();
}

template <typename Map>
std::vector<std::string> class_names(const Map& map) {
  std::vector<std::string> out;
  for (const auto& [name, entry] : map) {
    if (name == entry.class_name) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

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

Status ConverterRegistry::register_converter(std::string class_name,
                                             std::vector<std::string> aliases,
                                             ConverterFactory factory) {
  return register_in(converters_, class_name, std::move(aliases),
                     ConverterEntry{class_name, std::move(factory)}, "Converter");
}

Status ConverterRegistry::register_header_converter(std::string class_name,
                                                    std::vector<std::string> aliases,
                                                    HeaderConverterFactory factory) {
  return register_in(header_converters_, class_name, std::move(aliases),
                     HeaderConverterEntry{class_name, std::move(factory)}, "HeaderConverter");
}

Result<std::unique_ptr<Converter>> ConverterRegistry::create_converter(
    std::string_view class_or_alias) const {
  auto it = converters_.find(class_or_alias);
  if (it == converters_.end()) {
    return Status::not_found(
        "Failed to find any class that implements Converter and which name matches " +
        std::string(class_or_alias));
  }
  return it->second.factory();
}

Result<std::unique_ptr<HeaderConverter>> ConverterRegistry::create_header_converter(
    std::string_view class_or_alias) const {
  auto it = header_converters_.find(class_or_alias);
  if (it == header_converters_.end()) {
    return Status::not_found(
        "Failed to find any class that implements HeaderConverter and which name matches " +
        std::string(class_or_alias));
  }
  return it->second.factory();
}

std::vector<std::string> ConverterRegistry::converter_classes() const {
  return class_names(converters_);
}

std::vector<std::string> ConverterRegistry::header_converter_classes() const {
  return class_names(header_converters_);
}

}  // namespace kanal::data
