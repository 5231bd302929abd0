// The callbacks a plugin's connector or task can make into the runtime (Connect's
// ConnectorContext, OffsetStorageReader and SinkTaskContext). The runtime implements them and
// lends them to ConnectorInstance / SourceTaskInstance / SinkTaskInstance, which route the
// plugin's host calls to them. Each is called on the thread the plugin calls from (the herder or
// task thread during a call, or a thread the plugin owns), so implementations must be
// thread-safe or post to their owner's queue.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "data/record.h"

namespace kanal::plugins {

// A Kafka topic partition with an offset (TopicPartition + OffsetAndMetadata); offset -1 where
// it has no meaning.
struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;

  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};

class ConnectorContext {
 public:
  virtual ~ConnectorContext() = default;
  // The connector asks for task_configs() to be called again.
  virtual void request_task_reconfiguration() = 0;
  // The connector failed asynchronously: the runtime marks it FAILED with `error`.
  virtual void raise_error(const Status& error) = 0;
};

class SourceOffsetReader {
 public:
  virtual ~SourceOffsetReader() = default;
  // The last committed offset of `partition`, or nullopt when none is stored.
  virtual std::optional<data::OrderedMap> offset(const data::OrderedMap& partition) = 0;
};

class SinkTaskContext {
 public:
  virtual ~SinkTaskContext() = default;
  virtual void pause(const std::vector<TopicPartition>& partitions) = 0;
  virtual void resume(const std::vector<TopicPartition>& partitions) = 0;
  virtual void request_commit() = 0;
  // Backoff before put() is retried after a retriable failure.
  virtual void timeout(std::chrono::milliseconds timeout) = 0;
  // The task could not write `record` (ErrantRecordReporter.report). OK when the runtime
  // tolerated it (logged / sent to the DLQ); an error when errors.tolerance=none, which the task
  // sees as a failed report.
  virtual Status report_errant(const data::SinkRecord& record, const Status& error) = 0;
};

}  // namespace kanal::plugins
