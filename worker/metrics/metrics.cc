#include "metrics/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kanal::metrics {
namespace {

constexpr auto kRelaxed = std::memory_order_relaxed;

int64_t window_of(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count() /
         WindowedStat::kWindow.count();
}

// Rates are taken over at least this much history when it exists; Connect's Rate covers its
// sample windows (2 x 30 s) the same way.
constexpr auto kRateWindow = std::chrono::seconds(60);
// More points than this means scrapes far more often than once a second; thin them out.
constexpr size_t kMaxHistory = 512;

}  // namespace

void WindowedStat::record(double value, Clock::time_point now) {
  int64_t w = window_of(now);
  Sample& s = samples_[static_cast<size_t>(w) & 1];
  if (s.window.load(kRelaxed) != w) {
    // This slot held a window at least 60 s old: start it afresh. A reader racing with this
    // sees a mix of old and new values for one scrape; never a torn number.
    s.count.store(0, kRelaxed);
    s.sum.store(0, kRelaxed);
    s.max.store(0, kRelaxed);
    s.window.store(w, std::memory_order_release);
  }
  uint64_t n = s.count.load(kRelaxed);
  s.sum.store(s.sum.load(kRelaxed) + value, kRelaxed);
  if (n == 0 || value > s.max.load(kRelaxed)) s.max.store(value, kRelaxed);
  s.count.store(n + 1, kRelaxed);
}

WindowedStat::Snapshot WindowedStat::read(Clock::time_point now) const {
  int64_t w = window_of(now);
  Snapshot out;
  double sum = 0;
  double max = -std::numeric_limits<double>::infinity();
  for (const Sample& s : samples_) {
    int64_t sw = s.window.load(std::memory_order_acquire);
    if (sw < w - 1 || sw > w) continue;
    uint64_t n = s.count.load(kRelaxed);
    if (n == 0) continue;
    out.count += n;
    sum += s.sum.load(kRelaxed);
    max = std::max(max, s.max.load(kRelaxed));
  }
  if (out.count == 0) {
    out.avg = std::numeric_limits<double>::quiet_NaN();
    out.max = std::numeric_limits<double>::quiet_NaN();
  } else {
    out.avg = sum / static_cast<double>(out.count);
    out.max = max;
  }
  return out;
}

TaskMetrics::TaskMetrics(std::string connector_name, int32_t task_id, TaskKind task_kind,
                         Clock::time_point start)
    : connector(std::move(connector_name)), task(task_id), kind(task_kind), started(start) {
  history_.push_back(Point{start, {}});
}

TaskMetrics::Rates TaskMetrics::rates(Clock::time_point now) const {
  std::array<uint64_t, kRated> totals = {
      source_record_poll.value(), source_record_write.value(),      sink_record_read.value(),
      sink_record_send.value(),   offset_commit_completion.value(), offset_commit_skip.value()};
  std::lock_guard lock(rates_mu_);
  // Keep the newest point that is at least kRateWindow old as the base, and everything after.
  while (history_.size() >= 2 && now - history_[1].at >= kRateWindow) history_.pop_front();
  const Point base = history_.front();
  if (history_.size() >= kMaxHistory) history_.erase(history_.begin() + 1);
  if (now > history_.back().at) history_.push_back(Point{now, totals});
  double seconds = std::chrono::duration<double>(now - base.at).count();
  std::array<double, kRated> r{};
  if (seconds > 0.001) {
    for (size_t i = 0; i < kRated; ++i) {
      uint64_t delta = totals[i] >= base.totals[i] ? totals[i] - base.totals[i] : 0;
      r[i] = static_cast<double>(delta) / seconds;
    }
  }
  return Rates{r[0], r[1], r[2], r[3], r[4], r[5]};
}

void WorkerMetrics::rebalance_started(Clock::time_point now) {
  if (rebalancing.value() != 0) return;
  rebalance_start_ = now;
  rebalancing.set(1);
}

void WorkerMetrics::rebalance_completed(Clock::time_point now) {
  if (rebalancing.value() == 0) return;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - rebalance_start_).count();
  rebalance_time_total_ms.add(static_cast<uint64_t>(std::max<int64_t>(ms, 0)));
  if (ms > rebalance_max_time_ms.value()) rebalance_max_time_ms.set(ms);
  completed_rebalances.add();
  last_rebalance_completed_ns.set(
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count());
  rebalancing.set(0);
}

Registry& Registry::global() {
  static Registry* r = new Registry();  // never destroyed: task threads may outlive main
  return *r;
}

std::shared_ptr<TaskMetrics> Registry::add_task(std::string connector, int32_t task,
                                                TaskKind kind) {
  auto block = std::make_shared<TaskMetrics>(std::move(connector), task, kind, Clock::now());
  std::lock_guard lock(mu_);
  tasks_.push_back(block);
  return block;
}

void Registry::remove_task(const std::shared_ptr<TaskMetrics>& block) {
  std::lock_guard lock(mu_);
  tasks_.erase(std::remove(tasks_.begin(), tasks_.end(), block), tasks_.end());
}

std::vector<std::shared_ptr<const TaskMetrics>> Registry::tasks() const {
  std::vector<std::shared_ptr<const TaskMetrics>> out;
  {
    std::lock_guard lock(mu_);
    out.assign(tasks_.begin(), tasks_.end());
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a->connector != b->connector ? a->connector < b->connector : a->task < b->task;
  });
  return out;
}

}  // namespace kanal::metrics
