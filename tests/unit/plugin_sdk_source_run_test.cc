// The C++ SDK's SourceRun against the worker's host table, in process: a run must reach the
// worker as exactly the records a SourceRecord each would have made, in poll order, from an
// ABI 1.1 host (one source_batch_append_run call) and from an ABI 1.0 host (the SDK's
// fallback), and a run the worker refuses must fail the poll with nothing of it taken.
#include <gtest/gtest.h>

#include <cstddef>
#include <kanal/plugin.hpp>
#include <string>
#include <vector>

#include "plugins/host_api_internal.h"

namespace kanal::detail {
// Normally defined by KANAL_EXPORT_PLUGIN in the plugin library; here the test picks the table.
const kanal_host* g_host = nullptr;
}  // namespace kanal::detail

namespace {

using kanal::plugins::detail::host_table;

// Polls: one ordinary record, a run of two lines (offsets "pos" and "line"), another ordinary
// record, and with `bad_schema` a run whose value schema is INT32.
class MixedTask : public kanal::SourceTask {
 public:
  void start(const kanal::Config&) override {}
  void stop() override {}
  void poll(std::vector<kanal::SourceRecord>& records) override {
    records.emplace_back("t", kanal::Schema::string(), kanal::Value("first"));
    kanal::SourceRun run;
    run.topic = "t";
    run.partition = 2;
    run.key_schema = key_bytes ? kanal::Schema::bytes() : kanal::Schema();
    run.value_schema = bad_schema ? kanal::Schema::int32() : kanal::Schema::string();
    run.timestamp = 1700000000000;
    run.source_partition = kanal::Value::map().put("file", "in.txt");
    run.offset_keys = {"pos", "line"};
    run.add_keyed("k1", "line-1", {7, 1});
    run.add_keyed("k2", "line-2", {14, 2});
    append_run(run);
    EXPECT_TRUE(run.empty());
    records.emplace_back("t", kanal::Schema::string(), kanal::Value("last"));
  }
  bool bad_schema = false;
  bool key_bytes = true;
};

struct PollResult {
  kanal_status status;
  std::string error;
  std::vector<kanal::data::SourceRecord> records;
};

PollResult poll_with(const kanal_host* host, MixedTask& task) {
  kanal::detail::g_host = host;
  PollResult out;
  kanal_source_batch batch;
  batch.out = &out.records;
  char err[512] = {0};
  out.status = kanal::detail::Access::source_poll(reinterpret_cast<kanal_task*>(&task), &batch, err,
                                                  sizeof err);
  out.error = err;
  return out;
}

kanal::data::SourceRecord plain(const std::string& value) {
  kanal::data::SourceRecord r;
  r.topic = "t";
  r.value_schema = kanal::data::schemas::string();
  r.value = kanal::data::Value::string(value);
  return r;
}

kanal::data::SourceRecord from_run(const std::string& key, const std::string& value, int64_t pos,
                                   int64_t line) {
  kanal::data::SourceRecord r;
  r.topic = "t";
  r.kafka_partition = 2;
  r.key_schema = kanal::data::schemas::bytes();
  r.key = kanal::data::Value::bytes(key);
  r.value_schema = kanal::data::schemas::string();
  r.value = kanal::data::Value::string(value);
  r.timestamp = 1700000000000;
  r.source_partition.set("file", kanal::data::Value::string("in.txt"));
  r.source_offset.set("pos", kanal::data::Value::int64(pos));
  r.source_offset.set("line", kanal::data::Value::int64(line));
  return r;
}

void expect_mixed_poll(const PollResult& result) {
  ASSERT_EQ(result.status, KANAL_OK) << result.error;
  ASSERT_EQ(result.records.size(), 4u);
  EXPECT_EQ(result.records[0], plain("first"));
  EXPECT_EQ(result.records[1], from_run("k1", "line-1", 7, 1));
  EXPECT_EQ(result.records[2], from_run("k2", "line-2", 14, 2));
  EXPECT_EQ(result.records[3], plain("last"));
  // The offset map keeps the order the run names its keys in (the offsets topic's JSON does).
  EXPECT_EQ(result.records[1].source_offset.entries()[0].first, "pos");
}

TEST(SdkSourceRunTest, ReachesTheWorkerAsTheRecordsItDescribesInPollOrder) {
  MixedTask task;
  expect_mixed_poll(poll_with(host_table(), task));
}

TEST(SdkSourceRunTest, FallsBackToOneRecordEachOnAnAbi10Worker) {
  kanal_host old = *host_table();
  old.struct_size = offsetof(kanal_host, source_batch_append_run);
  old.abi_minor = 0;
  MixedTask task;
  expect_mixed_poll(poll_with(&old, task));
}

TEST(SdkSourceRunTest, FailsThePollWhenTheWorkerRefusesTheRunAndTakesNoneOfIt) {
  MixedTask task;
  task.bad_schema = true;

  PollResult result = poll_with(host_table(), task);

  EXPECT_EQ(result.status, KANAL_ERR_TYPE);
  EXPECT_EQ(result.error,
            "source_batch_append_run: the value schema must be STRING or BYTES, "
            "not INT32");
  ASSERT_EQ(result.records.size(), 1u);  // the record handed over before the run
  EXPECT_EQ(result.records[0], plain("first"));
}

// A plugin written in C fills kanal_source_run itself: a struct from an older header or missing
// arrays are refused with a message, never read past.
TEST(SdkSourceRunTest, WorkerRefusesARunStructThatIsTooSmallOrMissingItsArrays) {
  std::vector<kanal::data::SourceRecord> out;
  kanal_source_batch batch;
  batch.out = &out;
  const kanal_str values[] = {{"a", 1}};
  kanal_source_run run{};
  run.struct_size = offsetof(kanal_source_run, offsets);
  run.partition = KANAL_NO_PARTITION;
  run.timestamp = KANAL_NO_TIMESTAMP;
  run.count = 1;
  run.values = values;
  char err[256] = {0};

  EXPECT_EQ(host_table()->source_batch_append_run(&batch, &run, err, sizeof err), KANAL_ERR);
  EXPECT_STREQ(err, "source_batch_append_run: kanal_source_run too small");
  run.struct_size = sizeof run;
  run.offset_key_count = 1;  // no offset_keys, no offsets
  EXPECT_EQ(host_table()->source_batch_append_run(&batch, &run, err, sizeof err), KANAL_ERR);
  EXPECT_STREQ(err, "source_batch_append_run: offset keys, values or offsets missing");
  EXPECT_TRUE(out.empty());
  run.offset_key_count = 0;
  ASSERT_EQ(host_table()->source_batch_append_run(&batch, &run, err, sizeof err), KANAL_OK) << err;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].value, kanal::data::Value::string("a"));
  EXPECT_TRUE(out[0].source_offset.empty());
}

TEST(SdkSourceRunTest, RefusesRecordsThatDoNotMatchTheRunsShape) {
  kanal::detail::g_host = host_table();
  kanal::SourceRun run;
  run.offset_keys = {"pos"};
  EXPECT_THROW(run.add("v", {1, 2}), kanal::Error);  // two offsets for one key
  run.add("v", int64_t{1});
  EXPECT_THROW(run.add_keyed("k", "v", {2}), kanal::Error);  // a key in a run without keys
  EXPECT_EQ(run.size(), 1u);
  MixedTask task;
  EXPECT_THROW(task.append_run(run), kanal::Error);  // outside poll()
}

}  // namespace
