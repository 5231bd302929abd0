// Cast$Key / Cast$Value (org.apache.kafka.connect.transforms.Cast).
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

using data::SchemaType;

constexpr std::string_view kPurpose = "cast types";
constexpr std::string_view kInputTypes =
    "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]";
constexpr std::string_view kOutputTypes =
    "[INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]";

bool valid_output(SchemaType t) { return data::is_primitive(t) && t != SchemaType::kBytes; }
bool valid_input(SchemaType t) { return data::is_primitive(t); }

std::optional<SchemaType> parse_type_name(std::string_view name) {
  std::string upper;
  for (char c : config::trim(name))
    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::map<std::string, SchemaType, std::less<>> kTypes = {
      {"INT8", SchemaType::kInt8},       {"INT16", SchemaType::kInt16},
      {"INT32", SchemaType::kInt32},     {"INT64", SchemaType::kInt64},
      {"FLOAT32", SchemaType::kFloat32}, {"FLOAT64", SchemaType::kFloat64},
      {"BOOLEAN", SchemaType::kBoolean}, {"STRING", SchemaType::kString},
      {"BYTES", SchemaType::kBytes},     {"ARRAY", SchemaType::kArray},
      {"MAP", SchemaType::kMap},         {"STRUCT", SchemaType::kStruct}};
  auto it = kTypes.find(upper);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

// Cast.parseFieldTypes. An empty key is the whole-value cast.
struct CastSpec {
  std::map<std::string, SchemaType, std::less<>> fields;
  std::optional<SchemaType> whole_value;
};

std::variant<CastSpec, std::string> parse_spec(const std::vector<std::string>& mappings) {
  if (mappings.empty()) return std::string("Must specify at least one field to cast.");
  CastSpec spec;
  for (const std::string& mapping : mappings) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    std::string_view m = mapping;
    while (true) {
      size_t colon = m.find(':', start);
      parts.push_back(m.substr(start, colon == std::string_view::npos ? colon : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (parts.size() > 2) return "Invalid rename mapping: " + mapping;
    std::string_view type_name = parts.size() == 1 ? parts[0] : parts[1];
    auto type = parse_type_name(type_name);
    if (!type) return "Invalid type found in casting spec: " + std::string(config::trim(type_name));
    if (!valid_output(*type)) {
      return "Cast transformation does not support casting to " +
             std::string(data::to_connect_string(*type)) + "; supported types are " +
             std::string(kOutputTypes);
    }
    if (parts.size() == 1) {
      spec.whole_value = *type;
    } else {
      spec.fields[std::string(config::trim(parts[0]))] = *type;
    }
  }
  if (spec.whole_value && mappings.size() > 1) {
    return std::string(
        "Cast transformations that specify a type to cast the entire value to may only specify "
        "a single cast in their spec");
  }
  return spec;
}

config::Validator spec_validator() {
  config::Validator v;
  v.description = "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>";
  v.check = [](const config::Value& value) -> std::optional<std::string> {
    auto* list = std::get_if<std::vector<std::string>>(&value);
    if (list == nullptr) return std::nullopt;
    auto parsed = parse_spec(*list);
    if (auto* err = std::get_if<std::string>(&parsed)) return *err;
    return std::nullopt;
  };
  return v;
}

const config::ConfigDef& cast_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey spec = key(
        "spec", config::Type::kList, std::nullopt, config::Importance::kHigh,
        "List of fields and the type to cast them to of the form field1:type,field2:type to cast "
        "fields of Maps or Structs. A single type to cast the entire value. Valid types are "
        "int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary "
        "fields can only be cast to string.");
    spec.validator = spec_validator();
    d.define(std::move(spec));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

// Java's narrowing of a double to int/long: NaN -> 0, saturating at the bounds.
template <typename I>
I saturate(double d) {
  if (std::isnan(d)) return 0;
  if (d >= static_cast<double>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  if (d <= static_cast<double>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  return static_cast<I>(d);
}

// A numeric source value, as java.lang.Number offers it (longValue, intValue, ...).
struct Number {
  int64_t as_long = 0;
  int32_t as_int = 0;
  double as_double = 0;
  float as_float = 0;

  static Number of_integral(int64_t i) {
    return {i, static_cast<int32_t>(i), static_cast<double>(i), static_cast<float>(i)};
  }
  static Number of_double(double d) {
    return {saturate<int64_t>(d), saturate<int32_t>(d), d, static_cast<float>(d)};
  }
  static Number of_float(float f) { return {saturate<int64_t>(f), saturate<int32_t>(f), f, f}; }
};

// BigDecimal's Number view of a Decimal value: integral parts truncate toward zero and keep the
// low-order bits (BigInteger.longValue), real parts are correctly rounded (strtod).
Result<Number> decimal_number(const data::Schema& schema, const data::Bytes& unscaled) {
  auto scale = data::logical::decimal_scale(schema);
  if (!scale.ok()) return data_error(scale.status().message());
  std::string text = data::logical::decimal_to_string(unscaled.view(), *scale);
  double real = std::strtod(text.c_str(), nullptr);
  __int128 v = unscaled.data.empty() || static_cast<int8_t>(unscaled.data[0]) >= 0 ? 0 : -1;
  for (char c : unscaled.data) v = (v << 8) | static_cast<uint8_t>(c);
  for (int i = 0; i < *scale; ++i) v /= 10;
  for (int i = 0; i > *scale; --i) v *= 10;
  auto low = static_cast<int64_t>(static_cast<uint64_t>(v));
  return Number{low, static_cast<int32_t>(low), real, static_cast<float>(real)};
}

std::string java_string(const data::Value& v) { return data::to_java_string(v); }

// Values.dateFormatFor(date).format(date): time-only, date-only or full ISO-8601 timestamp.
std::string date_string(int64_t millis) {
  const int64_t days = floor_div(millis, kMillisPerDay);
  const int64_t ms = floor_mod(millis, kMillisPerDay);
  char buf[64];
  auto time_part = [&](char* out, size_t size) {
    std::snprintf(out, size, "%02d:%02d:%02d.%03dZ", static_cast<int>(ms / 3600000),
                  static_cast<int>(ms / 60000 % 60), static_cast<int>(ms / 1000 % 60),
                  static_cast<int>(ms % 1000));
  };
  // civil date
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int64_t y = yoe + era * 400 + (m <= 2);
  if (millis < kMillisPerDay && millis >= 0) {
    time_part(buf, sizeof buf);
    return buf;
  }
  char date[32];
  std::snprintf(date, sizeof date, "%04lld-%02d-%02d", static_cast<long long>(y), m, d);
  if (millis % kMillisPerDay == 0) return date;
  time_part(buf, sizeof buf);
  return std::string(date) + "T" + buf;
}

class Cast final : public Transformation {
 public:
  explicit Cast(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return cast_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    auto parsed = parse_spec(cfg->get_list("spec"));
    if (auto* err = std::get_if<std::string>(&parsed)) {
      return invalid_config("spec", props.count("spec") ? props.at("spec") : "", *err);
    }
    spec_ = std::get<CastSpec>(std::move(parsed));
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    if (value.is_null()) return Outcome::kKeep;
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (spec_.whole_value) {
        auto cast = cast_value(nullptr, value, *spec_.whole_value);
        if (!cast.ok()) return cast.status();
        value = std::move(cast).value();
        return Outcome::kKeep;
      }
      if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
      data::Value::Map& map = value.as_map();
      for (const auto& [name, type] : spec_.fields) {
        data::Value* field = map_find(map, name);
        if (field == nullptr) {
          map_put(map, name, data::Value());  // Java puts cast(value.get(field)) = null
          continue;
        }
        auto cast = cast_value(nullptr, *field, type);
        if (!cast.ok()) return cast.status();
        *field = std::move(cast).value();
      }
      return Outcome::kKeep;
    }
    Entry* entry = cache_.get(schema);
    if (entry == nullptr) {
      auto built = make_entry(schema);
      if (!built.ok()) return built.status();
      entry = &cache_.put(schema, std::move(built).value());
    }
    if (spec_.whole_value) {
      auto cast = cast_value(schema, value, *spec_.whole_value);
      if (!cast.ok()) return cast.status();
      value = std::move(cast).value();
      schema = entry->schema;
      return Outcome::kKeep;
    }
    if (value.kind() != data::ValueKind::kStruct) return struct_required(value, kPurpose);
    data::Struct& in = value.as_struct();
    data::Struct out(entry->schema);
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      const data::Value& orig = field_value(in, i, replace_null_);
      if (entry->targets[i]) {
        auto cast = cast_value(fields[i].schema, orig, *entry->targets[i]);
        if (!cast.ok()) return cast.status();
        out.set(i, std::move(cast).value());
      } else if (&orig == &in.get(i)) {
        out.set(i, std::move(in.get_mutable(i)));
      } else {
        out.set(i, orig);
      }
    }
    schema = entry->schema;
    value = data::Value(std::move(out));
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    data::SchemaPtr schema;
    std::vector<std::optional<SchemaType>> targets;  // per input field
  };

  Result<Entry> make_entry(const data::SchemaPtr& schema_ptr) const {
    const data::Schema& schema = *schema_ptr;
    Entry e;
    std::optional<data::SchemaBuilder> b;
    if (spec_.whole_value) {
      b.emplace(copy_schema_basics(schema, data::SchemaBuilder(*spec_.whole_value)));
    } else {
      if (schema.type() != SchemaType::kStruct) {
        return data_error("Cannot list fields on non-struct type");
      }
      b.emplace(copy_schema_basics(schema, data::SchemaBuilder::structure()));
      for (const data::Field& f : schema.fields()) {
        auto it = spec_.fields.find(f.name);
        if (it == spec_.fields.end()) {
          b->field(f.name, f.schema);
          e.targets.emplace_back();
          continue;
        }
        data::SchemaBuilder fb(it->second);
        if (f.schema->is_optional()) fb.optional();
        if (const data::Value* def = f.schema->default_value()) {
          auto cast = cast_value(f.schema, *def, it->second);
          if (!cast.ok()) return cast.status();
          fb.default_value(std::move(cast).value());
        }
        auto built = fb.build_checked();
        if (!built.ok()) return data_error(built.status().message());
        b->field(f.name, std::move(built).value());
        e.targets.emplace_back(it->second);
      }
    }
    if (schema.is_optional()) b->optional();
    if (const data::Value* def = schema.default_value(); def != nullptr && spec_.whole_value) {
      auto cast = cast_value(schema_ptr, *def, b->type());
      if (!cast.ok()) return cast.status();
      b->default_value(std::move(cast).value());
    }
    auto built = b->build_checked();
    if (!built.ok()) return data_error(built.status().message());
    e.schema = std::move(built).value();
    return e;
  }

  // Cast.castValueToType.
  static Result<data::Value> cast_value(const data::SchemaPtr& schema, const data::Value& value,
                                        SchemaType target) {
    if (value.is_null()) return data::Value();
    std::optional<SchemaType> inferred =
        schema ? std::optional(schema->type()) : data::schema_type_of(value.kind());
    if (!inferred || !valid_input(*inferred)) {
      return data_error("Cast transformation does not support casting from " +
                        std::string(inferred ? data::to_connect_string(*inferred) : "null") +
                        "; supported types are " + std::string(kInputTypes));
    }
    const bool is_decimal = schema && data::logical::is_decimal(*schema);
    const bool is_date =
        schema && (data::logical::is_date(*schema) || data::logical::is_time(*schema) ||
                   data::logical::is_timestamp(*schema));
    auto out_of_range = [&value] {
      return data_error("Value (" + java_string(value) +
                        ") was out of range for requested data type");
    };
    auto unexpected = [&] {
      return data_error("Unexpected type in Cast transformation: class " +
                        java_class_name(schema, value));
    };

    if (target == SchemaType::kString) {
      if (is_date) {
        int64_t millis = *value.integral();
        if (data::logical::is_date(*schema)) millis *= kMillisPerDay;
        return data::Value::string(date_string(millis));
      }
      if (is_decimal) {
        auto scale = data::logical::decimal_scale(*schema);
        if (!scale.ok()) return data_error(scale.status().message());
        return data::Value::string(
            data::logical::decimal_to_string(value.as_bytes().view(), *scale));
      }
      if (value.kind() == data::ValueKind::kBytes) {
        return data::Value::string(base64_encode(value.as_bytes().view()));
      }
      if (value.kind() == data::ValueKind::kString) return value;
      return data::Value::string(java_string(value));
    }

    // Non-string targets read a Number, a Boolean or a String.
    std::optional<Number> number;
    if (is_decimal) {
      auto n = decimal_number(*schema, value.as_bytes());
      if (!n.ok()) return n.status();
      number = *n;
    } else if (auto i = value.integral()) {
      number = Number::of_integral(*i);
    } else if (value.kind() == data::ValueKind::kFloat32) {
      number = Number::of_float(value.as_float32());
    } else if (value.kind() == data::ValueKind::kFloat64) {
      number = Number::of_double(value.as_float64());
    }
    if (number) {
      switch (target) {
        case SchemaType::kInt8:
          return data::Value::int8(static_cast<int8_t>(number->as_int));
        case SchemaType::kInt16:
          return data::Value::int16(static_cast<int16_t>(number->as_int));
        case SchemaType::kInt32:
          return data::Value::int32(number->as_int);
        case SchemaType::kInt64:
          return data::Value::int64(number->as_long);
        case SchemaType::kFloat32:
          return data::Value::float32(number->as_float);
        case SchemaType::kFloat64:
          return data::Value::float64(number->as_double);
        case SchemaType::kBoolean:
          return data::Value::boolean(number->as_long != 0);
        default:
          break;
      }
    }
    if (value.kind() == data::ValueKind::kBoolean) {
      const bool b = value.as_bool();
      switch (target) {
        case SchemaType::kInt8:
          return data::Value::int8(b ? 1 : 0);
        case SchemaType::kInt16:
          return data::Value::int16(b ? 1 : 0);
        case SchemaType::kInt32:
          return data::Value::int32(b ? 1 : 0);
        case SchemaType::kInt64:
          return data::Value::int64(b ? 1 : 0);
        case SchemaType::kFloat32:
          return data::Value::float32(b ? 1.f : 0.f);
        case SchemaType::kFloat64:
          return data::Value::float64(b ? 1. : 0.);
        case SchemaType::kBoolean:
          return value;
        default:
          break;
      }
    }
    if (const std::string* s = value.string_if()) {
      auto integer = [&](int64_t min, int64_t max) { return parse_java_integer(*s, min, max); };
      switch (target) {
        case SchemaType::kInt8:
          if (auto n = integer(INT8_MIN, INT8_MAX))
            return data::Value::int8(static_cast<int8_t>(*n));
          return out_of_range();
        case SchemaType::kInt16:
          if (auto n = integer(INT16_MIN, INT16_MAX)) {
            return data::Value::int16(static_cast<int16_t>(*n));
          }
          return out_of_range();
        case SchemaType::kInt32:
          if (auto n = integer(INT32_MIN, INT32_MAX)) {
            return data::Value::int32(static_cast<int32_t>(*n));
          }
          return out_of_range();
        case SchemaType::kInt64:
          if (auto n = integer(INT64_MIN, INT64_MAX)) return data::Value::int64(*n);
          return out_of_range();
        case SchemaType::kFloat32:
          if (auto d = parse_java_double(*s)) return data::Value::float32(static_cast<float>(*d));
          return out_of_range();
        case SchemaType::kFloat64:
          if (auto d = parse_java_double(*s)) return data::Value::float64(*d);
          return out_of_range();
        case SchemaType::kBoolean: {
          // Boolean.parseBoolean: "true" in any case, everything else false.
          bool t = s->size() == 4 && std::tolower(static_cast<unsigned char>((*s)[0])) == 't' &&
                   std::tolower(static_cast<unsigned char>((*s)[1])) == 'r' &&
                   std::tolower(static_cast<unsigned char>((*s)[2])) == 'u' &&
                   std::tolower(static_cast<unsigned char>((*s)[3])) == 'e';
          return data::Value::boolean(t);
        }
        default:
          break;
      }
    }
    return unexpected();
  }

  const bool key_;
  CastSpec spec_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_cast(bool key) { return std::make_unique<Cast>(key); }

}  // namespace kanal::transforms::internal
