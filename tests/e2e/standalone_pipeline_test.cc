// The first real pipeline, end to end: `kanal standalone` with FileStreamSource and
// FileStreamSink against a real broker — order, at-least-once across kill -9, a broker outage,
// error tolerance with the dead-letter queue, and a corrupt offsets file.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "kafka/client.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

std::string line(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "line-%07d", i);
  return buf;
}

void append_lines(const std::filesystem::path& path, int from, int to) {
  std::ofstream out(path, std::ios::app);
  for (int i = from; i < to; ++i) out << line(i) << '\n';
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

struct Pipeline {
  TempDir dir;
  std::string topic = unique_test_name();
  std::filesystem::path input = dir / "input.txt";
  std::filesystem::path output = dir / "output.txt";

  Props source() const {
    return {{"name", "src"},
            {"connector.class", "FileStreamSource"},
            {"file", input.string()},
            {"topic", topic}};
  }
  Props sink() const {
    return {{"name", "sink"},
            {"connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector"},
            {"file", output.string()},
            {"topics", topic}};
  }
  KanalWorkerOptions options() const {
    return {.dir = dir.path(), .worker = {}, .connectors = {source(), sink()}};
  }
};

TEST(StandalonePipelineTest, CopiesFileThroughKafkaToFileInOrder) {
  Pipeline p;
  constexpr int kLines = 200000;
  append_lines(p.input, 0, kLines);
  KanalWorker worker(p.options());

  ASSERT_TRUE(is_ok(worker.start()));

  EXPECT_TRUE(eventually([&] { return read_lines(p.output).size() >= kLines; }, 120s,
                         [&] {
                           return "output has " + std::to_string(read_lines(p.output).size()) +
                                  " lines\n" + worker.log_tail();
                         }));
  std::vector<std::string> out = read_lines(p.output);
  ASSERT_EQ(out.size(), static_cast<size_t>(kLines));
  for (int i = 0; i < kLines; ++i) {
    ASSERT_EQ(out[i], line(i)) << "first difference at line " << i;
  }
  auto in_kafka = consume_values(broker().bootstrap(), p.topic, 60s);
  ASSERT_TRUE(is_ok(in_kafka));
  EXPECT_EQ(in_kafka->size(), static_cast<size_t>(kLines));
  EXPECT_EQ(worker.connector_state("src"), "RUNNING");
  EXPECT_EQ(worker.task_state("sink", 0), "RUNNING");
  EXPECT_TRUE(worker.stop().success()) << worker.log_tail();
}

TEST(StandalonePipelineTest, LosesNoLineWhenWorkerIsKilledAndRestarted) {
  Pipeline p;
  constexpr int kLines = 300000;
  append_lines(p.input, 0, kLines);
  KanalWorker worker(p.options());
  ASSERT_TRUE(is_ok(worker.start()));
  ASSERT_TRUE(eventually([&] { return read_lines(p.output).size() > 1000; }, 60s,
                         [&] { return worker.log_tail(); }));

  worker.kill9();
  size_t at_kill = read_lines(p.output).size();
  ASSERT_TRUE(is_ok(worker.start()));

  EXPECT_TRUE(eventually(
      [&] {
        auto lines = read_lines(p.output);
        return std::set<std::string>(lines.begin(), lines.end()).size() == kLines;
      },
      120s, [&] { return worker.log_tail(); }));
  std::vector<std::string> out = read_lines(p.output);
  std::set<std::string> unique(out.begin(), out.end());
  size_t duplicates = out.size() - unique.size();
  std::printf("[ measured ] kill -9 after %zu of %d lines: %zu duplicate lines in the output\n",
              at_kill, kLines, duplicates);
  EXPECT_EQ(unique.size(), static_cast<size_t>(kLines));
  for (int i = 0; i < kLines; ++i) ASSERT_TRUE(unique.count(line(i))) << line(i);
  EXPECT_TRUE(worker.stop().success());
}

TEST(StandalonePipelineTest, ResumesByItselfWhenBrokerIsDownForTenSeconds) {
  Pipeline p;
  append_lines(p.input, 0, 1000);
  KanalWorker worker(p.options());
  ASSERT_TRUE(is_ok(worker.start()));
  ASSERT_TRUE(eventually([&] { return read_lines(p.output).size() == 1000; }, 60s,
                         [&] { return worker.log_tail(); }));

  ASSERT_TRUE(is_ok(broker().stop()));
  append_lines(p.input, 1000, 2000);
  std::this_thread::sleep_for(10s);
  ASSERT_TRUE(is_ok(broker().start()));
  append_lines(p.input, 2000, 3000);

  EXPECT_TRUE(eventually(
      [&] {
        auto lines = read_lines(p.output);
        return std::set<std::string>(lines.begin(), lines.end()).size() == 3000;
      },
      120s, [&] { return worker.log_tail(); }));
  auto lines = read_lines(p.output);
  std::set<std::string> unique(lines.begin(), lines.end());
  for (int i = 0; i < 3000; ++i) ASSERT_TRUE(unique.count(line(i))) << line(i);
  EXPECT_EQ(worker.task_state("src", 0), "RUNNING");
  EXPECT_EQ(worker.task_state("sink", 0), "RUNNING");
}

Props json_sink(const std::string& topic, const std::filesystem::path& out, bool tolerate,
                const std::string& dlq) {
  Props p{{"name", "json-sink"},
          {"connector.class", "FileStreamSink"},
          {"file", out.string()},
          {"topics", topic},
          {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
          {"value.converter.schemas.enable", "false"},
          {"errors.tolerance", tolerate ? "all" : "none"}};
  if (!dlq.empty()) {
    p["errors.deadletterqueue.topic.name"] = dlq;
    p["errors.deadletterqueue.topic.replication.factor"] = "1";
    p["errors.deadletterqueue.context.headers.enable"] = "true";
  }
  return p;
}

TEST(StandalonePipelineTest, ReadsPlainJsonWithTheSchemaGivenInSchemaContent) {
  TempDir dir;
  std::string topic = unique_test_name();
  ASSERT_TRUE(
      is_ok(produce(broker().bootstrap(), topic, {R"({"id":1,"name":"a"})", R"({"id":2})"})));
  Props sink = json_sink(topic, dir / "out.txt", false, "");
  sink["value.converter.schemas.enable"] = "true";
  sink["value.converter.schema.content"] =
      R"({"type":"struct","fields":[{"field":"id","type":"int32"},)"
      R"({"field":"name","type":"string","optional":true}]})";
  KanalWorker worker({.dir = dir.path(), .connectors = {sink}});

  ASSERT_TRUE(is_ok(worker.start()));

  // Records without an envelope become structs of the configured schema (Connect 4's
  // JsonConverter schema.content); FileStreamSink writes them as Java's Struct.toString().
  ASSERT_TRUE(eventually([&] { return read_lines(dir / "out.txt").size() == 2; }, 60s,
                         [&] { return worker.log_tail(); }));
  EXPECT_EQ(read_lines(dir / "out.txt"),
            (std::vector<std::string>{"Struct{id=1,name=a}", "Struct{id=2}"}));
}

TEST(StandalonePipelineTest, SendsPoisonRecordToDeadLetterQueueWhenToleranceIsAll) {
  TempDir dir;
  std::string topic = unique_test_name();
  std::string dlq = topic + "-dlq";
  ASSERT_TRUE(
      is_ok(produce(broker().bootstrap(), topic, {"{\"a\":1}", "not json {", "{\"a\":2}"})));
  KanalWorker worker({.dir = dir.path(),
                      .worker = {},
                      .connectors = {json_sink(topic, dir / "out.txt", true, dlq)}});

  ASSERT_TRUE(is_ok(worker.start()));

  ASSERT_TRUE(eventually([&] { return read_lines(dir / "out.txt").size() == 2; }, 60s,
                         [&] { return worker.log_tail(); }));
  auto dead = consume_all(broker().bootstrap(), dlq, 30s);
  ASSERT_TRUE(is_ok(dead));
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ(dead->at(0).value, "not json {");
  std::map<std::string, std::string> headers;
  for (const auto& [k, v] : dead->at(0).headers) headers[k] = v.value_or("");
  EXPECT_EQ(headers["__connect.errors.topic"], topic);
  EXPECT_EQ(headers["__connect.errors.partition"], "0");
  EXPECT_EQ(headers["__connect.errors.offset"], "1");
  EXPECT_EQ(headers["__connect.errors.connector.name"], "json-sink");
  EXPECT_EQ(headers["__connect.errors.task.id"], "0");
  EXPECT_EQ(headers["__connect.errors.stage"], "VALUE_CONVERTER");
  EXPECT_FALSE(headers["__connect.errors.exception.message"].empty());
  EXPECT_EQ(worker.task_state("json-sink", 0), "RUNNING");
}

TEST(StandalonePipelineTest, FailsTaskNamingCauseWhenToleranceIsNone) {
  TempDir dir;
  std::string topic = unique_test_name();
  ASSERT_TRUE(is_ok(produce(broker().bootstrap(), topic, {"{\"a\":1}", "not json {"})));
  KanalWorker worker({.dir = dir.path(),
                      .worker = {},
                      .connectors = {json_sink(topic, dir / "out.txt", false, "")}});

  ASSERT_TRUE(is_ok(worker.start()));

  EXPECT_TRUE(eventually([&] { return worker.task_state("json-sink", 0) == "FAILED"; }, 60s,
                         [&] { return worker.log_tail(); }));
  std::string trace = worker.task_trace("json-sink", 0);
  EXPECT_NE(trace.find("Tolerance exceeded"), std::string::npos) << trace;
  EXPECT_NE(trace.find("VALUE_CONVERTER"), std::string::npos) << trace;
}

TEST(StandalonePipelineTest, TagsPluginLogLinesWithTheirConnectorAndTask) {
  Pipeline p;  // input.txt is never written: the source task warns that it is missing
  Props source = p.source();
  source["name"] = "waiting-source";
  KanalWorker worker({.dir = p.dir.path(), .worker = {}, .connectors = {source}});

  ASSERT_TRUE(is_ok(worker.start()));

  // The line a user greps for when a task misbehaves names the task it came from.
  EXPECT_TRUE(eventually(
      [&] {
        std::string log = worker.log_tail(200);
        return log.find("[waiting-source|task-0] event=plugin.log message=\"Couldn't find file") !=
               std::string::npos;
      },
      60s, [&] { return worker.log_tail(); }));
}

TEST(StandalonePipelineTest, RefusesToStartWhenOffsetsFileIsCorrupt) {
  Pipeline p;
  append_lines(p.input, 0, 10);
  {
    KanalWorker first(p.options());
    ASSERT_TRUE(is_ok(first.start()));
    ASSERT_TRUE(eventually([&] { return read_lines(p.output).size() == 10; }, 60s));
    ASSERT_TRUE(first.stop().success());
  }
  {
    std::fstream f(p.dir / "offsets.db", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f << "this is no longer a database header at all";
  }
  KanalWorker second(p.options());

  Status s = second.start();

  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("offsets.db"), std::string::npos) << s.message();
  EXPECT_FALSE(second.running());
}

TEST(StandalonePipelineTest, ContinuesFromStoredOffsetAfterCleanRestart) {
  Pipeline p;
  append_lines(p.input, 0, 100);
  KanalWorker worker(p.options());
  ASSERT_TRUE(is_ok(worker.start()));
  ASSERT_TRUE(eventually([&] { return read_lines(p.output).size() == 100; }, 60s));
  ASSERT_TRUE(worker.stop().success());

  append_lines(p.input, 100, 150);
  ASSERT_TRUE(is_ok(worker.start()));

  EXPECT_TRUE(eventually([&] { return read_lines(p.output).size() >= 150; }, 60s,
                         [&] { return worker.log_tail(); }));
  std::this_thread::sleep_for(2s);
  auto lines = read_lines(p.output);
  EXPECT_EQ(lines.size(), 150u) << "a clean stop flushes offsets: nothing is re-read";
  EXPECT_EQ(lines.back(), line(149));
}

TEST(StandalonePipelineTest, CreatesSourceTopicWithTopicCreationSettings) {
  Pipeline p;
  append_lines(p.input, 0, 10);
  Props source = p.source();
  source["topic.creation.default.partitions"] = "3";
  source["topic.creation.default.replication.factor"] = "1";
  source["topic.creation.default.retention.ms"] = "3600000";
  KanalWorker worker({.dir = p.dir.path(), .worker = {}, .connectors = {source}});

  ASSERT_TRUE(is_ok(worker.start()));

  std::vector<ConsumedRecord> records;
  ASSERT_TRUE(eventually(
      [&] {
        auto r = consume_all(broker().bootstrap(), p.topic, 5s);
        if (r.ok()) records = *r;
        return records.size() == 10;
      },
      60s, [&] { return worker.log_tail(); }));
  auto configs = describe_topic_configs(broker().bootstrap(), p.topic);
  ASSERT_TRUE(is_ok(configs));
  EXPECT_EQ(configs->at("retention.ms"), "3600000");
  auto admin = kafka::Admin::create({{"bootstrap.servers", broker().bootstrap()}});
  ASSERT_TRUE(is_ok(admin));
  auto partitions = admin->partition_count(p.topic, 10s);
  ASSERT_TRUE(is_ok(partitions));
  EXPECT_EQ(*partitions, 3);
  auto topics = worker.http("GET", "/connectors/src/topics");
  EXPECT_EQ(topics.status, 200);
  EXPECT_NE(topics.body.find(p.topic), std::string::npos) << topics.body;
}

}  // namespace
}  // namespace kanal::testing
