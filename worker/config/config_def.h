// ConfigDef: the declaration of a component's settings, as Kafka Connect's ConfigDef.
//
// One table declares each key once (type, default, importance, documentation, group, order,
// width, display name, validator, dependents); parsing, validation and the REST API's
// `/config` and `/config/validate` answers all come from it. Worker configs, the common
// connector settings and plugins' own definitions (translated from the C ABI) use it alike.
// Value type; immutable after construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace kanal::config {

using ConfigMap = std::map<std::string, std::string>;

enum class Type { kBoolean, kString, kInt, kShort, kLong, kDouble, kList, kClass, kPassword };
enum class Importance { kHigh, kMedium, kLow };
enum class Width { kNone, kShort, kMedium, kLong };

const char* type_name(Type t);              // "BOOLEAN", "STRING", ... as Connect prints them
const char* importance_name(Importance i);  // "HIGH", "MEDIUM", "LOW"
const char* width_name(Width w);            // "NONE", "SHORT", ...

// A parsed setting. monostate = null (no value and no default, or an explicit null default).
using Value =
    std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<std::string>>;

// Checks one parsed value; returns an error message (Connect's wording after "Invalid value X
// for configuration K: ") or nullopt when valid.
struct Validator {
  std::function<std::optional<std::string>(const Value&)> check;
  std::string description;               // shown in documentation, e.g. "[1,...]"
  std::vector<std::string> recommended;  // for one-of validators: the allowed values
};

Validator at_least(int64_t min);
Validator between(int64_t min, int64_t max);
Validator one_of(std::vector<std::string> allowed, bool case_insensitive = false);
Validator non_empty_string();

struct ConfigKey {
  std::string name;
  Type type = Type::kString;
  std::optional<std::string> default_value;  // as text; nullopt = required (no default)
  bool default_is_null = false;              // default exists and is null
  Importance importance = Importance::kMedium;
  std::string documentation;
  std::string group;
  int order_in_group = -1;
  Width width = Width::kNone;
  std::string display_name;
  std::vector<std::string> dependents;
  std::optional<Validator> validator;
  bool internal = false;

  bool required() const { return !default_value && !default_is_null; }
};

// A key with the fields every definition sets; set group, width, validator etc. on the result.
ConfigKey make_key(std::string name, Type type, std::optional<std::string> default_value,
                   Importance importance, std::string doc);

// Result of validating one key, the shape of Connect's ConfigValue.
struct ConfigValueInfo {
  std::string name;
  std::optional<std::string> value;  // raw text as given (or default); PASSWORD -> "[hidden]"
  std::vector<std::string> recommended_values;
  std::vector<std::string> errors;
  bool visible = true;
};

class ConfigDef {
 public:
  ConfigDef& define(ConfigKey key);
  // Shorthand for the common case.
  ConfigDef& define(std::string name, Type type, std::optional<std::string> default_value,
                    Importance importance, std::string doc);
  // Adds every key of `other` (keys already defined here win).
  ConfigDef& merge(const ConfigDef& other);

  const std::vector<ConfigKey>& keys() const { return keys_; }
  const ConfigKey* find(std::string_view name) const;

  // Parses text as `type`. Error message in Connect's form: "Invalid value soon for
  // configuration offset.flush.interval.ms: Not a number of type LONG".
  static Result<Value> parse_value(const ConfigKey& key, std::string_view text);

  // Parses every defined key of `props` (defaults for absent ones) and runs validators.
  // Fails on the first problem with a message naming the key and the reason.
  Result<std::map<std::string, Value>> parse(const ConfigMap& props) const;

  // Validates every key, collecting all errors (for PUT .../config/validate).
  std::vector<ConfigValueInfo> validate(const ConfigMap& props) const;

 private:
  std::vector<ConfigKey> keys_;
  std::map<std::string, size_t, std::less<>> index_;
};

// Typed access to a parsed config.
class ParsedConfig {
 public:
  ParsedConfig() = default;
  explicit ParsedConfig(const std::map<std::string, Value>& values)
      : values_(values.begin(), values.end()) {}

  bool has(std::string_view key) const;                // key defined and not null
  std::string get_string(std::string_view key) const;  // "" when null
  int64_t get_long(std::string_view key) const;        // 0 when null
  int32_t get_int(std::string_view key) const { return static_cast<int32_t>(get_long(key)); }
  bool get_bool(std::string_view key) const;
  double get_double(std::string_view key) const;
  std::vector<std::string> get_list(std::string_view key) const;

 private:
  const Value* find(std::string_view key) const;
  std::map<std::string, Value, std::less<>> values_;
};

// Splits a Connect LIST value: comma separated, each item trimmed, empty items dropped.
std::vector<std::string> split_list(std::string_view text);
std::string_view trim(std::string_view s);
// The value of `key` in `config`, or `def` when it is absent.
std::string get_or(const ConfigMap& config, const std::string& key, const std::string& def = "");

}  // namespace kanal::config
