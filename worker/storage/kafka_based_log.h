// KafkaBasedLog: one compacted Kafka topic read as a log of key/value records (Connect's
// KafkaBasedLog), the building block of the distributed worker's config, offset and status stores.
//
// A consumer without a group reads every partition from the beginning; start() returns once it
// has applied every record up to the end offsets captured at start, then a background thread
// keeps tailing the topic. Each record goes through the `on_record` callback, always on that
// thread, in offset order per partition. Writes go through a producer (idempotent, acks=all,
// murmur2 partitioning of the key bytes as Java's default partitioner, unless the settings say
// otherwise); a writer sees its own write once read_to_end() returns after the send was
// acknowledged ("writes are visible to the writer once read back").
//
// Thread-safe: send(), send_and_wait(), flush() and read_to_end() may be called from any thread
// except the log thread itself (a callback that waits for the log would wait for itself).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "config/config_def.h"
#include "kafka/client.h"

namespace kanal::storage {

// One record read from the topic.
struct LogRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;    // nullopt for a null key
  std::optional<std::string> value;  // nullopt for a tombstone
};

// One record to write.
struct LogEntry {
  std::string key;
  std::optional<std::string> value;  // nullopt writes a tombstone
};

class KafkaBasedLog {
 public:
  // Called on the log thread for every record read, in offset order per partition. Must not
  // block on the log (read_to_end) and should be quick: it delays every reader.
  using RecordCallback = std::function<void(const LogRecord&)>;
  // Called once per send when the broker acknowledged it (OK) or the send failed, on a thread
  // serving producer events (the log thread or a caller of send_and_wait/flush).
  using SendCallback = std::function<void(const Status&)>;

  struct Options {
    std::string topic;
    // Client settings shared by both clients (bootstrap.servers, security, client.id, ...).
    config::ConfigMap client_settings;
    // Extra producer / consumer settings, applied over the defaults described above.
    config::ConfigMap producer_overrides;
    config::ConfigMap consumer_overrides;
  };

  KafkaBasedLog(Options options, RecordCallback on_record);
  // Stops the log if it is running.
  ~KafkaBasedLog();
  KafkaBasedLog(const KafkaBasedLog&) = delete;
  KafkaBasedLog& operator=(const KafkaBasedLog&) = delete;

  // Creates the clients, assigns every partition of the topic from the beginning, starts the log
  // thread and waits until it has read up to the end offsets of this moment. Errors:
  // kNotFound when the topic does not exist, kInvalidArgument for a bad client setting,
  // kTimeout when the topic could not be read to its end within `timeout` (the log is stopped
  // again). Calling it twice is a bug.
  Status start(std::chrono::milliseconds timeout);
  // Stops the log thread (within about 100 ms), flushes pending sends for at most
  // `flush_timeout` and closes both clients. Idempotent; after it every call fails.
  void stop(std::chrono::milliseconds flush_timeout = std::chrono::seconds(5));

  // Queues one record for sending; does not wait. `done`, when set, is called once with the
  // outcome. Errors (then `done` is not called): kInternal when the log is not running, a
  // kafka error when the producer refuses the record (queue full: retriable).
  Status send(std::string_view key, std::optional<std::string_view> value, SendCallback done = {});
  // Sends `entries` in order and waits until every one is acknowledged or `timeout` passed.
  // Returns the first send error, or kTimeout (the records may still be written later).
  Status send_and_wait(std::span<const LogEntry> entries, std::chrono::milliseconds timeout);
  // Waits until every record queued so far is acknowledged (or failed). kTimeout otherwise.
  Status flush(std::chrono::milliseconds timeout);

  // Blocks until the log thread has applied every record below the end offsets the partitions
  // have when this is called (so every write acknowledged before the call is applied).
  // Errors: kTimeout, kInternal when the log is not running, kafka errors from asking the end
  // offsets.
  Status read_to_end(std::chrono::milliseconds timeout);

  const std::string& topic() const { return options_.topic; }
  int partition_count() const { return partitions_; }

 private:
  struct SendTracker;

  void run(std::stop_token stop);
  void serve_producer_events();
  Result<std::vector<int64_t>> end_offsets(std::chrono::steady_clock::time_point deadline);
  Result<int> fetch_partition_count(std::chrono::steady_clock::time_point deadline);

  const Options options_;
  const RecordCallback on_record_;
  const log::Logger log_;

  // Owners first: the clients must outlive the thread that polls them.
  kafka::RdKafkaPtr producer_;
  kafka::RdKafkaPtr consumer_;
  int partitions_ = 0;  // written by start() before the thread starts

  std::mutex mu_;
  std::condition_variable caught_up_;
  // Next offset to apply per partition (the consumer's position as far as the callback saw).
  std::vector<int64_t> positions_;  // guarded by mu_
  bool running_ = false;            // guarded by mu_
  Status thread_error_;             // guarded by mu_; a fatal consumer error ends the thread

  std::jthread thread_;
};

}  // namespace kanal::storage
