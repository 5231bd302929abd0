// Connector and task statuses as the runtime observes them (Connect's StatusBackingStore view).
//
// Tasks report state changes from their own threads; the herder and REST read them from any
// thread. MemoryStatusStore is the standalone implementation; the distributed one writes the
// status topic.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "herder/herder.h"

namespace kanal::runtime {

using herder::StateInfo;
using herder::TaskId;

// Connect's state names.
inline constexpr const char* kUnassigned = "UNASSIGNED";
inline constexpr const char* kRunning = "RUNNING";
inline constexpr const char* kPaused = "PAUSED";
inline constexpr const char* kStopped = "STOPPED";
inline constexpr const char* kFailed = "FAILED";
inline constexpr const char* kRestarting = "RESTARTING";

class StatusStore {
 public:
  virtual ~StatusStore() = default;
  virtual void put_connector(const std::string& connector, StateInfo state) = 0;
  virtual void put_task(const TaskId& id, StateInfo state) = 0;
  virtual std::optional<StateInfo> connector(const std::string& connector) const = 0;
  virtual std::optional<StateInfo> task(const TaskId& id) const = 0;
  // Every task status of a connector, ordered by task id.
  virtual std::vector<std::pair<int32_t, StateInfo>> tasks(const std::string& connector) const = 0;
  // Forgets a connector and its tasks (deletion).
  virtual void remove_connector(const std::string& connector) = 0;
  virtual void remove_task(const TaskId& id) = 0;
  // Topics a connector used (topic tracking).
  virtual void put_topic(const std::string& connector, const std::string& topic) = 0;
  virtual std::vector<std::string> topics(const std::string& connector) const = 0;
  virtual void reset_topics(const std::string& connector) = 0;
};

class MemoryStatusStore : public StatusStore {
 public:
  void put_connector(const std::string& connector, StateInfo state) override;
  void put_task(const TaskId& id, StateInfo state) override;
  std::optional<StateInfo> connector(const std::string& connector) const override;
  std::optional<StateInfo> task(const TaskId& id) const override;
  std::vector<std::pair<int32_t, StateInfo>> tasks(const std::string& connector) const override;
  void remove_connector(const std::string& connector) override;
  void remove_task(const TaskId& id) override;
  void put_topic(const std::string& connector, const std::string& topic) override;
  std::vector<std::string> topics(const std::string& connector) const override;
  void reset_topics(const std::string& connector) override;

 private:
  mutable std::mutex mu_;
  std::map<std::string, StateInfo> connectors_;             // guarded by mu_
  std::map<TaskId, StateInfo> tasks_;                       // guarded by mu_
  std::map<std::string, std::vector<std::string>> topics_;  // guarded by mu_
};

}  // namespace kanal::runtime
