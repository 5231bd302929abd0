// A source whose records carry the version string of the bundled clash library it calls.
#include <kanal/kanal.hpp>

extern "C" const char* kanal_test_clash_version(void);

namespace {

class ClashConnector : public kanal::SourceConnector {
 public:
  void start(const kanal::Config&) override {}
  std::vector<kanal::Config> task_configs(int32_t) override { return {kanal::Config()}; }
  void stop() override {}
};

class ClashTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config&) override {}
  void poll(std::vector<kanal::SourceRecord>& out) override {
    out.emplace_back("clash", kanal::Schema::string(), kanal::Value(kanal_test_clash_version()));
  }
  void stop() override {}
};

}  // namespace

KANAL_EXPORT_PLUGIN("clash", "1.0.0",
                    kanal::source_connector<ClashConnector, ClashTask>(KANAL_TEST_CLASH_CLASS))
