#include "data/value.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "data/base64_internal.h"

namespace kanal::data {

namespace {

// The Java class Connect names in validation messages for a value of this kind.
const char* java_class_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kBoolean:
      return "class java.lang.Boolean";
    case ValueKind::kInt8:
      return "class java.lang.Byte";
    case ValueKind::kInt16:
      return "class java.lang.Short";
    case ValueKind::kInt32:
      return "class java.lang.Integer";
    case ValueKind::kInt64:
      return "class java.lang.Long";
    case ValueKind::kFloat32:
      return "class java.lang.Float";
    case ValueKind::kFloat64:
      return "class java.lang.Double";
    case ValueKind::kString:
      return "class java.lang.String";
    case ValueKind::kBytes:
      return "class [B";
    case ValueKind::kArray:
      return "class java.util.ArrayList";
    case ValueKind::kMap:
      return "class java.util.HashMap";
    case ValueKind::kStruct:
      return "class org.apache.kafka.connect.data.Struct";
  }
  return "unknown";
}

template <typename F>
bool float_equal(F a, F b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return a == b;
}

bool maps_equal(const Value::Map& a, const Value::Map& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    // Fast path: same order.
    if (a[i] == b[i]) continue;
    bool found = false;
    for (const auto& e : b) {
      if (e.first == a[i].first) {
        if (!(e.second == a[i].second)) return false;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

Status validate_impl(const Schema& schema, const Value& value, const std::string& location);

Status validate_ptr(const SchemaPtr& schema, const Value& value, const std::string& location) {
  if (!schema) {
    return Status::invalid_argument("No schema defined for " + location);
  }
  return validate_impl(*schema, value, location);
}

// ConnectSchema.validateValue(Schema, Object, String).
Status validate_impl(const Schema& schema, const Value& value, const std::string& location) {
  if (value.is_null()) {
    if (!schema.is_optional()) {
      return Status::invalid_argument("Invalid value: null used for required " + location +
                                      ", schema type: " + to_connect_string(schema.type()));
    }
    return Status::OK();
  }
  std::optional<SchemaType> kind_type = schema_type_of(value.kind());
  if (!kind_type || *kind_type != schema.type()) {
    std::string msg = "Invalid Java object for schema";
    if (schema.name()) msg += " \"" + *schema.name() + "\"";
    msg += " with type ";
    msg += to_connect_string(schema.type());
    msg += ": ";
    msg += java_class_name(value.kind());
    msg += " for " + location;
    return Status::invalid_argument(std::move(msg));
  }
  switch (schema.type()) {
    case SchemaType::kStruct: {
      const Struct& s = value.as_struct();
      if (!s.schema() || !(*s.schema() == schema)) {
        return Status::invalid_argument("Struct schemas do not match.");
      }
      return s.validate();
    }
    case SchemaType::kArray: {
      std::string entry_location = "element of array " + location;
      for (const auto& e : value.as_array()) {
        KANAL_RETURN_IF_ERROR(validate_ptr(schema.value_schema(), e, entry_location));
      }
      return Status::OK();
    }
    case SchemaType::kMap: {
      std::string key_location = "key of map " + location;
      std::string value_location = "value of map " + location;
      for (const auto& [k, v] : value.as_map()) {
        KANAL_RETURN_IF_ERROR(validate_ptr(schema.key_schema(), k, key_location));
        KANAL_RETURN_IF_ERROR(validate_ptr(schema.value_schema(), v, value_location));
      }
      return Status::OK();
    }
    default:
      return Status::OK();
  }
}

std::string location_for(std::string_view field_name) {
  if (field_name.empty()) return "value";
  std::string loc = "field: \"";
  loc += field_name;
  loc += '"';
  return loc;
}

// Formats the shortest round-trip digits of `v` as Java's Double/Float.toString do.
template <typename F>
void append_java_floating(F v, std::string& out) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (v == 0) {
    out += std::signbit(v) ? "-0.0" : "0.0";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  // sci: [-]d[.ddd]e(+|-)xx
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (size_t i = 0; i < e_pos; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  int exponent = 0;
  std::string_view exp_text = sci.substr(e_pos + 1);
  if (!exp_text.empty() && exp_text[0] == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  if (digits.size() == 1) {
    // Java always prints at least two significant digits and picks the closest two-digit
    // decimal, which differs from the shortest one for denormals: 4.9E-324, not 5.0E-324.
    auto res2 = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, 1);
    std::string_view two(buf, static_cast<size_t>(res2.ptr - buf));
    if (two[0] == '-') two.remove_prefix(1);
    if (two.size() > 3 && two[1] == '.') {
      digits.assign({two[0], two[2]});
      std::string_view e2 = two.substr(two.find('e') + 1);
      if (!e2.empty() && e2[0] == '+') e2.remove_prefix(1);
      std::from_chars(e2.data(), e2.data() + e2.size(), exponent);
      while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    }
  }

  if (negative) out += '-';
  const auto abs = std::fabs(v);
  if (abs >= F(1e-3) && abs < F(1e7)) {
    if (exponent >= 0) {
      const auto int_len = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= int_len) {
        out += digits;
        out.append(int_len - digits.size(), '0');
        out += ".0";
      } else {
        out.append(digits, 0, int_len);
        out += '.';
        out.append(digits, int_len);
      }
    } else {
      out += "0.";
      out.append(static_cast<size_t>(-exponent - 1), '0');
      out += digits;
    }
  } else {
    out += digits[0];
    out += '.';
    if (digits.size() > 1) {
      out.append(digits, 1);
    } else {
      out += '0';
    }
    out += 'E';
    out += std::to_string(exponent);
  }
}

void append_java_string(const Value& value, std::string& out) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, float>) {
          append_java_float(v, out);
        } else if constexpr (std::is_same_v<T, double>) {
          append_java_double(v, out);
        } else if constexpr (std::is_integral_v<T>) {
          out += std::to_string(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          out += v;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          detail::base64_encode(v.data, out);
        } else if constexpr (std::is_same_v<T, Value::Array>) {
          out += '[';
          for (size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ", ";
            append_java_string(v[i], out);
          }
          out += ']';
        } else if constexpr (std::is_same_v<T, Value::Map>) {
          out += '{';
          for (size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ", ";
            append_java_string(v[i].first, out);
            out += '=';
            append_java_string(v[i].second, out);
          }
          out += '}';
        } else if constexpr (std::is_same_v<T, Struct>) {
          // Struct.toString: non-null fields only, comma without space.
          out += "Struct{";
          bool first = true;
          const auto& fields = v.schema()->fields();
          for (size_t i = 0; i < fields.size(); ++i) {
            if (v.get(i).is_null()) continue;
            if (!first) out += ',';
            first = false;
            out += fields[i].name;
            out += '=';
            append_java_string(v.get(i), out);
          }
          out += '}';
        }
      },
      value.storage());
}

}  // namespace

const char* to_connect_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return "null";
    case ValueKind::kBoolean:
      return "boolean";
    case ValueKind::kInt8:
      return "int8";
    case ValueKind::kInt16:
      return "int16";
    case ValueKind::kInt32:
      return "int32";
    case ValueKind::kInt64:
      return "int64";
    case ValueKind::kFloat32:
      return "float32";
    case ValueKind::kFloat64:
      return "float64";
    case ValueKind::kString:
      return "string";
    case ValueKind::kBytes:
      return "bytes";
    case ValueKind::kArray:
      return "array";
    case ValueKind::kMap:
      return "map";
    case ValueKind::kStruct:
      return "struct";
  }
  return "unknown";
}

std::optional<SchemaType> schema_type_of(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull:
      return std::nullopt;
    case ValueKind::kBoolean:
      return SchemaType::kBoolean;
    case ValueKind::kInt8:
      return SchemaType::kInt8;
    case ValueKind::kInt16:
      return SchemaType::kInt16;
    case ValueKind::kInt32:
      return SchemaType::kInt32;
    case ValueKind::kInt64:
      return SchemaType::kInt64;
    case ValueKind::kFloat32:
      return SchemaType::kFloat32;
    case ValueKind::kFloat64:
      return SchemaType::kFloat64;
    case ValueKind::kString:
      return SchemaType::kString;
    case ValueKind::kBytes:
      return SchemaType::kBytes;
    case ValueKind::kArray:
      return SchemaType::kArray;
    case ValueKind::kMap:
      return SchemaType::kMap;
    case ValueKind::kStruct:
      return SchemaType::kStruct;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Struct

Struct::Struct(SchemaPtr schema) : schema_(std::move(schema)) {
  assert(schema_ && schema_->type() == SchemaType::kStruct);
  if (schema_) values_.resize(schema_->fields().size());
}

const Value& Struct::get(size_t index) const {
  assert(index < values_.size());
  return values_[index];
}

Value& Struct::get_mutable(size_t index) {
  assert(index < values_.size());
  return values_[index];
}

const Value* Struct::get(std::string_view field_name) const {
  const Field* f = schema_->field(field_name);
  if (f == nullptr) return nullptr;
  const Value& v = values_[static_cast<size_t>(f->index)];
  if (v.is_null() && f->schema->default_value() != nullptr) return f->schema->default_value();
  return &v;
}

const Value* Struct::get_without_default(std::string_view field_name) const {
  const Field* f = schema_->field(field_name);
  if (f == nullptr) return nullptr;
  return &values_[static_cast<size_t>(f->index)];
}

Status Struct::put(std::string_view field_name, Value value) {
  const Field* f = schema_->field(field_name);
  if (f == nullptr) {
    return Status::invalid_argument(std::string(field_name) + " is not a valid field name");
  }
  KANAL_RETURN_IF_ERROR(validate_value(f->schema, value, f->name));
  values_[static_cast<size_t>(f->index)] = std::move(value);
  return Status::OK();
}

void Struct::set(size_t index, Value value) {
  assert(index < values_.size());
  values_[index] = std::move(value);
}

Status Struct::validate() const {
  for (const Field& f : schema_->fields()) {
    const Value& v = values_[static_cast<size_t>(f.index)];
    // Struct.validate checks the value after default substitution (Struct.get).
    const Value& effective =
        v.is_null() && f.schema->default_value() != nullptr ? *f.schema->default_value() : v;
    KANAL_RETURN_IF_ERROR(validate_value(f.schema, effective, f.name));
  }
  return Status::OK();
}

bool operator==(const Struct& a, const Struct& b) {
  return schema_equals(a.schema_, b.schema_) && a.values_ == b.values_;
}

// ---------------------------------------------------------------------------------------------
// Value

std::optional<int64_t> Value::integral() const {
  switch (kind()) {
    case ValueKind::kInt8:
      return as_int8();
    case ValueKind::kInt16:
      return as_int16();
    case ValueKind::kInt32:
      return as_int32();
    case ValueKind::kInt64:
      return as_int64();
    default:
      return std::nullopt;
  }
}

std::optional<double> Value::number() const {
  switch (kind()) {
    case ValueKind::kFloat32:
      return as_float32();
    case ValueKind::kFloat64:
      return as_float64();
    default: {
      auto i = integral();
      if (i) return static_cast<double>(*i);
      return std::nullopt;
    }
  }
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kFloat32:
      return float_equal(a.as_float32(), b.as_float32());
    case ValueKind::kFloat64:
      return float_equal(a.as_float64(), b.as_float64());
    case ValueKind::kMap:
      return maps_equal(a.as_map(), b.as_map());
    default:
      return a.v_ == b.v_;
  }
}

Status validate_value(const SchemaPtr& schema, const Value& value, std::string_view field_name) {
  if (!schema) return Status::OK();
  return validate_impl(*schema, value, location_for(field_name));
}

Status validate_value(const Schema& schema, const Value& value, std::string_view field_name) {
  return validate_impl(schema, value, location_for(field_name));
}

std::string to_java_string(const Value& value) {
  std::string out;
  append_java_string(value, out);
  return out;
}

void append_java_double(double v, std::string& out) { append_java_floating(v, out); }
void append_java_float(float v, std::string& out) { append_java_floating(v, out); }

}  // namespace kanal::data
