// Helpers shared by the built-in transforms (Connect's transforms.util.Requirements, SchemaUtil,
// SimpleConfig and the schema update caches). Private to worker/transforms.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"
#include "data/schema.h"
#include "data/value.h"
#include "transforms/transformation.h"

namespace kanal::transforms::internal {

inline constexpr std::string_view kPackage = "org.apache.kafka.connect.transforms.";
inline constexpr std::string_view kPredicatePackage =
    "org.apache.kafka.connect.transforms.predicates.";

// The Java class Connect would report for a value (Requirements.nullSafeClassName):
// "null", "java.lang.String", "java.lang.Long", "[B", "org.apache.kafka.connect.data.Struct".
std::string java_class_name(const data::Value& value);
// As java_class_name with a schema: logical Date/Time/Timestamp are "java.util.Date", Decimal is
// "java.math.BigDecimal".
std::string java_class_name(const data::SchemaPtr& schema, const data::Value& value);

// Requirements.requireMap / requireStruct / requireSinkRecord / requireSchema messages.
Status map_required(const data::Value& value, std::string_view purpose);
Status struct_required(const data::Value& value, std::string_view purpose);
Status schema_required(std::string_view purpose);
Status sink_record_required(RecordKind kind, std::string_view purpose);

// Java's ConnectRecord.toString(), for messages such as TimestampRouter's.
std::string record_to_string(const data::ConnectRecord& record, RecordKind kind);

// The operand of a $Key / $Value transform.
inline data::SchemaPtr& operating_schema(data::ConnectRecord& r, bool key) {
  return key ? r.key_schema : r.value_schema;
}
inline data::Value& operating_value(data::ConnectRecord& r, bool key) {
  return key ? r.key : r.value;
}

// The value of field `index`, replacing a null with the field schema's default when
// `replace_null_with_default` (Struct.get vs Struct.getWithoutDefault, KIP-1040).
const data::Value& field_value(const data::Struct& s, size_t index, bool replace_null_with_default);

// Finds `name` among string keys of a schemaless map; nullptr when absent.
data::Value* map_find(data::Value::Map& map, std::string_view name);
const data::Value* map_find(const data::Value::Map& map, std::string_view name);
// Java's HashMap.put on a schemaless map: replaces in place or appends.
void map_put(data::Value::Map& map, std::string_view name, data::Value value);

// Moves every field of `from` into a new Struct of `to`, field by field through `mapping`
// (mapping[i] = index in `from` of field i of `to`, or -1 to leave it null).
data::Struct rebuild_struct(data::Struct& from, const data::SchemaPtr& to,
                            const std::vector<int>& mapping, bool replace_null_with_default);

// A builder with the basics (name, version, doc, parameters) of `source` (SchemaUtil).
data::SchemaBuilder copy_schema_basics(const data::Schema& source, data::SchemaBuilder builder);

// Connect's schema update caches (an LRU of 16 keyed by schema): the derived data for an input
// schema is computed once. Looked up by pointer first (the common case: a converter or connector
// reuses its schema objects), then by deep equality; holding the key keeps its address unique.
template <typename T>
class SchemaCache {
 public:
  static constexpr size_t kCapacity = 16;

  // The cached entry for `schema`, or nullptr. A hit found by equality moves to the front.
  T* get(const data::SchemaPtr& schema) {
    for (auto& e : entries_) {
      if (e.first.get() == schema.get()) return &e.second;
    }
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (data::schema_equals(entries_[i].first, schema)) {
        entries_[i].first = schema;  // later lookups of this object hit by pointer
        if (i != 0) std::swap(entries_[i], entries_[0]);
        return &entries_[0].second;
      }
    }
    return nullptr;
  }
  T& put(const data::SchemaPtr& schema, T value) {
    if (entries_.size() == kCapacity) entries_.pop_back();
    entries_.insert(entries_.begin(), {schema, std::move(value)});
    return entries_.front().second;
  }

 private:
  std::vector<std::pair<data::SchemaPtr, T>> entries_;
};

// ---- config helpers (SimpleConfig) ----

// A ConfigKey with the common fields set.
config::ConfigKey key(std::string name, config::Type type, std::optional<std::string> def,
                      config::Importance importance, std::string doc);
// A key whose default is null.
config::ConfigKey null_default_key(std::string name, config::Type type,
                                   config::Importance importance, std::string doc);
// NonEmptyListValidator: "Empty list".
config::Validator non_empty_list();
// Connect 4.x's check of a required non-empty list (ConfigDef.ValidList): kInvalidArgument
// "Configuration 'fields' must not be empty. Valid values include: any non-empty value".
Status require_non_empty_list(const config::ParsedConfig& cfg, std::string_view name);
// The replace.null.with.default key (KIP-1040, 3.9).
config::ConfigKey replace_null_with_default_key();

// Parses `props` against `def` (Connect's SimpleConfig constructor): first error otherwise.
Result<config::ParsedConfig> parse_config(const config::ConfigDef& def, const ConfigMap& props);

// "Invalid value <value> for configuration <name>: <reason>" as kInvalidArgument.
Status invalid_config(std::string_view name, std::string_view value, std::string_view reason);
// A ConfigException without a key.
Status config_error(std::string message);
// A DataException.
Status data_error(std::string message);

// Java's List.toString of strings: "[a, b]".
std::string java_list(const std::vector<std::string>& items);

// ---- Java number parsing (Byte.parseByte ... Double.parseDouble) ----
std::optional<int64_t> parse_java_integer(std::string_view text, int64_t min, int64_t max);
std::optional<double> parse_java_double(std::string_view text);

// Base64 (standard alphabet, padded), as java.util.Base64.getEncoder().
std::string base64_encode(std::string_view raw);

// ---- dates, UTC ----
inline constexpr int64_t kMillisPerDay = 86400000;
int64_t floor_div(int64_t a, int64_t b);
int64_t floor_mod(int64_t a, int64_t b);

}  // namespace kanal::transforms::internal
