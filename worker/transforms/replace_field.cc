// ReplaceField$Key / ReplaceField$Value (org.apache.kafka.connect.transforms.ReplaceField).
#include <map>
#include <set>
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

constexpr std::string_view kPurpose = "field replacement";

config::Validator rename_validator() {
  config::Validator v;
  v.description = "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>";
  v.check = [](const config::Value& value) -> std::optional<std::string> {
    auto* list = std::get_if<std::vector<std::string>>(&value);
    if (list == nullptr) return std::nullopt;
    for (const std::string& mapping : *list) {
      size_t colon = mapping.find(':');
      if (colon == std::string::npos || mapping.find(':', colon + 1) != std::string::npos) {
        return "Invalid rename mapping: " + mapping;
      }
    }
    return std::nullopt;
  };
  return v;
}

const config::ConfigDef& replace_field_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(key("exclude", config::Type::kList, "", config::Importance::kMedium,
                 "Fields to exclude. This takes precedence over the fields to include."));
    d.define(key("include", config::Type::kList, "", config::Importance::kMedium,
                 "Fields to include. If specified, only these fields will be used."));
    config::ConfigKey renames = key("renames", config::Type::kList, "", config::Importance::kMedium,
                                    "Field rename mappings.");
    renames.validator = rename_validator();
    d.define(std::move(renames));
    d.define(replace_null_with_default_key());
    // Kafka 3.x's deprecated names (removed in 4.0); kanal still honours them so 3.x configs
    // keep their meaning. The new names win when both are set.
    d.define(null_default_key("blacklist", config::Type::kList, config::Importance::kLow,
                              "Deprecated. Use exclude instead."));
    d.define(null_default_key("whitelist", config::Type::kList, config::Importance::kLow,
                              "Deprecated. Use include instead."));
    return d;
  }();
  return def;
}

class ReplaceField final : public Transformation {
 public:
  explicit ReplaceField(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return replace_field_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    auto names = [&](const char* key, const char* deprecated) {
      std::vector<std::string> list = cfg->get_list(key);
      if (props.count(key) == 0 && cfg->has(deprecated)) list = cfg->get_list(deprecated);
      return std::set<std::string, std::less<>>(list.begin(), list.end());
    };
    exclude_ = names("exclude", "blacklist");
    include_ = names("include", "whitelist");
    renames_.clear();
    for (const std::string& mapping : cfg->get_list("renames")) {
      size_t colon = mapping.find(':');
      renames_[mapping.substr(0, colon)] = mapping.substr(colon + 1);
    }
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::Value& value = operating_value(record, key_);
    if (value.is_null()) return Outcome::kKeep;
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) {
      if (value.kind() != data::ValueKind::kMap) return map_required(value, kPurpose);
      data::Value::Map& map = value.as_map();
      data::Value::Map out;
      out.reserve(map.size());
      for (auto& [k, v] : map) {
        const std::string* name = k.string_if();
        if (name == nullptr || !keep(*name)) continue;
        auto it = renames_.find(*name);
        if (it == renames_.end()) {
          out.emplace_back(std::move(k), std::move(v));
        } else {
          out.emplace_back(data::Value::string(it->second), std::move(v));
        }
      }
      map = std::move(out);
      return Outcome::kKeep;
    }
    if (value.kind() != data::ValueKind::kStruct) return struct_required(value, kPurpose);
    data::Struct& in = value.as_struct();
    Entry* entry = cache_.get(in.schema());
    if (entry == nullptr) {
      auto built = make_entry(*in.schema());
      if (!built.ok()) return built.status();
      entry = &cache_.put(in.schema(), std::move(built).value());
    }
    data::Struct out = rebuild_struct(in, entry->schema, entry->mapping, replace_null_);
    schema = entry->schema;
    value = data::Value(std::move(out));
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    data::SchemaPtr schema;
    std::vector<int> mapping;
  };

  // ReplaceField.filter(): exclusion wins; an empty include list includes everything.
  bool keep(std::string_view name) const {
    return exclude_.count(name) == 0 && (include_.empty() || include_.count(name) > 0);
  }

  Result<Entry> make_entry(const data::Schema& schema) const {
    data::SchemaBuilder b = copy_schema_basics(schema, data::SchemaBuilder::structure());
    Entry e;
    for (const data::Field& f : schema.fields()) {
      if (!keep(f.name)) continue;
      auto it = renames_.find(f.name);
      b.field(it == renames_.end() ? f.name : it->second, f.schema);
      e.mapping.push_back(f.index);
    }
    auto built = b.build_checked();
    if (!built.ok()) return data_error(built.status().message());
    e.schema = std::move(built).value();
    return e;
  }

  const bool key_;
  std::set<std::string, std::less<>> exclude_;
  std::set<std::string, std::less<>> include_;
  std::map<std::string, std::string, std::less<>> renames_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_replace_field(bool key) {
  return std::make_unique<ReplaceField>(key);
}

}  // namespace kanal::transforms::internal
