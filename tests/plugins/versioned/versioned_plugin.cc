// Built twice (KANAL_TEST_VERSION 1.0.0 and 2.0.0): one class installed in two versions. Each
// record's value is the version that produced it.
#include <kanal/kanal.hpp>

namespace {

class VersionedConnector : public kanal::SourceConnector {
 public:
  void start(const kanal::Config&) override {}
  std::vector<kanal::Config> task_configs(int32_t) override { return {kanal::Config()}; }
  void stop() override {}
};

class VersionedTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config&) override {}
  void poll(std::vector<kanal::SourceRecord>& out) override {
    out.emplace_back("versions", kanal::Schema::string(), kanal::Value(KANAL_TEST_VERSION));
  }
  void stop() override {}
};

}  // namespace

KANAL_EXPORT_PLUGIN("versioned", KANAL_TEST_VERSION,
                    kanal::source_connector<VersionedConnector, VersionedTask>(
                        "com.example.versioned.VersionedSourceConnector"))
