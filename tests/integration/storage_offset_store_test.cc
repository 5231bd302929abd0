// KafkaOffsetStore against a real broker: offsets written in Kafka Connect's format are read,
// kanal's writes are the same bytes in the partition Java's default partitioner picks, a
// tombstone deletes, and offsets come back after the whole cluster restarts.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage/kafka_offset_store.h"
#include "support/assertions.h"
#include "support/broker_environment.h"
#include "support/kafka_client.h"

namespace kanal::storage {
namespace {

using kanal::testing::broker;
using kanal::testing::consume_all;
using kanal::testing::is_ok;
using kanal::testing::produce_keyed;
using kanal::testing::unique_test_name;
using std::chrono::seconds;

constexpr int kPartitions = 5;

// Java's Utils.murmur2 and toPositive, as the Java producer's default partitioner uses them,
// written out here independently of librdkafka.
int32_t java_partition(const std::string& key, int partitions) {
  const uint32_t m = 0x5bd1e995;
  const size_t length = key.size();
  uint32_t h = 0x9747b28c ^ static_cast<uint32_t>(length);
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(key[i])); };
  for (size_t i = 0; i + 4 <= length; i += 4) {
    uint32_t k = byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24);
    k *= m;
    k ^= k >> 24;
    k *= m;
    h *= m;
    h ^= k;
  }
  const size_t tail = length & ~size_t{3};
  switch (length % 4) {
    case 3:
      h ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte(tail);
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>((h & 0x7fffffff) % static_cast<uint32_t>(partitions));
}

std::string create_offsets_topic() {
  std::string topic = unique_test_name("offsets");
  EXPECT_TRUE(is_ok(kanal::testing::create_topic(broker().bootstrap(), topic, kPartitions,
                                                 {{"cleanup.policy", "compact"}})));
  return topic;
}

std::unique_ptr<KafkaOffsetStore> started_store(const std::string& topic) {
  KafkaOffsetStore::Options options;
  options.topic = topic;
  options.client_settings = {{"bootstrap.servers", broker().bootstrap()}};
  options.start_timeout = seconds(30);
  options.write_timeout = seconds(15);
  auto store = std::make_unique<KafkaOffsetStore>(std::move(options));
  Status started = store->start();
  EXPECT_TRUE(is_ok(started));
  return store;
}

std::optional<std::string> stored(KafkaOffsetStore& store, const std::string& key) {
  std::vector<std::string> keys{key};
  auto got = store.get(keys);
  EXPECT_TRUE(is_ok(got));
  if (!got.ok()) return std::nullopt;
  return got->at(key);
}

const std::string kKeyA = R"(["conn",{"filename":"a.txt"}])";
const std::string kKeyB = R"(["conn",{"filename":"b.txt"}])";

TEST(KafkaOffsetStoreTest, ReadsOffsetsWrittenInKafkaConnectFormat) {
  const std::string topic = create_offsets_topic();
  ASSERT_TRUE(is_ok(produce_keyed(broker().bootstrap(), topic,
                                  {{kKeyA, R"({"position":41})"},
                                   {"not-a-key", R"({"position":1})"},
                                   {R"(["conn"])", R"({"position":2})"},
                                   {kKeyA, R"({"position":42})"},
                                   {R"(["other",{"filename":"a.txt"}])", R"({"position":7})"}})));

  auto store = started_store(topic);

  EXPECT_EQ(stored(*store, kKeyA), R"({"position":42})");
  auto listed = store->list("conn");
  ASSERT_TRUE(is_ok(listed));
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].key, kKeyA);
  EXPECT_EQ((*listed)[0].partition, (data::OrderedMap{{"filename", data::Value::string("a.txt")}}));
  EXPECT_EQ((*listed)[0].offset, (data::OrderedMap{{"position", data::Value::int64(42)}}));
}

TEST(KafkaOffsetStoreTest, WritesConnectBytesToThePartitionJavaWouldPick) {
  const std::string topic = create_offsets_topic();
  auto store = started_store(topic);
  std::vector<OffsetEntry> entries;
  for (int i = 0; i < 10; ++i) {
    entries.push_back({R"(["conn",{"filename":"file-)" + std::to_string(i) + R"(.txt"}])",
                       R"({"position":)" + std::to_string(i) + "}"});
  }

  ASSERT_TRUE(is_ok(store->set(entries)));

  auto records = consume_all(broker().bootstrap(), topic);
  ASSERT_TRUE(is_ok(records));
  ASSERT_EQ(records->size(), entries.size());
  for (const auto& r : *records) {
    ASSERT_TRUE(r.key.has_value());
    const int i = std::stoi(r.key->substr(std::string(R"(["conn",{"filename":"file-)").size()));
    EXPECT_EQ(*r.key, entries[i].key);
    EXPECT_EQ(r.value, entries[i].value);
    EXPECT_EQ(r.partition, java_partition(*r.key, kPartitions)) << *r.key;
  }
}

TEST(KafkaOffsetStoreTest, ForgetsOffsetAfterTombstone) {
  const std::string topic = create_offsets_topic();
  auto store = started_store(topic);
  const OffsetEntry write[] = {{kKeyA, R"({"position":42})"}, {kKeyB, R"({"position":7})"}};
  ASSERT_TRUE(is_ok(store->set(write)));

  const OffsetEntry remove[] = {{kKeyA, std::nullopt}};
  ASSERT_TRUE(is_ok(store->set(remove)));

  EXPECT_EQ(stored(*store, kKeyA), std::nullopt);
  EXPECT_EQ(stored(*store, kKeyB), R"({"position":7})");
  EXPECT_EQ(stored(*started_store(topic), kKeyA), std::nullopt);
}

TEST(KafkaOffsetStoreTest, RefusesMalformedKeyWithoutWriting) {
  const std::string topic = create_offsets_topic();
  auto store = started_store(topic);
  const OffsetEntry entries[] = {{kKeyA, R"({"position":1})"}, {"[1,2]", R"({"position":2})"}};

  Status written = store->set(entries);

  EXPECT_EQ(written.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(stored(*store, kKeyA), std::nullopt);
}

TEST(KafkaOffsetStoreTest, RestoresSourceOffsetsAfterWorkerRestart) {
  const std::string topic = create_offsets_topic();
  {
    auto first = started_store(topic);
    const OffsetEntry entries[] = {
        {kKeyA, R"({"position":1})"}, {kKeyB, R"({"position":5})"}, {kKeyA, R"({"position":42})"}};
    ASSERT_TRUE(is_ok(first->set(entries)));
    first->stop();
  }

  auto second = started_store(topic);

  EXPECT_EQ(stored(*second, kKeyA), R"({"position":42})");
  EXPECT_EQ(stored(*second, kKeyB), R"({"position":5})");
  auto listed = second->list("conn");
  ASSERT_TRUE(is_ok(listed));
  EXPECT_EQ(listed->size(), 2u);
}

}  // namespace
}  // namespace kanal::storage
