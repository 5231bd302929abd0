// OffsetTracker: source offsets become committable only over an acknowledged prefix.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "runtime/offset_tracker.h"

namespace kanal::runtime {
namespace {

using data::OrderedMap;
using data::Value;
using storage::OffsetEntry;

OrderedMap file(std::string_view name) { return OrderedMap{{"filename", Value::string(name)}}; }
OrderedMap pos(int64_t n) { return OrderedMap{{"position", Value::int64(n)}}; }

std::string key(std::string_view name) {
  return R"(["src",{"filename":")" + std::string(name) + R"("}])";
}
std::string value(int64_t n) { return R"({"position":)" + std::to_string(n) + "}"; }

OffsetTracker::Handle submit(OffsetTracker& tracker, const OrderedMap& partition, int64_t n) {
  auto handle = tracker.submit(partition, pos(n));
  EXPECT_TRUE(handle.ok()) << handle.status().to_string();
  return handle.ok() ? *handle : OffsetTracker::Handle();
}

TEST(OffsetTrackerTest, CommitsNothingWhenNothingIsAcked) {
  OffsetTracker tracker("src");
  submit(tracker, file("a"), 1);

  auto committable = tracker.committable();

  EXPECT_TRUE(committable.empty());
  EXPECT_EQ(committable.uncommittable_records, 1u);
  EXPECT_EQ(tracker.pending(), 1u);
}

TEST(OffsetTrackerTest, AdvancesOnlyOverContiguousAckedPrefixWhenAcksArriveOutOfOrder) {
  OffsetTracker tracker("src");
  auto h1 = submit(tracker, file("a"), 10);
  auto h2 = submit(tracker, file("a"), 20);
  auto h3 = submit(tracker, file("a"), 30);
  auto h4 = submit(tracker, file("a"), 40);

  tracker.ack(h2);
  tracker.ack(h4);
  auto before = tracker.committable();
  tracker.ack(h1);
  auto middle = tracker.committable();
  tracker.ack(h3);
  auto after = tracker.committable();

  EXPECT_TRUE(before.empty());
  EXPECT_EQ(middle.entries, (std::vector<OffsetEntry>{{key("a"), value(20)}}));
  EXPECT_EQ(middle.committable_records, 2u);
  EXPECT_EQ(middle.uncommittable_records, 2u);
  EXPECT_EQ(after.entries, (std::vector<OffsetEntry>{{key("a"), value(40)}}));
  EXPECT_EQ(tracker.pending(), 0u);
}

TEST(OffsetTrackerTest, TracksPartitionsIndependently) {
  OffsetTracker tracker("src");
  auto a1 = submit(tracker, file("a"), 1);
  auto b1 = submit(tracker, file("b"), 100);
  auto a2 = submit(tracker, file("a"), 2);
  auto b2 = submit(tracker, file("b"), 200);

  tracker.ack(b1);
  tracker.ack(b2);
  tracker.ack(a2);  // a1 still in flight: partition a stays put
  auto committable = tracker.committable();

  EXPECT_EQ(committable.entries, (std::vector<OffsetEntry>{{key("b"), value(200)}}));
  EXPECT_EQ(committable.largest_queue, 2u);
  EXPECT_EQ(committable.largest_queue_partition, file("a"));
  (void)a1;
}

TEST(OffsetTrackerTest, NeverCommitsPastAFailedRecord) {
  OffsetTracker tracker("src");
  auto h1 = submit(tracker, file("a"), 1);
  auto h2 = submit(tracker, file("a"), 2);
  auto h3 = submit(tracker, file("a"), 3);

  tracker.ack(h1);
  tracker.fail(h2);
  tracker.ack(h3);
  auto committable = tracker.committable();

  EXPECT_EQ(committable.entries, (std::vector<OffsetEntry>{{key("a"), value(1)}}));
  EXPECT_EQ(tracker.failed(), 1u);
  EXPECT_EQ(tracker.pending(), 0u);
  EXPECT_EQ(committable.uncommittable_records, 2u);
}

TEST(OffsetTrackerTest, ReturnsSameOffsetsAgainWhenCommitWasNotMarked) {
  OffsetTracker tracker("src");
  tracker.ack(submit(tracker, file("a"), 7));

  auto first = tracker.committable();
  auto again = tracker.committable();
  tracker.mark_committed(again);
  auto after_mark = tracker.committable();

  EXPECT_EQ(first.entries, (std::vector<OffsetEntry>{{key("a"), value(7)}}));
  EXPECT_EQ(again.entries, first.entries);
  EXPECT_TRUE(after_mark.empty());
}

TEST(OffsetTrackerTest, KeepsNewerOffsetWhenAnOlderCommitIsMarked) {
  OffsetTracker tracker("src");
  tracker.ack(submit(tracker, file("a"), 1));
  auto taken = tracker.committable();
  tracker.ack(submit(tracker, file("a"), 2));

  tracker.mark_committed(taken);
  auto next = tracker.committable();

  EXPECT_EQ(next.entries, (std::vector<OffsetEntry>{{key("a"), value(2)}}));
}

TEST(OffsetTrackerTest, GroupsPartitionsIgnoringEntryOrderAsMapEqualsDoes) {
  OffsetTracker tracker("src");
  OrderedMap ab{{"a", Value::int64(1)}, {"b", Value::string("x")}};
  OrderedMap ba{{"b", Value::string("x")}, {"a", Value::int64(1)}};
  auto h1 = submit(tracker, ab, 1);
  auto h2 = submit(tracker, ba, 2);

  tracker.ack(h2);
  auto blocked = tracker.committable();
  tracker.ack(h1);
  auto committable = tracker.committable();

  EXPECT_TRUE(blocked.empty());
  EXPECT_EQ(committable.entries,
            (std::vector<OffsetEntry>{{R"(["src",{"a":1,"b":"x"}])", value(2)}}));
}

TEST(OffsetTrackerTest, KeepsLastRealOffsetWhenLaterRecordsCarryNone) {
  OffsetTracker tracker("src");
  tracker.ack(submit(tracker, file("a"), 5));
  auto none = tracker.submit(file("a"), OrderedMap{});
  ASSERT_TRUE(none.ok());

  tracker.ack(*none);
  auto committable = tracker.committable();

  EXPECT_EQ(committable.entries, (std::vector<OffsetEntry>{{key("a"), value(5)}}));
  EXPECT_EQ(committable.committable_records, 2u);
}

TEST(OffsetTrackerTest, RejectsNestedOffsetValuesAtSubmit) {
  OffsetTracker tracker("src");
  OrderedMap offset{{"x", Value::array({Value::int64(1)})}};

  auto handle = tracker.submit(file("a"), offset);

  ASSERT_FALSE(handle.ok());
  EXPECT_NE(handle.status().message().find("key 'x' is an array"), std::string::npos);
  EXPECT_EQ(tracker.pending(), 0u);
}

TEST(OffsetTrackerTest, RejectsNestedPartitionValuesAtSubmit) {
  OffsetTracker tracker("src");
  OrderedMap partition{{"p", Value::map({})}};

  auto handle = tracker.submit(partition, pos(1));

  ASSERT_FALSE(handle.ok());
  EXPECT_NE(handle.status().message().find("Source partition"), std::string::npos);
}

TEST(OffsetTrackerTest, DropsOnlyTheNewestSubmissionOfAPartition) {
  OffsetTracker tracker("src");
  auto h1 = submit(tracker, file("a"), 1);
  auto h2 = submit(tracker, file("a"), 2);

  bool dropped_old = tracker.drop(h1);
  bool dropped_new = tracker.drop(h2);
  tracker.ack(h1);
  auto committable = tracker.committable();

  EXPECT_FALSE(dropped_old);
  EXPECT_TRUE(dropped_new);
  EXPECT_EQ(committable.entries, (std::vector<OffsetEntry>{{key("a"), value(1)}}));
}

TEST(OffsetTrackerTest, HandlesRoundTripThroughOpaquePointer) {
  OffsetTracker tracker("src");
  auto h = submit(tracker, file("a"), 3);

  void* opaque = h.to_opaque();
  tracker.ack(OffsetTracker::Handle::from_opaque(opaque));

  EXPECT_NE(opaque, nullptr);
  EXPECT_EQ(tracker.committable().entries, (std::vector<OffsetEntry>{{key("a"), value(3)}}));
}

TEST(OffsetTrackerTest, ForgetsCommittedPartitionsAndStartsThemAfresh) {
  OffsetTracker tracker("src");
  tracker.ack(submit(tracker, file("a"), 1));
  tracker.mark_committed(tracker.committable());
  (void)tracker.committable();  // nothing left for "a": its slot is freed

  auto h = submit(tracker, file("b"), 9);  // reuses the slot
  tracker.ack(h);

  EXPECT_EQ(tracker.committable().entries, (std::vector<OffsetEntry>{{key("b"), value(9)}}));
}

TEST(OffsetTrackerTest, AwaitAllReturnsTrueWhenPollDeliversEveryAck) {
  OffsetTracker tracker("src");
  std::vector<OffsetTracker::Handle> in_flight{submit(tracker, file("a"), 1),
                                               submit(tracker, file("a"), 2)};
  int polls = 0;

  bool done = tracker.await_all(std::chrono::steady_clock::now() + std::chrono::seconds(5),
                                [&](std::chrono::milliseconds) {
                                  ++polls;
                                  tracker.ack(in_flight.back());
                                  in_flight.pop_back();
                                });

  EXPECT_TRUE(done);
  EXPECT_EQ(polls, 2);
  EXPECT_EQ(tracker.committable().entries, (std::vector<OffsetEntry>{{key("a"), value(2)}}));
}

TEST(OffsetTrackerTest, AwaitAllReturnsFalseWhenDeadlinePasses) {
  OffsetTracker tracker("src");
  submit(tracker, file("a"), 1);

  bool done = tracker.await_all(std::chrono::steady_clock::now() + std::chrono::milliseconds(20),
                                [](std::chrono::milliseconds remaining) {
                                  EXPECT_LE(remaining, std::chrono::milliseconds(20));
                                  std::this_thread::sleep_for(std::chrono::milliseconds(1));
                                });

  EXPECT_FALSE(done);
  EXPECT_EQ(tracker.pending(), 1u);
}

}  // namespace
}  // namespace kanal::runtime
