// Value and Struct: Kafka Connect's runtime values, native.
//
// A Value is null, a boolean, an int8/16/32/64, a float32/64, a string (UTF-8), bytes, an array,
// a map (ordered key/value pairs whose keys may be any Value) or a Struct. Values carry no schema
// except a Struct, which points at its STRUCT schema; a value with a schema travels as a
// SchemaAndValue (null schema = schemaless data: strings, int64/float64 numbers, booleans, arrays,
// maps with string keys). Logical types keep Connect's physical representation (see schema.h).
//
// Value types: copy is deep, move is cheap (no allocation). Thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "data/schema.h"

namespace kanal::data {

class Value;

// Which alternative a Value holds. Spelled for messages by to_connect_string().
enum class ValueKind : uint8_t {
  kNull,
  kBoolean,
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kFloat32,
  kFloat64,
  kString,
  kBytes,
  kArray,
  kMap,
  kStruct,
};
// "null", "boolean", "int8", ... for messages.
const char* to_connect_string(ValueKind kind);
// The schema type a non-null kind matches (kNull has none: returns nullopt).
std::optional<SchemaType> schema_type_of(ValueKind kind);

// Raw bytes, kept distinct from a UTF-8 string. Owns its buffer.
struct Bytes {
  std::string data;

  std::string_view view() const { return data; }
  std::span<const std::byte> span() const {
    return {reinterpret_cast<const std::byte*>(data.data()), data.size()};
  }
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

// A STRUCT value: its schema plus one Value per field, by field index. A new Struct holds nulls.
class Struct {
 public:
  // Precondition: `schema` is a non-null STRUCT schema (asserted).
  explicit Struct(SchemaPtr schema);

  const SchemaPtr& schema() const { return schema_; }

  // Field value by index, without default substitution. Precondition: index < field count.
  const Value& get(size_t index) const;
  Value& get_mutable(size_t index);
  // Field value by name; a null value is replaced by the field's default when it has one
  // (Struct.get in Java). nullptr when the schema has no such field.
  const Value* get(std::string_view field_name) const;
  // As get(name) without default substitution (Struct.getWithoutDefault).
  const Value* get_without_default(std::string_view field_name) const;

  // Sets a field after validating `value` against the field's schema (Struct.put). Errors:
  // kInvalidArgument naming the field when it does not exist or the value does not validate.
  Status put(std::string_view field_name, Value value);
  // Sets field `index` without validation (the caller guarantees the value fits).
  void set(size_t index, Value value);

  // Every field validates against its schema (Struct.validate); the first failure otherwise.
  Status validate() const;

  const std::vector<Value>& values() const { return values_; }

  friend bool operator==(const Struct& a, const Struct& b);

 private:
  SchemaPtr schema_;
  std::vector<Value> values_;
};

class Value {
 public:
  using Array = std::vector<Value>;
  using MapEntry = std::pair<Value, Value>;
  using Map = std::vector<MapEntry>;  // insertion order kept; keys are not deduplicated
  using Storage = std::variant<std::monostate, bool, int8_t, int16_t, int32_t, int64_t, float,
                               double, std::string, Bytes, Array, Map, Struct>;

  Value() = default;                     // null
  Value(std::nullptr_t) {}               // NOLINT: implicit by design, reads as null
  Value(Struct s) : v_(std::move(s)) {}  // NOLINT

  static Value null() { return Value(); }
  static Value boolean(bool v) { return Value(Storage(std::in_place_type<bool>, v)); }
  static Value int8(int8_t v) { return Value(Storage(std::in_place_type<int8_t>, v)); }
  static Value int16(int16_t v) { return Value(Storage(std::in_place_type<int16_t>, v)); }
  static Value int32(int32_t v) { return Value(Storage(std::in_place_type<int32_t>, v)); }
  static Value int64(int64_t v) { return Value(Storage(std::in_place_type<int64_t>, v)); }
  static Value float32(float v) { return Value(Storage(std::in_place_type<float>, v)); }
  static Value float64(double v) { return Value(Storage(std::in_place_type<double>, v)); }
  // One copy from a view; pass an rvalue std::string to move instead.
  static Value string(std::string_view v) {
    return Value(Storage(std::in_place_type<std::string>, v));
  }
  static Value string(std::string&& v) {
    return Value(Storage(std::in_place_type<std::string>, std::move(v)));
  }
  static Value string(const char* v) { return string(std::string_view(v)); }
  static Value bytes(std::string_view raw) {
    return Value(Storage(std::in_place_type<Bytes>, Bytes{std::string(raw)}));
  }
  static Value bytes(std::string&& raw) {
    return Value(Storage(std::in_place_type<Bytes>, Bytes{std::move(raw)}));
  }
  static Value bytes(std::span<const std::byte> raw) {
    return bytes(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
  }
  static Value array(Array items) { return Value(Storage(std::move(items))); }
  static Value map(Map entries) { return Value(Storage(std::move(entries))); }
  static Value structure(Struct s) { return Value(std::move(s)); }

  ValueKind kind() const { return static_cast<ValueKind>(v_.index()); }
  bool is_null() const { return kind() == ValueKind::kNull; }

  // Typed accessors. Precondition: kind() matches (asserted by std::get in debug builds via
  // the variant; a mismatch is a bug). Use the *_if forms when unsure.
  bool as_bool() const { return std::get<bool>(v_); }
  int8_t as_int8() const { return std::get<int8_t>(v_); }
  int16_t as_int16() const { return std::get<int16_t>(v_); }
  int32_t as_int32() const { return std::get<int32_t>(v_); }
  int64_t as_int64() const { return std::get<int64_t>(v_); }
  float as_float32() const { return std::get<float>(v_); }
  double as_float64() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  std::string& as_string() { return std::get<std::string>(v_); }
  const Bytes& as_bytes() const { return std::get<Bytes>(v_); }
  Bytes& as_bytes() { return std::get<Bytes>(v_); }
  const Array& as_array() const { return std::get<Array>(v_); }
  Array& as_array() { return std::get<Array>(v_); }
  const Map& as_map() const { return std::get<Map>(v_); }
  Map& as_map() { return std::get<Map>(v_); }
  const Struct& as_struct() const { return std::get<Struct>(v_); }
  Struct& as_struct() { return std::get<Struct>(v_); }

  // nullptr when the kind differs.
  const std::string* string_if() const { return std::get_if<std::string>(&v_); }
  const Bytes* bytes_if() const { return std::get_if<Bytes>(&v_); }
  const Array* array_if() const { return std::get_if<Array>(&v_); }
  const Map* map_if() const { return std::get_if<Map>(&v_); }
  const Struct* struct_if() const { return std::get_if<Struct>(&v_); }

  // Any integral kind widened to int64; nullopt for other kinds.
  std::optional<int64_t> integral() const;
  // Any numeric kind as double; nullopt for other kinds.
  std::optional<double> number() const;

  // For std::visit.
  const Storage& storage() const { return v_; }
  Storage& storage() { return v_; }

  // Deep equality; kinds must match (int32 1 != int64 1, as Java's equals). Floats compare by
  // value except that NaN equals NaN (Java's Float.equals).
  friend bool operator==(const Value& a, const Value& b);

 private:
  explicit Value(Storage v) : v_(std::move(v)) {}

  Storage v_;
};

// A schema (possibly null = schemaless) with its value, as Connect's SchemaAndValue.
struct SchemaAndValue {
  SchemaPtr schema;
  Value value;

  friend bool operator==(const SchemaAndValue& a, const SchemaAndValue& b) {
    return schema_equals(a.schema, b.schema) && a.value == b.value;
  }
};

// Connect's ConnectSchema.validateValue(field, schema, value): OK when `value` fits `schema`;
// otherwise kInvalidArgument with Connect's wording, e.g.
//   Invalid value: null used for required field: "id", schema type: INT64
//   Invalid Java object for schema with type INT32: class java.lang.String for field: "id"
// A null schema accepts anything. Struct values must carry a schema equal to `schema`.
// `field_name` (may be empty) names the value in messages.
Status validate_value(const SchemaPtr& schema, const Value& value,
                      std::string_view field_name = {});
Status validate_value(const Schema& schema, const Value& value, std::string_view field_name = {});

// Java's toString() of the value as Connect would print it (used by StringConverter and
// SimpleHeaderConverter): numbers as Java formats them (1.5, 10.0, 1.0E10), booleans, strings
// as-is, arrays "[a, b]", maps "{k=v}", structs "Struct{name=value,...}", bytes base64 (as
// Values.convertToString). Null prints "null".
std::string to_java_string(const Value& value);

// Java's Double.toString / Float.toString formatting (shortest round-trip digits; plain notation
// for 1e-3 <= |v| < 1e7, else "d.dddE<exp>"; "NaN", "Infinity", "-Infinity"). Appends to `out`.
void append_java_double(double v, std::string& out);
void append_java_float(float v, std::string& out);

}  // namespace kanal::data
