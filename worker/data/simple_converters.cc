#include "data/simple_converters.h"

#include <strings.h>

#include <bit>
#include <cstring>

namespace kanal::data {

namespace {

// The only encoding StringConverter converts (any case, with or without the dash).
bool is_utf8(const std::string& name) {
  return strcasecmp(name.c_str(), "UTF-8") == 0 || strcasecmp(name.c_str(), "UTF8") == 0;
}

Status check_encoding(const ConfigMap& configs) {
  for (const char* key : {"converter.encoding", "serializer.encoding", "deserializer.encoding"}) {
    auto it = configs.find(key);
    if (it == configs.end()) continue;
    const std::string& v = it->second;
    if (!is_utf8(v)) {
      return Status::invalid_argument("Invalid value " + v + " for configuration " + key +
                                      ": only UTF-8 is supported");
    }
  }
  return Status::OK();
}

template <typename U>
void append_be(U v, std::string& out) {
  for (int shift = static_cast<int>(sizeof(U) * 8) - 8; shift >= 0; shift -= 8) {
    out += static_cast<char>((v >> shift) & 0xff);
  }
}

template <typename U>
U read_be(std::string_view b) {
  U v = 0;
  for (char c : b) v = static_cast<U>((v << 8) | static_cast<uint8_t>(c));
  return v;
}

const char* type_word(SchemaType t) {
  switch (t) {
    case SchemaType::kInt16:
      return "short";
    case SchemaType::kInt32:
      return "integer";
    case SchemaType::kInt64:
      return "long";
    case SchemaType::kFloat32:
      return "float";
    case SchemaType::kFloat64:
      return "double";
    case SchemaType::kBoolean:
      return "boolean";
    default:
      return "unknown";
  }
}

const char* deserializer_name(SchemaType t) {
  switch (t) {
    case SchemaType::kInt16:
      return "ShortDeserializer";
    case SchemaType::kInt32:
      return "IntegerDeserializer";
    case SchemaType::kInt64:
      return "LongDeserializer";
    case SchemaType::kFloat32:
      return "FloatDeserializer";
    case SchemaType::kFloat64:
      return "DoubleDeserializer";
    case SchemaType::kBoolean:
      return "BooleanDeserializer";
    default:
      return "Deserializer";
  }
}

size_t width_of(SchemaType t) {
  switch (t) {
    case SchemaType::kInt16:
      return 2;
    case SchemaType::kInt32:
    case SchemaType::kFloat32:
      return 4;
    case SchemaType::kInt64:
    case SchemaType::kFloat64:
      return 8;
    default:
      return 1;
  }
}

// ConverterConfig: what ByteArrayConverter and the number converters declare.
const config::ConfigDef& type_only_def() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(converter_type_key());
    return d;
  }();
  return def;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// StringConverter

const config::ConfigDef& StringConverter::config_def() const {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(converter_type_key());
    config::ConfigKey enc = config::make_key(
        "converter.encoding", config::Type::kString, "UTF-8", config::Importance::kHigh,
        "Character set of the string bytes. kanal supports UTF-8 only.");
    enc.width = config::Width::kMedium;
    enc.display_name = "Encoding";
    enc.validator = config::Validator{[](const config::Value& v) -> std::optional<std::string> {
                                        auto* s = std::get_if<std::string>(&v);
                                        if (!s || is_utf8(*s)) return std::nullopt;
                                        return "only UTF-8 is supported";
                                      },
                                      "UTF-8",
                                      {}};
    d.define(std::move(enc));
    return d;
  }();
  return def;
}

Status StringConverter::configure(const ConfigMap& configs, bool) {
  return check_encoding(configs);
}
Status StringConverter::configure(const ConfigMap& configs) { return check_encoding(configs); }

Status StringConverter::from_connect(std::string_view, Headers*, const SchemaPtr&,
                                     const Value& value, SerializedData& out) {
  if (value.is_null()) {
    out.set_null();
    return Status::OK();
  }
  std::string& buf = out.reset();
  if (const std::string* s = value.string_if()) {
    buf = *s;
  } else {
    buf = to_java_string(value);
  }
  return Status::OK();
}

Result<SchemaAndValue> StringConverter::to_connect(std::string_view, const Headers*,
                                                   std::optional<std::string_view> bytes) {
  if (!bytes) return SchemaAndValue{schemas::optional_string(), Value()};
  return SchemaAndValue{schemas::optional_string(), Value::string(*bytes)};
}

Status StringConverter::from_connect_header(std::string_view topic, std::string_view,
                                            const SchemaPtr& schema, const Value& value,
                                            SerializedData& out) {
  return from_connect(topic, nullptr, schema, value, out);
}

Result<SchemaAndValue> StringConverter::to_connect_header(std::string_view topic, std::string_view,
                                                          std::optional<std::string_view> bytes) {
  return to_connect(topic, nullptr, bytes);
}

// ---------------------------------------------------------------------------------------------
// ByteArrayConverter

const config::ConfigDef& ByteArrayConverter::config_def() const { return type_only_def(); }
Status ByteArrayConverter::configure(const ConfigMap&, bool) { return Status::OK(); }
Status ByteArrayConverter::configure(const ConfigMap&) { return Status::OK(); }

Status ByteArrayConverter::from_connect(std::string_view, Headers*, const SchemaPtr& schema,
                                        const Value& value, SerializedData& out) {
  if (schema && schema->type() != SchemaType::kBytes) {
    return Status::invalid_argument(std::string("Invalid schema type for ByteArrayConverter: ") +
                                    to_connect_string(schema->type()));
  }
  if (value.is_null()) {
    out.set_null();
    return Status::OK();
  }
  const Bytes* b = value.bytes_if();
  if (b == nullptr) {
    return Status::invalid_argument(
        std::string("ByteArrayConverter is not compatible with objects of type ") +
        to_connect_string(value.kind()));
  }
  out.reset() = b->data;
  return Status::OK();
}

Result<SchemaAndValue> ByteArrayConverter::to_connect(std::string_view, const Headers*,
                                                      std::optional<std::string_view> bytes) {
  if (!bytes) return SchemaAndValue{schemas::optional_bytes(), Value()};
  return SchemaAndValue{schemas::optional_bytes(), Value::bytes(*bytes)};
}

Status ByteArrayConverter::from_connect_header(std::string_view topic, std::string_view,
                                               const SchemaPtr& schema, const Value& value,
                                               SerializedData& out) {
  return from_connect(topic, nullptr, schema, value, out);
}

Result<SchemaAndValue> ByteArrayConverter::to_connect_header(
    std::string_view topic, std::string_view, std::optional<std::string_view> bytes) {
  return to_connect(topic, nullptr, bytes);
}

// ---------------------------------------------------------------------------------------------
// NumberConverter

NumberConverter::NumberConverter(SchemaType type) : type_(type) {}

const char* NumberConverter::class_name_for(SchemaType type) {
  switch (type) {
    case SchemaType::kInt16:
      return "org.apache.kafka.connect.converters.ShortConverter";
    case SchemaType::kInt32:
      return "org.apache.kafka.connect.converters.IntegerConverter";
    case SchemaType::kInt64:
      return "org.apache.kafka.connect.converters.LongConverter";
    case SchemaType::kFloat32:
      return "org.apache.kafka.connect.converters.FloatConverter";
    case SchemaType::kFloat64:
      return "org.apache.kafka.connect.converters.DoubleConverter";
    case SchemaType::kBoolean:
      return "org.apache.kafka.connect.converters.BooleanConverter";
    default:
      return "";
  }
}

const config::ConfigDef& NumberConverter::config_def() const { return type_only_def(); }
Status NumberConverter::configure(const ConfigMap&, bool) { return Status::OK(); }
Status NumberConverter::configure(const ConfigMap&) { return Status::OK(); }

// NumberConverter.fromConnectData casts the Java object: only the exact kind is accepted.
Status NumberConverter::from_connect(std::string_view, Headers*, const SchemaPtr&,
                                     const Value& value, SerializedData& out) {
  if (value.is_null()) {
    out.set_null();
    return Status::OK();
  }
  std::optional<SchemaType> kind_type = schema_type_of(value.kind());
  if (!kind_type || *kind_type != type_) {
    return Status::invalid_argument(std::string("Failed to serialize to ") + type_word(type_) +
                                    " (was " + to_connect_string(value.kind()) + ")");
  }
  std::string& buf = out.reset();
  switch (type_) {
    case SchemaType::kInt16:
      append_be(static_cast<uint16_t>(value.as_int16()), buf);
      break;
    case SchemaType::kInt32:
      append_be(static_cast<uint32_t>(value.as_int32()), buf);
      break;
    case SchemaType::kInt64:
      append_be(static_cast<uint64_t>(value.as_int64()), buf);
      break;
    case SchemaType::kFloat32:
      append_be(std::bit_cast<uint32_t>(value.as_float32()), buf);
      break;
    case SchemaType::kFloat64:
      append_be(std::bit_cast<uint64_t>(value.as_float64()), buf);
      break;
    case SchemaType::kBoolean:
      buf += value.as_bool() ? '\x01' : '\x00';
      break;
    default:
      return Status::internal("NumberConverter of a non-number type");
  }
  return Status::OK();
}

Result<SchemaAndValue> NumberConverter::to_connect(std::string_view, const Headers*,
                                                   std::optional<std::string_view> bytes) {
  const SchemaPtr& schema = schemas::for_type(type_, true);
  if (!bytes) return SchemaAndValue{schema, Value()};
  if (bytes->size() != width_of(type_)) {
    return Status::invalid_argument(std::string("Failed to deserialize ") + type_word(type_) +
                                    ": Size of data received by " + deserializer_name(type_) +
                                    " is not " + std::to_string(width_of(type_)));
  }
  switch (type_) {
    case SchemaType::kInt16:
      return SchemaAndValue{schema, Value::int16(static_cast<int16_t>(read_be<uint16_t>(*bytes)))};
    case SchemaType::kInt32:
      return SchemaAndValue{schema, Value::int32(static_cast<int32_t>(read_be<uint32_t>(*bytes)))};
    case SchemaType::kInt64:
      return SchemaAndValue{schema, Value::int64(static_cast<int64_t>(read_be<uint64_t>(*bytes)))};
    case SchemaType::kFloat32:
      return SchemaAndValue{schema,
                            Value::float32(std::bit_cast<float>(read_be<uint32_t>(*bytes)))};
    case SchemaType::kFloat64:
      return SchemaAndValue{schema,
                            Value::float64(std::bit_cast<double>(read_be<uint64_t>(*bytes)))};
    case SchemaType::kBoolean: {
      auto b = static_cast<uint8_t>((*bytes)[0]);
      if (b > 1) {
        return Status::invalid_argument(
            "Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: " +
            std::to_string(b));
      }
      return SchemaAndValue{schema, Value::boolean(b == 1)};
    }
    default:
      return Status::internal("NumberConverter of a non-number type");
  }
}

Status NumberConverter::from_connect_header(std::string_view topic, std::string_view,
                                            const SchemaPtr& schema, const Value& value,
                                            SerializedData& out) {
  return from_connect(topic, nullptr, schema, value, out);
}

Result<SchemaAndValue> NumberConverter::to_connect_header(std::string_view topic, std::string_view,
                                                          std::optional<std::string_view> bytes) {
  return to_connect(topic, nullptr, bytes);
}

}  // namespace kanal::data
