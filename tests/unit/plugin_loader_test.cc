// Loader, registry and host-side wrappers against real plugin libraries built by tests/plugins/.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "plugins/connector_instance.h"
#include "plugins/plugin_registry.h"
#include "plugins/plugin_transforms.h"
#include "plugins/task_instances.h"
#include "support/temp_dir.h"

namespace kanal::plugins {
namespace {

namespace fs = std::filesystem;

const fs::path kPluginDir = KANAL_TEST_PLUGIN_DIR;

PluginRegistry scan(std::vector<fs::path> path) { return PluginRegistry::scan(path); }

class FixedOffsets : public SourceOffsetReader {
 public:
  explicit FixedOffsets(std::optional<data::OrderedMap> offset) : offset_(std::move(offset)) {}
  std::optional<data::OrderedMap> offset(const data::OrderedMap& partition) override {
    last_partition = partition;
    return offset_;
  }
  data::OrderedMap last_partition;

 private:
  std::optional<data::OrderedMap> offset_;
};

class RecordingSinkContext : public SinkTaskContext {
 public:
  void pause(const std::vector<TopicPartition>&) override {}
  void resume(const std::vector<TopicPartition>&) override {}
  void request_commit() override {}
  void timeout(std::chrono::milliseconds) override {}
  Status report_errant(const data::SinkRecord& record, const Status& error) override {
    errant.push_back(record.kafka_offset);
    messages.push_back(error.message());
    return Status::OK();
  }
  std::vector<int64_t> errant;
  std::vector<std::string> messages;
};

// The first value a fresh task of `plugin` polls.
std::string first_polled_value(const std::shared_ptr<const PluginInfo>& plugin) {
  auto task = SourceTaskInstance::create(plugin, "probe", 0);
  EXPECT_TRUE(task.ok()) << task.status().to_string();
  if (!task.ok()) return "";
  EXPECT_TRUE((*task)->start({}, nullptr).ok());
  std::vector<data::SourceRecord> records;
  Status st = (*task)->poll(records);
  EXPECT_TRUE(st.ok()) << st.to_string();
  if (records.empty() || !records[0].value.string_if()) return "";
  return *records[0].value.string_if();
}

data::SinkRecord sink_record(std::string topic, int64_t offset, std::string value) {
  data::SinkRecord r;
  r.topic = std::move(topic);
  r.kafka_partition = 0;
  r.kafka_offset = offset;
  r.value_schema = data::schemas::string();
  r.value = data::Value::string(std::move(value));
  r.headers.add("h", data::schemas::string(), data::Value::string("v"));
  return r;
}

TEST(PluginLoaderTest, LoadsEveryComponentOfACppPluginFolder) {
  PluginRegistry registry = scan({kPluginDir / "good"});

  EXPECT_TRUE(registry.errors().empty());
  ASSERT_EQ(registry.plugins().size(), 6u);
  auto source = registry.find_connector("com.example.test.GoodSourceConnector");
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  EXPECT_EQ((*source)->kind, PluginKind::kSource);
  EXPECT_EQ((*source)->version, "1.2.0");
  EXPECT_EQ((*source)->doc, "Emits structs");
  EXPECT_EQ((*source)->task_class, "com.example.test.GoodSourceConnectorTask");
  EXPECT_TRUE(registry.find("UppercaseTransformation", {PluginKind::kTransformation}).ok());
  EXPECT_TRUE(registry.find("TopicIs", {PluginKind::kPredicate}).ok());
  EXPECT_TRUE(registry.find("Reverse", {PluginKind::kConverter}).ok());
}

TEST(PluginLoaderTest, ReportsTaskClassTheRegistrationSets) {
  PluginRegistry registry = scan({kPluginDir / "good"});

  auto sink = registry.find_connector("com.example.test.GoodSinkConnector");

  ASSERT_TRUE(sink.ok()) << sink.status().to_string();
  EXPECT_EQ((*sink)->task_class, "com.example.test.GoodSinkTask");
}

TEST(PluginLoaderTest, ReportsKafkaTaskClassesOfTheBundledFilePlugin) {
  PluginRegistry registry = scan({fs::path(KANAL_BUNDLED_PLUGIN_DIR) / "file"});

  auto source = registry.find_connector("FileStreamSource");
  auto sink = registry.find_connector("FileStreamSink");

  ASSERT_TRUE(source.ok()) << source.status().to_string();
  ASSERT_TRUE(sink.ok()) << sink.status().to_string();
  EXPECT_EQ((*source)->task_class, "org.apache.kafka.connect.file.FileStreamSourceTask");
  EXPECT_EQ((*sink)->task_class, "org.apache.kafka.connect.file.FileStreamSinkTask");
}

// FileStreamSource hands a file's lines over as one run per poll; each record must still be
// what Connect's task makes: the line (malformed UTF-8 repaired), {"filename": path} and the
// position after the line, in characters.
TEST(PluginLoaderTest, BundledFileSourceReturnsEachLineWithItsPosition) {
  testing::TempDir dir;
  const std::string file = (dir / "in.txt").string();
  // Two repaired lines in a row: the second must not overwrite the first.
  ASSERT_TRUE(testing::write_file(file, "a\n\xff bad\nx\xc3\nok\nlast\n").ok());
  PluginRegistry registry = scan({fs::path(KANAL_BUNDLED_PLUGIN_DIR) / "file"});
  auto plugin = registry.find_connector("FileStreamSource");
  ASSERT_TRUE(plugin.ok()) << plugin.status().to_string();
  FixedOffsets offsets(std::nullopt);
  auto task = SourceTaskInstance::create(*plugin, "lines", 0);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE((*task)->start({{"file", file}, {"topic", "t"}, {"batch.size", "4"}}, &offsets).ok());

  std::vector<data::SourceRecord> records;
  ASSERT_TRUE((*task)->poll(records).ok());
  ASSERT_EQ(records.size(), 4u);  // batch.size
  ASSERT_TRUE((*task)->poll(records).ok());

  ASSERT_EQ(records.size(), 5u);
  const std::vector<std::string> lines{"a", "\xEF\xBF\xBD bad", "x\xEF\xBF\xBD", "ok", "last"};
  const std::vector<int64_t> positions{2, 8, 11, 14, 19};
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(i);
    const data::SourceRecord& r = records[i];
    EXPECT_EQ(r.topic, "t");
    EXPECT_FALSE(r.kafka_partition);
    EXPECT_TRUE(r.key.is_null());
    ASSERT_TRUE(r.value_schema);
    EXPECT_EQ(r.value_schema->type(), data::SchemaType::kString);
    EXPECT_EQ(r.value, data::Value::string(lines[i]));
    EXPECT_TRUE(r.timestamp);
    EXPECT_EQ(r.source_partition, (data::OrderedMap{{"filename", data::Value::string(file)}}));
    EXPECT_EQ(r.source_offset, (data::OrderedMap{{"position", data::Value::int64(positions[i])}}));
  }
  (*task)->stop();
}

TEST(PluginLoaderTest, ResolvesConnectorByFullNameSimpleNameAndPrunedName) {
  PluginRegistry registry = scan({kPluginDir / "good"});

  for (const char* name : {"com.example.test.GoodSinkConnector", "GoodSinkConnector", "GoodSink"}) {
    auto found = registry.find_connector(name);
    ASSERT_TRUE(found.ok()) << name;
    EXPECT_EQ((*found)->class_name, "com.example.test.GoodSinkConnector");
  }
  EXPECT_EQ(registry.find_connector("GoodSin").status().code(), Status::Code::kNotFound);
}

TEST(PluginLoaderTest, TranslatesThePluginConfigDef) {
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto source = registry.find_connector("GoodSource");
  ASSERT_TRUE(source.ok());

  const config::ConfigDef& def = (*source)->config_def;

  ASSERT_EQ(def.keys().size(), 3u);
  const config::ConfigKey* batch = def.find("batch.size");
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->type, config::Type::kInt);
  EXPECT_EQ(batch->default_value, "2");
  EXPECT_EQ(batch->importance, config::Importance::kLow);
  EXPECT_EQ(batch->display_name, "batch.size");
  ASSERT_TRUE(batch->validator.has_value());
  EXPECT_EQ(batch->validator->description, "[1,...]");
  EXPECT_TRUE(def.find("topic")->required());
  EXPECT_EQ(def.find("mode")->validator->recommended,
            (std::vector<std::string>{"struct", "string"}));
}

TEST(PluginLoaderTest, ValidateReportsConfigDefErrorsAndPluginErrors) {
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto connector = ConnectorInstance::create(*registry.find_connector("GoodSource"), "orders");
  ASSERT_TRUE(connector.ok()) << connector.status().to_string();

  auto infos = (*connector)->validate({{"topic", "forbidden"}, {"batch.size", "0"}, {"mode", "x"}});

  std::map<std::string, std::vector<std::string>> errors;
  for (const auto& i : infos) errors[i.name] = i.errors;
  EXPECT_EQ(errors["topic"], std::vector<std::string>{"topic 'forbidden' is reserved"});
  EXPECT_EQ(errors["batch.size"],
            std::vector<std::string>{"Invalid value 0 for configuration batch.size: Value must "
                                     "be at least 1"});
  ASSERT_EQ(errors["mode"].size(), 1u);
  EXPECT_NE(errors["mode"][0].find("String must be one of: struct, string"), std::string::npos);
}

TEST(PluginLoaderTest, SourceTaskResumesFromStoredOffsetAndReturnsTypedRecords) {
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto plugin = *registry.find_connector("GoodSource");
  auto connector = ConnectorInstance::create(plugin, "orders");
  ASSERT_TRUE(connector.ok());
  ASSERT_TRUE((*connector)->start({{"topic", "events"}, {"batch.size", "3"}}).ok());
  auto configs = (*connector)->task_configs(2);
  ASSERT_TRUE(configs.ok());
  ASSERT_EQ(configs->size(), 2u);
  FixedOffsets offsets(data::OrderedMap{{"position", data::Value::int64(9)}});
  auto task = SourceTaskInstance::create(plugin, "orders", 0);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE((*task)->start((*configs)[0], &offsets).ok());

  std::vector<data::SourceRecord> records;
  Status st = (*task)->poll(records);

  ASSERT_TRUE(st.ok()) << st.to_string();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(offsets.last_partition, (data::OrderedMap{{"source", data::Value::string("good")}}));
  const data::SourceRecord& r = records[0];
  EXPECT_EQ(r.topic, "events");
  EXPECT_EQ(r.key, data::Value::string("k10"));
  ASSERT_TRUE(r.value_schema);
  EXPECT_EQ(r.value_schema->name(), "com.example.Event");
  ASSERT_NE(r.value.struct_if(), nullptr);
  EXPECT_EQ(*r.value.as_struct().get("id"), data::Value::int64(10));
  EXPECT_EQ(*r.value.as_struct().get("name"), data::Value::string("event-10"));
  EXPECT_EQ(*r.value.as_struct().get("when"), data::Value::int64(1700000000010));
  EXPECT_TRUE(data::logical::is_timestamp(*r.value_schema->field("when")->schema));
  EXPECT_EQ(r.timestamp, 1700000000010);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers.last_with_name("origin")->value, data::Value::string("good"));
  EXPECT_EQ(r.source_offset, (data::OrderedMap{{"position", data::Value::int64(10)}}));
  EXPECT_TRUE((*task)->commit_record(r, RecordMetadata{"events", 0, 5, std::nullopt}).ok());
  (*task)->stop();
}

TEST(PluginLoaderTest, OffersCommitRecordOnlyWhenTheTaskOverridesIt) {
  PluginRegistry good = scan({kPluginDir / "good"});
  PluginRegistry versioned = scan({kPluginDir / "versioned-1"});
  auto overriding = good.find_connector("GoodSource");
  auto inheriting = versioned.find_connector("VersionedSource");
  ASSERT_TRUE(overriding.ok() && inheriting.ok());

  // The SDK leaves the optional op out for a task that keeps SourceTask's empty commit_record,
  // so the worker builds no committed-record view per record for it.
  EXPECT_NE((*overriding)->connector->source_task_ops->commit_record, nullptr);
  EXPECT_EQ((*inheriting)->connector->source_task_ops->commit_record, nullptr);
  auto task = SourceTaskInstance::create(*inheriting, "v", 0);
  ASSERT_TRUE(task.ok());
  EXPECT_TRUE((*task)->commit_record(data::SourceRecord{}, std::nullopt).ok());
}

TEST(PluginLoaderTest, SinkTaskWritesBatchAndReportsErrantRecords) {
  testing::TempDir dir;
  PluginRegistry registry = scan({kPluginDir / "good"});
  RecordingSinkContext ctx;
  auto task = SinkTaskInstance::create(*registry.find_connector("GoodSink"), "out", 0, &ctx);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE((*task)->start({{"file", (dir / "out.txt").string()}}).ok());
  std::vector<data::SinkRecord> batch;
  batch.push_back(sink_record("t", 7, "a"));
  batch.push_back(sink_record("t", 8, "bad"));
  batch.push_back(sink_record("t", 9, "c"));

  Status st = (*task)->put(batch);

  ASSERT_TRUE(st.ok()) << st.to_string();
  EXPECT_EQ(testing::read_file(dir / "out.txt").value(), "t:0:7:a,h=v\nt:0:9:c,h=v\n");
  EXPECT_EQ(ctx.errant, std::vector<int64_t>{8});
  EXPECT_EQ(ctx.messages, std::vector<std::string>{"bad record"});
}

TEST(PluginLoaderTest, SinkPutFailsRetriablyWhenPluginThrowsRetriableError) {
  testing::TempDir dir;
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto task = SinkTaskInstance::create(*registry.find_connector("GoodSink"), "out", 0, nullptr);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE((*task)->start({{"file", (dir / "out.txt").string()}}).ok());

  Status st = (*task)->put({sink_record("t", 1, "retry")});

  EXPECT_TRUE(st.retriable());
  EXPECT_NE(st.message().find("sink not ready"), std::string::npos) << st.message();
}

TEST(PluginLoaderTest, PreCommitLeavesOutPartitionsThePluginHolds) {
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto task = SinkTaskInstance::create(*registry.find_connector("GoodSink"), "out", 0, nullptr);
  ASSERT_TRUE(task.ok());

  auto committed = (*task)->pre_commit({{"t", 0, 10}, {"hold", 1, 20}});

  ASSERT_TRUE(committed.ok());
  EXPECT_EQ(*committed, (std::vector<TopicPartition>{{"t", 0, 10}}));
}

TEST(PluginLoaderTest, SurfacesTheConstructorExceptionAndKeepsOtherConnectorsWorking) {
  PluginRegistry registry = scan({kPluginDir / "good"});

  auto broken = ConnectorInstance::create(*registry.find_connector("ThrowingSource"), "bad");
  auto fine = ConnectorInstance::create(*registry.find_connector("GoodSource"), "good");

  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("boom from the constructor"), std::string::npos)
      << broken.status().message();
  EXPECT_NE(broken.status().message().find("Connector 'bad'"), std::string::npos);
  EXPECT_TRUE(fine.ok());
}

TEST(PluginLoaderTest, LoadsAndRunsAPluginWrittenInC) {
  PluginRegistry registry = scan({kPluginDir / "c-plugin"});
  auto plugin = registry.find_connector("CGreeter");
  ASSERT_TRUE(plugin.ok()) << plugin.status().to_string();
  EXPECT_EQ((*plugin)->class_name, "com.example.c.CSourceConnector");
  EXPECT_TRUE(registry.find_connector("CSource").ok());
  EXPECT_EQ((*plugin)->config_def.find("greeting")->group, "Greeting");
  auto connector = ConnectorInstance::create(*plugin, "c");
  ASSERT_TRUE(connector.ok());
  ASSERT_TRUE((*connector)->start({{"greeting", "hi"}}).ok());
  auto configs = (*connector)->task_configs(1);
  ASSERT_TRUE(configs.ok());
  auto task = SourceTaskInstance::create(*plugin, "c", 0);
  ASSERT_TRUE(task.ok());
  ASSERT_TRUE((*task)->start(configs->at(0), nullptr).ok());

  std::vector<data::SourceRecord> records;
  ASSERT_TRUE((*task)->poll(records).ok());
  ASSERT_TRUE((*task)->poll(records).ok());

  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].value, data::Value::string("hi from C #1"));
  EXPECT_EQ(records[1].topic, "c-topic");
  EXPECT_EQ(records[1].source_offset, (data::OrderedMap{{"n", data::Value::int64(1)}}));
}

TEST(PluginLoaderTest, PicksTheVersionConnectorPluginVersionAsksFor) {
  PluginRegistry registry = scan({kPluginDir / "versioned-1", kPluginDir / "versioned-2"});
  const char* name = "VersionedSource";

  auto newest = registry.find_connector(name);
  auto exact = registry.find_connector(name, "1.0.0");
  auto range = registry.find_connector(name, "[1.0,2.0)");
  auto none = registry.find_connector(name, "[3.0,)");

  ASSERT_TRUE(newest.ok() && exact.ok() && range.ok());
  EXPECT_EQ((*newest)->version, "2.0.0");
  EXPECT_EQ((*exact)->version, "1.0.0");
  EXPECT_EQ((*range)->version, "1.0.0");
  EXPECT_EQ(first_polled_value(*newest), "2.0.0");
  EXPECT_EQ(first_polled_value(*exact), "1.0.0");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(none.status().message().find("matches the version range [3.0,), available versions: "
                                         "[1.0.0, 2.0.0]"),
            std::string::npos)
      << none.status().message();
}

TEST(PluginLoaderTest, EachPluginCallsItsOwnCopyOfASameNamedSymbol) {
  PluginRegistry registry = scan({kPluginDir / "clash-a", kPluginDir / "clash-b"});

  auto a = registry.find_connector("com.example.clash.ClashaSourceConnector");
  auto b = registry.find_connector("com.example.clash.ClashbSourceConnector");

  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(first_polled_value(*a), "a");
  EXPECT_EQ(first_polled_value(*b), "b");
}

TEST(PluginLoaderTest, ReportsAbiMajorMismatchByPathAndKeepsLoadingOthers) {
  ::testing::internal::CaptureStderr();
  PluginRegistry registry = scan({kPluginDir / "wrong-abi", kPluginDir / "good"});
  std::string log = ::testing::internal::GetCapturedStderr();

  ASSERT_EQ(registry.errors().size(), 1u);
  fs::path lib = kPluginDir / "wrong-abi" / "libkanal-wrong-abi.so";
  EXPECT_EQ(registry.errors()[0].path, lib);
  EXPECT_NE(registry.errors()[0].reason.find("ABI major mismatch: plugin built for kanal ABI 2.0"),
            std::string::npos)
      << registry.errors()[0].reason;
  EXPECT_NE(log.find("event=plugin.load.failed path=" + lib.string()), std::string::npos) << log;
  EXPECT_TRUE(registry.find_connector("GoodSource").ok());
}

TEST(PluginLoaderTest, ReportsAMissingEntrySymbolByPath) {
  ::testing::internal::CaptureStderr();
  PluginRegistry registry = scan({kPluginDir / "no-entry"});
  std::string log = ::testing::internal::GetCapturedStderr();

  ASSERT_EQ(registry.errors().size(), 1u);
  EXPECT_EQ(registry.errors()[0].path, kPluginDir / "no-entry" / "libkanal-no-entry.so");
  EXPECT_NE(registry.errors()[0].reason.find("missing entry symbol kanal_plugin_entry"),
            std::string::npos);
  EXPECT_NE(log.find("libkanal-no-entry.so"), std::string::npos) << log;
}

TEST(PluginLoaderTest, ReportsALibraryThatCannotBeOpened) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::write_file(dir / "libbroken.so", "not an ELF file").ok());

  PluginRegistry registry = scan({dir / "libbroken.so", dir / "missing"});

  ASSERT_EQ(registry.errors().size(), 2u);
  EXPECT_EQ(registry.errors()[0].path, dir / "libbroken.so");
  EXPECT_NE(registry.errors()[0].reason.find("cannot open"), std::string::npos);
  EXPECT_NE(registry.errors()[1].reason.find("does not exist"), std::string::npos);
}

TEST(PluginLoaderTest, ScansAFolderOfPluginFolders) {
  PluginRegistry registry = PluginRegistry::scan({kPluginDir}, log::Logger("kanal.plugins.test"));

  EXPECT_EQ(registry.errors().size(), 2u);  // wrong-abi and no-entry
  EXPECT_TRUE(registry.find_connector("GoodSource").ok());
  EXPECT_TRUE(registry.find_connector("CSource").ok());
  EXPECT_EQ((*registry.find_connector("VersionedSource"))->version, "2.0.0");
}

TEST(PluginLoaderTest, RunsAPluginTransformationThroughTheWorkerInterface) {
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto xform = PluginTransformation::create(
      *registry.find("Uppercase", {PluginKind::kTransformation}), "orders|transforms.up");
  ASSERT_TRUE(xform.ok()) << xform.status().to_string();
  ASSERT_TRUE((*xform)->configure({}).ok());
  data::SinkRecord keep = sink_record("t", 1, "hello");
  data::SinkRecord drop = sink_record("t", 2, "drop");

  auto kept = (*xform)->apply(keep, transforms::RecordKind::kSink);
  auto dropped = (*xform)->apply(drop, transforms::RecordKind::kSink);

  ASSERT_TRUE(kept.ok() && dropped.ok());
  EXPECT_EQ(*kept, transforms::Outcome::kKeep);
  EXPECT_EQ(keep.value, data::Value::string("HELLO"));
  EXPECT_EQ(keep.topic, "t-up");
  EXPECT_EQ(keep.headers.size(), 1u);
  EXPECT_EQ(*dropped, transforms::Outcome::kDrop);
}

TEST(PluginLoaderTest, RunsAPluginPredicateThroughTheWorkerInterface) {
  PluginRegistry registry = scan({kPluginDir / "good"});
  auto pred = PluginPredicate::create(*registry.find("TopicIs", {PluginKind::kPredicate}),
                                      "orders|predicates.is");
  ASSERT_TRUE(pred.ok());
  ASSERT_TRUE((*pred)->configure({{"topic", "t"}}).ok());

  EXPECT_TRUE((*pred)->test(sink_record("t", 1, "x")));
  EXPECT_FALSE((*pred)->test(sink_record("u", 1, "x")));
}

}  // namespace
}  // namespace kanal::plugins
