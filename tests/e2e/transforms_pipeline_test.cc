// Transforms in a running pipeline: a file source whose records are hoisted into a struct,
// given a static field (gated by a predicate) and routed to another topic; a sink that masks a
// field. Checks the records in Kafka and what the sink wrote.
#include <gtest/gtest.h>

#include <fstream>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/kanal_worker.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> read_lines(const std::filesystem::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

TEST(TransformsPipelineTest, AppliesSourceAndSinkChainsWithPredicate) {
  TempDir dir;
  std::string topic = unique_test_name();
  {
    std::ofstream in(dir / "input.txt");
    in << "secret-1\nsecret-2\nsecret-3\n";
  }
  Props source{
      {"name", "src"},
      {"connector.class", "FileStreamSource"},
      {"file", (dir / "input.txt").string()},
      {"topic", topic},
      {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
      {"value.converter.schemas.enable", "false"},
      {"transforms", "hoist,insert,route"},
      {"transforms.hoist.type", "org.apache.kafka.connect.transforms.HoistField$Value"},
      {"transforms.hoist.field", "line"},
      {"transforms.insert.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
      {"transforms.insert.static.field", "origin"},
      {"transforms.insert.static.value", "kanal"},
      {"transforms.insert.predicate", "isMain"},
      {"transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"},
      {"transforms.route.regex", "(.*)"},
      {"transforms.route.replacement", "$1-routed"},
      {"predicates", "isMain"},
      {"predicates.isMain.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"},
      {"predicates.isMain.pattern", topic}};
  Props sink{{"name", "sink"},
             {"connector.class", "FileStreamSink"},
             {"file", (dir / "output.txt").string()},
             {"topics", topic + "-routed"},
             {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
             {"value.converter.schemas.enable", "false"},
             {"transforms", "mask"},
             {"transforms.mask.type", "org.apache.kafka.connect.transforms.MaskField$Value"},
             {"transforms.mask.fields", "line"}};
  KanalWorker worker({.dir = dir.path(), .worker = {}, .connectors = {source, sink}});

  ASSERT_TRUE(is_ok(worker.start()));

  ASSERT_TRUE(eventually([&] { return read_lines(dir / "output.txt").size() == 3; }, 60s,
                         [&] { return worker.log_tail(); }));
  auto in_kafka = consume_values(broker().bootstrap(), topic + "-routed", 30s);
  ASSERT_TRUE(is_ok(in_kafka));
  EXPECT_EQ(*in_kafka, (std::vector<std::string>{R"({"line":"secret-1","origin":"kanal"})",
                                                 R"({"line":"secret-2","origin":"kanal"})",
                                                 R"({"line":"secret-3","origin":"kanal"})"}));
  for (const std::string& l : read_lines(dir / "output.txt")) {
    EXPECT_EQ(l.find("secret"), std::string::npos) << "masked field leaked: " << l;
    EXPECT_NE(l.find("kanal"), std::string::npos) << l;
  }
}

TEST(TransformsPipelineTest, SkipsGatedTransformWhenPredicateDoesNotMatch) {
  TempDir dir;
  std::string topic = unique_test_name();
  {
    std::ofstream in(dir / "input.txt");
    in << "a\n";
  }
  Props source{
      {"name", "src"},
      {"connector.class", "FileStreamSource"},
      {"file", (dir / "input.txt").string()},
      {"topic", topic},
      {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
      {"value.converter.schemas.enable", "false"},
      {"transforms", "hoist,insert"},
      {"transforms.hoist.type", "org.apache.kafka.connect.transforms.HoistField$Value"},
      {"transforms.hoist.field", "line"},
      {"transforms.insert.type", "org.apache.kafka.connect.transforms.InsertField$Value"},
      {"transforms.insert.static.field", "origin"},
      {"transforms.insert.static.value", "kanal"},
      {"transforms.insert.predicate", "other"},
      {"predicates", "other"},
      {"predicates.other.type", "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"},
      {"predicates.other.pattern", "no-such-topic"}};
  KanalWorker worker({.dir = dir.path(), .worker = {}, .connectors = {source}});

  ASSERT_TRUE(is_ok(worker.start()));

  std::vector<std::string> values;
  ASSERT_TRUE(eventually(
      [&] {
        auto v = consume_values(broker().bootstrap(), topic, 5s);
        if (v.ok()) values = *v;
        return values.size() == 1;
      },
      60s, [&] { return worker.log_tail(); }));
  EXPECT_EQ(values[0], R"({"line":"a"})");
}

}  // namespace
}  // namespace kanal::testing
