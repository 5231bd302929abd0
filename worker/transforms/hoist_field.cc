// HoistField$Key / HoistField$Value (org.apache.kafka.connect.transforms.HoistField).
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

const config::ConfigDef& hoist_field_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(key("field", config::Type::kString, std::nullopt, config::Importance::kMedium,
                 "Field name for the single field that will be created in the resulting Struct or "
                 "Map."));
    return d;
  }();
  return def;
}

class HoistField final : public Transformation {
 public:
  explicit HoistField(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return hoist_field_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    field_ = cfg->get_string("field");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      // Collections.singletonMap(field, value): a null value is hoisted too.
      data::Value::Map map;
      map.emplace_back(data::Value::string(field_), std::move(value));
      value = data::Value::map(std::move(map));
      return Outcome::kKeep;
    }
    data::SchemaPtr* updated = cache_.get(schema);
    if (updated == nullptr) {
      updated = &cache_.put(schema, data::SchemaBuilder::structure().field(field_, schema).build());
    }
    // Struct.put validates: a null for a required schema fails as in Connect.
    KANAL_RETURN_IF_ERROR(data::validate_value(schema, value, field_));
    data::Struct out(*updated);
    out.set(0, std::move(value));
    schema = *updated;
    value = data::Value(std::move(out));
    return Outcome::kKeep;
  }

 private:
  const bool key_;
  std::string field_;
  SchemaCache<data::SchemaPtr> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_hoist_field(bool key) {
  return std::make_unique<HoistField>(key);
}

}  // namespace kanal::transforms::internal
