// TaskRunner: one task on its own thread, with cooperative, bounded stopping.
//
// start() launches the thread; request_stop() asks the task to stop (it wakes a blocked
// poll()/put() through the task's stop()); await_stop(deadline) waits for the thread to end. A
// task that does not end in time is abandoned: abandon() detaches its thread and leaks the
// runner on purpose (the thread still uses it), reporting it, so that shutdown never hangs on a
// plugin that ignores stop. Status changes go to the StatusStore with this worker's id.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "common/log.h"
#include "common/status.h"
#include "data/record.h"
#include "metrics/metrics.h"
#include "runtime/status.h"

namespace kanal::runtime {

class TaskRunner {
 public:
  TaskRunner(TaskId id, StatusStore& status, std::string worker_id, std::string version);
  virtual ~TaskRunner();
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  const TaskId& id() const { return id_; }

  // Starts the task thread; `paused` is the initial target state.
  void start(bool paused);
  // Any thread. Asks the task to stop; returns at once.
  void request_stop();
  // Waits until the task thread has ended or `deadline` passes; true when it ended.
  bool await_stop(std::chrono::steady_clock::time_point deadline);
  // Detaches a thread that did not stop in time and leaks this object (see file comment).
  // Call only after await_stop() returned false; the caller must release its ownership.
  void abandon();

  // Target state changes (any thread).
  void set_paused(bool paused);
  bool paused() const { return paused_.load(); }

 protected:
  // The task's body, run on the task thread. Returns when stop is requested or the task failed
  // (after calling fail()).
  virtual void execute(std::stop_token stop) = 0;
  // Called by request_stop() on the caller's thread: wake the plugin (its stop()).
  virtual void on_stop_requested() = 0;

  // Which metric groups this task's block carries (source or sink task metrics).
  virtual metrics::TaskKind metrics_kind() const = 0;

  // Reports states.
  void report_running();
  void report_paused();
  void fail(const Status& error);
  bool failed() const { return failed_; }

  // Waits while paused (returns false when stop was requested meanwhile).
  bool wait_while_paused(std::stop_token stop);
  // Sleeps up to `d`, waking early on stop or a target-state change. False when stopping.
  bool sleep_for(std::stop_token stop, std::chrono::milliseconds d);

  log::Logger logger_;
  const TaskId id_;
  // This task's counters, listed in metrics::Registry::global() from start() until the runner
  // is destroyed or abandoned. Written by the task thread only.
  std::shared_ptr<metrics::TaskMetrics> metrics_;

 private:
  void thread_main(std::stop_token stop);

  StatusStore& status_;
  std::string worker_id_;
  std::string version_;
  std::atomic<bool> paused_{false};
  std::atomic<bool> finished_{false};
  bool failed_ = false;  // task thread only
  std::mutex mu_;
  std::condition_variable_any cv_;  // wakes sleep_for / wait_while_paused / await_stop
  std::jthread thread_;
};

}  // namespace kanal::runtime
