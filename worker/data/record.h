// Connect records: ConnectRecord, SourceRecord, SinkRecord, with their Headers.
//
// Plain value types with public members (as Java's records are read through getters and rebuilt
// with newRecord, transforms here modify a copy or the record in place). SourceRecord and
// SinkRecord extend ConnectRecord, so a transform written against ConnectRecord& serves both;
// never delete through a ConnectRecord pointer (no virtual destructor). Thread-compatible.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "data/schema.h"
#include "data/value.h"

namespace kanal::data {

// One record header, as Connect's Header: a key and a schema-and-value.
struct Header {
  std::string key;
  SchemaPtr schema;  // may be null (schemaless)
  Value value;

  friend bool operator==(const Header& a, const Header& b) {
    return a.key == b.key && schema_equals(a.schema, b.schema) && a.value == b.value;
  }
};

// Ordered, multi-valued headers (ConnectHeaders): insertion order is kept, a key may repeat.
class Headers {
 public:
  using const_iterator = std::vector<Header>::const_iterator;
  using iterator = std::vector<Header>::iterator;

  Headers() = default;

  Headers& add(Header header) {
    headers_.push_back(std::move(header));
    return *this;
  }
  Headers& add(std::string key, SchemaPtr schema, Value value) {
    return add(Header{std::move(key), std::move(schema), std::move(value)});
  }
  // Removes every header called `key`; returns how many were removed.
  size_t remove(std::string_view key);
  // Keeps only the last header called `key` (ConnectHeaders.retainLatest(key)).
  void retain_latest(std::string_view key);
  // The last header called `key`, or nullptr (ConnectHeaders.lastWithName).
  const Header* last_with_name(std::string_view key) const;
  // Every header called `key`, in order (ConnectHeaders.allWithName). Pointers borrow from this
  // object and are invalidated by any mutation.
  std::vector<const Header*> all_with_name(std::string_view key) const;

  size_t size() const { return headers_.size(); }
  bool empty() const { return headers_.empty(); }
  void clear() { headers_.clear(); }
  const_iterator begin() const { return headers_.begin(); }
  const_iterator end() const { return headers_.end(); }
  iterator begin() { return headers_.begin(); }
  iterator end() { return headers_.end(); }
  const std::vector<Header>& entries() const { return headers_; }

  friend bool operator==(const Headers& a, const Headers& b) = default;

 private:
  std::vector<Header> headers_;
};

// A string-keyed map that keeps insertion order: source partitions and offsets. Their JSON form
// (offsets topic keys and values) must be byte-identical to Java's, which iterates in the order
// the connector put entries. Values are expected to be primitives (Connect's OffsetUtils rule,
// checked by the runtime, not here). Equality ignores order, as Map.equals does.
//
// Copies share their entries until one of them is changed (copy on write): every record of a
// source partition carries the same partition map, and the offset tracker keeps each record's
// offset, so copying must not cost an allocation per record. Thread-compatible like a value:
// copies may live on different threads.
class OrderedMap {
 public:
  using Entry = std::pair<std::string, Value>;
  using const_iterator = std::vector<Entry>::const_iterator;

  OrderedMap() = default;
  OrderedMap(std::initializer_list<Entry> entries);

  // Sets `key`: replaces the value in place when present, else appends.
  OrderedMap& set(std::string key, Value value);
  // nullptr when absent.
  const Value* find(std::string_view key) const;
  bool erase(std::string_view key);

  size_t size() const { return entries().size(); }
  bool empty() const { return entries().empty(); }
  const_iterator begin() const { return entries().begin(); }
  const_iterator end() const { return entries().end(); }
  const std::vector<Entry>& entries() const { return entries_ ? *entries_ : empty_entries(); }

  friend bool operator==(const OrderedMap& a, const OrderedMap& b);

 private:
  static const std::vector<Entry>& empty_entries();
  // The entries, made this map's own first when shared.
  std::vector<Entry>& own_entries();

  std::shared_ptr<std::vector<Entry>> entries_;  // null = empty
};

// Fields common to source and sink records (ConnectRecord).
struct ConnectRecord {
  std::string topic;
  std::optional<int32_t> kafka_partition;  // nullopt: let the producer's partitioner choose
  SchemaPtr key_schema;
  Value key;
  SchemaPtr value_schema;
  Value value;
  std::optional<int64_t> timestamp;  // ms since the Unix epoch; nullopt = none
  Headers headers;

  friend bool operator==(const ConnectRecord& a, const ConnectRecord& b);
};

// A record produced by a source task: adds where it came from (SourceRecord).
struct SourceRecord : ConnectRecord {
  OrderedMap source_partition;
  OrderedMap source_offset;

  friend bool operator==(const SourceRecord& a, const SourceRecord& b);
};

// Kafka's TimestampType.
enum class TimestampType : int8_t { kNoTimestampType = -1, kCreateTime = 0, kLogAppendTime = 1 };
// Kafka's spelling: "NoTimestampType", "CreateTime", "LogAppendTime".
const char* to_connect_string(TimestampType type);

// A record delivered to a sink task: adds its Kafka coordinates (SinkRecord). The original_*
// fields keep the coordinates before any transform renamed the topic (KIP-793).
struct SinkRecord : ConnectRecord {
  int64_t kafka_offset = -1;
  TimestampType timestamp_type = TimestampType::kNoTimestampType;
  std::string original_topic;
  std::optional<int32_t> original_kafka_partition;
  int64_t original_kafka_offset = -1;

  friend bool operator==(const SinkRecord& a, const SinkRecord& b);
};

}  // namespace kanal::data
