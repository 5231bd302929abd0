#include "plugins/task_instances.h"

#include "plugins/host_api_internal.h"

namespace kanal::plugins {
namespace {

constexpr size_t kErrSize = 2048;

std::string task_name(const std::string& connector, int32_t id) {
  return connector + "-" + std::to_string(id);
}

log::Logger task_logger(const std::string& connector, int32_t id) {
  return log::Logger("kanal.task").for_task(connector, id);
}

// Views of `tps` for one call; `store` and `ptrs` must outlive its use.
void to_views(const std::vector<TopicPartition>& tps, std::vector<kanal_topic_partition>& store,
              std::vector<kanal_topic_partition*>& ptrs) {
  store.assign(tps.size(), kanal_topic_partition{});
  ptrs.clear();
  for (size_t i = 0; i < tps.size(); ++i) {
    store[i].struct_size = sizeof(kanal_topic_partition);
    store[i].topic = detail::str(tps[i].topic);
    store[i].partition = tps[i].partition;
    store[i].offset = tps[i].offset;
    ptrs.push_back(&store[i]);
  }
}

}  // namespace

// ---- SourceTaskInstance

SourceTaskInstance::SourceTaskInstance(std::shared_ptr<const PluginInfo> plugin, std::string name)
    : plugin_(std::move(plugin)), name_(std::move(name)), ctx_(std::make_unique<kanal_context>()) {}

Result<std::unique_ptr<SourceTaskInstance>> SourceTaskInstance::create(
    std::shared_ptr<const PluginInfo> plugin, std::string connector_name, int32_t task_id) {
  if (!plugin || plugin->kind != PluginKind::kSource) {
    return Status::invalid_argument("Task '" + task_name(connector_name, task_id) +
                                    "': not a source connector plugin");
  }
  std::unique_ptr<SourceTaskInstance> t(
      new SourceTaskInstance(std::move(plugin), task_name(connector_name, task_id)));
  t->ctx_->logger = task_logger(connector_name, task_id);
  char err[kErrSize] = {0};
  kanal_status s = t->ops().create(t->ctx_.get(), &t->obj_, err, sizeof err);
  if (s != KANAL_OK || t->obj_ == nullptr) {
    t->obj_ = nullptr;
    return detail::plugin_status(
        s == KANAL_OK ? KANAL_ERR : s, err,
        "Task '" + t->name_ + "': " + t->plugin_->task_class + " could not be created");
  }
  return t;
}

SourceTaskInstance::~SourceTaskInstance() {
  if (obj_ != nullptr) ops().destroy(obj_);
}

Status SourceTaskInstance::start(const config::ConfigMap& config, SourceOffsetReader* offsets) {
  ctx_->offsets = offsets;
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(config, kvs);
  char err[kErrSize] = {0};
  kanal_status s = ops().start(obj_, &cfg, err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to start");
}

Status SourceTaskInstance::poll(std::vector<data::SourceRecord>& out) {
  size_t before = out.size();
  kanal_source_batch batch;
  batch.out = &out;
  char err[kErrSize] = {0};
  kanal_status s = ops().poll(obj_, &batch, err, sizeof err);
  if (s != KANAL_OK) {
    out.resize(before);
    return detail::plugin_status(s, err, "Task '" + name_ + "' failed to poll");
  }
  return Status::OK();
}

Status SourceTaskInstance::commit() {
  if (ops().commit == nullptr) return Status::OK();
  char err[kErrSize] = {0};
  kanal_status s = ops().commit(obj_, err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to commit");
}

Status SourceTaskInstance::commit_record(const data::SourceRecord& record,
                                         const std::optional<RecordMetadata>& metadata) {
  if (ops().commit_record == nullptr) return Status::OK();
  data::Value partition = detail::to_map_value(record.source_partition);
  data::Value offset = detail::to_map_value(record.source_offset);
  kanal_committed_record c{};
  c.struct_size = sizeof c;
  c.source_partition = detail::value_handle(partition);
  c.source_offset = detail::value_handle(offset);
  c.topic = detail::str(metadata ? metadata->topic : record.topic);
  c.partition = metadata ? metadata->partition : -1;
  c.offset = metadata ? metadata->offset : -1;
  c.timestamp = metadata && metadata->timestamp ? *metadata->timestamp : KANAL_NO_TIMESTAMP;
  char err[kErrSize] = {0};
  kanal_status s = ops().commit_record(obj_, &c, err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed in commitRecord");
}

void SourceTaskInstance::stop() { ops().stop(obj_); }

// ---- SinkTaskInstance

SinkTaskInstance::SinkTaskInstance(std::shared_ptr<const PluginInfo> plugin, std::string name)
    : plugin_(std::move(plugin)), name_(std::move(name)), ctx_(std::make_unique<kanal_context>()) {}

Result<std::unique_ptr<SinkTaskInstance>> SinkTaskInstance::create(
    std::shared_ptr<const PluginInfo> plugin, std::string connector_name, int32_t task_id,
    SinkTaskContext* ctx) {
  if (!plugin || plugin->kind != PluginKind::kSink) {
    return Status::invalid_argument("Task '" + task_name(connector_name, task_id) +
                                    "': not a sink connector plugin");
  }
  std::unique_ptr<SinkTaskInstance> t(
      new SinkTaskInstance(std::move(plugin), task_name(connector_name, task_id)));
  t->ctx_->logger = task_logger(connector_name, task_id);
  t->ctx_->sink = ctx;
  char err[kErrSize] = {0};
  kanal_status s = t->ops().create(t->ctx_.get(), &t->obj_, err, sizeof err);
  if (s != KANAL_OK || t->obj_ == nullptr) {
    t->obj_ = nullptr;
    return detail::plugin_status(
        s == KANAL_OK ? KANAL_ERR : s, err,
        "Task '" + t->name_ + "': " + t->plugin_->task_class + " could not be created");
  }
  return t;
}

SinkTaskInstance::~SinkTaskInstance() {
  if (obj_ != nullptr) ops().destroy(obj_);
}

Status SinkTaskInstance::start(const config::ConfigMap& config) {
  std::vector<kanal_kv> kvs;
  kanal_config cfg = detail::make_config(config, kvs);
  char err[kErrSize] = {0};
  kanal_status s = ops().start(obj_, &cfg, err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to start");
}

Status SinkTaskInstance::open(const std::vector<TopicPartition>& partitions) {
  if (ops().open == nullptr) return Status::OK();
  std::vector<kanal_topic_partition> store;
  std::vector<kanal_topic_partition*> ptrs;
  to_views(partitions, store, ptrs);
  char err[kErrSize] = {0};
  kanal_status s = ops().open(obj_, ptrs.data(), ptrs.size(), err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to open partitions");
}

Status SinkTaskInstance::close(const std::vector<TopicPartition>& partitions) {
  if (ops().close == nullptr) return Status::OK();
  std::vector<kanal_topic_partition> store;
  std::vector<kanal_topic_partition*> ptrs;
  to_views(partitions, store, ptrs);
  char err[kErrSize] = {0};
  kanal_status s = ops().close(obj_, ptrs.data(), ptrs.size(), err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to close partitions");
}

Status SinkTaskInstance::put(const std::vector<data::SinkRecord>& batch) {
  size_t header_total = 0;
  for (const auto& r : batch) header_total += r.headers.size();
  views_.assign(batch.size(), kanal_sink_record{});
  view_ptrs_.clear();
  headers_.clear();
  header_ptrs_.clear();
  // No reallocation below: each record's view points into both vectors.
  headers_.reserve(header_total);
  header_ptrs_.reserve(header_total);
  for (size_t i = 0; i < batch.size(); ++i) {
    const data::SinkRecord& r = batch[i];
    kanal_sink_record& v = views_[i];
    v.struct_size = sizeof v;
    v.topic = detail::str(r.topic);
    v.partition = r.kafka_partition.value_or(-1);
    v.offset = r.kafka_offset;
    v.key_schema = detail::schema_handle(r.key_schema);
    v.key = detail::value_handle(r.key);
    v.value_schema = detail::schema_handle(r.value_schema);
    v.value = detail::value_handle(r.value);
    v.timestamp = r.timestamp.value_or(KANAL_NO_TIMESTAMP);
    v.timestamp_type = static_cast<int32_t>(r.timestamp_type);
    v.original_topic = detail::str(r.original_topic.empty() ? r.topic : r.original_topic);
    v.original_partition = r.original_kafka_partition.value_or(v.partition);
    v.original_offset = r.original_kafka_offset >= 0 ? r.original_kafka_offset : r.kafka_offset;
    size_t first = header_ptrs_.size();
    for (const data::Header& h : r.headers) {
      kanal_header kh{};
      kh.struct_size = sizeof kh;
      kh.key = detail::str(h.key);
      kh.schema = detail::schema_handle(h.schema);
      // Lent read-only: the ABI field is non-const because plugins fill it for source records.
      kh.value = const_cast<kanal_value*>(detail::value_handle(h.value));
      headers_.push_back(kh);
      header_ptrs_.push_back(&headers_.back());
    }
    v.headers = header_ptrs_.data() + first;
    v.header_count = r.headers.size();
  }
  for (const auto& v : views_) view_ptrs_.push_back(&v);
  ctx_->sink_batch = &batch;
  ctx_->sink_views = &views_;
  char err[kErrSize] = {0};
  kanal_status s = ops().put(obj_, view_ptrs_.data(), view_ptrs_.size(), err, sizeof err);
  ctx_->sink_batch = nullptr;
  ctx_->sink_views = nullptr;
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to put records");
}

Status SinkTaskInstance::flush(const std::vector<TopicPartition>& offsets) {
  if (ops().flush == nullptr) return Status::OK();
  std::vector<kanal_topic_partition> store;
  std::vector<kanal_topic_partition*> ptrs;
  to_views(offsets, store, ptrs);
  char err[kErrSize] = {0};
  kanal_status s = ops().flush(obj_, ptrs.data(), ptrs.size(), err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to flush");
}

Result<std::vector<TopicPartition>> SinkTaskInstance::pre_commit(
    const std::vector<TopicPartition>& offsets) {
  if (ops().pre_commit == nullptr) {
    KANAL_RETURN_IF_ERROR(flush(offsets));
    return offsets;
  }
  std::vector<kanal_topic_partition> store;
  std::vector<kanal_topic_partition*> ptrs;
  to_views(offsets, store, ptrs);
  char err[kErrSize] = {0};
  kanal_status s = ops().pre_commit(obj_, ptrs.data(), ptrs.size(), err, sizeof err);
  if (s != KANAL_OK)
    return detail::plugin_status(s, err, "Task '" + name_ + "' failed in preCommit");
  std::vector<TopicPartition> out;
  for (size_t i = 0; i < offsets.size(); ++i) {
    if (store[i].offset < 0) continue;
    out.push_back(TopicPartition{offsets[i].topic, offsets[i].partition, store[i].offset});
  }
  return out;
}

Status SinkTaskInstance::stop() {
  char err[kErrSize] = {0};
  kanal_status s = ops().stop(obj_, err, sizeof err);
  return detail::plugin_status(s, err, "Task '" + name_ + "' failed to stop");
}

}  // namespace kanal::plugins
