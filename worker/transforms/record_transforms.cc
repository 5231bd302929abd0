// Transforms of record metadata: Filter, RegexRouter, TimestampRouter, SetSchemaMetadata.
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/date_format_internal.h"
#include "transforms/java_regex_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

// ---- Filter: drops every record it is applied to (use it with a predicate). ----

class Filter final : public Transformation {
 public:
  const config::ConfigDef& config_def() const override {
    static const config::ConfigDef def;
    return def;
  }
  Status configure(const ConfigMap&) override { return Status::OK(); }
  Result<Outcome> apply(data::ConnectRecord&, RecordKind) override { return Outcome::kDrop; }
};

// ---- RegexRouter ----

config::Validator regex_validator() {
  config::Validator v;
  v.description = "valid regex";
  v.check = [](const config::Value& value) -> std::optional<std::string> {
    auto* s = std::get_if<std::string>(&value);
    if (s == nullptr) return std::nullopt;
    auto compiled = JavaRegex::compile(*s);
    if (!compiled.ok()) return "Invalid regex: " + compiled.status().message();
    return std::nullopt;
  };
  return v;
}

const config::ConfigDef& regex_router_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey regex =
        key("regex", config::Type::kString, std::nullopt, config::Importance::kHigh,
            "Regular expression to use for matching.");
    regex.validator = regex_validator();
    d.define(std::move(regex));
    d.define(key("replacement", config::Type::kString, std::nullopt, config::Importance::kHigh,
                 "Replacement string."));
    return d;
  }();
  return def;
}

class RegexRouter final : public Transformation {
 public:
  const config::ConfigDef& config_def() const override { return regex_router_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    auto regex = JavaRegex::compile(cfg->get_string("regex"));
    if (!regex.ok()) {
      return invalid_config("regex", cfg->get_string("regex"),
                            "Invalid regex: " + regex.status().message());
    }
    regex_ = std::move(regex).value();
    auto replacement = JavaReplacement::compile(cfg->get_string("replacement"), *regex_);
    if (!replacement.ok()) {
      return invalid_config("replacement", cfg->get_string("replacement"),
                            replacement.status().message());
    }
    replacement_ = std::move(replacement).value();
    last_topic_.reset();
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    // A task sees few distinct topics: remember the last answer instead of matching per record.
    if (!last_topic_ || *last_topic_ != record.topic) {
      std::match_results<std::string_view::const_iterator> m;
      last_topic_ = record.topic;
      last_result_.reset();
      if (regex_->matches(*last_topic_, m)) last_result_ = replacement_->expand(m);
    }
    if (last_result_) record.topic = *last_result_;
    return Outcome::kKeep;
  }

 private:
  std::optional<JavaRegex> regex_;
  std::optional<JavaReplacement> replacement_;
  std::optional<std::string> last_topic_;
  std::optional<std::string> last_result_;  // nullopt: the last topic did not match
};

// ---- TimestampRouter ----

const config::ConfigDef& timestamp_router_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(key("topic.format", config::Type::kString, "${topic}-${timestamp}",
                 config::Importance::kHigh,
                 "Format string which can contain <code>${topic}</code> and "
                 "<code>${timestamp}</code> as placeholders for the topic and timestamp, "
                 "respectively."));
    d.define(key("timestamp.format", config::Type::kString, "yyyyMMdd", config::Importance::kHigh,
                 "Format string for the timestamp that is compatible with "
                 "<code>java.text.SimpleDateFormat</code>."));
    return d;
  }();
  return def;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

class TimestampRouter final : public Transformation {
 public:
  const config::ConfigDef& config_def() const override { return timestamp_router_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    topic_format_ = cfg->get_string("topic.format");
    auto format = DateFormat::compile(cfg->get_string("timestamp.format"));
    if (!format.ok()) {
      return invalid_config("timestamp.format", cfg->get_string("timestamp.format"),
                            format.status().message());
    }
    format_ = std::move(format).value();
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind kind) override {
    if (!record.timestamp) {
      return data_error("Timestamp missing on record: " + record_to_string(record, kind));
    }
    scratch_.clear();
    format_->format(*record.timestamp, scratch_);
    // String.replace of ${topic} then ${timestamp}, as Java does.
    std::string topic = topic_format_;
    replace_all(topic, "${topic}", record.topic);
    replace_all(topic, "${timestamp}", scratch_);
    record.topic = std::move(topic);
    return Outcome::kKeep;
  }

 private:
  std::string topic_format_;
  std::optional<DateFormat> format_;
  std::string scratch_;
};

// ---- SetSchemaMetadata ----

const config::ConfigDef& set_schema_metadata_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    d.define(null_default_key("schema.name", config::Type::kString, config::Importance::kHigh,
                              "Schema name to set."));
    d.define(null_default_key("schema.version", config::Type::kInt, config::Importance::kHigh,
                              "Schema version to set."));
    d.define(replace_null_with_default_key());
    return d;
  }();
  return def;
}

class SetSchemaMetadata final : public Transformation {
 public:
  explicit SetSchemaMetadata(bool key) : key_(key) {}

  const config::ConfigDef& config_def() const override { return set_schema_metadata_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    name_.reset();
    version_.reset();
    if (cfg->has("schema.name")) name_ = cfg->get_string("schema.name");
    if (cfg->has("schema.version")) version_ = cfg->get_int("schema.version");
    if (!name_ && !version_) return config_error("Neither schema name nor version configured");
    replace_null_ = cfg->get_bool("replace.null.with.default");
    return Status::OK();
  }

  Result<Outcome> apply(data::ConnectRecord& record, RecordKind) override {
    data::SchemaPtr& schema = operating_schema(record, key_);
    if (!schema) return schema_required("updating schema metadata");
    Entry* entry = cache_.get(schema);
    if (entry == nullptr) {
      auto built = make_entry(*schema);
      if (!built.ok()) return built.status();
      entry = &cache_.put(schema, std::move(built).value());
    }
    data::Value& value = operating_value(record, key_);
    if (value.kind() == data::ValueKind::kStruct) {
      value = data::Value(
          rebuild_struct(value.as_struct(), entry->schema, entry->mapping, replace_null_));
    }
    schema = entry->schema;
    return Outcome::kKeep;
  }

 private:
  struct Entry {
    data::SchemaPtr schema;
    std::vector<int> mapping;
  };

  Result<Entry> make_entry(const data::Schema& schema) const {
    data::SchemaBuilder b =
        schema.type() == data::SchemaType::kArray
            ? data::SchemaBuilder::array(schema.value_schema())
        : schema.type() == data::SchemaType::kMap
            ? data::SchemaBuilder::map(schema.key_schema(), schema.value_schema())
            : data::SchemaBuilder(schema.type());
    if (schema.is_optional()) b.optional();
    if (name_) {
      b.name(*name_);
    } else if (schema.name()) {
      b.name(*schema.name());
    }
    if (version_) {
      b.version(*version_);
    } else if (schema.version()) {
      b.version(*schema.version());
    }
    if (schema.doc()) b.doc(*schema.doc());
    b.parameters(schema.parameters());
    Entry e;
    for (const data::Field& f : schema.fields()) {
      b.field(f.name, f.schema);
      e.mapping.push_back(f.index);
    }
    // A struct default carries the old schema and cannot validate against the new one; other
    // defaults are kept (ConnectSchema keeps them all).
    if (const data::Value* def = schema.default_value();
        def != nullptr && def->kind() != data::ValueKind::kStruct) {
      b.default_value(*def);
    }
    auto built = b.build_checked();
    if (!built.ok()) return data_error(built.status().message());
    e.schema = std::move(built).value();
    return e;
  }

  const bool key_;
  std::optional<std::string> name_;
  std::optional<int32_t> version_;
  bool replace_null_ = true;
  SchemaCache<Entry> cache_;
};

}  // namespace

std::unique_ptr<Transformation> make_filter() { return std::make_unique<Filter>(); }
std::unique_ptr<Transformation> make_regex_router() { return std::make_unique<RegexRouter>(); }
std::unique_ptr<Transformation> make_timestamp_router() {
  return std::make_unique<TimestampRouter>();
}
std::unique_ptr<Transformation> make_set_schema_metadata(bool key) {
  return std::make_unique<SetSchemaMetadata>(key);
}

}  // namespace kanal::transforms::internal
