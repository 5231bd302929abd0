// SourceTaskRunner against librdkafka's mock cluster: retriable poll errors are retried, not
// fatal; offsets reach the store only for acknowledged records; a non-retriable error fails the
// task with its message.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "config/worker_config.h"
#include "kafka/client.h"
#include "runtime/source_task_runner.h"
#include "runtime/status.h"
#include "storage/offset_codec.h"
#include "support/eventually.h"

namespace kanal::runtime {
namespace {

using namespace std::chrono_literals;

class MemoryOffsets : public storage::OffsetBackingStore {
 public:
  Status start() override { return Status::OK(); }
  void stop() override {}
  Result<std::map<std::string, std::optional<std::string>>> get(
      std::span<const std::string> keys) override {
    std::lock_guard lock(mu_);
    std::map<std::string, std::optional<std::string>> out;
    for (const auto& k : keys) {
      auto it = data_.find(k);
      out[k] = it == data_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    return out;
  }
  Status set(std::span<const storage::OffsetEntry> entries) override {
    std::lock_guard lock(mu_);
    for (const auto& e : entries) {
      if (e.value)
        data_[e.key] = *e.value;
      else
        data_.erase(e.key);
    }
    return Status::OK();
  }
  Result<std::vector<storage::StoredOffset>> list(std::string_view) override {
    return std::vector<storage::StoredOffset>{};
  }
  std::map<std::string, std::string> snapshot() {
    std::lock_guard lock(mu_);
    return data_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> data_;
};

// Polls: `retriable_failures` retriable errors, then records 0..count-1, then (optionally) a
// fatal error, then nothing.
class FakeSourceTask : public SourceTask {
 public:
  FakeSourceTask(int retriable_failures, int count, bool fatal_after)
      : retriable_(retriable_failures), count_(count), fatal_after_(fatal_after) {}
  std::string version() const override { return "test"; }
  Status start(const ConfigMap&, OffsetReader&) override { return Status::OK(); }
  Status poll(std::vector<data::SourceRecord>& out) override {
    if (retriable_ > 0) {
      --retriable_;
      return Status::unavailable("database briefly away");
    }
    if (next_ < count_) {
      for (; next_ < count_; ++next_) {
        data::SourceRecord r;
        r.topic = topics_.empty() ? "t" : topics_[next_ % topics_.size()];
        r.value_schema = data::schemas::string();
        r.value = data::Value::string("v" + std::to_string(next_));
        r.source_partition.set("p", data::Value::string("x"));
        r.source_offset.set("n", data::Value::int64(next_));
        out.push_back(std::move(r));
      }
      return Status::OK();
    }
    if (fatal_after_) return Status::internal("disk on fire");
    std::this_thread::sleep_for(10ms);
    return Status::OK();
  }
  void stop() override {}
  Status commit_record(const data::SourceRecord& r,
                       const std::optional<RecordMetadata>& md) override {
    std::lock_guard lock(mu_);
    committed_.push_back(r.value.as_string() + "@" + (md ? std::to_string(md->offset) : "-"));
    if (md) landed_.push_back(r.value.as_string() + "@" + md->topic);
    source_offsets_.push_back(storage::offset_map_to_json(r.source_offset));
    return Status::OK();
  }
  bool wants_commit_record() const override { return wants_commit_record_; }

  bool wants_commit_record_ = true;
  std::vector<std::string> topics_;  // record i goes to topics_[i % size]; "t" if empty
  std::vector<std::string> committed() {
    std::lock_guard lock(mu_);
    return committed_;
  }
  std::vector<std::string> source_offsets() {  // the record's source offset, per commit_record
    std::lock_guard lock(mu_);
    return source_offsets_;
  }
  std::vector<std::string> landed() {  // "value@topic" per acknowledged record
    std::lock_guard lock(mu_);
    return landed_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> committed_;
  std::vector<std::string> landed_;
  std::vector<std::string> source_offsets_;
  int retriable_;
  int count_;
  bool fatal_after_;
  int next_ = 0;
};

class SourceRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = kafka::EmbeddedCluster::start();
    ASSERT_TRUE(c.ok()) << c.status().message();
    cluster_ = std::move(c).value();
    ASSERT_TRUE(cluster_->create_topic("t", 1).ok());
    ASSERT_TRUE(cluster_->create_topic("u", 1).ok());
    auto wc = config::WorkerConfig::create(
        {{"bootstrap.servers", cluster_->bootstrap()},
         {"key.converter", "org.apache.kafka.connect.storage.StringConverter"},
         {"value.converter", "org.apache.kafka.connect.storage.StringConverter"},
         {"offset.storage.file.filename", "/unused"}},
        config::WorkerMode::kStandalone);
    ASSERT_TRUE(wc.ok());
    worker_config_ = std::make_unique<config::WorkerConfig>(std::move(wc).value());
  }

  std::unique_ptr<SourceTaskRunner> runner(std::unique_ptr<SourceTask> task) {
    SourceTaskSetup s;
    s.id = {"conn", 0};
    s.connector_config = {{"name", "conn"}};
    s.producer_settings = {{"bootstrap.servers", cluster_->bootstrap()},
                           {"acks", "all"},
                           {"enable.idempotence", "true"}};
    s.offset_flush_interval_ms = 50;
    s.task = std::move(task);
    auto conv = TaskConverters::create(registry_, *worker_config_, s.connector_config);
    EXPECT_TRUE(conv.ok()) << conv.status().message();
    s.converters = std::move(conv).value();
    s.offsets = &offsets_;
    return std::make_unique<SourceTaskRunner>(std::move(s), status_, "w:1");
  }

  // Waits until the fake task's source partition has `offset` (JSON) committed.
  ::testing::AssertionResult committed_offset_becomes(const std::string& offset) {
    std::string key =
        *storage::encode_offset_key("conn", data::OrderedMap{{"p", data::Value::string("x")}});
    return testing::eventually(
        [&] {
          auto snap = offsets_.snapshot();
          return snap.count(key) && snap[key] == offset;
        },
        20s, [&] { return "state " + task_state(); });
  }

  std::string task_state() {
    auto s = status_.task({"conn", 0});
    return s ? s->state : "";
  }

  std::unique_ptr<kafka::EmbeddedCluster> cluster_;
  std::unique_ptr<config::WorkerConfig> worker_config_;
  data::ConverterRegistry registry_ = data::ConverterRegistry::with_builtins();
  MemoryOffsets offsets_;
  MemoryStatusStore status_;
};

TEST_F(SourceRunnerTest, RetriesPollWhenTaskReportsRetriableError) {
  auto r = runner(std::make_unique<FakeSourceTask>(3, 5, false));

  r->start(false);

  EXPECT_TRUE(committed_offset_becomes(R"({"n":4})"));
  EXPECT_EQ(task_state(), "RUNNING");
  r->request_stop();
  EXPECT_TRUE(r->await_stop(std::chrono::steady_clock::now() + 10s));
}

TEST_F(SourceRunnerTest, FailsTaskWithMessageWhenPollFailsForGood) {
  auto r = runner(std::make_unique<FakeSourceTask>(0, 2, true));

  r->start(false);

  EXPECT_TRUE(testing::eventually([&] { return task_state() == "FAILED"; }, 20s));
  auto st = status_.task({"conn", 0});
  ASSERT_TRUE(st && st->trace);
  EXPECT_NE(st->trace->find("disk on fire"), std::string::npos) << *st->trace;
  EXPECT_TRUE(r->await_stop(std::chrono::steady_clock::now() + 10s));
  std::string key =
      *storage::encode_offset_key("conn", data::OrderedMap{{"p", data::Value::string("x")}});
  EXPECT_EQ(offsets_.snapshot()[key], R"({"n":1})") << "acknowledged records are committed";
}

TEST_F(SourceRunnerTest, HandsEachSentRecordWithWhereItLandedToCommitRecord) {
  auto task = std::make_unique<FakeSourceTask>(0, 3, false);
  FakeSourceTask* fake = task.get();
  auto r = runner(std::move(task));

  r->start(false);

  EXPECT_TRUE(testing::eventually([&] { return fake->committed().size() == 3; }, 20s));
  EXPECT_EQ(fake->committed(), (std::vector<std::string>{"v0@0", "v1@1", "v2@2"}));
  // The record keeps its source offset although the tracker took one too.
  EXPECT_EQ(fake->source_offsets(),
            (std::vector<std::string>{R"({"n":0})", R"({"n":1})", R"({"n":2})"}));
  r->request_stop();
  EXPECT_TRUE(r->await_stop(std::chrono::steady_clock::now() + 10s));
}

TEST_F(SourceRunnerTest, CommitsOffsetsWithoutKeepingRecordsForATaskWithoutCommitRecord) {
  auto task = std::make_unique<FakeSourceTask>(0, 5, false);
  task->wants_commit_record_ = false;
  FakeSourceTask* fake = task.get();
  auto r = runner(std::move(task));

  r->start(false);

  EXPECT_TRUE(committed_offset_becomes(R"({"n":4})"));
  r->request_stop();
  EXPECT_TRUE(r->await_stop(std::chrono::steady_clock::now() + 10s));
  EXPECT_TRUE(fake->committed().empty());
}

TEST_F(SourceRunnerTest, SendsEachRecordToTheTopicItNames) {
  auto task = std::make_unique<FakeSourceTask>(0, 4, false);
  task->topics_ = {"t", "u", "u", "t"};
  FakeSourceTask* fake = task.get();
  auto r = runner(std::move(task));

  r->start(false);

  EXPECT_TRUE(testing::eventually([&] { return fake->landed().size() == 4; }, 20s));
  EXPECT_EQ(fake->landed(), (std::vector<std::string>{"v0@t", "v1@u", "v2@u", "v3@t"}));
  r->request_stop();
  EXPECT_TRUE(r->await_stop(std::chrono::steady_clock::now() + 10s));
}

TEST_F(SourceRunnerTest, FailsTaskNamingTheTopicWhenTheProducerRefusesItsName) {
  auto task = std::make_unique<FakeSourceTask>(0, 3, false);
  std::string too_long(600, 'x');  // librdkafka takes topic names of up to 512 bytes
  task->topics_ = {"t", too_long, "t"};
  FakeSourceTask* fake = task.get();
  auto r = runner(std::move(task));

  r->start(false);

  EXPECT_TRUE(testing::eventually([&] { return task_state() == "FAILED"; }, 20s));
  auto st = status_.task({"conn", 0});
  ASSERT_TRUE(st && st->trace);
  EXPECT_NE(st->trace->find("producing to topic " + too_long), std::string::npos) << *st->trace;
  EXPECT_TRUE(r->await_stop(std::chrono::steady_clock::now() + 10s));
  EXPECT_EQ(fake->landed(), (std::vector<std::string>{"v0@t"})) << "nothing after the refusal";
}

}  // namespace
}  // namespace kanal::runtime
