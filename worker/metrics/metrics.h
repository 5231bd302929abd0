// Process-wide metrics: the counters behind GET /metrics (Kafka Connect's metric groups).
//
//   auto block = metrics::Registry::global().add_task("orders", 0, metrics::TaskKind::kSource);
//   block->source_record_poll.add(batch.size());   // task thread: relaxed stores, no lock
//   ...
//   metrics::Registry::global().remove_task(block); // the task is gone from this worker
//
// Counting must not slow the record path, so every value here has exactly one writer: a task's
// block is written by its task thread only, WorkerMetrics by the herder thread only. Writers
// use relaxed loads and stores (no lock, no read-modify-write, no lookup per record); any thread
// may read at any time, and a scrape may see one value a batch ahead of another, never a torn
// number. Rates are worked out at scrape time from the totals (TaskMetrics::rates()).
//
// Registry is thread-safe; adding and removing blocks takes a mutex (task start and stop only).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kanal::metrics {

using Clock = std::chrono::steady_clock;

// A count that only grows. One writer thread; readers anywhere.
class Counter {
 public:
  void add(uint64_t n = 1) {
    v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// A value that goes up and down. One writer thread; readers anywhere.
class Gauge {
 public:
  void set(int64_t v) { v_.store(v, std::memory_order_relaxed); }
  int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

// Kafka Connect's sampled Avg and Max (metrics.sample.window.ms=30000, metrics.num.samples=2):
// values recorded in the current and the previous 30-second window count, older ones are
// forgotten. One writer thread (record); readers anywhere (read).
class WindowedStat {
 public:
  static constexpr std::chrono::seconds kWindow{30};

  void record(double value, Clock::time_point now);

  struct Snapshot {
    uint64_t count = 0;
    double avg = 0;  // NaN when count == 0, as Connect reports an empty window
    double max = 0;  // NaN when count == 0
  };
  Snapshot read(Clock::time_point now) const;

 private:
  struct Sample {
    std::atomic<int64_t> window{-1};  // index of the 30-second window this sample holds
    std::atomic<uint64_t> count{0};
    std::atomic<double> sum{0};
    std::atomic<double> max{0};
  };
  std::array<Sample, 2> samples_;
};

// Connect's task-error-metrics. Written by the task thread (ErrorHandler and the runners).
struct ErrorCounters {
  Counter record_errors;
  Counter record_failures;
  Counter records_skipped;
  Counter retries;
  Counter errors_logged;
  Counter dlq_produce_requests;
  Counter dlq_produce_failures;
  Gauge last_error_timestamp_ms;  // wall clock, ms since the epoch; 0 = never
};

// librdkafka statistics of a task's main client (its producer or consumer), from the
// statistics callback: written by the thread that serves the client's callbacks.
struct ClientStats {
  Gauge reported;        // 1 once a statistics report arrived
  Gauge queue_messages;  // msg_cnt: messages waiting in the producer queue
  Gauge queue_bytes;     // msg_size
  Gauge tx_retries;      // txretries: requests sent again
  Gauge tx_errors;       // txerrs
  Gauge rtt_avg_us;      // highest broker rtt.avg (request round trip), microseconds
  Gauge consumer_lag;    // sum of consumer_lag over assigned partitions (consumers)
};

enum class TaskKind { kSource, kSink };

// One task's counters (connector-task-metrics, source-task-metrics or sink-task-metrics and
// task-error-metrics). Written by its task thread only.
class TaskMetrics {
 public:
  TaskMetrics(std::string connector, int32_t task, TaskKind kind, Clock::time_point started);
  TaskMetrics(const TaskMetrics&) = delete;
  TaskMetrics& operator=(const TaskMetrics&) = delete;

  const std::string connector;
  const int32_t task;
  const TaskKind kind;
  const Clock::time_point started;

  // connector-task-metrics
  WindowedStat batch_size;             // records per poll() (source) / per consumer batch (sink)
  WindowedStat offset_commit_time_ms;  // duration of successful offset commits
  WindowedStat offset_commit_outcome;  // 1 per successful commit, 0 per failed one
  // source-task-metrics
  Counter source_record_poll;   // records returned by poll()
  Counter source_record_write;  // records acknowledged by Kafka
  Gauge source_record_active;   // polled, not yet acknowledged
  WindowedStat poll_batch_time_ms;
  // sink-task-metrics
  Counter sink_record_read;  // records consumed from Kafka
  Counter sink_record_send;  // records handed to put() (after transforms)
  Counter offset_commit_completion;
  Counter offset_commit_skip;
  Gauge partition_count;
  WindowedStat put_batch_time_ms;
  // task-error-metrics
  ErrorCounters errors;
  // librdkafka statistics
  ClientStats client;

  // Per-second rates of the record totals over about the last minute (scrape side; thread-safe).
  struct Rates {
    double source_record_poll = 0;
    double source_record_write = 0;
    double sink_record_read = 0;
    double sink_record_send = 0;
    double offset_commit_completion = 0;
    double offset_commit_skip = 0;
  };
  Rates rates(Clock::time_point now) const;

 private:
  static constexpr size_t kRated = 6;
  struct Point {
    Clock::time_point at;
    std::array<uint64_t, kRated> totals;
  };
  mutable std::mutex rates_mu_;
  mutable std::deque<Point> history_;  // guarded by rates_mu_; oldest first
};

// Worker-wide counters (connect-worker-metrics, connect-worker-rebalance-metrics). Written by
// the herder thread only.
struct WorkerMetrics {
  Counter connector_startup_attempts;
  Counter connector_startup_success;
  Counter connector_startup_failure;
  Counter task_startup_attempts;
  Counter task_startup_success;
  Counter task_startup_failure;

  // Distributed mode: a rebalance starts when the group takes or hands out assignments and
  // completes when this worker applied its new assignment.
  void rebalance_started(Clock::time_point now);
  void rebalance_completed(Clock::time_point now);
  Counter completed_rebalances;
  Gauge rebalancing;                // 1 while a rebalance is under way
  Counter rebalance_time_total_ms;  // sum over completed rebalances
  Gauge rebalance_max_time_ms;
  Gauge last_rebalance_completed_ns;  // steady clock; 0 = never

 private:
  Clock::time_point rebalance_start_{};  // herder thread only
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process's registry: what GET /metrics shows. Never destroyed.
  static Registry& global();

  // Creates and lists a task's block. The task keeps the returned pointer and writes to it;
  // the registry keeps it listed until remove_task. A second block for the same task may
  // exist briefly during a restart: both are listed.
  std::shared_ptr<TaskMetrics> add_task(std::string connector, int32_t task, TaskKind kind);
  // Unlists a block (no-op when not listed). The block stays valid for whoever holds it.
  void remove_task(const std::shared_ptr<TaskMetrics>& block);
  // The listed blocks, ordered by connector, then task.
  std::vector<std::shared_ptr<const TaskMetrics>> tasks() const;

  WorkerMetrics& worker() { return worker_; }
  const WorkerMetrics& worker() const { return worker_; }

  // When the registry was created (process start for the global one).
  Clock::time_point created() const { return created_; }

 private:
  const Clock::time_point created_ = Clock::now();
  WorkerMetrics worker_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<TaskMetrics>> tasks_;  // guarded by mu_
};

}  // namespace kanal::metrics
