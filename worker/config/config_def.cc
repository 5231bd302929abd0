#include "config/config_def.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace kanal::config {

const char* type_name(Type t) {
  switch (t) {
    case Type::kBoolean:
      return "BOOLEAN";
    case Type::kString:
      return "STRING";
    case Type::kInt:
      return "INT";
    case Type::kShort:
      return "SHORT";
    case Type::kLong:
      return "LONG";
    case Type::kDouble:
      return "DOUBLE";
    case Type::kList:
      return "LIST";
    case Type::kClass:
      return "CLASS";
    case Type::kPassword:
      return "PASSWORD";
  }
  return "STRING";
}

const char* importance_name(Importance i) {
  switch (i) {
    case Importance::kHigh:
      return "HIGH";
    case Importance::kMedium:
      return "MEDIUM";
    case Importance::kLow:
      return "LOW";
  }
  return "MEDIUM";
}

const char* width_name(Width w) {
  switch (w) {
    case Width::kNone:
      return "NONE";
    case Width::kShort:
      return "SHORT";
    case Width::kMedium:
      return "MEDIUM";
    case Width::kLong:
      return "LONG";
  }
  return "NONE";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = trim(text.substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

namespace {

std::string value_text(const Value& v) {
  struct V {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return std::to_string(d); }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& l) const {
      std::string out;
      for (size_t i = 0; i < l.size(); ++i) out += (i ? "," : "") + l[i];
      return out;
    }
  };
  return std::visit(V{}, v);
}

std::string invalid(const ConfigKey& key, std::string_view text, std::string_view reason) {
  std::string shown = key.type == Type::kPassword ? "[hidden]" : std::string(text);
  return "Invalid value " + shown + " for configuration " + key.name + ": " + std::string(reason);
}

}  // namespace

Validator at_least(int64_t min) {
  Validator v;
  v.description = "[" + std::to_string(min) + ",...]";
  v.check = [min](const Value& value) -> std::optional<std::string> {
    if (auto* i = std::get_if<int64_t>(&value); i && *i < min) {
      return "Value must be at least " + std::to_string(min);
    }
    if (auto* d = std::get_if<double>(&value); d && *d < static_cast<double>(min)) {
      return "Value must be at least " + std::to_string(min);
    }
    return std::nullopt;
  };
  return v;
}

Validator between(int64_t min, int64_t max) {
  Validator v;
  v.description = "[" + std::to_string(min) + ",...," + std::to_string(max) + "]";
  v.check = [min, max](const Value& value) -> std::optional<std::string> {
    if (auto* i = std::get_if<int64_t>(&value)) {
      if (*i < min) return "Value must be at least " + std::to_string(min);
      if (*i > max) return "Value must be no more than " + std::to_string(max);
    }
    return std::nullopt;
  };
  return v;
}

Validator one_of(std::vector<std::string> allowed, bool case_insensitive) {
  Validator v;
  v.description = "[";
  for (size_t i = 0; i < allowed.size(); ++i) v.description += (i ? ", " : "") + allowed[i];
  v.description += "]";
  v.recommended = allowed;
  std::string desc = v.description;
  v.check = [allowed = std::move(allowed), case_insensitive,
             desc](const Value& value) -> std::optional<std::string> {
    auto* s = std::get_if<std::string>(&value);
    if (!s) return std::nullopt;
    auto eq = [&](const std::string& a) {
      if (!case_insensitive) return a == *s;
      return a.size() == s->size() &&
             std::equal(a.begin(), a.end(), s->begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
             });
    };
    if (std::any_of(allowed.begin(), allowed.end(), eq)) return std::nullopt;
    return "String must be one of: " + desc.substr(1, desc.size() - 2);
  };
  return v;
}

Validator non_empty_string() {
  Validator v;
  v.description = "non-empty string";
  v.check = [](const Value& value) -> std::optional<std::string> {
    if (auto* s = std::get_if<std::string>(&value); s && s->empty()) {
      return "String must be non-empty";
    }
    return std::nullopt;
  };
  return v;
}

ConfigDef& ConfigDef::define(ConfigKey key) {
  auto it = index_.find(key.name);
  if (it != index_.end()) {
    keys_[it->second] = std::move(key);
  } else {
    index_.emplace(key.name, keys_.size());
    keys_.push_back(std::move(key));
  }
  return *this;
}

ConfigKey make_key(std::string name, Type type, std::optional<std::string> default_value,
                   Importance importance, std::string doc) {
  ConfigKey k;
  k.name = std::move(name);
  k.type = type;
  k.default_value = std::move(default_value);
  k.importance = importance;
  k.documentation = std::move(doc);
  return k;
}

ConfigDef& ConfigDef::define(std::string name, Type type, std::optional<std::string> default_value,
                             Importance importance, std::string doc) {
  return define(
      make_key(std::move(name), type, std::move(default_value), importance, std::move(doc)));
}

ConfigDef& ConfigDef::merge(const ConfigDef& other) {
  for (const auto& k : other.keys_) {
    if (!find(k.name)) define(k);
  }
  return *this;
}

const ConfigKey* ConfigDef::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &keys_[it->second];
}

Result<Value> ConfigDef::parse_value(const ConfigKey& key, std::string_view raw) {
  std::string_view text = trim(raw);
  switch (key.type) {
    case Type::kBoolean: {
      std::string low(text);
      std::transform(low.begin(), low.end(), low.begin(), ::tolower);
      if (low == "true") return Value(true);
      if (low == "false") return Value(false);
      return Status::invalid_argument(
          invalid(key, raw, "Expected value to be either true or false"));
    }
    case Type::kInt:
    case Type::kShort:
    case Type::kLong: {
      std::string s(text);
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(s.c_str(), &end, 10);
      const char* tname = key.type == Type::kInt     ? "INT"
                          : key.type == Type::kShort ? "SHORT"
                                                     : "LONG";
      if (s.empty() || *end != '\0' || errno == ERANGE) {
        return Status::invalid_argument(
            invalid(key, raw, std::string("Not a number of type ") + tname));
      }
      int64_t lo = key.type == Type::kInt     ? std::numeric_limits<int32_t>::min()
                   : key.type == Type::kShort ? std::numeric_limits<int16_t>::min()
                                              : std::numeric_limits<int64_t>::min();
      int64_t hi = key.type == Type::kInt     ? std::numeric_limits<int32_t>::max()
                   : key.type == Type::kShort ? std::numeric_limits<int16_t>::max()
                                              : std::numeric_limits<int64_t>::max();
      if (v < lo || v > hi) {
        return Status::invalid_argument(
            invalid(key, raw, std::string("Not a number of type ") + tname));
      }
      return Value(static_cast<int64_t>(v));
    }
    case Type::kDouble: {
      std::string s(text);
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != '\0' || !std::isfinite(d)) {
        return Status::invalid_argument(invalid(key, raw, "Not a number of type DOUBLE"));
      }
      return Value(d);
    }
    case Type::kList:
      return Value(split_list(text));
    case Type::kString:
    case Type::kPassword:
      return Value(std::string(raw));
    case Type::kClass:
      return Value(std::string(text));
  }
  return Value(std::string(raw));
}

Result<std::map<std::string, Value>> ConfigDef::parse(const ConfigMap& props) const {
  std::map<std::string, Value> out;
  for (const auto& key : keys_) {
    auto it = props.find(key.name);
    Value v;
    if (it != props.end()) {
      auto parsed = parse_value(key, it->second);
      if (!parsed.ok()) return parsed.status();
      v = std::move(parsed).value();
    } else if (key.default_value) {
      auto parsed = parse_value(key, *key.default_value);
      if (!parsed.ok()) return parsed.status();
      v = std::move(parsed).value();
    } else if (!key.default_is_null) {
      return Status::invalid_argument("Missing required configuration \"" + key.name +
                                      "\" which has no default value.");
    }
    if (key.validator && !std::holds_alternative<std::monostate>(v)) {
      if (auto err = key.validator->check(v)) {
        return Status::invalid_argument(
            invalid(key, it != props.end() ? it->second : value_text(v), *err));
      }
    }
    out.emplace(key.name, std::move(v));
  }
  return out;
}

std::vector<ConfigValueInfo> ConfigDef::validate(const ConfigMap& props) const {
  std::vector<ConfigValueInfo> out;
  out.reserve(keys_.size());
  for (const auto& key : keys_) {
    ConfigValueInfo info;
    info.name = key.name;
    if (key.validator) info.recommended_values = key.validator->recommended;
    auto it = props.find(key.name);
    std::optional<std::string> text;
    if (it != props.end()) {
      text = it->second;
    } else if (key.default_value) {
      text = key.default_value;
    }
    if (text) {
      info.value = key.type == Type::kPassword ? std::string("[hidden]") : *text;
      auto parsed = parse_value(key, *text);
      if (!parsed.ok()) {
        info.errors.push_back(parsed.status().message());
      } else if (key.validator) {
        if (auto err = key.validator->check(parsed.value())) {
          info.errors.push_back(invalid(key, *text, *err));
        }
      }
    } else if (key.required()) {
      info.errors.push_back("Missing required configuration \"" + key.name +
                            "\" which has no default value.");
    }
    out.push_back(std::move(info));
  }
  return out;
}

const Value* ParsedConfig::find(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

bool ParsedConfig::has(std::string_view key) const {
  const Value* v = find(key);
  return v && !std::holds_alternative<std::monostate>(*v);
}

std::string ParsedConfig::get_string(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return "";
  if (auto* s = std::get_if<std::string>(v)) return *s;
  return std::holds_alternative<std::monostate>(*v) ? "" : value_text(*v);
}

int64_t ParsedConfig::get_long(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return 0;
  if (auto* i = std::get_if<int64_t>(v)) return *i;
  if (auto* d = std::get_if<double>(v)) return static_cast<int64_t>(*d);
  return 0;
}

bool ParsedConfig::get_bool(std::string_view key) const {
  const Value* v = find(key);
  if (auto* b = v ? std::get_if<bool>(v) : nullptr) return *b;
  return false;
}

double ParsedConfig::get_double(std::string_view key) const {
  const Value* v = find(key);
  if (!v) return 0;
  if (auto* d = std::get_if<double>(v)) return *d;
  if (auto* i = std::get_if<int64_t>(v)) return static_cast<double>(*i);
  return 0;
}

std::vector<std::string> ParsedConfig::get_list(std::string_view key) const {
  const Value* v = find(key);
  if (auto* l = v ? std::get_if<std::vector<std::string>>(v) : nullptr) return *l;
  return {};
}

std::string get_or(const ConfigMap& config, const std::string& key, const std::string& def) {
  auto it = config.find(key);
  return it == config.end() ? def : it->second;
}

}  // namespace kanal::config
