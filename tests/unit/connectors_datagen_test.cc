#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "connectors/datagen/datagen_sequence.h"
#include "connectors/datagen/seq_tracker.h"

namespace kanal::connectors {
namespace {

TEST(DatagenSequenceTest, SplitsCountOverTasksWithoutLosingRecords) {
  EXPECT_EQ(datagen_task_share(10, 0, 3), 4);
  EXPECT_EQ(datagen_task_share(10, 1, 3), 3);
  EXPECT_EQ(datagen_task_share(10, 2, 3), 3);
  EXPECT_EQ(datagen_task_share(-1, 2, 3), -1);
}

TEST(DatagenSequenceTest, GivesEveryRecordOfEveryTaskADistinctDenseId) {
  std::set<uint64_t> ids;

  for (int32_t task = 0; task < 3; ++task) {
    for (int64_t seq = 0; seq < datagen_task_share(10, task, 3); ++seq) {
      ids.insert(datagen_record_id(static_cast<uint64_t>(seq), task, 3));
    }
  }

  EXPECT_EQ(ids.size(), 10u);
  EXPECT_EQ(*ids.rbegin(), 9u);
}

TEST(DatagenSequenceTest, PadsValueToConfiguredSize) {
  std::string v;

  append_datagen_value(42, 10, v);

  EXPECT_EQ(v, "42:abcdefg");
}

TEST(DatagenSequenceTest, WritesIdPrefixOnlyWhenSizeIsTooSmall) {
  std::string v;

  append_datagen_value(12345, 2, v);

  EXPECT_EQ(v, "12345:");
}

TEST(DatagenSequenceTest, PadsLongValuesBeyondPatternLength) {
  std::string v;

  append_datagen_value(7, 1000, v);

  EXPECT_EQ(v.size(), 1000u);
  EXPECT_EQ(parse_datagen_id(v), 7u);
}

TEST(DatagenSequenceTest, SpreadsKeysByIdModuloKeys) {
  std::string k;

  append_datagen_key(17, 5, k);

  EXPECT_EQ(k, "key-2");
}

TEST(DatagenSequenceTest, ParsesIdPrefixAndRejectsOtherText) {
  EXPECT_EQ(parse_datagen_id("123:xyz"), 123u);
  EXPECT_EQ(parse_datagen_id("0:"), 0u);
  EXPECT_EQ(parse_datagen_id("123"), std::nullopt);
  EXPECT_EQ(parse_datagen_id(":1"), std::nullopt);
  EXPECT_EQ(parse_datagen_id("abc:1"), std::nullopt);
  EXPECT_EQ(parse_datagen_id(""), std::nullopt);
}

TEST(RatePacerTest, AllowsEverythingWhenUnlimited) {
  RatePacer p(0, RatePacer::Clock::time_point{});

  EXPECT_EQ(p.allowed(RatePacer::Clock::time_point{}, 500), 500u);
}

TEST(RatePacerTest, ReleasesRecordsAsTheyFallDue) {
  using namespace std::chrono_literals;
  RatePacer::Clock::time_point t0{};
  RatePacer p(10, t0);  // one record every 100 ms

  uint64_t first = p.allowed(t0, 100);
  p.produced(first);
  uint64_t early = p.allowed(t0 + 50ms, 100);
  uint64_t later = p.allowed(t0 + 1050ms, 100);

  EXPECT_EQ(first, 1u);
  EXPECT_EQ(early, 0u);
  EXPECT_EQ(later, 10u);
}

TEST(RatePacerTest, TellsTimeUntilNextRecordIsDue) {
  using namespace std::chrono_literals;
  RatePacer::Clock::time_point t0{};
  RatePacer p(10, t0);
  p.produced(p.allowed(t0, 100));

  auto wait = p.until_next(t0 + 30ms);

  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(wait), 70ms);
}

TEST(SeqTrackerTest, CountsCleanSequenceWithoutDuplicatesOrGaps) {
  SeqTracker t;

  for (uint64_t id = 0; id < 1000; ++id) t.observe("t", 0, id);

  SeqSummary s = t.summary();
  EXPECT_EQ(s.records, 1000u);
  EXPECT_EQ(s.unique, 1000u);
  EXPECT_EQ(s.duplicates, 0u);
  EXPECT_EQ(s.gaps, 0u);
  EXPECT_EQ(s.max_seq, 999);
  EXPECT_EQ(s.out_of_order, 0u);
}

TEST(SeqTrackerTest, CountsRedeliveredRecordsAsDuplicatesNotReordering) {
  SeqTracker t;

  for (uint64_t id : {0, 1, 2, 3, 2, 3, 4}) t.observe("t", 0, id);

  SeqSummary s = t.summary();
  EXPECT_EQ(s.records, 7u);
  EXPECT_EQ(s.unique, 5u);
  EXPECT_EQ(s.duplicates, 2u);
  EXPECT_EQ(s.out_of_order, 0u);
}

TEST(SeqTrackerTest, CountsIdsMissingBelowMaximumAsGaps) {
  SeqTracker t;

  for (uint64_t id : {0, 1, 5, 6}) t.observe("t", 0, id);

  EXPECT_EQ(t.summary().gaps, 3u);
}

TEST(SeqTrackerTest, CountsNewLowerIdInSameStreamAsOutOfOrder) {
  SeqTracker t;

  for (uint64_t id : {0, 2, 1, 3}) t.observe("t", 0, id);

  EXPECT_EQ(t.summary().out_of_order, 1u);
}

TEST(SeqTrackerTest, ChecksOrderPerPartitionAndPerSourceTask) {
  SeqTracker t(2);  // ids of task 0 are even, of task 1 odd

  // Partition 0 interleaves both tasks; partition 1 runs behind partition 0.
  for (uint64_t id : {2, 1, 4, 3}) t.observe("t", 0, id);
  for (uint64_t id : {0, 6}) t.observe("t", 1, id);

  EXPECT_EQ(t.summary().out_of_order, 0u);
}

TEST(SeqTrackerTest, CountsValuesWithoutIdAsInvalid) {
  SeqTracker t;

  t.observe("t", 0, std::nullopt);
  t.observe("t", 0, SeqTracker::kMaxId);

  SeqSummary s = t.summary();
  EXPECT_EQ(s.records, 2u);
  EXPECT_EQ(s.invalid, 2u);
  EXPECT_EQ(s.max_seq, -1);
}

TEST(SeqTrackerTest, TracksIdsAcrossBitmapPages) {
  SeqTracker t;

  t.observe("t", 0, 5);
  t.observe("t", 0, 1'000'000);
  t.observe("t", 0, 1'000'000);

  SeqSummary s = t.summary();
  EXPECT_EQ(s.unique, 2u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.gaps, 999'999u);
}

TEST(SeqSummaryTest, WritesSummaryAsOneJsonObject) {
  SeqSummary s;
  s.records = 3;
  s.unique = 2;
  s.duplicates = 1;
  s.max_seq = 1;

  EXPECT_EQ(s.to_json(),
            "{\"records\":3,\"unique\":2,\"duplicates\":1,\"gaps\":0,\"max_seq\":1,"
            "\"out_of_order\":0,\"invalid\":0}");
}

}  // namespace
}  // namespace kanal::connectors
