// The `kanal` executable as a user runs it: --version/--help, configuration errors with exit
// code 2 and a message naming the key, and a distributed worker that creates its internal
// topics on the real broker and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/eventually.h"
#include "support/kafka_client.h"
#include "support/paths.h"
#include "support/process.h"
#include "support/temp_dir.h"

namespace kanal::testing {
namespace {

using namespace std::chrono_literals;

RunResult run_kanal(const TempDir& dir, std::vector<std::string> args,
                    std::chrono::milliseconds timeout = 30s) {
  return run_to_exit(
      {.program = kanal_binary().string(), .args = std::move(args), .log_file = dir / "kanal.log"},
      timeout);
}

std::string distributed_config(const std::string& prefix, const std::string& extra = "") {
  return "bootstrap.servers=" + broker().bootstrap() +
         "\n"
         "group.id=" +
         prefix +
         "-cluster\n"
         "config.storage.topic=" +
         prefix +
         "-configs\n"
         "offset.storage.topic=" +
         prefix +
         "-offsets\n"
         "status.storage.topic=" +
         prefix +
         "-status\n"
         "config.storage.replication.factor=1\n"
         "offset.storage.replication.factor=1\n"
         "status.storage.replication.factor=1\n"
         "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
         "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
         "listeners=http://127.0.0.1:0\n" +
         extra;
}

TEST(KanalCliTest, PrintsVersionWhenAskedForIt) {
  TempDir dir;

  RunResult r = run_kanal(dir, {"--version"});

  EXPECT_TRUE(r.status.success()) << r.status.to_string();
  EXPECT_EQ(r.output.rfind("kanal ", 0), 0u) << r.output;
  // The allocator the build chose really serves malloc (mimalloc in release builds: a linker
  // that dropped it, or a libc that kept malloc, would show "system" here).
  EXPECT_NE(r.output.find("\nallocator: " KANAL_EXPECTED_ALLOCATOR), std::string::npos) << r.output;
}

TEST(KanalCliTest, PrintsUsageWhenAskedForHelp) {
  TempDir dir;

  RunResult r = run_kanal(dir, {"--help"});

  EXPECT_TRUE(r.status.success());
  EXPECT_NE(r.output.find("kanal standalone WORKER_CONFIG"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("kanal distributed WORKER_CONFIG"), std::string::npos) << r.output;
}

TEST(KanalCliTest, ExitsWithCode2WhenCommandIsUnknown) {
  TempDir dir;

  RunResult r = run_kanal(dir, {"sideways"});

  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 2);
  EXPECT_NE(r.output.find("unknown command 'sideways'"), std::string::npos) << r.output;
}

TEST(KanalCliTest, ExitsWithCode2NamingKeyWhenValueIsInvalid) {
  TempDir dir;
  ASSERT_TRUE(is_ok(write_file(dir / "worker.properties",
                               "bootstrap.servers=embedded\n"
                               "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                               "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                               "offset.storage.file.filename=" +
                                   (dir / "o.db").string() +
                                   "\n"
                                   "offset.flush.interval.ms=soon\n")));

  RunResult r = run_kanal(dir, {"standalone", (dir / "worker.properties").string()});

  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 2);
  EXPECT_NE(r.output.find("Invalid value soon for configuration offset.flush.interval.ms"),
            std::string::npos)
      << r.output;
}

TEST(KanalCliTest, ExitsWithCode2WhenGroupIdIsMissingInDistributedMode) {
  TempDir dir;
  std::string cfg = distributed_config(unique_test_name());
  cfg.erase(cfg.find("group.id="),
            cfg.find('\n', cfg.find("group.id=")) - cfg.find("group.id=") + 1);
  ASSERT_TRUE(is_ok(write_file(dir / "worker.properties", cfg)));

  RunResult r = run_kanal(dir, {"distributed", (dir / "worker.properties").string()});

  EXPECT_TRUE(r.status.exited);
  EXPECT_EQ(r.status.code, 2);
  EXPECT_NE(r.output.find("\"group.id\""), std::string::npos) << r.output;
}

TEST(KanalCliTest, ReadsYamlAndJsonWorkerConfigs) {
  TempDir dir;
  ASSERT_TRUE(is_ok(write_file(dir / "worker.yaml",
                               "bootstrap.servers: embedded\n"
                               "key.converter: org.apache.kafka.connect.json.JsonConverter\n"
                               "value.converter: org.apache.kafka.connect.json.JsonConverter\n"
                               "offset.storage.file.filename: " +
                                   (dir / "o.db").string() +
                                   "\n"
                                   "task.shutdown.graceful.timeout.ms: never\n")));
  ASSERT_TRUE(
      is_ok(write_file(dir / "worker.json",
                       "{\"bootstrap.servers\":\"embedded\",\"key.converter\":\"x\","
                       "\"value.converter\":\"y\",\"offset.storage.file.filename\":\"" +
                           (dir / "o.db").string() + "\",\"offset.flush.timeout.ms\":\"later\"}")));

  RunResult yaml = run_kanal(dir, {"standalone", (dir / "worker.yaml").string()});
  RunResult json = run_kanal(dir, {"standalone", (dir / "worker.json").string()});

  EXPECT_EQ(yaml.status.code, 2);
  EXPECT_NE(yaml.output.find("task.shutdown.graceful.timeout.ms"), std::string::npos)
      << yaml.output;
  EXPECT_EQ(json.status.code, 2);
  EXPECT_NE(json.output.find("offset.flush.timeout.ms"), std::string::npos) << json.output;
}

TEST(KanalCliTest, CreatesCompactedInternalTopicsAndStopsOnSigterm) {
  TempDir dir;
  std::string prefix = unique_test_name();
  ASSERT_TRUE(is_ok(write_file(dir / "worker.properties", distributed_config(prefix))));
  auto p = Process::spawn({.program = kanal_binary().string(),
                           .args = {"distributed", (dir / "worker.properties").string()},
                           .log_file = dir / "kanal.log"});
  ASSERT_TRUE(is_ok(p));

  EXPECT_TRUE(eventually(
      [&] {
        auto c = describe_topic_configs(broker().bootstrap(), prefix + "-status");
        return c.ok() && c->at("cleanup.policy") == "compact";
      },
      30s, [&] { return tail_of_file(dir / "kanal.log"); }));
  for (const std::string suffix : {"-configs", "-offsets"}) {
    auto c = describe_topic_configs(broker().bootstrap(), prefix + suffix);
    ASSERT_TRUE(is_ok(c)) << suffix;
    EXPECT_EQ(c->at("cleanup.policy"), "compact");
  }
  ExitStatus st = p->stop(20s);

  EXPECT_TRUE(st.success()) << st.to_string() << "\n" << tail_of_file(dir / "kanal.log");
}

TEST(KanalCliTest, RefusesToStartWhenStatusTopicIsNotCompacted) {
  TempDir dir;
  std::string prefix = unique_test_name();
  ASSERT_TRUE(is_ok(
      create_topic(broker().bootstrap(), prefix + "-status", 1, {{"cleanup.policy", "delete"}})));
  ASSERT_TRUE(is_ok(write_file(dir / "worker.properties", distributed_config(prefix))));

  RunResult r = run_kanal(dir, {"distributed", (dir / "worker.properties").string()}, 60s);

  EXPECT_TRUE(r.status.exited) << r.status.to_string();
  EXPECT_EQ(r.status.code, 2) << r.output;
  EXPECT_NE(r.output.find(prefix + "-status"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("cleanup.policy=compact"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace kanal::testing
