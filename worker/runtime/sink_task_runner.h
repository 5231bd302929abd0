// Runs one sink task: consumer group connect-<connector> → converters → transforms → put(),
// committing consumer offsets after preCommit() every offset.flush.interval.ms, on partition
// revocation and on stop (Kafka Connect's WorkerSinkTask). Failed records go through the error
// handler and, for tolerated failures, to the dead-letter queue when one is configured.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/worker_config.h"
#include "kafka/client.h"
#include "runtime/converters.h"
#include "runtime/error_handler.h"
#include "runtime/instances.h"
#include "runtime/task_runner.h"
#include "transforms/transform_chain.h"

namespace kanal::runtime {

struct SinkTaskSetup {
  TaskId id;
  config::ConfigMap connector_config;
  config::ConfigMap task_config;
  config::ConfigMap consumer_settings;  // full librdkafka consumer settings
  config::ConfigMap producer_settings;  // for the DLQ producer
  config::ConfigMap admin_settings;     // for DLQ topic creation
  int64_t offset_flush_interval_ms = 60000;
  std::unique_ptr<SinkTask> task;
  TaskConverters converters;
  transforms::TransformChain transforms;
};

class SinkTaskRunner : public TaskRunner, private SinkTaskContext {
 public:
  SinkTaskRunner(SinkTaskSetup setup, StatusStore& status, std::string worker_id);
  ~SinkTaskRunner() override;

 protected:
  void execute(std::stop_token stop) override;
  void on_stop_requested() override;
  metrics::TaskKind metrics_kind() const override { return metrics::TaskKind::kSink; }

 private:
  struct Key {
    std::string topic;
    int32_t partition;
    auto operator<=>(const Key&) const = default;
  };

  // SinkTaskContext
  void pause(const std::vector<TopicPartitionOffset>& partitions) override;
  void resume(const std::vector<TopicPartitionOffset>& partitions) override;
  void request_commit() override { commit_requested_ = true; }
  void reset_offsets(const std::vector<TopicPartitionOffset>& offsets) override;
  void set_timeout(int64_t ms) override { retry_timeout_ms_ = ms; }
  Status report_errant(const data::SinkRecord& record, const Status& error) override;

  Status setup_consumer();
  Status setup_dead_letter_queue();
  void dead_letter(const ErrorContext& ctx);
  static void dlq_delivery_cb(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static int stats_cb(rd_kafka_t* rk, char* json, size_t json_len, void* opaque);
  static void rebalance_cb(rd_kafka_t* rk, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* parts, void* opaque);
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts);
  // Converts one message into `out`; false when the record was skipped (tolerated) or the task
  // must fail (then failed_status_ is set).
  bool convert(rd_kafka_message_t* msg, data::SinkRecord& out);
  // Puts batch_ (retrying a RetriableError). `*delivered` is false when a stop interrupted the
  // retries: the batch was not put and its offsets must not advance.
  Status deliver(std::stop_token stop, bool* delivered);
  // Commits what preCommit() returns (when it changed) and counts the attempt in the metrics.
  Status commit_offsets(bool final_commit);
  Status commit_changed_offsets(bool final_commit);
  void apply_target_state();
  // Restarts librdkafka's fetcher after it stopped on a full local queue (see execute()):
  // wakes the broker thread of every assigned partition that has records left to fetch.
  void wake_fetcher();

  SinkTaskSetup setup_;
  std::unique_ptr<ErrorHandler> errors_;
  kafka::RdKafkaPtr consumer_;
  kafka::RdKafkaPtr dlq_producer_;
  std::string dlq_topic_;
  bool dlq_context_headers_ = false;

  std::vector<rd_kafka_message_t*> raw_batch_;  // messages of the batch being delivered
  rd_kafka_message_t* current_ = nullptr;       // the message being converted
  std::vector<data::SinkRecord> batch_;
  std::map<Key, int64_t> current_offsets_;  // next offset to consume, per partition
  // Offsets of the batch being delivered: they join current_offsets_ only once put() took the
  // batch (Connect's currentOffsets), so no commit ever covers a record the task never got.
  std::map<Key, int64_t> batch_offsets_;
  std::map<Key, int64_t> committed_offsets_;  // last committed
  std::vector<Key> assignment_;
  std::vector<Key> context_paused_;  // paused by the task through its context
  bool consumer_paused_ = false;
  bool commit_requested_ = false;
  int64_t retry_timeout_ms_ = -1;
  Status rebalance_error_;
  std::vector<std::string> seen_topics_;
  StatusStore& status_store_;
};

}  // namespace kanal::runtime
