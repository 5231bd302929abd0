// KIP-891 version selection in a running worker: the "versioned" test plugin installed as 1.0.0
// and 2.0.0 side by side on plugin.path (tests/plugins/versioned/), whose source, transformation
// and converter each write their version into the record. The bytes in Kafka show which version
// of each component ran.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

const std::string kPlugins = KANAL_TEST_PLUGIN_DIR;

Props versioned_source(const std::string& name, const std::string& topic) {
  return {{"name", name},
          {"connector.class", "com.example.versioned.VersionedSourceConnector"},
          {"topic", topic},
          {"value.converter", "com.example.versioned.VersionedConverter"},
          {"transforms", "tag"},
          {"transforms.tag.type", "com.example.versioned.VersionTagTransformation"}};
}

// The three values the connector wrote to `topic`, once they are there.
std::vector<std::string> three_values(const KanalWorker& worker, const std::string& topic) {
  std::vector<std::string> values;
  EXPECT_TRUE(eventually(
      [&] {
        auto v = consume_values(broker().bootstrap(), topic, 5s);
        if (v.ok()) values = *v;
        return values.size() >= 3;
      },
      60s, [&] { return worker.log_tail(); }));
  return values;
}

TEST(PluginVersionsPipelineTest, RunsTheConnectorConverterAndTransformVersionsItAsksFor) {
  TempDir dir;
  std::string pinned_topic = unique_test_name("pinned");
  std::string newest_topic = unique_test_name("newest");
  Props pinned = versioned_source("pinned", pinned_topic);
  pinned["connector.plugin.version"] = "1.0.0";
  pinned["value.converter.plugin.version"] = "[1.0,2.0)";
  pinned["transforms.tag.plugin.version"] = "2.0.0";
  Props newest = versioned_source("newest", newest_topic);
  KanalWorker worker(
      {.dir = dir.path(),
       .worker = {{"plugin.path", kPlugins + "/versioned-1," + kPlugins + "/versioned-2"}},
       .connectors = {pinned, newest}});

  ASSERT_TRUE(is_ok(worker.start()));

  EXPECT_EQ(three_values(worker, pinned_topic), std::vector<std::string>(3, "c1.0.0|1.0.0+t2.0.0"));
  EXPECT_EQ(three_values(worker, newest_topic), std::vector<std::string>(3, "c2.0.0|2.0.0+t2.0.0"));
}

}  // namespace
}  // namespace kanal::testing
