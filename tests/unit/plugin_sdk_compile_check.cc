// Compile-only: the whole C++ SDK, built as C++17 and as C++20 with -Wpedantic -Werror
// (targets kanal_sdk_cxx17_check / kanal_sdk_cxx20_check). A plugin's typical uses, so template
// code is instantiated too.
#include <kanal/kanal.hpp>

namespace {

class CheckSource : public kanal::SourceConnector {
 public:
  void start(const kanal::Config&) override {}
  std::vector<kanal::Config> task_configs(int32_t) override { return {}; }
  void stop() override {}
};
class CheckSourceTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config&) override {}
  void poll(std::vector<kanal::SourceRecord>&) override {}
  void stop() override {}
};
class CheckSink : public kanal::SinkConnector {
 public:
  void start(const kanal::Config&) override {}
  std::vector<kanal::Config> task_configs(int32_t) override { return {}; }
  void stop() override {}
};
class CheckSinkTask : public kanal::SinkTask {
 public:
  void start(const kanal::Config&) override {}
  void put(const kanal::SinkRecords&) override {}
  void stop() override {}
};
class CheckConverter : public kanal::Converter {
 public:
  bool from_connect(std::string_view, const kanal::Schema&, kanal::ValueView,
                    std::string&) override {
    return false;
  }
  kanal::SchemaAndValue to_connect(std::string_view, std::optional<std::string_view>) override {
    return {};
  }
};

}  // namespace

KANAL_EXPORT_PLUGIN("check", "0.0.1",
                    kanal::source_connector<CheckSource, CheckSourceTask>("x.CheckSource"),
                    kanal::sink_connector<CheckSink, CheckSinkTask>("x.CheckSink"),
                    kanal::converter<CheckConverter>("x.CheckConverter").alias("Check"))
