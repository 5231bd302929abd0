#include "runtime/status.h"

#include <algorithm>

namespace kanal::runtime {

void MemoryStatusStore::put_connector(const std::string& connector, StateInfo state) {
  std::lock_guard lock(mu_);
  connectors_[connector] = std::move(state);
}

void MemoryStatusStore::put_task(const TaskId& id, StateInfo state) {
  std::lock_guard lock(mu_);
  tasks_[id] = std::move(state);
}

std::optional<StateInfo> MemoryStatusStore::connector(const std::string& connector) const {
  std::lock_guard lock(mu_);
  auto it = connectors_.find(connector);
  if (it == connectors_.end()) return std::nullopt;
  return it->second;
}

std::optional<StateInfo> MemoryStatusStore::task(const TaskId& id) const {
  std::lock_guard lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<int32_t, StateInfo>> MemoryStatusStore::tasks(
    const std::string& connector) const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<int32_t, StateInfo>> out;
  for (auto it = tasks_.lower_bound(TaskId{connector, INT32_MIN});
       it != tasks_.end() && it->first.connector == connector; ++it) {
    out.emplace_back(it->first.task, it->second);
  }
  return out;
}

void MemoryStatusStore::remove_connector(const std::string& connector) {
  std::lock_guard lock(mu_);
  connectors_.erase(connector);
  for (auto it = tasks_.lower_bound(TaskId{connector, INT32_MIN});
       it != tasks_.end() && it->first.connector == connector;) {
    it = tasks_.erase(it);
  }
  topics_.erase(connector);
}

void MemoryStatusStore::remove_task(const TaskId& id) {
  std::lock_guard lock(mu_);
  tasks_.erase(id);
}

void MemoryStatusStore::put_topic(const std::string& connector, const std::string& topic) {
  std::lock_guard lock(mu_);
  auto& v = topics_[connector];
  if (std::find(v.begin(), v.end(), topic) == v.end()) v.push_back(topic);
}

std::vector<std::string> MemoryStatusStore::topics(const std::string& connector) const {
  std::lock_guard lock(mu_);
  auto it = topics_.find(connector);
  if (it == topics_.end()) return {};
  std::vector<std::string> out = it->second;
  std::sort(out.begin(), out.end());
  return out;
}

void MemoryStatusStore::reset_topics(const std::string& connector) {
  std::lock_guard lock(mu_);
  topics_.erase(connector);
}

}  // namespace kanal::runtime
