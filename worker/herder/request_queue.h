// RequestQueue: how other threads hand work to a herder thread (style guide section 7).
//
// REST handlers and callbacks post() work or call() and wait for its result with a deadline
// (kTimeout → 500 when the herder thread does not answer in time); the herder thread take()s
// batches and runs them. After close(), post() drops work and call() answers kUnavailable; work
// already queued is still handed out once, so no caller waits for a deadline in vain.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>

#include "common/status.h"

namespace kanal::herder {

class RequestQueue {
 public:
  using Work = std::function<void()>;

  explicit RequestQueue(std::chrono::milliseconds request_timeout)
      : request_timeout_(request_timeout) {}

  // Queues `fn` for the herder thread; dropped once closed.
  void post(Work fn) {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      queue_.push_back(std::move(fn));
    }
    cv_.notify_one();
  }

  // Runs `fn` on the herder thread and waits for its result up to the request timeout. An
  // exception thrown by `fn` becomes kInternal with its message.
  template <typename T>
  Result<T> call(std::function<Result<T>()> fn) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    auto future = promise->get_future();
    {
      std::lock_guard lock(mu_);
      if (closed_) return Status::unavailable("The worker is shutting down");
      queue_.push_back([promise, fn = std::move(fn)] {
        try {
          promise->set_value(fn());
        } catch (const std::exception& e) {
          promise->set_value(Status::internal(e.what()));
        }
      });
    }
    cv_.notify_one();
    if (future.wait_for(request_timeout_) != std::future_status::ready) {
      return Status::timeout("Request timed out");
    }
    return future.get();
  }

  Status call_status(std::function<Status()> fn) {
    auto r = call<bool>([fn = std::move(fn)]() -> Result<bool> {
      Status s = fn();
      if (!s.ok()) return s;
      return true;
    });
    return r.ok() ? Status::OK() : r.status();
  }

  // Herder thread: waits up to `wait` for work, then returns everything queued (possibly
  // nothing). nullopt once closed and drained: the herder thread should end.
  std::optional<std::deque<Work>> take(std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, wait, [&] { return closed_ || !queue_.empty(); });
    if (closed_ && queue_.empty()) return std::nullopt;
    std::deque<Work> batch;
    batch.swap(queue_);
    return batch;
  }

  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  const std::chrono::milliseconds request_timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Work> queue_;  // guarded by mu_
  bool closed_ = false;     // guarded by mu_
};

}  // namespace kanal::herder
