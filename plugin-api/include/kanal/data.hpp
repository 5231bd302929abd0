// kanal C++ SDK: errors, schemas, values and records -- a thin header-only layer over the
// handles of <kanal/kanal.h>. C++17 or later. Include <kanal/kanal.hpp> rather than this file.
//
// Ownership in one sentence per type:
//   Schema     owns a host schema handle (or borrows one read from a record); copies are owned
//              and cheap (the host shares the schema). A default Schema is "no schema".
//   Value      owns a host value handle; move-only, clone() copies deeply.
//   ValueView  borrows a value (from a record, a Value, a struct field); valid as long as it.
// Every method that talks to the host may throw kanal::Error (for instance a struct field that
// does not exist); the SDK's trampolines turn it into an error status for the worker.
#pragma once

#include <kanal/kanal.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace kanal {

namespace detail {
struct Access;  // the C ABI trampolines (plugin.hpp)
// The host table this plugin was given at entry; defined by KANAL_EXPORT_PLUGIN.
extern const kanal_host* g_host;
inline const kanal_host& host() { return *g_host; }
inline kanal_str str(std::string_view s) { return kanal_str{s.data(), s.size()}; }
inline std::string_view view(kanal_str s) {
  return s.ptr == nullptr ? std::string_view() : std::string_view(s.ptr, s.len);
}
}  // namespace detail

// An error a plugin throws to fail the current call; the trampoline reports code and message.
// Any other std::exception fails the call with KANAL_ERR and its what().
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, kanal_status code = KANAL_ERR)
      : std::runtime_error(message), code_(code) {}
  kanal_status code() const { return code_; }

 private:
  kanal_status code_;
};

// Connect's RetriableException: the worker retries the same call (poll, put, ...).
class RetriableError : public Error {
 public:
  explicit RetriableError(const std::string& message) : Error(message, KANAL_ERR_RETRIABLE) {}
};

// Connect's ConfigException.
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(message, KANAL_ERR_CONFIG) {}
};

namespace detail {
// Throws Error(code, err) unless `status` is KANAL_OK.
inline void check(kanal_status status, const char* err) {
  if (status != KANAL_OK) throw Error(err, status);
}
}  // namespace detail

// Connect's Schema.Type (plus kNull, which only describes values).
enum class Type : int32_t {
  kNull = KANAL_TYPE_NULL,
  kInt8 = KANAL_TYPE_INT8,
  kInt16 = KANAL_TYPE_INT16,
  kInt32 = KANAL_TYPE_INT32,
  kInt64 = KANAL_TYPE_INT64,
  kFloat32 = KANAL_TYPE_FLOAT32,
  kFloat64 = KANAL_TYPE_FLOAT64,
  kBoolean = KANAL_TYPE_BOOLEAN,
  kString = KANAL_TYPE_STRING,
  kBytes = KANAL_TYPE_BYTES,
  kArray = KANAL_TYPE_ARRAY,
  kMap = KANAL_TYPE_MAP,
  kStruct = KANAL_TYPE_STRUCT,
};

inline bool is_integer(Type t) { return t >= Type::kInt8 && t <= Type::kInt64; }
inline bool is_floating(Type t) { return t == Type::kFloat32 || t == Type::kFloat64; }

class ValueView;
class Schema;

// One field of a STRUCT schema; `schema` borrows from the struct's schema.
struct Field;

// Copies of an owned Schema share one host handle (counted in the plugin, released with
// schema_destroy by the last copy), so stamping a task's schema on every record costs no host
// call and no allocation. Copying a borrowed Schema takes a handle of its own.
class Schema {
 public:
  Schema() = default;  // no schema (schemaless)
  Schema(const Schema& other) : s_(other.s_), owner_(other.owner_) {
    if (s_ != nullptr && !owner_) {
      owner_ = own(detail::host().schema_copy(s_));
      s_ = owner_.get();
    }
  }
  Schema(Schema&& other) noexcept : s_(other.s_), owner_(std::move(other.owner_)) {
    other.s_ = nullptr;
  }
  Schema& operator=(Schema other) noexcept {
    std::swap(s_, other.s_);
    std::swap(owner_, other.owner_);
    return *this;
  }
  ~Schema() = default;

  // Takes an owned handle (from schema_build or schema_copy).
  static Schema adopt(kanal_schema* s) {
    Schema out;
    out.owner_ = own(s);
    out.s_ = s;
    return out;
  }
  // Borrows a handle; the result must not outlive its source. Copy it to keep it.
  static Schema borrow(const kanal_schema* s) {
    Schema out;
    out.s_ = s;
    return out;
  }

  // Connect's predefined schemas (Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA, ...).
  static Schema int8(bool optional = false) { return primitive(KANAL_TYPE_INT8, optional); }
  static Schema int16(bool optional = false) { return primitive(KANAL_TYPE_INT16, optional); }
  static Schema int32(bool optional = false) { return primitive(KANAL_TYPE_INT32, optional); }
  static Schema int64(bool optional = false) { return primitive(KANAL_TYPE_INT64, optional); }
  static Schema float32(bool optional = false) { return primitive(KANAL_TYPE_FLOAT32, optional); }
  static Schema float64(bool optional = false) { return primitive(KANAL_TYPE_FLOAT64, optional); }
  static Schema boolean(bool optional = false) { return primitive(KANAL_TYPE_BOOLEAN, optional); }
  static Schema string(bool optional = false) { return primitive(KANAL_TYPE_STRING, optional); }
  static Schema bytes(bool optional = false) { return primitive(KANAL_TYPE_BYTES, optional); }
  static Schema optional_string() { return string(true); }

  // False for "no schema".
  explicit operator bool() const { return s_ != nullptr; }
  const kanal_schema* get() const { return s_; }

  Type type() const { return static_cast<Type>(detail::host().schema_type(s_)); }
  bool is_optional() const { return detail::host().schema_is_optional(s_) != 0; }
  // Empty when unset.
  std::string_view name() const {
    kanal_str out{};
    return detail::host().schema_name(s_, &out) ? detail::view(out) : std::string_view();
  }
  std::optional<int32_t> version() const {
    int32_t v = 0;
    if (detail::host().schema_version(s_, &v)) return v;
    return std::nullopt;
  }
  std::string_view doc() const {
    kanal_str out{};
    return detail::host().schema_doc(s_, &out) ? detail::view(out) : std::string_view();
  }
  std::optional<std::string_view> parameter(std::string_view key) const {
    kanal_str out{};
    if (detail::host().schema_parameter(s_, key.data(), key.size(), &out)) {
      return detail::view(out);
    }
    return std::nullopt;
  }
  size_t field_count() const { return detail::host().schema_field_count(s_); }
  inline Field field(size_t index) const;
  // Index of field `name`, or -1.
  int32_t field_index(std::string_view name) const {
    return detail::host().schema_field_index(s_, name.data(), name.size());
  }
  inline std::vector<Field> fields() const;
  // MAP keys; MAP values and ARRAY items. Borrowed from this schema.
  Schema key_schema() const { return borrow(detail::host().schema_key_schema(s_)); }
  Schema value_schema() const { return borrow(detail::host().schema_value_schema(s_)); }
  inline ValueView default_value() const;

 private:
  // Shares an owned handle; destroys it (and rethrows) when the count cannot be allocated.
  static std::shared_ptr<kanal_schema> own(kanal_schema* s) {
    if (s == nullptr) return nullptr;
    return std::shared_ptr<kanal_schema>(s,
                                         [](kanal_schema* h) { detail::host().schema_destroy(h); });
  }
  static inline Schema primitive(int32_t type, bool optional);

  const kanal_schema* s_ = nullptr;
  std::shared_ptr<kanal_schema> owner_;  // empty when borrowed (or none)
};

struct Field {
  std::string_view name;
  size_t index = 0;
  Schema schema;
};

inline Field Schema::field(size_t index) const {
  kanal_str name{};
  const kanal_schema* fs = detail::host().schema_field_at(s_, index, &name);
  return Field{detail::view(name), index, borrow(fs)};
}

inline std::vector<Field> Schema::fields() const {
  std::vector<Field> out;
  size_t n = field_count();
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(field(i));
  return out;
}

// A read-only, borrowed value. A default ValueView (or one read from an absent field) is null.
class ValueView {
 public:
  ValueView() = default;
  explicit ValueView(const kanal_value* v) : v_(v) {}

  const kanal_value* get() const { return v_; }
  Type type() const { return v_ ? static_cast<Type>(detail::host().value_type(v_)) : Type::kNull; }
  bool is_null() const { return type() == Type::kNull; }

  // Getters return 0 / empty for another type (check type() when unsure).
  bool as_bool() const { return v_ && detail::host().value_get_bool(v_) != 0; }
  int64_t as_int64() const { return v_ ? detail::host().value_get_int(v_) : 0; }
  int32_t as_int32() const { return static_cast<int32_t>(as_int64()); }
  double as_double() const { return v_ ? detail::host().value_get_float(v_) : 0.0; }
  // STRING or BYTES content, borrowed from the value.
  std::string_view as_string() const {
    kanal_str out{};
    if (v_) detail::host().value_get_string(v_, &out);
    return detail::view(out);
  }
  std::string_view as_bytes() const { return as_string(); }

  // ARRAY items, MAP entries, STRUCT fields.
  size_t size() const { return v_ ? detail::host().value_count(v_) : 0; }
  ValueView at(size_t i) const { return ValueView(detail::host().array_at(v_, i)); }
  std::pair<ValueView, ValueView> entry(size_t i) const {
    const kanal_value* k = nullptr;
    const kanal_value* v = nullptr;
    detail::host().map_at(v_, i, &k, &v);
    return {ValueView(k), ValueView(v)};
  }
  // A STRUCT field by name (its default when null), or a MAP entry by string key; null when
  // absent.
  ValueView get(std::string_view name) const {
    Type t = type();
    if (t == Type::kStruct) {
      return ValueView(detail::host().struct_get(v_, name.data(), name.size()));
    }
    if (t == Type::kMap) {
      for (size_t i = 0, n = size(); i < n; ++i) {
        auto kv = entry(i);
        if (kv.first.type() == Type::kString && kv.first.as_string() == name) return kv.second;
      }
    }
    return ValueView();
  }
  ValueView operator[](std::string_view name) const { return get(name); }
  Schema struct_schema() const {
    return Schema::borrow(v_ ? detail::host().value_struct_schema(v_) : nullptr);
  }

 private:
  const kanal_value* v_ = nullptr;
};

inline ValueView Schema::default_value() const {
  return ValueView(detail::host().schema_default(s_));
}

// An owned value. Move-only; clone() copies. Implicit from bool, integers (int -> INT32,
// int64_t -> INT64), double (FLOAT64), strings (STRING) and nullptr (null).
class Value {
 public:
  Value() = default;                                           // null, without a host call
  Value(std::nullptr_t) {}                                     // NOLINT
  Value(bool b) : v_(detail::host().value_bool(b ? 1 : 0)) {}  // NOLINT
  // Integers up to 32 bits signed become INT32, wider ones INT64.
  template <typename T,
            typename std::enable_if<std::is_integral<T>::value && !std::is_same<T, bool>::value,
                                    int>::type = 0>
  Value(T i)  // NOLINT
      : v_(detail::host().value_int((sizeof(T) < 4 || (sizeof(T) == 4 && std::is_signed<T>::value))
                                        ? KANAL_TYPE_INT32
                                        : KANAL_TYPE_INT64,
                                    static_cast<int64_t>(i))) {}
  Value(float f) : v_(detail::host().value_float(KANAL_TYPE_FLOAT32, f)) {}           // NOLINT
  Value(double d) : v_(detail::host().value_float(KANAL_TYPE_FLOAT64, d)) {}          // NOLINT
  Value(std::string_view s) : v_(detail::host().value_string(s.data(), s.size())) {}  // NOLINT
  Value(const char* s) : Value(std::string_view(s)) {}                                // NOLINT
  Value(const std::string& s) : Value(std::string_view(s)) {}                         // NOLINT
  Value(Value&& other) noexcept : v_(other.v_) { other.v_ = nullptr; }
  Value& operator=(Value&& other) noexcept {
    std::swap(v_, other.v_);
    return *this;
  }
  Value(const Value&) = delete;
  Value& operator=(const Value&) = delete;
  ~Value() {
    if (v_) detail::host().value_destroy(v_);
  }

  // Takes an owned handle; NULL is a null value.
  static Value adopt(kanal_value* v) {
    Value out;
    out.v_ = v;
    return out;
  }
  static Value null() { return Value(); }
  static Value int8(int8_t v) { return made(detail::host().value_int(KANAL_TYPE_INT8, v)); }
  static Value int16(int16_t v) { return made(detail::host().value_int(KANAL_TYPE_INT16, v)); }
  static Value int32(int32_t v) { return made(detail::host().value_int(KANAL_TYPE_INT32, v)); }
  static Value int64(int64_t v) { return made(detail::host().value_int(KANAL_TYPE_INT64, v)); }
  static Value float32(float v) { return made(detail::host().value_float(KANAL_TYPE_FLOAT32, v)); }
  static Value float64(double v) { return made(detail::host().value_float(KANAL_TYPE_FLOAT64, v)); }
  static Value boolean(bool v) { return Value(v); }
  static Value string(std::string_view s) { return Value(s); }
  static Value bytes(const void* data, size_t len) {
    return made(detail::host().value_bytes(static_cast<const uint8_t*>(data), len));
  }
  static Value bytes(std::string_view raw) { return bytes(raw.data(), raw.size()); }
  static Value array() { return made(detail::host().value_array()); }
  // A MAP; chain put() to fill it: Value::map().put("file", "a.txt").put("line", 3).
  static Value map() { return made(detail::host().value_map()); }
  Value clone() const { return v_ ? made(detail::host().value_copy(v_)) : Value(); }

  ValueView view() const { return ValueView(v_); }
  operator ValueView() const { return view(); }  // NOLINT
  Type type() const { return view().type(); }
  bool is_null() const { return view().is_null(); }
  bool as_bool() const { return view().as_bool(); }
  int64_t as_int64() const { return view().as_int64(); }
  int32_t as_int32() const { return view().as_int32(); }
  double as_double() const { return view().as_double(); }
  std::string_view as_string() const { return view().as_string(); }
  size_t size() const { return view().size(); }
  ValueView get(std::string_view name) const { return view().get(name); }
  ValueView operator[](std::string_view name) const { return view().get(name); }

  // ARRAY: appends `item`.
  Value& append(Value item) & {
    char err[256];
    detail::check(detail::host().array_append(v_, item.release(), err, sizeof err), err);
    return *this;
  }
  Value&& append(Value item) && { return std::move(append(std::move(item))); }
  // MAP: adds an entry (keys are not deduplicated, as the host keeps insertion order).
  Value& put(Value key, Value value) & {
    char err[256];
    detail::check(detail::host().map_put(v_, key.release(), value.release(), err, sizeof err), err);
    return *this;
  }
  Value&& put(Value key, Value value) && {
    return std::move(put(std::move(key), std::move(value)));
  }

  const kanal_value* get() const { return v_; }
  // Gives up ownership of the handle (for a host call that takes it).
  kanal_value* release() {
    kanal_value* v = v_;
    v_ = nullptr;
    return v;
  }

 protected:
  // The host returns NULL from a constructor only when out of memory.
  static Value made(kanal_value* v) {
    if (v == nullptr) throw std::bad_alloc();
    return adopt(v);
  }
  Value(kanal_value* v, int) : v_(v) {
    if (v_ == nullptr) throw std::bad_alloc();
  }
  kanal_value* v_ = nullptr;
};

// A STRUCT value (Connect's Struct). put() checks the value against the field's schema; numbers
// are first converted to the field's number type, so put("count", 3) fills an INT64 field.
class Struct : public Value {
 public:
  explicit Struct(const Schema& schema)
      : Value(detail::host().value_struct(schema.get()), 0), schema_(schema) {}

  Struct& put(std::string_view field, Value value) & {
    int32_t index = schema_.field_index(field);
    if (index >= 0)
      value = coerce(schema_.field(static_cast<size_t>(index)).schema, std::move(value));
    char err[256];
    detail::check(
        detail::host().struct_put(v_, field.data(), field.size(), value.release(), err, sizeof err),
        err);
    return *this;
  }
  Struct&& put(std::string_view field, Value value) && {
    return std::move(put(field, std::move(value)));
  }
  const Schema& schema() const { return schema_; }

 private:
  static Value coerce(const Schema& field_schema, Value value) {
    Type want = field_schema.type();
    Type have = value.type();
    if (want == have) return value;
    if (is_integer(want) && is_integer(have)) {
      return made(detail::host().value_int(static_cast<int32_t>(want), value.as_int64()));
    }
    if (is_floating(want) && (is_floating(have) || is_integer(have))) {
      return made(detail::host().value_float(static_cast<int32_t>(want), value.as_double()));
    }
    return value;
  }
  Schema schema_;
};

// Fluent schema construction, as Connect's SchemaBuilder:
//   Schema order = SchemaBuilder::structure().name("com.example.Order")
//                      .field("id", Schema::int64()).field("note", Schema::optional_string())
//                      .build();
class SchemaBuilder {
 public:
  explicit SchemaBuilder(Type type)
      : b_(detail::host().schema_builder_new(static_cast<int32_t>(type))) {}
  SchemaBuilder(SchemaBuilder&& other) noexcept : b_(other.b_) { other.b_ = nullptr; }
  SchemaBuilder(const SchemaBuilder&) = delete;
  SchemaBuilder& operator=(const SchemaBuilder&) = delete;
  ~SchemaBuilder() {
    if (b_) detail::host().schema_builder_destroy(b_);
  }

  static SchemaBuilder int8() { return SchemaBuilder(Type::kInt8); }
  static SchemaBuilder int16() { return SchemaBuilder(Type::kInt16); }
  static SchemaBuilder int32() { return SchemaBuilder(Type::kInt32); }
  static SchemaBuilder int64() { return SchemaBuilder(Type::kInt64); }
  static SchemaBuilder float32() { return SchemaBuilder(Type::kFloat32); }
  static SchemaBuilder float64() { return SchemaBuilder(Type::kFloat64); }
  static SchemaBuilder boolean() { return SchemaBuilder(Type::kBoolean); }
  static SchemaBuilder string() { return SchemaBuilder(Type::kString); }
  static SchemaBuilder bytes() { return SchemaBuilder(Type::kBytes); }
  static SchemaBuilder structure() { return SchemaBuilder(Type::kStruct); }
  static SchemaBuilder array(const Schema& items) {
    return SchemaBuilder(detail::host().schema_builder_array(items.get()));
  }
  static SchemaBuilder map(const Schema& keys, const Schema& values) {
    return SchemaBuilder(detail::host().schema_builder_map(keys.get(), values.get()));
  }

  SchemaBuilder& optional() {
    detail::host().schema_builder_optional(b_);
    return *this;
  }
  SchemaBuilder& name(std::string_view name) {
    detail::host().schema_builder_name(b_, name.data(), name.size());
    return *this;
  }
  SchemaBuilder& version(int32_t version) {
    detail::host().schema_builder_version(b_, version);
    return *this;
  }
  SchemaBuilder& doc(std::string_view doc) {
    detail::host().schema_builder_doc(b_, doc.data(), doc.size());
    return *this;
  }
  SchemaBuilder& parameter(std::string_view key, std::string_view value) {
    detail::host().schema_builder_parameter(b_, key.data(), key.size(), value.data(), value.size());
    return *this;
  }
  SchemaBuilder& default_value(const Value& value) {
    detail::host().schema_builder_default(b_, value.get());
    return *this;
  }
  SchemaBuilder& field(std::string_view name, const Schema& schema) {
    detail::host().schema_builder_field(b_, name.data(), name.size(), schema.get());
    return *this;
  }
  // The finished schema; throws kanal::Error naming the first misuse.
  Schema build() {
    char err[512] = {0};
    kanal_schema* s = detail::host().schema_build(b_, err, sizeof err);
    b_ = nullptr;
    if (s == nullptr) throw Error(err, KANAL_ERR_TYPE);
    return Schema::adopt(s);
  }

 private:
  explicit SchemaBuilder(kanal_schema_builder* b) : b_(b) {}
  kanal_schema_builder* b_;
};

// Connect's predefined schemas are built once per plugin (on first use, thread-safe) and shared,
// so Schema::string() on every record costs no host call. The table is never destroyed: a
// plugin's static destructors may run after the host has started to shut down.
inline Schema Schema::primitive(int32_t type, bool optional) {
  if (type < KANAL_TYPE_INT8 || type > KANAL_TYPE_BYTES) {
    SchemaBuilder b(static_cast<Type>(type));
    if (optional) b.optional();
    return b.build();
  }
  static const std::vector<Schema>* const cache = [] {
    auto table = std::make_unique<std::vector<Schema>>();
    for (int32_t t = KANAL_TYPE_INT8; t <= KANAL_TYPE_BYTES; ++t) {
      table->push_back(SchemaBuilder(static_cast<Type>(t)).build());
      table->push_back(SchemaBuilder(static_cast<Type>(t)).optional().build());
    }
    return table.release();
  }();
  return (*cache)[static_cast<size_t>(type - KANAL_TYPE_INT8) * 2 + (optional ? 1 : 0)];
}

// Connect's logical types. Values keep Connect's physical form: Decimal is BYTES holding the
// big-endian two's-complement unscaled value, Date/Time INT32 (days / ms of day), Timestamp INT64.
namespace logical {
constexpr const char* kDecimalName = "org.apache.kafka.connect.data.Decimal";
constexpr const char* kDateName = "org.apache.kafka.connect.data.Date";
constexpr const char* kTimeName = "org.apache.kafka.connect.data.Time";
constexpr const char* kTimestampName = "org.apache.kafka.connect.data.Timestamp";

inline SchemaBuilder decimal(int32_t scale) {
  SchemaBuilder b = SchemaBuilder::bytes();
  b.name(kDecimalName).version(1).parameter("scale", std::to_string(scale));
  return b;
}
inline SchemaBuilder date() {
  SchemaBuilder b = SchemaBuilder::int32();
  b.name(kDateName).version(1);
  return b;
}
inline SchemaBuilder time() {
  SchemaBuilder b = SchemaBuilder::int32();
  b.name(kTimeName).version(1);
  return b;
}
inline SchemaBuilder timestamp() {
  SchemaBuilder b = SchemaBuilder::int64();
  b.name(kTimestampName).version(1);
  return b;
}
// The minimal big-endian two's-complement bytes of `unscaled` (BigInteger.toByteArray()).
inline Value decimal_value(int64_t unscaled) {
  unsigned char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<unsigned char>(static_cast<uint64_t>(unscaled) & 0xff);
    unscaled >>= 8;  // arithmetic shift keeps the sign
  }
  int start = 0;
  while (start < 7 && ((buf[start] == 0x00 && !(buf[start + 1] & 0x80)) ||
                       (buf[start] == 0xff && (buf[start + 1] & 0x80)))) {
    ++start;
  }
  return Value::bytes(buf + start, static_cast<size_t>(8 - start));
}
}  // namespace logical

// Record headers (Connect's Headers): ordered, keys may repeat.
struct Header {
  std::string key;
  Schema schema;  // may be "no schema"
  Value value;
};

class Headers {
 public:
  Headers& add(std::string key, Value value, Schema schema = Schema()) {
    headers_.push_back(Header{std::move(key), std::move(schema), std::move(value)});
    return *this;
  }
  size_t size() const { return headers_.size(); }
  bool empty() const { return headers_.empty(); }
  std::vector<Header>::iterator begin() { return headers_.begin(); }
  std::vector<Header>::iterator end() { return headers_.end(); }
  std::vector<Header>::const_iterator begin() const { return headers_.begin(); }
  std::vector<Header>::const_iterator end() const { return headers_.end(); }
  void clear() { headers_.clear(); }

 private:
  std::vector<Header> headers_;
};

// A record a source task produces (Connect's SourceRecord). `source_partition` and
// `source_offset` are MAP values with string keys and primitive values, e.g.
//   rec.source_offset = Value::map().put("position", int64_t{42});
struct SourceRecord {
  SourceRecord() = default;
  SourceRecord(std::string topic, Schema value_schema, Value value)
      : topic(std::move(topic)), value_schema(std::move(value_schema)), value(std::move(value)) {}

  std::string topic;
  std::optional<int32_t> partition;  // unset: the producer's partitioner picks
  Schema key_schema;
  Value key;
  Schema value_schema;
  Value value;
  std::optional<int64_t> timestamp;  // ms since the epoch
  Headers headers;
  Value source_partition;  // null = empty
  Value source_offset;
};

// Source records that share topic, Kafka partition, schemas, timestamp and source partition, and
// differ only in value, key and integer source offsets (ABI 1.1, kanal_source_run): the shape of
// a task reading one stream. SourceTask::append_run hands a run over in one call, without a
// Value per field, so it costs a fraction of a SourceRecord each. Values and keys are STRING
// (no schema or a STRING schema) or BYTES (a BYTES schema); each record's source offset is the
// map offset_keys[k] -> its k-th offset (INT64). The run borrows every string view it is given:
// they must stay valid until append_run returns.
class SourceRun {
 public:
  std::string topic;
  std::optional<int32_t> partition;  // unset: the producer's partitioner picks
  Schema key_schema;
  Schema value_schema;
  std::optional<int64_t> timestamp;  // ms since the epoch
  Value source_partition;            // null = empty
  std::vector<std::string> offset_keys;

  // One record with a null key; `offsets` holds one value per offset key, in their order.
  void add(std::string_view value, const int64_t* offsets, size_t count) {
    if (!keys_.empty()) throw Error("SourceRun: a record without a key in a run with keys");
    push(value, offsets, count);
  }
  void add(std::string_view value, std::initializer_list<int64_t> offsets) {
    add(value, offsets.begin(), offsets.size());
  }
  void add(std::string_view value, int64_t offset) { add(value, &offset, 1); }
  // One record with a key; every record of the run has one then.
  void add_keyed(std::string_view key, std::string_view value, const int64_t* offsets,
                 size_t count) {
    if (keys_.size() != values_.size()) {
      throw Error("SourceRun: a record with a key in a run without keys");
    }
    push(value, offsets, count);
    keys_.push_back(detail::str(key));
  }
  void add_keyed(std::string_view key, std::string_view value,
                 std::initializer_list<int64_t> offsets) {
    add_keyed(key, value, offsets.begin(), offsets.size());
  }

  size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  // Drops the records, keeps the shared fields.
  void clear() {
    keys_.clear();
    values_.clear();
    offsets_.clear();
  }

 private:
  friend struct detail::Access;
  void push(std::string_view value, const int64_t* offsets, size_t count) {
    if (count != offset_keys.size()) {
      throw Error("SourceRun: " + std::to_string(count) + " offset values for " +
                  std::to_string(offset_keys.size()) + " offset keys");
    }
    values_.push_back(detail::str(value));
    offsets_.insert(offsets_.end(), offsets, offsets + count);
  }
  std::vector<kanal_str> keys_;
  std::vector<kanal_str> values_;
  std::vector<int64_t> offsets_;
};

// A borrowed header of a record the host passed in.
struct HeaderView {
  std::string_view key;
  Schema schema;
  ValueView value;
};

// A read-only view of a record delivered to a sink task (Connect's SinkRecord). Everything it
// returns borrows from the host and is valid until put() returns; copy (clone) what you keep.
class SinkRecord {
 public:
  explicit SinkRecord(const kanal_sink_record* r) : r_(r) {}

  std::string_view topic() const { return detail::view(r_->topic); }
  int32_t partition() const { return r_->partition; }
  int64_t offset() const { return r_->offset; }
  Schema key_schema() const { return Schema::borrow(r_->key_schema); }
  ValueView key() const { return ValueView(r_->key); }
  Schema value_schema() const { return Schema::borrow(r_->value_schema); }
  ValueView value() const { return ValueView(r_->value); }
  std::optional<int64_t> timestamp() const {
    if (r_->timestamp == KANAL_NO_TIMESTAMP) return std::nullopt;
    return r_->timestamp;
  }
  int32_t timestamp_type() const { return r_->timestamp_type; }
  size_t header_count() const { return r_->header_count; }
  HeaderView header(size_t i) const {
    const kanal_header* h = r_->headers[i];
    return HeaderView{detail::view(h->key), Schema::borrow(h->schema), ValueView(h->value)};
  }
  std::string_view original_topic() const { return detail::view(r_->original_topic); }
  int32_t original_partition() const { return r_->original_partition; }
  int64_t original_offset() const { return r_->original_offset; }
  const kanal_sink_record* get() const { return r_; }

 private:
  const kanal_sink_record* r_;
};

// The batch passed to SinkTask::put: a range of SinkRecord views, no copies.
class SinkRecords {
 public:
  class iterator {
   public:
    explicit iterator(const kanal_sink_record* const* p) : p_(p) {}
    SinkRecord operator*() const { return SinkRecord(*p_); }
    iterator& operator++() {
      ++p_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return p_ != o.p_; }
    bool operator==(const iterator& o) const { return p_ == o.p_; }

   private:
    const kanal_sink_record* const* p_;
  };

  SinkRecords(const kanal_sink_record* const* records, size_t count)
      : records_(records), count_(count) {}
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  SinkRecord operator[](size_t i) const { return SinkRecord(records_[i]); }
  iterator begin() const { return iterator(records_); }
  iterator end() const { return iterator(records_ + count_); }

 private:
  const kanal_sink_record* const* records_;
  size_t count_;
};

// The record a transformation or predicate sees (Connect's ConnectRecord), borrowed.
class Record {
 public:
  explicit Record(const kanal_record* r) : r_(r) {}

  std::string_view topic() const { return detail::view(r_->topic); }
  std::optional<int32_t> partition() const {
    if (r_->partition == KANAL_NO_PARTITION) return std::nullopt;
    return r_->partition;
  }
  Schema key_schema() const { return Schema::borrow(r_->key_schema); }
  ValueView key() const { return ValueView(r_->key); }
  Schema value_schema() const { return Schema::borrow(r_->value_schema); }
  ValueView value() const { return ValueView(r_->value); }
  std::optional<int64_t> timestamp() const {
    if (r_->timestamp == KANAL_NO_TIMESTAMP) return std::nullopt;
    return r_->timestamp;
  }
  size_t header_count() const { return r_->header_count; }
  HeaderView header(size_t i) const {
    const kanal_header* h = r_->headers[i];
    return HeaderView{detail::view(h->key), Schema::borrow(h->schema), ValueView(h->value)};
  }

 private:
  const kanal_record* r_;
};

// What a transformation changes; parts left unset pass through unchanged.
class RecordUpdate {
 public:
  RecordUpdate& set_topic(std::string topic) {
    topic_ = std::move(topic);
    changed_ |= KANAL_CHANGE_TOPIC;
    return *this;
  }
  RecordUpdate& set_partition(std::optional<int32_t> partition) {
    partition_ = partition.value_or(KANAL_NO_PARTITION);
    changed_ |= KANAL_CHANGE_PARTITION;
    return *this;
  }
  RecordUpdate& set_key(Schema schema, Value key) {
    key_schema_ = std::move(schema);
    key_ = std::move(key);
    changed_ |= KANAL_CHANGE_KEY;
    return *this;
  }
  RecordUpdate& set_value(Schema schema, Value value) {
    value_schema_ = std::move(schema);
    value_ = std::move(value);
    changed_ |= KANAL_CHANGE_VALUE;
    return *this;
  }
  RecordUpdate& set_timestamp(std::optional<int64_t> ts) {
    timestamp_ = ts.value_or(KANAL_NO_TIMESTAMP);
    changed_ |= KANAL_CHANGE_TIMESTAMP;
    return *this;
  }
  // Replaces every header of the record.
  RecordUpdate& set_headers(Headers headers) {
    headers_ = std::move(headers);
    changed_ |= KANAL_CHANGE_HEADERS;
    return *this;
  }
  // Filters the record out (Connect's "return null").
  void drop() { drop_ = true; }

  bool dropped() const { return drop_; }
  uint32_t changed() const { return changed_; }

 private:
  uint32_t changed_ = 0;
  bool drop_ = false;
  std::string topic_;
  int32_t partition_ = KANAL_NO_PARTITION;
  Schema key_schema_;
  Value key_;
  Schema value_schema_;
  Value value_;
  int64_t timestamp_ = KANAL_NO_TIMESTAMP;
  Headers headers_;

 public:
  // For the trampoline: fills `update` pointing into this object (valid while it lives).
  void fill(kanal_record_update& update, std::vector<kanal_header>& hs,
            std::vector<const kanal_header*>& hp) {
    update = kanal_record_update{};
    update.struct_size = sizeof update;
    update.changed = changed_;
    update.topic = detail::str(topic_);
    update.partition = partition_;
    update.key_schema = key_schema_.get();
    update.key = (changed_ & KANAL_CHANGE_KEY) ? key_.release() : nullptr;
    update.value_schema = value_schema_.get();
    update.value = (changed_ & KANAL_CHANGE_VALUE) ? value_.release() : nullptr;
    update.timestamp = timestamp_;
    if (changed_ & KANAL_CHANGE_HEADERS) {
      hs.clear();
      hp.clear();
      hs.reserve(headers_.size());
      for (Header& h : headers_) {
        kanal_header kh{};
        kh.struct_size = sizeof kh;
        kh.key = detail::str(h.key);
        kh.schema = h.schema.get();
        kh.value = h.value.release();
        hs.push_back(kh);
      }
      for (const kanal_header& kh : hs) hp.push_back(&kh);
      update.headers = hp.data();
      update.header_count = hp.size();
    }
  }
};

// A Kafka topic partition and offset (TopicPartition / OffsetAndMetadata).
struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;  // -1 where it has no meaning
};

// A source record Kafka acknowledged (or that was dropped), as commit_record sees it. Borrowed.
struct CommittedRecord {
  ValueView source_partition;
  ValueView source_offset;
  std::string_view topic;
  int32_t partition = -1;  // -1: not written (filtered or failed)
  int64_t offset = -1;
  std::optional<int64_t> timestamp;
};

}  // namespace kanal
