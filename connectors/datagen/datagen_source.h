// DatagenSource: deterministic numbered records for tests and benchmarks.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <kanal/kanal.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/datagen/datagen_sequence.h"

namespace kanal::connectors {

// Settings: `topic` (required), `count` (-1 = unbounded), `rate` (records/s over all tasks,
// 0 = unlimited), `size` (value bytes), `keys` (0 = null keys), `batch.size`, and `tasks.max`,
// over which the records are split. See docs/connectors/datagen.md.
class DatagenSourceConnector : public kanal::SourceConnector {
 public:
  static kanal::ConfigDef config_def();

  void start(const kanal::Config& config) override;
  // min(max_tasks, count) tasks (at least one), each told its index and the task count.
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override;
  void stop() override {}

 private:
  kanal::Config config_;
  int64_t count_ = -1;
};

// Produces the records with ids task, task + tasks, ...: source partition {"task": i}, offset
// {"seq": n}; after a restart it continues after the last committed seq. When its share is
// done, poll() returns nothing (waiting about a second each time). stop() may be called from
// any thread and makes a waiting poll() return at once.
class DatagenSourceTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config& config) override;
  void poll(std::vector<kanal::SourceRecord>& records) override;
  void stop() override;

 private:
  // Waits up to `timeout` or until stop(); false when stopping.
  bool wait(std::chrono::nanoseconds timeout);

  std::string topic_;
  int32_t task_ = 0;
  int32_t tasks_ = 1;
  int64_t share_ = -1;  // records this task produces in all, -1 = unbounded
  uint64_t next_seq_ = 0;
  uint64_t keys_ = 0;
  size_t size_bytes_ = 0;
  size_t batch_size_ = 0;
  std::optional<RatePacer> pacer_;
  kanal::Schema key_schema_;
  kanal::Schema value_schema_;
  kanal::Value partition_;  // {"task": i}, cloned into each record
  std::string text_;        // scratch for keys and values, reused

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
};

}  // namespace kanal::connectors
