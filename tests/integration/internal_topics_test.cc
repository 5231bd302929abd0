// Internal topics against a real broker: created compacted with the configured partitions, and
// a non-compacted or multi-partition existing topic refused with a message naming it.
#include "storage/internal_topics.h"

#include <gtest/gtest.h>

#include "config/worker_config.h"
#include "kafka/client.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/kafka_client.h"

namespace kanal::storage {
namespace {

using kanal::testing::broker;
using kanal::testing::is_ok;
using kanal::testing::unique_test_name;

config::WorkerConfig worker_config(const std::string& prefix) {
  config::ConfigMap props{{"bootstrap.servers", broker().bootstrap()},
                          {"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
                          {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
                          {"group.id", prefix + "-cluster"},
                          {"config.storage.topic", prefix + "-configs"},
                          {"offset.storage.topic", prefix + "-offsets"},
                          {"status.storage.topic", prefix + "-status"},
                          {"config.storage.replication.factor", "1"},
                          {"offset.storage.replication.factor", "1"},
                          {"status.storage.replication.factor", "1"},
                          {"offset.storage.partitions", "4"},
                          {"status.storage.partitions", "2"},
                          {"offset.storage.min.insync.replicas", "1"}};
  auto c = config::WorkerConfig::create(props, config::WorkerMode::kDistributed);
  EXPECT_TRUE(c.ok()) << c.status().message();
  return std::move(c).value();
}

kafka::Admin admin(const config::WorkerConfig& c) {
  auto a = kafka::Admin::create(c.internal_client_config());
  EXPECT_TRUE(a.ok()) << a.status().message();
  return std::move(a).value();
}

TEST(InternalTopicsTest, CreatesCompactedTopicsWithConfiguredPartitionsWhenAbsent) {
  std::string prefix = unique_test_name();
  config::WorkerConfig c = worker_config(prefix);
  kafka::Admin a = admin(c);

  Status s = ensure_internal_topics(c, a);

  ASSERT_TRUE(is_ok(s));
  for (const std::string suffix : {"-configs", "-offsets", "-status"}) {
    auto configs = kanal::testing::describe_topic_configs(broker().bootstrap(), prefix + suffix);
    ASSERT_TRUE(is_ok(configs)) << suffix;
    EXPECT_EQ(configs->at("cleanup.policy"), "compact") << suffix;
  }
  EXPECT_EQ(*a.partition_count(prefix + "-configs", std::chrono::seconds(10)), 1);
  EXPECT_EQ(*a.partition_count(prefix + "-offsets", std::chrono::seconds(10)), 4);
  EXPECT_EQ(*a.partition_count(prefix + "-status", std::chrono::seconds(10)), 2);
  auto offsets_configs =
      kanal::testing::describe_topic_configs(broker().bootstrap(), prefix + "-offsets");
  EXPECT_EQ(offsets_configs->at("min.insync.replicas"), "1");
}

TEST(InternalTopicsTest, AcceptsExistingCompactedTopicsWhenStartedTwice) {
  std::string prefix = unique_test_name();
  config::WorkerConfig c = worker_config(prefix);
  kafka::Admin a = admin(c);
  ASSERT_TRUE(is_ok(ensure_internal_topics(c, a)));

  Status again = ensure_internal_topics(c, a);

  EXPECT_TRUE(is_ok(again));
}

TEST(InternalTopicsTest, RefusesExistingTopicWhenItIsNotCompacted) {
  std::string prefix = unique_test_name();
  config::WorkerConfig c = worker_config(prefix);
  ASSERT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), prefix + "-status", 1,
                                                 {{"cleanup.policy", "delete"}})));
  kafka::Admin a = admin(c);

  Status s = ensure_internal_topics(c, a);

  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("'" + prefix + "-status'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("status.storage.topic"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("cleanup.policy=compact"), std::string::npos) << s.message();
}

TEST(InternalTopicsTest, RefusesConfigTopicWhenItHasSeveralPartitions) {
  std::string prefix = unique_test_name();
  config::WorkerConfig c = worker_config(prefix);
  ASSERT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), prefix + "-configs", 3,
                                                 {{"cleanup.policy", "compact"}})));
  kafka::Admin a = admin(c);

  Status s = ensure_internal_topics(c, a);

  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("single partition"), std::string::npos) << s.message();
}

TEST(InternalTopicsTest, ReportsClusterIdOfRealBroker) {
  config::WorkerConfig c = worker_config(unique_test_name());
  kafka::Admin a = admin(c);

  auto id = a.cluster_id(std::chrono::seconds(10));

  ASSERT_TRUE(is_ok(id));
  EXPECT_EQ(*id, broker().cluster_id());
}

}  // namespace
}  // namespace kanal::storage
