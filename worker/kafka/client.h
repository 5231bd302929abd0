// Owning wrappers and helpers for librdkafka handles, shared by every part of the worker that
// talks to Kafka (task producers/consumers, internal topics, admin operations).
//
// Ownership follows librdkafka exactly: rd_kafka_new() takes the conf only on success, so
// make_client() releases the RdConfPtr only then. The owner must flush (producer) or close
// (consumer) before the handle is destroyed.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_def.h"

namespace kanal::kafka {

struct RdConfDeleter {
  void operator()(rd_kafka_conf_t* c) const noexcept { rd_kafka_conf_destroy(c); }
};
struct RdKafkaDeleter {
  void operator()(rd_kafka_t* rk) const noexcept { rd_kafka_destroy(rk); }
};
struct RdQueueDeleter {
  void operator()(rd_kafka_queue_t* q) const noexcept { rd_kafka_queue_destroy(q); }
};
struct RdEventDeleter {
  void operator()(rd_kafka_event_t* e) const noexcept { rd_kafka_event_destroy(e); }
};
struct RdTopicDeleter {
  void operator()(rd_kafka_topic_t* t) const noexcept { rd_kafka_topic_destroy(t); }
};
struct RdPartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const noexcept {
    rd_kafka_topic_partition_list_destroy(l);
  }
};
using RdConfPtr = std::unique_ptr<rd_kafka_conf_t, RdConfDeleter>;
using RdKafkaPtr = std::unique_ptr<rd_kafka_t, RdKafkaDeleter>;
using RdQueuePtr = std::unique_ptr<rd_kafka_queue_t, RdQueueDeleter>;
using RdEventPtr = std::unique_ptr<rd_kafka_event_t, RdEventDeleter>;
using RdTopicPtr = std::unique_ptr<rd_kafka_topic_t, RdTopicDeleter>;
using RdPartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, RdPartitionListDeleter>;

// Kafka Java client settings that librdkafka spells differently or does not have. Java-only
// keys (serializers, interceptors, ...) are dropped with a debug log, not passed on.
// Builds a conf from `settings`; fails naming the key librdkafka refused and its reason.
Result<RdConfPtr> make_conf(const config::ConfigMap& settings);

// Takes `conf` only on success; on failure the caller still owns it.
Result<RdKafkaPtr> make_client(rd_kafka_type_t type, RdConfPtr& conf);

// Convenience: make_conf + make_client.
Result<RdKafkaPtr> make_client(rd_kafka_type_t type, const config::ConfigMap& settings);

// Status for a librdkafka error code, retriable per librdkafka's own classification.
Status from_error(rd_kafka_resp_err_t err, const std::string& context);
// Status for an rd_kafka_error_t (destroys it).
Status from_error(rd_kafka_error_t* err, const std::string& context);

// The in-process mock cluster that `bootstrap.servers=embedded` starts. Thread-safe; lives as
// long as the returned object.
class EmbeddedCluster {
 public:
  static Result<std::unique_ptr<EmbeddedCluster>> start(int brokers = 1);
  ~EmbeddedCluster();
  const std::string& bootstrap() const { return bootstrap_; }
  // Creates `topic` with `partitions` partitions (the mock cluster otherwise auto-creates
  // topics with 4, which scrambles the order of unkeyed records across partitions).
  Status create_topic(const std::string& topic, int partitions);

 private:
  EmbeddedCluster() = default;
  RdKafkaPtr holder_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
};

// Admin operations, each blocking up to `timeout`.
struct TopicSpec {
  std::string name;
  int32_t partitions = -1;          // -1: broker default
  int32_t replication_factor = -1;  // -1: broker default
  config::ConfigMap configs;
};

class Admin {
 public:
  // `settings` as for make_client.
  static Result<Admin> create(const config::ConfigMap& settings);

  // Creates the topic. Returns OK if created; kConflict if it already exists.
  Status create_topic(const TopicSpec& spec, std::chrono::milliseconds timeout);
  // The topic's configs (name → value) as the broker describes them; kNotFound if absent.
  Result<config::ConfigMap> describe_topic_configs(const std::string& topic,
                                                   std::chrono::milliseconds timeout);
  // Number of partitions of `topic`, or kNotFound.
  Result<int> partition_count(const std::string& topic, std::chrono::milliseconds timeout);
  // The cluster id reported by the brokers.
  Result<std::string> cluster_id(std::chrono::milliseconds timeout);

  rd_kafka_t* handle() const { return rk_.get(); }

 private:
  RdKafkaPtr rk_;
};

}  // namespace kanal::kafka
