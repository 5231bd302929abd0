// Transforms of record headers: DropHeaders, HeaderFrom$Key/$Value, InsertHeader.
#include <set>
#include <string>

#include "data/simple_header_converter.h"
#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

// ---- DropHeaders ----

const config::ConfigDef& drop_headers_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey headers =
        key("headers", config::Type::kList, std::nullopt, config::Importance::kHigh,
            "The name of the headers to be removed.");
    d.define(std::move(headers));
    return d;
  }();
  return def;
}

class DropHeaders final : public Transformation {
 public:
  const config::ConfigDef& config_def() const override { return drop_headers_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    KANAL_RETURN_IF_ERROR(require_non_empty_list(*cfg, "headers"));
    std::vector<std::string> list = cfg->get_list("headers");
    std::set<std::string> unique(list.begin(), list.end());
    headers_.assign(unique.begin(), unique.end());
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    if (record.headers.empty()) return Outcome::kKeep;
    for (const std::string& name : headers_) record.headers.remove(name);
    return Outcome::kKeep;
  }

 private:
  std::vector<std::string> headers_;
};

// ---- HeaderFrom ----

const config::ConfigDef& header_from_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey fields =
        key("fields", config::Type::kList, std::nullopt, config::Importance::kHigh,
            "Field names in the record whose values are to be copied or moved to headers.");
    fields.validator = non_empty_list();
    d.define(std::move(fields));
    config::ConfigKey headers =
        key("headers", config::Type::kList, std::nullopt, config::Importance::kHigh,
            "Header names, in the same order as the field names listed in the fields "
            "configuration property.");
    headers.validator = non_empty_list();
    d.define(std::move(headers));
    config::ConfigKey operation =
        key("operation", config::Type::kString, std::nullopt, config::Importance::kHigh,
            "Either <code>move</code> if the fields are to be moved to the headers (removed "
            "from the key/value), or <code>copy</code> if the fields are to be copied to the "
            "headers (retained in the key/value).");
    operation.validator = config::one_of({"move", "copy"});
    d.define(std::move(operation));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

class HeaderFrom final : public Transformation {
 public:
  explicit HeaderFrom(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return header_from_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    fields_ = cfg->get_list("fields");
    headers_ = cfg->get_list("headers");
    if (fields_.size() != headers_.size()) {
      return config_error(
          "'fields' config must have the same number of elements as 'headers' config.");
    }
    move_ = cfg->get_string("operation") == "move";
    purpose_ = move_ ? "header move" : "header copy";
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (value.kind() != data::ValueKind::kMap) return map_required(value, purpose_);
      data::Value::Map& map = value.as_map();
      for (size_t i = 0; i < fields_.size(); ++i) {
        data::Value field;
        for (auto it = map.begin(); it != map.end(); ++it) {
          const std::string* k = it->first.string_if();
          if (k == nullptr || *k != fields_[i]) continue;
          if (move_) {
            field = std::move(it->second);
            map.erase(it);
          } else {
            field = it->second;
          }
          break;
        }
        record.headers.add(headers_[i], nullptr, std::move(field));
      }
      return Outcome::kKeep;
    }
    if (value.kind() != data::ValueKind::kStruct) return struct_required(value, purpose_);
    data::Struct& in = value.as_struct();
    Entry* entry = cache_.get(in.schema());
    if (entry == nullptr) {
      auto built = make_entry(*in.schema());
      if (!built.ok()) return built.status();
      entry = &cache_.put(in.schema(), std::move(built).value());
    }
    const auto& fields = in.schema()->fields();
    for (size_t i = 0; i < fields_.size(); ++i) {
      size_t index = entry->header_fields[i];
      record.headers.add(headers_[i], fields[index].schema, field_value(in, index, replace_null_));
    }
    if (move_) {
      data::Struct out = rebuild_struct(in, entry->moved_schema, entry->mapping, replace_null_);
      schema = entry->moved_schema;
      value = data::Value(std::move(out));
    }
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    std::vector<size_t> header_fields;  // per configured field: its index in the input
    data::SchemaPtr moved_schema;       // move only: the schema without the moved fields
    std::vector<int> mapping;
  };

  Result<Entry> make_entry(const data::Schema& schema) const {
    if (schema.type() != data::SchemaType::kStruct) {
      return data_error("Cannot list fields on non-struct type");
    }
    Entry e;
    for (const std::string& name : fields_) {
      const data::Field* f = schema.field(name);
      if (f == nullptr) return data_error("Field does not exist: " + name);
      e.header_fields.push_back(static_cast<size_t>(f->index));
    }
    if (move_) {
      std::set<std::string_view> moved(fields_.begin(), fields_.end());
      data::SchemaBuilder b = copy_schema_basics(schema, data::SchemaBuilder::structure());
      for (const data::Field& f : schema.fields()) {
        if (moved.count(f.name) > 0) continue;
        b.field(f.name, f.schema);
        e.mapping.push_back(f.index);
      }
      auto built = b.build_checked();
      if (!built.ok()) return data_error(built.status().message());
      e.moved_schema = std::move(built).value();
    }
    return e;
  }

  const bool key_;
  std::vector<std::string> fields_;
  std::vector<std::string> headers_;
  bool move_ = false;
  std::string purpose_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

// ---- InsertHeader ----

const config::ConfigDef& insert_header_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey header = key("header", config::Type::kString, std::nullopt,
                                   config::Importance::kHigh, "The name of the header.");
    header.validator = config::non_empty_string();
    d.define(std::move(header));
    config::ConfigKey literal =
        key("value.literal", config::Type::kString, std::nullopt, config::Importance::kHigh,
            "The literal value that is to be set as the header value on all records.");
    literal.validator = config::non_empty_string();
    d.define(std::move(literal));
    return d;
  }();
  return def;
}

class InsertHeader final : public Transformation {
 public:
  const config::ConfigDef& config_def() const override { return insert_header_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    header_ = cfg->get_string("header");
    // Values.parseString, once: every record gets the same typed value.
    literal_ = data::values_parse_string(cfg->get_string("value.literal"));
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    record.headers.add(header_, literal_.schema, literal_.value);
    return Outcome::kKeep;
  }

 private:
  std::string header_;
  data::SchemaAndValue literal_;
};

}  // namespace

std::unique_ptr<Transformation> make_drop_headers() { return std::make_unique<DropHeaders>(); }
std::unique_ptr<Transformation> make_header_from(bool key) {
  return std::make_unique<HeaderFrom>(key);
}
std::unique_ptr<Transformation> make_insert_header() { return std::make_unique<InsertHeader>(); }

}  // namespace kanal::transforms::internal
