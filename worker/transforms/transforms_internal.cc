#include "transforms/transforms_internal.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace kanal::transforms::internal {

std::string java_class_name(const data::Value& value) {
  switch (value.kind()) {
    case data::ValueKind::kNull:
      return "null";
    case data::ValueKind::kBoolean:
      return "java.lang.Boolean";
    case data::ValueKind::kInt8:
      return "java.lang.Byte";
    case data::ValueKind::kInt16:
      return "java.lang.Short";
    case data::ValueKind::kInt32:
      return "java.lang.Integer";
    case data::ValueKind::kInt64:
      return "java.lang.Long";
    case data::ValueKind::kFloat32:
      return "java.lang.Float";
    case data::ValueKind::kFloat64:
      return "java.lang.Double";
    case data::ValueKind::kString:
      return "java.lang.String";
    case data::ValueKind::kBytes:
      return "[B";
    case data::ValueKind::kArray:
      return "java.util.ArrayList";
    case data::ValueKind::kMap:
      return "java.util.HashMap";
    case data::ValueKind::kStruct:
      return "org.apache.kafka.connect.data.Struct";
  }
  return "java.lang.Object";
}

std::string java_class_name(const data::SchemaPtr& schema, const data::Value& value) {
  if (schema && !value.is_null()) {
    if (data::logical::is_date(*schema) || data::logical::is_time(*schema) ||
        data::logical::is_timestamp(*schema)) {
      return "java.util.Date";
    }
    if (data::logical::is_decimal(*schema)) return "java.math.BigDecimal";
  }
  return java_class_name(value);
}

Status map_required(const data::Value& value, std::string_view purpose) {
  return data_error("Only Map objects supported in absence of schema for [" + std::string(purpose) +
                    "], found: " + java_class_name(value));
}

Status struct_required(const data::Value& value, std::string_view purpose) {
  return data_error("Only Struct objects supported for [" + std::string(purpose) +
                    "], found: " + java_class_name(value));
}

Status schema_required(std::string_view purpose) {
  return data_error("Schema required for [" + std::string(purpose) + "]");
}

Status sink_record_required(RecordKind kind, std::string_view purpose) {
  (void)kind;
  return data_error("Only SinkRecord supported for [" + std::string(purpose) +
                    "], found: org.apache.kafka.connect.source.SourceRecord");
}

namespace {

std::string schema_text(const data::SchemaPtr& schema) {
  return schema ? schema->to_string() : "null";
}

}  // namespace

std::string record_to_string(const data::ConnectRecord& r, RecordKind kind) {
  std::string out = kind == RecordKind::kSink ? "SinkRecord{" : "SourceRecord{";
  if (kind == RecordKind::kSink) {
    const auto& sink = static_cast<const data::SinkRecord&>(r);
    out += "kafkaOffset=" + std::to_string(sink.kafka_offset) +
           ", timestampType=" + data::to_connect_string(sink.timestamp_type);
  }
  out += "} ConnectRecord{topic='" + r.topic +
         "', kafkaPartition=" + (r.kafka_partition ? std::to_string(*r.kafka_partition) : "null") +
         ", key=" + data::to_java_string(r.key) + ", keySchema=" + schema_text(r.key_schema) +
         ", value=" + data::to_java_string(r.value) +
         ", valueSchema=" + schema_text(r.value_schema) +
         ", timestamp=" + (r.timestamp ? std::to_string(*r.timestamp) : "null") + "}";
  return out;
}

const data::Value& field_value(const data::Struct& s, size_t index,
                               bool replace_null_with_default) {
  const data::Value& v = s.get(index);
  if (v.is_null() && replace_null_with_default) {
    const data::Value* def = s.schema()->fields()[index].schema->default_value();
    if (def != nullptr) return *def;
  }
  return v;
}

data::Value* map_find(data::Value::Map& map, std::string_view name) {
  for (auto& [k, v] : map) {
    if (const std::string* s = k.string_if(); s != nullptr && *s == name) return &v;
  }
  return nullptr;
}

const data::Value* map_find(const data::Value::Map& map, std::string_view name) {
  for (const auto& [k, v] : map) {
    if (const std::string* s = k.string_if(); s != nullptr && *s == name) return &v;
  }
  return nullptr;
}

void map_put(data::Value::Map& map, std::string_view name, data::Value value) {
  if (data::Value* existing = map_find(map, name)) {
    *existing = std::move(value);
  } else {
    map.emplace_back(data::Value::string(name), std::move(value));
  }
}

data::Struct rebuild_struct(data::Struct& from, const data::SchemaPtr& to,
                            const std::vector<int>& mapping, bool replace_null_with_default) {
  data::Struct out(to);
  for (size_t i = 0; i < mapping.size(); ++i) {
    if (mapping[i] < 0) continue;
    auto src = static_cast<size_t>(mapping[i]);
    data::Value& v = from.get_mutable(src);
    if (v.is_null()) {
      if (replace_null_with_default) {
        const data::Value* def = from.schema()->fields()[src].schema->default_value();
        if (def != nullptr) out.set(i, *def);
      }
    } else {
      out.set(i, std::move(v));
    }
  }
  return out;
}

data::SchemaBuilder copy_schema_basics(const data::Schema& source, data::SchemaBuilder builder) {
  builder.copy_basics_from(source);
  return builder;
}

config::ConfigKey key(std::string name, config::Type type, std::optional<std::string> def,
                      config::Importance importance, std::string doc) {
  return config::make_key(std::move(name), type, std::move(def), importance, std::move(doc));
}

config::ConfigKey null_default_key(std::string name, config::Type type,
                                   config::Importance importance, std::string doc) {
  config::ConfigKey k = key(std::move(name), type, std::nullopt, importance, std::move(doc));
  k.default_is_null = true;
  return k;
}

config::Validator non_empty_list() {
  config::Validator v;
  v.description = "non-empty list";
  v.check = [](const config::Value& value) -> std::optional<std::string> {
    auto* list = std::get_if<std::vector<std::string>>(&value);
    if (list != nullptr && list->empty()) return "Empty list";
    return std::nullopt;
  };
  return v;
}

Status require_non_empty_list(const config::ParsedConfig& cfg, std::string_view name) {
  if (!cfg.get_list(name).empty()) return Status::OK();
  return config_error("Configuration '" + std::string(name) +
                      "' must not be empty. Valid values include: any non-empty value");
}

config::ConfigKey replace_null_with_default_key() {
  return key("replace.null.with.default", config::Type::kBoolean, "true",
             config::Importance::kMedium,
             "Whether to replace fields that have a default value and that are null to the "
             "default value. When set to true, the default value is used, otherwise null is "
             "used.");
}

Result<config::ParsedConfig> parse_config(const config::ConfigDef& def, const ConfigMap& props) {
  auto parsed = def.parse(props);
  if (!parsed.ok()) return parsed.status();
  return config::ParsedConfig(parsed.value());
}

Status invalid_config(std::string_view name, std::string_view value, std::string_view reason) {
  return Status::invalid_argument("Invalid value " + std::string(value) + " for configuration " +
                                  std::string(name) + ": " + std::string(reason));
}

Status config_error(std::string message) { return Status::invalid_argument(std::move(message)); }

Status data_error(std::string message) { return Status::invalid_argument(std::move(message)); }

std::string java_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out + "]";
}

std::optional<int64_t> parse_java_integer(std::string_view text, int64_t min, int64_t max) {
  // Integer.parseInt: an optional sign then ASCII digits only; no spaces.
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '+' || text[0] == '-') {
    negative = text[0] == '-';
    i = 1;
  }
  if (i == text.size()) return std::nullopt;
  __int128 v = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > static_cast<__int128>(max) + 1) return std::nullopt;
  }
  if (negative) v = -v;
  if (v < min || v > max) return std::nullopt;
  return static_cast<int64_t>(v);
}

std::optional<double> parse_java_double(std::string_view text) {
  // Double.parseDouble trims whitespace and accepts an optional f/F/d/D suffix.
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::string s(text);
  char last = s.back();
  if (last == 'f' || last == 'F' || last == 'd' || last == 'D') s.pop_back();
  if (s == "NaN" || s == "+NaN" || s == "-NaN") return std::nan("");
  if (s == "Infinity" || s == "+Infinity") return HUGE_VAL;
  if (s == "-Infinity") return -HUGE_VAL;
  for (char c : s) {  // strtod also takes "inf", "nan" and hex, which Java spells differently
    if (c == 'n' || c == 'N' || c == 'i' || c == 'I' || c == 'x' || c == 'X') return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

std::string base64_encode(std::string_view raw) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((raw.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(raw[i]) << 16) | (static_cast<uint8_t>(raw[i + 1]) << 8) |
                 static_cast<uint8_t>(raw[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < raw.size()) {
    uint32_t n = static_cast<uint8_t>(raw[i]) << 16;
    if (i + 1 < raw.size()) n |= static_cast<uint8_t>(raw[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < raw.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

}  // namespace kanal::transforms::internal
