// The distributed herder's assignor: which worker runs which connectors and tasks.
//
// A pure function of the live members, the connectors with their task counts and the previous
// assignment, computed by the leader of each generation (Connect's leader assignment, with the
// balance and stickiness of its incremental cooperative protocol but in one step):
//
//   * balanced: the numbers of connectors per member differ by at most one, and so do the
//     numbers of tasks (connectors and tasks are balanced independently, as in Connect);
//   * sticky: a live member keeps every connector and task it had, unless keeping it would break
//     the balance; only the surplus of overloaded members and the work of departed members moves;
//   * deterministic: the same inputs give the same output, whatever their order.
//
// New work goes to the least loaded member (ties: smallest worker id), so a connector's tasks
// spread over the members.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "herder/herder.h"

namespace kanal::herder {

struct MemberAssignment {
  std::vector<std::string> connectors;  // sorted
  std::vector<TaskId> tasks;            // sorted
  friend bool operator==(const MemberAssignment&, const MemberAssignment&) = default;
};

// Worker id → what it runs. Every live member has an entry, possibly empty.
using Assignment = std::map<std::string, MemberAssignment>;

// `members`: worker ids of the live members (duplicates ignored). `task_counts`: every connector
// with its number of tasks (0 for a stopped connector or one without committed task configs).
// `previous`: the last published assignment; entries of departed members, deleted connectors
// and tasks beyond a connector's count are ignored. `withheld`: work that must not be assigned
// to anyone now (the work of a departed worker during scheduled.rebalance.max.delay.ms).
// Empty when there is no member.
Assignment assign(const std::vector<std::string>& members,
                  const std::map<std::string, int32_t>& task_counts, const Assignment& previous,
                  const MemberAssignment& withheld = {});

}  // namespace kanal::herder
