// Built twice (KANAL_TEST_VERSION 1.0.0 and 2.0.0): the same classes installed in two versions
// side by side (KIP-891). Every component shows which version ran:
//   VersionedSourceConnector  three records whose value is the version ("1.0.0"), sent to
//                             `topic` (default "versions")
//   VersionTagTransformation  appends "+t<version>" to a string value
//   VersionedPredicate        matches every record in 2.x, none in 1.x
//   VersionedConverter        writes a string value as "c<version>|<value>" and reads it back
#include <chrono>
#include <kanal/kanal.hpp>
#include <string>
#include <string_view>
#include <thread>

namespace {

constexpr std::string_view kVersion = KANAL_TEST_VERSION;

class VersionedConnector : public kanal::SourceConnector {
 public:
  void start(const kanal::Config& config) override { config_ = config; }
  std::vector<kanal::Config> task_configs(int32_t) override { return {config_}; }
  void stop() override {}

 private:
  kanal::Config config_;
};

class VersionedTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config& config) override {
    topic_ = config.get("topic");
    if (topic_.empty()) topic_ = "versions";
  }
  // Three records, then nothing (a short pause per empty poll keeps an idle task cheap).
  void poll(std::vector<kanal::SourceRecord>& out) override {
    if (sent_ == 3) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;
    }
    ++sent_;
    out.emplace_back(topic_, kanal::Schema::string(), kanal::Value(KANAL_TEST_VERSION));
  }
  void stop() override {}

 private:
  std::string topic_;
  int sent_ = 0;
};

class VersionTagTransformation : public kanal::Transformation {
 public:
  void apply(const kanal::Record& record, kanal::RecordUpdate& update) override {
    if (record.value().type() != kanal::Type::kString) return;
    std::string text(record.value().as_string());
    update.set_value(kanal::Schema::string(), kanal::Value(text + "+t" + std::string(kVersion)));
  }
};

class VersionedPredicate : public kanal::Predicate {
 public:
  bool test(const kanal::Record&) override { return kVersion.front() == '2'; }
};

class VersionedConverter : public kanal::Converter {
 public:
  void configure(const kanal::Config&, bool) override {}
  bool from_connect(std::string_view, const kanal::Schema&, kanal::ValueView value,
                    std::string& out) override {
    if (value.is_null()) return false;
    out = "c" + std::string(kVersion) + "|" + std::string(value.as_string());
    return true;
  }
  kanal::SchemaAndValue to_connect(std::string_view,
                                   std::optional<std::string_view> data) override {
    if (!data) return {kanal::Schema::optional_string(), kanal::Value()};
    std::string_view text = *data;
    size_t bar = text.find('|');
    if (bar != std::string_view::npos) text.remove_prefix(bar + 1);
    return {kanal::Schema::optional_string(), kanal::Value(std::string(text))};
  }
};

}  // namespace

KANAL_EXPORT_PLUGIN(
    "versioned", KANAL_TEST_VERSION,
    kanal::source_connector<VersionedConnector, VersionedTask>(
        "com.example.versioned.VersionedSourceConnector"),
    kanal::transformation<VersionTagTransformation>(
        "com.example.versioned.VersionTagTransformation"),
    kanal::predicate<VersionedPredicate>("com.example.versioned.VersionedPredicate"),
    kanal::converter<VersionedConverter>("com.example.versioned.VersionedConverter"))
