// The harness's promise to every integration test: a real Apache Kafka broker, reachable over
// loopback, that keeps its data across stop/start and never outlives the test binary.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using std::chrono::seconds;

// The value of `key` in a Java properties file, or "" when absent.
std::string property(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return "";
}

// True while `pid` is a live (not zombie) process whose command line mentions kafka.Kafka.
bool is_live_kafka_jvm(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string stat_line;
  if (!std::getline(stat, stat_line)) return false;
  const size_t paren = stat_line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat_line.size()) return false;
  if (stat_line[paren + 2] == 'Z') return false;
  Result<std::string> cmdline = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  return cmdline.ok() && cmdline->find("kafka.Kafka") != std::string::npos;
}

TEST(BrokerHarnessTest, ReportsTheClusterIdItWasFormattedWith) {
  Result<std::string> meta = read_file(broker().data_dir() / "meta.properties");
  ASSERT_TRUE(is_ok(meta));

  Result<std::string> reported = fetch_cluster_id(broker().bootstrap());

  ASSERT_TRUE(is_ok(reported));
  EXPECT_FALSE(reported->empty());
  EXPECT_EQ(*reported, broker().cluster_id());
  EXPECT_EQ(*reported, property(*meta, "cluster.id"));
}

TEST(BrokerHarnessTest, ReturnsTopicConfigsThroughTheAdminApiWhenTopicWasCreatedWithThem) {
  const std::string topic = unique_test_name();

  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic, 3,
                                 {{"cleanup.policy", "compact"}, {"retention.ms", "123456"}})));
  Result<std::map<std::string, std::string>> configs =
      describe_topic_configs(broker().bootstrap(), topic);

  ASSERT_TRUE(is_ok(configs));
  EXPECT_EQ(configs->at("cleanup.policy"), "compact");
  EXPECT_EQ(configs->at("retention.ms"), "123456");
  EXPECT_EQ(configs->at("min.insync.replicas"), "1");  // a broker default, not set by us
}

TEST(BrokerHarnessTest, ConsumesRecordsInTheOrderTheyWereProduced) {
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));

  ASSERT_TRUE(is_ok(produce_n(broker().bootstrap(), topic, 100)));
  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic, {{"the-key", "keyed"}})));
  Result<std::vector<ConsumedRecord>> records = consume_all(broker().bootstrap(), topic);

  ASSERT_TRUE(is_ok(records));
  ASSERT_EQ(records->size(), 101u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ((*records)[i].value, "message-" + std::to_string(i));
    EXPECT_EQ((*records)[i].offset, i);
    EXPECT_EQ((*records)[i].key, std::nullopt);
  }
  EXPECT_EQ(records->back().key, "the-key");
  EXPECT_EQ(records->back().value, "keyed");
}

TEST(BrokerHarnessTest, ReturnsNotFoundWhenConsumingATopicThatDoesNotExist) {
  Result<std::vector<ConsumedRecord>> records =
      consume_all(broker().bootstrap(), unique_test_name("missing"));

  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), Status::Code::kNotFound) << records.status().to_string();
}

TEST(BrokerHarnessTest, KeepsRecordsWhenStoppedAndRestarted) {
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  ASSERT_TRUE(is_ok(produce(broker().bootstrap(), topic, {"before-1", "before-2"})));
  const std::string bootstrap = broker().bootstrap();

  ASSERT_TRUE(is_ok(broker().stop()));
  ASSERT_FALSE(broker().running());
  ASSERT_TRUE(is_ok(broker().start()));
  ASSERT_TRUE(is_ok(produce(broker().bootstrap(), topic, {"after"})));

  EXPECT_EQ(broker().bootstrap(), bootstrap);
  Result<std::vector<std::string>> values = consume_values(broker().bootstrap(), topic);
  ASSERT_TRUE(is_ok(values));
  EXPECT_EQ(*values, (std::vector<std::string>{"before-1", "before-2", "after"}));
}

TEST(BrokerHarnessTest, RecoversRecordsWhenKilledAndStartedAgain) {
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(create_topic(broker().bootstrap(), topic)));
  ASSERT_TRUE(is_ok(produce_n(broker().bootstrap(), topic, 3)));

  broker().kill9();
  ASSERT_TRUE(is_ok(broker().start()));

  Result<std::vector<std::string>> values = consume_values(broker().bootstrap(), topic);
  ASSERT_TRUE(is_ok(values));
  EXPECT_EQ(*values, (std::vector<std::string>{"message-0", "message-1", "message-2"}));
}

TEST(BrokerHarnessTest, LeavesNoJvmBehindWhenTheProcessThatStartedItIsKilled) {
  TempDir dir("kanal-orphan-test");
  Result<Process> holder = Process::spawn({.program = KANAL_TEST_BROKER_BINARY,
                                           .args = {"--exit-after-seconds", "300"},
                                           .log_file = dir / "holder.log"});
  ASSERT_TRUE(is_ok(holder));
  std::smatch ready;
  std::string log;
  ASSERT_TRUE(eventually(
      [&] {
        Result<std::string> content = read_file(dir / "holder.log");
        log = content.ok() ? *content : content.status().to_string();
        static const std::regex kReady("ready bootstrap=\\S+ pid=(\\d+) dir=(\\S+)");
        return std::regex_search(log, ready, kReady);
      },
      seconds(90), [&] { return "holder log:\n" + log; }));
  const pid_t jvm = static_cast<pid_t>(std::stol(ready[1]));
  const std::filesystem::path jvm_dir = ready[2].str();
  ASSERT_TRUE(is_live_kafka_jvm(jvm));

  holder->kill9();

  EXPECT_TRUE(eventually([&] { return !is_live_kafka_jvm(jvm); }, seconds(10),
                         [&] { return "JVM pid " + std::to_string(jvm) + " still runs"; }));
  // The holder could not clean up after itself.
  std::filesystem::remove_all(jvm_dir);
}

}  // namespace
}  // namespace kanal::testing
