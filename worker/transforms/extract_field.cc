// ExtractField$Key / ExtractField$Value (org.apache.kafka.connect.transforms.ExtractField), with
// KIP-821's `field.syntax.version` (V2: dotted paths into nested structs and maps).
#include <string>
#include <vector>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "field extraction";

const config::ConfigDef& extract_field_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(key("field", config::Type::kString, std::nullopt, config::Importance::kMedium,
                 "Field name to extract."));
    config::ConfigKey syntax =
        key("field.syntax.version", config::Type::kString, "V1", config::Importance::kHigh,
            "Defines the version of the syntax to access fields. If set to `V1`, then the field "
            "paths are limited to access the elements at the root level of the struct or map. "
            "If set to `V2`, the syntax will support accessing nested elements.");
    syntax.validator = config::one_of({"V1", "V2"}, /*case_insensitive=*/true);
    d.define(std::move(syntax));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

// SingleFieldPath for V2: segments split on '.', a segment wrapped in backticks may contain
// dots; inside backticks "\`" is a literal backtick.
std::vector<std::string> parse_v2_path(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    if (i < path.size() && path[i] == '`') {
      // Closing backtick: one followed by '.' or the end.
      size_t j = i + 1;
      std::string seg;
      bool closed = false;
      while (j < path.size()) {
        if (path[j] == '\\' && j + 1 < path.size() && path[j + 1] == '`') {
          seg += '`';
          j += 2;
          continue;
        }
        if (path[j] == '`' && (j + 1 == path.size() || path[j + 1] == '.')) {
          closed = true;
          break;
        }
        seg += path[j++];
      }
      if (closed) {
        out.push_back(std::move(seg));
        i = j + 2;
        continue;
      }
    }
    size_t dot = path.find('.', i);
    if (dot == std::string_view::npos) dot = path.size();
    out.emplace_back(path.substr(i, dot - i));
    i = dot + 1;
  }
  return out;
}

class ExtractField final : public Transformation {
 public:
  explicit ExtractField(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return extract_field_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    original_path_ = cfg->get_string("field");
    std::string version = cfg->get_string("field.syntax.version");
    if (version == "V2" || version == "v2") {
      path_ = parse_v2_path(original_path_);
    } else {
      path_ = {original_path_};
    }
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (value.is_null()) return Outcome::kKeep;
      if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
      data::Value* cur = &value;
      for (const std::string& seg : path_) {
        data::Value* next =
            cur->kind() == data::ValueKind::kMap ? map_find(cur->as_map(), seg) : nullptr;
        if (next == nullptr) {
          value = data::Value();
          return Outcome::kKeep;
        }
        cur = next;
      }
      data::Value extracted = std::move(*cur);
      value = std::move(extracted);
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
    schema = entry->schema;
    if (value.is_null()) return Outcome::kKeep;
    data::Value* cur = &value;
    for (size_t depth = 0; depth < entry->indexes.size(); ++depth) {
      data::Struct& s = cur->as_struct();
      size_t index = entry->indexes[depth];
      const bool leaf = depth + 1 == entry->indexes.size();
      data::Value& field = s.get_mutable(index);
      if (field.is_null()) {
        const data::Value* def = s.schema()->fields()[index].schema->default_value();
        if (leaf && replace_null_ && def != nullptr) {
          data::Value copy = *def;
          value = std::move(copy);
          return Outcome::kKeep;
        }
        if (!leaf && def != nullptr && replace_null_) {
          data::Value copy = *def;
          field = std::move(copy);
        } else {
          value = data::Value();
          return Outcome::kKeep;
        }
      }
      cur = &field;
    }
    data::Value extracted = std::move(*cur);
    value = std::move(extracted);
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    std::vector<size_t> indexes;
    data::SchemaPtr schema;
  };

  Result<Entry> make_entry(const data::Schema& schema) const {
    Entry e;
    const data::Schema* cur = &schema;
    data::SchemaPtr field_schema;
    for (const std::string& seg : path_) {
      if (cur == nullptr || cur->type() != data::SchemaType::kStruct) {
        if (cur == &schema) return data_error("Cannot look up fields on non-struct type");
        return Status::invalid_argument("Unknown field: " + original_path_);
      }
      const data::Field* f = cur->field(seg);
      if (f == nullptr) return Status::invalid_argument("Unknown field: " + original_path_);
      e.indexes.push_back(static_cast<size_t>(f->index));
      field_schema = f->schema;
      cur = f->schema.get();
    }
    e.schema = field_schema;
    return e;
  }

  const bool key_;
  std::string original_path_;
  std::vector<std::string> path_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_extract_field(bool key) {
  return std::make_unique<ExtractField>(key);
}

}  // namespace kanal::transforms::internal
