// Schema: Kafka Connect's schema model (org.apache.kafka.connect.data.Schema / ConnectSchema).
//
// A Schema is immutable once built and shared as SchemaPtr (std::shared_ptr<const Schema>); a
// null SchemaPtr means "no schema" (schemaless data), as a null Schema does in Java. Build one
// with SchemaBuilder (Connect's fluent style) or take a predefined one from `schemas::`.
// Logical types (Decimal, Date, Time, Timestamp) are named primitive schemas, see `logical::`.
// Thread-safety: a built Schema is immutable and safe to share between threads; a SchemaBuilder
// is a plain value owned by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kanal::data {

class Value;
class Schema;
using SchemaPtr = std::shared_ptr<const Schema>;

enum class SchemaType : uint8_t {
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kBoolean,
  kString,
  kBytes,
  kArray,
  kMap,
  kStruct,
};

// Connect's enum spelling: "INT8", "FLOAT64", "STRUCT", ...
const char* to_connect_string(SchemaType type);
// The JsonConverter spelling: "int8", "float", "double", "boolean", "struct", ...
const char* json_type_name(SchemaType type);
// Inverse of json_type_name(); nullopt for an unknown name.
std::optional<SchemaType> parse_json_type_name(std::string_view name);
// True for every type but ARRAY, MAP and STRUCT.
bool is_primitive(SchemaType type);

// Schema parameters keep insertion order (Java uses a LinkedHashMap), so serialized schemas are
// byte-identical to Java's. Equality ignores order, as Map.equals does.
using SchemaParameters = std::vector<std::pair<std::string, std::string>>;

// One field of a STRUCT schema. `index` is its position in Schema::fields().
struct Field {
  std::string name;
  int32_t index = 0;
  SchemaPtr schema;
};
bool operator==(const Field& a, const Field& b);

class Schema {
 public:
  SchemaType type() const { return type_; }
  bool is_optional() const { return optional_; }
  // The default value, or nullptr when the schema has none (Java's null default).
  const Value* default_value() const { return default_.get(); }
  // nullopt when unset, as Java's null.
  const std::optional<std::string>& name() const { return name_; }
  const std::optional<int32_t>& version() const { return version_; }
  const std::optional<std::string>& doc() const { return doc_; }
  const SchemaParameters& parameters() const { return parameters_; }
  // The value of parameter `key`, or nullptr when absent.
  const std::string* parameter(std::string_view key) const;

  // STRUCT only (empty for other types): fields in declaration order.
  const std::vector<Field>& fields() const { return fields_; }
  // STRUCT only: the field called `name`, or nullptr when there is none (or not a struct).
  const Field* field(std::string_view name) const;
  // MAP only: key schema; nullptr for other types.
  const SchemaPtr& key_schema() const { return key_schema_; }
  // MAP and ARRAY: value/element schema; nullptr for other types.
  const SchemaPtr& value_schema() const { return value_schema_; }

  // Deep equality as ConnectSchema.equals: type, optional, name, version, doc, parameters,
  // default value, fields, key and value schemas.
  friend bool operator==(const Schema& a, const Schema& b);

  // Short description for error messages, e.g. "Schema{org.apache.kafka.connect.data.Date:INT32}"
  // (Connect's ConnectSchema.toString()).
  std::string to_string() const;

  ~Schema();

 private:
  friend class SchemaBuilder;
  Schema() = default;

  SchemaType type_ = SchemaType::kString;
  bool optional_ = false;
  std::shared_ptr<const Value> default_;
  std::optional<std::string> name_;
  std::optional<int32_t> version_;
  std::optional<std::string> doc_;
  SchemaParameters parameters_;
  std::vector<Field> fields_;
  SchemaPtr key_schema_;
  SchemaPtr value_schema_;
};

// Equality of two possibly-null schema pointers: both null, the same object, or deep-equal.
bool schema_equals(const SchemaPtr& a, const SchemaPtr& b);

// Fluent builder, as Connect's SchemaBuilder:
//   SchemaPtr s = SchemaBuilder::structure().name("com.example.Order")
//                     .field("id", schemas::int64()).field("note", schemas::optional_string())
//                     .build();
// Misuse (a field on a non-struct, a duplicate field name, a default value that does not validate
// against the schema, setting name/version/doc twice) is recorded and reported by
// build_checked(); build() asserts it never happens (use it only where the input is code, not
// user data).
class SchemaBuilder {
 public:
  explicit SchemaBuilder(SchemaType type);

  static SchemaBuilder int8() { return SchemaBuilder(SchemaType::kInt8); }
  static SchemaBuilder int16() { return SchemaBuilder(SchemaType::kInt16); }
  static SchemaBuilder int32() { return SchemaBuilder(SchemaType::kInt32); }
  static SchemaBuilder int64() { return SchemaBuilder(SchemaType::kInt64); }
  static SchemaBuilder float32() { return SchemaBuilder(SchemaType::kFloat32); }
  static SchemaBuilder float64() { return SchemaBuilder(SchemaType::kFloat64); }
  static SchemaBuilder boolean() { return SchemaBuilder(SchemaType::kBoolean); }
  static SchemaBuilder string() { return SchemaBuilder(SchemaType::kString); }
  static SchemaBuilder bytes() { return SchemaBuilder(SchemaType::kBytes); }
  static SchemaBuilder structure() { return SchemaBuilder(SchemaType::kStruct); }
  static SchemaBuilder array(SchemaPtr value_schema);
  static SchemaBuilder map(SchemaPtr key_schema, SchemaPtr value_schema);

  SchemaBuilder& optional();
  SchemaBuilder& required();
  SchemaBuilder& name(std::string name);
  SchemaBuilder& version(int32_t version);
  SchemaBuilder& doc(std::string doc);
  SchemaBuilder& parameter(std::string key, std::string value);  // replaces an existing key
  SchemaBuilder& parameters(const SchemaParameters& params);
  // The default is validated against the finished schema at build time.
  SchemaBuilder& default_value(Value value);
  // STRUCT only; the field's index is its position.
  SchemaBuilder& field(std::string name, SchemaPtr schema);
  // Copies name, version, doc and parameters of `source` (Connect's SchemaUtil.copySchemaBasics).
  SchemaBuilder& copy_basics_from(const Schema& source);

  SchemaType type() const { return type_; }
  bool is_optional() const { return optional_; }
  const std::vector<Field>& fields() const { return fields_; }
  const std::optional<std::string>& schema_name() const { return name_; }

  // A new immutable schema, or the first misuse recorded (kInvalidArgument, Connect's wording).
  Result<SchemaPtr> build_checked() const;
  // As build_checked(), asserting success; on a misuse in a release build the bad part is dropped.
  SchemaPtr build() const;

 private:
  SchemaType type_;
  bool optional_ = false;
  std::shared_ptr<const Value> default_;
  std::optional<std::string> name_;
  std::optional<int32_t> version_;
  std::optional<std::string> doc_;
  SchemaParameters parameters_;
  std::vector<Field> fields_;
  SchemaPtr key_schema_;
  SchemaPtr value_schema_;
  std::string error_;  // first misuse, empty when none
};

// Predefined schemas, as Schema.INT8_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA, ... Process-lifetime
// singletons, safe to call from any thread.
namespace schemas {
const SchemaPtr& int8();
const SchemaPtr& int16();
const SchemaPtr& int32();
const SchemaPtr& int64();
const SchemaPtr& float32();
const SchemaPtr& float64();
const SchemaPtr& boolean();
const SchemaPtr& string();
const SchemaPtr& bytes();
const SchemaPtr& optional_int8();
const SchemaPtr& optional_int16();
const SchemaPtr& optional_int32();
const SchemaPtr& optional_int64();
const SchemaPtr& optional_float32();
const SchemaPtr& optional_float64();
const SchemaPtr& optional_boolean();
const SchemaPtr& optional_string();
const SchemaPtr& optional_bytes();
// The predefined schema for a primitive type; nullptr for ARRAY, MAP, STRUCT.
const SchemaPtr& for_type(SchemaType type, bool optional);
}  // namespace schemas

// Connect's logical types: a named primitive schema, version 1, with Connect's representation.
//   Decimal:   BYTES, big-endian two's-complement unscaled value; parameter "scale".
//   Date:      INT32, days since 1970-01-01 (UTC).
//   Time:      INT32, milliseconds since midnight (UTC), 0..86399999.
//   Timestamp: INT64, milliseconds since the Unix epoch.
// Values keep this representation in kanal (a Decimal value is Value::bytes of the unscaled
// integer); helpers below convert to and from text.
namespace logical {
inline constexpr std::string_view kDecimalName = "org.apache.kafka.connect.data.Decimal";
inline constexpr std::string_view kDecimalScaleParameter = "scale";
inline constexpr std::string_view kDateName = "org.apache.kafka.connect.data.Date";
inline constexpr std::string_view kTimeName = "org.apache.kafka.connect.data.Time";
inline constexpr std::string_view kTimestampName = "org.apache.kafka.connect.data.Timestamp";

// Builders (required by default; call .optional() for the optional variant), as Decimal.builder().
SchemaBuilder decimal(int32_t scale);
SchemaBuilder date();
SchemaBuilder time();
SchemaBuilder timestamp();

bool is_decimal(const Schema& schema);
bool is_date(const Schema& schema);
bool is_time(const Schema& schema);
bool is_timestamp(const Schema& schema);
// The Decimal schema's scale; kInvalidArgument when the parameter is missing or not an integer.
Result<int32_t> decimal_scale(const Schema& schema);

// Java's BigDecimal.toString() of (unscaled, scale), e.g. ("\x30\x39", 2) -> "123.45".
// `unscaled` is big-endian two's complement (any length; empty reads as 0).
std::string decimal_to_string(std::string_view unscaled, int32_t scale);
// Parses a decimal number ("-12.5", "1E+3", "0.001") and rescales it to `scale`, returning the
// minimal big-endian two's-complement unscaled bytes (Java's BigInteger.toByteArray()).
// kInvalidArgument when the text is not a number or would lose digits at that scale.
Result<std::string> decimal_from_string(std::string_view text, int32_t scale);
// Minimal big-endian two's-complement bytes of `unscaled` (BigInteger.valueOf(v).toByteArray()).
std::string decimal_unscaled_bytes(int64_t unscaled);
}  // namespace logical

}  // namespace kanal::data
