// ConfigStore against a real broker: records written in Kafka Connect's formats (built by hand
// from spec 3.2, as a Java worker writes them) are read correctly, kanal's own writes are those
// exact bytes, uncommitted task configs stay staged, tombstones delete, and a store started later
// on the same topic (a restarted cluster) sees everything.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "storage/config_store.h"
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
using std::chrono::seconds;

std::string create_config_topic() {
  std::string topic = unique_test_name("configs");
  EXPECT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, 1,
                                                 {{"cleanup.policy", "compact"}})));
  return topic;
}

std::unique_ptr<ConfigStore> started_store(const std::string& topic) {
  ConfigStore::Options options;
  options.topic = topic;
  options.client_settings = {{"bootstrap.servers", broker().bootstrap()}};
  options.start_timeout = seconds(30);
  auto store = std::make_unique<ConfigStore>(std::move(options));
  Status started = store->start();
  EXPECT_TRUE(is_ok(started));
  return store;
}

// Key/value pairs of the topic, tombstones as "<null>".
std::vector<std::pair<std::string, std::string>> topic_records(const std::string& topic) {
  auto records = consume_all(broker().bootstrap(), topic);
  EXPECT_TRUE(is_ok(records));
  std::vector<std::pair<std::string, std::string>> out;
  if (!records.ok()) return out;
  for (const auto& r : *records) {
    out.emplace_back(r.key.value_or("<null>"), r.value.value_or("<null>"));
  }
  return out;
}

class RecordingListener : public ConfigStore::Listener {
 public:
  void on_connector_config_update(const std::string& c) override { add("config-update " + c); }
  void on_connector_config_remove(const std::string& c) override { add("config-remove " + c); }
  void on_task_configs_commit(const std::string& c, int32_t n) override {
    add("tasks-commit " + c + " " + std::to_string(n));
  }
  void on_target_state_change(const std::string& c) override { add("target-state " + c); }
  void on_restart_request(const RestartRequest& r) override {
    add("restart " + r.connector + (r.include_tasks ? " tasks" : "") +
        (r.only_failed ? " failed" : ""));
  }
  void on_logger_level(const std::string& ns, const std::string& level) override {
    add("logger " + ns + " " + level);
  }
  void on_session_key_update(const SessionKey& k) override { add("session-key " + k.algorithm); }

  std::vector<std::string> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }
  bool saw(const std::string& event) const {
    auto e = events();
    return std::find(e.begin(), e.end(), event) != e.end();
  }

 private:
  void add(std::string e) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(e));
  }
  mutable std::mutex mu_;
  std::vector<std::string> events_;
};

TEST(ConfigStoreTest, ReadsRecordsWrittenInKafkaConnectFormats) {
  const std::string topic = create_config_topic();
  ASSERT_TRUE(is_ok(produce_keyed(
      broker().bootstrap(), topic,
      {{"connector-my-sink",
        R"({"properties":{"connector.class":"FileStreamSink","topics":"lines","name":"my-sink"}})"},
       {"task-my-sink-0", R"({"properties":{"task.class":"FileStreamSinkTask","topics":"lines"}})"},
       {"task-my-sink-1", R"({"properties":{"task.class":"FileStreamSinkTask","topics":"more"}})"},
       {"commit-my-sink", R"({"tasks":2})"},
       {"target-state-my-sink", R"({"state":"PAUSED","state.v2":"STOPPED"})"},
       {"connector-legacy", R"({"properties":{"connector.class":"FileStreamSource"}})"},
       {"target-state-legacy", R"({"state":"PAUSED"})"},
       {"connector-plain", R"({"properties":{"connector.class":"FileStreamSource"}})"},
       {"session-key",
        R"({"key":"q2VzZXNzaW9uLWtleQ==","algorithm":"HmacSHA256","creation-timestamp":1717171717171})"},
       {"restart-connector-my-sink", R"({"include-tasks":true,"only-failed":false})"},
       {"logger-cluster-org.apache.kafka", R"({"level":"DEBUG"})"},
       {"some-future-record", R"({"x":1})"},
       {"connector-broken", "not json"}})));

  auto store = started_store(topic);

  ConfigSnapshot s = store->snapshot();
  EXPECT_EQ(s.connectors(), (std::vector<std::string>{"legacy", "my-sink", "plain"}));
  EXPECT_EQ(s.connector_configs["my-sink"],
            (config::ConfigMap{
                {"connector.class", "FileStreamSink"}, {"topics", "lines"}, {"name", "my-sink"}}));
  ASSERT_EQ(s.task_count("my-sink"), 2);
  EXPECT_EQ(s.task_configs["my-sink"][0],
            (config::ConfigMap{{"task.class", "FileStreamSinkTask"}, {"topics", "lines"}}));
  EXPECT_EQ(s.task_configs["my-sink"][1].at("topics"), "more");
  EXPECT_EQ(s.target_state("my-sink"), TargetState::kStopped);
  EXPECT_EQ(s.target_state("legacy"), TargetState::kPaused);
  EXPECT_EQ(s.target_state("plain"), TargetState::kStarted);
  EXPECT_TRUE(s.inconsistent.empty());
  ASSERT_TRUE(s.session_key.has_value());
  EXPECT_EQ(s.session_key->key_base64, "q2VzZXNzaW9uLWtleQ==");
  EXPECT_EQ(s.session_key->creation_timestamp_ms, 1717171717171);
  EXPECT_EQ(s.offset, 13);
}

TEST(ConfigStoreTest, WritesKafkaConnectFormatsByteForByte) {
  const std::string topic = create_config_topic();
  auto store = started_store(topic);

  ASSERT_TRUE(is_ok(store->put_connector_config(
      "my-sink", {{"connector.class", "FileStreamSink"}, {"name", "my-sink"}, {"topics", "lines"}},
      TargetState::kStopped)));
  ASSERT_TRUE(is_ok(store->put_task_configs(
      "my-sink", {{{"task.class", "FileStreamSinkTask"}, {"topics", "lines"}},
                  {{"task.class", "FileStreamSinkTask"}, {"topics", "more"}}})));
  ASSERT_TRUE(is_ok(store->put_target_state("my-sink", TargetState::kPaused)));
  ASSERT_TRUE(is_ok(store->put_target_state("my-sink", TargetState::kStarted)));
  ASSERT_TRUE(is_ok(store->put_restart_request({"my-sink", true, false})));
  ASSERT_TRUE(is_ok(store->put_logger_level("org.apache.kafka", "DEBUG")));
  ASSERT_TRUE(is_ok(store->put_session_key({"q2VzZXNzaW9uLWtleQ==", "HmacSHA256", 1717171717171})));
  ASSERT_TRUE(is_ok(store->remove_connector_config("my-sink")));

  EXPECT_EQ(
      topic_records(topic),
      (std::vector<std::pair<std::string, std::string>>{
          {"target-state-my-sink", R"({"state":"PAUSED","state.v2":"STOPPED"})"},
          {"connector-my-sink",
           R"({"properties":{"connector.class":"FileStreamSink","name":"my-sink","topics":"lines"}})"},
          {"task-my-sink-0",
           R"({"properties":{"task.class":"FileStreamSinkTask","topics":"lines"}})"},
          {"task-my-sink-1",
           R"({"properties":{"task.class":"FileStreamSinkTask","topics":"more"}})"},
          {"commit-my-sink", R"({"tasks":2})"},
          {"target-state-my-sink", R"({"state":"PAUSED","state.v2":"PAUSED"})"},
          {"target-state-my-sink", R"({"state":"STARTED","state.v2":"STARTED"})"},
          {"restart-connector-my-sink", R"({"include-tasks":true,"only-failed":false})"},
          {"logger-cluster-org.apache.kafka", R"({"level":"DEBUG"})"},
          {"session-key",
           R"({"key":"q2VzZXNzaW9uLWtleQ==","algorithm":"HmacSHA256","creation-timestamp":1717171717171})"},
          {"connector-my-sink", "<null>"},
          {"target-state-my-sink", "<null>"}}));
}

TEST(ConfigStoreTest, ShowsItsOwnWritesAsSoonAsTheyReturn) {
  const std::string topic = create_config_topic();
  auto store = started_store(topic);

  ASSERT_TRUE(is_ok(store->put_connector_config("c", {{"connector.class", "X"}})));
  ASSERT_TRUE(is_ok(store->put_task_configs("c", {{{"task.class", "T"}}})));
  ASSERT_TRUE(is_ok(store->put_target_state("c", TargetState::kPaused)));

  ConfigSnapshot s = store->snapshot();
  EXPECT_EQ(s.connector_configs["c"], (config::ConfigMap{{"connector.class", "X"}}));
  EXPECT_EQ(s.task_count("c"), 1);
  EXPECT_EQ(s.target_state("c"), TargetState::kPaused);
}

TEST(ConfigStoreTest, KeepsTaskConfigsStagedUntilTheirCommitRecord) {
  const std::string topic = create_config_topic();
  auto store = started_store(topic);
  RecordingListener listener;
  store->set_listener(&listener);
  ASSERT_TRUE(is_ok(store->put_connector_config("my-conn", {{"connector.class", "X"}})));
  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic,
                                  {{"task-my-conn-0", R"({"properties":{"k":"v0"}})"},
                                   {"task-my-conn-1", R"({"properties":{"k":"v1"}})"}})));

  ASSERT_TRUE(is_ok(store->refresh(seconds(10))));

  EXPECT_EQ(store->snapshot().task_count("my-conn"), 0);
  EXPECT_FALSE(listener.saw("tasks-commit my-conn 2"));

  ASSERT_TRUE(
      is_ok(produce_keyed(broker().bootstrap(), topic, {{"commit-my-conn", R"({"tasks":2})"}})));
  ASSERT_TRUE(is_ok(store->refresh(seconds(10))));

  ConfigSnapshot s = store->snapshot();
  ASSERT_EQ(s.task_count("my-conn"), 2);
  EXPECT_EQ(s.task_configs["my-conn"][1], (config::ConfigMap{{"k", "v1"}}));
  EXPECT_TRUE(eventually([&] { return listener.saw("tasks-commit my-conn 2"); }, seconds(10)));
  store->set_listener(nullptr);
}

TEST(ConfigStoreTest, MarksConnectorInconsistentWhenCommitNamesUnwrittenTasks) {
  const std::string topic = create_config_topic();
  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic,
                                  {{"connector-c", R"({"properties":{"connector.class":"X"}})"},
                                   {"task-c-0", R"({"properties":{"k":"v0"}})"},
                                   {"commit-c", R"({"tasks":3})"}})));

  auto store = started_store(topic);

  ConfigSnapshot s = store->snapshot();
  EXPECT_EQ(s.task_count("c"), 0);
  EXPECT_EQ(s.inconsistent, (std::set<std::string>{"c"}));
}

TEST(ConfigStoreTest, NotifiesListenerOfChangesMadeByOtherWorkers) {
  const std::string topic = create_config_topic();
  auto store = started_store(topic);
  RecordingListener listener;
  store->set_listener(&listener);

  ASSERT_TRUE(
      is_ok(produce_keyed(broker().bootstrap(), topic,
                          {{"connector-c", R"({"properties":{"connector.class":"X"}})"},
                           {"target-state-c", R"({"state":"PAUSED","state.v2":"PAUSED"})"},
                           {"restart-connector-c", R"({"include-tasks":"yes","only-failed":true})"},
                           {"logger-cluster-kanal", R"({"level":"WARN"})"}})));

  EXPECT_TRUE(eventually(
      [&] {
        return listener.events() == std::vector<std::string>{"config-update c", "target-state c",
                                                             "restart c failed",
                                                             "logger kanal WARN"};
      },
      seconds(15), [&] { return ::testing::PrintToString(listener.events()); }));
  store->set_listener(nullptr);
}

TEST(ConfigStoreTest, ForgetsConnectorAfterTombstone) {
  const std::string topic = create_config_topic();
  auto store = started_store(topic);
  ASSERT_TRUE(
      is_ok(store->put_connector_config("c", {{"connector.class", "X"}}, TargetState::kPaused)));
  ASSERT_TRUE(is_ok(store->put_task_configs("c", {{{"task.class", "T"}}})));

  ASSERT_TRUE(is_ok(store->remove_connector_config("c")));

  ConfigSnapshot s = store->snapshot();
  EXPECT_FALSE(s.contains("c"));
  EXPECT_EQ(s.task_count("c"), 0);
  EXPECT_EQ(s.target_states.count("c"), 0u);
  EXPECT_FALSE(started_store(topic)->snapshot().contains("c"));
}

TEST(ConfigStoreTest, RestoresConfigsAndTargetStatesAfterClusterRestart) {
  const std::string topic = create_config_topic();
  {
    auto first = started_store(topic);
    ASSERT_TRUE(is_ok(first->put_connector_config("paused-one", {{"connector.class", "X"}})));
    ASSERT_TRUE(is_ok(first->put_task_configs("paused-one", {{{"t", "0"}}, {{"t", "1"}}})));
    ASSERT_TRUE(is_ok(first->put_target_state("paused-one", TargetState::kPaused)));
    ASSERT_TRUE(is_ok(first->put_connector_config("stopped-one", {{"connector.class", "Y"}},
                                                  TargetState::kStopped)));
    ASSERT_TRUE(is_ok(first->put_task_configs("stopped-one", {})));
    first->stop();
  }

  auto second = started_store(topic);

  ConfigSnapshot s = second->snapshot();
  EXPECT_EQ(s.connectors(), (std::vector<std::string>{"paused-one", "stopped-one"}));
  EXPECT_EQ(s.target_state("paused-one"), TargetState::kPaused);
  EXPECT_EQ(s.target_state("stopped-one"), TargetState::kStopped);
  ASSERT_EQ(s.task_count("paused-one"), 2);
  EXPECT_EQ(s.task_configs["paused-one"][1], (config::ConfigMap{{"t", "1"}}));
  EXPECT_EQ(s.task_configs.count("stopped-one"), 1u);
  EXPECT_EQ(s.task_count("stopped-one"), 0);
}

TEST(ConfigStoreTest, RefusesConfigTopicWithSeveralPartitions) {
  const std::string topic = unique_test_name("configs");
  ASSERT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, 2,
                                                 {{"cleanup.policy", "compact"}})));
  ConfigStore store({topic, {{"bootstrap.servers", broker().bootstrap()}}, seconds(30)});

  Status started = store.start();

  EXPECT_EQ(started.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(started.message().find("single partition"), std::string::npos) << started.message();
}

}  // namespace
}  // namespace kanal::storage
