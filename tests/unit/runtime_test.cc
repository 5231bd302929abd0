#include <gtest/gtest.h>

#include "runtime/connector_config.h"
#include "runtime/error_handler.h"
#include "runtime/status.h"
#include "runtime/worker.h"

namespace kanal::runtime {
namespace {

ErrorHandler handler(ErrorPolicy p) { return ErrorHandler(p, log::Logger("kanal.test"), "c-0"); }

TEST(ErrorHandlerTest, SkipsConverterFailureWhenToleranceIsAll) {
  ErrorPolicy p;
  p.tolerate_all = true;
  ErrorHandler h = handler(p);
  int dlq_calls = 0;
  h.set_dead_letter_reporter([&](const ErrorContext& ctx) {
    ++dlq_calls;
    EXPECT_EQ(ctx.stage, Stage::kValueConverter);
  });

  Outcome o = h.execute(Stage::kValueConverter, "JsonConverter",
                        [] { return Status::invalid_argument("bad json"); });

  EXPECT_EQ(o, Outcome::kSkip);
  EXPECT_EQ(dlq_calls, 1);
  EXPECT_EQ(h.total_records_skipped(), 1u);
  EXPECT_TRUE(h.failure().ok());
}

TEST(ErrorHandlerTest, FailsWithToleranceMessageWhenToleranceIsNone) {
  ErrorHandler h = handler(ErrorPolicy{});

  Outcome o = h.execute(Stage::kTransformation, "org.apache.kafka.connect.transforms.Cast$Value",
                        [] { return Status::invalid_argument("cannot cast"); });

  EXPECT_EQ(o, Outcome::kFail);
  EXPECT_NE(h.failure().message().find("Tolerance exceeded in error handler"), std::string::npos);
  EXPECT_NE(h.failure().message().find("TRANSFORMATION"), std::string::npos);
  EXPECT_NE(h.failure().message().find("cannot cast"), std::string::npos);
}

TEST(ErrorHandlerTest, FailsTaskEvenWithToleranceAllWhenPutFailsForGood) {
  ErrorPolicy p;
  p.tolerate_all = true;
  ErrorHandler h = handler(p);

  Outcome o = h.execute(Stage::kTaskPut, "SinkTask", [] { return Status::internal("disk gone"); });

  EXPECT_EQ(o, Outcome::kFail);
  EXPECT_EQ(h.failure().message(), "disk gone");
}

TEST(ErrorHandlerTest, RetriesRetriableFailureUntilItSucceeds) {
  ErrorPolicy p;
  p.retry_timeout_ms = 10000;
  p.retry_delay_max_ms = 1;
  ErrorHandler h = handler(p);
  int attempts = 0;

  Outcome o = h.execute(Stage::kValueConverter, "X", [&] {
    return ++attempts < 3 ? Status::unavailable("try again") : Status::OK();
  });

  EXPECT_EQ(o, Outcome::kOk);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(h.total_retries(), 2u);
}

TEST(ErrorHandlerTest, MakesOneAttemptWhenRetryTimeoutIsZero) {
  ErrorHandler h = handler(ErrorPolicy{});
  int attempts = 0;

  Outcome o = h.execute(Stage::kKeyConverter, "X", [&] {
    ++attempts;
    return Status::unavailable("down");
  });

  EXPECT_EQ(o, Outcome::kFail);
  EXPECT_EQ(attempts, 1);
}

TEST(ErrorPolicyTest, ReadsConnectSettings) {
  ErrorPolicy p = ErrorPolicy::from_connector_config({{"errors.retry.timeout", "-1"},
                                                      {"errors.retry.delay.max.ms", "500"},
                                                      {"errors.tolerance", "all"},
                                                      {"errors.log.enable", "true"}});

  EXPECT_EQ(p.retry_timeout_ms, -1);
  EXPECT_EQ(p.retry_delay_max_ms, 500);
  EXPECT_TRUE(p.tolerate_all);
  EXPECT_TRUE(p.log_enable);
  EXPECT_FALSE(p.log_include_messages);
}

bool has_error_for(const std::vector<std::pair<std::string, std::string>>& errors,
                   const std::string& key) {
  for (const auto& [k, m] : errors) {
    if (k == key) return true;
  }
  return false;
}

TEST(ConnectorRulesTest, RequiresTopicsOrRegexForSinks) {
  auto errors = check_connector_rules(ConnectorKind::kSink, {{"name", "s"}});

  EXPECT_TRUE(has_error_for(errors, "topics"));
  EXPECT_TRUE(has_error_for(errors, "topics.regex"));
}

TEST(ConnectorRulesTest, RejectsBothTopicsAndRegex) {
  auto errors =
      check_connector_rules(ConnectorKind::kSink, {{"topics", "a"}, {"topics.regex", "a.*"}});

  EXPECT_TRUE(has_error_for(errors, "topics"));
}

TEST(ConnectorRulesTest, RejectsDeadLetterTopicThatIsConsumed) {
  auto errors = check_connector_rules(
      ConnectorKind::kSink, {{"topics", "a,b"}, {"errors.deadletterqueue.topic.name", "b"}});

  EXPECT_TRUE(has_error_for(errors, "errors.deadletterqueue.topic.name"));
}

TEST(ConnectorRulesTest, RequiresDefaultGroupSettingsWhenTopicCreationIsUsed) {
  auto errors =
      check_connector_rules(ConnectorKind::kSource, {{"topic.creation.default.partitions", "3"}});

  EXPECT_TRUE(has_error_for(errors, "topic.creation.default.replication.factor"));
  EXPECT_FALSE(has_error_for(errors, "topic.creation.default.partitions"));
}

TEST(ConnectorRulesTest, RejectsNegateWithoutPredicate) {
  auto errors = check_connector_rules(ConnectorKind::kSource,
                                      {{"transforms", "a"}, {"transforms.a.negate", "true"}});

  EXPECT_TRUE(has_error_for(errors, "transforms.a.negate"));
}

TEST(ConnectorConfigDefTest, ValidatesTasksMaxAtLeastOne) {
  auto infos = connector_config_def(ConnectorKind::kSource)
                   .validate({{"name", "n"}, {"connector.class", "X"}, {"tasks.max", "0"}});

  bool found = false;
  for (const auto& i : infos) {
    if (i.name == "tasks.max") {
      found = true;
      ASSERT_EQ(i.errors.size(), 1u);
      EXPECT_NE(i.errors[0].find("at least 1"), std::string::npos) << i.errors[0];
    }
  }
  EXPECT_TRUE(found);
}

TEST(OverridePolicyTest, AllowsEverythingWhenPolicyIsAll) {
  EXPECT_TRUE(check_override_policy("All", {{"producer.override.acks", "1"}}).empty());
}

TEST(OverridePolicyTest, RejectsEveryOverrideWhenPolicyIsNone) {
  auto errors = check_override_policy(
      "None", {{"consumer.override.max.poll.records", "5"}, {"tasks.max", "1"}});

  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "consumer.override.max.poll.records");
}

TEST(OverridePolicyTest, AllowsOnlySecuritySettingsWhenPolicyIsPrincipal) {
  auto errors = check_override_policy(
      "Principal", {{"producer.override.sasl.jaas.config", "x"}, {"producer.override.acks", "0"}});

  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "producer.override.acks");
}

TEST(MemoryStatusStoreTest, ListsTasksOfOneConnectorInOrder) {
  MemoryStatusStore s;
  s.put_task({"a", 1}, {"RUNNING", "w", std::nullopt, std::nullopt});
  s.put_task({"a", 0}, {"FAILED", "w", "trace", std::nullopt});
  s.put_task({"ab", 0}, {"RUNNING", "w", std::nullopt, std::nullopt});

  auto tasks = s.tasks("a");

  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(tasks[0].first, 0);
  EXPECT_EQ(tasks[0].second.state, "FAILED");
  EXPECT_EQ(tasks[1].first, 1);
}

TEST(MemoryStatusStoreTest, ForgetsTasksWhenConnectorIsRemoved) {
  MemoryStatusStore s;
  s.put_connector("a", {"RUNNING", "w", std::nullopt, std::nullopt});
  s.put_task({"a", 0}, {"RUNNING", "w", std::nullopt, std::nullopt});
  s.put_topic("a", "t");

  s.remove_connector("a");

  EXPECT_FALSE(s.connector("a"));
  EXPECT_TRUE(s.tasks("a").empty());
  EXPECT_TRUE(s.topics("a").empty());
}

}  // namespace
}  // namespace kanal::runtime
