// StatusTopicStore: connector, task and topic statuses in the distributed worker's status topic
// (`status.storage.topic`, spec 3.4), as Connect's KafkaStatusBackingStore:
//
//   status-connector-<name> {"state":"RUNNING","trace":null,"worker_id":"h:8083","generation":7}
//   status-task-<name>-<id>               same fields
//   status-topic-<topic>:connector-<name>
//   {"topic":{"name":"t","connector":"c","task":0,"discoverTimestamp":N}}
//
// Reads are served from the view built by reading the topic (so every worker answers the same);
// a write becomes visible once read back (refresh() waits for that). Writes do not block:
// statuses are sent with retries=0 and no idempotence, and a send failing with a retriable error
// is resent unless a newer write for the same key was issued or the generation changed since.
// Deletion is a tombstone. Records that do not parse are logged and skipped.
//
// Thread-safe. Only the StatusStore interface's types come from the runtime (header only).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/status.h"
#include "config/config_def.h"
#include "runtime/status.h"
#include "storage/kafka_based_log.h"

namespace kanal::storage {

// One topic a connector's task used (Connect's TopicStatus).
struct TopicStatus {
  std::string topic;
  std::string connector;
  int32_t task = 0;
  int64_t discover_timestamp_ms = 0;
};

class StatusTopicStore final : public runtime::StatusStore {
 public:
  struct Options {
    std::string topic;                  // status.storage.topic
    config::ConfigMap client_settings;  // bootstrap.servers, security, client.id, ...
    std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
  };

  explicit StatusTopicStore(Options options);
  ~StatusTopicStore() override;
  StatusTopicStore(const StatusTopicStore&) = delete;
  StatusTopicStore& operator=(const StatusTopicStore&) = delete;

  // Reads the status topic to its end. Errors: kNotFound (no topic), kTimeout, kInvalidArgument
  // (bad client setting).
  Status start();
  // Sends what is queued (bounded), then stops. Idempotent; later writes are dropped with a log.
  void stop();

  // The group generation stamped into every later write ("generation").
  void set_generation(int32_t generation);
  int32_t generation() const;

  // Normal writes: always sent. Failures are logged (the interface has no error path).
  void put_connector(const std::string& connector, runtime::StateInfo state) override;
  void put_task(const runtime::TaskId& id, runtime::StateInfo state) override;
  // "Safe" writes (spec 3.4; e.g. UNASSIGNED while shutting down or after losing an instance in
  // a rebalance): skipped unless the last status read for the key is absent, came from the same
  // worker_id, or has a generation <= this store's generation. Returns whether it was sent.
  bool put_connector_safe(const std::string& connector, runtime::StateInfo state);
  bool put_task_safe(const runtime::TaskId& id, runtime::StateInfo state);

  std::optional<runtime::StateInfo> connector(const std::string& connector) const override;
  std::optional<runtime::StateInfo> task(const runtime::TaskId& id) const override;
  std::vector<std::pair<int32_t, runtime::StateInfo>> tasks(
      const std::string& connector) const override;
  // The generation of the last status read for the key, if any.
  std::optional<int32_t> connector_generation(const std::string& connector) const;
  std::optional<int32_t> task_generation(const runtime::TaskId& id) const;
  // Connectors that have a connector status.
  std::vector<std::string> connectors() const;

  // Tombstones for the connector's status and every task status read for it.
  void remove_connector(const std::string& connector) override;
  void remove_task(const runtime::TaskId& id) override;

  // Writes the topic record for task 0 unless one is known for (connector, topic).
  void put_topic(const std::string& connector, const std::string& topic) override;
  // Writes the topic record unless one is known for (connector, topic).
  void put_topic(const TopicStatus& status);
  std::vector<std::string> topics(const std::string& connector) const override;
  std::optional<TopicStatus> topic_status(const std::string& connector,
                                          const std::string& topic) const;
  // Tombstones for every topic record known for the connector.
  void reset_topics(const std::string& connector) override;

  // Waits until every status written before the call is read back into the view.
  Status refresh(std::chrono::milliseconds timeout);

 private:
  struct Cached {
    runtime::StateInfo info;
    int32_t generation = 0;
  };

  bool put_status(const std::string& key, const runtime::StateInfo& state, bool safe);
  void write(const std::string& key, std::optional<std::string> value);
  void send(const std::string& key, const std::optional<std::string>& value, uint64_t sequence,
            int32_t generation);
  const Cached* cached_locked(const std::string& key) const;
  void apply(const LogRecord& record);

  const Options options_;
  const log::Logger log_;

  mutable std::mutex mu_;
  int32_t generation_ = -1;                                           // guarded by mu_
  std::map<std::string, Cached> connectors_;                          // guarded by mu_
  std::map<runtime::TaskId, Cached> tasks_;                           // guarded by mu_
  std::map<std::string, std::map<std::string, TopicStatus>> topics_;  // guarded by mu_
  // Per key, the number of writes issued: a retry goes out only while it is the latest.
  std::map<std::string, uint64_t> sequences_;  // guarded by mu_

  // Last: its thread calls back into the state above, which must outlive it.
  std::unique_ptr<KafkaBasedLog> log_store_;
};

}  // namespace kanal::storage
