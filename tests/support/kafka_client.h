// Small, blocking librdkafka helpers for tests: what a user would do with the Kafka CLI tools.
// Each call creates and destroys its own client, so calls are independent and thread-safe, and
// none records a GoogleTest failure: they return a Status/Result, which makes them usable inside
// eventually(). Wrap them in ASSERT_TRUE(is_ok(...)) (support/assertions.h) to fail a test.
// librdkafka types stay out of this header.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace kanal::testing {

// One record read back from a topic.
struct ConsumedRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;    // nullopt for a null key
  std::optional<std::string> value;  // nullopt for a tombstone
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

// Creates `topic` and waits until the controller has created it. Errors include "already
// exists" (topic names should derive from the test name, see unique_test_name()).
Status create_topic(std::string_view bootstrap, std::string_view topic, int partitions = 1,
                    const std::map<std::string, std::string>& configs = {});

// Produces one record per value (null key), waits until all are acknowledged (acks=all).
// Order within a partition follows the vector.
Status produce(std::string_view bootstrap, std::string_view topic,
               const std::vector<std::string>& values);
// Same with keys; records with equal keys land in the same partition.
Status produce_keyed(std::string_view bootstrap, std::string_view topic,
                     const std::vector<std::pair<std::string, std::string>>& key_values);
// Produces `count` records with values "<prefix>0" ... "<prefix><count-1>".
Status produce_n(std::string_view bootstrap, std::string_view topic, int count,
                 std::string_view prefix = "message-");

// Reads every record of every partition of `topic` from the beginning until the consumer has
// caught up with the end of each partition (read_committed, so aborted transactions are
// skipped), without a consumer group and without committing. Returns the records ordered by
// partition, then offset. Errors: not_found when the topic does not exist, timeout when it
// has not caught up within `deadline`.
Result<std::vector<ConsumedRecord>> consume_all(
    std::string_view bootstrap, std::string_view topic,
    std::chrono::milliseconds deadline = std::chrono::seconds(30));
// The values of consume_all(), null values as "<null>". Handy for EXPECT_EQ against a vector.
Result<std::vector<std::string>> consume_values(
    std::string_view bootstrap, std::string_view topic,
    std::chrono::milliseconds deadline = std::chrono::seconds(30));

// The topic's configuration as the broker reports it (DescribeConfigs): every config name
// with its effective value, defaults included. Sensitive values (null) are left out.
Result<std::map<std::string, std::string>> describe_topic_configs(std::string_view bootstrap,
                                                                  std::string_view topic);

// The cluster id the broker reports in its Metadata response.
Result<std::string> fetch_cluster_id(std::string_view bootstrap,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

// One readiness probe, within `timeout`: the broker answers Metadata listing itself, and the
// group coordinator answers an OffsetFetch for a probe group (this creates __consumer_offsets
// on first use and waits until it is loaded, so consumer groups, Connect's among them, work
// right away). The error names the step that did not answer. librdkafka logs are silenced.
Status check_broker_ready(std::string_view bootstrap, std::chrono::milliseconds timeout);

}  // namespace kanal::testing
