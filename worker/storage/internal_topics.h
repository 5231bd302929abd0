// Creating and checking the distributed worker's internal topics (config, offsets, status), as
// Kafka Connect's TopicAdmin does at start-up (spec 3.5).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/worker_config.h"
#include "kafka/client.h"

namespace kanal::storage {

struct InternalTopic {
  std::string property;  // worker setting naming the topic, e.g. "config.storage.topic"
  kafka::TopicSpec spec;
};

// The three topics with names, partitions, replication factors and extra topic settings taken
// from `config` (prefixes config.storage., offset.storage., status.storage.) and
// cleanup.policy=compact. A cleanup.policy given through a prefix is ignored with a warning.
std::vector<InternalTopic> internal_topics(const config::WorkerConfig& config);

// Creates each topic that is absent; fails with a message naming the topic and the worker
// property when a topic exists but is not compacted, when the config topic has more than one
// partition, or when creation fails. Blocks up to `timeout` per admin call.
Status ensure_internal_topics(const config::WorkerConfig& config, kafka::Admin& admin,
                              std::chrono::milliseconds timeout = std::chrono::seconds(30));

}  // namespace kanal::storage
