// The C++ test plugin: a source, a sink, a transformation, a predicate, a converter and a
// connector whose constructor throws, all in one library, written against the SDK as a third
// party would.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <kanal/kanal.hpp>
#include <stdexcept>

namespace {

kanal::Value partition_key() { return kanal::Value::map().put("source", "good"); }

class GoodSourceConnector : public kanal::SourceConnector {
 public:
  static kanal::ConfigDef config_def() {
    return kanal::ConfigDef()
        .define("topic", kanal::ConfigType::kString, kanal::Importance::kHigh, "Target topic")
        .define("batch.size", kanal::ConfigType::kInt, "2", kanal::Importance::kLow,
                "Records per poll", kanal::Validator::at_least(1))
        .define("mode", kanal::ConfigType::kString, "struct", kanal::Importance::kMedium,
                "Value shape", kanal::Validator::one_of({"struct", "string"}));
  }
  void start(const kanal::Config& config) override { config_ = config_def().parse(config); }
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override {
    std::vector<kanal::Config> out;
    for (int32_t i = 0; i < max_tasks; ++i) {
      kanal::Config c = config_;
      c["task.id"] = std::to_string(i);
      out.push_back(c);
    }
    return out;
  }
  void stop() override {}
  void validate(const kanal::Config& config, kanal::Validation& out) override {
    if (config.get("topic") == "forbidden") out.add_error("topic", "topic 'forbidden' is reserved");
  }

 private:
  kanal::Config config_;
};

class GoodSourceTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config& config) override {
    topic_ = config.get("topic");
    batch_ = config.get_int("batch.size", 2);
    schema_ = kanal::SchemaBuilder::structure()
                  .name("com.example.Event")
                  .field("id", kanal::Schema::int64())
                  .field("name", kanal::Schema::string())
                  .field("when", kanal::logical::timestamp().build())
                  .build();
    kanal::Value stored = context().offset(partition_key());
    if (!stored.is_null()) position_ = stored.get("position").as_int64() + 1;
    logger().info("starting at position " + std::to_string(position_));
  }
  void poll(std::vector<kanal::SourceRecord>& out) override {
    for (int32_t i = 0; i < batch_; ++i, ++position_) {
      kanal::SourceRecord r;
      r.topic = topic_;
      r.key_schema = kanal::Schema::string();
      r.key = kanal::Value("k" + std::to_string(position_));
      r.value_schema = schema_;
      r.value = kanal::Struct(schema_)
                    .put("id", position_)
                    .put("name", "event-" + std::to_string(position_))
                    .put("when", int64_t{1700000000000} + position_);
      r.timestamp = 1700000000000 + position_;
      r.headers.add("origin", kanal::Value("good"), kanal::Schema::string());
      r.source_partition = partition_key();
      r.source_offset = kanal::Value::map().put("position", position_);
      out.push_back(std::move(r));
    }
  }
  void commit_record(const kanal::CommittedRecord& record) override {
    if (record.partition >= 0) ++acked_;
  }
  void stop() override {}

 private:
  std::string topic_;
  int32_t batch_ = 2;
  int64_t position_ = 0;
  int64_t acked_ = 0;
  kanal::Schema schema_;
};

class GoodSinkConnector : public kanal::SinkConnector {
 public:
  static kanal::ConfigDef config_def() {
    return kanal::ConfigDef().define("file", kanal::ConfigType::kString, kanal::Importance::kHigh,
                                     "Output file");
  }
  void start(const kanal::Config& config) override { config_ = config; }
  std::vector<kanal::Config> task_configs(int32_t) override { return {config_}; }
  void stop() override {}

 private:
  kanal::Config config_;
};

// Writes one line per record: topic:partition:offset:value, where a struct value prints its
// "name" field; "bad" values are reported as errant, "retry" values fail retriably.
class GoodSinkTask : public kanal::SinkTask {
 public:
  void start(const kanal::Config& config) override { file_ = config.get("file"); }
  void put(const kanal::SinkRecords& records) override {
    std::ofstream out(file_, std::ios::app);
    for (kanal::SinkRecord r : records) {
      kanal::ValueView v = r.value();
      std::string text = v.type() == kanal::Type::kStruct ? std::string(v.get("name").as_string())
                                                          : std::string(v.as_string());
      if (text == "retry") throw kanal::RetriableError("sink not ready");
      if (text == "bad") {
        context().report(r, "bad record");
        continue;
      }
      std::string headers;
      for (size_t i = 0; i < r.header_count(); ++i) {
        headers +=
            "," + std::string(r.header(i).key) + "=" + std::string(r.header(i).value.as_string());
      }
      out << r.topic() << ":" << r.partition() << ":" << r.offset() << ":" << text << headers
          << "\n";
    }
  }
  void pre_commit(std::vector<kanal::TopicPartition>& offsets) override {
    for (auto& tp : offsets) {
      if (tp.topic == "hold") tp.offset = -1;
    }
  }
  void stop() override {}

 private:
  std::string file_;
};

class UppercaseTransformation : public kanal::Transformation {
 public:
  void apply(const kanal::Record& record, kanal::RecordUpdate& update) override {
    if (record.value().type() != kanal::Type::kString) return;
    std::string text(record.value().as_string());
    if (text == "drop") {
      update.drop();
      return;
    }
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    update.set_value(kanal::Schema::string(), kanal::Value(text));
    update.set_topic(std::string(record.topic()) + "-up");
  }
};

class TopicIsPredicate : public kanal::Predicate {
 public:
  static kanal::ConfigDef config_def() {
    return kanal::ConfigDef().define("topic", kanal::ConfigType::kString, kanal::Importance::kHigh,
                                     "Topic to match");
  }
  void configure(const kanal::Config& config) override { topic_ = config.get("topic"); }
  bool test(const kanal::Record& record) override { return record.topic() == topic_; }

 private:
  std::string topic_;
};

// Writes a string value reversed (with a "rev:" prefix when configured so) and reads it back.
class ReverseConverter : public kanal::Converter {
 public:
  static kanal::ConfigDef config_def() {
    return kanal::ConfigDef().define("prefix", kanal::ConfigType::kString, "",
                                     kanal::Importance::kLow, "Prefix of the serialized form");
  }
  void configure(const kanal::Config& config, bool) override { prefix_ = config.get("prefix"); }
  bool from_connect(std::string_view, const kanal::Schema&, kanal::ValueView value,
                    std::string& out) override {
    if (value.is_null()) return false;
    std::string_view text = value.as_string();
    out = prefix_ + std::string(text.rbegin(), text.rend());
    return true;
  }
  kanal::SchemaAndValue to_connect(std::string_view,
                                   std::optional<std::string_view> data) override {
    if (!data) return {kanal::Schema::optional_string(), kanal::Value()};
    std::string_view text = *data;
    if (text.substr(0, prefix_.size()) == prefix_) text.remove_prefix(prefix_.size());
    return {kanal::Schema::optional_string(),
            kanal::Value(std::string(text.rbegin(), text.rend()))};
  }

 private:
  std::string prefix_;
};

class ThrowingSourceConnector : public kanal::SourceConnector {
 public:
  ThrowingSourceConnector() { throw std::runtime_error("boom from the constructor"); }
  void start(const kanal::Config&) override {}
  std::vector<kanal::Config> task_configs(int32_t) override { return {}; }
  void stop() override {}
};

}  // namespace

KANAL_EXPORT_PLUGIN(
    "good", "1.2.0",
    kanal::source_connector<GoodSourceConnector, GoodSourceTask>(
        "com.example.test.GoodSourceConnector")
        .doc("Emits structs"),
    kanal::sink_connector<GoodSinkConnector, GoodSinkTask>("com.example.test.GoodSinkConnector")
        .task_class("com.example.test.GoodSinkTask"),
    kanal::transformation<UppercaseTransformation>("com.example.test.UppercaseTransformation"),
    kanal::predicate<TopicIsPredicate>("com.example.test.TopicIsPredicate"),
    kanal::converter<ReverseConverter>("com.example.test.ReverseConverter").version("1.2.5"),
    kanal::source_connector<ThrowingSourceConnector, GoodSourceTask>(
        "com.example.test.ThrowingSourceConnector"))
