// Flatten$Key / Flatten$Value (org.apache.kafka.connect.transforms.Flatten).
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "flattening";

const config::ConfigDef& flatten_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(key("delimiter", config::Type::kString, ".", config::Importance::kMedium,
                 "Delimiter to insert between field names from the input record when generating "
                 "field names for the output record"));
    return d;
  }();
  return def;
}

class Flatten final : public Transformation {
 public:
  explicit Flatten(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return flatten_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    delimiter_ = cfg->get_string("delimiter");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (value.is_null()) return Outcome::kKeep;
      if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
      data::Value::Map out;
      KANAL_RETURN_IF_ERROR(flatten_schemaless(value.as_map(), "", out));
      value = data::Value::map(std::move(out));
      return Outcome::kKeep;
    }
    if (!value.is_null() && value.kind() != data::ValueKind::kStruct) {
      return struct_required(value, kPurpose);
    }
    data::SchemaPtr* updated = cache_.get(schema);
    if (updated == nullptr) {
      if (schema->type() != data::SchemaType::kStruct) {
        return data_error("Cannot list fields on non-struct type");
      }
      data::SchemaBuilder b = copy_schema_basics(*schema, data::SchemaBuilder::structure());
      const data::Value* def = schema->default_value();
      KANAL_RETURN_IF_ERROR(build_schema(*schema, "", b, schema->is_optional(),
                                         def != nullptr ? def->struct_if() : nullptr));
      if (schema->is_optional()) b.optional();
      auto built = b.build_checked();
      if (!built.ok()) return data_error(built.status().message());
      updated = &cache_.put(schema, std::move(built).value());
    }
    if (!value.is_null()) {
      data::Struct out(*updated);
      size_t next = 0;
      flatten_struct(value.as_struct(), out, next);
      value = data::Value(std::move(out));
    }
    schema = *updated;
    return Outcome::kKeep;
  }

 private:
  std::string field_name(std::string_view prefix, std::string_view name) const {
    if (prefix.empty()) return std::string(name);
    std::string out(prefix);
    out += delimiter_;
    out += name;
    return out;
  }

  Status flatten_schemaless(data::Value::Map& in, std::string_view prefix,
                            data::Value::Map& out) const {
    for (auto& [k, v] : in) {
      std::string name = field_name(prefix, k.string_if() ? *k.string_if() : to_java_string(k));
      switch (v.kind()) {
        case data::ValueKind::kMap:
          KANAL_RETURN_IF_ERROR(flatten_schemaless(v.as_map(), name, out));
          break;
        case data::ValueKind::kStruct:
          return data_error("Flatten transformation does not support class " + java_class_name(v) +
                            " for record without schemas (for field " + name + ").");
        default:  // null, primitives and arrays are copied as they are
          out.emplace_back(data::Value::string(std::move(name)), std::move(v));
      }
    }
    return Status::OK();
  }

  // Flatten.buildUpdatedSchema: nested struct fields become top-level fields; optional and
  // default propagate from the parent.
  Status build_schema(const data::Schema& schema, std::string_view prefix, data::SchemaBuilder& b,
                      bool optional, const data::Struct* parent_default) const {
    for (const data::Field& f : schema.fields()) {
      std::string name = field_name(prefix, f.name);
      const bool field_optional = optional || f.schema->is_optional();
      const data::Value* field_default = f.schema->default_value();
      if (field_default == nullptr && parent_default != nullptr) {
        const data::Value& v = parent_default->get(static_cast<size_t>(f.index));
        if (!v.is_null()) field_default = &v;
      }
      switch (f.schema->type()) {
        case data::SchemaType::kStruct:
          KANAL_RETURN_IF_ERROR(build_schema(*f.schema, name, b, field_optional,
                                             field_default ? field_default->struct_if() : nullptr));
          break;
        case data::SchemaType::kMap:
          return data_error(
              "Flatten transformation does not support MAP for record with schemas "
              "(for field " +
              name + ").");
        case data::SchemaType::kArray:
          b.field(std::move(name), f.schema);
          break;
        default: {
          if (field_optional == f.schema->is_optional() &&
              field_default == f.schema->default_value()) {
            b.field(std::move(name), f.schema);
            break;
          }
          data::SchemaBuilder fb(f.schema->type());
          fb.copy_basics_from(*f.schema);
          if (field_optional) fb.optional();
          if (field_default != nullptr) fb.default_value(*field_default);
          auto built = fb.build_checked();
          if (!built.ok()) return data_error(built.status().message());
          b.field(std::move(name), std::move(built).value());
        }
      }
    }
    return Status::OK();
  }

  // Flatten.buildWithSchema: fields are appended in the order build_schema added them.
  void flatten_struct(data::Struct& in, data::Struct& out, size_t& next) const {
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields.size(); ++i) {
      data::Value& v = in.get_mutable(i);
      if (fields[i].schema->type() == data::SchemaType::kStruct) {
        if (v.is_null()) {
          next += count_leaves(*fields[i].schema);
        } else {
          flatten_struct(v.as_struct(), out, next);
        }
      } else {
        out.set(next++, std::move(v));
      }
    }
  }

  static size_t count_leaves(const data::Schema& schema) {
    size_t n = 0;
    for (const data::Field& f : schema.fields()) {
      n += f.schema->type() == data::SchemaType::kStruct ? count_leaves(*f.schema) : 1;
    }
    return n;
  }

  const bool key_;
  std::string delimiter_;
  SchemaCache<data::SchemaPtr> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_flatten(bool key) { return std::make_unique<Flatten>(key); }

}  // namespace kanal::transforms::internal
