// StatusTopicStore against a real broker: status records in Kafka Connect's format are served,
// kanal's writes are those exact bytes, safe writes never clobber a newer owner, tombstones
// delete, and a second worker's store serves the same statuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "storage/status_topic_store.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"

namespace kanal::storage {
namespace {

using kanal::testing::broker;
using kanal::testing::consume_all;
using kanal::testing::eventually;
using kanal::testing::is_ok;
using kanal::testing::produce_keyed;
using kanal::testing::unique_test_name;
using runtime::StateInfo;
using runtime::TaskId;
using std::chrono::seconds;

std::string create_status_topic() {
  std::string topic = unique_test_name("status");
  EXPECT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, 3,
                                                 {{"cleanup.policy", "compact"}})));
  return topic;
}

std::unique_ptr<StatusTopicStore> started_store(const std::string& topic) {
  StatusTopicStore::Options options;
  options.topic = topic;
  options.client_settings = {{"bootstrap.servers", broker().bootstrap()}};
  options.start_timeout = seconds(30);
  auto store = std::make_unique<StatusTopicStore>(std::move(options));
  Status started = store->start();
  EXPECT_TRUE(is_ok(started));
  return store;
}

// key -> value of every record, in the order of each partition (keys are unique in these tests
// unless said otherwise), tombstones as "<null>".
std::vector<std::pair<std::string, std::string>> topic_records(const std::string& topic) {
  auto records = consume_all(broker().bootstrap(), topic);
  EXPECT_TRUE(is_ok(records));
  std::vector<std::pair<std::string, std::string>> out;
  if (!records.ok()) return out;
  for (const auto& r : *records) {
    out.emplace_back(r.key.value_or("<null>"), r.value.value_or("<null>"));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

TEST(StatusTopicStoreTest, ServesStatusRecordsWrittenInKafkaConnectFormat) {
  const std::string topic = create_status_topic();
  ASSERT_TRUE(is_ok(produce_keyed(
      broker().bootstrap(), topic,
      {{"status-connector-my-sink",
        R"({"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":7})"},
       {"status-task-my-sink-1",
        R"({"state":"FAILED","trace":"java.lang.RuntimeException: boom\n\tat X","worker_id":"10.0.0.6:8083","generation":7})"},
       {"status-task-my-sink-0",
        R"({"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":6})"},
       {"status-topic-lines:connector-my-sink",
        R"({"topic":{"name":"lines","connector":"my-sink","task":1,"discoverTimestamp":1717171717171}})"},
       {"status-connector-broken", R"({"state":"BOGUS","worker_id":"x","generation":1})"},
       {"status-unknown-thing", "{}"}})));

  auto store = started_store(topic);

  auto c = store->connector("my-sink");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->state, "RUNNING");
  EXPECT_EQ(c->worker_id, "10.0.0.5:8083");
  EXPECT_EQ(c->trace, std::nullopt);
  EXPECT_EQ(store->connector_generation("my-sink"), 7);
  auto tasks = store->tasks("my-sink");
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].first, 0);
  EXPECT_EQ(tasks[1].first, 1);
  EXPECT_EQ(tasks[1].second.state, "FAILED");
  EXPECT_EQ(tasks[1].second.trace, "java.lang.RuntimeException: boom\n\tat X");
  EXPECT_EQ(store->topics("my-sink"), std::vector<std::string>{"lines"});
  EXPECT_EQ(store->topic_status("my-sink", "lines")->task, 1);
  EXPECT_EQ(store->connector("broken"), std::nullopt);
  EXPECT_EQ(store->connectors(), std::vector<std::string>{"my-sink"});
}

TEST(StatusTopicStoreTest, WritesKafkaConnectFormatsByteForByte) {
  const std::string topic = create_status_topic();
  auto store = started_store(topic);
  store->set_generation(7);

  store->put_connector("my-sink",
                       StateInfo{"RUNNING", "10.0.0.5:8083", std::nullopt, std::nullopt});
  store->put_task(TaskId{"my-sink", 0}, StateInfo{"FAILED", "10.0.0.6:8083",
                                                  "java.lang.Exception: \"x\"\n", std::nullopt});
  store->put_topic(TopicStatus{"lines", "my-sink", 0, 1717171717171});
  ASSERT_TRUE(is_ok(store->refresh(seconds(10))));

  EXPECT_EQ(
      topic_records(topic),
      (std::vector<std::pair<std::string, std::string>>{
          {"status-connector-my-sink",
           R"({"state":"RUNNING","trace":null,"worker_id":"10.0.0.5:8083","generation":7})"},
          {"status-task-my-sink-0",
           R"({"state":"FAILED","trace":"java.lang.Exception: \"x\"\n","worker_id":"10.0.0.6:8083","generation":7})"},
          {"status-topic-lines:connector-my-sink",
           R"({"topic":{"name":"lines","connector":"my-sink","task":0,"discoverTimestamp":1717171717171}})"}}));
}

TEST(StatusTopicStoreTest, SkipsSafeWriteWhenAnotherWorkerOwnsANewerGeneration) {
  const std::string topic = create_status_topic();
  ASSERT_TRUE(is_ok(produce_keyed(
      broker().bootstrap(), topic,
      {{"status-task-c-0",
        R"({"state":"RUNNING","trace":null,"worker_id":"new:8083","generation":9})"},
       {"status-task-c-1",
        R"({"state":"RUNNING","trace":null,"worker_id":"old:8083","generation":9})"}})));
  auto store = started_store(topic);
  store->set_generation(7);

  bool sent_other =
      store->put_task_safe(TaskId{"c", 0}, StateInfo{"UNASSIGNED", "old:8083", {}, {}});
  bool sent_own = store->put_task_safe(TaskId{"c", 1}, StateInfo{"UNASSIGNED", "old:8083", {}, {}});
  bool sent_new = store->put_task_safe(TaskId{"c", 2}, StateInfo{"UNASSIGNED", "old:8083", {}, {}});
  ASSERT_TRUE(is_ok(store->refresh(seconds(10))));

  EXPECT_FALSE(sent_other);
  EXPECT_TRUE(sent_own);
  EXPECT_TRUE(sent_new);
  EXPECT_EQ(store->task(TaskId{"c", 0})->worker_id, "new:8083");
  EXPECT_EQ(store->task(TaskId{"c", 1})->state, "UNASSIGNED");
  EXPECT_EQ(store->task(TaskId{"c", 2})->state, "UNASSIGNED");
}

TEST(StatusTopicStoreTest, ForgetsConnectorAndTasksAfterRemoval) {
  const std::string topic = create_status_topic();
  auto store = started_store(topic);
  store->set_generation(1);
  store->put_connector("c", StateInfo{"RUNNING", "w:8083", {}, {}});
  store->put_task(TaskId{"c", 0}, StateInfo{"RUNNING", "w:8083", {}, {}});
  store->put_topic("c", "lines");
  ASSERT_TRUE(is_ok(store->refresh(seconds(10))));

  store->remove_connector("c");
  store->reset_topics("c");
  ASSERT_TRUE(is_ok(store->refresh(seconds(10))));

  EXPECT_EQ(store->connector("c"), std::nullopt);
  EXPECT_TRUE(store->tasks("c").empty());
  EXPECT_TRUE(store->topics("c").empty());
  auto records = consume_all(broker().bootstrap(), topic);
  ASSERT_TRUE(is_ok(records));
  int tombstones = 0;
  for (const auto& r : *records) tombstones += r.value.has_value() ? 0 : 1;
  EXPECT_EQ(tombstones, 3);
}

TEST(StatusTopicStoreTest, ServesTheSameStatusOnEveryWorker) {
  const std::string topic = create_status_topic();
  auto writer = started_store(topic);
  auto reader = started_store(topic);
  writer->set_generation(3);

  writer->put_connector("c", StateInfo{"PAUSED", "w1:8083", {}, {}});

  EXPECT_TRUE(eventually(
      [&] {
        auto s = reader->connector("c");
        return s && s->state == "PAUSED" && s->worker_id == "w1:8083";
      },
      seconds(15)));
  EXPECT_EQ(reader->connector_generation("c"), 3);
  writer->stop();
  auto restarted = started_store(topic);
  EXPECT_EQ(restarted->connector("c")->state, "PAUSED");
}

}  // namespace
}  // namespace kanal::storage
