// MaskField$Key / MaskField$Value (org.apache.kafka.connect.transforms.MaskField).
#include <set>
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "mask fields";

const config::ConfigDef& mask_field_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey fields = key("fields", config::Type::kList, std::nullopt,
                                   config::Importance::kHigh, "Names of fields to mask.");
    d.define(std::move(fields));
    config::ConfigKey replacement = null_default_key(
        "replacement", config::Type::kString, config::Importance::kLow,
        "Custom value replacement, that will be applied to all 'fields' values (numeric or "
        "non-empty string values only).");
    replacement.validator = config::non_empty_string();
    d.define(std::move(replacement));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

class MaskField final : public Transformation {
 public:
  explicit MaskField(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return mask_field_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    KANAL_RETURN_IF_ERROR(require_non_empty_list(*cfg, "fields"));
    fields_ = cfg->get_list("fields");
    if (cfg->has("replacement")) replacement_ = cfg->get_string("replacement");
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    const data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
      data::Value::Map& map = value.as_map();
      for (const std::string& name : fields_) {
        // Java puts masked(value.get(field)): an absent field is added with a null value.
        data::Value* v = map_find(map, name);
        if (v == nullptr) {
          map_put(map, name, data::Value());
          continue;
        }
        KANAL_RETURN_IF_ERROR(mask(nullptr, *v));
      }
      return Outcome::kKeep;
    }
    if (value.kind() != data::ValueKind::kStruct) return struct_required(value, kPurpose);
    data::Struct& s = value.as_struct();
    const Entry* entry = cache_.get(s.schema());
    if (entry == nullptr) entry = &cache_.put(s.schema(), make_entry(*s.schema()));
    if (replace_null_) {
      for (size_t i : entry->defaulted) {
        if (s.get(i).is_null()) s.set(i, *s.schema()->fields()[i].schema->default_value());
      }
    }
    for (size_t i : entry->masked) {
      KANAL_RETURN_IF_ERROR(mask(s.schema()->fields()[i].schema, s.get_mutable(i)));
    }
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    std::vector<size_t> masked;     // field indexes to mask
    std::vector<size_t> defaulted;  // fields with a default (null -> default when replacing)
  };

  Entry make_entry(const data::Schema& schema) const {
    Entry e;
    std::set<std::string_view> names(fields_.begin(), fields_.end());
    for (const data::Field& f : schema.fields()) {
      if (names.count(f.name) > 0) e.masked.push_back(static_cast<size_t>(f.index));
      if (f.schema->default_value() != nullptr) e.defaulted.push_back(static_cast<size_t>(f.index));
    }
    return e;
  }

  // MaskField.masked(): the type's empty value, or the replacement converted to the type.
  Status mask(const data::SchemaPtr& schema, data::Value& v) const {
    if (v.is_null()) return Status::OK();
    const bool is_date =
        schema && (data::logical::is_date(*schema) || data::logical::is_time(*schema) ||
                   data::logical::is_timestamp(*schema));
    const bool is_decimal = schema && data::logical::is_decimal(*schema);
    if (!replacement_) {
      if (is_decimal) {
        v = data::Value::bytes(data::logical::decimal_unscaled_bytes(0));
        return Status::OK();
      }
      switch (v.kind()) {
        case data::ValueKind::kBoolean:
          v = data::Value::boolean(false);
          break;
        case data::ValueKind::kInt8:
          v = data::Value::int8(0);
          break;
        case data::ValueKind::kInt16:
          v = data::Value::int16(0);
          break;
        case data::ValueKind::kInt32:
          v = data::Value::int32(0);  // also Date/Time: new Date(0)
          break;
        case data::ValueKind::kInt64:
          v = data::Value::int64(0);
          break;
        case data::ValueKind::kFloat32:
          v = data::Value::float32(0);
          break;
        case data::ValueKind::kFloat64:
          v = data::Value::float64(0);
          break;
        case data::ValueKind::kString:
          v.as_string().clear();
          break;
        case data::ValueKind::kArray:
          v.as_array().clear();
          break;
        case data::ValueKind::kMap:
          v.as_map().clear();
          break;
        default:
          return data_error("Cannot mask value of type: class " + java_class_name(schema, v));
      }
      return Status::OK();
    }
    const std::string& r = *replacement_;
    auto not_a_number = [&r] {
      return data_error("Unable to convert " + r + " (class java.lang.String) to a number");
    };
    auto integer = [&](int64_t min, int64_t max) -> std::optional<int64_t> {
      return parse_java_integer(r, min, max);
    };
    if (is_date) {
      return data_error("Cannot mask value of type class java.util.Date with custom replacement.");
    }
    if (is_decimal) {
      auto scale = data::logical::decimal_scale(*schema);
      if (!scale.ok()) return data_error(scale.status().message());
      auto unscaled = data::logical::decimal_from_string(r, *scale);
      if (!unscaled.ok()) return not_a_number();
      v = data::Value::bytes(std::move(unscaled).value());
      return Status::OK();
    }
    switch (v.kind()) {
      case data::ValueKind::kInt8:
        if (auto n = integer(INT8_MIN, INT8_MAX)) {
          v = data::Value::int8(static_cast<int8_t>(*n));
          return Status::OK();
        }
        return not_a_number();
      case data::ValueKind::kInt16:
        if (auto n = integer(INT16_MIN, INT16_MAX)) {
          v = data::Value::int16(static_cast<int16_t>(*n));
          return Status::OK();
        }
        return not_a_number();
      case data::ValueKind::kInt32:
        if (auto n = integer(INT32_MIN, INT32_MAX)) {
          v = data::Value::int32(static_cast<int32_t>(*n));
          return Status::OK();
        }
        return not_a_number();
      case data::ValueKind::kInt64:
        if (auto n = integer(INT64_MIN, INT64_MAX)) {
          v = data::Value::int64(*n);
          return Status::OK();
        }
        return not_a_number();
      case data::ValueKind::kFloat32:
        if (auto d = parse_java_double(r)) {
          v = data::Value::float32(static_cast<float>(*d));
          return Status::OK();
        }
        return not_a_number();
      case data::ValueKind::kFloat64:
        if (auto d = parse_java_double(r)) {
          v = data::Value::float64(*d);
          return Status::OK();
        }
        return not_a_number();
      case data::ValueKind::kString:
        v.as_string() = r;
        return Status::OK();
      default:
        return data_error("Cannot mask value of type class " + java_class_name(schema, v) +
                          " with custom replacement.");
    }
  }

  const bool key_;
  std::vector<std::string> fields_;
  std::optional<std::string> replacement_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_mask_field(bool key) {
  return std::make_unique<MaskField>(key);
}

}  // namespace kanal::transforms::internal
