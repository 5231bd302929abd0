// InsertField$Key / InsertField$Value (org.apache.kafka.connect.transforms.InsertField).
#include <optional>
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "field insertion";

// A field name with its `?` (optional, the default) or `!` (required) suffix parsed
// (InsertField.InsertionSpec.parse).
struct InsertionSpec {
  std::string name;
  bool optional = true;
};

std::optional<InsertionSpec> parse_spec(const config::ParsedConfig& cfg, std::string_view key) {
  if (!cfg.has(key)) return std::nullopt;
  std::string spec = cfg.get_string(key);
  if (!spec.empty() && spec.back() == '?') return InsertionSpec{spec.substr(0, spec.size() - 1)};
  if (!spec.empty() && spec.back() == '!') {
    return InsertionSpec{spec.substr(0, spec.size() - 1), false};
  }
  return InsertionSpec{spec};
}

const config::ConfigDef& insert_field_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(null_default_key(
        "topic.field", config::Type::kString, config::Importance::kMedium,
        "Field name for Kafka topic. Suffix with <code>!</code> to make this a required field, "
        "or <code>?</code> to keep it optional (the default)."));
    d.define(null_default_key(
        "partition.field", config::Type::kString, config::Importance::kMedium,
        "Field name for Kafka partition. Suffix with <code>!</code> to make this a required "
        "field, or <code>?</code> to keep it optional (the default)."));
    d.define(null_default_key(
        "offset.field", config::Type::kString, config::Importance::kMedium,
        "Field name for Kafka offset - only applicable to sink connectors.<br/>Suffix with "
        "<code>!</code> to make this a required field, or <code>?</code> to keep it optional "
        "(the default)."));
    d.define(null_default_key(
        "timestamp.field", config::Type::kString, config::Importance::kMedium,
        "Field name for record timestamp. Suffix with <code>!</code> to make this a required "
        "field, or <code>?</code> to keep it optional (the default)."));
    d.define(null_default_key(
        "static.field", config::Type::kString, config::Importance::kMedium,
        "Field name for static data field. Suffix with <code>!</code> to make this a required "
        "field, or <code>?</code> to keep it optional (the default)."));
    d.define(null_default_key("static.value", config::Type::kString, config::Importance::kMedium,
                              "Static field value, if field name configured."));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

class InsertField final : public Transformation {
 public:
  explicit InsertField(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return insert_field_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    topic_ = parse_spec(*cfg, "topic.field");
    partition_ = parse_spec(*cfg, "partition.field");
    offset_ = parse_spec(*cfg, "offset.field");
    timestamp_ = parse_spec(*cfg, "timestamp.field");
    static_ = parse_spec(*cfg, "static.field");
    if (cfg->has("static.value")) static_value_ = cfg->get_string("static.value");
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind kind) override {
    data::Value& value = operating_value(record, key_);
    if (value.is_null()) return Outcome::kKeep;  // tombstones pass (KAFKA-8523)
    if (offset_ && kind != RecordKind::kSink) return sink_record_required(kind, kPurpose);
    if (!operating_schema(record, key_)) return apply_schemaless(record, kind, value);
    return apply_with_schema(record, kind, value);
  }

 private:
  Result<Outcome> apply_schemaless(data::ConnectRecord& record, RecordKind kind,
                                   data::Value& value) {
    if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
    data::Value::Map& map = value.as_map();
    if (topic_) map_put(map, topic_->name, data::Value::string(record.topic));
    if (partition_) {
      map_put(map, partition_->name,
              record.kafka_partition ? data::Value::int32(*record.kafka_partition) : data::Value());
    }
    if (offset_) {
      map_put(map, offset_->name,
              data::Value::int64(static_cast<data::SinkRecord&>(record).kafka_offset));
    }
    if (timestamp_) {
      map_put(map, timestamp_->name,
              record.timestamp ? data::Value::int64(*record.timestamp) : data::Value());
    }
    if (static_ && static_value_) map_put(map, static_->name, data::Value::string(*static_value_));
    (void)kind;
    return Outcome::kKeep;
  }

  Result<Outcome> apply_with_schema(data::ConnectRecord& record, RecordKind kind,
                                    data::Value& value) {
    (void)kind;
    if (value.kind() != data::ValueKind::kStruct) return struct_required(value, kPurpose);
    data::Struct& in = value.as_struct();
    Entry* entry = cache_.get(in.schema());
    if (entry == nullptr) {
      auto built = make_entry(*in.schema());
      if (!built.ok()) return built.status();
      entry = &cache_.put(in.schema(), std::move(built).value());
    }
    data::Struct out = rebuild_struct(in, entry->schema, entry->mapping, replace_null_);
    size_t i = in.schema()->fields().size();
    if (topic_) out.set(i++, data::Value::string(record.topic));
    if (partition_) {
      if (record.kafka_partition) out.set(i, data::Value::int32(*record.kafka_partition));
      ++i;
    }
    if (offset_) {
      out.set(i++, data::Value::int64(static_cast<data::SinkRecord&>(record).kafka_offset));
    }
    if (timestamp_) {
      if (record.timestamp) out.set(i, data::Value::int64(*record.timestamp));
      ++i;
    }
    if (static_ && static_value_) out.set(i, data::Value::string(*static_value_));
    operating_schema(record, key_) = entry->schema;
    value = data::Value(std::move(out));
    return Outcome::kKeep;
  }

  struct Entry {
    data::SchemaPtr schema;
    std::vector<int> mapping;
  };

  Result<Entry> make_entry(const data::Schema& schema) const {
    data::SchemaBuilder b = copy_schema_basics(schema, data::SchemaBuilder::structure());
    Entry e;
    for (const data::Field& f : schema.fields()) {
      b.field(f.name, f.schema);
      e.mapping.push_back(f.index);
    }
    auto add = [&](const std::optional<InsertionSpec>& spec, data::SchemaType type) {
      if (!spec) return;
      b.field(spec->name, data::schemas::for_type(type, spec->optional));
    };
    add(topic_, data::SchemaType::kString);
    add(partition_, data::SchemaType::kInt32);
    add(offset_, data::SchemaType::kInt64);
    if (timestamp_) {
      data::SchemaBuilder ts = data::logical::timestamp();
      if (timestamp_->optional) ts.optional();
      b.field(timestamp_->name, ts.build());
    }
    add(static_, data::SchemaType::kString);
    auto built = b.build_checked();
    if (!built.ok()) return data_error(built.status().message());
    e.schema = std::move(built).value();
    for (size_t i = e.mapping.size(); i < e.schema->fields().size(); ++i) e.mapping.push_back(-1);
    return e;
  }

  const bool key_;
  std::optional<InsertionSpec> topic_;
  std::optional<InsertionSpec> partition_;
  std::optional<InsertionSpec> offset_;
  std::optional<InsertionSpec> timestamp_;
  std::optional<InsertionSpec> static_;
  std::optional<std::string> static_value_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_insert_field(bool key) {
  return std::make_unique<InsertField>(key);
}

}  // namespace kanal::transforms::internal
