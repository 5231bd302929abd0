// KafkaBasedLog against a real broker: start() applies what the topic holds, read_to_end() covers
// what others wrote before the call, a missing topic is named, and a stopped log refuses writes.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "storage/kafka_based_log.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/kafka_client.h"

namespace kanal::storage {
namespace {

using kanal::testing::broker;
using kanal::testing::is_ok;
using kanal::testing::produce_keyed;
using kanal::testing::unique_test_name;
using std::chrono::seconds;

// The last value per key the log applied; tombstones as "<null>".
class Recorder {
 public:
  void apply(const LogRecord& r) {
    std::lock_guard lock(mu_);
    last_[r.key.value_or("<null>")] = r.value.value_or("<null>");
  }
  std::map<std::string, std::string> last() const {
    std::lock_guard lock(mu_);
    return last_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> last_;
};

KafkaBasedLog::Options options(const std::string& topic) {
  return {topic, {{"bootstrap.servers", broker().bootstrap()}}, {}, {}};
}

TEST(KafkaBasedLogTest, AppliesEveryRecordOfEveryPartitionBeforeStartReturns) {
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, 4)));
  std::vector<std::pair<std::string, std::string>> records;
  for (int i = 0; i < 40; ++i)
    records.emplace_back("k" + std::to_string(i % 10), std::to_string(i));
  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic, records)));
  Recorder recorder;
  KafkaBasedLog log(options(topic), [&](const LogRecord& r) { recorder.apply(r); });

  ASSERT_TRUE(is_ok(log.start(seconds(30))));

  auto last = recorder.last();
  ASSERT_EQ(last.size(), 10u);
  EXPECT_EQ(last["k0"], "30");
  EXPECT_EQ(last["k9"], "39");
}

TEST(KafkaBasedLogTest, ReadToEndCoversRecordsOthersWroteBeforeTheCall) {
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, 3)));
  Recorder recorder;
  KafkaBasedLog log(options(topic), [&](const LogRecord& r) { recorder.apply(r); });
  ASSERT_TRUE(is_ok(log.start(seconds(30))));
  KafkaBasedLog other(options(topic), [](const LogRecord&) {});
  ASSERT_TRUE(is_ok(other.start(seconds(30))));
  const LogEntry entries[] = {{"a", "1"}, {"b", "2"}, {"a", std::nullopt}};
  ASSERT_TRUE(is_ok(other.send_and_wait(entries, seconds(15))));

  ASSERT_TRUE(is_ok(log.read_to_end(seconds(15))));

  EXPECT_EQ(recorder.last(), (std::map<std::string, std::string>{{"a", "<null>"}, {"b", "2"}}));
}

TEST(KafkaBasedLogTest, StartNamesTheTopicWhenItDoesNotExist) {
  const std::string topic = unique_test_name("absent");
  KafkaBasedLog log(options(topic), [](const LogRecord&) {});

  Status started = log.start(seconds(2));

  EXPECT_EQ(started.code(), Status::Code::kNotFound);
  EXPECT_NE(started.message().find(topic), std::string::npos) << started.message();
}

TEST(KafkaBasedLogTest, RefusesWritesAfterStop) {
  const std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, 1)));
  KafkaBasedLog log(options(topic), [](const LogRecord&) {});
  ASSERT_TRUE(is_ok(log.start(seconds(30))));

  log.stop();

  EXPECT_EQ(log.send("k", "v").code(), Status::Code::kInternal);
  EXPECT_EQ(log.read_to_end(seconds(1)).code(), Status::Code::kInternal);
}

}  // namespace
}  // namespace kanal::storage
