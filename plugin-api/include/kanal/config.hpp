// kanal C++ SDK: settings. Config (a component's string settings) and ConfigDef (their
// declaration, Connect's ConfigDef), which the worker uses for validation and the REST API's
// `/connector-plugins/{p}/config` answers. C++17 or later. Include <kanal/kanal.hpp>.
#pragma once

#include <kanal/kanal.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <kanal/data.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kanal {

// A component's settings as the worker passed them (Connect's Map<String, String>), with typed
// getters that throw ConfigError naming the key when a value does not parse.
class Config : public std::map<std::string, std::string> {
 public:
  using std::map<std::string, std::string>::map;

  bool has(const std::string& key) const { return find(key) != end(); }
  // The value, or `fallback` when absent.
  std::string get(const std::string& key, std::string fallback = "") const {
    auto it = find(key);
    return it == end() ? fallback : it->second;
  }
  int64_t get_long(const std::string& key, int64_t fallback = 0) const {
    auto it = find(key);
    if (it == end()) return fallback;
    errno = 0;
    char* stop = nullptr;
    long long v = std::strtoll(it->second.c_str(), &stop, 10);
    if (it->second.empty() || *stop != '\0' || errno == ERANGE) {
      throw ConfigError("Invalid value " + it->second + " for configuration " + key +
                        ": Not a number of type LONG");
    }
    return static_cast<int64_t>(v);
  }
  int32_t get_int(const std::string& key, int32_t fallback = 0) const {
    return static_cast<int32_t>(get_long(key, fallback));
  }
  double get_double(const std::string& key, double fallback = 0) const {
    auto it = find(key);
    if (it == end()) return fallback;
    char* stop = nullptr;
    double v = std::strtod(it->second.c_str(), &stop);
    if (it->second.empty() || *stop != '\0') {
      throw ConfigError("Invalid value " + it->second + " for configuration " + key +
                        ": Not a number of type DOUBLE");
    }
    return v;
  }
  bool get_bool(const std::string& key, bool fallback = false) const {
    auto it = find(key);
    if (it == end()) return fallback;
    std::string v;
    for (char c : it->second) v += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (v == "true") return true;
    if (v == "false") return false;
    throw ConfigError("Invalid value " + it->second + " for configuration " + key +
                      ": Expected value to be either true or false");
  }
  // A LIST setting: comma separated, items trimmed, empty items dropped.
  std::vector<std::string> get_list(const std::string& key) const {
    std::vector<std::string> out;
    std::string text = get(key);
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      std::string item = text.substr(start, comma - start);
      size_t b = item.find_first_not_of(" \t");
      size_t e = item.find_last_not_of(" \t");
      if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
      start = comma + 1;
    }
    return out;
  }
};

enum class ConfigType : int32_t {
  kBoolean = KANAL_CONFIG_BOOLEAN,
  kString = KANAL_CONFIG_STRING,
  kInt = KANAL_CONFIG_INT,
  kShort = KANAL_CONFIG_SHORT,
  kLong = KANAL_CONFIG_LONG,
  kDouble = KANAL_CONFIG_DOUBLE,
  kList = KANAL_CONFIG_LIST,
  kClass = KANAL_CONFIG_CLASS,
  kPassword = KANAL_CONFIG_PASSWORD,
};

enum class Importance : int32_t {
  kHigh = KANAL_IMPORTANCE_HIGH,
  kMedium = KANAL_IMPORTANCE_MEDIUM,
  kLow = KANAL_IMPORTANCE_LOW,
};

enum class Width : int32_t {
  kNone = KANAL_WIDTH_NONE,
  kShort = KANAL_WIDTH_SHORT,
  kMedium = KANAL_WIDTH_MEDIUM,
  kLong = KANAL_WIDTH_LONG,
};

// A value check the worker runs (Connect's Range, ValidString, NonEmptyString).
struct Validator {
  int32_t kind = KANAL_VALIDATOR_NONE;
  std::optional<double> min;
  std::optional<double> max;
  std::vector<std::string> allowed;
  bool case_insensitive = false;

  static Validator at_least(double min) {
    Validator v;
    v.kind = KANAL_VALIDATOR_RANGE;
    v.min = min;
    return v;
  }
  static Validator between(double min, double max) {
    Validator v = at_least(min);
    v.max = max;
    return v;
  }
  static Validator one_of(std::vector<std::string> allowed, bool case_insensitive = false) {
    Validator v;
    v.kind = KANAL_VALIDATOR_ONE_OF;
    v.allowed = std::move(allowed);
    v.case_insensitive = case_insensitive;
    return v;
  }
  static Validator non_empty() {
    Validator v;
    v.kind = KANAL_VALIDATOR_NON_EMPTY;
    return v;
  }
};

// One setting. A key without default_value and with default_is_null false is required.
struct ConfigKey {
  std::string name;
  ConfigType type = ConfigType::kString;
  std::optional<std::string> default_value;  // rendered as Connect would: "true", "a,b", "10"
  bool default_is_null = false;
  Importance importance = Importance::kMedium;
  std::string documentation;
  std::string group;
  int32_t order_in_group = -1;
  Width width = Width::kNone;
  std::string display_name;
  std::vector<std::string> dependents;
  Validator validator;
};

// The settings a component declares. Build it in a static `config_def()` of the connector,
// transformation, predicate or converter class; KANAL_EXPORT_PLUGIN publishes it.
//   static kanal::ConfigDef config_def() {
//     return kanal::ConfigDef()
//         .define("file", kanal::ConfigType::kString, kanal::Importance::kHigh, "File to read")
//         .define("batch.size", kanal::ConfigType::kInt, "100", kanal::Importance::kLow,
//                 "Records per poll", kanal::Validator::at_least(1));
//   }
class ConfigDef {
 public:
  ConfigDef& define(ConfigKey key) {
    for (ConfigKey& k : keys_) {
      if (k.name == key.name) {
        k = std::move(key);
        return *this;
      }
    }
    keys_.push_back(std::move(key));
    return *this;
  }
  // A required key (no default).
  ConfigDef& define(std::string name, ConfigType type, Importance importance, std::string doc) {
    ConfigKey k;
    k.name = std::move(name);
    k.type = type;
    k.importance = importance;
    k.documentation = std::move(doc);
    return define(std::move(k));
  }
  // A key with a default, optionally validated.
  ConfigDef& define(std::string name, ConfigType type, std::string default_value,
                    Importance importance, std::string doc, Validator validator = Validator()) {
    ConfigKey k;
    k.name = std::move(name);
    k.type = type;
    k.default_value = std::move(default_value);
    k.importance = importance;
    k.documentation = std::move(doc);
    k.validator = std::move(validator);
    return define(std::move(k));
  }
  // An optional key whose default is null.
  ConfigDef& define_optional(std::string name, ConfigType type, Importance importance,
                             std::string doc) {
    ConfigKey k;
    k.name = std::move(name);
    k.type = type;
    k.default_is_null = true;
    k.importance = importance;
    k.documentation = std::move(doc);
    return define(std::move(k));
  }

  const std::vector<ConfigKey>& keys() const { return keys_; }

  // `props` plus the default of every absent key that has one. Throws ConfigError naming the
  // first required key that is missing (Connect's wording).
  Config parse(const Config& props) const {
    Config out = props;
    for (const ConfigKey& k : keys_) {
      if (out.has(k.name)) continue;
      if (k.default_value) {
        out[k.name] = *k.default_value;
      } else if (!k.default_is_null) {
        throw ConfigError("Missing required configuration \"" + k.name +
                          "\" which has no default value.");
      }
    }
    return out;
  }

 private:
  std::vector<ConfigKey> keys_;
};

}  // namespace kanal
