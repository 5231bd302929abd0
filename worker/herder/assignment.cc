#include "herder/assignment.h"

#include <algorithm>
#include <set>

namespace kanal::herder {
namespace {

// Balances one kind of item (connectors or tasks) over `members`.
// `kept[m]` is what member m had before and still exists (each item at most once overall).
template <typename Item>
std::map<std::string, std::vector<Item>> balance(const std::vector<std::string>& members,
                                                 const std::set<Item>& items,
                                                 std::map<std::string, std::set<Item>> kept) {
  const size_t n = items.size();
  const size_t m = members.size();
  const size_t base = n / m;
  const size_t extra = n % m;

  // The members that already hold the most get the `extra` slots of base+1: that keeps the most.
  std::vector<std::string> by_load = members;
  std::stable_sort(by_load.begin(), by_load.end(), [&](const std::string& a, const std::string& b) {
    return kept[a].size() > kept[b].size();
  });
  std::map<std::string, size_t> quota;
  for (size_t i = 0; i < by_load.size(); ++i) quota[by_load[i]] = base + (i < extra ? 1 : 0);

  std::map<std::string, std::vector<Item>> out;
  std::set<Item> placed;
  for (const std::string& member : members) {
    std::vector<Item>& mine = out[member];
    for (const Item& item : kept[member]) {  // sorted: the smallest items stay
      if (mine.size() == quota[member]) break;
      mine.push_back(item);
      placed.insert(item);
    }
  }
  // Everything else goes, in order, to the member with the most room left relative to its load:
  // the least loaded member that is below its quota (ties: smallest id).
  for (const Item& item : items) {
    if (placed.count(item)) continue;
    const std::string* best = nullptr;
    for (const std::string& member : members) {
      if (out[member].size() >= quota[member]) continue;
      if (!best || out[member].size() < out[*best].size()) best = &member;
    }
    out[*best].push_back(item);  // the quotas add up to n: there is always room
  }
  for (auto& [member, list] : out) std::sort(list.begin(), list.end());
  return out;
}

}  // namespace

Assignment assign(const std::vector<std::string>& members_in,
                  const std::map<std::string, int32_t>& task_counts, const Assignment& previous,
                  const MemberAssignment& withheld) {
  std::vector<std::string> members = members_in;
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  Assignment out;
  if (members.empty()) return out;

  std::set<std::string> connectors;
  std::set<TaskId> tasks;
  for (const auto& [name, count] : task_counts) {
    connectors.insert(name);
    for (int32_t i = 0; i < count; ++i) tasks.insert(TaskId{name, i});
  }
  for (const std::string& c : withheld.connectors) connectors.erase(c);
  for (const TaskId& t : withheld.tasks) tasks.erase(t);

  std::map<std::string, std::set<std::string>> kept_connectors;
  std::map<std::string, std::set<TaskId>> kept_tasks;
  std::set<std::string> claimed_connectors;
  std::set<TaskId> claimed_tasks;
  for (const std::string& member : members) {
    auto it = previous.find(member);
    if (it == previous.end()) continue;
    for (const std::string& c : it->second.connectors) {
      if (connectors.count(c) && claimed_connectors.insert(c).second)
        kept_connectors[member].insert(c);
    }
    for (const TaskId& t : it->second.tasks) {
      if (tasks.count(t) && claimed_tasks.insert(t).second) kept_tasks[member].insert(t);
    }
  }

  auto c = balance(members, connectors, std::move(kept_connectors));
  auto t = balance(members, tasks, std::move(kept_tasks));
  for (const std::string& member : members) {
    out[member].connectors = std::move(c[member]);
    out[member].tasks = std::move(t[member]);
  }
  return out;
}

}  // namespace kanal::herder
