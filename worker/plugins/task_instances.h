// SourceTaskInstance and SinkTaskInstance: one plugin task object each, driven by its task
// thread (the runtime's task runners).
//
// Each owns the plugin's kanal_task and destroys it through the plugin's own destroy (in the
// destructor: call it on the task thread, after the last other call). Records cross the ABI one
// batch per call: poll() appends the plugin's whole batch, put() lends the whole batch as views
// of the host's records (no copies). Buffers are reused between calls. Plugin failures come back
// as a Status naming the task with the plugin's message; retriable() is true for the plugin's
// KANAL_ERR_RETRIABLE (Connect's RetriableException).
// Not thread-safe, except SourceTaskInstance::stop(), which may be called from any thread while
// poll() runs.
#pragma once

#include <kanal/kanal.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"
#include "data/record.h"
#include "plugins/contexts.h"
#include "plugins/plugin_info.h"

namespace kanal::plugins {

// Where a source record went (Connect's RecordMetadata); absent when it was filtered or failed.
struct RecordMetadata {
  std::string topic;
  int32_t partition = -1;
  int64_t offset = -1;
  std::optional<int64_t> timestamp;
};

class SourceTaskInstance {
 public:
  // Creates the plugin's task for task `task_id` of connector `connector_name`.
  // kInvalidArgument unless `plugin` is a source connector; the plugin's create failure else.
  static Result<std::unique_ptr<SourceTaskInstance>> create(
      std::shared_ptr<const PluginInfo> plugin, std::string connector_name, int32_t task_id);
  ~SourceTaskInstance();
  SourceTaskInstance(const SourceTaskInstance&) = delete;
  SourceTaskInstance& operator=(const SourceTaskInstance&) = delete;

  // SourceTask.start(props). `offsets` (may be null: no stored offsets) is borrowed and must
  // outlive the instance.
  Status start(const config::ConfigMap& config, SourceOffsetReader* offsets);
  // SourceTask.poll(): appends the plugin's batch (maybe none) to `out`. On error nothing is
  // appended.
  Status poll(std::vector<data::SourceRecord>& out);
  // SourceTask.commit(); OK when the plugin does not implement it.
  Status commit();
  // SourceTask.commitRecord(record, metadata); OK when the plugin does not implement it.
  Status commit_record(const data::SourceRecord& record,
                       const std::optional<RecordMetadata>& metadata);
  // Whether the plugin implements commit_record (the op is optional).
  bool has_commit_record() const { return ops().commit_record != nullptr; }
  // SourceTask.stop(): any thread; makes a blocked poll() return soon.
  void stop();

  const std::string& name() const { return name_; }

 private:
  SourceTaskInstance(std::shared_ptr<const PluginInfo> plugin, std::string name);
  const kanal_source_task_ops& ops() const { return *plugin_->connector->source_task_ops; }

  std::shared_ptr<const PluginInfo> plugin_;
  std::string name_;  // "<connector>-<id>" as in Connect's ConnectorTaskId
  std::unique_ptr<kanal_context> ctx_;
  kanal_task* obj_ = nullptr;
};

class SinkTaskInstance {
 public:
  // `ctx` is borrowed and must outlive the instance (may be null in tests).
  static Result<std::unique_ptr<SinkTaskInstance>> create(std::shared_ptr<const PluginInfo> plugin,
                                                          std::string connector_name,
                                                          int32_t task_id, SinkTaskContext* ctx);
  ~SinkTaskInstance();
  SinkTaskInstance(const SinkTaskInstance&) = delete;
  SinkTaskInstance& operator=(const SinkTaskInstance&) = delete;

  Status start(const config::ConfigMap& config);
  // SinkTask.open/close(partitions); OK when the plugin does not implement them.
  Status open(const std::vector<TopicPartition>& partitions);
  Status close(const std::vector<TopicPartition>& partitions);
  // SinkTask.put(records): the batch is lent to the plugin for the call. A retriable error
  // means "deliver the same batch again" (after the timeout the task asked for).
  Status put(const std::vector<data::SinkRecord>& batch);
  // SinkTask.flush(offsets).
  Status flush(const std::vector<TopicPartition>& offsets);
  // SinkTask.preCommit(offsets): the offsets safe to commit. Partitions the plugin set to -1 are
  // left out. Without a plugin pre_commit: flush, then `offsets` unchanged.
  Result<std::vector<TopicPartition>> pre_commit(const std::vector<TopicPartition>& offsets);
  Status stop();

  const std::string& name() const { return name_; }

 private:
  SinkTaskInstance(std::shared_ptr<const PluginInfo> plugin, std::string name);
  const kanal_sink_task_ops& ops() const { return *plugin_->connector->sink_task_ops; }

  std::shared_ptr<const PluginInfo> plugin_;
  std::string name_;
  std::unique_ptr<kanal_context> ctx_;
  kanal_task* obj_ = nullptr;
  // Reused by put(): views of the host records, and their header views.
  std::vector<kanal_sink_record> views_;
  std::vector<const kanal_sink_record*> view_ptrs_;
  std::vector<kanal_header> headers_;
  std::vector<const kanal_header*> header_ptrs_;
};

}  // namespace kanal::plugins
