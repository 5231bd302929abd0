// TimestampConverter$Key / TimestampConverter$Value
// (org.apache.kafka.connect.transforms.TimestampConverter), in UTC.
//
// Values keep Connect's logical representations (Date: int32 days, Time: int32 ms of day,
// Timestamp: int64 ms). Schemaless data has no java.util.Date in kanal: a schemaless Date, Time or
// Timestamp result is the int64 epoch milliseconds Java's Date would hold, which a following
// TimestampConverter reads back as a unix timestamp.
#include <limits>
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/date_format_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "converting timestamp formats";
constexpr std::string_view kFormatRequired =
    "TimestampConverter requires format option to be specified when using string timestamps";

enum class TsType { kString, kUnix, kDate, kTime, kTimestamp };
enum class Precision { kSeconds, kMilliseconds, kMicroseconds, kNanoseconds };

const config::ConfigDef& timestamp_converter_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey type =
        key("target.type", config::Type::kString, std::nullopt, config::Importance::kHigh,
            "The desired timestamp representation: string, unix, Date, Time, or Timestamp");
    type.validator = config::one_of({"string", "unix", "Date", "Time", "Timestamp"});
    d.define(std::move(type));
    d.define(key("field", config::Type::kString, "", config::Importance::kHigh,
                 "The field containing the timestamp, or empty if the entire value is a "
                 "timestamp"));
    d.define(key("format", config::Type::kString, "", config::Importance::kMedium,
                 "A SimpleDateFormat-compatible format for the timestamp. Used to generate the "
                 "output when type=string or used to parse the input if the input is a string."));
    config::ConfigKey precision =
        key("unix.precision", config::Type::kString, "milliseconds", config::Importance::kLow,
            "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or "
            "nanoseconds. Used to generate the output when type=unix or used to parse the input if "
            "the input is a Long.Note: This SMT will cause precision loss during conversions from, "
            "and to, values with sub-millisecond components.");
    precision.validator =
        config::one_of({"nanoseconds", "microseconds", "milliseconds", "seconds"});
    d.define(std::move(precision));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

// TimeUnit conversions: saturating multiplication, truncating division.
int64_t saturating_mul(int64_t v, int64_t factor) {
  __int128 r = static_cast<__int128>(v) * factor;
  if (r > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (r < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(r);
}

class TimestampConverter final : public Transformation {
 public:
  explicit TimestampConverter(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return timestamp_converter_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    std::string type = cfg->get_string("target.type");
    target_ = type == "string" ? TsType::kString
              : type == "unix" ? TsType::kUnix
              : type == "Date" ? TsType::kDate
              : type == "Time" ? TsType::kTime
                               : TsType::kTimestamp;
    field_ = cfg->get_string("field");
    std::string precision = cfg->get_string("unix.precision");
    precision_ = precision == "seconds"        ? Precision::kSeconds
                 : precision == "microseconds" ? Precision::kMicroseconds
                 : precision == "nanoseconds"  ? Precision::kNanoseconds
                                               : Precision::kMilliseconds;
    replace_null_ = cfg->get_bool("replace.null.with.default");
    std::string pattern = cfg->get_string("format");
    const bool blank = config::trim(pattern).empty();
    if (target_ == TsType::kString && blank)
      return invalid_config("format", pattern, kFormatRequired);
    format_.reset();
    if (!blank) {
      auto compiled = DateFormat::compile(pattern);
      if (!compiled.ok()) {
        return invalid_config(
            "format", pattern,
            "TimestampConverter requires a SimpleDateFormat-compatible pattern for string "
            "timestamps: " +
                pattern + " (" + compiled.status().message() + ")");
      }
      format_ = std::move(compiled).value();
    }
    for (int optional = 0; optional < 2; ++optional) {
      // Connect's predefined (OPTIONAL_)STRING/INT64 schemas for string and unix.
      if (target_ == TsType::kString || target_ == TsType::kUnix) {
        target_schema_[optional] = data::schemas::for_type(
            target_ == TsType::kString ? data::SchemaType::kString : data::SchemaType::kInt64,
            optional != 0);
        continue;
      }
      data::SchemaBuilder b = target_ == TsType::kString ? data::SchemaBuilder::string()
                              : target_ == TsType::kUnix ? data::SchemaBuilder::int64()
                              : target_ == TsType::kDate ? data::logical::date()
                              : target_ == TsType::kTime ? data::logical::time()
                                                         : data::logical::timestamp();
      if (optional) b.optional();
      target_schema_[optional] = b.build();
    }
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (value.is_null()) return Outcome::kKeep;
      if (field_.empty()) return convert_schemaless(value);
      if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
      data::Value* field = map_find(value.as_map(), field_);
      if (field == nullptr) {
        map_put(value.as_map(), field_, data::Value());
        return Outcome::kKeep;
      }
      if (field->is_null()) return Outcome::kKeep;
      return convert_schemaless(*field);
    }
    if (field_.empty()) {
      auto source = source_type(*schema);
      if (!source.ok()) return source.status();
      if (!value.is_null()) {
        auto converted = convert(*source, *schema, value, true);
        if (!converted.ok()) return converted.status();
        value = std::move(converted).value();
      }
      schema = target_schema_[schema->is_optional() ? 1 : 0];
      return Outcome::kKeep;
    }
    if (!value.is_null() && value.kind() != data::ValueKind::kStruct) {
      return struct_required(value, kPurpose);
    }
    Entry* entry = cache_.get(schema);
    if (entry == nullptr) {
      auto built = make_entry(*schema);
      if (!built.ok()) return built.status();
      entry = &cache_.put(schema, std::move(built).value());
    }
    if (!value.is_null()) {
      data::Struct& in = value.as_struct();
      data::Struct out = rebuild_struct(in, entry->schema, entry->mapping, replace_null_);
      if (entry->index >= 0) {
        auto i = static_cast<size_t>(entry->index);
        if (!out.get(i).is_null()) {
          auto converted =
              convert(entry->source, *in.schema()->fields()[i].schema, out.get(i), true);
          if (!converted.ok()) return converted.status();
          out.set(i, std::move(converted).value());
        }
      }
      value = data::Value(std::move(out));
    }
    schema = entry->schema;
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    data::SchemaPtr schema;
    std::vector<int> mapping;
    int index = -1;  // the converted field, -1 when the struct lacks it
    TsType source = TsType::kUnix;
  };

  Result<Entry> make_entry(const data::Schema& schema) const {
    if (schema.type() != data::SchemaType::kStruct) {
      return data_error("Cannot list fields on non-struct type");
    }
    data::SchemaBuilder b = copy_schema_basics(schema, data::SchemaBuilder::structure());
    Entry e;
    for (const data::Field& f : schema.fields()) {
      if (f.name == field_) {
        auto source = source_type(*f.schema);
        if (!source.ok()) return source.status();
        e.source = *source;
        e.index = f.index;
        b.field(f.name, target_schema_[f.schema->is_optional() ? 1 : 0]);
      } else {
        b.field(f.name, f.schema);
      }
      e.mapping.push_back(f.index);
    }
    if (schema.is_optional()) b.optional();
    auto built = b.build_checked();
    if (!built.ok()) return data_error(built.status().message());
    e.schema = std::move(built).value();
    return e;
  }

  // TimestampConverter.timestampTypeFromSchema.
  static Result<TsType> source_type(const data::Schema& schema) {
    if (data::logical::is_timestamp(schema)) return TsType::kTimestamp;
    if (data::logical::is_date(schema)) return TsType::kDate;
    if (data::logical::is_time(schema)) return TsType::kTime;
    if (schema.type() == data::SchemaType::kString) return TsType::kString;
    if (schema.type() == data::SchemaType::kInt64) return TsType::kUnix;
    return data_error("Schema " + schema.to_string() +
                      " does not correspond to a known timestamp type format");
  }

  Result<Outcome> convert_schemaless(data::Value& v) const {
    TsType source;
    if (v.kind() == data::ValueKind::kInt64) {
      source = TsType::kUnix;
    } else if (v.kind() == data::ValueKind::kString) {
      source = TsType::kString;
    } else {
      return data_error("TimestampConverter does not support class " + java_class_name(v) +
                        " objects as timestamps");
    }
    auto raw = to_raw(source, v);
    if (!raw.ok()) return raw.status();
    v = from_raw(*raw, false);
    return Outcome::kKeep;
  }

  Result<data::Value> convert(TsType source, const data::Schema&, const data::Value& v,
                              bool with_schema) const {
    auto raw = to_raw(source, v);
    if (!raw.ok()) return raw.status();
    return from_raw(*raw, with_schema);
  }

  // TimestampTranslator.toRaw: epoch milliseconds.
  Result<int64_t> to_raw(TsType source, const data::Value& v) const {
    switch (source) {
      case TsType::kString: {
        if (v.kind() != data::ValueKind::kString) {
          return data_error("Expected string timestamp to be a String, but found class " +
                            java_class_name(v));
        }
        if (!format_) return data_error(std::string(kFormatRequired));
        auto parsed = format_->parse(v.as_string());
        if (!parsed) {
          return data_error("Could not parse timestamp: value (" + v.as_string() +
                            ") does not match pattern (" + format_->pattern() + ")");
        }
        return *parsed;
      }
      case TsType::kUnix: {
        if (v.kind() != data::ValueKind::kInt64) {
          return data_error("Expected Unix timestamp to be a Long, but found class " +
                            java_class_name(v));
        }
        int64_t t = v.as_int64();
        switch (precision_) {
          case Precision::kSeconds:
            return saturating_mul(t, 1000);
          case Precision::kMicroseconds:
            return t / 1000;
          case Precision::kNanoseconds:
            return t / 1000000;
          case Precision::kMilliseconds:
            return t;
        }
        return t;
      }
      case TsType::kDate:
        if (v.kind() != data::ValueKind::kInt32) {
          return data_error("Expected Date to be a java.util.Date, but found class " +
                            java_class_name(v));
        }
        return static_cast<int64_t>(v.as_int32()) * kMillisPerDay;
      case TsType::kTime:
        if (v.kind() != data::ValueKind::kInt32) {
          return data_error("Expected Time to be a java.util.Date, but found class " +
                            java_class_name(v));
        }
        return static_cast<int64_t>(v.as_int32());
      case TsType::kTimestamp:
        if (v.kind() != data::ValueKind::kInt64) {
          return data_error("Expected Timestamp to be a java.util.Date, but found class " +
                            java_class_name(v));
        }
        return v.as_int64();
    }
    return data_error("Unsupported timestamp type");
  }

  // TimestampTranslator.toType.
  data::Value from_raw(int64_t millis, bool with_schema) const {
    switch (target_) {
      case TsType::kString:
        return data::Value::string(format_->format(millis));
      case TsType::kUnix:
        switch (precision_) {
          case Precision::kSeconds:
            return data::Value::int64(millis / 1000);
          case Precision::kMicroseconds:
            return data::Value::int64(saturating_mul(millis, 1000));
          case Precision::kNanoseconds:
            return data::Value::int64(saturating_mul(millis, 1000000));
          case Precision::kMilliseconds:
            return data::Value::int64(millis);
        }
        return data::Value::int64(millis);
      case TsType::kDate: {
        int64_t days = floor_div(millis, kMillisPerDay);
        if (!with_schema) return data::Value::int64(days * kMillisPerDay);
        return data::Value::int32(static_cast<int32_t>(days));
      }
      case TsType::kTime: {
        int64_t ms = floor_mod(millis, kMillisPerDay);
        if (!with_schema) return data::Value::int64(ms);
        return data::Value::int32(static_cast<int32_t>(ms));
      }
      case TsType::kTimestamp:
        return data::Value::int64(millis);
    }
    return data::Value::int64(millis);
  }

  const bool key_;
  TsType target_ = TsType::kTimestamp;
  std::string field_;
  Precision precision_ = Precision::kMilliseconds;
  std::optional<DateFormat> format_;
  bool replace_null_ = true;
  data::SchemaPtr target_schema_[2];  // [0] required, [1] optional
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_timestamp_converter(bool key) {
  return std::make_unique<TimestampConverter>(key);
}

}  // namespace kanal::transforms::internal
