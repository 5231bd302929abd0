#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "config/config_def.h"
#include "config/config_file.h"
#include "config/worker_config.h"

namespace kanal::config {
namespace {

ConfigMap standalone_minimum() {
  return {{"bootstrap.servers", "localhost:9092"},
          {"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
          {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
          {"offset.storage.file.filename", "/tmp/offsets.db"}};
}

ConfigMap distributed_minimum() {
  return {{"bootstrap.servers", "localhost:9092"},
          {"key.converter", "org.apache.kafka.connect.json.JsonConverter"},
          {"value.converter", "org.apache.kafka.connect.json.JsonConverter"},
          {"group.id", "connect-cluster"},
          {"config.storage.topic", "connect-configs"},
          {"offset.storage.topic", "connect-offsets"},
          {"status.storage.topic", "connect-status"}};
}

TEST(PropertiesTest, ParsesSeparatorsCommentsAndContinuations) {
  ConfigMap m = parse_properties(
      "# comment\n"
      "! also a comment\n"
      "a=1\n"
      "b : two\n"
      "c three\n"
      "  d   =   spaced value  \n"
      "e=first \\\n"
      "   second\n"
      "f=tab\\tand\\u0041\n"
      "g=\n");

  EXPECT_EQ(m.at("a"), "1");
  EXPECT_EQ(m.at("b"), "two");
  EXPECT_EQ(m.at("c"), "three");
  EXPECT_EQ(m.at("d"), "spaced value  ");
  EXPECT_EQ(m.at("e"), "first second");
  EXPECT_EQ(m.at("f"), "tab\tandA");
  EXPECT_EQ(m.at("g"), "");
  EXPECT_EQ(m.size(), 7u);
}

TEST(PropertiesTest, KeepsEscapedSeparatorInKey) {
  ConfigMap m = parse_properties("a\\=b=c\n");

  EXPECT_EQ(m.at("a=b"), "c");
}

TEST(YamlConfigTest, FlattensNestedMapsAndLists) {
  auto m = parse_yaml(
      "bootstrap.servers: localhost:9092\nproducer:\n  acks: all\n"
      "plugin.path:\n  - /a\n  - /b\n");

  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->at("producer.acks"), "all");
  EXPECT_EQ(m->at("plugin.path"), "/a,/b");
  EXPECT_EQ(m->at("bootstrap.servers"), "localhost:9092");
}

TEST(YamlConfigTest, ReportsParserErrorWhenYamlIsMalformed) {
  auto m = parse_yaml("a: [1, 2\n");

  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("invalid YAML"), std::string::npos);
}

TEST(JsonConfigTest, ReadsConnectRestShapeWithNameAndConfig) {
  auto m =
      parse_json(R"({"name":"src","config":{"connector.class":"FileStreamSource","tasks.max":2}})");

  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("name"), "src");
  EXPECT_EQ(m->at("connector.class"), "FileStreamSource");
  EXPECT_EQ(m->at("tasks.max"), "2");
}

TEST(JsonConfigTest, ReportsOffsetWhenJsonIsMalformed) {
  auto m = parse_json(R"({"a": 1,})");

  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("offset"), std::string::npos) << m.status().message();
}

TEST(ConfigFileTest, PicksParserByExtension) {
  std::string path = ::testing::TempDir() + "/kanal_config_test.yaml";
  { std::ofstream(path) << "a: 1\n"; }

  auto m = load_config_file(path);

  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("a"), "1");
  std::remove(path.c_str());
}

TEST(ConfigFileTest, NamesFileWhenItCannotBeRead) {
  auto m = load_config_file("/nonexistent/worker.properties");

  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("/nonexistent/worker.properties"), std::string::npos);
}

TEST(ConfigDefTest, ReportsConnectMessageWhenLongIsNotANumber) {
  ConfigMap props = standalone_minimum();
  props["offset.flush.interval.ms"] = "soon";

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(c.status().message(),
            "Invalid value soon for configuration offset.flush.interval.ms: Not a number of type "
            "LONG");
}

TEST(ConfigDefTest, ReportsMissingRequiredKeyWhenGroupIdAbsentInDistributedMode) {
  ConfigMap props = distributed_minimum();
  props.erase("group.id");

  auto c = WorkerConfig::create(props, WorkerMode::kDistributed);

  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "Missing required configuration \"group.id\" which has no default value.");
}

TEST(ConfigDefTest, AppliesConnectDefaultsWhenKeysAreAbsent) {
  auto c = WorkerConfig::create(distributed_minimum(), WorkerMode::kDistributed);

  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->offset_flush_interval_ms(), 60000);
  EXPECT_EQ(c->parsed().get_int("offset.storage.partitions"), 25);
  EXPECT_EQ(c->parsed().get_int("status.storage.partitions"), 5);
  EXPECT_EQ(c->parsed().get_int("config.storage.replication.factor"), 3);
  EXPECT_EQ(c->parsed().get_int("session.timeout.ms"), 10000);
  EXPECT_EQ(c->listeners(), std::vector<std::string>{"http://:8083"});
}

TEST(ConfigDefTest, RejectsValueWhenOneOfValidatorFails) {
  ConfigMap props = distributed_minimum();
  props["exactly.once.source.support"] = "sometimes";

  auto c = WorkerConfig::create(props, WorkerMode::kDistributed);

  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("exactly.once.source.support"), std::string::npos);
}

TEST(ConfigDefTest, ValidateCollectsEveryErrorAndHidesPasswords) {
  ConfigDef def;
  def.define("count", Type::kInt, "1", Importance::kHigh, "a count");
  def.define("secret", Type::kPassword, std::nullopt, Importance::kHigh, "a secret");
  def.define("needed", Type::kString, std::nullopt, Importance::kHigh, "required");

  auto infos = def.validate({{"count", "x"}, {"secret", "hunter2"}});

  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(infos[0].errors.size(), 1u);
  EXPECT_EQ(infos[1].value, "[hidden]");
  EXPECT_TRUE(infos[1].errors.empty());
  EXPECT_EQ(infos[2].errors.size(), 1u);
}

TEST(WorkerConfigTest, SplitsClientPrefixesAndReportsUnusedKeys) {
  ConfigMap props = standalone_minimum();
  props["producer.acks"] = "1";
  props["consumer.max.poll.records"] = "10";
  props["security.protocol"] = "PLAINTEXT";
  props["no.such.setting"] = "x";

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_TRUE(c.ok());
  ConfigMap producer = c->client_config("producer");
  EXPECT_EQ(producer.at("acks"), "1");
  EXPECT_EQ(producer.at("security.protocol"), "PLAINTEXT");
  EXPECT_EQ(producer.at("bootstrap.servers"), "localhost:9092");
  EXPECT_EQ(producer.count("max.poll.records"), 0u);
  EXPECT_EQ(c->internal_client_config().count("acks"), 0u);
  EXPECT_EQ(c->unused_keys(), std::vector<std::string>{"no.such.setting"});
}

TEST(WorkerConfigTest, RejectsListenerWithoutProtocol) {
  ConfigMap props = standalone_minimum();
  props["listeners"] = "localhost:8083";

  auto c = WorkerConfig::create(props, WorkerMode::kStandalone);

  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("listeners"), std::string::npos);
}

}  // namespace
}  // namespace kanal::config
