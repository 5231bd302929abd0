// KafkaOffsetStore: source offsets in the distributed worker's offsets topic
// (`offset.storage.topic`, spec 3.3), as Connect's KafkaOffsetBackingStore.
//
// Every worker reads the whole topic into memory at start and keeps tailing it: the last value per
// key wins and a tombstone deletes the key. Records whose key is not ["<connector>",{<partition>}]
// are logged and skipped. get() and list() first read the topic to its end, as Connect's get()
// does, so they see every write acknowledged before the call, from any worker. set() writes each
// entry as one record keyed by its bytes (murmur2-partitioned like Java's producer, so successive
// writes for one source partition stay in one Kafka partition, in order) and returns once every
// record is acknowledged by the brokers (acks=all).
//
// Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/log.h"
#include "storage/kafka_based_log.h"
#include "storage/offset_store.h"

namespace kanal::storage {

class KafkaOffsetStore final : public OffsetBackingStore {
 public:
  struct Options {
    std::string topic;                  // offset.storage.topic
    config::ConfigMap client_settings;  // bootstrap.servers, security, client.id, ...
    std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
    // How long set() waits for acknowledgements (Connect: offset.flush.timeout.ms).
    std::chrono::milliseconds write_timeout = std::chrono::seconds(5);
  };

  // Nothing is read or written until start().
  explicit KafkaOffsetStore(Options options);
  ~KafkaOffsetStore() override;
  KafkaOffsetStore(const KafkaOffsetStore&) = delete;
  KafkaOffsetStore& operator=(const KafkaOffsetStore&) = delete;

  // Reads the topic to its end. Errors: kNotFound when the topic does not exist, kTimeout when
  // it cannot be read within start_timeout, kInvalidArgument for a bad client setting.
  Status start() override;
  void stop() override;

  // Reads the topic to its end (up to write_timeout), then answers from memory. Errors: kTimeout,
  // kInternal when not started.
  Result<std::map<std::string, std::optional<std::string>>> get(
      std::span<const std::string> keys) override;
  // Errors: kInvalidArgument for a malformed key (nothing is written), kTimeout when the records
  // were not acknowledged within write_timeout (some may still be written, as in Connect), kafka
  // errors from the producer, kInternal when not started.
  Status set(std::span<const OffsetEntry> entries) override;
  Result<std::vector<StoredOffset>> list(std::string_view connector) override;

 private:
  void apply(const LogRecord& record);

  const Options options_;
  const log::Logger log_;

  mutable std::mutex mu_;
  struct Stored {
    std::string value;
    std::string connector;
    uint64_t order = 0;  // when the key (re)appeared: list() gives oldest keys first
  };
  std::map<std::string, Stored> data_;  // guarded by mu_; by key bytes
  uint64_t next_order_ = 0;             // guarded by mu_
  bool started_ = false;                // guarded by mu_

  // Last: its thread calls back into the state above, which must outlive it.
  std::unique_ptr<KafkaBasedLog> log_store_;
};

}  // namespace kanal::storage
