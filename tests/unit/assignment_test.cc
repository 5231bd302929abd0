#include "herder/assignment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "herder/distributed_herder.h"

namespace kanal::herder {
namespace {

size_t spread_connectors(const Assignment& a) {
  size_t lo = SIZE_MAX, hi = 0;
  for (const auto& [m, ma] : a) {
    lo = std::min(lo, ma.connectors.size());
    hi = std::max(hi, ma.connectors.size());
  }
  return hi - lo;
}

size_t spread_tasks(const Assignment& a) {
  size_t lo = SIZE_MAX, hi = 0;
  for (const auto& [m, ma] : a) {
    lo = std::min(lo, ma.tasks.size());
    hi = std::max(hi, ma.tasks.size());
  }
  return hi - lo;
}

// Every connector and task assigned exactly once.
void expect_complete(const Assignment& a, const std::map<std::string, int32_t>& counts) {
  std::multiset<std::string> connectors;
  std::multiset<TaskId> tasks;
  for (const auto& [m, ma] : a) {
    connectors.insert(ma.connectors.begin(), ma.connectors.end());
    tasks.insert(ma.tasks.begin(), ma.tasks.end());
  }
  std::multiset<std::string> want_c;
  std::multiset<TaskId> want_t;
  for (const auto& [c, n] : counts) {
    want_c.insert(c);
    for (int32_t i = 0; i < n; ++i) want_t.insert(TaskId{c, i});
  }
  EXPECT_EQ(connectors, want_c);
  EXPECT_EQ(tasks, want_t);
}

// How many (member, item) pairs of `before` survive in `after`.
size_t kept(const Assignment& before, const Assignment& after) {
  size_t n = 0;
  for (const auto& [m, ma] : after) {
    auto it = before.find(m);
    if (it == before.end()) continue;
    for (const auto& c : ma.connectors)
      n += std::count(it->second.connectors.begin(), it->second.connectors.end(), c);
    for (const auto& t : ma.tasks)
      n += std::count(it->second.tasks.begin(), it->second.tasks.end(), t);
  }
  return n;
}

TEST(AssignmentTest, NoMembersGivesEmptyAssignment) {
  EXPECT_TRUE(assign({}, {{"a", 3}}, {}).empty());
}

TEST(AssignmentTest, EveryMemberHasAnEntryEvenWithoutWork) {
  Assignment a = assign({"w1", "w2"}, {}, {});
  ASSERT_EQ(a.size(), 2u);
  EXPECT_TRUE(a["w1"].connectors.empty());
  EXPECT_TRUE(a["w2"].tasks.empty());
}

TEST(AssignmentTest, SpreadsOneConnectorsTasksOverAllMembers) {
  std::map<std::string, int32_t> counts{{"c", 6}};
  Assignment a = assign({"w3", "w1", "w2"}, counts, {});
  expect_complete(a, counts);
  for (const auto& [m, ma] : a) EXPECT_EQ(ma.tasks.size(), 2u) << m;
  EXPECT_EQ(spread_connectors(a), 1u);
}

TEST(AssignmentTest, IsDeterministicWhateverTheInputOrder) {
  std::map<std::string, int32_t> counts{{"a", 3}, {"b", 2}, {"c", 5}};
  Assignment a = assign({"w1", "w2", "w3"}, counts, {});
  Assignment b = assign({"w3", "w2", "w1", "w2"}, counts, {});
  EXPECT_EQ(a, b);
}

TEST(AssignmentTest, KeepsEverythingWhenAlreadyBalanced) {
  std::map<std::string, int32_t> counts{{"a", 2}, {"b", 2}};
  Assignment prev{{"w1", {{"b"}, {{"a", 1}, {"b", 0}}}}, {"w2", {{"a"}, {{"a", 0}, {"b", 1}}}}};
  EXPECT_EQ(assign({"w1", "w2"}, counts, prev), prev);
}

TEST(AssignmentTest, MovesOnlyTheDepartedMembersWork) {
  std::map<std::string, int32_t> counts{{"a", 4}, {"b", 2}, {"c", 3}};
  Assignment before = assign({"w1", "w2", "w3"}, counts, {});
  Assignment after = assign({"w1", "w3"}, counts, before);
  expect_complete(after, counts);
  EXPECT_LE(spread_connectors(after), 1u);
  EXPECT_LE(spread_tasks(after), 1u);
  // w1 and w3 keep everything they had: only w2's share moved.
  for (const std::string m : {"w1", "w3"}) {
    for (const auto& t : before[m].tasks) {
      EXPECT_TRUE(std::count(after[m].tasks.begin(), after[m].tasks.end(), t)) << m;
    }
    for (const auto& c : before[m].connectors) {
      EXPECT_TRUE(std::count(after[m].connectors.begin(), after[m].connectors.end(), c)) << m;
    }
  }
}

TEST(AssignmentTest, NewMemberTakesOnlyItsShare) {
  std::map<std::string, int32_t> counts{{"a", 6}, {"b", 3}};
  Assignment before = assign({"w1", "w2"}, counts, {});
  Assignment after = assign({"w1", "w2", "w3"}, counts, before);
  expect_complete(after, counts);
  EXPECT_LE(spread_tasks(after), 1u);
  EXPECT_EQ(after["w3"].tasks.size(), 3u);
  // 9 tasks + 2 connectors; w3 takes 3 tasks and at most one connector, the rest stays.
  EXPECT_GE(kept(before, after), 11u - 4u);
}

TEST(AssignmentTest, WithheldWorkGoesToNobodyAndTheRestStaysBalanced) {
  std::map<std::string, int32_t> counts{{"a", 4}, {"b", 2}};
  Assignment before = assign({"w1", "w2", "w3"}, counts, {});
  // w2 vanished: its work is held back during the scheduled delay.
  MemberAssignment held = before["w2"];
  ASSERT_FALSE(held.tasks.empty());
  Assignment during = assign({"w1", "w3"}, counts, before, held);
  for (const auto& [m, ma] : during) {
    for (const auto& t : held.tasks) EXPECT_EQ(std::count(ma.tasks.begin(), ma.tasks.end(), t), 0);
    for (const auto& c : held.connectors) {
      EXPECT_EQ(std::count(ma.connectors.begin(), ma.connectors.end(), c), 0);
    }
  }
  // The others keep exactly what they had.
  EXPECT_EQ(during["w1"], before["w1"]);
  EXPECT_EQ(during["w3"], before["w3"]);
  // w2 back with its old work as "previous": everything is where it was.
  Assignment back = assign({"w1", "w2", "w3"}, counts, before);
  EXPECT_EQ(back, before);
}

TEST(AssignmentTest, DropsDeletedConnectorsAndTasksBeyondTheCount) {
  Assignment prev{{"w1", {{"a", "gone"}, {{"a", 0}, {"a", 1}, {"a", 2}, {"gone", 0}}}},
                  {"w2", {{}, {}}}};
  std::map<std::string, int32_t> counts{{"a", 2}};
  Assignment a = assign({"w1", "w2"}, counts, prev);
  expect_complete(a, counts);
  EXPECT_EQ(a["w1"].connectors, std::vector<std::string>{"a"});
  EXPECT_EQ(a["w1"].tasks.size(), 1u);
  EXPECT_EQ(a["w2"].tasks.size(), 1u);
}

TEST(AssignmentTest, ATaskClaimedTwiceInThePreviousAssignmentIsKeptOnce) {
  Assignment prev{{"w1", {{"a"}, {{"a", 0}}}}, {"w2", {{"a"}, {{"a", 0}}}}};
  std::map<std::string, int32_t> counts{{"a", 1}};
  Assignment a = assign({"w1", "w2"}, counts, prev);
  expect_complete(a, counts);
}

TEST(AssignmentTest, StaysBalancedAndCompleteThroughRandomChurn) {
  std::mt19937 rng(42);
  Assignment current;
  std::vector<std::string> pool{"w1", "w2", "w3", "w4", "w5"};
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> members;
    for (const auto& w : pool) {
      if (rng() % 3 != 0) members.push_back(w);
    }
    std::map<std::string, int32_t> counts;
    int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) counts["c" + std::to_string(rng() % 8)] = rng() % 7;
    Assignment next = assign(members, counts, current);
    if (members.empty()) {
      EXPECT_TRUE(next.empty());
      continue;
    }
    expect_complete(next, counts);
    ASSERT_LE(spread_connectors(next), 1u) << "round " << round;
    ASSERT_LE(spread_tasks(next), 1u) << "round " << round;
    // Unchanged inputs: nothing moves.
    EXPECT_EQ(assign(members, counts, next), next);
    current = next;
  }
}

}  // namespace
}  // namespace kanal::herder

namespace kanal::herder {
namespace {

TEST(AssignmentRecordTest, RoundTripsThroughJson) {
  AssignmentRecord r;
  r.generation = 7;
  r.sequence = 2;
  r.leader = "10.0.0.5:8083";
  r.leader_url = "http://10.0.0.5:8083/";
  r.member_ids = {{"10.0.0.5:8083", {"10.0.0.5:8083-a"}},
                  {"10.0.0.6:8083", {"10.0.0.6:8083-b", "10.0.0.6:8083-c"}}};
  r.assignment = {{"10.0.0.5:8083", {{"my-conn"}, {{"my-conn", 0}, {"a-b-c", 11}}}},
                  {"10.0.0.6:8083", {{}, {{"my-conn", 1}}}}};
  r.lost = {
      {"10.0.0.7:8083", LostWork{{{"other"}, {{"other", 0}, {"my-conn", 2}}}, 1764000000123}}};

  auto back = decode_assignment_record(encode_assignment_record(r));

  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->generation, 7);
  EXPECT_EQ(back->sequence, 2);
  EXPECT_EQ(back->leader, r.leader);
  EXPECT_EQ(back->leader_url, r.leader_url);
  EXPECT_EQ(back->member_ids, r.member_ids);
  EXPECT_EQ(back->assignment, r.assignment);
  EXPECT_EQ(back->lost, r.lost);
  // A record without held work (as older kanal versions wrote it) reads as none held.
  r.lost.clear();
  auto plain = decode_assignment_record(encode_assignment_record(r));
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->lost.empty());
}

TEST(AssignmentRecordTest, RefusesMalformedRecords) {
  EXPECT_FALSE(decode_assignment_record("").ok());
  EXPECT_FALSE(decode_assignment_record("{\"generation\":\"x\",\"members\":{}}").ok());
  EXPECT_FALSE(decode_assignment_record("{\"generation\":1}").ok());
  EXPECT_FALSE(decode_assignment_record("{\"generation\":1,\"members\":{\"w\":3}}").ok());
  EXPECT_FALSE(
      decode_assignment_record("{\"generation\":1,\"members\":{},\"lost\":{\"w\":{}}}").ok());
}

}  // namespace
}  // namespace kanal::herder
