// The predicates Kafka ships (org.apache.kafka.connect.transforms.predicates): TopicNameMatches,
// HasHeaderKey, RecordIsTombstone.
#include <string>

#include "transforms/builtins_internal.h"
#include "transforms/java_regex_internal.h"
#include "transforms/transforms_internal.h"

namespace kanal::transforms::internal {
namespace {

// ---- TopicNameMatches ----

const config::ConfigDef& topic_name_matches_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey pattern =
        key("pattern", config::Type::kString, std::nullopt, config::Importance::kMedium,
            "A Java regular expression for matching against the name of a record's topic.");
    config::Validator non_empty = config::non_empty_string();
    pattern.validator =
        config::Validator{[non_empty](const config::Value& value) -> std::optional<std::string> {
                            if (auto err = non_empty.check(value)) return err;
                            auto* s = std::get_if<std::string>(&value);
                            if (s == nullptr) return std::nullopt;
                            auto compiled = JavaRegex::compile(*s);
                            if (!compiled.ok())
                              return "Invalid regex: " + compiled.status().message();
                            return std::nullopt;
                          },
                          "non-empty string, valid regex",
                          {}};
    d.define(std::move(pattern));
    return d;
  }();
  return def;
}

class TopicNameMatches final : public Predicate {
 public:
  const config::ConfigDef& config_def() const override { return topic_name_matches_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    auto regex = JavaRegex::compile(cfg->get_string("pattern"));
    if (!regex.ok()) {
      return invalid_config("pattern", cfg->get_string("pattern"),
                            "Invalid regex: " + regex.status().message());
    }
    regex_ = std::move(regex).value();
    last_topic_.reset();
    return Status::OK();
  }

  bool test(const data::ConnectRecord& record) override {
    // Topics repeat: remember the last answer rather than running the regex per record.
    if (!last_topic_ || *last_topic_ != record.topic) {
      last_topic_ = record.topic;
      last_result_ = regex_->matches(record.topic);
    }
    return last_result_;
  }

 private:
  std::optional<JavaRegex> regex_;
  std::optional<std::string> last_topic_;
  bool last_result_ = false;
};

// ---- HasHeaderKey ----

const config::ConfigDef& has_header_key_config() {
  static const config::ConfigDef def = [] {
    config::ConfigDef d;
    config::ConfigKey name = key("name", config::Type::kString, std::nullopt,
                                 config::Importance::kMedium, "The header name.");
    name.validator = config::non_empty_string();
    d.define(std::move(name));
    return d;
  }();
  return def;
}

class HasHeaderKey final : public Predicate {
 public:
  const config::ConfigDef& config_def() const override { return has_header_key_config(); }

  Status configure(const ConfigMap& props) override {
    auto cfg = parse_config(config_def(), props);
    if (!cfg.ok()) return cfg.status();
    name_ = cfg->get_string("name");
    return Status::OK();
  }

  bool test(const data::ConnectRecord& record) override {
    for (const data::Header& h : record.headers) {
      if (h.key == name_) return true;
    }
    return false;
  }

 private:
  std::string name_;
};

// ---- RecordIsTombstone ----

class RecordIsTombstone final : public Predicate {
 public:
  const config::ConfigDef& config_def() const override {
    static const config::ConfigDef def;
    return def;
  }
  Status configure(const ConfigMap&) override { return Status::OK(); }
  bool test(const data::ConnectRecord& record) override { return record.value.is_null(); }
};

}  // namespace

std::unique_ptr<Predicate> make_topic_name_matches() {
  return std::make_unique<TopicNameMatches>();
}
std::unique_ptr<Predicate> make_has_header_key() { return std::make_unique<HasHeaderKey>(); }
std::unique_ptr<Predicate> make_record_is_tombstone() {
  return std::make_unique<RecordIsTombstone>();
}

}  // namespace kanal::transforms::internal
