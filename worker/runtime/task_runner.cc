#include "runtime/task_runner.h"

#include <exception>

namespace kanal::runtime {

TaskRunner::TaskRunner(TaskId id, StatusStore& status, std::string worker_id, std::string version)
    : logger_(log::Logger("kanal.runtime").for_task(id.connector, id.task)),
      id_(std::move(id)),
      status_(status),
      worker_id_(std::move(worker_id)),
      version_(std::move(version)) {}

TaskRunner::~TaskRunner() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
  if (metrics_) metrics::Registry::global().remove_task(metrics_);
}

void TaskRunner::start(bool paused) {
  paused_ = paused;
  metrics_ = metrics::Registry::global().add_task(id_.connector, id_.task, metrics_kind());
  status_.put_task(id_, StateInfo{kUnassigned, worker_id_, std::nullopt, version_});
  thread_ = std::jthread([this](std::stop_token stop) { thread_main(std::move(stop)); });
}

void TaskRunner::thread_main(std::stop_token stop) {
  // The task thread's catch-all boundary: an exception here is a bug in kanal or a plugin that
  // escaped the SDK; the task fails with its message instead of terminating the process.
  try {
    execute(stop);
  } catch (const std::exception& e) {
    fail(Status::internal(std::string("unexpected exception in task thread: ") + e.what()));
  } catch (...) {
    fail(Status::internal("unexpected non-standard exception in task thread"));
  }
  {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  cv_.notify_all();
}

void TaskRunner::request_stop() {
  thread_.request_stop();
  on_stop_requested();
  cv_.notify_all();
}

bool TaskRunner::await_stop(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return finished_.load(); });
  if (!finished_) return false;
  lock.unlock();
  if (thread_.joinable()) thread_.join();
  return true;
}

void TaskRunner::abandon() {
  logger_.error("task.abandoned",
                {{"reason", "task did not stop within task.shutdown.graceful.timeout.ms"}});
  thread_.detach();
  // The task is no longer this worker's: its counters leave the page (the block itself stays
  // alive for the detached thread through metrics_).
  if (metrics_) metrics::Registry::global().remove_task(metrics_);
}

void TaskRunner::set_paused(bool paused) {
  paused_ = paused;
  cv_.notify_all();
}

void TaskRunner::report_running() {
  status_.put_task(id_, StateInfo{kRunning, worker_id_, std::nullopt, version_});
  logger_.info("task.state", {{"state", kRunning}});
}

void TaskRunner::report_paused() {
  status_.put_task(id_, StateInfo{kPaused, worker_id_, std::nullopt, version_});
  logger_.info("task.state", {{"state", kPaused}});
}

void TaskRunner::fail(const Status& error) {
  failed_ = true;
  // Plugins' messages may quote a config value; values from config providers are masked.
  std::string trace =
      log::redact("org.apache.kafka.connect.errors.ConnectException: " + error.message());
  status_.put_task(id_, StateInfo{kFailed, worker_id_, trace, version_});
  logger_.error("task.failed", {{"error", error.message()}});
}

bool TaskRunner::wait_while_paused(std::stop_token stop) {
  if (!paused_) return !stop.stop_requested();
  report_paused();
  std::unique_lock lock(mu_);
  cv_.wait(lock, stop, [this] { return !paused_.load(); });
  lock.unlock();
  if (stop.stop_requested()) return false;
  report_running();
  return true;
}

bool TaskRunner::sleep_for(std::stop_token stop, std::chrono::milliseconds d) {
  std::unique_lock lock(mu_);
  bool was_paused = paused_;
  cv_.wait_for(lock, stop, d, [&] { return paused_.load() != was_paused; });
  return !stop.stop_requested();
}

}  // namespace kanal::runtime
