// ValueToKey (org.apache.kafka.connect.transforms.ValueToKey).
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "copying fields from value to key";

const config::ConfigDef& value_to_key_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey fields =
        key("fields", config::Type::kList, std::nullopt, config::Importance::kHigh,
            "Field names on the record value to extract as the record key.");
    d.define(std::move(fields));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

class ValueToKey final : public Transformation {
 public:
  const config::ConfigDef& config_def() const override { return value_to_key_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    KANAL_RETURN_IF_ERROR(require_non_empty_list(*cfg, "fields"));
    fields_ = cfg->get_list("fields");
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    if (!record.value_schema) {
      if (record.value.kind() != data::ValueKind::kMap) return map_required(record.value, kPurpose);
      const data::Value::Map& value = record.value.as_map();
      data::Value::Map key;
      key.reserve(fields_.size());
      for (const std::string& name : fields_) {
        const data::Value* v = map_find(value, name);
        map_put(key, name, v != nullptr ? *v : data::Value());
      }
      record.key_schema = nullptr;
      record.key = data::Value::map(std::move(key));
      return Outcome::kKeep;
    }
    if (record.value.kind() != data::ValueKind::kStruct) {
      return struct_required(record.value, kPurpose);
    }
    const data::Struct& value = record.value.as_struct();
    Entry* entry = cache_.get(value.schema());
    if (entry == nullptr) {
      auto built = make_entry(*value.schema());
      if (!built.ok()) return built.status();
      entry = &cache_.put(value.schema(), std::move(built).value());
    }
    data::Struct key(entry->schema);
    for (size_t i = 0; i < entry->indexes.size(); ++i) {
      key.set(i, field_value(value, entry->indexes[i], replace_null_));
    }
    record.key_schema = entry->schema;
    record.key = data::Value(std::move(key));
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    data::SchemaPtr schema;
    std::vector<size_t> indexes;
  };

  Result<Entry> make_entry(const data::Schema& schema) const {
    data::SchemaBuilder b = data::SchemaBuilder::structure();
    Entry e;
    for (const std::string& name : fields_) {
      const data::Field* f = schema.field(name);
      if (f == nullptr) return data_error("Field does not exist: " + name);
      b.field(name, f->schema);
      e.indexes.push_back(static_cast<size_t>(f->index));
    }
    auto built = b.build_checked();
    if (!built.ok()) return data_error(built.status().message());
    e.schema = std::move(built).value();
    return e;
  }

  std::vector<std::string> fields_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_value_to_key() { return std::make_unique<ValueToKey>(); }

}  // namespace kanal::transforms::internal
