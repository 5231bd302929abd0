// The runtime's view of connector and task instances. The plugin layer (worker/plugins) adapts
// loaded plugins to these interfaces; tests may implement them directly.
//
// Threading: a Connector is driven by the herder thread. A task is driven by its own task
// thread, except stop(), which any thread may call to make a blocked poll()/put() return soon.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"
#include "runtime/connector_config.h"

namespace kanal::runtime {

using config::ConfigMap;

// Connect's ConnectorContext: what a connector may ask of the runtime. Thread-safe.
class ConnectorContext {
 public:
  virtual ~ConnectorContext() = default;
  virtual void request_task_reconfiguration() = 0;
  virtual void raise_error(const Status& error) = 0;
};

class Connector {
 public:
  virtual ~Connector() = default;
  virtual ConnectorKind kind() const = 0;
  virtual std::string version() const = 0;
  virtual Status start(const ConfigMap& config) = 0;
  virtual Result<std::vector<ConfigMap>> task_configs(int32_t max_tasks) = 0;
  virtual Status stop() = 0;
};

// Reads the stored offset of source partitions (Connect's OffsetStorageReader).
class OffsetReader {
 public:
  virtual ~OffsetReader() = default;
  // The last committed offset of `partition`, or nullopt.
  virtual std::optional<data::OrderedMap> offset(const data::OrderedMap& partition) = 0;
};

// Where a source record landed, for commit_record().
struct RecordMetadata {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  int64_t timestamp = -1;
};

class SourceTask {
 public:
  virtual ~SourceTask() = default;
  virtual std::string version() const = 0;
  // `offsets` outlives the task.
  virtual Status start(const ConfigMap& config, OffsetReader& offsets) = 0;
  // Appends zero or more records to `out` (cleared by the caller). May block briefly.
  virtual Status poll(std::vector<data::SourceRecord>& out) = 0;
  // Connect's SourceTask.commit(): offsets up to the last flushed ones are committed.
  virtual Status commit() { return Status::OK(); }
  // Connect's commitRecord(record, metadata); metadata is nullopt for a filtered record.
  virtual Status commit_record(const data::SourceRecord&, const std::optional<RecordMetadata>&) {
    return Status::OK();
  }
  // False when commit_record() does nothing: the runner then frees each record once it is sent
  // instead of keeping it until Kafka's acknowledgement.
  virtual bool wants_commit_record() const { return true; }
  virtual void stop() = 0;
};

struct TopicPartitionOffset {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = -1;  // next offset to consume
};

// Connect's SinkTaskContext: what a sink task may ask. Methods are called on the task thread
// (from inside put/flush/...); the runtime applies them after the call returns.
class SinkTaskContext {
 public:
  virtual ~SinkTaskContext() = default;
  virtual void pause(const std::vector<TopicPartitionOffset>& partitions) = 0;
  virtual void resume(const std::vector<TopicPartitionOffset>& partitions) = 0;
  virtual void request_commit() = 0;
  virtual void reset_offsets(const std::vector<TopicPartitionOffset>& offsets) = 0;
  virtual void set_timeout(int64_t ms) = 0;
  // Errant record reporter: the record goes to the error handler (log/DLQ, tolerance).
  virtual Status report_errant(const data::SinkRecord& record, const Status& error) = 0;
};

class SinkTask {
 public:
  virtual ~SinkTask() = default;
  virtual std::string version() const = 0;
  // `context` outlives the task.
  virtual Status start(const ConfigMap& config, SinkTaskContext& context) = 0;
  virtual Status open(const std::vector<TopicPartitionOffset>& partitions) = 0;
  virtual Status close(const std::vector<TopicPartitionOffset>& partitions) = 0;
  virtual Status put(std::vector<data::SinkRecord>& records) = 0;
  // Connect's preCommit(currentOffsets) → offsets safe to commit (default: flush, then all).
  virtual Result<std::vector<TopicPartitionOffset>> pre_commit(
      const std::vector<TopicPartitionOffset>& current) = 0;
  virtual void stop() = 0;
};

// Creates instances of one connector plugin (the class a connector config names).
class ConnectorPlugin {
 public:
  virtual ~ConnectorPlugin() = default;
  virtual std::string class_name() const = 0;
  virtual std::string version() const = 0;
  virtual ConnectorKind kind() const = 0;
  // The task class Connect reports in task configs ("task.class").
  virtual std::string task_class() const = 0;
  virtual const config::ConfigDef& config_def() const = 0;
  // Validates the plugin's own settings (Connector.validate) → one entry per defined key.
  virtual std::vector<config::ConfigValueInfo> validate(const ConfigMap& config) = 0;
  virtual Result<std::unique_ptr<Connector>> create_connector(ConnectorContext& ctx) = 0;
  // A task of connector `connector`, number `task`: the names its own log lines carry.
  virtual Result<std::unique_ptr<SourceTask>> create_source_task(const std::string& connector,
                                                                 int32_t task) = 0;
  virtual Result<std::unique_ptr<SinkTask>> create_sink_task(const std::string& connector,
                                                             int32_t task) = 0;
};

}  // namespace kanal::runtime
