// Log output (issue #10 part 2): JSON lines with connector/task/worker context, and secrets
// from config providers masked in every line.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <functional>
#include <string>

#include "common/log.h"

namespace kanal::log {
namespace {

std::string capture(const std::function<void()>& f) {
  ::testing::internal::CaptureStderr();
  f();
  return ::testing::internal::GetCapturedStderr();
}

class LogFormatTest : public ::testing::Test {
 protected:
  void TearDown() override {
    set_format(Format::kText);
    set_worker_id("");
  }
};

TEST_F(LogFormatTest, WritesOneJsonObjectPerLineWithTaskContext) {
  set_format(Format::kJson);
  set_worker_id("10.0.0.5:8083");
  Logger logger = Logger("kanal.runtime").for_task("orders-sink", 1);

  std::string out = capture([&] {
    logger.warn("sink.put.retry", {{"attempt", "3"}, {"error", "connection \"refused\"\n"}});
  });

  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
  rapidjson::Document d;
  d.Parse(out.c_str());
  ASSERT_FALSE(d.HasParseError()) << out;
  EXPECT_EQ(std::string(d["level"].GetString()), "WARN");
  EXPECT_EQ(std::string(d["logger"].GetString()), "kanal.runtime");
  EXPECT_EQ(std::string(d["connector"].GetString()), "orders-sink");
  EXPECT_EQ(std::string(d["task"].GetString()), "1");
  EXPECT_EQ(std::string(d["worker"].GetString()), "10.0.0.5:8083");
  EXPECT_EQ(std::string(d["event"].GetString()), "sink.put.retry");
  EXPECT_EQ(std::string(d["attempt"].GetString()), "3");
  EXPECT_EQ(std::string(d["error"].GetString()), "connection \"refused\"\n");
  EXPECT_TRUE(d.HasMember("time"));
}

TEST_F(LogFormatTest, KeepsFieldThatRepeatsAContextNameUnderAPrefix) {
  set_format(Format::kJson);
  Logger logger = Logger("kanal.worker").for_connector("a");

  std::string out = capture([&] { logger.info("x", {{"connector", "b"}}); });

  rapidjson::Document d;
  d.Parse(out.c_str());
  ASSERT_FALSE(d.HasParseError()) << out;
  EXPECT_EQ(std::string(d["connector"].GetString()), "a");
  EXPECT_EQ(std::string(d["field.connector"].GetString()), "b");
}

TEST_F(LogFormatTest, TextLineCarriesContextAndWorkerId) {
  set_worker_id("host:8083");
  Logger logger = Logger("kanal.task").for_task("orders", 0);

  std::string out = capture([&] { logger.info("task.state", {{"state", "RUNNING"}}); });

  EXPECT_NE(out.find(" INFO task [orders|task-0] event=task.state state=RUNNING worker=host:8083"),
            std::string::npos)
      << out;
}

TEST_F(LogFormatTest, MasksRegisteredSecretsInEveryLine) {
  add_secret("s3cr3t-value", "${file:/etc/s.properties:pw}");
  Logger logger("kanal.test");

  std::string text = capture([&] { logger.error("x", {{"error", "login with s3cr3t-value"}}); });
  set_format(Format::kJson);
  std::string json = capture([&] { logger.error("x", {{"error", "s3cr3t-value!"}}); });

  EXPECT_EQ(text.find("s3cr3t-value"), std::string::npos) << text;
  EXPECT_NE(text.find("${file:/etc/s.properties:pw}"), std::string::npos) << text;
  EXPECT_EQ(json.find("s3cr3t-value"), std::string::npos) << json;
  EXPECT_EQ(redact("a s3cr3t-value b"), "a ${file:/etc/s.properties:pw} b");
}

TEST(LogFormatParseTest, ParsesTextAndJsonOnly) {
  EXPECT_EQ(parse_format("JSON"), Format::kJson);
  EXPECT_EQ(parse_format("text"), Format::kText);
  EXPECT_FALSE(parse_format("xml").has_value());
}

}  // namespace
}  // namespace kanal::log
