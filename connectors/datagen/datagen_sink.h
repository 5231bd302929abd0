// DatagenSink: counts what DatagenSource produced and reports duplicates, gaps and reordering.
#pragma once

#include <cstdint>
#include <kanal/kanal.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "connectors/datagen/seq_tracker.h"

namespace kanal::connectors {

// Settings: `summary.file` (a JSON summary written on every flush and on stop; null = none),
// `source.tasks` (the DatagenSource's task count, for the order check), plus the framework's
// `topics` / `topics.regex`. Every task gets the connector's config.
class DatagenSinkConnector : public kanal::SinkConnector {
 public:
  static kanal::ConfigDef config_def();

  void start(const kanal::Config& config) override;
  std::vector<kanal::Config> task_configs(int32_t max_tasks) override;
  void stop() override {}

 private:
  kanal::Config config_;
};

// Accounting shared by every task of this worker process that names the same summary file, so
// the summary covers all partitions and survives task restarts and rebalances. Thread-safe.
class SharedSeqTracker {
 public:
  SharedSeqTracker(std::string summary_file, uint32_t source_tasks)
      : summary_file_(std::move(summary_file)), tracker_(source_tasks) {}

  void observe(const kanal::SinkRecords& records);
  // Writes the summary file (atomically: temp file, then rename) when one is configured.
  // Throws kanal::Error when it cannot be written.
  SeqSummary write_summary();

 private:
  const std::string summary_file_;
  std::mutex mu_;
  SeqTracker tracker_;   // guarded by mu_
  std::mutex write_mu_;  // one writer of the summary's temp file at a time
};

class DatagenSinkTask : public kanal::SinkTask {
 public:
  void start(const kanal::Config& config) override;
  void put(const kanal::SinkRecords& records) override;
  void flush(const std::vector<kanal::TopicPartition>& offsets) override;
  void stop() override;

 private:
  std::shared_ptr<SharedSeqTracker> tracker_;
};

}  // namespace kanal::connectors
