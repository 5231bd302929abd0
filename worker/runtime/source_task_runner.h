// Runs one source task: poll() → transforms → converters → idempotent producer → delivery
// reports → offsets committable once every earlier record of their source partition is
// acknowledged → flushed to the OffsetBackingStore every offset.flush.interval.ms and on stop
// (Kafka Connect's AbstractWorkerSourceTask / WorkerSourceTask, at-least-once).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kafka/client.h"
#include "runtime/converters.h"
#include "runtime/error_handler.h"
#include "runtime/instances.h"
#include "runtime/offset_tracker.h"
#include "runtime/task_runner.h"
#include "storage/offset_store.h"
#include "transforms/transform_chain.h"

namespace kanal::runtime {

// Decides which topics a source connector may create and how (topic.creation.*).
struct TopicCreation {
  bool enabled = false;
  struct Group {
    std::string name;
    std::vector<std::string> include;  // regexes
    std::vector<std::string> exclude;
    int32_t partitions = -1;
    int32_t replication_factor = -1;
    config::ConfigMap configs;
  };
  std::vector<Group> groups;  // in topic.creation.groups order, then "default" last

  static TopicCreation from_config(const config::ConfigMap& connector_config, bool worker_enabled);
  // The group for `topic` (first match), or the default group.
  const Group* group_for(const std::string& topic) const;
};

struct SourceTaskSetup {
  TaskId id;
  config::ConfigMap connector_config;
  config::ConfigMap task_config;
  config::ConfigMap producer_settings;  // full librdkafka producer settings
  config::ConfigMap admin_settings;     // for topic creation
  int64_t offset_flush_interval_ms = 60000;
  int64_t offset_flush_timeout_ms = 5000;
  bool topic_creation_enabled = true;  // worker's topic.creation.enable
  std::unique_ptr<SourceTask> task;
  TaskConverters converters;
  transforms::TransformChain transforms;
  storage::OffsetBackingStore* offsets = nullptr;  // outlives the runner
};

class SourceTaskRunner : public TaskRunner, private OffsetReader {
 public:
  SourceTaskRunner(SourceTaskSetup setup, StatusStore& status, std::string worker_id);
  ~SourceTaskRunner() override;

 protected:
  void execute(std::stop_token stop) override;
  void on_stop_requested() override;
  metrics::TaskKind metrics_kind() const override { return metrics::TaskKind::kSource; }

 private:
  // A record between send and acknowledgement. Lives in in_flight_ (stable addresses).
  struct InFlight {
    // The record as the task returned it, kept only when something reads it after the send
    // (keep_records_): commitRecord, or an error log that includes records.
    std::unique_ptr<data::SourceRecord> record;
    const std::string* topic = nullptr;  // into known_topics_; set once the record is sent
    OffsetTracker::Handle handle;
    bool done = false;
    std::optional<RecordMetadata> metadata;  // only with `record`
    SourceTaskRunner* runner = nullptr;
  };

  // OffsetReader
  std::optional<data::OrderedMap> offset(const data::OrderedMap& partition) override;

  Status setup_producer();
  static void delivery_cb(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static int stats_cb(rd_kafka_t* rk, char* json, size_t json_len, void* opaque);
  void on_delivery(const rd_kafka_message_t* msg);
  // Transforms, converts and sends one record; false when the task must fail.
  bool send(data::SourceRecord& record, std::stop_token stop);
  // librdkafka's handle of a topic this task produces to, so producing does not look the topic
  // up by name per record; null when librdkafka refused the name (`refused` says why).
  struct TopicHandle {
    kafka::RdTopicPtr handle;
    rd_kafka_resp_err_t refused = RD_KAFKA_RESP_ERR_NO_ERROR;
  };
  using KnownTopic = std::pair<const std::string, TopicHandle>;  // InFlight::topic points in here
  // Registers `topic` on its first use (status, topic creation, producer handle).
  const KnownTopic& ensure_topic(const std::string& topic);
  // A new topic's first record: its status entry, and its creation when topic.creation asks.
  void register_topic(const std::string& topic);
  void retire_done();
  Status commit_offsets();

  SourceTaskSetup setup_;
  std::unique_ptr<ErrorHandler> errors_;
  kafka::RdKafkaPtr producer_;
  OffsetTracker tracker_;
  std::deque<InFlight> in_flight_;
  bool keep_records_ = true;  // see InFlight::record
  std::vector<data::SourceRecord> batch_;
  data::SerializedData key_bytes_;
  data::SerializedData value_bytes_;
  data::SerializedData header_bytes_;
  TopicCreation topic_creation_;
  std::map<std::string, TopicHandle, std::less<>> known_topics_;  // dies before producer_
  const KnownTopic* last_topic_ = nullptr;  // the previous record's: most tasks write one topic
  Status producer_failure_;                 // set by a delivery report the task must fail on
  StatusStore& status_store_;
};

}  // namespace kanal::runtime
