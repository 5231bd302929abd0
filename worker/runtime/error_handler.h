// Kafka Connect's error handling for one task (RetryWithToleranceOperator + error reporters).
//
// execute() runs one stage of the record path. A retriable failure is retried with exponential
// backoff (300 ms, doubling, capped at errors.retry.delay.max.ms) until errors.retry.timeout
// elapses (0 = one attempt, -1 = forever). What happens then depends on the stage: converter,
// header converter and transformation failures are tolerable, so with errors.tolerance=all the
// record is skipped and reported (log, dead-letter queue); every other stage, and every failure
// with errors.tolerance=none, fails the task. Owned and used by the task thread only; counters
// are atomics so metrics may read them from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "common/log.h"
#include "common/status.h"
#include "config/config_def.h"
#include "metrics/metrics.h"

namespace kanal::runtime {

enum class Stage {
  kTaskPoll,
  kTaskPut,
  kTransformation,
  kKeyConverter,
  kValueConverter,
  kHeaderConverter,
  kKafkaProduce,
  kKafkaConsume,
};
// "TASK_POLL", "VALUE_CONVERTER", ... as Connect names them in logs and DLQ headers.
const char* stage_name(Stage stage);
// Converter, header converter and transformation failures may be tolerated.
bool stage_is_tolerable(Stage stage);

struct ErrorPolicy {
  int64_t retry_timeout_ms = 0;
  int64_t retry_delay_max_ms = 60000;
  bool tolerate_all = false;
  bool log_enable = false;
  bool log_include_messages = false;

  // Reads errors.* from a connector config (defaults as Connect's).
  static ErrorPolicy from_connector_config(const config::ConfigMap& config);
};

// What the reporters get for a failure.
struct ErrorContext {
  Stage stage;
  std::string_view class_name;                   // the class executing (converter, transform, task)
  const Status* error;                           // the failure
  std::function<std::string()> describe_record;  // record details for logs; may be empty
};

enum class Outcome { kOk, kSkip, kFail };

class ErrorHandler {
 public:
  // `task_label` is Connect's task id text, e.g. "my-sink-0"; `stop` ends retry waits early.
  // Counts go to `counters` (the task's metrics block, borrowed: it must outlive this object)
  // or, when null, to counters of its own.
  ErrorHandler(ErrorPolicy policy, log::Logger logger, std::string task_label,
               std::stop_token stop = {}, metrics::ErrorCounters* counters = nullptr);
  ErrorHandler(const ErrorHandler&) = delete;
  ErrorHandler& operator=(const ErrorHandler&) = delete;

  // Runs `op` with retries and tolerance; see the file comment. On kFail, failure() holds the
  // Status to fail the task with. On kSkip the record must be dropped. Reporters (log, and the
  // DLQ function set by set_dead_letter_reporter) ran for kSkip and kFail.
  Outcome execute(Stage stage, std::string_view class_name, const std::function<Status()>& op,
                  const std::function<std::string()>& describe_record = {});

  // Reports a failure that happened elsewhere (an errant record from the sink task, an async
  // produce failure); returns kSkip when tolerated, else kFail.
  Outcome report(Stage stage, std::string_view class_name, const Status& error,
                 const std::function<std::string()>& describe_record = {});

  // Called for each tolerated or fatal failure that concerns a consumed record (sinks). Runs on
  // the task thread; must not throw.
  void set_dead_letter_reporter(std::function<void(const ErrorContext&)> reporter) {
    dlq_ = std::move(reporter);
  }

  const Status& failure() const { return failure_; }
  const ErrorPolicy& policy() const { return policy_; }

  // Metrics (Connect's task-error-metrics).
  uint64_t total_record_errors() const { return counters_->record_errors.value(); }
  uint64_t total_record_failures() const { return counters_->record_failures.value(); }
  uint64_t total_records_skipped() const { return counters_->records_skipped.value(); }
  uint64_t total_retries() const { return counters_->retries.value(); }
  uint64_t total_errors_logged() const { return counters_->errors_logged.value(); }

 private:
  void report_to_sinks(const ErrorContext& ctx);
  bool wait(std::chrono::milliseconds delay);

  ErrorPolicy policy_;
  log::Logger logger_;
  std::string task_label_;
  std::stop_token stop_;
  std::function<void(const ErrorContext&)> dlq_;
  Status failure_;
  metrics::ErrorCounters own_counters_;
  metrics::ErrorCounters* counters_;  // own_counters_ or the task's block
};

}  // namespace kanal::runtime
